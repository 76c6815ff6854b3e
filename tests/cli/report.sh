#!/bin/sh
# report, quota import/show, survey set/show.
. "$KEPU_SRCDIR/tests/lib.sh"

HEAD='year,township,indicator,unit,target,achieved,percent,expected,status,plan,plan_status,group'

# field N of the report row for TOWNSHIP and INDICATOR (plain cells only)
cell() {
	k report --csv | awk -F, -v t="$1" -v i="$2" -v n="$3" \
		'$2 == t && $3 == i { print $n }'
}

new_db chendai
run k report --csv
is_rc 0 "report --csv on a township database"
is "$(echo "$out" | head -1)" "$HEAD" "report --csv header"
is "$(echo "$out" | sed 1d | awk -F, '$9 != "tally"' | wc -l)" 10 "a row per indicator with a target (10)"
is "$(echo "$out" | awk -F, '$9 == "tally" && ($5 != "" || $7 != "" || $8 != "")' | wc -l)" 0 \
	"tally rows have no target, percent or share due"
types=$(grep -c '^activity_type,' "$KEPU_SRCDIR/forms/choices.csv")
merged=$(grep -c '^activity_type,.*,national_science_day.$' "$KEPU_SRCDIR/forms/choices.csv")
is "$merged" 1 "one activity type counts as another (科普日)"
is "$(echo "$out" | awk -F, '$3 == "activity_events_by_type"' | wc -l)" $((types - merged + 1)) \
	"activities by type: a row per type that counts as itself, and one for blank"
is "$(echo "$out" | awk -F, '$3 == "activity_events_by_type" && $12 == "science_day"' | wc -l)" 0 \
	"科普日 has no row of its own: it counts as 全国科普日"
is "$(echo "$out" | sed 1d | cut -d, -f2 | sort -u)" chendai "every row is chendai's"
is "$(echo "$out" | sed 1d | cut -d, -f1 | sort -u)" 2025 "every row is for 2025"
before=$(cell chendai rural_tech_training 6)

run k add training --set date=2025-03-05 --set category=rural_tech \
	--set title=茶叶种植技术培训 --set participants=45 --set farmers=30
is_rc 0 "add a rural_tech training"
is "$(cell chendai rural_tech_training 6)" $((before + 45)) "report moves by 45"
is "$(cell chendai rural_tech_farmers 6)" 30 "farmers move by 30"
is "$(cell chendai worker_training 6)" 0 "other indicators do not move"
run k add training --set date=2024-03-05 --set category=rural_tech \
	--set title=去年的培训 --set participants=7 --set farmers=1
is "$(cell chendai rural_tech_training 6)" $((before + 45)) "a 2024 record is not in 2025"
run k report --year 2024 --csv
like "$out" "2024,chendai,rural_tech_training" "report --year 2024"
is "$(echo "$out" | awk -F, '$3 == "rural_tech_training" { print $6 }')" 7 "counts the 2024 record"
run k report --year 2019
is_rc 64 "report --year outside the plan: 64"
run k report
is_rc 0 "report as a table"
like "$out" "Practical rural technology training" "the table has indicator labels"
run env KEPU_LANG=zh "$KEPU" --db "$DB" report
like "$out" "农村实用技术培训" "the table in Chinese"
run k report --excel
head -c 3 "$T/out" | od -An -tx1 | grep -q 'ef bb bf'
ok $? "report --excel starts with a BOM"

# tallies: counted, never judged; 科普日 and 全国科普日 one group
tally() {
	k report --csv | awk -F, -v i="$1" -v g="$2" '$3 == i && $12 == g { print $6 "," $9 }'
}
run k add activity --set date=2025-05-16 --set type=科普日 --set title=科普日 \
	--set audience=300 --set target_group=new_residents --set volunteers=12
is_rc 0 "an activity typed as 科普日"
run k add activity --set date=2025-05-18 --set type=national_science_day \
	--set title=全国科普日主场 --set audience=200
is_rc 0 "and one as 全国科普日"
unlike "$err" "activity_events" "a tally is no quota impact"
is "$(tally activity_events_by_type national_science_day)" "2,tally" "one group counts both events"
is "$(tally activity_audience_by_type national_science_day)" "500,tally" "and their audience"
is "$(tally activity_audience_by_group new_residents)" "300,tally" "new residents reached"
is "$(tally activity_audience_by_group '')" "200,tally" "the blank target group"
is "$(tally activity_volunteers '')" "12,tally" "volunteers (an ungrouped tally)"
run k report
like "$out" "Activities by type: National Science Popularisation Day (with Science popularisation day)" \
	"the table names what the group holds"
unlike "$out" "Activities by type: Science and technology week" "and leaves out empty groups"
run k check
is_rc 0 "check recounts the tallies"
printf 'year,township,indicator,target\n2025,chendai,activity_events,3\n' >"$T/qt.csv"
run k quota import "$T/qt.csv"
is_rc 65 "a quota for a tally: 65"
like "$err" "qt.csv:2: indicator: indicator \"activity_events\" is a tally" "says why"

