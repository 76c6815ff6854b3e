/* drafts.c - the sheets a dropped link left half-filled: listed when kepu
 * starts (date, form, title, when it was kept) for the clerk to pick one
 * to go on with, discard one, or leave them all for later.
 *
 * Every sheet is kept under a key of its own (ledger.h), so two sessions
 * of one shared login, or several sheets left one after another, never
 * replace each other.  The screen stays under a resumed sheet: once that
 * is saved or given up, the drafts left are listed again, and the screen
 * goes when none is left.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

struct draft_row {
	char key[LEDGER_DRAFT_KEY_MAX + 1];
	struct record rec;
	int64_t at;
};

struct drafts {
	struct draft_row *rows;
	size_t n;
	int sel, top;
};

static void rows_free(struct drafts *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		record_free(&d->rows[i].rec);
	free(d->rows);
	d->rows = NULL;
	d->n = 0;
}

static int keep_row(void *ctx, const char *key, const struct record *rec,
                    int64_t at)
{
	struct drafts *d = ctx;
	struct draft_row *more = realloc(d->rows, (d->n + 1) * sizeof *more);

	if (!more)
		return kp_err_nomem();
	d->rows = more;
	snprintf(more[d->n].key, sizeof more[d->n].key, "%s", key);
	record_init(&more[d->n].rec);
	more[d->n].at = at;
	if (record_copy(&more[d->n].rec, rec) != KP_OK)
		return kp_err_nomem();
	d->n++;
	return KP_OK;
}

static void drafts_load(struct tui *t, struct drafts *d)
{
	rows_free(d);
	if (ledger_drafts(t->lg, keep_row, d) != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	if (d->sel >= (int)d->n)
		d->sel = d->n ? (int)d->n - 1 : 0;
}

static void drafts_enter(struct tui *t, void *st, const void *arg)
{
	(void)arg;
	drafts_load(t, st);
}

static void drafts_resume(struct tui *t, void *st)
{
	struct drafts *d = st;
	char msg[TUI_MSG_MAX];

	drafts_load(t, d);
	if (d->n == 0) {
		/* The message of the sheet just saved stays. */
		memcpy(msg, t->msg, sizeof msg);
		screen_pop(t);
		memcpy(t->msg, msg, sizeof msg);
	}
}

static void drafts_leave(struct tui *t, void *st)
{
	(void)t;
	rows_free(st);
}

/* "2025-03-05  培训  茶叶种植培训  06-30 10:15" */
static void row_text(struct tui *t, const struct draft_row *r, char *buf,
                     size_t size)
{
	const struct form *f = schema_form(t->lg->schema, r->rec.form);
	const char *date = record_get(&r->rec, f ? f->date->name : "date");
	const char *title = record_get(&r->rec, "title");
	char when[32] = "", *safe;
	time_t tt = (time_t)r->at;
	struct tm tm;

	if (!title)
		title = record_get(&r->rec, "name");
	if (r->at && localtime_r(&tt, &tm))
		strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	snprintf(buf, size, "%-10s  %s%s  %s  %s%s", date ? date : L("（无日期）", "(no date)"),
	         f ? form_label(f) : r->rec.form,
	         r->rec.id[0] ? L("（修改）", " (edit)") : "", title ? title : "-",
	         when[0] ? L("保存于 ", "kept ") : "", when);
	safe = text_for_terminal(buf);
	if (safe) {
		snprintf(buf, size, "%s", safe);
		free(safe);
	}
}

