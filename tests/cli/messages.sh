#!/bin/sh
# How messages read: nothing read from the user, a file (or its name) or
# the database reaches the terminal as a control sequence; English counts
# agree with their nouns ("1 row", "2 rows"); a --rev newer than the
# record is a mistake, not a conflict; tables keep their columns apart;
# help tells the truth.
. "$KEPU_SRCDIR/tests/lib.sh"

ESC=$(printf '\033')

# no_esc NAME: the last run wrote no ESC byte to stderr or stdout.
no_esc() {
	! grep -q "$ESC" "$T/err" "$T/out"
	ok $? "$1: no raw escape sequence"
}

# ---- escapes: from the command line, the database and files -------------

new_db
run k add training --set "cat${ESC}[2Jegory=worker" --set "date=2025${ESC}[2J" \
	--set title=x --set participants=9
is_rc 65 "bad field name and date: 65"
no_esc "bad field name and date"
like "$err" '^[[2J' "the escape is shown as ^["

run k show "${ESC}[2Jjunk"
is_rc 66 "show an unknown id: 66"
no_esc "show an unknown id"

run "$KEPU" "${ESC}[2J"
is_rc 64 "unknown command: 64"
no_esc "unknown command"

run k edit "${ESC}]0;x${ESC}\\" --set title=y
is_rc 66 "edit an unknown id: 66"
no_esc "edit an unknown id"

printf 'key,value\nformat,kepu-public-key-1\ntownship,an%s[2Jhai\npublic_key,%s\n' \
	"$ESC" 1b9129986c88af35bcd94ff8d080cd53496ac05a9b435d6b07c958b0c3e7bf4d >"$T/bad.key"
run k township trust "$T/bad.key"
isnt "$rc" 0 "a key file naming no township is refused"
no_esc "key file with an escape"

printf 'year,township,indicator,target\n2025,chendai,worker_training,"1%s[2J"\n' "$ESC" >"$T/q.csv"
run k quota import "$T/q.csv"
is_rc 65 "quota file with an escape: 65"
no_esc "quota file with an escape"

# Every message of add --from-csv that shows the file's text or name.
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

# ---- --rev ----------------------------------------------------------------

run k add training --set date=2025-03-05 --set category=worker --set title=t \
	--set participants=9
id=$out
run k edit "$id" --set participants=10 --rev 7
is_rc 64 "edit --rev newer than the record: 64"
like "$err" "there is no revision 7" "edit --rev 7: says there is no such revision"
run k delete "$id" --rev 7
is_rc 64 "delete --rev newer than the record: 64"
run k show "$id"
like "$out" "Participants     9" "the record is unchanged"
unlike "$out" "deleted" "the record is not deleted"
run k edit "$id" --set participants=0
is_rc 65 "edit to 0 participants: 65"
like "$err" "kepu: 1 error, nothing changed" "one error is 'error', not 'errors'"

# ---- tables: a cut label still leaves a space before the next column -----

"$KEPU" --db "$T/city.kepu" init --city --year 2025 >/dev/null
"$KEPU" --db "$T/city.kepu" add demo --township qingyang --set date=2025-03-01 \
	--set kind=entity --set name=示范社 >/dev/null 2>&1
run "$KEPU" --db "$T/city.kepu" list
is_rc 0 "city list"
unlike "$out" "…Q" "the form column does not run into the township"
like "$out" "Qingyang Subdistrict " "township names fit"
run "$KEPU" --db "$T/city.kepu" survey set nosuch=1
is_rc 64 "survey set of an unknown indicator: 64"
unlike "$err" " )" "the list of survey indicators has no stray space"
run "$KEPU" --db "$T/city.kepu" survey set science_literacy_rate=150
is_rc 65 "a literacy rate of 150%: 65"
like "$err" "percentage from 0 to 100" "says what a valid value is"

# ---- counts agree with their nouns ----------------------------------------

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

# Quota files in a township database: the city's whole list is fine, a
# file with none of this township's rows is not.
printf 'year,township,indicator,target\n2025,chendai,worker_training,300\n2025,anhai,worker_training,222\n' \
	>"$T/all.csv"
run k quota import "$T/all.csv"
is_rc 0 "the city's whole quota list in a township database"
like "$out" "imported 1 quota from" "imported 1 quota"
like "$err" "skipped 1 row for other townships" "skipped 1 row (for other townships)"
run k quota show --csv
unlike "$out" "anhai" "another township's quota is not stored"
like "$out" "2025,chendai,worker_training,300" "its own quota is stored"
printf 'year,township,indicator,target\n2025,anhai,worker_training,222\n' >"$T/anhai.csv"
run k quota import "$T/anhai.csv"
is_rc 65 "a quota file only for another township: 65"
like "$err" "none for chendai" "says the file holds none of this township's"

printf 'year,township,indicator,target\n2025,chendai,worker_training,1,500\n' >"$T/comma.csv"
run k quota import "$T/comma.csv"
is_rc 65 "a quota row with more cells than the header: 65"
like "$err" "comma.csv:2: row has 5 fields, the header has 4" "names the row"

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

# ---- help and usage ---------------------------------------------------------

run "$KEPU" help nosuch
is_rc 64 "help of an unknown command: 64"
like "$err" "unknown command 'nosuch'" "help nosuch: unknown command"
run "$KEPU" --db "$T/x.kepu" init --city --township chendai
is_rc 64 "init --city --township: 64"
like "$err" "not both" "init --city --township: not both"
run "$KEPU" demo --help
like "$out" "--training-csv N" "demo --help names --training-csv (as the manual does)"
run "$KEPU" list --help
like "$out" "tab or CR" "list --help: --excel also guards tab and CR (as the manual says)"
like "$out" "cells exactly as stored,
                  formulas too: a cell starting with = + - @ runs as a
                  formula when the file is opened in Excel or WPS" \
	"list --help: --csv writes formula cells raw, and says so"
like "$out" "for a
                  spreadsheet use --excel" "and suggests --excel"
out=$(KEPU_LANG=zh "$KEPU" list --help)
like "$out" "用 Excel/WPS 打开时会被当作公式" "in Chinese too"
like "$out" "要在电子表格里打开，请用 --excel" "with the suggestion"
"$KEPU" --help >/dev/full 2>/dev/null
is "$?" 74 "--help on a full disk: 74"
"$KEPU" --version >/dev/full 2>/dev/null
is "$?" 74 "--version on a full disk: 74"
run "$KEPU" --db "$T/none.kepu" list
is_rc 66 "no database: 66"
is "$(wc -l <"$T/err")" 1 "no database: one message"
like "$err" "kepu init --township ID" "no database: says how to create one"
mkdir "$T/afolder"
run "$KEPU" --db "$T/afolder" list
is_rc 66 "a folder for the database: 66"
is "$err" "kepu: $T/afolder is a folder, not a database file" "says so, not \"create one\""
KEPU_LANG=zh run "$KEPU" --db "$T/afolder" list
is "$err" "kepu: $T/afolder 是一个文件夹，不是数据库文件" "in Chinese"
run "$KEPU" --db "$T/afolder" init --township chendai
is_rc 73 "init on a folder: 73"
like "$err" "is a folder; give the path of the database file (such as $T/afolder/kepu.db)" \
	"says it is a folder, not a database that exists"
KEPU_LANG=zh run "$KEPU" --db "$T/no/such/x.db" init --township chendai
like "$err" "无法打开数据库 $T/no/such/x.db：路径不存在" "a missing folder: the cause in Chinese"

done_testing
