#!/bin/sh
# add --set, show, list, edit, delete: what is stored, what is refused.
. "$KEPU_SRCDIR/tests/lib.sh"

new_db chendai

run k add training --set date=2025-03-05 --set category=rural_tech \
	--set title=茶叶种植技术培训 --set participants=45 --set farmers=30
is_rc 0 "add a training record"
id=$out
echo "$id" | grep -qE '^[0-9A-HJKMNP-TV-Z]{26}$'
ok $? "add prints the new id alone on stdout"
like "$err" "Practical rural technology training +45 → 45" "add shows the quota impact"
is "$(count training)" 1 "one record stored"

run k show "$id"
is_rc 0 "show the new record"
like "$out" "茶叶种植技术培训" "show has the title"
like "$out" "rural_tech" "show has the category"
like "$out" "Participants" "show labels fields"
like "$out" "revision" "show has the bookkeeping"
like "$out" "$(id -un)" "show names the Unix account"

run k show 01HZZZZZZZZZZZZZZZZZZZZZZZ
is_rc 66 "show an unknown id: 66"
run k show not-an-id
is_rc 66 "show a malformed id: 66"

# refused: 65, nothing stored
run k add training --set date=2025-03-05 --set category=rural_tech --set participants=45
is_rc 65 "missing required title: 65"
like "$err" "title:" "the error names the field"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=ten
is_rc 65 "participants=ten: 65"
like "$err" "participants:" "type error names the field"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=0
is_rc 65 "participants=0 (below the minimum): 65"
run k add training --set date=2025-02-30 --set category=worker --set title=x \
	--set participants=3
is_rc 65 "impossible date: 65"
run k add training --set date=2019-05-01 --set category=worker --set title=x \
	--set participants=3
is_rc 65 "date outside the plan: 65"
run k add training --set date=2025-03-05 --set category=astrology --set title=x \
	--set participants=3
is_rc 65 "unknown category: 65"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3 --set farmers=2
is_rc 65 "farmers for a worker training (not relevant): 65"
run k add training --set date=2025-03-05 --set category=rural_tech --set title=x \
	--set participants=3 --set farmers=5
is_rc 65 "farmers > participants: 65"
like "$err" "farmers" "the constraint's message names farmers"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3 --set colour=blue
is_rc 65 "unknown field: 65"
like "$err" "colour" "unknown field is named"
esc=$(printf 'bad\033[2Jtitle')
run k add training --set date=2025-03-05 --set category=worker --set "title=$esc" \
	--set participants=3
is_rc 65 "an escape sequence in a text field: 65"
bell=$(printf 'bell\007')
run k add training --set date=2025-03-05 --set category=worker --set "title=$bell" \
	--set participants=3
is_rc 65 "a control character in a text field: 65"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3 --township anhai
is_rc 65 "another township in a township database: 65"
run k add lecture --set title=x
is_rc 64 "unknown form: 64"
like "$err" "training" "unknown form: the message lists the forms"
is "$(count training)" 1 "nothing stored by the refused adds"
run k check
is_rc 0 "check after the refused adds"

# values are stored exactly as given
title='A=B, "quoted" 晋江·陈埭 科普 '
notes=$(printf 'line one\nline two\ttabbed')
run k add training --set date=2025-04-01 --set category=worker --set "title=$title" \
	--set participants=12 --set "notes=$notes"
