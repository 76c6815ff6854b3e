#!/bin/sh
# The command line's shape: help, version, usage errors, database path,
# init, exit codes.
. "$KEPU_SRCDIR/tests/lib.sh"

run "$KEPU" --help
is_rc 0 "--help exits 0"
like "$out" "Usage: kepu" "--help shows the usage"
for c in init add list show edit delete report quota survey check demo backup \
         export verify import key township; do
	like "$out" "  $c " "--help lists $c"
done

run "$KEPU" --version
is_rc 0 "--version exits 0"
like "$out" "kepu " "--version names the program"

for c in init add list show edit delete report quota survey check demo backup help; do
	run "$KEPU" --db "$T/none.kepu" "$c" --help
	is_rc 0 "$c --help exits 0"
	like "$out" "kepu $c" "$c --help shows its synopsis"
	test ! -e "$T/none.kepu"
	ok $? "$c --help creates no database"
done
for c in export verify import key township; do
	run "$KEPU" --db "$T/none.kepu" "$c" --help
	is_rc 0 "$c --help exits 0"
done
run "$KEPU" help add
is_rc 0 "help add exits 0"
like "$out" "--from-csv" "help add is add --help"
run "$KEPU" quota import --help
is_rc 0 "quota import --help exits 0"
run "$KEPU" survey show --help
is_rc 0 "survey show --help exits 0"

# usage errors: 64
run "$KEPU" frobnicate
is_rc 64 "unknown command: 64"
like "$err" "unknown command 'frobnicate'" "unknown command is named"
run "$KEPU" --frobnicate list
is_rc 64 "unknown global option: 64"
like "$err" "--frobnicate" "unknown global option is named"
run "$KEPU" --db
is_rc 64 "--db without a value: 64"
run "$KEPU" --lang fr list
is_rc 64 "--lang fr: 64"
run "$KEPU" </dev/null
is_rc 64 "no command off a terminal: 64"
like "$err" "Usage: kepu" "no command prints the usage"
run k list --frobnicate
is_rc 64 "unknown command option: 64"
like "$err" "unknown option --frobnicate" "unknown command option is named"
run k list --limit
is_rc 64 "option without its value: 64"
like "$err" "needs a value" "missing value is explained"
run k list --limit ten
is_rc 64 "--limit ten: 64"
run k list --month 2025-13
is_rc 64 "--month 2025-13: 64"
run k init
is_rc 64 "init without --township or --city: 64"
run k init --township chendai --city
is_rc 64 "init with both --township and --city: 64"
run k add
is_rc 64 "add without a form: 64"
run k add training
is_rc 64 "add without --set or --from-csv: 64"
run k add training --set novalue
is_rc 64 "--set without '=': 64"
run k add training --set =x
is_rc 64 "--set without a field name: 64"
run k show
is_rc 64 "show without an id: 64"
run k edit 01HZZZZZZZZZZZZZZZZZZZZZZZ
is_rc 64 "edit without --set: 64"
run k quota
is_rc 64 "quota without a subcommand: 64"
run k quota frob
is_rc 64 "quota frob: 64"
run k survey
is_rc 64 "survey without a subcommand: 64"
run k backup
is_rc 64 "backup without --out: 64"
test ! -e "$DB"
ok $? "usage errors create no database"

# missing database: 66
for c in "list" "show 01HZZZZZZZZZZZZZZZZZZZZZZZ" "report" "check" \
         "add training --set title=x"; do
	# shellcheck disable=SC2086
	run k $c
	is_rc 66 "$c on a missing database: 66"
done
like "$err" "kepu init" "missing database: the message says how to make one"
test ! -e "$DB"
ok $? "commands on a missing database create none"

# init
run k init --township chendai --year 2025
is_rc 0 "init --township chendai"
like "$out" "chendai" "init says what it created"
test -f "$DB"
ok $? "init creates the file"
run k init --township chendai --year 2025
is_rc 73 "init on an existing database: 73"
like "$err" "already exists" "init refuses to overwrite"
run k list --csv training
is_rc 0 "the database still opens after the refused init"
run "$KEPU" --db "$T/bad.kepu" init --township atlantis
is_rc 65 "init --township atlantis: 65"
test ! -e "$T/bad.kepu"
ok $? "init with an unknown township leaves no file"
run "$KEPU" --db "$T/y.kepu" init --township chendai --year 2019
is_rc 0 "init --year 2019: accepted and ignored (old scripts)"
KEPU_TODAY=2026-12-01 run "$KEPU" --db "$T/y.kepu" report --csv
like "$out" "
2026,chendai,teacher_training," "its working year is today's, not 2019"
run "$KEPU" --db "$T/nodir/x.kepu" init --township chendai
is_rc 73 "init in a missing folder given with --db: 73"
run "$KEPU" --db "$T/city.kepu" init --city --year 2024
is_rc 0 "init --city"
like "$out" "city" "init --city says so"
run "$KEPU" --db "$T/forms.kepu" init --township chendai --forms "$T/noforms"
is_rc 66 "init --forms with a missing folder: 66"

# the database path: --db, then $KEPU_DB, then the config file, then the default
run "$KEPU" init --township anhai --year 2025
is_rc 0 "init without --db uses the default path"
test -f "$XDG_DATA_HOME/kepu/kepu.db"
ok $? "default path is \$XDG_DATA_HOME/kepu/kepu.db (folder created)"
mkdir -p "$XDG_CONFIG_HOME/kepu"
printf '# kepu\n  db = %s/conf.kepu  \n' "$T" >"$XDG_CONFIG_HOME/kepu/config"
run "$KEPU" init --township xibin --year 2025
is_rc 0 "init with a config file"
test -f "$T/conf.kepu"
ok $? "the config file's db line is used"
run env KEPU_DB="$T/env.kepu" "$KEPU" init --township zimao --year 2025
is_rc 0 "init with \$KEPU_DB"
test -f "$T/env.kepu"
ok $? "\$KEPU_DB comes before the config file"
run env KEPU_DB="$T/env.kepu" "$KEPU" --db "$T/opt.kepu" init --township zimao --year 2025
test -f "$T/opt.kepu"
ok $? "--db comes before \$KEPU_DB"

# language
run env KEPU_LANG=zh "$KEPU" --db "$DB" frobnicate
like "$err" "没有“frobnicate”这个命令" "KEPU_LANG=zh: messages in Chinese"
run "$KEPU" --lang zh --help
like "$out" "用法" "--lang zh: help in Chinese"
like "$out" "新增记录" "--lang zh: command summaries in Chinese"
run env KEPU_LANG=zh "$KEPU" --lang en --help
like "$out" "Usage" "--lang en beats KEPU_LANG"

done_testing
