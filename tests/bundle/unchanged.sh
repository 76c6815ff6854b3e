#!/bin/sh
# Exporting with nothing new writes nothing and uses no bundle number;
# --empty writes a bundle with no changes (a zero report) when asked,
# --full every record again.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town_empty anhai

# the number of rows of training.csv in a bundle
rows() {
	tail -n +2 "$1/training.csv" | grep -c .
}

# A new database: nothing to export yet.
run kt anhai export --out "$USB"
is_rc 0 "nothing entered yet: exit 0"
like "$out" "nothing to export: no record has been entered yet; nothing written" \
	"says there is nothing to export"
like "$out" "--empty" "names the way to send one anyway"
is "$(ls -A "$USB" 2>&1)" "" "nothing on the stick, not even a hidden folder"

a=$(add 1 第一次培训 10)
run kt anhai export --out "$USB"
is_rc 0 "the first export"
like "$out" "anhai-000001-20250630: 1 row (bundle 1" "is bundle 1"

# Nothing new: say so, write nothing, keep the number.
run kt anhai export --out "$USB"
is_rc 0 "no change since bundle 1: exit 0"
is "$(echo "$out" | head -n 1)" \
	"no changes since bundle 1 (anhai-000001-20250630, 2025-06-30); nothing written" \
	"says which bundle it was and when"
like "$out" "kepu export --full writes every record again" "names --full"
is "$err" "" "and no error"
is "$(ls -A "$USB")" "anhai-000001-20250630" "nothing more on the stick"
KEPU_LANG=zh run kt anhai export --out "$USB"
is_rc 0 "zh: exit 0"
like "$out" "自第 1 号数据包（anhai-000001-20250630，2025-06-30）以来没有改动；没有写出数据包" \
	"zh: says so"
run kt anhai export --out "$T/nowhere"
is_rc 73 "a missing folder is still said, even with nothing new"
KEPU_TODAY=2025-07-02 run kt anhai export --out "$USB"
like "$out" "(anhai-000001-20250630, 2025-06-30)" "the date is that of bundle 1, not today's"

# The next change goes in bundle 2: no number was used up.
b=$(add 2 第二次培训 20)
run kt anhai export --out "$USB"
is_rc 0 "a change, then an export"
like "$out" "anhai-000002-20250630: 1 row (bundle 2" "is bundle 2"
run kc import "$USB/anhai-000001-20250630" "$USB/anhai-000002-20250630"
is_rc 0 "the city imports bundles 1 and 2"
unlike "$err" "missing" "and sees no gap"

# --empty: a bundle that says "nothing new" (a zero report).
mkdir -p "$T/z"
run kt anhai export --out "$T/z" --empty
is_rc 0 "--empty with nothing new"
z="$T/z/anhai-000003-20250630"
like "$out" "anhai-000003-20250630: 0 rows (bundle 3" "writes bundle 3 with no rows"
is "$(rows "$z")" 0 "training.csv holds the header only"
grep -q '^"\{0,1\}full"\{0,1\},"\{0,1\}0' "$z/manifest.csv"
ok $? "the manifest says it is not a full bundle"
from=$(awk -F, '$1 == "change_from" { print $2 }' "$z/manifest.csv" | tr -d '\r"')
to=$(awk -F, '$1 == "change_to" { print $2 }' "$z/manifest.csv" | tr -d '\r"')
is "$from" "$to" "its range of changes is empty ($from..$to)"
test -s "$z/progress.csv"
ok $? "it carries the progress report"
run kc verify "$z"
is_rc 0 "the city verifies it"
run kc import "$z"
is_rc 0 "and imports it"
like "$out" "new 0, updated 0" "it changes nothing"
unlike "$err" "missing" "no gap"
run kt anhai export --out "$T/z"
is_rc 0 "after --empty, nothing new again"
like "$out" "no changes since bundle 3" "names bundle 3"

# --full with nothing new writes every record again.
mkdir -p "$T/f"
run kt anhai export --out "$T/f" --full
is_rc 0 "--full with nothing new"
like "$out" "2 rows (bundle 4" "writes both records as bundle 4"
is "$(rows "$T/f/anhai-000004-20250630")" 2 "training.csv holds both"
run kc import "$T/f/anhai-000004-20250630"
is_rc 0 "the city imports it"
like "$out" "new 0, updated 0, unchanged 2" "and has them already"

# Options that do not go together.
run kt anhai export --out "$T/f" --full --empty
is_rc 64 "--full and --empty: usage error"
run kc quota export --out "$T/f" --empty
is_rc 64 "quota export has no --empty"
run kt anhai export --help
is_rc 0 "export --help"
like "$out" "--empty" "export --help names --empty"
like "$out" "says so and writes nothing" "and says what happens with nothing new"

# The city database behaves the same.
mkdir -p "$T/up"
run kc export --out "$T/up"
is_rc 0 "the city exports what it merged"
like "$out" "all-000001-20250630: 2 rows (bundle 1" "as its bundle 1"
run kc export --out "$T/up"
is_rc 0 "the city, nothing new: exit 0"
like "$out" "no changes since bundle 1 (all-000001-20250630, 2025-06-30)" "says so"
is "$(ls -A "$T/up")" "all-000001-20250630" "and writes nothing"
done_testing
