/* t_ledger.c - the ledger's domain operations on the shipped forms. */
#include "config.h"

#include <math.h>
#include <sys/stat.h>

#include "ledger_test.h"

/* ---- init and open -------------------------------------------------------- */

static void test_init(void)
{
	char path[160];
	struct ledger *lg = NULL;
	struct stat sb;

	is_int(ledger_open(dbpath, false, &lg), KP_E_NOINPUT,
	       "open of a missing database");
	is_int(ledger_init(dbpath, forms, "anhai"), KP_OK, "init anhai");
	is_int(ledger_init(dbpath, forms, "anhai"), KP_E_CANTCREAT,
	       "init twice is refused");
	snprintf(path, sizeof path, "%s/bad.db", dir);
	is_int(ledger_init(path, forms, "atlantis"), KP_E_DATA,
	       "unknown township refused");
	ok(stat(path, &sb) != 0, "and no file is left behind");
	snprintf(path, sizeof path, "%s/noforms.db", dir);
	ok(ledger_init(path, "/nonexistent/forms", "anhai") != KP_OK,
	   "init from a missing forms folder fails");

	is_int(ledger_open(dbpath, false, &lg), KP_OK, "open");
	if (!lg)
		return;
	is_str(lg->township, "anhai", "township from meta");
	is_int(lg->mode, LEDGER_TOWNSHIP, "township mode");
	is_int(lg->year, 2025, "working year: today's (KEPU_TODAY)");
	ok(lg->user[0] != 0, "user set (%s)", lg->user);
	ok(lg->schema && schema_form(lg->schema, "training"),
	   "schema loaded from the database");
	ledger_close(lg);
}

static int bump_version(struct store_txn *t, void *ctx)
{
	(void)ctx;
	return store_put(t, DB_META, "schema_version", 14, "99", 2);
}

static void test_schema_copy_and_version(void)
{
	char path[160];
	struct ledger *lg = NULL;
	struct store *st;

	/* The database carries its own forms: a moved forms folder does
	 * not matter. */
	setenv("KEPU_FORMS", "/nonexistent/forms", 1);
	is_int(ledger_open(dbpath, true, &lg), KP_OK,
	       "open without the forms folder");
	ok(lg && schema_form(lg->schema, "demo"), "forms come from the database");
	ledger_close(lg);
	setenv("KEPU_FORMS", forms, 1);

	snprintf(path, sizeof path, "%s/newer.db", dir);
	ledger_init(path, forms, "anhai");
	if (store_open(path, 0, &st) == KP_OK) {
		store_write(st, bump_version, NULL);
		store_close(st);
	}
	is_int(ledger_open(path, false, &lg), KP_E_DATA,
	       "a newer schema version is refused");
	ok(strstr(kp_err_msg(), "newer") != NULL, "clearly: %s", kp_err_msg());
	ok(lg == NULL, "no ledger returned");
	is_int(ledger_init(path, forms, NULL), KP_E_CANTCREAT,
	       "city init over an existing file refused");
}

/* ---- add, edit, delete ---------------------------------------------------- */

static void test_add(struct ledger *lg, char *id)
{
	struct record r, got;
	struct check_result res;
	struct snapshot s;
	int64_t count = 0;
	int rc;

	training(&r, "2025-03-05", "teacher", "科学教师培训", "30");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_OK, "add a training");
	ok(record_id_valid(r.id), "it got an id (%s)", r.id);
	is_int(r.rev, 1, "revision 1");
	is_str(r.township, "anhai", "township filled in");
	is_str(r.created_by, lg->user, "created_by is the user");
	ok(r.created_at > 0 && r.changed_at == r.created_at, "timestamps");
	ok(res.nimpacts >= 1 && res.impacts[0].delta == 30
	   && res.impacts[0].achieved == 30, "impact: +30, achieved 30");
	snprintf(id, RECORD_ID_LEN + 1, "%s", r.id);
	record_init(&got);
	is_int(ledger_get(lg, id, &got), KP_OK, "get it back");
	is_str(record_get(&got, "title"), "科学教师培训", "title kept");
	is_str(got.form, "training", "form kept");
	record_free(&got);
	is_int(ledger_get(lg, "01ARZ3NDEKTSV4RRFFQ69G5FAV", &got), KP_NOTFOUND,
	       "get of an unknown id");
	is_int(total_sum(lg, 2025, "anhai", "teacher_training", &count), 30,
	       "total sum 30");
	is_int(count, 1, "total count 1");
	check_result_free(&res);
	record_free(&r);

	snap(lg, &s);
	training(&r, "2025-03-05", "teacher", "", "0");
	check_result_init(&res);
	rc = ledger_add(lg, &r, &res);
	is_int(rc, KP_E_DATA, "a record with errors is refused");
	ok(check_has_errors(&res), "findings say why");
	ok(r.id[0] == 0, "no id handed out");
	ok(snap_same(lg, &s), "totals, counts and changes unchanged");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2019-12-31", "teacher", "old", "5");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_DATA, "a date before the plan");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-03-05", "teacher", "elsewhere", "5");
	snprintf(r.township, sizeof r.township, "cizao");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_DATA,
	       "another township's record in a township database");
	ok(has_kind(&res, FK_TOWNSHIP, SEV_ERROR), "as a township finding");
	check_result_free(&res);
	record_free(&r);

	record_init(&r);
	snprintf(r.form, sizeof r.form, "nosuchform");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_DATA, "an unknown form");
	ok(snap_same(lg, &s), "still nothing changed");
	check_result_free(&res);
	record_free(&r);
}

