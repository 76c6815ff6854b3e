/* quota.c - how records feed indicators, and the quotas they answer to. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvio.h"
#include "date.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "quota.h"
#include "text.h"

/* Status thresholds against the share due by today. */
#define AHEAD_FACTOR 1.1
#define ON_TRACK_FACTOR 0.9

/* ---- contributions -------------------------------------------------------- */

struct lookup {
	const struct record *rec;
};

static const char *lookup_value(void *ctx, const char *name)
{
	const struct lookup *lk = ctx;

	return record_get(lk->rec, name);
}

/* A whole string as a finite number. */
static bool parse_number(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return false;
	v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || end == s || !isfinite(v))
		return false;
	*out = v;
	return true;
}

size_t quota_contributions(const struct schema *s, const struct record *rec,
                           struct contribution out[QUOTA_MAX_CONTRIB])
{
	struct lookup lk = { rec };
	const struct form *f = schema_form(s, rec->form);
	const struct plan *p;
	const char *date;
	struct kdate d;
	size_t i, n = 0;
	double amount;

	if (rec->deleted || !f || !(date = record_get(rec, f->date->name))
	    || date_parse_iso(date, &d) != KP_OK
	    || !(p = schema_plan_of_year(s, d.y)))
		return 0;
	for (i = 0; i < p->nindicators && n < QUOTA_MAX_CONTRIB; i++) {
		const struct indicator *ind = p->indicators[i];

		if (ind->measure == MEASURE_SURVEY || !ind->form
		    || strcmp(ind->form, rec->form) != 0)
			continue;
		if (expr_eval(ind->filter, lookup_value, &lk) != EXPR_TRUE)
			continue;
		if (ind->measure == MEASURE_COUNT)
			amount = 1;
		else if (!parse_number(record_get(rec, ind->field), &amount))
			continue;
		out[n].ind = ind;
		out[n].year = d.y;
		out[n].amount = amount;
		out[n].group = ind->group_by ? indicator_group_of(ind,
		                   record_get(rec, ind->group_by->name)) : NULL;
		n++;
	}
	return n;
}

/* ---- quota files ---------------------------------------------------------- */

enum { COL_YEAR, COL_TOWNSHIP, COL_INDICATOR, COL_TARGET, COL__COUNT };

static const char *const col_names[COL__COUNT] = {
	"year", "township", "indicator", "target",
};

struct qparse {
	const struct schema *s;
	const char *path;
	quota_problem_fn fn;
	void *ctx;
	int col[COL__COUNT];      /* index in the row, -1 until the header */
	size_t ncols;             /* cells in the header */
	bool have_header;
	bool stopped;             /* the row callback ended the read */
	struct quota_row *rows;   /* the good rows */
	size_t *lines;            /* line of each row, for duplicate messages */
	size_t n, cap;
	size_t nproblems;
	char first[1024];         /* the first problem, for kp_err_set */
};

static void problem_text(struct qparse *q, size_t line, const char *msg)
{
	if (q->nproblems++ == 0)
		snprintf(q->first, sizeof q->first, "%s", msg);
	if (q->fn)
		q->fn(q->ctx, line, msg);
}

/* A problem "FILE:LINE: COLUMN: message" (no column for the row as a
 * whole); the format is a literal pair through LF(), so that the compiler
 * checks the arguments of both languages. */
static void problem(struct qparse *q, size_t line, const char *col,
                    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct qparse *q, size_t line, const char *col,
                    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int k;

	k = snprintf(msg, sizeof msg, "%s:%zu: %s%s", q->path, line,
	             col ? col : "", col ? ": " : "");
	if (k < 0 || (size_t)k >= sizeof msg)
		k = 0;
	va_start(ap, fmt);
	vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
	va_end(ap);
	problem_text(q, line, msg);
}

/* Every missing column is named; without them no row can be read, so the
 * read stops here. */
