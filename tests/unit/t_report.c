/* t_report.c - quota progress read from a real ledger. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "tap.h"
#include "text.h"

#define HEADER "year,township,indicator,unit,target,achieved,percent," \
	"expected,status,plan,plan_status,group\n"

static char tmpdir[] = "/tmp/t_report.XXXXXX";
static const char *forms;

static struct ledger *make_ledger(const char *name, const char *town)
{
	struct ledger *lg = NULL;
	char path[512];
	int rc;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	rc = ledger_init(path, forms, town);
	if (rc == KP_OK)
		rc = ledger_open(path, false, &lg);
	if (!ok(rc == KP_OK, "ledger %s created", name))
		printf("# %s\n", kp_err_msg());
	return lg;
}

/* Add a training record; returns its id in id (may be NULL). */
static void add_training(struct ledger *lg, const char *town,
                         const char *date, const char *category,
                         const char *participants, const char *farmers,
                         char id[RECORD_ID_LEN + 1])
{
	struct record r;
	struct check_result res;
	int rc;

	record_init(&r);
	check_result_init(&res);
	snprintf(r.form, sizeof r.form, "training");
	snprintf(r.township, sizeof r.township, "%s", town);
	record_set(&r, "date", date);
	record_set(&r, "category", category);
	record_set(&r, "title", "测试培训");
	record_set(&r, "participants", participants);
	if (farmers)
		record_set(&r, "farmers", farmers);
	rc = ledger_add(lg, &r, &res);
	if (!ok(rc == KP_OK, "add %s %s %s in %s", category, participants,
	        date, town))
		printf("# %s / %s\n", kp_err_msg(), res.nfindings
		       ? finding_msg(&res.findings[0]) : "");
	if (id)
		memcpy(id, r.id, RECORD_ID_LEN + 1);
	check_result_free(&res);
	record_free(&r);
}

/* Add an activity; its id into id (may be NULL). */
static void add_activity(struct ledger *lg, const char *date, const char *type,
                         const char *audience, const char *group,
                         char id[RECORD_ID_LEN + 1])
{
	struct record r;
	struct check_result res;

	record_init(&r);
	check_result_init(&res);
	snprintf(r.form, sizeof r.form, "activity");
	record_set(&r, "date", date);
	record_set(&r, "type", type);
	record_set(&r, "title", type);
	record_set(&r, "audience", audience);
	if (group)
		record_set(&r, "target_group", group);
	if (!ok(ledger_add(lg, &r, &res) == KP_OK, "add activity %s %s", type, date))
		printf("# %s\n", kp_err_msg());
	if (id)
		memcpy(id, r.id, RECORD_ID_LEN + 1);
	check_result_free(&res);
	record_free(&r);
}

/* The row of (town, ind, group) in rows. */
static const struct report_row *group_row(const struct report_row *rows,
                                          size_t n, const char *ind,
                                          const char *group)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].ind->id, ind) == 0 && rows[i].town
		    && rows[i].group && strcmp(rows[i].group, group) == 0)
			return &rows[i];
	return NULL;
}

static const struct report_row *row(const struct report_row *rows, size_t n,
                                    const char *town, const char *ind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].ind->id, ind) == 0
		    && (town ? rows[i].town && strcmp(rows[i].town->id, town) == 0
		             : rows[i].town == NULL))
			return &rows[i];
	return NULL;
}

/* The rows a township has in year's report: an indicator each, a grouped
 * tally one per group; and how many of the plan's indicators have a
 * target. */
static size_t per_town(const struct ledger *lg, int year, size_t *judged)
{
	const struct plan *p = schema_plan_of_year(lg->schema, year);
	const char *g[256];
	size_t i, n = 0, ng;

	*judged = 0;
	for (i = 0; i < p->nindicators; i++) {
		ng = indicator_groups(p->indicators[i], g, 256);
		n += ng ? ng : 1;
		*judged += !p->indicators[i]->tally;
	}
	return n;
}

static bool near(double a, double b)
{
	return a - b < 1e-6 && b - a < 1e-6;
}

