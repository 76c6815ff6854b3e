/* t_ledger_save.c - saving as the entry screen does: a record checked once
 * (ledger_check, then ledger_add_checked / ledger_edit_checked), the
 * likely-duplicate warning saying which record it matches, the quota
 * effect of a delete, and drafts (several per account, one key each). */
#include "config.h"

#include "ledger_test.h"
#include "store.h"

/* ---- checked once --------------------------------------------------------- */

static void test_add_checked(struct ledger *lg)
{
	struct record r;
	struct check_result res;
	size_t live0, live, del;

	ledger_counts(lg, &live0, &del);
	training(&r, "2025-04-01", "worker", "电工培训", "20");
	check_result_init(&res);
	is_int(ledger_check(lg, &r, &res), KP_OK, "check");
	ok(res.has_checked && !has_kind(&res, FK_DUPLICATE, SEV_WARNING),
	   "no duplicate yet; the result remembers the record");
	/* The same record appears meanwhile: checking again would warn. */
	is_int(add_training(lg, "2025-04-01", "worker", "电工培训", "20", NULL),
	       KP_OK, "another session stores the same sheet");
	is_int(ledger_add_checked(lg, &r, &res), KP_OK, "add_checked stores");
	ok(!has_kind(&res, FK_DUPLICATE, SEV_WARNING),
	   "without checking again (the result is the one shown)");
	ok(res.nimpacts == 1 && res.impacts[0].delta == 20,
	   "the impacts of the check are kept for the clerk");
	ok(r.id[0] != '\0', "and the record has its id");
	ledger_counts(lg, &live, &del);
	is_int(live, live0 + 2, "both records are stored");
	check_result_free(&res);
	record_free(&r);

	/* Changed after the check: checked again, and now warned. */
	training(&r, "2025-04-02", "worker", "焊工培训", "20");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	record_set(&r, "date", "2025-04-01");
	record_set(&r, "title", "电工培训");
	is_int(ledger_add_checked(lg, &r, &res), KP_OK, "a changed record");
	ok(has_kind(&res, FK_DUPLICATE, SEV_WARNING),
	   "is checked again: %s", kind_msg(&res, FK_DUPLICATE));
	check_result_free(&res);
	record_free(&r);

	/* A result that never came from ledger_check: the checks run. */
	training(&r, "2025-13-01", "worker", "坏日期", "20");
	check_result_init(&res);
	is_int(ledger_add_checked(lg, &r, &res), KP_E_DATA,
	       "an unchecked record with an error is refused");
	ok(check_has_errors(&res), "and res says why");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-04-03", "worker", "", "20");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	is_int(ledger_add_checked(lg, &r, &res), KP_E_DATA,
	       "a checked record with errors is refused");
	check_result_free(&res);
	record_free(&r);
}

static void test_edit_checked(struct ledger *lg)
{
	struct record r, got;
	struct check_result res;
	char id[RECORD_ID_LEN + 1];

	add_training(lg, "2025-05-01", "worker", "钳工培训", "10", id);
	record_init(&r);
	record_init(&got);
	ledger_get(lg, id, &r);
	record_set(&r, "participants", "12");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	ok(res.nimpacts == 1 && res.impacts[0].delta == 2,
	   "an edit's check gives the change it makes");
	is_int(ledger_edit_checked(lg, id, 1, &r, &res, NULL), KP_OK,
	       "edit_checked stores");
	ledger_get(lg, id, &got);
	ok(got.rev == 2 && strcmp(record_get(&got, "participants"), "12") == 0,
	   "the new revision holds the change");
	check_result_free(&res);
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	is_int(ledger_edit_checked(lg, id, 1, &r, &res, &got), KP_E_TEMPFAIL,
	       "a stale base revision is still refused");
	is_int(got.rev, 2, "and the stored record handed back");
	check_result_free(&res);
	record_free(&r);
	record_free(&got);
}

/* ---- the duplicate says which record ---------------------------------------- */

static void test_duplicate_names(struct ledger *lg)
{
	struct record r;
	struct check_result res;
	char id[RECORD_ID_LEN + 1];
	const char *m;
	size_t i;

	add_training(lg, "2025-03-07", "teacher", "科学课教师培训", "9", id);
	training(&r, "2025-03-07", "teacher", "科学课教师培训", "11");
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	m = kind_msg(&res, FK_DUPLICATE);
	ok(strstr(m, "2025-03-07") && strstr(m, "科学课教师培训"),
	   "the warning names the date and title: %s", m);
	ok(strstr(m, record_current_user()) && strstr(m, "entered by"),
	   "who entered it");
	ok(strstr(m, "2025-") && strstr(m, ":"), "and when");
	for (i = 0; i < res.nfindings; i++)
		if (res.findings[i].kind == FK_DUPLICATE)
			break;
	ok(i < res.nfindings && strcmp(res.findings[i].ref, id) == 0,
	   "finding.ref is the matching record's id");
	lang_init("zh");
	check_result_free(&res);
	check_result_init(&res);
	ledger_check(lg, &r, &res);
	m = kind_msg(&res, FK_DUPLICATE);
	ok(strstr(m, "可能重复") && strstr(m, "录入"), "in Chinese: %s", m);
	lang_init("en");
	check_result_free(&res);
	record_free(&r);
}

/* ---- what a delete does to the quotas ------------------------------------ */

