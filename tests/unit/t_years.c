/* t_years.c - closing a year: every path that changes records refuses a
 * record of a closed year (add, a batch, an edit into or out of the year,
 * a delete, a merge at the city) with one message, until it is reopened;
 * the year's state and its events; the city's decisions and what they
 * need; who has reported, and the marks an older city database gets. */
#include "config.h"

#include "ledger_test.h"
#include "store.h"

static int close_year(struct ledger *lg, int y)
{
	int rc = ledger_year_close(lg, y, NULL);

	if (rc != KP_OK)
		diag(kp_err_msg());
	return rc;
}

/* ---- the township --------------------------------------------------------- */

static void test_guard(struct ledger *lg)
{
	struct record r, cur;
	struct check_result res;
	struct snapshot s;
	char id25[RECORD_ID_LEN + 1], id24[RECORD_ID_LEN + 1];
	struct record many[2];
	struct check_result mres[2];

	is_int(add_training(lg, "2025-03-05", "teacher", "教师培训", "15", id25), KP_OK,
	       "a 2025 training");
	is_int(add_training(lg, "2024-03-05", "teacher", "去年培训", "10", id24), KP_OK,
	       "a 2024 training");
	is_int(close_year(lg, 2025), KP_OK, "close 2025");
	snap(lg, &s);

	training(&r, "2025-04-01", "teacher", "新培训", "5");
	check_result_init(&res);
	is_int(ledger_add(lg, &r, &res), KP_E_DATA, "add dated 2025: refused");
	ok(has_kind(&res, FK_CLOSED, SEV_ERROR), "with an FK_CLOSED error");
	ok(strstr(kind_msg(&res, FK_CLOSED), "year 2025 was closed") &&
	   strstr(kind_msg(&res, FK_CLOSED), "kepu reopen --year 2025"),
	   "naming the year and how to reopen: %s", kind_msg(&res, FK_CLOSED));
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-04-02", "teacher", "改", "20");
	check_result_init(&res);
	is_int(ledger_edit(lg, id25, 1, &r, &res, NULL), KP_E_DATA,
	       "edit of a 2025 record: refused");
	ok(has_kind(&res, FK_CLOSED, SEV_ERROR), "FK_CLOSED");
	check_result_free(&res);
	record_free(&r);

	training(&r, "2025-09-09", "teacher", "挪进来", "10");
	check_result_init(&res);
	is_int(ledger_edit(lg, id24, 1, &r, &res, NULL), KP_E_DATA,
	       "moving a 2024 record into 2025: refused");
	check_result_free(&res);
	record_free(&r);

	is_int(ledger_delete(lg, id25, 1, NULL), KP_E_DATA, "delete: refused");
	ok(strstr(kp_err_msg(), "year 2025 was closed") != NULL,
	   "with the message: %s", kp_err_msg());

	training(&many[0], "2024-05-01", "teacher", "批一", "3");
	training(&many[1], "2025-05-01", "teacher", "批二", "4");
	check_result_init(&mres[0]);
	check_result_init(&mres[1]);
	is_int(ledger_add_many(lg, many, 2, mres), KP_E_DATA,
	       "a batch with one 2025 row: refused whole");
	ok(!has_kind(&mres[0], FK_CLOSED, SEV_ERROR) &&
	   has_kind(&mres[1], FK_CLOSED, SEV_ERROR), "the 2025 row is the one named");
	check_result_free(&mres[0]);
	check_result_free(&mres[1]);
	record_free(&many[0]);
	record_free(&many[1]);
	ok(snap_same(lg, &s), "nothing changed");

	is_int(add_training(lg, "2024-06-01", "teacher", "去年补录", "2", NULL), KP_OK,
	       "2024 is open: an add is taken");
	is_int(ledger_year_reopen(lg, 2025, "", NULL), KP_E_DATA,
	       "reopen without a reason: refused");
	is_int(ledger_year_reopen(lg, 2025, "两行\n理由", NULL), KP_E_DATA,
	       "a reason of two lines: refused");
	is_int(ledger_year_reopen(lg, 2025, "录错了", NULL), KP_OK, "reopen with a reason");
	record_init(&cur);
	ledger_get(lg, id25, &cur);
	training(&r, "2025-04-02", "teacher", "改", "20");
	check_result_init(&res);
	is_int(ledger_edit(lg, id25, cur.rev, &r, &res, NULL), KP_OK,
	       "the edit is taken now");
	check_result_free(&res);
	record_free(&r);
	record_free(&cur);
	is_int(ledger_year_reopen(lg, 2025, "again", NULL), KP_E_DATA,
	       "reopening an open year: refused");
}

