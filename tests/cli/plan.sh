#!/bin/sh
# The years of a ledger: the working year is today's, --year takes any
# year from the first plan on, verdicts of open and finished years (the
# comparator honoured, batch recognitions unpaced), and the plan evaluation
# (report --plan) equal to the yearly reports.
. "$KEPU_SRCDIR/tests/lib.sh"

PHEAD='plan,plan_status,township,indicator,unit,period,year,target,achieved,percent,status,years_met,group'

# cell TOWNSHIP INDICATOR N[,M...] [report options]: fields N, M... of
# that report row, joined by commas
cell() {
	_t=$1 _i=$2 _n=$3
	shift 3
	k report --csv "$@" | awk -F, -v t="$_t" -v i="$_i" -v n="$_n" '
		$2 == t && $3 == i {
			k = split(n, c, ",")
			for (j = 1; j <= k; j++) printf "%s%s", $c[j], j < k ? "," : "\n"
		}'
}

quotas() {
	printf 'year,township,indicator,target\n' >"$T/q.csv"
	printf '%s\n' "$@" >>"$T/q.csv"
	k quota import "$T/q.csv" >/dev/null
}

# ---- a ledger made in 2024 shows 2025 on 2025-01-02 ----------------------

rm -f "$DB" "$DB-lock"
export KEPU_TODAY=2024-05-01
run k init --township chendai --year 2024
is_rc 0 "init --year 2024 on 2024-05-01 (accepted, ignored)"
run k add training --set date=2024-03-05 --set category=rural_tech \
	--set title=茶叶种植技术培训 --set participants=45 --set farmers=30
is_rc 0 "a 2024 record"
quotas 2024,chendai,rural_tech_training,40 2024,chendai,rural_tech_farmers,31
is "$(cell chendai rural_tech_training 9)" ahead "on 2024-05-01: 45 of 40 is ahead"
is "$(cell chendai rural_tech_farmers 9)" ahead "30 of 31 in May is ahead of the pace"

export KEPU_TODAY=2025-01-02
run k report --csv
is "$(echo "$out" | sed 1d | cut -d, -f1 | sort -u)" 2025 "on 2025-01-02 report --csv is about 2025"
is "$(cell chendai rural_tech_training 6)" 0 "2025 has nothing yet"
run k report
is "$(echo "$out" | head -1 | cut -c1-26)" "2025 quota progress (open)" "the table is about 2025, open"
run k report --year 2024 --csv
is "$(echo "$out" | awk -F, '$3 == "rural_tech_training" { print $5 "," $6 "," $9 }')" \
	"40,45,met" "2024 finished: 45 of 40 is met"
is "$(echo "$out" | awk -F, '$3 == "rural_tech_farmers" { print $5 "," $6 "," $9 }')" \
	"31,30,not met" "2024 finished: 30 of 31 is not met"
is "$(echo "$out" | awk -F, '$3 == "worker_training" { print $9 }')" "no quota" \
	"no quota stays no quota"
run k report --year 2024
is "$(echo "$out" | head -1 | cut -c1-30)" "2024 quota progress (finished)" "the table says 2024 is finished"
like "$out" "not met" "and shows the verdicts"

# ---- verdicts: open and finished years, comparators, pace none -----------

new_db chendai
export KEPU_TODAY=2025-06-30
quotas 2025,chendai,agri_technician_training,6 2025,chendai,teacher_training,15 \
	2025,chendai,worker_training,100 2025,chendai,agri_demo_bases,2 \
	2025,chendai,high_skill_talent,10
k add training --set date=2025-03-01 --set category=agri_technician \
	--set title=农技员培训 --set participants=6 >/dev/null
k add training --set date=2025-03-02 --set category=teacher \
	--set title=教师培训 --set participants=15 >/dev/null
k add training --set date=2025-03-03 --set category=worker \
	--set title=职工培训 --set participants=99 >/dev/null
k add training --set date=2025-03-04 --set category=high_skill \
	--set title=技能培训 --set participants=9 --set certified=3 >/dev/null
