#!/bin/sh
# A form change from the city to a township and back: the city adds a
# field and a choice, sends them down in a forms bundle, the township's
# records with and without the new field (and one saved before it) travel
# up and count.  An incompatible forms bundle is refused whole and changes
# nothing; a township bundle made with forms the city has not loaded is
# refused with what to do; a field or form the city has since removed
# still reads in a township's bundle made before.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

V=$(awk -F, '$1 == "version" { print $2 }' "$KEPU_FORMS/formset.csv" | tr -d '\r')
N=$((V + 1))
NFILES=$(ls "$KEPU_FORMS"/*.csv | grep -vc '/quotas-')

# variant FROM NAME VERSION: a copy of forms folder FROM in $T/NAME, with
# its version raised to VERSION.
variant() {
	rm -rf "$T/$2"
	cp -r "$1" "$T/$2"
	sed -i "s/^version,[0-9]*/version,$3/" "$T/$2/formset.csv"
}
# The line of file F (in folder D) starting with P.
line() {
	grep -n "^$3" "$1/$2" | head -n 1 | cut -d: -f1
}
# A column of FILE's rows (CSV without quoted commas) by header name.
column() {
	awk -F, -v c="$2" '{ sub(/\r$/, "") }
		NR == 1 { sub(/^\xef\xbb\xbf/, ""); for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
		n { print $n }' "$1"
}
achieved() {
	awk -F, -v t="$1" -v i="$2" '$2 == t && $3 == i { print $6 }'
}
tstate() {
	{ kt anhai forms show | head -n 1 && kt anhai list training --csv &&
		kt anhai report --csv --year 2025 && kt anhai check; } >"$T/tstate"
}

city_new
kc key export --out "$T/city.key" 2>/dev/null
town_empty anhai
kt anhai township trust "$T/city.key" >/dev/null
kt anhai add training --set date=2025-03-01 --set category=worker --set title=旧版本 \
	--set organizer=township --set participants=30 >/dev/null 2>&1
ok $? "a township record saved under forms version $V"

# ---- the city changes its forms ----
variant "$KEPU_FORMS" f "$N"
printf 'funding_source,text,经费来源,Funding source,,,,40,,,,,,,,,\n' >>"$T/f/training.csv"
printf 'organizer,red_cross,市红十字会,Red Cross Society\n' >>"$T/f/choices.csv"
run kc forms update "$T/f"
is_rc 0 "the city loads forms version $N"
like "$out" "forms updated from version $V to version $N: 1 new field, 1 new choice" "and says what changed"
run kc forms export --out "$USB"
is_rc 0 "the city writes a forms bundle"
fb=$(ls -d "$USB"/forms-v$(printf '%06d' "$N")-000001-20250630 2>/dev/null)
ok $([ -n "$fb" ] && echo 0 || echo 1) "named forms-v<version>-<seq>-<date>"

# ---- the township takes it ----
run kt anhai verify "$fb"
is_rc 0 "the township verifies it"
like "$out" "ok (forms bundle 1 from the city (all), forms version $N, $NFILES files, signed by key" "as a forms bundle"
run kt anhai import --dry-run "$fb"
is_rc 0 "dry run"
like "$out" "(dry run, nothing stored): the forms can move from version $V to version $N: 1 new field, 1 new choice" \
	"says what would change"
like "$(kt anhai forms show | head -n 1)" "Forms version $V" "the dry run stored nothing"
run kt anhai import "$fb"
is_rc 0 "the township imports the forms bundle"
like "$out" "forms updated from version $V to version $N: 1 new field, 1 new choice" "and says so"
like "$(kt anhai forms show | head -n 1)" "Forms version $N" "the township has version $N"
run kt anhai import "$fb"
is_rc 0 "the same bundle again"
like "$out" "already imported" "changes nothing"
mkdir -p "$T/usb2"
kc forms export --out "$T/usb2" >/dev/null
run kt anhai import "$T"/usb2/forms-*
is_rc 0 "another bundle of the same version"
like "$out" "this database has forms version $N already; nothing changed" "already there"
run env KEPU_LANG=zh "$KEPU" --db "$T/anhai.kepu" import "$T"/usb2/forms-*
like "$out" "本数据库已有第 $N 版表单，没有任何改变" "zh: already there"
run kc import "$fb"
is_rc 65 "the city does not import forms bundles"

# ---- records with and without the new field travel up ----
kt anhai add training --set date=2025-04-01 --set category=worker --set title=新字段 \
	--set organizer=red_cross --set funding_source=市财政 --set participants=20 >/dev/null 2>&1
ok $? "a record with the new field and the new choice"
kt anhai add training --set date=2025-04-02 --set category=worker --set title=没有新字段 \
	--set organizer=township --set participants=10 >/dev/null 2>&1
ok $? "one without"
run kt anhai export --out "$USB"
is_rc 0 "the township exports"
db=$(ls -d "$USB"/anhai-000001-* 2>/dev/null)
is "$(column "$db/training.csv" form_version | sort | tr '\n' ' ')" "$V $N $N " \
	"each row carries the version its record was saved under"
is "$(column "$db/training.csv" funding_source | sort | tr '\n' ' ')" "  市财政 " "the new field's column"
like "$(cat "$db/manifest.csv")" "forms_version,$N" "the manifest names the forms version"
sha() {
	sed -n 's/^forms_sha256,\([0-9a-f]\{64\}\)\r\{0,1\}$/\1/p' "$1/manifest.csv"
}
ok $([ -n "$(sha "$fb")" ] && [ "$(sha "$fb")" = "$(sha "$db")" ] && echo 0 || echo 1) \
	"and the forms_sha256 of the forms bundle"
like "$(cat "$db/dictionary.csv")" "training.csv,funding_source,text,0,,经费来源,Funding source" \
	"the data dictionary describes the new field"
like "$(cat "$db/dictionary.csv")" "training.csv,organizer,,,red_cross,市红十字会,Red Cross Society" \
	"and the new choice"
run kc import "$db"
is_rc 0 "the city imports the township's bundle"
like "$out" "new 3," "three new records"
kc list training --csv >"$T/ctrain"
is "$(column "$T/ctrain" funding_source | sort | tr '\n' ' ')" "  市财政 " "list at the city shows the new field's value"
is "$(column "$T/ctrain" title | sort | tr '\n' ' ')" "新字段 旧版本 没有新字段 " "the record saved before the update came too"
kc report --csv --year 2025 | grep ',anhai,' >"$T/crep"
kt anhai report --csv --year 2025 | grep ',anhai,' >"$T/trep"
ok $([ -s "$T/crep" ] && cmp -s "$T/crep" "$T/trep" && echo 0 || echo 1) \
	"report --csv at the city equals the township's for anhai"
is "$(achieved anhai worker_training <"$T/crep")" 60 "every record counts: 30 + 20 + 10 workers"
is "$(checked kc)" 3 "the city's totals agree"

# ---- an incompatible forms bundle is refused whole ----
tstate
ok $? "the township reads"
grep -q "^Forms version $N" "$T/tstate" && grep -qx "OK: 3 records, totals agree" "$T/tstate" &&
	[ "$(achieved anhai worker_training <"$T/tstate")" = 60 ]
ok $? "known state: forms version $N, three records, 60 workers"
cp "$T/tstate" "$T/tbefore"
# refused NAME SEQ WANT: a city made from forms $T/NAME (which no
# update could reach: a type change is never taken) sends them as its
# forms bundle SEQ (a number the township has not seen from a city); the
# township refuses them with WANT and reads as before.
refused() {
	rm -rf "$T/c-$1" "$T/u-$1"
	mkdir -p "$T/u-$1"
	"$KEPU" --db "$T/c-$1.kepu" init --city --forms "$T/$1" >/dev/null 2>&1 &&
		"$KEPU" --db "$T/c-$1.kepu" key export --out "$T/c-$1.key" 2>/dev/null &&
		kt anhai township trust --replace "$T/c-$1.key" >/dev/null
	_i=0
	while [ "$_i" -lt "$2" ]; do
		rm -rf "$T/u-$1"/*
		"$KEPU" --db "$T/c-$1.kepu" forms export --out "$T/u-$1" >/dev/null || break
		_i=$((_i + 1))
	done
	[ "$_i" -eq "$2" ]
	ok $? "$1: a city on those forms sends them"
	run kt anhai import "$T"/u-$1/forms-*
	is_rc 65 "$1: refused"
	like "$err" "$3" "$1: says what and why"
	like "$err" "forms version $((N + 1)) does not fit this database's records; not taken, nothing changed" \
		"$1: and that nothing changed"
	if tstate && cmp -s "$T/tbefore" "$T/tstate"; then
		ok 0 "$1: the township is unchanged"
	else
		ok 1 "$1: the township is unchanged"
		diag "$(diff "$T/tbefore" "$T/tstate" | head -n 5)"
	fi
}
variant "$T/f" choice $((N + 1))
grep -v '^organizer,red_cross,' "$T/f/choices.csv" >"$T/choice/choices.csv"
refused choice 3 "choices.csv:$(line "$T/f" choices.csv organizer,red_cross,): list 'organizer' lost its code 'red_cross' (a rename counts as a removal) but 1 record uses it: keep the code"
variant "$T/f" type $((N + 1))
sed -i 's/^venue,text,地点,Venue,,,,40,/venue,integer,地点,Venue,,,,,/' "$T/type/training.csv"
refused type 4 "training.csv:$(line "$T/f" training.csv venue,): field 'venue' changed type from text to integer"
variant "$T/f" field $((N + 1))
grep -v '^funding_source,' "$T/f/training.csv" >"$T/field/training.csv"
refused field 5 "training.csv:$(line "$T/f" training.csv funding_source,): field 'funding_source' was removed (a rename counts as a removal) but 1 record has a value for it: keep the field"
kt anhai township trust --replace "$T/city.key" >/dev/null

# ---- a township on forms the city has not loaded ----
variant "$T/f" g $((N + 1))
printf 'sponsor,text,协办单位,Co-organiser,,,,40,,,,,,,,,\n' >>"$T/g/training.csv"
sed -i 's/\r$//; s/^forms,\(.*\)$/forms,\1|lecture/' "$T/g/formset.csv"
printf 'form,lecture,讲座,Lecture\n' >>"$T/g/choices.csv"
printf 'name,type,label_zh,label_en,required,role\ndate,date,日期,Date,yes,date\ntopic,text,题目,Topic,yes,key\n' \
	>"$T/g/lecture.csv"
rm -f "$T/chendai.kepu" "$T/chendai.kepu-lock"
"$KEPU" --db "$T/chendai.kepu" init --township chendai --forms "$T/g" >/dev/null
kt chendai key export --out "$T/chendai.key" 2>/dev/null
kc township trust "$T/chendai.key" >/dev/null
kt chendai add training --set date=2025-05-01 --set category=worker --set title=新版 \
	--set organizer=township --set participants=7 >/dev/null 2>&1
ok $? "chendai, on forms version $((N + 1)), adds a record"
mkdir -p "$T/cd"
kt chendai export --out "$T/cd" >/dev/null
cb=$(ls -d "$T"/cd/chendai-000001-*)
city_before 3
run kc import "$cb"
is_rc 65 "the city refuses a bundle made with forms it has not loaded"
like "$err" "the city has not loaded forms version $((N + 1)) yet: this bundle was made with forms version $((N + 1)) and this database has version $N; load it first (kepu forms update DIR, or install the kepu that ships it), then import again" \
	"and says what to do"
run env KEPU_LANG=zh "$KEPU" --db "$CITY" import "$cb"
like "$err" "市里尚未载入第 $((N + 1)) 版表单：这个数据包按第 $((N + 1)) 版制作，本数据库是第 $N 版" "zh: the same"
city_unchanged "bundle on newer forms"
run kc forms update "$T/g"
is_rc 0 "the city loads version $((N + 1))"
run kc import "$cb"
is_rc 0 "then the bundle imports"
like "$out" "new 1," "its record"

# ---- what the city has since removed still reads ----
kt chendai add training --set date=2025-05-02 --set category=worker --set title=协办 \
	--set organizer=township --set sponsor=某企业 --set participants=8 >/dev/null 2>&1
kt chendai add lecture --set date=2025-05-03 --set topic=防震减灾 >/dev/null 2>&1
ok $? "chendai records a co-organiser and a lecture, not yet sent"
variant "$T/g" h $((N + 2))
grep -v '^sponsor,' "$T/g/training.csv" >"$T/h/training.csv"
sed -i 's/|lecture$//' "$T/h/formset.csv"
grep -v '^form,lecture,' "$T/g/choices.csv" >"$T/h/choices.csv"
rm -f "$T/h/lecture.csv"
run kc forms update "$T/h"
is_rc 0 "the city drops the field and the form, which none of its records use"
kt chendai export --out "$T/cd" >/dev/null
run kc import "$(ls -d "$T"/cd/chendai-000002-*)"
is_rc 0 "chendai's next bundle, made with version $((N + 1)), still imports"
like "$out" "new 2," "both records"
is "$(checked kc)" 6 "the city's totals agree"
is "$(kc report --csv --year 2025 | achieved chendai worker_training)" 15 "and chendai's workers count: 7 + 8"

done_testing