is_rc 0 "add with '=', quotes, commas, a newline and a tab"
id2=$out
k list training --csv >"$T/list.csv"
printf '%s' "$title" >"$T/want"
k show "$id2" >/dev/null
# the title cell, decoded by a strict CSV reader
/usr/bin/python3 - "$T/list.csv" "$id2" title >"$T/got" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
sys.stdout.write([r for r in rows if r['id'] == sys.argv[2]][0][sys.argv[3]])
EOF
cmp -s "$T/got" "$T/want"
ok $? "title comes back byte for byte through list --csv"
printf '%s' "$notes" >"$T/want"
/usr/bin/python3 - "$T/list.csv" "$id2" notes >"$T/got" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
sys.stdout.write([r for r in rows if r['id'] == sys.argv[2]][0][sys.argv[3]])
EOF
cmp -s "$T/got" "$T/want"
ok $? "notes with a newline and a tab come back byte for byte"
head -c 3 "$T/list.csv" | od -An -c | grep -q 'i   d   ,'
ok $? "list --csv starts with the header, no BOM"
grep -q "$(printf '\r')" "$T/list.csv"
ok $(( ! $? )) "list --csv has no CR"
is "$(head -1 "$T/list.csv")" \
	"id,township,date,end_date,category,title,organizer,venue,participants,farmers,certified,hours,trainer,notes,rev,created_by,created_at,changed_by,changed_at,deleted" \
	"list --csv header"
run k show "$id2"
unlike "$out" "$(printf '\t')" "show writes no raw tab"
like "$out" "line one↵line two" "show makes the newline visible"

run k list
is_rc 0 "list as a table"
like "$out" "茶叶种植技术培训" "the table has the titles"
like "$out" "2 records" "the table counts"
run env LC_ALL=C LANG=C "$KEPU" --db "$DB" list
like "$out" "茶叶种植技术培训" "the C locale still shows Chinese"
is "$out" "$(LC_ALL=C.UTF-8 "$KEPU" --db "$DB" list)" "the table is the same as in C.UTF-8"
run k list --text 茶叶
is "$(printf '%s\n' "$out" | tail -n 1)" "1 record" "list --text filters"
run k list --month 2025-04
is "$(printf '%s\n' "$out" | tail -n 1)" "1 record" "list --month filters"
run k list --year 2024
like "$out" "0 records" "list --year filters"
run k list --csv
is_rc 64 "list --csv without a form: 64"
run k list training --excel
is_rc 0 "list --excel"
head -c 3 "$T/out" | od -An -tx1 | grep -q 'ef bb bf'
ok $? "list --excel starts with a BOM"
grep -q "$(printf '\r')\$" "$T/out"
ok $? "list --excel ends rows with CRLF"

# edit
run k edit "$id" --set participants=50
is_rc 0 "edit participants"
like "$out" "revision 2" "edit says the new revision"
like "$err" "+5 → 50" "edit shows the quota impact"
run k report --csv
like "$out" "rural_tech_training" "report after edit"
run k edit "$id" --set participants=60 --rev 1
is_rc 75 "edit from a stale revision: 75"
like "$err" "revision 2" "the conflict names the current revision"
run k show "$id"
like "$out" "50" "the stale edit changed nothing"
run k edit "$id" --set participants=-1
is_rc 65 "edit to a bad value: 65"
run k edit "$id" --set participants=55 --rev 2
is_rc 0 "edit from the current revision"
run k edit 01HZZZZZZZZZZZZZZZZZZZZZZZ --set participants=5
is_rc 66 "edit an unknown id: 66"
run k edit "$id" --set farmers=
is_rc 65 "clearing a required field: 65"

# delete
run k delete "$id" --rev 1
is_rc 75 "delete from a stale revision: 75"
is "$(count training)" 2 "the stale delete deleted nothing"
run k delete "$id"
is_rc 0 "delete"
like "$out" "deleted" "delete says so"
is "$(count training)" 1 "deleted record is not listed"
is "$(count training --deleted)" 2 "deleted record is listed with --deleted"
k list training --csv --deleted | grep "^$id," | grep -q ',1$'
ok $? "the tombstone's deleted column is 1"
run k show "$id"
is_rc 0 "show a tombstone"
like "$out" "deleted" "show says it is deleted"
run k delete "$id"
is_rc 66 "delete a tombstone again: 66"
run k edit "$id" --set participants=5
is_rc 66 "edit a tombstone: 66"
run k check
is_rc 0 "check after edits and deletes"
like "$out" "OK: 1 record," "check counts live records"

