"""Drafts: every interrupted sheet is kept under a key of its own, so a
second interrupted sheet never replaces the first, and two sessions of one
shared login never overwrite each other's.  At start the drafts are listed
with their date, form and title; the clerk picks one to go on with,
discards one, or leaves them for later."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import DOWN, ENTER, ESC, TAB, Tap, Term, Workdir

tap = Tap()


def start_sheet(t, date, title, venue=None):
    """Type a training's date, category and title (and a venue, left
    unfinished in its field)."""
    t.send("1")
    t.wait_for("新建培训")
    t.type(date)
    t.send(TAB * 2)
    t.send("worker" + ENTER)
    t.send(title.encode())
    if venue:
        t.send(TAB * 2)
        t.send(venue.encode())


def test_one_after_another(w):
    t = Term(w.db, lang="zh")
    t.home("zh")
    start_sheet(t, "2025-06-02", "上午的签到表")
    t.close()                                 # the link drops
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 草稿") and t.sync() is not None and "上午的签到表" in t.text(),
               "the first interrupted sheet is listed", t)
        t.send("n")                           # later
        tap.ok(t.wait_for("| 首页") and "下次启动时再列出" in t.text(),
               "n leaves it for later", t)
        start_sheet(t, "2025-06-03", "下午的签到表")
    finally:
        t.close()                             # a second interrupted sheet
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 草稿") and t.sync() is not None, "both are listed", t)
        screen = t.text()
        tap.ok("上午的签到表" in screen and "下午的签到表" in screen,
               "the second did not replace the first", t)
        tap.ok("2025-06-02" in screen and "2025-06-03" in screen and
               "培训" in screen, "each with its date and form", t)
        t.send(ESC)
    finally:
        t.close()


def test_two_sessions(w):
    a = Term(w.db, lang="zh")
    b = Term(w.db, lang="zh")
    try:
        for t in (a, b):
            t.wait_for("| 草稿")
            t.send(ESC)
            t.wait_for("| 首页")
        start_sheet(a, "2025-06-04", "甲的签到表", "甲会议室")
        start_sheet(b, "2025-06-05", "乙的签到表", "乙会议室")
    finally:
        a.close()                             # both links drop
        b.close()
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 草稿") and t.sync() is not None, "drafts listed", t)
        screen = t.text()
        tap.ok("甲的签到表" in screen and "乙的签到表" in screen,
               "two sessions of one login each kept their own draft", t)
        tap.ok(screen.count("签到表") >= 4, "and the earlier two are still there", t)
        # Pick 乙: go on with it and save it.
        rows = [y for y in range(t.screen.lines) if "乙的签到表" in t.row(y)]
        sel = [y for y in range(t.screen.lines) if "上午的签到表" in t.row(y)]
        for _ in range(rows[0] - sel[0] if rows and sel else 0):
            t.send(DOWN)
        t.send(ENTER)
        tap.ok(t.wait_for("（草稿）") and "乙会议室" in t.text(),
               "the draft picked opens with what was typed", t)
        t.type("8")                           # participants: the first left empty
        t.send("\x13")                        # ^S
        tap.ok(t.wait_for("| 草稿") and t.sync() is not None,
               "once saved, the drafts left are listed again", t)
        tap.ok("乙的签到表" not in t.text() and "甲的签到表" in t.text(),
               "without the one saved", t)
        t.send("d")
        tap.ok(t.wait_for("丢弃这张草稿"), "d asks before discarding", t)
        t.send("y")
        tap.ok(t.wait_for("草稿已丢弃"), "y discards one", t)
        n = sum("签到表" in t.row(y) for y in range(3, 20))
        tap.is_eq(n, 2, "two drafts are left", t)
        t.send("d")
        t.send("y")
        t.send("d")
        t.send("y")
        tap.ok(t.wait_for("| 首页"), "when none is left, home", t)
    finally:
        t.close()
    rows = [r for r in w.records() if r["title"] == "乙的签到表"]
    tap.ok(rows and rows[0]["venue"] == "乙会议室", "the saved draft is stored whole")
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 首页") and t.sync() is not None and
               "草稿" not in t.row(0), "no draft is listed any more", t)
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_one_after_another(w)
        test_two_sessions(w)
    finally:
        w.cleanup()
    tap.done()


main()
