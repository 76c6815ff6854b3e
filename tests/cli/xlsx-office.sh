#!/bin/sh
# The workbooks open in LibreOffice (headless, with a profile of its own so
# that runs side by side never share one): every text cell comes back byte
# for byte, also after LibreOffice saved the workbook again (an 18-digit ID
# number, 000123, 3/4, 1E5, a line break, 𠮷 䶮 €); the report's sheets
# add up to `kepu report --csv`, a township's and a city's; every row of
# list --xlsx is its row of list --csv; and the printed report has the
# header, the footer with page x of y, and A4 landscape pages.
. "$KEPU_SRCDIR/tests/lib.sh"

command -v soffice >/dev/null 2>&1 ||
	skip_all "soffice is not installed (Debian: libreoffice-calc-nogui)"
PY=/usr/bin/python3
CHECK=$KEPU_SRCDIR/tests/cli/xlsx_check.py
export KEPU_LANG=zh TZ=UTC KEPU_TODAY=2025-11-30
# LibreOffice's CSV export: comma, double quotes, UTF-8, values (not as
# shown), every sheet into FILE-SHEET.csv.
CSVF='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
# has_cell SHEET TEXT: a cell of the exported sheet is exactly TEXT.
has_cell() {
	"$PY" - "$1" "$2" <<'PY'
import csv, sys
rows = csv.reader(open(sys.argv[1], encoding="utf-8", newline=""))
sys.exit(0 if any(sys.argv[2] in r for r in rows) else 1)
PY
}
office() {
	soffice "-env:UserInstallation=file://$T/lo" --headless "$@" >>"$T/soffice.log" 2>&1
}

new_db chendai
k demo --year 2025 >/dev/null
ID=350582198801011234
k add training --set date=2025-03-05 --set category=worker --set title="$ID" \
	--set participants=12 --set venue=000123 --set trainer=3/4 --set notes=1E5 >/dev/null
k add training --set date=2025-03-06 --set category=worker \
	--set title="$(printf '两行的\n名称')" --set participants=8 \
	--set notes="𠮷 䶮 € 身份证号 $ID" >/dev/null
k add activity --set date=2025-05-16 --set type=science_day --set title=科普日 \
	--set audience=300 --set venue="$(printf 'A\nB')" >/dev/null
is "$(k list training --csv | grep -c "$ID")" 2 "the awkward text is stored"
# Two files attached to one record: the 台账 names them in its 附件 column.
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/签到表.pdf"
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\331' >"$T/现场照片.jpg"
withfiles=$(k list training --csv | grep "$ID" | head -1 | cut -d, -f1)
run k attach "$withfiles" "$T/签到表.pdf" "$T/现场照片.jpg"
is_rc 0 "two files attached to a record"

mkdir -p "$T/w" "$T/csv" "$T/again" "$T/pdf"
run k report --xlsx "$T/w/report.xlsx"
is_rc 0 "report --xlsx"
run k list --xlsx "$T/w/list.xlsx"
is_rc 0 "list --xlsx"
k report --csv >"$T/report.csv"
k report --plan 2021-2025 --csv >"$T/plan.csv"
k list training --csv >"$T/training.csv"
k list activity --csv >"$T/activity.csv"
rm -f "$DB" "$DB-lock"
k init --city --year 2025 >/dev/null
k demo --city --year 2025 >/dev/null
run k report --xlsx "$T/w/city.xlsx"
is_rc 0 "report --xlsx in a city database"
k report --csv >"$T/city-report.csv"
k report --plan 2021-2025 --csv >"$T/city-plan.csv"

# Saved again by LibreOffice, as a clerk saving the workbook would.
office --convert-to xlsx --outdir "$T/again" "$T/w/list.xlsx"
ok $? "LibreOffice opens list.xlsx and saves it again"
cp "$T/again/list.xlsx" "$T/w/again.xlsx" 2>/dev/null
office --convert-to "$CSVF" --outdir "$T/csv" "$T/w/report.xlsx" "$T/w/list.xlsx" \
	"$T/w/again.xlsx" "$T/w/city.xlsx"
ok $? "LibreOffice exports every sheet to CSV"
is "$(cd "$T/csv" && ls report-*.csv | sort | tr '\n' ' ')" \
	"report-任务进度.csv report-统计.csv report-规划评估.csv report-说明.csv " \
	"the report's sheets have Chinese names"
