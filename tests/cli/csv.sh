#!/bin/sh
# add --from-csv: tricky but valid files round-trip byte for byte; a bad
# row anywhere stores nothing and is reported as FILE:LINE.
. "$KEPU_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "needs /usr/bin/python3 to parse CSV"

# project FILE: the rows of list training --csv, oldest first, cut down to
# FILE's columns and written as plain CSV (the fixtures are in that form).
project() {
	k list training --csv >"$T/list.csv"
	"$PY" - "$1" "$T/list.csv" <<'EOF'
import csv, sys
head = next(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(head)
for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')):
    w.writerow([r[h] for h in head])
EOF
}

# rewrite FILE with CRLF row ends (not inside cells) and a BOM
crlf_bom() {
	"$PY" - "$1" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
out = open(sys.stdout.fileno(), 'w', newline='', encoding='utf-8-sig')
csv.writer(out, lineterminator='\r\n').writerows(rows)
EOF
}

plain=$DATA/plain.csv
nplain=5

new_db
run k add training --from-csv "$plain"
is_rc 0 "add --from-csv plain.csv"
is "$(echo "$out" | grep -cE '^[0-9A-HJKMNP-TV-Z]{26}$')" $nplain "prints one id per row"
like "$err" "added $nplain training records" "prints a summary on stderr"
like "$err" "Practical rural technology training +105 → 105" "prints the summed quota impact"
project "$plain" >"$T/back.csv"
cmp "$T/back.csv" "$plain" >/dev/null
ok $? "quoted commas, doubled quotes, newlines and Chinese come back byte for byte"
run k check
is_rc 0 "check after the import"

new_db
crlf_bom "$plain" >"$T/crlf.csv"
head -c 3 "$T/crlf.csv" | od -An -tx1 | grep -q 'ef bb bf'
ok $? "(the CRLF fixture has a BOM)"
run k add training --from-csv "$T/crlf.csv"
is_rc 0 "add --from-csv with a BOM and CRLF"
project "$plain" >"$T/back.csv"
cmp "$T/back.csv" "$plain" >/dev/null
ok $? "BOM+CRLF file: same values byte for byte"

new_db
iconv -f UTF-8 -t GB18030 "$plain" >"$T/gb.csv"
cmp -s "$T/gb.csv" "$plain"
ok $(( ! $? )) "(the GB18030 fixture differs from the UTF-8 one)"
run k add training --from-csv "$T/gb.csv"
is_rc 0 "add --from-csv of a GB18030 file"
project "$plain" >"$T/back.csv"
cmp "$T/back.csv" "$plain" >/dev/null
ok $? "GB18030 file: stored as the same UTF-8 byte for byte"

new_db
run sh -c "\"$KEPU\" --db \"$DB\" add training --from-csv - <\"$plain\""
is_rc 0 "add --from-csv - reads stdin"
is "$(count training)" $nplain "all rows from stdin stored"
run k add training --from-csv "$DATA/labels.csv"
is_rc 0 "Chinese labels as column names"
is "$(count training --text 按中文表头导入)" 1 "the labelled row is stored"

# all or nothing: 50 good rows and one bad one
new_db
gen() {   # gen N BADLINE: N data rows, the row on line BADLINE bad
	awk -v n="$1" -v bad="$2" 'BEGIN {
		print "date,category,title,participants"
		for (i = 1; i <= n; i++) {
			p = (i + 1 == bad) ? "many" : i
			printf "2025-05-%02d,worker,安全培训第%d期,%s\n", i % 28 + 1, i, p
		}
	}'
}
gen 51 28 >"$T/bad1.csv"
run k add training --from-csv "$T/bad1.csv"
is_rc 65 "one bad row among 50 good: 65"
like "$err" "$T/bad1.csv:28: participants:" "the bad row is named FILE:LINE: field:"
like "$err" "nothing stored" "says nothing was stored"
is "$out" "" "no ids printed"
is "$(count training)" 0 "none of the 50 good rows stored"
gen 51 0 | sed '2s/worker/astrology/; 40s/,39$/,-3/' >"$T/bad2.csv"
run k add training --from-csv "$T/bad2.csv"
is_rc 65 "two bad rows: 65"
like "$err" "bad2.csv:2: category:" "the first bad row is reported"
like "$err" "bad2.csv:40: participants:" "and the second"
is "$(count training)" 0 "still nothing stored"
gen 51 0 >"$T/good.csv"
run k add training --from-csv "$T/good.csv"
is_rc 0 "the same 51 rows without errors"
is "$(count training)" 51 "all 51 stored"
run k check
is_rc 0 "check after the import"

