/* entry.c - the entry screen, generated from a form file.
 *
 * One form field per row: label, the field (ncurses form library), and a
 * mark with the finding of the field's check.  Only relevant fields are in
 * the form: when a value changes what applies (category rural_tech asks
 * for farmers), the form is built again from the values kept in e->rec.
 * Chinese needs get_wch + form_driver_w, static fields (a scrolled CJK
 * field returned ^@ bytes) and even widths (a CJK character must never
 * straddle the field's end).
 */
#include "config.h"

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
#include "entry.h"

#define LABEL_MAX 24

const char *entry_display(const struct field *fld, const char *value)
{
	const struct choice *c;

	if (!value)
		return "";
	if (fld->type == FT_CHOICE && (c = field_choice(fld, value)))
		return choice_label(c);
	return value;
}

static size_t fld_index(const struct entry *e, const struct field *fld)
{
	return (size_t)(fld - e->form->fields);
}

static int visible_pos(const struct entry *e, size_t fi)
{
	size_t i;

	for (i = 0; i < e->nff; i++)
		if (e->fidx[i] == fi)
			return (int)i;
	return -1;
}

/* The cells a field's value may take (even: a CJK character must never
 * straddle the end of a row). */
static int field_width(const struct field *fld)
{
	int w;
	size_t i;

	switch (fld->type) {
	case FT_DATE:
		w = 12;
		break;
	case FT_INTEGER:
	case FT_DECIMAL:
		w = 10;
		break;
	case FT_CHOICE:
		w = 10;
		for (i = 0; i < fld->nchoices; i++)
			if ((int)text_width(choice_label(&fld->choices[i])) + 2 > w)
				w = (int)text_width(choice_label(&fld->choices[i])) + 2;
		break;
	case FT_TEXT:
	default:
		w = fld->width > 0 ? fld->width : 200;
		break;
	}
	return (w + 1) & ~1;
}

static void entry_teardown(struct entry *e)
{
	size_t i;

	if (e->fm) {
		unpost_form(e->fm);
		free_form(e->fm);
		e->fm = NULL;
	}
	for (i = 0; e->ff && i < e->nff; i++)
		free_field(e->ff[i]);
	free(e->ff);
	free(e->fidx);
	free(e->place);
	e->ff = NULL;
	e->fidx = NULL;
	e->place = NULL;
	e->nff = 0;
	if (e->sub) {
		delwin(e->sub);
		e->sub = NULL;
	}
	e->stale = true;
}

static FIELD *make_field(struct entry *e, const struct field *fld,
                         const struct entry_place *pl, bool newpage)
{
	FIELD *f = new_field(pl->h, pl->w, pl->y, e->fieldx, 0, 0);

	if (!f)
		return NULL;
	/* No word wrap: it pads the row it leaves with spaces, which would
	 * end up inside the value. */
	field_opts_off(f, O_AUTOSKIP | O_BLANK | O_WRAP);
	field_opts_on(f, O_STATIC);
	if (fld->type == FT_CHOICE)
		field_opts_off(f, O_EDIT);
	/* No attribute on the field: an underlined cell costs ~14 bytes of
	 * attribute changes per typed character; brackets cost nothing. */
	set_field_back(f, A_NORMAL);
	draw_field_set(f, entry_display(fld, record_get(&e->rec, fld->name)));
	if (newpage)
		set_new_page(f, TRUE);
	return f;
}

/* Where the next field goes: a text longer than a row takes as many rows
 * as its width needs, so a value is never cut to fit the screen. */
static void place_next(const struct entry *e, const struct field *fld,
                       int maxw, int *row, int *page, struct entry_place *pl)
{
	int w = field_width(fld);

	pl->w = w < maxw ? w : maxw;
	/* A choice shows a label and stores a code: one row, cut if need be. */
	pl->h = fld->type == FT_CHOICE ? 1 : (w + pl->w - 1) / pl->w;
	if (pl->h > e->rows)
		pl->h = e->rows;
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

static int entry_layout(struct entry *e)
{
	size_t i, n = e->form->nfields;
	int maxw, row = 0, page = 0;

	e->ff = calloc(n + 1, sizeof *e->ff);
	e->fidx = calloc(n + 1, sizeof *e->fidx);
	e->place = calloc(n + 1, sizeof *e->place);
	if (!e->ff || !e->fidx || !e->place)
		return kp_err_nomem();
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
		e->ff[e->nff] = make_field(e, fld, &e->place[e->nff],
		                         e->nff > 0 && e->place[e->nff].y == 0);
		if (!e->ff[e->nff])
			return kp_err_nomem();
		e->fidx[e->nff++] = i;
	}
	e->npages = e->nff ? e->place[e->nff - 1].page + 1 : 0;
	return KP_OK;
}

