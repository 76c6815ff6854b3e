/* help.c - the help screen, generated from the key table.
 *
 * The help is a list of paragraphs (a heading, a key and what it does, a
 * note); they are wrapped to the window's width by display width, so a
 * long sentence continues on the next row under its own column instead
 * of being cut, and the rows scroll when they outnumber the screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "screen.h"
#include "screens.h"

#define HELP_MAX 160
#define KEYS_W 22           /* the keys column, after a 2-cell indent */

struct help_row {           /* one row on screen */
	int para;
	size_t off, len;        /* the part of the paragraph's text */
	int indent;             /* cells before it */
};

struct help {
	char *text[HELP_MAX];
	int hang[HELP_MAX];     /* indent of the rows after the first */
	enum draw_style style[HELP_MAX];
	int n;
	struct help_row *rows;
	int nrows, top, cols;   /* cols: the width rows were made for */
	unsigned want;          /* screens mask of the section being built */
	bool general;           /* building the "everywhere" section */
	struct help_arg kept;   /* the message of the screen below */
};

/* A paragraph made of a and b; rows after its first are indented by
 * hang cells. */
static void help_add(struct help *h, enum draw_style st, int hang,
                     const char *a, const char *b)
{
	char buf[1024];

	if (h->n == HELP_MAX)
		return;
	snprintf(buf, sizeof buf, "%s%s", a, b);
	h->text[h->n] = xstrdup(buf);
	h->hang[h->n] = hang;
	h->style[h->n++] = st;
}

static void help_row(void *ctx, const char *keys, const char *help,
                     unsigned screens)
{
	struct help *h = ctx;
	/* "Everywhere" is every screen (help itself may be left out: F1
	 * there does nothing); the rest goes under each screen it works on. */
	bool everywhere = (screens | SB(SCR_HELP)) == (1u << SCR__COUNT) - 1;
	char pad[96];
	int w = (int)text_width(keys);

	if (h->general ? !everywhere : (everywhere || !(screens & h->want)))
		return;
	snprintf(pad, sizeof pad, "  %s%*s", keys, w < KEYS_W ? KEYS_W - w : 1, "");
	help_add(h, ST_NORMAL, 2 + (w < KEYS_W ? KEYS_W : w + 1), pad, help);
}

static void help_section(struct help *h, const char *title, unsigned mask,
                         bool general)
{
	h->want = mask;
	h->general = general;
	if (h->n)
		help_add(h, ST_NORMAL, 0, "", "");
	help_add(h, ST_HEAD, 0, title, "");
	keys_help(help_row, h);
}

/* Cut the paragraphs into rows of the window's width. */
static void help_layout(struct help *h)
{
	int cells = COLS - 2, i, cap = 0;

	h->nrows = 0;
	h->cols = COLS;
	for (i = 0; i < h->n; i++) {
		const char *s = h->text[i];
		size_t off = 0, next;
		int indent = 0;

		do {
			struct help_row *r;

			if (h->nrows == cap) {
				struct help_row *more;

				cap = cap ? cap * 2 : 64;
				more = realloc(h->rows, (size_t)cap * sizeof *more);
				if (!more)
					return;
				h->rows = more;
			}
			r = &h->rows[h->nrows++];
			r->para = i;
			r->off = off;
			r->indent = indent;
			r->len = draw_wrap(s + off, cells - indent, &next);
			off += next;
			indent = h->hang[i] < cells / 2 ? h->hang[i] : cells / 2;
		} while (s[off]);
	}
}

static int help_page(void)
{
	return BODY_BOTTOM - BODY_TOP + 1;
}

static void help_clamp(struct help *h)
{
	if (h->top > h->nrows - help_page())
		h->top = h->nrows - help_page();
	if (h->top < 0)
		h->top = 0;
}

static void help_free(struct help *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->text[i]);
	h->n = 0;
	free(h->rows);
	h->rows = NULL;
	h->nrows = 0;
}

