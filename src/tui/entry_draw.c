/* entry_draw.c - the entry screen's layout and paint.
 *
 * One form field per row: a keep mark (=), the label, the field in
 * brackets, and the mark of the field's finding.  A long text takes as
 * many rows as its limit needs, in a box no wider than it must be, so what
 * is shown, what can be typed (edit.h) and what is stored agree.  Values
 * are painted from the record, the field being typed from the editor;
 * nothing is read back from the screen.  Only relevant fields are laid
 * out; a form taller than the window is split into pages.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "text.h"
#include "draw.h"
#include "entry.h"

const char *entry_display(const struct field *fld, const char *value)
{
	const struct choice *c;

	if (!value)
		return "";
	if (fld->type == FT_CHOICE && (c = field_choice(fld, value)))
		return choice_label(c);
	return value;
}

#define LABEL_MAX 24
#define TEXT_DEFAULT 200        /* cells of a text field without a width */

int entry_limit(const struct field *fld)
{
	switch (fld->type) {
	case FT_DATE:
		return 12;
	case FT_INTEGER:
	case FT_DECIMAL:
		return 10;
	case FT_TEXT:
	default:
		return fld->width > 0 ? fld->width : TEXT_DEFAULT;
	}
}

/* The cells a field's box would take on one row (even: a CJK character
 * must never straddle the end of a row). */
static int box_width(const struct field *fld)
{
	int w = entry_limit(fld);
	size_t i;

	if (fld->type == FT_CHOICE) {
		w = 10;
		for (i = 0; i < fld->nchoices; i++)
			if ((int)text_width(choice_label(&fld->choices[i])) + 2 > w)
				w = (int)text_width(choice_label(&fld->choices[i])) + 2;
	}
	return (w + 1) & ~1;
}

int entry_visible(const struct entry *e, size_t fi)
{
	size_t i;

	for (i = 0; i < e->nff; i++)
		if (e->fidx[i] == fi)
			return (int)i;
	return -1;
}

int entry_page_of(const struct entry *e)
{
	int pos = entry_visible(e, e->cur);

	return pos < 0 ? 0 : e->place[pos].page;
}

/* The box of a field: a choice shows its label on one row (cut if need
 * be); a text as many rows as its limit (or a longer stored value) needs
 * at most maxw wide, each row no wider than that needs. */
static void box_of(const struct entry *e, const struct field *fld, int maxw,
                   struct entry_place *pl)
{
	const char *v = record_get(&e->rec, fld->name);
	int cells = entry_limit(fld), vw = v ? (int)text_width(v) : 0, w;

	if (vw > cells)
		cells = vw;
	w = box_width(fld);
	if (vw > w)
		w = (vw + 1) & ~1;
	pl->w = w < maxw ? w : maxw;
	pl->h = 1;
	if (fld->type == FT_CHOICE || pl->w >= cells)
		return;
	pl->h = edit_rows_for(cells, pl->w);
	/* The narrowest even box of that many rows that holds the limit. */
	for (w = 2; w < pl->w && edit_rows_for(cells, w) > pl->h; w += 2)
		;
	pl->w = w;
	if (pl->h > e->rows)
		pl->h = e->rows;
}

static void place_next(const struct entry *e, const struct field *fld,
                       int maxw, int *row, int *page, struct entry_place *pl)
{
	box_of(e, fld, maxw, pl);
	if (*row > 0 && *row + pl->h > e->rows) {
		*row = 0;
		(*page)++;
	}
	pl->y = *row;
	pl->page = *page;
	*row += pl->h;
	if (*row >= e->rows) {
		*row = 0;
		(*page)++;
	}
}

void entry_layout_free(struct entry *e)
{
	free(e->fidx);
	free(e->place);
	e->fidx = NULL;
	e->place = NULL;
	e->nff = 0;
	e->npages = 0;
	e->stale = true;
}

