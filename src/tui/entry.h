/* entry.h - the entry screen's state, shared by entry.c (fields, keys,
 * layout) and entry_save.c (saving, conflicts, quota impact).
 *
 * The state is the block the screen stack gives the entry screen
 * (entry_ops.state_size): every function here takes it as e.
 */
#ifndef KEPU_TUI_ENTRY_H
#define KEPU_TUI_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ncursesw/form.h>

#include "check.h"
#include "record.h"
#include "schema.h"
#include "screen.h"

/* A visible field's place: its page, first row on the page, and size (a
 * long text takes several rows, so no stored text is cut to fit). */
struct entry_place {
	int page, y, h, w;
};

struct entry {
	const struct form *form;
	struct record rec;          /* values as typed, normalised on leave */
	bool editing;               /* changing stored record id */
	bool from_draft;            /* the draft is dropped once saved */
	bool dirty;                 /* something was typed */
	bool stale;                 /* the form must be built (again) */
	char id[RECORD_ID_LEN + 1];
	uint32_t base_rev;
	FORM *fm;
	FIELD **ff;                 /* visible fields, NULL-terminated */
	size_t *fidx;               /* ff[i] is form field fidx[i] */
	struct entry_place *place;  /* where ff[i] sits */
	size_t nff;
	int npages;
	bool touched;               /* the field under the cursor was edited */
	WINDOW *sub;
	int labelw, fieldx, rows;
	size_t cur;                 /* form field the cursor is on */
	int *sev;                   /* per form field: -1, SEV_ERROR, SEV_WARNING */
	char **note;                /* per form field: the finding's message */
};

/* Move the cursor to form field fi (builds the form when stale). */
void entry_focus(struct tui *t, struct entry *e, size_t fi);
/* Forget every finding, or record those of res on their fields. */
void entry_clear_notes(struct entry *e);
void entry_set_notes(struct entry *e, const struct check_result *res);
/* Build and post the form now (values come from e->rec). */
void entry_rebuild(struct tui *t, struct entry *e);
/* Read the field under the cursor into e->rec and check it; returns RD_*. */
int entry_leave_field(struct tui *t, struct entry *e);
/* The value of a field as shown (a choice's label, else the value). */
const char *entry_display(const struct field *fld, const char *value);

/* entry_save.c: F2 (and_new false) or F3; returns RD_*. */
int entry_save(struct tui *t, struct entry *e, bool and_new);

#endif