/* Build and post the form from e->rec; the cursor goes to e->cur (or the
 * next field shown). */
void entry_rebuild(struct tui *t, struct entry *e)
{
	size_t i;
	int pos;

	entry_teardown(e);
	if (t->small)
		return;
	if (entry_layout(e) != KP_OK || e->nff == 0)
		goto fail;
	e->fm = new_form(e->ff);
	e->sub = derwin(stdscr, e->rows, COLS, BODY_TOP + 1, 0);
	if (!e->fm || !e->sub)
		goto fail;
	/* Backspace at the start of a field must not move to the previous
	 * one: the form would edit a field other than e->cur. */
	set_form_opts(e->fm, form_opts(e->fm) & ~(O_BS_OVERLOAD | O_NL_OVERLOAD));
	set_form_win(e->fm, stdscr);
	set_form_sub(e->fm, e->sub);
	if (post_form(e->fm) != E_OK)
		goto fail;
	e->stale = false;
	e->touched = false;
	pos = visible_pos(e, e->cur);
	for (i = e->cur; pos < 0 && i < e->form->nfields; i++)
		pos = visible_pos(e, i);
	if (pos < 0)
		pos = 0;
	e->cur = e->fidx[pos];
	set_current_field(e->fm, e->ff[pos]);
	return;
fail:
	screen_msg(t, MSG_ERROR, "%s", L("无法排出表单（窗口太小？）",
	                                 "Cannot lay out the form (window too small?)"));
	entry_teardown(e);
}

void entry_clear_notes(struct entry *e)
{
	size_t i;

	for (i = 0; e->form && i < e->form->nfields; i++) {
		e->sev[i] = -1;
		free(e->note[i]);
		e->note[i] = NULL;
	}
}

static void note_set(struct entry *e, size_t fi, const struct finding *f)
{
	if (e->sev[fi] == SEV_ERROR && f->sev != SEV_ERROR)
		return;
	if (e->sev[fi] == (int)f->sev)
		return;     /* keep the first of a kind */
	e->sev[fi] = (int)f->sev;
	free(e->note[fi]);
	e->note[fi] = xstrdup(finding_msg(f));
}

void entry_set_notes(struct entry *e, const struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		const struct field *fld = form_field(e->form, res->findings[i].field);

		if (fld)
			note_set(e, fld_index(e, fld), &res->findings[i]);
	}
}

/* The row under the form: the current field's finding, else its hint. */
static void draw_note(const struct entry *e)
{
	const struct field *fld = &e->form->fields[e->cur];
	char buf[600];

	if (e->sev[e->cur] >= 0)
		snprintf(buf, sizeof buf, "%s %s: %s",
		         e->sev[e->cur] == SEV_ERROR ? "!" : "?", field_label(fld),
		         e->note[e->cur]);
	else
		snprintf(buf, sizeof buf, "  %s", L(fld->hint_zh, fld->hint_en));
	draw_put_pad(BODY_BOTTOM, 0, buf, COLS,
	             e->sev[e->cur] == SEV_ERROR ? ST_ERROR :
	             e->sev[e->cur] == SEV_WARNING ? ST_WARN : ST_NORMAL);
}

static bool on_page(const struct entry *e, int pos)
{
	return e->fm && e->place[pos].page == form_page(e->fm);
}

