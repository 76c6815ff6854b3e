/* xlsx_report.c - the report workbook (汇总表): a year's progress against
 * the quotas (任务进度), its tallies (统计), the evaluation of its plan
 * (规划评估), in a city database a chart per indicator of each township's
 * achieved against its target (图表), and what the words mean (说明).
 *
 * The rows are report_build's and report_plan_build's, those of `kepu
 * report --csv`, laid out for people: a city's progress indicator by
 * indicator, every township and then the city total, so that each chart
 * reads one block; groups with nothing in them left out
 * (report_row_hidden), as in the table `kepu report` prints.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "quota.h"
#include "report.h"
#include "xlsx_int.h"

#define MAXCOLS 64          /* a city's tallies: four, and one per township */

struct rctx {
	struct xbook b;
	struct ledger *lg;
	bool city;
	const char *who;          /* the township, or the city */
	char when[64];            /* "2025 年", "2021-2025 年" */
	char today[11];
};

/* A table being laid out: its columns' headings and widths. */
struct table {
	const char *head[MAXCOLS];
	double width[MAXCOLS];
	int n;
};

static void col(struct table *t, const char *head, double width)
{
	t->head[t->n] = head;
	t->width[t->n] = width > xtext_width(head) + 2 ? width : xtext_width(head) + 2;
	t->n++;
}

/* Widen column c for text s (at most 48 characters: longer text wraps). */
static void fit(struct table *t, int c, const char *s)
{
	double w = xtext_width(s) + 2;

	if (w > 48)
		w = 48;
	if (w > t->width[c])
		t->width[c] = w;
}

static const char *town_of(const struct report_row *r)
{
	return r->town ? township_label(r->town) : L("全市合计", "City total");
}

static const char *unit_of(const struct indicator *ind)
{
	return L(ind->unit_zh, ind->unit_en);
}

/* Rows per township in a report (slots: indicators and groups). */
static size_t per_town(const struct report_row *rows, size_t n)
{
	size_t k = 0;

	while (k < n && rows[k].town == rows[0].town)
		k++;
	return k;
}

/* ---- 任务进度 --------------------------------------------------------------- */

/* Where each indicator's township rows went, for its chart. */
struct block {
	const struct indicator *ind;
	int first, last;          /* rows of the townships (not the city) */
};

static void progress_row(struct rctx *x, lxw_worksheet *ws, int y,
                         const struct report_row *r)
{
	struct xbook *b = &x->b;
	bool total = r->town == NULL;
	lxw_format *tf = total ? b->f.total : b->f.text;
	lxw_format *nf = total ? b->f.total_num : b->f.num;

	xput_text(b, ws, y, 0, town_of(r), tf);
	xput_text(b, ws, y, 1, indicator_label(r->ind), tf);
	xput_text(b, ws, y, 2, unit_of(r->ind), tf);
	if (r->has_target)
		xput_num(b, ws, y, 3, r->target, nf);
	else
		xput_text(b, ws, y, 3, NULL, tf);
	xput_num(b, ws, y, 4, r->achieved, nf);
	if (r->has_target && r->target > 0)
		xput_num(b, ws, y, 5, r->percent / 100, total ? b->f.total_pct : b->f.pct);
	else
		xput_text(b, ws, y, 5, NULL, tf);
	if (r->has_target && r->has_expected)
		xput_num(b, ws, y, 6, r->expected, b->f.dec);
	else
		xput_text(b, ws, y, 6, NULL, tf);
	xput_text(b, ws, y, 7, quota_status_label(r->status), xfmt_status(b, r->status));
}

static void progress_table(struct table *t)
{
	col(t, L("镇（街道）", "Township"), 12);
	col(t, L("指标", "Indicator"), 20);
	col(t, L("单位", "Unit"), 6);
	col(t, L("任务", "Target"), 8);
	col(t, L("完成", "Achieved"), 8);
	col(t, L("完成率", "Done"), 8);
	col(t, L("应完成", "Due"), 8);
	col(t, L("进度", "Status"), 10);
}

