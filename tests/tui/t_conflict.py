"""Two clerks editing the same record: the second to save is told, sees
both values, and nothing is overwritten without saying so."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, F, TAB, Tap, Term, Workdir, cli, ctrl

tap = Tap()


def add_record(w):
    rc, out, err = cli(w.db, "add", "training", "--set", "date=2025-05-02",
                       "--set", "category=worker", "--set", "title=电工安全培训",
                       "--set", "participants=30", "--set", "venue=镇文化站")
    if rc != 0:
        raise RuntimeError(err)
    return out.strip().split()[-1]


def open_first_record(t):
    t.home()
    t.send("r")
    t.wait_for("记录")
    t.send(ENTER)
    return t.wait_for("修改培训")


def main():
    w = Workdir()
    try:
        rid = add_record(w)
        a = Term(w.db, lang="zh")          # clerk A, in the TUI
        b = Term(w.db, lang="zh")          # clerk B, in another session
        try:
            tap.ok(open_first_record(a), "clerk A opens the record", a)
            tap.ok(open_first_record(b), "clerk B opens the same record", b)
            # B renames the venue and saves first.
            b.send(TAB * 5 + ctrl("u"))
            b.send("新会场".encode())
            b.send(F[2])
            tap.ok(b.wait_for("已保存"), "clerk B saves", b)
            # A, still on revision 1, changes the venue too.
            a.send(TAB * 5 + ctrl("u"))
            a.send("老会场".encode())
            a.send(F[2])
            tap.ok(a.wait_for("第 2 版"), "clerk A is told the record changed", a)
            screen = a.text()
            tap.ok("老会场" in screen and "新会场" in screen,
                   "both values are shown", a)
            show = cli(w.db, "show", rid)[1]
            tap.ok("新会场" in show and "老会场" not in show,
                   "nothing was overwritten silently")
            a.send(ESC)
            tap.ok(a.wait_for("没有保存"), "Esc goes back without saving", a)
            a.send(F[2])
            tap.ok(a.wait_for("第 2 版"), "saving again shows the conflict again", a)
            a.send("t")
            tap.ok(a.wait_for("对方的版本") and "新会场" in a.text(),
                   "t takes their version into the form", a)
            a.send(ctrl("u"))                # the cursor stayed on the venue
            a.send("第三会场".encode())
            a.send(F[2])
            tap.ok(a.wait_for("已保存"), "then A's own change saves", a)
            show = cli(w.db, "show", rid)[1]
            tap.ok("第三会场" in show, "on top of B's revision")
            # Keeping one's own version is allowed, but only when asked for.
            b.send("r")
            b.wait_for("记录")
            b.send(ENTER)
            b.wait_for("修改培训")
            cli(w.db, "edit", rid, "--set", "title=电工安全培训（改）")
            b.send(TAB * 5 + ctrl("u") + "B的会场" + F[2])
            tap.ok(b.wait_for("对方"), "B meets the conflict", b)
            b.send("k")
            tap.ok(b.wait_for("已保存"), "k keeps B's version", b)
            show = cli(w.db, "show", rid)[1]
            tap.ok("B的会场" in show, "B's value is stored after asking")
        finally:
            a.close()
            b.close()
    finally:
        w.cleanup()
    tap.done()


main()
