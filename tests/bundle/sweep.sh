#!/bin/sh
# Exports killed while writing leave hidden temporary folders
# (.NAME.XXXXXX) on the stick, which on Windows are not even hidden.  The
# next export to the folder removes this township's stale ones and says
# so; it never touches anything else: other townships' folders, names
# that only look alike, links, plain files, or a folder an export that is
# still running holds.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 5 || { ok 1 "demo database"; done_testing; }

# Exports killed half-way (the test hook sends SIGKILL at a stop point).
KEPU_TEST_SIGNAL=KILL@5 run kt anhai export --out "$USB"
is_rc 137 "an export killed while writing rows"
first=$(ls -A "$USB")
is "$(printf '%s\n' "$first" | grep -c '^\.anhai-000001-20250630\.......$')" 1 \
	"it left a hidden folder"
KEPU_TEST_SIGNAL=KILL@20 run kt anhai export --out "$USB"
is_rc 137 "another export, killed too"
second=$(ls -A "$USB")
is "$(printf '%s\n' "$second" | grep -c '^\.anhai-000001-20250630\.......$')" 1 \
	"it removed the first one's folder before it began, and left its own"
isnt "$second" "$first" "(another one)"

# What must stay.
mkdir "$USB/.chendai-000001-20250630.AbCdEf"        # another township's
echo x >"$USB/.chendai-000001-20250630.AbCdEf/training.csv"
mkdir "$USB/.anhai-000001-20250630.AbCdEfG"         # not the pattern
mkdir "$USB/.anhai-000001-2025063.AbCdEf"           # a digit short
mkdir "$USB/.anhai-backup"
echo x >"$USB/.anhai-000009-20250630.File00"        # a file, no folder
mkdir "$T/elsewhere"
echo keep >"$T/elsewhere/keep.csv"
ln -s "$T/elsewhere" "$USB/.anhai-000009-20250630.Link00"   # a link
mkdir "$USB/.anhai-000008-20250630.Live00"          # being written now
/usr/bin/python3 -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$USB/.anhai-000008-20250630.Live00" "$T/locked" >/dev/null 2>&1 &
holder=$!
# A stale one with a subfolder, as bundles with attachments have.
mkdir -p "$USB/.anhai-000007-20250629.Old000/attachments"
echo x >"$USB/.anhai-000007-20250629.Old000/attachments/a.jpg"
echo x >"$USB/.anhai-000007-20250629.Old000/training.csv"
i=0
while [ ! -e "$T/locked" ] && [ $i -lt 400 ]; do
	sleep 0.05     # until the holder has it
	i=$((i + 1))
done

run kt anhai export --out "$USB"
is_rc 0 "the next export succeeds"
like "$err" "removed 2 unfinished bundle folders that interrupted exports had left in $USB" \
	"and says it removed the two stale folders"
like "$out" "wrote $USB/anhai-000001-20250630" "as bundle 1"
left=$(ls -A "$USB" | sort | tr '\n' ' ')
is "$left" ".anhai-000001-2025063.AbCdEf .anhai-000001-20250630.AbCdEfG .anhai-000008-20250630.Live00 .anhai-000009-20250630.File00 .anhai-000009-20250630.Link00 .anhai-backup .chendai-000001-20250630.AbCdEf anhai-000001-20250630 " \
	"everything else is still there"
is "$(cat "$T/elsewhere/keep.csv")" "keep" "a link is not followed"
is "$(cat "$USB/.chendai-000001-20250630.AbCdEf/training.csv")" "x" \
	"another township's folder is untouched"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Once its export has gone, the next export removes that one too.
kt anhai add training --set date=2025-04-01 --set category=worker \
	--set title=Later --set organizer=市总工会 --set venue=Hall \
	--set participants=20 >/dev/null 2>&1
run kt anhai export --out "$USB"
is_rc 0 "another export"
like "$err" "removed 1 unfinished bundle folder that an interrupted export had left" "removes the one no export holds now"
is "$(ls -A "$USB" | grep -c 'Live00')" 0 "it is gone"
run kt anhai export --out "$USB"
unlike "$err" "removed" "with nothing stale, nothing is said"
done_testing