# an escape sequence in a cell
new_db
printf 'date,category,title,participants\n2025-05-01,worker,ok,3\n2025-05-02,worker,"x\033]0;owned\007",3\n' >"$T/esc.csv"
run k add training --from-csv "$T/esc.csv"
is_rc 65 "an escape sequence in a cell: 65"
like "$err" "esc.csv:3: title:" "the cell is named"
is "$(count training)" 0 "nothing stored"

# malformed files
run k add training --from-csv "$DATA/unknown-column.csv"
is_rc 65 "unknown column: 65"
like "$err" "unknown-column.csv:1: unknown column 'colour'" "names the column on line 1"
printf 'date,category,title,participants\n2025-05-01,worker,"unterminated,3\n' >"$T/quote.csv"
run k add training --from-csv "$T/quote.csv"
is_rc 65 "unterminated quote: 65"
like "$err" "quote.csv:" "names the file"
printf 'date,category,title,participants\n2025-05-01,worker,x\n' >"$T/short.csv"
run k add training --from-csv "$T/short.csv"
is_rc 65 "a row with too few fields: 65"
like "$err" "short.csv:2:" "names the line"
printf 'date,date,title\n' >"$T/dup.csv"
run k add training --from-csv "$T/dup.csv"
is_rc 65 "a column named twice: 65"
: >"$T/empty.csv"
run k add training --from-csv "$T/empty.csv"
is_rc 65 "an empty file: 65"
printf 'date,category,title,participants\n2025-05-01,worker,\377\376\377,3\n' >"$T/enc.csv"
run k add training --from-csv "$T/enc.csv"
is_rc 65 "bytes neither UTF-8 nor GB18030: 65"
run k add training --from-csv "$T/missing.csv"
is_rc 66 "a missing file: 66"
like "$err" "missing.csv: cannot open: no such file or folder" "says why"
KEPU_LANG=zh run k add training --from-csv "$T/missing.csv"
like "$err" "missing.csv：无法打开：路径不存在" "and in Chinese the cause is Chinese too"
run k add training --from-csv "$T/good.csv" --set title=x
is_rc 64 "--from-csv with --set: 64"
is "$(count training)" 0 "nothing stored by any refused file"
run k check
is_rc 0 "check at the end"

# A bulk load's findings: the first 5 of each kind, then how many more;
# --findings FILE lists every one.
{
	echo date,category,title,participants
	i=0
	while [ $i -lt 12 ]; do
		echo "2025-05-02,worker,同一场培训,$((i + 1))"
		i=$((i + 1))
	done
} >"$T/same.csv"
run k add training --from-csv "$T/same.csv" --findings "$T/found.csv"
is_rc 0 "12 rows of one training, stored"
is "$(echo "$out" | grep -cE '^[0-9A-HJKMNP-TV-Z]{26}$')" 12 "12 ids"
is "$(echo "$err" | grep -c 'likely duplicate: same date and title as line 2 of this file')" 5 \
	"the first 5 of the 11 warnings are shown, naming the line of the first row"
like "$err" "same.csv:3: warning: likely duplicate" "each as FILE:LINE"
like "$err" "and 6 more of this kind (likely duplicate); $T/found.csv lists them all" \
	"then how many more, and where they all are"
"$PY" - "$T/found.csv" >"$T/found.txt" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
print(','.join(rows[0]))
print(len(rows) - 1, rows[1][0], rows[1][2], rows[1][3], rows[-1][0])
EOF
is "$(sed -n 1p "$T/found.txt")" "line,field,severity,kind,message" "the findings file's header"
is "$(sed -n 2p "$T/found.txt")" "11 3 warning duplicate 13" \
	"every warning in it: lines 3 to 13, their severity and kind"
