"""Evidence and history in the TUI: the record view lists a record's
attachments, attaches a scan uploaded into a folder (picked from a list,
newest first), refuses a file that is no evidence with the reason, takes
one off, and its history page shows who changed what, before and after."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import DOWN, ENTER, ESC, Tap, Term, Workdir, cli

tap = Tap()


def jpeg(path, n=4000):
    with open(path, "wb") as f:
        f.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(n))


def add_record(w):
    rc, out, err = cli(w.db, "add", "training", "--set", "date=2025-05-02",
                       "--set", "category=worker", "--set", "title=电工安全培训",
                       "--set", "participants=30")
    if rc != 0:
        raise RuntimeError(err)
    return out.strip().split()[-1]


def main():
    w = Workdir()
    up = os.path.join(w.dir, "uploads")       # where WinSCP put the files
    os.mkdir(up)
    try:
        rid = add_record(w)
        pdf = os.path.join(w.dir, "通知.pdf")
        with open(pdf, "wb") as f:
            f.write(b"%PDF-1.4\n" + os.urandom(2000))
        rc, out, err = cli(w.db, "attach", rid, pdf)
        tap.ok(rc == 0, "a notice attached on the command line")
        rc, out, err = cli(w.db, "edit", rid, "--set", "participants=32")
        tap.ok(rc == 0, "and the record edited")
        with open(os.path.join(up, "说明.txt"), "w") as f:
            f.write("not evidence\n")
        os.utime(os.path.join(up, "说明.txt"), (1700000000, 1700000000))
        jpeg(os.path.join(up, "签到表.jpg"))  # the newest: listed first

        t = Term(w.db, lang="zh", env={"HOME": up})
        try:
            t.home()
            t.send("r")
            tap.ok(t.wait_for("电工安全培训"), "the records list", t)
            t.send("v")
            tap.ok(t.wait_for(["记录详情", "附件（1 个）", "通知.pdf", "PDF 文档"]),
                   "v opens the record view: its attachment listed", t)
            tap.ok("参训人次" in t.text() and "32" in t.text(),
                   "with the record's fields", t)
            t.send("a")
            tap.ok(up in t.row(t.screen.lines - 2),
                   "a asks for the folder, offering the clerk's home", t)
            t.send(ENTER)
            tap.ok(t.wait_for(["签到表.jpg", "说明.txt"]),
                   "the folder's files are listed", t)
            rows = t.text().splitlines()
            first = [i for i, r in enumerate(rows) if "签到表.jpg" in r]
            second = [i for i, r in enumerate(rows) if "说明.txt" in r]
            tap.ok(first and second and first[0] < second[0],
                   "newest first: the scan just uploaded on top", t)
            t.send(DOWN + ENTER)
            tap.ok(t.wait_for("不是可以附上的文件"),
                   "a text file is refused with the reason", t)
            t.send("k" + ENTER)
            tap.ok(t.wait_for("已附上 签到表.jpg"), "Enter attaches the scan", t)
            tap.ok(t.wait_for(["附件（2 个）", "签到表.jpg", "JPEG 照片"]),
                   "the record view lists both attachments", t)
            rc, out, err = cli(w.db, "attachment", "list", rid)
            tap.ok(rc == 0 and "签到表.jpg\tjpg" in out,
                   "the attachment is stored", None)
            t.send("h")
            tap.ok(t.wait_for(["修改历史", "参训人次：30 → 32"]),
                   "h shows the history: the edit before and after", t)
            tap.ok("附件：（空） → 签到表.jpg" in t.text() and
                   "附件：（空） → 通知.pdf" in t.text(),
                   "and both attachments put on, each a change", t)
            tap.ok("附上附件" in t.text() and "新增" in t.text(),
                   "every change with what it was", t)
            tap.ok("培训类别：（空） → 劳动者培训" in t.text() and "→ worker" not in t.text(),
                   "a choice by its label, not its code", t)
            t.send("h")
            tap.ok(t.wait_for("附件（2 个）"), "h again: back to the record", t)
            t.send("x")
            tap.ok(t.wait_for("移除附件"), "x asks before taking one off", t)
            t.send("y")
            tap.ok(t.wait_for(["已移除", "附件（1 个）"]), "y takes it off", t)
            t.send(ESC)
            tap.ok(t.wait_for("表单："), "Esc: back to the records list", t)
            t.send("h")
            tap.ok(t.wait_for(["修改历史", "移除附件"]),
                   "h from the records list opens the history page", t)
            t.send(ESC)
            tap.ok(t.wait_for("表单："), "and Esc leaves it", t)
        finally:
            t.close()
    finally:
        w.cleanup()
    tap.done()


main()
