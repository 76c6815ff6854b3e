/* received.c - who has reported (city, key w on home): for the year shown,
 * every township's data bundles (how many, the last number, when it was
 * imported, missing numbers), whether it reported for the year, where the
 * year stands (closed, reopened, approved, returned), then the townships
 * that have not reported.  a and x approve or return the chosen
 * township's closed year (yearend.c).
 *
 * The rows come from bundle_received, the same call `kepu received`
 * makes, so the screen and the command cannot disagree; it reads the
 * bookkeeping of imports and the year events, never a record.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "screen.h"
#include "screens.h"

struct recv {
	struct bundle_received *r;
	size_t n;
	int sel;            /* the chosen township */
	int top;            /* first shown */
	int shown;          /* rows that fit */
};

static void recv_load(struct tui *t, struct recv *v)
{
	free(v->r);
	v->r = NULL;
	v->n = 0;
	if (bundle_received(t->lg, screen_year(t), &v->r, &v->n) != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	if (v->sel >= (int)v->n)
		v->sel = v->n ? (int)v->n - 1 : 0;
}

static void recv_enter(struct tui *t, void *st, const void *arg)
{
	(void)arg;
	recv_load(t, st);
}

static void recv_resume(struct tui *t, void *st)
{
	recv_load(t, st);
}

static void recv_leave(struct tui *t, void *st)
{
	struct recv *v = st;

	(void)t;
	free(v->r);
	v->r = NULL;
}

/* ---- drawing -------------------------------------------------------------- */

#define COL_GAP 1

struct geom {
	int name, rep, bundles, last, imported, missing;
};

static struct geom layout(const struct recv *v)
{
	struct geom g = { 8, 6, 5, 6, 10, 8 };
	size_t i;

	for (i = 0; i < v->n; i++) {
		int w = (int)text_width(township_label(v->r[i].town));

		if (w > g.name)
			g.name = w;
	}
	if (g.name > 20)
		g.name = 20;
	return g;
}

static enum draw_style state_style(const struct bundle_received *r)
{
	const struct year_state *st = &r->state;

	if (st->closed && st->decision_current)
		return st->decision.kind == YE_RETURNED ? ST_WARN : ST_OK;
	return ST_NORMAL;
}

static void draw_line(const struct bundle_received *r, int y,
                      const struct geom *g, bool selected)
{
	char num[32], last[32], state[LEDGER_REASON_MAX + 64];
	enum draw_style st = selected ? ST_CURRENT : ST_NORMAL;
	int x = 1;

	if (selected)
		mvhline(y, 0, ' ', COLS);
	draw_put_pad(y, x, township_label(r->town), g->name, st);
	x += g->name + COL_GAP;
	draw_put_pad(y, x, r->reported ? L("已报送", "yes") : L("未报送", "no"),
	             g->rep, selected ? st : r->reported ? ST_NORMAL : ST_BEHIND);
	x += g->rep + COL_GAP;
	snprintf(num, sizeof num, "%4zu", r->bundles);
	draw_put_pad(y, x, num, g->bundles, st);
	x += g->bundles + COL_GAP;
	if (r->last_seq)
		snprintf(last, sizeof last, "%5llu", (unsigned long long)r->last_seq);
	else
		snprintf(last, sizeof last, "%5s", "-");
	draw_put_pad(y, x, last, g->last, st);
	x += g->last + COL_GAP;
	snprintf(num, sizeof num, "%.10s", r->imported[0] ? r->imported : "-");
	draw_put_pad(y, x, num, g->imported, st);
	x += g->imported + COL_GAP;
	draw_put_pad(y, x, r->missing[0] ? r->missing : "-", g->missing,
	             selected ? st : r->missing[0] ? ST_WARN : ST_NORMAL);
	x += g->missing + COL_GAP;
	if (x < COLS - 1)
		draw_put_pad(y, x, year_state_text(&r->state, state, sizeof state),
		             COLS - 1 - x, selected ? st : state_style(r));
}

static void draw_head(const struct geom *g, int y)
{
	int x = 1;

	draw_put_pad(y, x, L("镇街", "Township"), g->name, ST_HEAD);
	x += g->name + COL_GAP;
	draw_put_pad(y, x, L("本年度", "Reported"), g->rep, ST_HEAD);
	x += g->rep + COL_GAP;
	draw_put_pad(y, x, L("包数", "Sent"), g->bundles, ST_HEAD);
	x += g->bundles + COL_GAP;
	draw_put_pad(y, x, L("最后", "Last"), g->last, ST_HEAD);
	x += g->last + COL_GAP;
	draw_put_pad(y, x, L("导入日期", "Imported"), g->imported, ST_HEAD);
	x += g->imported + COL_GAP;
	draw_put_pad(y, x, L("缺号", "Missing"), g->missing, ST_HEAD);
	x += g->missing + COL_GAP;
	if (x < COLS - 1)
		draw_put_pad(y, x, L("年度状态", "Year"), COLS - 1 - x, ST_HEAD);
}

/* "未报送（3）：A、B、C" for those of the year, or that never sent one. */
static void draw_list(const struct recv *v, int y, bool never)
{
	char line[1200];
	size_t i, len, k = 0, count = 0;

	for (i = 0; i < v->n; i++)
		count += never ? v->r[i].bundles == 0 : !v->r[i].reported;
	if (!count)
		return;
	len = (size_t)snprintf(line, sizeof line, never
	                       ? LF("从未报送（%zu）：", "Never reported (%zu): ")
	                       : LF("本年度未报送（%zu）：", "Not reported for the year (%zu): "),
	                       count);
	for (i = 0; i < v->n && len < sizeof line - 64; i++) {
		if (never ? v->r[i].bundles != 0 : v->r[i].reported)
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
		                        k++ ? L("、", ", ") : "",
		                        township_label(v->r[i].town));
	}
	draw_put_pad(y, 1, line, COLS - 2, never ? ST_WARN : ST_BEHIND);
}

