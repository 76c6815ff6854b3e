"""Entry: stored text longer than a screen row survives opening, tabbing
through and saving; a 60-cell title can be typed at 80 columns; ^U blanks a
choice on screen too; the save message keeps the id; the message line comes
back after the help; a required long label keeps its '*'; PgUp/PgDn turn
the pages of a long form."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import (ENTER, ESC, F, SRCDIR, TAB, Tap, Term, Workdir, cli,
                    cli_csv, ctrl)

tap = Tap()
PGDN, PGUP = "\x1b[6~", "\x1b[5~"
TITLE = "晋" * 30                    # 60 cells: the form's widest title
NOTES = "备注内容很长" * 10           # 60 characters, 120 cells


def show(db, rid):
    rc, out, err = cli(db, "show", rid)
    return dict(l.split(None, 1) for l in out.splitlines()
                if len(l.split(None, 1)) == 2)


def test_long_values_kept(w):
    rc, out, err = cli(w.db, "add", "training", "--set", "date=2025-05-02",
                       "--set", "category=worker", "--set", "title=" + TITLE,
                       "--set", "participants=3", "--set", "notes=" + NOTES)
    rid = out.strip()
    tap.is_eq(rc, 0, "a record with a 60-cell title and 120-cell notes is added")
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send("r")
        t.send(ENTER)
        tap.ok(t.wait_for("Edit Training"), "the record opens", t)
        for _ in range(12):          # every field, past the end and round
            t.send(TAB)
        t.send(F[2])
        tap.ok(t.wait_for("Saved"), "it saves", t)
        tap.ok(("Id " + rid) in t.text(), "the message names the id", t)
    finally:
        t.close()
    s = show(w.db, rid)
    tap.is_eq(s.get("Title"), TITLE, "kepu show: the title is whole")
    tap.is_eq(s.get("Notes"), NOTES, "kepu show: the notes are whole")
    rows = [r for r in w.records() if r["id"] == rid]
    tap.ok(rows and rows[0]["title"] == TITLE and rows[0]["notes"] == NOTES,
           "list --csv agrees")


def test_type_long_title(w):
    t = Term(w.db, lang="zh")
    try:
        t.home()
        t.send("1")
        t.wait_for("新建培训")
        t.type("2025-05-03")
        t.send(TAB * 2)
        t.send("worker" + ENTER)
        t.send(TITLE.encode())
        t.send(TAB * 3)
        t.type("7")
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "a 60-cell title typed at 80 columns saves", t)
        tap.ok("已保存。" in t.text() and "编号 " in t.text(),
               "the message names the id", t)
    finally:
        t.close()
    rows = [r for r in w.records() if r["date"] == "2025-05-03"]
    tap.ok(rows and rows[0]["title"] == TITLE, "and is stored whole")


def test_clear_choice_and_help(w):
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send("1")
        t.wait_for("New Training")
        t.type("2025-05-04")
        t.send(TAB * 2)
        t.send("worker" + ENTER)
        tap.ok("Workers" in t.row(4) or "worker" in t.row(4).lower(),
               "the category shows the choice", t)
        t.send("\x1b[Z")             # back to the category
        t.send(ctrl("u"))
        tap.ok("[" in t.row(4) and t.row(4).split("[")[1].split("]")[0].strip() == "",
               "^U blanks the choice on screen", t)
        t.send(F[2])
        tap.ok(t.wait_for("nothing was saved"), "saving says what is missing", t)
        msg = t.row(22)
        t.send(F[1])
        tap.ok(t.wait_for("Everywhere"), "F1 opens the help", t)
        t.send(ESC)
        t.wait_for("New Training")
        tap.is_eq(t.row(22), msg, "the error message is back after the help", t)
        t.send(ESC)
        t.send("y")
    finally:
        t.close()


def long_forms(tmp):
    """A copy of the forms with 1000-cell notes (a page of their own) and
    a required label too long for the label column."""
    dst = os.path.join(tmp, "forms")
    shutil.copytree(os.path.join(SRCDIR, "forms"), dst)
    p = os.path.join(dst, "training.csv")
    with open(p, encoding="utf-8-sig") as f:
        text = f.read()
    text = text.replace(",Notes,,,,200,", ",Notes,,,,1000,")
    text = text.replace("参训人次,Participants,yes",
                        "参训人次,Participants counted on the sign-in sheet,yes")
    with open(p, "w", encoding="utf-8-sig") as f:
        f.write(text)
    return dst


def test_pages_and_label():
    tmp = tempfile.mkdtemp(prefix="kepu-tui-")
    try:
        forms = long_forms(tmp)
        db = os.path.join(tmp, "t.kepu")
        env = {"KEPU_FORMS": forms}
        rc, out, err = cli(db, "init", "--township", "anhai", "--year", "2025",
                           env=env)
        tap.is_eq(rc, 0, "a database with the long forms" + err)
        t = Term(db, lang="en", env=env)
        try:
            t.home("en")
            t.send("1")
            tap.ok(t.wait_for("New Training  1/2"), "the form has two pages", t)
            row = [r for r in t.text().splitlines() if "Participants" in r]
            tap.ok(row and row[0].split("[")[0].rstrip().endswith("*"),
                   "a long required label is cut before its '*'", t)
            t.send(PGDN)
            tap.ok("New Training  2/2" in t.row(1) and "Notes" in t.text(),
                   "PgDn shows the next page", t)
            t.type("abc")
            t.send(PGUP)
            tap.ok("New Training  1/2" in t.row(1), "PgUp goes back", t)
            t.send(PGDN)
            tap.ok("abc" in t.text(), "what was typed on the page is kept", t)
        finally:
            t.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    w = Workdir()
    try:
        test_long_values_kept(w)
        test_type_long_title(w)
        test_clear_choice_and_help(w)
    finally:
        w.cleanup()
    test_pages_and_label()
    tap.done()


main()
