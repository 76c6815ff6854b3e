/* records.c - browse records newest first, a page at a time.
 *
 * Only one page (plus one record, to know whether there is a next page) is
 * ever read: ledger_list starts after the last id of the previous page, so
 * the screen costs the same with 100 records or 100,000.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

#define PAGE_MAX 80

typedef char rec_id[RECORD_ID_LEN + 1];

struct recs {
	struct record rows[PAGE_MAX + 1];
	size_t n;
	bool more;
	int page;           /* rows per page */
	int sel;
	rec_id *starts;     /* starts[i]: the id page i begins after */
	int pageno, nstarts;
	int form;           /* index of the form filter; -1: every form */
	char month[8];
	char text[128];
};

static void rows_free(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		record_free(&r->rows[i]);
	r->n = 0;
}

static int keep_row(void *ctx, const struct record *rec)
{
	struct recs *r = ctx;

	if (r->n > (size_t)r->page)
		return KP_NOTFOUND;
	record_init(&r->rows[r->n]);
	if (record_copy(&r->rows[r->n], rec) != KP_OK)
		return kp_err_nomem();
	r->n++;
	return KP_OK;
}

static void rec_load(struct tui *t, struct recs *r)
{
	struct ledger_query q = { 0 };
	int rc;

	rows_free(r);
	r->page = BODY_BOTTOM - (BODY_TOP + 2) + 1;
	if (r->page > PAGE_MAX)
		r->page = PAGE_MAX;
	if (r->page < 1)
		r->page = 1;
	q.form = r->form >= 0 ? t->lg->schema->forms[r->form].id : NULL;
	q.month = r->month[0] ? r->month : NULL;
	q.text = r->text[0] ? r->text : NULL;
	q.after_id = r->pageno > 0 ? r->starts[r->pageno] : NULL;
	q.limit = (size_t)r->page + 1;
	rc = ledger_list(t->lg, &q, keep_row, r);
	if (rc != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	r->more = r->n > (size_t)r->page;
	if (r->more) {
		record_free(&r->rows[r->n - 1]);
		r->n--;
	}
	if (r->sel >= (int)r->n)
		r->sel = r->n ? (int)r->n - 1 : 0;
}

static void rec_first_page(struct tui *t, struct recs *r)
{
	r->pageno = 0;
	r->sel = 0;
	rec_load(t, r);
}

static void rec_enter(struct tui *t, void *st, const void *arg)
{
	struct recs *r = st;

	(void)arg;
	r->form = -1;
	r->month[0] = r->text[0] = '\0';
	if (!r->starts) {
		r->starts = calloc(16, sizeof *r->starts);
		r->nstarts = r->starts ? 16 : 0;
	}
	rec_first_page(t, r);
}

static void rec_resume(struct tui *t, void *st)
{
	rec_load(t, st);
}

static void rec_leave(struct tui *t, void *st)
{
	struct recs *r = st;

	(void)t;
	rows_free(r);
	free(r->starts);
	r->starts = NULL;
	r->nstarts = 0;
}

static void rec_resize(struct tui *t, void *st)
{
	if (!t->small)
		rec_load(t, st);
}

/* The first value among the fields of a type, in form order. */
static const char *first_of(const struct form *f, const struct record *r,
                            enum field_type type)
{
	size_t i;

	for (i = 0; f && i < f->nfields; i++)
		if (f->fields[i].type == type && record_get(r, f->fields[i].name))
			return record_get(r, f->fields[i].name);
	return NULL;
}

void records_line(struct tui *t, const struct record *r, int y, bool selected)
{
	const struct form *f = schema_form(t->lg->schema, r->form);
	const char *title = first_of(f, r, FT_TEXT);
	const char *count = first_of(f, r, FT_INTEGER);
	const char *date = record_get(r, "date");
	char *safe = text_for_terminal(title ? title : "");
	int titlew = COLS - 2 - 11 - 11 - 9 - 12;
	int x = 1;

	if (selected)
		attron(A_REVERSE);
	move(y, 0);
	clrtoeol();
	if (selected)
		mvhline(y, 0, ' ', COLS);
	attroff(A_REVERSE);
	draw_put(y, x, date ? date : "", 10, selected ? ST_CURRENT : ST_NORMAL);
	x += 11;
	draw_put(y, x, f ? form_label(f) : r->form, 10,
	         selected ? ST_CURRENT : ST_NORMAL);
	x += 11;
	draw_put(y, x, safe ? safe : "", titlew, selected ? ST_CURRENT : ST_NORMAL);
	x += titlew + 1;
	if (count) {
		char buf[16];

		snprintf(buf, sizeof buf, "%8.8s", count);
		draw_put(y, x, buf, 8, selected ? ST_CURRENT : ST_NORMAL);
	}
	x += 9;
	draw_put(y, x, r->changed_by, COLS - x - 1,
	         selected ? ST_CURRENT : ST_NORMAL);
	free(safe);
}

static void rec_draw(struct tui *t, void *st)
{
	const struct recs *r = st;
	char head[400];
	size_t i;
	int y = BODY_TOP;

	draw_clear_body();
	snprintf(head, sizeof head, LF("表单：%s  月份：%s  查找：%s  第 %d 页%s",
	                              "Form: %s  Month: %s  Find: %s  Page %d%s"),
	         r->form >= 0 ? form_label(&t->lg->schema->forms[r->form]) :
	                        L("全部", "all"),
	         r->month[0] ? r->month : L("全部", "all"),
	         r->text[0] ? r->text : "-", r->pageno + 1,
	         r->more ? L("（还有下一页）", " (more)") : "");
	{
		char *safe = text_for_terminal(head);

		draw_put_pad(y++, 1, safe ? safe : head, COLS - 2, ST_HEAD);
		free(safe);
	}
	draw_put(y, 1, L("日期", "Date"), 10, ST_HEAD);
	draw_put(y, 12, L("表单", "Form"), 10, ST_HEAD);
	draw_put(y, 23, L("名称", "Title"), 20, ST_HEAD);
	draw_put(y, COLS - 22, L("人次", "Count"), 8, ST_HEAD);
	draw_put(y, COLS - 12, L("修改人", "By"), 10, ST_HEAD);
	y++;
	for (i = 0; i < r->n && y <= BODY_BOTTOM; i++)
		records_line(t, &r->rows[i], y++, (int)i == r->sel);
	if (r->n == 0)
		draw_put(y, 3, L("没有符合条件的记录。", "No records match."), COLS - 4,
		         ST_NORMAL);
}

static int rec_page(struct tui *t, struct recs *r, int dir)
{
	if (dir > 0) {
		if (!r->more || r->n == 0)
			return RD_NONE;
		if (r->pageno + 1 >= r->nstarts) {
			rec_id *n = realloc(r->starts, (size_t)r->nstarts * 2 * sizeof *n);

			if (!n)
				return RD_NONE;
			r->starts = n;
			r->nstarts *= 2;
		}
		memcpy(r->starts[r->pageno + 1], r->rows[r->n - 1].id, sizeof(rec_id));
		r->pageno++;
		r->sel = 0;
	} else {
		if (r->pageno == 0)
			return RD_NONE;
		r->pageno--;
		r->sel = r->page - 1;
	}
	rec_load(t, r);
	return RD_BODY | RD_MSG;
}

/* "2025-03-05 培训「茶叶种植培训」（参训人次 45）": the record as the clerk
 * knows it. */
static void rec_name(struct tui *t, const struct record *r, char *buf,
                     size_t size)
{
	const struct form *f = schema_form(t->lg->schema, r->form);
	const char *title = first_of(f, r, FT_TEXT);
	const char *date = record_get(r, "date");
	const struct field *count = NULL;
	char *safe;
	size_t i, len;

	for (i = 0; f && i < f->nfields && !count; i++)
		if (f->fields[i].type == FT_INTEGER && record_get(r, f->fields[i].name))
			count = &f->fields[i];
	snprintf(buf, size, LF("%s %s「%s」", "%s %s \"%s\""), date ? date : "",
	         f ? form_label(f) : r->form, title ? title : "");
	len = strlen(buf);
	if (count)
		snprintf(buf + len, size - len, LF("（%s %s）", " (%s %s)"),
		         field_label(count), record_get(r, count->name));
	if ((safe = text_for_terminal(buf))) {
		snprintf(buf, size, "%s", safe);
		free(safe);
	}
}

/* "农村实用技术培训 -45 → 24/129；…" */
static void impacts_of(const struct check_result *res, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < res->nimpacts && len + 1 < size; i++) {
		const struct impact *im = &res->impacts[i];
		char d[32], a[32], g[32];

		if (im->delta == 0)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s %s%s → %s%s%s",
		                        len ? L("；", "; ") : "", indicator_label(im->ind),
		                        im->delta < 0 ? "-" : "+",
		                        draw_num(im->delta < 0 ? -im->delta : im->delta, d),
		                        draw_num(im->achieved, a), im->has_target ? "/" : "",
		                        im->has_target ? draw_num(im->target, g) : "");
	}
}

