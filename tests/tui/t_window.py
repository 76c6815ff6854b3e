"""The window: keys pressed while it is too small do nothing, and the
clerk is told so (never silently); colours are sent (the lagging status is
red, the title bar blue, as the guide says), not only bold; ^L on the home
screen reads the database again; a tall window lists as many recent
records as fit."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, TAB, Tap, Term, Workdir, cli, ctrl

tap = Tap()


def add(w, n, title):
    rc, out, err = cli(w.db, "add", "training", "--set", "date=2025-03-%02d" % n,
                       "--set", "category=worker", "--set", "title=" + title,
                       "--set", "participants=3")
    if rc != 0:
        raise RuntimeError(err)


def test_small_keys(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.new_training("2025-03-05", "worker")
        t.send("茶".encode())
        tap.ok(t.resize(20, 70), "the window shrinks", t)
        t.send("叶".encode())
        t.send("X")
        tap.ok("已忽略 2 个" in t.text(), "the notice counts the keys ignored", t)
        tap.ok(t.resize(24, 80), "and grows again", t)
        tap.ok("窗口太小时按的 2 个键没有生效" in t.text(),
               "the clerk is told the keys did nothing", t)
        title = [r for r in t.screen.display if "培训名称" in r][0]
        tap.ok("[茶 " in title, "and the title holds what was typed before", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def test_colours(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        behind = []
        for y in range(t.screen.lines):
            for x in range(t.screen.columns):
                c = t.screen.buffer[y][x]
                if c.data == "落":
                    behind.append(c)
        tap.ok(behind and all(c.fg == "red" for c in behind),
               "the lagging status is red: %r" % [c.fg for c in behind], t)
        title = t.screen.buffer[0][2]
        tap.ok(title.bg == "blue" and title.fg == "white",
               "the title bar is white on blue (%s on %s)" % (title.fg, title.bg), t)
        bar = t.screen.buffer[t.screen.lines - 1][0]
        tap.ok(bar.fg == "cyan", "the key bar is cyan (%s)" % bar.fg, t)
    finally:
        t.close()
    t = Term(w.db, lang="zh", env={"NO_COLOR": "1"})
    try:
        t.home("zh")
        cells = [t.screen.buffer[y][x] for y in range(t.screen.lines)
                 for x in range(t.screen.columns)
                 if t.screen.buffer[y][x].data == "落"]
        tap.ok(cells and all(c.fg == "default" and c.reverse for c in cells),
               "NO_COLOR: no colour, the status in reverse video", t)
    finally:
        t.close()


def test_reload_and_tall(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        add(w, 9, "另一位文书录的培训")
        t.send(ctrl("l"))
        tap.ok("另一位文书录的培训" in t.text(),
               "^L on home shows a record another clerk just stored", t)
    finally:
        t.close()
    for i in range(20):
        add(w, 10 + i % 15, "批量培训%02d" % i)
    t = Term(w.db, lang="zh", rows=43, cols=132)
    try:
        t.home("zh")
        n = sum("批量培训" in r for r in t.screen.display)
        tap.is_eq(n, 20, "at 132x43 home lists every recent record that fits", t)
        tap.ok(t.resize(24, 80), "back to 80x24", t)
        n = sum("培训" in r and "2025-" in r for r in t.screen.display)
        tap.ok(0 < n <= 8 and "F1/^G 帮助" in t.row(23),
               "which lists what fits there (%d)" % n, t)
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_small_keys(w)
        test_colours(w)
        test_reload_and_tall(w)
    finally:
        w.cleanup()
    tap.done()


main()
