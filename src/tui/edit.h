/* edit.h - the text of one field while it is typed: the line editor of
 * the entry screen's fields and of questions on the message line.
 *
 * The text is held as wide characters with the cursor between two of
 * them, and never takes more than max_cells cells (a CJK character takes
 * two): what can be typed is what may be stored.  It is shown in a box of
 * rows x w cells, a character that does not fit at the end of a row going
 * whole to the next (a CJK character never straddles two rows), and the
 * cursor is placed by the same layout, so what is shown is what is held.
 * The screen keeps the value itself (the entry screen in its record): an
 * edit is filled when a field is entered and read once when it is left.
 */
#ifndef KEPU_TUI_EDIT_H
#define KEPU_TUI_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "draw.h"

struct edit {
	wchar_t *s;
	size_t len, cap;
	size_t cur;             /* 0..len */
	int max_cells;
};

enum edit_op {
	EDIT_LEFT, EDIT_RIGHT, EDIT_START, EDIT_END,
	EDIT_DEL_PREV, EDIT_DEL_NEXT, EDIT_KILL_END, EDIT_CLEAR,
};

/* An empty edit (no memory yet). */
void edit_init(struct edit *ed);
void edit_free(struct edit *ed);

/* Hold utf8 (may be NULL), the cursor at its end.  A text wider than
 * max_cells (stored by other means) raises the limit to its width, so
 * nothing held is ever cut.  KP_E_NOMEM (message set). */
int edit_set(struct edit *ed, const char *utf8, int max_cells);

/* The text as UTF-8, allocated (caller frees), spaces at both ends
 * trimmed; NULL when out of memory. */
char *edit_get(const struct edit *ed);

/* Type ch at the cursor.  false (nothing changed) when it would take the
 * text past max_cells, or is not printable. */
bool edit_insert(struct edit *ed, wchar_t ch);

/* Move or delete; true when the text changed. */
bool edit_do(struct edit *ed, enum edit_op op);

/* The rows a box w cells wide needs for any text of max_cells cells. */
int edit_rows_for(int max_cells, int w);

/* Paint the held text in the box at (y, x), rows x w cells, and put the
 * cursor where the next character goes. */
void edit_draw(const struct edit *ed, int y, int x, int rows, int w);
void edit_cursor(const struct edit *ed, int y, int x, int rows, int w);

/* Paint the text on one row w cells wide that scrolls sideways: while
 * it does not fit, the part before the cursor is shown after a "<", and
 * the cursor is put in place.  For a question's answer (a long path). */
void edit_draw_line(const struct edit *ed, int y, int x, int w);

/* Paint UTF-8 text s the same way (a field not being typed). */
void edit_draw_text(const char *s, int y, int x, int rows, int w,
                    enum draw_style st);

#endif
