#!/bin/sh
# What a row of a bundle is: a record at one revision (its rev column), the
# newest one when the bundle was made.  A record changed several times
# between two exports travels once, at its newest revision; the city ends
# with the same record as if every revision had travelled.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town_empty anhai

# the id,rev,deleted cells of record $2 in bundle $1's training.csv
cells() {
	grep "^$2," "$1/training.csv" | cut -d, -f1,3,4
}

mkdir -p "$USB/1" "$USB/2" "$USB/3"
kept=$(add 1 一 10)
kt anhai export --out "$USB/1" >/dev/null                  # bundle 1: kept rev 1
b1=$(latest "$USB/1")

kt anhai edit "$kept" --set participants=11 >/dev/null 2>&1
kt anhai edit "$kept" --set participants=12 >/dev/null 2>&1
kt anhai edit "$kept" --set participants=13 >/dev/null 2>&1
gone=$(add 2 二 20)
kt anhai edit "$gone" --set participants=21 >/dev/null 2>&1
kt anhai delete "$gone" >/dev/null 2>&1
new=$(add 3 三 30)
kt anhai export --out "$USB/2" >/dev/null                  # bundle 2
b2=$(latest "$USB/2")

is "$(tail -n +2 "$b2/training.csv" | grep -c .)" 3 \
	"bundle 2: a row per record changed since bundle 1 (3), not per revision (7)"
is "$(cells "$b2" "$kept")" "$kept,4,0" "edited three times: one row, at revision 4"
grep "^$kept," "$b2/training.csv" | grep -q ',13,'
ok $? "with the values of revision 4"
is "$(cells "$b2" "$gone")" "$gone,3,1" "added, edited and deleted: its tombstone, revision 3"
is "$(cells "$b2" "$new")" "$new,1,0" "a new record: revision 1"
is "$(grep -c "^$kept," "$b1/training.csv")" 1 "bundle 1 held the first revision"
is "$(awk -F, '$1 == "rows:training" { print $2 }' "$b2/manifest.csv" | tr -d '\r"')" 3 \
	"the manifest counts the rows"

run kc import "$b1" "$b2"
is_rc 0 "the city imports both"
like "$(kc list training --csv | grep "^$kept,")" ",13," "the city has the newest values"
is "$(kc show "$kept" | grep -c '^revision  *4$')" 1 "at revision 4"
run kc list training --csv
is "$rc:$(printf '%s\n' "$out" | grep -c "^$gone,")" 0:0 "the deleted record is not listed"
like "$out" "$new," "the others are"
is "$(kc list training --csv --deleted | grep -c "^$gone,")" 1 "it is kept as a tombstone"
is "$(kc report --csv | awk -F, '$2 == "anhai" && $3 == "worker_training" { print $6 }')" \
	43 "the city's total counts the newest revisions only (13 + 30)"
is "$(kt anhai report --csv | awk -F, '$3 == "worker_training" { print $6 }')" \
	43 "as the township's does"

# Importing an intermediate revision later changes nothing: the newer one stays.
kt anhai edit "$kept" --set participants=14 --set date=2025-04-09 >/dev/null 2>&1
kt anhai export --out "$USB/3" >/dev/null                  # bundle 3: kept rev 5
run kc import "$b1"
like "$out" "already imported" "an old bundle again: already imported"
run kc import "$(latest "$USB/3")"
like "$out" "updated 1" "bundle 3 updates the record"
like "$(kc list training --csv | grep "^$kept,")" ",14," "to revision 5"
is "$(kc list training --csv --month 2025-04 | grep -c "^$kept,")" 1 \
	"found under its new date"
is "$(kc list training --csv --month 2025-03 | grep -c "^$kept,")" 0 \
	"and no longer under its old one"
run kc check
is_rc 0 "city totals and the date index agree"
done_testing
