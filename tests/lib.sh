# tests/lib.sh - a small TAP producer for the command-line tests.
#
#   . "$KEPU_SRCDIR/tests/lib.sh"
#   run k add training --set ...     # sets $rc, $out (stdout), $err (stderr)
#   is_rc 0 "add succeeds"
#   is "$got" "$want" "name";  like "$text" "fixed substring" "name"
#   ok $? "name";  done_testing
#
# Every test gets a fresh folder $T (removed on exit), a home of its own
# (so no real config file or database is touched), a fixed today
# (KEPU_TODAY) and a database path $DB; k runs kepu on it.

: "${KEPU:?KEPU is not set: run the tests with make check}"
: "${KEPU_SRCDIR:?KEPU_SRCDIR is not set: run the tests with make check}"

T=$(mktemp -d "${TMPDIR:-/tmp}/kepu-test.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

HOME=$T/home
XDG_CONFIG_HOME=$T/home/.config
XDG_DATA_HOME=$T/home/.local/share
KEPU_TODAY=${KEPU_TODAY:-2025-06-30}
KEPU_LANG=${KEPU_LANG:-en}
KEPU_FORMS=${KEPU_FORMS:-$KEPU_SRCDIR/forms}
export HOME XDG_CONFIG_HOME XDG_DATA_HOME KEPU_TODAY KEPU_LANG KEPU_FORMS
unset KEPU_DB
mkdir -p "$HOME"
DB=$T/test.kepu
DATA=$KEPU_SRCDIR/tests/cli/data

tap_n=0
tap_failed=0

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ok STATUS NAME: passes when STATUS is 0.
ok() {
	_st=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$_st" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
	return "$_st"
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:  '$1'" "want: '$2'"
		return 1
	fi
}

isnt() {
	if [ "$1" != "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got '$1' both times"
		return 1
	fi
}

# like TEXT SUBSTRING NAME: TEXT contains SUBSTRING (no patterns).
like() {
	case $1 in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; diag "text:   '$1'" "wanted: '$2'"; return 1 ;;
	esac
}

unlike() {
	case $1 in
	*"$2"*) ok 1 "$3"; diag "text:       '$1'" "should lack: '$2'"; return 1 ;;
	*) ok 0 "$3" ;;
	esac
}

# run CMD...: runs it, keeping stdout in $out and $T/out, stderr in $err
# and $T/err, the exit status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# is_rc WANT NAME: the last run exited with WANT.
is_rc() {
	if [ "$rc" = "$1" ]; then
		ok 0 "$2"
	else
		ok 1 "$2"
		diag "exit status $rc, want $1" "stderr: $err"
		return 1
	fi
}

# kepu on the test database.
k() {
	"$KEPU" --db "$DB" "$@"
}

# The number of rows of FORM (deleted ones too with --deleted) that
# list --csv writes: rows start with a record id.
count() {
	k list "$@" --csv | grep -cE '^[0-9A-HJKMNP-TV-Z]{26},'
}

# A township database for chendai, year 2025.
new_db() {
	rm -f "$DB" "$DB-lock"
	"$KEPU" --db "$DB" init --township "${1:-chendai}" --year 2025 >/dev/null
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	exit 0
}
