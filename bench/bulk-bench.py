#!/usr/bin/python3
"""bench/bulk-bench.py - bulk work at 10,000, 100,000 and 1,000,000 rows,
next to fair peers, optionally under a memory limit.

    /usr/bin/python3 bench/bulk-bench.py [--kepu PATH] [--rows 10000,100000]
        [--runs 3] [--limit-mb 256] [--no-peers] [--keep DIR]

For each row count it makes the demo's training rows (kepu demo
--training-csv), then times, each --runs times (the median is printed):

  kepu add --from-csv      every check, totals, indexes, audit, one change
  kepu export --full       form files, attachments, history, progress,
                           dictionary, SHA-256 of each, signature
  kepu verify              the bundle: checksums, signature, every row
  kepu import              verify, check every row, merge, into a new city
  kepu import (again)      the same bundle into that city: nothing to do
  kepu list --csv          every record, oldest first
  kepu check               every total recomputed, every index checked

and the peers on the same rows and the same bundle:

  sqlite3 add              the rows through a staging table into a table
                           with the form's CHECKs, the two indexes kepu
                           keeps (date, and date + title) and a trigger
                           keeping the same totals, in one transaction
  sqlite3 .import          the bundle's training.csv into a plain table
  sha256sum -c             the bundle's SHA256SUMS
  sqlite3 export           the sqlite3 table as CSV, then sha256sum of it
  postgres COPY            the add peer in PostgreSQL (\\copy into the same
                           table, CHECKs and trigger), when initdb is there
                           and the bench runs as root (it runs the server
                           as the postgres account); skipped with a message
                           otherwise

Every command starts with its input files (the rows, the bundle, the
database) in the page cache, read there from outside the memory cgroup
just before it, so that none pays for what an earlier one pushed out
(a file larger than a quarter of --limit-mb is dropped from the cache
instead: under that limit it would not stay there);
and a command and its peers take turns, run by run, so that they meet
the same state of a machine shared with other work.
Each line gives the median wall time, the cost per row, and the largest
peak resident set of the runs (GNU time's maximum RSS, from wait4), split
into anonymous memory and file-backed pages (the database file's mapped
pages) as sampled every 2 ms from /proc/PID/status.  With --limit-mb (as
root, cgroup v1 memory controller at /sys/fs/cgroup/memory) every kepu and
peer command runs inside a memory cgroup of that size; a command the
kernel kills says "killed".  Then the ratios the project holds itself to,
and the cost per row at the largest count against the next one.

Not part of make check; nothing here fails on time.  docs/performance.md
has the figures and what they mean.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CGROUP_ROOT = "/sys/fs/cgroup/memory"
CGROUP = os.path.join(CGROUP_ROOT, "kepu-bench")

# ---- running and measuring one command -------------------------------------


class Result:
    def __init__(self):
        self.secs = 0.0
        self.maxrss = 0      # KiB, from wait4
        self.anon = 0        # KiB, sampled peak RssAnon
        self.file = 0        # KiB, sampled peak RssFile + RssShmem
        self.killed = False
        self.status = 0
        self.cg_peak = 0     # bytes, the cgroup's max usage (page cache too)


def sample(pid, res, stop):
    """Peak RssAnon and RssFile of pid's child (the command GNU time runs)
    until stop is set."""
    kids = "/proc/%d/task/%d/children" % (pid, pid)
    path = None
    while not stop.is_set():
        try:
            if path is None:
                with open(kids) as f:
                    k = f.read().split()
                path = "/proc/%s/status" % k[0] if k else None
            if path:
                with open(path) as f:
                    anon = fil = 0
                    for line in f:
                        if line.startswith("RssAnon:"):
                            anon = int(line.split()[1])
                        elif line.startswith(("RssFile:", "RssShmem:")):
                            fil += int(line.split()[1])
                res.anon = max(res.anon, anon)
                res.file = max(res.file, fil)
        except (OSError, ValueError, IndexError):
            pass
        stop.wait(0.002)


def cg_write(name, value):
    with open(os.path.join(CGROUP, name), "w") as f:
        f.write(str(value))


def cg_read(name):
    with open(os.path.join(CGROUP, name)) as f:
        return int(f.read().split()[0])


def warm_up(paths, limit_bytes=0):
    """Every command starts with its input files in the page cache, put
    there by this process, outside the memory cgroup: kepu and the peers
    alike read them at memory speed, whatever ran before.  Each file's
    pages are dropped first (they may be charged to the cgroup by the
    command that wrote them, and taken back under its limit), then read;
    under a limit, a file larger than a quarter of it is left out of the
    cache (a machine of that memory would not keep it there)."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, f) for f in sorted(os.listdir(p))
                      if os.path.isfile(os.path.join(p, f))]
        elif os.path.isfile(p):
            files.append(p)
    for f in files:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            if limit_bytes and os.fstat(fd).st_size > limit_bytes // 4:
                continue
            while os.read(fd, 1 << 20):
                pass
        finally:
            os.close(fd)


