## Tests: every test speaks TAP.  Unit tests are C programs linked against
## the core only; command-line tests are shell; TUI tests are Python
## (Debian's python3-pexpect and python3-pyte).
TEST_EXTENSIONS = .sh .py
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
PY_LOG_COMPILER = /usr/bin/python3
AM_TESTS_ENVIRONMENT = KEPU='$(abs_top_builddir)/kepu'; \
	KEPU_SRCDIR='$(abs_top_srcdir)'; KEPU_BUILDDIR='$(abs_top_builddir)'; \
	KEPU_FORMS='$(abs_top_srcdir)/forms'; KEPU_LANG=en; \
	export KEPU KEPU_SRCDIR KEPU_BUILDDIR KEPU_FORMS KEPU_LANG;
EXTRA_DIST += tests/unit/tap.h tests/lib.sh

UNIT_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tests/unit
UNIT_LIBS = $(CORE_LIBS)

include tests/unit/local.mk
include tests/cli/local.mk
include tests/tui/local.mk
include tests/bundle/local.mk
include tests/fuzz/local.mk

TESTS += tests/core-nocurses.sh
EXTRA_DIST += tests/core-nocurses.sh

TESTS += tests/layers.py
EXTRA_DIST += tests/layers.py
