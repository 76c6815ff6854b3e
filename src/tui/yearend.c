/* yearend.c - the end of a year on the screens: a township closes and
 * reopens the year shown (home, keys c and o), the city approves or
 * returns a township's closed year and writes the decision bundle that
 * takes it back (who has reported, keys a and x), and the line home shows
 * about the year (已关闭 / 已通过 / 已退回：理由, or for a finished year
 * not closed yet, how to close it).
 *
 * Every change goes through the same core calls as kepu close, reopen,
 * approve and return, so the screens and the command line say the same;
 * every question names the year it is about.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bundle.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

/* ---- the line on home ----------------------------------------------------- */

void yearend_draw_state(struct tui *t, int y)
{
	struct year_state st;
	char text[LEDGER_REASON_MAX + 64], line[LEDGER_REASON_MAX + 160];
	enum draw_style style = ST_NORMAL;
	int year = screen_year(t);

	if (ledger_year_state(t->lg, t->lg->township, year, &st) != KP_OK)
		return;
	if (st.event.kind == YE_NONE) {
		/* A finished year is the one to close: say how. */
		if (report_year_over(year)) {
			snprintf(line, sizeof line, LF("%d 年度已结束，尚未关闭（按 c 关闭）",
			                               "%d is over and not closed yet (c closes it)"),
			         year);
			draw_put_pad(y, 1, line, COLS - 2, ST_NORMAL);
		}
		return;
	}
	year_state_text(&st, text, sizeof text);
	if (st.closed && st.decision_current)
		style = st.decision.kind == YE_RETURNED ? ST_WARN : ST_OK;
	snprintf(line, sizeof line, LF("%d 年度：%s%s", "%d: %s%s"), year, text,
	         st.closed ? L("（o 重开）", " (o reopens)") : L("（c 关闭）", " (c closes)"));
	draw_put_pad(y, 1, line, COLS - 2, style);
}

/* ---- closing and reopening (township) ------------------------------------- */

int yearend_close(struct tui *t)
{
	int year = screen_year(t), rc;
	char q[400];

	snprintf(q, sizeof q, LF("关闭 %d 年度？%s此后 %d 年的记录不能新增、修改或删除，直到重开。"
	                         "y 关闭  n 不关闭",
	                         "Close %d? %sRecords dated %d can then be neither added, "
	                         "edited nor deleted until it is reopened. y close  n do not"),
	         year, year == t->lg->year ? L("今年还没有过完。", "The year is not over yet. ")
	         : "", year);
	if (prompt_ask(t, q, "yn") != 'y') {
		screen_msg(t, MSG_INFO, LF("%d 年度没有关闭。", "%d was not closed."), year);
		return RD_MSG;
	}
	rc = ledger_year_close(t->lg, year, NULL);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, LF("已关闭 %d 年度；下一个数据包（U 盘导出）会把关闭报送市里。",
		                         "%d is closed; the next bundle (USB export) tells the city."),
		           year);
	else
		screen_msg(t, rc == KP_NOTFOUND ? MSG_INFO : MSG_ERROR, "%s",
		           kp_err_msg());
	return RD_BODY | RD_MSG;
}

int yearend_reopen(struct tui *t)
{
	int year = screen_year(t), rc;
	struct year_state st;
	char label[200], reason[LEDGER_REASON_MAX] = "";

	if ((rc = ledger_year_state(t->lg, t->lg->township, year, &st)) == KP_OK &&
	    !st.closed) {
		screen_msg(t, MSG_INFO, LF("%d 年度没有关闭，无需重开。",
		                           "%d is not closed; there is nothing to reopen."),
		           year);
		return RD_MSG;
	}
	snprintf(label, sizeof label, LF("重开 %d 年度的理由（Esc 不重开）：",
	                                 "Why reopen %d (Esc: do not)?"), year);
	if (rc == KP_OK &&
	    prompt_line(t, label, NULL, reason, sizeof reason) != KP_OK) {
		screen_msg(t, MSG_INFO, LF("%d 年度没有重开。", "%d was not reopened."),
		           year);
		return RD_MSG;
	}
	if (rc == KP_OK)
		rc = ledger_year_reopen(t->lg, year, reason, NULL);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, LF("已重开 %d 年度；改完后按 c 再关闭。",
		                         "%d is reopened; press c to close it again once done."),
		           year);
	else
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	return RD_BODY | RD_MSG;
}

/* ---- approving and returning (city) --------------------------------------- */

/* Offer to write the township's decision bundle now, to the folder last
 * used for bundles. */
static void offer_bundle(struct tui *t, const char *township)
{
	struct bundle_export_opts o = { .township = township };
	struct bundle_export_result r;
	char *dir = t->bundle_dir;
	int rc;

	if (prompt_line(t, L("把决定包写到文件夹（Esc 以后再写）：",
	                     "Write the decision bundle to folder (Esc: later):"),
	                dir, dir, sizeof t->bundle_dir) != KP_OK || !dir[0]) {
		screen_msg(t, MSG_INFO, LF("决定已记下；以后用 kepu export --township %s --out 文件夹 写出决定包。",
		                           "The decision is recorded; kepu export --township %s --out DIR writes its bundle later."),
		           township);
		return;
	}
	o.out_dir = dir;
	memset(&r, 0, sizeof r);
	rc = bundle_decision_export(t->lg, &o, &r);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, LF("已写出 %s，交 %s 导入。", "Wrote %s for %s to import."),
		           r.path ? r.path : r.name, township);
	else
		screen_msg(t, MSG_ERROR, LF("决定已记下，但决定包没有写出：%s",
		                            "The decision is recorded, but no bundle was written: %s"),
		           kp_err_msg());
	bundle_export_result_free(&r);
}

int yearend_decide(struct tui *t, const struct township *tw, bool ret)
{
	int year = screen_year(t), rc;
	char q[400], reason[LEDGER_REASON_MAX] = "";

	if (ret) {
		snprintf(q, sizeof q, LF("退回%s的 %d 年度，理由（Esc 不退回）：",
		                         "Return %s's %d; why (Esc: do not)?"),
		         township_label(tw), year);
		if (prompt_line(t, q, NULL, reason, sizeof reason) != KP_OK)
			goto not_done;
	} else {
		char missing[BUNDLE_MISSING_MAX] = "";

		/* Its missing bundles may change the year: asked knowing. */
		bundle_missing_of(t->lg, tw->id, missing, sizeof missing);
		if (missing[0])
			snprintf(q, sizeof q, LF("%s缺第 %s 号数据包，其中可能有 %d 年的改动；"
			                         "仍通过？y 通过  n 不通过",
			                         "%s's bundles %s are missing and may change "
			                         "%d; approve all the same? y approve  n do not"),
			         township_label(tw), missing, year);
		else
			snprintf(q, sizeof q, LF("通过%s的 %d 年度？y 通过  n 不通过",
			                         "Approve %s's %d? y approve  n do not"),
			         township_label(tw), year);
		if (prompt_ask(t, q, "yn") != 'y')
			goto not_done;
	}
	rc = ledger_year_decide(t->lg, tw->id, year, ret ? YE_RETURNED : YE_APPROVED,
	                        ret ? reason : NULL, NULL);
	if (rc == KP_OK)
		offer_bundle(t, tw->id);
	else
		screen_msg(t, rc == KP_NOTFOUND ? MSG_INFO : MSG_ERROR, "%s",
		           kp_err_msg());
	return RD_BODY | RD_MSG;
not_done:
	screen_msg(t, MSG_INFO, "%s", L("没有作出决定。", "No decision was made."));
	return RD_MSG;
}