static void test_edit(struct ledger *lg, const char *id)
{
	struct record r, cur;
	struct check_result res;
	struct snapshot s;
	size_t i;
	bool neg = false;

	training(&r, "2025-03-05", "teacher", "科学教师培训", "40");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 1, &r, &res, NULL), KP_OK, "edit rev 1");
	is_int(r.rev, 2, "now revision 2");
	ok(res.nimpacts >= 1 && res.impacts[0].delta == 10
	   && res.impacts[0].achieved == 40, "impact of an edit: +10 to 40");
	ok(!has_kind(&res, FK_DUPLICATE, SEV_WARNING),
	   "a record is no duplicate of itself");
	is_int(total_sum(lg, 2025, "anhai", "teacher_training", NULL), 40,
	       "total follows the edit");
	check_result_free(&res);
	record_free(&r);

	snap(lg, &s);
	training(&r, "2025-03-05", "teacher", "科学教师培训", "99");
	check_result_init(&res);
	record_init(&cur);
	is_int(ledger_edit(lg, id, 1, &r, &res, &cur), KP_E_TEMPFAIL,
	       "edit from a stale revision is refused");
	ok(strstr(kp_err_msg(), "revision 2") && strstr(kp_err_msg(),
	   "revision 1"), "message names both revisions: %s", kp_err_msg());
	ok(strstr(kp_err_msg(), lg->user) != NULL, "and who changed it");
	is_int(cur.rev, 2, "the current record is handed back");
	ok(snap_same(lg, &s), "nothing changed");
	is_int(ledger_delete(lg, id, 1, NULL), KP_E_TEMPFAIL,
	       "delete from a stale revision is refused");
	ok(snap_same(lg, &s), "still nothing changed");
	check_result_free(&res);
	record_free(&r);
	record_free(&cur);

	training(&r, "2025-03-05", "teacher", "科学教师培训", "-3");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 2, &r, &res, NULL), KP_E_DATA,
	       "an edit with errors is refused");
	ok(snap_same(lg, &s), "and changes nothing");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-03-05", "worker", "科学教师培训", "40");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 2, &r, &res, NULL), KP_OK,
	       "edit the category");
	for (i = 0; i < res.nimpacts; i++)
		if (strcmp(res.impacts[i].ind->id, "teacher_training") == 0)
			neg = res.impacts[i].delta == -40;
	ok(neg, "impact shows the record leaving teacher_training");
	ok(total_sum(lg, 2025, "anhai", "teacher_training", NULL) == 0,
	   "the old indicator's total is gone");
	is_int(total_sum(lg, 2025, "anhai", "worker_training", NULL), 40,
	       "the new indicator has it");
	check_result_free(&res);
	record_free(&r);
	is_int(ledger_edit(lg, "01ARZ3NDEKTSV4RRFFQ69G5FAV", 1, &r, &res, NULL),
	       KP_NOTFOUND, "edit of an unknown id");
}

/* The impact of ind in year in res: its delta, or NAN when res has none. */
static double impact_in(const struct check_result *res, const char *ind,
                        int year)
{
	size_t i;

	for (i = 0; i < res->nimpacts; i++)
		if (strcmp(res->impacts[i].ind->id, ind) == 0 &&
		    res->impacts[i].year == year)
			return res->impacts[i].delta;
	return NAN;
}

