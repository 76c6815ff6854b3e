#!/usr/bin/python3
"""flip.py - random byte flips in a copy of a database, then kepu on it.

Each run copies the database, XORs 1..--flips random bytes (anywhere in the
file, or with --used only in the pages LMDB has handed out) with a random
non-zero byte, and runs `kepu check`, `kepu list training --csv`,
`kepu report` and `kepu backup` on the copy.  Every command ends in one of:

  signal    killed by a signal (SIGSEGV, SIGBUS, SIGABRT...): a crash
  sanitizer a sanitizer report (ASan/UBSan builds): a crash
  timeout   still running after --timeout seconds: a hang
  refused   a clean refusal (exit 64..78 with a message on stderr)
  ok        exit 0 (the flip landed where nothing looks)
  other     any other exit status (counted as a crash: kepu exits 0 or
            with a sysexits code)

  flip.py --kepu _build/kepu [--db FILE] [--runs N] [--seed S] [--flips K]
          [--used] [--keep DIR] [--tap]

Without --db a demo database is made with `kepu demo`.  --keep saves the
input of every crash or hang as DIR/<run>.kepu.  --tap prints one TAP test
point per command kind (no crash, no hang) for make check.  The exit status
is 1 when anything crashed or hung.
"""
import argparse
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

COMMANDS = [["check"], ["list", "training", "--csv"], ["report"],
            ["backup", "--out"]]


def used_size(path):
    """Bytes of the pages in use: (last page + 1) x page size, from the
    newer of the two meta pages (LMDB's data format 1, 64-bit)."""
    with open(path, "rb") as f:
        head = f.read(2 * 4096)
    best = (-1, len(head))
    for off in (0, 4096):
        meta = head[off + 16:off + 16 + 136]
        if len(meta) < 136:
            continue
        magic, = struct.unpack_from("<I", meta, 0)
        if magic != 0xBEEFC0DE:
            continue
        # mm_magic, mm_version, mm_address, mm_mapsize, 2 x MDB_db (48),
        # mm_last_pg, mm_txnid
        last_pg, txnid = struct.unpack_from("<QQ", meta, 8 + 8 + 8 + 96)
        psize, = struct.unpack_from("<I", meta, 8 + 8 + 8)
        if txnid > best[0]:
            best = (txnid, (last_pg + 1) * psize)
    return best[1]


def flip(src, dst, rng, maxflips, used):
    shutil.copyfile(src, dst)
    size = os.path.getsize(dst)
    limit = min(size, used_size(src)) if used else size
    n = rng.randint(1, maxflips)
    with open(dst, "r+b") as f:
        for _ in range(n):
            pos = rng.randrange(limit)
            f.seek(pos)
            b = f.read(1)[0]
            f.seek(pos)
            f.write(bytes([b ^ rng.randint(1, 255)]))


def classify(rc, err):
    if rc is None:
        return "timeout"
    if rc < 0:
        return "signal"
    if "Sanitizer" in err or "runtime error:" in err:
        return "sanitizer"
    if rc == 0:
        return "ok"
    if 64 <= rc <= 78 and err.strip():
        return "refused"
    return "other"


CRASHES = ("signal", "sanitizer", "timeout", "other")


def run(kepu, db, cmd, timeout):
    copy = db + ".backup"
    if cmd[-1] == "--out":
        cmd = cmd + [copy]
    try:
        p = subprocess.run([kepu, "--db", db] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, ""
    finally:
        for f in (copy, copy + "-lock"):
            if os.path.exists(f):
                os.unlink(f)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kepu", required=True)
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flips", type=int, default=8)
    ap.add_argument("--used", action="store_true")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--keep")
    ap.add_argument("--tap", action="store_true")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="kepu-flip.")
    env = dict(os.environ, KEPU_LANG="en", KEPU_TODAY="2025-06-30",
               HOME=tmp)
    os.environ.update(env)
    counts = {c[0]: {} for c in COMMANDS}
    where = {}
    try:
        src = a.db
        if not src:
            src = os.path.join(tmp, "demo.kepu")
            subprocess.run([a.kepu, "--db", src, "demo"], check=True,
                           stdout=subprocess.DEVNULL)
        db = os.path.join(tmp, "flipped.kepu")
        for i in range(a.runs):
            flip(src, db, rng, a.flips, a.used)
            bad = False
            for cmd in COMMANDS:
                rc, err = run(a.kepu, db, cmd, a.timeout)
                kind = classify(rc, err)
                c = counts[cmd[0]]
                c[kind] = c.get(kind, 0) + 1
                if kind in CRASHES:
                    bad = True
                    what = kind if rc is None or rc >= 0 else \
                        signal.Signals(-rc).name
                    key = "%s %s" % (cmd[0], what)
                    where[key] = where.get(key, 0) + 1
                    if not a.tap:
                        print("run %d: %s: %s" % (i, " ".join(cmd), what),
                              file=sys.stderr)
            if bad and a.keep:
                os.makedirs(a.keep, exist_ok=True)
                shutil.copyfile(db, os.path.join(a.keep, "%d.kepu" % i))
            os.unlink(db)
            if os.path.exists(db + "-lock"):
                os.unlink(db + "-lock")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    crashed = sum(n for c in counts.values() for k, n in c.items()
                  if k in CRASHES)
    lines = []
    for cmd in COMMANDS:
        c = counts[cmd[0]]
        lines.append("%-6s %s" % (cmd[0], ", ".join(
            "%s %d" % (k, c[k]) for k in sorted(c))))
    if a.tap:
        n = 0
        for cmd in COMMANDS:
            n += 1
            c = counts[cmd[0]]
            bad = sum(v for k, v in c.items() if k in CRASHES)
            print("%sok %d - %d flipped databases: kepu %s never crashes "
                  "or hangs" % ("not " if bad else "", n, a.runs,
                                " ".join(cmd)))
        for l in lines:
            print("# " + l)
        print("1..%d" % n)
        return 0
    print("%d runs x %d commands, seed %d, up to %d flips%s" %
          (a.runs, len(COMMANDS), a.seed, a.flips,
           " in used pages" if a.used else ""))
    for l in lines:
        print(l)
    for k in sorted(where):
        print("crash: %s x%d" % (k, where[k]))
    print("%d crashes or hangs" % crashed)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