# quotas
printf 'year,township,indicator,target\n2025,chendai,rural_tech_training,130\n2025,chendai,worker_training,200\n2021-2025,chendai,official_training,450\n' >"$T/q.csv"
run k quota import "$T/q.csv"
is_rc 0 "quota import"
like "$out" "imported 3 quotas" "quota import counts rows"
is "$(cell chendai rural_tech_training 5)" 130 "report shows the quota"
run k quota show --csv
is_rc 0 "quota show --csv"
is "$(echo "$out" | head -1)" "year,township,indicator,target" "quota show --csv header"
like "$out" "2025,chendai,rural_tech_training,130" "quota show has the row"
like "$out" "2021-2025,chendai,official_training,450" "plan-period quota shows the plan years"
k quota show --csv >"$T/q2.csv"
run k quota import "$T/q2.csv"
is_rc 0 "quota show --csv re-imports"
run k quota show
like "$out" "130" "quota show as a table"
run k add training --set date=2025-03-06 --set category=rural_tech \
	--set title=第二期 --set participants=5 --set farmers=5
like "$err" "+5 → 50/130" "add's impact is measured against the quota"
printf 'year,township,indicator,target\n2025,chendai,rural_tech_training,130\n2025,atlantis,worker_training,5\n' >"$T/qbad.csv"
run k quota import "$T/qbad.csv"
is_rc 65 "quota import with an unknown township: 65"
like "$err" "qbad.csv:3" "names the line"
run k quota import "$T/nosuch.csv"
is_rc 66 "quota import of a missing file: 66"

# every bad row of a quota file is named, and none of its rows is stored
k quota show --csv >"$T/before.csv"
cat >"$T/qmany.csv" <<'CSV'
year,township,indicator,target
2025,chendai,worker_training,999
2025,atlantis,worker_training,5
2025,chendai,teacher_training,lots
2019,chendai,happiness,7
2019,chendai,worker_training,3
2025,chendai,worker_training,1
2025,chendai,teacher_training
CSV
run k quota import "$T/qmany.csv"
is_rc 65 "a quota file with six bad rows: 65"
is "$err" "$T/qmany.csv:3: township: no such township \"atlantis\"
$T/qmany.csv:4: target: target \"lots\" must be a number >= 0
$T/qmany.csv:5: indicator: no such indicator \"happiness\"
$T/qmany.csv:6: year: year \"2019\" is not valid: give a single year from 2021 on, a plan's years (e.g. 2021-2025) or a plan id
$T/qmany.csv:7: repeats line 2
$T/qmany.csv:8: target: no value
kepu: $T/qmany.csv: 6 rows have errors; no quota stored" "every bad row, every problem: FILE:LINE: column: message"
is "$out" "" "nothing on stdout"
k quota show --csv >"$T/after.csv"
cmp -s "$T/before.csv" "$T/after.csv"
ok $? "not even the good row was stored"
is "$(cell chendai worker_training 5)" 200 "the quota is the one imported before"
printf 'year,township,indicator,target\n2025,chendai,worker_training,1\n2025,anhai,worker_training,-2\n' >"$T/qone.csv"
run k quota import "$T/qone.csv"
is_rc 65 "a bad row for another township still refuses the file"
like "$err" "qone.csv:3: target: target \"-2\" must be a number >= 0" "names it"
like "$err" "1 row has errors; no quota stored" "one row: singular"
is "$(cell chendai worker_training 5)" 200 "nothing stored"
KEPU_LANG=zh run k quota import "$T/qmany.csv"
is_rc 65 "zh: 65"
like "$err" "qmany.csv:3: township: 没有“atlantis”这个镇（街道）" "zh: the township"
like "$err" "qmany.csv:7: 与第 2 行重复" "zh: the repeated row"
like "$err" "6 行有错误，一条任务也未导入" "zh: the count"
printf 'indicator,target\n2025,1\n' >"$T/qhead.csv"
run k quota import "$T/qhead.csv"
is_rc 65 "a header lacking two columns: 65"
like "$err" "qhead.csv:1: the header has no \"year\" column" "names year"
like "$err" "qhead.csv:1: the header has no \"township\" column" "and township"
printf 'year,township,indicator,target\n2025,nowhere,worker_training,1\n2025,chendai,"worker_training,1\n' >"$T/qcsv.csv"
run k quota import "$T/qcsv.csv"
is_rc 65 "a bad row, then malformed CSV: 65"
like "$err" "qcsv.csv:2: township: no such township \"nowhere\"" "the bad row is named"
like "$err" "qcsv.csv:3: malformed CSV" "and so is the malformed one"
like "$err" "2 rows have errors; no quota stored" "both are counted"
: >"$T/qempty.csv"
run k quota import "$T/qempty.csv"
is_rc 65 "an empty quota file: 65"
is "$err" "$T/qempty.csv: the file is empty
kepu: $T/qempty.csv: no quota stored" "says it is empty"