sed 's/^2025-05-02,/2025-05-03,/' "$T/same.csv" >"$T/same3.csv"
run k add training --from-csv "$T/same3.csv"
first3=$out
is_rc 0 "another day's, without --findings"
like "$err" "and 6 more of this kind (likely duplicate; --findings FILE lists them all)" \
	"says how to list them all"
sed 's/^2025-05-02,/2025-05-04,/' "$T/same.csv" >"$T/same4.csv"
KEPU_LANG=zh run k add training --from-csv "$T/same4.csv"
like "$err" "另有 6 条同类（可能重复；用 --findings 文件 可全部列出）" "in Chinese"
sed 's/^2025-05-02,worker,/2025-05-06,workers,/' "$T/same.csv" >"$T/bad6.csv"
KEPU_LANG=zh run k add training --from-csv "$T/bad6.csv" --findings "$T/bad6f.csv"
is_rc 65 "zh: 12 rows with a bad category: 65"
"$PY" - "$T/bad6f.csv" >"$T/bad6f.txt" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
print(','.join(rows[0]))
print(','.join(rows[1][:4]))
EOF
is "$(sed -n 1p "$T/bad6f.txt")" "行号,字段,严重程度,类别,说明" "zh: the findings file's header in Chinese"
is "$(sed -n 2p "$T/bad6f.txt")" "2,培训类别,错误,不在选项中" \
	"zh: the field by its label, the severity and kind in words"
sed 's/^2025-05-02,worker,/2025-05-05,workers,/' "$T/same.csv" >"$T/bad12.csv"
run k add training --from-csv "$T/bad12.csv" --findings "$T/bad.csv"
is_rc 65 "12 rows with a bad category: 65"
is "$(echo "$err" | grep -c 'category:')" 5 "5 of the 12 errors shown"
like "$err" "and 7 more of this kind (not a choice)" "and how many more"
like "$err" "12 rows have errors; nothing stored" "nothing stored"
unlike "$err" "likely duplicate" "no warning shown when nothing is stored"
is "$(grep -c ',error,choice,' "$T/bad.csv")" 12 "the file lists all 12 errors"
is "$(grep -c ',warning,duplicate,' "$T/bad.csv")" 11 "and the warnings"
{ echo date,category,title,participants; i=0
  while [ $i -lt 7 ]; do echo "2025-05-02,worker"; i=$((i + 1)); done; } >"$T/short7.csv"
run k add training --from-csv "$T/short7.csv"
is_rc 65 "7 short rows: 65"
is "$(echo "$err" | grep -c 'row has 2 fields, the header has 4')" 5 "5 of them shown"
like "$err" "and 2 more of this kind (malformed row;" "and how many more"
like "$err" "7 rows are malformed; nothing stored" "and why nothing was stored"
printf 'date,category,title,participants\n2025-05-02,worker\n2025-05-02,workers,x,3\n2025-05-02,worker,y,3\n' >"$T/both.csv"
run k add training --from-csv "$T/both.csv" --findings "$T/both-f.csv"
is_rc 65 "a malformed row, then a row with an error: 65"
like "$err" "both.csv:2: row has 2 fields, the header has 4" "the malformed row is said"
like "$err" "both.csv:3: category: " "and the rows after it are checked all the same"
like "$err" "1 row is malformed, 1 with errors; nothing stored" "both counted"
is "$(grep -c ',error,' "$T/both-f.csv")" 2 "both in the findings file"
run k add training --set title=x --findings "$T/x.csv"
is_rc 64 "--findings without --from-csv: 64"
cp "$T/same.csv" "$T/mine.csv"
run k add training --from-csv "$T/mine.csv" --findings "$T/mine.csv"
is_rc 64 "--findings naming the spreadsheet itself: 64"
like "$err" "--findings $T/mine.csv is the spreadsheet being added: writing the list would empty it" \
	"said so"
