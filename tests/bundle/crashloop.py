"""A bounded crash loop: kepu killed with SIGKILL at random moments of
add --from-csv, export and import, KEPU_CRASH_KILLS times (30).  After
every kill both databases check clean and the command run again succeeds;
at the end every id a command printed is in the township's database, the
bundles on the stick are numbered without a gap, no temporary folder is
left, and the city, importing all of them without a conflict, holds every
record of the township.  SIGTERM at random moments (a third as many) must
stop the command cleanly or let it finish (or, arriving before kepu
catches it, end it before it began anything).

    KEPU=_build/kepu KEPU_FORMS=forms /usr/bin/python3 tests/bundle/crashloop.py
    KEPU_CRASH_KILLS=300 KEPU_CRASH_SEED=7 ...   a longer run
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

KEPU = os.environ.get("KEPU")
KILLS = int(os.environ.get("KEPU_CRASH_KILLS", "30"))
SEED = int(os.environ.get("KEPU_CRASH_SEED", "12"))
ROWS = 1000         # rows per add --from-csv
ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=""):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name))
        if not cond and detail:
            self.diag(detail)
        sys.stdout.flush()
        return cond

    def diag(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


tap = Tap()
if not KEPU:
    print("1..0 # SKIP KEPU is not set: run with make check")
    sys.exit(0)

work = tempfile.mkdtemp(prefix="kepu-crash-")
env = dict(os.environ, KEPU_TODAY="2025-06-30", KEPU_LANG="en",
           HOME=work, XDG_CONFIG_HOME=work + "/cfg", XDG_DATA_HOME=work + "/data")
for hook in ("KEPU_TEST_SIGNAL", "KEPU_TEST_CRASH", "KEPU_FAIL_WRITE_AFTER",
             "KEPU_FAIL_DIRSYNC", "KEPU_FAIL_FSYNC", "KEPU_DB"):
    env.pop(hook, None)
town = os.path.join(work, "anhai.kepu")
city = os.path.join(work, "city.kepu")
usb = os.path.join(work, "usb")
os.mkdir(usb)
rng = random.Random(SEED)


def kepu(db, *args, check=False):
    p = subprocess.run([KEPU, "--db", db] + list(args), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.stdout.decode(), p.stderr.decode()
    if check and p.returncode != 0:
        tap.diag("kepu %s: exit %d\n%s" % (" ".join(args), p.returncode, err))
    return p.returncode, out, err


def records(db):
    """Ids in the database, of every form, deleted ones too."""
    ids = set()
    for form in ("training", "activity", "demo"):
        rc, out, _ = kepu(db, "list", form, "--csv", "--deleted")
        for line in out.splitlines()[1:]:
            ids.add(line.split(",", 1)[0])
    return ids


def checked(db):
    rc, out, err = kepu(db, "check")
    return rc == 0 and out.startswith("OK:"), out + err


def bundles():
    return sorted(d for d in os.listdir(usb) if not d.startswith("."))


csv_n = [0]


def new_csv():
    """A file of ROWS training rows, titles of their own."""
    csv_n[0] += 1
    rc, out, _ = kepu(town, "demo", "--training-csv", str(ROWS),
                      "--seed", str(csv_n[0]))
    path = os.path.join(work, "rows%d.csv" % csv_n[0])
    lines = out.splitlines()
    with open(path, "w") as f:
        f.write(lines[0] + "\n")
        for i, line in enumerate(lines[1:]):
            cells = line.split(",")
            cells[3] = "%s 第%d批%d" % (cells[3], csv_n[0], i)
            f.write(",".join(cells) + "\n")
    return path


def command(op):
    if op == "add":
        return ["add", "training", "--from-csv", new_csv()], town
    if op == "export":
        return ["export", "--out", usb], town
    return ["import"] + [os.path.join(usb, b) for b in bundles()], city


# ---- setup -------------------------------------------------------------
kepu(town, "demo", "--township", "anhai", "--year", "2025", "--seed", "3")
kepu(city, "init", "--city")
kepu(town, "key", "export", "--out", os.path.join(work, "anhai.key"))
kepu(city, "township", "trust", os.path.join(work, "anhai.key"))
printed = set()
took = {}
for op in ("add", "export", "import"):
    args, db = command(op)
    t0 = time.monotonic()
    rc, out, err = kepu(db, *args, check=True)
    took[op] = time.monotonic() - t0
    printed |= {line for line in out.splitlines() if ID.match(line)}
    tap.ok(rc == 0, "%s runs (%.0f ms)" % (op, took[op] * 1000), err)

# ---- the loop ----------------------------------------------------------
start = time.monotonic()
kills = {"add": 0, "export": 0, "import": 0}
recovered = 0
found = 0           # bundles complete on the stick, recorded by the retry
swept = 0           # temporary folders the retry removed
stops = {"stopped": 0, "finished": 0, "early": 0, "bad": 0}
tries = 0
bad = []
while sum(kills.values()) < KILLS and tries < KILLS * 20:
    tries += 1
    op = rng.choice(("add", "export", "import"))
    term = rng.random() < 0.25          # now and then SIGTERM instead
    args, db = command(op)
    p = subprocess.Popen([KEPU, "--db", db] + args, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(rng.uniform(0.0005, took[op] * 1.1 + 0.002))
    try:
        p.send_signal(signal.SIGTERM if term else signal.SIGKILL)
    except ProcessLookupError:
        pass
    out, err = p.communicate()
    out, err = out.decode(), err.decode()
    printed |= {line for line in out.splitlines() if ID.match(line)}
    if term:
        if p.returncode == 143 and "stopped by SIGTERM" in err:
            stops["stopped"] += 1
            if op == "export" and any(d.startswith(".") for d in os.listdir(usb)):
                stops["bad"] += 1
                bad.append("SIGTERM left a temporary folder: %s" % os.listdir(usb))
        elif p.returncode == 0:
            stops["finished"] += 1
        elif p.returncode == -signal.SIGTERM and not any(
                d.startswith(".") for d in os.listdir(usb)) and all(
                checked(d)[0] for d in (town, city)):
            stops["early"] += 1         # before its handler: nothing begun
        else:
            stops["bad"] += 1
            bad.append("SIGTERM during %s: exit %d\n%s" % (op, p.returncode, err))
        continue
    if p.returncode != -signal.SIGKILL:
        continue                        # it had finished: no kill
    kills[op] += 1
    for name, d in (("township", town), ("city", city)):
        good, said = checked(d)
        if not good:
            bad.append("after a kill during %s the %s does not check clean:\n%s"
                       % (op, name, said))
    # No stuck retry: the same command again succeeds.
    args, db = command(op)
    rc, out, err = kepu(db, *args)
    printed |= {line for line in out.splitlines() if ID.match(line)}
    if "recorded now" in err:
        found += 1
    if re.search(r"temporary folder was removed|removed \d+ unfinished", err):
        swept += 1
    if rc == 0 and "conflict" not in out + err:
        recovered += 1
    else:
        bad.append("after a kill during %s, %s again: exit %d\n%s"
                   % (op, args[0], rc, err))
elapsed = time.monotonic() - start

# ---- the end -----------------------------------------------------------
n_kills = sum(kills.values())
tap.ok(n_kills == KILLS, "%d kills landed mid-command (%d tries)" % (n_kills, tries))
tap.ok(not bad, "after every kill: both databases check clean, the retry succeeds",
       "\n".join(bad[:5]))
rc, out, err = kepu(town, "export", "--out", usb)
tap.ok(rc == 0, "a last export succeeds", err)
left = [d for d in os.listdir(usb) if d.startswith(".")]
tap.ok(not left, "no temporary folder is left on the stick", repr(left))
nums = [int(re.match(r"anhai-(\d+)-", b).group(1)) for b in bundles()]
tap.ok(nums == list(range(1, len(nums) + 1)),
       "the bundles are numbered 1 to %d without a gap or a repeat" % len(nums),
       repr(nums))
rc, out, err = kepu(city, "import", *[os.path.join(usb, b) for b in bundles()])
tap.ok(rc == 0 and "conflict" not in out + err and "missing" not in err,
       "the city imports them all: no conflict, no gap", err[-2000:])
have = records(town)
lost = printed - have
tap.ok(not lost, "every id a command printed is in the township (%d ids)" % len(printed),
       "lost: %s" % sorted(lost)[:5])
in_city = records(city)
tap.ok(have <= in_city, "the city holds every record of the township (%d)" % len(have),
       "missing in the city: %d" % len(have - in_city))
for name, d in (("township", town), ("city", city)):
    good, said = checked(d)
    tap.ok(good, "the %s checks clean at the end" % name, said)
tap.diag("seed %d: %d kills with SIGKILL (add %d, export %d, import %d) in %.1f s, "
         "%d recovered (the retry recorded %d complete bundles and removed the "
         "temporary folders of %d), %d lost; %d SIGTERM: "
         "%d stopped cleanly, %d finished, %d ended before they began, %d not clean"
         % (SEED, n_kills, kills["add"], kills["export"], kills["import"], elapsed,
            recovered, found, swept, len(lost), sum(stops.values()), stops["stopped"],
            stops["finished"], stops["early"], stops["bad"]))
tap.ok(stops["bad"] == 0, "every SIGTERM stopped the command cleanly or let it finish")
shutil.rmtree(work, ignore_errors=True)
tap.done()
