#!/bin/sh
# The shipped forms follow the compatibility rules: a database made from
# the previous shipped set (version 2, kept in tests/cli/data/forms-v2 as
# it shipped) takes them, by `kepu forms update` (dry run first) and by
# moving on by itself when this kepu opens it; its records keep their
# figures, the new forms take records, and the tallies count the old
# records too (科普日 with 全国科普日).
. "$KEPU_SRCDIR/tests/lib.sh"

V2=$DATA/forms-v2
NEW=$KEPU_SRCDIR/forms
export KEPU_TODAY=2025-11-30
old() { KEPU_FORMS=$V2 "$KEPU" --db "$DB" "$@"; }
judged() { awk -F, '$9 != "tally"'; }

is "$(sed -n 's/^version,//p' "$V2/formset.csv" | tr -d '\r')" 2 "the copy is version 2"
isnt "$(sed -n 's/^version,//p' "$NEW/formset.csv" | tr -d '\r')" 2 "the shipped set is a newer version"

run old init --township chendai
is_rc 0 "a township made from version 2"
old demo --year 2025 >/dev/null
run old add activity --set date=2025-05-16 --set type=science_day \
	--set title=科普日进校园 --set audience=120
is_rc 0 "with a Science Day activity"
old report --csv >"$T/before.csv"
old list activity --csv >"$T/acts.csv"
run old forms
like "$out" "Forms version 2" "the database is at version 2"

# --- forms update: the dry run accepts and stores nothing ------------------
run old forms update --dry-run "$NEW"
is_rc 0 "forms update --dry-run of the shipped set: accepted"
like "$out" "forms version 2 can move to version 3" "says from which version to which"
like "$out" "5 new forms" "five new forms"
unlike "$out$err" "refused" "nothing refused"
run old forms
like "$out" "Forms version 2" "the dry run stored nothing"

run old forms update "$NEW"
is_rc 0 "forms update of the shipped set"
run old forms
like "$out" "Forms version 3" "the database is at version 3"
run old check
is_rc 0 "the totals agree after the move"
run old report --csv
is "$(printf '%s\n' "$out" | judged | cut -d, -f1-11)" "$(cut -d, -f1-11 <"$T/before.csv")" \
	"every figure with a target is what it was"
acts=$(awk -F, 'NR > 1 && $NF == 0 && $3 ~ /^2025-/' "$T/acts.csv" | wc -l)
is "$(printf '%s\n' "$out" | awk -F, '$3 == "activity_events" { print $6 }')" "$acts" \
	"the tally counts the $acts activities stored under version 2"
sd=$(awk -F, 'NR > 1 && $NF == 0 && $3 ~ /^2025-/ && ($5 == "science_day" || $5 == "national_science_day")' "$T/acts.csv" | wc -l)
is "$(printf '%s\n' "$out" | awk -F, '$3 == "activity_events_by_type" && $12 == "national_science_day" { print $6 }')" \
	"$sd" "科普日 and 全国科普日 counted together ($sd)"
run old add base --set date=2025-06-01 --set kind=earthquake \
	--set name=陈埭镇防震减灾科普基地
is_rc 0 "a record of a new form"
run old add activity --set date=2025-06-02 --set type=food_safety_week \
	--set title=食品安全宣传周 --set audience=80 --set target_group=new_residents \
	--set organizer=zhengfuban
is_rc 0 "new choices in an old form"
run old add training --set date=2025-06-03 --set category=professional_ce \
	--set title=专业技术人员继续教育 --set participants=40
is_rc 0 "a new training category"

# --- moving on by itself: the installed forms at the first writable open ---
rm -f "$DB" "$DB-lock"
old init --township chendai >/dev/null
old demo --year 2025 >/dev/null
old report --csv >"$T/before.csv"
run k add funding --set date=2025-07-01 --set source=budget --set amount=2.5 \
	--set purpose=全国科普日活动经费
is_rc 0 "opened by this kepu, a version 2 database takes a record of a new form"
run k forms
like "$out" "Forms version 3" "it moved on to the installed forms"
run k report --csv
is "$(printf '%s\n' "$out" | judged | cut -d, -f1-11)" "$(cut -d, -f1-11 <"$T/before.csv")" \
	"its figures with a target are what they were"
like "$out" "2025,chendai,funding_amount,ten thousand yuan,,2.5,,,tally," "the funding is counted"
run k check
is_rc 0 "and it checks clean"

done_testing