static int parse_header(struct qparse *q, size_t line, size_t nf,
                        char **fields)
{
	size_t i, c, missing = 0;
	char *name;

	for (c = 0; c < COL__COUNT; c++)
		q->col[c] = -1;
	for (i = 0; i < nf; i++) {
		name = text_trim(fields[i]);
		for (c = 0; c < COL__COUNT; c++)
			if (strcasecmp(name, col_names[c]) == 0)
				q->col[c] = (int)i;
	}
	for (c = 0; c < COL__COUNT; c++)
		if (q->col[c] < 0) {
			problem(q, line, NULL, LF("表头缺少“%s”列（应为 "
			        "year,township,indicator,target[,note]）",
			        "the header has no \"%s\" column (expected "
			        "year,township,indicator,target[,note])"),
			        col_names[c]);
			missing++;
		}
	q->ncols = nf;
	q->have_header = true;
	if (missing) {
		q->stopped = true;
		return KP_E_DATA;
	}
	return KP_OK;
}

/* A plan named by its years ("2021-2025"), in any dash. */
static const struct plan *plan_by_years(const struct schema *s, const char *v)
{
	int a, b, k = 0;
	size_t i;

	if (sscanf(v, "%d-%d%n", &a, &b, &k) != 2 || v[k])
		return NULL;
	for (i = 0; i < s->nplans; i++)
		if (s->plans[i].first_year == a && s->plans[i].last_year == b)
			return &s->plans[i];
	return NULL;
}

int quota_year_cell(const struct schema *s, const char *v,
                    const struct plan **plan, int *single)
{
	char *end;
	long y;

	*plan = NULL;
	*single = 0;
	if (strcasecmp(v, "plan") == 0)
		*plan = schema_plan_of_year(s, date_today().y);
	else if (!(*plan = plan_by_years(s, v)) && !(*plan = schema_plan(s, v))) {
		errno = 0;
		y = strtol(v, &end, 10);
		/* Checked as a long: a cast first would wrap 4294969321 to 2025. */
		if (*v && !*end && !errno && y >= schema_first_year(s) && y <= 9999) {
			*single = (int)y;
			*plan = schema_plan_of_year(s, (int)y);
		}
	}
	if (*plan)
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("年份“%s”无效：应为 %d 年以后的单个年份、规划的起止年份（如 %d-%d）或规划编号",
	                  "year \"%s\" is not valid: give a single year from %d on, a plan's years (e.g. %d-%d) or a plan id"),
	                  v, schema_first_year(s), s->plans[0].first_year, s->plans[0].last_year);
}

int quota_parse_year(const struct schema *s, const char *id, const char *v,
                     const struct indicator **ind, int *year)
{
	const struct plan *p;
	int single, rc;

	*ind = NULL;
	if ((rc = quota_year_cell(s, v, &p, &single)) != KP_OK)
		return rc;
	if (!(*ind = plan_indicator(p, id)))
		return kp_err_set(KP_E_DATA, LF("规划“%s”没有指标“%s”",
		                  "plan \"%s\" has no indicator \"%s\""), p->id, id);
	if ((*ind)->period == PERIOD_PLAN) {
		*year = p->first_year;
		return KP_OK;
	}
	if (single == 0)
		return kp_err_set(KP_E_DATA, LF("指标“%s”按年度考核，年份须为单个年份",
		                  "indicator \"%s\" is annual: give a single year"), id);
	*year = single;
	return KP_OK;
}

static bool check_duplicate(struct qparse *q, size_t line,
                            const struct quota_row *r)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		const struct quota_row *o = &q->rows[i];

		if (o->year == r->year && strcmp(o->township, r->township) == 0
		    && strcmp(o->indicator, r->indicator) == 0) {
			problem(q, line, NULL, LF("与第 %zu 行重复",
			        "repeats line %zu"), q->lines[i]);
			return false;
		}
	}
	return true;
}

