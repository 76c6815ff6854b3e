/* pick.c - the pick list for choice fields: a menu that filters as the
 * clerk types a number, a code or part of the label (Chinese included),
 * run as a question of prompt.c's key loop.
 *
 * The list never holds on to keys it cannot use: when nothing matches,
 * Tab and Enter leave it (nothing chosen, on to the next field) and F2
 * saves, so a clerk typing a sheet blind does not pour the rest of it
 * into the filter.  An exact number, code or label wins; several partial
 * matches need the clerk to move to one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <ncursesw/menu.h>

#include "err.h"
#include "lang.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"

#define ESC 27
#define FILTER_MAX 64

struct pick {
	const char *title;
	const struct choice *c;
	size_t n;
	char **names, **descs;  /* per choice, in the terminal's encoding */
	ITEM **items;           /* the matching ones, NULL-terminated */
	int *map;               /* items[i] is choice map[i] */
	size_t nitems;
	MENU *menu;
	WINDOW *win, *sub;
	int rows, w;
	wchar_t filter[FILTER_MAX];
	size_t nfilter;
	int exact;              /* item matching the filter exactly, or -1 */
	bool moved;             /* moved in the list since the filter changed */
	const char *hint;       /* said on the bottom edge (static), or NULL */
};

static bool pick_match(const struct pick *p, size_t i, const char *f)
{
	char num[24];

	if (!*f)
		return true;
	snprintf(num, sizeof num, "%zu", i + 1);
	return strncmp(num, f, strlen(f)) == 0 ||
	       strcasestr(p->c[i].code, f) ||
	       strstr(p->c[i].label_zh ? p->c[i].label_zh : "", f) ||
	       strcasestr(p->c[i].label_en ? p->c[i].label_en : "", f);
}

/* Choice i is exactly what was typed: its number, code or a label. */
static bool pick_exact(const struct pick *p, size_t i, const char *f)
{
	char num[24];

	snprintf(num, sizeof num, "%zu", i + 1);
	return *f && (strcmp(num, f) == 0 || strcasecmp(p->c[i].code, f) == 0 ||
	              (p->c[i].label_zh && strcmp(p->c[i].label_zh, f) == 0) ||
	              (p->c[i].label_en && *p->c[i].label_en &&
	               strcasecmp(p->c[i].label_en, f) == 0));
}

/* The filter as UTF-8. */
static char *pick_filter(const struct pick *p)
{
	char mb[FILTER_MAX * 8], *term;
	size_t n;

	n = wcstombs(mb, p->filter, sizeof mb - 1);
	if (n == (size_t)-1)
		return xstrdup("");
	mb[n] = '\0';
	term = draw_from_term(mb);
	return term ? term : xstrdup("");
}

static void pick_items_free(struct pick *p)
{
	size_t i;

	for (i = 0; i < p->nitems; i++)
		free_item(p->items[i]);
	p->nitems = 0;
	p->items[0] = NULL;
}

static void pick_refill(struct pick *p, int want)
{
	char *f = pick_filter(p);
	size_t i;
	int sel = 0;

	if (p->menu) {
		unpost_menu(p->menu);
		set_menu_items(p->menu, NULL);
	}
	pick_items_free(p);
	p->exact = -1;
	p->moved = false;
	p->hint = NULL;
	for (i = 0; f && i < p->n; i++) {
		if (!pick_match(p, i, f))
			continue;
		if ((int)i == want)
			sel = (int)p->nitems;
		if (p->exact < 0 && pick_exact(p, i, f))
			p->exact = (int)p->nitems;
		p->map[p->nitems] = (int)i;
		p->items[p->nitems++] = new_item(p->names[i], p->descs[i]);
	}
	p->items[p->nitems] = NULL;
	if (p->exact >= 0)
		sel = p->exact;
	free(f);
	werase(p->sub);
	if (p->nitems > 0) {
		if (!p->menu)
			p->menu = new_menu(p->items);
		else
			set_menu_items(p->menu, p->items);
		set_menu_win(p->menu, p->win);
		set_menu_sub(p->menu, p->sub);
		set_menu_format(p->menu, p->rows, 1);
		set_menu_mark(p->menu, ">");
		post_menu(p->menu);
		set_current_item(p->menu, p->items[sel]);
	} else {
		draw_wput(p->sub, 0, 1, L("（没有相符的选项）", "(nothing matches)"),
		          p->w - 4, ST_WARN, false);
		if (p->rows > 1)
			draw_wput(p->sub, 1, 1, L("Backspace 改；Tab/回车 跳过本栏；Esc 不选",
			                          "Backspace edits; Tab/Enter skips; "
			                          "Esc leaves"), p->w - 4, ST_NORMAL, false);
		if (p->rows > 2)
			draw_wput(p->sub, 2, 1, L("F2 照样保存（本栏空着）",
			                          "F2 saves anyway (field left empty)"),
			          p->w - 4, ST_NORMAL, false);
	}
}

