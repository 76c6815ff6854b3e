#!/bin/sh
# evidence-bench.sh - a township's year of evidence through a bundle: N
# records (default 1,000) of which P (default 300) carry a photo of M MiB
# (default 2): attaching, the size of the database and of the bundle,
# export, verify, import at the city, a second import, and export
# --no-attachments for comparison.
#
#   sh bench/evidence-bench.sh [KEPU [N [P [M]]]]
#
# The photos are a JPEG header and random bytes (kepu judges a file by its
# first bytes, and random bytes do not compress: a worst case for the
# stick and the database).  Everything is made in a temporary folder that
# is removed afterwards; it needs about 5 * P * M MiB of free space.
set -eu

KEPU=${1:-${KEPU:-./kepu}}
N=${2:-1000}
P=${3:-300}
M=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$KEPU" ] || { echo "evidence-bench: no kepu at $KEPU (set KEPU)" >&2; exit 66; }
KEPU_FORMS=${KEPU_FORMS:-$here/../forms}
KEPU_LANG=en
KEPU_TODAY=${KEPU_TODAY:-2025-12-31}
export KEPU_FORMS KEPU_LANG KEPU_TODAY
unset KEPU_FAIL_WRITE_AFTER KEPU_DB || true

W=$(mktemp -d "${TMPDIR:-/tmp}/kepu-evidence.XXXXXX")
trap 'rm -rf "$W"' EXIT

now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{ printf "%.2f", $2 - $1 }'; }
run() {
	"$@" >"$W/last.out" 2>"$W/last.err" || {
		echo "evidence-bench: failed: $*" >&2
		cat "$W/last.err" >&2
		exit 70
	}
}
timed() { _s=$(now); run "$@"; since "$_s"; }
# The largest resident memory of a command, in MiB (GNU time), or n/a.
peak() {
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
		/usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>&1 &&
			awk '{ printf "%.0f MiB", $1 / 1024 }' "$W/rss"
	else
		echo n/a
	fi
}
mib() { du -sk "$1" | awk '{ printf "%.1f", $1 / 1024 }'; }

awk -v n="$N" 'BEGIN {
	print "date,category,title,organizer,venue,participants"
	for (i = 1; i <= n; i++)
		printf "2025-%02d-%02d,worker,Course %d,,Room %d,%d\n",
			1 + i % 12, 1 + i % 28, i, i % 40, 10 + i % 50
}' >"$W/rows.csv"

T=$W/town.kepu
C=$W/city.kepu
run "$KEPU" --db "$T" init --township anhai
run "$KEPU" --db "$C" init --city
run "$KEPU" --db "$T" add training --from-csv "$W/rows.csv"
"$KEPU" --db "$T" list training --csv | cut -d, -f1 | sed 1d | head -n "$P" >"$W/ids"
[ "$(wc -l <"$W/ids")" -eq "$P" ] || { echo "evidence-bench: fewer records than photos" >&2; exit 65; }

mkdir "$W/photos"
i=0
while read -r id; do
	i=$((i + 1))
	f=$W/photos/photo-$i.jpg
	printf '\377\330\377\340\000\020JFIF\000' >"$f"
	head -c $((M * 1048576 - 11)) /dev/urandom >>"$f"
done <"$W/ids"

s=$(now)
i=0
while read -r id; do
	i=$((i + 1))
	run "$KEPU" --db "$T" attach "$id" "$W/photos/photo-$i.jpg"
done <"$W/ids"
t_attach=$(since "$s")
db_town=$(mib "$T")

run "$KEPU" --db "$T" key export --out "$W/anhai.key"
run "$KEPU" --db "$C" township trust "$W/anhai.key"
mkdir "$W/usb" "$W/small"
t_export=$(timed "$KEPU" --db "$T" export --out "$W/usb" --full)
B=$(ls -d "$W"/usb/anhai-*)
t_export_small=$(timed "$KEPU" --db "$T" export --out "$W/small" --full --no-attachments)
S=$(ls -d "$W"/small/anhai-*)
t_verify=$(timed "$KEPU" --db "$C" verify "$B")
t_import=$(timed "$KEPU" --db "$C" import "$B")
t_reimport=$(timed "$KEPU" --db "$C" import "$B")
db_city=$(mib "$C")
run "$KEPU" --db "$W/city2.kepu" init --city
run "$KEPU" --db "$W/city2.kepu" township trust "$W/anhai.key"
rss_import=$(peak "$KEPU" --db "$W/city2.kepu" import "$B")
t_backup=$(timed "$KEPU" --db "$C" backup --out "$W/city-backup.kepu")
t_check=$(timed "$KEPU" --db "$C" check)

printf 'kepu evidence: %s records, %s photos of %s MiB (%s MiB of photos)\n' \
	"$N" "$P" "$M" "$(mib "$W/photos")"
printf '  %-48s %9s\n' \
	"kepu attach, one command per photo (total)" "$t_attach s" \
	"township database, photos in it" "$db_town MiB" \
	"kepu export --full" "$t_export s" \
	"  bundle size" "$(mib "$B") MiB" \
	"kepu export --full --no-attachments" "$t_export_small s" \
	"  bundle size" "$(mib "$S") MiB" \
	"kepu verify (every photo hashed)" "$t_verify s" \
	"kepu import at the city" "$t_import s" \
	"kepu import again (already imported)" "$t_reimport s" \
	"  largest resident memory of an import" "$rss_import" \
	"city database after the import" "$db_city MiB" \
	"kepu backup of the city (one file)" "$t_backup s" \
	"kepu check of the city (photos hashed too)" "$t_check s"
