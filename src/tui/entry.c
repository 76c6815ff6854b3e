/* entry.c - the entry screen, generated from a form file.
 *
 * One form field per row: label, the field (ncurses form library), and a
 * mark with the finding of the field's check.  Only relevant fields are in
 * the form: when a value changes what applies (category rural_tech asks
 * for farmers), the form is built again from the values kept in E.rec.
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
#include "entry.h"

#define LABEL_MAX 24

struct entry E;

const char *entry_display(const struct field *fld, const char *value)
{
	const struct choice *c;

	if (!value)
		return "";
	if (fld->type == FT_CHOICE && (c = field_choice(fld, value)))
		return choice_label(c);
	return value;
}

static size_t fld_index(const struct field *fld)
{
	return (size_t)(fld - E.form->fields);
}

static int visible_pos(size_t fi)
{
	size_t i;

	for (i = 0; i < E.nff; i++)
		if (E.fidx[i] == fi)
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

static void entry_teardown(void)
{
	size_t i;

	if (E.fm) {
		unpost_form(E.fm);
		free_form(E.fm);
		E.fm = NULL;
	}
	for (i = 0; E.ff && i < E.nff; i++)
		free_field(E.ff[i]);
	free(E.ff);
	free(E.fidx);
	free(E.place);
	E.ff = NULL;
	E.fidx = NULL;
	E.place = NULL;
	E.nff = 0;
	if (E.sub) {
		delwin(E.sub);
		E.sub = NULL;
	}
	E.stale = true;
}

static FIELD *make_field(struct tui *t, const struct field *fld,
                         const struct entry_place *pl, bool newpage)
{
	FIELD *f = new_field(pl->h, pl->w, pl->y, E.fieldx, 0, 0);

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
	ui_field_set(t, f, entry_display(fld, record_get(&E.rec, fld->name)));
	if (newpage)
		set_new_page(f, TRUE);
	return f;
}

/* Where the next field goes: a text longer than a row takes as many rows
 * as its width needs, so a value is never cut to fit the screen. */
static void place_next(const struct field *fld, int maxw, int *row, int *page,
                       struct entry_place *pl)
{
	int w = field_width(fld);

	pl->w = w < maxw ? w : maxw;
	/* A choice shows a label and stores a code: one row, cut if need be. */
	pl->h = fld->type == FT_CHOICE ? 1 : (w + pl->w - 1) / pl->w;
	if (pl->h > E.rows)
		pl->h = E.rows;
	if (*row > 0 && *row + pl->h > E.rows) {
		*row = 0;
		(*page)++;
	}
	pl->y = *row;
	pl->page = *page;
	*row += pl->h;
	if (*row >= E.rows) {
		*row = 0;
		(*page)++;
	}
}

static int entry_layout(struct tui *t)
{
	size_t i, n = E.form->nfields;
	int maxw, row = 0, page = 0;

	E.ff = calloc(n + 1, sizeof *E.ff);
	E.fidx = calloc(n + 1, sizeof *E.fidx);
	E.place = calloc(n + 1, sizeof *E.place);
	if (!E.ff || !E.fidx || !E.place)
		return KP_E_NOMEM;
	E.labelw = 4;
	for (i = 0; i < n; i++) {
		int w = (int)text_width(field_label(&E.form->fields[i])) + 1;

		if (w > E.labelw)
			E.labelw = w;
	}
	if (E.labelw > LABEL_MAX)
		E.labelw = LABEL_MAX;
	E.fieldx = 2 + E.labelw + 2;
	maxw = (COLS - E.fieldx - 5) & ~1;
	E.rows = BODY_BOTTOM - (BODY_TOP + 1);
	for (i = 0; i < n; i++) {
		const struct field *fld = &E.form->fields[i];

		if (!check_field_relevant(fld, &E.rec))
			continue;
		place_next(fld, maxw, &row, &page, &E.place[E.nff]);
		E.ff[E.nff] = make_field(t, fld, &E.place[E.nff],
		                         E.nff > 0 && E.place[E.nff].y == 0);
		if (!E.ff[E.nff])
			return KP_E_NOMEM;
		E.fidx[E.nff++] = i;
	}
	E.npages = E.nff ? E.place[E.nff - 1].page + 1 : 0;
	return KP_OK;
}

