/* keys.c - the key table, the key bar and the help it generates. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <ncursesw/curses.h>

#include "keymap.h"
#include "lang.h"
#include "text.h"

#define ESC 27
#define MAXBIND 4

struct binding {
	bool fn;          /* a KEY_* code rather than a character */
	wint_t lo, hi;    /* a range, usually lo == hi */
	const char *name; /* as the clerk reads it */
};

struct keydef {
	enum action act;
	unsigned screens;
	unsigned flags;                  /* KD_* */
	const char *bar_zh, *bar_en;     /* NULL: not on the key bar */
	const char *help_zh, *help_en;
	struct binding keys[MAXBIND];
};

/* KD_BACK: the way back (or out) of its screen, kept on the key bar
 * whatever else must go.  KD_TOWNSHIP: only in a township database;
 * KD_CITY: only in a city database (on the key bar). */
enum { KD_BACK = 1, KD_TOWNSHIP = 2, KD_CITY = 4 };

#define ALL_SCR (SB(SCR_DASHBOARD) | SB(SCR_ENTRY) | SB(SCR_RECORDS) | \
                 SB(SCR_HELP) | SB(SCR_BUNDLE) | SB(SCR_PLAN) | SB(SCR_RECVIEW) | \
                 SB(SCR_RECEIVED) | SB(SCR_DRAFTS))
#define LIST_SCR (SB(SCR_DASHBOARD) | SB(SCR_RECORDS) | SB(SCR_HELP) | \
                  SB(SCR_PLAN) | SB(SCR_RECVIEW) | SB(SCR_RECEIVED) | \
                  SB(SCR_DRAFTS))
#define FN(code, nm) { true, (code), (code), (nm) }
#define CH(c, nm) { false, (c), (c), (nm) }