static void recv_draw(struct tui *t, void *st)
{
	struct recv *v = st;
	struct geom g = layout(v);
	size_t i, done = 0;
	char head[200];
	int y = BODY_TOP;

	draw_clear_body();
	for (i = 0; i < v->n; i++)
		done += v->r[i].reported;
	snprintf(head, sizeof head, LF("%d 年度：%zu/%zu 个镇街已报送   a 通过  x 退回所选镇街的年度",
	                               "%d: %zu of %zu townships have reported   a approve  x return the chosen one's year"),
	         screen_year(t), done, v->n);
	draw_put_pad(y++, 1, head, COLS - 2, ST_NORMAL);
	draw_head(&g, y++);
	v->shown = BODY_BOTTOM - y - 1;
	if (v->shown < 1)
		v->shown = 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + v->shown)
		v->top = v->sel - v->shown + 1;
	for (i = (size_t)v->top; i < v->n && (int)i < v->top + v->shown; i++)
		draw_line(&v->r[i], y++, &g, (int)i == v->sel);
	draw_list(v, BODY_BOTTOM - 1, false);
	draw_list(v, BODY_BOTTOM, true);
}

/* ---- keys ----------------------------------------------------------------- */

static int recv_move(struct recv *v, int by)
{
	v->sel += by;
	if (v->sel >= (int)v->n)
		v->sel = (int)v->n - 1;
	if (v->sel < 0)
		v->sel = 0;
	return RD_BODY;
}

static int recv_key(struct tui *t, void *st, struct tkey k, enum action act,
                    int arg)
{
	struct recv *v = st;
	int rd;

	(void)k;
	(void)arg;
	rd = year_key(t, act);
	if (!(rd & RD_UNHANDLED)) {
		if (rd & RD_BODY)
			recv_load(t, v);
		return rd;
	}
	switch (act) {
	case ACT_UP:        return recv_move(v, -1);
	case ACT_DOWN:      return recv_move(v, 1);
	case ACT_PAGE_UP:   return recv_move(v, -v->shown);
	case ACT_PAGE_DOWN: return recv_move(v, v->shown);
	case ACT_APPROVE:
	case ACT_RETURN:
		if (!v->n)
			return RD_NONE;
		rd = yearend_decide(t, v->r[v->sel].town, act == ACT_RETURN);
		recv_load(t, v);
		return rd | RD_BODY;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops received_ops = {
	.id = SCR_RECEIVED,
	.title_zh = "报送情况",
	.title_en = "Who has reported",
	.text_input = false,
	.state_size = sizeof(struct recv),
	.enter = recv_enter,
	.resume = recv_resume,
	.leave = recv_leave,
	.draw = recv_draw,
	.key = recv_key,
};