static int push_row(struct qparse *q, size_t line, const struct quota_row *r)
{
	struct quota_row *rows;
	size_t *lines, cap;

	if (q->n == q->cap) {
		cap = q->cap ? q->cap * 2 : 64;
		rows = realloc(q->rows, cap * sizeof *rows);
		if (!rows)
			return kp_err_nomem();
		q->rows = rows;
		lines = realloc(q->lines, cap * sizeof *lines);
		if (!lines)
			return kp_err_nomem();
		q->lines = lines;
		q->cap = cap;
	}
	q->rows[q->n] = *r;
	q->lines[q->n] = line;
	q->n++;
	return KP_OK;
}

/* The indicator of a row as its year counts it, or NULL after saying why
 * it cannot be. */
static const struct indicator *row_indicator(struct qparse *q, size_t line,
                                             const char *year, const char *v,
                                             int *y)
{
	const struct indicator *ind;
	const struct plan *p;
	int single;

	if (quota_year_cell(q->s, year, &p, &single) != KP_OK) {
		problem(q, line, "year", "%s", kp_err_msg());
		return NULL;
	}
	/* With the year's plan known, a failure is the indicator's (not in
	 * that plan), or the year's again (a plan's years for an annual one). */
	if (quota_parse_year(q->s, v, year, &ind, y) != KP_OK) {
		problem(q, line, ind ? "year" : "indicator", "%s", kp_err_msg());
		return NULL;
	}
	if (ind->measure == MEASURE_SURVEY) {
		problem(q, line, "indicator", LF("指标“%s”是全市调查结果，不分配到乡镇",
		        "indicator \"%s\" is a city survey result and has no "
		        "township quotas"), ind->id);
		return NULL;
	}
	if (ind->tally) {
		problem(q, line, "indicator", LF("指标“%s”是统计项（没有目标），不分配任务",
		        "indicator \"%s\" is a tally (no target) and takes no "
		        "quotas"), ind->id);
		return NULL;
	}
	return ind;
}

/* Every cell is checked, so that one pass over the file names every
 * mistake in it; only a row without any is kept. */
static int parse_row(struct qparse *q, size_t line, size_t nf, char **fields)
{
	const struct indicator *ind = NULL;
	struct quota_row r;
	char *v[COL__COUNT];
	size_t c, before = q->nproblems;

	memset(&r, 0, sizeof r);
	/* A cell beyond the header is a comma in a number or a shifted row:
	 * guessing which cell is which would name the wrong mistakes. */
	if (nf > q->ncols) {
		problem(q, line, NULL, LF("这一行有 %zu 列，表头只有 %zu 列",
		        "row has %zu fields, the header has %zu"), nf, q->ncols);
		return KP_OK;
	}
	for (c = 0; c < COL__COUNT; c++) {
		v[c] = (size_t)q->col[c] < nf ? text_trim(fields[q->col[c]]) : NULL;
		if (!v[c] || !*v[c])
			problem(q, line, col_names[c], "%s",
			        L("没有填写", "no value"));
	}
	if (v[COL_TOWNSHIP] && *v[COL_TOWNSHIP]
	    && !schema_township(q->s, v[COL_TOWNSHIP]))
		problem(q, line, "township", LF("没有“%s”这个镇（街道）",
		        "no such township \"%s\""), v[COL_TOWNSHIP]);
	if (v[COL_INDICATOR] && *v[COL_INDICATOR] && !schema_indicator(q->s, v[COL_INDICATOR]))
		problem(q, line, "indicator", LF("没有“%s”这个指标",
		        "no such indicator \"%s\""), v[COL_INDICATOR]);
	else if (v[COL_INDICATOR] && *v[COL_INDICATOR] && v[COL_YEAR] && *v[COL_YEAR])
		ind = row_indicator(q, line, v[COL_YEAR], v[COL_INDICATOR], &r.year);
	if (v[COL_TARGET] && *v[COL_TARGET]
	    && (!parse_number(v[COL_TARGET], &r.target) || r.target < 0))
		problem(q, line, "target", LF("任务数“%s”应为不小于 0 的数",
		        "target \"%s\" must be a number >= 0"), v[COL_TARGET]);
	if (q->nproblems != before)
		return KP_OK;
	snprintf(r.township, sizeof r.township, "%s", v[COL_TOWNSHIP]);
	snprintf(r.indicator, sizeof r.indicator, "%s", ind->id);
	if (!check_duplicate(q, line, &r))
		return KP_OK;
	return push_row(q, line, &r);
}

