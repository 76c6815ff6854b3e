/* entry_sheet.c - the entry screen's sheet: a field's value taken into
 * the editor when the cursor enters it and read back into the record once
 * when it leaves, each field checked as it is left (the form laid out
 * again when what applies changed), the findings kept per field, and the
 * cursor moved from field to field.
 *
 * Uses entry_draw.c (the layout, painting one field) and the core's
 * checks; used by the screen (entry.c), saving (entry_save.c) and the
 * conflict questions (entry_conflict.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "ledger.h"
#include "text.h"
#include "screen.h"
#include "entry.h"

static const struct field *cur_field(const struct entry *e)
{
	return &e->form->fields[e->cur];
}

void entry_field_enter(struct entry *e)
{
	const struct field *fld = cur_field(e);

	e->typing = false;
	if (fld->type == FT_CHOICE || entry_visible(e, e->cur) < 0)
		return;
	e->typing = edit_set(&e->ed, record_get(&e->rec, fld->name),
	                     entry_limit(fld)) == KP_OK;
}

bool entry_field_leave(struct entry *e)
{
	const struct field *fld = cur_field(e);
	const char *old;
	char *v;
	bool changed;

	if (!e->typing)
		return false;
	e->typing = false;
	if (!(v = edit_get(&e->ed)))
		return false;
	old = record_get(&e->rec, fld->name);
	changed = strcmp(old ? old : "", v) != 0;
	if (changed) {
		e->dirty = true;
		if (*v)
			record_set(&e->rec, fld->name, v);
		else
			record_unset(&e->rec, fld->name);
	}
	free(v);
	return changed;
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
			note_set(e, (size_t)(fld - e->form->fields), &res->findings[i]);
	}
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

		if (rel != (entry_visible(e, i) >= 0))
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

	check_result_init(&res);
	e->sev[fi] = -1;
	free(e->note[fi]);
	e->note[fi] = NULL;
	/* Normalises the value in the record too (2025/3/5 -> 2025-03-05). */
	if (check_field(t->lg->schema, e->form, &e->rec, fld->name, &res) == KP_OK)
		entry_set_notes(e, &res);
	check_result_free(&res);
}

int entry_leave_field(struct tui *t, struct entry *e)
{
	int pos;

	if (e->stale || e->nff == 0)
		return RD_NONE;
	entry_field_leave(e);
	check_one(t, e, e->cur);
	/* Said at once under the form, not only as a mark beside the field:
	 * the cursor goes on to the next one. */
	e->told = e->sev[e->cur] >= 0 ? (int)e->cur : -1;
	if (!relevance_same(e)) {
		e->stale = true;
		return RD_BODY;
	}
	if ((pos = entry_visible(e, e->cur)) >= 0)
		entry_paint_field(e, pos);
	return RD_NONE;
}

void entry_focus(struct tui *t, struct entry *e, size_t fi)
{
	size_t old = e->cur;
	int page = entry_page_of(e), pos;

	entry_field_leave(e);
	e->cur = fi;
	if (e->stale) {
		t->pending |= RD_BODY;
		return;
	}
	entry_field_enter(e);
	if (entry_page_of(e) != page) {
		t->pending |= RD_BODY;
		return;
	}
	if ((pos = entry_visible(e, old)) >= 0)
		entry_paint_field(e, pos);
	if ((pos = entry_visible(e, fi)) >= 0)
		entry_paint_field(e, pos);
	entry_paint_note(e);
}
