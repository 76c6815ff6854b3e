#!/bin/sh
# kepu forms: what a database's forms are (show), loading an edited forms
# folder (update: a newer, compatible version is taken whole; the same
# version is nothing to do; an older or incompatible one is refused with
# every reason and changes nothing), the installed forms when they are
# newer, and forms export (city only).
. "$KEPU_SRCDIR/tests/lib.sh"

V=$(awk -F, '$1 == "version" { print $2 }' "$KEPU_FORMS/formset.csv" | tr -d '\r')
N=$((V + 1))

# variant NAME: a copy of the shipped forms in $T/NAME with version N.
variant() {
	rm -rf "$T/$1"
	cp -r "$KEPU_FORMS" "$T/$1"
	sed -i "s/^version,$V\$/version,$N/; s/^version,$V\r\$/version,$N\r/" "$T/$1/formset.csv"
}
# line FILE PATTERN: the line number of the first line of the shipped
# FILE starting with PATTERN.
line() {
	grep -n "^$2" "$KEPU_FORMS/$1" | head -n 1 | cut -d: -f1
}
# state: what a user sees of the database, in $T/state; fails when a
# reading fails.
state() {
	{ k forms show | head -n 1 && k list training --csv && k report --csv \
		&& k check; } >"$T/state"
}
achieved() {
	k report --csv | awk -F, -v i="$1" '$3 == i { print $6 }'
}

# ---- help ----
run k forms --help
is_rc 0 "forms --help exits 0"
like "$out" "kepu forms update [--dry-run] DIR" "names update"
like "$out" "kepu forms export --out DIR" "and export"
run env KEPU_LANG=zh "$KEPU" --db "$DB" forms --help
like "$out" "用法：kepu forms [show]" "in Chinese too"
test ! -e "$DB"
ok $? "--help creates no database"
run "$KEPU" --help
like "$out" "  forms " "kepu --help lists forms"
run k forms nosuch
is_rc 64 "an unknown subcommand is a usage error"

# ---- show ----
new_db chendai
run k forms
is_rc 0 "forms shows the database's forms"
like "$out" "Forms version $V" "its version"
like "$out" "  $V " "the version it has had"
like "$out" "when the database was made" "and when it came"
like "$out" "training   Training (12 fields)" "the forms"
like "$out" "jinjiang-2021-2025   2021-2025  official" "the plans with their years"
like "$out" "jinjiang-2026-2030   2026-2030  provisional" "a provisional plan marked"
like "$out" "version $V, the database's own" "the installed forms are its own"
run k forms show
is_rc 0 "forms show is the same"
run env KEPU_LANG=zh "$KEPU" --db "$DB" forms
like "$out" "暂定" "zh: provisional is 暂定"
like "$out" "表单第 $V 版" "zh: the version"

k add training --set date=2025-03-05 --set category=worker --set title=老记录 \
	--set organizer=other --set trainer=张老师 --set venue=礼堂 \
	--set participants=45 >/dev/null 2>&1
k add training --set date=2025-04-01 --set category=worker --set title=第二次 \
	--set organizer=township --set participants=30 >/dev/null 2>&1
state
ok $? "the database reads"
grep -qx "OK: 2 records, totals agree" "$T/state" && [ "$(achieved worker_training)" = 75 ] &&
	grep -q "^Forms version $V" "$T/state"
ok $? "known state: two records, 75 workers trained, forms version $V"
cp "$T/state" "$T/before"
# unchanged WHAT: the database reads as in $T/before.
unchanged() {
	if state && cmp -s "$T/before" "$T/state"; then
		ok 0 "$1: nothing changed"
	else
		ok 1 "$1: nothing changed"
		diag "$(diff "$T/before" "$T/state" | head -n 5)"
	fi
}

# ---- refused whole: incompatible changes ----
variant choice
grep -v "^organizer,other," "$T/choice/choices.csv" >"$T/c" && mv "$T/c" "$T/choice/choices.csv"
run k forms update "$T/choice"
is_rc 65 "a choice removed that a record uses: refused"
like "$err" "choices.csv:$(line choices.csv organizer,other,): list 'organizer' lost its code 'other' (a rename counts as a removal) but 1 record uses it: keep the code" \
	"FILE:LINE: what and why"