int entry_layout(struct entry *e)
{
	size_t i, n = e->form->nfields;
	int maxw, row = 0, page = 0, pos;

	entry_layout_free(e);
	e->fidx = calloc(n + 1, sizeof *e->fidx);
	e->place = calloc(n + 1, sizeof *e->place);
	if (!e->fidx || !e->place) {
		entry_layout_free(e);
		return kp_err_nomem();
	}
	e->labelw = 4;
	for (i = 0; i < n; i++) {
		int w = (int)text_width(field_label(&e->form->fields[i])) + 1;

		if (w > e->labelw)
			e->labelw = w;
	}
	if (e->labelw > LABEL_MAX)
		e->labelw = LABEL_MAX;
	e->fieldx = 2 + e->labelw + 2;
	maxw = (COLS - e->fieldx - 5) & ~1;
	e->rows = BODY_BOTTOM - (BODY_TOP + 1);
	for (i = 0; i < n; i++) {
		const struct field *fld = &e->form->fields[i];

		if (!check_field_relevant(fld, &e->rec))
			continue;
		place_next(e, fld, maxw, &row, &page, &e->place[e->nff]);
		e->fidx[e->nff++] = i;
	}
	e->npages = e->nff ? e->place[e->nff - 1].page + 1 : 0;
	pos = entry_visible(e, e->cur);
	for (i = e->cur; pos < 0 && i < n; i++)
		pos = entry_visible(e, i);
	if (pos < 0)
		pos = 0;
	if (e->nff)
		e->cur = e->fidx[pos];
	e->stale = false;
	return KP_OK;
}

static bool on_page(const struct entry *e, int pos)
{
	return e->place[pos].page == entry_page_of(e);
}

static enum draw_style sev_style(int sev)
{
	return sev == SEV_ERROR ? ST_ERROR : sev == SEV_WARNING ? ST_WARN :
	       ST_NORMAL;
}

/* The finding's mark beside the field: the message when it fits whole,
 * else only the mark (the note row says it in full). */
static void paint_mark(const struct entry *e, size_t fi, int y, int x)
{
	char mark[600];

	move(y, x);
	clrtoeol();
	if (e->sev[fi] < 0)
		return;
	snprintf(mark, sizeof mark, "%s%s", e->sev[fi] == SEV_ERROR ? "!" : "?",
	         e->note[fi] ? e->note[fi] : "");
	if ((int)text_width(mark) > COLS - x - 1)
		mark[1] = '\0';
	draw_put(y, x, mark, COLS - x - 1, sev_style(e->sev[fi]));
}

void entry_paint_field(const struct entry *e, int pos)
{
	size_t fi = e->fidx[pos];
	const struct field *fld = &e->form->fields[fi];
	const struct entry_place *pl = &e->place[pos];
	int y = BODY_TOP + 1 + pl->y, used, r;
	enum draw_style st = fi == e->cur ? ST_HEAD : ST_NORMAL;

	if (!on_page(e, pos))
		return;
	mvaddch(y, 0, e->keep[fi] ? '=' : ' ');
	/* A long label is cut, never the '*' that says the field is required. */
	used = draw_put(y, 2, field_label(fld), e->labelw - (fld->required ? 1 : 0), st);
	if (fld->required)
		used += draw_put(y, 2 + used, "*", 1, st);
	if (used < e->labelw)
		mvhline(y, 2 + used, ' ', e->labelw - used);
	for (r = 0; r < pl->h; r++) {
		mvaddch(y + r, e->fieldx - 1, '[');
		mvaddch(y + r, e->fieldx + pl->w, ']');
		if (r > 0) {
			move(y + r, e->fieldx + pl->w + 1);
			clrtoeol();
		}
	}
	if (fi == e->cur && e->typing)
		edit_draw(&e->ed, y, e->fieldx, pl->h, pl->w);
	else
		edit_draw_text(entry_display(fld, record_get(&e->rec, fld->name)),
		               y, e->fieldx, pl->h, pl->w, ST_NORMAL);
	paint_mark(e, fi, y, e->fieldx + pl->w + 2);
}

