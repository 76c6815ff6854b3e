## The kepu program: the command line (and, in src/tui, the TUI).
bin_PROGRAMS += kepu
kepu_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS) -I$(top_srcdir)/src/cli -I$(top_srcdir)/src/tui
kepu_SOURCES = src/main.c \
	src/cli/cli.h src/cli/cli.c src/cli/cli_findings.c src/cli/cli_term.c src/cli/commands.c \
	src/cli/cmd_init.c src/cli/cmd_demo.c src/cli/cmd_add.c src/cli/add_csv.c \
	src/cli/cmd_list.c src/cli/cmd_edit.c src/cli/cmd_report.c \
	src/cli/cmd_quota.c src/cli/cmd_survey.c src/cli/cmd_check.c \
	src/cli/cmd_backup.c src/cli/cmd_bundle.c src/cli/cmd_key.c \
	src/cli/cmd_forms.c src/cli/cmd_years.c src/cli/cmd_attach.c src/cli/cmd_log.c
kepu_LDADD = $(CURSES_LIBS) $(CORE_LIBS) -lm