static void subtitle(struct rctx *x, const struct plan *p, bool over,
                     bool provisional, char *buf, size_t n)
{
	snprintf(buf, n, LF("规划：%s%s　　统计截至 %s（%s）",
	                    "Plan: %s%s    as of %s (%s)"), plan_label(p),
	         provisional ? L("（暂定）", " (provisional)") : "", x->today,
	         over ? L("已结束", "finished") : L("进行中", "open"));
}

/* The year's progress; blocks[] gets each indicator's rows (city). */
static int sheet_progress(struct rctx *x, const struct report_row *rows,
                          size_t n, struct block *blocks, size_t *nblocks)
{
	const char *name = L("任务进度", "Progress");
	size_t per = per_town(rows, n), ntown, i, j;
	struct table t = { .n = 0 };
	char title[256], sub[512];
	lxw_worksheet *ws;
	int y = 3;

	*nblocks = 0;
	if (!n || !(ws = xbook_sheet(&x->b, name)))
		return KP_OK;
	ntown = x->city ? n / per - 1 : 1;
	progress_table(&t);
	for (i = 0; i < n; i++) {
		fit(&t, 0, town_of(&rows[i]));
		fit(&t, 1, indicator_label(rows[i].ind));
	}
	snprintf(title, sizeof title, LF("%s %s全民科学素质行动任务进度%s",
	                                 "%s: %s progress on the science literacy plan%s"),
	         x->who, x->when, x->city ? L("汇总表", " (summary)") : "");
	subtitle(x, rows[0].plan, report_year_over(rows[0].year), rows[0].provisional,
	         sub, sizeof sub);
	xsheet_title(&x->b, ws, t.n, title, sub);
	xsheet_head(&x->b, ws, 2, t.n, t.head, t.width);
	/* A township's rows as they come; a city's indicator by indicator,
	 * the townships then the city's total. */
	for (j = 0; j < per; j++) {
		const struct report_row *r = &rows[j];

		if (r->ind->tally)
			continue;
		if (!x->city) {
			progress_row(x, ws, y++, r);
			continue;
		}
		blocks[*nblocks].ind = r->ind;
		blocks[*nblocks].first = y;
		for (i = 0; i < ntown; i++)
			progress_row(x, ws, y++, &rows[i * per + j]);
		blocks[(*nblocks)++].last = y - 1;
		progress_row(x, ws, y++, &rows[ntown * per + j]);
	}
	xsheet_finish(&x->b, ws, 2, y - 1, t.n, x->who, name, x->when);
	return KP_OK;
}

/* ---- 统计 ------------------------------------------------------------------- */

static void tally_row(struct rctx *x, lxw_worksheet *ws, int y,
                      const struct report_row *r)
{
	struct xbook *b = &x->b;
	lxw_format *tf = r->town ? b->f.text : b->f.total;
	char g[256];

	xput_text(b, ws, y, 0, town_of(r), tf);
	xput_text(b, ws, y, 1, indicator_label(r->ind), tf);
	xput_text(b, ws, y, 2, r->group ? indicator_group_label(r->ind, r->group, g, sizeof g)
	                                : NULL, tf);
	xput_text(b, ws, y, 3, unit_of(r->ind), tf);
	xput_num(b, ws, y, 4, r->achieved, r->town ? b->f.num : b->f.total_num);
}

/* A city's tallies as one table: a row per tally and group, the city's
 * total, then a column per township, so that it prints on a page or
 * two. */
