/* prompt.c - the key loop every question runs in, and the two questions
 * asked on the message line: a key among a few, a line of text. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "text.h"
#include "draw.h"
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
	int cells;

	screen_paint(a->t, RD_MSG);
	cells = (int)text_width(a->t->msg);
	move(MSG_ROW, cells < COLS ? cells : COLS - 1);
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

/* line_once's answer when the window was resized: *kept holds what was
 * typed, and the line is shown again where the new size puts it. */
#define LINE_AGAIN (-1)

/* One line editor on the message line, driven like an entry field. */
struct line {
	FORM *fm;
	FIELD *fld;
	char *out;
	size_t size;
	char **kept;
};

static int line_show(void *ctx)
{
	struct line *l = ctx;

	/* Kept before each key: a resize repaints the screen, and the field
	 * would then read back blank. */
	free(*l->kept);
	*l->kept = draw_field_get(l->fm, l->fld);
	if (!*l->kept)
		return kp_err_nomem();
	pos_form_cursor(l->fm);
	refresh();
	return PROMPT_MORE;
}

static int line_key(void *ctx, struct tkey k)
{
	struct line *l = ctx;

	if (keys_printable(k)) {
		form_driver_w(l->fm, OK, k.ch);
		return PROMPT_MORE;
	}
	if (!k.fn && k.ch == ESC)
		return KP_NOTFOUND;
	if (!k.fn && (k.ch == '\r' || k.ch == '\n')) {
		char *v = draw_field_get(l->fm, l->fld);

		if (!v)
			return kp_err_nomem();
		snprintf(l->out, l->size, "%s", v);
		free(v);
		return KP_OK;
	}
	if (!k.fn && k.ch == CTRL_KEY('u')) {
		form_driver_w(l->fm, KEY_CODE_YES, REQ_CLR_FIELD);
		return PROMPT_MORE;
	}
	switch (k.fn ? (int)k.ch : 0) {
	case KEY_BACKSPACE: form_driver_w(l->fm, KEY_CODE_YES, REQ_DEL_PREV); break;
	case KEY_DC: form_driver_w(l->fm, KEY_CODE_YES, REQ_DEL_CHAR); break;
	case KEY_LEFT: form_driver_w(l->fm, KEY_CODE_YES, REQ_PREV_CHAR); break;
	case KEY_RIGHT: form_driver_w(l->fm, KEY_CODE_YES, REQ_NEXT_CHAR); break;
	case KEY_HOME: form_driver_w(l->fm, KEY_CODE_YES, REQ_BEG_FIELD); break;
	case KEY_END: form_driver_w(l->fm, KEY_CODE_YES, REQ_END_FIELD); break;
	default: break;
	}
	return PROMPT_MORE;
}

/* The label, then a one-row form holding *kept, until an answer or a
 * resize (LINE_AGAIN). */
static int line_once(struct tui *t, const char *label, char **kept,
                     char *out, size_t size)
{
	FIELD *flds[2] = { NULL, NULL };
	FORM *fm = NULL;
	WINDOW *sub = NULL;
	struct line l = { NULL, NULL, out, size, kept };
	struct prompt_loop loop = { line_show, line_key, LINE_AGAIN, &l };
	int x, w, rc;

	move(MSG_ROW, 0);
	clrtoeol();
	x = draw_put(MSG_ROW, 0, label, COLS / 2, ST_WARN) + 1;
	w = (COLS - x - 1) & ~1;
	flds[0] = new_field(1, w, 0, 0, 0, 0);
	if (!flds[0])
		goto fail;
	field_opts_off(flds[0], O_AUTOSKIP | O_BLANK);
	field_opts_on(flds[0], O_STATIC);
	set_field_back(flds[0], A_NORMAL);
	draw_field_set(flds[0], *kept);
	fm = new_form(flds);
	sub = derwin(stdscr, 1, w, MSG_ROW, x);
	if (!fm || !sub)
		goto fail;
	set_form_opts(fm, form_opts(fm) & ~(O_BS_OVERLOAD | O_NL_OVERLOAD));
	set_form_win(fm, stdscr);
	set_form_sub(fm, sub);
	if (post_form(fm) != E_OK)
		goto fail;
	form_driver_w(fm, KEY_CODE_YES, REQ_END_FIELD);
	curs_set(1);
	l.fm = fm;
	l.fld = flds[0];
	rc = prompt_run(t, &loop);
	unpost_form(fm);
	goto out;
fail:
	rc = kp_err_nomem();
out:
	if (fm)
		free_form(fm);
	if (sub)
		delwin(sub);
	if (flds[0])
		free_field(flds[0]);
	return rc;
}

int prompt_line(struct tui *t, const char *label, const char *initial,
                char *out, size_t size)
{
	char *kept = xstrdup(initial ? initial : "");
	struct tkey k;
	int rc;

	if (!kept)
		return kp_err_nomem();
	do {
		/* Too small to show anything: wait for a usable size. */
		while (t->small)
			screen_getkey(t, &k);
		rc = line_once(t, label, &kept, out, size);
	} while (rc == LINE_AGAIN);
	free(kept);
	t->msg[0] = '\0';
	screen_msg_draw(t);
	return rc;
}
