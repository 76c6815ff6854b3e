/* report.c - quota progress per township and indicator.
 *
 * Reads only the totals, quotas and city values the ledger keeps, so a
 * report costs the same with a hundred records or a million.  In a city
 * database a township that sent no data bundle reporting for the year
 * (ledger_reported) is "not reported", whatever its totals would say.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "date.h"
#include "err.h"
#include "lang.h"
#include "report.h"
#include "text.h"

#define NCOLS 8

/* What a report has a row of, for each township and for the city: an
 * indicator, or one group of a grouped tally. */
struct slot {
	const struct indicator *ind;
	const char *group;
};

/* Achieved so far: the year's total, or for a plan-period indicator the
 * totals of the plan's years up to the one reported. */
static int achieved_of(struct ledger *lg, int year, const char *town,
                       const struct slot *sl, double *out)
{
	const struct indicator *ind = sl->ind;
	struct ledger_total t;
	int y, from = year, to = year, rc;

	*out = 0;
	if (ind->period == PERIOD_PLAN) {
		/* Up to the year reported: within the plan, or in a year after
		 * the last plan, its continuation. */
		from = ind->plan->first_year;
		to = year;
	}
	for (y = from; y <= to; y++) {
		rc = ledger_total_group(lg, y, town, ind->id, sl->group, &t);
		if (rc != KP_OK)
			return rc;
		*out += t.sum;
	}
	return KP_OK;
}

static void finish_row(const struct schema *s, struct report_row *r)
{
	r->plan = r->ind->plan;
	r->provisional = schema_year_provisional(s, r->year);
	if (!r->has_target) {
		r->target = 0;
		r->percent = 0;
		r->expected = 0;
		r->has_expected = false;
		r->status = quota_status(r->ind, r->year, r->achieved, 0);
		return;
	}
	r->percent = r->target > 0 ? r->achieved / r->target * 100 : 0;
	r->has_expected = quota_has_expected(r->ind);
	r->expected = quota_expected(r->ind, r->year, r->target);
	r->status = quota_status(r->ind, r->year, r->achieved, r->target);
}

static int township_row(struct ledger *lg, int year,
                        const struct township *town,
                        const struct slot *sl, struct report_row *r)
{
	const struct indicator *ind = sl->ind;
	int rc;

	memset(r, 0, sizeof *r);
	r->year = year;
	r->town = town;
	r->ind = ind;
	r->group = sl->group;
	if (ind->measure != MEASURE_SURVEY) {
		if ((rc = achieved_of(lg, year, town->id, sl, &r->achieved)))
			return rc;
	}
	if (ind->measure != MEASURE_SURVEY && !ind->tally) {
		rc = ledger_quota(lg, year, town->id, ind->id, &r->target);
		if (rc != KP_OK && rc != KP_NOTFOUND)
			return rc;
		r->has_target = rc == KP_OK;
	}
	finish_row(lg->schema, r);
	return KP_OK;
}

/* The city row of an indicator: the townships' sum (or the surveyed
 * value) against the plan's city target. */
static int city_row(struct ledger *lg, int year, const struct slot *sl,
                    const struct report_row *towns, size_t ntown,
                    struct report_row *r)
{
	const struct indicator *ind = sl->ind;
	size_t i;
	int rc;

	memset(r, 0, sizeof *r);
	r->year = year;
	r->ind = ind;
	r->group = sl->group;
	r->target = ind->target;
	r->has_target = !ind->tally && ind->target > 0;
	if (ind->measure == MEASURE_SURVEY) {
		rc = ledger_value(lg, year, ind->id, &r->achieved);
		if (rc == KP_NOTFOUND)
			r->achieved = 0;
		else if (rc != KP_OK)
			return rc;
	} else {
		for (i = 0; i < ntown; i++)
			r->achieved += towns[i].achieved;
	}
	finish_row(lg->schema, r);
	return KP_OK;
}

/* The rows of plan p for one township, in the plan's order: an indicator,
 * or a grouped tally's groups one after another.  *out is allocated. */
static int plan_slots(const struct plan *p, struct slot **out, size_t *n)
{
	const char *groups[256];
	struct slot *sl;
	size_t i, k, ng, total = 0;

	for (i = 0; i < p->nindicators; i++) {
		ng = indicator_groups(p->indicators[i], groups, 256);
		total += ng ? (ng > 256 ? 256 : ng) : 1;
	}
	if (!(sl = calloc(total + 1, sizeof *sl)))
		return kp_err_nomem();
	*n = 0;
	for (i = 0; i < p->nindicators; i++) {
		ng = indicator_groups(p->indicators[i], groups, 256);
		if (ng > 256)
			ng = 256;
		for (k = 0; k < (ng ? ng : 1); k++) {
			sl[*n].ind = p->indicators[i];
			sl[*n].group = ng ? groups[k] : NULL;
			(*n)++;
		}
	}
	*out = sl;
	return KP_OK;
}