/* An edit that moves a record to another year: the preview takes it out
 * of the old year's annual total and puts it into the new one's; a
 * plan-period indicator (the same plan) does not move. */
static void test_edit_year(struct ledger *lg)
{
	struct record r;
	struct check_result res;
	char id[RECORD_ID_LEN + 1], id2[RECORD_ID_LEN + 1];

	training(&r, "2024-05-08", "teacher", "跨年度的培训", "40");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_OK, "a 2024 teacher training");
	snprintf(id, sizeof id, "%s", r.id);
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-03-05", "teacher", "跨年度的培训", "40");
	snprintf(r.id, sizeof r.id, "%s", id);
	check_result_init(&res);
	is_int(ledger_check(lg, &r, &res), KP_OK, "preview of moving it to 2025");
	ok(impact_in(&res, "teacher_training", 2025) == 40,
	   "2025's teacher training +40 (%g)", impact_in(&res, "teacher_training", 2025));
	ok(impact_in(&res, "teacher_training", 2024) == -40,
	   "2024's teacher training -40 (%g)", impact_in(&res, "teacher_training", 2024));
	check_result_free(&res);
	record_free(&r);

	training(&r, "2024-05-09", "official", "跨年度的干部培训", "30");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_OK, "a 2024 cadre training");
	snprintf(id2, sizeof id2, "%s", r.id);
	check_result_free(&res);
	record_free(&r);
	training(&r, "2025-03-06", "official", "跨年度的干部培训", "30");
	snprintf(r.id, sizeof r.id, "%s", id2);
	check_result_init(&res);
	is_int(ledger_check(lg, &r, &res), KP_OK, "preview of moving it to 2025");
	ok(impact_in(&res, "official_training", 2025) == 0 &&
	   isnan(impact_in(&res, "official_training", 2024)),
	   "the plan total does not move within the plan (%g, %g)",
	   impact_in(&res, "official_training", 2025),
	   impact_in(&res, "official_training", 2024));
	check_result_free(&res);
	record_free(&r);
	/* The later tests count 2024 as empty. */
	ok(ledger_delete(lg, id, 1, NULL) == KP_OK && ledger_delete(lg, id2, 1, NULL) == KP_OK,
	   "both deleted again");
}

static void test_delete(struct ledger *lg, const char *id)
{
	struct record got;
	struct check_result res;
	struct record r;
	size_t live0, del0, live, del;

	ledger_counts(lg, &live0, &del0);
	is_int(ledger_delete(lg, id, 3, NULL), KP_OK, "delete");
	record_init(&got);
	is_int(ledger_get(lg, id, &got), KP_OK, "a tombstone can be read");
	ok(got.deleted, "marked deleted");
	is_int(got.rev, 4, "with a new revision");
	record_free(&got);
	ok(total_sum(lg, 2025, "anhai", "worker_training", NULL) == 0,
	   "its contribution left the totals");
	ledger_counts(lg, &live, &del);
	ok(live == live0 - 1 && del == del0 + 1, "counts: one live fewer, "
	   "one tombstone more (%zu/%zu)", live, del);
	is_int(ledger_delete(lg, id, 4, NULL), KP_NOTFOUND, "delete twice");
	training(&r, "2025-03-05", "worker", "x", "1");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 4, &r, &res, NULL), KP_NOTFOUND,
	       "edit of a deleted record");
	check_result_free(&res);
	record_free(&r);
}

/* ---- warnings ------------------------------------------------------------- */

