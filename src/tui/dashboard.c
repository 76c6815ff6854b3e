/* dashboard.c - home: quota progress and the last records entered.
 *
 * The numbers come from report_build, the same call `kepu report` makes,
 * so the screen and the report cannot disagree; it reads the totals kept
 * by the ledger, so it costs the same with 100 records or 1,000,000.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "ui.h"

#define RECENT_MAX 8

static struct {
	struct report_row *rows;
	size_t nrows;
	struct record recent[RECENT_MAX];
	size_t nrecent;
	size_t live;
	int top;            /* first township shown (city database) */
	int shown;          /* how many fit */
} D;

static int keep_recent(void *ctx, const struct record *rec)
{
	(void)ctx;
	if (D.nrecent == RECENT_MAX)
		return KP_NOTFOUND;
	record_init(&D.recent[D.nrecent]);
	if (record_copy(&D.recent[D.nrecent], rec) != KP_OK)
		return KP_E_NOMEM;
	D.nrecent++;
	return KP_OK;
}

static void dash_free(void)
{
	size_t i;

	free(D.rows);
	D.rows = NULL;
	D.nrows = 0;
	for (i = 0; i < D.nrecent; i++)
		record_free(&D.recent[i]);
	D.nrecent = 0;
}

static void dash_load(struct tui *t)
{
	struct ledger_query q = { .limit = RECENT_MAX };
	size_t deleted = 0;

	dash_free();
	if (report_build(t->lg, 0, &D.rows, &D.nrows) != KP_OK)
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
	if (t->lg->mode == LEDGER_TOWNSHIP)
		ledger_list(t->lg, &q, keep_recent, NULL);
	D.live = 0;
	ledger_counts(t->lg, &D.live, &deleted);
}

static void dash_enter(struct tui *t, const void *arg)
{
	(void)arg;
	D.top = 0;
	dash_load(t);
}

static void dash_resume(struct tui *t)
{
	dash_load(t);
}

static void dash_leave(struct tui *t)
{
	(void)t;
	dash_free();
}

static const char *status_label(const char *st)
{
	if (strcmp(st, "ahead") == 0)
		return L("超前", "ahead");
	if (strcmp(st, "on track") == 0)
		return L("正常", "on track");
	if (strcmp(st, "behind") == 0)
		return L("落后", "behind");
	return L("无任务", "no quota");
}

/* "#####|......": achieved against the target, '|' where today's pace
 * expects it to be. */
static void draw_bar(const struct report_row *r, int y, int x, int w)
{
	char bar[256];
	int fill = 0, mark = -1, i;

	if (w > (int)sizeof bar - 1)
		w = (int)sizeof bar - 1;
	if (r->has_target && r->target > 0) {
		fill = (int)(r->achieved / r->target * w + 0.5);
		mark = (int)(r->expected / r->target * w + 0.5);
		if (fill > w)
			fill = w;
		if (mark >= w)
			mark = w - 1;
	}
	for (i = 0; i < w; i++)
		bar[i] = i < fill ? '#' : '.';
	if (mark >= 0)
		bar[mark] = '|';
	bar[w] = '\0';
	ui_put(y, x, bar, fill, ST_BAR);
	ui_put(y, x + fill, bar + fill, w - fill, ST_NORMAL);
}

static void draw_row(const struct report_row *r, int y, int labw, int barw)
{
	char num[32], tgt[32], buf[96];
	bool behind = strcmp(r->status, "behind") == 0;
	int x = 1;

	ui_put_pad(y, x, indicator_label(r->ind), labw, ST_NORMAL);
	x += labw + 1;
	if (r->has_target)
		snprintf(buf, sizeof buf, "%s/%s", ui_num(r->achieved, num),
		         ui_num(r->target, tgt));
	else
		snprintf(buf, sizeof buf, "%s/-", ui_num(r->achieved, num));
	mvprintw(y, x, "%13.13s", buf);
	x += 14;
	if (r->has_target)
		mvprintw(y, x, "%4.0f%%", r->percent);
	else
		mvprintw(y, x, "%5s", "-");
	x += 6;
	draw_bar(r, y, x, barw);
	x += barw + 1;
	ui_put_pad(y, x, status_label(r->status), COLS - x - 1,
	           behind ? ST_BEHIND : ST_NORMAL);
}

static void draw_recent(struct tui *t, int y)
{
	size_t i;
	char head[128];

	snprintf(head, sizeof head, LF("最近录入（共 %zu 条记录）",
	                              "Last entered (%zu records in all)"), D.live);
	ui_put_pad(y++, 1, head, COLS - 2, ST_HEAD);
	if (D.nrecent == 0)
		ui_put(y, 3, L("还没有记录。按 1 录入培训，2 录入科普活动，3 录入示范主体。",
		               "No records yet. Press 1 for a training, 2 for an "
		               "activity, 3 for a demonstration."), COLS - 4, ST_NORMAL);
	for (i = 0; i < D.nrecent && y <= BODY_BOTTOM; i++, y++)
		records_line(t, &D.recent[i], y, false);
}