static void help_enter(struct tui *t, void *st, const void *arg)
{
	struct help *h = st;
	const struct schema *sc = t->lg->schema;
	char forms[512] = "";
	size_t i;

	if (arg)
		h->kept = *(const struct help_arg *)arg;
	help_section(h, L("所有屏幕", "Everywhere"), 0, true);
	help_section(h, L("首页", "Home"), SB(SCR_DASHBOARD), false);
	for (i = 0; i < sc->nforms && i < 9; i++)
		snprintf(forms + strlen(forms), sizeof forms - strlen(forms),
		         "%zu %s  ", i + 1, form_label(&sc->forms[i]));
	help_add(h, ST_NORMAL, 2 + (int)text_width(L("表单：", "Forms: ")),
	         L("  表单：", "  Forms: "), forms);
	help_section(h, L("录入", "Entry"), SB(SCR_ENTRY), false);
	help_add(h, ST_NORMAL, 2, "  ", L("日期可写 2025-03-05、2025/3/5、20250305、3-5（今年，即工作年度）、"
	                                  "今天/t、昨天/y、-3（三天前）",
	                                  "Dates: 2025-03-05, 2025/3/5, 20250305, 3-5 "
	                                  "(this year), today/t, yesterday/y, -3 "
	                                  "(three days ago)"));
	help_add(h, ST_NORMAL, 2, "  ", L("选项栏：输入序号、代码或中文筛选；完全相同的一项优先，"
	                                  "几项都相符时用上下键选定；没有相符的，Tab/回车跳过这一栏",
	                                  "Choice fields: type a number, code or words to "
	                                  "filter; an exact one wins, several matches need "
	                                  "Up/Down; with no match Tab/Enter skips the field"));
	help_section(h, L("记录", "Records"), SB(SCR_RECORDS), false);
	help_section(h, L("记录详情", "Record view"), SB(SCR_RECVIEW), false);
	help_section(h, L("U 盘数据包", "USB bundles"), SB(SCR_BUNDLE), false);
	help_section(h, L("规划评估", "Plan evaluation"), SB(SCR_PLAN), false);
	help_section(h, L("报送情况（市级）", "Who has reported (city)"),
	             SB(SCR_RECEIVED), false);
	help_section(h, L("草稿", "Drafts"), SB(SCR_DRAFTS), false);
	help_add(h, ST_NORMAL, 0, "", "");
	help_add(h, ST_NORMAL, 0, L("PuTTY / Xshell 吞掉功能键时，用 ^ 开头的 Ctrl 组合键"
	                            "（^S 即 Ctrl+S）。",
	                            "When PuTTY or Xshell takes the function keys, "
	                            "use the Ctrl keys (^S is Ctrl+S)."), "");
	help_layout(h);
}

static void help_leave(struct tui *t, void *st)
{
	struct help *h = st;

	/* The row count was the help's own: the screen below gets its
	 * message back (an error it showed must not vanish). */
	memcpy(t->msg, h->kept.msg, sizeof t->msg);
	t->msg_kind = h->kept.kind;
	help_free(h);
}

static void help_resize(struct tui *t, void *st)
{
	(void)t;
	help_layout(st);
	help_clamp(st);
}

static void help_draw(struct tui *t, void *st)
{
	struct help *h = st;
	char line[1024];
	int y, i;

	if (h->cols != COLS)
		help_layout(h);
	help_clamp(h);
	draw_clear_body();
	for (y = BODY_TOP, i = h->top; y <= BODY_BOTTOM && i < h->nrows; y++, i++) {
		const struct help_row *r = &h->rows[i];
		size_t n = r->len < sizeof line ? r->len : sizeof line - 1;

		memcpy(line, h->text[r->para] + r->off, n);
		line[n] = '\0';
		draw_put(y, 1 + r->indent, line, COLS - 2 - r->indent,
		         h->style[r->para]);
	}
	if (h->nrows > help_page())
		screen_msg(t, MSG_INFO, LF("帮助第 %d-%d 行，共 %d 行。空格/PgDn 下一页，"
		                           "-/PgUp 上一页，Esc 返回。",
		                           "Help rows %d-%d of %d. Space/PgDn next page, "
		                           "-/PgUp previous, Esc back."),
		           h->top + 1, i, h->nrows);
	else
		t->msg[0] = '\0';
}

static int help_key(struct tui *t, void *st, struct tkey k, enum action act,
                    int arg)
{
	struct help *h = st;
	int rows = help_page();

	(void)t;
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		h->top--;
		break;
	case ACT_DOWN:
		h->top++;
		break;
	case ACT_PAGE_UP:
		h->top -= rows;
		break;
	case ACT_PAGE_DOWN:
		h->top += rows;
		break;
	default:
		return RD_UNHANDLED;
	}
	help_clamp(h);
	return RD_BODY | RD_MSG;
}

const struct screen_ops help_ops = {
	.id = SCR_HELP,
	.title_zh = "帮助",
	.title_en = "Help",
	.text_input = false,
	.state_size = sizeof(struct help),
	.enter = help_enter,
	.leave = help_leave,
	.draw = help_draw,
	.key = help_key,
	.resize = help_resize,
};
