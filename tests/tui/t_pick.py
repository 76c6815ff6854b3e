"""The pick list of a choice field never swallows the sheet: with no match,
Tab and Enter leave it (nothing chosen, on to the next field) and F2
saves, and it says so.  An exact label, code or number wins; several
partial matches need the clerk to move to one."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import DOWN, ENTER, ESC, F, TAB, Tap, Term, Workdir

tap = Tap()


def field_text(t, label):
    for row in t.screen.display:
        if label in row and "[" in row:
            return row.split("[", 1)[1].rsplit("]", 1)[0].strip()
    return None


def test_no_match(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.send("1")
        t.wait_for("新建培训")
        t.type("2025-03-11")
        t.send(TAB * 2)
        t.send("茶叶".encode())               # meant for the title
        tap.ok("没有相符的选项" in t.text() and "Tab/回车 跳过本栏" in t.text(),
               "no match: the list says so and what to do", t)
        t.send(TAB)
        tap.ok("筛选" not in t.text(), "Tab leaves the list", t)
        tap.ok("没有与“茶叶”相符的选项" in t.text(), "the message says nothing was chosen", t)
        t.send("茶叶种植培训".encode())
        tap.is_eq(field_text(t, "培训名称"), "茶叶种植培训",
                  "what is typed next goes into the next field", t)
        tap.is_eq(field_text(t, "培训类别"), "", "the category is left empty", t)
        t.send("\x1b[Z")                      # back to the category
        t.send("科协".encode())               # no category matches
        t.send(ENTER)
        tap.ok("筛选" not in t.text() and field_text(t, "培训类别") == "",
               "Enter leaves the list too, nothing chosen", t)
        t.send("\x1b[Z")
        t.send("zz")
        t.send(F[2])
        tap.ok(t.wait_for("没有保存") and "培训类别" in t.text(),
               "F2 in a list with no match saves: the missing category is "
               "reported", t)
        t.send("农村" + ENTER)
        tap.ok(field_text(t, "培训类别") == "农村实用技术培训",
               "the category can then be chosen", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def test_exact_and_several(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.send("2")
        t.wait_for("新建科普活动")
        t.type("2025-03-12")
        t.send(TAB * 2)                       # the activity type
        t.send("科普日".encode() + ENTER.encode())
        tap.is_eq(field_text(t, "活动类型"), "科普日",
                  "an exact label wins over 全国科普日", t)
        t.send("\x1b[Z")
        t.send("科技".encode())
        t.send(ENTER)
        tap.ok("几项都相符" in t.text() and "筛选" in t.text(),
               "several partial matches: Enter waits for a choice", t)
        t.send(DOWN + ENTER)
        tap.is_eq(field_text(t, "活动类型"), "科技周",
                  "the one moved to is chosen", t)
        t.send("\x1b[Z")
        t.send("全国".encode() + ENTER.encode())
        tap.is_eq(field_text(t, "活动类型"), "全国科普日",
                  "a single partial match is taken", t)
        t.send("\x1b[Z")
        t.send("science_day" + ENTER)
        tap.is_eq(field_text(t, "活动类型"), "科普日", "so is an exact code", t)
        t.send("\x1b[Z")
        t.send("1" + ENTER)
        tap.is_eq(field_text(t, "活动类型"), "科技节",
                  "and an exact number (1, not 10-19)", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_no_match(w)
        test_exact_and_several(w)
    finally:
        w.cleanup()
    tap.done()


main()
