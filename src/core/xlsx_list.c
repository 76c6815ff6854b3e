/* xlsx_list.c - the records workbook (台账): a sheet per form, a row per
 * record, oldest first by its date, every field under its label.
 *
 * The matching records are found once (their form, date and id only) and
 * sorted; each is then read again in that order and written as a row, in
 * libxlsxwriter's constant memory mode, so that a workbook of 100,000
 * records costs the memory of its sort keys, not of its cells.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "date.h"
#include "err.h"
#include "lang.h"
#include "record.h"
#include "xlsx_int.h"

/* A record to write: its form's place in the schema, its date, its id. */
struct entry {
	unsigned form;
	char date[11];
	char id[RECORD_ID_LEN + 1];
};

struct gather {
	const struct schema *s;
	struct entry *e;
	size_t n, cap;
};

static int gather_fn(void *ctx, const struct record *r)
{
	struct gather *g = ctx;
	const struct form *f = schema_form(g->s, r->form);
	const char *d;
	int rc;

	if (!f)
		return KP_OK;       /* no sheet for a form the set lacks */
	if ((rc = array_grow(&g->e, sizeof *g->e, &g->cap, g->n)))
		return rc;
	g->e[g->n].form = (unsigned)(f - g->s->forms);
	d = record_get(r, f->date->name);
	snprintf(g->e[g->n].date, sizeof g->e[g->n].date, "%s", d ? d : "");
	memcpy(g->e[g->n].id, r->id, sizeof g->e[g->n].id);
	g->n++;
	return KP_OK;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (x->form != y->form)
		return x->form < y->form ? -1 : 1;
	if ((c = strcmp(x->date, y->date)))
		return c;
	return strcmp(x->id, y->id);     /* ids grow with time: entry order */
}

/* ---- a form's sheet ----------------------------------------------------- */

struct lctx {
	struct xbook b;
	struct ledger *lg;
	const struct ledger_query *q;
	bool city;              /* a column for the township */
	const char *who;
	char when[32];
	char files[4096];       /* attachments_of's text */
};

/* The bookkeeping columns after the fields. */
enum { TAIL_FILES, TAIL_CREATED_BY, TAIL_CREATED_AT, TAIL_CHANGED_BY,
       TAIL_CHANGED_AT, TAIL_REV, TAIL_DELETED, TAIL_N };

static const char *tail_head(int k)
{
	switch (k) {
	case TAIL_FILES:      return L("附件", "Attachments");
	case TAIL_CREATED_BY: return L("录入人", "Entered by");
	case TAIL_CREATED_AT: return L("录入时间", "Entered at");
	case TAIL_CHANGED_BY: return L("最后修改人", "Changed by");
	case TAIL_CHANGED_AT: return L("最后修改时间", "Changed at");
	case TAIL_REV:        return L("修订号", "Revision");
	default:              return L("已删除", "Deleted");
	}
}

/* The width of a field's column, in characters: narrow enough that a
 * form's every column fits a landscape page at a size one reads; the
 * heading wraps over it, longer text wraps inside it. */
static double field_width(const struct field *fd)
{
	double c;
	size_t i;

	switch (fd->type) {
	case FT_DATE:
		return 11;
	case FT_INTEGER:
	case FT_DECIMAL:
		return 7;
	case FT_CHOICE:
		for (c = 6, i = 0; i < fd->nchoices; i++)
			if (xtext_width(choice_label(&fd->choices[i])) + 1 > c)
				c = xtext_width(choice_label(&fd->choices[i])) + 1;
		return c > 16 ? 16 : c;
	default:
		c = (fd->width ? fd->width : 200) / 2.0 + 1;
		return c > 20 ? 20 : c < 8 ? 8 : c;
	}
}

/* The names of the files attached to r, one a line, for the 附件 column
 * (NULL: none).  The text lives in x until the next call. */
static const char *attachments_of(struct lctx *x, const struct record *r)
{
	size_t i, at = 0, n;

	if (r->natt == 0)
		return NULL;
	for (i = 0; i < r->natt; i++) {
		n = strlen(r->att[i].name);
		if (at + n + 2 > sizeof x->files)
			break;
		if (at)
			x->files[at++] = '\n';
		memcpy(x->files + at, r->att[i].name, n);
		at += n;
	}
	x->files[at] = '\0';
	return x->files;
}

