#!/bin/sh
# What is refused, and how: key export never overwrites another key file,
# export --out names a file rather than a folder, list --year outside the
# plan is a mistake as it is for report, an option a command does not take
# is named as it was given.
. "$KEPU_SRCDIR/tests/lib.sh"

new_db chendai

# key export --out FILE
run k key export --out "$T/chendai.key"
is_rc 0 "key export --out a new file"
like "$err" "wrote the public key of chendai" "says it wrote the key"
cp "$T/chendai.key" "$T/first.key"
run k key export --out "$T/chendai.key"
is_rc 0 "again onto the same key: fine"
like "$err" "already holds the public key of chendai" "says the file already holds it"
cmp -s "$T/chendai.key" "$T/first.key"
ok $? "the file is unchanged"

printf 'my notes\n' >"$T/notes.txt"
run k key export --out "$T/notes.txt"
is_rc 73 "onto a file that is no key file: 73"
like "$err" "notes.txt exists and does not hold this database's key" "says why"
is "$(cat "$T/notes.txt")" "my notes" "the file is untouched"

"$KEPU" --db "$T/anhai.kepu" init --township anhai --year 2025 >/dev/null
"$KEPU" --db "$T/anhai.kepu" key export --out "$T/anhai.key" 2>/dev/null
cp "$T/anhai.key" "$T/anhai.orig"
run k key export --out "$T/anhai.key"
is_rc 73 "onto another township's key file: 73"
cmp -s "$T/anhai.key" "$T/anhai.orig"
ok $? "anhai's key file is untouched"

rm -f "$DB" "$DB-lock"
new_db chendai
run k key export --out "$T/chendai.key"
is_rc 73 "a recreated database (a new key) onto the old key file: 73"
cmp -s "$T/chendai.key" "$T/first.key"
ok $? "the old key file is untouched"

mkdir "$T/keys"
run k key export --out "$T/keys"
is_rc 73 "onto a folder: 73"
run k key export --out "$T/missing/k.key"
is_rc 73 "into a missing folder: 73"
run k key export
is_rc 0 "key export to stdout"
like "$out" "kepu-public-key-1" "writes the key file on stdout"

# export --out FILE
: >"$T/plain-file"
run k export --out "$T/plain-file"
is_rc 73 "export --out a file: 73"
like "$err" "plain-file is not a folder" "says it is not a folder"
unlike "$err" "no such folder" "not 'no such folder'"
is "$(wc -c <"$T/plain-file" | tr -d ' ')" 0 "the file is untouched"
run k export --out "$T/nowhere"
is_rc 73 "export --out a missing folder: 73"
like "$err" "no such folder" "that one is no such folder"
mkdir "$T/usb"
k add training --set date=2025-03-05 --set category=worker --set title=t \
	--set participants=9 >/dev/null 2>&1
run k export --out "$T/usb"
is_rc 0 "export into a folder still works"
is "$(ls "$T/usb")" "chendai-000001-20250630" "and writes the bundle"

"$KEPU" --db "$T/city.kepu" init --city --year 2025 >/dev/null
run "$KEPU" --db "$T/city.kepu" quota export --out "$T/plain-file"
is_rc 73 "quota export --out a file: 73"
like "$err" "plain-file is not a folder" "quota export: says it is not a folder"

# list --year before the first plan, as report; later years are open
run k report --year 2020
is_rc 64 "report --year 2020: 64"
report_err=$err
run k list --year 2020
is_rc 64 "list --year 2020: 64"
like "$err" "year 2020 is before the first plan (from 2021)" "list says the year is before the first plan"
is "$(printf '%s' "$err" | sed 's/kepu list/kepu report/g')" "$report_err" \
	"list's message is report's"
is "$out" "" "list --year 2020 lists nothing"
run k list training --csv --year 2020
is_rc 64 "list --csv --year 2020: 64"
is "$out" "" "no CSV header either"
run k list --month 2020-01
is_rc 64 "list --month 2020-01: 64"
like "$err" "year 2020 is before the first plan" "--month: says the year is before the first plan"
KEPU_LANG=zh run k list --year 2020
is_rc 64 "zh: list --year 2020: 64"
like "$err" "2020 年在第一个规划（2021 年起）之前" "zh: the same message"
run k list --year 2030
is_rc 0 "list --year 2030 (a year of the next plan): 0"
run k report --year 2031 --csv
is_rc 0 "report --year 2031 (after the last plan): 0"
like "$out" "2031,chendai,teacher_training," "counted in the last plan's continuation"
like "$out" ",jinjiang-2026-2030,provisional" "marked provisional"
run k list --year 2021
is_rc 0 "list --year 2021 (the plan's first year): 0"
run k list --year 2025
is_rc 0 "list --year 2025 (its last): 0"

# An option of another command, or of another form of the same one: the
# refusal names the option, never the value or argument after it.
run k export --year 2025 --out "$T/usb"
is_rc 64 "export --year (report's): 64"
like "$err" "kepu export: unknown option --year;" "names --year, not its value"
run "$KEPU" --db "$T/city.kepu" quota export --empty --out "$T/usb"
is_rc 64 "quota export --empty (export's): 64"
like "$err" "kepu quota export: unknown option --empty;" "names --empty, not the folder after it"
run "$KEPU" --db "$T/city.kepu" quota export -f --out "$T/usb"
is_rc 64 "quota export -f (export's --full): 64"
like "$err" "unknown option -f;" "names -f"
run "$KEPU" --db "$T/city.kepu" verify --dry-run "$T/usb"
is_rc 64 "verify --dry-run (import's): 64"
like "$err" "kepu verify: unknown option --dry-run;" "names --dry-run"
run k key show --out "$T/k.key"
is_rc 64 "key show --out (key export's): 64"
like "$err" "kepu key: unknown option --out;" "names --out, not the file"
run k township trust --out "$T/k.key"
is_rc 64 "township trust --out: 64"
like "$err" "kepu township trust: unknown option --out;" "names --out"

done_testing