cmp -s "$T/same.csv" "$T/mine.csv"
ok $? "and the spreadsheet is untouched"
ln -s "$T/mine.csv" "$T/link.csv"
KEPU_LANG=zh run k add training --from-csv "$T/mine.csv" --findings "$T/link.csv"
is_rc 64 "a link to it: 64 too"
like "$err" "--findings 的文件 $T/link.csv 就是要录入的表格，写清单会把它清空" "in Chinese"
cp "$DB" "$T/db.copy"
run k add training --from-csv "$T/mine.csv" --findings "$DB"
is_rc 64 "--findings naming the database: 64"
cmp -s "$DB" "$T/db.copy"
ok $? "and the database is untouched"
run k add training --from-csv "$T/same.csv" --findings "$T/no/such/dir/f.csv"
is_rc 73 "a findings file that cannot be made: 73"
is "$(count training)" 36 "only the three good loads are stored"

# The same file again would repeat every record: refused, unless --again.
run k add training --from-csv "$T/same3.csv"
is_rc 65 "the same file again: 65"
like "$err" "same3.csv: this file was added on 20" "says it was added before, when"
like "$err" "by $(id -un) (same3.csv, 12 rows, ids from 0" "by whom, the file, how many rows, from which id"
like "$err" "would repeat its records: nothing stored" "and that nothing was stored"
like "$err" "to add it again all the same, use --again" "and how to all the same"
unlike "$out" "0" "no id printed"
is "$(count training)" 36 "nothing stored"
run sh -c "\"$KEPU\" --db \"$DB\" add training --from-csv - <\"$T/same3.csv\""
is_rc 65 "the same bytes on stdin: refused too"
crlf_bom "$T/same3.csv" >"$T/same3-crlf.csv"
run k add training --from-csv "$T/same3-crlf.csv"
is_rc 65 "the same rows saved with CRLF and a BOM: refused (the rows, not the bytes)"
iconv -f UTF-8 -t GB18030 "$T/same3.csv" >"$T/same3-gb.csv"
run k add training --from-csv "$T/same3-gb.csv"
is_rc 65 "the same rows in GB18030: refused"
{ head -n 1 "$T/same3.csv"; tail -n +2 "$T/same3.csv" | sort -r; } >"$T/same3-sorted.csv"
cmp -s "$T/same3.csv" "$T/same3-sorted.csv"
is "$?" 1 "(sorted again, the file differs)"
run k add training --from-csv "$T/same3-sorted.csv"
is_rc 65 "the same rows sorted another way: refused"
is "$(count training)" 36 "none of them stored"
head -1 "$T/same3.csv" >"$T/header-only.csv"
run k add training --from-csv "$T/header-only.csv"
is_rc 0 "a file of a header only adds nothing"
run k add training --from-csv "$T/header-only.csv"
is_rc 0 "and is not remembered: no rows, nothing to repeat"
KEPU_LANG=zh run k add training --from-csv "$T/same3.csv"
like "$err" "由 $(id -un) 导入过（same3.csv，12 行，编号从 0" "in Chinese"
like "$err" "如确需再导入一次，请加 --again" "with the way out in Chinese"
run k add training --from-csv "$T/bad12.csv"
like "$err" "12 rows have errors; nothing stored" \
	"a file refused for its errors is not taken for added"
sed 's/同一场培训,12$/同一场培训,13/' "$T/same3.csv" >"$T/same3b.csv"
run k add training --from-csv "$T/same3b.csv"
is_rc 65 "a file differing in one cell, its every row one already stored: refused"
like "$err" "every row has the date and title of a record already stored, so they were most likely added before (row 1: 2025-05-03 同一场培训 is already recorded, entered by $(id -un) on " \
	"as rows stored before, not as the same file"
like "$err" "to add it again all the same, use --again" "with the way out"
KEPU_LANG=zh run k add training --from-csv "$T/same3b.csv"
like "$err" "每一行都与已保存的记录同日同名，很可能已经录入过（第 1 行：已有同日同名的记录 2025-05-03 同一场培训，由 " \
	"in Chinese"
