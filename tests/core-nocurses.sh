#!/bin/sh
# The core (storage, CSV, checks, bundles) must build and link without curses:
# the unit tests link it alone, and here we look at what it asks the linker for.
lib="$KEPU_BUILDDIR/src/core/libkepucore.a"
n=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

[ -f "$lib" ]; t $? "libkepucore.a was built"
syms=$(nm -u "$lib" 2>/dev/null | awk '{print $2}' |
	grep -E '^(initscr|newterm|endwin|w?getch|get_wch|wget_wch|new_form|form_driver|form_driver_w|new_menu|mvwaddstr|waddnstr|wrefresh|doupdate|set_field_buffer|keypad)$')
[ -z "$syms" ]; t $? "libkepucore.a needs no curses symbol${syms:+ (uses: $syms)}"
inc=$(grep -lE '#include *[<"](n?curses|ncursesw/|form|menu|panel)\.h' "$KEPU_SRCDIR"/src/core/*.[ch] 2>/dev/null)
[ -z "$inc" ]; t $? "no src/core file includes a curses header${inc:+ ($inc)}"
nm "$lib" 2>/dev/null | grep -q ' T ledger_open$'; t $? "libkepucore.a defines the core API (ledger_open)"
echo "1..$n"
