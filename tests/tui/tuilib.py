"""tuilib - drive the real kepu binary on a pseudo-terminal and read its screen.

kepu runs under pexpect on a pty of a fixed size; everything it writes is fed
to a pyte screen (wide characters included), so a test types keys the way a
clerk does and reads back the screen as text.  Results are printed as TAP.
Run with /usr/bin/python3 (Debian's python3-pexpect and python3-pyte).
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect
import pyte

KEPU = os.environ.get("KEPU") or os.path.join(
    os.environ.get("KEPU_BUILDDIR", "."), "kepu")
TODAY = "2025-06-30"

# Keys as an xterm in keypad mode sends them (what curses expects).
TAB, ENTER, ESC, BTAB = "\t", "\r", "\x1b", "\x1b[Z"
UP, DOWN, LEFT, RIGHT = "\x1bOA", "\x1bOB", "\x1bOD", "\x1bOC"
F = {1: "\x1bOP", 2: "\x1bOQ", 3: "\x1bOR", 4: "\x1bOS", 10: "\x1b[21~"}
# PuTTY with TERM=xterm: F1-F4, Home and End the xterm entry lacks.
PUTTY_F = {1: "\x1b[11~", 2: "\x1b[12~", 3: "\x1b[13~", 4: "\x1b[14~"}
PUTTY_HOME, PUTTY_END = "\x1b[1~", "\x1b[4~"


def ctrl(c):
    return chr(ord(c.lower()) & 0x1f)


class Tap:
    """TAP output; the plan is printed at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, term=None):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name))
        if not cond and term is not None:
            for line in term.dump().splitlines():
                print("#   |" + line)
        sys.stdout.flush()
        return cond

    def is_eq(self, got, want, name, term=None):
        good = self.ok(got == want, name, term)
        if not good:
            print("#   got  %r\n#   want %r" % (got, want))
        return good

    def diag(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)

    def skip_all(self, why):
        print("1..0 # SKIP " + why)
        sys.exit(0)

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def base_env(lang="en", extra=None):
    env = dict(os.environ)
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", KEPU_LANG=lang,
               KEPU_TODAY=TODAY)
    for k in ("COLUMNS", "LINES", "KEPU_DB", "NO_COLOR"):
        env.pop(k, None)
    if extra:
        env.update(extra)
    return env


def cli(db, *args, lang="en", stdin=None, env=None):
    """Run a kepu command; returns (exit code, stdout, stderr)."""
    p = subprocess.run([KEPU, "--db", db] + list(args), input=stdin,
                       capture_output=True, text=True, env=base_env(lang, env))
    return p.returncode, p.stdout, p.stderr


def cli_csv(db, *args):
    rc, out, err = cli(db, *args)
    if rc != 0:
        raise RuntimeError("kepu %s: %s" % (" ".join(args), err))
    return list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))


SRCDIR = os.environ.get("KEPU_SRCDIR") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
QUOTAS = os.path.join(SRCDIR, "forms", "quotas-2025-example.csv")


class Workdir:
    """A temporary folder with a fresh township database in it (with the
    example quotas), or a city database (township=None)."""

    def __init__(self, township="anhai", year=2025, quotas=True):
        self.dir = tempfile.mkdtemp(prefix="kepu-tui-")
        self.db = os.path.join(self.dir, "t.kepu")
        where = ["--township", township] if township else ["--city"]
        rc, out, err = cli(self.db, "init", *where, "--year", str(year))
        if rc != 0:
            raise RuntimeError("kepu init failed: " + err)
        if quotas:
            rc, out, err = cli(self.db, "quota", "import", QUOTAS)
            if rc != 0:
                raise RuntimeError("kepu quota import failed: " + err)

    def records(self, form="training"):
        return cli_csv(self.db, "list", form, "--csv")

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Term:
    """kepu on a pty of rows x cols, rendered by pyte."""

    def __init__(self, db, rows=24, cols=80, lang="en", term="xterm",
                 env=None, args=()):
        e = base_env(lang, env)
        e["TERM"] = term
        self.child = pexpect.spawn(KEPU, ["--db", db] + list(args), env=e,
                                   dimensions=(rows, cols))
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes = 0
        self.log = b""

    def pump(self, quiet=0.15, limit=5.0):
        """Read until the program has been quiet for `quiet` seconds;
        returns the number of bytes read."""
        got = 0
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                data = self.child.read_nonblocking(65536, timeout=quiet)
            except pexpect.TIMEOUT:
                break
            except pexpect.EOF:
                break
            got += len(data)
            self.log += data
            self.stream.feed(data)
        self.bytes += got
        return got

    def text(self):
        return "\n".join(self.screen.display)

    def dump(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def row(self, y):
        return self.screen.display[y]

    def wait_for(self, what, timeout=5.0):
        """Pump until `what` (a string) is on the screen."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if what in self.text():
                return True
            self.pump(quiet=0.05, limit=0.2)
        return what in self.text()

    def send(self, keys, settle=True):
        if isinstance(keys, str):
            keys = keys.encode("utf-8")
        self.child.send(keys)
        if settle:
            return self.pump()
        return 0

    def type(self, keys):
        """Send a string one character at a time, as a person types."""
        total = 0
        for ch in keys:
            total += self.send(ch)
        return total

    def resize(self, rows, cols):
        self.child.setwinsize(rows, cols)
        self.screen.resize(rows, cols)
        self.pump()

    def home(self, lang="zh"):
        """Wait for the home screen, discarding a draft left by an earlier
        test that ended in the middle of an entry."""
        ok = self.wait_for("首页" if lang == "zh" else "Home")
        if "草稿" in self.row(self.screen.lines - 2) or \
                "draft" in self.row(self.screen.lines - 2):
            self.send("d")
        return ok

    def alive(self):
        return self.child.isalive()

    def wait_exit(self, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(quiet=0.05, limit=0.1)
            if not self.child.isalive():
                break
        self.child.close(force=not self.child.isalive())
        return self.child.exitstatus, self.child.signalstatus

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)
