"""What is typed in a field is what is shown and what is stored, whatever
happens on the way: the help opened and closed over the field being typed,
the link dropped while the help is up, a title typed to its limit at 80x24,
an error shown after a save, End and Backspace on a title of two rows.  The
field's editing keys come from the key table, so the help lists them."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import BTAB, ENTER, ESC, F, TAB, Tap, Term, Workdir, cli, ctrl

tap = Tap()
END = "\x1b[F"
BACKSPACE = "\x7f"
# 30 Chinese characters: 60 cells, the title's limit.
TITLE = "晋江市农村实用技术培训班茶叶种植与加工技术专题讲座第一期学员"


def field_text(t, label):
    """The text inside the brackets of the field labelled `label`, its
    rows joined (a long text takes several rows)."""
    rows = t.screen.display
    for y, row in enumerate(rows):
        if label in row and "[" in row:
            parts = [row.split("[", 1)[1].rsplit("]", 1)[0].rstrip()]
            for nxt in rows[y + 1:]:
                if nxt.strip().startswith("[") and nxt[:nxt.index("[")].strip() == "":
                    parts.append(nxt.split("[", 1)[1].rsplit("]", 1)[0].rstrip())
                else:
                    break
            return "".join(parts)
    return None


def open_training(t):
    t.home("zh")
    t.send("1")
    return t.wait_for("新建培训")


def test_help_keeps_field(w):
    rc, out, _ = cli(w.db, "add", "training", "--set", "date=2025-03-05",
                     "--set", "category=worker", "--set", "title=茶叶种植培训",
                     "--set", "participants=12")
    rid = out.strip()
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.send("r")
        t.wait_for("| 记录")
        t.send(ENTER)
        tap.ok(t.wait_for("修改培训"), "the stored record opens", t)
        t.send(TAB * 3)                       # the title
        t.send(END + "班")                    # one character appended
        tap.is_eq(field_text(t, "培训名称"), "茶叶种植培训班",
                  "one character appended to the title", t)
        t.send(F[1])
        tap.ok(t.wait_for("| 帮助"), "F1 opens the help over the field", t)
        t.send(ESC)
        t.wait_for("修改培训")
        tap.is_eq(field_text(t, "培训名称"), "茶叶种植培训班",
                  "after the help the title is still as typed", t)
        t.send(ctrl("g"))                     # ^G: help again, then back
        t.send(ESC)
        t.type("二")
        tap.is_eq(field_text(t, "培训名称"), "茶叶种植培训班二",
                  "typing goes on at the end after ^G and Esc", t)
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "it saves", t)
    finally:
        t.close()
    rows = [r for r in w.records() if r["id"] == rid]
    tap.ok(rows and rows[0]["title"] == "茶叶种植培训班二",
           "the stored title is the one typed: %r" % (rows[0]["title"] if rows else None))


def test_hangup_under_help(w):
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("2025-04-08")
        t.send(TAB * 2)
        t.send("worker" + ENTER)
        t.send("电工培训".encode() + TAB.encode())
        t.send(TAB)                           # past the organizer
        t.send("村委会会议室".encode())        # the venue, still being typed
        t.send(F[1])
        tap.ok(t.wait_for("浏览、筛选、修改、删除记录"), "the help is on screen", t)
    finally:
        t.close()                             # the link drops under the help
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 草稿"), "the next start lists the draft", t)
        t.send(ENTER)
        tap.ok(t.wait_for("（草稿）"), "it opens", t)
        tap.is_eq(field_text(t, "地点"), "村委会会议室",
                  "the venue typed is kept, not the help's text", t)
        tap.ok("浏览、筛选" not in t.text(), "no help text in any field", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def test_title_limit(w):
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("2025-05-06")
        t.send(TAB * 2)
        t.send("worker" + ENTER)
        t.send(TITLE.encode())
        tap.is_eq(field_text(t, "培训名称"), TITLE,
                  "a 60-cell title is shown whole at 80 columns", t)
        t.send("期".encode())
        tap.ok("已经满了" in t.text() and field_text(t, "培训名称") == TITLE,
               "a 31st character is refused, and the screen says why", t)
        t.send(F[2])                          # participants missing: an error
        tap.ok(t.wait_for("没有保存"), "the save is refused", t)
        tap.is_eq(field_text(t, "培训名称"), TITLE,
                  "after the error both rows of the title still show it", t)
        t.send("\x1b[Z" * 3)                  # back up to the title
        t.send(END + BACKSPACE)
        tap.is_eq(field_text(t, "培训名称"), TITLE[:-1],
                  "End and Backspace take the last character", t)
        t.send(TAB * 3)
        t.type("9")
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "it saves", t)
    finally:
        t.close()
    rows = [r for r in w.records() if r["date"] == "2025-05-06"]
    tap.ok(rows and rows[0]["title"] == TITLE[:-1],
           "what is stored is what was shown: %r" % (rows[0]["title"] if rows else None))


def test_keys_in_help(w):
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.send(F[1])
        t.wait_for("| 帮助")
        seen = t.text()
        for _ in range(5):
            t.send(" ")
            seen += t.text()
        tap.ok("^K" in seen and "删除光标到本栏末尾" in seen,
               "the help lists ^K from the key table", t)
        tap.ok("Home ^A" in seen and "End ^E" in seen and "Backspace" in seen,
               "and Home/^A, End/^E, Backspace", t)
        t.send(ESC)
        t.type("2025-05-07")
        t.send(ctrl("a") + ctrl("k"))
        tap.is_eq(field_text(t, "日期"), "", "^A then ^K empties the field", t)
        t.send(ESC)
    finally:
        t.close()


def test_error_said_on_leaving(w):
    """A date after today was marked "!" beside the field while the row
    under the form went on to the next field's hint: the clerk learnt why
    only at F2 or by going back.  The reason is said as the field is left,
    until the next key."""
    t = Term(w.db, lang="zh")
    try:
        open_training(t)
        t.type("2025-07-15")                  # today is 2025-06-30
        t.send(TAB)
        tap.ok(t.wait_for("! 日期:") and "在今天（2025-06-30）之后" in t.text(),
               "leaving the date says why it is wrong", t)
        tap.ok("[2025-07-15" in t.row(2) and "!" in t.row(2),
               "and the mark stays beside it", t)
        t.send(ctrl("a"))                     # a key in the end date
        tap.ok(t.wait_for("多日活动填写最后一天") and "! 日期" not in t.text(),
               "the next key gives the row back to the field typed in", t)
        t.send(BTAB)
        tap.ok(t.wait_for("! 日期:"), "back on the date, its reason again", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_help_keeps_field(w)
        test_hangup_under_help(w)
        test_title_limit(w)
        test_keys_in_help(w)
        test_error_said_on_leaving(w)
    finally:
        w.cleanup()
    tap.done()


main()