is "$(cell chendai agri_technician_training 9)" ahead "open: 6 of = 6 is ahead"
is "$(cell chendai teacher_training 9)" ahead "open: 15 of >= 15 is ahead"
is "$(cell chendai worker_training 9)" ahead "open: 99 of 100 by June is ahead of the pace"
is "$(cell chendai high_skill_talent 9)" behind "open: 3 of 10 by June is behind"
is "$(cell chendai high_skill_talent 8)" 5 "with 5 due by June 30"
export KEPU_TODAY=2025-07-15
is "$(cell chendai agri_demo_bases 6,8,9)" "0,,on track" \
	"pace none: 0 of 2 bases in July is on track, nothing due"
export KEPU_TODAY=2026-01-01
is "$(cell chendai agri_technician_training 9 --year 2025)" met "finished: 6 of = 6 is met"
is "$(cell chendai teacher_training 9 --year 2025)" met "finished: 15 of >= 15 is met"
is "$(cell chendai worker_training 9 --year 2025)" "not met" "finished: 99 of 100 is not met"
is "$(cell chendai agri_demo_bases 6,8,9 --year 2025)" "0,,not met" \
	"pace none: 0 of 2 bases on 2026-01-01 is not met"
is "$(cell chendai worker_training 8 --year 2025)" 100 "a finished year has all of its quota due"
is "$(cell chendai official_training 9 --year 2025)" "no quota" "no quota stays no quota"

rm -f "$DB" "$DB-lock"
k init --city >/dev/null
export KEPU_TODAY=2025-06-30
k survey set science_literacy_rate=15.9 --year 2025 >/dev/null
is "$(cell all science_literacy_rate 6,9)" "15.9,behind" "open: 15.9 against > 16 is behind"
k survey set science_literacy_rate=16 --year 2025 >/dev/null
is "$(cell all science_literacy_rate 9)" behind "open: exactly 16 against > 16 is behind"
export KEPU_TODAY=2026-01-05
is "$(cell all science_literacy_rate 6,9 --year 2025)" "16,not met" \
	"after the plan: exactly 16 against > 16 is not met"
is "$(cell all science_literacy_rate 9 --year 2024)" behind \
	"a plan-period row of an earlier year is progress, not a verdict"
k survey set science_literacy_rate=16.1 --year 2025 >/dev/null
is "$(cell all science_literacy_rate 9 --year 2025)" met "after the plan: 16.1 is met"
is "$(k report --plan 2021-2025 --csv | awk -F, '$3 == "all" && $4 == "science_literacy_rate" && $7 == "total" { print $8 "," $9 "," $11 }')" \
	"16,16.1,met" "the plan evaluation: the latest survey value against the target"

# ---- report --plan: every year's report, and the totals made of them -----

# check_plan NAME: the year rows of report --plan 2021-2025 are the rows of
# report --year Y (target, achieved, status), and the totals are made of
# them as the contract says.
check_plan() {
	run k report --plan 2021-2025 --csv
	is_rc 0 "$1: report --plan 2021-2025 --csv"
	is "$(echo "$out" | head -1)" "$PHEAD" "$1: the header"
	echo "$out" | sed 1d >"$T/plan.csv"
	: >"$T/years.csv"
	for y in 2021 2022 2023 2024 2025; do
		k report --csv --year $y | sed 1d |
			awk -F, '{ print $1 "," $2 "," $3 "," $12 "," $5 "," $6 "," $9 }' >>"$T/years.csv"
	done
	awk -F, '$7 != "total" { print $7 "," $3 "," $4 "," $13 "," $8 "," $9 "," $11 }' \
		"$T/plan.csv" >"$T/plan-years.csv"
	sort "$T/years.csv" >"$T/a"
	sort "$T/plan-years.csv" >"$T/b"
	is "$(wc -l <"$T/b")" "$(wc -l <"$T/a")" "$1: a year row for every row of the five yearly reports"
	cmp -s "$T/a" "$T/b"
	ok $? "$1: each year row equals report --year Y (target, achieved, status)"
	is "$(awk -F, '$1 != "jinjiang-2021-2025" || $2 != "official"' "$T/plan.csv")" "" \
		"$1: every row names the plan, official"
	# Per (township, indicator, group): the sums of the year rows against
	# the total row; "bad" names the first that disagrees.  A tally's
	# total is its years added up, without target or verdict.
	awk -F, -v over="$2" '
	$7 != "total" {
		key = $3 "," $4 "," $13
		ach[key] += $9
		if ($8 != "") { tgt[key] += $8; quota[key]++ }
		if ($11 == "met") met[key]++
		if ($11 == "not met") failed[key] = 1
		if ($7 == 2025) { last_a[key] = $9; last_t[key] = $8; last_s[key] = $11 }
		if ($7 == cur) cur_s[key] = $11
		next
	}
	{
		key = $3 "," $4 "," $13; n++
		if ($11 == "tally") {
			if ($9 + 0 != ach[key] || $8 != "" || $10 != "" || $12 != "")
				{ print "tally " key; exit }
			next
		}
		if ($4 == "science_literacy_rate") next
		if ($6 == "plan") {
			if ($9 != last_a[key] || $8 != last_t[key] || $11 != last_s[key] || $12 != "")
				{ print "plan " key; exit }
			next
		}
		if ($9 + 0 != ach[key] || ($8 == "" ? quota[key] > 0 : $8 + 0 != tgt[key]) ||
		    $12 != met[key] + 0)
			{ print "sums " key; exit }
		if (quota[key] == 0) v = "no quota"
		else if (over) v = met[key] == quota[key] ? "met" : "not met"
		else if (failed[key]) v = "behind"
		else v = cur_s[key]
		if ($11 != v) { print "verdict " key " " $11 " want " v; exit }
	}
	END { if (!n) print "no totals" }' cur="$3" "$T/plan.csv" >"$T/bad"
	is "$(cat "$T/bad")" "" "$1: totals are the sums of the years (targets, achieved, years met), the verdict as the contract says"
}