static const struct keydef table[] = {
	{ ACT_HELP, ALL_SCR & ~SB(SCR_HELP), 0, "帮助", "Help",
	  "显示本帮助", "Show this help",
	  { FN(KEY_F(1), "F1"), CH(CTRL_KEY('g'), "^G") } },
	/* Not on the entry screen, where '?' is text. */
	{ ACT_HELP, SB(SCR_DASHBOARD) | SB(SCR_RECORDS) | SB(SCR_BUNDLE) |
	  SB(SCR_PLAN) | SB(SCR_RECVIEW) | SB(SCR_RECEIVED), 0,
	  NULL, NULL, "显示本帮助", "Show this help",
	  { CH('?', "?") } },
	{ ACT_SAVE, SB(SCR_ENTRY), 0, "保存", "Save",
	  "检查并保存，显示对任务进度的影响",
	  "Check and save; shows what it did to the quotas",
	  { FN(KEY_F(2), "F2"), CH(CTRL_KEY('s'), "^S") } },
	{ ACT_SAVE_NEW, SB(SCR_ENTRY), 0, "存并新建", "Save+new",
	  "保存后直接录同一表单的下一张签到表，标了 = 的栏目留着（日期、主办单位、"
	  "地点，以及用 F5 标上的）",
	  "Save, then go straight to the next sheet of the form, keeping the "
	  "fields marked = (date, organizer, venue, and those marked with F5)",
	  { FN(KEY_F(3), "F3"), CH(CTRL_KEY('n'), "^N") } },
	{ ACT_CHOOSE, SB(SCR_ENTRY), 0, "选择", "Pick",
	  "选项栏：打开选择列表（可输入代码、序号或中文筛选）；日期栏：填今天",
	  "Choice field: open the pick list (type a code, number or text to "
	  "filter); date field: today",
	  { FN(KEY_F(4), "F4"), CH(CTRL_KEY('o'), "^O") } },
	{ ACT_KEEP, SB(SCR_ENTRY), 0, "保留", "Keep",
	  "标上或去掉本栏的 =：同一活动的几张签到表，存并新建时留着类别、名称等",
	  "Mark or unmark the field with =: for several sheets of one event, "
	  "save+new keeps it (category, title...)",
	  { FN(KEY_F(5), "F5"), CH(CTRL_KEY('t'), "^T") } },
	{ ACT_CANCEL, SB(SCR_ENTRY), KD_BACK, "取消", "Cancel",
	  "放弃这张表（有输入时先确认）",
	  "Leave the form (asks first when something was typed)",
	  { CH(ESC, "Esc"), FN(KEY_F(10), "F10"), CH(CTRL_KEY('x'), "^X") } },
	{ ACT_NEXT_FIELD, SB(SCR_ENTRY), 0, NULL, NULL,
	  "下一栏（离开时检查本栏）", "Next field (the field is checked as you leave it)",
	  { CH('\t', "Tab"), CH('\r', "Enter"), CH('\n', NULL),
	    FN(KEY_DOWN, "Down") } },
	{ ACT_PREV_FIELD, SB(SCR_ENTRY), 0, NULL, NULL,
	  "上一栏", "Previous field",
	  { FN(KEY_BTAB, "Shift-Tab"), FN(KEY_UP, "Up") } },
	{ ACT_CHAR_LEFT, SB(SCR_ENTRY), 0, NULL, NULL,
	  "栏内左移一个字", "In a field: one character left",
	  { FN(KEY_LEFT, "Left") } },
	{ ACT_CHAR_RIGHT, SB(SCR_ENTRY), 0, NULL, NULL,
	  "栏内右移一个字", "In a field: one character right",
	  { FN(KEY_RIGHT, "Right") } },
	{ ACT_FIELD_START, SB(SCR_ENTRY), 0, NULL, NULL,
	  "到本栏开头", "To the start of the field",
	  { FN(KEY_HOME, "Home"), CH(CTRL_KEY('a'), "^A") } },
	{ ACT_FIELD_END, SB(SCR_ENTRY), 0, NULL, NULL,
	  "到本栏末尾", "To the end of the field",
	  { FN(KEY_END, "End"), CH(CTRL_KEY('e'), "^E") } },
	{ ACT_DEL_PREV, SB(SCR_ENTRY), 0, NULL, NULL,
	  "删除光标前的字", "Delete the character before the cursor",
	  { FN(KEY_BACKSPACE, "Backspace") } },
	{ ACT_DEL_NEXT, SB(SCR_ENTRY), 0, NULL, NULL,
	  "删除光标处的字", "Delete the character under the cursor",
	  { FN(KEY_DC, "Del") } },
	{ ACT_KILL_END, SB(SCR_ENTRY), 0, NULL, NULL,
	  "删除光标到本栏末尾", "Delete from the cursor to the end of the field",
	  { CH(CTRL_KEY('k'), "^K") } },
	{ ACT_CLEAR_FIELD, SB(SCR_ENTRY), 0, NULL, NULL,
	  "清空本栏（选项栏也一样）", "Clear the field (a choice too)",
	  { CH(CTRL_KEY('u'), "^U") } },
	{ ACT_PAGE_UP, SB(SCR_ENTRY), 0, NULL, NULL,
	  "长表单分页时：上一页", "A form on several pages: previous page",
	  { FN(KEY_PPAGE, "PgUp") } },
	{ ACT_PAGE_DOWN, SB(SCR_ENTRY), 0, NULL, NULL,
	  "长表单分页时：下一页", "A form on several pages: next page",
	  { FN(KEY_NPAGE, "PgDn") } },
	{ ACT_NEW_FORM, SB(SCR_DASHBOARD) | SB(SCR_RECORDS), KD_TOWNSHIP, "新建", "New",
	  "新建记录：1 培训，2 科普活动，3 示范主体（按表单顺序）",
	  "New record: 1 training, 2 activity, 3 demonstration (form order)",
	  { { false, '1', '9', "1-9" } } },
	{ ACT_RECORDS, SB(SCR_DASHBOARD), 0, "记录", "Records",
	  "浏览、筛选、修改、删除记录", "Browse, filter, edit and delete records",
	  { CH('r', "r"), FN(KEY_F(6), "F6") } },
	{ ACT_BUNDLE, SB(SCR_DASHBOARD), 0, "U盘", "USB",
	  "U 盘数据包：导出、导入", "USB bundles: export, import",
	  { CH('b', "b"), FN(KEY_F(7), "F7") } },
	{ ACT_NAMES, SB(SCR_DASHBOARD), 0, "指标", "Names",
	  "指标全称、单位和全市目标（市级首页的表头用代号 #1、#2…）；再按一次返回",
	  "Indicators in full, with units and city targets (the city home "
	  "screen heads its columns #1, #2...); press again to go back",
	  { CH('i', "i") } },
	{ ACT_YEAR, SB(SCR_DASHBOARD) | SB(SCR_PLAN) | SB(SCR_RECEIVED), 0,
	  "年度", "Year",
	  "查看另一年度（输入年份，第一个规划起到今年）；首页、标题和规划评估随之改变",
	  "Show another year (type it: from the first plan to this year); home, "
	  "the title and the plan evaluation follow",
	  { CH('y', "y") } },
	{ ACT_YEAR_PREV, SB(SCR_DASHBOARD) | SB(SCR_RECEIVED), 0, NULL, NULL,
	  "查看上一年", "Show the year before",
	  { CH('[', "[") } },
	{ ACT_YEAR_NEXT, SB(SCR_DASHBOARD) | SB(SCR_RECEIVED), 0, NULL, NULL,
	  "查看下一年（最多到今年）", "Show the year after (up to this year)",
	  { CH(']', "]") } },
	{ ACT_PLAN, SB(SCR_DASHBOARD), 0, "规划", "Plan",
	  "规划评估：所看年度所属规划每年的任务、完成、状态，合计、达标年数和结论",
	  "Plan evaluation: each year of the shown year's plan (target, achieved, "
	  "status), the totals, years met and the verdict",
	  { CH('p', "p") } },
	{ ACT_RECEIVED, SB(SCR_DASHBOARD), KD_CITY, "报送", "Reported",
	  "（市级）报送情况：各镇街收到的数据包、缺号、未报送的镇街、已关闭的年度和市里的决定",
	  "(City) Who has reported: each township's bundles, missing numbers, "
	  "who has not reported, the years closed and the city's decisions",
	  { CH('w', "w") } },
	/* Not on the bar, which is full: home says c when it matters. */
	{ ACT_CLOSE_YEAR, SB(SCR_DASHBOARD), KD_TOWNSHIP, NULL, NULL,
	  "关闭所看的年度（先确认）：此后该年的记录不能新增、修改或删除；"
	  "关闭随下一个数据包报送市里审核",
	  "Close the year shown (asks first): its records can then be neither "
	  "added, edited nor deleted; the next bundle takes the close to the city",
	  { CH('c', "c") } },
	{ ACT_REOPEN_YEAR, SB(SCR_DASHBOARD), KD_TOWNSHIP, NULL, NULL,
	  "重开已关闭的所看年度（须输入理由；随下一个数据包报送市里）",
	  "Reopen the year shown (asks why; the next bundle tells the city)",
	  { CH('o', "o") } },
	{ ACT_APPROVE, SB(SCR_RECEIVED), KD_CITY, "通过", "Approve",
	  "通过所选镇街已关闭的年度（先确认），再可写出给它的决定包",
	  "Approve the chosen township's closed year (asks first), then offer "
	  "to write its decision bundle",
	  { CH('a', "a") } },
	{ ACT_RETURN, SB(SCR_RECEIVED), KD_CITY, "退回", "Return",
	  "退回所选镇街已关闭的年度（须输入理由），再可写出给它的决定包",
	  "Return the chosen township's closed year (asks why), then offer to "
	  "write its decision bundle",
	  { CH('x', "x") } },
	{ ACT_PLAN_PREV, SB(SCR_PLAN), 0, "上个规划", "Prev plan",
	  "上一个规划的评估", "The evaluation of the plan before",
	  { CH('[', "[") } },
	{ ACT_PLAN_NEXT, SB(SCR_PLAN), 0, "下个规划", "Next plan",
	  "下一个规划的评估（已开始的）", "The evaluation of the plan after (once begun)",
	  { CH(']', "]") } },
	{ ACT_PARTY_NEXT, SB(SCR_PLAN), KD_CITY, "镇街", "Township",
	  "（市级）依次查看全市合计和各镇街", "(City) the city total, then each township in turn",
	  { CH('t', "t") } },
	{ ACT_PARTY_PREV, SB(SCR_PLAN), KD_CITY, NULL, NULL,
	  "（市级）倒序查看", "(City) the same, backwards",
	  { CH('T', "T") } },
	{ ACT_OPEN, SB(SCR_RECORDS), 0, "打开", "Open",
	  "打开记录修改", "Open the record to edit it",
	  { CH('\r', "Enter"), CH('\n', NULL), CH('e', "e") } },
	{ ACT_VIEW, SB(SCR_RECORDS), 0, "查看", "View",
	  "查看记录的全部内容和附件（签到表、照片），可附上、移除附件",
	  "View the whole record and its attachments (sign-in sheets, photos); "
	  "attach or detach them there",
	  { CH('v', "v") } },
	/* The records list's bar is full: h is in its help, and on the
	 * record view's bar. */
	{ ACT_HISTORY, SB(SCR_RECORDS), 0, NULL, NULL,
	  "选中记录的修改历史：谁、何时、每个字段改前改后",
	  "The selected record's history: who changed what and when, each "
	  "field before and after",
	  { CH('h', "h") } },
	{ ACT_HISTORY, SB(SCR_RECVIEW), 0, "历史", "History",
	  "修改历史：谁、何时、每个字段改前改后；再按一次回到记录",
	  "The history: who changed what and when, each field before and "
	  "after; press again for the record",
	  { CH('h', "h") } },
	{ ACT_OPEN, SB(SCR_RECVIEW), 0, "修改", "Edit",
	  "修改这条记录；在文件列表中：附上选中的文件",
	  "Edit the record; in the list of files: attach the file selected",
	  { CH('e', "e"), CH('\r', "Enter"), CH('\n', NULL) } },
	{ ACT_ATTACH, SB(SCR_RECVIEW), KD_TOWNSHIP, "附上", "Attach",
	  "从文件夹附上文件（先用 WinSCP 等上传到本机，默认是自己的主目录）：照片、PDF、办公文档，每个最多 20 MB",
	  "Attach a file from a folder (upload it to this machine first, with "
	  "WinSCP for example; your home folder is offered): photos, PDF, "
	  "office documents, up to 20 MB each",
	  { CH('a', "a") } },
	{ ACT_DETACH, SB(SCR_RECVIEW), KD_TOWNSHIP, "移除", "Detach",
	  "移除选中的附件（先确认；历史中仍可查到）",
	  "Take the selected attachment off (asks first; the history keeps it)",
	  { CH('x', "x") } },
	{ ACT_DELETE, SB(SCR_RECORDS), 0, "删除", "Delete",
	  "删除记录（先确认；留下注销标记上报市里）",
	  "Delete the record (asks first; leaves a tombstone for the city)",
	  { CH('d', "d"), FN(KEY_DC, "Del"), FN(KEY_F(8), "F8") } },
	{ ACT_FILTER_FORM, SB(SCR_RECORDS), 0, "表单", "Form",
	  "按表单筛选（依次切换）", "Filter by form (cycles)",
	  { CH('f', "f") } },
	{ ACT_FILTER_MONTH, SB(SCR_RECORDS), 0, "月份", "Month",
	  "按月份筛选（如 2025-03 或 3）", "Filter by month (2025-03 or 3)",
	  { CH('m', "m") } },
	{ ACT_FILTER_TEXT, SB(SCR_RECORDS), 0, "查找", "Find",
	  "按文字筛选（任意栏目包含；/ 也可以）", "Filter by text in any field (/ too)",
	  { CH('s', "s"), CH('/', NULL) } },
	{ ACT_FILTER_CLEAR, SB(SCR_RECORDS), 0, "全部", "All",
	  "清除筛选", "Clear the filters",
	  { CH('c', "c") } },
	{ ACT_EXPORT, SB(SCR_BUNDLE), 0, "导出", "Export",
	  "把新的记录导出到 U 盘文件夹", "Export new records to a USB folder",
	  { CH('e', "e"), FN(KEY_F(2), "F2") } },
	{ ACT_EXPORT_FULL, SB(SCR_BUNDLE), 0, "全部重导", "Full",
	  "把全部记录重新导出一遍（市里要重新核对，或上一个数据包丢了时）",
	  "Export every record again (when the city asks, or a bundle was lost)",
	  { CH('f', "f") } },
	{ ACT_IMPORT, SB(SCR_BUNDLE), 0, "导入", "Import",
	  "导入数据包：选文件夹后列出里面的数据包，先预览，确认后才写入",
	  "Import a bundle: the bundles in the folder are listed, a dry run "
	  "first, then it asks",
	  { CH('i', "i"), FN(KEY_F(3), "F3") } },
	{ ACT_OPEN, SB(SCR_DRAFTS), 0, "继续填", "Resume",
	  "继续填选中的草稿", "Go on with the draft selected",
	  { CH('\r', "Enter"), CH('\n', NULL), CH('y', "y") } },
	{ ACT_DELETE, SB(SCR_DRAFTS), 0, "丢弃", "Discard",
	  "丢弃选中的草稿（先确认）", "Discard the draft selected (asks first)",
	  { CH('d', "d"), FN(KEY_DC, "Del") } },
	{ ACT_BACK, SB(SCR_DRAFTS), KD_BACK, "以后再说", "Later",
	  "草稿都留着，先去首页（下次启动时再列出）",
	  "Keep the drafts and go home (listed again next time)",
	  { CH(ESC, "Esc"), CH('n', "n"), CH('q', "q"), FN(KEY_F(10), "F10") } },
	{ ACT_UP, LIST_SCR, 0, NULL, NULL, "上移", "Move up",
	  { FN(KEY_UP, "Up"), CH('k', "k") } },
	{ ACT_DOWN, LIST_SCR, 0, NULL, NULL, "下移", "Move down",
	  { FN(KEY_DOWN, "Down"), CH('j', "j") } },
	{ ACT_PAGE_UP, LIST_SCR, 0, NULL, NULL, "上一页", "Previous page",
	  { FN(KEY_PPAGE, "PgUp"), CH('-', "-") } },
	{ ACT_PAGE_DOWN, LIST_SCR, 0, NULL, NULL, "下一页", "Next page",
	  { FN(KEY_NPAGE, "PgDn"), CH(' ', "Space") } },
	{ ACT_BACK, SB(SCR_RECORDS) | SB(SCR_HELP) | SB(SCR_BUNDLE) | SB(SCR_PLAN) |
	  SB(SCR_RECVIEW) | SB(SCR_RECEIVED), KD_BACK, "返回",
	  "Back", "返回上一屏", "Back to the previous screen",
	  { CH(ESC, "Esc"), CH('q', "q"), FN(KEY_F(10), "F10"),
	    FN(KEY_LEFT, "Left") } },
	{ ACT_QUIT, SB(SCR_DASHBOARD), KD_BACK, "退出", "Quit",
	  "退出 kepu", "Quit kepu",
	  { CH('q', "q"), FN(KEY_F(10), "F10") } },
	{ ACT_REDRAW, ALL_SCR, 0, NULL, NULL,
	  "重画屏幕（画面乱了时）", "Repaint the screen (when it looks garbled)",
	  { CH(CTRL_KEY('l'), "^L") } },
};

