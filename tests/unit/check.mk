## unit tests: check (rules, quotas, report, demo data)
check_PROGRAMS += tests/unit/t_check tests/unit/t_quota tests/unit/t_report \
	tests/unit/t_demo
TESTS += tests/unit/t_check tests/unit/t_quota tests/unit/t_report \
	tests/unit/t_demo

tests_unit_t_check_SOURCES = tests/unit/t_check.c
tests_unit_t_check_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_check_LDADD = $(UNIT_LIBS)

tests_unit_t_quota_SOURCES = tests/unit/t_quota.c
tests_unit_t_quota_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_quota_LDADD = $(UNIT_LIBS)

tests_unit_t_report_SOURCES = tests/unit/t_report.c
tests_unit_t_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_report_LDADD = $(UNIT_LIBS)

tests_unit_t_demo_SOURCES = tests/unit/t_demo.c
tests_unit_t_demo_CFLAGS = $(UNIT_CFLAGS)
tests_unit_t_demo_LDADD = $(UNIT_LIBS)