/* A whole number or decimal as typed, as a number cell when it is one. */
static void put_number(struct xbook *b, lxw_worksheet *ws, int y, int c,
                       const char *v)
{
	char *end;
	double d;

	if (v && *v) {
		d = strtod(v, &end);
		if (!*end && end != v) {
			xput_num(b, ws, y, c, d, b->f.num);
			return;
		}
	}
	xput_text(b, ws, y, c, v, b->f.text);
}

static void put_field(struct xbook *b, lxw_worksheet *ws, int y, int c,
                      const struct field *fd, const char *v)
{
	const struct choice *ch;

	switch (fd->type) {
	case FT_DATE:
		xput_date(b, ws, y, c, v, b->f.date);
		break;
	case FT_INTEGER:
	case FT_DECIMAL:
		put_number(b, ws, y, c, v);
		break;
	case FT_CHOICE:
		ch = v ? field_choice(fd, v) : NULL;
		xput_text(b, ws, y, c, ch ? choice_label(ch) : v, b->f.wrap);
		break;
	default:
		xput_text(b, ws, y, c, v, b->f.wrap);
		break;
	}
}

/* What a field shows, for the row's height: a choice's label. */
static const char *shown(const struct field *fd, const char *v)
{
	const struct choice *ch = fd->type == FT_CHOICE && v ? field_choice(fd, v) : NULL;

	return ch ? choice_label(ch) : v;
}

/* The row's height: its tallest wrapped cell (the id takes two lines). */
static void row_height(struct lctx *x, lxw_worksheet *ws, int y,
                       const struct form *f, const struct record *r,
                       const double *width)
{
	int lines = xtext_lines(r->id, width[1]), k, c = 2 + x->city;
	size_t i;

	for (i = 0; i < f->nfields; i++, c++) {
		if (f->fields[i].type != FT_TEXT && f->fields[i].type != FT_CHOICE)
			continue;
		k = xtext_lines(shown(&f->fields[i], record_get(r, f->fields[i].name)),
		                width[c]);
		if (k > lines)
			lines = k;
	}
	worksheet_set_row(ws, (lxw_row_t)y, xrow_height(lines), NULL);
}

static void record_row(struct lctx *x, lxw_worksheet *ws, int y, size_t k,
                       const struct form *f, const struct record *r,
                       const double *width)
{
	struct xbook *b = &x->b;
	const struct township *t = schema_township(x->lg->schema, r->township);
	size_t i;
	int c = 0;

	row_height(x, ws, y, f, r, width);
	xput_num(b, ws, y, c++, (double)(k + 1), b->f.num);
	xput_text(b, ws, y, c++, r->id, b->f.wrap);
	if (x->city)
		xput_text(b, ws, y, c++, t ? township_label(t) : r->township, b->f.wrap);
	for (i = 0; i < f->nfields; i++)
		put_field(b, ws, y, c++, &f->fields[i], record_get(r, f->fields[i].name));
	xput_text(b, ws, y, c++, attachments_of(x, r), b->f.text);
	xput_text(b, ws, y, c++, r->created_by, b->f.text);
	xput_time(b, ws, y, c++, r->created_at);
	xput_text(b, ws, y, c++, r->changed_by, b->f.text);
	xput_time(b, ws, y, c++, r->changed_at);
	xput_num(b, ws, y, c++, r->rev, b->f.num);
	if (x->q->include_deleted)
		xput_text(b, ws, y, c, r->deleted ? L("是", "yes") : NULL,
		          r->deleted ? b->f.bad : b->f.text);
}

