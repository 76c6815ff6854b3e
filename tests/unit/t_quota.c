/* t_quota.c - contributions of records, quota files, expected progress. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "quota.h"
#include "record.h"
#include "schema.h"
#include "tap.h"

static struct schema *S;
static char tmpdir[] = "/tmp/t_quota.XXXXXX";

static void fill(struct record *r, const char *form,
                 const char *const *kv)
{
	record_free(r);
	record_init(r);
	snprintf(r->form, sizeof r->form, "%s", form);
	snprintf(r->township, sizeof r->township, "chendai");
	for (; kv[0]; kv += 2)
		record_set(r, kv[0], kv[1]);
}

static const struct contribution *contrib(const struct contribution *c,
                                          size_t n, const char *ind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].ind->id, ind) == 0)
			return &c[i];
	return NULL;
}

/* How many of c's n contributions move an indicator with a target: the
 * tallies each record also moves are counted apart. */
static size_t judged(const struct contribution *c, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += !c[i].ind->tally;
	return k;
}

static void test_contributions(void)
{
	struct contribution c[QUOTA_MAX_CONTRIB];
	const struct contribution *x;
	struct record r;
	size_t n;

	record_init(&r);
	fill(&r, "training", (const char *const[]){ "date", "2024-03-05",
	     "category", "rural_tech", "title", "茶叶种植技术培训",
	     "participants", "45", "farmers", "30", NULL });
	n = quota_contributions(S, &r, c);
	is_int(judged(c, n), 2, "rural_tech moves two indicators");
	is_int(n, 4, "and two tallies");
	x = contrib(c, n, "training_participants_by_category");
	ok(x && x->amount == 45 && x->group && !strcmp(x->group, "rural_tech"),
	   "participants by category: 45 in the group rural_tech");
	x = contrib(c, n, "training_sessions_by_category");
	ok(x && x->amount == 1 && x->group && !strcmp(x->group, "rural_tech"),
	   "one session of rural_tech");
	ok(contrib(c, n, "rural_tech_training")->group == NULL,
	   "an indicator with a target has no group");
	x = contrib(c, n, "rural_tech_training");
	ok(x && x->amount == 45 && x->year == 2024, "participants, in 2024");
	x = contrib(c, n, "rural_tech_farmers");
	ok(x && x->amount == 30 && x->year == 2024, "farmers");

	record_unset(&r, "farmers");
	n = quota_contributions(S, &r, c);
	ok(judged(c, n) == 1 && contrib(c, n, "rural_tech_training"),
	   "an empty summed field moves nothing");

	fill(&r, "training", (const char *const[]){ "date", "2025-01-09",
	     "category", "worker", "participants", "60", NULL });
	n = quota_contributions(S, &r, c);
	ok(judged(c, n) == 1 && contrib(c, n, "worker_training")
	   && c[0].amount == 60, "worker training");

	fill(&r, "training", (const char *const[]){ "date", "2025-01-09",
	     "category", "high_skill", "participants", "60", "certified", "12",
	     NULL });
	n = quota_contributions(S, &r, c);
	ok(judged(c, n) == 1 && contrib(c, n, "high_skill_talent")
	   && c[0].amount == 12, "high skill counts the certified");

	fill(&r, "training", (const char *const[]){ "date", "2022-11-01",
	     "category", "official", "participants", "80", NULL });
	n = quota_contributions(S, &r, c);
	ok(judged(c, n) == 1 && contrib(c, n, "official_training")
	   && c[0].year == 2022, "official training counts in its year");

	fill(&r, "training", (const char *const[]){ "date", "2025-01-09",
	     "category", "elderly_digital", "participants", "25", NULL });
	n = quota_contributions(S, &r, c);
	is_int(judged(c, n), 0, "elderly_digital feeds no indicator with a target");
	x = contrib(c, n, "training_participants_by_category");
	ok(n == 2 && x && x->amount == 25 && !strcmp(x->group, "elderly_digital"),
	   "only the tallies by category");

	fill(&r, "demo", (const char *const[]){ "date", "2025-05-01",
	     "kind", "entity", "name", "金井镇毓秀家庭农场", NULL });
	n = quota_contributions(S, &r, c);
	ok(n == 1 && contrib(c, n, "agri_demo_entities")
	   && c[0].amount == 1, "a demo entity counts 1");
	fill(&r, "demo", (const char *const[]){ "date", "2025-05-01",
	     "kind", "base", "name", "紫帽山茶叶基地", NULL });
	n = quota_contributions(S, &r, c);
	ok(n == 1 && contrib(c, n, "agri_demo_bases"), "a demo base");
	r.deleted = true;
	is_int(quota_contributions(S, &r, c), 0, "a tombstone moves nothing");

	fill(&r, "activity", (const char *const[]){ "date", "2025-05-01",
	     "type", "science_day", "audience", "500", NULL });
	n = quota_contributions(S, &r, c);
	is_int(judged(c, n), 0, "activities feed no indicator with a target");
	x = contrib(c, n, "activity_events");
	ok(x && x->amount == 1 && !x->group, "an activity counts one event");
	x = contrib(c, n, "activity_audience");
	ok(x && x->amount == 500, "and its audience");
	x = contrib(c, n, "activity_events_by_type");
	ok(x && x->group && !strcmp(x->group, "national_science_day"),
	   "a Science Day event counts as National Science Day");
	x = contrib(c, n, "activity_audience_by_group");
	ok(x && x->amount == 500 && x->group && !strcmp(x->group, ""),
	   "no target group: the blank group");
	ok(!contrib(c, n, "activity_volunteers"), "no volunteers given: nothing");
	is_int(n, 6, "six tallies in all");
	fill(&r, "training", (const char *const[]){ "category", "worker",
	     "participants", "60", NULL });
	is_int(quota_contributions(S, &r, c), 0, "no date: nothing");
	fill(&r, "training", (const char *const[]){ "date", "2025/1/9",
	     "category", "worker", "participants", "60", NULL });
	is_int(quota_contributions(S, &r, c), 0, "unnormalised date: nothing");
	record_free(&r);
}

