"""The home screen's numbers equal `kepu report`; records are browsed page
by page, filtered, and deleted (after asking) as tombstones; a city
database shows township x indicator with the laggards marked."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import DOWN, ENTER, ESC, Tap, Term, Workdir, cli, cli_csv

tap = Tap()
PAIR = re.compile(r"(\S+)/(\S+)\s+(\S+)%")


def demo(w, *where):
    rc, out, err = cli(w.db, "demo", *where, "--year", "2025", "--force")
    if rc != 0:
        raise RuntimeError("kepu demo: " + err)


def screen_pairs(t):
    """achieved/target of each indicator row on the home screen."""
    pairs = []
    for line in t.text().splitlines()[3:]:
        m = re.search(r"\s(\S+)/(\S+)\s+(\S+%|-)\s", line)
        if m:
            pairs.append((m.group(1), m.group(2)))
    return pairs


def test_township_dashboard(w):
    report = cli_csv(w.db, "report", "--csv")
    want = [(r["achieved"], r["target"] or "-") for r in report]
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        tap.is_eq(screen_pairs(t), want,
                  "every indicator on the home screen equals kepu report", t)
        behind = sum(1 for r in report if r["status"] == "behind")
        tap.is_eq(t.text().count("behind"), behind,
                  "the indicators behind today's pace are marked")
        live = len(cli_csv(w.db, "list", "training", "--csv")) + \
            len(cli_csv(w.db, "list", "activity", "--csv")) + \
            len(cli_csv(w.db, "list", "demo", "--csv"))
        tap.ok("(%d records in all)" % live in t.text(),
               "the record count is shown", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def record_rows(t):
    return [l for l in t.text().splitlines()[3:22] if re.match(r"\s*\d{4}-\d\d-\d\d", l)]


def test_records(w):
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send("r")
        tap.ok(t.wait_for("Page 1 (more)"), "records: the first page, more to come", t)
        first = record_rows(t)
        tap.is_eq(len(first), 19, "a page fills the screen (19 rows at 80x24)", t)
        t.send("\x1b[6~")                    # PgDn
        tap.ok(t.wait_for("Page 2"), "PgDn shows the next page", t)
        second = record_rows(t)
        tap.ok(second and not set(second) & set(first),
               "with other records", t)
        t.send("\x1b[5~")                    # PgUp
        tap.ok(t.wait_for("Page 1"), "PgUp goes back", t)
        t.send("f")
        tap.ok(t.wait_for("Form: Training"), "f filters by form", t)
        rows = record_rows(t)
        tap.ok(rows and all("Training" in r for r in rows),
               "only trainings are listed", t)
        t.send("c")
        t.send("m")
        t.wait_for("Month (")
        t.send("3" + ENTER)
        tap.ok(t.wait_for("Month: 2025-03"), "m 3 filters March of the working year", t)
        rows = record_rows(t)
        tap.ok(all(r.strip().startswith("2025-03") for r in rows),
               "only March records are listed", t)
        t.send("c")
        t.wait_for("Month: all")
        rows = record_rows(t)
        word = rows[0].split()[2] if rows else "x"
        t.send("s")
        t.wait_for("Find text")
        t.send(word + ENTER)
        tap.ok(t.wait_for("Find: " + word), "s filters by text", t)
        rows = record_rows(t)
        tap.ok(rows and all(word in r for r in rows), "matching records only", t)
        t.send("c")
        t.wait_for("Find: -")
        # Delete the newest record: asked first, then a tombstone.
        before = cli_csv(w.db, "report", "--csv")
        total = len(cli_csv(w.db, "list", "training", "--csv")) + \
            len(cli_csv(w.db, "list", "activity", "--csv")) + \
            len(cli_csv(w.db, "list", "demo", "--csv"))
        t.send("d")
        tap.ok(t.wait_for("Delete this record?"), "d asks first", t)
        t.send("n")
        tap.ok(t.wait_for("Nothing was deleted"), "n keeps it", t)
        t.send("d")
        t.wait_for("Delete this record?")
        t.send("y")
        tap.ok(t.wait_for("Deleted"), "y deletes it", t)
        after = len(cli_csv(w.db, "list", "training", "--csv")) + \
            len(cli_csv(w.db, "list", "activity", "--csv")) + \
            len(cli_csv(w.db, "list", "demo", "--csv"))
        tap.is_eq(after, total - 1, "one record fewer is listed")
        t.send(ESC)
        t.wait_for("Home")
        report = cli_csv(w.db, "report", "--csv")
        want = [(r["achieved"], r["target"] or "-") for r in report]
        tap.is_eq(screen_pairs(t), want,
                  "the home screen follows the deletion, like kepu report", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_city(w):
    report = cli_csv(w.db, "report", "--csv")
    t = Term(w.db, lang="zh")
    try:
        t.home()
        tap.ok("全市汇总" in t.row(0), "a city database says so in the title", t)
        tap.ok("青阳街道" in t.text() and "全市" in t.text(),
               "township x indicator, with the city row", t)
        tap.ok("落后项目最多" in t.text(), "the laggards are named", t)
        town = [r for r in report if r["township"] == "qingyang"]
        cells = re.findall(r"(\d+)%(!?)", [l for l in t.text().splitlines()
                                          if "青阳街道" in l][0])
        want = [(str(int(float(r["achieved"]) / float(r["target"]) * 100 + 0.5)),
                 "!" if r["status"] == "behind" else "")
                for r in town if r["target"]]
        tap.is_eq(cells, want, "青阳's percentages and behind marks match "
                  "kepu report", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        demo(w)
        test_township_dashboard(w)
        test_records(w)
    finally:
        w.cleanup()
    c = Workdir(township=None, quotas=False)
    try:
        demo(c, "--city")
        test_city(c)
    finally:
        c.cleanup()
    tap.done()


main()
