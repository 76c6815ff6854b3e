## unit tests: foundation (text, arrays, date, csvio, record)
check_PROGRAMS += tests/unit/t_text tests/unit/t_array tests/unit/t_date \
	tests/unit/t_csvio tests/unit/t_record
TESTS += tests/unit/t_text tests/unit/t_array tests/unit/t_date \
	tests/unit/t_csvio tests/unit/t_record

tests_unit_t_text_SOURCES = tests/unit/t_text.c
tests_unit_t_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_text_LDADD = $(UNIT_LIBS)

tests_unit_t_array_SOURCES = tests/unit/t_array.c
tests_unit_t_array_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_array_LDADD = $(UNIT_LIBS)

tests_unit_t_date_SOURCES = tests/unit/t_date.c
tests_unit_t_date_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_date_LDADD = $(UNIT_LIBS)

tests_unit_t_csvio_SOURCES = tests/unit/t_csvio.c
tests_unit_t_csvio_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_csvio_LDADD = $(UNIT_LIBS)

tests_unit_t_record_SOURCES = tests/unit/t_record.c
tests_unit_t_record_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_record_LDADD = $(UNIT_LIBS)
