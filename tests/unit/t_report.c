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
	"expected,status,plan,plan_status\n"

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
	ok(report_build(lg, 2025, &rows, &n) == KP_OK, "empty report builds");
	is_int(n, 10, "a township report has a row per indicator");
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

	ok(report_build(lg, 0, &rows, &n) == KP_OK && n == 10,
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
	   "42.5,99.7,behind,jinjiang-2021-2025,official\n") != NULL, "CSV worker row");
	ok(strstr(text, "2025,chendai,rural_tech_training,person-times,,45,,,"
	   "no quota,jinjiang-2021-2025,official\n") != NULL,
	   "CSV row without a quota has empty numbers");
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
	size_t n = 0, i, cityrows = 0;

	if (!lg)
		return;
	ledger_set_quotas(lg, q, 1);
	add_training(lg, "anhai", "2025-03-05", "worker", "30", NULL, NULL);
	add_training(lg, "chendai", "2025-03-06", "worker", "60", NULL, NULL);
	add_training(lg, "anhai", "2024-03-05", "worker", "77", NULL, NULL);
	ok(ledger_set_value(lg, 2025, "science_literacy_rate", 17.2) == KP_OK,
	   "survey value set");
	ok(report_build(lg, 2025, &rows, &n) == KP_OK, "city report");
	is_int(n, 20 * 10 + 10, "20 townships x 10 indicators + 10 city rows");
	for (i = 0; i < n; i++)
		cityrows += rows[i].town == NULL;
	is_int(cityrows, 10, "ten city rows");
	ok(n == 210 && rows[200].town == NULL, "city rows come last");
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
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("temporary files left behind");
	return tap_done();
}
