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


def main():
    test_create()
    w = Workdir()
    try:
        test_bundle(w)
    finally:
        w.cleanup()
    tap.done()


main()
