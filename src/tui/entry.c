/* entry.c - the entry screen, generated from a form file: its state, the
 * keys, and moving between fields.
 *
 * The record in the state is the only copy of the values (entry.h): the
 * field under the cursor is typed into an editor filled from the record
 * when the field is entered and read back once when it is left, where the
 * field is checked; when a value changes what applies (category
 * rural_tech asks for farmers), the form is laid out again from the
 * record.  The fields' values and notes are kept by entry_sheet.c,
 * painting is in entry_draw.c, saving in entry_save.c.
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

static const struct field *cur_field(const struct entry *e)
{
	return &e->form->fields[e->cur];
}

static int entry_move(struct tui *t, struct entry *e, int dir)
{
	int rd = entry_leave_field(t, e), pos;

	if (e->stale && entry_layout(e) != KP_OK)
		return rd | RD_MSG;
	if (e->nff == 0)
		return rd;
	pos = entry_visible(e, e->cur);
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
	int rd = entry_leave_field(t, e), page;
	size_t i;

	if (e->stale && entry_layout(e) != KP_OK)
		return rd | RD_MSG;
	if (e->npages < 2)
		return rd;
	page = (entry_page_of(e) + dir + e->npages) % e->npages;
	for (i = 0; i < e->nff; i++)
		if (e->place[i].page == page)
			break;
	if (i < e->nff)
		entry_focus(t, e, e->fidx[i]);
	return rd;
}

/* A choice: the pick list, filtered by what was typed.  Nothing chosen
 * (no match, or Tab past it) leaves the field as it was and moves on, so
 * what the clerk types next goes into the next field, not into a list. */
static int entry_choose(struct tui *t, struct entry *e, const char *typed)
{
	const struct field *fld = cur_field(e);
	const struct choice *now;
	struct pick_result pr;

	if (fld->type == FT_DATE && e->typing) {
		char iso[11];

		edit_set(&e->ed, date_format(date_today(), iso), entry_limit(fld));
		e->dirty = true;
		entry_paint_field(e, entry_visible(e, e->cur));
		return RD_NONE;
	}
	if (fld->type != FT_CHOICE)
		return RD_NONE;
	now = field_choice(fld, record_get(&e->rec, fld->name) ?
	                        record_get(&e->rec, fld->name) : "");
	pr = pick_choose(t, field_label(fld), fld->choices, fld->nchoices,
	                 now ? (int)(now - fld->choices) : -1, typed);
	t->pending |= RD_MSG | RD_BAR | RD_TITLE;
	if (pr.chosen >= 0) {
		record_set(&e->rec, fld->name, fld->choices[pr.chosen].code);
		e->dirty = true;
	} else if (pr.how == PICK_NO_MATCH) {
		screen_msg(t, MSG_WARN, LF("%s：没有与“%s”相符的选项，这一栏没有选。",
		                           "%s: nothing matches \"%s\"; nothing was "
		                           "chosen."), field_label(fld), pr.filter);
	}
	switch (pr.how) {
	case PICK_CHOSEN:
	case PICK_NO_MATCH:
		return entry_move(t, e, 1) | RD_MSG;
	case PICK_SAVE:
		return entry_save(t, e, false);
	default:
		return RD_NONE;
	}
}

static int entry_cancel(struct tui *t, struct entry *e)
{
	entry_field_leave(e);
	if (e->dirty && prompt_ask(t, L("放弃这张表上输入的内容？y 放弃  n 继续录入",
	                               "Throw away what was typed on this form? "
	                               "y discard  n go on"), "yn") != 'y') {
		t->msg[0] = '\0';
		entry_field_enter(e);
		return RD_MSG;
	}
	if (e->from_draft)
		ledger_draft_drop(t->lg, e->draft);
	screen_msg(t, MSG_INFO, "%s", L("已取消，没有保存。", "Cancelled; nothing was saved."));
	screen_pop(t);
	return RD_NONE;
}

static int entry_clear(struct entry *e)
{
	const struct field *fld = cur_field(e);

	if (e->typing) {
		if (edit_do(&e->ed, EDIT_CLEAR))
			e->dirty = true;
	} else if (record_get(&e->rec, fld->name)) {
		record_unset(&e->rec, fld->name);
		e->dirty = true;
	}
	entry_paint_field(e, entry_visible(e, e->cur));
	return RD_NONE;
}

/* Keys that edit the text of the field being typed. */
static int entry_edit(struct tui *t, struct entry *e, enum action act)
{
	static const struct { enum action act; enum edit_op op; } ops[] = {
		{ ACT_CHAR_LEFT, EDIT_LEFT }, { ACT_CHAR_RIGHT, EDIT_RIGHT },
		{ ACT_FIELD_START, EDIT_START }, { ACT_FIELD_END, EDIT_END },
		{ ACT_DEL_PREV, EDIT_DEL_PREV }, { ACT_DEL_NEXT, EDIT_DEL_NEXT },
		{ ACT_KILL_END, EDIT_KILL_END },
	};
	size_t i;

	(void)t;
	if (!e->typing) {
		/* A choice: Backspace and Del clear it, as ^U does. */
		if (act == ACT_DEL_PREV || act == ACT_DEL_NEXT)
			return entry_clear(e);
		return RD_NONE;
	}
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].act == act && edit_do(&e->ed, ops[i].op)) {
			e->dirty = true;
			entry_paint_field(e, entry_visible(e, e->cur));
		}
	return RD_NONE;
}

