/* plan.c - the plan evaluation: every year of the plan holding the year
 * shown, and the plan as a whole, indicator by indicator.
 *
 * The rows come from report_plan_build, the same call `kepu report --plan`
 * makes, so the screen and the report cannot disagree.  Each indicator is
 * a block of four rows (its name with the years met, then the targets,
 * the achieved and the statuses under the years and the total), and the
 * blocks scroll whole, so a number is never cut.  A city database shows
 * the city rows first; t and T go through the townships.  Tallies have no
 * targets or verdicts to evaluate: they are in `kepu report --plan` and
 * the workbook, not here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "quota.h"
#include "report.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "screen.h"
#include "screens.h"

#define BLOCK_ROWS 4
#define HEAD_ROWS 3         /* the plan, whose rows, the years */
#define LABEL_W 9           /* 任务 完成 状态 / Target Achieved Status */

struct planview {
	struct report_plan rp;
	bool built;
	size_t ntown, nind;     /* townships and indicators shown */
	size_t nslot;           /* blocks per party in rp: indicators and
	                         * the groups of grouped tallies */
	size_t judged[64];      /* the blocks shown: those with a target */
	int party;              /* city: 0 the city, then each township */
	int top;                /* first indicator shown */
	int shown;              /* indicators that fit */
};

static bool is_city(const struct tui *t)
{
	return t->lg->mode == LEDGER_CITY_MODE;
}

static int nparties(const struct tui *t, const struct planview *v)
{
	return is_city(t) ? (int)v->ntown + 1 : 1;
}

static void pv_load(struct tui *t, struct planview *v)
{
	const struct plan *p = schema_plan_of_year(t->lg->schema, screen_year(t));
	size_t blocks, i;

	if (v->built)
		report_plan_free(&v->rp);
	v->built = false;
	v->nind = v->nslot = 0;
	if (!p || report_plan_build(t->lg, p, &v->rp) != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", p ? kp_err_msg()
		           : L("这一年不属于任何规划", "The year is in no plan"));
		return;
	}
	/* A block per (township, indicator or group), then the city's. */
	for (i = 0; i < v->rp.n; i += v->rp.per, v->nslot++) {
		if (v->rp.rows[i].r.town != v->rp.rows[0].r.town)
			break;
		if (!v->rp.rows[i].r.ind->tally && v->nind < 64)
			v->judged[v->nind++] = v->nslot;
	}
	blocks = v->nslot ? v->rp.n / v->rp.per / v->nslot : 0;
	v->ntown = blocks - (is_city(t) && blocks ? 1 : 0);
	if (v->party >= nparties(t, v))
		v->party = 0;
	v->built = true;
}

/* The first row of indicator j for the party shown: the city's rows come
 * after every township's. */
static const struct report_plan_row *block_rows(const struct tui *t,
                                                const struct planview *v,
                                                size_t j)
{
	size_t town = is_city(t) ? (v->party == 0 ? v->ntown
	                                          : (size_t)v->party - 1) : 0;
	size_t at = (town * v->nslot + v->judged[j]) * v->rp.per;

	if (!v->built || j >= v->nind || at + v->rp.per > v->rp.n)
		return NULL;
	return &v->rp.rows[at];
}

static void pv_enter(struct tui *t, void *st, const void *arg)
{
	(void)arg;
	pv_load(t, st);
}

static void pv_leave(struct tui *t, void *st)
{
	struct planview *v = st;

	(void)t;
	if (v->built)
		report_plan_free(&v->rp);
	v->built = false;
}

/* ---- drawing ---------------------------------------------------------- */

/* Where the columns go: the years, cw cells each, then the total. */
struct pv_geom {
	int ny, cw, total_x, total_w;
};

static struct pv_geom pv_layout(const struct planview *v)
{
	struct pv_geom g;

	g.ny = (int)v->rp.per - 1;
	if (g.ny < 1)
		g.ny = 1;
	g.cw = (COLS - 2 - LABEL_W - 14) / g.ny;
	if (g.cw > 11)
		g.cw = 11;
	if (g.cw < 6)
		g.cw = 6;
	g.total_x = 1 + LABEL_W + g.ny * g.cw;
	g.total_w = COLS - 1 - g.total_x;
	return g;
}

/* s right-aligned in a cell of w cells ending at x + w. */
static void put_right(int y, int x, int w, const char *s, enum draw_style st)
{
	int sw = (int)text_width(s);

	draw_put(y, x + (sw < w ? w - sw : 0), s, w, st);
}