static int rec_delete(struct tui *t, struct recs *r)
{
	const struct record *sel;
	struct check_result res;
	char name[400], q[600], imp[400];
	int rc;

	if (r->n == 0)
		return RD_NONE;
	sel = &r->rows[r->sel];
	rec_name(t, sel, name, sizeof name);
	snprintf(q, sizeof q, LF("删除 %s？会留下注销标记并上报市里。y 删除  n 不删",
	                        "Delete %s? A tombstone goes to the city. "
	                        "y delete  n keep"), name);
	if (prompt_ask(t, q, "yn") != 'y') {
		screen_msg(t, MSG_INFO, "%s", L("没有删除。", "Nothing was deleted."));
		return RD_MSG;
	}
	check_result_init(&res);
	rc = ledger_delete(t->lg, sel->id, sel->rev, &res);
	if (rc == KP_OK) {
		impacts_of(&res, imp, sizeof imp);
		screen_msg(t, MSG_OK, LF("已删除 %s。%s", "Deleted %s. %s"), name,
		           imp[0] ? imp : L("不影响任务进度。", "No quota changes."));
	} else if (rc == KP_E_TEMPFAIL) {
		screen_msg(t, MSG_ERROR, "%s", L("这条记录刚被别人修改过，没有删除；请看过新内容再决定。",
		                                 "Someone changed this record meanwhile; "
		                                 "nothing was deleted. Look at it again first."));
	} else {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	}
	check_result_free(&res);
	rec_load(t, r);
	return RD_BODY | RD_MSG;
}