struct evlist {
	int n;
	char words[256];
};

static int ev_fn(void *ctx, const struct year_event *ev)
{
	struct evlist *l = ctx;

	l->n++;
	snprintf(l->words + strlen(l->words), sizeof l->words - strlen(l->words),
	         "%s%llu:%s:%d", l->n > 1 ? " " : "", (unsigned long long)ev->seq,
	         year_event_word(ev->kind), ev->year);
	return KP_OK;
}

struct logwords {
	char words[256];
};

static int year_log_fn(void *ctx, const struct ledger_log_entry *e)
{
	struct logwords *l = ctx;
	size_t n = strlen(l->words);

	if (e->nchanges == 1 && strcmp(e->changes[0].field, LEDGER_LOG_YEAR) == 0)
		snprintf(l->words + n, sizeof l->words - n, "%s%s:%s", n ? " " : "",
		         e->action, e->changes[0].after);
	return KP_OK;
}

/* The log, newest first: events made within one second too (times are
 * whole seconds), in the order they happened. */
static void test_log_order(struct ledger *lg)
{
	struct ledger_log_query q = { NULL, 0, false, 0, 0 };
	struct logwords l = { "" };

	is_int(ledger_log(lg, &q, year_log_fn, &l), KP_OK, "the log");
	is_str(l.words, "closed:2024 closed:2025 reopened:2025 录错了 closed:2025",
	       "its year events, newest first");
}

static void test_state(struct ledger *lg)
{
	struct year_state st;
	struct evlist l = { 0, "" };
	char text[256];
	int years[8];

	is_int(ledger_year_state(lg, "anhai", 2025, &st), KP_OK, "the state of 2025");
	ok(!st.closed && st.event.kind == YE_REOPENED && st.nevents == 2 &&
	   strcmp(st.event.reason, "录错了") == 0, "reopened, two events, with the reason");
	is_str(year_state_text(&st, text, sizeof text), "reopened: 录错了", "for people");
	is_int(ledger_year_close(lg, 2025, NULL), KP_OK, "closed again");
	is_int(ledger_year_close(lg, 2025, NULL), KP_NOTFOUND, "closing it twice: KP_NOTFOUND");
	ok(strstr(kp_err_msg(), "closed already") != NULL, "says so: %s", kp_err_msg());
	is_int(ledger_year_close(lg, 2026, NULL), KP_E_DATA, "a year not begun: refused");
	is_int(ledger_year_close(lg, 2020, NULL), KP_E_DATA, "a year before the plans: refused");
	is_int(close_year(lg, 2024), KP_OK, "close 2024 too");
	is_int((int)ledger_years_closed(lg, "anhai", years, 8), 2, "two years closed");
	ok(years[0] == 2024 && years[1] == 2025, "2024 and 2025, in order");
	ledger_year_events(lg, "anhai", false, 0, ev_fn, &l);
	is_str(l.words, "1:closed:2025 2:reopened:2025 3:closed:2025 4:closed:2024",
	       "the events, numbered in order");
	memset(&l, 0, sizeof l);
	ledger_year_events(lg, "anhai", false, 3, ev_fn, &l);
	is_str(l.words, "4:closed:2024", "those after 3 (what the next bundle sends)");
	is_int(ledger_year_decide(lg, "anhai", 2025, YE_APPROVED, NULL, NULL), KP_E_USAGE,
	       "a township database does not decide");
}

/* ---- the city ------------------------------------------------------------- */

static void mk_event(struct year_event *ev, enum year_event_kind k, uint64_t seq,
                     const char *reason)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = k;
	snprintf(ev->township, sizeof ev->township, "anhai");
	ev->year = 2025;
	ev->seq = seq;
	snprintf(ev->by, sizeof ev->by, "clerk");
	ev->at = 1760000000 + (int64_t)seq;
	snprintf(ev->reason, sizeof ev->reason, "%s", reason);
}

/* Revision rev of record id, changed at Unix time changed (the closes of
 * mk_event are at 1760000000 + their number), merged with mb. */