static void test_warnings(struct ledger *lg)
{
	struct quota_row q[2] = {
		{ 2025, "anhai", "worker_training", 100 },
		{ 2021, "anhai", "official_training", 450 },
	};
	struct record r;
	struct check_result res;
	char first[RECORD_ID_LEN + 1];
	double target = 0;
	int i;

	add_training(lg, "2025-04-01", "other", "安全生产讲座", "20", first);
	training(&r, "2025-04-01", "other", "安全生产讲座", "25");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_OK, "a likely duplicate is stored");
	ok(has_kind(&res, FK_DUPLICATE, SEV_WARNING), "with a warning");
	ok(strstr(kind_msg(&res, FK_DUPLICATE), first) != NULL,
	   "naming the existing record: %s", kind_msg(&res, FK_DUPLICATE));
	check_result_free(&res);
	record_free(&r);

	/* Two stored already: one warning, naming the earliest, counting the
	 * other. */
	training(&r, "2025-04-01", "other", "安全生产讲座", "30");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	{
		size_t k, n = 0;

		for (k = 0; k < res.nfindings; k++)
			n += res.findings[k].kind == FK_DUPLICATE;
		is_int(n, 1, "a third: one warning for the two stored");
	}
	ok(strstr(kind_msg(&res, FK_DUPLICATE), first) != NULL &&
	   strstr(kind_msg(&res, FK_DUPLICATE), ", and 1 more of that date and title"),
	   "the earliest named, the other counted: %s", kind_msg(&res, FK_DUPLICATE));
	ok(res.nfindings && strcmp(res.findings[0].ref, first) == 0,
	   "its reference is the earliest");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-04-02", "other", "安全生产讲座", "25");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(!has_kind(&res, FK_DUPLICATE, SEV_WARNING),
	   "another date is no duplicate");
	check_result_free(&res);
	record_free(&r);

	is_int(ledger_set_quotas(lg, q, 2), KP_OK, "set quotas");
	ok(ledger_quota(lg, 2025, "anhai", "worker_training", &target) == KP_OK
	   && target == 100, "quota read back");
	ok(ledger_quota(lg, 2023, "anhai", "official_training", &target) == KP_OK
	   && target == 450, "plan-period quota for any year");
	is_int(ledger_quota(lg, 2024, "anhai", "worker_training", &target),
	       KP_NOTFOUND, "no quota for another year");

	training(&r, "2025-05-01", "worker", "大型培训", "60");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(has_kind(&res, FK_IMPLAUSIBLE, SEV_WARNING),
	   "more than half the quota in one record: %s",
	   kind_msg(&res, FK_IMPLAUSIBLE));
	ok(res.nimpacts == 1 && res.impacts[0].has_target
	   && res.impacts[0].target == 100, "impact carries the quota");
	ok(!check_has_errors(&res), "it is only a warning");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-05-01", "worker", "小型培训", "50");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(!has_kind(&res, FK_IMPLAUSIBLE, SEV_WARNING),
	   "exactly half is plausible");
	check_result_free(&res);
	record_free(&r);

	for (i = 0; i < 3; i++) {
		char t[32];

		snprintf(t, sizeof t, "教师培训 %d", i);
		add_training(lg, "2025-06-01", "teacher", t, "10", NULL);
	}
	training(&r, "2025-06-02", "teacher", "教师大会", "51");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(has_kind(&res, FK_IMPLAUSIBLE, SEV_WARNING),
	   "more than 5 times the largest earlier record: %s",
	   kind_msg(&res, FK_IMPLAUSIBLE));
	check_result_free(&res);
	record_free(&r);
	training(&r, "2025-06-02", "teacher", "教师大会", "50");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(!has_kind(&res, FK_IMPLAUSIBLE, SEV_WARNING), "5 times is plausible");
	check_result_free(&res);
	record_free(&r);
}

/* ---- verify --------------------------------------------------------------- */

struct tamper {
	double sum;
	bool extra;
};

static int tamper_txn(struct store_txn *t, void *ctx)
{
	struct tamper *tp = ctx;
	struct ledger_total tot = { tp->sum, 3, 10 };
	static const char key[] = "2025\0anhai\0teacher_training";
	static const char extra[] = "2024\0anhai\0worker_training";

	if (tp->extra)
		return store_put(t, DB_TOTALS, extra, sizeof extra - 1, &tot,
		                 sizeof tot);
	return store_put(t, DB_TOTALS, key, sizeof key - 1, &tot, sizeof tot);
}

static int untamper_txn(struct store_txn *t, void *ctx)
{
	static const char extra[] = "2024\0anhai\0worker_training";

	(void)ctx;
	return store_del(t, DB_TOTALS, extra, sizeof extra - 1, NULL, 0);
}

static void test_verify(struct ledger *lg)
{
	struct tamper tp = { 31, false };
	int msgs;

	is_int(verify(lg, &msgs), KP_OK, "verify: all totals agree");
	is_int(msgs, 0, "no messages");
	is_int(store_write(lg->st, tamper_txn, &tp), KP_OK, "corrupt a total");
	is_int(verify(lg, &msgs), KP_E_DATA, "verify finds it");
	is_int(msgs, 1, "one message");
	tp.sum = 30;
	store_write(lg->st, tamper_txn, &tp);
	is_int(verify(lg, &msgs), KP_OK, "agrees again once repaired");
	tp.extra = true;
	store_write(lg->st, tamper_txn, &tp);
	is_int(verify(lg, &msgs), KP_E_DATA, "a total no record explains");
	store_write(lg->st, untamper_txn, NULL);
	is_int(verify(lg, &msgs), KP_OK, "clean again");
}

