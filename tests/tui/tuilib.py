"""tuilib - drive the real kepu binary on a pseudo-terminal and read its screen.

kepu runs under pexpect on a pty of a fixed size; everything it writes is fed
to a pyte screen (wide characters included), so a test types keys the way a
clerk does and reads back the screen as text.  Results are printed as TAP.
Run with /usr/bin/python3 (Debian's python3-pexpect and python3-pyte).

No test waits a fixed time: Term.send() returns once kepu has handled the
keys and painted the result (the ^] handshake below), resize() once the
screen is laid out for the new size, wait_for() reads until the text is
there, and every wait gives up only after TIMEOUT seconds, long enough for
a loaded 2-core machine running kepu under AddressSanitizer.
"""
import csv
import io
import os
import re
import shutil
import signal
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


def gb_locale(tmp):
    """A zh_CN.GB18030 locale built in tmp (Debian's `locales` ships the
    sources, not the compiled locale); its LOCPATH, or None when it cannot
    be built here."""
    if not shutil.which("localedef") or \
            not os.path.exists("/usr/share/i18n/locales/zh_CN"):
        return None
    path = os.path.join(tmp, "loc")
    os.makedirs(path, exist_ok=True)
    subprocess.run(["localedef", "-i", "zh_CN", "-f", "GB18030",
                    os.path.join(path, "zh_CN.GB18030")], capture_output=True)
    if not os.path.exists(os.path.join(path, "zh_CN.GB18030")):
        return None
    return path


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


# With $KEPU_TEST_SYNC set, kepu answers ^] (never a key then) with this
# string once every key sent before it was handled and painted; it names the
# size the screen was laid out for (which may lag behind the size curses has
# already taken from a SIGWINCH).  Tests wait for the answer, never for a
# quiet moment, so a loaded machine (or AddressSanitizer) only makes them
# slower.  The answer is taken out of the output before pyte sees it and
# before bytes are counted.
SYNC_KEY = b"\x1d"
SYNC_RE = re.compile(rb"\x1b_kepu-sync (\d+)x(\d+)\x1b\\")
SYNC_PART = re.compile(rb"\x1b(_(k(e(p(u(-(s(y(n(c( [0-9x]*\x1b?)?)?)?)?)?)?)?)?)?)?)?$")
# How long to wait for kepu before a test fails: generous, since nothing
# passes by waiting and a slow machine only makes waits longer.
TIMEOUT = float(os.environ.get("KEPU_TEST_TIMEOUT", "60"))


class Screen(pyte.Screen):
    """pyte's screen with what ncurses also sends to an xterm: scrolling
    a region up or down (CSI S / CSI T) and repeating a character
    (CSI b)."""

    last = " "

    def draw(self, data):
        if data:
            self.last = data[-1]
        super().draw(data)

    def scroll_up(self, count=None, *args, **kwargs):
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        y, x = self.cursor.y, self.cursor.x
        for _ in range(count or 1):
            self.cursor.y = bottom
            self.index()
        self.cursor.y, self.cursor.x = y, x

    def scroll_down(self, count=None, *args, **kwargs):
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        y, x = self.cursor.y, self.cursor.x
        for _ in range(count or 1):
            self.cursor.y = top
            self.reverse_index()
        self.cursor.y, self.cursor.x = y, x

    def repeat_last(self, count=None, *args, **kwargs):
        self.draw(self.last * (count or 1))


class Stream(pyte.ByteStream):
    csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down",
               b="repeat_last")


