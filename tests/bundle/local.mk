## tests/bundle: USB bundles end to end (shell, TAP, on tests/lib.sh).
BUNDLE_TESTS = tests/bundle/roundtrip.sh tests/bundle/refuse.sh \
	tests/bundle/interrupt.sh tests/bundle/merge.sh tests/bundle/quota.sh \
	tests/bundle/resave.sh tests/bundle/unchanged.sh tests/bundle/revisions.sh \
	tests/bundle/encoding.sh tests/bundle/inside.sh tests/bundle/forms.sh tests/bundle/manifest.sh \
	tests/bundle/stop.sh tests/bundle/settle.sh tests/bundle/sweep.sh \
	tests/bundle/keys.sh tests/bundle/links.sh tests/bundle/fsync.sh \
	tests/bundle/crashloop.py \
	tests/bundle/received.sh tests/bundle/years.sh \
	tests/bundle/evidence.sh tests/bundle/kill.sh
TESTS += $(BUNDLE_TESTS)
EXTRA_DIST += $(BUNDLE_TESTS) tests/bundle/blib.sh

check_PROGRAMS += tests/bundle/t_bundle
TESTS += tests/bundle/t_bundle
tests_bundle_t_bundle_SOURCES = tests/bundle/t_bundle.c
tests_bundle_t_bundle_CFLAGS = $(UNIT_CFLAGS)
tests_bundle_t_bundle_LDADD = $(UNIT_LIBS)
EXTRA_DIST += bench/bundle-bench.sh bench/evidence-bench.sh bench/bulk-bench.py

check_PROGRAMS += tests/bundle/t_evidence
TESTS += tests/bundle/t_evidence
tests_bundle_t_evidence_SOURCES = tests/bundle/t_evidence.c
tests_bundle_t_evidence_CFLAGS = $(UNIT_CFLAGS)
tests_bundle_t_evidence_LDADD = $(UNIT_LIBS)
