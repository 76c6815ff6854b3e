/* screens.h - the screens, as the main loop (tui.c) and other screens open
 * them: their operation tables, what each is pushed with, and the one
 * drawing helper two screens share.
 *
 * One file per screen: dashboard.c (home), entry.c (+ entry_draw.c,
 * entry_save.c, entry_conflict.c), records.c, help.c, bundle_screen.c,
 * drafts.c.  Each keeps its state in the block
 * the stack gives it (screen.h), none in globals.
 */
#ifndef KEPU_TUI_SCREENS_H
#define KEPU_TUI_SCREENS_H

#include <stdbool.h>

#include "draw.h"
#include "screen.h"

struct form;
struct record;

extern const struct screen_ops dashboard_ops;   /* arg: NULL */
extern const struct screen_ops entry_ops;       /* arg: struct entry_arg */
extern const struct screen_ops records_ops;     /* arg: NULL */
extern const struct screen_ops help_ops;        /* arg: struct help_arg */
extern const struct screen_ops bundle_ops;      /* arg: NULL */
extern const struct screen_ops drafts_ops;      /* arg: NULL */

/* What the entry screen opens with (copied at enter). */
struct entry_arg {
	const struct form *form;
	const struct record *rec;   /* NULL: a blank record */
	bool editing;               /* rec is a stored record to change */
	const char *draft;          /* rec is the draft kept under this key
	                             * (NULL: not a draft) */
	const struct record *base;  /* editing: the stored revision the change
	                             * starts from (NULL: not known) */
};

/* What the help screen opens with: the message of the screen under it,
 * given back when the help is left (an error shown must not vanish). */
struct help_arg {
	char msg[TUI_MSG_MAX];
	enum msg_kind kind;
};

/* One record as a list line at row y (date, form, title, count, who),
 * highlighted when selected; stored text is shown escaped (records.c,
 * also the home screen's last records). */
void records_line(struct tui *t, const struct record *r, int y,
                  bool selected);

#endif