class Term:
    """kepu on a pty of rows x cols, rendered by pyte.

    send() returns once kepu has handled the keys and everything it wrote
    in answer has been read (see SYNC_KEY), so the screen can be read at
    once; wait_for() is for what comes later by itself."""

    def __init__(self, db, rows=24, cols=80, lang="en", term="xterm",
                 env=None, args=()):
        e = base_env(lang, env)
        e["TERM"] = term
        e["KEPU_TEST_SYNC"] = "1"
        self.child = pexpect.spawn(KEPU, ["--db", db] + list(args), env=e,
                                   dimensions=(rows, cols))
        self.screen = Screen(cols, rows)
        self.stream = Stream(self.screen)
        self.bytes = 0
        self.log = b""
        self.carry = b""
        self.syncs = 0          # answers expected
        self.synced = 0         # answers read
        self.laid_out = None    # (rows, cols) of the last answer

    def _feed(self, data):
        """Output without the sync answers: logged, counted, drawn."""
        buf = self.carry + data
        out = b""
        while True:
            m = SYNC_RE.search(buf)
            if not m:
                break
            out += buf[:m.start()]
            self.synced += 1
            self.laid_out = (int(m.group(2)), int(m.group(1)))
            buf = buf[m.end():]
        part = SYNC_PART.search(buf[-40:])
        keep = len(part.group(0)) if part else 0
        self.carry = buf[len(buf) - keep:] if keep else b""
        out += buf[:len(buf) - keep]
        self.log += out
        self.stream.feed(out)
        return len(out)

    def _read(self, timeout):
        """One read; the number of bytes drawn, or None at end of file."""
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return 0
        except pexpect.EOF:
            return None
        return self._feed(data)

    def pump(self, quiet=0.15, limit=5.0):
        """Read until the program has been quiet for `quiet` seconds;
        returns the number of bytes read.  Only for measuring silence:
        to wait for kepu use sync() or wait_for()."""
        got = 0
        end = time.monotonic() + limit
        while time.monotonic() < end:
            n = self._read(quiet)
            if not n:
                break
            got += n
        self.bytes += got
        return got

    def sync(self, timeout=TIMEOUT):
        """Wait until kepu has handled every key sent so far and its answer
        is drawn; returns the bytes read, or None when kepu is gone or
        did not answer within `timeout` seconds."""
        try:
            self.child.send(SYNC_KEY)
        except OSError:
            return None
        self.syncs += 1
        got = 0
        end = time.monotonic() + timeout
        while self.synced < self.syncs and time.monotonic() < end:
            n = self._read(0.5)
            if n is None:
                self.syncs = self.synced
                return None
            got += n
        self.bytes += got
        if self.synced < self.syncs:
            self.syncs = self.synced
            return None
        return got

    def text(self):
        return "\n".join(self.screen.display)

    def dump(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def row(self, y):
        return self.screen.display[y]

    def new_training(self, date, category):
        """From home: 1, the date typed, the category picked by what is
        typed into its list; the cursor is then on the title."""
        self.send("1")
        self.wait_for("新建培训")
        self.type(date)
        self.send(TAB * 2)
        self.send(category + ENTER)

    def message(self):
        """The message over the key bar as one line: a long one wraps
        upwards over several rows (a space is lost at an English break,
        nothing at a Chinese one)."""
        rows = [r.strip() for r in self.screen.display[-6:-1]]
        out = ""
        for r in rows:
            if not r:
                out = ""
                continue
            wide = out and (ord(out[-1]) > 0x2e7f or ord(r[0]) > 0x2e7f)
            out += ("" if not out or wide else " ") + r
        return out

    def wait_for(self, what, timeout=TIMEOUT, settle=True):
        """Read until `what` (a string, or a list of strings that must all
        be there) is on the screen; then, unless settle is False, until
        kepu has painted the rest of that screen too (a sync), so that
        what the test reads next is not half drawn.  Only once kepu has
        answered a sync: before its screen starts (a plain prompt) the
        handshake key would be typed into the prompt."""
        want = [what] if isinstance(what, str) else list(what)
        end = time.monotonic() + timeout
        while not all(w in self.text() for w in want):
            if time.monotonic() > end:
                return False
            n = self._read(0.2)
            if n is None:
                break
            self.bytes += n
        if not all(w in self.text() for w in want):
            return False
        if settle and self.synced and self.child.isalive():
            self.sync(timeout=max(1.0, end - time.monotonic()))
        return True

    def wait_log(self, what, timeout=TIMEOUT, start=0):
        """Read until the bytes `what` were written (after offset start)."""
        end = time.monotonic() + timeout
        while what not in self.log[start:]:
            if time.monotonic() > end:
                return False
            n = self._read(0.2)
            if n is None:
                break
            self.bytes += n
        return what in self.log[start:]

    def send(self, keys, settle=True):
        """Send keys; unless settle is False, wait until kepu has handled
        them (returns the bytes it wrote in answer)."""
        if isinstance(keys, str):
            keys = keys.encode("utf-8")
        self.child.send(keys)
        if settle:
            return self.sync() or 0
        return 0

    def type(self, keys):
        """Send a string one character at a time, as a person types."""
        total = 0
        for ch in keys:
            total += self.send(ch)
        return total

    def resize(self, rows, cols):
        """Resize the window; returns once kepu has laid the screen out
        for the new size."""
        self.child.setwinsize(rows, cols)
        self.screen.resize(rows, cols)
        # The size change and a key sent just after it may be seen in
        # either order: ask until the answer names the new size.
        for _ in range(10):
            if self.sync() is None or self.laid_out == (rows, cols):
                break
        return self.laid_out == (rows, cols)

    def home(self, lang="zh"):
        """Wait for the home screen, discarding the drafts left by an
        earlier test that ended in the middle of an entry (kepu lists them
        first, on a screen of their own)."""
        want = ("首页", "草稿") if lang == "zh" else ("Home", "Drafts")
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            self.sync()
            title = self.row(0)
            if want[1] in title:
                self.send("d")
                self.send("y")
                continue
            ask = self.row(self.screen.lines - 2)
            if want[0] in title and ("d 丢弃" in ask or "d discard" in ask):
                self.send("d")              # an older kepu asked on this row
                continue
            if want[0] in title:
                return True
            self._read(0.2)
        return False

    def alive(self):
        return self.child.isalive()

    def wait_exit(self, timeout=TIMEOUT):
        """Wait for kepu to exit; returns (exit status, signal)."""
        end = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < end:
            if self._read(0.1) is None:
                break
        while self.child.isalive() and time.monotonic() < end:
            time.sleep(0.05)    # the pty is closed; the process is ending
        self.child.close(force=True)
        return self.child.exitstatus, self.child.signalstatus

    def close(self):
        """Hang up as a dropped link does, and wait for kepu to keep its
        draft and exit (killed only if it never does)."""
        if self.child.isalive():
            try:
                self.child.kill(signal.SIGHUP)
            except OSError:
                pass
            self.wait_exit()
        self.child.close(force=True)