static int form_sheet(struct lctx *x, const struct form *f,
                      const struct entry *e, size_t n)
{
	const char **head;
	double *width;
	struct record r;
	char title[256], sub[256];
	int ncols = 2 + x->city + (int)f->nfields + TAIL_N
	            - (x->q->include_deleted ? 0 : 1);
	lxw_worksheet *ws;
	size_t i;
	int c = 0, k, rc = KP_OK;

	if (!(ws = xbook_sheet(&x->b, form_label(f))))
		return KP_OK;
	head = calloc((size_t)ncols, sizeof *head);
	width = calloc((size_t)ncols, sizeof *width);
	if (!head || !width) {
		free(head);
		free(width);
		return kp_err_nomem();
	}
	head[c] = L("序号", "No."); width[c++] = 5;
	head[c] = L("编号", "Id"); width[c++] = 14;     /* 26 characters: two lines */
	if (x->city) {
		head[c] = L("镇（街道）", "Township");
		width[c++] = 10;
	}
	for (i = 0; i < f->nfields; i++) {
		head[c] = field_label(&f->fields[i]);
		width[c++] = field_width(&f->fields[i]);
	}
	for (k = 0; c < ncols; k++) {
		head[c] = tail_head(k);
		width[c++] = k == TAIL_CREATED_AT || k == TAIL_CHANGED_AT ? 18
		             : k == TAIL_FILES ? 10 : k == TAIL_REV ? 5 : 8;
	}
	snprintf(title, sizeof title, LF("%s科普工作台账：%s", "%s ledger: %s"), x->who,
	         form_label(f));
	snprintf(sub, sizeof sub, LF("%s　　共 %zu 条　　表单第 %u 版", "%s    %zu records    forms version %u"),
	         x->when, n, x->lg->schema->version);
	xsheet_title(&x->b, ws, ncols, title, sub);
	xsheet_head(&x->b, ws, 2, ncols, head, width);
	record_init(&r);
	for (i = 0; i < n && rc == KP_OK; i++) {
		if ((rc = ledger_get(x->lg, e[i].id, &r)) == KP_OK)
			record_row(x, ws, 3 + (int)i, i, f, &r, width);
	}
	record_free(&r);
	xsheet_finish(&x->b, ws, 2, 2 + (int)n, ncols, x->who, form_label(f), x->when);
	free(head);
	free(width);
	return rc;
}

/* ---- the workbook --------------------------------------------------------- */

static void when_text(const struct ledger_query *q, char *buf, size_t n)
{
	if (q->month && *q->month)
		snprintf(buf, n, "%s", q->month);
	else if (q->year)
		snprintf(buf, n, LF("%d 年", "%d"), q->year);
	else
		snprintf(buf, n, "%s", L("全部年度", "every year"));
}

/* A sheet per form with records; the form asked for has one, records or
 * not; and a workbook needs a sheet: with nothing at all, the first
 * form's, empty. */
static int sheets(struct lctx *x, struct gather *g)
{
	const struct schema *s = x->lg->schema;
	size_t i = 0, j, f, made = 0;
	int rc = KP_OK;

	for (f = 0; f < s->nforms && rc == KP_OK; f++) {
		for (j = i; j < g->n && g->e[j].form == f; j++)
			;
		if (j > i || (x->q->form && !strcmp(x->q->form, s->forms[f].id))) {
			rc = form_sheet(x, &s->forms[f], g->e + i, j - i);
			made++;
		}
		i = j;
	}
	if (rc == KP_OK && !made && s->nforms)
		rc = form_sheet(x, &s->forms[0], NULL, 0);
	return rc;
}

int xlsx_list_write(struct ledger *lg, const struct ledger_query *q,
                    const struct xlsx_opts *o)
{
	const struct township *t = schema_township(lg->schema, lg->township);
	struct ledger_query all = *q;
	struct gather g = { lg->schema, NULL, 0, 0 };
	struct lctx x;
	int rc;

	memset(&x, 0, sizeof x);
	x.lg = lg;
	x.q = q;
	x.city = lg->mode == LEDGER_CITY_MODE;
	x.who = x.city || !t ? L("晋江市", "Jinjiang") : township_label(t);
	when_text(q, x.when, sizeof x.when);
	all.limit = 0;
	all.after_id = NULL;
	if ((rc = ledger_list(lg, &all, gather_fn, &g)) != KP_OK && rc != KP_NOTFOUND) {
		free(g.e);
		return rc;
	}
	if (g.n > 1)
		qsort(g.e, g.n, sizeof *g.e, entry_cmp);
	if ((rc = xbook_open(&x.b, o, true)) == KP_OK) {
		rc = sheets(&x, &g);
		if (rc == KP_OK)
			rc = xbook_close(&x.b);
		else
			xbook_discard(&x.b);
	}
	free(g.e);
	return rc;
}