like "$err" "1 problem; the forms were not updated, the database keeps version $V" "and that nothing changed"
unchanged "choice removed"

variant type
sed -i 's/^venue,text,地点,Venue,,,,40,/venue,integer,地点,Venue,,,,,/' "$T/type/training.csv"
run k forms update "$T/type"
is_rc 65 "a field's type changed: refused"
like "$err" "training.csv:$(line training.csv venue,): field 'venue' changed type from text to integer" "FILE:LINE: the type change"
like "$err" "1 problem;" "said once, not again for the record whose venue is no number"
unchanged "type changed"

variant field
grep -v "^trainer," "$T/field/training.csv" >"$T/c" && mv "$T/c" "$T/field/training.csv"
run k forms update "$T/field"
is_rc 65 "a field removed that a record uses: refused"
like "$err" "training.csv:$(line training.csv trainer,): field 'trainer' was removed (a rename counts as a removal) but 1 record has a value for it: keep the field" \
	"FILE:LINE: the removed field"
like "$err" "1 problem;" "said once"
unchanged "field removed"

variant all3
sed -i 's/^venue,text,地点,Venue,,,,40,/venue,integer,地点,Venue,,,,,/' "$T/all3/training.csv"
grep -v "^trainer," "$T/all3/training.csv" >"$T/c" && mv "$T/c" "$T/all3/training.csv"
grep -v "^organizer,other," "$T/all3/choices.csv" >"$T/c" && mv "$T/c" "$T/all3/choices.csv"
run k forms update "$T/all3"
is_rc 65 "three problems at once: refused"
is "$(printf '%s\n' "$err" | grep -c '\.csv:[0-9]*: ')" 3 "every problem on its own line"
like "$err" "3 problems" "counted"
unchanged "three problems"

variant rule
sed -i 's/^participants,integer,\(.*\),yes,1,,/participants,integer,\1,yes,1,40,/' "$T/rule/training.csv"
run k forms update "$T/rule"
is_rc 65 "a narrower range that a stored record fails: refused"
like "$err" "training.csv:$(line training.csv participants,): stored record" "names the field's line"
like "$err" "(2025-03-05) fails the new rules" "and the record"
unchanged "narrower range"

variant broken
printf 'oops,nosuchtype,坏,Bad,,,,,,,,,,,,,\n' >>"$T/broken/training.csv"
run k forms update "$T/broken"
is_rc 65 "a folder whose files do not load: refused"
like "$err" "training.csv:" "FILE:LINE of the broken file"
unchanged "broken folder"

run k forms update "$T/nosuch"
is_rc 66 "a missing folder: 66"

# ---- not newer ----
run k forms update "$KEPU_FORMS"
is_rc 0 "the same version: exit 0"
like "$out" "the database already has forms version $V: nothing to do" "nothing to do"
unchanged "the same version"

# ---- taken ----
variant f
printf 'funding_source,text,经费来源,Funding source,,,,40,,,,,,,,,\n' >>"$T/f/training.csv"
printf 'organizer,red_cross,市红十字会,Red Cross Society\n' >>"$T/f/choices.csv"
run k forms update --dry-run "$T/f"
is_rc 0 "dry run of a compatible update"
like "$out" "(dry run, nothing stored) forms version $V can move to version $N: 1 new field, 1 new choice" "says what it would do"
unchanged "dry run"
run k forms update "$T/f"
is_rc 0 "a new field and a new choice: taken"
like "$out" "forms updated from version $V to version $N: 1 new field, 1 new choice" "says from which version to which and what changed"
run k forms
like "$out" "Forms version $N" "the database has version $N"
like "$out" "from version $V" "and says where it came from"
like "$out" "training   Training (13 fields)" "training has the new field"
like "$out" "version $V, older than the database's" "the installed forms are older now: not taken"
run k add training --set date=2025-05-01 --set category=worker --set title=新字段 \
	--set organizer=red_cross --set funding_source=市财政 --set participants=10
