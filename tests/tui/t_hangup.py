"""A dropped link (the pty closes: SIGHUP) or SIGTERM in the middle of an
entry keeps the half-filled form as a draft, stores no record, and the next
start offers to restore it."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, F, TAB, TIMEOUT, Tap, Term, Workdir

tap = Tap()


def wait_pid(pid, timeout=TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    return None


def test_link_drop(w):
    t = Term(w.db, lang="zh")
    t.home()
    t.send("1")
    t.wait_for("新建培训")
    t.type("2025-05-20")
    t.send(TAB * 2)
    t.send("农村" + ENTER)
    t.send("断线测试培训".encode())      # still in the field when the link drops
    tap.ok("新建培训" in t.text() and "断线测试培训" in t.text(),
           "the title is being typed on the entry screen", t)
    pid = t.child.pid
    t.child.ptyproc.fileobj.close()      # what sshd does when the link dies
    t.child.ptyproc.closed = True
    status = wait_pid(pid)
    tap.ok(status is not None, "kepu exits when the terminal goes away")
    if status is not None:
        tap.ok(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + 1,
               "after saving the draft (exit status 129, not killed)")
    t.child.closed = True
    tap.is_eq(len(w.records()), 0, "nothing half-saved appears as a record")

    t = Term(w.db, lang="zh")
    try:
        tap.ok(t.wait_for("草稿"), "the next start offers the draft", t)
        tap.ok(t.wait_for("断线测试培训"), "naming it by its title", t)
        t.send("y")
        tap.ok(t.wait_for("（草稿）"), "y restores it into the entry screen", t)
        screen = t.text()
        tap.ok("2025-05-20" in screen and "农村实用技术培训" in screen and
               "断线测试培训" in screen and "其中农民人次" in screen,
               "with everything typed, the field being typed included", t)
        # The cursor waits on the first required field still empty.
        t.type("12")
        t.send(TAB)
        t.type("5")
        t.send(F[2])
        tap.ok(t.wait_for("已保存"), "the restored draft saves", t)
        rows = w.records()
        tap.ok(len(rows) == 1 and rows[0]["title"] == "断线测试培训",
               "as one record")
        t.send("q")
        t.wait_exit()
    finally:
        t.close()
    t = Term(w.db, lang="zh")
    try:
        home = t.wait_for("首页")
        # A draft question would be up once the handshake is answered.
        tap.ok(home and t.sync() is not None and "草稿" not in t.text(),
               "a saved draft is not offered again", t)
    finally:
        t.send("q")
        t.close()


def test_sigterm(w):
    t = Term(w.db, lang="en")
    t.home("en")
    t.send("2")
    t.wait_for("New Science activity")
    t.type("2025-06-01")
    t.send(TAB * 3)
    t.type("Robot day")
    tap.ok("New Science activity" in t.text() and "Robot day" in t.text(),
           "the title is being typed on the entry screen", t)
    t.child.kill(signal.SIGTERM)
    status, sig = t.wait_exit()
    tap.is_eq((status, sig), (128 + signal.SIGTERM, None),
              "SIGTERM: clean exit after keeping the draft")
    tap.is_eq(len(w.records("activity")), 0, "no activity stored")
    t = Term(w.db, lang="en")
    try:
        tap.ok(t.wait_for("draft") and t.sync() is not None
               and "Robot day" in t.text(),
               "the draft is offered", t)
        t.send("d")
        tap.ok("Discard this draft" in t.text() and "Robot day" in t.text(),
               "d asks first, naming the draft", t)
        t.send("y")
        tap.ok(t.wait_for("discarded"), "y discards it", t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()
    t = Term(w.db, lang="en")
    try:
        home = t.wait_for("Home")
        tap.ok(home and t.sync() is not None and "draft" not in t.text(),
               "a discarded draft is gone", t)
        t.send("q")
    finally:
        t.close()


def test_idle_untouched(w):
    """Quitting from home with SIGHUP leaves no draft at all."""
    t = Term(w.db, lang="en")
    first = t.home("en")
    t.child.kill(signal.SIGHUP)
    t.wait_exit()
    t = Term(w.db, lang="en")
    try:
        home = t.wait_for("Home")
        tap.ok(first and home and t.sync() is not None and
               "draft" not in t.text(), "no draft without an entry", t)
        t.send("q")
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_link_drop(w)
        test_sigterm(w)
        test_idle_untouched(w)
    finally:
        w.cleanup()
    tap.done()


main()
