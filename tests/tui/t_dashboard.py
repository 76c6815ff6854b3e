"""The home screen's numbers equal `kepu report`; records are browsed page
by page, filtered, and deleted (after asking) as tombstones; a city
database shows township x indicator under short codes with a key, the
laggards marked without colour, every cell equal to `kepu report --csv`,
and more of each name on a wider terminal."""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, SRCDIR, TODAY, Tap, Term, Workdir, cli, cli_csv

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


def judged(report):
    """The rows of `kepu report --csv` with a verdict: tallies are not in
    the table of indicators."""
    return [r for r in report if r["status"] != "tally"]


def live_records(db):
    """Records of every form of the set, deleted ones left out."""
    forms = [r["value"] for r in forms_csv("formset.csv")
             if r["key"] == "forms"][0].split("|")
    return sum(len(cli_csv(db, "list", f, "--csv")) for f in forms)


def tally_items(report, lang="en"):
    """The 统计 section's items: each plain tally that is not 0."""
    inds = {r["id"]: r for r in plan_indicators()}
    return ["%s %s %s" % (inds[r["indicator"]]["label_" + lang], r["achieved"],
                          inds[r["indicator"]]["unit_" + lang])
            for r in report if r["status"] == "tally" and not r["group"]
            and r["achieved"] != "0"]