head -2 "$T/same3b.csv" >"$T/one3.csv"
run k add training --from-csv "$T/one3.csv"
is_rc 65 "a file of one row that is stored already: refused too"
like "$err" "its one row has the date and title of a record already stored" "said for one row"
{ cat "$T/same3b.csv"; echo "2025-05-03,worker,另一场培训,7"; } >"$T/plus3.csv"
run k add training --from-csv "$T/plus3.csv" --findings "$T/plus3f.csv"
is_rc 0 "one row that is not stored already: the file is added, with warnings"
like "$err" "and 18 more of this kind (likely duplicate)" \
	"the others are warned of: 12 rows of a stored record, 11 of row 1 too"
like "$err" "plus3.csv:2: warning: likely duplicate: 2025-05-03 同一场培训 is already recorded, entered by $(id -un) on " \
	"each row names a stored record"
like "$err" "), and 11 more of that date and title" \
	"naming the earliest of the 12 stored, counting the others"
is "$(count training)" 49 "36 + 13"
for id in $out; do k delete "$id" >/dev/null; done
is "$(count training)" 36 "(taken back)"
run k add training --from-csv "$T/same3.csv" --again
is_rc 0 "--again adds the same file all the same"
again3=$out
is "$(count training)" 48 "36 + 12"
run k add training --from-csv "$T/same3.csv"
is_rc 65 "and then refuses it again"
# The entry names the earliest load still stored, and a load whose records
# were all deleted since may be added again.
for id in $again3; do k delete "$id" >/dev/null; done
run k add training --from-csv "$T/same3.csv"
is_rc 65 "the repeat deleted, the first load still there: refused"
like "$err" "ids from $(echo "$first3" | head -n 1))" "naming the first load, not the repeat"
for id in $(echo "$first3" | tail -n +2); do k delete "$id" >/dev/null; done
run k add training --from-csv "$T/same3.csv"
is_rc 65 "one record of the load still there: refused"
like "$err" "ids from $(echo "$first3" | head -n 1); 1 of them still stored)" "saying how many are left"
KEPU_LANG=zh run k add training --from-csv "$T/same3.csv"
like "$err" "编号从 $(echo "$first3" | head -n 1) 起；其中 1 条仍在台账中）" "in Chinese"
k delete "$(echo "$first3" | head -n 1)" >/dev/null
KEPU_LANG=zh run k add training --from-csv "$T/same3.csv"
is_rc 0 "every record of the load deleted: the file may be added again"
new3=$out
like "$err" "kepu: 添加了 12 条「培训」记录（来自 " "the Chinese summary names the form by its label"
is "$(count training)" 36 "48 - 24 + 12"
run k add training --from-csv "$T/same3.csv"
is_rc 65 "and is then refused again"
like "$err" "ids from $(echo "$new3" | head -n 1))" "naming the new load"
# Every load still stored counts, the one added with --again too.
run k add training --from-csv "$T/same3.csv" --again
again4=$out
for id in $new3; do k delete "$id" >/dev/null; done
run k add training --from-csv "$T/same3.csv"
is_rc 65 "the first load deleted, the one added with --again still there: refused"
like "$err" "ids from $(echo "$again4" | head -n 1))" "naming that one"
for id in $again4; do k delete "$id" >/dev/null; done
run k add training --from-csv "$T/same3.csv"
is_rc 0 "both deleted: added"
is "$(count training)" 36 "each of its rows once"
run k add training --set title=x --again
is_rc 64 "--again without --from-csv: 64"
run k check
is_rc 0 "check after the loads"

# At the city one file may be each township's: another --township is
# another load.
rm -f "$DB" "$DB-lock"
k init --city --year 2025 >/dev/null
run k add training --township anhai --from-csv "$T/same3.csv"
is_rc 0 "city: the file for anhai"
run k add training --township chendai --from-csv "$T/same3.csv"
is_rc 0 "the same file for chendai is another load"
run k add training --township anhai --from-csv "$T/same3.csv"
is_rc 65 "for anhai again: refused"
is "$(count training)" 24 "12 rows for each township"
# A township column and --township: an empty cell takes it, another
# township is the clerk's mistake to mend, not kepu's to guess.
{ echo township,date,category,title,participants
  echo anhai,2025-06-01,worker,t1,3
  echo ,2025-06-02,worker,t2,3
  echo chendai,2025-06-03,worker,t3,3; } >"$T/towns.csv"
