/* entry.h - the entry screen's state, shared by entry.c (the screen and
 * its keys), entry_sheet.c (the fields' values and notes, moving between
 * fields), entry_draw.c (layout and painting), entry_save.c (saving,
 * warnings, the next sheet) and entry_conflict.c (another clerk's change
 * or delete met when saving).  Each uses only those after it in this
 * list: entry_conflict.c says whether to save again, entry_save.c does.
 *
 * The state is the block the screen stack gives the entry screen
 * (entry_ops.state_size): every function here takes it as e.
 *
 * The record e->rec is the only copy of what was typed.  The field under
 * the cursor is typed into e->ed, filled from the record when the field is
 * entered and read back into it once, when the field is left (a move, a
 * save, a resize, a dropped link); every other field is painted from the
 * record.  Nothing is ever read back from the screen.
 */
#ifndef KEPU_TUI_ENTRY_H
#define KEPU_TUI_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"
#include "screen.h"
#include "edit.h"

/* A visible field's place: its page, first row on the page, and size (a
 * long text takes several rows, so no stored text is cut to fit). */
struct entry_place {
	int page, y, h, w;
};

struct entry {
	const struct form *form;
	struct record rec;          /* the values: the only copy */
	struct record base;         /* editing: the revision it started from */
	bool have_base;             /* base is known (not for every draft) */
	bool editing;               /* changing stored record id */
	bool from_draft;            /* the draft is dropped once saved */
	bool dirty;                 /* something was typed */
	bool stale;                 /* the layout must be made (again) */
	char id[RECORD_ID_LEN + 1];
	uint32_t base_rev;
	char draft[LEDGER_DRAFT_KEY_MAX + 1];   /* this sheet's draft key */
	/* the layout: visible fields in form order */
	size_t *fidx;               /* visible field i is form field fidx[i] */
	struct entry_place *place;  /* where it sits */
	size_t nff;
	int npages;
	int labelw, fieldx, rows;
	size_t cur;                 /* form field the cursor is on */
	struct edit ed;             /* that field while it is typed */
	bool typing;                /* ed holds it (entered, not left) */
	int *sev;                   /* per form field: -1, SEV_ERROR, SEV_WARNING */
	char **note;                /* per form field: the finding's message */
	int told;                   /* the field just left with a finding, whose
	                             * message the note row shows until the
	                             * next key (-1: none) */
	bool *keep;                 /* per form field: kept by save+new (=) */
	char (*batch)[RECORD_ID_LEN + 1];   /* ids saved by save+new here */
	size_t nbatch;
};

/* ---- entry_sheet.c ---- */

/* Fill e->ed from the record for the field under the cursor (a choice is
 * not typed into), and read it back into the record (true when the value
 * changed).  entry_field_leave is a no-op when nothing is being typed. */
void entry_field_enter(struct entry *e);
bool entry_field_leave(struct entry *e);

/* Leave the field under the cursor: read it, check it, lay the form out
 * again when what applies changed.  Returns RD_*. */
int entry_leave_field(struct tui *t, struct entry *e);

/* Move the cursor to form field fi and enter it. */
void entry_focus(struct tui *t, struct entry *e, size_t fi);

/* Forget every finding, or record those of res on their fields. */
void entry_clear_notes(struct entry *e);
void entry_set_notes(struct entry *e, const struct check_result *res);

/* ---- entry_draw.c ---- */

/* The value of a field as shown (a choice's label, else the value). */
const char *entry_display(const struct field *fld, const char *value);

/* Lay the visible fields out for the window and the record's values;
 * KP_E_NOMEM (message set).  The cursor stays on e->cur, or the next
 * field shown. */
int entry_layout(struct entry *e);
void entry_layout_free(struct entry *e);

/* Position among the visible fields of form field fi, or -1. */
int entry_visible(const struct entry *e, size_t fi);
/* The page the cursor is on. */
int entry_page_of(const struct entry *e);

/* Paint the whole body; one field (label, value, mark); the note row;
 * and place the cursor. */
void entry_paint(struct tui *t, struct entry *e);
void entry_paint_field(const struct entry *e, int pos);
void entry_paint_note(const struct entry *e);
void entry_place_cursor(const struct entry *e);

/* The cells a value of form field fld may take when typed. */
int entry_limit(const struct field *fld);

/* ---- entry_save.c ---- */

/* F2 (and_new false) or F3; returns RD_*. */
int entry_save(struct tui *t, struct entry *e, bool and_new);

/* Store e->rec with res, the result of ledger_check the clerk has seen;
 * then the message, the next sheet or the way back. */
int entry_store(struct tui *t, struct entry *e, struct check_result *res,
                bool and_new);

/* ---- entry_conflict.c ---- */

/* The record changed under the clerk (cur is the stored revision):
 * compare what it started from, what the clerk typed and what is stored
 * now, keep every change made on one side only, and let the clerk decide
 * where both changed the same field. */
int entry_conflict(struct tui *t, struct entry *e, const struct record *cur,
                   bool *again);

/* The record was deleted meanwhile: offer to save what was typed as a new
 * record.  Returns RD_*.  Both set *again when the clerk chose to save
 * (merged, or as a new record); the caller saves. */
int entry_deleted(struct tui *t, struct entry *e, bool *again);

#endif
