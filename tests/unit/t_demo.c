/* t_demo.c - demo data: valid, deterministic, realistic progress. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "demo.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "tap.h"

static char tmpdir[] = "/tmp/t_demo.XXXXXX";
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

static size_t count_status(const struct report_row *rows, size_t n,
                           const char *status)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += strcmp(rows[i].status, status) == 0;
	return k;
}

struct latest {
	char max[11];
	size_t n;
};

static int latest_date(void *ctx, const struct record *rec)
{
	struct latest *l = ctx;
	const char *d = record_get(rec, "date");

	if (d && strcmp(d, l->max) > 0)
		snprintf(l->max, sizeof l->max, "%s", d);
	l->n++;
	return KP_OK;
}

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	printf("# verify: %s\n", msg);
}

static void test_township(void)
{
	struct ledger *a = make_ledger("a.db", "chendai");
	struct ledger *b = make_ledger("b.db", "chendai");
	struct report_row *ra = NULL, *rb = NULL;
	struct ledger_query q = { 0 };
	struct latest l = { "", 0 };
	size_t added = 0, added2 = 0, na = 0, nb = 0, live = 0, dead = 0, i;
	double t = 0;
	int same = 1;

	if (!a || !b)
		return;
	setenv("KEPU_TODAY", "2026-01-15", 1);
	ok(demo_fill(a, 2025, 7, &added) == KP_OK, "demo fills a past year");
	ok(added >= 20 && added < 200, "a believable number of records (%zu)",
	   added);
	ledger_counts(a, &live, &dead);
	ok(live == added && dead == 0, "every record stored");
	ok(ledger_verify(a, ignore, NULL) == KP_OK, "totals agree");
	ok(ledger_quota(a, 2025, "chendai", "worker_training", &t) == KP_OK
	   && t == 200, "example quotas set");
	ok(ledger_quota(a, 2025, "chendai", "official_training", &t) == KP_OK
	   && t == 450, "plan-period example quota set");
	report_build(a, 2025, &ra, &na);
	ok(count_status(ra, na, "met") > 0 && count_status(ra, na, "not met")
	   > 0, "a finished year: some indicators met, some not");

	demo_fill(b, 2025, 7, &added2);
	report_build(b, 2025, &rb, &nb);
	for (i = 0; i < na && i < nb; i++)
		if (ra[i].achieved != rb[i].achieved)
			same = 0;
	ok(added == added2 && na == nb && same, "same seed, same data");
	free(ra);
	free(rb);
	ledger_close(b);

	/* The current year: nothing after today. */
	setenv("KEPU_TODAY", "2024-03-31", 1);
	ok(demo_fill(a, 2024, 9, &added) == KP_OK && added > 0,
	   "demo fills the current year so far (%zu)", added);
	q.year = 2024;
	ledger_list(a, &q, latest_date, &l);
	ok(l.n == added && strcmp(l.max, "2024-03-31") <= 0,
	   "no record after today (latest %s)", l.max);
	ok(ledger_quota(a, 2024, "chendai", "worker_training", &t) == KP_OK
	   && t == 200, "example quotas moved to 2024");

	setenv("KEPU_TODAY", "2023-01-01", 1);
	ok(demo_fill(a, 2024, 9, &added) == KP_OK && added == 0,
	   "a future year gets no records");
	ok(demo_fill(a, 2019, 9, &added) == KP_E_DATA, "a year before the first plan is refused");
	ledger_close(a);
}

static void test_keeps_quotas(void)
{
	struct ledger *lg = make_ledger("c.db", "anhai");
	static const struct quota_row q[] = {
		{ 2023, "anhai", "worker_training", 999 },
	};
	size_t added;
	double t = 0;

	if (!lg)
		return;
	setenv("KEPU_TODAY", "2026-01-15", 1);
	ledger_set_quotas(lg, q, 1);
	ok(demo_fill(lg, 2023, 3, &added) == KP_OK, "demo on a ledger with quotas");
	ok(ledger_quota(lg, 2023, "anhai", "worker_training", &t) == KP_OK
	   && t == 999, "an existing quota is kept");
	ok(ledger_quota(lg, 2023, "anhai", "teacher_training", &t)
	   == KP_NOTFOUND, "no example quotas mixed in");
	ledger_close(lg);
}