static void test_delete_impacts(struct ledger *lg)
{
	struct check_result res;
	char id[RECORD_ID_LEN + 1];
	double before;

	add_training(lg, "2025-02-10", "worker", "叉车培训", "40", id);
	before = total_sum(lg, 2025, "anhai", "worker_training", NULL);
	check_result_init(&res);
	is_int(ledger_delete(lg, id, 1, &res), KP_OK, "delete with impacts");
	ok(res.nimpacts == 1 && res.impacts[0].delta == -40 &&
	   res.impacts[0].achieved == before - 40 &&
	   strcmp(res.impacts[0].ind->id, "worker_training") == 0,
	   "the impact: -40, achieved after the delete (%g)",
	   res.nimpacts ? res.impacts[0].achieved : -1);
	is_int(res.nfindings, 0, "no warnings for a delete");
	check_result_free(&res);
}

/* ---- drafts ----------------------------------------------------------------- */

struct seen {
	int n;
	char keys[8][LEDGER_DRAFT_KEY_MAX + 1];
	char titles[8][64];
	int64_t at[8];
};

static int seen_fn(void *ctx, const char *key, const struct record *rec,
                   int64_t saved_at)
{
	struct seen *s = ctx;
	const char *t = record_get(rec, "title");

	if (s->n == 8)
		return KP_NOTFOUND;
	snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
	snprintf(s->titles[s->n], sizeof s->titles[0], "%s", t ? t : "");
	s->at[s->n++] = saved_at;
	return KP_OK;
}

struct legacy {
	const char *user;
	struct sbuf enc;
};

static int legacy_txn(struct store_txn *t, void *ctx)
{
	struct legacy *l = ctx;

	return store_put(t, DB_DRAFTS, l->user, strlen(l->user), l->enc.s,
	                 l->enc.len);
}

static void test_drafts(struct ledger *lg)
{
	struct record a, b, got;
	struct seen s;
	struct legacy old = { lg->user, { NULL, 0, 0 } };

	memset(&s, 0, sizeof s);
	is_int(ledger_drafts(lg, seen_fn, &s), KP_OK, "list with no drafts");
	is_int(s.n, 0, "none");
	training(&a, "2025-06-08", "teacher", "上午的签到表", "");
	training(&b, "2025-06-09", "worker", "下午的签到表", "");
	record_init(&got);
	is_int(ledger_draft_put(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA", &a), KP_OK,
	       "one session keeps a draft");
	is_int(ledger_draft_put(lg, "01JBBBBBBBBBBBBBBBBBBBBBBB", &b), KP_OK,
	       "another session of the same login keeps its own");
	is_int(ledger_draft_put(lg, "", &b), KP_E_USAGE, "a draft needs a key");
	memset(&s, 0, sizeof s);
	ledger_drafts(lg, seen_fn, &s);
	ok(s.n == 2 && strcmp(s.titles[0], "上午的签到表") == 0 &&
	   strcmp(s.titles[1], "下午的签到表") == 0,
	   "both are listed, oldest key first (%d)", s.n);
	ok(s.at[0] > 0, "with the time each was kept");
	is_int(ledger_draft_get(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA", &got), KP_OK,
	       "read one back by its key");
	is_str(record_get(&got, "title"), "上午的签到表", "its fields");
	record_set(&a, "venue", "会议室");
	ledger_draft_put(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA", &a);
	memset(&s, 0, sizeof s);
	ledger_drafts(lg, seen_fn, &s);
	is_int(s.n, 2, "keeping a draft again replaces only that one");
	is_int(ledger_draft_drop(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA"), KP_OK, "drop one");
	memset(&s, 0, sizeof s);
	ledger_drafts(lg, seen_fn, &s);
	ok(s.n == 1 && strcmp(s.titles[0], "下午的签到表") == 0,
	   "the other one stays");
	is_int(ledger_draft_get(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA", &got),
	       KP_NOTFOUND, "the dropped one is gone");
	is_int(ledger_draft_drop(lg, "01JAAAAAAAAAAAAAAAAAAAAAAA"), KP_OK,
	       "dropping nothing is fine");

	/* A draft an older kepu kept: the bare record under the user name. */
	record_encode(&a, &old.enc);
	store_write(lg->st, legacy_txn, &old);
	sbuf_free(&old.enc);
	memset(&s, 0, sizeof s);
	ledger_drafts(lg, seen_fn, &s);
	ok(s.n == 2 && strcmp(s.keys[0], "") == 0 &&
	   strcmp(s.titles[0], "上午的签到表") == 0 && s.at[0] == 0,
	   "an older kepu's draft is listed with the key \"\"");
	is_int(ledger_draft_get(lg, "", &got), KP_OK, "and can be read");
	is_int(ledger_draft_drop(lg, ""), KP_OK, "and dropped");
	is_int(ledger_draft_drop(lg, "01JBBBBBBBBBBBBBBBBBBBBBBB"), KP_OK,
	       "drop the last");
	memset(&s, 0, sizeof s);
	ledger_drafts(lg, seen_fn, &s);
	is_int(s.n, 0, "no drafts left");
	record_free(&a);
	record_free(&b);
	record_free(&got);
}

int main(void)
{
	struct ledger *lg = NULL;

	if (lt_setup("t_ledger_save"))
		return 99;
	if (ledger_init(dbpath, forms, "anhai") != KP_OK ||
	    ledger_open(dbpath, false, &lg) != KP_OK) {
		ok(0, "init and open: %s", kp_err_msg());
		return tap_done();
	}
	test_add_checked(lg);
	test_edit_checked(lg);
	test_duplicate_names(lg);
	test_delete_impacts(lg);
	test_drafts(lg);
	ledger_close(lg);
	lt_cleanup();
	return tap_done();
}
