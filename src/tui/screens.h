/* screens.h - the screens, as the main loop (tui.c) and other screens open
 * them: their operation tables, what each is pushed with, the one drawing
 * helper two screens share and the keys of the year shown.
 *
 * One file per screen: dashboard.c (home), entry.c (+ entry_draw.c,
 * entry_save.c, entry_conflict.c), records.c, help.c, bundle_screen.c,
 * drafts.c, plan.c (the plan evaluation), recview.c (one record:
 * attachments, history), received.c (who has reported, city); yearend.c
 * holds the end of a year that home and who has reported share.
 * Each keeps its state in the block the stack gives it (screen.h), none
 * in globals.
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
extern const struct screen_ops plan_ops;        /* arg: NULL */
extern const struct screen_ops received_ops;    /* arg: NULL (city) */
extern const struct screen_ops recview_ops;     /* arg: struct recview_arg */

/* What the record view opens with (copied at enter). */
struct recview_arg {
	const struct record *rec;   /* the record (read again at enter) */
	bool history;               /* open on its history page */
};
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

/* The keys that change the year the screens show (screen_year): y asks
 * for it, [ and ] step it by one; it stays between the first plan's first
 * year and this year (year.c; home and the plan evaluation).  Returns
 * RD_* with RD_UNHANDLED for another action, RD_MSG alone when the year
 * did not change. */
int year_key(struct tui *t, enum action act);
/* Make y the year shown; false (a message said why) when it is outside
 * those years. */
bool year_set(struct tui *t, int y);

/* The end of a year (yearend.c).  Home (township): c closes the year
 * shown, o reopens it, both after a question naming the year; the line
 * at row y says where the year stands (nothing while it was never
 * closed).  Who has reported (city): a approves, x returns tw's year
 * shown, then offers to write tw's decision bundle.  They return RD_*. */
int yearend_close(struct tui *t);
int yearend_reopen(struct tui *t);
void yearend_draw_state(struct tui *t, int y);
struct township;
int yearend_decide(struct tui *t, const struct township *tw, bool ret);

#endif
