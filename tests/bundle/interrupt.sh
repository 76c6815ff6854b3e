#!/bin/sh
# An export that fails half-way (the test hook KEPU_FAIL_WRITE_AFTER makes
# the bundle writer fail with EIO, as a pulled-out stick does) leaves no
# bundle and loses no change.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 2 || { ok 1 "demo database"; done_testing; }
all=0
for f in $(sed -n 's/^forms,//p' "$KEPU_FORMS/formset.csv" | tr '|\r' '  '); do
	all=$((all + $(kt anhai list "$f" --csv --deleted | tail -n +2 | wc -l)))
done
ok $([ "$all" -gt 10 ] && echo 0 || echo 1) "the demo database has records ($all)"

# The size of the whole bundle, measured on a copy of the database: the
# last failure point is its very last byte (manifest.sig).
cp "$T/anhai.kepu" "$T/copy.kepu"
mkdir -p "$T/measure"
kt copy export --out "$T/measure" >/dev/null
size=$(cat "$(latest "$T/measure")"/* | wc -c)
ok $([ "$size" -gt 5000 ] && echo 0 || echo 1) "a whole bundle is $size bytes"

for n in 0 1 700 5000 $((size - 1)); do
	KEPU_FAIL_WRITE_AFTER=$n run kt anhai export --out "$USB"
	is_rc 74 "write failure after $n bytes: I/O error (74)"
	like "$err" "input/output error (the stick or disk may be pulled out or damaged)" "after $n bytes: says why"
	is "$(ls -A "$USB" 2>&1)" "" "after $n bytes: nothing left on the stick"
done

run kt anhai export --out "$USB"
is_rc 0 "then the export succeeds"
b=$(latest "$USB")
is "$(basename "$b")" "anhai-000001-20250630" "as bundle 1: the failures were not recorded"
rows=$(awk -F, '/^rows:/ { s += $2 } END { print s }' "$b/manifest.csv")
is "$rows" "$all" "and it holds every change"

# An incremental export interrupted: the change goes in the next one.
kt anhai add training --set date=2025-04-01 --set category=worker \
	--set title=Later --set organizer=市总工会 --set venue=Hall \
	--set participants=20 >/dev/null 2>&1
KEPU_FAIL_WRITE_AFTER=300 run kt anhai export --out "$USB"
is_rc 74 "interrupted incremental export fails"
is "$(ls -A "$USB" | wc -l)" 1 "only the first bundle is on the stick"
run kt anhai export --out "$USB"
is_rc 0 "the next export succeeds"
like "$out" ": 1 row (bundle 2" "bundle 2 holds the one new change"
grep -q ',Later,' "$(latest "$USB")/training.csv"
ok $? "the change is in it"

# No folder to write to, or a bundle of that name already there.
run kt anhai export --out "$T/nowhere"
is_rc 73 "a missing output folder: 73"
mkdir -p "$T/u2/anhai-000003-20250630"
run kt anhai export --out "$T/u2" --empty
is_rc 73 "an existing bundle of the same name is not overwritten"
is "$(ls -A "$T/u2/anhai-000003-20250630" 2>&1)" "" "and it is left alone (there, and empty)"
run kt anhai export --out "$T/u2" --empty
is_rc 73 "still refused"
# The folder is renamed into place but its new name cannot be flushed to
# the stick: the bundle is taken back, nothing recorded, number reused.
mkdir -p "$T/u3"
KEPU_FAIL_DIRSYNC=1 run kt anhai export --out "$T/u3" --empty
is_rc 74 "a failed final folder sync: I/O error"
is "$(ls -A "$T/u3" 2>&1)" "" "and nothing is left on the stick"
run kt anhai export --out "$T/u3" --empty
is_rc 0 "the next export succeeds"
is "$(ls "$T/u3")" "anhai-000003-20250630" "with the number the failed one had"
done_testing
