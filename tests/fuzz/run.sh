#!/bin/sh
# Build the libFuzzer harnesses of tests/fuzz against the core, with
# AddressSanitizer and UndefinedBehaviorSanitizer, and run each for a
# bounded time on a copy of its seed corpus (tests/fuzz/corpus/NAME).
#
#   sh tests/fuzz/run.sh [-o DIR] [-t SECONDS] [-r TRSDIR] [NAME...]
#
#   -o DIR      where to build and keep corpora, logs and crashes
#               (default _build/fuzz)
#   -t SECONDS  time per harness (default $KEPU_FUZZ_SECONDS, else 20)
#   -r TRSDIR   also write one automake .trs file per harness there, so
#               that tests/run-all.sh counts each run as one test point
#   NAME...     harnesses to run (default: csv expr forms bundle db)
#
# Needs clang with libFuzzer (Debian: clang, libclang-rt-14-dev).  Prints
# one line per harness (runs, seconds, new corpus entries) and ends with
# "fuzz: N clean, N crashed".  Exit status: 0 when no harness crashed, 1
# when one did (the input is kept as DIR/crash-NAME-*; replay it with
# DIR/fuzz_NAME FILE), 77 when clang or libFuzzer is missing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/_build/fuzz
secs=${KEPU_FUZZ_SECONDS:-20}
trs=""
while getopts o:t:r: opt; do
	case $opt in
	o) out=$OPTARG ;;
	t) secs=$OPTARG ;;
	r) trs=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 64 ;;
	esac
done
shift $((OPTIND - 1))
names=${*:-csv expr forms bundle db}
CC=${FUZZ_CC:-clang}

mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
log=$out/build.log

# Can this clang build a fuzzer at all?
printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n < 0; }\n' >"$out/probe.c"
if ! command -v "$CC" >/dev/null 2>&1 ||
   ! "$CC" -fsanitize=fuzzer,address,undefined -o "$out/probe" "$out/probe.c" >/dev/null 2>&1; then
	echo "fuzz: skipped: $CC with libFuzzer is not available (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-g -O1 $san"
core=$out/core
if [ ! -f "$core/config.status" ] || [ "$top/configure" -nt "$core/config.status" ]; then
	mkdir -p "$core"
	(cd "$core" && "$top/configure" -q CC="$CC" \
		CFLAGS="$cflags -fsanitize=fuzzer-no-link" LDFLAGS="$san") >"$log" 2>&1 ||
		{ tail -20 "$log"; echo "fuzz: configure failed"; exit 1; }
fi
make -s -C "$core" src/core/libkepucore.a >>"$log" 2>&1 ||
	{ tail -20 "$log"; echo "fuzz: building the core failed"; exit 1; }
libs=$(cd "$core" && make -s -f Makefile -f - print-libs <<'EOF' 2>/dev/null
print-libs:
	@echo $(LMDB_LIBS) $(SODIUM_LIBS) $(CSV_LIBS)
EOF
)
[ -n "$libs" ] || libs="-llmdb -lsodium -lcsv"

clean=0
crashed=0
for n in $names; do
	src=$top/tests/fuzz/fuzz_$n.c
	bin=$out/fuzz_$n
	if [ ! -f "$src" ]; then
		echo "fuzz: no harness $n"; exit 64
	fi
	"$CC" $cflags -fsanitize=fuzzer -std=c11 -I"$core" -I"$top/src/core" \
		-I"$top/tests/fuzz" -DFUZZ_FORMS="\"$top/forms\"" \
		-o "$bin" "$src" "$core/src/core/libkepucore.a" $libs >>"$log" 2>&1 ||
		{ tail -20 "$log"; echo "fuzz: building fuzz_$n failed"; exit 1; }
	corpus=$out/corpus-$n
	mkdir -p "$corpus"
	seeds=$top/tests/fuzz/corpus/$n
	dict=""
	[ -f "$top/tests/fuzz/$n.dict" ] && dict="-dict=$top/tests/fuzz/$n.dict"
	case $n in
	expr) max=1024 ;;
	db) max=2048 ;;
	csv) max=16384 ;;
	*) max=131072 ;;
	esac
	rm -f "$out/crash-$n-"* "$out/timeout-$n-"* "$out/leak-$n-"* "$out/oom-$n-"*
	# shellcheck disable=SC2086
	KEPU_FORMS=$top/forms ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-max_len=$max $dict -print_final_stats=1 -close_fd_mask=1 \
		-artifact_prefix="$out/crash-$n-" "$corpus" "$seeds" \
		>"$out/$n.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$n.log" | tail -1)
	new=$(sed -n 's/^stat::new_units_added: *//p' "$out/$n.log" | tail -1)
	time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/$n.log" | tail -1)
	if [ $rc -eq 0 ]; then
		result=PASS
		clean=$((clean + 1))
		printf 'fuzz_%s: %s runs in %s s, %s new inputs, no crash\n' \
			"$n" "${runs:-?}" "${time:-$secs}" "${new:-0}"
	else
		result=FAIL
		crashed=$((crashed + 1))
		printf 'fuzz_%s: CRASHED (exit %s) after %s runs; input: %s\n' "$n" "$rc" \
			"${runs:-?}" "$(ls "$out"/crash-"$n"-* 2>/dev/null | head -1)"
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$out/$n.log" | head -20
	fi
	if [ -n "$trs" ]; then
		mkdir -p "$trs"
		printf ':test-result: %s fuzz_%s for %s s\n:global-test-result: %s\n:recheck: no\n:copy-in-global-log: no\n' \
			"$result" "$n" "$secs" "$result" >"$trs/fuzz_$n.trs"
	fi
done
echo "fuzz: $clean clean, $crashed crashed"
[ "$crashed" -eq 0 ]
