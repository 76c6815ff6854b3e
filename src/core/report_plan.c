/* report_plan.c - the plan evaluation: every year of a plan, and the plan
 * as a whole, per township and indicator.
 *
 * The year rows are report_build's rows for each year of the plan, so the
 * evaluation and `kepu report --year Y` cannot disagree; the total row is
 * made from them (and, for a survey, from the values the city entered).
 * Like report_build it reads the totals only: its cost does not depend on
 * the number of records.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "date.h"
#include "err.h"
#include "lang.h"
#include "report.h"
#include "text.h"

bool report_plan_over(const struct plan *p)
{
	return report_year_over(p->last_year);
}

/* A plan by its years, "2021-2025" (surrounding spaces allowed). */
static const struct plan *plan_by_years(const struct schema *s, const char *v)
{
	int a, b, k = 0;
	size_t i;

	if (sscanf(v, " %d-%d %n", &a, &b, &k) != 2 || v[k])
		return NULL;
	for (i = 0; i < s->nplans; i++)
		if (s->plans[i].first_year == a && s->plans[i].last_year == b)
			return &s->plans[i];
	return NULL;
}

const struct plan *report_plan_named(const struct schema *s, const char *v)
{
	const struct plan *p = schema_plan(s, v);

	return p ? p : plan_by_years(s, v);
}

size_t report_plan_list(const struct schema *s, char *buf, size_t size)
{
	size_t i, len = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < s->nplans && len < size; i++) {
		int k = snprintf(buf + len, size - len, "%s%s (%d-%d)",
		                 i ? ", " : "", s->plans[i].id,
		                 s->plans[i].first_year, s->plans[i].last_year);
		if (k < 0)
			break;
		len += (size_t)k;
	}
	return s->nplans;
}

/* ---- the total row -------------------------------------------------------- */

/* The year today falls in, held to the plan's years: the year whose
 * status stands for a running plan. */
static int current_year(const struct plan *p)
{
	int y = date_today().y;

	if (y < p->first_year)
		return p->first_year;
	return y > p->last_year ? p->last_year : y;
}

/* An annual indicator: the years' targets (those that have one) and
 * achievements added up; the verdict is met once the plan is over when
 * every year with a quota was met; while it runs, behind as soon as a
 * finished year was not met, else the current year's status.  Years
 * without a quota are not judged. */
static void total_annual(const struct plan *p, const struct report_plan_row *yr,
                         int ny, struct report_plan_row *t)
{
	const struct report_row *cur = NULL;
	int i, judged = 0;
	bool failed = false;

	t->years_met = 0;
	for (i = 0; i < ny; i++) {
		const struct report_row *r = &yr[i].r;

		t->r.achieved += r->achieved;
		if (r->year == current_year(p))
			cur = r;
		if (!r->has_target)
			continue;
		t->r.target += r->target;
		t->r.has_target = true;
		judged++;
		if (strcmp(r->status, "met") == 0)
			t->years_met++;
		else if (strcmp(r->status, "not met") == 0)
			failed = true;
	}
	if (!t->r.has_target)
		t->r.status = "no quota";
	else if (report_plan_over(p))
		t->r.status = t->years_met == judged ? "met" : "not met";
	else if (failed)
		t->r.status = "behind";
	else if (cur && cur->has_target)
		t->r.status = cur->status;
	else
		t->r.status = "on track";
}

/* A survey: the latest value entered for a year of the plan, judged as
 * the plan's verdict (met / not met once the plan is over).  Township rows
 * have no survey value and no quota. */
static int total_survey(struct ledger *lg, const struct plan *p,
                        struct report_plan_row *t)
{
	double v = 0;
	int y, rc = KP_NOTFOUND;

	if (t->r.town)
		return KP_OK;
	for (y = p->last_year; y >= p->first_year && rc == KP_NOTFOUND; y--)
		rc = ledger_value(lg, y, t->r.ind->id, &v);
	if (rc != KP_OK && rc != KP_NOTFOUND)
		return rc;
	t->r.achieved = rc == KP_OK ? v : 0;
	t->r.target = t->r.ind->target;
	t->r.has_target = t->r.target > 0;
	t->r.status = quota_status(t->r.ind, p->last_year, t->r.achieved,
	                           t->r.has_target ? t->r.target : 0);
	return KP_OK;
}

static int make_total(struct ledger *lg, const struct plan *p,
                      const struct report_plan_row *yr, int ny,
                      struct report_plan_row *t)
{
	const struct report_row *last = &yr[ny - 1].r;
	int i, rc = KP_OK;

