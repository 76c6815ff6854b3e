"""Entry: a training typed with a Chinese title and saved, then found by
`kepu list --csv`; "save and new"; invalid values refused with the message
on screen and nothing stored; relevance; date shortcuts; English once."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import (BTAB, ENTER, ESC, F, TAB, TIMEOUT, Tap, Term, Workdir,
                    ctrl)

tap = Tap()


def wait_count(w, n, timeout=TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if len(w.records()) == n:
            return True
        time.sleep(0.1)
    return False


def open_training(t, lang="zh"):
    t.home(lang)
    t.send("1")
    return t.wait_for("新建培训" if lang == "zh" else "New Training")


def test_complete_record(w):
    t = Term(w.db, lang="zh")
    try:
        tap.ok(open_training(t), "1 opens a new training", t)
        tap.ok("其中农民人次" not in t.text(),
               "farmers is not asked before the category says rural_tech", t)
        t.type("2025/3/5")
        t.send(TAB)
        tap.ok("2025-03-05" in t.text(), "2025/3/5 is shown as 2025-03-05", t)
        t.send(TAB)
        t.send("农村")                      # IME output: filters the pick list
        tap.ok(t.wait_for("农村实用技术培训"), "typing 农村 filters the pick list", t)
        t.send(ENTER)
        tap.ok(t.wait_for("其中农民人次"),
               "choosing rural_tech makes the farmers field appear", t)
        t.send("晋江茶叶种植培训".encode("utf-8"))
        t.send(TAB)
        t.send(F[4])
        t.send("科协")
        t.send(ENTER)
        t.type("村委会会议室")
        t.send(TAB)
        t.type("45")
        t.send(TAB)
        t.type("30")
        t.send(TAB)
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "F2 saves", t)
        tap.ok("农村实用技术培训 +45 → 45/129" in t.text(),
               "the quota impact is shown after saving", t)
        tap.ok(t.wait_for("首页"), "back on the home screen", t)
        rows = w.records()
        tap.is_eq(len(rows), 1, "one record stored")
        r = rows[0] if rows else {}
        tap.is_eq(r.get("title"), "晋江茶叶种植培训", "the Chinese title is stored")
        tap.is_eq((r.get("date"), r.get("category"), r.get("participants"),
                   r.get("farmers"), r.get("venue")),
                  ("2025-03-05", "rural_tech", "45", "30", "村委会会议室"),
                  "date, category, counts and venue are stored")
        tap.ok(r.get("organizer", "") != "", "the organizer chosen is stored")
        tap.ok("晋江茶叶种植培训" in t.text(), "the home screen lists it", t)
    finally:
        t.close()


def test_save_and_new(w):
    before = len(w.records())
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("2025-04-01")
        t.send(TAB * 2)
        t.send("teacher")
        t.send(ENTER)
        t.send("科学课教师培训".encode())
        t.send(TAB)
        t.send(F[4] + "教育局" + ENTER)
        t.type("实验小学")
        t.send(TAB)
        t.type("100")
        t.send(F[2])
        tap.ok(t.wait_for("仍然保存"), "an implausible count asks to confirm", t)
        tap.ok("数值偏大" in t.text(), "and says why", t)
        t.send("n")
        tap.ok(t.wait_for("没有保存"), "n does not save", t)
        tap.is_eq(len(w.records()), before, "nothing stored after n")
        t.send(ctrl("u"))
        t.type("6")
        t.send(TAB)
        t.send(F[3])
        tap.ok(t.wait_for("已保存"), "F3 saves", t)
        tap.ok("新建培训" in t.text(), "and stays on a new training form", t)
        screen = t.text()
        tap.ok("2025-04-01" in screen and "实验小学" in screen and
               "教育局" in screen,
               "date, organizer and venue are kept for the next sheet", t)
        tap.ok("科学课教师培训" not in screen, "the title is not kept", t)
        # The cursor waits on the first field not kept: the category.
        t.send("teacher" + ENTER)
        t.send("第二期教师培训".encode())
        t.send(TAB * 3)
        t.type("5")
        t.send(ctrl("s"))                    # ^S: save without F-keys
        tap.ok(wait_count(w, before + 2), "^S saves the second sheet", t)
        rows = w.records()
        tap.is_eq(len(rows) - before, 2, "two records stored")
        second = [r for r in rows if r["title"] == "第二期教师培训"]
        tap.ok(second and second[0]["date"] == "2025-04-01" and
               second[0]["venue"] == "实验小学",
               "the second record carries the kept date and venue")
    finally:
        t.close()


def test_invalid(w):
    before = len(w.records())
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("2025-02-30")
        t.send(TAB)
        tap.ok("!" in t.row(2), "an impossible date is marked as it is left", t)
        t.send(BTAB)
        t.send(ctrl("u"))
        t.type("2025-05-06")
        t.send(TAB * 2)
        t.send("农村" + ENTER)
        t.send("错误示例".encode())
        t.send(TAB * 3)
        t.type("10")
        t.send(TAB)
        t.type("50")
        t.send(TAB)
        tap.ok("农民人次不能超过参训人次" in t.text(),
               "the form's constraint message is shown on leaving the field", t)
        t.send(F[2])
        tap.ok(t.wait_for("处错误"), "saving is refused with the errors counted", t)
        tap.ok("没有保存" in t.text(), "the screen says nothing was saved", t)
        tap.is_eq(len(w.records()), before, "nothing was stored")
        # The cursor went to the bad field: fix it there and save.
        t.send(ctrl("u"))
        t.type("8")
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "after the fix the record saves", t)
        tap.is_eq(len(w.records()), before + 1, "and is stored")
    finally:
        t.close()


def test_relevance_and_dates(w):
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("3-5")
        t.send(TAB)
        tap.ok("2025-03-05" in t.text(), "3-5 is this year's 5 March", t)
        t.send(TAB)
        t.send("high" + ENTER)
        tap.ok(t.wait_for("取得证书人数") and "其中农民人次" not in t.text(),
               "high_skill asks for certified, not farmers", t)
        t.send(BTAB)                         # back to the category
        t.send("农村" + ENTER)
        tap.ok(t.wait_for("其中农民人次") and "取得证书人数" not in t.text(),
               "rural_tech asks for farmers, not certified", t)
        t.send(BTAB * 3)                     # title -> back to the date
        t.send(ctrl("u"))
        t.type("今天")
        t.send(TAB)
        tap.ok("2025-06-30" in t.text(), "今天 is today", t)
        t.send(BTAB + ctrl("u") + "20250301" + TAB)
        tap.ok("2025-03-01" in t.text(), "20250301 is read", t)
        t.send(BTAB + ctrl("u") + F[4])
        tap.ok("2025-06-30" in t.text(), "F4 on a date field fills in today", t)
        t.send(ESC)
        tap.ok(t.wait_for("放弃"), "cancelling a typed form asks first", t)
        t.send("y")
        tap.ok(t.wait_for("首页"), "and goes home", t)
    finally:
        t.close()


def test_english(w):
    t = Term(w.db, lang="en")
    try:
        tap.ok(open_training(t, "en"), "English: New Training", t)
        tap.ok("Participants" in t.text() and "F2/^S Save" in t.text(),
               "English labels and key bar", t)
        t.send(ESC)
        tap.ok(t.wait_for("Home"), "Esc on an untouched form goes home", t)
        t.send("q")
        status, _ = t.wait_exit()
        tap.is_eq(status, 0, "q quits with status 0")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_complete_record(w)
        test_save_and_new(w)
        test_invalid(w)
        test_relevance_and_dates(w)
        test_english(w)
    finally:
        w.cleanup()
    tap.done()


main()
