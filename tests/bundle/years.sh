#!/bin/sh
# years.sh - closing a year: a closed year's records can be neither added,
# edited nor deleted (exit 65, a message naming the year and how to
# reopen) until it is reopened with a reason; the close and the reopening
# are kept and travel, signed, to the city in the next bundle (years.csv);
# the city approves or returns the year, and the decision travels back in
# a decision bundle that the township's report shows; an old bundle that
# changes a year closed since is refused with the reason.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

KEPU_TODAY=2025-12-20
export KEPU_TODAY
city_new
kc key export --out "$T/city.key" >/dev/null
for id in chendai anhai; do
	town "$id" 3 || echo "town $id failed" >&2
	kc township trust "$T/$id.key" >/dev/null
	kt "$id" township trust "$T/city.key" >/dev/null
	mkdir -p "$USB/$id"
done
DEC=$USB/decisions
mkdir -p "$DEC"
tid=$(kt chendai list training --year 2025 --csv | sed -n 2p | cut -d, -f1)
kt chendai export --out "$USB/chendai" >/dev/null
kc import "$USB/chendai"/chendai-000001-* >/dev/null

# --- closing ---------------------------------------------------------------
run kt chendai close --year 2025
is_rc 0 "close --year 2025: 0"
like "$out" "closed 2025" "says so"
like "$err" "note: 2025 is not over yet" "on 2025-12-20: a note that the year is not over"
run kt chendai edit "$tid" --set participants=99
is_rc 65 "an edit of a 2025 record: 65"
like "$err" "year 2025 was closed on" "the message names the year"
like "$err" "kepu reopen --year 2025 --reason TEXT" "and how to reopen it"
run kt chendai delete "$tid"
is_rc 65 "a delete: 65"
like "$err" "records dated 2025 can be neither added, edited nor deleted" "the same message"
printf '%%PDF-1.4\n1 0 obj << >> endobj\n%%%%EOF\n' >"$T/sheet.pdf"
run kt chendai attach "$tid" "$T/sheet.pdf"
is_rc 65 "attaching a file to a 2025 record: 65"
like "$err" "year 2025 was closed" "the same message"
run kt chendai add training --set date=2025-11-02 --set category=worker \
	--set title=电工培训 --set participants=12
is_rc 65 "an add dated 2025: 65"
like "$err" "year 2025 was closed" "the same message"
printf 'date,category,title,participants\n2024-05-02,worker,a,3\n2025-05-03,worker,b,4\n' >"$T/rows.csv"
run kt chendai add training --from-csv "$T/rows.csv"
is_rc 65 "add --from-csv with a 2025 row: 65, the whole file"
like "$err" "rows.csv:3: year 2025 was closed" "names the row"
unlike "$err" "rows.csv:2:" "not the 2024 one"
is "$(kt chendai list training --year 2024 --csv | grep -c ',a,')" 0 "the 2024 row is not stored either"
KEPU_LANG=zh run kt chendai edit "$tid" --set participants=99
like "$err" "2025 年度已于" "in Chinese: 2025 年度已于…关闭"
like "$err" "kepu reopen --year 2025 --reason 理由" "and how to reopen it"
run kt chendai close --year 2025
is_rc 0 "closing it again: 0"
like "$out" "closed already" "changes nothing and says so"

# --- reopening -------------------------------------------------------------
run kt chendai reopen --year 2025
is_rc 64 "reopen without --reason: 64"
run kt chendai reopen --year 2025 --reason "   "
is_rc 65 "a blank reason: 65"
run kt chendai reopen --year 2025 --reason "教师培训人数录错"
is_rc 0 "reopen --year 2025 --reason: 0"
run kt chendai edit "$tid" --set participants=9
is_rc 0 "the edit is accepted now"
run kt chendai attach "$tid" "$T/sheet.pdf"
is_rc 0 "and attaching the file"
run kt chendai received --events --csv
is_rc 0 "received --events in the township: 0"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1-4,8)" "chendai,1,2025,closed,
chendai,2,2025,reopened,教师培训人数录错" "the close and the reopening are kept, with the reason"
like "$(printf '%s\n' "$out" | sed -n 2p | cut -d, -f6,7)" "T" "with who and when"
run kt chendai log --csv
like "$out" ",reopened,,chendai,,,#year,,2025 教师培训人数录错" "the history shows the reopening with its reason"
like "$out" ",closed,,chendai,,,#year,,2025" "and the close"
run kt chendai log
like "$out" "  reopened
    year 2025; reason: 教师培训人数录错" "the terminal says the year and the reason apart"