static enum draw_style status_style(const char *status)
{
	return strcmp(status, "behind") == 0 || strcmp(status, "not met") == 0
	       ? ST_BEHIND : ST_NORMAL;
}

static void block_label(const struct planview *v, const struct report_plan_row *rows,
                        size_t j, int y)
{
	const struct indicator *ind = rows[0].r.ind;
	const struct report_plan_row *total = &rows[v->rp.per - 1];
	const char *unit = L(ind->unit_zh, ind->unit_en);
	const char *how = ind->measure == MEASURE_SURVEY ? L("调查结果", "survey")
	                  : ind->period == PERIOD_PLAN ? L("规划期累计", "plan total")
	                  : L("每年考核", "annual");
	char line[600], met[96] = "";
	int metw = 0;

	if (total->years_met >= 0) {
		snprintf(met, sizeof met, LF("达标 %d/%zu 年", "%d/%zu years met"),
		         total->years_met, v->rp.per - 1);
		metw = (int)text_width(met);
		put_right(y, COLS - 1 - metw, metw, met, ST_HEAD);
	}
	snprintf(line, sizeof line, LF("#%zu %s（%s%s%s）", "#%zu %s (%s%s%s)"),
	         j + 1, indicator_label(ind), unit, *unit ? L("，", ", ") : "", how);
	draw_put(y, 1, line, COLS - 2 - (metw ? metw + 2 : 0), ST_HEAD);
}

/* The cells of one line of a block: kind 0 targets, 1 achieved, 2 status. */
static void block_line(const struct planview *v, const struct report_plan_row *rows,
                       const struct pv_geom *g, int kind, int y)
{
	static const char *const zh[] = { "任务", "完成", "状态" };
	static const char *const en[] = { "Target", "Achieved", "Status" };
	int k;

	draw_put(y, 2, L(zh[kind], en[kind]), LABEL_W - 1, ST_NORMAL);
	for (k = 0; k < (int)v->rp.per; k++) {
		const struct report_row *r = &rows[k].r;
		bool total = k == (int)v->rp.per - 1;
		int x = total ? g->total_x : 1 + LABEL_W + k * g->cw;
		int w = total ? g->total_w : g->cw - 1;
		char num[32], cell[96];

		if (kind == 0) {
			put_right(y, x, w, r->has_target ? draw_num(r->target, num) : "-",
			          ST_NORMAL);
		} else if (kind == 1) {
			draw_num(r->achieved, num);
			if (total && r->has_target)
				snprintf(cell, sizeof cell, LF("%s（%ld%%）", "%s (%ld%%)"), num,
				         (long)(r->percent + 0.5));
			else
				snprintf(cell, sizeof cell, "%s", num);
			put_right(y, x, w, cell, ST_NORMAL);
		} else if (!total && !r->has_target) {
			put_right(y, x, w, "-", ST_NORMAL);   /* as its target */
		} else {
			put_right(y, x, w, quota_status_label(r->status),
			          status_style(r->status));
		}
	}
}

static void pv_heading(struct tui *t, const struct planview *v,
                       const struct pv_geom *g)
{
	const struct plan *p = v->rp.plan;
	const struct report_plan_row *first = block_rows(t, v, 0);
	char line[400], num[16];
	const char *who;
	int k;

	draw_put_pad(BODY_TOP, 1, plan_label(p), COLS - 2, ST_HEAD);
	if (first && first->r.town)
		who = township_label(first->r.town);
	else
		who = L("全市合计", "City total");
	snprintf(line, sizeof line, LF("%s   %d-%d 规划%s%s", "%s   plan %d-%d %s%s"),
	         who, p->first_year, p->last_year,
	         v->rp.over ? L("已结束", "finished") : L("进行中", "open"),
	         v->rp.provisional ? L("（暂定）", ", provisional") : "");
	if (is_city(t))
		snprintf(line + strlen(line), sizeof line - strlen(line),
		         LF("   t 下一个（%d/%d）", "   t next (%d of %d)"),
		         v->party + 1, nparties(t, v));
	draw_put_pad(BODY_TOP + 1, 1, line, COLS - 2, ST_NORMAL);
	for (k = 0; k < g->ny; k++) {
		snprintf(num, sizeof num, "%d", p->first_year + k);
		put_right(BODY_TOP + 2, 1 + LABEL_W + k * g->cw, g->cw - 1, num, ST_HEAD);
	}
	put_right(BODY_TOP + 2, g->total_x, g->total_w, L("合计", "Total"), ST_HEAD);
}

