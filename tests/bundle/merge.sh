#!/bin/sh
# Incremental bundles: newer revisions replace older ones, older never
# replace newer, tombstones delete, gaps in the sequence are reported,
# formula-like cells survive the trip, GB18030 bundles work.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town_empty anhai

mkdir -p "$USB/1" "$USB/2" "$USB/3" "$USB/4" "$USB/5"
a=$(add 1 第一次培训 10)
kt anhai export --out "$USB/1" >/dev/null                 # bundle 1: a
r=$(add 2 '=HYPERLINK("http://x")' 20)
kt anhai export --out "$USB/2" >/dev/null                 # bundle 2: r
kt anhai edit "$r" --set participants=37 >/dev/null 2>&1
kt anhai export --out "$USB/3" >/dev/null                 # bundle 3: r rev 2
kt anhai delete "$a" >/dev/null 2>&1
kt anhai export --out "$USB/4" >/dev/null                 # bundle 4: a deleted
b1=$(latest "$USB/1"); b2=$(latest "$USB/2"); b3=$(latest "$USB/3"); b4=$(latest "$USB/4")

grep -q "'=HYPERLINK" "$b2/training.csv"
ok $? "a formula-like cell is neutralised in the file"

run kc import "$b1" "$b3"
is_rc 0 "bundles 1 and 3 import"
like "$err" "anhai: bundle 2 is missing (between 1 and 3)" "the gap is reported"
like "$out" "new 1, updated 0" "bundle 3 brings the edited record as new"
like "$(kc list training --csv | grep "$r")" ",Hall,37," "the city has revision 2 (37 participants)"

run kc import "$b2"
is_rc 0 "bundle 2 imports late"
like "$out" "stale 1" "its older revision is stale"
unlike "$err" "missing" "no gap any more"
like "$(kc list training --csv | grep "$r")" ",Hall,37," "the newer revision stays"
like "$(kc list training --csv)" ',"=HYPERLINK(""http://x"")",' "the formula-like title is restored exactly"

run kc import "$b4"
is_rc 0 "bundle 4 (a tombstone) imports"
like "$out" "updated 1" "the tombstone updates"
run kc list training --csv
is_rc 0 "the city lists its trainings"
like "$out" "$r," "the other record is listed"
unlike "$out" "$a," "the deleted record is gone from the list"
is "$(kc list training --csv --deleted | grep -c "^$a,")" 1 "and kept as a tombstone"

run kc import "$b4"
like "$out" "already imported" "bundle 4 again: already imported"

# The same bundle number with other contents is refused.
cp "$T/anhai.kepu" "$T/fork.kepu"
kt fork add training --set date=2025-03-05 --set category=worker --set title=Fork \
	--set organizer=市总工会 --set venue=Hall --set participants=5 >/dev/null 2>&1
kt fork export --out "$USB/5" >/dev/null
kt anhai add training --set date=2025-03-06 --set category=worker --set title=Own \
	--set organizer=市总工会 --set venue=Hall --set participants=5 >/dev/null 2>&1
mkdir -p "$T/u5" "$T/u6" "$T/u7"
kt anhai export --out "$T/u5" >/dev/null
run kc import "$(latest "$USB/5")"
is_rc 0 "bundle 5 (of a copied database) imports"
run kc import "$(latest "$T/u5")"
is_rc 65 "another bundle 5 is refused"
like "$err" "bundle 5 was already imported with different contents" "and says why"

# A full bundle covers the bundles before it.
kt anhai export --out "$T/u6" --empty >/dev/null
kt anhai export --out "$T/u7" --full >/dev/null
run kc import "$(latest "$T/u7")"
is_rc 0 "a full bundle imports"
unlike "$err" "missing" "no gap reported before a full bundle"
run kc import "$(latest "$T/u6")"
is_rc 0 "the skipped bundle can still be imported"
like "$out" "new 0, updated 0" "and brings nothing new"

# GB18030
mkdir -p "$T/gb"
run kt anhai export --out "$T/gb" --full --encoding gb18030
is_rc 0 "a GB18030 export"
g=$(latest "$T/gb")
iconv -f UTF-8 -t UTF-8 "$g/training.csv" >/dev/null 2>&1
isnt $? 0 "the file is not UTF-8"
iconv -f GB18030 -t UTF-8 "$g/training.csv" | grep -q '第一次培训'
ok $? "it is GB18030"
run kc import "$g"
is_rc 0 "the city imports it"
like "$out" "new 0, updated 0, unchanged" "and finds nothing new"

run kc check
is_rc 0 "city totals agree"
run kc import --help
is_rc 0 "import --help"
run kc import
is_rc 64 "import without a bundle: usage error"
run kc export
is_rc 64 "export without --out: usage error"
done_testing
