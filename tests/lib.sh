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
#
# A script's exit status says whether it passed, run by make check or by
# hand: 0 only when it reached done_testing with every check passed and
# every check counted; 1 otherwise (see done_testing).

: "${KEPU:?KEPU is not set: run the tests with make check}"
: "${KEPU_SRCDIR:?KEPU_SRCDIR is not set: run the tests with make check}"

T=$(mktemp -d "${TMPDIR:-/tmp}/kepu-test.XXXXXX") || exit 99
trap 'tap_exit' EXIT
trap 'exit 1' HUP INT TERM

# On exit: a script that ends before done_testing (an exit, a shell error)
# has not passed, whatever the status of its last command.
tap_exit() {
	_st=$?
	rm -rf "$T"
	if [ -z "$tap_done" ]; then
		echo "# the script ended after $tap_n checks without done_testing"
		[ "$_st" -ne 0 ] || _st=1
	fi
	exit "$_st"
}

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
tap_done=
# One line per check run, written by ok even in a subshell (a pipeline's
# loop, $(...)), where tap_n is lost: done_testing compares the two.
: >"$T/.tap-checks"

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ok STATUS NAME: passes when STATUS is 0.
ok() {
	_st=$1
	shift
	tap_n=$((tap_n + 1))
	echo . >>"$T/.tap-checks"
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
# list --csv writes: rows start with a record id.  "list failed" when
# list does, so that a failed list never counts as 0 records.
count() {
	_rows=$(k list "$@" --csv) || { echo "list failed"; return 1; }
	printf '%s\n' "$_rows" | grep -cE '^[0-9A-HJKMNP-TV-Z]{26},'
}

# A township database for chendai, year 2025.
new_db() {
	rm -f "$DB" "$DB-lock"
	"$KEPU" --db "$DB" init --township "${1:-chendai}" --year 2025 >/dev/null
}

skip_all() {
	tap_done=1
	echo "1..0 # SKIP $*"
	exit 0
}

# done_testing [N]: print the plan and exit: 0 when every check passed,
# 1 when one failed, when a check ran where its count was lost (in a
# subshell), or when N checks were expected and another number ran.
done_testing() {
	tap_done=1
	_ran=$(wc -l <"$T/.tap-checks")
	_ran=$((_ran + 0))
	echo "1..$tap_n"
	if [ "$_ran" -ne "$tap_n" ]; then
		echo "# $_ran checks ran but $tap_n were counted (a check in a subshell?)"
		exit 1
	fi
	if [ -n "$1" ] && [ "$1" -ne "$tap_n" ]; then
		echo "# planned $1 checks, ran $tap_n"
		exit 1
	fi
	if [ "$tap_failed" -ne 0 ]; then
		echo "# failed $tap_failed of $tap_n checks"
		exit 1
	fi
	exit 0
}