static int sheet_tallies_city(struct rctx *x, const struct report_row *rows,
                              size_t n, lxw_worksheet *ws, struct table *t)
{
	struct xbook *b = &x->b;
	size_t per = per_town(rows, n), ntown = n / per - 1, i, j;
	char g[256];
	int y = 3;

	t->n = 0;
	col(t, L("统计项", "Tally"), 20);
	col(t, L("分组", "Group"), 12);
	col(t, L("单位", "Unit"), 6);
	col(t, L("全市合计", "City total"), 9);
	for (i = 0; i < ntown && t->n < MAXCOLS; i++) {
		t->head[t->n] = township_label(rows[i * per].town);
		t->width[t->n++] = 7.5;
	}
	for (j = 0; j < per; j++) {
		fit(t, 0, indicator_label(rows[j].ind));
		if (rows[j].group)
			fit(t, 1, indicator_group_label(rows[j].ind, rows[j].group, g, sizeof g));
	}
	xsheet_head(b, ws, 2, t->n, t->head, t->width);
	for (j = 0; j < per; j++) {
		const struct report_row *c = &rows[ntown * per + j];

		if (!c->ind->tally || report_row_hidden(c))
			continue;
		xput_text(b, ws, y, 0, indicator_label(c->ind), b->f.text);
		xput_text(b, ws, y, 1, c->group ? indicator_group_label(c->ind, c->group, g,
		          sizeof g) : NULL, b->f.text);
		xput_text(b, ws, y, 2, unit_of(c->ind), b->f.text);
		xput_num(b, ws, y, 3, c->achieved, b->f.total_num);
		for (i = 0; i < ntown && 4 + (int)i < t->n; i++)
			xput_num(b, ws, y, 4 + (int)i, rows[i * per + j].achieved, b->f.num);
		y++;
	}
	return y - 1;
}

static int sheet_tallies(struct rctx *x, const struct report_row *rows, size_t n)
{
	const char *name = L("统计", "Tallies");
	struct table t = { .n = 0 };
	char title[256], sub[512], g[256];
	lxw_worksheet *ws;
	size_t i;
	int y = 3;

	for (i = 0; i < n && !rows[i].ind->tally; i++)
		;
	if (i == n || !(ws = xbook_sheet(&x->b, name)))
		return KP_OK;
	col(&t, L("镇（街道）", "Township"), 12);
	col(&t, L("统计项", "Tally"), 20);
	col(&t, L("分组", "Group"), 12);
	col(&t, L("单位", "Unit"), 6);
	col(&t, L("数量", "Count"), 10);
	for (i = 0; i < n; i++) {
		fit(&t, 1, indicator_label(rows[i].ind));
		if (rows[i].group)
			fit(&t, 2, indicator_group_label(rows[i].ind, rows[i].group, g, sizeof g));
	}
	snprintf(title, sizeof title, LF("%s %s科普工作统计（不设目标）",
	                                 "%s: %s tallies (counted, no targets)"),
	         x->who, x->when);
	subtitle(x, rows[0].plan, report_year_over(rows[0].year), rows[0].provisional,
	         sub, sizeof sub);
	if (x->city) {
		/* the title spans the table it heads: lay that out first */
		struct table ct = { .n = 0 };

		xsheet_title(&x->b, ws, 4 + (int)(n / per_town(rows, n)) - 1, title, sub);
		y = sheet_tallies_city(x, rows, n, ws, &ct);
		xsheet_finish(&x->b, ws, 2, y, ct.n, x->who, name, x->when);
		return KP_OK;
	}
	xsheet_title(&x->b, ws, t.n, title, sub);
	xsheet_head(&x->b, ws, 2, t.n, t.head, t.width);
	for (i = 0; i < n; i++)
		if (rows[i].ind->tally && !report_row_hidden(&rows[i]))
			tally_row(x, ws, y++, &rows[i]);
	xsheet_finish(&x->b, ws, 2, y - 1, t.n, x->who, name, x->when);
	return KP_OK;
}

/* ---- 规划评估 --------------------------------------------------------------- */

static void plan_block(struct rctx *x, lxw_worksheet *ws, int y,
                       const struct report_plan *rp, size_t at)
{
	struct xbook *b = &x->b;
	const struct report_plan_row *tot = &rp->rows[at + rp->per - 1];
	const struct report_row *r = &tot->r;
	lxw_format *tf = r->town ? b->f.text : b->f.total;
	int k, ny = (int)rp->per - 1, c = 3;
	char label[512];

	xput_text(b, ws, y, 0, town_of(r), tf);
	xput_text(b, ws, y, 1, report_row_label(r, label, sizeof label), tf);
	xput_text(b, ws, y, 2, unit_of(r->ind), tf);
	for (k = 0; k < ny; k++) {
		const struct report_row *yr = &rp->rows[at + (size_t)k].r;

		xput_num(b, ws, y, c++, yr->achieved,
		         xfmt_status(b, yr->status) == b->f.bad ? b->f.bad_num : b->f.num);
	}
	if (r->has_target)
		xput_num(b, ws, y, c, r->target, b->f.total_num);
	else
		xput_text(b, ws, y, c, NULL, tf);
	xput_num(b, ws, y, c + 1, r->achieved, b->f.total_num);
	if (r->has_target && r->target > 0)
		xput_num(b, ws, y, c + 2, r->percent / 100, b->f.total_pct);
	else
		xput_text(b, ws, y, c + 2, NULL, tf);
	if (tot->years_met >= 0)
		xput_num(b, ws, y, c + 3, tot->years_met, b->f.num);
	else
		xput_text(b, ws, y, c + 3, NULL, tf);
	xput_text(b, ws, y, c + 4, quota_status_label(r->status), xfmt_status(b, r->status));
}

