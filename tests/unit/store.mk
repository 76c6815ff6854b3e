## unit tests: store
check_PROGRAMS += tests/unit/t_store tests/unit/t_ledger tests/unit/t_ledger_sync \
	tests/unit/t_ledger_save
TESTS += tests/unit/t_store tests/unit/t_ledger tests/unit/t_ledger_sync \
	tests/unit/t_ledger_save
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

tests_unit_t_ledger_save_SOURCES = tests/unit/t_ledger_save.c \
	tests/unit/ledger_test.h
tests_unit_t_ledger_save_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_ledger_save_LDADD = $(UNIT_LIBS)