# warnings do not stop a save
run k add training --set date=2025-04-01 --set category=worker --set "title=$title" \
	--set participants=12
is_rc 0 "a likely duplicate is saved"
like "$err" "warning:" "with a warning on stderr"

# add --help names the forms of the database, not a fixed list
mkdir "$T/forms"
cp "$KEPU_FORMS"/*.csv "$T/forms/"
printf 'name,type,label_zh,label_en,required,role\r\nday,date,日期,Day,yes,date\r\ntopic,text,议题,Topic,,key\r\n' \
	>"$T/forms/meeting.csv"
sed -i 's/^forms,training|activity|demo/forms,training|activity|demo|meeting/' "$T/forms/formset.csv"
"$KEPU" --db "$T/m.kepu" init --township chendai --forms "$T/forms" >/dev/null
run "$KEPU" --db "$T/m.kepu" add --help
like "$out" "  meeting         meeting" "add --help lists a form the forms folder added"
like "$out" "  training        Training" "and the shipped ones with their labels"
KEPU_TODAY=2025-06-30 run "$KEPU" --db "$T/m.kepu" add meeting --set day=2025-06-01 --set topic=x
is_rc 0 "and takes records of it: its date is the field with role date"
run k add --help
unlike "$out" "meeting" "another database lists its own forms"

# Chinese messages
run env KEPU_LANG=zh "$KEPU" --db "$DB" add training --set date=2025-03-05
is_rc 65 "zh: a refused add is still 65"
like "$err" "未保存" "zh: the refusal is in Chinese"

# a choice that is not one: the first choices with their names, how many
run k add training --set date=2025-03-05 --set category=zzz --set title=t \
	--set participants=5
is_rc 65 "an unknown choice: 65"
like "$err" "no choice “zzz”; valid: teacher (Science teacher (counsellor) training), rural_tech (Practical rural technology training)," \
	"the choices are named with their codes"
like "$err" ", … (10 in all); a code, its name or its number will do" \
	"and counted, with what may be written"
run env KEPU_LANG=zh "$KEPU" --db "$DB" add training --set date=2025-03-05 \
	--set category=zzz --set title=t --set participants=5
like "$err" "「培训类别」没有“zzz”这一项，可选：teacher（科学教师（辅导员）培训）、rural_tech（农村实用技术培训）、" \
	"zh: the same in Chinese"
like "$err" "……共 10 项；写代码、名称或序号都可以" "zh: counted"
run k add training --set date=2025-03-05 --set "category=Worker training" \
	--set title=t --set participants=5
is_rc 0 "the English name of a choice is taken"
run env KEPU_LANG=zh "$KEPU" --db "$DB" add training --set date=2025-03-06 \
	--set 培训类别=劳动者培训 --set title=t --set participants=5
is_rc 0 "and its Chinese name"

# another township's record: both named as the clerk knows them
run env KEPU_LANG=zh "$KEPU" --db "$DB" add training --set date=2025-03-07 \
	--set category=worker --set title=t --set participants=5 --township 安海镇
is_rc 65 "another township's record: 65"
like "$err" "“安海镇”（anhai）不是本台账所属的镇（街道）（陈埭镇，chendai）" \
	"zh: both townships by their names"

# a date without its year that this year would put after today: last year's
run env KEPU_TODAY=2026-01-10 "$KEPU" --db "$DB" add training --set date=12-30 \
	--set category=worker --set title=年底 --set participants=5
is_rc 0 "12-30 typed on 10 January: stored"
is "$(k show "$out" | grep -E '^(Date|日期) ' | awk '{print $2}')" 2025-12-30 \
	"as last year's 30 December"
run env KEPU_TODAY=2026-01-10 "$KEPU" --db "$DB" add training --set date=1-05 \
	--set category=worker --set title=年初 --set participants=5
is_rc 0 "1-05 typed on 10 January: stored"
is "$(k show "$out" | grep -E '^(Date|日期) ' | awk '{print $2}')" 2026-01-05 \
	"in this year, which it is not after"

done_testing