static int sheet_plan(struct rctx *x, const struct report_plan *rp)
{
	const char *name = L("规划评估", "Plan evaluation");
	struct table t = { .n = 0 };
	char years[16][12], title[256], sub[512], label[512], when[64];
	size_t nblocks, i;
	lxw_worksheet *ws;
	int k, ny = (int)rp->per - 1, y = 3, pass;

	if (!rp->n || !(ws = xbook_sheet(&x->b, name)))
		return KP_OK;
	col(&t, L("镇（街道）", "Township"), 12);
	col(&t, L("指标", "Indicator"), 20);
	col(&t, L("单位", "Unit"), 6);
	for (k = 0; k < ny && k < 16; k++) {
		snprintf(years[k], sizeof years[k], "%d", rp->plan->first_year + k);
		col(&t, years[k], 8);
	}
	col(&t, L("任务合计", "Target"), 9);
	col(&t, L("完成合计", "Achieved"), 9);
	col(&t, L("完成率", "Done"), 8);
	col(&t, L("达标年数", "Years met"), 8);
	col(&t, L("结论", "Verdict"), 10);
	nblocks = rp->n / rp->per;
	for (i = 0; i < nblocks; i++) {
		fit(&t, 0, town_of(&rp->rows[i * rp->per].r));
		fit(&t, 1, report_row_label(&rp->rows[i * rp->per].r, label, sizeof label));
	}
	snprintf(when, sizeof when, LF("%d—%d 年", "%d-%d"), rp->plan->first_year,
	         rp->plan->last_year);
	snprintf(title, sizeof title, LF("%s %s规划实施评估（逐年完成与规划合计）",
	                                 "%s: evaluation of the plan %s, year by year"),
	         x->who, when);
	snprintf(sub, sizeof sub, LF("%s%s　　截至 %s（%s）　　红字：当年落后或未达标",
	                             "%s%s    as of %s (%s)    red: behind or not met that year"),
	         plan_label(rp->plan), rp->provisional ? L("（暂定）", " (provisional)") : "",
	         x->today, rp->over ? L("已结束", "finished") : L("进行中", "open"));
	xsheet_title(&x->b, ws, t.n, title, sub);
	xsheet_head(&x->b, ws, 2, t.n, t.head, t.width);
	/* the city first, then the townships; blocks with nothing in a
	 * group left out */
	for (pass = x->city ? 0 : 1; pass < 2; pass++)
		for (i = 0; i < nblocks; i++) {
			const struct report_row *r = &rp->rows[i * rp->per + rp->per - 1].r;

			if ((r->town == NULL) != (pass == 0) || report_row_hidden(r))
				continue;
			/* a city's townships' tallies year by year would be pages
			 * of small numbers: the city's are here, the townships'
			 * of the year on 统计, every year in report --plan --csv */
			if (x->city && r->town && r->ind->tally)
				continue;
			plan_block(x, ws, y++, rp, i * rp->per);
		}
	xsheet_finish(&x->b, ws, 2, y - 1, t.n, x->who, name, when);
	return KP_OK;
}

/* ---- 图表 ------------------------------------------------------------------- */