/* Label and mark of visible field pos. */
static void draw_label(const struct entry *e, int pos)
{
	size_t fi = e->fidx[pos];
	const struct field *fld = &e->form->fields[fi];
	const struct entry_place *pl = &e->place[pos];
	int y = BODY_TOP + 1 + pl->y, x, used, r;
	enum draw_style st = fi == e->cur ? ST_HEAD : ST_NORMAL;

	if (!on_page(e, pos))
		return;
	/* A long label is cut, never the '*' that says the field is required. */
	used = draw_put(y, 2, field_label(fld), e->labelw - (fld->required ? 1 : 0), st);
	if (fld->required)
		used += draw_put(y, 2 + used, "*", 1, st);
	if (used < e->labelw)
		mvhline(y, 2 + used, ' ', e->labelw - used);
	for (r = 0; r < pl->h; r++) {
		mvaddch(y + r, e->fieldx - 1, '[');
		mvaddch(y + r, e->fieldx + pl->w, ']');
	}
	x = e->fieldx + pl->w + 2;
	if (e->sev[fi] >= 0) {
		char mark[600];

		snprintf(mark, sizeof mark, "%s%s", e->sev[fi] == SEV_ERROR ? "!" : "?",
		         e->note[fi] ? e->note[fi] : "");
		draw_put_pad(y, x, mark, COLS - x, e->sev[fi] == SEV_ERROR ? ST_ERROR :
		             ST_WARN);
	} else {
		move(y, x);
		clrtoeol();
	}
}

static void draw_heading(const struct entry *e)
{
	char buf[300], page[32] = "";

	if (e->fm && e->npages > 1)
		snprintf(page, sizeof page, "  %d/%d", form_page(e->fm) + 1, e->npages);
	if (e->editing)
		snprintf(buf, sizeof buf, LF("修改%s  %s  第 %u 版%s%s", "Edit %s  %s  rev %u%s%s"),
		         form_label(e->form), e->id, e->base_rev,
		         e->from_draft ? L("（草稿）", " (draft)") : "", page);
	else
		snprintf(buf, sizeof buf, LF("新建%s%s%s", "New %s%s%s"), form_label(e->form),
		         e->from_draft ? L("（草稿）", " (draft)") : "", page);
	draw_put_pad(BODY_TOP, 1, buf, COLS - 2, ST_HEAD);
}

/* Posting puts the cursor at the start of the field: typing after a
 * resize or a restored draft goes on at the end.  REQ_END_FIELD counts
 * a CJK character as one cell, so step over the characters instead. */
static void cursor_to_end(struct entry *e)
{
	int pos = visible_pos(e, e->cur);
	char *v, *term;
	size_t n;

	if (pos < 0 || e->form->fields[e->cur].type == FT_CHOICE)
		return;
	v = draw_field_get(e->fm, e->ff[pos]);
	term = v ? draw_to_term(v) : NULL;
	n = term ? mbstowcs(NULL, term, 0) : 0;
	free(v);
	free(term);
	form_driver_w(e->fm, KEY_CODE_YES, REQ_BEG_FIELD);
	while (n != (size_t)-1 && n-- > 0)
		form_driver_w(e->fm, KEY_CODE_YES, REQ_NEXT_CHAR);
}

/* Typing wide characters into a field of several rows can leave a NUL
 * cell in its buffer, which posting shows as "^@": write each such
 * buffer back from the value it holds. */
static void clean_buffers(struct entry *e)
{
	size_t i;

	for (i = 0; i < e->nff; i++) {
		int rows = 1, cols, fr, fc, os, nb;
		char *v;

		field_info(e->ff[i], &rows, &cols, &fr, &fc, &os, &nb);
		if (rows < 2 || !(v = draw_field_get(NULL, e->ff[i])))
			continue;
		draw_field_set(e->ff[i], v);
		free(v);
	}
}

static void entry_draw(struct tui *t, void *st)
{
	struct entry *e = st;
	size_t i;

	/* What was typed in the current field is still only in its window:
	 * put it in the buffer before clearing the body blanks the window. */
	if (e->fm && !e->stale) {
		form_driver_w(e->fm, KEY_CODE_YES, REQ_VALIDATION);
		clean_buffers(e);
	}
	if (e->stale || !e->fm)
		entry_rebuild(t, e);
	draw_clear_body();
	if (!e->fm)
		return;
	/* Clearing the body blanked the fields too: post them again. */
	unpost_form(e->fm);
	post_form(e->fm);
	cursor_to_end(e);
	draw_heading(e);
	for (i = 0; i < e->nff; i++)
		draw_label(e, (int)i);
	draw_note(e);
}

static void entry_cursor(struct tui *t, void *st)
{
	const struct entry *e = st;

	(void)t;
	if (e->fm)
		pos_form_cursor(e->fm);
}

