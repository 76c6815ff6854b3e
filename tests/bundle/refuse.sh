#!/bin/sh
# Damaged, unsigned, untrusted and invalid bundles are refused with the
# right message, and the city database does not change at all.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town anhai 3 && town chendai 4 || { ok 1 "demo databases"; done_testing; }
kc township trust "$T/anhai.key" >/dev/null
kc township trust "$T/chendai.key" >/dev/null
kt chendai export --out "$USB" >/dev/null
kc import "$(latest "$USB")" >/dev/null
mkdir -p "$T/a"
kt anhai export --out "$T/a" >/dev/null
good=$(latest "$T/a")
name=$(basename "$good")
# The city holds chendai's records: what every refusal must leave as it is.
n=$(checked kt chendai)
city_before "$n"

# damaged COPY: a fresh copy of the good bundle under its own name.
damaged() {
	rm -rf "$T/bad"
	mkdir -p "$T/bad"
	cp -r "$good" "$T/bad/$name"
	bad=$T/bad/$name
}

# refused WHAT MESSAGE: importing $bad fails with 65 and MESSAGE, and the
# city database is unchanged (city_unchanged, against city_before).
refused() {
	run kc import "$bad"
	is_rc 65 "$1: refused with 65"
	like "$err" "$2" "$1: says '$2'"
	city_unchanged "$1"
}

run kc verify "$good"
is_rc 0 "the undamaged bundle verifies"

damaged
sed -i '2s/,0,/,1,/' "$bad/training.csv"
refused "tampered file" "file changed: training.csv"

damaged
size=$(wc -c <"$bad/training.csv")
truncate -s $((size / 2)) "$bad/training.csv"
refused "truncated file" "truncated file: training.csv"
like "$err" "the bundle has problems; nothing imported: ask anhai for a good copy (copied again, or exported anew)" \
	"and what to do"

damaged
rm "$bad/demo.csv"
refused "missing file" "missing file: demo.csv"
is "$(printf '%s\n' "$err" | grep -c 'missing file: demo.csv')" 1 "said once"

damaged
rm "$bad/history.csv"
refused "missing history" "missing file: history.csv"
is "$(printf '%s\n' "$err" | grep -c 'missing file: history.csv')" 1 \
	"said once, though the list and the rows both miss it"

damaged
rm "$bad/SHA256SUMS"
refused "missing checksums" "missing file: SHA256SUMS"

damaged
rm "$bad/manifest.sig"
refused "unsigned bundle" "unsigned: manifest.sig is missing"

# Excel style: BOM removed, CRLF turned into LF, one cell altered.
damaged
/usr/bin/python3 - "$bad/activity.csv" <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
assert b.startswith(b"\xef\xbb\xbf") and b"\r\n" in b
b = b[3:].replace(b"\r\n", b"\n")
lines = b.split(b"\n")
cells = lines[1].split(b",")
cells[-2] = b"altered"
lines[1] = b",".join(cells)
open(p, "wb").write(b"\n".join(lines))
PY
refused "re-saved in Excel style" "file changed: activity.csv"

# Someone recomputes SHA256SUMS after editing: the signature catches it.
damaged
sed -i '2s/,0,/,1,/' "$bad/training.csv"
(cd "$bad" && grep -v ' training.csv$' SHA256SUMS >s && sha256sum training.csv >>s && sort -k2 s >SHA256SUMS && rm s)
refused "checksums recomputed" "wrong signature"

# A bundle signed by another key than the one trusted for anhai.
rm -f "$T/anhai2.kepu"
"$KEPU" --db "$T/anhai2.kepu" demo --township anhai --year 2025 --seed 9 >/dev/null 2>&1
mkdir -p "$T/a2"
kt anhai2 export --out "$T/a2" >/dev/null
bad=$(latest "$T/a2")
refused "signed by another key" "untrusted key: signed with another key of anhai"

# A township whose key the city never trusted.
town cizao 5
mkdir -p "$T/c"
kt cizao export --out "$T/c" >/dev/null
bad=$(latest "$T/c")
refused "untrusted township" "unknown township / untrusted"

damaged
mv "$bad" "$T/bad/renamed"
bad=$T/bad/renamed
refused "renamed folder" "the folder is named renamed"

damaged
touch "$bad/extra.csv"
refused "unexpected file" "unexpected file: extra.csv"

# What Windows Explorer and macOS Finder leave in a folder they showed.
damaged
touch "$bad/Thumbs.db" "$bad/desktop.ini" "$bad/.DS_Store" "$bad/~\$training.csv"
run kc verify "$bad"
is_rc 0 "Thumbs.db, desktop.ini, .DS_Store and WPS's ~\$training.csv beside the files: the bundle still verifies"
touch "$bad/THUMBS.DB.csv"
run kc verify "$bad"
is_rc 65 "but a file only named like them is unexpected"
like "$out$err" "unexpected file: THUMBS.DB.csv" "and named"

run kc import "$T/nowhere"
is_rc 66 "a missing folder: 66"

# A row that fails the city's forms (the township had a looser form).
cp -r "$KEPU_FORMS" "$T/forms2"
printf 'training_category,robotics,机器人,Robotics\r\n' >>"$T/forms2/choices.csv"
"$KEPU" --db "$T/dongshi.kepu" init --township dongshi --year 2025 --forms "$T/forms2" >/dev/null
kt dongshi add training --set date=2025-03-01 --set category=worker \
	--set title=Fine --set organizer=市总工会 --set venue=Hall \
	--set participants=20 >/dev/null 2>&1
kt dongshi add training --set date=2025-03-02 --set category=robotics \
	--set title=Robots --set organizer=市科协 --set venue=Hall \
	--set participants=10 >/dev/null 2>&1
kt dongshi key export --out "$T/dongshi.key" 2>/dev/null
kc township trust "$T/dongshi.key" >/dev/null
city_before "$n"
mkdir -p "$T/d"
kt dongshi export --out "$T/d" >/dev/null
bad=$(latest "$T/d")
run kc import --dry-run "$bad"
is_rc 65 "dry run of a bundle with a bad row: 65"
like "$out" "rejected 1" "dry run counts the rejected row"
refused "a row failing the forms" "training.csv:3: category:"
like "$err" "1 row failed the checks; nothing imported" "says nothing was imported"

# The good bundle still goes in afterwards.
run kc import "$good"
is_rc 0 "the good bundle imports"
run kc check
is_rc 0 "city totals agree"

done_testing