	memset(t, 0, sizeof *t);
	t->r.year = 0;
	t->r.town = last->town;
	t->r.ind = last->ind;
	t->r.group = last->group;
	t->r.plan = p;
	t->r.provisional = p->status == PLAN_PROVISIONAL;
	t->years_met = -1;
	if (last->ind->tally) {
		/* Counted, never judged: the plan's count so far. */
		t->r.achieved = last->achieved;
		for (i = 0; last->ind->period == PERIOD_ANNUAL && i < ny - 1; i++)
			t->r.achieved += yr[i].r.achieved;
		t->r.status = "tally";
	} else if (last->ind->measure == MEASURE_SURVEY) {
		rc = total_survey(lg, p, t);
		if (rc == KP_OK && t->r.town)
			t->r.status = "no quota";
	} else if (last->ind->period == PERIOD_PLAN) {
		/* The last year's row holds the whole plan against its quota. */
		t->r.target = last->target;
		t->r.has_target = last->has_target;
		t->r.achieved = last->achieved;
		t->r.status = last->status;
	} else {
		total_annual(p, yr, ny, t);
	}
	if (t->r.has_target && t->r.target > 0)
		t->r.percent = t->r.achieved / t->r.target * 100;
	return rc;
}

/* ---- building ------------------------------------------------------------- */

void report_plan_free(struct report_plan *rp)
{
	free(rp->rows);
	rp->rows = NULL;
	rp->n = 0;
}

/* Every year's report: all have the same rows in the same order (one plan,
 * the same townships and indicators). */
static int years_build(struct ledger *lg, const struct plan *p,
                       struct report_row **yr, size_t *yn)
{
	int k, ny = p->last_year - p->first_year + 1, rc;

	for (k = 0; k < ny; k++) {
		if ((rc = report_build(lg, p->first_year + k, &yr[k], &yn[k])))
			return rc;
		if (yn[k] != yn[0])
			return kp_err_set(KP_E_SOFTWARE, "%s", L("各年度报表的行数不一致",
			                  "the years' reports differ in rows"));
	}
	return KP_OK;
}

int report_plan_build(struct ledger *lg, const struct plan *p,
                      struct report_plan *out)
{
	int ny = p->last_year - p->first_year + 1, k, rc;
	struct report_row **yr;
	size_t *yn, i, j = 0;

	memset(out, 0, sizeof *out);
	out->plan = p;
	out->provisional = p->status == PLAN_PROVISIONAL;
	out->over = report_plan_over(p);
	out->per = (size_t)ny + 1;
	yr = calloc((size_t)ny, sizeof *yr);
	yn = calloc((size_t)ny, sizeof *yn);
	if (!yr || !yn) {
		rc = kp_err_nomem();
		goto out;
	}
	if ((rc = years_build(lg, p, yr, yn)))
		goto out;
	out->rows = calloc(yn[0] * out->per + 1, sizeof *out->rows);
	if (!out->rows) {
		rc = kp_err_nomem();
		goto out;
	}
	for (i = 0; i < yn[0]; i++) {
		struct report_plan_row *first = &out->rows[j];

		for (k = 0; k < ny; k++) {
			out->rows[j].r = yr[k][i];
			out->rows[j++].years_met = -1;
		}
		if ((rc = make_total(lg, p, first, ny, &out->rows[j++])))
			goto out;
	}
	out->n = j;
out:
	for (k = 0; yr && k < ny; k++)
		free(yr[k]);
	free(yr);
	free(yn);
	if (rc)
		report_plan_free(out);
	return rc;
}

/* ---- output --------------------------------------------------------------- */

static const char *unit_of(const struct indicator *ind)
{
	return L(ind->unit_zh, ind->unit_en);
}

static const char *period_of(const struct indicator *ind)
{
	return ind->period == PERIOD_PLAN ? "plan" : "annual";
}

int report_plan_write_csv(const struct report_plan *rp, FILE *out,
                          unsigned csvw_flags)
{
	static const char *const header[] = {
		"plan", "plan_status", "township", "indicator", "unit", "period",
		"year", "target", "achieved", "percent", "status", "years_met",
		"group",
	};
	struct csvw w;
	char b[3][32];
	size_t i;

	csvw_begin(&w, out, csvw_flags);
	csvw_row(&w, sizeof header / sizeof header[0], header);
	for (i = 0; i < rp->n; i++) {
		const struct report_plan_row *pr = &rp->rows[i];
		const struct report_row *r = &pr->r;

		csvw_field(&w, rp->plan->id);
		csvw_field(&w, rp->provisional ? "provisional" : "official");
		csvw_field(&w, r->town ? r->town->id : LEDGER_CITY);
		csvw_field(&w, r->ind->id);
		csvw_field(&w, unit_of(r->ind));
		csvw_field(&w, period_of(r->ind));
		if (r->year)
			csvw_fieldf(&w, "%d", r->year);
		else
			csvw_field(&w, "total");
		csvw_field(&w, r->has_target ? quota_format(r->target, 2, b[0]) : NULL);
		csvw_field(&w, quota_format(r->achieved, 2, b[1]));
		csvw_field(&w, r->has_target ? quota_format(r->percent, 1, b[2]) : NULL);
		csvw_field(&w, r->status);
		if (pr->years_met >= 0)
			csvw_fieldf(&w, "%d", pr->years_met);
		else
			csvw_field(&w, NULL);
		csvw_field(&w, r->group);
		csvw_end_row(&w);
	}
	return csvw_finish(&w);
}

