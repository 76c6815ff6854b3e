#!/bin/sh
# Naming fields: --set (add and edit) takes a field's id or its Chinese or
# English label, as a CSV header does; a mistyped name gets "did you mean".
. "$KEPU_SRCDIR/tests/lib.sh"

new_db

# the stored row of record $1 in list --csv
row_of() {
	k list training --csv | grep "^$1,"
}

# --set with labels
run k add training --set 日期=2025-03-05 --set 培训类别=worker \
	--set 培训名称=中文标签 --set 参训人次=12
is_rc 0 "add --set with Chinese labels"
id_zh=$out
like "$(row_of "$id_zh")" ",2025-03-05,,worker,中文标签,,,12," \
	"Chinese labels stored as their fields"
run k add training --set Date=2025-03-06 --set Category=worker \
	--set Title=English --set Participants=13
is_rc 0 "add --set with English labels"
like "$(row_of "$out")" ",2025-03-06,,worker,English,,,13," \
	"English labels stored as their fields"
run k add training --set date=2025-03-07 --set 培训类别=worker \
	--set Title=mixed --set participants=14 --set 参训人次=15
is_rc 0 "ids and labels mixed"
like "$(row_of "$out")" ",2025-03-07,,worker,mixed,,,15," \
	"a field given twice (id, then label): the last one counts"
run k add activity --set 活动类型=cadre_school --set date=2025-03-08 \
	--set title=讲座 --set 受众人次=40
is_rc 0 "labels of another form (activity)"
is "$(count training)" 3 "three training records"

# the same through edit
run k edit "$id_zh" --set 参训人次=20
is_rc 0 "edit --set with a Chinese label"
like "$(row_of "$id_zh")" ",worker,中文标签,,,20," "the label's field changed"
run k edit "$id_zh" --set Participants=21
is_rc 0 "edit --set with an English label"
like "$(row_of "$id_zh")" ",worker,中文标签,,,21," "changed again"

# CSV headers take English labels as well as Chinese ones
printf 'Date,Category,Title,Participants\n2025-04-01,worker,from labels,7\n' \
	>"$T/en.csv"
run k add training --from-csv "$T/en.csv"
is_rc 0 "CSV header of English labels"
is "$(count training)" 4 "the labelled row is stored"

# did you mean
run k add training --set date=2025-03-05 --set categroy=worker \
	--set title=x --set participants=3
is_rc 65 "categroy: 65"
like "$err" "categroy: " "names the mistyped field"
like "$err" "did you mean “category”?" "categroy: did you mean “category”?"
run k add training --set date=2025-03-05 --set category=worker \
	--set title=x --set participant=3
is_rc 65 "participant: 65"
like "$err" "did you mean “participants”?" "participant: did you mean “participants”?"
run k add training --set date=2025-03-05 --set CATEGORY=worker \
	--set title=x --set participants=3
is_rc 65 "CATEGORY: 65 (ids are exact)"
like "$err" "did you mean “category”?" "upper case: did you mean “category”?"
run k add training --set date=2025-03-05 --set category=worker \
	--set title=x --set participants=3 --set colour=blue
is_rc 65 "colour: 65"
like "$err" "colour" "colour is named"
unlike "$err" "did you mean" "nothing is two edits from colour: no guess"
run k add training --set date=2025-03-05 --set category=worker \
	--set title=x --set participants=3 --set xy=1
is_rc 65 "xy: 65"
unlike "$err" "did you mean" "a two-letter name is no typo of anything"
KEPU_LANG=zh run k add training --set date=2025-03-05 --set categroy=worker \
	--set title=x --set participants=3
is_rc 65 "zh: categroy: 65"
like "$err" "是不是“category”？" "zh: did you mean, in Chinese"
KEPU_LANG=zh run k add training --set date=2025-03-05 --set 培训类型=worker \
	--set title=x --set participants=3
is_rc 65 "zh: a mistyped label: 65"
like "$err" "是不是“培训类别”？" "zh: the closest label is offered"
is "$(count training)" 4 "nothing stored by the mistyped adds"

run k edit "$id_zh" --set particpants=4
is_rc 65 "edit particpants: 65"
like "$err" "did you mean “participants”?" "edit: did you mean “participants”?"
like "$(row_of "$id_zh")" ",worker,中文标签,,,21," "the refused edit changed nothing"

printf 'date,title,categroy,participant\n2025-04-01,x,worker,7\n' >"$T/typo.csv"
run k add training --from-csv "$T/typo.csv"
is_rc 65 "CSV header with typos: 65"
like "$err" "unknown column 'categroy' (form training has no such field); did you mean “category”?" \
	"CSV: categroy: did you mean “category”?"
like "$err" "did you mean “participants”?" "CSV: participant: did you mean “participants”?"
KEPU_LANG=zh run k add training --from-csv "$T/typo.csv"
like "$err" "是不是“category”？" "zh CSV: did you mean, in Chinese"
printf 'date,title,colour,participants\n2025-04-01,x,blue,7\n' >"$T/far.csv"
run k add training --from-csv "$T/far.csv"
is_rc 65 "CSV header with an unknown column: 65"
unlike "$err" "did you mean" "CSV: no guess for colour"
is "$(count training)" 4 "nothing stored by the mistyped files"

run k check
is_rc 0 "check at the end"

done_testing