int report_build(struct ledger *lg, int year, struct report_row **rows,
                 size_t *n)
{
	const struct schema *s = lg->schema;
	const struct township **towns = NULL;
	struct report_row *out = NULL, *tmp = NULL;
	struct slot *sl = NULL;
	const struct plan *p;
	size_t ntown, nsl = 0, i, j, k = 0;
	bool city = lg->mode == LEDGER_CITY_MODE;
	int rc = KP_E_NOMEM;

	*rows = NULL;
	*n = 0;
	if (year == 0)
		year = lg->year;
	if (!(p = schema_plan_of_year(s, year)))
		return kp_err_set(KP_E_DATA, LF("%d 年在第一个规划（%d 年起）之前，没有可报告的指标",
		                  "%d is before the first plan (from %d): nothing to report"),
		                  year, schema_first_year(s));
	if ((rc = plan_slots(p, &sl, &nsl)))
		return rc;
	towns = calloc(s->ntownships + 1, sizeof *towns);
	if (!towns)
		goto nomem;
	ntown = ledger_townships(lg, towns, s->ntownships);
	out = calloc(ntown * nsl + (city ? nsl : 0) + 1, sizeof *out);
	tmp = calloc(ntown + 1, sizeof *tmp);
	if (!out || !tmp)
		goto nomem;
	for (i = 0; i < ntown; i++) {
		bool reported;

		if ((rc = ledger_reported(lg, towns[i]->id, year, &reported)))
			goto fail;
		for (j = 0; j < nsl; j++) {
			if ((rc = township_row(lg, year, towns[i], &sl[j], &out[k])))
				goto fail;
			/* Nothing received is not the same as nothing done (a
			 * year not begun yet cannot have been reported); a tally
			 * has no verdict to stand in for. */
			if (!reported && year <= lg->year &&
			    strcmp(out[k].status, "tally") != 0)
				out[k].status = REPORT_NOT_REPORTED;
			k++;
		}
	}
	for (j = 0; city && j < nsl; j++) {
		/* The township rows of slot j, gathered for the sum. */
		for (i = 0; i < ntown; i++)
			tmp[i] = out[i * nsl + j];
		if ((rc = city_row(lg, year, &sl[j], tmp, ntown, &out[k++])))
			goto fail;
	}
	free(sl);
	free(tmp);
	free(towns);
	*rows = out;
	*n = k;
	return KP_OK;
nomem:
	rc = kp_err_nomem();
fail:
	free(sl);
	free(tmp);
	free(out);
	free(towns);
	return rc;
}

bool report_row_hidden(const struct report_row *r)
{
	return r->group && r->achieved == 0;
}

const char *report_row_label(const struct report_row *r, char *buf,
                             size_t size)
{
	if (!r->group)
		return indicator_label(r->ind);
	char g[256];

	snprintf(buf, size, LF("%s：%s", "%s: %s"), indicator_label(r->ind),
	         indicator_group_label(r->ind, r->group, g, sizeof g));
	return buf;
}

bool report_year_over(int year)
{
	return date_today().y > year;
}

/* ---- output --------------------------------------------------------------- */

/* Units are words for people ("人次" / "person-times"): shown in the user's
 * language like the table, while ids and status stay fixed for machines. */
static const char *unit_of(const struct indicator *ind)
{
	return L(ind->unit_zh, ind->unit_en);
}

int report_write_csv(const struct report_row *rows, size_t n, FILE *out,
                     unsigned csvw_flags)
{
	static const char *const header[] = {
		"year", "township", "indicator", "unit", "target", "achieved",
		"percent", "expected", "status", "plan", "plan_status", "group",
	};
	struct csvw w;
	char b[4][32];
	size_t i;

	csvw_begin(&w, out, csvw_flags);
	csvw_row(&w, sizeof header / sizeof header[0], header);
	for (i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];

		csvw_fieldf(&w, "%d", r->year);
		csvw_field(&w, r->town ? r->town->id : LEDGER_CITY);
		csvw_field(&w, r->ind->id);
		csvw_field(&w, unit_of(r->ind));
		csvw_field(&w, r->has_target ? quota_format(r->target, 2, b[0])
		                             : NULL);
		csvw_field(&w, quota_format(r->achieved, 2, b[1]));
		csvw_field(&w, r->has_target ? quota_format(r->percent, 1, b[2])
		                             : NULL);
		csvw_field(&w, r->has_target && r->has_expected
		               ? quota_format(r->expected, 1, b[3]) : NULL);
		csvw_field(&w, r->status);
		csvw_field(&w, r->plan->id);
		csvw_field(&w, r->provisional ? "provisional" : "official");
		csvw_field(&w, r->group);
		csvw_end_row(&w);
	}
	return csvw_finish(&w);
}