/* Display column at which needle starts in the line of text holding it. */
static long column_of(const char *text, const char *line_has,
                      const char *needle)
{
	const char *l = strstr(text, line_has), *p, *start;
	char buf[1024];
	size_t n;

	if (!l)
		return -1;
	start = l;
	while (start > text && start[-1] != '\n')
		start--;
	if (!(p = strstr(start, needle)))
		return -1;
	n = (size_t)(p - start);
	if (n >= sizeof buf || memchr(start, '\n', n))
		return -1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	return (long)text_width(buf);
}

static void test_township(void)
{
	struct ledger *lg = make_ledger("chendai.db", "chendai");
	static const struct quota_row q[] = {
		{ 2025, "chendai", "worker_training", 200 },
		{ 2021, "chendai", "official_training", 450 },
	};
	const struct report_row *x;
	struct report_row *rows = NULL;
	char id[RECORD_ID_LEN + 1], *text = NULL;
	size_t n = 0, len = 0;
	FILE *f;

	if (!lg)
		return;
	size_t per, judged;

	ok(report_build(lg, 2025, &rows, &n) == KP_OK, "empty report builds");
	per = per_town(lg, 2025, &judged);
	is_int(judged, 10, "the plan's ten indicators have targets");
	ok(per > 10 + 10, "grouped tallies add a row per group (%zu rows)", per);
	is_int(n, per, "a township report has a row per indicator and group");
	x = row(rows, n, "chendai", "worker_training");
	ok(x && !x->has_target && x->achieved == 0
	   && strcmp(x->status, "no quota") == 0, "no quota set yet");
	free(rows);

	ok(ledger_set_quotas(lg, q, 2) == KP_OK, "quotas set");
	add_training(lg, "chendai", "2025-03-05", "worker", "60", NULL, id);
	add_training(lg, "chendai", "2025-04-05", "worker", "25", NULL, NULL);
	add_training(lg, "chendai", "2023-05-01", "official", "100", NULL, NULL);
	add_training(lg, "chendai", "2025-01-10", "official", "50", NULL, NULL);
	add_training(lg, "chendai", "2025-02-10", "rural_tech", "45", "30",
	             NULL);
	add_training(lg, "chendai", "2024-02-10", "rural_tech", "40", "20",
	             NULL);

	ok(report_build(lg, 0, &rows, &n) == KP_OK && n == per,
	   "year 0 is the ledger's year");
	x = row(rows, n, "chendai", "worker_training");
	ok(x && x->year == 2025 && x->has_target && near(x->target, 200)
	   && near(x->achieved, 85), "worker: 85 of 200");
	ok(x && near(x->percent, 42.5), "worker: 42.5%%");
	ok(x && near(x->expected, 200.0 * 182 / 365), "worker: due by July 1");
	is_str(x ? x->status : NULL, "behind", "worker: behind");
	x = row(rows, n, "chendai", "official_training");
	ok(x && near(x->achieved, 150) && near(x->target, 450),
	   "official: the plan's years summed");
	ok(x && near(x->expected, 450.0 * 1643 / 1826), "official: due so far");
	x = row(rows, n, "chendai", "rural_tech_farmers");
	ok(x && near(x->achieved, 30) && !x->has_target
	   && strcmp(x->status, "no quota") == 0, "farmers: this year only");
	x = row(rows, n, "chendai", "science_literacy_rate");
	ok(x && !x->has_target && x->achieved == 0, "survey: no township quota");

	f = open_memstream(&text, &len);
	ok(report_write_csv(rows, n, f, 0) == KP_OK, "CSV written");
	fclose(f);
	ok(strncmp(text, HEADER, strlen(HEADER)) == 0, "CSV header");
	ok(strstr(text, "2025,chendai,worker_training,person-times,200,85,"
	   "42.5,99.7,behind,jinjiang-2021-2025,official,\n") != NULL, "CSV worker row");
	ok(strstr(text, "2025,chendai,rural_tech_training,person-times,,45,,,"
	   "no quota,jinjiang-2021-2025,official,\n") != NULL,
	   "CSV row without a quota has empty numbers");
	ok(strstr(text, "2025,chendai,training_participants_by_category,person-times,,"
	   "85,,,tally,jinjiang-2021-2025,official,worker\n") != NULL,
	   "a grouped tally's row: no target, the group's code last");
	free(text);

	f = open_memstream(&text, &len);
	ok(report_write_table(rows, n, f) == KP_OK, "table written");
	fclose(f);
	ok(strstr(text, "Workers trained") && strstr(text, "behind"),
	   "table has labels and status");
	ok(column_of(text, "Indicator", "Unit") > 0
	   && column_of(text, "Indicator", "Unit")
	      == column_of(text, "Workers trained", "person-times"),
	   "table columns line up (English)");
	free(text);
	lang_set(KP_LANG_ZH);
	f = open_memstream(&text, &len);
	report_write_table(rows, n, f);
	fclose(f);
	ok(strstr(text, "陈埭镇") && strstr(text, "培训各类劳动者")
	   && strstr(text, "落后"), "table in Chinese");
	ok(column_of(text, "指标", "单位") > 0
	   && column_of(text, "指标", "单位")
	      == column_of(text, "培训各类劳动者", "人次"),
	   "table columns line up with CJK labels");
	lang_set(KP_LANG_EN);
	free(text);
	free(rows);

	ok(report_build(lg, 2023, &rows, &n) == KP_OK, "2023 report");
	x = row(rows, n, "chendai", "official_training");
	ok(x && near(x->achieved, 100), "official in 2023: up to 2023 only");
	x = row(rows, n, "chendai", "worker_training");
	ok(x && x->achieved == 0 && !x->has_target, "no 2023 worker quota");
	free(rows);

	ok(ledger_delete(lg, id, 1, NULL) == KP_OK, "delete the 60");
	report_build(lg, 2025, &rows, &n);
	x = row(rows, n, "chendai", "worker_training");
	ok(x && near(x->achieved, 25), "deleted record no longer counts");
	free(rows);
	ledger_close(lg);
}

