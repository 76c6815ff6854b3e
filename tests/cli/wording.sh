#!/bin/sh
# How messages read: add --from-csv never echoes a control character of a
# file (or its name) to the terminal, and English counts agree with their
# nouns ("1 row", "2 rows").
. "$KEPU_SRCDIR/tests/lib.sh"

ESC=$(printf '\033')

# no_esc NAME: the last run wrote no ESC byte to stderr or stdout.
no_esc() {
	! grep -q "$ESC" "$T/err" "$T/out"
	ok $? "$1: no raw escape sequence"
}

# Every message of add --from-csv that shows the file's text or name.
new_db
printf 'date,ti%s[2Jtle,category,participants\n2025-03-05,x,worker,3\n' "$ESC" \
	>"$T/esc-header.csv"
run k add training --from-csv "$T/esc-header.csv"
is_rc 65 "a header cell with an escape: 65"
no_esc "unknown column"
like "$err" "unknown column 'ti^[[2Jtle'" "the column is named, its escape made visible"

bad="$T/b${ESC}[2Jd.csv"
printf 'date,title,category,participants\n2025-03-05,x\n' >"$bad"
run k add training --from-csv "$bad"
is_rc 65 "a short row in a file whose name holds an escape: 65"
no_esc "short row"
like "$err" "b^[[2Jd.csv:2: row has 2 fields" "the file is named, its escape made visible"
like "$err" "1 row is malformed" "and the summary too"

printf 'date,title,category,participants\n2025-03-05,x,worker,0\n' >"$bad"
run k add training --from-csv "$bad"
is_rc 65 "a bad row in that file: 65"
no_esc "bad row"

printf 'date,date\n' >"$bad"
run k add training --from-csv "$bad"
is_rc 65 "a column twice in that file: 65"
no_esc "column twice"

: >"$bad"
run k add training --from-csv "$bad"
is_rc 65 "that file empty: 65"
no_esc "empty file"

printf 'date,title,category,participants\n2025-03-05,ok,worker,3\n' >"$bad"
run k add training --from-csv "$bad"
is_rc 0 "a good row in that file"
no_esc "added"
like "$err" "added 1 training record from" "added 1 training record (singular)"

printf 'date,title,category,participants\n2025-03-05,%s[31mred,worker,3\n' \
	"$ESC" >"$T/esc-cell.csv"
run k add training --from-csv "$T/esc-cell.csv"
is_rc 65 "a cell with an escape: 65"
no_esc "cell with an escape"

# Plurals
new_db
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=0
is_rc 65 "one error"
like "$err" "kepu: 1 error, nothing stored" "1 error"
unlike "$err" "1 errors" "not 1 errors"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=0 --set hours=-1
is_rc 65 "two errors"
like "$err" "kepu: 2 errors, nothing stored" "2 errors"

printf 'date,title,category,participants\n2025-03-05,x,worker,0\n' >"$T/one-bad.csv"
run k add training --from-csv "$T/one-bad.csv"
like "$err" "1 row has errors; nothing stored" "1 row has errors"
printf 'date,title,category,participants\n2025-03-05,x,worker,0\n2025-03-05,y,worker,0\n' \
	>"$T/two-bad.csv"
run k add training --from-csv "$T/two-bad.csv"
like "$err" "2 rows have errors; nothing stored" "2 rows have errors"
printf 'date,title,category,participants\n2025-03-05\n2025-03-05,x\n' >"$T/short.csv"
run k add training --from-csv "$T/short.csv"
like "$err" "short.csv:2: row has 1 field, the header has 4" "row has 1 field"
like "$err" "short.csv:3: row has 2 fields, the header has 4" "row has 2 fields"
like "$err" "2 rows are malformed" "2 rows are malformed"

printf 'date,title,category,participants\n2025-03-05,a,worker,3\n2025-03-06,b,worker,4\n' \
	>"$T/two.csv"
run k add training --from-csv "$T/two.csv"
is_rc 0 "two good rows"
like "$err" "added 2 training records" "added 2 training records"

k list training --csv | sed -n 2p | cut -d, -f1 >"$T/id"
run k delete "$(cat "$T/id")"
run k list
is "$(printf '%s\n' "$out" | tail -n 1)" "1 record" "list: 1 record"
run k check
like "$out" "OK: 1 record, totals agree" "check: 1 record"

printf 'year,township,indicator,target\n2025,chendai,worker_training,300\n2025,anhai,worker_training,222\n' \
	>"$T/q.csv"
run k quota import "$T/q.csv"
like "$out" "imported 1 quota from" "imported 1 quota"
like "$err" "skipped 1 row for other townships" "skipped 1 row"

mkdir "$T/usb"
run k export --out "$T/usb" --full
is_rc 0 "export"
like "$out" ": 2 rows (bundle 1" "export counts rows (the tombstone too)"
run k add training --set date=2025-05-01 --set category=worker --set title=z \
	--set participants=5
run k export --out "$T/usb"
is_rc 0 "a second export"
like "$out" ": 1 row (bundle 2" "1 row"
run k verify "$(ls -d "$T"/usb/chendai-000002-*)"
is_rc 0 "verify"
like "$out" ", 1 row, signed by key" "verify: 1 row"

done_testing