/* The rows under the last field of the page, down to the note row. */
static int free_above_note(const struct entry *e)
{
	int page = entry_page_of(e), last = -1;
	size_t i;

	for (i = 0; i < e->nff; i++)
		if (e->place[i].page == page)
			last = e->place[i].y + e->place[i].h - 1;
	return e->rows - 1 - last;
}

/* Under the form: the finding of the field just left (e->told), else the
 * current field's finding in full, else its hint and how much it holds;
 * wrapped into the free rows above when long. */
void entry_paint_note(const struct entry *e)
{
	size_t fi = e->told >= 0 && e->sev[e->told] >= 0 ? (size_t)e->told : e->cur;
	const struct field *fld = &e->form->fields[fi];
	char buf[800];
	int top = BODY_BOTTOM - free_above_note(e), rows, lim = entry_limit(fld);

	if (top < BODY_BOTTOM - 2)
		top = BODY_BOTTOM - 2;
	if (e->sev[fi] >= 0)
		snprintf(buf, sizeof buf, "%s %s: %s",
		         e->sev[fi] == SEV_ERROR ? "!" : "?", field_label(fld),
		         e->note[fi] ? e->note[fi] : "");
	else if (fld->type == FT_TEXT)
		snprintf(buf, sizeof buf, LF("  %s（最多 %d 格，一个汉字占 2 格）",
		                             "  %s (at most %d cells; a Chinese "
		                             "character takes 2)"),
		         L(fld->hint_zh, fld->hint_en), lim);
	else
		snprintf(buf, sizeof buf, "  %s", L(fld->hint_zh, fld->hint_en));
	rows = draw_put_wrapped(-1, 0, 0, 0, buf, COLS, 2, ST_NORMAL);
	if (rows > BODY_BOTTOM - top + 1)
		rows = BODY_BOTTOM - top + 1;
	for (; top <= BODY_BOTTOM - rows; top++) {
		move(top, 0);
		clrtoeol();
	}
	draw_put_wrapped(BODY_BOTTOM - rows + 1, BODY_BOTTOM - rows + 1,
	                 BODY_BOTTOM, 0, buf, COLS, 2, sev_style(e->sev[fi]));
}

static void paint_heading(const struct entry *e)
{
	char buf[300], page[32] = "", sheet[48] = "";

	if (e->npages > 1)
		snprintf(page, sizeof page, "  %d/%d", entry_page_of(e) + 1, e->npages);
	if (e->nbatch > 0)
		snprintf(sheet, sizeof sheet, LF("  第 %zu 张", "  sheet %zu"),
		         e->nbatch + 1);
	if (e->editing)
		snprintf(buf, sizeof buf, LF("修改%s  %s  第 %u 版%s%s", "Edit %s  %s  rev %u%s%s"),
		         form_label(e->form), e->id, e->base_rev,
		         e->from_draft ? L("（草稿）", " (draft)") : "", page);
	else
		snprintf(buf, sizeof buf, LF("新建%s%s%s%s", "New %s%s%s%s"),
		         form_label(e->form), e->from_draft ? L("（草稿）", " (draft)") : "",
		         sheet, page);
	draw_put_pad(BODY_TOP, 1, buf, COLS - 2, ST_HEAD);
}

void entry_paint(struct tui *t, struct entry *e)
{
	size_t i;

	(void)t;
	draw_clear_body();
	if (e->nff == 0)
		return;
	paint_heading(e);
	for (i = 0; i < e->nff; i++)
		entry_paint_field(e, (int)i);
	entry_paint_note(e);
}

void entry_place_cursor(const struct entry *e)
{
	int pos = entry_visible(e, e->cur);
	const struct entry_place *pl;

	if (pos < 0)
		return;
	pl = &e->place[pos];
	if (e->typing)
		edit_cursor(&e->ed, BODY_TOP + 1 + pl->y, e->fieldx, pl->h, pl->w);
	else
		move(BODY_TOP + 1 + pl->y, e->fieldx);
}
