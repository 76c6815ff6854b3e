/* edit.c - the line editor of fields and questions (see edit.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include <ncursesw/curses.h>

#include "err.h"
#include "text.h"
#include "draw.h"
#include "edit.h"

static int cells_of(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

static int text_cells(const wchar_t *s, size_t n)
{
	size_t i;
	int w = 0;

	for (i = 0; i < n; i++)
		w += cells_of(s[i]);
	return w;
}

void edit_init(struct edit *ed)
{
	memset(ed, 0, sizeof *ed);
}

void edit_free(struct edit *ed)
{
	free(ed->s);
	edit_init(ed);
}

static bool edit_room(struct edit *ed, size_t n)
{
	wchar_t *more;
	size_t cap;

	if (n + 1 <= ed->cap)
		return true;
	cap = ed->cap ? ed->cap * 2 : 64;
	while (cap < n + 1)
		cap *= 2;
	more = realloc(ed->s, cap * sizeof *more);
	if (!more)
		return false;
	ed->s = more;
	ed->cap = cap;
	return true;
}

/* UTF-8 as wide characters of the terminal's locale (allocated, *n set);
 * NULL when out of memory or not representable. */
static wchar_t *widen_utf8(const char *utf8, size_t *n)
{
	char *term = draw_to_term(utf8 ? utf8 : "");
	wchar_t *w = NULL;
	size_t len;

	if (!term)
		return NULL;
	len = mbstowcs(NULL, term, 0);
	if (len != (size_t)-1 && (w = calloc(len + 1, sizeof *w)))
		mbstowcs(w, term, len + 1);
	free(term);
	*n = w ? len : 0;
	return w;
}

int edit_set(struct edit *ed, const char *utf8, int max_cells)
{
	size_t n = 0;
	wchar_t *w = widen_utf8(utf8, &n);
	int cells;

	if (!w)
		return kp_err_nomem();
	if (!edit_room(ed, n)) {
		free(w);
		return kp_err_nomem();
	}
	memcpy(ed->s, w, (n + 1) * sizeof *w);
	free(w);
	ed->len = ed->cur = n;
	cells = text_cells(ed->s, n);
	ed->max_cells = cells > max_cells ? cells : max_cells;
	return KP_OK;
}

char *edit_get(const struct edit *ed)
{
	char *mb, *utf;
	size_t n;

	if (!ed->s || ed->len == 0)
		return xstrdup("");
	ed->s[ed->len] = L'\0';
	n = wcstombs(NULL, ed->s, 0);
	if (n == (size_t)-1 || !(mb = malloc(n + 1)))
		return NULL;
	wcstombs(mb, ed->s, n + 1);
	utf = draw_from_term(mb);
	free(mb);
	if (utf)
		text_trim(utf);
	return utf;
}

bool edit_insert(struct edit *ed, wchar_t ch)
{
	if (!iswprint((wint_t)ch) || wcwidth(ch) < 0)
		return false;
	if (text_cells(ed->s, ed->len) + cells_of(ch) > ed->max_cells)
		return false;
	if (!edit_room(ed, ed->len + 1))
		return false;
	memmove(ed->s + ed->cur + 1, ed->s + ed->cur,
	        (ed->len - ed->cur) * sizeof *ed->s);
	ed->s[ed->cur++] = ch;
	ed->len++;
	ed->s[ed->len] = L'\0';
	return true;
}

static void edit_delete(struct edit *ed, size_t at, size_t n)
{
	memmove(ed->s + at, ed->s + at + n, (ed->len - at - n) * sizeof *ed->s);
	ed->len -= n;
	ed->s[ed->len] = L'\0';
}

bool edit_do(struct edit *ed, enum edit_op op)
{
	size_t len = ed->len;

	switch (op) {
	case EDIT_LEFT:
		if (ed->cur > 0)
			ed->cur--;
		return false;
	case EDIT_RIGHT:
		if (ed->cur < ed->len)
			ed->cur++;
		return false;
	case EDIT_START:
		ed->cur = 0;
		return false;
	case EDIT_END:
		ed->cur = ed->len;
		return false;
	case EDIT_DEL_PREV:
		if (ed->cur > 0)
			edit_delete(ed, --ed->cur, 1);
		break;
	case EDIT_DEL_NEXT:
		if (ed->cur < ed->len)
			edit_delete(ed, ed->cur, 1);
		break;
	case EDIT_KILL_END:
		if (ed->cur < ed->len)
			edit_delete(ed, ed->cur, ed->len - ed->cur);
		break;
	case EDIT_CLEAR:
		if (ed->len)
			edit_delete(ed, 0, ed->len);
		ed->cur = 0;
		break;
	}
	return ed->len != len;
}