/* ---- batches and listing -------------------------------------------------- */

static void test_add_many(struct ledger *lg)
{
	struct record recs[45], got;
	struct check_result res[45];
	struct snapshot s;
	size_t i, live0, live;
	char title[32];

	ledger_counts(lg, &live0, NULL);
	for (i = 0; i < 45; i++) {
		snprintf(title, sizeof title, "批量 %02zu", i);
		training(&recs[i], "2025-02-10", "other", title, "5");
		check_result_init(&res[i]);
	}
	record_set(&recs[44], "participants", "zero");
	snprintf(recs[0].id, sizeof recs[0].id, "01ARZ3NDEKTSV4RRFFQ69G5FAV");
	snap(lg, &s);
	is_int(ledger_add_many(lg, recs, 45, res), KP_E_DATA,
	       "a batch with one bad row is refused");
	ok(check_has_errors(&res[44]) && !check_has_errors(&res[0]),
	   "the findings point at the bad row");
	ok(snap_same(lg, &s), "nothing of the batch was stored");
	ok(recs[0].id[0] == 0, "no ids handed out (a stale one is cleared)");

	record_set(&recs[44], "participants", "5");
	record_set(&recs[44], "title", "批量 03");
	for (i = 0; i < 45; i++) {
		check_result_free(&res[i]);
		check_result_init(&res[i]);
	}
	is_int(ledger_add_many(lg, recs, 45, res), KP_OK, "the mended batch");
	ledger_counts(lg, &live, NULL);
	is_int(live, live0 + 45, "all 45 stored");
	ok(has_kind(&res[44], FK_DUPLICATE, SEV_WARNING)
	   && strstr(kind_msg(&res[44], FK_DUPLICATE), "row 4"),
	   "a duplicate within the batch is warned of: %s",
	   kind_msg(&res[44], FK_DUPLICATE));
	ok(!has_kind(&res[3], FK_DUPLICATE, SEV_WARNING),
	   "the first of the pair is not");
	ok(strcmp(recs[0].id, recs[44].id) < 0, "ids follow the batch order");
	record_init(&got);
	is_int(ledger_get(lg, recs[44].id, &got), KP_OK,
	       "the id handed out is the stored record's");
	ok(got.rev == 1 && record_get(&got, "title")
	   && strcmp(record_get(&got, "title"), "批量 03") == 0,
	   "with the row's fields, revision 1");
	record_free(&got);
	for (i = 0; i < 45; i++) {
		check_result_free(&res[i]);
		record_free(&recs[i]);
	}
}

struct page {
	char ids[25][RECORD_ID_LEN + 1];
	size_t n;
	bool sorted;
};

static int page_fn(void *ctx, const struct record *rec)
{
	struct page *p = ctx;

	if (p->n > 0 && strcmp(p->ids[p->n - 1], rec->id) <= 0)
		p->sorted = false;
	if (p->n < 25)
		snprintf(p->ids[p->n++], RECORD_ID_LEN + 1, "%s", rec->id);
	return KP_OK;
}

static size_t count_list(struct ledger *lg, const struct ledger_query *q)
{
	struct ledger_query all = *q;
	size_t n = 0;
	char after[RECORD_ID_LEN + 1] = "";
	struct page p;

	all.limit = 20;
	do {
		memset(&p, 0, sizeof p);
		p.sorted = true;
		all.after_id = after[0] ? after : NULL;
		if (ledger_list(lg, &all, page_fn, &p) != KP_OK || !p.sorted)
			return (size_t)-1;
		n += p.n;
		if (p.n)
			snprintf(after, sizeof after, "%s", p.ids[p.n - 1]);
	} while (p.n == 20);
	return n;
}