#define NCOLS 9

struct cells {
	char num[4][32];
	char label[512];
	const char *c[NCOLS];
};

static void row_cells(const struct report_plan_row *pr, bool first_of_town,
                      bool first_of_ind, struct cells *out)
{
	const struct report_row *r = &pr->r;

	out->c[0] = !first_of_town ? "" : r->town ? township_label(r->town)
	                                          : L("全市合计", "City total");
	out->c[1] = first_of_ind ? report_row_label(r, out->label, sizeof out->label)
	                         : "";
	out->c[2] = first_of_ind ? unit_of(r->ind) : "";
	if (r->year)
		snprintf(out->num[0], sizeof out->num[0], "%d", r->year);
	else
		snprintf(out->num[0], sizeof out->num[0], "%s", L("合计", "total"));
	out->c[3] = out->num[0];
	out->c[4] = r->has_target ? quota_format(r->target, 2, out->num[1]) : "-";
	out->c[5] = quota_format(r->achieved, 2, out->num[2]);
	if (r->has_target) {
		quota_format(r->percent, 1, out->num[3]);
		strcat(out->num[3], "%");
		out->c[6] = out->num[3];
	} else {
		out->c[6] = "-";
	}
	out->c[7] = quota_status_label(r->status);
	out->c[8] = "";
}

static void put_line(FILE *out, const char *const *c, const size_t *width)
{
	static const bool right[NCOLS] = {
		false, false, false, false, true, true, true, false, true,
	};

	report_put_line(out, c, width, right, NCOLS);
}

static bool new_town(const struct report_plan *rp, size_t i)
{
	return i == 0 || rp->rows[i].r.town != rp->rows[i - 1].r.town;
}

/* Row i's block (township, indicator) is left out of the table: a group
 * with nothing in it over the whole plan. */
static bool block_hidden(const struct report_plan *rp, size_t i)
{
	return report_row_hidden(&rp->rows[i - i % rp->per + rp->per - 1].r);
}

static void table_cells(const struct report_plan *rp, size_t i,
                        struct cells *c, char *met, size_t metsize)
{
	row_cells(&rp->rows[i], new_town(rp, i), i % rp->per == 0, c);
	met[0] = '\0';
	if (rp->rows[i].years_met >= 0)
		snprintf(met, metsize, "%d", rp->rows[i].years_met);
	c->c[8] = met;
}

int report_plan_write_table(const struct report_plan *rp, FILE *out)
{
	const char *head[NCOLS] = {
		L("乡镇", "Township"), L("指标", "Indicator"), L("单位", "Unit"),
		L("年度", "Year"), L("任务", "Target"), L("完成", "Achieved"),
		L("完成率", "Done"), L("进度", "Status"), L("达标年数", "Years met"),
	};
	size_t width[NCOLS], i, w;
	struct cells c;
	char met[16];
	int k;

	for (k = 0; k < NCOLS; k++)
		width[k] = text_width(head[k]);
	for (i = 0; i < rp->n; i++) {
		if (block_hidden(rp, i))
			continue;
		table_cells(rp, i, &c, met, sizeof met);
		for (k = 0; k < NCOLS; k++)
			if ((w = text_width(c.c[k])) > width[k])
				width[k] = w;
	}
	fprintf(out, LF("%d-%d 规划评估（%s%s）  %s\n\n",
	                "%d-%d plan evaluation (%s%s)  %s\n\n"),
	        rp->plan->first_year, rp->plan->last_year,
	        rp->over ? L("已结束", "finished") : L("进行中", "open"),
	        rp->provisional ? L("，暂定", ", provisional") : "",
	        plan_label(rp->plan));
	put_line(out, head, width);
	for (i = 0; i < rp->n; i++) {
		if (i > 0 && new_town(rp, i))
			fputc('\n', out);
		if (block_hidden(rp, i))
			continue;
		table_cells(rp, i, &c, met, sizeof met);
		put_line(out, c.c, width);
	}
	if (fflush(out) != 0 || ferror(out))
		return kp_err_set(KP_E_IO, "%s",
		                  L("写报表失败", "cannot write the report"));
	return KP_OK;
}