/* The layout: where character i of s goes in a box w cells wide (row,
 * column); a character that does not fit goes whole to the next row. */
struct place {
	int row, col;
};

static struct place place_of(const wchar_t *s, size_t len, size_t i, int w)
{
	struct place p = { 0, 0 };
	size_t k;

	for (k = 0; k < i; k++) {
		int cw = cells_of(s[k]);

		if (p.col + cw > w) {
			p.row++;
			p.col = 0;
		}
		p.col += cw;
	}
	/* The cursor is where character i is drawn. */
	if (i < len && p.col + cells_of(s[i]) > w) {
		p.row++;
		p.col = 0;
	}
	return p;
}

int edit_rows_for(int max_cells, int w)
{
	int rows = 1;

	if (w < 2)
		return 1;
	/* Each row but the last may lose a cell to a wide character that
	 * did not fit at its end. */
	while (rows * w - (rows - 1) < max_cells)
		rows++;
	return rows;
}

static void draw_wide(const wchar_t *s, size_t n, int y, int x, int rows,
                      int w, attr_t attr)
{
	size_t i = 0;
	int r;

	for (r = 0; r < rows; r++) {
		size_t start = i;
		int used = 0;

		/* Blank first, then write (see draw.c: blanking after the text
		 * can take a character of it away). */
		attrset(A_NORMAL);
		mvhline(y + r, x, ' ', w);
		attrset(attr);
		while (i < n && used + cells_of(s[i]) <= w)
			used += cells_of(s[i++]);
		if (i > start)
			mvaddnwstr(y + r, x, s + start, (int)(i - start));
	}
	attrset(A_NORMAL);
}

void edit_draw(const struct edit *ed, int y, int x, int rows, int w)
{
	draw_wide(ed->s, ed->len, y, x, rows, w, A_NORMAL);
}

void edit_cursor(const struct edit *ed, int y, int x, int rows, int w)
{
	struct place p = place_of(ed->s, ed->len, ed->cur, w);

	/* At the end of a full row the next character starts the next. */
	if (p.col >= w && p.row + 1 < rows) {
		p.row++;
		p.col = 0;
	}
	if (p.col >= w)
		p.col = w - 1;
	if (p.row >= rows)
		p.row = rows - 1;
	move(y + p.row, x + p.col);
}

/* The first character shown on one row w cells wide: 0 while the whole
 * text fits, else the one that puts the cursor at the row's last cell
 * with a "<" before it (a path longer than the row scrolls). */
static size_t line_first(const struct edit *ed, int w)
{
	size_t k = ed->cur, i;
	int used = 0;

	for (i = 0; i < ed->len; i++)
		used += cells_of(ed->s[i]);
	if (used < w)
		return 0;
	used = 1;               /* the cursor's cell */
	while (k > 0 && used + cells_of(ed->s[k - 1]) <= w - 1)
		used += cells_of(ed->s[--k]);
	return k;
}

void edit_draw_line(const struct edit *ed, int y, int x, int w)
{
	size_t first, i;
	int col = 0;

	if (w < 3) {
		edit_draw(ed, y, x, 1, w);
		edit_cursor(ed, y, x, 1, w);
		return;
	}
	first = line_first(ed, w);
	if (first > 0) {
		mvaddch(y, x, '<');
		x++;
		w--;
	}
	draw_wide(ed->s + first, ed->len - first, y, x, 1, w, A_NORMAL);
	for (i = first; i < ed->cur; i++)
		col += cells_of(ed->s[i]);
	move(y, x + (col < w ? col : w - 1));
}

void edit_draw_text(const char *s, int y, int x, int rows, int w,
                    enum draw_style st)
{
	size_t n = 0, i;
	wchar_t *ws = widen_utf8(s, &n);

	if (!ws)
		return;
	/* Stored text from elsewhere: nothing unprintable reaches the
	 * terminal. */
	for (i = 0; i < n; i++)
		if (!iswprint((wint_t)ws[i]) || wcwidth(ws[i]) < 0)
			ws[i] = L'?';
	draw_wide(ws, n, y, x, rows, w, draw_attr(st));
	free(ws);
}