/* Build and post the form from E.rec; the cursor goes to E.cur (or the
 * next field shown). */
static void entry_build(struct tui *t)
{
	size_t i;
	int pos;

	entry_teardown();
	if (t->small)
		return;
	if (entry_layout(t) != KP_OK || E.nff == 0)
		goto fail;
	E.fm = new_form(E.ff);
	E.sub = derwin(stdscr, E.rows, COLS, BODY_TOP + 1, 0);
	if (!E.fm || !E.sub)
		goto fail;
	/* Backspace at the start of a field must not move to the previous
	 * one: the form would edit a field other than E.cur. */
	set_form_opts(E.fm, form_opts(E.fm) & ~(O_BS_OVERLOAD | O_NL_OVERLOAD));
	set_form_win(E.fm, stdscr);
	set_form_sub(E.fm, E.sub);
	if (post_form(E.fm) != E_OK)
		goto fail;
	E.stale = false;
	E.touched = false;
	pos = visible_pos(E.cur);
	for (i = E.cur; pos < 0 && i < E.form->nfields; i++)
		pos = visible_pos(i);
	if (pos < 0)
		pos = 0;
	E.cur = E.fidx[pos];
	set_current_field(E.fm, E.ff[pos]);
	return;
fail:
	ui_msg(t, MSG_ERROR, "%s", L("无法排出表单（窗口太小？）",
	                             "Cannot lay out the form (window too small?)"));
	entry_teardown();
}

void entry_rebuild(struct tui *t)
{
	entry_build(t);
}

void entry_clear_notes(void)
{
	size_t i;

	for (i = 0; E.form && i < E.form->nfields; i++) {
		E.sev[i] = -1;
		free(E.note[i]);
		E.note[i] = NULL;
	}
}

static void note_set(size_t fi, const struct finding *f)
{
	if (E.sev[fi] == SEV_ERROR && f->sev != SEV_ERROR)
		return;
	if (E.sev[fi] == (int)f->sev)
		return;     /* keep the first of a kind */
	E.sev[fi] = (int)f->sev;
	free(E.note[fi]);
	E.note[fi] = xstrdup(finding_msg(f));
}

void entry_set_notes(const struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		const struct field *fld = form_field(E.form, res->findings[i].field);

		if (fld)
			note_set(fld_index(fld), &res->findings[i]);
	}
}

/* The row under the form: the current field's finding, else its hint. */
static void draw_note(struct tui *t)
{
	const struct field *fld = &E.form->fields[E.cur];
	char buf[600];

	(void)t;
	if (E.sev[E.cur] >= 0)
		snprintf(buf, sizeof buf, "%s %s: %s",
		         E.sev[E.cur] == SEV_ERROR ? "!" : "?", field_label(fld),
		         E.note[E.cur]);
	else
		snprintf(buf, sizeof buf, "  %s", L(fld->hint_zh, fld->hint_en));
	ui_put_pad(BODY_BOTTOM, 0, buf, COLS,
	           E.sev[E.cur] == SEV_ERROR ? ST_ERROR :
	           E.sev[E.cur] == SEV_WARNING ? ST_WARN : ST_NORMAL);
}

static bool on_page(int pos)
{
	return E.fm && E.place[pos].page == form_page(E.fm);
}