static void test_city(void)
{
	struct ledger *lg = make_ledger("city.db", NULL);
	static const struct quota_row q[] = {
		{ 2025, "anhai", "worker_training", 200 },
	};
	const struct report_row *x;
	struct report_row *rows = NULL;
	size_t n = 0, i, cityrows = 0, per, judged;

	if (!lg)
		return;
	per = per_town(lg, 2025, &judged);
	ledger_set_quotas(lg, q, 1);
	add_training(lg, "anhai", "2025-03-05", "worker", "30", NULL, NULL);
	add_training(lg, "chendai", "2025-03-06", "worker", "60", NULL, NULL);
	add_training(lg, "anhai", "2024-03-05", "worker", "77", NULL, NULL);
	ok(ledger_set_value(lg, 2025, "science_literacy_rate", 17.2) == KP_OK,
	   "survey value set");
	ok(report_build(lg, 2025, &rows, &n) == KP_OK, "city report");
	is_int(n, 20 * per + per, "20 townships and the city, a row per indicator and group each");
	for (i = 0; i < n; i++)
		cityrows += rows[i].town == NULL;
	is_int(cityrows, per, "a city row per indicator and group");
	ok(n == 21 * per && rows[20 * per].town == NULL && rows[n - 1].town == NULL,
	   "city rows come last");
	x = row(rows, n, NULL, "worker_training");
	ok(x && near(x->achieved, 90) && near(x->target, 4000) && x->has_target,
	   "city worker row: townships summed, city target");
	x = row(rows, n, "anhai", "worker_training");
	ok(x && near(x->achieved, 30) && near(x->target, 200),
	   "anhai worker row");
	x = row(rows, n, NULL, "official_training");
	ok(x && near(x->target, 9000), "city plan-period target");
	x = row(rows, n, NULL, "science_literacy_rate");
	ok(x && near(x->achieved, 17.2) && near(x->target, 16)
	   && strcmp(x->status, "ahead") == 0, "survey value against 16%%");
	free(rows);
	ledger_close(lg);
}

/* The total row of (town, ind) in a plan evaluation, NULL if absent. */
static const struct report_plan_row *plan_total(const struct report_plan *rp,
                                                const char *ind)
{
	size_t i;

	for (i = 0; i < rp->n; i++)
		if (rp->rows[i].r.year == 0 && strcmp(rp->rows[i].r.ind->id, ind) == 0)
			return &rp->rows[i];
	return NULL;
}

