## The clerk's TUI (ncursesw + menu).  Only src/tui includes curses.
## Each file uses only those listed before it: the key table, drawing, the
## screen stack and its key wait, the questions, the screens (screens.h
## names them for whoever pushes them), then tui.c.
kepu_SOURCES += src/tui/keymap.h src/tui/keys.c \
	src/tui/draw.h src/tui/draw.c src/tui/edit.h src/tui/edit.c \
	src/tui/screen.h src/tui/screen.c \
	src/tui/prompt.h src/tui/prompt.c src/tui/pick.c \
	src/tui/screens.h \
	src/tui/entry.h src/tui/entry.c src/tui/entry_draw.c \
	src/tui/entry_sheet.c src/tui/entry_save.c src/tui/entry_conflict.c \
	src/tui/yearend.c \
	src/tui/records.c src/tui/dashboard.c src/tui/year.c src/tui/help.c \
	src/tui/bundle_screen.c src/tui/drafts.c src/tui/plan.c src/tui/received.c \
	src/tui/recview.c \
	src/tui/tui.h src/tui/tui.c
