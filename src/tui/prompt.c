/* prompt.c - the key loop every question runs in, and the two questions
 * asked in the message area: a key among a few, a line of text (typed
 * with the fields' editor, edit.h, and the same keys). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "text.h"
#include "draw.h"
#include "edit.h"
#include "keymap.h"
#include "prompt.h"

#define ESC 27

int prompt_run(struct tui *t, const struct prompt_loop *loop)
{
	struct tkey k;
	int r;

	for (;;) {
		r = loop->show(loop->ctx);
		if (r != PROMPT_MORE)
			return r;
		if (screen_getkey(t, &k) != 0) {
			if (loop->on_resize != PROMPT_MORE)
				return loop->on_resize;
			continue;
		}
		r = loop->key(loop->ctx, keys_normalise(k));
		if (r != PROMPT_MORE)
			return r;
	}
}

struct ask {
	struct tui *t;
	const char *answers;
};

static int ask_show(void *ctx)
{
	struct ask *a = ctx;

	screen_paint(a->t, RD_MSG);
	if (a->t->small)
		return PROMPT_MORE;
	/* After the question's last word, however many rows it took. */
	move(a->t->msg_end_y, a->t->msg_end_x < COLS ? a->t->msg_end_x : COLS - 1);
	curs_set(1);
	refresh();
	return PROMPT_MORE;
}

static int ask_key(void *ctx, struct tkey k)
{
	const struct ask *a = ctx;

	if (!k.fn && k.ch == ESC)
		return 0;
	if (!k.fn && k.ch < 128 && k.ch > 0 &&
	    strchr(a->answers, tolower((int)k.ch)))
		return tolower((int)k.ch);
	if (!k.fn && (k.ch == '\r' || k.ch == '\n'))
		return 0;
	return PROMPT_MORE;
}

int prompt_ask(struct tui *t, const char *question, const char *answers)
{
	struct ask a = { t, answers };
	const struct prompt_loop loop = { ask_show, ask_key, PROMPT_MORE, &a };

	screen_msg(t, MSG_WARN, "%s", question);
	return prompt_run(t, &loop);
}

/* One line of text on the message row, typed like an entry field. */
struct line {
	struct tui *t;
	const char *label;
	struct edit ed;
	char *out;
	size_t size;
};

/* The label, then the text in the rest of the row (laid out again after
 * a resize: the text typed is kept in the editor). */
static int line_show(void *ctx)
{
	struct line *l = ctx;
	int x, w;

	if (l->t->small)
		return PROMPT_MORE;
	move(MSG_ROW, 0);
	clrtoeol();
	x = draw_put(MSG_ROW, 0, l->label, COLS / 2, ST_WARN) + 1;
	w = COLS - x - 1;
	edit_draw_line(&l->ed, MSG_ROW, x, w);
	curs_set(1);
	refresh();
	return PROMPT_MORE;
}

static int line_key(void *ctx, struct tkey k)
{
	static const struct { enum action act; enum edit_op op; } ops[] = {
		{ ACT_CHAR_LEFT, EDIT_LEFT }, { ACT_CHAR_RIGHT, EDIT_RIGHT },
		{ ACT_FIELD_START, EDIT_START }, { ACT_FIELD_END, EDIT_END },
		{ ACT_DEL_PREV, EDIT_DEL_PREV }, { ACT_DEL_NEXT, EDIT_DEL_NEXT },
		{ ACT_KILL_END, EDIT_KILL_END }, { ACT_CLEAR_FIELD, EDIT_CLEAR },
	};
	struct line *l = ctx;
	enum action act;
	size_t i;

	if (keys_printable(k)) {
		if (!edit_insert(&l->ed, (wchar_t)k.ch))
			beep();
		return PROMPT_MORE;
	}
	if (!k.fn && k.ch == ESC)
		return KP_NOTFOUND;
	if (!k.fn && (k.ch == '\r' || k.ch == '\n')) {
		char *v = edit_get(&l->ed);

		if (!v)
			return kp_err_nomem();
		snprintf(l->out, l->size, "%s", v);
		free(v);
		return KP_OK;
	}
	act = keys_action(SCR_ENTRY, true, k, NULL);
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].act == act)
			edit_do(&l->ed, ops[i].op);
	return PROMPT_MORE;
}

int prompt_line(struct tui *t, const char *label, const char *initial,
                char *out, size_t size)
{
	struct line l = { t, label, { NULL, 0, 0, 0, 0 }, out, size };
	const struct prompt_loop loop = { line_show, line_key, PROMPT_MORE, &l };
	/* Whatever fits in out, whatever the characters (a character of two
	 * cells takes at most 4 bytes); the row scrolls past its width. */
	int rc, cells = (int)(size - 1) / 2;

	edit_init(&l.ed);
	if (edit_set(&l.ed, initial, cells) != KP_OK)
		return KP_E_NOMEM;
	/* The line takes one row: a longer message shown goes first, and
	 * the body under it is painted again. */
	if (t->msg_shown > 1) {
		t->msg[0] = '\0';
		screen_paint(t, RD_MSG);
	}
	rc = prompt_run(t, &loop);
	edit_free(&l.ed);
	t->msg[0] = '\0';
	screen_msg_draw(t);
	return rc;
}
