#!/bin/sh
# demo (safe to run twice), backup.
. "$KEPU_SRCDIR/tests/lib.sh"

run k demo
is_rc 0 "demo on a missing database"
like "$out" "created" "demo says it created the database"
like "$out" "added" "demo says what it added"
n=$(k list | tail -1 | awk '{ print $1 }')
ok $(( ! (n > 0) )) "demo stored records ($n)"
run k check
is_rc 0 "check after demo"
run k demo
is_rc 0 "demo again"
like "$out" "no demo records added" "a second demo adds nothing"
is "$(k list | tail -1 | awk '{ print $1 }')" "$n" "the count did not change"
run k demo --force --seed 2
is_rc 0 "demo --force"
isnt "$(k list | tail -1 | awk '{ print $1 }')" "$n" "--force adds more"
run k report --csv
is "$(echo "$out" | awk -F, '$5 > 0' | sed 1d | wc -l | tr -d ' ')" 9 \
	"demo sets example quotas for every counted indicator"
run k demo --seed x
is_rc 64 "demo --seed x: 64"

run "$KEPU" --db "$T/city.kepu" demo --city --year 2024
is_rc 0 "demo --city --year 2024"
is "$("$KEPU" --db "$T/city.kepu" list --year 2024 | tail -1 | awk '$1 > 100 { print "many" }')" many \
	"a city demo has records for the townships"

run k backup --out "$T/copy.kepu"
is_rc 0 "backup"
like "$out" "copy.kepu" "backup names the file"
is "$("$KEPU" --db "$T/copy.kepu" list | tail -1)" "$(k list | tail -1)" "the copy has the same records"
run "$KEPU" --db "$T/copy.kepu" check
is_rc 0 "check on the copy"
run k backup --out "$T/copy.kepu"
is_rc 73 "backup onto an existing file: 73"

done_testing