static int quota_row_cb(void *ctx, size_t line, size_t nf, char **fields,
                        const size_t *lens)
{
	struct qparse *q = ctx;
	int rc;

	(void)lens;
	if (!q->have_header)
		return parse_header(q, line, nf, fields);
	rc = parse_row(q, line, nf, fields);
	if (rc != KP_OK)
		q->stopped = true;
	return rc;
}

static void empty_file(struct qparse *q)
{
	char msg[1024];

	snprintf(msg, sizeof msg, "%s: %s", q->path,
	         L("文件是空的", "the file is empty"));
	problem_text(q, 0, msg);
}

int quota_check_file(const struct schema *s, const char *path,
                     quota_problem_fn fn, void *ctx,
                     struct quota_row **rows, size_t *n)
{
	struct qparse q;
	int rc;

	memset(&q, 0, sizeof q);
	q.s = s;
	q.path = path;
	q.fn = fn;
	q.ctx = ctx;
	*rows = NULL;
	*n = 0;
	rc = csvio_read_file(path, quota_row_cb, &q);
	/* Malformed CSV ends the read where it is: one more problem, after
	 * those of the rows before it. */
	if (rc == KP_E_DATA && !q.stopped)
		problem_text(&q, 0, kp_err_msg());
	else if (rc == KP_OK && !q.have_header)
		empty_file(&q);
	if ((rc == KP_OK || rc == KP_E_DATA) && q.nproblems) {
		if (q.nproblems == 1)
			rc = kp_err_set(KP_E_DATA, "%s", q.first);
		else
			rc = kp_err_set(KP_E_DATA, LF("%s（另有 %zu 处错误）",
			                "%s (and %zu more problems)"), q.first,
			                q.nproblems - 1);
	}
	free(q.lines);
	if (rc != KP_OK) {
		free(q.rows);
		return rc;
	}
	*rows = q.rows;
	*n = q.n;
	return KP_OK;
}

int quota_parse_file(const struct schema *s, const char *path,
                     struct quota_row **rows, size_t *n)
{
	return quota_check_file(s, path, NULL, NULL, rows, n);
}

/* ---- progress ------------------------------------------------------------- */

/* The share of [first, last] (whole days) elapsed by the end of `upto`. */
static double share_elapsed(struct kdate first, struct kdate last,
                            struct kdate upto)
{
	long a = date_to_days(first), b = date_to_days(last);
	long t = date_to_days(upto);

	if (t < a)
		return 0;
	if (t >= b)
		return 1;
	return (double)(t - a + 1) / (double)(b - a + 1);
}

void quota_period_of(const struct indicator *ind, int year,
                     struct quota_period *out)
{
	struct kdate today = date_today(), year_end = { year, 12, 31 };
	const struct plan *p = ind->plan;

	if (ind->period == PERIOD_PLAN && p) {
		/* A year after the last plan continues it. */
		out->first = (struct kdate){ p->first_year, 1, 1 };
		out->last = (struct kdate){ year > p->last_year ? year : p->last_year, 12, 31 };
	} else {
		out->first = (struct kdate){ year, 1, 1 };
		out->last = year_end;
	}
	out->upto = date_to_days(today) < date_to_days(year_end) ? today : year_end;
	/* A plan-period row of an earlier year is its progress at that
	 * year's end: the plan was still running then. */
	out->over = date_to_days(today) > date_to_days(out->last)
	            && date_to_days(year_end) >= date_to_days(out->last);
}

