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
#include "ui.h"

#define PAGE_MAX 80

typedef char rec_id[RECORD_ID_LEN + 1];

static struct {
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
} R;

static void rows_free(void)
{
	size_t i;

	for (i = 0; i < R.n; i++)
		record_free(&R.rows[i]);
	R.n = 0;
}

static int keep_row(void *ctx, const struct record *rec)
{
	(void)ctx;
	if (R.n > (size_t)R.page)
		return KP_NOTFOUND;
	record_init(&R.rows[R.n]);
	if (record_copy(&R.rows[R.n], rec) != KP_OK)
		return KP_E_NOMEM;
	R.n++;
	return KP_OK;
}

static void rec_load(struct tui *t)
{
	struct ledger_query q = { 0 };
	int rc;

	rows_free();
	R.page = BODY_BOTTOM - (BODY_TOP + 2) + 1;
	if (R.page > PAGE_MAX)
		R.page = PAGE_MAX;
	if (R.page < 1)
		R.page = 1;
	q.form = R.form >= 0 ? t->lg->schema->forms[R.form].id : NULL;
	q.month = R.month[0] ? R.month : NULL;
	q.text = R.text[0] ? R.text : NULL;
	q.after_id = R.pageno > 0 ? R.starts[R.pageno] : NULL;
	q.limit = (size_t)R.page + 1;
	rc = ledger_list(t->lg, &q, keep_row, NULL);
	if (rc != KP_OK)
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
	R.more = R.n > (size_t)R.page;
	if (R.more) {
		record_free(&R.rows[R.n - 1]);
		R.n--;
	}
	if (R.sel >= (int)R.n)
		R.sel = R.n ? (int)R.n - 1 : 0;
}

static void rec_first_page(struct tui *t)
{
	R.pageno = 0;
	R.sel = 0;
	rec_load(t);
}

static void rec_enter(struct tui *t, const void *arg)
{
	(void)arg;
	R.form = -1;
	R.month[0] = R.text[0] = '\0';
	if (!R.starts) {
		R.starts = calloc(16, sizeof *R.starts);
		R.nstarts = R.starts ? 16 : 0;
	}
	rec_first_page(t);
}

static void rec_resume(struct tui *t)
{
	rec_load(t);
}

static void rec_leave(struct tui *t)
{
	(void)t;
	rows_free();
	free(R.starts);
	R.starts = NULL;
	R.nstarts = 0;
}

static void rec_resize(struct tui *t)
{
	if (!t->small)
		rec_load(t);
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
	ui_put(y, x, date ? date : "", 10, selected ? ST_CURRENT : ST_NORMAL);
	x += 11;
	ui_put(y, x, f ? form_label(f) : r->form, 10,
	       selected ? ST_CURRENT : ST_NORMAL);
	x += 11;
	ui_put(y, x, safe ? safe : "", titlew, selected ? ST_CURRENT : ST_NORMAL);
	x += titlew + 1;
	if (count) {
		char buf[16];

		snprintf(buf, sizeof buf, "%8.8s", count);
		ui_put(y, x, buf, 8, selected ? ST_CURRENT : ST_NORMAL);
	}
	x += 9;
	ui_put(y, x, r->changed_by, COLS - x - 1,
	       selected ? ST_CURRENT : ST_NORMAL);
	free(safe);
}

static void rec_draw(struct tui *t)
{
	char head[400];
	size_t i;
	int y = BODY_TOP;

	ui_clear_body();
	snprintf(head, sizeof head, LF("表单：%s  月份：%s  查找：%s  第 %d 页%s",
	                              "Form: %s  Month: %s  Find: %s  Page %d%s"),
	         R.form >= 0 ? form_label(&t->lg->schema->forms[R.form]) :
	                       L("全部", "all"),
	         R.month[0] ? R.month : L("全部", "all"),
	         R.text[0] ? R.text : "-", R.pageno + 1,
	         R.more ? L("（还有下一页）", " (more)") : "");
	{
		char *safe = text_for_terminal(head);

		ui_put_pad(y++, 1, safe ? safe : head, COLS - 2, ST_HEAD);
		free(safe);
	}
	ui_put(y, 1, L("日期", "Date"), 10, ST_HEAD);
	ui_put(y, 12, L("表单", "Form"), 10, ST_HEAD);
	ui_put(y, 23, L("名称", "Title"), 20, ST_HEAD);
	ui_put(y, COLS - 22, L("人次", "Count"), 8, ST_HEAD);
	ui_put(y, COLS - 12, L("修改人", "By"), 10, ST_HEAD);
	y++;
	for (i = 0; i < R.n && y <= BODY_BOTTOM; i++)
		records_line(t, &R.rows[i], y++, (int)i == R.sel);
	if (R.n == 0)
		ui_put(y, 3, L("没有符合条件的记录。", "No records match."), COLS - 4,
		       ST_NORMAL);
}

