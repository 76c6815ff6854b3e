# tests/bundle/blib.sh - what the bundle tests share, on top of tests/lib.sh.
#
#   town ID [SEED]   a demo township database $T/ID.kepu with its key
#                    exported to $T/ID.key
#   kt ID ARGS...    kepu on township ID's database
#   kc ARGS...       kepu on the city database $T/city.kepu
#   city_new         a fresh city database trusting nothing
#   city_state FILE  everything a user can see of the city database, as text
#                    in FILE; fails when any command reading it fails
#   city_before N    city_state into $T/before, checked to be a reading of
#                    N records (N > 0): a known state to compare with
#   city_unchanged WHAT  a check: the city reads as in $T/before
#   checked ARGS...  the number of records `ARGS... check` finds (kt ID or
#                    kc); nothing when the check fails
#   latest DIR       the newest bundle folder in DIR
#   town_empty ID    a fresh township database $T/ID.kepu with no records,
#                    whose key the city (city_new first) trusts
#   add N TITLE P    add a worker training on 2025-03-0N to anhai; prints its id

. "$KEPU_SRCDIR/tests/lib.sh"

CITY=$T/city.kepu
USB=$T/usb
mkdir -p "$USB"

kt() {
	_id=$1
	shift
	"$KEPU" --db "$T/$_id.kepu" "$@"
}

kc() {
	"$KEPU" --db "$CITY" "$@"
}

town() {
	"$KEPU" --db "$T/$1.kepu" demo --township "$1" --year 2025 \
		--seed "${2:-1}" >/dev/null 2>&1 || return 1
	"$KEPU" --db "$T/$1.kepu" key export --out "$T/$1.key" 2>/dev/null
}

city_new() {
	rm -f "$CITY" "$CITY-lock"
	"$KEPU" --db "$CITY" init --city --year 2025 >/dev/null
}

town_empty() {
	rm -f "$T/$1.kepu" "$T/$1.kepu-lock"
	"$KEPU" --db "$T/$1.kepu" init --township "$1" --year 2025 >/dev/null
	kt "$1" key export --out "$T/$1.key" 2>/dev/null
	kc township trust "$T/$1.key" >/dev/null
}

add() {
	kt anhai add training --set date=2025-03-0"$1" --set category=worker \
		--set title="$2" --set organizer=市总工会 --set venue=Hall \
		--set participants="$3" 2>/dev/null | tail -n 1
}

# Two readings are only compared when both succeeded: two failed
# commands print the same nothing.
city_state() {
	: >"$1" || return 1
	for _f in $(sed -n 's/^forms,//p' "$KEPU_FORMS/formset.csv" | tr '|\r' '  '); do
		kc list "$_f" --csv --deleted >>"$1" || return 1
	done
	kc report --csv --year 2025 >>"$1" || return 1
	kc check >>"$1" || return 1
}

checked() {
	"$@" check | sed -n 's/^OK: \([0-9][0-9]*\) records\{0,1\}, totals agree$/\1/p'
}

city_before() {
	city_state "$T/before" && [ "${1:-0}" -gt 0 ] &&
		grep -qx "OK: $1 records\{0,1\}, totals agree" "$T/before"
	ok $? "the city database reads, holding the ${1:-no} records it should"
}

city_unchanged() {
	if ! city_state "$T/after"; then
		ok 1 "$1: city database unchanged"
		diag "reading the city database failed"
		return 1
	fi
	cmp -s "$T/before" "$T/after"
	ok $? "$1: city database unchanged" ||
		diag "$(diff "$T/before" "$T/after" | head -n 5)"
}

latest() {
	ls -d "$1"/*-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]* 2>/dev/null | sort | tail -n 1
}

# The ids of the townships in the forms.
townships() {
	tail -n +2 "$KEPU_FORMS/townships.csv" | cut -d, -f1 | tr -d '\r'
}
