## unit tests: schema (forms, expressions, compatibility of versions)
check_PROGRAMS += tests/unit/t_expr tests/unit/t_schema tests/unit/t_schema_names \
	tests/unit/t_schema_plans
TESTS += tests/unit/t_expr tests/unit/t_schema tests/unit/t_schema_names \
	tests/unit/t_schema_plans

tests_unit_t_expr_SOURCES = tests/unit/t_expr.c
tests_unit_t_expr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_expr_LDADD = $(UNIT_LIBS)

tests_unit_t_schema_SOURCES = tests/unit/t_schema.c \
	tests/unit/schema_base.c tests/unit/schema_base.h
tests_unit_t_schema_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_schema_LDADD = $(UNIT_LIBS)

tests_unit_t_schema_names_SOURCES = tests/unit/t_schema_names.c \
	tests/unit/schema_base.c tests/unit/schema_base.h
tests_unit_t_schema_names_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_schema_names_LDADD = $(UNIT_LIBS)

tests_unit_t_schema_plans_SOURCES = tests/unit/t_schema_plans.c \
	tests/unit/schema_base.c tests/unit/schema_base.h
tests_unit_t_schema_plans_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_schema_plans_LDADD = $(UNIT_LIBS)

EXTRA_DIST += tests/unit/data/training-gb18030.csv \
	tests/unit/data/training-odd-width.csv

check_PROGRAMS += tests/unit/t_compat
TESTS += tests/unit/t_compat
tests_unit_t_compat_SOURCES = tests/unit/t_compat.c
tests_unit_t_compat_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_compat_LDADD = $(UNIT_LIBS)
