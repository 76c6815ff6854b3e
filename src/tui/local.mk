## The clerk's TUI (ncursesw + form + menu).  Only src/tui includes curses.
kepu_SOURCES += src/tui/tui.h src/tui/tui.c
