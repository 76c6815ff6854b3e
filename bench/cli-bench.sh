#!/bin/sh
# bench/cli-bench.sh - time the command line on many training records.
#
# Usage: sh bench/cli-bench.sh [KEPU [N]]
#   KEPU  the kepu program (default: $KEPU, else ./kepu)
#   N     records in the big database (default 100000)
#
# Prints seconds, records per second, peak memory (with GNU time) and file
# sizes for: add --from-csv of N rows (one transaction), report on 1,000
# and on N records (it reads only the kept totals, so both should cost the
# same), list --csv of all, and check (which recomputes every total); with
# mdb_stat (lmdb-utils), the pages each sub-database takes.  Not part of
# make check.
set -e

KEPU=${1:-${KEPU:-./kepu}}
N=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
KEPU_FORMS=${KEPU_FORMS:-$here/../forms}
KEPU_TODAY=2025-12-31
KEPU_LANG=en
export KEPU_FORMS KEPU_TODAY KEPU_LANG
unset KEPU_DB

[ -x "$KEPU" ] || { echo "cli-bench: no kepu program at $KEPU" >&2; exit 66; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kepu-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

now() { date +%s.%N; }
# secs START END
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# rate COUNT SECONDS
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# GNU time measures the peak resident memory when it is there.
if /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	gtime() { /usr/bin/time -f %M -o "$T/rss" "$@"; }
else
	gtime() { "$@"; }
fi
# peak: " peak N MiB" after a timed command, or nothing
peak() {
	[ -s "$T/rss" ] && awk '{ printf " %7.1f MiB peak", $1 / 1024 }' "$T/rss"
	rm -f "$T/rss"
}

# timed LABEL COUNT CMD...: run CMD (stdout to $T/last), print a line
timed() {
	label=$1 count=$2
	shift 2
	t0=$(now)
	gtime "$@" >"$T/last" 2>"$T/stderr" || { cat "$T/stderr" >&2; echo "cli-bench: $label failed" >&2; exit 1; }
	t1=$(now)
	s=$(secs "$t0" "$t1")
	if [ "$count" -gt 0 ]; then
		printf '%-48s %8s s %10s records/s%s\n' "$label" "$s" "$(rate "$count" "$s")" "$(peak)"
	else
		printf '%-48s %8s s %20s%s\n' "$label" "$s" "" "$(peak)"
	fi
}

echo "kepu cli-bench: $N training records ($("$KEPU" --version))"
echo

timed "generate $N rows (demo --training-csv)" "$N" \
	"$KEPU" demo --training-csv "$N" --year 2025 --seed 7
mv "$T/last" "$T/big.csv"
"$KEPU" demo --training-csv 1000 --year 2025 --seed 8 >"$T/small.csv"
echo "  CSV file: $(mib "$(size "$T/big.csv")")"

small=$T/small.kepu big=$T/big.kepu
"$KEPU" --db "$small" init --township chendai --year 2025 >/dev/null
"$KEPU" --db "$big" init --township chendai --year 2025 >/dev/null

timed "add --from-csv, 1000 rows" 1000 "$KEPU" --db "$small" add training --from-csv "$T/small.csv"
timed "add --from-csv, $N rows (one transaction)" "$N" \
	"$KEPU" --db "$big" add training --from-csv "$T/big.csv"
echo "  database file: $(mib "$(size "$big")") ($(awk -v b="$(size "$big")" -v n="$N" 'BEGIN { printf "%.0f", b / n }') bytes/record)"
if command -v mdb_stat >/dev/null 2>&1; then
	# pages (4 KiB) per sub-database, the largest first
	mdb_stat -n -a "$big" | awk '
		/^Status of/ { db = $3 }
		/pages:/ { p[db] += $NF }
		END { for (d in p) if (p[d] > 8) printf "%d %s\n", p[d], d }' |
		sort -rn | awk '{ printf "    %-10s %6d pages %7.1f MiB\n", $2, $1, $1 * 4096 / 1048576 }'
fi

timed "report, 1000 records" 0 "$KEPU" --db "$small" report --csv
timed "report, $N records" 0 "$KEPU" --db "$big" report --csv
timed "report (table), $N records" 0 "$KEPU" --db "$big" report
timed "list training --csv, $N records" "$N" "$KEPU" --db "$big" list training --csv
echo "  rows written: $(grep -cE '^[0-9A-HJKMNP-TV-Z]{26},' "$T/last")"
timed "list --text with no match (scans all), $N" "$N" \
	"$KEPU" --db "$big" list --text 没有这样的标题
timed "add one record to $N" 0 "$KEPU" --db "$big" add training \
	--set date=2025-03-05 --set category=worker --set title=bench --set participants=3
timed "check (recompute all totals), $N records" "$N" "$KEPU" --db "$big" check
timed "backup, $N records" 0 "$KEPU" --db "$big" backup --out "$T/copy.kepu"
echo "  backup file: $(mib "$(size "$T/copy.kepu")")"

if command -v sqlite3 >/dev/null 2>&1; then
	echo
	echo "for comparison, sqlite3 on the same CSV (no checks, no totals):"
	timed "sqlite3 .import, $N rows" "$N" sqlite3 "$T/s.db" ".mode csv" ".import $T/big.csv training"
	timed "sqlite3 grouped sum" 0 sqlite3 "$T/s.db" \
		"select category, sum(participants) from training group by category;"
	timed "sqlite3 CSV export" "$N" sqlite3 -csv "$T/s.db" "select * from training;"
fi
