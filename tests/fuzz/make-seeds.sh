#!/bin/sh
# Make the seed corpora of tests/fuzz/corpus/ from kepu's own files and a
# demo database: what tests/fuzz/run.sh starts each harness from.  Run by
# hand when the formats change, then commit the result:
#   sh tests/fuzz/make-seeds.sh _build/kepu
set -eu
kepu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
c=$top/tests/fuzz/corpus
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KEPU_FORMS="$top/forms" KEPU_TODAY=2025-06-30 KEPU_LANG=en HOME="$tmp"
# Inputs that once crashed a harness (regress-*) stay.
mkdir -p "$c/csv" "$c/expr" "$c/forms" "$c/bundle" "$c/db"
rm -f "$c"/*/seed* "$c"/db/none "$c"/forms/all "$c"/forms/small

# csv: a flags byte (which writer flags the round trip uses), then a CSV.
"$kepu" demo --training-csv 12 --seed 3 >"$tmp/train.csv"
iconv -f UTF-8 -t GB18030 "$tmp/train.csv" >"$tmp/train-gb.csv"
printf '\357\273\277name,note\r\n"a, b","say ""hi""\r\nnext line"\r\n=1+1,@x\r\n,\r\n' >"$tmp/quoted.csv"
i=0
for f in "$top"/tests/cli/data/*.csv "$tmp/train.csv" "$tmp/train-gb.csv" "$tmp/quoted.csv"; do
	{ printf "\\$(printf '%03o' $((i % 8)))"; cat "$f"; } >"$c/csv/seed$i"
	i=$((i + 1))
done

# expr: every rule of the form files, with values for its fields.
"$py" - "$top/forms" "$c/expr" <<'EOF'
import csv, glob, os, sys
forms, out = sys.argv[1], sys.argv[2]
seen = set()
for path in sorted(glob.glob(os.path.join(forms, "*.csv"))):
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            for col in ("relevant", "constraint", "filter"):
                e = (row.get(col) or "").strip()
                if e:
                    seen.add(e)
seen.update(["today() >= date", "empty(end_date) or end_date >= date",
             "participants * 2 / 3 - -1 > 0", "category in ('a', \"b\", 3)"])
vals = "category=rural_tech\nparticipants=45\nfarmers=30\ndate=2025-03-05\nend_date=\n"
for i, e in enumerate(sorted(seen)):
    with open(os.path.join(out, "seed%d" % i), "w", encoding="utf-8") as f:
        f.write(e + "\n" + vals)
EOF

# forms: the form files in the files format, all and a few.
schema=$(ls "$top"/forms/*.csv | grep -v '/quotas-')
# shellcheck disable=SC2086
"$py" "$top/tests/fuzz/pack.py" "$c/forms/all" $schema
"$py" "$top/tests/fuzz/pack.py" "$c/forms/small" "$top/forms/plans.csv" \
	"$top/forms/townships.csv" "$top/forms/choices.csv" "$top/forms/training.csv" \
	"$top/forms/indicators.csv"

# bundle: a township's data bundles (full, empty, GB18030) and a quota
# bundle, with flags: 0 as they are, 15 re-signed and imported, 31 a dry
# run, 47 a quota bundle re-signed and imported by the township.
town=$tmp/chendai.kepu
city=$tmp/city.kepu
"$kepu" --db "$town" init --township chendai --year 2025 >/dev/null
"$kepu" --db "$town" add training --set date=2025-03-05 --set category=rural_tech \
	--set title=茶叶种植技术培训 --set participants=45 --set farmers=30 >/dev/null
"$kepu" --db "$town" add training --set date=2025-04-01 --set category=worker \
	--set 'title=A "quoted", title' --set participants=12 >/dev/null
"$kepu" --db "$town" add activity --set date=2025-05-20 --set kind=lecture \
	--set title=科普讲座 --set participants=80 >/dev/null 2>&1 || true
mkdir "$tmp/usb"
"$kepu" --db "$town" export --out "$tmp/usb" >/dev/null
"$kepu" --db "$town" export --empty --out "$tmp/usb" >/dev/null
"$kepu" --db "$town" export --full --encoding gb18030 --out "$tmp/usb" >/dev/null
"$kepu" --db "$city" init --city --year 2025 >/dev/null
"$kepu" --db "$town" key export --out "$tmp/chendai.key" 2>/dev/null
"$kepu" --db "$city" township trust "$tmp/chendai.key" >/dev/null 2>&1
"$kepu" --db "$city" quota import "$top/forms/quotas-2025-example.csv" >/dev/null
mkdir "$tmp/qusb"
"$kepu" --db "$city" quota export --township chendai --out "$tmp/qusb" >/dev/null
i=0
for b in "$tmp"/usb/*; do
	for flags in 0 15 31; do
		"$py" "$top/tests/fuzz/pack.py" --bundle $flags "$c/bundle/seed$i" "$b"
		i=$((i + 1))
	done
done
for b in "$tmp"/qusb/*; do
	"$py" "$top/tests/fuzz/pack.py" --bundle 47 "$c/bundle/seed$i" "$b"
	i=$((i + 1))
done
# Year events: a data bundle with a close and a reopening (years.csv),
# imported by the city (15); the city's decision bundle back, imported by
# the township (47).
"$kepu" --db "$town" close --year 2024 >/dev/null
"$kepu" --db "$town" reopen --year 2024 --reason 'a "quoted", reason' >/dev/null
"$kepu" --db "$town" close --year 2024 >/dev/null
mkdir "$tmp/yusb"
"$kepu" --db "$town" export --out "$tmp/yusb" >/dev/null
for b in "$tmp"/usb/chendai-000001-* "$tmp"/yusb/*; do
	"$kepu" --db "$city" import "$b" >/dev/null
done
"$kepu" --db "$city" return --township chendai --year 2024 --reason 退回 \
	--out "$tmp/yusb" >/dev/null
for b in "$tmp"/yusb/chendai-*; do
	"$py" "$top/tests/fuzz/pack.py" --bundle 15 "$c/bundle/seed$i" "$b"
	i=$((i + 1))
done
for b in "$tmp"/yusb/decision-*; do
	"$py" "$top/tests/fuzz/pack.py" --bundle 47 "$c/bundle/seed$i" "$b"
	i=$((i + 1))
done

# db: byte flips of the harness's own demo database ("FLIP", then 5-byte
# patches: offset little-endian, XOR byte); the last byte odd also writes.
"$py" - "$c/db" <<'EOF'
import os, random, struct, sys
rng = random.Random(7)
for i in range(12):
    data = b"FLIP"
    for _ in range(rng.randint(1, 6)):
        data += struct.pack("<IB", rng.randrange(1 << 20), rng.randint(1, 255))
    with open(os.path.join(sys.argv[1], "seed%d" % i), "wb") as f:
        f.write(data)
EOF
printf 'FLIP' >"$c/db/none"
du -sh "$c"
