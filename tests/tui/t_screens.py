"""Screens: a first run creates every missing folder (and says why in one
language when it cannot); a city database refuses 1-9 and leaves it off the
key bar; the help's "everywhere" holds only keys valid everywhere; the
records bar keeps Esc; a resize during a prompt keeps what was typed."""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, F, Tap, Term, Workdir, cli

tap = Tap()


def test_first_run():
    tmp = tempfile.mkdtemp(prefix="kepu-tui-")
    try:
        db = os.path.join(tmp, ".local", "share", "kepu", "kepu.db")
        t = Term(db, lang="en")
        try:
            t.wait_for("Create it")
            t.send("shenhu" + ENTER, settle=False)
            tap.ok(t.wait_for("| Shenhu Town | 2025 |"),
                   "three missing folders are made and home opens", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        tap.ok(os.path.exists(db), "the database is there")
        open(os.path.join(tmp, "file"), "w").close()
        bad = os.path.join(tmp, "file", "kepu", "kepu.db")
        t = Term(bad, lang="zh")
        try:
            t.wait_for("建立？")
            t.send("shenhu" + ENTER, settle=False)
            t.wait_log("无法创建文件夹".encode())
            t.wait_log(b"\n", start=t.log.find("无法创建文件夹".encode()))
            status, _ = t.wait_exit()
            out = t.log.decode("utf-8", "replace")
            tap.ok(status != 0 and "无法创建文件夹" in out,
                   "a folder that cannot be made: kepu says so")
            msg = [l for l in out.splitlines() if "无法创建文件夹" in l]
            tap.ok(msg and not re.search(r"[a-z]{3,}", msg[0].split("：")[-1]),
                   "in Chinese only: %r" % (msg[:1],))
        finally:
            t.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_city():
    w = Workdir(township=None, quotas=False)
    try:
        t = Term(w.db, lang="en")
        try:
            tap.ok(t.home("en") and "City" in t.row(0) and
                   "Quit" in t.row(23) and "1-9" not in t.row(23),
                   "the city key bar has no 1-9", t)
            t.send("1")
            tap.ok("kepu add FORM --township" in t.row(22) and "Home" in t.row(0),
                   "1 in a city database points to kepu add", t)
        finally:
            t.close()
    finally:
        w.cleanup()


def test_help_and_bar(w):
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send(F[1])
        t.wait_for("Everywhere")
        rows = [t.row(y).rstrip() for y in range(1, 22)]
        start = [i for i, r in enumerate(rows) if r.strip() == "Everywhere"][0]
        end = [i for i, r in enumerate(rows) if r.strip() == "Home"][0]
        keys = " ".join(r.split()[0] for r in rows[start + 1:end] if r.strip())
        tap.ok(keys and not re.search(r"(^| )(k|j|-|Space|q|\?|Esc)( |$)", keys),
               "everywhere lists no key typed as text: %s" % keys, t)
        seen = t.text()
        for _ in range(8):
            t.send(" ")
            seen += t.text()
        tap.ok("Esc q F10 Left" in seen, "the Left binding is named", t)
        t.send(ESC)
        t.send("r")
        t.wait_for("Records")
        tap.ok("Esc" in t.row(23) and "Back" in t.row(23),
               "the records bar keeps Esc Back at 80 columns", t)
    finally:
        t.close()


def test_prompt_resize(w):
    cli(w.db, "add", "training", "--set", "date=2025-05-02", "--set",
        "category=worker", "--set", "title=苹果培训", "--set", "participants=3")
    cli(w.db, "add", "training", "--set", "date=2025-05-03", "--set",
        "category=worker", "--set", "title=香蕉培训", "--set", "participants=3")
    t = Term(w.db, lang="en")
    try:
        t.home("en")
        t.send("r")
        t.wait_for("Records")
        t.send("s")
        t.send("香蕉".encode())
        tap.ok(t.resize(30, 100), "resized during the prompt")
        tap.ok("香蕉" in t.row(28), "the typed text is shown again", t)
        t.send(ENTER)
        tap.ok("Records" in t.row(0) and "香蕉培训" in t.text() and
               "苹果培训" not in t.text(),
               "Enter filters with it (no record opened)", t)
    finally:
        t.close()


def main():
    test_first_run()
    test_city()
    w = Workdir()
    try:
        test_help_and_bar(w)
        test_prompt_resize(w)
    finally:
        w.cleanup()
    tap.done()


main()
