"""The end of a year on the screens: c on a township's home closes the year
shown after a question naming it, and a delete or a save of a record of
that year then says it is closed, as the command line does; o reopens it
with a reason; the city's return, once imported, shows on home as
已退回：理由; the city's who-has-reported view (w) lists every township as
`kepu received` does, says who has not reported, and a there approves a
closed year and writes the decision bundle."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import DOWN, ENTER, ESC, F, Tap, Term, Workdir, cli, cli_csv

tap = Tap()
DAY = {"KEPU_TODAY": "2025-12-20"}


def must(rc_out_err, what):
    rc, out, err = rc_out_err
    if rc != 0:
        raise RuntimeError("%s: %s" % (what, err))
    return out


def town_with_record(w):
    must(cli(w.db, "add", "training", "--set", "date=2025-03-05",
             "--set", "category=teacher", "--set", "title=科学课教师培训",
             "--set", "participants=15", env=DAY), "add")


def test_close_reopen():
    w = Workdir()
    try:
        town_with_record(w)
        t = Term(w.db, lang="en", env=DAY)
        try:
            t.home("en")
            tap.ok("closed" not in t.row(1), "an open year: nothing about it on home", t)
            t.send("c")
            tap.ok("Close 2025?" in t.message(), "c asks, naming the year", t)
            t.send("n")
            tap.ok("2025 was not closed" in t.message(), "n: not closed", t)
            rc, out, err = cli(w.db, "received", "--events", "--csv", env=DAY)
            tap.ok(out.count("\n") == 1, "nothing stored")
            t.send("c")
            t.send("y")
            tap.ok("2025 is closed" in t.message(), "y: closed", t)
            tap.ok("2025: closed, awaiting the city (o reopens)" in t.row(1),
                   "home says where the year stands", t)
            rc, out, err = cli(w.db, "received", "--events", "--csv", env=DAY)
            tap.ok(",2025,closed," in out, "the close is stored, as kepu close stores it")
            t.send("r")
            t.wait_for("Records")
            t.send("d")
            t.send("y")
            tap.ok("year 2025 was closed" in t.message(),
                   "a delete says the year is closed", t)
            tap.is_eq(len(w.records()), 1, "and deletes nothing")
            t.send("q")
            t.send("1")
            t.wait_for("New Training")
            t.type("2025-04-01")
            t.send("\t")
            t.send("\t")
            t.send("teacher")
            t.send(ENTER)
            t.type("又一次培训")
            t.send("\t\t\t")
            t.type("12")
            t.send(F[2])
            tap.ok(t.wait_for("year 2025 was closed"),
                   "saving a 2025 record says the same", t)
            t.send(ESC)
            t.send("y")
            t.home("en")
            t.send("o")
            tap.ok("Why reopen 2025" in t.message(), "o asks why, naming the year", t)
            t.type("录错了人数")
            t.send(ENTER)
            tap.ok("2025 is reopened" in t.message(), "reopened", t)
            tap.ok("2025: reopened: 录错了人数 (c closes)" in t.row(1),
                   "home says so, with the reason", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        rc, out, err = cli(w.db, "received", "--events", "--csv", env=DAY)
        tap.ok(",2025,reopened,,%s," % os.environ.get("USER", "") in out
               or ",2025,reopened," in out, "the reopening is stored")
        tap.ok("录错了人数" in out, "with its reason")
    finally:
        w.cleanup()


def test_returned_on_home():
    town = Workdir(quotas=False)
    city = Workdir(township=None, quotas=False)
    usb = os.path.join(town.dir, "usb")
    os.mkdir(usb)
    try:
        town_with_record(town)
        tk, ck = os.path.join(town.dir, "t.key"), os.path.join(town.dir, "c.key")
        must(cli(town.db, "key", "export", "--out", tk), "key")
        must(cli(city.db, "key", "export", "--out", ck), "key")
        must(cli(city.db, "township", "trust", tk), "trust")
        must(cli(town.db, "township", "trust", ck), "trust")
        must(cli(town.db, "close", "--year", "2025", env=DAY), "close")
        must(cli(town.db, "export", "--out", usb, env=DAY), "export")
        b = [d for d in os.listdir(usb) if d.startswith("anhai-")][0]
        must(cli(city.db, "import", os.path.join(usb, b), env=DAY), "import")
        must(cli(city.db, "return", "--township", "anhai", "--year", "2025",
                 "--reason", "教师人数请核对", "--out", usb, env=DAY), "return")
        d = [x for x in os.listdir(usb) if x.startswith("decision-")][0]
        must(cli(town.db, "import", os.path.join(usb, d), env=DAY), "import")
        t = Term(town.db, lang="zh", env=DAY)
        try:
            t.home("zh")
            tap.ok("2025 年度：已退回：教师人数请核对" in t.row(1),
                   "home says 已退回：理由", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
    finally:
        town.cleanup()
        city.cleanup()


def test_received_view():
    city = Workdir(township=None, quotas=False)
    usb = os.path.join(city.dir, "usb")
    os.mkdir(usb)
    try:
        ck = os.path.join(city.dir, "c.key")
        must(cli(city.db, "key", "export", "--out", ck), "key")
        towns = []
        for tw in ("meiling", "chendai"):
            db = os.path.join(city.dir, tw + ".kepu")
            must(cli(db, "init", "--township", tw, env=DAY), "init")
            must(cli(db, "add", "training", "--set", "date=2025-03-05",
                     "--set", "category=teacher", "--set", "title=培训",
                     "--set", "participants=5", env=DAY), "add")
            key = os.path.join(city.dir, tw + ".key")
            must(cli(db, "key", "export", "--out", key), "key")
            must(cli(city.db, "township", "trust", key), "trust")
            towns.append(db)
        # chendai's bundles 1 and 3 reach the city, not 2 (lost on the way)
        outs = {}
        for db in towns:
            outs[db] = os.path.join(usb, os.path.basename(db))
            os.mkdir(outs[db])
            must(cli(db, "export", "--out", outs[db], env=DAY), "export")
        must(cli(towns[1], "add", "training", "--set", "date=2025-03-06",
                 "--set", "category=teacher", "--set", "title=培训二",
                 "--set", "participants=6", env=DAY), "add")
        lost = os.path.join(city.dir, "lost")
        os.mkdir(lost)
        must(cli(towns[1], "export", "--out", lost, env=DAY), "export")
        must(cli(towns[1], "close", "--year", "2025", env=DAY), "close")
        must(cli(towns[1], "export", "--out", outs[towns[1]], env=DAY), "export")
        for db in towns:
            for b in sorted(os.listdir(outs[db])):
                must(cli(city.db, "import", os.path.join(outs[db], b), env=DAY), "import")
        want = cli_csv(city.db, "received", "--year", "2025", "--csv")
        t = Term(city.db, lang="zh", env=DAY)
        try:
            t.home("zh")
            tap.ok("w 报送" in t.row(23), "the city's key bar has w", t)
            t.send("w")
            tap.ok(t.wait_for("报送情况"), "w opens who has reported", t)
            tap.ok("2025 年度：2/20 个镇街已报送" in t.row(1), "2 of 20 have reported", t)
            seen = {}
            for y in range(3, 21):
                row = t.row(y)
                for r in want:
                    label = r["township"]
                    if row.startswith(" " + LABELS[label]):
                        seen[label] = "已报送" in row
            tap.ok(len(seen) >= 17 and all(
                seen[r["township"]] == (r["reported"] == "yes")
                for r in want if r["township"] in seen),
                "every row shown says what kepu received --csv says", t)
            tap.ok("本年度未报送（18）：青阳街道、西园街道" in t.row(20),
                   "the townships not reported are listed", t)
            tap.ok("从未报送（18）：青阳街道" in t.row(21),
                   "and those that never reported", t)
            chendai = [i for i, r in enumerate(want) if r["township"] == "chendai"][0]
            tap.ok("已关闭，待市里审核" in t.text(), "chendai's closed year awaits the city", t)
            t.send(DOWN * chendai)
            t.send("a")
            tap.ok("陈埭镇缺第 2 号数据包，其中可能有 2025 年的改动；仍通过？" in t.message(),
                   "a asks, naming township, year and the bundle missing", t)
            t.send("n")
            tap.ok("没有作出决定" in t.message(), "n: no decision", t)
            for b in os.listdir(lost):
                must(cli(city.db, "import", os.path.join(lost, b), env=DAY), "import")
            t.send("a")
            tap.ok("通过陈埭镇的 2025 年度？" in t.message(),
                   "with it imported, a asks, naming township and year", t)
            t.send("y")
            tap.ok("决定包" in t.message(), "then offers to write the decision bundle", t)
            t.type(usb)
            t.send(ENTER)
            tap.ok("已写出" in t.message(), "writes it", t)
            tap.ok(any(d.startswith("decision-chendai-000001-") for d in os.listdir(usb)),
                   "the decision bundle is on the stick")
            tap.ok("已通过" in t.text(), "the row says approved", t)
            t.send("q")
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        rc, out, err = cli(city.db, "received", "--year", "2025", "--csv", env=DAY)
        tap.ok(",closed,approved,," in out, "kepu received says approved")
    finally:
        city.cleanup()


LABELS = {}


def load_labels():
    src = os.environ.get("KEPU_FORMS") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "forms")
    import csv
    with open(os.path.join(src, "townships.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            LABELS[r["id"]] = r["name_zh"]


def main():
    load_labels()
    test_close_reopen()
    test_returned_on_home()
    test_received_view()
    tap.done()


main()
