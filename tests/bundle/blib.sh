# tests/bundle/blib.sh - what the bundle tests share, on top of tests/lib.sh.
#
#   town ID [SEED]   a demo township database $T/ID.kepu with its key
#                    exported to $T/ID.key
#   kt ID ARGS...    kepu on township ID's database
#   kc ARGS...       kepu on the city database $T/city.kepu
#   city_new         a fresh city database trusting nothing
#   city_state       everything a user can see of the city database, as text
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

city_state() {
	for _f in training activity demo; do
		kc list "$_f" --csv --deleted
	done
	kc report --csv --year 2025
	kc check
}

latest() {
	ls -d "$1"/*-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]* 2>/dev/null | sort | tail -n 1
}

# The ids of the townships in the forms.
townships() {
	tail -n +2 "$KEPU_FORMS/townships.csv" | cut -d, -f1 | tr -d '\r'
}