static void test_list(struct ledger *lg)
{
	struct ledger_query q = { 0 };
	struct page p1, p2;
	size_t live, del;
	char newest[RECORD_ID_LEN + 1];

	add_training(lg, "2025-01-20", "other", "最新的一条", "3", newest);
	memset(&p1, 0, sizeof p1);
	p1.sorted = true;
	q.limit = 20;
	is_int(ledger_list(lg, &q, page_fn, &p1), KP_OK, "list a page");
	is_int(p1.n, 20, "a page of 20");
	ok(p1.sorted, "newest first");
	is_str(p1.ids[0], newest, "the newest record leads");
	memset(&p2, 0, sizeof p2);
	p2.sorted = true;
	q.after_id = p1.ids[19];
	ledger_list(lg, &q, page_fn, &p2);
	ok(p2.n == 20 && strcmp(p2.ids[0], p1.ids[19]) < 0,
	   "the next page starts strictly after the last id");
	q.after_id = NULL;

	ledger_counts(lg, &live, &del);
	is_int(count_list(lg, &q), live, "paging walks every live record");
	q.include_deleted = true;
	is_int(count_list(lg, &q), live + del, "and tombstones when asked");
	q.include_deleted = false;
	q.text = "批量";
	is_int(count_list(lg, &q), 45, "text filter");
	q.text = NULL;
	q.month = "2025-02";
	is_int(count_list(lg, &q), 45, "month filter");
	q.month = NULL;
	q.form = "demo";
	is_int(count_list(lg, &q), 0, "form filter");
	q.form = NULL;
	q.year = 2024;
	is_int(count_list(lg, &q), 0, "year filter");
}

/* ---- values, modes (drafts: t_ledger_save) ------------------------------- */

static void test_values(struct ledger *lg)
{
	double v = 0;

	is_int(ledger_value(lg, 2025, "science_literacy_rate", &v), KP_NOTFOUND,
	       "no survey value yet");
	is_int(ledger_set_value(lg, 2025, "science_literacy_rate", 16.5), KP_OK,
	       "set a survey value");
	ok(ledger_value(lg, 2025, "science_literacy_rate", &v) == KP_OK
	   && v == 16.5, "read it back");
	is_int(ledger_set_value(lg, 2025, "no_such", 1), KP_E_DATA,
	       "unknown indicator refused");
}

static void test_readonly_and_city(void)
{
	char path[160];
	struct ledger *lg = NULL;
	const struct township *tw[64];
	struct record r;
	struct check_result res;

	is_int(ledger_open(dbpath, true, &lg), KP_OK, "open read-only");
	training(&r, "2025-03-05", "teacher", "只读", "3");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_IO, "read-only refuses adds");
	is_int(ledger_townships(lg, tw, 64), 1, "a township db reports for one");
	check_result_free(&res);
	record_free(&r);
	ledger_close(lg);

	snprintf(path, sizeof path, "%s/city.db", dir);
	is_int(ledger_init(path, forms, NULL), KP_OK, "init a city db");
	ledger_open(path, false, &lg);
	if (!lg)
		return;
	is_int(lg->mode, LEDGER_CITY_MODE, "city mode");
	ok(ledger_townships(lg, tw, 64) == 20, "the city reports for 20 units");
	training(&r, "2025-03-05", "teacher", "市级", "3");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_DATA,
	       "city records need a township");
	ok(has_kind(&res, FK_TOWNSHIP, SEV_ERROR), "township finding");
	check_result_free(&res);
	check_result_init(&res);
	snprintf(r.township, sizeof r.township, "atlantis");
	is_int(ledger_add(lg, &r, &res), KP_E_DATA, "and a known one");
	check_result_free(&res);
	check_result_init(&res);
	snprintf(r.township, sizeof r.township, "cizao");
	is_int(ledger_add(lg, &r, &res), KP_OK, "a city db takes any township");
	is_int(total_sum(lg, 2025, "cizao", "teacher_training", NULL), 3,
	       "totals by township");
	check_result_free(&res);
	record_free(&r);
	ledger_close(lg);
}

int main(void)
{
	struct ledger *lg = NULL;
	char id[RECORD_ID_LEN + 1];

	if (lt_setup("t_ledger"))
		return 99;
	test_init();
	test_schema_copy_and_version();
	if (ledger_open(dbpath, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		return tap_done();
	}
	test_add(lg, id);
	test_edit(lg, id);
	test_edit_year(lg);
	test_delete(lg, id);
	test_warnings(lg);
	test_verify(lg);
	test_add_many(lg);
	test_list(lg);
	test_values(lg);
	ledger_close(lg);
	test_readonly_and_city();
	lt_cleanup();
	return tap_done();
}
