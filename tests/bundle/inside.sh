#!/bin/sh
# An export never writes inside a bundle: --out naming a bundle folder, or
# a folder inside one, is refused (73) before anything is written, for
# data and quota bundles alike, and the bundle there still verifies.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
kc quota import "$KEPU_FORMS/quotas-2025-example.csv" >/dev/null 2>&1
kc key export --out "$T/city.key" 2>/dev/null
rm -f "$T/anhai.kepu"
"$KEPU" --db "$T/anhai.kepu" init --township anhai --year 2025 >/dev/null
kt anhai township trust "$T/city.key" >/dev/null
add 1 "电工培训" 20 >/dev/null

kc quota export --out "$USB" --township anhai >/dev/null
q=$(latest "$USB")
ok $([ -n "$q" ] && echo 0 || echo 1) "a quota bundle on the stick"

run kt anhai export --out "$q"
is_rc 73 "export into the quota bundle's folder is refused"
like "$err" "bundle" "and says it is a bundle"
mkdir -p "$q/sub"
run kt anhai export --out "$q/sub"
is_rc 73 "so is a folder inside it"
rmdir "$q/sub"
run kc quota export --out "$q" --township anhai
is_rc 73 "a quota export into a bundle is refused too"
ok $(ls -A "$q" | grep -q '^anhai-\|^quota-\|^\.' && echo 1 || echo 0) \
	"nothing was written inside it"
run kt anhai verify "$q"
is_rc 0 "the quota bundle still verifies"
run kt anhai import "$q"
is_rc 0 "and imports"

run kt anhai export --out "$USB"
is_rc 0 "export into the stick's folder itself works"
ok $(ls -d "$USB"/anhai-* >/dev/null 2>&1 && echo 0 || echo 1) \
	"the data bundle is beside the quota bundle"

run kt anhai --lang zh export --out "$q"
like "$err" "数据包" "the refusal in Chinese names the bundle"

done_testing
