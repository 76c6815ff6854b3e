#!/bin/sh
# A manifest the receiver cannot use is refused with words that name what
# is wrong; the message is made before the manifest is let go (under
# AddressSanitizer a late use of it was a crash, found by
# tests/fuzz/fuzz_bundle).
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
town_empty anhai
add 1 "Hall talk" 20 >/dev/null
run kt anhai export --out "$USB"
is_rc 0 "an export"
b=$(latest "$USB")
sed 's/^encoding,utf-8/encoding,latin-9/' "$b/manifest.csv" >"$T/m" && cp "$T/m" "$b/manifest.csv"
grep -q '^encoding,latin-9' "$b/manifest.csv"
ok $? "its manifest now declares latin-9"
# Its checksum is made to fit, so that the manifest is read (the
# signature then no longer fits, which is said as well).
sum=$(sha256sum "$b/manifest.csv" | cut -d' ' -f1)
sed "s/^[0-9a-f]*  manifest.csv\$/$sum  manifest.csv/" "$b/SHA256SUMS" >"$T/s" && cp "$T/s" "$b/SHA256SUMS"
run kc verify "$b"
is_rc 65 "verify refuses it: 65"
like "$out$err" "manifest.csv has an invalid encoding: latin-9" "and names the encoding"
run kc import "$b"
is_rc 65 "import refuses it: 65"
like "$out$err" "manifest.csv has an invalid encoding: latin-9" "and names the encoding"
is "$(kc list training --csv | wc -l | tr -d ' ')" 1 "nothing was imported"

done_testing
