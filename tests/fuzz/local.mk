## tests/fuzz: attacks kept as tests.  flip.py flips bytes in copies of a
## database (run by tests/cli/damage.sh, or by hand for longer runs);
## run.sh builds and runs the libFuzzer harnesses (tests/run-all.sh calls
## it when clang has libFuzzer); make-seeds.sh made the seed corpora.
EXTRA_DIST += tests/fuzz/flip.py tests/fuzz/run.sh tests/fuzz/pack.py \
	tests/fuzz/make-seeds.sh tests/fuzz/fuzz.h \
	tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_expr.c tests/fuzz/fuzz_forms.c \
	tests/fuzz/fuzz_bundle.c tests/fuzz/fuzz_db.c \
	tests/fuzz/csv.dict tests/fuzz/expr.dict tests/fuzz/forms.dict \
	tests/fuzz/bundle.dict tests/fuzz/corpus tests/fuzz/known
