#!/bin/sh
# legacy.sh - databases made before years, plans and form versions (the
# kepu of commit 3c583d3; tests/cli/data/legacy/make-fixture.sh made them)
# move on by themselves: a township made in 2024 with a bundle sent and an
# edit not yet sent, and the city that imported that bundle.  Opened by
# this kepu they keep their key, their bundle sequence and the trust
# between them; their 2025 figures stay what the old kepu said; they take
# 2026 records, and the township's next bundle imports at the city.
. "$KEPU_SRCDIR/tests/lib.sh"

FIX=$KEPU_SRCDIR/tests/cli/data/legacy
cp "$FIX/chendai.kepu" "$FIX/city.kepu" "$T/"
chmod u+w "$T/chendai.kepu" "$T/city.kepu"
TOWN=$T/chendai.kepu CITY=$T/city.kepu
USB=$T/usb
mkdir -p "$USB"
kt() { "$KEPU" --db "$TOWN" "$@"; }
kc() { "$KEPU" --db "$CITY" "$@"; }

# The first nine columns of a report: those the old kepu wrote.
nine() { cut -d, -f1-9; }

# --- read as they are, before anything is written ------------------------
for db in chendai city; do
	KEPU_TODAY=2025-11-30 run "$KEPU" --db "$T/$db.kepu" report --year 2025 --csv
	is_rc 0 "$db: the old database reports"
	is "$(printf '%s\n' "$out" | nine)" "$(nine <"$FIX/$db.report-2025.csv")" \
		"$db: its 2025 report is the old kepu's, read as it is"
	like "$out" ",jinjiang-2021-2025,official" "$db: counted in the seed's plan"
done
run kt forms
like "$out" "Forms version 1" "read as it is: forms version 1"
like "$out" "newer and fits the records" "the installed forms fit it"

run kt key show
is "$out" "$(cat "$FIX/chendai.fingerprint")" "the township's key is the same key"
run kc key show
is "$out" "$(cat "$FIX/city.fingerprint")" "the city's key is the same key"

# --- a 2026 record: the first write moves the township on -------------------
KEPU_TODAY=2026-12-01 run kt add training --set date=2026-11-20 \
	--set category=worker --set title=电商直播技能培训 --set participants=38
is_rc 0 "a 2026 training is taken"
new=$out
for f in training activity demo; do
	run kt list "$f" --year 2025 --csv
	is "$out" "$(awk -F, 'NR == 1 || $3 ~ /^2025-/' "$FIX/chendai.list-$f.csv")" \
		"its 2025 $f records are unchanged"
done
# The figures stay; only the verdicts of recognitions that come in batches
# (pace none in the installed forms) are no longer paced day by day.
seven() { cut -d, -f1-7; }
# The installed forms add tallies (counted, never judged): new rows, which
# count the old records too.
KEPU_TODAY=2025-11-30 run kt report --year 2025 --csv
judged=$(printf '%s\n' "$out" | awk -F, '$9 != "tally"')
is "$(printf '%s\n' "$judged" | seven)" "$(seven <"$FIX/chendai.report-2025.csv")" \
	"its 2025 figures are still the old ones (today 2025-11-30)"
acts=$(awk -F, 'NR > 1 && $3 ~ /^2025-/ && $NF == 0' "$FIX/chendai.list-activity.csv" | wc -l)
is "$(printf '%s\n' "$out" | awk -F, '$3 == "activity_events" { print $6 "," $9 }')" "$acts,tally" \
	"a tally of the installed forms counts the old database's $acts activities of 2025"
is "$(printf '%s\n' "$judged" | nine | grep -vxF -f "$FIX/chendai.report-2025.csv" | cut -d, -f3,8,9)" \
"agri_demo_entities,,on track
agri_demo_bases,,on track" "only the batch recognitions' verdicts differ: not paced any more"
KEPU_TODAY=2026-12-01 run kt report --csv
like "$out" "2026,chendai,worker_training,person-times," "the working year is 2026"
like "$out" ",jinjiang-2026-2030,provisional" "counted in the provisional plan"
like "$out" "2026,chendai,worker_training,person-times,,38," "with the new record"
run kt check
is_rc 0 "the township database checks clean"
run kt key show
is "$out" "$(cat "$FIX/chendai.fingerprint")" "same key after moving on"

# --- its next bundle: the number goes on; the city takes it -----------------
KEPU_TODAY=2026-12-01 run kt export --out "$USB"
is_rc 0 "the township exports"
is "$(ls "$USB")" "chendai-000002-20261201" "the next number of its sequence"
# The city's clock is behind the township's: a record dated after the
# city's today still arrives (the township judged it by its own).
KEPU_TODAY=2026-11-15 run kc import "$USB/chendai-000002-20261201"
is_rc 0 "the old city database, opened by this kepu, imports it"
like "$out" "1" "the edit and the new record arrive"
unlike "$out" "gap" "no gap in the sequence"
KEPU_TODAY=2026-12-01 run kc list training --year 2026 --csv
like "$out" "$new" "the 2026 record is at the city"
KEPU_TODAY=2026-12-01 run kc report --year 2025 --csv
city25=$(printf '%s\n' "$out" | awk -F, '$2 == "chendai"' | cut -d, -f1-7,9-)
KEPU_TODAY=2026-12-01 run kt report --year 2025 --csv
town25=$(printf '%s\n' "$out" | awk -F, '$2 == "chendai"' | cut -d, -f1-7,9-)
is "$city25" "$town25" "the city's 2025 rows of chendai equal chendai's"
like "$town25" "2025,chendai,teacher_training,person-times,15,68," \
	"with the edit made after the first bundle (61 instead of 45)"
KEPU_TODAY=2026-12-01 run kc report --year 2026 --csv
like "$out" "2026,chendai,worker_training,person-times,,38," \
	"the city's 2026 report counts it"
run kc check
is_rc 0 "the city database checks clean"

# --- trust the other way: a quota bundle from the city --------------------
printf 'year,township,indicator,target\n2026,chendai,worker_training,200\n' >"$T/q.csv"
run kc quota import "$T/q.csv"
is_rc 0 "the city sets a 2026 quota"
KEPU_TODAY=2026-12-01 run kc quota export --township chendai --out "$USB"
is_rc 0 "and sends it"
KEPU_TODAY=2026-12-01 run kt import "$USB"/quota-chendai-*
is_rc 0 "the township still trusts the city's key"
KEPU_TODAY=2026-12-01 run kt report --csv
like "$out" "2026,chendai,worker_training,person-times,200,38," \
	"and reports against the quota"

done_testing
