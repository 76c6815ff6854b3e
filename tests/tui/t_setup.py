"""No database yet: the TUI offers to create one; the USB bundle screen
exports with a progress line and imports after a dry run."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, Tap, Term, Workdir, cli, cli_csv

tap = Tap()


def test_create():
    tmp = tempfile.mkdtemp(prefix="kepu-tui-")
    db = os.path.join(tmp, "sub", "new.kepu")
    try:
        t = Term(db, lang="en")
        try:
            tap.ok(t.wait_for("Create it for which township?"),
                   "a missing database: kepu offers to create it", t)
            t.send("nosuch" + ENTER, settle=False)   # a plain prompt, no curses
            status, _ = t.wait_exit()
            tap.ok(status != 0 and not os.path.exists(db),
                   "an unknown township creates nothing")
        finally:
            t.close()
        t = Term(db, lang="en")
        try:
            t.wait_for("Create it")
            t.send("shenhu" + ENTER, settle=False)
            # The list of townships above named it already: wait for the
            # title of the home screen.
            tap.ok(t.wait_for("| Shenhu Town | 2025 |") and "Home" in t.row(0),
                   "a known township: the database is made and home opens", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        tap.ok(os.path.exists(db), "the database file exists")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_bundle(w):
    cli(w.db, "add", "training", "--set", "date=2025-05-02", "--set",
        "category=worker", "--set", "title=数据包测试", "--set", "participants=3")
    out = os.path.join(w.dir, "usb")
    os.mkdir(out)
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send("b")
        tap.ok(t.wait_for("USB bundles"), "b opens the USB bundle screen", t)
        t.send("e")
        t.wait_for("Export to folder")
        t.send(out + ENTER)
        tap.ok(t.wait_for("Export done"), "e exports to the folder given", t)
        made = [d for d in os.listdir(out) if not d.startswith(".")]
        tap.is_eq(len(made), 1, "one bundle folder was written")
        t.send("e")
        t.wait_for("Export to folder")
        t.send(ENTER)                   # the folder offered is the last one
        tap.ok(t.wait_for("No new changes"),
               "a second export with nothing new says so", t)
        tap.is_eq(len([d for d in os.listdir(out) if not d.startswith(".")]),
                  1, "and writes no bundle")
        t.send("i")
        t.wait_for("Bundle folder")
        t.send("\x15" + os.path.join(out, made[0] if made else "x") + ENTER)
        tap.ok("Dry run" in t.text() or "problems" in t.text(),
               "i shows what an import would do before storing anything", t)
        t.send(ESC)
        t.send(ESC)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_city_import(w):
    """The city imports a township's bundle from the TUI: the dry run's
    numbers first, then the import after y, then "imported before"."""
    for i in range(3):
        cli(w.db, "add", "training", "--set", "date=2025-06-0%d" % (i + 1),
            "--set", "category=worker", "--set", "title=城市导入%d" % i,
            "--set", "participants=10")
    usb = os.path.join(w.dir, "usb2")
    os.mkdir(usb)
    key = os.path.join(w.dir, "anhai.key")
    rc1, _, e1 = cli(w.db, "export", "--full", "--out", usb)
    rc2, _, e2 = cli(w.db, "key", "export", "--out", key)
    city = Workdir(township=None)
    try:
        rc3, _, e3 = cli(city.db, "township", "trust", key)
        tap.ok(rc1 == 0 and rc2 == 0 and rc3 == 0,
               "export, key export and trust: " + e1 + e2 + e3)
        bundle = os.path.join(usb, os.listdir(usb)[0])
        live = len(w.records())
        t = Term(city.db, lang="en")
        try:
            t.home("en")
            t.send("b")
            t.wait_for("USB bundles")
            t.send("i")
            t.wait_for("Bundle folder")
            t.send("\x15" + bundle + ENTER)
            tap.ok(t.wait_for("Dry run: new %d," % live),
                   "the dry run counts every record of the bundle as new", t)
            tap.ok(t.wait_for("Import it?"), "and asks before importing", t)
            tap.is_eq(len(city.records()), 0, "nothing stored before y")
            t.send("y")
            tap.ok(t.wait_for("Imported."), "y imports", t)
            tap.is_eq(len(city.records()), live,
                      "the city holds the township's records")
            t.send("i")
            t.wait_for("Bundle folder")
            t.send(ENTER)
            tap.ok(t.wait_for("imported before"),
                   "the same bundle again: imported before", t)
            t.send("n")
            t.send(ESC)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        rc, out, err = cli(city.db, "check")
        tap.is_eq(rc, 0, "kepu check agrees after the TUI import")
    finally:
        city.cleanup()


def main():
    test_create()
    w = Workdir()
    try:
        test_bundle(w)
        test_city_import(w)
    finally:
        w.cleanup()
    tap.done()


main()