def run(cmd, limit, cwd=None, stdout=None, stdin=None, env=None):
    """Run cmd (a list) under GNU time, in the memory cgroup when limit; a
    Result.  The peak is GNU time's (wait4 of the command itself, so not
    counting this Python process it was forked from)."""
    res = Result()

    def enter():
        if limit:
            cg_write("cgroup.procs", os.getpid())

    if limit:
        cg_write("memory.max_usage_in_bytes", 0)
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    inp = open(stdin, "rb") if stdin else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    tf = tempfile.NamedTemporaryFile(prefix="kepu-bench-time.")
    t0 = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", tf.name] + cmd,
                         cwd=cwd, stdout=out, stdin=inp, stderr=err,
                         preexec_fn=enter, env=env)
    stop = threading.Event()
    th = threading.Thread(target=sample, args=(p.pid, res, stop))
    th.start()
    p.wait()
    res.secs = time.monotonic() - t0
    stop.set()
    th.join()
    if stdout:
        out.close()
    if stdin:
        inp.close()
    if limit:
        res.cg_peak = cg_read("memory.max_usage_in_bytes")
    tf.seek(0)
    lines = tf.read().decode("utf-8", "replace").split()
    tf.close()
    # GNU time says "Command terminated by signal 9" before the figures.
    res.maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if "signal" in lines:
        sig = int(lines[lines.index("signal") + 1])
        res.killed = sig == signal.SIGKILL
        res.status = -sig
    elif "status" in lines:
        res.status = int(lines[lines.index("status") + 1])
    elif p.returncode:
        res.status = p.returncode
    if res.status != 0 and not res.killed:
        err.seek(0)
        msg = err.read().decode("utf-8", "replace").strip().splitlines()
        msg = [m for m in msg if not m.startswith("Command ")]
        sys.stderr.write("bulk-bench: %s: exit %d%s\n" % (
            " ".join(cmd[:6]), res.status,
            (": " + " | ".join(msg[-3:])) if msg else ""))
    err.close()
    return res


def cgroup_setup(mb):
    if os.geteuid() != 0 or not os.path.isdir(CGROUP_ROOT):
        print("bulk-bench: no memory limit (needs root and the cgroup v1 "
              "memory controller at %s)" % CGROUP_ROOT)
        return 0
    if not os.path.isdir(CGROUP):
        os.mkdir(CGROUP)
    cg_write("memory.limit_in_bytes", mb << 20)
    return mb


def cgroup_teardown(limit):
    if limit and os.path.isdir(CGROUP):
        try:
            os.rmdir(CGROUP)
        except OSError:
            pass


# ---- the peers ---------------------------------------------------------------

def choices(forms, listname):
    codes = []
    with open(os.path.join(forms, "choices.csv"), encoding="utf-8-sig") as f:
        for line in f:
            parts = line.rstrip("\n").split(",")
            if len(parts) > 1 and parts[0] == listname:
                codes.append(parts[1])
    return codes


