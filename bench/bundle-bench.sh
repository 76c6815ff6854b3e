#!/bin/sh
# bundle-bench.sh - how long export and import of 100,000 records take,
# next to sqlite3 loading and exporting the same rows as CSV.
#
#   sh bench/bundle-bench.sh [KEPU [N]]
#   KEPU  the kepu program (default: $KEPU, else ./kepu)
#   N     records (default 100000)
#
# Makes a township database with N training records (default 100000), a
# full export of it, an import into a city database, and the same rows
# through sqlite3 (.import, then a CSV export).  Everything is made in a
# temporary folder that is removed afterwards.
set -eu

KEPU=${1:-${KEPU:-./kepu}}
N=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$KEPU" ] || { echo "bundle-bench: no kepu at $KEPU (set KEPU)" >&2; exit 66; }
KEPU_FORMS=${KEPU_FORMS:-$here/../forms}
KEPU_LANG=en
KEPU_TODAY=${KEPU_TODAY:-2025-12-31}
export KEPU_FORMS KEPU_LANG KEPU_TODAY
unset KEPU_FAIL_WRITE_AFTER KEPU_DB || true

W=$(mktemp -d "${TMPDIR:-/tmp}/kepu-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Seconds, with milliseconds, that a command takes (its output discarded).
timed() {
	_s=$(date +%s.%N)
	"$@" >"$W/last.out" 2>"$W/last.err" || {
		echo "bundle-bench: failed: $*" >&2
		cat "$W/last.err" >&2
		exit 70
	}
	_e=$(date +%s.%N)
	echo "$_s $_e" | awk '{ printf "%.2f", $2 - $1 }'
}

# N believable training rows of one township, in the plan's last year.
awk -v n="$N" 'BEGIN {
	split("teacher worker official other agri_technician rural_tech high_skill", cat, " ")
	split("kexie jiaoyuju zonggonghui nongye renshiju", org, " ")
	print "date,category,title,organizer,venue,participants,farmers,certified,hours,trainer"
	srand(42)
	for (i = 1; i <= n; i++) {
		c = cat[1 + i % 7]
		p = 10 + int(rand() * 50)
		f = c == "rural_tech" ? int(p / 2) : ""
		k = c == "high_skill" ? int(p / 3) : ""
		printf "2025-%02d-%02d,%s,Course %d,%s,Room %d,%d,%s,%s,%.1f,Trainer %d\n",
			1 + i % 12, 1 + i % 28, c, i, org[1 + i % 5], i % 40, p, f, k,
			1 + i % 8 / 2, i % 97
	}
}' >"$W/rows.csv"
# Organizer codes differ between form versions: keep only known ones.
for o in kexie jiaoyuju zonggonghui nongye renshiju; do
	grep -q "^organizer,$o," "$KEPU_FORMS/choices.csv" ||
		sed -i "s/,$o,Room/,,Room/" "$W/rows.csv"
done

T=$W/town.kepu
C=$W/city.kepu
"$KEPU" --db "$T" init --township anhai --year 2025 >/dev/null
"$KEPU" --db "$C" init --city --year 2025 >/dev/null
t_add=$(timed "$KEPU" --db "$T" add training --from-csv "$W/rows.csv")
"$KEPU" --db "$T" key export --out "$W/anhai.key" 2>/dev/null
"$KEPU" --db "$C" township trust "$W/anhai.key" >/dev/null
mkdir "$W/usb"
t_export=$(timed "$KEPU" --db "$T" export --out "$W/usb" --full)
B=$(ls -d "$W"/usb/anhai-*)
t_verify=$(timed "$KEPU" --db "$C" verify "$B")
t_import=$(timed "$KEPU" --db "$C" import "$B")
t_reimport=$(timed "$KEPU" --db "$C" import "$B")
rows=$(awk -F, '/^rows:training,/ { print $2 + 0 }' "$B/manifest.csv")
mb=$(du -sk "$B" | awk '{ printf "%.1f", $1 / 1024 }')

if command -v sqlite3 >/dev/null 2>&1; then
	t_sql_import=$(timed sqlite3 "$W/s.db" ".import --csv $B/training.csv t")
	t_sql_export=$(timed sqlite3 "$W/s.db" ".headers on" ".mode csv" \
		".once $W/s.csv" "select * from t;")
	t_sql_sum=$(timed sqlite3 "$W/s.db" \
		"select category, sum(participants) from t where deleted='0' group by category;")
else
	t_sql_import=n/a t_sql_export=n/a t_sql_sum=n/a
fi

printf 'kepu bundles, %s training records (%s rows exported, bundle %s MiB)\n' "$N" "$rows" "$mb"
printf '  %-44s %8s s\n' \
	"kepu add --from-csv (checks, totals)" "$t_add" \
	"kepu export --full (CSV, SHA-256, signature)" "$t_export" \
	"kepu verify" "$t_verify" \
	"kepu import (verify, check, merge)" "$t_import" \
	"kepu import again (nothing to do)" "$t_reimport" \
	"sqlite3 .import of the same CSV" "$t_sql_import" \
	"sqlite3 export of the same rows to CSV" "$t_sql_export" \
	"sqlite3 grouped sum" "$t_sql_sum"