static char *write_tmp(const char *name, const char *text)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* Parsing fails, with a message starting "FILE:LINE:" and holding want. */
static void bad_file(const char *text, int line, const char *want,
                     const char *name)
{
	struct quota_row *rows = NULL;
	size_t n = 0;
	char prefix[600];
	char *path = write_tmp("bad.csv", text);
	int rc = quota_parse_file(S, path, &rows, &n);

	snprintf(prefix, sizeof prefix, "%s:%d:", path, line);
	if (line == 0)
		snprintf(prefix, sizeof prefix, "%s:", path);
	if (!ok(rc == KP_E_DATA && strncmp(kp_err_msg(), prefix,
	        strlen(prefix)) == 0 && strstr(kp_err_msg(), want)
	        && rows == NULL && n == 0, "%s", name))
		printf("#   rc %d: %s\n", rc, kp_err_msg());
	free(rows);
}

#define HDR "year,township,indicator,target,note\n"

static void test_quota_file(void)
{
	struct quota_row *rows = NULL;
	size_t n = 0, i, plan = 0, annual = 0;
	char path[512];
	int rc;

	snprintf(path, sizeof path, "%s/quotas-2025-example.csv",
	         getenv("KEPU_FORMS") ? getenv("KEPU_FORMS")
	         : KEPU_SRCDIR "/forms");
	rc = quota_parse_file(S, path, &rows, &n);
	if (!ok(rc == KP_OK, "the example quota file parses"))
		printf("# %s\n", kp_err_msg());
	is_int(n, 20 * 9, "a row per township and countable indicator");
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].indicator, "official_training") == 0)
			plan += rows[i].year == 2021;
		else
			annual += rows[i].year == 2025;
	}
	is_int(plan, 20, "plan-period rows are kept under the plan's first year");
	is_int(annual, 20 * 8, "annual rows keep their year");
	free(rows);

	rc = quota_parse_file(S, write_tmp("ok.csv", "\xef\xbb\xbf"
	        "Township, Year ,Target,Indicator\r\n"
	        "chendai,2023,12.5,teacher_training\r\n"
	        "anhai,plan,450,official_training\r\n"
	        "anhai,2022,450,official_training\r\n"
	        "\r\n"), &rows, &n);
	ok(rc == KP_E_DATA && strstr(kp_err_msg(), ":4:"),
	   "the plan given twice (as plan and as one of its years) is a duplicate");
	free(rows);
	rc = quota_parse_file(S, write_tmp("ok.csv", "\xef\xbb\xbf"
	        "Township, Year ,Target,Indicator\r\n"
	        "chendai,2023,12.5,teacher_training\r\n"
	        "anhai,2021-2025,450,official_training\r\n"), &rows, &n);
	ok(rc == KP_OK && n == 2, "columns in any order, BOM, CRLF");
	ok(n == 2 && rows[0].year == 2023 && rows[0].target == 12.5
	   && strcmp(rows[0].township, "chendai") == 0
	   && strcmp(rows[0].indicator, "teacher_training") == 0,
	   "row fields");
	ok(n == 2 && rows[1].year == 2021 && rows[1].target == 450,
	   "2021-2025 means the whole plan");
	free(rows);
	rc = quota_parse_file(S, write_tmp("ok.csv", HDR
	        "2026,chendai,worker_training,210,\n"
	        "2026-2030,chendai,official_training,500,\n"
	        "jinjiang-2021-2025,anhai,official_training,450,\n"
	        "2024,xibin,official_training,440,\n"), &rows, &n);
	ok(rc == KP_OK && n == 4, "a year of the next plan, its years, a plan id (%s)",
	   rc ? kp_err_msg() : "");
	ok(n == 4 && rows[0].year == 2026 && rows[1].year == 2026
	   && rows[2].year == 2021 && rows[3].year == 2021,
	   "plan-period rows under each plan's first year, whatever year names it");
	free(rows);
	setenv("KEPU_TODAY", "2027-03-01", 1);
	rc = quota_parse_file(S, write_tmp("ok.csv", HDR
	        "plan,chendai,official_training,500,\n"), &rows, &n);
	ok(rc == KP_OK && n == 1 && rows[0].year == 2026,
	   "\"plan\" is the plan of today's year");
	free(rows);
	setenv("KEPU_TODAY", "2025-06-30", 1);
	rc = quota_parse_file(S, write_tmp("hdr.csv", HDR), &rows, &n);
	ok(rc == KP_OK && n == 0, "a header alone is an empty quota list");
	free(rows);

	bad_file("year,township,target\n", 1, "indicator", "missing column");
	bad_file(HDR "2025,chendai,worker_training,200,\n"
	         "2025,atlantis,worker_training,200,\n", 3, "atlantis",
	         "unknown township");
	bad_file(HDR "2025,all,worker_training,200,\n", 2, "all",
	         "no city row in a quota file");
	bad_file(HDR "2025,chendai,happiness,200,\n", 2, "happiness",
	         "unknown indicator");
	bad_file(HDR "2025,chendai,science_literacy_rate,16,\n", 2,
	         "science_literacy_rate", "a survey has no quotas");
	bad_file(HDR "2025,chendai,activity_events,16,\n", 2,
	         "is a tally (no target) and takes no quotas", "a tally has no quotas");
	bad_file(HDR "2020,chendai,worker_training,200,\n", 2, "2020",
	         "year before the first plan");
	bad_file(HDR "2021-2024,chendai,official_training,200,\n", 2, "2021-2024",
	         "years that are no plan's");
	bad_file(HDR "twenty,chendai,worker_training,200,\n", 2, "twenty",
	         "year not a number");
	bad_file(HDR "plan,chendai,worker_training,200,\n", 2, "annual",
	         "the whole plan for an annual indicator");
	bad_file(HDR "2025,chendai,worker_training,-1,\n", 2, "-1",
	         "negative target");
	bad_file(HDR "2025,chendai,worker_training,lots,\n", 2, "lots",
	         "target not a number");
	bad_file(HDR "2025,chendai,worker_training,,\n", 2, "target",
	         "empty target");
	bad_file(HDR "2025,chendai,worker_training\n", 2, "target",
	         "short row");
	bad_file(HDR "2025,chendai,worker_training,200,\n"
	         "2024,chendai,worker_training,200,\n"
	         "2025,chendai,worker_training,300,\n", 4, "line 2",
	         "duplicate row names the first line");
	bad_file(HDR "2025,chendai,\"worker_training,200\n", 2, "",
	         "malformed CSV");
	bad_file("", 0, "", "empty file");

	snprintf(path, sizeof path, "%s/missing.csv", tmpdir);
	rc = quota_parse_file(S, path, &rows, &n);
	is_int(rc, KP_E_NOINPUT, "missing file");
}

