"""Editing inside a form field the way a clerk corrects a sheet: the keys
act on the field the cursor is shown in and nowhere else."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import BTAB, ENTER, F, TAB, Tap, Term, Workdir, ctrl

tap = Tap()
BACKSPACE = "\x7f"
END = "\x1b[F"


def open_training(t):
    t.home("zh")
    t.send("1")
    return t.wait_for("新建培训")


def test_backspace_at_field_start(w):
    """Backspace at the start of a field used to move the form to the
    previous field while the screen (and End, labels, checks) stayed on
    the current one: the next keys changed the wrong value.  A redraw
    (^L) then dropped what was typed in the current field and showed a
    NUL cell ("^@") on the second row of a wide-character title."""
    t = Term(w.db, lang="zh")
    try:
        tap.ok(open_training(t), "1 opens a new training", t)
        t.type("2025-03-05")
        t.send(TAB * 2)
        t.send("农村" + ENTER)
        t.send("茶叶种植培训".encode())
        t.send(TAB)                      # organizer
        t.send(TAB)                      # venue
        t.send("陈埭镇文化中心".encode())
        t.send(TAB)                      # participants
        t.type("12")
        t.send(TAB)                      # farmers
        t.type("3a")
        t.send(BTAB)                     # back to participants
        t.send(TAB)                      # farmers again
        t.send(ctrl("a") + BACKSPACE)    # nothing before the start: no-op
        t.send(END + BACKSPACE)          # drops the "a" of 3a
        screen = t.text()
        tap.ok("[12 " in screen, "the field before is left alone", t)
        tap.ok("[3 " in screen, "End and Backspace edit the current field",
               t)
        t.send(BTAB)                     # participants
        t.send(BTAB)                     # venue
        t.send(ctrl("a") + BACKSPACE + END)
        t.type("X")
        tap.ok("[陈埭镇文化中心X" in t.text(),
               "End after Backspace goes to the end of the CJK value", t)
        t.send(ctrl("l"))                # a redraw posts the form again
        screen = t.text()
        tap.ok("新建培训" in screen and "茶叶种植培训" in screen and
               "^@" not in screen,
               "no NUL cell shown after the wide title on a redraw", t)
        tap.ok("[陈埭镇文化中心X" in t.text(), "the redraw keeps the X", t)
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "the corrected sheet saves", t)
        rows = [r for r in w.records() if r["title"] == "茶叶种植培训"]
        r = rows[0] if rows else {}
        tap.is_eq((r.get("participants"), r.get("farmers"), r.get("venue")),
                  ("12", "3", "陈埭镇文化中心X"),
                  "the values stored are the ones on screen")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_backspace_at_field_start(w)
    finally:
        w.cleanup()
    tap.done()


main()