static int merge1(struct ledger *city, const char *id, uint32_t rev,
                  int64_t changed, struct merge_bundle *mb,
                  enum merge_outcome *out, struct check_result *res)
{
	struct record r;
	int rc;

	training(&r, "2025-06-01", "teacher", "合并", rev == 1 ? "12" : "13");
	snprintf(r.id, sizeof r.id, "%s", id);
	snprintf(r.township, sizeof r.township, "anhai");
	snprintf(r.created_by, sizeof r.created_by, "clerk");
	snprintf(r.changed_by, sizeof r.changed_by, "clerk");
	r.created_at = 1750000000;
	r.changed_at = changed;
	r.rev = rev;
	check_result_init(res);
	rc = ledger_merge_bundle(city, &r, 1, mb, false, out, res, NULL, NULL);
	record_free(&r);
	return rc;
}

#define BEFORE INT64_C(1750000000)   /* before every close */
#define AFTER INT64_C(1770000000)    /* after every close */

static void test_city(void)
{
	struct ledger *city = NULL;
	struct year_event ev[3];
	struct merge_bundle mb = { "anhai", ev, 1, NULL, 0, 0, false };
	int years[2] = { 2023, 2024 };
	struct check_result res;
	enum merge_outcome out;
	struct year_state st;
	char path[200], id[RECORD_ID_LEN + 1];
	bool yes;

	snprintf(path, sizeof path, "%s/city.kepu", dir);
	if (ledger_init(path, forms, NULL) != KP_OK ||
	    ledger_open(path, false, &city) != KP_OK) {
		ok(0, "a city database: %s", kp_err_msg());
		return;
	}
	ledger_reported(city, "anhai", 2025, &yes);
	ok(!yes, "nothing received: anhai has not reported for 2025");
	is_int(ledger_year_decide(city, "anhai", 2025, YE_APPROVED, NULL, NULL), KP_E_DATA,
	       "approving a year never closed: refused");
	record_new_id(id);
	mk_event(&ev[0], YE_CLOSED, 1, "");
	mb.years = years;
	mb.nyears = 2;
	is_int(merge1(city, id, 1, BEFORE, &mb, &out, &res), KP_OK,
	       "a bundle with a record and its close");
	is_int(out, MERGE_NEW, "the record is taken: it was changed before the close");
	check_result_free(&res);
	is_int((int)mb.events_new, 1, "one new event");
	ledger_reported(city, "anhai", 2025, &yes);
	ok(yes, "anhai has reported for 2025 (its record's year)");
	ledger_reported(city, "anhai", 2023, &yes);
	ok(yes, "and for 2023 (its progress report's)");
	ledger_reported(city, "chendai", 2025, &yes);
	ok(!yes, "chendai has not");

	mb.nevents = 0;
	is_int(merge1(city, id, 2, BEFORE + 1, &mb, &out, &res), KP_OK,
	       "a revision made before the close, in a bundle after it: taken");
	is_int(out, MERGE_UPDATED, "it is in the figures the township closed");
	check_result_free(&res);
	is_int(merge1(city, id, 3, AFTER, &mb, &out, &res), KP_E_DATA,
	       "a revision of a 2025 record made after the close: refused");
	is_int(out, MERGE_REJECTED, "rejected");
	ok(has_kind(&res, FK_CLOSED, SEV_ERROR) &&
	   strstr(kind_msg(&res, FK_CLOSED), "arrived after the close"),
	   "as late: %s", kind_msg(&res, FK_CLOSED));
	check_result_free(&res);

	is_int(ledger_year_decide(city, "anhai", 2025, YE_RETURNED, "", NULL), KP_E_DATA,
	       "a return needs a reason");
	is_int(ledger_year_decide(city, "anhai", 2025, YE_RETURNED, "核对", NULL), KP_OK,
	       "return the closed year");
	is_int(ledger_year_decide(city, "anhai", 2025, YE_RETURNED, "核对", NULL),
	       KP_NOTFOUND, "the same again: nothing to do");
	ledger_year_state(city, "anhai", 2025, &st);
	ok(st.closed && st.decision_current && st.decision.kind == YE_RETURNED &&
	   st.decision.close_seq == 1, "returned, judging close 1");

	mk_event(&ev[0], YE_REOPENED, 2, "补");
	mk_event(&ev[1], YE_CLOSED, 3, "");
	mb.nevents = 2;
	is_int(merge1(city, id, 3, AFTER, &mb, &out, &res), KP_OK,
	       "the revision with a reopening the city had not had: taken");
	is_int(out, MERGE_UPDATED, "stored");
	check_result_free(&res);
	ledger_year_state(city, "anhai", 2025, &st);
	ok(st.closed && st.event.seq == 3 && !st.decision_current,
	   "closed again (3), the return no longer current");
	is_int(ledger_year_decide(city, "anhai", 2025, YE_APPROVED, NULL, NULL), KP_OK,
	       "approve close 3");
	mb.nevents = 0;
	is_int(merge1(city, id, 4, BEFORE + 2, &mb, &out, &res), KP_E_DATA,
	       "once approved, even a revision made before the close is refused");
	ok(has_kind(&res, FK_CLOSED, SEV_ERROR), "as a change to a closed year");
	check_result_free(&res);

	mk_event(&ev[0], YE_CLOSED, 3, "different");
	mb.nevents = 1;
	is_int(merge1(city, id, 4, AFTER, &mb, &out, &res), KP_E_DATA,
	       "an event number received with other contents: refused");
	check_result_free(&res);
	mk_event(&ev[0], YE_CLOSED, 9, "");
	snprintf(ev[0].township, sizeof ev[0].township, "chendai");
	is_int(merge1(city, id, 4, AFTER, &mb, &out, &res), KP_E_DATA,
	       "another township's event: refused");
	check_result_free(&res);
	ledger_close(city);
}

