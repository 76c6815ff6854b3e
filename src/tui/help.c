/* help.c - the help screen, generated from the key table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "ui.h"

#define HELP_MAX 160

static struct {
	char *lines[HELP_MAX];
	enum ui_style style[HELP_MAX];
	int n, top;
	unsigned want;      /* screens mask of the section being built */
	bool general;       /* building the "everywhere" section */
} H;

/* A line made of a and b. */
static void help_add(enum ui_style st, const char *a, const char *b)
{
	char buf[512];

	if (H.n == HELP_MAX)
		return;
	snprintf(buf, sizeof buf, "%s%s", a, b);
	H.lines[H.n] = xstrdup(buf);
	H.style[H.n++] = st;
}

static int popcount(unsigned v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void help_row(void *ctx, const char *keys, const char *help,
                     unsigned screens)
{
	char pad[64];
	int w = (int)text_width(keys);

	(void)ctx;
	if (H.general ? popcount(screens) < 3 :
	    (popcount(screens) >= 3 || !(screens & H.want)))
		return;
	snprintf(pad, sizeof pad, "  %s%*s", keys, w < 22 ? 22 - w : 1, "");
	help_add(ST_NORMAL, pad, help);
}

static void help_section(const char *title, unsigned mask, bool general)
{
	H.want = mask;
	H.general = general;
	if (H.n)
		help_add(ST_NORMAL, "", "");
	help_add(ST_HEAD, title, "");
	keys_help(help_row, NULL);
}

static void help_free(void)
{
	int i;

	for (i = 0; i < H.n; i++)
		free(H.lines[i]);
	H.n = 0;
}

static void help_enter(struct tui *t, const void *arg)
{
	const struct schema *sc = t->lg->schema;
	char forms[256] = "";
	size_t i;

	(void)arg;
	help_free();
	H.top = 0;
	help_section(L("所有屏幕", "Everywhere"), 0, true);
	help_section(L("首页", "Home"), SB(SCR_DASHBOARD), false);
	for (i = 0; i < sc->nforms && i < 9; i++)
		snprintf(forms + strlen(forms), sizeof forms - strlen(forms),
		         "%zu %s  ", i + 1, form_label(&sc->forms[i]));
	help_add(ST_NORMAL, L("  表单：", "  Forms: "), forms);
	help_section(L("录入", "Entry"), SB(SCR_ENTRY), false);
	help_add(ST_NORMAL, "  ", L("日期可写 2025-03-05、2025/3/5、20250305、3-5（今年）、"
	                               "今天/t、昨天/y、-3（三天前）",
	                               "Dates: 2025-03-05, 2025/3/5, 20250305, 3-5 "
	                               "(this year), today/t, yesterday/y, -3 "
	                               "(three days ago)"));
	help_add(ST_NORMAL, "  ", L("栏内：←/→ 移动，Home/End 或 ^A/^E 到头尾，"
	                               "Backspace/Del 删除",
	                               "In a field: Left/Right, Home/End or ^A/^E, "
	                               "Backspace/Del"));
	help_section(L("记录", "Records"), SB(SCR_RECORDS), false);
	help_section(L("U 盘数据包", "USB bundles"), SB(SCR_BUNDLE), false);
	help_add(ST_NORMAL, "", "");
	help_add(ST_NORMAL, L("PuTTY / Xshell 吞掉功能键时，用 ^ 开头的 Ctrl 组合键"
	                              "（^S 即 Ctrl+S）。",
	                              "When PuTTY or Xshell takes the function keys, "
	                              "use the Ctrl keys (^S is Ctrl+S)."), "");
}

static void help_leave(struct tui *t)
{
	(void)t;
	help_free();
}

static void help_draw(struct tui *t)
{
	int y, i;

	(void)t;
	ui_clear_body();
	for (y = BODY_TOP, i = H.top; y <= BODY_BOTTOM && i < H.n; y++, i++)
		ui_put(y, 1, H.lines[i], COLS - 2, H.style[i]);
}

static int help_key(struct tui *t, struct tkey k, enum action act, int arg)
{
	int rows = BODY_BOTTOM - BODY_TOP + 1;

	(void)t;
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		H.top -= H.top > 0;
		return RD_BODY;
	case ACT_DOWN:
		H.top += H.top + rows < H.n;
		return RD_BODY;
	case ACT_PAGE_UP:
		H.top = H.top > rows ? H.top - rows : 0;
		return RD_BODY;
	case ACT_PAGE_DOWN:
		if (H.top + rows < H.n)
			H.top += rows;
		return RD_BODY;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops help_ops = {
	.id = SCR_HELP,
	.title_zh = "帮助",
	.title_en = "Help",
	.text_input = false,
	.enter = help_enter,
	.leave = help_leave,
	.draw = help_draw,
	.key = help_key,
};
