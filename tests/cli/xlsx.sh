#!/bin/sh
# report --xlsx and list --xlsx without an office suite: what the files
# hold (read as the zip archives they are): Chinese sheet names, text kept
# as text, dates as dates, the frozen and filtered heading row, A4
# landscape fit to the width with the title rows repeated, the header and
# footer, a chart per indicator for the city; English with --lang en; and
# the file itself: written whole or not at all, never replacing a file
# without --force.
. "$KEPU_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
export KEPU_TODAY=2025-11-30
# part FILE NAME: a file inside the workbook (xl/workbook.xml, ...).
part() {
	"$PY" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"
}
parts() {
	"$PY" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
}

new_db chendai
k demo --year 2025 >/dev/null
ID=350582198801011234
k add training --set date=2025-03-05 --set category=worker --set title="$ID" \
	--set participants=12 --set venue=000123 >/dev/null
mkdir -p "$T/w"

KEPU_LANG=zh run k report --xlsx "$T/w/r.xlsx"
is_rc 0 "report --xlsx"
like "$err" "已写出工作簿 $T/w/r.xlsx" "says what it wrote"
is "$(head -c 2 "$T/w/r.xlsx")" "PK" "a zip archive, as a workbook is"
wb=$(part "$T/w/r.xlsx" xl/workbook.xml)
like "$wb" 'name="任务进度"' "a sheet 任务进度"
like "$wb" 'name="统计"' "a sheet 统计"
like "$wb" 'name="规划评估"' "a sheet 规划评估: the five-year evaluation"
like "$wb" 'name="说明"' "a sheet 说明"
like "$wb" '_xlnm.Print_Titles' "title rows repeated when printed"
s1=$(part "$T/w/r.xlsx" xl/worksheets/sheet1.xml)
like "$s1" 'state="frozen"' "the heading row is frozen"
like "$s1" '<autoFilter ref="A3:' "and filtered"
like "$s1" 'paperSize="9"' "A4"
like "$s1" 'orientation="landscape"' "landscape"
like "$s1" 'fitToHeight="0"' "fit to the page's width"
like "$s1" '<oddHeader>&amp;L陈埭镇&amp;C任务进度&amp;R2025 年</oddHeader>' \
	"the header: the township, the sheet, the year"
like "$s1" '<oddFooter>&amp;L打印日期：&amp;D&amp;R第 &amp;P 页，共 &amp;N 页</oddFooter>' \
	"the footer: the day printed, page x of y"
ss=$(part "$T/w/r.xlsx" xl/sharedStrings.xml)
like "$ss" "培训各类劳动者" "indicators by their Chinese labels"
like "$ss" "落后" "statuses in Chinese"
unlike "$(parts "$T/w/r.xlsx")" "chart" "a township's report has no charts"

KEPU_LANG=zh run k list --xlsx "$T/w/l.xlsx"
is_rc 0 "list --xlsx"
wb=$(part "$T/w/l.xlsx" xl/workbook.xml)
like "$wb" 'name="培训"' "a sheet per form"
like "$wb" 'name="农业示范主体／基地"' "a form's / made full-width in its sheet's name"
s1=$(part "$T/w/l.xlsx" xl/worksheets/sheet1.xml)
like "$s1" "<is><t>$ID</t></is>" "an ID number is a text cell (an inline string)"
like "$s1" "<is><t>000123</t></is>" "000123 too"
like "$s1" 'state="frozen"' "the heading row is frozen"
like "$(part "$T/w/l.xlsx" xl/styles.xml)" 'formatCode="yyyy-mm-dd"' "dates as dates"
run k list training --xlsx "$T/w/t.xlsx"
is_rc 0 "list FORM --xlsx"
is "$(part "$T/w/t.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | wc -l)" 1 \
	"one sheet: the form asked for"
run k list --year 2019 --xlsx "$T/w/none.xlsx"
is_rc 64 "list --xlsx --year before the first plan: 64"

KEPU_LANG=en run k report --xlsx "$T/w/en.xlsx"
is_rc 0 "report --xlsx in English"
like "$(part "$T/w/en.xlsx" xl/workbook.xml)" 'name="Progress"' "English sheet names"
like "$(part "$T/w/en.xlsx" xl/sharedStrings.xml)" "Workers trained" "English labels"

# --- the file: never replaced without --force; whole or nothing --------
echo keep >"$T/w/exists.xlsx"
run k report --xlsx "$T/w/exists.xlsx"
is_rc 73 "an existing file: 73"
like "$err" "exists and was not replaced; add --force to replace it" "says so, and what to do"
is "$(cat "$T/w/exists.xlsx")" keep "the file is untouched"
run k list --xlsx "$T/w/exists.xlsx"
is_rc 73 "list --xlsx too"
run k report --xlsx "$T/w/exists.xlsx" --force
is_rc 0 "--force replaces it"
is "$(head -c 2 "$T/w/exists.xlsx")" "PK" "with the workbook"
is "$(ls -A "$T/w" | grep -c tmp)" 0 "no temporary file is left"
run k report --xlsx "$T/nowhere/r.xlsx"
is_rc 73 "a folder that is not there: 73"
run k report --csv --xlsx "$T/w/x.xlsx"
is_rc 64 "--xlsx with --csv: 64"
run k report --force
is_rc 64 "--force without --xlsx: 64"
run k report --plan 2021-2025 --xlsx "$T/w/plan.xlsx"
is_rc 0 "report --plan --xlsx"
wb=$(part "$T/w/plan.xlsx" xl/workbook.xml)
like "$wb" 'name="Plan evaluation"' "the plan's evaluation"
unlike "$wb" 'name="Progress"' "and no year's progress"
# A workbook that cannot take its name (a folder is there) fails at the
# very end, when the whole file is written: its temporary file goes too.
mkdir -p "$T/w/dir.xlsx/x"
run k report --xlsx "$T/w/dir.xlsx" --force
is_rc 73 "a name that cannot be taken: 73"
like "$err" "cannot write $T/w/dir.xlsx" "says which"
is "$(ls -A "$T/w" | grep -c tmp)" 0 "and leaves no temporary file"

# --- the city: a chart per indicator with townships ---------------------
rm -f "$DB" "$DB-lock"
k init --city --year 2025 >/dev/null
k demo --city --year 2025 >/dev/null
KEPU_LANG=zh run k report --xlsx "$T/w/city.xlsx"
is_rc 0 "report --xlsx in a city database"
like "$(part "$T/w/city.xlsx" xl/workbook.xml)" 'name="图表"' "a sheet of charts"
charts=$(parts "$T/w/city.xlsx" | grep -c '^xl/charts/chart[0-9]*\.xml$')
judged=$(awk -F, '$1 == "jinjiang-2021-2025" && $9 != "" && $12 != "survey"' "$KEPU_FORMS/indicators.csv" | wc -l)
is "$charts" "$judged" "a chart for every indicator with a target counted by townships ($judged)"
c1=$(part "$T/w/city.xlsx" xl/charts/chart1.xml)
like "$c1" "任务进度'!\$A\$4:\$A\$23" "its categories: the 20 townships"
like "$c1" "<c:barChart>" "bars: achieved against target"

done_testing
