/* year.c - the year the screens show: changing it from a key (y asks,
 * [ and ] step), from the first plan's first year to this year.  Used by
 * the home screen and the screens it opens; uses the prompts and the
 * session (screen.h). */
#include "config.h"

#include <stdlib.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

/* ---- the year shown ------------------------------------------------------- */

bool year_set(struct tui *t, int y)
{
	int first = schema_first_year(t->lg->schema), last = date_today().y;

	if (y < first || y > last) {
		screen_msg(t, MSG_ERROR, LF("年度应在 %d 至 %d 年之间（第一个规划起到今年）",
		                            "The year must be from %d to %d (the first "
		                            "plan to this year)"), first, last);
		return false;
	}
	t->year = y;
	t->msg[0] = '\0';
	return true;
}

/* y: the year typed on the message line; the one shown is said, not put
 * in the line (typing 2026 after it gave "20272026"). */
static bool year_ask(struct tui *t)
{
	char label[64], buf[32] = "", *end;
	long y;

	snprintf(label, sizeof label, LF("查看年度（现为 %d）：", "Show the year (now %d):"),
	         screen_year(t));
	if (prompt_line(t, label, NULL, buf, sizeof buf) != KP_OK || !buf[0])
		return false;
	y = strtol(buf, &end, 10);
	if (end == buf || *end || y < 0 || y > 9999) {
		screen_msg(t, MSG_ERROR, LF("“%s”不是年份，例：%d",
		                            "\"%s\" is not a year; e.g. %d"),
		           buf, date_today().y - 1);
		return false;
	}
	return year_set(t, (int)y);
}

int year_key(struct tui *t, enum action act)
{
	bool changed;

	switch (act) {
	case ACT_YEAR:
		changed = year_ask(t);
		break;
	case ACT_YEAR_PREV:
		changed = year_set(t, screen_year(t) - 1);
		break;
	case ACT_YEAR_NEXT:
		changed = year_set(t, screen_year(t) + 1);
		break;
	default:
		return RD_UNHANDLED;
	}
	return changed ? RD_ALL | RD_CLEAR : RD_MSG;
}