static const char *plan_status_of(struct ledger *lg, const char *ind)
{
	static char buf[32];
	struct report_plan rp;
	const struct report_plan_row *t;

	if (report_plan_build(lg, report_plan_named(lg->schema, "2021-2025"),
	                      &rp) != KP_OK)
		return "(failed)";
	t = plan_total(&rp, ind);
	snprintf(buf, sizeof buf, "%s", t ? t->r.status : "(none)");
	report_plan_free(&rp);
	return buf;
}

/* report_plan_build: the year rows are report_build's, the totals made of
 * them; years without a quota are not judged. */
static void test_plan(void)
{
	struct ledger *lg = make_ledger("plan.db", "chendai");
	static const struct quota_row q[] = {
		{ 2022, "chendai", "worker_training", 50 },
		{ 2023, "chendai", "worker_training", 50 },
		{ 2021, "chendai", "official_training", 100 },
	};
	const struct report_plan_row *t;
	struct report_row *yr = NULL;
	struct report_plan rp;
	const struct plan *p;
	char list[256];
	size_t n = 0, i;
	bool same = true;

	if (!lg)
		return;
	ok(report_plan_named(lg->schema, "jinjiang-2026-2030") == &lg->schema->plans[1],
	   "a plan named by its id");
	p = report_plan_named(lg->schema, "2021-2025");
	ok(p == &lg->schema->plans[0], "or by its years");
	ok(report_plan_named(lg->schema, " 2021-2025 ") == p, "spaces around are fine");
	ok(!report_plan_named(lg->schema, "2021") && !report_plan_named(lg->schema, "2016-2020")
	   && !report_plan_named(lg->schema, "x"), "a year or unknown years name no plan");
	is_int(report_plan_list(lg->schema, list, sizeof list), 2, "two plans");
	is_str(list, "jinjiang-2021-2025 (2021-2025), jinjiang-2026-2030 (2026-2030)",
	       "listed with their years");
	setenv("KEPU_TODAY", "2026-03-01", 1);
	ledger_set_quotas(lg, q, 3);
	add_training(lg, "chendai", "2022-03-05", "worker", "60", NULL, NULL);
	add_training(lg, "chendai", "2023-03-05", "worker", "40", NULL, NULL);
	add_training(lg, "chendai", "2021-03-05", "official", "30", NULL, NULL);
	add_training(lg, "chendai", "2024-03-05", "official", "80", NULL, NULL);
	ok(report_plan_build(lg, p, &rp) == KP_OK, "plan evaluation built");
	is_int(rp.n, per_town(lg, 2021, &n) * 6, "each indicator and group x (5 years + total)");
	ok(rp.per == 6 && rp.rows[5].r.year == 0 && rp.rows[0].r.year == 2021
	   && rp.over && !rp.provisional, "years then the total; the plan is over");
	for (i = 0; i < 5; i++) {
		size_t j;

		if (report_build(lg, 2021 + (int)i, &yr, &n) != KP_OK)
			same = false;
		for (j = 0; same && j < n; j++) {
			const struct report_row *a = &yr[j], *b = &rp.rows[j * 6 + i].r;

			same = a->ind == b->ind && a->town == b->town && a->year == b->year
			       && near(a->achieved, b->achieved) && near(a->target, b->target)
			       && strcmp(a->status, b->status) == 0;
		}
		free(yr);
		yr = NULL;
	}
	ok(same, "every year row is report_build's row of that year");
	t = plan_total(&rp, "worker_training");
	ok(t && near(t->r.target, 100) && near(t->r.achieved, 100) && t->years_met == 1
	   && near(t->r.percent, 100) && strcmp(t->r.status, "not met") == 0,
	   "annual: the quota years summed (100 of 100), 1 year met of 2: not met");
	t = plan_total(&rp, "official_training");
	ok(t && near(t->r.target, 100) && near(t->r.achieved, 110) && t->years_met == -1
	   && strcmp(t->r.status, "met") == 0, "plan-period: the plan total, met");
	ok(near(rp.rows[8 * 6 + 2].r.achieved, 30) && near(rp.rows[8 * 6 + 3].r.achieved, 110),
	   "plan-period year rows are the plan so far (30 in 2023, 110 in 2024)");
	t = plan_total(&rp, "teacher_training");
	ok(t && !t->r.has_target && t->years_met == 0 && strcmp(t->r.status, "no quota") == 0,
	   "no quota in any year: no quota");
	t = plan_total(&rp, "science_literacy_rate");
	ok(t && t->years_met == -1 && strcmp(t->r.status, "no quota") == 0,
	   "a township's survey row: no quota");
	report_plan_free(&rp);
	ok(rp.rows == NULL && rp.n == 0, "freed");

	add_training(lg, "chendai", "2023-04-05", "worker", "10", NULL, NULL);
	is_str(plan_status_of(lg, "worker_training"), "met",
	       "every year with a quota met (2 of 5 years have one): met");
	setenv("KEPU_TODAY", "2024-06-01", 1);
	is_str(plan_status_of(lg, "worker_training"), "on track",
	       "running, no year failed, this year without a quota: on track");
	setenv("KEPU_TODAY", "2026-03-01", 1);
	ok(ledger_set_quotas(lg, (struct quota_row[]){ { 2024, "chendai", "worker_training", 5 } }, 1)
	   == KP_OK, "a 2024 quota of 5");
	add_training(lg, "chendai", "2024-03-05", "worker", "3", NULL, NULL);
	setenv("KEPU_TODAY", "2024-06-01", 1);
	is_str(plan_status_of(lg, "worker_training"), "ahead",
	       "running: this year's status (3 of 5 by June: ahead)");
	setenv("KEPU_TODAY", "2024-12-31", 1);
	is_str(plan_status_of(lg, "worker_training"), "behind",
	       "running: this year's status (3 of 5 on 31 December: behind)");
	setenv("KEPU_TODAY", "2025-03-01", 1);
	is_str(plan_status_of(lg, "worker_training"), "behind",
	       "running: a finished year not met makes it behind");
	setenv("KEPU_TODAY", "2026-03-01", 1);
	is_str(plan_status_of(lg, "worker_training"), "not met", "over: not met");
	setenv("KEPU_TODAY", "2025-07-01", 1);
	ledger_close(lg);
}