is "$(cd "$T/csv" && ls city-*.csv | sort | tr '\n' ' ')" \
	"city-任务进度.csv city-图表.csv city-统计.csv city-规划评估.csv city-说明.csv " \
	"a city's has its charts"
like "$(ls "$T/csv")" "list-农业示范主体／基地.csv" "a form's label as a sheet name (/ made full-width)"

for f in list again; do
	sheet="$T/csv/$f-培训.csv"
	for v in "$ID" 000123 3/4 1E5 "𠮷 䶮 € 身份证号 $ID" "$(printf '两行的\n名称')"; do
		has_cell "$sheet" "$v"
		ok $? "$f: the text cell '$v' comes back as typed"
	done
	KEPU_CHECK_FILES="$withfiles=签到表.pdf|现场照片.jpg" \
		run "$PY" "$CHECK" list "$T/training.csv" "$sheet" "$KEPU_FORMS" training
	is "$out" same "$f: every training row of list --xlsx is its row of list --csv"
	run "$PY" "$CHECK" list "$T/activity.csv" "$T/csv/$f-科普活动.csv" "$KEPU_FORMS" activity
	is "$out" same "$f: every activity row too (the venue with a line break)"
done

run "$PY" "$CHECK" progress "$T/report.csv" "$T/csv/report-任务进度.csv"
is "$out" same "township: 任务进度 adds up to report --csv (targets, achieved, percent)"
run "$PY" "$CHECK" tallies "$T/report.csv" "$T/csv/report-统计.csv"
is "$out" same "township: 统计 adds up to report --csv"
run "$PY" "$CHECK" plan "$T/plan.csv" "$T/csv/report-规划评估.csv"
is "$out" same "township: 规划评估 adds up to report --plan --csv"
run "$PY" "$CHECK" progress "$T/city-report.csv" "$T/csv/city-任务进度.csv"
is "$out" same "city: 任务进度 adds up to report --csv, the city's totals too"
run "$PY" "$CHECK" tallies "$T/city-report.csv" "$T/csv/city-统计.csv"
is "$out" same "city: 统计, a column per township, adds up to report --csv"
run "$PY" "$CHECK" plan "$T/city-plan.csv" "$T/csv/city-规划评估.csv"
is "$out" same "city: 规划评估 adds up to report --plan --csv"
like "$(sed -n 4p "$T/csv/report-任务进度.csv")" "陈埭镇,科学及相关学科教师（辅导员）培训,人次," \
	"townships and indicators by their Chinese names"
grep -q ',落后$\|,超前$\|,正常$' "$T/csv/report-任务进度.csv"
ok $? "statuses in Chinese"
like "$(cat "$T/csv/report-统计.csv")" "全国科普日（含科普日）" "a merged group named as such"

# Printed: A4 landscape pages with the header and the footer.
office --convert-to pdf --outdir "$T/pdf" "$T/w/report.xlsx" "$T/w/city.xlsx"
ok $? "LibreOffice prints the reports to PDF"
if command -v pdfinfo >/dev/null 2>&1; then
	pages=$(pdfinfo "$T/pdf/report.pdf" | sed -n 's/^Pages: *//p')
	ok $([ "${pages:-0}" -ge 4 ] && echo 0 || echo 1) "the township's report prints ($pages pages)"
	like "$(pdfinfo "$T/pdf/report.pdf" | grep 'Page size')" "(A4)" "on A4"
	w=$(pdfinfo "$T/pdf/report.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2/p')
	is "$(echo "$w" | awk '{ print ($1 > $2) }')" 1 "landscape"
	text=$(pdftotext "$T/pdf/report.pdf" - 2>/dev/null)
	like "$text" "第 1 页，共 $pages 页" "the footer: page x of y"
	like "$text" "打印日期" "and the day printed"
	like "$text" "陈埭镇 2025 年全民科学素质行动任务进度" "the title"
	like "$(pdftotext -f 2 -l 2 "$T/pdf/report.pdf" - 2>/dev/null)" "2025 年" \
		"the header names the year on every page"
	ctext=$(pdftotext "$T/pdf/city.pdf" - 2>/dev/null)
	like "$ctext" "晋江市" "the city's report names the city"
	like "$ctext" "各镇（街道）完成与任务对照" "and prints its charts"
else
	for n in 1 2 3 4 5 6 7 8 9 10; do
		ok 0 "# SKIP pdfinfo is not installed (Debian: poppler-utils)"
	done
fi

done_testing