def sqlite_schema(forms, today):
    cats = ",".join("'%s'" % c for c in choices(forms, "training_category"))
    orgs = ",".join("'%s'" % c for c in choices(forms, "organizer"))
    # The training form's rules (forms/training.csv) as CHECKs; the totals
    # kepu keeps for it (forms/indicators.csv, plan 2021-2025) by trigger.
    return """
PRAGMA journal_mode = DELETE;
CREATE TABLE training (
  id TEXT PRIMARY KEY,
  township TEXT NOT NULL,
  rev INTEGER NOT NULL DEFAULT 1,
  created_by TEXT, created_at INTEGER,
  date TEXT NOT NULL CHECK (date(date) IS date AND date <= '%(today)s'),
  end_date TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= date)),
  category TEXT NOT NULL CHECK (category IN (%(cats)s)),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60 AND instr(title, char(10)) = 0),
  organizer TEXT CHECK (organizer IS NULL OR organizer IN (%(orgs)s)),
  venue TEXT CHECK (venue IS NULL OR length(venue) <= 40),
  participants INTEGER NOT NULL CHECK (typeof(participants) = 'integer' AND participants >= 1),
  farmers INTEGER CHECK (CASE WHEN category = 'rural_tech'
      THEN typeof(farmers) = 'integer' AND farmers BETWEEN 0 AND participants
      ELSE farmers IS NULL END),
  certified INTEGER CHECK (CASE WHEN category = 'high_skill'
      THEN typeof(certified) = 'integer' AND certified BETWEEN 0 AND participants
      ELSE certified IS NULL END),
  hours REAL CHECK (hours IS NULL OR hours BETWEEN 0 AND 1000),
  trainer TEXT CHECK (trainer IS NULL OR length(trainer) <= 40),
  notes TEXT CHECK (notes IS NULL OR length(notes) <= 200)
);
CREATE INDEX by_date ON training (date, id);
CREATE INDEX dupkey ON training (date, title);
CREATE TABLE totals (
  year INTEGER, township TEXT, indicator TEXT, grp TEXT,
  sum REAL NOT NULL, count INTEGER NOT NULL, max REAL NOT NULL,
  PRIMARY KEY (year, township, indicator, grp)
) WITHOUT ROWID;
CREATE TRIGGER training_totals AFTER INSERT ON training BEGIN
  INSERT INTO totals SELECT substr(NEW.date, 1, 4), NEW.township,
      CASE NEW.category WHEN 'teacher' THEN 'teacher_training'
        WHEN 'rural_tech' THEN 'rural_tech_training'
        WHEN 'agri_technician' THEN 'agri_technician_training'
        WHEN 'worker' THEN 'worker_training'
        ELSE 'official_training' END, '',
      NEW.participants, 1, NEW.participants
    WHERE NEW.category IN ('teacher', 'rural_tech', 'agri_technician', 'worker', 'official')
    ON CONFLICT DO UPDATE SET sum = sum + excluded.sum, count = count + 1,
      max = max(max, excluded.max);
  INSERT INTO totals SELECT substr(NEW.date, 1, 4), NEW.township,
      'rural_tech_farmers', '', NEW.farmers, 1, NEW.farmers
    WHERE NEW.category = 'rural_tech'
    ON CONFLICT DO UPDATE SET sum = sum + excluded.sum, count = count + 1,
      max = max(max, excluded.max);
  INSERT INTO totals SELECT substr(NEW.date, 1, 4), NEW.township,
      'high_skill_talent', '', NEW.certified, 1, NEW.certified
    WHERE NEW.category = 'high_skill'
    ON CONFLICT DO UPDATE SET sum = sum + excluded.sum, count = count + 1,
      max = max(max, excluded.max);
  INSERT INTO totals VALUES (substr(NEW.date, 1, 4), NEW.township,
      'training_sessions_by_category', NEW.category, 1, 1, 1)
    ON CONFLICT DO UPDATE SET sum = sum + 1, count = count + 1;
  INSERT INTO totals VALUES (substr(NEW.date, 1, 4), NEW.township,
      'training_participants_by_category', NEW.category, NEW.participants, 1,
      NEW.participants)
    ON CONFLICT DO UPDATE SET sum = sum + excluded.sum, count = count + 1,
      max = max(max, excluded.max);
END;
""" % {"cats": cats, "orgs": orgs, "today": today}


