#!/bin/sh
# The whole test suite, as CI runs it (README "Quick start", line 2):
#   1. install what is missing (Debian 12),
#   2. build with warnings as errors and run `make check`,
#   3. build again with AddressSanitizer + UndefinedBehaviorSanitizer (leaks
#      are failures) and run `make check` once more,
#   4. build with clang's ThreadSanitizer and run the tests of the
#      threads that parse and hash (t_csvio, tests/bundle/kill.sh),
#   5. run each libFuzzer harness of tests/fuzz for $KEPU_FUZZ_SECONDS
#      (20 by default) when clang has libFuzzer (tests/fuzz/run.sh); each
#      harness is one test point, a crash a failure,
#   6. run the core's unit tests under valgrind,
#   7. `make distcheck` (the tarball builds, installs and passes on its own).
# Ends with one line "N passed, N failed".  Exit status 0 only if all passed.
# Set KEPU_QUICK=1 to run step 2 only.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
log="$top/_build/ci"
status=0

step() { printf '\n=== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*"; status=1; }

sh build-aux/install-deps.sh --tests || { echo "cannot install dependencies"; exit 1; }
./autogen.sh >/dev/null 2>&1 || { echo "autogen.sh failed"; exit 1; }
rm -rf "$log"
mkdir -p "$log"

# build NAME CONFIGURE-ARGS...: configure and build in _build/ci/NAME.
build() {
	name=$1; shift
	mkdir -p "$log/$name"
	(cd "$log/$name" && "$top/configure" -q --enable-werror "$@") &&
		make -s -C "$log/$name" -j"$jobs" >"$log/$name.build.log" 2>&1 ||
		{ tail -40 "$log/$name.build.log"; return 1; }
}

# check NAME [MAKE-ARGS...]: make check, showing only failures.
check() {
	name=$1; shift
	make -C "$log/$name" -j"$jobs" check "$@" >"$log/$name.check.log" 2>&1
	rc=$?
	grep -E '^(FAIL|ERROR|XPASS)' "$log/$name.check.log" | head -50
	grep -E '^# (TOTAL|PASS|FAIL|ERROR|SKIP)' "$log/$name.check.log" | tail -6
	if [ $rc -ne 0 ]; then
		grep -E 'error|Error' "$log/$name.check.log" | grep -v '^# ERROR' | head -20
		for f in $(find "$log/$name/tests" -name '*.log' 2>/dev/null); do
			grep -lq -E '^(not ok|FAIL|ERROR)' "$f" 2>/dev/null || continue
			printf -- '--- %s\n' "${f#$log/}"; tail -30 "$f"
		done | head -200
	fi
	return $rc
}

step "build with -Werror and run the suite"
build werror && check werror || fail "werror build or its tests"

if [ "${KEPU_QUICK:-0}" != 1 ]; then
	step "AddressSanitizer + UndefinedBehaviorSanitizer"
	san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	build asan CFLAGS="-g -O1 $san" LDFLAGS="$san" && check asan ||
		fail "sanitizer build or its tests"
	unset ASAN_OPTIONS UBSAN_OPTIONS

	# The threads that parse (csvio_bg.c) and hash (sha_bg.c) a bundle's
	# files and a large spreadsheet: t_csvio, and kill.sh's imports and
	# adds of 20,000 rows, whole and killed.
	step "ThreadSanitizer: the threads that parse and hash"
	tsan="-fsanitize=thread"
	export TSAN_OPTIONS=halt_on_error=1:exitcode=66
	export KEPU_KILL_ROWS=20000 KEPU_KILL_TIMES=2
	build tsan CC=clang CFLAGS="-g -O1 $tsan" LDFLAGS="$tsan" &&
		check tsan TESTS="tests/unit/t_csvio tests/bundle/kill.sh" ||
		fail "ThreadSanitizer build or its tests"
	unset TSAN_OPTIONS KEPU_KILL_ROWS KEPU_KILL_TIMES

	step "libFuzzer harnesses, ${KEPU_FUZZ_SECONDS:-20} s each"
	sh tests/fuzz/run.sh -o "$log/fuzz" -r "$log/fuzz-results"
	case $? in
	0) ;;
	77) echo "(not counted: no clang with libFuzzer)" ;;
	*) fail "fuzzing (inputs kept in $log/fuzz)" ;;
	esac

	step "unit tests under valgrind"
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
	check werror TESTS="$(cd "$log/werror" && ls tests/unit/t_* 2>/dev/null | grep -v '\.' | grep -v t_concurrency | grep -v t_damage | tr '\n' ' ')" \
		LOG_COMPILER="$vg" TEST_SUITE_LOG=valgrind-suite.log ||
		fail "valgrind"

	step "make distcheck"
	make -C "$log/werror" -j"$jobs" distcheck >"$log/distcheck.log" 2>&1 ||
		{ tail -40 "$log/distcheck.log"; fail "make distcheck"; }
	grep -E '^=+$|archives ready|kepu-.*\.tar' "$log/distcheck.log" | tail -3
fi

# Count every TAP test point of every run.
passed=$(cat $(find "$log" -name '*.trs') 2>/dev/null | grep -c '^:test-result: \(PASS\|SKIP\|XFAIL\)')
failed=$(cat $(find "$log" -name '*.trs') 2>/dev/null | grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)')
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
[ "$failed" -eq 0 ] || status=1
printf '\n%s passed, %s failed\n' "$passed" "$failed"
exit $status
