## tests/fuzz: attacks kept as tests.  flip.py flips bytes in copies of a
## database (run by tests/cli/damage.sh, or by hand for longer runs).
EXTRA_DIST += tests/fuzz/flip.py