void entry_focus(struct tui *t, struct entry *e, size_t fi)
{
	size_t old = e->cur;
	int page, pos;

	if (e->stale || !e->fm) {
		e->cur = fi;
		t->pending |= RD_BODY;
		return;
	}
	pos = visible_pos(e, fi);
	if (pos < 0)
		return;
	page = form_page(e->fm);
	if (fi != e->cur)
		e->touched = false;
	e->cur = fi;
	set_current_field(e->fm, e->ff[pos]);
	if (form_page(e->fm) != page) {
		t->pending |= RD_BODY;
		return;
	}
	if (visible_pos(e, old) >= 0)
		draw_label(e, visible_pos(e, old));
	draw_label(e, pos);
	draw_note(e);
}

/* Whether the fields shown are still exactly the relevant ones; values of
 * fields that stopped applying are dropped (they would fail the save). */
static bool relevance_same(struct entry *e)
{
	size_t i;
	bool same = true;

	for (i = 0; i < e->form->nfields; i++) {
		const struct field *fld = &e->form->fields[i];
		bool rel = check_field_relevant(fld, &e->rec);

		if (rel != (visible_pos(e, i) >= 0))
			same = false;
		if (!rel)
			record_unset(&e->rec, fld->name);
	}
	return same;
}

static void check_one(struct tui *t, struct entry *e, size_t fi)
{
	const struct field *fld = &e->form->fields[fi];
	struct check_result res;
	const char *v;
	int pos = visible_pos(e, fi);

	check_result_init(&res);
	e->sev[fi] = -1;
	free(e->note[fi]);
	e->note[fi] = NULL;
	if (check_field(t->lg->schema, e->form, &e->rec, fld->name, &res) == KP_OK)
		entry_set_notes(e, &res);
	check_result_free(&res);
	/* Show the value as the check normalised it (2025/3/5 -> 2025-03-05). */
	v = record_get(&e->rec, fld->name);
	if (pos >= 0 && fld->type != FT_CHOICE && v) {
		char *shown = draw_field_get(e->fm, e->ff[pos]);

		if (shown && strcmp(shown, v) != 0)
			draw_field_set(e->ff[pos], v);
		free(shown);
	}
}

/* Read the current field's buffer into e->rec (no checks).  Only a field
 * the clerk edited is read back: the value kept in e->rec is the one to
 * trust, whatever the screen could show of it. */
static void sync_current(struct entry *e)
{
	const struct field *fld = &e->form->fields[e->cur];
	int pos = visible_pos(e, e->cur);
	const char *old;
	char *v;

	if (!e->fm || pos < 0 || fld->type == FT_CHOICE || !e->touched)
		return;
	e->touched = false;
	v = draw_field_get(e->fm, e->ff[pos]);
	if (!v)
		return;
	old = record_get(&e->rec, fld->name);
	if (strcmp(old ? old : "", v) != 0)
		e->dirty = true;
	if (*v)
		record_set(&e->rec, fld->name, v);
	else
		record_unset(&e->rec, fld->name);
	free(v);
}

int entry_leave_field(struct tui *t, struct entry *e)
{
	if (!e->fm)
		return RD_NONE;
	sync_current(e);
	check_one(t, e, e->cur);
	if (!relevance_same(e)) {
		entry_rebuild(t, e);
		return RD_BODY;
	}
	if (visible_pos(e, e->cur) >= 0)
		draw_label(e, visible_pos(e, e->cur));
	return RD_NONE;
}

static int entry_move(struct tui *t, struct entry *e, int dir)
{
	int rd = entry_leave_field(t, e), pos;

	if (!e->fm)
		return rd;
	pos = visible_pos(e, e->cur);
	if (pos < 0)
		pos = 0;
	pos = (pos + dir + (int)e->nff) % (int)e->nff;
	entry_focus(t, e, e->fidx[pos]);
	return rd;
}

/* PgDn / PgUp on a form split into pages: the first field of the next
 * (previous) page, after the field left is checked. */
static int entry_page(struct tui *t, struct entry *e, int dir)
{
	int rd = entry_leave_field(t, e), pos, page;
	size_t i;

	if (!e->fm || e->npages < 2)
		return rd;
	pos = visible_pos(e, e->cur);
	page = ((pos < 0 ? 0 : e->place[pos].page) + dir + e->npages) % e->npages;
	for (i = 0; i < e->nff; i++)
		if (e->place[i].page == page)
			break;
	if (i < e->nff)
		entry_focus(t, e, e->fidx[i]);
	return rd;
}

