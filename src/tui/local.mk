## The clerk's TUI (ncursesw + form + menu).  Only src/tui includes curses.
kepu_SOURCES += src/tui/tui.h src/tui/tui.c \
	src/tui/ui.h src/tui/ui.c \
	src/tui/keymap.h src/tui/keys.c \
	src/tui/dashboard.c \
	src/tui/entry.h src/tui/entry.c src/tui/entry_save.c \
	src/tui/records.c src/tui/help.c src/tui/pick.c \
	src/tui/bundle_screen.c
