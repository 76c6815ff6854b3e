/* draw.c - styles, text put in cells and wrapped, the message line's
 * paint and the terminal's encoding (see draw.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "err.h"
#include "quota.h"
#include "text.h"
#include "draw.h"

/* The terminal every helper draws for: one per process, like curses. */
static struct {
	bool colour;
	const char *codeset;    /* NULL for UTF-8 */
} term;

enum { PAIR_TITLE = 1, PAIR_ERROR, PAIR_WARN, PAIR_OK, PAIR_HEAD };

void draw_setup(bool colour, const char *codeset)
{
	term.colour = colour;
	term.codeset = codeset;
	if (colour) {
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
	}
}

attr_t draw_attr(enum draw_style st)
{
	bool c = term.colour;

	switch (st) {
	case ST_TITLE:
		return c ? (COLOR_PAIR(PAIR_TITLE) | A_BOLD) : A_REVERSE;
	case ST_ERROR:
	case ST_BEHIND:
		return c ? (COLOR_PAIR(PAIR_ERROR) | A_BOLD) :
		           (st == ST_BEHIND ? A_REVERSE : A_BOLD);
	case ST_WARN:
		return c ? (COLOR_PAIR(PAIR_WARN) | A_BOLD) : A_BOLD;
	case ST_OK:
	case ST_BAR:
		return c ? COLOR_PAIR(PAIR_OK) : A_NORMAL;
	case ST_HEAD:
		return c ? (COLOR_PAIR(PAIR_HEAD) | A_BOLD) : A_BOLD;
	case ST_FIELD:
		return A_UNDERLINE;
	case ST_CURRENT:
		return A_REVERSE;
	case ST_NORMAL:
	default:
		return A_NORMAL;
	}
}

/* Decode s (in the terminal's encoding) into wide characters that fit in
 * cells; unprintable characters become '?', so nothing stored by someone
 * else can reach the terminal as a control sequence. */
static size_t widen(const char *s, int cells, wchar_t *out, size_t max,
                       int *used)
{
	mbstate_t ps;
	size_t n = 0, len = strlen(s);
	int w;

	memset(&ps, 0, sizeof ps);
	*used = 0;
	while (len > 0 && n + 1 < max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, len, &ps);

		if (r == (size_t)-1 || r == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			r = 1;
		} else if (r == 0) {
			break;
		}
		w = wcwidth(wc);
		if (w < 0) {
			wc = L'?';
			w = 1;
		}
		if (*used + w > cells)
			break;
		out[n++] = wc;
		*used += w;
		s += r;
		len -= r;
	}
	out[n] = L'\0';
	return n;
}

static int put_impl(WINDOW *win, int y, int x, const char *s, int cells,
                    enum draw_style st, bool pad)
{
	wchar_t buf[512];
	char *conv = NULL;
	int used = 0;
	size_t n;
	attr_t attr;