static int entry_choose(struct tui *t, struct entry *e, const char *typed)
{
	const struct field *fld = &e->form->fields[e->cur];
	const struct choice *now;
	int pick, pos = visible_pos(e, e->cur);

	if (fld->type == FT_DATE && pos >= 0) {
		char iso[11];

		draw_field_set(e->ff[pos], date_format(date_today(), iso));
		e->dirty = e->touched = true;
		return RD_NONE;
	}
	if (fld->type != FT_CHOICE)
		return RD_NONE;
	now = field_choice(fld, record_get(&e->rec, fld->name) ?
	                        record_get(&e->rec, fld->name) : "");
	pick = pick_choose(t, field_label(fld), fld->choices, fld->nchoices,
	                   now ? (int)(now - fld->choices) : -1, typed);
	t->pending |= RD_MSG | RD_BAR | RD_TITLE;
	if (pick < 0 || !e->fm)
		return RD_NONE;
	record_set(&e->rec, fld->name, fld->choices[pick].code);
	e->dirty = e->touched = true;
	draw_field_set(e->ff[pos], choice_label(&fld->choices[pick]));
	return entry_move(t, e, 1);
}

static int entry_cancel(struct tui *t, struct entry *e)
{
	sync_current(e);
	if (e->dirty && prompt_ask(t, L("放弃这张表上输入的内容？y 放弃  n 继续录入",
	                               "Throw away what was typed on this form? "
	                               "y discard  n go on"), "yn") != 'y') {
		t->msg[0] = '\0';
		return RD_MSG;
	}
	if (e->from_draft)
		ledger_draft_drop(t->lg);
	screen_msg(t, MSG_INFO, "%s", L("已取消，没有保存。", "Cancelled; nothing was saved."));
	screen_pop(t);
	return RD_NONE;
}

static int entry_edit_key(struct tui *t, struct entry *e, struct tkey k)
{
	const struct field *fld = &e->form->fields[e->cur];
	int req = -1;

	if (keys_printable(k)) {
		if (fld->type == FT_CHOICE) {
			char mb[8] = "";
			wchar_t w[2] = { (wchar_t)k.ch, L'\0' };
			char *utf;

			if (wcstombs(mb, w, sizeof mb) == (size_t)-1)
				mb[0] = '\0';
			utf = draw_from_term(mb);
			req = entry_choose(t, e, utf);
			free(utf);
			return req;
		}
		form_driver_w(e->fm, OK, k.ch);
		e->dirty = e->touched = true;
		return RD_NONE;
	}
	if (!k.fn) {
		switch (k.ch) {
		case CTRL_KEY('a'): req = REQ_BEG_FIELD; break;
		case CTRL_KEY('e'): cursor_to_end(e); return RD_NONE;
		case CTRL_KEY('k'): req = REQ_CLR_EOF; break;
		default: break;
		}
	} else {
		switch (k.ch) {
		case KEY_LEFT: req = REQ_PREV_CHAR; break;
		case KEY_RIGHT: req = REQ_NEXT_CHAR; break;
		case KEY_HOME: req = REQ_BEG_FIELD; break;
		case KEY_END: cursor_to_end(e); return RD_NONE;
		case KEY_BACKSPACE: req = REQ_DEL_PREV; break;
		case KEY_DC: req = REQ_DEL_CHAR; break;
		default: break;
		}
	}
	if (req < 0)
		return RD_NONE;
	if (fld->type == FT_CHOICE && (req == REQ_DEL_PREV || req == REQ_DEL_CHAR)) {
		record_unset(&e->rec, fld->name);
		draw_field_set(e->ff[visible_pos(e, e->cur)], "");
		e->dirty = e->touched = true;
		return RD_NONE;
	}
	form_driver_w(e->fm, KEY_CODE_YES, req);
	if (req == REQ_DEL_PREV || req == REQ_DEL_CHAR || req == REQ_CLR_EOF)
		e->dirty = e->touched = true;
	return RD_NONE;
}