new_db chendai
export KEPU_TODAY=2026-03-01
for y in 2021 2022 2023 2024 2025 2026; do
	k demo --year $y --force >/dev/null || echo "# demo --year $y failed"
done
check_plan "township, plan over" 1 2025
is "$(awk -F, '$11 != "tally"' "$T/plan.csv" | wc -l)" 60 "township: 10 indicators x (5 years + total)"
is "$(awk -F, '$11 == "tally"' "$T/plan.csv" | wc -l)" \
	"$(k report --csv --year 2025 | awk -F, '$9 == "tally"' | wc -l | awk '{ print $1 * 6 }')" \
	"township: every tally row x (5 years + total)"
is "$(awk -F, '$11 == "tally" && $7 == "total" && $9 > 0' "$T/plan.csv" | wc -l | awk '{ print ($1 > 10) }')" 1 \
	"township: the demo's activities are counted over the plan"
is "$(awk -F, '$7 == "total" && $6 == "annual" && $11 == "met"' "$T/plan.csv" | wc -l)" \
	"$(awk -F, '$7 == "total" && $6 == "annual" && $12 == 5' "$T/plan.csv" | wc -l)" \
	"township: an annual indicator is met over the plan only when all 5 years were"
export KEPU_TODAY=2025-06-30
check_plan "township, plan running" 0 2025
run k report --plan jinjiang-2021-2025 --csv
k report --plan 2021-2025 --csv >"$T/by-years.csv"
is "$out" "$(cat "$T/by-years.csv")" "a plan is named by its id or its years"
run k report --plan 2021-2025
is_rc 0 "report --plan as a table"
is "$(echo "$out" | head -1 | cut -c1-35)" "2021-2025 plan evaluation (open)  J" "the table's heading: the plan, open"
like "$out" "Years met" "the table has the years met"
KEPU_LANG=zh run k report --plan 2021-2025
like "$out" "规划评估（进行中）" "zh: the heading"
like "$out" "合计" "zh: the total rows"

rm -f "$DB" "$DB-lock"
k init --city >/dev/null
export KEPU_TODAY=2026-03-01
for y in 2021 2022 2023 2024 2025; do
	k demo --city --year $y --force >/dev/null || echo "# demo --city --year $y failed"
done
check_plan "city, plan over" 1 2025
is "$(awk -F, '$3 == "all" && $11 != "tally"' "$T/plan.csv" | wc -l)" 60 "city: 10 indicators x 6 rows for the city"
is "$(awk -F, '$11 != "tally"' "$T/plan.csv" | wc -l)" 1260 "city: 20 townships and the city, 10 indicators, 6 rows"
met5=$(awk -F, '$7 == "total" && $6 == "annual" && $12 == 5' "$T/plan.csv" | wc -l)
isnt "$met5" 0 "city: some indicators were met all 5 years"
is "$(awk -F, '$7 == "total" && $6 == "annual" && $11 == "met"' "$T/plan.csv" | wc -l)" \
	"$met5" "city: the annual indicators met over the plan are those met all 5 years"