KEPU_LANG=zh run kt chendai log
like "$out" "  已关闭
    年度 2025" "in Chinese, the event named in Chinese too"
KEPU_TODAY=2026-01-05 run kt chendai close --year 2025
is_rc 0 "closed again"
unlike "$err" "not over" "in 2026, no note: 2025 is over"

# --- they travel ------------------------------------------------------------
run kt chendai export --out "$USB/chendai"
is_rc 0 "the next bundle"
like "$out" "3 year events" "holds the three events"
b2=$(latest "$USB/chendai")
grep -q "  years.csv$" "$b2/SHA256SUMS"
ok $? "years.csv is listed in SHA256SUMS (signed)"
is "$(tail -n +2 "$b2/years.csv" | tr -d '\r' | cut -d, -f1-4,7)" "chendai,1,2025,closed,
chendai,2,2025,reopened,教师培训人数录错
chendai,3,2025,closed," "years.csv: township,seq,year,event,by,at,reason"
run kc import "$b2"
is_rc 0 "the city imports it"
like "$out" "year events: 3, new 3" "with its events"
like "$out" "updated 1" "and the edit made while the year was open"
run kc received --events --csv
like "$out" "chendai,2,2025,reopened,,$(id -un)," "the city sees the reopening"
like "$out" "教师培训人数录错" "with its reason"
run kc received --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$1 == "chendai"' | cut -d, -f11-14)" "closed,,,2025" \
	"received: chendai has closed 2025, no decision yet"
run kt chendai export --out "$USB/chendai"
like "$out" "no changes since bundle 2" "nothing new: nothing written"

# --- the city decides ------------------------------------------------------
run kc return --township chendai --year 2025 --reason "教师培训数字偏低，请核对" --out "$DEC"
is_rc 0 "return --reason --out: 0"
like "$out" "decision-chendai-000001-20251220" "writes the decision bundle"
run kt chendai import "$DEC"/decision-chendai-000001-*
is_rc 0 "the township imports it"
like "$out" "the city's decisions: 1, new 1" "one decision"
run kt chendai report --year 2025
like "$out" "Year 2025: returned: 教师培训数字偏低，请核对" "report says returned, with the reason"
KEPU_LANG=zh run kt chendai report --year 2025
like "$out" "2025 年度：已退回：教师培训数字偏低，请核对" "已退回：理由"
run kc received --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$1 == "chendai"' | cut -d, -f11,12,13)" \
	"closed,returned,教师培训数字偏低，请核对" "received: returned, with the reason"

kt chendai reopen --year 2025 --reason "按市里意见核对" >/dev/null
kt chendai edit "$tid" --set participants=19 >/dev/null
kt chendai close --year 2025 >/dev/null
kt chendai export --out "$USB/chendai" >/dev/null
kc import "$(latest "$USB/chendai")" >/dev/null
run kc approve --township chendai --year 2025
is_rc 0 "approve the year closed again: 0"
like "$out" "kepu export --township chendai" "says how to send it"
run kc export --township chendai --out "$DEC"
is_rc 0 "export --township writes the decision bundle"
like "$out" "2 decisions (decision bundle 2)" "with both decisions"
run kt chendai import "$DEC"/decision-chendai-000002-*
is_rc 0 "the township imports it"
like "$out" "the city's decisions: 2, new 1" "the new one"
run kt chendai report --year 2025
like "$out" "Year 2025: approved" "report says approved"
run kc received --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$1 == "chendai"' | cut -d, -f11,12,14)" \
	"closed,approved,2025:approved" "received: approved; closed_years says so too"
run kc received --year 2025
like "$out" "2025 approved" "and the table"
run kt chendai import "$DEC"/decision-chendai-000001-*
like "$out" "already imported" "the older decision bundle again changes nothing"
run kt chendai report --year 2025
like "$out" "Year 2025: approved" "still approved"
run kc approve --township chendai --year 2025
is_rc 0 "approving again: 0"
like "$out" "approved already" "changes nothing"

# Reopening after approval is allowed; the city sees it.
run kt chendai reopen --year 2025 --reason "补录一次培训"
is_rc 0 "reopen after approval: 0"
kt chendai export --out "$USB/chendai" >/dev/null
kc import "$(latest "$USB/chendai")" >/dev/null
run kc received --year 2025 --csv
is "$(printf '%s\n' "$out" | awk -F, '$1 == "chendai"' | cut -d, -f11,12,13,14)" \
	"reopened,approved,补录一次培训," "received: reopened after its approval"

