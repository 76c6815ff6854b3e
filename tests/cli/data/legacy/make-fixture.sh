#!/bin/sh
# make-fixture.sh KEPU OUTDIR: the legacy fixture of tests/legacy.sh, made with
# the kepu of commit 3c583d3 (before years, plans and form versions):
#   git worktree add /tmp/old 3c583d3 && (cd /tmp/old && ./autogen.sh &&
#   ./configure -q && make -j2) && sh make-fixture.sh /tmp/old/kepu OUTDIR
# It writes chendai.kepu (a township database made in 2024, with 2024 and
# 2025 records, one bundle sent and one edit not yet sent), city.kepu (the
# city database that imported that bundle), and what the old kepu said about
# them: *.report-2025.csv, *.list.csv, *.fingerprint.
set -eu
K=$1; OUT=$2
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT" "$W/usb"
export KEPU_LANG=en KEPU_FORMS="$(dirname "$K")/../forms"
[ -d "$KEPU_FORMS" ] || KEPU_FORMS="$(cd "$(dirname "$K")/.." && pwd)/forms"
T=$W/chendai.kepu C=$W/city.kepu
KEPU_TODAY=2024-03-01 "$K" --db "$C" init --city --year 2024
KEPU_TODAY=2024-03-01 "$K" --db "$C" quota import "$KEPU_FORMS/quotas-2025-example.csv"
KEPU_TODAY=2024-03-01 "$K" --db "$T" init --township chendai --year 2024
"$K" --db "$T" key export --out "$W/chendai.pub"
"$K" --db "$C" key export --out "$W/city.pub"
"$K" --db "$C" township trust "$W/chendai.pub"
"$K" --db "$T" township trust "$W/city.pub"
KEPU_TODAY=2024-05-10 "$K" --db "$T" add training --set date=2024-05-08 \
	--set category=rural_tech --set title=茶叶种植技术培训 \
	--set participants=45 --set farmers=30 >/dev/null
KEPU_TODAY=2024-09-10 "$K" --db "$T" add activity --set date=2024-09-05 \
	--set type=science_day --set title=全国科普日陈埭主场 --set audience=800 >/dev/null
KEPU_TODAY=2025-11-20 "$K" --db "$T" demo --year 2025 --force >/dev/null
KEPU_TODAY=2025-11-20 "$K" --db "$C" quota export --out "$W/usb" --township chendai >/dev/null
KEPU_TODAY=2025-11-20 "$K" --db "$T" import "$W/usb"/quota-chendai-* >/dev/null
KEPU_TODAY=2025-11-20 "$K" --db "$T" export --out "$W/usb" >/dev/null
KEPU_TODAY=2025-11-21 "$K" --db "$C" import "$W/usb"/chendai-* >/dev/null
# one change made after the bundle: it must reach the city with the next one
id=$("$K" --db "$T" list training --year 2025 --csv | sed -n 2p | cut -d, -f1)
KEPU_TODAY=2025-11-25 "$K" --db "$T" edit "$id" --set participants=61 >/dev/null
for db in chendai city; do
	rm -f "$OUT/$db.kepu"
	"$K" --db "$W/$db.kepu" backup --out "$OUT/$db.kepu" >/dev/null
	KEPU_TODAY=2025-11-30 "$K" --db "$W/$db.kepu" report --year 2025 --csv >"$OUT/$db.report-2025.csv"
	for f in training activity demo; do
		"$K" --db "$W/$db.kepu" list $f --csv >"$OUT/$db.list-$f.csv"
	done
	"$K" --db "$W/$db.kepu" key show >"$OUT/$db.fingerprint"
done
echo "edited after the bundle: $id" >"$OUT/README"