run k add training --township anhai --from-csv "$T/towns.csv"
is_rc 65 "a row of another township than --township: 65"
like "$err" "towns.csv:4: the row's township is chendai, and --township is anhai" \
	"names the row and both townships"
like "$err" "towns.csv: 1 row names another township than --township anhai; nothing stored: mend the township column, or leave --township out" \
	"stores nothing, and says what to do"
KEPU_LANG=zh run k add training --township anhai --from-csv "$T/towns.csv"
like "$err" "towns.csv:4: 这一行的镇（街道）是 chendai，而 --township 是 anhai" "in Chinese"
like "$err" "towns.csv：1 行的镇（街道）不是 --township 给的 anhai，一条也未保存；请改正 township 列，或不加 --township" \
	"the summary too"
is "$(count training)" 24 "none of its rows stored"
grep -v chendai "$T/towns.csv" >"$T/towns2.csv"
run k add training --township anhai --from-csv "$T/towns2.csv"
is_rc 0 "the same township or an empty cell: stored"
is "$(k list training --csv | grep -c ',anhai,2025-06-0[12],')" 2 "both as anhai's"
run k add training --from-csv "$T/towns.csv"
is_rc 65 "without --township, a row with no township: 65"
is "$(echo "$err" | grep -c 'towns.csv:3: ')" 1 "one error for it"
like "$err" "towns.csv:3: township: the record has no township" "saying which"
KEPU_LANG=zh run k add training --from-csv "$T/towns.csv"
like "$err" "towns.csv:3: 镇（街道）：记录没有填写镇（街道）" "in Chinese, the field named in Chinese"
grep -v ',2025-06-02,' "$T/towns.csv" >"$T/towns3.csv"
run k add training --from-csv "$T/towns3.csv"
is_rc 0 "without --township the column says each row's"
is "$(k list training --csv | grep -c ',chendai,2025-06-03,')" 1 "chendai's row is chendai's"
# A city file without a township column, and no --township: said once.
printf 'date,category,title,participants\n2025-06-05,worker,无镇,3\n' >"$T/notown.csv"
run k add training --from-csv "$T/notown.csv"
is_rc 65 "city: no township column and no --township: 65"
like "$err" "notown.csv:1: a city database needs each row's township: add a township column, or give --township" \
	"said of the header, with what to do"
unlike "$err" "notown.csv:2:" "and no row is blamed"
run k add training --set date=2025-06-05 --set category=worker --set title=无镇 --set participants=3
like "$err" "kepu: in a city database give the township with --township" "one record: the same hint"

# A township may be named as townships.csv names it, in either language.
{ echo 镇（街道）,date,category,title,participants
  echo 陈埭镇,2025-06-05,worker,名称1,3
  echo Anhai Town,2025-06-05,worker,名称2,3; } >"$T/names.csv"
run k add training --from-csv "$T/names.csv"
is_rc 0 "townships by their Chinese and English names"
is "$(k list training --csv | grep -c -e ',chendai,2025-06-05,' -e ',anhai,2025-06-05,')" 2 \
	"stored under their ids"
run k add training --township 安海镇 --set date=2025-06-06 --set category=worker \
	--set title=名称3 --set participants=3
is_rc 0 "--township by its name"
run k add training --township 陈埭 --from-csv "$T/names.csv"
is_rc 65 "--township naming no township: 65"
like "$err" "kepu add: no township \"陈埭\"; give an id or a name:" "said once, before any row"
like "$err" "  chendai      Chendai Town" "with the townships to choose from"
unlike "$err" "names.csv:" "and no row is blamed"
run k add training --township 安海镇 --from-csv "$T/names.csv"
is_rc 65 "--township by its name and a row of another township: refused"
like "$err" "names.csv:2: the row's township is 陈埭镇, and --township is anhai" "saying which"
unlike "$err" "names.csv:3:" "Anhai Town is anhai"