/* Label and mark of visible field pos. */
static void draw_label(int pos)
{
	size_t fi = E.fidx[pos];
	const struct field *fld = &E.form->fields[fi];
	const struct entry_place *pl = &E.place[pos];
	int y = BODY_TOP + 1 + pl->y, x, used, r;
	enum ui_style st = fi == E.cur ? ST_HEAD : ST_NORMAL;

	if (!on_page(pos))
		return;
	/* A long label is cut, never the '*' that says the field is required. */
	used = ui_put(y, 2, field_label(fld), E.labelw - (fld->required ? 1 : 0), st);
	if (fld->required)
		used += ui_put(y, 2 + used, "*", 1, st);
	if (used < E.labelw)
		mvhline(y, 2 + used, ' ', E.labelw - used);
	for (r = 0; r < pl->h; r++) {
		mvaddch(y + r, E.fieldx - 1, '[');
		mvaddch(y + r, E.fieldx + pl->w, ']');
	}
	x = E.fieldx + pl->w + 2;
	if (E.sev[fi] >= 0) {
		char mark[600];

		snprintf(mark, sizeof mark, "%s%s", E.sev[fi] == SEV_ERROR ? "!" : "?",
		         E.note[fi] ? E.note[fi] : "");
		ui_put_pad(y, x, mark, COLS - x, E.sev[fi] == SEV_ERROR ? ST_ERROR :
		           ST_WARN);
	} else {
		move(y, x);
		clrtoeol();
	}
}

static void draw_heading(struct tui *t)
{
	char buf[300], page[32] = "";

	(void)t;
	if (E.fm && E.npages > 1)
		snprintf(page, sizeof page, "  %d/%d", form_page(E.fm) + 1, E.npages);
	if (E.editing)
		snprintf(buf, sizeof buf, LF("修改%s  %s  第 %u 版%s%s", "Edit %s  %s  rev %u%s%s"),
		         form_label(E.form), E.id, E.base_rev,
		         E.from_draft ? L("（草稿）", " (draft)") : "", page);
	else
		snprintf(buf, sizeof buf, LF("新建%s%s%s", "New %s%s%s"), form_label(E.form),
		         E.from_draft ? L("（草稿）", " (draft)") : "", page);
	ui_put_pad(BODY_TOP, 1, buf, COLS - 2, ST_HEAD);
}

/* Posting puts the cursor at the start of the field: typing after a
 * resize or a restored draft goes on at the end.  REQ_END_FIELD counts
 * a CJK character as one cell, so step over the characters instead. */
static void cursor_to_end(struct tui *t)
{
	int pos = visible_pos(E.cur);
	char *v, *term;
	size_t n;

	if (pos < 0 || E.form->fields[E.cur].type == FT_CHOICE)
		return;
	v = ui_field_get(t, E.fm, E.ff[pos]);
	term = v ? ui_to_term(t, v) : NULL;
	n = term ? mbstowcs(NULL, term, 0) : 0;
	free(v);
	free(term);
	form_driver_w(E.fm, KEY_CODE_YES, REQ_BEG_FIELD);
	while (n != (size_t)-1 && n-- > 0)
		form_driver_w(E.fm, KEY_CODE_YES, REQ_NEXT_CHAR);
}

/* Typing wide characters into a field of several rows can leave a NUL
 * cell in its buffer, which posting shows as "^@": write each such
 * buffer back from the value it holds. */
static void clean_buffers(struct tui *t)
{
	size_t i;

	for (i = 0; i < E.nff; i++) {
		int rows = 1, cols, fr, fc, os, nb;
		char *v;

		field_info(E.ff[i], &rows, &cols, &fr, &fc, &os, &nb);
		if (rows < 2 || !(v = ui_field_get(t, NULL, E.ff[i])))
			continue;
		ui_field_set(t, E.ff[i], v);
		free(v);
	}
}

static void entry_draw(struct tui *t)
{
	size_t i;

	/* What was typed in the current field is still only in its window:
	 * put it in the buffer before clearing the body blanks the window. */
	if (E.fm && !E.stale) {
		form_driver_w(E.fm, KEY_CODE_YES, REQ_VALIDATION);
		clean_buffers(t);
	}
	if (E.stale || !E.fm)
		entry_build(t);
	ui_clear_body();
	if (!E.fm)
		return;
	/* Clearing the body blanked the fields too: post them again. */
	unpost_form(E.fm);
	post_form(E.fm);
	cursor_to_end(t);
	draw_heading(t);
	for (i = 0; i < E.nff; i++)
		draw_label((int)i);
	draw_note(t);
}

