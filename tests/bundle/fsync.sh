#!/bin/sh
# A bundle is on the stick to stay only if every file was flushed before
# the folder got its name, the folder itself before the rename, and the
# output folder after it.  KEPU_SYNC_LOG lists each fsync and the rename as
# they succeed; KEPU_FAIL_FSYNC=NAME makes the fsync of one file fail, which
# must fail the export and leave nothing.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 8 || { ok 1 "demo database"; done_testing; }

# Checks the log $1 against the files of bundle $2: each file's fsync,
# then the folder's, then the rename, then the parent's, and nothing else.
order_ok() {
	_log=$1
	_b=$2
	_rename=$(grep -n '^rename folder$' "$_log" | cut -d: -f1)
	_fdir=$(grep -n '^fsync-dir folder$' "$_log" | cut -d: -f1)
	_parent=$(grep -n '^fsync-dir parent$' "$_log" | cut -d: -f1)
	_lines=$(wc -l <"$_log")
	[ -n "$_rename" ] && [ -n "$_fdir" ] && [ -n "$_parent" ] || return 1
	[ "$_fdir" -lt "$_rename" ] && [ "$_rename" -lt "$_parent" ] &&
		[ "$_parent" -eq "$_lines" ] || return 1
	for _f in $(ls "$_b"); do
		_at=$(grep -n "^fsync $_f\$" "$_log" | cut -d: -f1)
		[ -n "$_at" ] && [ "$(printf '%s\n' "$_at" | wc -l)" -eq 1 ] &&
			[ "$_at" -lt "$_fdir" ] || return 1
	done
	# One fsync per file and no other line.
	[ "$(grep -c '^fsync ' "$_log")" -eq "$(ls "$_b" | wc -l)" ] &&
		[ "$(grep -c . "$_log")" -eq $(($(ls "$_b" | wc -l) + 3)) ]
}

KEPU_SYNC_LOG=$T/sync.log run kt anhai export --out "$USB"
is_rc 0 "an export with the sync log"
b=$(latest "$USB")
order_ok "$T/sync.log" "$b"
ok $? "every file fsync'ed once, then the folder, then the rename, then the parent" ||
	diag "$(cat "$T/sync.log")"
for f in training.csv activity.csv demo.csv progress.csv dictionary.csv manifest.csv SHA256SUMS manifest.sig; do
	grep -qx "fsync $f" "$T/sync.log"
	ok $? "$f was fsync'ed"
done

# Each file's fsync failing fails the export, leaving nothing.
kt anhai add training --set date=2025-04-01 --set category=worker \
	--set title=Later --set organizer=市总工会 --set venue=Hall \
	--set participants=20 >/dev/null 2>&1
mkdir "$T/stick"
for f in training.csv progress.csv manifest.csv SHA256SUMS manifest.sig; do
	KEPU_FAIL_FSYNC=$f run kt anhai export --out "$T/stick"
	is_rc 74 "the fsync of $f fails: the export fails (74)"
	like "$err" "cannot write $T/stick/$f: input/output error (the stick or disk may be pulled out or damaged)" "$f: says which file"
	is "$(ls -A "$T/stick")" "" "$f: nothing is left on the stick"
done
run kt anhai export --out "$T/stick"
is_rc 0 "then the export succeeds"
like "$out" "1 row (bundle 2" "as bundle 2: the failures recorded nothing"

# The city's forms and quota bundles are written the same way.
city_new
mkdir "$T/f"
KEPU_SYNC_LOG=$T/forms.log run kc forms export --out "$T/f"
is_rc 0 "a forms bundle"
order_ok "$T/forms.log" "$(ls -d "$T"/f/forms-*)"
ok $? "its files, folder, rename and parent in that order" || diag "$(cat "$T/forms.log")"
done_testing