SQLITE_LOAD = """
CREATE TEMP TABLE staging (date, end_date, category, title, organizer, venue,
  participants, farmers, certified, hours, trainer, notes);
.import --csv --skip 1 %(csv)s staging
BEGIN;
INSERT INTO training (id, township, created_by, created_at, date, end_date,
  category, title, organizer, venue, participants, farmers, certified, hours,
  trainer, notes)
SELECT lower(hex(randomblob(16))), 'chendai', 'bench', unixepoch(),
  date, nullif(end_date, ''), category, title, nullif(organizer, ''),
  nullif(venue, ''), CAST(participants AS INTEGER),
  CAST(nullif(farmers, '') AS INTEGER), CAST(nullif(certified, '') AS INTEGER),
  CAST(nullif(hours, '') AS REAL), nullif(trainer, ''), nullif(notes, '')
FROM staging;
COMMIT;
"""


def pg_schema(forms, today):
    cats = ",".join("'%s'" % c for c in choices(forms, "training_category"))
    orgs = ",".join("'%s'" % c for c in choices(forms, "organizer"))
    return """
CREATE TABLE training (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  township text NOT NULL DEFAULT 'chendai',
  rev integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  date date NOT NULL CHECK (date <= DATE '%(today)s'),
  end_date date CHECK (end_date >= date),
  category text NOT NULL CHECK (category IN (%(cats)s)),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 60 AND strpos(title, E'\\n') = 0),
  organizer text CHECK (organizer IN (%(orgs)s)),
  venue text CHECK (length(venue) <= 40),
  participants integer NOT NULL CHECK (participants >= 1),
  farmers integer CHECK (CASE WHEN category = 'rural_tech'
      THEN farmers BETWEEN 0 AND participants ELSE farmers IS NULL END),
  certified integer CHECK (CASE WHEN category = 'high_skill'
      THEN certified BETWEEN 0 AND participants ELSE certified IS NULL END),
  hours numeric CHECK (hours BETWEEN 0 AND 1000),
  trainer text CHECK (length(trainer) <= 40),
  notes text CHECK (length(notes) <= 200)
);
CREATE INDEX by_date ON training (date, id);
CREATE INDEX dupkey ON training (date, title);
CREATE TABLE totals (
  year integer, township text, indicator text, grp text,
  sum numeric NOT NULL, count bigint NOT NULL, max numeric NOT NULL,
  PRIMARY KEY (year, township, indicator, grp));
CREATE FUNCTION training_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per statement over its rows (a per-row trigger updating the same
  -- few totals rows leaves PostgreSQL a chain of row versions per update,
  -- quadratic in the rows of one transaction).
  INSERT INTO totals
  SELECT y, township, indicator, grp, sum(amount), count(*), max(amount)
  FROM (
    SELECT extract(year FROM date)::integer AS y, township,
      CASE category WHEN 'teacher' THEN 'teacher_training'
        WHEN 'rural_tech' THEN 'rural_tech_training'
        WHEN 'agri_technician' THEN 'agri_technician_training'
        WHEN 'worker' THEN 'worker_training' ELSE 'official_training' END
        AS indicator, '' AS grp, participants AS amount
    FROM new_rows
    WHERE category IN ('teacher', 'rural_tech', 'agri_technician', 'worker', 'official')
    UNION ALL
    SELECT extract(year FROM date)::integer, township, 'rural_tech_farmers', '', farmers
    FROM new_rows WHERE category = 'rural_tech'
    UNION ALL
    SELECT extract(year FROM date)::integer, township, 'high_skill_talent', '', certified
    FROM new_rows WHERE category = 'high_skill'
    UNION ALL
    SELECT extract(year FROM date)::integer, township, 'training_sessions_by_category',
      category, 1 FROM new_rows
    UNION ALL
    SELECT extract(year FROM date)::integer, township, 'training_participants_by_category',
      category, participants FROM new_rows
  ) c
  GROUP BY y, township, indicator, grp
  ON CONFLICT (year, township, indicator, grp) DO UPDATE
    SET sum = totals.sum + excluded.sum, count = totals.count + excluded.count,
        max = greatest(totals.max, excluded.max);
  RETURN NULL;
END $$;
CREATE TRIGGER training_totals AFTER INSERT ON training
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION training_totals();
""" % {"cats": cats, "orgs": orgs, "today": today}


