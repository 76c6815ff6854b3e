/* tui.h - the clerk's full-screen interface. */
#ifndef KEPU_TUI_H
#define KEPU_TUI_H

/* Run the TUI on the database at db_path (created on request when
 * missing).  Returns a process exit code (0 on a normal quit). */
int tui_main(const char *db_path);

#endif