/* The month typed: "2025-03", "2025-3", "3" or "03" (the working year);
 * an empty answer clears the filter. */
static bool month_parse(const struct tui *t, const char *s, char out[8])
{
	if (!*s) {
		out[0] = '\0';
		return true;
	}
	return date_parse_month(s, t->lg->year, out) == KP_OK;
}

static int rec_filter(struct tui *t, struct recs *r, enum action act)
{
	char buf[128];

	if (act == ACT_FILTER_FORM) {
		r->form++;
		if (r->form >= (int)t->lg->schema->nforms)
			r->form = -1;
	} else if (act == ACT_FILTER_MONTH) {
		if (prompt_line(t, L("月份（如 2025-03 或 3，留空=全部）：",
		                     "Month (2025-03 or 3, empty = all):"),
		                r->month, buf, sizeof buf) != KP_OK)
			return RD_MSG;
		if (!month_parse(t, buf, r->month)) {
			screen_msg(t, MSG_ERROR, "%s", L("月份写法不对，例：2025-03",
			                                 "Not a month; e.g. 2025-03"));
			return RD_MSG;
		}
	} else if (act == ACT_FILTER_TEXT) {
		if (prompt_line(t, L("查找文字（留空=全部）：", "Find text (empty = all):"),
		                r->text, buf, sizeof buf) != KP_OK)
			return RD_MSG;
		snprintf(r->text, sizeof r->text, "%s", buf);
	} else {
		r->form = -1;
		r->month[0] = r->text[0] = '\0';
	}
	rec_first_page(t, r);
	return RD_BODY | RD_MSG;
}

static int rec_key(struct tui *t, void *st, struct tkey k, enum action act,
                   int arg)
{
	struct recs *r = st;

	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		if (r->sel > 0) {
			r->sel--;
			return RD_BODY;
		}
		return rec_page(t, r, -1);
	case ACT_DOWN:
		if (r->sel + 1 < (int)r->n) {
			r->sel++;
			return RD_BODY;
		}
		return rec_page(t, r, 1);
	case ACT_PAGE_UP:
		return rec_page(t, r, -1);
	case ACT_PAGE_DOWN:
		return rec_page(t, r, 1);
	case ACT_OPEN:
		if (r->n > 0) {
			struct entry_arg ea = {
				schema_form(t->lg->schema, r->rows[r->sel].form),
				&r->rows[r->sel], true, NULL, &r->rows[r->sel],
			};

			if (ea.form)
				screen_push(t, &entry_ops, &ea);
		}
		return RD_NONE;
	case ACT_VIEW:
	case ACT_HISTORY:
		if (r->n > 0) {
			struct recview_arg va = { &r->rows[r->sel], act == ACT_HISTORY };

			screen_push(t, &recview_ops, &va);
		}
		return RD_NONE;
	case ACT_DELETE:
		return rec_delete(t, r);
	case ACT_FILTER_FORM:
	case ACT_FILTER_MONTH:
	case ACT_FILTER_TEXT:
	case ACT_FILTER_CLEAR:
		return rec_filter(t, r, act);
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops records_ops = {
	.id = SCR_RECORDS,
	.title_zh = "记录",
	.title_en = "Records",
	.text_input = false,
	.state_size = sizeof(struct recs),
	.enter = rec_enter,
	.resume = rec_resume,
	.leave = rec_leave,
	.draw = rec_draw,
	.key = rec_key,
	.resize = rec_resize,
};
