/* ui.c - drawing helpers, the message line, questions and prompts. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "err.h"
#include "lang.h"
#include "quota.h"
#include "text.h"
#include "ui.h"

#define ESC 27

/* The TUI whose colour and encoding the drawing helpers follow. */
static const struct tui *ui_cur;

enum { PAIR_TITLE = 1, PAIR_ERROR, PAIR_WARN, PAIR_OK, PAIR_HEAD };

/* Colour is a bonus: every style has an attribute that works on a vt100. */
void ui_setup(const struct tui *t)
{
	ui_cur = t;
	if (t->colour) {
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
	}
}

attr_t ui_attr(const struct tui *t, enum ui_style st)
{
	bool c;

	if (!t)
		t = ui_cur;
	c = t && t->colour;
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
static size_t ui_widen(const char *s, int cells, wchar_t *out, size_t max,
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

static int ui_put_impl(WINDOW *win, int y, int x, const char *s, int cells,
                       enum ui_style st, bool pad)
{
	wchar_t buf[512];
	char *conv = NULL;
	int used = 0;
	size_t n;

	if (cells <= 0)
		return 0;
	if (s && ui_cur && ui_cur->codeset)
		conv = ui_to_term(ui_cur, s);
	n = ui_widen(conv ? conv : (s ? s : ""), cells, buf,
	             sizeof buf / sizeof buf[0], &used);
	free(conv);
	wattr_set(win, ui_attr(NULL, st), 0, NULL);
	if (n > 0)
		mvwaddnwstr(win, y, x, buf, (int)n);
	else
		wmove(win, y, x);
	if (pad && used < cells) {
		wattr_set(win, A_NORMAL, 0, NULL);
		mvwhline(win, y, x + used, ' ', cells - used);
	}
	wattr_set(win, A_NORMAL, 0, NULL);
	return used;
}

int ui_put(int y, int x, const char *s, int cells, enum ui_style st)
{
	return ui_put_impl(stdscr, y, x, s, cells, st, false);
}

int ui_put_pad(int y, int x, const char *s, int cells, enum ui_style st)
{
	return ui_put_impl(stdscr, y, x, s, cells, st, true);
}

int ui_wput(WINDOW *w, int y, int x, const char *s, int cells,
            enum ui_style st, bool pad)
{
	return ui_put_impl(w, y, x, s, cells, st, pad);
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

size_t ui_wrap(const char *s, int cells, size_t *next)
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

int ui_put_wrapped(int y, int top, int bottom, int x, const char *s,
                   int cells, int hang, enum ui_style st)
{
	char line[1024];
	size_t n, next;
	int rows = 0, ind = 0;

	if (hang > cells / 2)
		hang = cells / 2;
	do {
		n = ui_wrap(s, cells - ind, &next);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		if (y >= 0 && y + rows >= top && y + rows <= bottom) {
			if (ind)
				mvhline(y + rows, x, ' ', ind);
			ui_put_pad(y + rows, x + ind, line, cells - ind, st);
		}
		rows++;
		s += next;
		ind = hang;
	} while (*s);
	return rows;
}

void ui_clear_body(void)
{
	int y;

	for (y = BODY_TOP; y <= BODY_BOTTOM; y++) {
		move(y, 0);
		clrtoeol();
	}
}

char *ui_to_term(const struct tui *t, const char *utf8)
{
	char *out = NULL;
	size_t n;

	if (!t->codeset)
		return xstrdup(utf8);
	if (text_from_utf8(t->codeset, utf8, strlen(utf8), &out, &n) != KP_OK)
		return xstrdup("?");
	return out;
}

char *ui_from_term(const struct tui *t, const char *s)
{
	char *out = NULL;
	size_t n;

	if (!t->codeset)
		return xstrdup(s);
	if (text_to_utf8(t->codeset, s, strlen(s), &out, &n) != KP_OK)
		return NULL;
	return out;
}

void ui_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_kind = kind;
}

void ui_msg_draw(struct tui *t)
{
	static const enum ui_style st[] = {
		[MSG_INFO] = ST_NORMAL, [MSG_OK] = ST_OK,
		[MSG_WARN] = ST_WARN, [MSG_ERROR] = ST_ERROR,
	};

	if (t->small)
		return;
	ui_put_pad(MSG_ROW, 0, t->msg, COLS, st[t->msg_kind]);
}

int ui_ask(struct tui *t, const char *question, const char *answers)
{
	struct tkey k;
	int cells;

	ui_msg(t, MSG_WARN, "%s", question);
	for (;;) {
		tui_paint(t, RD_MSG);
		cells = (int)text_width(t->msg);
		move(MSG_ROW, cells < COLS ? cells : COLS - 1);
		curs_set(1);
		refresh();
		if (tui_getkey(t, &k) != 0)
			continue;
		k = keys_normalise(k);
		if (!k.fn && k.ch == ESC)
			break;
		if (!k.fn && k.ch < 128 && k.ch > 0 &&
		    strchr(answers, tolower((int)k.ch)))
			return tolower((int)k.ch);
		if (!k.fn && (k.ch == '\r' || k.ch == '\n'))
			break;
	}
	return 0;
}

void ui_field_set(const struct tui *t, FIELD *f, const char *utf8)
{
	char *s = ui_to_term(t, utf8 ? utf8 : "");

	set_field_buffer(f, 0, s ? s : "");
	free(s);
}

/* A field of several rows holds each row as `cols` cells, one per
 * character: a row of wide characters is padded with blanks after its
 * last one.  Take each row's characters up to its width, then skip that
 * padding, so the rows join into the value typed. */
static char *join_rows(const char *raw, int rows, int cols)
{
	size_t n = mbstowcs(NULL, raw, 0), i = 0, o = 0;
	wchar_t *w;
	char *out = NULL;
	int r;

	if (n == (size_t)-1 || !(w = calloc(n + 1, sizeof *w)))
		return NULL;
	mbstowcs(w, raw, n + 1);
	for (r = 0; r < rows && i < n; r++) {
		size_t start = i;
		int used = 0;

		while (i < n && i < start + (size_t)cols) {
			int cw = wcwidth(w[i]) > 0 ? wcwidth(w[i]) : 1;

			if (used + cw > cols)
				break;
			used += cw;
			w[o++] = w[i++];
		}
		while (r + 1 < rows && i < n && i < start + (size_t)cols && w[i] == L' ')
			i++;
	}
	w[o] = L'\0';
	n = wcstombs(NULL, w, 0);
	if (n != (size_t)-1 && (out = malloc(n + 1)))
		wcstombs(out, w, n + 1);
	free(w);
	return out;
}

char *ui_field_get(const struct tui *t, FORM *fm, FIELD *f)
{
	char *raw, *copy, *utf;
	size_t n;
	int rows = 1, cols = 1, fr, fc, os, nb;

	if (fm)
		form_driver_w(fm, KEY_CODE_YES, REQ_VALIDATION);
	raw = field_buffer(f, 0);
	field_info(f, &rows, &cols, &fr, &fc, &os, &nb);
	if (raw && rows > 1)
		copy = join_rows(raw, rows, cols);
	else
		copy = xstrdup(raw ? raw : "");
	if (!copy)
		return NULL;
	n = strlen(copy);
	while (n > 0 && copy[n - 1] == ' ')
		copy[--n] = '\0';
	utf = ui_from_term(t, copy);
	free(copy);
	if (utf)
		text_trim(utf);
	return utf;
}

/* prompt_loop's answer when the window was resized: *kept holds what was
 * typed, and the prompt is shown again where the new size puts it. */
#define PROMPT_AGAIN (-1)

/* One line editor on the message line, driven like an entry field. */
static int prompt_loop(struct tui *t, FORM *fm, FIELD *fld, char *out,
                       size_t size, char **kept)
{
	struct tkey k;

	for (;;) {
		/* Kept before each key: a resize repaints the screen, and the
		 * field would then read back blank. */
		free(*kept);
		*kept = ui_field_get(t, fm, fld);
		if (!*kept)
			return KP_E_NOMEM;
		pos_form_cursor(fm);
		refresh();
		if (tui_getkey(t, &k) != 0)
			return PROMPT_AGAIN;
		k = keys_normalise(k);
		if (keys_printable(k)) {
			form_driver_w(fm, OK, k.ch);
			continue;
		}
		if (!k.fn && k.ch == ESC)
			return KP_NOTFOUND;
		if (!k.fn && (k.ch == '\r' || k.ch == '\n')) {
			char *v = ui_field_get(t, fm, fld);

			if (!v)
				return KP_E_NOMEM;
			snprintf(out, size, "%s", v);
			free(v);
			return KP_OK;
		}
		if (!k.fn && k.ch == CTRL_KEY('u')) {
			form_driver_w(fm, KEY_CODE_YES, REQ_CLR_FIELD);
			continue;
		}
		switch (k.fn ? (int)k.ch : 0) {
		case KEY_BACKSPACE: form_driver_w(fm, KEY_CODE_YES, REQ_DEL_PREV); break;
		case KEY_DC: form_driver_w(fm, KEY_CODE_YES, REQ_DEL_CHAR); break;
		case KEY_LEFT: form_driver_w(fm, KEY_CODE_YES, REQ_PREV_CHAR); break;
		case KEY_RIGHT: form_driver_w(fm, KEY_CODE_YES, REQ_NEXT_CHAR); break;
		case KEY_HOME: form_driver_w(fm, KEY_CODE_YES, REQ_BEG_FIELD); break;
		case KEY_END: form_driver_w(fm, KEY_CODE_YES, REQ_END_FIELD); break;
		default: break;
		}
	}
}

static int prompt_once(struct tui *t, const char *label, char **kept,
                       char *out, size_t size)
{
	FIELD *flds[2] = { NULL, NULL };
	FORM *fm = NULL;
	WINDOW *sub = NULL;
	int x, w, rc = KP_E_NOMEM;

	move(MSG_ROW, 0);
	clrtoeol();
	x = ui_put(MSG_ROW, 0, label, COLS / 2, ST_WARN) + 1;
	w = (COLS - x - 1) & ~1;
	flds[0] = new_field(1, w, 0, 0, 0, 0);
	if (!flds[0])
		goto out;
	field_opts_off(flds[0], O_AUTOSKIP | O_BLANK);
	field_opts_on(flds[0], O_STATIC);
	set_field_back(flds[0], A_NORMAL);
	ui_field_set(t, flds[0], *kept);
	fm = new_form(flds);
	sub = derwin(stdscr, 1, w, MSG_ROW, x);
	if (!fm || !sub)
		goto out;
	set_form_opts(fm, form_opts(fm) & ~(O_BS_OVERLOAD | O_NL_OVERLOAD));
	set_form_win(fm, stdscr);
	set_form_sub(fm, sub);
	if (post_form(fm) != E_OK)
		goto out;
	form_driver_w(fm, KEY_CODE_YES, REQ_END_FIELD);
	curs_set(1);
	rc = prompt_loop(t, fm, flds[0], out, size, kept);
	unpost_form(fm);
out:
	if (fm)
		free_form(fm);
	if (sub)
		delwin(sub);
	if (flds[0])
		free_field(flds[0]);
	return rc;
}

int ui_prompt(struct tui *t, const char *label, const char *initial,
              char *out, size_t size)
{
	char *kept = xstrdup(initial ? initial : "");
	struct tkey k;
	int rc;

	if (!kept)
		return KP_E_NOMEM;
	do {
		/* Too small to show anything: wait for a usable size. */
		while (t->small)
			tui_getkey(t, &k);
		rc = prompt_once(t, label, &kept, out, size);
	} while (rc == PROMPT_AGAIN);
	free(kept);
	t->msg[0] = '\0';
	ui_msg_draw(t);
	return rc;
}

const char *ui_num(double v, char buf[32])
{
	return quota_format(v, 1, buf);
}