bool quota_reached(const char *comparator, double achieved, double target)
{
	/* "=" in the plan ("培育农业示范主体 215 个") means at least the target. */
	if (comparator && strcmp(comparator, ">") == 0)
		return achieved > target;
	return achieved >= target;
}

double quota_expected(const struct indicator *ind, int year, double target)
{
	struct quota_period p;

	quota_period_of(ind, year, &p);
	if (ind->measure == MEASURE_SURVEY || p.over)
		return target;
	if (ind->pace == PACE_NONE)
		return 0;
	return target * share_elapsed(p.first, p.last, p.upto);
}

bool quota_has_expected(const struct indicator *ind)
{
	return ind->pace == PACE_LINEAR || ind->measure == MEASURE_SURVEY;
}

const char *quota_status(const struct indicator *ind, int year,
                         double achieved, double target)
{
	struct quota_period p;
	bool reached;
	double due;

	if (ind->tally)
		return "tally";
	if (target <= 0)
		return "no quota";
	quota_period_of(ind, year, &p);
	reached = quota_reached(ind->comparator, achieved, target);
	if (p.over)
		return reached ? "met" : "not met";
	/* A survey result is a level reached or not, never a share due. */
	if (ind->measure == MEASURE_SURVEY)
		return reached ? "ahead" : "behind";
	if (reached)
		return "ahead";
	if (ind->pace == PACE_NONE)
		return "on track";
	due = target * share_elapsed(p.first, p.last, p.upto);
	if (due <= 0)
		return "on track";
	if (achieved >= AHEAD_FACTOR * due)
		return "ahead";
	if (achieved >= ON_TRACK_FACTOR * due)
		return "on track";
	return "behind";
}

/* Every status word, what it means, and how people read it. */
static const struct quota_word words[] = {
	{ "ahead", "超前", "ahead",
	  "进行中：已达目标，或达到按日应完成数的 110% 以上",
	  "open: the target reached, or at least 110% of the share due by today" },
	{ "on track", "正常", "on track",
	  "进行中：达到按日应完成数的 90% 以上，或尚无应完成数",
	  "open: at least 90% of the share due by today, or nothing due yet" },
	{ "behind", "落后", "behind",
	  "进行中：低于按日应完成数的 90%",
	  "open: below 90% of the share due by today" },
	{ "met", "达标", "met",
	  "已结束：达到目标（按比较方式，> 须超过）",
	  "over: the target reached (by the comparator; > must exceed it)" },
	{ "not met", "未达标", "not met",
	  "已结束：未达到目标", "over: the target not reached" },
	{ "no quota", "未下达任务", "no quota",
	  "没有任务数，不作评价", "no quota: not judged" },
	{ "not reported", "未报送", "not reported",
	  "市级：没有收到该镇（街道）含这一年记录或进度的数据包，市里也没有录入它这一年的记录",
	  "city: no bundle of the township holding a record or the progress of "
	  "the year has arrived, nor has the city entered a record of it for "
	  "the year" },
	{ "tally", "统计", "tally",
	  "统计项：不设目标，只计数，不作评价",
	  "a tally: counted, no target, never judged" },
};

const struct quota_word *quota_status_words(size_t *n)
{
	*n = sizeof words / sizeof words[0];
	return words;
}

const char *quota_status_label(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(status, words[i].code) == 0)
			return L(words[i].zh, words[i].en);
	return status;
}

const char *quota_format(double v, int decimals, char buf[32])
{
	char *p;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	if (!isfinite(v) || fabs(v) >= 1e15) {
		snprintf(buf, 32, "%.0f", isfinite(v) ? v : 0.0);
		return buf;
	}
	snprintf(buf, 32, "%.*f", decimals, v);
	if (strchr(buf, '.')) {
		p = buf + strlen(buf) - 1;
		while (*p == '0')
			*p-- = '\0';
		if (*p == '.')
			*p = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}
