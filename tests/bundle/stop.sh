#!/bin/sh
# Ctrl-C, a dropped SSH link (SIGHUP) or SIGTERM during export, import or
# add --from-csv: the command stops cleanly, says so and exits with 128 +
# the signal; nothing half-done is kept, and the next run succeeds.  The
# test hook KEPU_TEST_SIGNAL=SIG@N makes kepu send itself SIG at its Nth
# stop point (between rows, files); the last part sends a real signal.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

town anhai 3 || { ok 1 "demo database"; done_testing; }
"$KEPU" demo --training-csv 40 >"$T/rows.csv"
before=$(checked kt anhai)

# add --from-csv: stopped at a row (each is read, checked and stored in
# turn: 40 stop points), and after the last one, before the commit (41).
for at in 1 20 40 41; do
	KEPU_TEST_SIGNAL=INT@$at run kt anhai add training --from-csv "$T/rows.csv"
	is_rc 130 "add --from-csv, SIGINT at stop point $at: exit 130"
	like "$err" "stopped by SIGINT (Ctrl-C); nothing from $T/rows.csv was stored" \
		"at $at: says it stopped and that nothing was stored"
	is "$out" "" "at $at: no id printed"
	is "$(checked kt anhai)" "$before" "at $at: the database holds what it held"
done
KEPU_TEST_SIGNAL=HUP@30 run kt anhai add training --from-csv "$T/rows.csv"
is_rc 129 "SIGHUP: exit 129"
like "$err" "stopped by SIGHUP (the terminal or SSH link went away)" "SIGHUP said as such"
run kt anhai add training --from-csv "$T/rows.csv"
is_rc 0 "then the file is added"
is "$(printf '%s\n' "$out" | grep -c .)" 40 "40 ids printed"
is "$(checked kt anhai)" $((before + 40)) "all 40 stored"

# export: stopped while writing rows, and after the last file (before
# the rename); the hidden folder goes, nothing is recorded.
for at in 1 30 $((before + 41)); do
	KEPU_TEST_SIGNAL=HUP@$at run kt anhai export --out "$USB"
	is_rc 129 "export, SIGHUP at stop point $at: exit 129"
	like "$err" "stopped by SIGHUP" "at $at: says why"
	like "$err" "no bundle was written; these changes will be in the next export" \
		"at $at: and what follows"
	is "$(ls -A "$USB")" "" "at $at: nothing left on the stick, not even a hidden folder"
done
run kt anhai export --out "$USB"
is_rc 0 "the next export succeeds"
like "$out" "anhai-000001-20250630: $((before + 40)) rows (bundle 1" \
	"as bundle 1, with every record"

# import: stopped while merging; the city is untouched and the same
# bundle imports afterwards (it was not recorded).
city_new
kc township trust "$T/anhai.key" >/dev/null
b=$(latest "$USB")
KEPU_TEST_SIGNAL=TERM@10 run kc import "$b"
is_rc 143 "import, SIGTERM while merging: exit 143"
like "$err" "stopped by SIGTERM; nothing of this bundle was imported" "says so"
is "$(checked kc)" 0 "the city holds no record"
run kc import "$b"
is_rc 0 "the import then succeeds"
like "$out" "new $((before + 40))," "every record is new: the stopped import was not recorded"

# A real signal, sent while kepu reads its rows from a pipe (kepu itself
# in the background, not a shell function's subshell).
mkfifo "$T/fifo"
"$KEPU" --db "$T/anhai.kepu" add training --from-csv "$T/fifo" >"$T/o" 2>"$T/e" &
pid=$!
exec 3>"$T/fifo"
head -n 11 "$T/rows.csv" >&3
kill -TERM "$pid"
tail -n +12 "$T/rows.csv" >&3
exec 3>&-
wait "$pid"
is $? 143 "a real SIGTERM during add --from-csv: exit 143"
like "$(cat "$T/e")" "stopped by SIGTERM; nothing from $T/fifo was stored" "and says so"
is "$(checked kt anhai)" $((before + 40)) "nothing of the file was stored"

# One that comes when the work is done changes nothing of it.
nohup_like=$(KEPU_TEST_SIGNAL=INT@999999 kt anhai add training --from-csv "$T/rows.csv" \
	--again 2>&1 >/dev/null)
like "$nohup_like" "added 40 training records" "past the last stop point nothing stops"
done_testing