static void entry_cursor(struct tui *t)
{
	(void)t;
	if (E.fm)
		pos_form_cursor(E.fm);
}

void entry_focus(struct tui *t, size_t fi)
{
	size_t old = E.cur;
	int page, pos;

	if (E.stale || !E.fm) {
		E.cur = fi;
		t->pending |= RD_BODY;
		return;
	}
	pos = visible_pos(fi);
	if (pos < 0)
		return;
	page = form_page(E.fm);
	if (fi != E.cur)
		E.touched = false;
	E.cur = fi;
	set_current_field(E.fm, E.ff[pos]);
	if (form_page(E.fm) != page) {
		t->pending |= RD_BODY;
		return;
	}
	if (visible_pos(old) >= 0)
		draw_label(visible_pos(old));
	draw_label(pos);
	draw_note(t);
}

/* Whether the fields shown are still exactly the relevant ones; values of
 * fields that stopped applying are dropped (they would fail the save). */
static bool relevance_same(void)
{
	size_t i;
	bool same = true;

	for (i = 0; i < E.form->nfields; i++) {
		const struct field *fld = &E.form->fields[i];
		bool rel = check_field_relevant(fld, &E.rec);

		if (rel != (visible_pos(i) >= 0))
			same = false;
		if (!rel)
			record_unset(&E.rec, fld->name);
	}
	return same;
}

static void check_one(struct tui *t, size_t fi)
{
	const struct field *fld = &E.form->fields[fi];
	struct check_result res;
	const char *v;
	int pos = visible_pos(fi);

	check_result_init(&res);
	E.sev[fi] = -1;
	free(E.note[fi]);
	E.note[fi] = NULL;
	if (check_field(t->lg->schema, E.form, &E.rec, fld->name, &res) == KP_OK)
		entry_set_notes(&res);
	check_result_free(&res);
	/* Show the value as the check normalised it (2025/3/5 -> 2025-03-05). */
	v = record_get(&E.rec, fld->name);
	if (pos >= 0 && fld->type != FT_CHOICE && v) {
		char *shown = ui_field_get(t, E.fm, E.ff[pos]);

		if (shown && strcmp(shown, v) != 0)
			ui_field_set(t, E.ff[pos], v);
		free(shown);
	}
}

/* Read the current field's buffer into E.rec (no checks).  Only a field
 * the clerk edited is read back: the value kept in E.rec is the one to
 * trust, whatever the screen could show of it. */
static void sync_current(struct tui *t)
{
	const struct field *fld = &E.form->fields[E.cur];
	int pos = visible_pos(E.cur);
	const char *old;
	char *v;

	if (!E.fm || pos < 0 || fld->type == FT_CHOICE || !E.touched)
		return;
	E.touched = false;
	v = ui_field_get(t, E.fm, E.ff[pos]);
	if (!v)
		return;
	old = record_get(&E.rec, fld->name);
	if (strcmp(old ? old : "", v) != 0)
		E.dirty = true;
	if (*v)
		record_set(&E.rec, fld->name, v);
	else
		record_unset(&E.rec, fld->name);
	free(v);
}

int entry_leave_field(struct tui *t)
{
	if (!E.fm)
		return RD_NONE;
	sync_current(t);
	check_one(t, E.cur);
	if (!relevance_same()) {
		entry_build(t);
		return RD_BODY;
	}
	if (visible_pos(E.cur) >= 0)
		draw_label(visible_pos(E.cur));
	return RD_NONE;
}

static int entry_move(struct tui *t, int dir)
{
	int rd = entry_leave_field(t), pos;

	if (!E.fm)
		return rd;
	pos = visible_pos(E.cur);
	if (pos < 0)
		pos = 0;
	pos = (pos + dir + (int)E.nff) % (int)E.nff;
	entry_focus(t, E.fidx[pos]);
	return rd;
}

/* PgDn / PgUp on a form split into pages: the first field of the next
 * (previous) page, after the field left is checked. */
