"""The command line on a GB18030 terminal (PuTTY or Xshell set to GBK, a
zh_CN.GB18030 locale): what it prints there and its messages are GB18030,
text typed as an argument value is stored as UTF-8, and output redirected
to a file stays the data kepu writes (UTF-8)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pexpect
from tuilib import KEPU, Tap, Workdir, base_env, cli, gb_locale

tap = Tap()
TITLE = "晋江鞋业工人培训"


def on_pty(env, *args):
    """Run kepu on a pseudo-terminal; returns (status, bytes written)."""
    child = pexpect.spawn(KEPU, list(args), env=env, dimensions=(24, 80))
    out = b""
    while True:
        try:
            out += child.read_nonblocking(65536, timeout=30)
        except (pexpect.EOF, pexpect.TIMEOUT):
            break
    child.close()
    return child.exitstatus, out


def main():
    w = Workdir()
    try:
        loc = gb_locale(w.dir)
        if not loc:
            tap.skip_all("no GB18030 locale can be built here")
        env = base_env("zh", {"LOCPATH": loc, "LANG": "zh_CN.GB18030",
                              "LC_ALL": "zh_CN.GB18030"})
        st, out = on_pty(env, "--db", w.db, "report")
        tap.ok(st == 0 and "指标".encode("gb18030") in out,
               "report on the terminal is written in GB18030")
        tap.ok("指标".encode("utf-8") not in out, "not in UTF-8 (mojibake there)")
        # An argument typed in GB18030: stored as UTF-8.
        title = TITLE.encode("gb18030")
        st, out = on_pty(env, "--db", w.db, "add", "training", "--set",
                         "date=2025-03-05", "--set", "category=worker",
                         "--set", "title=" + os.fsdecode(title),
                         "--set", "participants=9")
        rows = w.records()
        tap.ok(st == 0 and rows and rows[0]["title"] == TITLE,
               "a title typed in GB18030 is stored as UTF-8: %r" %
               (rows[0]["title"] if rows else None))
        st, out = on_pty(env, "--db", w.db, "list", "--text",
                         os.fsdecode(TITLE[:2].encode("gb18030")))
        tap.ok(st == 0 and title in out, "list --text finds it and shows it in GB18030")
        # A message on stderr.
        st, out = on_pty(env, "--db", w.db, "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
        tap.ok(st == 66 and "没有".encode("gb18030") in out,
               "an error message is in GB18030 too: %r" % out[:60])
        # Redirected: data, as kepu writes it.
        p = subprocess.run([KEPU, "--db", w.db, "list", "training", "--csv"],
                           env=env, capture_output=True)
        tap.ok(p.returncode == 0 and TITLE.encode("utf-8") in p.stdout,
               "CSV redirected to a file stays UTF-8")
        p = subprocess.run([KEPU, "--db", w.db, "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
                           env=env, capture_output=True)
        tap.ok("没有".encode("gb18030") in p.stderr,
               "messages on a redirected stderr are GB18030: the terminal's")
        # And nothing changes in a UTF-8 locale.
        rc, out, _ = cli(w.db, "report", lang="zh")
        tap.ok(rc == 0 and "指标" in out, "in a UTF-8 locale report is UTF-8")
    finally:
        w.cleanup()
    tap.done()


main()
