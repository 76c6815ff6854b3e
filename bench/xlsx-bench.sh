#!/bin/sh
# bench/xlsx-bench.sh - time and size of the workbooks for a city of
# 100,000 records.
#
# Usage: sh bench/xlsx-bench.sh [KEPU [N]]
#   KEPU  the kepu program (default: $KEPU, else ./kepu)
#   N     training records added to the demo city (default 100000),
#         spread evenly over its 20 townships, all dated this year
#
# Makes `kepu demo --city` (a believable year of every township), adds N
# synthetic training records (`kepu demo --training-csv` + `add --from-csv
# --township`), then prints seconds, peak memory (with GNU time) and the
# file's size of report --xlsx (the year: progress, tallies, the plan
# evaluation, charts), report --plan --xlsx, list training --xlsx (every
# training record, the 台账) and, beside them, report --csv and list
# training --csv.  Not part of make check: figures, not a test.
set -e

KEPU=${1:-${KEPU:-./kepu}}
N=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
KEPU_FORMS=${KEPU_FORMS:-$here/../forms}
KEPU_TODAY=2025-12-31
KEPU_LANG=zh
export KEPU_FORMS KEPU_TODAY KEPU_LANG
unset KEPU_DB

[ -x "$KEPU" ] || { echo "xlsx-bench: no kepu program at $KEPU" >&2; exit 66; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kepu-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
kib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%9.1f KiB", b / 1024 }'; }

if /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	gtime() { /usr/bin/time -f %M -o "$T/rss" "$@"; }
else
	gtime() { "$@"; }
fi
peak() {
	[ -s "$T/rss" ] && awk '{ printf "  %6.1f MiB peak", $1 / 1024 }' "$T/rss"
	rm -f "$T/rss"
}

# timed LABEL FILE CMD...: run CMD, print its time, peak memory and the
# size of FILE (what it wrote)
timed() {
	label=$1 file=$2
	shift 2
	rm -f "$file"
	t0=$(now)
	gtime "$@" >"$T/stdout" 2>"$T/stderr" || { cat "$T/stderr" >&2; echo "xlsx-bench: $label failed" >&2; exit 1; }
	t1=$(now)
	[ -s "$file" ] || file=$T/stdout
	printf '%-44s %7s s %s%s\n' "$label" "$(secs "$t0" "$t1")" "$(kib "$file")" "$(peak)"
}

DB=$T/city.kepu
echo "kepu xlsx-bench: a demo city and $N training records ($("$KEPU" --version))"
t0=$(now)
"$KEPU" --db "$DB" demo --city --year 2025 >/dev/null
towns=$(awk -F, 'NR > 1 { print $1 }' "$KEPU_FORMS/townships.csv" | tr -d '\r\357\273\277')
nt=$(echo "$towns" | wc -l)
k=0
for tw in $towns; do
	n=$((N / nt + (k < N % nt ? 1 : 0)))
	k=$((k + 1))
	"$KEPU" demo --training-csv "$n" --year 2025 --seed $k >"$T/rows.csv"
	"$KEPU" --db "$DB" add training --township "$tw" --from-csv "$T/rows.csv" >/dev/null 2>&1
done
records=$("$KEPU" --db "$DB" list training --csv | grep -cE '^[0-9A-HJKMNP-TV-Z]{26},')
all=$("$KEPU" --db "$DB" check | sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p')
echo "  filled in $(secs "$t0" "$(now)") s: $records training records, $all records in all"
echo

timed "report --xlsx (2025, city)" "$T/r.xlsx" "$KEPU" --db "$DB" report --xlsx "$T/r.xlsx"
timed "report --plan 2021-2025 --xlsx" "$T/p.xlsx" "$KEPU" --db "$DB" report --plan 2021-2025 --xlsx "$T/p.xlsx"
timed "report --csv (2025, city)" "$T/none" "$KEPU" --db "$DB" report --csv
timed "list training --xlsx ($records rows)" "$T/l.xlsx" "$KEPU" --db "$DB" list training --xlsx "$T/l.xlsx"
timed "list training --csv ($records rows)" "$T/none" "$KEPU" --db "$DB" list training --csv
