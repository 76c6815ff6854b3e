"""A batch of sign-in sheets of one event over a slow link: F5 (^T) marks
the category and the title to be kept, F3 (^N) saves and goes straight to
the next sheet of the same form with every marked field kept, the cursor
on the first field left to type; sheets of the same event are not asked
about as duplicates of each other; and a sheet costs a few hundred bytes
on the link, not a repaint of home and of the form."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, TAB, Tap, Term, Workdir, ctrl

tap = Tap()
TITLE = "晋江茶叶种植技术培训"


def field_text(t, label):
    for row in t.screen.display:
        if label in row and "[" in row:
            return row.split("[", 1)[1].rsplit("]", 1)[0].strip()
    return None


def test_batch(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.new_training("2025-03-05", "农村")
        t.send("\x1b[Z")                      # back to the category
        t.send(ctrl("t"))
        tap.ok([r for r in t.screen.display if "培训类别" in r][0].startswith("="),
               "^T marks the category with =", t)
        t.send(TAB)
        t.send(TITLE.encode())
        t.send(ctrl("t"))
        t.send(TAB)
        t.send("科协" + ENTER)
        t.send("村委会会议室".encode())
        t.send(TAB)
        t.type("40")
        t.send(TAB)
        t.type("20")
        t.send(ctrl("n"))
        tap.ok(t.wait_for("已保存第 1 张"), "^N saves the first sheet", t)
        tap.ok("新建培训  第 2 张" in t.text(), "and opens the second at once", t)
        tap.is_eq((field_text(t, "日期"), field_text(t, "培训类别"),
                   field_text(t, "培训名称"), field_text(t, "地点")),
                  ("2025-03-05", "农村实用技术培训", TITLE, "村委会会议室"),
                  "date, category, title and venue are kept", t)
        costs = []
        for n in range(2, 11):
            before = t.bytes
            t.type(str(40 + n))
            t.send(TAB)
            t.type(str(20 + n))
            t.send(ctrl("n"))
            costs.append(t.bytes - before)
            if not t.wait_for("已保存第 %d 张" % n):
                break
        tap.is_eq(len(costs), 9, "nine more sheets, each saved without a question", t)
        tap.ok(len(costs) == 9 and "仍然保存" not in t.text(),
               "no duplicate warning between sheets of one event", t)
        tap.diag("bytes per sheet after the first: %s" % costs)
        tap.ok(len(costs) == 9 and max(costs) < 900,
               "each sheet costs under 900 bytes on the link (max %d)" %
               (max(costs) if costs else -1))
        t.send("\x1b")                        # the 11th, blank: leave it
        t.wait_for("| 首页")
    finally:
        t.close()
    rows = [r for r in w.records() if r["title"] == TITLE]
    tap.is_eq(len(rows), 10, "ten records stored")
    tap.is_eq(sorted(int(r["participants"]) for r in rows), [40] + list(range(42, 51)),
              "each with its own count")
    tap.ok(rows and all(r["category"] == "rural_tech" and r["date"] == "2025-03-05"
                        and r["venue"] == "村委会会议室" for r in rows),
           "and the kept fields")


def test_duplicate_outside_batch(w):
    """A sheet of another sitting with the same date and title is still
    asked about."""
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.new_training("2025-03-05", "农村")
        t.send(TITLE.encode())
        t.send(TAB * 3)
        t.type("5")
        t.send(TAB)
        t.type("1")
        t.send(ctrl("s"))
        tap.ok(t.wait_for("仍然保存") and "可能重复" in t.text(),
               "a new sitting is warned of the earlier sheets", t)
        t.send("n")
        t.send("\x1b")
        t.send("y")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_batch(w)
        test_duplicate_outside_batch(w)
    finally:
        w.cleanup()
    tap.done()


main()
