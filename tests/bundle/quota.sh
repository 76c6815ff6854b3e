#!/bin/sh
# The city sends quotas back the same way: a quota bundle signed with the
# city's key, imported into a township database.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
kc quota import "$KEPU_FORMS/quotas-2025-example.csv" >/dev/null 2>&1
kc key export --out "$T/city.key" 2>/dev/null
like "$(cat "$T/city.key")" "township,all" "the city's key file names the city"

rm -f "$T/anhai.kepu" "$T/chendai.kepu"
"$KEPU" --db "$T/anhai.kepu" init --township anhai --year 2025 >/dev/null
"$KEPU" --db "$T/chendai.kepu" init --township chendai --year 2025 >/dev/null

run kc quota export --out "$USB" --township anhai
is_rc 0 "the city exports anhai's quotas"
q=$(ls -d "$USB"/quota-anhai-000001-* 2>/dev/null)
ok $([ -n "$q" ] && echo 0 || echo 1) "named quota-anhai-000001-<date>"
(cd "$q" && sha256sum --quiet -c SHA256SUMS)
ok $? "it passes sha256sum -c"

run kt anhai import "$q"
is_rc 65 "a township that does not trust the city refuses it"
like "$err" "unknown township / untrusted" "and says why"

run kt anhai township trust "$T/city.key"
is_rc 0 "anhai trusts the city's key"
run kt anhai township trust "$T/city.key"
is_rc 0 "trusting the same key again is fine"

run kt anhai import --dry-run "$q"
is_rc 0 "dry run"
like "$out" "new 9" "nine quotas would be new"
run kt anhai quota show --csv --year 2025
is "$rc:$out" "0:year,township,indicator,target" "dry run stored nothing: quota show lists none"

run kt anhai import "$q"
is_rc 0 "anhai imports its quotas"
kc quota show --csv --year 2025 | grep ',anhai,' | sort >"$T/cq"
kt anhai quota show --csv --year 2025 | grep ',anhai,' | sort >"$T/tq"
ok $([ -s "$T/tq" ] && cmp -s "$T/cq" "$T/tq" && echo 0 || echo 1) \
	"anhai's quotas equal the city's"
run kt anhai import "$q"
like "$out" "already imported" "importing it again changes nothing"

kt chendai township trust "$T/city.key" >/dev/null
run kt chendai import "$q"
is_rc 65 "chendai refuses anhai's quota bundle"
like "$err" "the bundle holds no quotas for chendai" "and says why"

run kc import "$q"
is_rc 65 "the city does not import a quota bundle"

# A township's data bundle does not go into a township database.
kt anhai key export --out "$T/anhai.key" 2>/dev/null
mkdir -p "$T/d"
kt anhai export --out "$T/d" --empty >/dev/null
run kt chendai township trust "$T/anhai.key"
is_rc 65 "a township database trusts only the city"
run kt chendai import "$(latest "$T/d")"
is_rc 65 "a township database refuses a data bundle"

run kt anhai quota export --out "$USB"
isnt "$rc" 0 "a township database does not export quotas"

# Every township in one bundle.
mkdir -p "$T/all"
run kc quota export --out "$T/all"
is_rc 0 "the city exports every township's quotas"
run kt chendai import "$T"/all/quota-all-*
is_rc 0 "chendai takes its quotas from the bundle for all"
is "$(kt chendai quota show --csv --year 2025 | grep -c ',chendai,')" 9 "chendai has its nine quotas"
# An older quota bundle must not put old targets back.
rm -f "$T/jinjing.kepu"
"$KEPU" --db "$T/jinjing.kepu" init --township jinjing --year 2025 >/dev/null
kt jinjing township trust "$T/city.key" >/dev/null
ind=$(kc quota show --csv --year 2025 | awk -F, '$2 == "jinjing" { print $3; exit }')
yr=$(kc quota show --csv --year 2025 | awk -F, '$2 == "jinjing" { print $1; exit }')
printf 'year,township,indicator,target\n%s,jinjing,%s,10\n' "$yr" "$ind" >"$T/q10.csv"
printf 'year,township,indicator,target\n%s,jinjing,%s,99\n' "$yr" "$ind" >"$T/q99.csv"
mkdir -p "$T/q1" "$T/q2"
kc quota import "$T/q10.csv" >/dev/null 2>&1
kc quota export --out "$T/q1" --township jinjing >/dev/null 2>&1
kc quota import "$T/q99.csv" >/dev/null 2>&1
kc quota export --out "$T/q2" --township jinjing >/dev/null 2>&1
target() {
	kt jinjing quota show --csv --year 2025 | awk -F, -v i="$ind" \
		'$2 == "jinjing" && $3 == i { print $4 }'
}
run kt jinjing import "$T"/q2/quota-jinjing-*
is_rc 0 "the newer quota bundle imports"
is "$(target)" 99 "target 99"
run kt jinjing import "$T"/q1/quota-jinjing-*
is_rc 65 "the older quota bundle is refused as bad input"
like "$err" "stale" "and says it is stale"
is "$(target)" 99 "the newer target stays"
run kt jinjing import --dry-run "$T"/q1/quota-jinjing-*
is_rc 65 "a dry run says the same"
run kt jinjing import "$T"/q2/quota-jinjing-*
like "$out" "already imported" "the newer one again changes nothing"
done_testing
