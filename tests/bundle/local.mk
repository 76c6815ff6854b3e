## tests/bundle: USB bundles end to end (shell, TAP, on tests/lib.sh).
BUNDLE_TESTS = tests/bundle/roundtrip.sh tests/bundle/refuse.sh \
	tests/bundle/interrupt.sh tests/bundle/merge.sh tests/bundle/quota.sh \
	tests/bundle/resave.sh tests/bundle/unchanged.sh tests/bundle/revisions.sh \
	tests/bundle/encoding.sh tests/bundle/inside.sh
TESTS += $(BUNDLE_TESTS)
EXTRA_DIST += $(BUNDLE_TESTS) tests/bundle/blib.sh

check_PROGRAMS += tests/bundle/t_bundle
TESTS += tests/bundle/t_bundle
tests_bundle_t_bundle_SOURCES = tests/bundle/t_bundle.c
tests_bundle_t_bundle_CFLAGS = $(UNIT_CFLAGS)
tests_bundle_t_bundle_LDADD = $(UNIT_LIBS)
EXTRA_DIST += bench/bundle-bench.sh