static int entry_key(struct tui *t, void *st, struct tkey k, enum action act,
                     int arg)
{
	struct entry *e = st;

	(void)arg;
	if (!e->fm)
		return act == ACT_CANCEL ? entry_cancel(t, e) : RD_UNHANDLED;
	switch (act) {
	case ACT_NEXT_FIELD:
		return entry_move(t, e, 1);
	case ACT_PREV_FIELD:
		return entry_move(t, e, -1);
	case ACT_SAVE:
		return entry_save(t, e, false);
	case ACT_SAVE_NEW:
		return entry_save(t, e, true);
	case ACT_CHOOSE:
		return entry_choose(t, e, NULL);
	case ACT_CANCEL:
		return entry_cancel(t, e);
	case ACT_CLEAR_FIELD:
		/* A choice field cannot be edited, so REQ_CLR_FIELD would
		 * leave the old label shown: blank it by hand. */
		if (e->form->fields[e->cur].type == FT_CHOICE) {
			record_unset(&e->rec, e->form->fields[e->cur].name);
			draw_field_set(e->ff[visible_pos(e, e->cur)], "");
		} else {
			form_driver_w(e->fm, KEY_CODE_YES, REQ_CLR_FIELD);
		}
		e->dirty = e->touched = true;
		return RD_NONE;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		return entry_page(t, e, act == ACT_PAGE_DOWN ? 1 : -1);
	case ACT_NONE:
		return entry_edit_key(t, e, k);
	default:
		return RD_UNHANDLED;
	}
}

/* Where a restored draft goes on: the first required field still empty. */
static size_t first_missing(const struct entry *e)
{
	size_t i;

	for (i = 0; i < e->form->nfields; i++) {
		const struct field *fld = &e->form->fields[i];

		if (fld->required && !record_get(&e->rec, fld->name) &&
		    check_field_relevant(fld, &e->rec))
			return i;
	}
	return 0;
}

static void entry_enter(struct tui *t, void *st, const void *arg)
{
	struct entry *e = st;
	const struct entry_arg *a = arg;
	size_t i;

	e->form = a->form;
	record_init(&e->rec);
	if (a->rec)
		record_copy(&e->rec, a->rec);
	snprintf(e->rec.form, sizeof e->rec.form, "%s", e->form->id);
	e->editing = a->editing;
	e->from_draft = a->from_draft;
	e->dirty = a->from_draft;
	if (e->editing) {
		snprintf(e->id, sizeof e->id, "%s", e->rec.id);
		e->base_rev = e->rec.rev;
	}
	e->sev = calloc(e->form->nfields + 1, sizeof *e->sev);
	e->note = calloc(e->form->nfields + 1, sizeof *e->note);
	for (i = 0; e->sev && i < e->form->nfields; i++)
		e->sev[i] = -1;
	e->cur = a->from_draft ? first_missing(e) : 0;
	e->stale = true;
	(void)t;
}

static void entry_leave(struct tui *t, void *st)
{
	struct entry *e = st;

	(void)t;
	entry_teardown(e);
	if (e->form)
		entry_clear_notes(e);
	free(e->sev);
	free(e->note);
	record_free(&e->rec);
}

static void entry_resize(struct tui *t, void *st)
{
	struct entry *e = st;

	(void)t;
	/* Keep what was typed in the field under the cursor, then lay out
	 * again for the new size when the screen is drawn. */
	if (e->fm)
		sync_current(e);
	entry_teardown(e);
}

/* The link dropped: keep the half-filled form as this account's draft. */
static void entry_hangup(struct tui *t, void *st)
{
	struct entry *e = st;

	if (!e->form)
		return;
	if (e->fm)
		sync_current(e);
	if (e->dirty && e->rec.nfields > 0 && ledger_draft_put(t->lg, &e->rec) != KP_OK)
		snprintf(t->exit_msg, sizeof t->exit_msg,
		         LF("没能保存草稿，录入的内容丢失了：%s",
		            "the draft could not be kept; what was typed is lost: %s"),
		         kp_err_msg());
}

const struct screen_ops entry_ops = {
	.id = SCR_ENTRY,
	.title_zh = "录入",
	.title_en = "Entry",
	.text_input = true,
	.state_size = sizeof(struct entry),
	.enter = entry_enter,
	.leave = entry_leave,
	.draw = entry_draw,
	.key = entry_key,
	.resize = entry_resize,
	.hangup = entry_hangup,
	.cursor = entry_cursor,
};