static int rec_page(struct tui *t, int dir)
{
	if (dir > 0) {
		if (!R.more || R.n == 0)
			return RD_NONE;
		if (R.pageno + 1 >= R.nstarts) {
			rec_id *n = realloc(R.starts, (size_t)R.nstarts * 2 * sizeof *n);

			if (!n)
				return RD_NONE;
			R.starts = n;
			R.nstarts *= 2;
		}
		memcpy(R.starts[R.pageno + 1], R.rows[R.n - 1].id, sizeof(rec_id));
		R.pageno++;
		R.sel = 0;
	} else {
		if (R.pageno == 0)
			return RD_NONE;
		R.pageno--;
		R.sel = R.page - 1;
	}
	rec_load(t);
	return RD_BODY | RD_MSG;
}

static int rec_delete(struct tui *t)
{
	struct record *r;
	int rc;

	if (R.n == 0)
		return RD_NONE;
	r = &R.rows[R.sel];
	if (ui_ask(t, L("删除这条记录？会留下注销标记并上报市里。y 删除  n 不删",
	                "Delete this record? A tombstone goes to the city. "
	                "y delete  n keep"), "yn") != 'y') {
		ui_msg(t, MSG_INFO, "%s", L("没有删除。", "Nothing was deleted."));
		return RD_MSG;
	}
	rc = ledger_delete(t->lg, r->id, r->rev);
	if (rc == KP_OK)
		ui_msg(t, MSG_OK, LF("已删除 %s。", "Deleted %s."), r->id);
	else if (rc == KP_E_TEMPFAIL)
		ui_msg(t, MSG_ERROR, "%s", L("这条记录刚被别人修改过，没有删除；请看过新内容再决定。",
		                             "Someone changed this record meanwhile; "
		                             "nothing was deleted. Look at it again first."));
	else
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
	rec_load(t);
	return RD_BODY | RD_MSG;
}

/* "2025-03", "2025-3", "3" or "03" (the working year); "" clears. */
/* An empty answer clears the month filter. */
static bool month_parse(const struct tui *t, const char *s, char out[8])
{
	if (!*s) {
		out[0] = '\0';
		return true;
	}
	return date_parse_month(s, t->lg->year, out) == KP_OK;
}

static int rec_filter(struct tui *t, enum action act)
{
	char buf[128];

	if (act == ACT_FILTER_FORM) {
		R.form++;
		if (R.form >= (int)t->lg->schema->nforms)
			R.form = -1;
	} else if (act == ACT_FILTER_MONTH) {
		if (ui_prompt(t, L("月份（如 2025-03 或 3，留空=全部）：",
		                   "Month (2025-03 or 3, empty = all):"),
		              R.month, buf, sizeof buf) != KP_OK)
			return RD_MSG;
		if (!month_parse(t, buf, R.month)) {
			ui_msg(t, MSG_ERROR, "%s", L("月份写法不对，例：2025-03",
			                             "Not a month; e.g. 2025-03"));
			return RD_MSG;
		}
	} else if (act == ACT_FILTER_TEXT) {
		if (ui_prompt(t, L("查找文字（留空=全部）：", "Find text (empty = all):"),
		              R.text, buf, sizeof buf) != KP_OK)
			return RD_MSG;
		snprintf(R.text, sizeof R.text, "%s", buf);
	} else {
		R.form = -1;
		R.month[0] = R.text[0] = '\0';
	}
	rec_first_page(t);
	return RD_BODY | RD_MSG;
}

static int rec_key(struct tui *t, struct tkey k, enum action act, int arg)
{
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		if (R.sel > 0) {
			R.sel--;
			return RD_BODY;
		}
		return rec_page(t, -1);
	case ACT_DOWN:
		if (R.sel + 1 < (int)R.n) {
			R.sel++;
			return RD_BODY;
		}
		return rec_page(t, 1);
	case ACT_PAGE_UP:
		return rec_page(t, -1);
	case ACT_PAGE_DOWN:
		return rec_page(t, 1);
	case ACT_OPEN:
		if (R.n > 0) {
			struct entry_arg ea = {
				schema_form(t->lg->schema, R.rows[R.sel].form),
				&R.rows[R.sel], true, false,
			};

			if (ea.form)
				tui_push(t, &entry_ops, &ea);
		}
		return RD_NONE;
	case ACT_DELETE:
		return rec_delete(t);
	case ACT_FILTER_FORM:
	case ACT_FILTER_MONTH:
	case ACT_FILTER_TEXT:
	case ACT_FILTER_CLEAR:
		return rec_filter(t, act);
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops records_ops = {
	.id = SCR_RECORDS,
	.title_zh = "记录",
	.title_en = "Records",
	.text_input = false,
	.enter = rec_enter,
	.resume = rec_resume,
	.leave = rec_leave,
	.draw = rec_draw,
	.key = rec_key,
	.resize = rec_resize,
};