/* A printable key: text for the field, or the start of a choice's filter. */
static int entry_type(struct tui *t, struct entry *e, struct tkey k)
{
	if (cur_field(e)->type == FT_CHOICE) {
		char mb[8] = "", *utf;
		wchar_t w[2] = { (wchar_t)k.ch, L'\0' };
		int rd;

		if (wcstombs(mb, w, sizeof mb) == (size_t)-1)
			mb[0] = '\0';
		utf = draw_from_term(mb);
		rd = entry_choose(t, e, utf);
		free(utf);
		return rd;
	}
	if (!e->typing)
		return RD_NONE;
	if (!edit_insert(&e->ed, (wchar_t)k.ch)) {
		/* Full: say so once, rather than let the key vanish. */
		beep();
		screen_msg(t, MSG_WARN, LF("%s最多 %d 格（一个汉字占 2 格），已经满了。",
		                           "%s holds at most %d cells (a Chinese "
		                           "character takes 2); it is full."),
		           field_label(cur_field(e)), e->ed.max_cells);
		return RD_MSG;
	}
	e->dirty = true;
	entry_paint_field(e, entry_visible(e, e->cur));
	return RD_NONE;
}

static int entry_keep(struct entry *e)
{
	e->keep[e->cur] = !e->keep[e->cur];
	entry_paint_field(e, entry_visible(e, e->cur));
	return RD_NONE;
}

static int entry_key(struct tui *t, void *st, struct tkey k, enum action act,
                     int arg)
{
	struct entry *e = st;

	(void)arg;
	if (e->stale && entry_layout(e) != KP_OK)
		return RD_MSG;
	if (e->nff == 0)
		return act == ACT_CANCEL ? entry_cancel(t, e) : RD_UNHANDLED;
	if (e->told >= 0) {   /* the field left was told of: back to this one */
		e->told = -1;
		entry_paint_note(e);
	}
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
		return entry_clear(e);
	case ACT_KEEP:
		return entry_keep(e);
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		return entry_page(t, e, act == ACT_PAGE_DOWN ? 1 : -1);
	case ACT_CHAR_LEFT:
	case ACT_CHAR_RIGHT:
	case ACT_FIELD_START:
	case ACT_FIELD_END:
	case ACT_DEL_PREV:
	case ACT_DEL_NEXT:
	case ACT_KILL_END:
		return entry_edit(t, e, act);
	case ACT_NONE:
		return keys_printable(k) ? entry_type(t, e, k) : RD_NONE;
	default:
		/* Help, redraw...: the field stays as typed (e->ed). */
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
	size_t i, n = a->form->nfields + 1;

	(void)t;
	e->form = a->form;
	record_init(&e->rec);
	record_init(&e->base);
	edit_init(&e->ed);
	if (a->rec)
		record_copy(&e->rec, a->rec);
	snprintf(e->rec.form, sizeof e->rec.form, "%s", e->form->id);
	e->editing = a->editing;
	e->from_draft = a->draft != NULL;
	e->dirty = e->from_draft;
	if (a->draft)
		snprintf(e->draft, sizeof e->draft, "%s", a->draft);
	if (!e->draft[0])
		record_new_id(e->draft);
	if (e->editing) {
		snprintf(e->id, sizeof e->id, "%s", e->rec.id);
		e->base_rev = e->rec.rev;
		/* What the clerk started from, for a 3-way comparison. */
		e->have_base = a->base && record_copy(&e->base, a->base) == KP_OK;
	}
	e->sev = calloc(n, sizeof *e->sev);
	e->note = calloc(n, sizeof *e->note);
	e->keep = calloc(n, sizeof *e->keep);
	for (i = 0; e->sev && e->keep && i < e->form->nfields; i++) {
		e->sev[i] = -1;
		e->keep[i] = e->form->fields[i].keep;
	}
	e->cur = e->from_draft ? first_missing(e) : 0;
	e->told = -1;
	e->stale = true;
}

static void entry_leave(struct tui *t, void *st)
{
	struct entry *e = st;

	(void)t;
	entry_layout_free(e);
	edit_free(&e->ed);
	if (e->form && e->sev && e->note)
		entry_clear_notes(e);
	free(e->sev);
	free(e->note);
	free(e->keep);
	free(e->batch);
	record_free(&e->rec);
	record_free(&e->base);
}

static void entry_draw(struct tui *t, void *st)
{
	struct entry *e = st;

	if (!e->sev || !e->note || !e->keep) {
		draw_clear_body();
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return;
	}
	if (e->stale) {
		entry_field_leave(e);
		if (entry_layout(e) != KP_OK) {
			draw_clear_body();
			screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
			t->pending |= RD_MSG;
			return;
		}
	}
	if (!e->typing)
		entry_field_enter(e);
	entry_paint(t, e);
}

static void entry_cursor(struct tui *t, void *st)
{
	(void)t;
	entry_place_cursor(st);
}

static void entry_resize(struct tui *t, void *st)
{
	struct entry *e = st;

	(void)t;
	/* What was typed goes into the record; the form is laid out again
	 * for the new size when it is painted. */
	entry_field_leave(e);
	e->stale = true;
}

/* The link dropped: keep the half-filled form as a draft of its own. */
static void entry_hangup(struct tui *t, void *st)
{
	struct entry *e = st;

	if (!e->form)
		return;
	entry_field_leave(e);
	if (e->dirty && e->rec.nfields > 0 &&
	    ledger_draft_put(t->lg, e->draft, &e->rec) != KP_OK)
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
