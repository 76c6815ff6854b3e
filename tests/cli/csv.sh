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
run k add training --from-csv "$T/good.csv" --set title=x
is_rc 64 "--from-csv with --set: 64"
is "$(count training)" 0 "nothing stored by any refused file"
run k check
is_rc 0 "check at the end"

done_testing