static void pick_draw_frame(struct pick *p)
{
	char line[256], *f = pick_filter(p);

	wborder(p->win, '|', '|', '-', '-', '+', '+', '+', '+');
	draw_wput(p->win, 0, 2, p->title, p->w - 4, ST_HEAD, false);
	if (p->hint)
		draw_wput(p->win, p->rows + 2, 2, p->hint, p->w - 4, ST_WARN, false);
	snprintf(line, sizeof line, "%s%s", L("筛选：", "Filter: "), f ? f : "");
	draw_wput(p->win, 1, 2, line, p->w - 4, ST_NORMAL, true);
	free(f);
}

/* The frame, the menu's cursor, one update for the screen and the list. */
static int pick_show(void *ctx)
{
	struct pick *p = ctx;

	pick_draw_frame(p);
	if (p->menu && p->nitems)
		pos_menu_cursor(p->menu);
	wnoutrefresh(stdscr);
	wnoutrefresh(p->win);
	doupdate();
	return PROMPT_MORE;
}

static int pick_setup(struct pick *p)
{
	size_t i;
	int maxw = 10, h, y, x;

	p->names = calloc(p->n, sizeof *p->names);
	p->descs = calloc(p->n, sizeof *p->descs);
	p->items = calloc(p->n + 1, sizeof *p->items);
	p->map = calloc(p->n + 1, sizeof *p->map);
	if (!p->names || !p->descs || !p->items || !p->map)
		return kp_err_nomem();
	for (i = 0; i < p->n; i++) {
		char num[24];
		int w;

		snprintf(num, sizeof num, "%2zu", i + 1);
		p->names[i] = xstrdup(num);
		p->descs[i] = draw_to_term(choice_label(&p->c[i]));
		if (!p->names[i] || !p->descs[i])
			return kp_err_nomem();
		w = (int)text_width(choice_label(&p->c[i]));
		if (w > maxw)
			maxw = w;
	}
	p->w = maxw + 10;
	/* Room for the hints when nothing matches. */
	if (p->w < (int)text_width(L("Backspace 改；Tab/回车 跳过本栏；Esc 不选",
	                             "Backspace edits; Tab/Enter skips; "
	                             "Esc leaves")) + 6)
		p->w = (int)text_width(L("Backspace 改；Tab/回车 跳过本栏；Esc 不选",
		                         "Backspace edits; Tab/Enter skips; "
		                         "Esc leaves")) + 6;
	if (p->w > COLS - 4)
		p->w = COLS - 4;
	p->rows = (int)p->n < 3 ? 3 : (int)p->n;
	if (p->rows > LINES - 8)
		p->rows = LINES - 8;
	h = p->rows + 3;
	y = 2;
	x = (COLS - p->w) / 2;
	p->win = newwin(h, p->w, y, x);
	if (!p->win)
		return kp_err_nomem();
	p->sub = derwin(p->win, p->rows, p->w - 2, 2, 1);
	if (!p->sub)
		return kp_err_nomem();
	keypad(p->win, TRUE);
	return KP_OK;
}

static void pick_teardown(struct pick *p)
{
	size_t i;

	if (p->menu) {
		unpost_menu(p->menu);
		free_menu(p->menu);
	}
	if (p->items)
		pick_items_free(p);
	for (i = 0; i < p->n; i++) {
		if (p->names)
			free(p->names[i]);
		if (p->descs)
			free(p->descs[i]);
	}
	free(p->names);
	free(p->descs);
	free(p->items);
	free(p->map);
	if (p->sub)
		delwin(p->sub);
	if (p->win)
		delwin(p->win);
	touchwin(stdscr);
}

/* What the list answers to prompt_run: how it was left and the index
 * chosen (-1: none) in one int (PROMPT_MORE: go on).  Lists are shorter
 * than PICK_MAX. */