def test_township_dashboard(w):
    report = cli_csv(w.db, "report", "--csv")
    want = [(r["achieved"], r["target"] or "-") for r in judged(report)]
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        tap.is_eq(screen_pairs(t), want,
                  "every indicator on the home screen equals kepu report", t)
        behind = sum(1 for r in report if r["status"] == "behind")
        tap.is_eq(t.text().count("behind"), behind,
                  "the indicators behind today's pace are marked")
        live = live_records(w.db)
        tap.ok("(%d records in all)" % live in t.text(),
               "the record count is shown", t)
        items = tally_items(report)
        shown = [i for i in items if i in t.text()]
        tap.ok(len(items) >= 3 and shown == items[:len(shown)] and len(shown) >= 2,
               "Tallies: the plain tallies equal kepu report, without a verdict", t)
        tap.ok("Tallies  " + items[0] in t.text() and
               not re.search(r"Tallies.*(ahead|behind|on track)", t.text()),
               "under their heading, no status beside them", t)
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
        tap.ok(rows and all(r.strip().startswith("2025-03") for r in rows),
               "only March records are listed", t)
        t.send("c")
        t.wait_for("Month: all")
        rows = record_rows(t)
        # A word of the title: form labels may have spaces of their own.
        col = t.row(2).find("Title")
        word = rows[0][col:].split()[0] if rows and col > 0 else "x"
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
        total = live_records(w.db)
        t.send("d")
        tap.ok(t.wait_for("Delete ") and "tombstone goes" in t.text(),
               "d asks first", t)
        t.send("n")
        tap.ok(t.wait_for("Nothing was deleted"), "n keeps it", t)
        t.send("d")
        t.wait_for("tombstone goes")
        t.send("y")
        tap.ok(t.wait_for("Deleted"), "y deletes it", t)
        after = live_records(w.db)
        tap.is_eq(after, total - 1, "one record fewer is listed")
        t.send(ESC)
        t.wait_for("Home")
        report = cli_csv(w.db, "report", "--csv")
        want = [(r["achieved"], r["target"] or "-") for r in judged(report)]
        tap.is_eq(screen_pairs(t), want,
                  "the home screen follows the deletion, like kepu report", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


FORMS = os.environ.get("KEPU_FORMS") or os.path.join(SRCDIR, "forms")


def forms_csv(name):
    with open(os.path.join(FORMS, name), encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def plan_indicators():
    """The indicators of the plan holding the tests' today, in file order."""
    year = int(TODAY[:4])
    plan = [p["id"] for p in forms_csv("plans.csv")
            if int(p["first_year"]) <= year <= int(p["last_year"])][0]
    return [r for r in forms_csv("indicators.csv") if r["plan"] == plan]


def judged_indicators():
    """Those with a target: the city table's columns."""
    return [r for r in plan_indicators() if r["target"]]


def city_want(report, lang):
    """What each row of the city table must show, from `kepu report --csv`:
    {township label: ["120%", "0%!", "-", ...]} in indicator order, and the
    number of indicators behind."""
    names = {t["id"]: t["name_" + lang] for t in forms_csv("townships.csv")}
    names["all"] = "全市" if lang == "zh" else "City"
    want, behind = {}, {}
    for r in judged(report):
        label = names[r["township"]]
        if not r["target"]:
            cell = "-"
        else:
            pct = int(float(r["achieved"]) / float(r["target"]) * 100 + 0.5)
            if pct >= 100 and float(r["achieved"]) < float(r["target"]):
                pct = 99    # never 100% while the target is not reached
            cell = "%d%%%s" % (pct, "!" if r["status"] == "behind" else "")
        want.setdefault(label, []).append(cell)
        behind[label] = behind.get(label, 0) + (r["status"] == "behind")
    return want, behind


def city_rows(t, labels):
    """The table rows on screen: {label: (cells, text after the cells)}."""
    rows = {}
    for line in t.text().splitlines()[1:]:
        for label in labels:
            if line.startswith(" " + label + " ") or \
                    line.startswith(" " + label[:8]) and len(label) > 17:
                rest = line[1 + len(label):] if line.startswith(" " + label) \
                    else line[18:]
                rows[label] = (re.findall(r"\d+%!?|(?<!\S)-(?!\S)", rest),
                               rest)
    return rows


def test_city_80(w, report):
    want, _ = city_want(report, "zh")
    inds = judged_indicators()
    t = Term(w.db, lang="zh")
    try:
        t.home()
        tap.ok("全市汇总" in t.row(0), "a city database says so in the title", t)
        head = t.row(1)
        tap.is_eq(re.findall(r"#\d+", head),
                  ["#%d" % (i + 1) for i in range(len(inds))],
                  "80x24: the indicator columns are headed #1..#%d" % len(inds), t)
        tap.ok(all(len(c) <= 3 for c in re.findall(r"#\d+", head)) and
               "科学" not in head, "with codes only: no name cut to two "
               "characters", t)
        key = [l for l in t.text().splitlines() if "! 落后于按日应达进度" in l]
        tap.ok(key and "i 指标全称" in key[0] and "镇街 1-17/%d" %
               (len(want) - 1) in key[0],
               "a key line explains ! and i, and which townships are shown", t)
        tap.ok("落后项目最多" in t.text(), "the laggards are named", t)
        seen = city_rows(t, want)
        t.send("\x1b[6~")                   # PgDn: the other townships
        tap.ok("镇街 4-20/20" in t.text(), "PgDn shows the last townships", t)
        seen.update(city_rows(t, want))
        tap.is_eq(sorted(seen), sorted(want),
                  "every township and the city row are on the table", t)
        bad = [(k, seen[k][0], v) for k, v in want.items()
               if k in seen and seen[k][0] != v]
        tap.is_eq(bad, [], "every cell equals kepu report --csv: percent "
                  "achieved, ! when behind today's pace, - without a quota")
        t.send("i")
        lines = t.text().splitlines()
        full = [l for l in lines if re.match(r"\s#\d+\s", l)]
        tap.is_eq([re.split(r"\s+", l.strip())[0:2] for l in full],
                  [["#%d" % (i + 1), r["label_zh"] + "（" + r["unit_zh"] + "）"]
                   for i, r in enumerate(inds)],
                  "i lists every code with the indicator's full name and unit", t)
        tap.ok("全市目标 >=9000，规划期合计" in t.text(),
               "and the city target", t)
        t.send("q")
        tap.ok(t.alive() and "#1" in t.row(1) and "全市" in t.text(),
               "q leaves the names, not kepu", t)
        t.send("i")
        t.send(ESC)
        tap.ok(t.alive() and "#1" in t.row(1) and "全市" in t.text(),
               "so does Esc", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_city_vt100(w, report):
    want, _ = city_want(report, "en")
    t = Term(w.db, lang="en", term="vt100")
    try:
        shown = t.home("en") and "City" in t.row(0)
        colour = re.search(rb"\x1b\[[0-9;]*[34][0-9]m", t.log) is not None
        tap.ok(shown and not colour, "TERM=vt100: no colour sequences", t)
        seen = city_rows(t, want)
        bad = [(k, seen[k][0], want[k]) for k in seen if seen[k][0] != want[k]]
        tap.ok(len(seen) >= 17 and not bad,
               "TERM=vt100: the cells and their ! marks equal kepu report", t)
        if bad:
            tap.diag(bad)
        marked = rev = 0
        for y in range(2, 20):
            line = t.row(y)
            for m in re.finditer(r"\d+%!", line):
                marked += 1
                rev += t.screen.buffer[y][m.start()].reverse
        tap.ok(marked > 0 and rev == marked,
               "behind cells are also shown in reverse video (%d of %d)"
               % (rev, marked), t)
        tap.ok("! behind today's pace" in t.text() and "i full names" in
               t.text(), "the key line in English", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_city_wide(w, report):
    want, behind = city_want(report, "zh")
    inds = judged_indicators()
    t = Term(w.db, lang="zh", rows=40, cols=160)
    try:
        t.home()
        head = t.row(1)
        tap.ok(all("#%d %s" % (i + 1, r["label_zh"][:3]) in head
                   for i, r in enumerate(inds[:9])),
               "160 columns: each heading adds the start of the name", t)
        seen = city_rows(t, want)
        tap.is_eq(sorted(seen), sorted(want),
                  "40 rows: every township at once", t)
        bad = [(k, seen[k][0], v) for k, v in want.items()
               if k in seen and seen[k][0] != v]
        tap.is_eq(bad, [], "the cells equal kepu report --csv")
        counts = {k: int(v[1].split()[-1]) for k, v in seen.items()
                  if v[1].split() and v[1].split()[-1].isdigit()}
        tap.is_eq(counts, behind, "a column counts the indicators behind", t)
        text = t.text()
        tap.ok(all("#%d %s" % (i + 1, r["label_zh"]) in text
                   for i, r in enumerate(inds)),
               "the full names are listed under the table", t)
        tap.ok("上下键翻看" not in text, "no scrolling is offered", t)
        t.resize(24, 80)
        tap.ok(re.findall(r"#\d+", t.row(1))[:2] == ["#1", "#2"] and
               "镇街 1-17/20" in t.text(), "back at 80x24: codes and the key "
               "line again", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_city_empty():
    """A city nobody has reported to yet: no township is behind, and the
    line that names the laggards says so instead of a bare heading."""
    c = Workdir(township=None, quotas=False)
    try:
        t = Term(c.db, lang="zh")
        try:
            t.home()
            tap.ok("全市汇总" in t.row(0) and "未报送 20 个" in t.text(),
                   "an empty city: all 20 townships not reported", t)
            tap.ok("没有落后的项目" in t.text() and "落后项目最多" not in t.text(),
                   "nothing behind, said in words", t)
        finally:
            t.close()
    finally:
        c.cleanup()


def main():
    test_city_empty()
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
        report = cli_csv(c.db, "report", "--csv")
        test_city_80(c, report)
        test_city_vt100(c, report)
        test_city_wide(c, report)
    finally:
        c.cleanup()
    tap.done()


main()
