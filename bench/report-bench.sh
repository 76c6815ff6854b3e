#!/bin/sh
# bench/report-bench.sh - time report and report --plan on records of
# several years.
#
# Usage: sh bench/report-bench.sh [KEPU [N]]
#   KEPU  the kepu program (default: $KEPU, else ./kepu)
#   N     training records in all (default 100000), spread evenly over the
#         six years 2021-2026, in a township database and in a city one
#         (there over four townships)
#
# Prints seconds and peak memory (with GNU time) of report (this year, and
# a finished year), report --plan 2021-2025 (the finished plan) and
# report --plan 2026-2030 (the provisional one, running), on 1,200 records
# and on N: both read the kept totals only, so the two should cost the
# same.  Not part of make check: figures, not a test.
set -e

KEPU=${1:-${KEPU:-./kepu}}
N=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
KEPU_FORMS=${KEPU_FORMS:-$here/../forms}
KEPU_TODAY=2026-12-31
KEPU_LANG=en
export KEPU_FORMS KEPU_TODAY KEPU_LANG
unset KEPU_DB
YEARS="2021 2022 2023 2024 2025 2026"

[ -x "$KEPU" ] || { echo "report-bench: no kepu program at $KEPU" >&2; exit 66; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kepu-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

if /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	gtime() { /usr/bin/time -f %M -o "$T/rss" "$@"; }
else
	gtime() { "$@"; }
fi
peak() {
	[ -s "$T/rss" ] && awk '{ printf " %7.1f MiB peak", $1 / 1024 }' "$T/rss"
	rm -f "$T/rss"
}

# timed LABEL CMD...: run CMD (stdout to $T/last), print a line
timed() {
	label=$1
	shift
	t0=$(now)
	gtime "$@" >"$T/last" 2>"$T/stderr" || { cat "$T/stderr" >&2; echo "report-bench: $label failed" >&2; exit 1; }
	t1=$(now)
	printf '%-58s %8s s%s\n' "$label" "$(secs "$t0" "$t1")" "$(peak)"
}

# fill DB TOTAL [TOWNSHIPS...]: TOTAL training records, the same number
# in each year (and township)
fill() {
	db=$1 total=$2
	shift 2
	towns=${*:-""}
	parts=$(( 6 * (${#} > 0 ? ${#} : 1) ))
	seed=0
	for y in $YEARS; do
		for tw in ${towns:-own}; do
			# the first total % parts parts take one more
			n=$((total / parts + (seed < total % parts ? 1 : 0)))
			seed=$((seed + 1))
			"$KEPU" demo --training-csv "$n" --year "$y" --seed $seed >"$T/rows.csv"
			if [ "$tw" = own ]; then
				"$KEPU" --db "$db" add training --from-csv "$T/rows.csv"
			else
				"$KEPU" --db "$db" add training --township "$tw" \
					--from-csv "$T/rows.csv"
			fi >/dev/null 2>&1
		done
	done
}

# quotas DB TOWNSHIP...: an example quota every year of both plans
quotas() {
	db=$1
	shift
	echo "year,township,indicator,target" >"$T/q.csv"
	for tw in "$@"; do
		for y in $YEARS 2027 2028 2029 2030; do
			for i in teacher_training rural_tech_training worker_training; do
				echo "$y,$tw,$i,500" >>"$T/q.csv"
			done
		done
		echo "2021-2025,$tw,official_training,9000" >>"$T/q.csv"
		echo "2026-2030,$tw,official_training,9000" >>"$T/q.csv"
	done
	"$KEPU" --db "$db" quota import "$T/q.csv" >/dev/null
}

bench() {
	what=$1 db=$2 n=$3
	timed "report --csv (2026), $what, $n records" "$KEPU" --db "$db" report --csv
	timed "report --csv --year 2024, $what, $n records" \
		"$KEPU" --db "$db" report --csv --year 2024
	timed "report --plan 2021-2025 --csv, $what, $n records" \
		"$KEPU" --db "$db" report --plan 2021-2025 --csv
	echo "  rows: $(($(wc -l <"$T/last") - 1))"
	timed "report --plan 2021-2025 (table), $what, $n records" \
		"$KEPU" --db "$db" report --plan 2021-2025
	timed "report --plan 2026-2030 --csv, $what, $n records" \
		"$KEPU" --db "$db" report --plan 2026-2030 --csv
}

echo "kepu report-bench: $N training records over $YEARS ($("$KEPU" --version))"
echo

small=$T/small.kepu big=$T/big.kepu csmall=$T/csmall.kepu cbig=$T/cbig.kepu
"$KEPU" --db "$small" init --township chendai >/dev/null
"$KEPU" --db "$big" init --township chendai >/dev/null
"$KEPU" --db "$csmall" init --city >/dev/null
"$KEPU" --db "$cbig" init --city >/dev/null
t0=$(now)
fill "$small" 1200
fill "$big" "$N"
fill "$csmall" 1200 chendai anhai jinjing cizao
fill "$cbig" "$N" chendai anhai jinjing cizao
echo "  filled in $(secs "$t0" "$(now)") s; township database $(mib "$(size "$big")"), city $(mib "$(size "$cbig")")"
quotas "$small" chendai
quotas "$big" chendai
quotas "$csmall" chendai anhai jinjing cizao
quotas "$cbig" chendai anhai jinjing cizao
# records DB: how many training records it holds
records() {
	"$KEPU" --db "$1" list training --csv | grep -cE '^[0-9A-HJKMNP-TV-Z]{26},'
}
echo "  records: township $(records "$big"), city $(records "$cbig")"
echo

bench township "$small" 1200
bench township "$big" "$N"
echo
bench city "$csmall" 1200
bench city "$cbig" "$N"