static void test_city(void)
{
	struct ledger *lg = make_ledger("city.db", NULL);
	struct report_row *rows = NULL;
	size_t added = 0, n = 0, i, towns = 0;
	double v = 0;

	if (!lg)
		return;
	setenv("KEPU_TODAY", "2026-01-15", 1);
	ok(demo_fill(lg, 2025, 1, &added) == KP_OK, "demo fills a city ledger");
	report_build(lg, 2025, &rows, &n);
	for (i = 0; i < n; i++)
		if (rows[i].town && strcmp(rows[i].ind->id, "worker_training") == 0
		    && rows[i].achieved > 0 && rows[i].has_target)
			towns++;
	is_int(towns, 20, "every township has records and quotas");
	ok(ledger_value(lg, 2025, "science_literacy_rate", &v) == KP_OK
	   && v > 10 && v < 20, "a survey value for the city");
	free(rows);
	ledger_close(lg);
}

struct csvcheck {
	const struct schema *s;
	char **header;
	size_t nh, rows, bad;
};

static int csv_row(void *ctx, size_t line, size_t nf, char **fields,
                   const size_t *lens)
{
	struct csvcheck *c = ctx;
	struct check_result res;
	struct record r;
	size_t i;

	(void)lens;
	if (line == 1) {
		c->header = calloc(nf, sizeof *c->header);
		for (i = 0; i < nf; i++)
			c->header[i] = strdup(fields[i]);
		c->nh = nf;
		return KP_OK;
	}
	record_init(&r);
	check_result_init(&res);
	snprintf(r.form, sizeof r.form, "training");
	snprintf(r.township, sizeof r.township, "chendai");
	for (i = 0; i < nf && i < c->nh; i++)
		record_set(&r, c->header[i], fields[i]);
	check_record_rules(c->s, NULL, &r, "chendai", &res);
	if (nf != c->nh || check_has_errors(&res)) {
		if (c->bad++ == 0 && res.nfindings)
			printf("# line %zu: %s\n", line,
			       finding_msg(&res.findings[0]));
	}
	c->rows++;
	check_result_free(&res);
	record_free(&r);
	return KP_OK;
}

static void test_training_csv(void)
{
	struct schema *s = NULL;
	struct csvcheck c = { 0 };
	char *t1 = NULL, *t2 = NULL, *t3 = NULL;
	size_t l1 = 0, l2 = 0, l3 = 0, i;
	FILE *f;

	if (schema_load_dir(forms, &s) != KP_OK)
		return;
	f = open_memstream(&t1, &l1);
	ok(demo_training_csv(f, 500, 2024, 5) == KP_OK, "500 training rows");
	fclose(f);
	f = open_memstream(&t2, &l2);
	demo_training_csv(f, 500, 2024, 5);
	fclose(f);
	f = open_memstream(&t3, &l3);
	demo_training_csv(f, 500, 2024, 6);
	fclose(f);
	ok(l1 == l2 && memcmp(t1, t2, l1) == 0, "same seed, same CSV");
	ok(l1 != l3 || memcmp(t1, t3, l1) != 0, "another seed, another CSV");
	c.s = s;
	ok(csvio_read_mem("demo.csv", t1, l1, csv_row, &c) == KP_OK,
	   "the CSV parses");
	is_int(c.rows, 500, "500 rows after the header");
	is_int(c.bad, 0, "every row passes the form's rules");
	ok(c.nh > 0 && strcmp(c.header[0], "date") == 0, "header names fields");
	ok(strstr(t1, "rural_tech") && strstr(t1, "high_skill"),
	   "a mix of categories");
	for (i = 0; i < c.nh; i++)
		free(c.header[i]);
	free(c.header);
	free(t1);
	free(t2);
	free(t3);
	schema_free(s);
}

int main(void)
{
	char cmd[600];

	setlocale(LC_ALL, "C.UTF-8");
	lang_init("en");
	forms = getenv("KEPU_FORMS") ? getenv("KEPU_FORMS")
	        : KEPU_SRCDIR "/forms";
	if (!mkdtemp(tmpdir))
		return 1;
	test_township();
	test_keeps_quotas();
	test_city();
	test_training_csv();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("temporary files left behind");
	return tap_done();
}