static int entry_page(struct tui *t, int dir)
{
	int rd = entry_leave_field(t), pos, page;
	size_t i;

	if (!E.fm || E.npages < 2)
		return rd;
	pos = visible_pos(E.cur);
	page = ((pos < 0 ? 0 : E.place[pos].page) + dir + E.npages) % E.npages;
	for (i = 0; i < E.nff; i++)
		if (E.place[i].page == page)
			break;
	if (i < E.nff)
		entry_focus(t, E.fidx[i]);
	return rd;
}

static int entry_choose(struct tui *t, const char *typed)
{
	const struct field *fld = &E.form->fields[E.cur];
	const struct choice *now;
	int pick, pos = visible_pos(E.cur);

	if (fld->type == FT_DATE && pos >= 0) {
		char iso[11];

		ui_field_set(t, E.ff[pos], date_format(date_today(), iso));
		E.dirty = E.touched = true;
		return RD_NONE;
	}
	if (fld->type != FT_CHOICE)
		return RD_NONE;
	now = field_choice(fld, record_get(&E.rec, fld->name) ?
	                        record_get(&E.rec, fld->name) : "");
	pick = pick_choose(t, field_label(fld), fld->choices, fld->nchoices,
	                   now ? (int)(now - fld->choices) : -1, typed);
	t->pending |= RD_MSG | RD_BAR | RD_TITLE;
	if (pick < 0 || !E.fm)
		return RD_NONE;
	record_set(&E.rec, fld->name, fld->choices[pick].code);
	E.dirty = E.touched = true;
	ui_field_set(t, E.ff[pos], choice_label(&fld->choices[pick]));
	return entry_move(t, 1);
}

static int entry_cancel(struct tui *t)
{
	sync_current(t);
	if (E.dirty && ui_ask(t, L("放弃这张表上输入的内容？y 放弃  n 继续录入",
	                           "Throw away what was typed on this form? "
	                           "y discard  n go on"), "yn") != 'y') {
		t->msg[0] = '\0';
		return RD_MSG;
	}
	if (E.from_draft)
		ledger_draft_drop(t->lg);
	ui_msg(t, MSG_INFO, "%s", L("已取消，没有保存。", "Cancelled; nothing was saved."));
	tui_pop(t);
	return RD_NONE;
}

static int entry_edit_key(struct tui *t, struct tkey k)
{
	const struct field *fld = &E.form->fields[E.cur];
	int req = -1;

	if (keys_printable(k)) {
		if (fld->type == FT_CHOICE) {
			char mb[8] = "";
			wchar_t w[2] = { (wchar_t)k.ch, L'\0' };
			char *utf;

			if (wcstombs(mb, w, sizeof mb) == (size_t)-1)
				mb[0] = '\0';
			utf = ui_from_term(t, mb);
			req = entry_choose(t, utf);
			free(utf);
			return req;
		}
		form_driver_w(E.fm, OK, k.ch);
		E.dirty = E.touched = true;
		return RD_NONE;
	}
	if (!k.fn) {
		switch (k.ch) {
		case CTRL_KEY('a'): req = REQ_BEG_FIELD; break;
		case CTRL_KEY('e'): cursor_to_end(t); return RD_NONE;
		case CTRL_KEY('k'): req = REQ_CLR_EOF; break;
		default: break;
		}
	} else {
		switch (k.ch) {
		case KEY_LEFT: req = REQ_PREV_CHAR; break;
		case KEY_RIGHT: req = REQ_NEXT_CHAR; break;
		case KEY_HOME: req = REQ_BEG_FIELD; break;
		case KEY_END: cursor_to_end(t); return RD_NONE;
		case KEY_BACKSPACE: req = REQ_DEL_PREV; break;
		case KEY_DC: req = REQ_DEL_CHAR; break;
		default: break;
		}
	}
	if (req < 0)
		return RD_NONE;
	if (fld->type == FT_CHOICE && (req == REQ_DEL_PREV || req == REQ_DEL_CHAR)) {
		record_unset(&E.rec, fld->name);
		ui_field_set(t, E.ff[visible_pos(E.cur)], "");
		E.dirty = E.touched = true;
		return RD_NONE;
	}
	form_driver_w(E.fm, KEY_CODE_YES, req);
	if (req == REQ_DEL_PREV || req == REQ_DEL_CHAR || req == REQ_CLR_EOF)
		E.dirty = E.touched = true;
	return RD_NONE;
}