/* Every problem a quota_check_file callback is given. */
struct seen {
	char msg[16][600];
	size_t line[16];
	size_t n;
};

static void collect(void *ctx, size_t line, const char *msg)
{
	struct seen *v = ctx;

	if (v->n < 16) {
		snprintf(v->msg[v->n], sizeof v->msg[0], "%s", msg);
		v->line[v->n] = line;
	}
	v->n++;
}

/* Problem i of v is exactly "PATH:want". */
static void is_problem(const struct seen *v, size_t i, const char *path,
                       const char *want, const char *name)
{
	char full[700];

	snprintf(full, sizeof full, "%s:%s", path, want);
	is_str(i < v->n && i < 16 ? v->msg[i] : "(none)", full, "%s", name);
}

static void test_every_problem(void)
{
	struct quota_row *rows = NULL;
	struct seen v = { .n = 0 };
	size_t n = 99;
	char *path;
	int rc;

	path = write_tmp("many.csv", HDR
	        "2025,chendai,worker_training,200,\n"
	        "2025,atlantis,worker_training,200,\n"
	        "2025,chendai,teacher_training,30,\n"
	        "2019,anhai,happiness,lots,\n"
	        "2025,cizao,worker_training,,\n"
	        "plan,cizao,worker_training,5,\n"
	        "2025,chendai,worker_training,300,\n"
	        "2025,chendai,science_literacy_rate,16,\n"
	        "2025,anhai,worker_training,1,500,x\n"
	        "2025,anhai,worker_training\n");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	is_int(rc, KP_E_DATA, "a file with bad rows: KP_E_DATA");
	ok(rows == NULL && n == 0, "and no rows at all, not even the good ones");
	is_int(v.n, 9, "every problem of every row is reported");
	is_problem(&v, 0, path, "3: township: no such township \"atlantis\"",
	           "an unknown township: line and column");
	is_problem(&v, 1, path, "5: indicator: no such indicator \"happiness\"",
	           "two problems on one line: the indicator");
	is_problem(&v, 2, path, "5: target: target \"lots\" must be a number >= 0",
	           "and the target");
	is_problem(&v, 3, path, "6: target: no value", "an empty target");
	is_problem(&v, 4, path, "7: year: indicator \"worker_training\" is "
	           "annual: give a single year", "the plan for an annual indicator");
	is_problem(&v, 5, path, "8: repeats line 2", "a repeated row names the first");
	is_problem(&v, 6, path, "9: indicator: indicator \"science_literacy_rate\" "
	           "is a city survey result and has no township quotas",
	           "a survey indicator");
	is_problem(&v, 7, path, "10: row has 6 fields, the header has 5",
	           "a row longer than the header");
	is_problem(&v, 8, path, "11: target: no value", "a short row");
	ok(v.line[0] == 3 && v.line[1] == 5 && v.line[8] == 11,
	   "the callback is given each problem's line");
	ok(strstr(kp_err_msg(), "atlantis")
	   && strstr(kp_err_msg(), "(and 8 more problems)"),
	   "the message: the first problem and how many more (%s)", kp_err_msg());
	free(rows);

	rc = quota_parse_file(S, path, &rows, &n);
	ok(rc == KP_E_DATA && strstr(kp_err_msg(), ":3: township:"),
	   "without a callback: the first problem (%s)", kp_err_msg());
	free(rows);

	v.n = 0;
	rows = NULL;
	path = write_tmp("hdr2.csv", "Township,Note\n2025,chendai\n");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	ok(rc == KP_E_DATA && v.n == 3, "a header without three columns: three "
	   "problems (%zu)", v.n);
	is_problem(&v, 0, path, "1: the header has no \"year\" column (expected "
	           "year,township,indicator,target[,note])", "names each");
	free(rows);

	v.n = 0;
	rows = NULL;
	path = write_tmp("csv.csv", HDR "2025,nowhere,worker_training,1,\n"
	                 "2025,chendai,\"worker_training,200\n");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	ok(rc == KP_E_DATA && v.n == 2, "a bad row, then malformed CSV: both "
	   "(%zu)", v.n);
	ok(v.n == 2 && strstr(v.msg[0], ":2: township:") && v.line[1] == 0
	   && strncmp(v.msg[1], path, strlen(path)) == 0,
	   "the row first, then the file's problem");
	free(rows);

	v.n = 0;
	rows = NULL;
	path = write_tmp("empty.csv", "");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	ok(rc == KP_E_DATA && v.n == 1 && v.line[0] == 0
	   && strstr(v.msg[0], "the file is empty"), "an empty file: one problem");
	free(rows);

	v.n = 0;
	rows = NULL;
	path = write_tmp("good.csv", HDR "2025,chendai,worker_training,200,\n"
	                 "plan,chendai,official_training,450,note\n");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	ok(rc == KP_OK && n == 2 && v.n == 0, "a good file: rows, no problem");
	free(rows);

	lang_init("zh");
	v.n = 0;
	rows = NULL;
	path = write_tmp("zh.csv", HDR "2025,atlantis,worker_training,-3,\n");
	rc = quota_check_file(S, path, collect, &v, &rows, &n);
	ok(rc == KP_E_DATA && v.n == 2, "in Chinese: two problems");
	is_problem(&v, 0, path, "2: township: 没有“atlantis”这个镇（街道）",
	           "in Chinese: the township");
	is_problem(&v, 1, path, "2: target: 任务数“-3”应为不小于 0 的数",
	           "in Chinese: the target");
	free(rows);
	lang_init("en");
	unlink(write_tmp("many.csv", ""));
	unlink(write_tmp("hdr2.csv", ""));
	unlink(write_tmp("csv.csv", ""));
	unlink(write_tmp("empty.csv", ""));
	unlink(write_tmp("good.csv", ""));
	unlink(write_tmp("zh.csv", ""));
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_expected(void)
{
	const struct indicator *wt = schema_indicator_of_year(S, 2025, "worker_training");
	const struct indicator *of = schema_indicator_of_year(S, 2025, "official_training");
	const struct indicator *db = schema_indicator_of_year(S, 2025, "agri_demo_bases");
	double e;

	setenv("KEPU_TODAY", "2025-07-01", 1);   /* day 182 of 365 */
	e = quota_expected(wt, 2025, 365);
	ok(near(e, 182), "annual, this year: pro rata (%g)", e);
	ok(near(quota_expected(wt, 2024, 365), 365), "annual, past year: all");
	ok(near(quota_expected(wt, 2026, 365), 0), "annual, future year: none");
	/* 2021-01-01 .. 2025-12-31 is 1826 days; 2025-07-01 is day 1643. */
	e = quota_expected(of, 2025, 1826);
	ok(near(e, 1643), "plan period: pro rata over the plan (%g)", e);
	e = quota_expected(of, 2023, 1826);
	ok(near(e, 1095), "plan period reported for 2023: due by its end (%g)",
	   e);
	ok(near(quota_expected(db, 2025, 2), 0), "pace none: nothing due while open");
	ok(quota_has_expected(wt) && !quota_has_expected(db), "pace none has no expected");
	setenv("KEPU_TODAY", "2020-06-01", 1);
	ok(near(quota_expected(of, 2025, 900), 0), "before the plan: none");
	setenv("KEPU_TODAY", "2026-03-01", 1);
	ok(near(quota_expected(of, 2025, 900), 900), "after the plan: all");
	ok(near(quota_expected(wt, 2025, 900), 900), "year over: all");
	ok(near(quota_expected(db, 2025, 2), 2), "pace none, year over: all");
	setenv("KEPU_TODAY", "2024-12-31", 1);   /* leap year, day 366 */
	ok(near(quota_expected(wt, 2024, 366), 366), "last day of a year");
	setenv("KEPU_TODAY", "2024-01-01", 1);
	ok(near(quota_expected(wt, 2024, 366), 1), "first day of a year");
}

static void test_status(void)
{
	const struct indicator *wt = schema_indicator_of_year(S, 2025, "worker_training");
	const struct indicator *of = schema_indicator_of_year(S, 2025, "official_training");
	const struct indicator *db = schema_indicator_of_year(S, 2025, "agri_demo_bases");
	const struct indicator *sl = schema_indicator_of_year(S, 2025, "science_literacy_rate");
	const struct indicator *de = schema_indicator_of_year(S, 2025, "agri_demo_entities");
	char b[32];

	/* An open year, half gone (2025-07-02 is day 183 of 365). */
	setenv("KEPU_TODAY", "2025-07-02", 1);
	is_str(quota_status(wt, 2025, 10, 0), "no quota", "no target");
	is_str(quota_status(wt, 2025, 10, -1), "no quota", "negative target");
	is_str(quota_status(wt, 2025, 365, 365), "ahead", "target reached");
	is_str(quota_status(wt, 2025, 202, 365), "ahead", "10%% over the share due");
	is_str(quota_status(wt, 2025, 190, 365), "on track", "a little over");
	is_str(quota_status(wt, 2025, 165, 365), "on track", "10%% under");
	is_str(quota_status(wt, 2025, 160, 365), "behind", "more than 10%% under");
	is_str(quota_status(wt, 2026, 0, 365), "on track", "nothing due yet");
	is_str(quota_status(db, 2025, 0, 2), "on track", "pace none: never behind while open");
	is_str(quota_status(db, 2025, 2, 2), "ahead", "pace none: reached");
	is_str(quota_status(sl, 2025, 16, 16), "behind", "> 16 %%: exactly 16 is not reached");
	is_str(quota_status(sl, 2025, 15.9, 16), "behind", "15.9 %% is behind, not on track");
	is_str(quota_status(sl, 2025, 16.1, 16), "ahead", "16.1 %% reached already");

	/* The last day of a year is still open... */
	setenv("KEPU_TODAY", "2025-12-31", 1);
	is_str(quota_status(wt, 2025, 364, 365), "on track", "2025-12-31: open");
	/* ...and the next day it is over. */
	setenv("KEPU_TODAY", "2026-01-01", 1);
	is_str(quota_status(wt, 2025, 364, 365), "not met", "2026-01-01: not met");
	is_str(quota_status(wt, 2025, 365, 365), "met", "exactly the target: met");
	is_str(quota_status(de, 2025, 215, 215), "met", "'=' means at least: met");
	is_str(quota_status(sl, 2025, 16, 16), "not met", "'>' at equality: not met");
	is_str(quota_status(sl, 2025, 16.1, 16), "met", "'>' above: met");
	is_str(quota_status(db, 2025, 1, 2), "not met", "pace none, over: judged");
	is_str(quota_status(of, 2025, 9000, 9000), "met", "the plan total, plan over");
	is_str(quota_status(of, 2023, 1000, 9000), "behind",
	       "a plan-period row of an earlier year: its progress then");

	setenv("KEPU_TODAY", "2025-06-30", 1);
	is_str(quota_status_label("not met"), "not met", "label (en)");
	lang_init("zh");
	is_str(quota_status_label("not met"), "未达标", "未达标");
	is_str(quota_status_label("met"), "达标", "达标");
	is_str(quota_status_label("behind"), "落后", "落后");
	lang_init("en");
	ok(quota_reached(">", 16.01, 16) && !quota_reached(">", 16, 16)
	   && quota_reached(">=", 16, 16) && quota_reached("=", 17, 16),
	   "comparators");

	is_str(quota_format(129, 2, b), "129", "whole number");
	is_str(quota_format(62.5, 1, b), "62.5", "one decimal");
	is_str(quota_format(62.50001, 2, b), "62.5", "needless zeros dropped");
	is_str(quota_format(1.0 / 3, 2, b), "0.33", "rounded");
	is_str(quota_format(100000, 6, b), "100000", "no exponent");
	is_str(quota_format(-0.001, 1, b), "0", "no negative zero");
	is_str(quota_format(1e20, 2, b), "100000000000000000000", "huge");
}

int main(void)
{
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	lang_init("en");
	setenv("KEPU_TODAY", "2025-06-30", 1);
	if (!mkdtemp(tmpdir))
		return 1;
	rc = schema_load_dir(getenv("KEPU_FORMS") ? getenv("KEPU_FORMS")
	                     : KEPU_SRCDIR "/forms", &S);
	if (!ok(rc == KP_OK, "forms load")) {
		printf("# %s\n", kp_err_msg());
		return tap_done();
	}
	test_contributions();
	test_quota_file();
	test_every_problem();
	test_expected();
	test_status();
	schema_free(S);
	unlink(write_tmp("bad.csv", ""));
	unlink(write_tmp("ok.csv", ""));
	unlink(write_tmp("hdr.csv", ""));
	rmdir(tmpdir);
	return tap_done();
}