static int unmark_txn(struct store_txn *t, void *ctx)
{
	int rc;

	(void)ctx;
	rc = store_del(t, DB_META, "reported_marks", 14, NULL, 0);
	return rc ? rc : store_clear(t, DB_YEARS);
}

/* A city database from before the marks: every township counts as
 * reported until it is opened for writing, then its records say. */
static void test_upgrade(void)
{
	struct ledger *city = NULL;
	struct record r;
	struct check_result res;
	char path[200];
	bool yes = false;
	struct store *st;

	snprintf(path, sizeof path, "%s/old-city.kepu", dir);
	if (ledger_init(path, forms, NULL) != KP_OK ||
	    ledger_open(path, false, &city) != KP_OK) {
		ok(0, "a city database: %s", kp_err_msg());
		return;
	}
	training(&r, "2025-02-02", "teacher", "市里录入", "4");
	snprintf(r.township, sizeof r.township, "chendai");
	check_result_init(&res);
	is_int(ledger_add(city, &r, &res), KP_OK, "a record typed in at the city");
	check_result_free(&res);
	record_free(&r);
	ledger_reported(city, "chendai", 2025, &yes);
	ok(yes, "counts as reported for its year");
	ledger_close(city);

	/* Take the marks away, as a database made before them has none. */
	if (store_open(path, 0, &st) != KP_OK ||
	    store_write(st, unmark_txn, NULL) != KP_OK) {
		ok(0, "take the marks away: %s", kp_err_msg());
		store_close(st);
		return;
	}
	store_close(st);
	if (ledger_open(path, true, &city) != KP_OK) {
		ok(0, "open it read-only: %s", kp_err_msg());
		return;
	}
	ledger_reported(city, "anhai", 2025, &yes);
	ok(yes, "read-only, without marks: every township counts as reported, as before");
	ledger_close(city);
	if (ledger_open(path, false, &city) != KP_OK) {
		ok(0, "open it for writing: %s", kp_err_msg());
		return;
	}
	ledger_reported(city, "anhai", 2025, &yes);
	ok(!yes, "opened for writing, it gets its marks: anhai has not reported");
	ledger_reported(city, "chendai", 2025, &yes);
	ok(yes, "chendai has, from its record");
	ledger_close(city);
}

int main(void)
{
	struct ledger *lg = NULL;

	if (lt_setup("t_years") != 0)
		return 99;
	setenv("KEPU_TODAY", "2025-12-20", 1);
	if (ledger_init(dbpath, forms, "anhai") != KP_OK ||
	    ledger_open(dbpath, false, &lg) != KP_OK) {
		ok(0, "a township database: %s", kp_err_msg());
		return tap_done();
	}
	test_guard(lg);
	test_state(lg);
	test_log_order(lg);
	ledger_close(lg);
	test_city();
	test_upgrade();
	lt_cleanup();
	return tap_done();
}
