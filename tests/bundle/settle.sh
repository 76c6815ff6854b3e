#!/bin/sh
# An export killed between finishing its folder and recording it (kill -9,
# a power cut) leaves a complete, signed bundle the database has not
# recorded.  The next export settles it: a bundle of its own found on the
# stick is recorded, a folder never renamed is removed and its changes
# sent again, a bundle that cannot be found keeps its number.  Retries
# never fail, no number is used twice, the city sees no conflict and ends
# with every record.  KEPU_TEST_CRASH=NAME makes kepu kill itself
# (SIGKILL) at the crash point NAME of an export.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 4 || { ok 1 "demo database"; done_testing; }
city_new
kc township trust "$T/anhai.key" >/dev/null
n=0
more() {
	n=$((n + 1))
	kt anhai add training --set date="$(printf '2025-04-%02d' $n)" --set category=worker \
		--set title="Later $n" --set organizer=市总工会 --set venue=Hall \
		--set participants=2$n >/dev/null 2>&1
}

# 1. A database that never recorded the bundle on the stick (what a kill
#    just after the rename left before exports were recorded as pending):
#    the database from before the export, the bundle from after it.
cp "$T/anhai.kepu" "$T/saved.kepu"
kt anhai export --out "$USB" >/dev/null
mv "$T/saved.kepu" "$T/anhai.kepu"
rm -f "$T/anhai.kepu-lock"
run kt anhai export --out "$USB"
is_rc 0 "an unrecorded bundle of its own on the stick: the retry succeeds"
like "$err" "bundle 1, anhai-000001-20250630, was complete in $USB/anhai-000001-20250630 but not recorded" \
	"it says what it found"
like "$err" "recorded now" "and that it recorded it"
like "$out" "no changes since bundle 1 (anhai-000001-20250630" \
	"nothing new is written: bundle 1 holds the changes"
unlike "$out$err" "will be in the next export" "no untrue promise"
run kt anhai export --out "$USB"
is_rc 0 "and so does the one after"

# 2. Killed after the rename, before the new name was flushed.
more
KEPU_TEST_CRASH=renamed run kt anhai export --out "$USB"
is_rc 137 "killed just after the rename"
is "$(ls "$USB" | tail -n 1)" "anhai-000002-20250630" "bundle 2 is complete on the stick"
run kt anhai export --out "$USB"
is_rc 0 "the next export succeeds"
like "$err" "bundle 2, anhai-000002-20250630, was complete in" "it finds bundle 2"
like "$out" "no changes since bundle 2" "and records it: nothing is left to send"

# 3. Killed after the flush, before recording.
more
KEPU_TEST_CRASH=published run kt anhai export --out "$USB"
is_rc 137 "killed before recording bundle 3"
run kt anhai export --out "$USB"
is_rc 0 "recorded by the next export"
like "$err" "bundle 3, anhai-000003-20250630, was complete" "said so"

# 4. Killed after recording it as pending, before the rename: the hidden
#    folder is removed and its number and changes go into the next bundle.
more
KEPU_TEST_CRASH=pending run kt anhai export --out "$USB"
is_rc 137 "killed before the rename"
is "$(ls -A "$USB" | grep -c '^\.anhai-000004-')" 1 "its hidden folder is there"
run kt anhai export --out "$USB"
is_rc 0 "the next export succeeds"
like "$err" "an export was interrupted before bundle 4, anhai-000004-20250630, was in place: its temporary folder was removed" \
	"it says what it removed"
like "$out" "wrote $USB/anhai-000004-20250630: 1 row (bundle 4" "and writes bundle 4 with the change"
is "$(ls -A "$USB" | grep -c '^\.')" 0 "no hidden folder is left"

# 5. Killed after the rename onto a stick that is then taken away: the
#    bundle cannot be found, so its number is not used again.
more
mkdir "$T/stick"
KEPU_TEST_CRASH=published run kt anhai export --out "$T/stick"
is_rc 137 "killed writing bundle 5 to another stick"
mv "$T/stick" "$T/stick-away"
run kt anhai export --out "$USB"
is_rc 0 "the next export, to the first stick, succeeds"
like "$err" "bundle 5, anhai-000005-20250630, was being written to $T/stick when the export was interrupted, and is not there now" \
	"it says bundle 5 cannot be found"
like "$err" "its number is not used again, and its changes go into the next bundle" \
	"and what it does about it"
like "$out" "wrote $USB/anhai-000006-20250630: 1 row (bundle 6" \
	"bundle 6 holds bundle 5's change"

# 6. A folder of that name that is not this database's bundle is left.
more
mkdir "$USB/anhai-000007-20250630"
run kt anhai export --out "$USB"
is_rc 73 "someone else's folder with the next name: refused (73)"
is "$(ls -A "$USB/anhai-000007-20250630")" "" "and left alone"
rmdir "$USB/anhai-000007-20250630"
run kt anhai export --out "$USB"
is_rc 0 "once it is moved away the export succeeds"

# Two clerks exporting at the same moment: one bundle per change set, the
# other export says there was nothing new or that another took the number,
# never a conflict; the numbers go on without a gap.
mkdir "$T/both"
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	more
	kt anhai export --out "$T/both" >"$T/o1" 2>"$T/e1" &
	p1=$!
	kt anhai export --out "$T/both" >"$T/o2" 2>"$T/e2" &
	p2=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	for r in "$r1:1" "$r2:2"; do
		case $r in
		0:*) ;;
		75:*) grep -q "export again once the other export is done" "$T/e${r#*:}" ||
			echo "round $i: 75 without the right words: $(cat "$T/e${r#*:}")" >>"$T/odd" ;;
		*) echo "round $i: exit ${r%%:*}: $(cat "$T/e${r#*:}")" >>"$T/odd" ;;
		esac
	done
done
is "$(cat "$T/odd" 2>/dev/null)" "" "ten rounds of two exports at once: each ends well or says to export again"
is "$(ls -A "$T/both" | grep -c '^\.')" 0 "no temporary folder is left"
nums=$(ls "$T/both" | sed 's/^anhai-0*\([0-9]*\)-.*/\1/' | sort -n | tr '\n' ' ')
first=$(printf '%s\n' $nums | head -n 1)
last=$(printf '%s\n' $nums | tail -n 1)
is "$nums" "$(seq "$first" "$last" | tr '\n' ' ')" "the bundles are numbered without a gap or a repeat"

# The city's forms bundles are settled the same way.
mkdir "$T/forms"
KEPU_TEST_CRASH=published run kc forms export --out "$T/forms"
is_rc 137 "a forms export killed before recording"
run kc forms export --out "$T/forms"
is_rc 0 "the next forms export succeeds"
like "$err" "bundle 1, forms-v" "it finds forms bundle 1"
like "$out" "(forms bundle 2)" "records it and goes on with number 2"

# The city: every bundle, in any order, the lost one too; no conflict.
run kc import "$USB"/anhai-*
is_rc 0 "the city imports the first stick"
unlike "$out$err" "conflict" "without a conflict"
like "$err" "bundle 5 is missing (between 4 and 6)" "it notes that bundle 5 has not come"
run kc import "$T/stick-away"/anhai-000005-*
is_rc 0 "bundle 5, when its stick turns up, imports too"
like "$out" "unchanged 1" "and changes nothing: bundle 6 brought its change"
run kc import "$T/both"/anhai-*
is_rc 0 "the bundles of the exports made at the same moment import"
unlike "$out$err" "conflict" "without a conflict"
is "$(checked kc)" "$(checked kt anhai)" "the city holds every record of the township"
done_testing