	if (cells <= 0)
		return 0;
	if (s && term.codeset)
		conv = draw_to_term(s);
	n = widen(conv ? conv : (s ? s : ""), cells, buf,
	             sizeof buf / sizeof buf[0], &used);
	free(conv);
	/* Blank the cells first, then write: blanking after the text would
	 * hit the second half of a wide character the text overwrote the
	 * first half of, and curses then blanks that first half, text and
	 * all (a "0" replacing the left half of "除" vanished). */
	if (pad)
		mvwhline(win, y, x, ' ', cells);
	/* The colour pair goes in its own argument: wattr_set takes the
	 * pair from there, never from the attribute's colour bits. */
	attr = draw_attr(st);
	wattr_set(win, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
	if (n > 0)
		mvwaddnwstr(win, y, x, buf, (int)n);
	else
		wmove(win, y, x);
	wattr_set(win, A_NORMAL, 0, NULL);
	return used;
}

int draw_put(int y, int x, const char *s, int cells, enum draw_style st)
{
	return put_impl(stdscr, y, x, s, cells, st, false);
}

int draw_put_pad(int y, int x, const char *s, int cells, enum draw_style st)
{
	return put_impl(stdscr, y, x, s, cells, st, true);
}

int draw_wput(WINDOW *w, int y, int x, const char *s, int cells,
              enum draw_style st, bool pad)
{
	return put_impl(w, y, x, s, cells, st, pad);
}

/* One UTF-8 character: its bytes and code point (invalid: 1 byte, '?'). */
static size_t u8_char(const char *s, wchar_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	wchar_t c;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xf0 && u[0] < 0xf8) {
		len = 4;
		c = u[0] & 0x07;
	} else if (u[0] >= 0xe0) {
		len = u[0] < 0xf0 ? 3 : 1;
		c = u[0] & 0x0f;
	} else if (u[0] >= 0xc0) {
		len = 2;
		c = u[0] & 0x1f;
	} else {
		len = 1;
	}
	if (len == 1) {
		*cp = L'?';
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = L'?';
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static int cell_width(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

static bool no_break_before(wchar_t c)
{
	return c && wcschr(L",.;:!?)]}%\uff0c\u3002\u3001\uff1b\uff1a\uff01"
	                   L"\uff1f\uff09\u300b\u300d\u300f\u3011\u201d\u2019", c);
}

static bool no_break_after(wchar_t c)
{
	return c && wcschr(L"([{\uff08\u300a\u300c\u300e\u3010\u201c\u2018", c);
}

static size_t skip_spaces(const char *s, size_t i)
{
	while (s[i] == ' ')
		i++;
	return i;
}

size_t draw_wrap(const char *s, int cells, size_t *next)
{
	size_t i = 0, brk = 0, len;
	wchar_t c, prev = 0;
	int used = 0, w, prev_w = 0;

	while (s[i]) {
		len = u8_char(s + i, &c);
		w = cell_width(c);
		if (c == ' ')
			brk = i;
		else if (i > 0 && prev != ' ' && (w == 2 || prev_w == 2) &&
		         !no_break_before(c) && !no_break_after(prev))
			brk = i;
		if (used + w > cells && i > 0) {
			size_t end = (c == ' ' || brk == 0) ? i : brk, cut = end;

			while (cut > 0 && s[cut - 1] == ' ')
				cut--;
			if (cut == 0) {         /* only spaces before: cut the word */
				*next = i;
				return i;
			}
			*next = skip_spaces(s, end);
			return cut;
		}
		used += w;
		prev = c;
		prev_w = w;
		i += len;
	}
	*next = i;
	return i;
}

int draw_put_wrapped(int y, int top, int bottom, int x, const char *s,
                     int cells, int hang, enum draw_style st)
{
	char line[1024];
	size_t n, next;
	int rows = 0, ind = 0;

	if (hang > cells / 2)
		hang = cells / 2;
	do {
		n = draw_wrap(s, cells - ind, &next);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		if (y >= 0 && y + rows >= top && y + rows <= bottom) {
			if (ind)
				mvhline(y + rows, x, ' ', ind);
			draw_put_pad(y + rows, x + ind, line, cells - ind, st);
		}
		rows++;
		s += next;
		ind = hang;
	} while (*s);
	return rows;
}

void draw_clear_body(void)
{
	int y;

	for (y = BODY_TOP; y <= BODY_BOTTOM; y++) {
		move(y, 0);
		clrtoeol();
	}
}

char *draw_to_term(const char *utf8)
{
	char *out = NULL;
	size_t n;

	if (!term.codeset)
		return xstrdup(utf8);
	if (text_from_utf8(term.codeset, utf8, strlen(utf8), &out, &n) != KP_OK)
		return xstrdup("?");
	return out;
}

char *draw_from_term(const char *s)
{
	char *out = NULL;
	size_t n;

	if (!term.codeset)
		return xstrdup(s);
	if (text_to_utf8(term.codeset, s, strlen(s), &out, &n) != KP_OK)
		return NULL;
	return out;
}

void draw_msg_line(const char *text, enum msg_kind kind)
{
	static const enum draw_style st[] = {
		[MSG_INFO] = ST_NORMAL, [MSG_OK] = ST_OK,
		[MSG_WARN] = ST_WARN, [MSG_ERROR] = ST_ERROR,
	};

	draw_put_pad(MSG_ROW, 0, text, COLS, st[kind]);
}

const char *draw_num(double v, char buf[32])
{
	return quota_format(v, 1, buf);
}