static void draw_township(struct tui *t)
{
	int y = BODY_TOP + 1, labw, barw = 20;
	size_t i;

	labw = COLS - 1 - 1 - 14 - 6 - barw - 1 - 9;
	if (labw > 40) {
		barw += labw - 40;
		labw = 40;
	}
	ui_put(y, 1, L("指标", "Indicator"), labw, ST_HEAD);
	mvprintw(y, 2 + labw, "%13s", "");
	ui_put(y, 2 + labw + 13 - (int)text_width(L("完成/任务", "done/quota")),
	       L("完成/任务", "done/quota"), 13, ST_HEAD);
	ui_put(y, 2 + labw + 14 + 4, "%", 1, ST_HEAD);
	ui_put(y, 2 + labw + 20, L("进度（| 为按日应达）", "progress (| = due today)"),
	       barw, ST_HEAD);
	ui_put(y, 2 + labw + 21 + barw, L("状态", "status"), 8, ST_HEAD);
	y++;
	for (i = 0; i < D.nrows && y <= BODY_BOTTOM; i++)
		draw_row(&D.rows[i], y++, labw, barw);
	if (y + 1 <= BODY_BOTTOM)
		draw_recent(t, y + 1);
}

static const struct report_row *find_row(const struct township *tw,
                                         const struct indicator *ind)
{
	size_t i;

	for (i = 0; i < D.nrows; i++)
		if (D.rows[i].town == tw && D.rows[i].ind == ind)
			return &D.rows[i];
	return NULL;
}

static int behind_count(const struct schema *sc, const struct township *tw)
{
	const struct report_row *r;
	int n = 0;
	size_t i;

	for (i = 0; i < sc->nindicators; i++) {
		r = find_row(tw, &sc->indicators[i]);
		if (r && strcmp(r->status, "behind") == 0)
			n++;
	}
	return n;
}

static void draw_city_row(const struct schema *sc, const struct township *tw,
                          int y, int namew, int cw)
{
	size_t i;
	int x = 1 + namew;

	ui_put_pad(y, 1, tw ? township_label(tw) : L("全市", "City"), namew - 1,
	           tw ? ST_NORMAL : ST_HEAD);
	for (i = 0; i < sc->nindicators; i++, x += cw) {
		const struct report_row *r = find_row(tw, &sc->indicators[i]);
		bool behind = r && strcmp(r->status, "behind") == 0;
		char cell[32];

		if (!r || !r->has_target)
			snprintf(cell, sizeof cell, "%*s", cw - 1, "-");
		else
			snprintf(cell, sizeof cell, "%*.0f%%%s", cw - 3, r->percent,
			         behind ? "!" : " ");
		ui_put(y, x, cell, cw, behind ? ST_BEHIND : ST_NORMAL);
	}
}

static void draw_city(struct tui *t)
{
	const struct schema *sc = t->lg->schema;
	const struct township *towns[64];
	size_t nt = ledger_townships(t->lg, towns, 64), i;
	int namew = 12, cw, y = BODY_TOP + 1;

	cw = sc->nindicators ? (COLS - 2 - namew) / (int)sc->nindicators : 6;
	if (cw > 12)
		cw = 12;
	ui_put(y, 1, L("镇街 \\ 指标完成%", "Township \\ %"), namew - 1, ST_HEAD);
	for (i = 0; i < sc->nindicators; i++)
		ui_put(y, 1 + namew + (int)i * cw,
		       indicator_label(&sc->indicators[i]), cw - 1, ST_HEAD);
	y++;
	D.shown = BODY_BOTTOM - y - 1;
	if (D.top > (int)nt - D.shown)
		D.top = (int)nt - D.shown;
	if (D.top < 0)
		D.top = 0;
	for (i = (size_t)D.top; i < nt && y < BODY_BOTTOM - 1; i++)
		draw_city_row(sc, towns[i], y++, namew, cw);
	draw_city_row(sc, NULL, y++, namew, cw);
	{
		char line[600];
		size_t len;
		int best, used = 0;

		len = (size_t)snprintf(line, sizeof line, "%s",
		                       L("落后项目最多：", "Most behind: "));
		for (best = (int)sc->nindicators; best > 0 && used < 6; best--)
			for (i = 0; i < nt && used < 6; i++)
				if (behind_count(sc, towns[i]) == best && len < sizeof line) {
					len += (size_t)snprintf(line + len, sizeof line - len,
					                        "%s(%d) ", township_label(towns[i]),
					                        best);
					used++;
				}
		ui_put_pad(BODY_BOTTOM, 1, line, COLS - 2, ST_WARN);
	}
}

static void dash_draw(struct tui *t)
{
	ui_clear_body();
	if (t->lg->mode == LEDGER_CITY_MODE)
		draw_city(t);
	else
		draw_township(t);
}

static int dash_key(struct tui *t, struct tkey k, enum action act, int arg)
{
	(void)t;
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		D.top--;
		return RD_BODY;
	case ACT_DOWN:
		D.top++;
		return RD_BODY;
	case ACT_PAGE_UP:
		D.top -= D.shown;
		return RD_BODY;
	case ACT_PAGE_DOWN:
		D.top += D.shown;
		return RD_BODY;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops dashboard_ops = {
	.id = SCR_DASHBOARD,
	.title_zh = "首页",
	.title_en = "Home",
	.text_input = false,
	.enter = dash_enter,
	.resume = dash_resume,
	.leave = dash_leave,
	.draw = dash_draw,
	.key = dash_key,
};
