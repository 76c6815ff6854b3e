"""The terminal as it really is: PuTTY's key sequences, resizing, a window
too small, no colour, the C locale, a GB18030 locale, idle silence and
stored text shown safely.  Every step waits for kepu to have handled the
keys (tuilib's send and resize), never for a fixed time."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import (ENTER, ESC, F, PUTTY_END, PUTTY_F, PUTTY_HOME, TAB, Tap,
                    Term, Workdir, cli, gb_locale)

tap = Tap()


def test_putty(w):
    t = Term(w.db, lang="zh", term="xterm")
    try:
        t.home()
        t.send(PUTTY_F[1])
        tap.ok(t.wait_for("| 帮助"), "PuTTY F1 (ESC[11~) opens the help", t)
        tap.ok("r F6" in t.text() and "浏览、筛选、修改、删除记录" in t.text(),
               "the help comes from the key table", t)
        t.send(ESC)
        tap.ok(t.wait_for("首页"), "Esc leaves the help", t)
        t.send("1")
        t.wait_for("新建培训")
        t.send(PUTTY_F[4])
        tap.ok("2025-06-30" in t.text(), "PuTTY F4 (ESC[14~) on a date: today", t)
        t.send(TAB * 2)
        t.send(PUTTY_F[4])
        tap.ok(t.wait_for("筛选"), "PuTTY F4 on a choice opens the pick list", t)
        t.send("7" + ENTER)                  # by number: the 7th category
        t.send("bc" + PUTTY_HOME + "a" + PUTTY_END + "d")
        t.send(TAB * 3)
        t.type("3")
        t.send(PUTTY_F[2])
        tap.ok(t.wait_for("已保存"), "PuTTY F2 (ESC[12~) saves", t)
        rows = w.records()
        tap.ok(rows and rows[-1]["title"] == "abcd",
               "PuTTY Home (ESC[1~) and End (ESC[4~) move in the field")
        tap.ok(rows and rows[-1]["category"] == "elderly_digital",
               "typing 7 in the pick list chose the 7th choice")
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_resize(w):
    before = len(w.records())
    t = Term(w.db, lang="zh")
    try:
        t.home()
        t.send("1")
        t.wait_for("新建培训")
        t.type("2025-06-10")
        t.send(TAB * 2 + "worker" + ENTER)
        t.send("缩放测试".encode())           # still being typed
        tap.ok(t.resize(30, 100) and "缩放测试" in t.text() and
               "2025-06-10" in t.text(),
               "growing the window keeps what was typed", t)
        tap.ok(t.resize(20, 60) and "太小" in t.text(),
               "a window below 80x24 gets a clear message", t)
        # Ignored while small: send() returns once kepu has read it, so it
        # cannot arrive after the window grows back and land in the title.
        t.send("x")
        tap.ok(t.resize(24, 80) and "新建培训" in t.text() and
               "缩放测试" in t.text(),
               "growing back restores the form and the typing", t)
        t.send("中" .encode())
        t.send(TAB * 3 + "4")
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "the form still saves", t)
        rows = w.records()
        tap.is_eq(len(rows), before + 1, "one record")
        tap.is_eq(rows[-1]["title"] if rows else None, "缩放测试中",
                  "with the text typed before and after the resizes")
    finally:
        t.close()


def test_resize_late(w):
    """A resize that reaches kepu while it is not waiting for a key (the
    pause after each handshake answer puts it there every time; a loaded
    machine did so now and then): the answer must name the new size only
    once the screen is laid out for it, or the screen is read too early."""
    t = Term(w.db, lang="zh", env={"KEPU_TEST_SYNC_PAUSE": "200"})
    try:
        t.home()
        t.send("1")
        tap.ok(t.wait_for("新建培训"), "paused handshake: the entry screen", t)
        t.send(TAB * 3)
        t.send("晚到的缩放".encode())
        tap.ok(t.resize(20, 60) and "太小" in t.text(),
               "paused handshake: shrinking shows the notice at once", t)
        tap.ok(t.resize(24, 80) and "新建培训" in t.text() and
               "晚到的缩放" in t.text(),
               "paused handshake: growing back shows the form at once", t)
        tap.ok(t.resize(30, 100) and "F2" in t.row(29),
               "paused handshake: the key bar is on the new last row", t)
        t.send(ESC)
        t.send("y")
        tap.ok(t.wait_for("首页"), "paused handshake: the typing is discarded", t)
    finally:
        t.close()


def test_monochrome(w, term):
    t = Term(w.db, lang="en", term=term)
    try:
        tap.ok(t.home("en") and "Indicator" in t.text(),
               "TERM=%s: the home screen is drawn" % term, t)
        colour = re.search(rb"\x1b\[[0-9;]*[34][0-9]m", t.log) is not None
        tap.ok(colour == (term != "vt100"),
               "TERM=%s: %s" % (term, "colour" if term != "vt100" else
                                "no colour sequences, attributes only"))
        t.send("1")
        tap.ok(t.wait_for("New Training"), "TERM=%s: the entry screen" % term, t)
        t.send(ESC)
        t.wait_for("Home")
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def test_idle(w):
    t = Term(w.db, lang="zh")
    try:
        t.home()
        t.send("1")
        tap.ok("新建培训" in t.text(), "the entry screen is drawn", t)
        n = t.pump(quiet=3.0, limit=3.5)
        tap.is_eq(n, 0, "nothing is sent while the clerk is idle (3 s)")
    finally:
        t.close()


def test_safe_text(w):
    rc, out, err = cli(w.db, "add", "training", "--set", "date=2025-06-20",
                       "--set", "category=other", "--set",
                       "title=第一行\n第二行\t制表", "--set", "participants=2")
    tap.is_eq(rc, 0, "a title with a line break and a tab is stored")
    t = Term(w.db, lang="zh")
    try:
        t.home()
        t.send("r")
        t.wait_for("修改人")
        line = [l for l in t.text().splitlines() if "第一行" in l]
        tap.ok(len(line) == 1 and "第二行" in line[0] and "↵" in line[0],
               "stored control characters are shown escaped, on one line", t)
        tap.ok(b"\xe7\xac\xac\xe4\xb8\x80\xe8\xa1\x8c\n" not in t.log and
               b"\t\xe5\x88\xb6" not in t.log,
               "the raw line feed and tab never reach the terminal")
    finally:
        t.close()


def test_c_locale(w):
    t = Term(w.db, lang="en", env={"LANG": "C", "LC_ALL": "C"})
    try:
        t.home("en")
        tap.ok("C.UTF-8" in t.text(), "the C locale falls back to C.UTF-8 "
               "and says so", t)
        t.send("1")
        t.wait_for("New Training")
        t.send(TAB * 3)
        t.send("晋江".encode())
        tap.ok("晋江" in t.text(), "Chinese typed in the C locale is not dropped", t)
    finally:
        t.close()


def test_gb18030(w):
    loc = gb_locale(w.dir)
    if not loc:
        tap.ok(True, "# SKIP no GB18030 locale can be built here")
        return
    env = {"LOCPATH": loc, "LANG": "zh_CN.GB18030", "LC_ALL": "zh_CN.GB18030"}
    t = Term(w.db, lang="zh", env=env)
    try:
        tap.ok(t.wait_log("首页".encode("gb18030")),
               "in a GB18030 locale the screen is written in GB18030")
        t.sync()                             # drafts are listed next
        if "草稿".encode("gb18030") in t.log:
            t.send(ESC)                      # left by an earlier test
        start = len(t.log)
        t.send("1")
        tap.ok("新建培训".encode("gb18030") in t.log[start:],
               "the entry screen opens")
        t.send("2025-06-11" + TAB + TAB + "worker" + ENTER)
        t.send("晋江鞋业工人培训".encode("gb18030"))
        t.send(TAB * 3 + "9")
        start = len(t.log)
        t.send(F[2])
        tap.ok("已保存".encode("gb18030") in t.log[start:], "it saves")
        rows = [r for r in w.records() if r["date"] == "2025-06-11"]
        tap.ok(rows and rows[0]["title"] == "晋江鞋业工人培训",
               "GB18030 input is stored as UTF-8")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_putty(w)
        test_resize(w)
        test_resize_late(w)
        test_monochrome(w, "vt100")
        test_monochrome(w, "linux")
        test_idle(w)
        test_safe_text(w)
        test_c_locale(w)
        test_gb18030(w)
    finally:
        w.cleanup()
    tap.done()


main()