/* The cells of one table row, in the user's language. */
struct cells {
	char num[4][32];
	char label[512];
	const char *c[NCOLS];
};

static void row_cells(const struct report_row *r, bool first_of_town,
                      struct cells *out)
{
	const char *town = r->town ? township_label(r->town)
	                           : L("全市合计", "City total");

	out->c[0] = first_of_town ? town : "";
	out->c[1] = report_row_label(r, out->label, sizeof out->label);
	out->c[2] = unit_of(r->ind);
	out->c[3] = r->has_target ? quota_format(r->target, 2, out->num[0]) : "-";
	out->c[4] = quota_format(r->achieved, 2, out->num[1]);
	if (r->has_target) {
		quota_format(r->percent, 1, out->num[2]);
		strcat(out->num[2], "%");
		out->c[5] = out->num[2];
		out->c[6] = r->has_expected ? quota_format(r->expected, 1, out->num[3])
		                            : "-";
	} else {
		out->c[5] = "-";
		out->c[6] = "-";
	}
	out->c[7] = quota_status_label(r->status);
}

static bool new_town(const struct report_row *rows, size_t i)
{
	return i == 0 || rows[i].town != rows[i - 1].town;
}

/* Write s padded with spaces to width cells (numbers to the right). */
static void put_cell(FILE *out, const char *s, size_t width, bool right)
{
	size_t w = text_width(s);

	if (right)
		for (; w < width; w++)
			fputc(' ', out);
	fputs(s, out);
	if (!right)
		for (; w < width; w++)
			fputc(' ', out);
}

void report_put_line(FILE *out, const char *const *c, const size_t *width,
                     const bool *right, int n)
{
	int i, last = n - 1;

	/* No trailing spaces: the last non-empty cell ends the line. */
	while (last > 0 && !*c[last])
		last--;
	for (i = 0; i <= last; i++) {
		put_cell(out, c[i], i == last && !right[i] ? 0 : width[i], right[i]);
		if (i < last)
			fputs("  ", out);
	}
	fputc('\n', out);
}

static void put_line(FILE *out, const char *const *c, const size_t *width)
{
	static const bool right[NCOLS] = {
		false, false, false, true, true, true, true, false,
	};

	report_put_line(out, c, width, right, NCOLS);
}

int report_write_table(const struct report_row *rows, size_t n, FILE *out)
{
	const char *head[NCOLS] = {
		L("乡镇", "Township"), L("指标", "Indicator"), L("单位", "Unit"),
		L("任务", "Target"), L("完成", "Achieved"), L("完成率", "Done"),
		L("应完成", "Due"), L("进度", "Status"),
	};
	size_t width[NCOLS], i, w;
	struct cells c;
	int k;

	for (k = 0; k < NCOLS; k++)
		width[k] = text_width(head[k]);
	for (i = 0; i < n; i++) {
		if (report_row_hidden(&rows[i]))
			continue;
		row_cells(&rows[i], new_town(rows, i), &c);
		for (k = 0; k < NCOLS; k++)
			if ((w = text_width(c.c[k])) > width[k])
				width[k] = w;
	}
	/* Whether the year is still open, and provisional, is said next to
	 * it: the statuses below mean different things then. */
	if (n > 0)
		fprintf(out, LF("%d 年任务进度（%s%s）  %s\n\n",
		                "%d quota progress (%s%s)  %s\n\n"), rows[0].year,
		        report_year_over(rows[0].year) ? L("已结束", "finished")
		                                       : L("进行中", "open"),
		        rows[0].provisional ? L("，暂定", ", provisional") : "",
		        plan_label(rows[0].plan));
	put_line(out, head, width);
	for (i = 0; i < n; i++) {
		if (i > 0 && new_town(rows, i))
			fputc('\n', out);
		if (report_row_hidden(&rows[i]))
			continue;
		row_cells(&rows[i], new_town(rows, i), &c);
		put_line(out, c.c, width);
	}
	if (fflush(out) != 0 || ferror(out))
		return kp_err_set(KP_E_IO, "%s",
		                  L("写报表失败", "cannot write the report"));
	return KP_OK;
}