class Postgres:
    """A throw-away cluster run as the postgres account, or None."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.sock = self.dir
        self.ok = False
        initdb = shutil.which("initdb")
        pgctl = shutil.which("pg_ctl")
        if not initdb or not pgctl or not shutil.which("psql"):
            self.why = "PostgreSQL is not installed (initdb, pg_ctl, psql)"
            return
        if os.geteuid() != 0:
            self.why = "not root: the server would run as the postgres account"
            return
        try:
            import pwd
            pw = pwd.getpwnam("postgres")
        except KeyError:
            self.why = "no postgres account"
            return
        os.mkdir(self.dir)
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(work, 0o755)
        self.user = ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
                     "--clear-groups"]
        data = os.path.join(self.dir, "data")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if subprocess.call(self.user + [initdb, "-D", data, "-A", "trust",
                                        "-U", "postgres"], **quiet):
            self.why = "initdb failed"
            return
        if subprocess.call(self.user + [pgctl, "-D", data, "-w", "-l",
                                        os.path.join(self.dir, "log"), "-o",
                                        "-k %s -c listen_addresses= -p 54329" % self.sock,
                                        "start"], **quiet):
            self.why = "the server did not start"
            return
        self.pgctl, self.data = pgctl, data
        self.ok = True

    def psql(self, db, *args):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
                "-p", "54329", "-U", "postgres", "-d", db] + list(args)

    def stop(self):
        if self.ok:
            subprocess.call(self.user + [self.pgctl, "-D", self.data, "-m", "fast",
                                         "stop"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


# ---- the bench ---------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.kepu = os.path.abspath(args.kepu)
        self.runs = args.runs
        self.forms = os.environ.get("KEPU_FORMS", os.path.join(HERE, "..", "forms"))
        self.today = "2025-12-31"
        self.env = dict(os.environ, KEPU_FORMS=self.forms, KEPU_TODAY=self.today,
                        KEPU_LANG="en")
        self.env.pop("KEPU_DB", None)
        self.env.pop("KEPU_MAPSIZE", None)
        self.limit = 0
        self.rows = {}           # (op, n) -> list of Result
        self.dbsize = {}         # n -> bytes of the township database
        self.peers = not args.no_peers
        self.pg = None

    def k(self, db, *args):
        return [self.kepu, "--db", db] + list(args)

    def quiet(self, cmd, **kw):
        r = subprocess.call(cmd, env=self.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kw)
        if r != 0:
            raise SystemExit("bulk-bench: failed: %s" % " ".join(cmd))

    def db_bytes(self, path):
        """(pages used, blocks on the disk, file size) of a database: a
        file written in place in its map (a bulk write) is as large as the
        map, sparse; mdb_stat (lmdb-utils) tells the pages."""
        st = os.stat(path)
        used = 0
        try:
            out = subprocess.check_output(["mdb_stat", "-n", "-e", path],
                                          stderr=subprocess.DEVNULL).decode()
            psize = pages = 0
            for line in out.splitlines():
                if "Page size:" in line:
                    psize = int(line.split()[-1])
                elif "Number of pages used:" in line:
                    pages = int(line.split()[-1])
            used = psize * pages
        except (OSError, subprocess.CalledProcessError, ValueError):
            pass
        return used, st.st_blocks * 512, st.st_size

    def rounds(self, n, jobs):
        """Run each job self.runs times, taking turns (a round runs each
        once), so that a command and the peer it is held against meet the
        same state of a shared machine.  A job is (op, make_cmd(i), opts):
        opts may give prepare(i) and warm (paths, or warm(i)), both done
        untimed before the run, and run()'s keywords."""
        failed = set()
        for i in range(self.runs):
            for op, make_cmd, opts in jobs:
                if op in failed:
                    continue
                opts = dict(opts)
                prepare = opts.pop("prepare", None)
                warm = opts.pop("warm", ())
                if prepare:
                    prepare(i)
                warm_up(warm(i) if callable(warm) else warm,
                        self.limit << 20 if self.limit else 0)
                r = run(make_cmd(i), self.limit, env=self.env, **opts)
                self.rows.setdefault((op, n), []).append(r)
                if r.killed or r.status != 0:
                    failed.add(op)

    def one_size(self, n, work):
        w = os.path.join(work, str(n))
        os.mkdir(w)
        csv = os.path.join(w, "rows.csv")
        with open(csv, "wb") as f:
            subprocess.check_call([self.kepu, "demo", "--training-csv", str(n),
                                   "--year", "2025", "--seed", "7"], stdout=f,
                                  env=self.env)
        town = lambda i: os.path.join(w, "town%d.kepu" % i)

        def fresh_town(i):
            for p in (town(i), town(i) + "-lock"):
                if os.path.exists(p):
                    os.unlink(p)
            self.quiet(self.k(town(i), "init", "--township", "chendai", "--year", "2025"))

        peers = self.peer_jobs(n, w, csv) if self.peers else {}
        self.rounds(n, [("kepu add --from-csv",
                         lambda i: self.k(town(i), "add", "training", "--from-csv", csv),
                         dict(prepare=fresh_town, warm=[csv]))] + peers.get("add", []))
        if any(r.status for r in self.rows[("kepu add --from-csv", n)]):
            return
        t = town(0)
        self.dbsize[n] = self.db_bytes(t)
        for i in range(1, self.runs):
            os.unlink(town(i))
            os.unlink(town(i) + "-lock")

        key = os.path.join(w, "town.key")
        self.quiet(self.k(t, "key", "export", "--out", key))
        city0 = os.path.join(w, "city0.kepu")
        self.quiet(self.k(city0, "init", "--city", "--year", "2025"))
        self.quiet(self.k(city0, "township", "trust", key))
        usb = lambda i: os.path.join(w, "usb%d" % i)
        self.rounds(n, [("kepu export --full",
                         lambda i: self.k(t, "export", "--full", "--out", usb(i)),
                         dict(prepare=lambda i: os.mkdir(usb(i)), warm=[t]))]
                    + peers.get("export", []))
        bundles = sorted(os.listdir(usb(0))) if os.path.isdir(usb(0)) else []
        if not bundles:
            return
        b = os.path.join(usb(0), bundles[0])
        city = lambda i: os.path.join(w, "city%d-%d.kepu" % (n, i))

        def fresh_city(i):
            shutil.copyfile(city0, city(i))

        self.rounds(n, [("kepu verify", lambda i: self.k(city0, "verify", b),
                         dict(warm=[b, city0])),
                        ("kepu import", lambda i: self.k(city(i), "import", b),
                         dict(prepare=fresh_city, warm=lambda i: [b, city(i)]))]
                    + (self.bundle_peers(n, w, b) if self.peers else []))
        self.rounds(n, [
            ("kepu import (again)", lambda i: self.k(city(0), "import", b),
             dict(warm=lambda i: [b, city(0)])),
            ("kepu list --csv", lambda i: self.k(t, "list", "training", "--csv"),
             dict(stdout=os.path.join(w, "list.csv"), warm=[t])),
            ("kepu check", lambda i: self.k(t, "check"), dict(warm=[t])),
            ("kepu check (city)", lambda i: self.k(city(0), "check"),
             dict(warm=lambda i: [city(0)]))])
        for i in range(1, self.runs):
            if os.path.exists(city(i)):
                os.unlink(city(i))

    def peer_jobs(self, n, w, csv):
        """The peers of add (sqlite3, PostgreSQL) and of export (sqlite3's
        CSV export of the table the add made, and sha256sum of it)."""
        schema = os.path.join(w, "schema.sql")
        with open(schema, "w") as f:
            f.write(sqlite_schema(self.forms, self.today))
        load = os.path.join(w, "load.sql")
        with open(load, "w") as f:
            f.write(SQLITE_LOAD % {"csv": csv})
        sdb = lambda i: os.path.join(w, "s%d.db" % i)

        def fresh_sqlite(i):
            if os.path.exists(sdb(i)):
                os.unlink(sdb(i))
            self.quiet(["sqlite3", sdb(i)], stdin=open(schema))

        add = [("sqlite3 add (CHECKs, trigger)", lambda i: ["sqlite3", "-bail", sdb(i)],
                dict(prepare=fresh_sqlite, stdin=load, warm=[csv]))]
        if self.pg and self.pg.ok:
            pgdb = "bench%d" % n

            def fresh_pg(i):
                self.quiet(self.pg.psql("postgres", "-c", "DROP DATABASE IF EXISTS %s" % pgdb))
                self.quiet(self.pg.psql("postgres", "-c", "CREATE DATABASE %s" % pgdb))
                sql = os.path.join(w, "pg.sql")
                with open(sql, "w") as f:
                    f.write(pg_schema(self.forms, self.today))
                self.quiet(self.pg.psql(pgdb, "-f", sql))

            copy = ("\\copy training (date, end_date, category, title, organizer, venue, "
                    "participants, farmers, certified, hours, trainer, notes) "
                    "FROM '%s' WITH (FORMAT csv, HEADER true)" % csv)
            add.append(("postgres COPY (CHECKs, trigger)",
                        lambda i: self.pg.psql(pgdb, "-c", copy),
                        dict(prepare=fresh_pg, warm=[csv])))
        out = os.path.join(w, "s.csv")
        export = [("sqlite3 export",
                   lambda i: ["sh", "-c", 'sqlite3 -csv -header "$1" "select * from training" '
                              '>"$2" && sha256sum "$2"', "sh", sdb(0), out],
                   dict(warm=[sdb(0)]))]
        return {"add": add, "export": export}

    def bundle_peers(self, n, w, b):
        """The peers of verify and import, on the bundle kepu wrote."""
        imp = lambda i: os.path.join(w, "imp%d.db" % i)

        def fresh_imp(i):
            if os.path.exists(imp(i)):
                os.unlink(imp(i))

        training = os.path.join(b, "training.csv")
        return [("sha256sum -c", lambda i: ["sha256sum", "--quiet", "-c", "SHA256SUMS"],
                 dict(cwd=b, warm=[b])),
                ("sqlite3 .import", lambda i: ["sqlite3", imp(i), ".import --csv %s t" % training],
                 dict(prepare=fresh_imp, warm=[training]))]

    # ---- printing ------------------------------------------------------------

    def med(self, op, n):
        rs = self.rows.get((op, n))
        if not rs or any(r.killed or r.status for r in rs):
            return None
        return statistics.median(r.secs for r in rs)

    def report(self, sizes):
        print()
        print("%-34s %9s %9s %9s %8s %8s %8s%s" % (
            "", "rows", "median s", "us/row", "RSS MiB", "anon", "file",
            "  cg MiB" if self.limit else ""))
        ops = []
        for (op, n) in self.rows:
            if op not in ops:
                ops.append(op)
        for op in ops:
            for n in sizes:
                rs = self.rows.get((op, n))
                if not rs:
                    continue
                bad = [r for r in rs if r.killed or r.status]
                m = self.med(op, n)
                rss = max(r.maxrss for r in rs) / 1024
                anon = max(r.anon for r in rs) / 1024
                fil = max(r.file for r in rs) / 1024
                cg = ("  %6.1f" % (max(r.cg_peak for r in rs) / 1048576)) if self.limit else ""
                if bad:
                    what = "killed" if bad[0].killed else "exit %d" % bad[0].status
                    print("%-34s %9d %9s %9s %8.1f %8.1f %8.1f%s" % (
                        op, n, what, "", rss, anon, fil, cg))
                else:
                    print("%-34s %9d %9.3f %9.2f %8.1f %8.1f %8.1f%s" % (
                        op, n, m, m / n * 1e6, rss, anon, fil, cg))
        for n in sizes:
            if n in self.dbsize:
                used, blocks, size = self.dbsize[n]
                print("township database, %d rows: %.1f MiB of pages (%d bytes/record), "
                      "%.1f MiB on the disk, the file %.1f MiB" % (
                          n, used / 1048576, used / n, blocks / 1048576, size / 1048576))
        self.ratios(sizes)

    def ratios(self, sizes):
        def ratio(label, a, bs, n, goal):
            ma = self.med(a, n)
            mb = [self.med(b, n) for b in bs]
            if ma is None or any(x is None for x in mb):
                return
            peer = sum(mb)
            print("  %-58s %6.2f   (goal <= %.1f)" % (label, ma / peer, goal))

        print()
        for n in sizes:
            print("ratios at %d rows:" % n)
            ratio("add / sqlite3 add with the same checks and totals",
                  "kepu add --from-csv", ["sqlite3 add (CHECKs, trigger)"], n, 0.8)
            ratio("import / (sha256sum -c + sqlite3 .import)", "kepu import",
                  ["sha256sum -c", "sqlite3 .import"], n, 1.5)
            ratio("verify / sha256sum -c", "kepu verify", ["sha256sum -c"], n, 2.0)
            ratio("export / (sqlite3 CSV export + sha256sum)", "kepu export --full",
                  ["sqlite3 export"], n, 1.2)
            ratio("add / postgres COPY with the same checks and totals",
                  "kepu add --from-csv", ["postgres COPY (CHECKs, trigger)"], n, 1.0)
        big = sorted(sizes)
        if len(big) >= 2:
            a, b = big[-2], big[-1]
            print()
            print("cost per row at %d against %d rows (goal <= 1.2):" % (b, a))
            for op in ("kepu add --from-csv", "kepu export --full", "kepu verify",
                       "kepu import", "kepu list --csv", "kepu check"):
                ma, mb = self.med(op, a), self.med(op, b)
                if ma and mb:
                    print("  %-32s %6.2f" % (op, (mb / b) / (ma / a)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kepu", default=os.environ.get("KEPU", "./kepu"))
    ap.add_argument("--rows", default="10000,100000,1000000",
                    help="row counts, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="runs of each command")
    ap.add_argument("--limit-mb", type=int, default=0,
                    help="run every command in a memory cgroup of this size")
    ap.add_argument("--no-peers", action="store_true", help="kepu only")
    ap.add_argument("--keep", help="work here and keep the files")
    args = ap.parse_args()
    if not os.access(args.kepu, os.X_OK):
        raise SystemExit("bulk-bench: no kepu program at %s" % args.kepu)
    sizes = [int(x) for x in args.rows.split(",") if x]
    b = Bench(args)
    work = args.keep or tempfile.mkdtemp(prefix="kepu-bulk.")
    if args.keep:
        os.makedirs(work, exist_ok=True)
    version = subprocess.check_output([b.kepu, "--version"], env=b.env).decode().strip()
    print("kepu bulk-bench: %s; %s runs each, median; rows %s" % (
        version, args.runs, ", ".join(str(n) for n in sizes)))
    if args.limit_mb:
        b.limit = cgroup_setup(args.limit_mb)
        if b.limit:
            print("every command under a memory limit of %d MiB (cgroup v1)" % b.limit)
    if b.peers:
        b.pg = Postgres(work)
        if not b.pg.ok:
            print("postgres COPY: skipped (%s)" % b.pg.why)
    try:
        for n in sizes:
            b.one_size(n, work)
    finally:
        if b.pg:
            b.pg.stop()
        cgroup_teardown(b.limit)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    b.report(sizes)


if __name__ == "__main__":
    main()