/* Tallies: counted per group, never judged; the groups add up to the
 * plain tally; 科普日 counts as 全国科普日; ledger_verify recounts them. */
static void test_tallies(void)
{
	struct ledger *lg = make_ledger("tally.db", "chendai");
	const struct report_row *x;
	const struct report_plan_row *t;
	struct report_row *rows = NULL;
	struct report_plan rp;
	char id[RECORD_ID_LEN + 1], *text = NULL;
	size_t n = 0, len = 0, i;
	double sum = 0;
	FILE *f;

	if (!lg)
		return;
	add_activity(lg, "2025-05-16", "science_day", "300", "youth", NULL);
	add_activity(lg, "2025-05-18", "national_science_day", "200", "youth", NULL);
	add_activity(lg, "2025-05-20", "lab_open", "40", NULL, id);
	add_activity(lg, "2025-06-20", "lab_open", "10", "new_residents", NULL);
	add_activity(lg, "2024-06-20", "lab_open", "99", "elderly", NULL);
	ok(ledger_delete(lg, id, 1, NULL) == KP_OK, "an activity deleted");
	ok(ledger_verify(lg, NULL, NULL) == KP_OK, "check: the groups' totals recount exactly");
	ok(report_build(lg, 2025, &rows, &n) == KP_OK, "report with tallies");
	x = row(rows, n, "chendai", "activity_events");
	ok(x && near(x->achieved, 3) && !x->has_target && !x->group
	   && !strcmp(x->status, "tally"), "three activities in 2025: a tally, no target");
	x = group_row(rows, n, "activity_events_by_type", "national_science_day");
	ok(x && near(x->achieved, 2), "科普日 and 全国科普日: one group of 2");
	ok(!group_row(rows, n, "activity_events_by_type", "science_day"),
	   "科普日 has no row of its own");
	x = group_row(rows, n, "activity_audience_by_type", "lab_open");
	ok(x && near(x->achieved, 10), "the deleted lab day no longer counts");
	x = group_row(rows, n, "activity_audience_by_group", "");
	ok(x && near(x->achieved, 0), "no target group left blank in 2025");
	x = group_row(rows, n, "activity_audience_by_group", "new_residents");
	ok(x && near(x->achieved, 10), "new residents reached");
	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].ind->id, "activity_audience_by_group"))
			sum += rows[i].achieved;
	ok(near(sum, 510), "the groups add up to the audience (510)");
	ok(report_row_hidden(group_row(rows, n, "activity_events_by_type", "tech_week"))
	   && !report_row_hidden(group_row(rows, n, "activity_events_by_type", "lab_open"))
	   && !report_row_hidden(row(rows, n, "chendai", "activity_volunteers")),
	   "people's views leave out empty groups only");
	f = open_memstream(&text, &len);
	report_write_table(rows, n, f);
	fclose(f);
	ok(strstr(text, "Activities by type: National Science Popularisation Day "
	   "(with Science popularisation day)") && strstr(text, "tally")
	   && !strstr(text, "Activities by type: Science and technology week"),
	   "the table names the merged group and leaves out empty ones");
	free(text);
	free(rows);

	setenv("KEPU_TODAY", "2026-03-01", 1);
	ok(report_plan_build(lg, report_plan_named(lg->schema, "2021-2025"), &rp) == KP_OK,
	   "plan evaluation with tallies");
	for (i = 0, t = NULL; i < rp.n; i++)
		if (rp.rows[i].r.year == 0 && rp.rows[i].r.group
		    && !strcmp(rp.rows[i].r.ind->id, "activity_audience_by_type")
		    && !strcmp(rp.rows[i].r.group, "lab_open"))
			t = &rp.rows[i];
	ok(t && near(t->r.achieved, 109) && !strcmp(t->r.status, "tally")
	   && t->years_met == -1 && !t->r.has_target,
	   "a tally's plan total: the years added up (99 + 10), no verdict");
	f = open_memstream(&text, &len);
	report_plan_write_csv(&rp, f, 0);
	fclose(f);
	ok(strstr(text, "jinjiang-2021-2025,official,chendai,activity_audience_by_type,"
	   "person-times,annual,total,,109,,tally,,lab_open\n") != NULL,
	   "report --plan --csv: the tally's total row");
	free(text);
	report_plan_free(&rp);
	setenv("KEPU_TODAY", "2025-07-01", 1);
	ledger_close(lg);
}