# The same training on the same day in two townships is no duplicate; in
# the same township it is likely one.
{ echo township,date,category,title,participants
  echo anhai,2025-06-21,worker,科普日宣讲,3
  echo chendai,2025-06-21,worker,科普日宣讲,3; } >"$T/twotowns.csv"
run k add training --from-csv "$T/twotowns.csv"
is_rc 0 "city: one training in two townships"
unlike "$err" "likely duplicate" "is not taken for a duplicate"
{ echo township,date,category,title,participants
  echo chendai,2025-06-21,worker,科普日宣讲,4
  echo longhu,2025-06-21,worker,科普日宣讲,4
  echo longhu,2025-06-21,worker,科普日宣讲,5; } >"$T/twotowns2.csv"
run k add training --from-csv "$T/twotowns2.csv"
is_rc 0 "city: and again for chendai and twice for longhu"
is "$(echo "$err" | grep -c 'likely duplicate')" 2 "two warnings"
like "$err" "twotowns2.csv:2: warning: likely duplicate: 2025-06-21 科普日宣讲 is already recorded" \
	"chendai's of the record stored"
like "$err" "twotowns2.csv:4: warning: likely duplicate: same date and title as line 3 of this file" \
	"longhu's second of its first"
# On a terminal more than 10 new ids are said as their range.
# (script(1), util-linux: a terminal for standard output)
{ echo date,category,title,participants; i=0
  while [ $i -lt 11 ]; do echo "2025-06-1$((i % 10)),worker,终端 $i,3"; i=$((i + 1)); done
} >"$T/tty11.csv"
script -qec "'$KEPU' --db '$DB' add training --from-csv '$T/tty11.csv' --township chendai" \
	/dev/null </dev/null >"$T/tty.out" 2>&1
like "$(cat "$T/tty.out")" "the new records' ids run from " "11 ids on a terminal: their range"
is "$(grep -cE '^[0-9A-HJKMNP-TV-Z]{26}.?$' "$T/tty.out")" 0 "and not one a line"
# The line named is the file's, whatever lies between: a cell of two
# lines, a blank line, a row refused.
printf 'date,category,title,participants,notes\n2025-06-01,worker,夜校,3,"两行\n备注"\n\n2025-06-02,worker,白班,3,\n2025-06-01,worker,夜校,4,\n' >"$T/lines.csv"
run k add training --from-csv "$T/lines.csv" --township chendai
like "$err" "lines.csv:6: warning: likely duplicate: same date and title as line 2 of this file" \
	"a row after a two-line cell and a blank line names the line the first began on"
printf 'date,category,title,participants\n2025-06-03,worker,甲,3\n\n\n2025-06-04,worker,乙,3\n2025-06-04,worker,乙,4\n' >"$T/lines2.csv"
KEPU_LANG=zh run k add training --from-csv "$T/lines2.csv" --township chendai
like "$err" "lines2.csv:6: 警告：可能重复：与本文件第 5 行的日期和名称相同" \
	"zh: the same, after blank lines"

# list --csv: oldest first however many, --limit the newest of them.
is "$(k list training --csv --limit 2 | tail -n +2 | cut -d, -f1)" \
	"$(k list training --csv | tail -n 2 | cut -d, -f1)" "--limit 2: the two newest, oldest first"
is "$(k list training --csv --limit 100 | tail -n +2 | cut -d, -f1)" \
	"$(k list training --csv | tail -n +2 | cut -d, -f1)" "--limit beyond the count: all"

new_db chendai
# A serial-number column is ignored; columns with no name are taken while
# their cells are empty (a spreadsheet's trailing commas).
printf '序号,date,category,title,participants,,\n1,2025-05-20,worker,序号甲,3,,\n2,2025-05-21,worker,序号乙,4,,\n' >"$T/serial.csv"
run k add training --from-csv "$T/serial.csv"
is_rc 0 "a 序号 column and two blank ones: stored"
is "$(echo "$out" | grep -cE '^[0-9A-HJKMNP-TV-Z]{26}$')" 2 "both rows"
printf 'No.,date,category,title,participants,\n1,2025-05-22,worker,序号丙,3,x\n2,2025-05-23,worker,序号丁,4,\n' >"$T/blankx.csv"
run k add training --from-csv "$T/blankx.csv"
is_rc 65 "a value under a column with no name: 65"
like "$err" "blankx.csv:2: column 6 has no name, and this row holds 'x' there: name its field in the header, or remove the column" \
	"said with its column"
