"""Two clerks editing the same record: the second to save is told, sees
what each side changed (a 3-way comparison with the revision it started
from), changes made on one side only are kept whatever is chosen, and
nothing is overwritten without saying so.  A record deleted meanwhile can
be saved as a new one.  The delete prompt names the record and its result
says what it did to the quotas."""
import re
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


def flat(s):
    return re.sub(r"\s+", "", s)


def shows(t, text):
    return flat(text) in flat("".join(t.screen.display))


def field(show, name):
    m = re.search(r"^%s\s+(.*)$" % name, show, re.M)
    return m.group(1).strip() if m else None


def test_three_way(w):
    rid = add_record(w)
    a = Term(w.db, lang="zh")
    b = Term(w.db, lang="zh")
    try:
        open_first_record(a)
        open_first_record(b)
        b.send(TAB * 5 + ctrl("u") + "新会场" + F[2])       # B: the venue
        b.wait_for("已保存")
        a.send(TAB * 6 + ctrl("u") + "31" + F[2])          # A: participants
        tap.ok(a.wait_for("两边的修改"), "A meets B's change", a)
        tap.ok(shows(a, "参训人次只有我改了") and shows(a, "地点只有对方改了"),
               "each change is shown as made by the side that made it", a)
        tap.ok(shows(a, "原来：30") and shows(a, "原来：镇文化站"),
               "with what it was before", a)
        tap.ok("m 合并保存" in a.text() and "冲突处" not in a.text(),
               "no conflict: only a merge is offered", a)
        a.send("m")
        tap.ok(a.wait_for("已保存"), "m merges and saves", a)
        show = cli(w.db, "show", rid)[1]
        tap.is_eq((field(show, "Venue"), field(show, "Participants")), ("新会场", "31"),
                  "B's venue and A's participants are both kept")
        # Both change the venue; A also the hours: t keeps A's hours.
        for t in (a, b):
            t.send(ESC)                       # from the records, home
            open_first_record(t)
        b.send(TAB * 5 + ctrl("u") + "乙会场" + F[2])
        b.wait_for("已保存")
        a.send(TAB * 5 + ctrl("u") + "甲会场" + TAB * 2 + "2.5" + F[2])
        tap.ok(a.wait_for("两边都改了") and shows(a, "我的：甲会场") and
               shows(a, "对方：乙会场"), "a real conflict shows mine and theirs", a)
        a.send("t")
        tap.ok(a.wait_for("按 F2 保存") and "乙会场" in a.text() and "2.5" in a.text(),
               "t takes theirs where both changed, keeps A's hours", a)
        a.send(F[2])
        tap.ok(a.wait_for("已保存"), "then saves", a)
        show = cli(w.db, "show", rid)[1]
        tap.is_eq((field(show, "Venue"), field(show, "Hours")), ("乙会场", "2.5"),
                  "B's venue, A's hours")
    finally:
        a.close()
        b.close()


def test_deleted(w):
    rc, out, _ = cli(w.db, "add", "training", "--set", "date=2025-05-09",
                     "--set", "category=worker", "--set", "title=焊工培训",
                     "--set", "participants=15")
    rid = out.strip().split()[-1]
    t = Term(w.db, lang="zh")
    try:
        open_first_record(t)
        cli(w.db, "delete", rid)
        t.send(TAB * 6 + ctrl("u") + "16" + F[2])
        tap.ok(t.wait_for("删除，没有保存") and "存成一条新记录" in t.text(),
               "editing a record deleted meanwhile offers to save it anew", t)
        t.send("n")
        tap.ok(t.wait_for("已保存"), "n saves it as a new record", t)
        rows = [r for r in w.records() if r["title"] == "焊工培训"]
        tap.ok(len(rows) == 1 and rows[0]["id"] != rid and
               rows[0]["participants"] == "16", "with a new id and the values typed")
    finally:
        t.close()


def test_delete_prompt(w):
    rc, out, _ = cli(w.db, "add", "training", "--set", "date=2025-05-10",
                     "--set", "category=worker", "--set", "title=叉车司机培训",
                     "--set", "participants=25")
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.send("r")
        t.wait_for("| 记录")
        t.send("d")
        tap.ok(shows(t, "删除 2025-05-10 培训「叉车司机培训」（参训人次 25）？"),
               "the delete prompt names the record", t)
        t.send("y")
        tap.ok(t.wait_for("已删除"), "y deletes it", t)
        m = re.search(r"培训各类劳动者-25→(\d+)/200", flat("".join(t.screen.display)))
        tap.ok(m is not None, "the result says what it did to the quota", t)
        after = [r for r in cli(w.db, "report", "--csv")[1].splitlines()
                 if r.startswith("2025,anhai,worker_training")]
        tap.ok(m and after and after[0].split(",")[5] == m.group(1),
               "the same figure as kepu report: %s" % after[:1])
    finally:
        t.close()


def test_two_way(w):
    """The first checks, kept: both values shown, Esc, t, k."""
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


def main():
    for test in (test_two_way, test_three_way, test_deleted, test_delete_prompt):
        w = Workdir()
        try:
            test(w)
        finally:
            w.cleanup()
    tap.done()


main()