static void drafts_draw(struct tui *t, void *st)
{
	struct drafts *d = st;
	char buf[600];
	int y = BODY_TOP, page;
	size_t i;

	draw_clear_body();
	snprintf(buf, sizeof buf, LF("有 %zu 张上次没保存完的表（草稿）。选一张按回车继续填，"
	                            "d 丢弃，Esc 以后再说。", "%zu sheet(s) were left "
	                            "unsaved (drafts). Enter goes on with the one "
	                            "selected, d discards it, Esc leaves them for later."),
	         d->n);
	y += draw_put_wrapped(y, BODY_TOP, BODY_BOTTOM, 1, buf, COLS - 2, 0, ST_HEAD);
	y++;
	page = BODY_BOTTOM - y + 1;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + page)
		d->top = d->sel - page + 1;
	for (i = (size_t)d->top; i < d->n && y <= BODY_BOTTOM; i++, y++) {
		row_text(t, &d->rows[i], buf, sizeof buf);
		if ((int)i == d->sel)
			mvhline(y, 0, ' ', COLS);
		draw_put_pad(y, 1, buf, COLS - 2, (int)i == d->sel ? ST_CURRENT : ST_NORMAL);
	}
}

static int drafts_open(struct tui *t, struct drafts *d)
{
	const struct draft_row *r = &d->rows[d->sel];
	const struct form *f = schema_form(t->lg->schema, r->rec.form);
	struct record stored;
	struct entry_arg ea = { f, &r->rec, r->rec.id[0] != '\0', r->key, NULL };

	if (!f) {
		screen_msg(t, MSG_ERROR, LF("这张草稿的表单 %s 已经没有了，只能丢弃。",
		                            "The form %s of this draft is gone; it can "
		                            "only be discarded."), r->rec.form);
		return RD_MSG;
	}
	record_init(&stored);
	/* An edit goes on from the revision it started from when that is
	 * still the stored one: a later change is then compared three ways. */
	if (ea.editing && ledger_get(t->lg, r->rec.id, &stored) == KP_OK &&
	    stored.rev == r->rec.rev)
		ea.base = &stored;
	screen_push(t, &entry_ops, &ea);
	record_free(&stored);
	return RD_NONE;
}

static int drafts_discard(struct tui *t, struct drafts *d)
{
	char what[400], q[600];

	row_text(t, &d->rows[d->sel], what, sizeof what);
	snprintf(q, sizeof q, LF("丢弃这张草稿（%s）？y 丢弃  n 留着",
	                        "Discard this draft (%s)? y discard  n keep it"), what);
	if (prompt_ask(t, q, "yn") != 'y') {
		screen_msg(t, MSG_INFO, "%s", L("草稿留着。", "The draft is kept."));
		return RD_MSG | RD_BODY;
	}
	if (ledger_draft_drop(t->lg, d->rows[d->sel].key) != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return RD_MSG;
	}
	screen_msg(t, MSG_INFO, "%s", L("草稿已丢弃。", "The draft was discarded."));
	drafts_load(t, d);
	if (d->n == 0) {
		screen_pop(t);
		screen_msg(t, MSG_INFO, "%s", L("草稿已丢弃。", "The draft was discarded."));
	}
	return RD_BODY | RD_MSG;
}

static int drafts_key(struct tui *t, void *st, struct tkey k, enum action act,
                      int arg)
{
	struct drafts *d = st;

	(void)k;
	(void)arg;
	if (d->n == 0)
		return RD_UNHANDLED;
	switch (act) {
	case ACT_UP:
		if (d->sel > 0)
			d->sel--;
		return RD_BODY;
	case ACT_DOWN:
		if (d->sel + 1 < (int)d->n)
			d->sel++;
		return RD_BODY;
	case ACT_OPEN:
		return drafts_open(t, d);
	case ACT_DELETE:
		return drafts_discard(t, d);
	case ACT_BACK:
		screen_pop(t);
		screen_msg(t, MSG_INFO, "%s", L("草稿都留着，下次启动时再列出。",
		                                "The drafts are kept; they are listed "
		                                "again next time."));
		return RD_MSG;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops drafts_ops = {
	.id = SCR_DRAFTS,
	.title_zh = "草稿",
	.title_en = "Drafts",
	.text_input = false,
	.state_size = sizeof(struct drafts),
	.enter = drafts_enter,
	.resume = drafts_resume,
	.leave = drafts_leave,
	.draw = drafts_draw,
	.key = drafts_key,
};