printf 'date,category,title,participants,电话\n2025-05-24,worker,t,3,1\n' >"$T/phone.csv"
run k add training --from-csv "$T/phone.csv" --findings "$T/phone-f.csv"
is_rc 65 "an unknown column: 65"
like "$(cat "$T/phone-f.csv")" "1,电话,error,malformed,unknown column '电话'" \
	"the header's problem is in the findings file too"

# A date without its year is taken in this year (or its record's other
# date's), and said: an old spreadsheet's "5月3日" would land in this year.
printf 'date,category,title,participants\n5月3日,worker,无年份甲,3\n2025-05-04,worker,无年份乙,3\n3-5,worker,无年份丙,3\n２０２５年５月６日,worker,无年份丁,3\n' >"$T/noyear.csv"
KEPU_LANG=zh run k add training --from-csv "$T/noyear.csv" --findings "$T/noyear-f.csv"
is_rc 0 "dates without their year: stored"
like "$err" "noyear.csv:2: 警告：日期：“5月3日”没写年份，按 2025-05-03 录入；往年的表格请写上年份" \
	"each is warned of, with the date taken"
like "$err" "noyear.csv:4: 警告：日期：“3-5”没写年份，按 2025-03-05 录入" "a short one too"
unlike "$err" "noyear.csv:3: 警告：日期" "a date with its year is not"
unlike "$err" "noyear.csv:5: 警告：日期" "nor one in full-width digits"
is "$(grep -c ',日期,警告,' "$T/noyear-f.csv")" 2 "both in the findings file"

# What spreadsheets save besides CSV: said with the way out.
printf 'date\tcategory\ttitle\tparticipants\n2025-05-01\tworker\tt\t3\n' >"$T/tabs.csv"
run k add training --from-csv "$T/tabs.csv"
is_rc 65 "a tab-separated file: 65"
like "$err" "the header is separated by tabs, not commas" "said as such"
printf 'date,title\n2025-05-01,x\n' | iconv -f UTF-8 -t UTF-16 >"$T/utf16.csv"
run k add training --from-csv "$T/utf16.csv"
is_rc 65 "a UTF-16 file: 65"
like "$err" "UTF-16 (Excel's \"Unicode text\"): save it again from Excel or WPS as \"CSV UTF-8 (comma delimited)\"" \
	"said as such, with the way out"
# Rows of empty cells only are blank lines as a spreadsheet saves them.
printf 'date,category,title,participants\n2025-05-25,worker,空行甲,3\n,,,\n , ,,\n2025-05-26,worker,空行乙,3\n' >"$T/commas.csv"
run k add training --from-csv "$T/commas.csv"
is_rc 0 "rows of empty cells between the rows: stored"
is "$(echo "$out" | grep -cE '^[0-9A-HJKMNP-TV-Z]{26}$')" 2 "the two rows, not the empty ones"

# On a terminal, the rows read so far, on one line (every 1024 rows here, not every second)
i=0; { echo date,category,title,participants
       while [ $i -lt 2100 ]; do echo "2025-06-0$((i % 9 + 1)),worker,进度 $i,3"; i=$((i + 1)); done
     } >"$T/tty2100.csv"
KEPU_PROGRESS_MS=0 script -qec "'$KEPU' --db '$DB' add training --from-csv '$T/tty2100.csv' --township chendai" \
	/dev/null </dev/null >"$T/tty2.out" 2>&1
like "$(cat "$T/tty2.out")" "kepu: 2048 rows read..." "a long load on a terminal shows the rows read"
like "$(cat "$T/tty2.out")" " all read; checking and storing..." "then what it does"
KEPU_PROGRESS_MS=0 run k add training --from-csv "$T/tty2100.csv" --township chendai --again
unlike "$err" "rows read" "not when standard error is no terminal"

done_testing