#define NTABLE (sizeof table / sizeof table[0])

void keys_setup(void)
{
	/* PuTTY / Xshell with TERM=xterm: the sequences and what they mean. */
	static const struct { const char *seq; int code; } putty[] = {
		{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
		{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
		{ "\033[Z", KEY_BTAB },
	};
	size_t i;

	for (i = 0; i < sizeof putty / sizeof putty[0]; i++)
		if (key_defined(putty[i].seq) <= 0)
			define_key(putty[i].seq, putty[i].code);
}

struct tkey keys_normalise(struct tkey k)
{
	if (k.fn) {
		switch (k.ch) {
		case KEY_FIND: k.ch = KEY_HOME; break;
		case KEY_SELECT: k.ch = KEY_END; break;
		case KEY_ENTER: k.fn = false; k.ch = '\r'; break;
		default: break;
		}
		return k;
	}
	if (k.ch == 8 || k.ch == 127) {
		k.fn = true;
		k.ch = KEY_BACKSPACE;
	}
	return k;
}

bool keys_printable(struct tkey k)
{
	return !k.fn && k.ch >= 0x20 && k.ch != 0x7f &&
	       !(k.ch >= 0x80 && k.ch < 0xa0);
}

static bool binding_match(const struct binding *b, struct tkey k)
{
	return b->fn == k.fn && k.ch >= b->lo && k.ch <= b->hi;
}

enum action keys_action(enum screen_id scr, bool text_input,
                        struct tkey k, int *arg)
{
	size_t i, j;

	if (text_input && keys_printable(k))
		return ACT_NONE;
	for (i = 0; i < NTABLE; i++) {
		if (!(table[i].screens & SB(scr)))
			continue;
		for (j = 0; j < MAXBIND; j++) {
			const struct binding *b = &table[i].keys[j];

			if (b->lo == 0 && b->hi == 0)
				break;
			if (!binding_match(b, k))
				continue;
			if (arg)
				*arg = (int)(k.ch - b->lo);
			return table[i].act;
		}
	}
	return ACT_NONE;
}

/* "F2/^S": the first two named keys of an action. */
static void names_of(const struct keydef *d, int max, char *buf, size_t size)
{
	int j, used = 0;

	buf[0] = '\0';
	for (j = 0; j < MAXBIND && used < max; j++) {
		const struct binding *b = &d->keys[j];

		if (b->lo == 0 && b->hi == 0)
			break;
		if (!b->name)
			continue;
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		         used ? (max > 2 ? " " : "/") : "", b->name);
		used++;
	}
}

static bool on_bar(const struct keydef *d, enum screen_id scr, bool city)
{
	return (d->screens & SB(scr)) && d->bar_zh &&
	       !(city && (d->flags & KD_TOWNSHIP)) &&
	       !(!city && (d->flags & KD_CITY));
}

/* "F2/^S Save" (names: how many keys to name). */
static int bar_item(const struct keydef *d, int names, char *item, size_t size)
{
	char nm[32];

	names_of(d, names, nm, sizeof nm);
	snprintf(item, size, "%s %s", nm, L(d->bar_zh, d->bar_en));
	return (int)text_width(item);
}

/* The bar with `names` keys named per item; items that do not fit are
 * left out, never the way back.  Returns how many were left out. */
static int bar_build(enum screen_id scr, bool city, int names, char *buf,
                     size_t size, int cells)
{
	size_t i, len = 0;
	int used = 0, backw = 0, dropped = 0;
	char item[96];

	for (i = 0; i < NTABLE; i++)
		if (on_bar(&table[i], scr, city) && (table[i].flags & KD_BACK))
			backw += bar_item(&table[i], names, item, sizeof item) + 2;
	buf[0] = '\0';
	for (i = 0; i < NTABLE; i++) {
		const struct keydef *d = &table[i];
		int w, sep;

		if (!on_bar(d, scr, city))
			continue;
		w = bar_item(d, names, item, sizeof item);
		sep = len ? 2 : 0;
		if (d->flags & KD_BACK)
			backw -= w + 2;
		else if (used + sep + w + backw > cells) {
			dropped++;
			continue;
		}
		if (used + sep + w > cells || len + sep + strlen(item) + 1 > size) {
			dropped++;
			continue;
		}
		snprintf(buf + len, size - len, "%s%s", sep ? "  " : "", item);
		len += strlen(buf + len);
		used += sep + w;
	}
	return dropped;
}

void keys_bar(enum screen_id scr, bool city, char *buf, size_t size, int cells)
{
	/* Shorter ("F2 Save") rather than fewer. */
	if (bar_build(scr, city, 2, buf, size, cells) > 0)
		bar_build(scr, city, 1, buf, size, cells);
}

void keys_help(keys_help_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < NTABLE; i++) {
		char names[64];

		names_of(&table[i], MAXBIND, names, sizeof names);
		fn(ctx, names, L(table[i].help_zh, table[i].help_en),
		   table[i].screens);
	}
}
