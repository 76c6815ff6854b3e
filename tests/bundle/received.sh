#!/bin/sh
# received.sh - who has reported: a city of 20 townships, of which three
# never send a bundle and one sends late (its second bundle arrives after
# everyone else's, its first never): kepu received and the report say so,
# "not reported" for the three and never "behind"; the city's total is
# what was received.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

KEPU_TODAY=2025-12-20
export KEPU_TODAY
NEVER="xiyuan dongshi zimao"
LATE=cizao
city_new
kc quota import "$KEPU_FORMS/quotas-2025-example.csv" >/dev/null
kc key export --out "$T/city.key" >/dev/null

i=0
for id in $(townships); do
	i=$((i + 1))
	case " $NEVER " in *" $id "*) continue ;; esac
	town "$id" "$i" || echo "town $id failed" >&2
	kc township trust "$T/$id.key" >/dev/null
	mkdir -p "$USB/$id"
	kt "$id" export --out "$USB/$id" >/dev/null
done
# The late one: a change after its first bundle; only the second arrives.
id=$(kt "$LATE" list training --year 2025 --csv | sed -n 2p | cut -d, -f1)
kt "$LATE" edit "$id" --set participants=7 >/dev/null
kt "$LATE" export --out "$USB/$LATE" >/dev/null
first=$(ls -d "$USB/$LATE"/$LATE-000001-*)
for id in $(townships); do
	[ "$id" = "$LATE" ] && continue
	for b in "$USB/$id"/*; do
		[ -d "$b" ] && kc import "$b" >/dev/null
	done
done

# --- before the late bundle ------------------------------------------------
run kc received --year 2025 --csv
is_rc 0 "received --csv: 0"
is "$(printf '%s\n' "$out" | head -n 1 | tr -d '\r\357\273\277')" \
	"township,year,reported,bundles,last_seq,last_bundle,last_written,last_imported,rows,missing,year_state,decision,reason,closed_years" \
	"the header of the contract"
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 20 "a row per township"
is "$(printf '%s\n' "$out" | awk -F, '$3 == "no"' | cut -d, -f1 | sort | tr '\n' ' ')" \
	"cizao dongshi xiyuan zimao " "four have not reported for 2025 yet"

run kc import "$USB/$LATE"/$LATE-000002-*
is_rc 0 "the late bundle imports"
like "$err" "$LATE: bundle 1 is missing" "its gap is said on import"

# --- who has reported -------------------------------------------------------
run kc received --year 2025 --csv
csv=$out
row() { printf '%s\n' "$csv" | awk -F, -v t="$1" '$1 == t'; }
for id in $NEVER; do
	is "$(row "$id" | cut -d, -f2-5,9-11)" "2025,no,0,,0,,open" \
		"$id: never reported, no bundle, nothing missing"
done
is "$(row "$LATE" | cut -d, -f2-6,9-11)" \
	"2025,yes,1,2,$LATE-000002-20251220,1,1,open" \
	"$LATE: reported late, one bundle (number 2), 1 row, bundle 1 missing"
is "$(row chendai | cut -d, -f2-6,10,11)" "2025,yes,1,1,chendai-000001-20251220,,open" \
	"chendai: one bundle, nothing missing"
like "$(row chendai | cut -d, -f7)" "T" "the written time is the manifest's (UTC)"
like "$(row chendai | cut -d, -f8)" "Z" "and the imported time"
is "$(printf '%s\n' "$csv" | awk -F, '$3 == "yes"' | wc -l | tr -d ' ')" 17 \
	"17 townships have reported"

run kc received --year 2025
is_rc 0 "received (table): 0"
like "$out" "Never reported (3): Xiyuan Subdistrict, Dongshi Town, Zimao Town" \
	"the table ends with those that never reported"
like "$out" "Not reported for 2025 (3):" "and those that have not for the year"
is "$(printf '%s\n' "$out" | grep -cE ' [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} ')" 17 \
	"the times written and imported as the clock shows them"
unlike "$out" "Z " "not in UTC"
KEPU_LANG=zh run kc received --year 2025
like "$out" "从未报送（3）：西园街道、东石镇、紫帽镇" "in Chinese too"

# --- the report -------------------------------------------------------------
run kc report --year 2025 --csv
report=$out
for id in $NEVER; do
	is "$(printf '%s\n' "$report" | awk -F, -v t="$id" '$2 == t && $9 != "not reported" && $9 != "tally"' | wc -l | tr -d ' ')" 0 \
		"report: every row of $id with a verdict is 'not reported'"
done
isnt "$(printf '%s\n' "$report" | awk -F, '$2 == "xiyuan" && $9 == "not reported"' | wc -l | tr -d ' ')" 0 \
	"(xiyuan has such rows)"
is "$(printf '%s\n' "$report" | awk -F, '$2 == "xiyuan" && $5 == "" && $9 != "tally" && $9 != "not reported"' | wc -l | tr -d ' ')" 0 \
	"its tallies stay tallies: they have no verdict to stand in for"
is "$(printf '%s\n' "$report" | awk -F, '$2 == "xiyuan" && $3 == "teacher_training"' | cut -d, -f5,6,9)" \
	"15,0,not reported" "with its quota and nothing achieved, never 'behind'"
is "$(printf '%s\n' "$report" | awk -F, '$9 == "not reported"' | cut -d, -f2 | sort -u | tr '\n' ' ')" \
	"dongshi xiyuan zimao " "no other township is 'not reported'"
like "$(printf '%s\n' "$report" | awk -F, '$2 == "'$LATE'" && $3 == "teacher_training"' | cut -d, -f9)" "" \
	"the late one is judged on what it sent"
isnt "$(printf '%s\n' "$report" | awk -F, '$2 == "'$LATE'" && $3 == "teacher_training"' | cut -d, -f9)" \
	"not reported" "(not 'not reported')"
# The city total is what was received: the townships' achieved added up.
sum=$(printf '%s\n' "$report" | awk -F, '$3 == "teacher_training" && $2 != "all" { s += $6 } END { print s }')
is "$(printf '%s\n' "$report" | awk -F, '$2 == "all" && $3 == "teacher_training"' | cut -d, -f6)" \
	"$sum" "the city total of teacher_training is the sum received"
KEPU_LANG=zh run kc report --year 2025
like "$out" "未报送" "the table says 未报送"

# A zero report counts: an --empty bundle from a township that had none.
town_empty zimao
mkdir -p "$USB/zimao"
kt zimao export --empty --out "$USB/zimao" >/dev/null
kc import "$USB/zimao"/zimao-000001-* >/dev/null
run kc received --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$1 == "zimao"' | cut -d, -f3,4,9)" "yes,1,0" \
	"a zero report (--empty) reports for the years its progress covers"
run kc report --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$2 == "zimao" && $9 == "not reported"' | wc -l | tr -d ' ')" 0 \
	"and zimao is judged now"

# --- refusals, after the above ---------------------------------------------
run kt chendai received
is_rc 64 "received in a township database: 64"
like "$err" "only a city database" "says why"
run kc received --year 2019
is_rc 64 "received --year before the first plan: 64"
run kc received --township chendai
is_rc 64 "received takes no --township: 64"
like "$err" "unknown option --township" "names the option"

[ -d "$first" ]
ok $? "(the late township's first bundle never reached the city)"
done_testing