# ---- 2026: a record, its report, the provisional plan ---------------------

new_db chendai
export KEPU_TODAY=2026-12-01
run k add training --set date=2026-11-30 --set category=rural_tech \
	--set title=二〇二六年茶叶培训 --set participants=12 --set farmers=4
is_rc 0 "on 2026-12-01 a 2026 record is added"
run k add training --set date=2026-12-02 --set category=rural_tech \
	--set title=明天的培训 --set participants=5 --set farmers=1
is_rc 65 "a date after today is refused"
is "$(cell chendai rural_tech_training 6,10,11)" "12,jinjiang-2026-2030,provisional" \
	"report: 2026 counts in the provisional 2026-2030 plan"
run k report --plan 2026-2030 --csv
is "$(echo "$out" | awk -F, '$4 == "rural_tech_training" && ($7 == 2026 || $7 == "total") { print $2 "," $7 "," $9 }' | tr '\n' ' ')" \
	"provisional,2026,12 provisional,total,12 " "report --plan 2026-2030: the 2026 row and the total"
run k report --plan 2026-2030
like "$(echo "$out" | head -1)" "(open, provisional)" "the plan table says provisional"

# ---- --year from the first plan on; --plan refusals -----------------------

run k report --year 2031 --csv
is_rc 0 "report --year 2031 (after the last plan)"
is "$(echo "$out" | sed 1d | cut -d, -f10,11 | sort -u)" "jinjiang-2026-2030,provisional" \
	"2031 is the provisional continuation of the last plan"
run k report --year 2031
is "$(echo "$out" | head -1 | cut -c1-39)" "2031 quota progress (open, provisional)" \
	"the table heading says provisional"
run k list --year 2031
is_rc 0 "list --year 2031"
run k quota show --year 2031 --csv
is_rc 0 "quota show --year 2031"
run k list --year 2021
is_rc 0 "list --year 2021 (the first plan's first year)"
for c in "report" "list" "quota show"; do
	run k $c --year 2020
	is_rc 64 "$c --year 2020 (before the first plan): 64"
done
run k report --plan 2016-2020
is_rc 64 "an unknown plan: 64"
is "$err" 'kepu report: no plan "2016-2020"; the plans are jinjiang-2021-2025 (2021-2025), jinjiang-2026-2030 (2026-2030); see kepu report --help' \
	"the message names the plans"
run k report --plan 2021-2025 --year 2024
is_rc 64 "--plan with --year: 64"
# ---- a new year without quotas is judged by the year before --------------

rm -f "$DB" "$DB-lock"
export KEPU_TODAY=2026-02-01
k init --township chendai --year 2025 >/dev/null
for d in 01 02 03; do
	k add training --set date=2025-05-$d --set category=rural_tech \
		--set title=培训$d --set participants=3$d --set farmers=2$d >/dev/null 2>&1
done
run k add training --set date=2026-01-10 --set category=rural_tech \
	--set title=大培训 --set participants=3000 --set farmers=20
is_rc 0 "2026, no quota, no record yet: stored"
like "$err" "implausible: 3000 for \"Practical rural technology training\" is more than 5 times the largest earlier record (303)" \
	"3000 judged by 2025's largest record"
unlike "$err" "farmers: implausible" "20 farmers is plausible"
KEPU_LANG=zh run k add training --set date=2026-01-10 --set category=rural_tech \
	--set title=大培训二 --set participants=30000 --set farmers=20
like "$err" "警告：参训人次：数值偏大：" "in Chinese the field is named as the form does"
run k add training --set date=2026-01-11 --set category=rural_tech \
	--set title=小培训 --set participants=300 --set farmers=20
unlike "$err" "implausible" "300 is plausible"
for d in 04 05 06; do
	k add training --set date=2025-05-$d --set category=official \
		--set title=干部培训$d --set participants=3$d >/dev/null 2>&1
done
run k add training --set date=2026-01-12 --set category=official \
	--set title=干部大培训 --set participants=3000
like "$err" "implausible: 3000 for \"Cadre and civil servant training (online and offline)\" is more than 5 times the largest earlier record (306)" \
	"an indicator of the whole plan: its first records judged by the plan before's last year"

run k report --help
like "$out" "--plan PLAN" "report --help names --plan"
like "$out" "years_met" "and its CSV header"

done_testing
