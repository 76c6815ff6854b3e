## unit tests: store
check_PROGRAMS += tests/unit/t_store tests/unit/t_ledger tests/unit/t_ledger_sync \
	tests/unit/t_years tests/unit/t_ledger_save
TESTS += tests/unit/t_store tests/unit/t_ledger tests/unit/t_ledger_sync \
	tests/unit/t_years tests/unit/t_ledger_save
EXTRA_DIST += tests/unit/ledger_test.h

tests_unit_t_store_SOURCES = tests/unit/t_store.c
tests_unit_t_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_store_LDADD = $(UNIT_LIBS)

tests_unit_t_ledger_SOURCES = tests/unit/t_ledger.c tests/unit/ledger_test.h
tests_unit_t_ledger_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_ledger_LDADD = $(UNIT_LIBS)

tests_unit_t_ledger_sync_SOURCES = tests/unit/t_ledger_sync.c \
	tests/unit/ledger_test.h
tests_unit_t_ledger_sync_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_ledger_sync_LDADD = $(UNIT_LIBS)

tests_unit_t_years_SOURCES = tests/unit/t_years.c tests/unit/ledger_test.h
tests_unit_t_years_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_years_LDADD = $(UNIT_LIBS)

# A damaged file refused in words (faults inside LMDB on purpose, hence
# not under valgrind in tests/run-all.sh).
check_PROGRAMS += tests/unit/t_damage
TESTS += tests/unit/t_damage
tests_unit_t_damage_SOURCES = tests/unit/t_damage.c
tests_unit_t_damage_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_damage_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/t_attach
TESTS += tests/unit/t_attach
tests_unit_t_attach_SOURCES = tests/unit/t_attach.c tests/unit/ledger_test.h
tests_unit_t_attach_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_attach_LDADD = $(UNIT_LIBS)

tests_unit_t_ledger_save_SOURCES = tests/unit/t_ledger_save.c \
	tests/unit/ledger_test.h
tests_unit_t_ledger_save_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_ledger_save_LDADD = $(UNIT_LIBS)