is_rc 0 "a record with the new field and the new choice"
like "$(k list training --csv)" ",市财政," "lists the new field"
is "$(achieved worker_training)" 85 "and counts"
run k check
is "$out" "OK: 3 records, totals agree" "totals agree after the update"
run k forms update "$T/f"
is "$rc:$out" "0:the database already has forms version $N: nothing to do" "the same version again: nothing to do"
run k forms update "$KEPU_FORMS"
is_rc 65 "an older version: refused"
like "$err" "forms version $V is older than the database's version $N: every change needs a higher version" "says why"
like "$(k forms show | head -n 1)" "Forms version $N" "and keeps its version"

# ---- installed forms, newer ----
new_db chendai
k add training --set date=2025-03-05 --set category=worker --set title=老记录 \
	--set organizer=other --set participants=45 >/dev/null 2>&1
run env KEPU_FORMS="$T/choice" "$KEPU" --db "$DB" forms
like "$out" "version $N, newer, but not taken: it does not fit this database's records:" \
	"newer installed forms that do not fit: not taken"
like "$out" "    choices.csv:$(line choices.csv organizer,other,): list 'organizer' lost its code 'other'" "and why"
env KEPU_FORMS="$T/choice" "$KEPU" --db "$DB" add training --set date=2025-03-06 \
	--set category=worker --set title=再一次 --set organizer=township --set participants=5 >/dev/null 2>&1
like "$(env KEPU_FORMS="$T/choice" "$KEPU" --db "$DB" forms | head -n 1)" "Forms version $V" \
	"a writable open keeps the database's own forms"
run env KEPU_FORMS="$T/f" "$KEPU" --db "$DB" forms
like "$out" "version $N, newer and fits the records: the database takes it the next time it is opened for writing" \
	"newer installed forms that fit: said"
like "$out" "Forms version $V" "a reading does not take them"
env KEPU_FORMS="$T/f" "$KEPU" --db "$DB" add training --set date=2025-03-07 \
	--set category=worker --set title=第三次 --set organizer=township --set participants=5 >/dev/null 2>&1
like "$(env KEPU_FORMS="$T/f" "$KEPU" --db "$DB" forms | head -n 1)" "Forms version $N" \
	"a writable open takes them"

# ---- export ----
mkdir -p "$T/usb"
run k forms export --out "$T/usb"
is_rc 64 "a township database does not export forms bundles"
like "$err" "only a city database exports forms bundles" "and says so"
test -z "$(ls "$T/usb")"
ok $? "nothing written"
"$KEPU" --db "$T/city.kepu" init --city >/dev/null
run "$KEPU" --db "$T/city.kepu" forms export
is_rc 64 "forms export needs --out"
run env KEPU_FAIL_WRITE_AFTER=2000 "$KEPU" --db "$T/city.kepu" forms export --out "$T/usb"
is_rc 74 "a stick that fails while the forms bundle is written: 74"
like "$err" "input/output error (the stick or disk may be pulled out or damaged)" "says why"
is "$(ls -A "$T/usb")" "" "and leaves nothing behind, not even its hidden folder"
run "$KEPU" --db "$T/city.kepu" forms export --out "$T/usb"
is_rc 0 "the city exports its forms"
b=$(ls -d "$T"/usb/forms-v$(printf '%06d' "$V")-000001-20250630 2>/dev/null)
ok $([ -n "$b" ] && echo 0 || echo 1) "named forms-v<version>-<seq>-<date>"
like "$out" "forms version $V" "says which version"
(cd "$b" && sha256sum --quiet -c SHA256SUMS)
ok $? "it passes sha256sum -c"
for f in "$KEPU_FORMS"/*.csv; do
	n=$(basename "$f")
	case $n in quotas-*) continue ;; esac
	cmp -s "$f" "$b/$n" || break
done
ok $? "it holds the form files as they are"
like "$(cat "$b/manifest.csv")" "kind,forms" "the manifest says kind forms"
like "$(cat "$b/manifest.csv")" "forms_version,$V" "and the version"
run "$KEPU" --db "$T/city.kepu" forms export --out "$T/usb"
ok $([ -d "$T"/usb/forms-v$(printf '%06d' "$V")-000002-20250630 ] && echo 0 || echo 1) \
	"the next one is number 2"

done_testing
