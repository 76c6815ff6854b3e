/* placeholder until the TUI lands */
#include "config.h"
#include <stdio.h>
#include "tui.h"
int tui_main(const char *db_path)
{
	(void)db_path;
	fputs("kepu: TUI not built\n", stderr);
	return 70;
}