static int entry_key(struct tui *t, struct tkey k, enum action act, int arg)
{
	(void)arg;
	if (!E.fm)
		return act == ACT_CANCEL ? entry_cancel(t) : RD_UNHANDLED;
	switch (act) {
	case ACT_NEXT_FIELD:
		return entry_move(t, 1);
	case ACT_PREV_FIELD:
		return entry_move(t, -1);
	case ACT_SAVE:
		return entry_save(t, false);
	case ACT_SAVE_NEW:
		return entry_save(t, true);
	case ACT_CHOOSE:
		return entry_choose(t, NULL);
	case ACT_CANCEL:
		return entry_cancel(t);
	case ACT_CLEAR_FIELD:
		/* A choice field cannot be edited, so REQ_CLR_FIELD would
		 * leave the old label shown: blank it by hand. */
		if (E.form->fields[E.cur].type == FT_CHOICE) {
			record_unset(&E.rec, E.form->fields[E.cur].name);
			ui_field_set(t, E.ff[visible_pos(E.cur)], "");
		} else {
			form_driver_w(E.fm, KEY_CODE_YES, REQ_CLR_FIELD);
		}
		E.dirty = E.touched = true;
		return RD_NONE;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		return entry_page(t, act == ACT_PAGE_DOWN ? 1 : -1);
	case ACT_NONE:
		return entry_edit_key(t, k);
	default:
		return RD_UNHANDLED;
	}
}

static void entry_free(void)
{
	entry_teardown();
	if (E.form)
		entry_clear_notes();
	free(E.sev);
	free(E.note);
	record_free(&E.rec);
	memset(&E, 0, sizeof E);
}

/* Where a restored draft goes on: the first required field still empty. */
static size_t first_missing(void)
{
	size_t i;

	for (i = 0; i < E.form->nfields; i++) {
		const struct field *fld = &E.form->fields[i];

		if (fld->required && !record_get(&E.rec, fld->name) &&
		    check_field_relevant(fld, &E.rec))
			return i;
	}
	return 0;
}

static void entry_enter(struct tui *t, const void *arg)
{
	const struct entry_arg *a = arg;
	size_t i;

	entry_free();
	E.form = a->form;
	record_init(&E.rec);
	if (a->rec)
		record_copy(&E.rec, a->rec);
	snprintf(E.rec.form, sizeof E.rec.form, "%s", E.form->id);
	E.editing = a->editing;
	E.from_draft = a->from_draft;
	E.dirty = a->from_draft;
	if (E.editing) {
		snprintf(E.id, sizeof E.id, "%s", E.rec.id);
		E.base_rev = E.rec.rev;
	}
	E.sev = calloc(E.form->nfields + 1, sizeof *E.sev);
	E.note = calloc(E.form->nfields + 1, sizeof *E.note);
	for (i = 0; E.sev && i < E.form->nfields; i++)
		E.sev[i] = -1;
	E.cur = a->from_draft ? first_missing() : 0;
	E.stale = true;
	(void)t;
}

static void entry_leave(struct tui *t)
{
	(void)t;
	entry_free();
}

static void entry_resize(struct tui *t)
{
	/* Keep what was typed in the field under the cursor, then lay out
	 * again for the new size when the screen is drawn. */
	if (E.fm)
		sync_current(t);
	entry_teardown();
}

/* The link dropped: keep the half-filled form as this account's draft. */
static void entry_hangup(struct tui *t)
{
	if (!E.form)
		return;
	if (E.fm)
		sync_current(t);
	if (E.dirty && E.rec.nfields > 0 && ledger_draft_put(t->lg, &E.rec) != KP_OK)
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
	.enter = entry_enter,
	.leave = entry_leave,
	.draw = entry_draw,
	.key = entry_key,
	.resize = entry_resize,
	.hangup = entry_hangup,
	.cursor = entry_cursor,
};