static int sheet_charts(struct rctx *x, const struct block *blocks, size_t n)
{
	const char *name = L("图表", "Charts"), *data = L("任务进度", "Progress");
	/* 576 x 576 pixels: room for 21 townships' names; two across a
	 * landscape page, ten 64-pixel columns apart */
	lxw_chart_options opt = { 0, 0, 1.2, 2.0, 0, NULL, 0 };
	char title[256], sub[256];
	lxw_row_t breaks[64];
	lxw_worksheet *ws;
	size_t i, k = 0;

	if (!n || !(ws = xbook_sheet(&x->b, name)))
		return KP_OK;
	snprintf(title, sizeof title, LF("%s各镇（街道）完成与任务对照", "%s by township: achieved and target"),
	         x->when);
	snprintf(sub, sizeof sub, LF("数据见“%s”表", "from the sheet %s"), data);
	xsheet_title(&x->b, ws, 19, title, sub);
	for (i = 0; i < n; i++) {
		const struct block *bl = &blocks[i];
		lxw_chart *ch;
		lxw_chart_series *s;
		char ctitle[300];

		if (bl->ind->measure == MEASURE_SURVEY)
			continue;      /* a city level: no township has one */
		if (!(ch = workbook_add_chart(x->b.wb, LXW_CHART_BAR)))
			return kp_err_nomem();
		snprintf(ctitle, sizeof ctitle, "%s（%s）", indicator_label(bl->ind),
		         unit_of(bl->ind));
		chart_title_set_name(ch, ctitle);
		s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, data, (lxw_row_t)bl->first, 0,
		                            (lxw_row_t)bl->last, 0);
		chart_series_set_values(s, data, (lxw_row_t)bl->first, 4,
		                        (lxw_row_t)bl->last, 4);
		chart_series_set_name(s, L("完成", "Achieved"));
		s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, data, (lxw_row_t)bl->first, 0,
		                            (lxw_row_t)bl->last, 0);
		chart_series_set_values(s, data, (lxw_row_t)bl->first, 3,
		                        (lxw_row_t)bl->last, 3);
		chart_series_set_name(s, L("任务", "Target"));
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		/* the townships top to bottom in the sheet's order */
		chart_axis_set_reverse(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y));
		worksheet_insert_chart_opt(ws, (lxw_row_t)(3 + (k / 2) * 31),
		                           (lxw_col_t)((k % 2) * 10), ch, &opt);
		k++;
	}
	/* a row of two charts a page, never a chart cut in two */
	for (i = 0; i < (k + 1) / 2 && i < 63; i++)
		breaks[i] = (lxw_row_t)(3 + (i + 1) * 31 - 1);
	breaks[i ? i - 1 : 0] = 0;
	if (k > 2)
		worksheet_set_h_pagebreaks(ws, breaks);
	xsheet_finish(&x->b, ws, 1, 1, 19, x->who, name, x->when);
	return KP_OK;
}

/* ---- 说明 ------------------------------------------------------------------- */

static int sheet_notes(struct rctx *x, const struct plan *p)
{
	const char *name = L("说明", "Notes");
	const struct quota_word *w;
	struct xbook *b = &x->b;
	lxw_worksheet *ws;
	char line[512];
	size_t i, n;
	int y = 3;

	if (!(ws = xbook_sheet(b, name)))
		return KP_OK;
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 22, NULL);
	worksheet_set_column(ws, 2, 2, 70, NULL);
	snprintf(line, sizeof line, LF("%s %s：说明", "%s %s: notes"), x->who, x->when);
	xsheet_title(b, ws, 3, line, NULL);
	xput_text(b, ws, 2, 0, L("项目", "Item"), b->f.head);
	xput_text(b, ws, 2, 1, L("内容", "Value"), b->f.head);
	xput_text(b, ws, 2, 2, L("说明", "Meaning"), b->f.head);
	xput_text(b, ws, y, 0, L("单位", "Unit"), b->f.text);
	xput_text(b, ws, y, 1, x->who, b->f.text);
	xput_text(b, ws, y++, 2, NULL, b->f.text);
	xput_text(b, ws, y, 0, L("规划", "Plan"), b->f.text);
	xput_text(b, ws, y, 1, p->id, b->f.text);
	xput_text(b, ws, y++, 2, plan_label(p), b->f.text);
	xput_text(b, ws, y, 0, L("统计截至", "As of"), b->f.text);
	xput_date(b, ws, y, 1, x->today, b->f.date);
	xput_text(b, ws, y++, 2, L("年度进行中按日计算应完成数；年度结束后只看达标与否",
	                           "an open year is judged against the share due by the day; a finished one as met or not"),
	          b->f.text);
	snprintf(line, sizeof line, "%u", x->lg->schema->version);
	xput_text(b, ws, y, 0, L("表单版本", "Forms version"), b->f.text);
	xput_text(b, ws, y, 1, line, b->f.text);
	xput_text(b, ws, y++, 2, PACKAGE_NAME " " PACKAGE_VERSION, b->f.text);
	w = quota_status_words(&n);
	for (i = 0; i < n; i++, y++) {
		xput_text(b, ws, y, 0, L("进度状态", "Status"), b->f.text);
		xput_text(b, ws, y, 1, L(w[i].zh, w[i].en), xfmt_status(b, w[i].code));
		xput_text(b, ws, y, 2, L(w[i].note_zh, w[i].note_en), b->f.text);
	}
	xput_text(b, ws, y, 0, L("数据", "Data"), b->f.text);
	xput_text(b, ws, y, 1, "CSV", b->f.text);
	xput_text(b, ws, y++, 2, L("本工作簿供阅读和打印；报送和核对以 CSV 数据包为准（kepu export）",
	                           "this workbook is for reading and printing; the CSV bundle (kepu export) is the record"),
	          b->f.text);
	xsheet_finish(b, ws, 2, y - 1, 3, x->who, name, x->when);
	return KP_OK;
}

