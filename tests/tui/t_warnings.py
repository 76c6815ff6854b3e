"""Every message a clerk must read is read whole at 80x24, in Chinese: the
warnings before a save (a likely duplicate names the record it matches:
date, title, who entered it and when), the quota impact after it, the
errors of a refused save, the error beside a wide field, the list of
drafts.  Long messages wrap over several rows of the message area."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, F, TAB, Tap, Term, Workdir, cli

tap = Tap()


def flat(s):
    return re.sub(r"\s+", "", s)


def shows(t, text):
    """The text is on screen, maybe wrapped over several rows."""
    return flat(text) in flat("".join(r for r in t.screen.display))


def test_duplicate(w):
    cli(w.db, "add", "training", "--set", "date=2025-03-05", "--set",
        "category=worker", "--set", "title=电工安全培训", "--set", "participants=20")
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.new_training("2025-03-05", "worker")
        t.send("电工安全培训".encode())
        t.send(TAB * 3)
        t.type("18")
        t.send(F[2])
        tap.ok(t.wait_for("仍然保存"), "a likely duplicate asks first", t)
        tap.ok(shows(t, "有 1 条提醒："), "the warning is counted", t)
        tap.ok(shows(t, "可能重复：已有同日同名的记录 2025-03-05 电工安全培训"),
               "and shown, with the date and title of the record it matches", t)
        user = re.search(r"账号 (\S+)", t.row(0)).group(1)
        tap.ok(shows(t, "由 %s 于" % user) and "录入" in t.text(),
               "who entered it and when", t)
        t.send("n")
        tap.ok(t.wait_for("没有保存"), "n does not save", t)
        tap.is_eq(len([r for r in w.records() if r["title"] == "电工安全培训"]), 1,
                  "nothing stored")
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def test_impact_and_reasons(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.new_training("2025-04-15", "领导")
        t.send("领导干部科学素质专题培训".encode())
        t.send(TAB * 3)
        t.type("300")
        t.send(F[2])
        tap.ok(t.wait_for("仍然保存"), "a large count asks first", t)
        tap.ok(shows(t, "参训人次：数值偏大：这一条记录使“领导干部和公务员线上线下培训”"
                        "增加 300，超过本镇（街道）任务 450 的一半"),
               "the reason is shown whole, with its field", t)
        t.send("y")
        tap.ok(t.wait_for("已保存"), "y saves", t)
        tap.ok(shows(t, "领导干部和公务员线上线下培训 +300 → 300/450"),
               "the quota impact is shown whole", t)
        rid = [r for r in w.records() if r["date"] == "2025-04-15"][0]["id"]
        tap.ok(shows(t, "编号 " + rid), "and the id", t)
        t.send("j")                           # any key takes it away
        tap.ok("| 首页" in t.row(0) and not shows(t, "+300 → 300/450") and
               "最近录入" in t.text(), "a long message goes with the next key, "
               "and the home screen under it is whole again", t)
    finally:
        t.close()


def test_errors(w):
    t = Term(w.db, lang="zh")
    try:
        t.home("zh")
        t.send("1")
        t.wait_for("新建培训")
        t.type("2025-04-16")
        t.send(F[2])
        tap.ok(t.wait_for("没有保存"), "the save is refused", t)
        tap.ok(shows(t, "处错误，没有保存：") and shows(t, "培训名称：「培训名称」必须填写"),
               "every error is listed in full", t)
        title = [r for r in t.screen.display if "培训名称" in r and "[" in r][0]
        tap.ok("!「培训名称」必须填写" in title,
               "the error beside the wide title is not cut: %r" % title.rstrip(), t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def test_draft_list(w):
    t = Term(w.db, lang="zh")
    t.home("zh")
    t.new_training("2025-04-17", "worker")
    t.send("晋江市新时代文明实践中心科普志愿服务骨干能力提升培训班".encode())
    t.close()
    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("| 草稿") and t.sync() is not None, "the draft is listed", t)
        tap.ok(shows(t, "选一张按回车继续填，d 丢弃，Esc 以后再说。"),
               "what to do is said whole", t)
        tap.ok(shows(t, "晋江市新时代文明实践中心科普志愿服务骨干能力提升培训班"),
               "the draft's title is not cut", t)
        t.send("d")
        t.send("y")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_duplicate(w)
        test_impact_and_reasons(w)
        test_errors(w)
        test_draft_list(w)
    finally:
        w.cleanup()
    tap.done()


main()