# survey values are the city's: a township database refuses them
run k survey set science_literacy_rate=16.5 --year 2025
is_rc 64 "survey set in a township database: 64"
like "$err" "enter them in the city database" "says where survey values go"
KEPU_LANG=zh run k survey set science_literacy_rate=16.5
is_rc 64 "zh: survey set in a township database: 64"
like "$err" "只能在市级数据库中录入" "zh: says where survey values go"
run k survey show --csv
is_rc 0 "survey show in a township database"
like "$out" "2025,science_literacy_rate,," "no value was stored"

# a city database: every township times every indicator, plus the city
rm -f "$DB" "$DB-lock"
run k init --city --year 2025
is_rc 0 "init --city"
run k report --csv
is_rc 0 "report --csv on a city database"
is "$(echo "$out" | sed 1d | awk -F, '$9 != "tally"' | wc -l)" 210 "20 townships x 10 indicators + 10 city rows"
is "$(echo "$out" | sed 1d | cut -d, -f2 | sort -u | wc -l)" 21 "20 townships and all"
is "$(echo "$out" | awk -F, '$2 == "all" && $9 != "tally"' | wc -l)" 10 "a city row per indicator"
is "$(echo "$out" | awk -F, '$2 == "all" && $9 == "tally"' | wc -l)" \
	"$(echo "$out" | awk -F, '$2 == "chendai" && $9 == "tally"' | wc -l)" "a city row per tally row of a township"
run k add training --township anhai --set date=2025-03-05 --set category=worker \
	--set title=安海职工培训 --set participants=80
is_rc 0 "add with --township in a city database"
is "$(cell anhai worker_training 6)" 80 "the township's row moves"
is "$(cell all worker_training 6)" 80 "the city row moves"
is "$(cell cizao worker_training 6)" 0 "another township's row does not"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3
is_rc 65 "add without a township in a city database: 65"
run k check
is_rc 0 "check on the city database"

# survey values, in the city database: the "all" row shows the year's value
run k survey set science_literacy_rate=16.5 --year 2025
is_rc 0 "survey set"
run k survey set science_literacy_rate=15 --year 2024
is_rc 0 "survey set for 2024"
run k survey show --csv
like "$out" "2025,science_literacy_rate,16.5" "survey show has the value"
is "$(cell all science_literacy_rate 6)" 16.5 "the city row shows 2025's value"
is "$(cell all science_literacy_rate 9)" ahead "16.5% is ahead of > 16%"
is "$(k report --csv --year 2024 | awk -F, '$2 == "all" && $3 == "science_literacy_rate" { print $6 "," $9 }')" \
	"15,behind" "the 2024 report shows 2024's value: below > 16 is behind"
is "$(cell anhai science_literacy_rate 6)" 0 "a township row has no survey value"
run k survey set rural_tech_training=5
is_rc 64 "survey set on a counted indicator: 64"
run k survey set science_literacy_rate=lots
is_rc 65 "survey set with a non-number: 65"
run k survey set science_literacy_rate=150
is_rc 65 "survey set with a percentage over 100: 65"
is "$(cell all science_literacy_rate 6)" 16.5 "a refused value changes nothing"

# A quota met exactly, in a year that is over: met (at least the target),
# in the year's report and in the plan's evaluation; one short: not met.
km() { "$KEPU" --db "$T/met.kepu" "$@"; }
km init --township anhai >/dev/null
printf 'year,township,indicator,target\n2024,anhai,teacher_training,40\n' >"$T/q40.csv"
km quota import "$T/q40.csv" >/dev/null
km add training --set date=2024-05-08 --set category=teacher --set title=T1 \
	--set participants=25 >/dev/null 2>&1
km add training --set date=2024-06-08 --set category=teacher --set title=T2 \
	--set participants=15 >/dev/null 2>&1
is "$(km report --year 2024 --csv | awk -F, '$3 == "teacher_training" { print $6 "," $7 "," $9 }')" \
	"40,100,met" "2024 is over: exactly the target is met, 100%"
is "$(km report --plan 2021-2025 --csv | awk -F, '$4 == "teacher_training" && $7 == 2024 { print $9 "," $11 }')" \
	"40,met" "the plan's evaluation: 2024 met"
is "$(km report --plan 2021-2025 --csv | awk -F, '$4 == "teacher_training" && $7 == "total" { print $12 }')" \
	1 "and counted among the years met"
printf 'year,township,indicator,target\n2024,anhai,teacher_training,41\n' >"$T/q41.csv"
km quota import "$T/q41.csv" >/dev/null
is "$(km report --year 2024 --csv | awk -F, '$3 == "teacher_training" { print $9 }')" \
	"not met" "one short of the target: not met"
is "$(km report --plan 2021-2025 --csv | awk -F, '$4 == "teacher_training" && $7 == "total" { print $12 }')" \
	0 "and no year met"

done_testing