static void pv_draw(struct tui *t, void *st)
{
	struct planview *v = st;
	struct pv_geom g;
	char foot[200];
	int y, rows = BODY_BOTTOM - BODY_TOP + 1 - HEAD_ROWS - 1;
	size_t j;

	draw_clear_body();
	if (!v->built)
		return;
	g = pv_layout(v);
	v->shown = rows / BLOCK_ROWS > 0 ? rows / BLOCK_ROWS : 1;
	if (v->top > (int)v->nind - v->shown)
		v->top = (int)v->nind - v->shown;
	if (v->top < 0)
		v->top = 0;
	pv_heading(t, v, &g);
	y = BODY_TOP + HEAD_ROWS;
	for (j = (size_t)v->top; j < v->nind && j < (size_t)(v->top + v->shown); j++) {
		const struct report_plan_row *b = block_rows(t, v, j);

		if (!b)
			break;
		block_label(v, b, j, y);
		block_line(v, b, &g, 0, y + 1);
		block_line(v, b, &g, 1, y + 2);
		block_line(v, b, &g, 2, y + 3);
		y += BLOCK_ROWS;
	}
	snprintf(foot, sizeof foot, LF("指标 %d-%zu/%zu%s   [ ] 上个/下个规划",
	                               "indicators %d-%zu of %zu%s   [ ] plan before/after"),
	         v->top + 1, j, v->nind,
	         (int)v->nind > v->shown ? L("，上下键翻看", " (Up/Down)") : "");
	draw_put_pad(BODY_BOTTOM, 1, foot, COLS - 2, ST_NORMAL);
}

/* ---- keys --------------------------------------------------------------- */

/* [ and ]: the plan before or after the one shown, by showing its last
 * year (the one before) or its first (the one after, once begun). */
static int pv_plan_step(struct tui *t, struct planview *v, int dir)
{
	const struct schema *sc = t->lg->schema;
	const struct plan *p = v->rp.plan;
	size_t i = (size_t)(p - sc->plans);

	if (dir < 0 && i == 0) {
		screen_msg(t, MSG_INFO, "%s", L("这是第一个规划。", "This is the first plan."));
		return RD_MSG;
	}
	if (dir > 0 && (i + 1 >= sc->nplans ||
	                sc->plans[i + 1].first_year > date_today().y)) {
		screen_msg(t, MSG_INFO, "%s", L("下一个规划还没有开始。",
		                                "The next plan has not begun."));
		return RD_MSG;
	}
	if (!year_set(t, dir < 0 ? sc->plans[i - 1].last_year
	                         : sc->plans[i + 1].first_year))
		return RD_MSG;
	v->top = 0;
	pv_load(t, v);
	return RD_ALL | RD_CLEAR;
}

static int pv_key(struct tui *t, void *st, struct tkey k, enum action act,
                  int arg)
{
	struct planview *v = st;
	int rd, n = nparties(t, v);

	(void)k;
	(void)arg;
	if (act == ACT_YEAR) {
		rd = year_key(t, act);
		if (rd & RD_BODY)
			pv_load(t, v);
		return rd;
	}
	if (!v->built && act != ACT_BACK)
		return RD_UNHANDLED;
	switch (act) {
	case ACT_PLAN_PREV:
		return pv_plan_step(t, v, -1);
	case ACT_PLAN_NEXT:
		return pv_plan_step(t, v, 1);
	case ACT_PARTY_NEXT:
	case ACT_PARTY_PREV:
		if (!is_city(t))
			return RD_UNHANDLED;
		v->party = (v->party + (act == ACT_PARTY_NEXT ? 1 : n - 1)) % n;
		return RD_BODY;
	case ACT_UP:
		v->top--;
		return RD_BODY;
	case ACT_DOWN:
		v->top++;
		return RD_BODY;
	case ACT_PAGE_UP:
		v->top -= v->shown;
		return RD_BODY;
	case ACT_PAGE_DOWN:
		v->top += v->shown;
		return RD_BODY;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops plan_ops = {
	.id = SCR_PLAN,
	.title_zh = "规划评估",
	.title_en = "Plan evaluation",
	.text_input = false,
	.state_size = sizeof(struct planview),
	.enter = pv_enter,
	.leave = pv_leave,
	.draw = pv_draw,
	.key = pv_key,
};