#define PICK_MAX 999
#define ANSWER(how, idx) ((int)(how) * (PICK_MAX + 1) + (idx) + 1)

/* The choice under the cursor, when Enter may take it: one match, an
 * exact one, or one the clerk moved to; else -1 with the hint set. */
static int pick_taken(struct pick *p)
{
	int cur = item_index(current_item(p->menu));

	if (p->nfilter == 0 || p->nitems == 1 || p->moved ||
	    (p->exact >= 0 && cur == p->exact))
		return p->map[cur];
	p->hint = L("几项都相符：用上下键选中一项再按回车",
	            "Several match: move to one with Up/Down, then Enter");
	return -1;
}

static int pick_key(void *ctx, struct tkey k)
{
	struct pick *p = ctx;
	enum action act = keys_action(SCR_ENTRY, true, k, NULL);
	int got;

	if (keys_printable(k)) {
		if (p->nfilter + 1 < FILTER_MAX) {
			p->filter[p->nfilter++] = (wchar_t)k.ch;
			p->filter[p->nfilter] = L'\0';
		}
		pick_refill(p, -1);
		return PROMPT_MORE;
	}
	if (act == ACT_DEL_PREV) {
		if (p->nfilter > 0)
			p->filter[--p->nfilter] = L'\0';
		pick_refill(p, -1);
		return PROMPT_MORE;
	}
	if (act == ACT_CANCEL || (k.fn && k.ch == KEY_BTAB))
		return ANSWER(PICK_CANCELLED, -1);
	if ((act == ACT_NEXT_FIELD && !k.fn) || act == ACT_CHOOSE ||
	    act == ACT_SAVE) {
		enum pick_how how = act == ACT_SAVE ? PICK_SAVE : PICK_CHOSEN;

		if (p->nitems == 0)
			return ANSWER(act == ACT_SAVE ? PICK_SAVE : PICK_NO_MATCH, -1);
		got = pick_taken(p);
		return got >= 0 ? ANSWER(how, got) : PROMPT_MORE;
	}
	if (!p->menu || !p->nitems)
		return PROMPT_MORE;
	switch (k.fn ? (int)k.ch : 0) {
	case KEY_UP: menu_driver(p->menu, REQ_UP_ITEM); break;
	case KEY_DOWN: menu_driver(p->menu, REQ_DOWN_ITEM); break;
	case KEY_NPAGE: menu_driver(p->menu, REQ_SCR_DPAGE); break;
	case KEY_PPAGE: menu_driver(p->menu, REQ_SCR_UPAGE); break;
	case KEY_HOME: menu_driver(p->menu, REQ_FIRST_ITEM); break;
	case KEY_END: menu_driver(p->menu, REQ_LAST_ITEM); break;
	default: return PROMPT_MORE;
	}
	p->moved = true;
	p->hint = NULL;
	return PROMPT_MORE;
}

struct pick_result pick_choose(struct tui *t, const char *title,
                               const struct choice *c, size_t n, int current,
                               const char *initial)
{
	struct pick p;
	/* A resize cancels: the list was laid out for the old size. */
	const struct prompt_loop loop = { pick_show, pick_key,
	                                  ANSWER(PICK_CANCELLED, -1), &p };
	struct pick_result res = { -1, PICK_CANCELLED, "" };
	char *f;
	int r;

	memset(&p, 0, sizeof p);
	p.title = title;
	p.c = c;
	p.n = n < PICK_MAX ? n : PICK_MAX - 1;
	p.exact = -1;
	if (n == 0 || pick_setup(&p) != KP_OK)
		goto out;
	if (initial && *initial) {
		char *term = draw_to_term(initial);
		size_t m = term ? mbstowcs(p.filter, term, FILTER_MAX - 1) :
		                  (size_t)-1;

		free(term);
		p.nfilter = m == (size_t)-1 ? 0 : m;
		p.filter[p.nfilter] = L'\0';
	}
	pick_refill(&p, current);
	r = prompt_run(t, &loop);
	res.how = (enum pick_how)(r / (PICK_MAX + 1));
	res.chosen = r % (PICK_MAX + 1) - 1;
	if ((f = pick_filter(&p))) {
		snprintf(res.filter, sizeof res.filter, "%s", f);
		free(f);
	}
out:
	pick_teardown(&p);
	return res;
}
