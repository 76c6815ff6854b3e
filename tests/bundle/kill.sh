#!/bin/sh
# An import killed (SIGKILL, as a power cut or a closed SSH session ends
# it) at random points of a big bundle leaves either all its rows or none,
# and a database that checks clean and takes the bundle afterwards; so
# does add --from-csv of the same rows.
#
# $KEPU_KILL_ROWS rows (default 50000: enough for both to be bulk writes
# done in place in the map, store_write_bulk; docs/performance.md has the
# figures of 200000), $KEPU_KILL_TIMES kills of each (default 5), at
# random points of the time a whole one takes, chosen with $KEPU_KILL_SEED
# (default: the process id, said in the output so that a failure can be
# run again).
KEPU_TODAY=2025-12-31
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

N=${KEPU_KILL_ROWS:-50000}
K=${KEPU_KILL_TIMES:-5}
SEED=${KEPU_KILL_SEED:-$$}
diag "$N rows, $K kills each, seed $SEED"

"$KEPU" demo --training-csv "$N" --year 2025 --seed 3 >"$T/rows.csv"
"$KEPU" --db "$T/anhai.kepu" init --township anhai --year 2025 >/dev/null
run kt anhai add training --from-csv "$T/rows.csv"
is_rc 0 "$N rows added"
kt anhai key export --out "$T/anhai.key" 2>/dev/null
run kt anhai export --full --out "$USB"
is_rc 0 "a full bundle of them"
B=$(latest "$USB")
city_new
kc township trust "$T/anhai.key" >/dev/null
cp "$CITY" "$T/empty.kepu"

# The time a whole import takes, in milliseconds.
now_ms() { date +%s%3N; }
t0=$(now_ms)
run kc import "$B"
t1=$(now_ms)
is_rc 0 "a whole import, to time it ($((t1 - t0)) ms)"
whole=$((t1 - t0))

# The points: K fractions of the whole, each in its own stretch of it
# (so that early, middle and late are all met), at random within it.
points() {
	awk -v k="$1" -v seed="$SEED" -v ms="$whole" 'BEGIN {
		srand(seed)
		for (i = 0; i < k; i++)
			printf "%.3f\n", ms * (i + rand()) / k / 1000
	}'
}

# rows CITY: the training records the city database lists (0 on failure)
rows() {
	"$KEPU" --db "$1" list training --csv 2>/dev/null | tail -n +2 | grep -c . || :
}

# killed WHAT AT CMD...: run CMD, kill it AT seconds later, then the
# database must hold all or nothing and check clean.
killed() {
	_what=$1 _at=$2
	shift 2
	"$@" >/dev/null 2>&1 &
	_pid=$!
	sleep "$_at"
	kill -9 "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	_n=$(rows "$db")
	[ "$_n" -eq 0 ] || [ "$_n" -eq "$N" ]
	ok $? "$_what killed after $_at s: all rows or none ($_n)"
	run "$KEPU" --db "$db" check
	is_rc 0 "$_what killed after $_at s: check is clean"
	[ "$rc" -eq 0 ] || diag "$out" "$err"
}

i=0
for at in $(points "$K"); do
	i=$((i + 1))
	db=$T/city$i.kepu
	cp "$T/empty.kepu" "$db"
	killed "import $i" "$at" "$KEPU" --db "$db" import "$B"
	run "$KEPU" --db "$db" import "$B"
	is_rc 0 "import $i: the bundle imports after the kill"
	is "$(rows "$db")" "$N" "import $i: and then all its rows are there"
done

# add --from-csv of the same rows, killed the same way.
"$KEPU" --db "$T/fresh.kepu" init --township anhai --year 2025 >/dev/null
t0=$(now_ms)
"$KEPU" --db "$T/fresh.kepu" add training --from-csv "$T/rows.csv" >/dev/null 2>&1
t1=$(now_ms)
whole=$((t1 - t0))
rm -f "$T/fresh.kepu" "$T/fresh.kepu-lock"
"$KEPU" --db "$T/fresh.kepu" init --township anhai --year 2025 >/dev/null
i=0
for at in $(points "$K"); do
	i=$((i + 1))
	db=$T/town$i.kepu
	cp "$T/fresh.kepu" "$db"
	killed "add $i" "$at" "$KEPU" --db "$db" add training --from-csv "$T/rows.csv"
done

done_testing