/* ---- the workbook --------------------------------------------------------- */

static int year_sheets(struct rctx *x, int year)
{
	struct report_row *rows = NULL;
	struct report_plan rp = { 0 };
	struct block *blocks = NULL;
	size_t n = 0, nb = 0;
	int rc;

	if ((rc = report_build(x->lg, year, &rows, &n)))
		return rc;
	snprintf(x->when, sizeof x->when, LF("%d 年", "%d"), n ? rows[0].year : year);
	if (!(blocks = calloc(n + 1, sizeof *blocks))) {
		free(rows);
		return kp_err_nomem();
	}
	rc = sheet_progress(x, rows, n, blocks, &nb);
	if (!rc)
		rc = sheet_tallies(x, rows, n);
	if (!rc && n)
		rc = report_plan_build(x->lg, rows[0].plan, &rp);
	if (!rc)
		rc = sheet_plan(x, &rp);
	if (!rc && x->city)
		rc = sheet_charts(x, blocks, nb);
	if (!rc && n)
		rc = sheet_notes(x, rows[0].plan);
	report_plan_free(&rp);
	free(blocks);
	free(rows);
	return rc;
}

static int plan_sheets(struct rctx *x, const struct plan *p)
{
	struct report_plan rp;
	int rc;

	snprintf(x->when, sizeof x->when, LF("%d—%d 年", "%d-%d"), p->first_year,
	         p->last_year);
	if ((rc = report_plan_build(x->lg, p, &rp)))
		return rc;
	rc = sheet_plan(x, &rp);
	if (!rc)
		rc = sheet_notes(x, p);
	report_plan_free(&rp);
	return rc;
}

int xlsx_report_write(struct ledger *lg, int year, const struct plan *plan,
                      const struct xlsx_opts *o)
{
	const struct township *t = schema_township(lg->schema, lg->township);
	struct rctx x;
	int rc;

	memset(&x, 0, sizeof x);
	x.lg = lg;
	x.city = lg->mode == LEDGER_CITY_MODE;
	x.who = x.city || !t ? L("晋江市", "Jinjiang") : township_label(t);
	date_format(date_today(), x.today);
	if (!plan && year == 0)
		year = lg->year;
	if (!plan && !schema_plan_of_year(lg->schema, year))
		return kp_err_set(KP_E_DATA, LF("%d 年在第一个规划（%d 年起）之前，没有可报告的指标",
		                  "%d is before the first plan (from %d): nothing to report"),
		                  year, schema_first_year(lg->schema));
	if ((rc = xbook_open(&x.b, o, false)))
		return rc;
	rc = plan ? plan_sheets(&x, plan) : year_sheets(&x, year);
	if (rc) {
		xbook_discard(&x.b);
		return rc;
	}
	return xbook_close(&x.b);
}
