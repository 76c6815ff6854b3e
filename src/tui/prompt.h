/* prompt.h - questions asked on top of a screen, each in a key loop of
 * its own until it is answered: a key among a few (prompt_ask), a line of
 * text (prompt_line), one of a form's choices (pick_choose, in pick.c).
 *
 * They wait for keys through screen_getkey, so a resize or a hang-up in
 * the middle of a question is handled as anywhere else; the screens and
 * the start-up (tui.c) ask them.
 */
#ifndef KEPU_TUI_PROMPT_H
#define KEPU_TUI_PROMPT_H

#include <limits.h>
#include <stddef.h>

#include "keymap.h"
#include "screen.h"

struct choice;

/* show or key's answer when the question goes on. */
#define PROMPT_MORE INT_MIN

/* One question's key loop: show(ctx) paints the question and places the
 * cursor, key(ctx, k) takes each key (normalised); either answers
 * PROMPT_MORE to go on, or the question's result.  A resize (the screens
 * already laid out and repainted by screen_getkey) ends the question with
 * on_resize, or shows it again when on_resize is PROMPT_MORE. */
struct prompt_loop {
	int (*show)(void *ctx);
	int (*key)(void *ctx, struct tkey k);
	int on_resize;
	void *ctx;
};

/* Run the loop until it has a result; returns it. */
int prompt_run(struct tui *t, const struct prompt_loop *loop);

/* Ask on the message line; returns the key pressed among `answers`
 * (lower case ASCII), or 0 for Esc / Enter.  The question stays as the
 * message (a warning) until the caller sets another. */
int prompt_ask(struct tui *t, const char *question, const char *answers);

/* Read a line of text on the message line, starting from `initial` (may
 * be NULL; may be out itself).  KP_OK with out filled (UTF-8, trimmed,
 * cut to size), KP_NOTFOUND when cancelled, KP_E_NOMEM (message set).
 * The message line is blank afterwards.  A resize keeps what was typed
 * and asks again where the new size puts the line. */
int prompt_line(struct tui *t, const char *label, const char *initial,
                char *out, size_t size);

/* The pick list: choose one of n choices, filtering as the clerk types
 * (by number, code or label).  `initial` is what was already typed (UTF-8,
 * may be NULL), `current` the index to start on (-1: none).  An exact
 * number, code or label wins; when several choices match and none exactly,
 * Enter waits until the clerk has moved to one.  How the list was left:
 *   PICK_CHOSEN    Enter, Tab or F4 on a choice (chosen is its index)
 *   PICK_SAVE      F2: the choice under the cursor (if any), then save
 *   PICK_NO_MATCH  Enter or Tab while nothing matches: nothing chosen,
 *                  go on to the next field (filter says what was typed)
 *   PICK_CANCELLED Esc, Shift-Tab, a resize, or out of memory
 * stdscr is touched, so the next update paints again what the list
 * covered. */
enum pick_how { PICK_CHOSEN, PICK_SAVE, PICK_NO_MATCH, PICK_CANCELLED };
struct pick_result {
	int chosen;                 /* index, or -1 */
	enum pick_how how;
	char filter[256];           /* UTF-8 */
};
struct pick_result pick_choose(struct tui *t, const char *title,
                               const struct choice *c, size_t n, int current,
                               const char *initial);

#endif
