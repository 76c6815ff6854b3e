#!/bin/sh
# A bundle file re-saved by a spreadsheet or editor: verify says what
# happened (byte-order mark dropped, line ends changed) and whether the data
# is still the same; the city is named as such, not as "all"; the folder
# holding the bundles is not taken for a broken bundle.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town anhai 3 || { ok 1 "demo database"; done_testing; }
kc township trust "$T/anhai.key" >/dev/null
kt anhai export --out "$USB" >/dev/null
good=$(latest "$USB")
name=$(basename "$good")

# resaved HOW: a copy of the bundle with training.csv re-saved.
resaved() {
	rm -rf "$T/x"
	mkdir -p "$T/x"
	cp -r "$good" "$T/x/$name"
	/usr/bin/python3 - "$T/x/$name/training.csv" "$1" <<'PY'
import sys
p, how = sys.argv[1], sys.argv[2]
b = open(p, "rb").read()
assert b.startswith(b"\xef\xbb\xbf") and b"\r\n" in b
if how in ("bom", "both", "edit"):
    b = b[3:]
if how in ("crlf", "both", "edit"):
    b = b.replace(b"\r\n", b"\n")
if how == "edit":
    b = b.replace(b",anhai,", b",anhai,,", 1)
open(p, "wb").write(b)
PY
	run kc verify "$T/x/$name"
}

resaved bom
is_rc 65 "BOM removed: refused"
like "$err" "byte-order mark was removed, the data is the same" "BOM removed: says so"
like "$err" "copy the bundle again" "BOM removed: says what to do"

resaved crlf
is_rc 65 "CRLF turned into LF: refused"
like "$err" "line ends were changed, the data is the same" "CRLF -> LF: says so"

resaved both
is_rc 65 "both: refused"
like "$err" "byte-order mark was removed and the line ends were changed, the data is the same" \
	"BOM and CRLF: says both"

resaved edit
is_rc 65 "re-saved and edited: refused"
like "$err" "contents differ" "re-saved and edited: says the contents differ"
unlike "$err" "the data is the same" "re-saved and edited: does not call the data intact"

KEPU_LANG=zh resaved both
like "$err" "内容未变" "in Chinese too"

# The city, as a sender of quota bundles, is "the city (all)".
rm -rf "$T/q"
mkdir -p "$T/q"
printf 'year,township,indicator,target\n2025,anhai,worker_training,222\n' >"$T/q.csv"
kc quota import "$T/q.csv" >/dev/null
kc quota export --out "$T/q" --township anhai >/dev/null
run kt anhai verify "$(latest "$T/q")"
is_rc 65 "a quota bundle from an untrusted city: refused"
like "$err" "trusts no key for the city (all)" "names the city as the city"
kc key export --out "$T/city.key" 2>/dev/null
run kt anhai township trust "$T/city.key"
is_rc 0 "the township trusts the city's key"
like "$out" "trusted the key of the city (all)" "trust names the city"
run kt anhai verify "$(latest "$T/q")"
is_rc 0 "the quota bundle verifies"
like "$out" "bundle 1 from the city (all)" "verify names the city"

# The stick's root given instead of a bundle on it.
run kc verify "$USB"
is_rc 65 "verify of the folder holding the bundles: 65"
like "$err" "this folder holds bundles but is not one: name the bundles" \
	"says to name the bundles"
run kc import "$USB"
is_rc 65 "import of that folder: 65"
like "$err" "not a bundle; nothing imported" "said as not a bundle"
unlike "$err" "the bundle has problems" "not as a damaged one"

done_testing