/* A year after the last plan continues it: a plan-period indicator's
 * records of that year count in the continued plan's total. */
static void test_continuation(void)
{
	struct ledger *lg;
	struct report_row *rows = NULL;
	const struct report_row *x;
	size_t n = 0;

	setenv("KEPU_TODAY", "2031-06-01", 1);
	if (!(lg = make_ledger("later.db", "chendai")))
		goto out;
	add_training(lg, "chendai", "2027-05-01", "official", "100", NULL, NULL);
	add_training(lg, "chendai", "2031-05-01", "official", "40", NULL, NULL);
	ok(report_build(lg, 2031, &rows, &n) == KP_OK, "a report for 2031");
	x = row(rows, n, "chendai", "official_training");
	ok(x && near(x->achieved, 140), "2031's official training counts in the "
	   "continued plan's total (%g)", x ? x->achieved : -1);
	ok(x && x->provisional && x->plan && !strcmp(x->plan->id, "jinjiang-2026-2030"),
	   "as the provisional continuation of 2026-2030");
	free(rows);
	ledger_close(lg);
out:
	setenv("KEPU_TODAY", "2025-07-01", 1);
}

int main(void)
{
	char cmd[600];

	setlocale(LC_ALL, "C.UTF-8");
	lang_init("en");
	setenv("KEPU_TODAY", "2025-07-01", 1);
	forms = getenv("KEPU_FORMS") ? getenv("KEPU_FORMS")
	        : KEPU_SRCDIR "/forms";
	if (!mkdtemp(tmpdir))
		return 1;
	test_township();
	test_city();
	test_plan();
	test_tallies();
	test_continuation();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("temporary files left behind");
	return tap_done();
}