# --- bundles that reach the city out of order --------------------------------
# A change made before the close is part of the figures the township closed:
# its bundle imports even when the close's bundle came first.
aid=$(kt anhai list training --year 2025 --csv | sed -n 2p | cut -d, -f1)
kt anhai edit "$aid" --set participants=3 >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
old=$(latest "$USB/anhai")
kt anhai close --year 2025 >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
run kc import "$(latest "$USB/anhai")"
is_rc 0 "a bundle with only the close (0 rows) is written and imports"
run kc import "$old"
is_rc 0 "the older bundle, its change made before the close, imports after it"
is "$(kc show "$aid" | grep -c '^Participants  *3$')" 1 "the city has the change the township closed with"
is "$(kc report --year 2025 --csv | grep '^2025,anhai,' | cut -d, -f3,6)" \
	"$(kt anhai report --year 2025 --csv | grep '^2025,anhai,' | cut -d, -f3,6)" \
	"the city's 2025 figures for anhai are the township's"

# Once the city has approved the year, a change made before the close that
# arrives later is refused: what was approved stays as approved.
kt anhai reopen --year 2025 --reason "再改一次" >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
kc import "$(latest "$USB/anhai")" >/dev/null
kt anhai edit "$aid" --set participants=4 >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
old=$(latest "$USB/anhai")
kt anhai close --year 2025 >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
kc import "$(latest "$USB/anhai")" >/dev/null
run kc approve --township anhai --year 2025
is_rc 65 "approving while a bundle of anhai is missing: 65"
like "$err" "anhai's bundles " "names the bundles missing"
like "$err" "are missing (kepu received): they may hold changes to 2025; import them first, or approve all the same with --force" \
	"says why, and the way out"
KEPU_LANG=zh run kc approve --township anhai --year 2025
like "$err" "其中可能有 2025 年的改动，导入后再通过；确认不等它们时加 --force" "in Chinese"
run kc approve --township anhai --year 2025 --force
is_rc 0 "the city approves anhai's 2025 as it has it, with --force"
run kc return --township anhai --year 2025 --reason "再核对"
is_rc 0 "an approved year returned"
like "$out" "(the year was approved on " "says it had been approved"
kc approve --township anhai --year 2025 --force >/dev/null
city_before "$(checked kc)"
run kc import "$old"
is_rc 65 "then the older bundle, changing the approved 2025: 65"
like "$err" "anhai closed 2025 on" "the reason: anhai closed 2025"
like "$err" "arrived after the close" "and the bundle came after it"
like "$err" "nothing imported" "the whole bundle is refused"
city_unchanged "refused old bundle"
kt anhai reopen --year 2025 --reason "补交旧数据包" >/dev/null
kt anhai export --out "$USB/anhai" >/dev/null
kc import "$(latest "$USB/anhai")" >/dev/null
run kc import "$old"
is_rc 0 "once the reopening has reached the city, the old bundle imports"

# --- refusals ---------------------------------------------------------------
run kc approve --township shenhu --year 2025
is_rc 65 "approving a year never closed: 65"
like "$err" "shenhu has not closed 2025" "says so"
run kc return --township anhai --year 2025 --reason x
is_rc 65 "returning a reopened year: 65"
like "$err" "anhai reopened 2025" "says it was reopened"
run kc return --township chendai --year 2025
is_rc 64 "return without --reason: 64"
run kc approve --township nowhere --year 2025
is_rc 65 "an unknown township: 65"
run kt chendai approve --township chendai --year 2025
is_rc 64 "approve in a township database: 64"
run kc close --year 2025
is_rc 64 "close in the city database: 64"
run kt chendai close --year 2026
is_rc 65 "closing a year not begun: 65"
run kt chendai verify "$(latest "$USB/anhai")"
is_rc 65 "another township's data bundle in a township database: 65"
like "$err" "this is a bundle of anhai: a township database imports only the city's bundles" \
	"says it goes to the city"
unlike "$err" "township trust" "and does not send the clerk to trust anhai's key"
run kt chendai verify "$(latest "$USB/chendai")"
is_rc 0 "its own bundle on the stick still verifies"
run kt anhai import "$DEC"/decision-chendai-000002-*
is_rc 65 "chendai's decisions in anhai's database: 65"
like "$err" "this decision bundle is for chendai" "says whose it is"
run kc import "$DEC"/decision-chendai-000002-*
is_rc 65 "a decision bundle in the city database: 65"
run kt anhai export --township anhai --out "$USB/anhai"
is_rc 64 "export --township in a township database: 64"
cp -r "$b2" "$T/tampered"
sed -i 's/教师培训人数录错/其他理由/' "$T/tampered/years.csv"
run kc verify "$T/tampered"
is_rc 65 "a changed years.csv fails verification"
like "$err" "file changed: years.csv" "names the file"

done_testing
