#!/bin/sh
# A damaged database file is refused in words (exit 74), never with a
# signal: a file cut to half its size (a copy that stopped, a full stick),
# then random byte flips (tests/fuzz/flip.py; $KEPU_FLIP_RUNS flipped
# copies, 300 by default).  Nothing is written into a damaged file.
. "$KEPU_SRCDIR/tests/lib.sh"

run k demo
is_rc 0 "a demo database"
id=$(k list training --csv | sed -n 2p | cut -d, -f1)
mkdir "$T/usb"
k backup --out "$T/good.kepu" >/dev/null
cp "$DB" "$T/whole.kepu"
size=$(wc -c <"$DB" | tr -d ' ')
truncate -s $((size / 2)) "$DB"
cp "$DB" "$T/half.kepu"

# check_refused NAME: the last run was refused with the damage message.
check_refused() {
	is_rc 74 "$1 on a file cut to half: 74"
	like "$err" "is damaged or incomplete; restore the backup" "$1 says the file is damaged"
}

run k list
check_refused "list"
run k list training --csv
check_refused "list training --csv"
run k report
check_refused "report"
run k check
check_refused "check"
run k show "$id"
check_refused "show"
run k add training --set date=2025-03-05 --set category=worker --set title=x \
	--set participants=3
check_refused "add"
run k export --out "$T/usb"
check_refused "export"
is "$(ls "$T/usb")" "" "export wrote nothing"
run k backup --out "$T/copy.kepu"
check_refused "backup"
[ ! -e "$T/copy.kepu" ]
ok $? "backup wrote no copy"
cmp -s "$DB" "$T/half.kepu"
ok $? "the damaged file is left exactly as it was"

KEPU_LANG=zh run k list
is_rc 74 "in Chinese: 74"
like "$err" "已损坏或不完整，请用备份恢复" "in Chinese: says the file is damaged"

# Restoring the backup is the way out.
cp "$T/good.kepu" "$DB"
run k check
is_rc 0 "the restored backup checks clean"

# Random byte flips: every command ends in data or in a refusal.
if [ -x /usr/bin/python3 ]; then
	/usr/bin/python3 "$KEPU_SRCDIR/tests/fuzz/flip.py" --kepu "$KEPU" \
		--db "$T/whole.kepu" --runs "${KEPU_FLIP_RUNS:-300}" --seed 1 \
		--tap --keep "$T/crashed" >"$T/flip.tap"
	while IFS= read -r line; do
		case $line in
		"ok "*) ok 0 "${line#ok * - }" ;;
		"not ok "*) ok 1 "${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/flip.tap"
	grep -q '^ok\|^not ok' "$T/flip.tap"
	ok $? "the flip loop ran"
else
	ok 0 "# SKIP no /usr/bin/python3 for the flip loop"
fi

done_testing
