/* t_ledger_sync.c - the change sequence, merging revisions made
 * elsewhere, and several clerks writing at once. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ledger_test.h"

/* ---- changes -------------------------------------------------------------- */

struct chg {
	uint64_t first, prev, n;
	bool ordered;
};

static int chg_fn(void *ctx, uint64_t seq, const struct record *rec)
{
	struct chg *c = ctx;

	(void)rec;
	if (!c->n)
		c->first = seq;
	if (c->n && seq <= c->prev)
		c->ordered = false;
	c->prev = seq;
	c->n++;
	return KP_OK;
}

static void test_changes(struct ledger *lg)
{
	struct chg c = { 0, 0, 0, true };
	uint64_t last = 0, before;
	char id[RECORD_ID_LEN + 1];

	is_int(ledger_changes(lg, 0, chg_fn, &c, &last), KP_OK, "changes");
	ok(c.n == last && c.first == 1 && c.ordered,
	   "every change from 1 to %llu, in order", (unsigned long long)last);
	before = last;
	add_training(lg, "2025-01-21", "other", "变更", "3", id);
	ledger_delete(lg, id, 1);
	memset(&c, 0, sizeof c);
	c.ordered = true;
	ledger_changes(lg, before, chg_fn, &c, &last);
	ok(c.n == 2 && c.first == before + 1 && last == before + 2,
	   "an add and a delete are two new changes after %llu",
	   (unsigned long long)before);
}

/* ---- merge ---------------------------------------------------------------- */

static void merge_rec(struct record *r, const char *id, uint32_t rev,
                      const char *n)
{
	training(r, "2025-07-01", "teacher", "合并", n);
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->township, sizeof r->township, "anhai");
	snprintf(r->created_by, sizeof r->created_by, "clerk2");
	snprintf(r->changed_by, sizeof r->changed_by, "clerk2");
	r->created_at = r->changed_at = 1750000000;
	r->rev = rev;
}

static void test_merge(struct ledger *lg)
{
	struct record r[5], got;
	struct check_result res[5];
	enum merge_outcome out[5];
	struct snapshot s;
	char a[RECORD_ID_LEN + 1], b[RECORD_ID_LEN + 1], c[RECORD_ID_LEN + 1];
	char d[RECORD_ID_LEN + 1];
	int i;

	record_new_id(a);
	record_new_id(b);
	record_new_id(c);
	record_new_id(d);
	merge_rec(&r[0], a, 1, "10");
	merge_rec(&r[1], b, 2, "20");
	merge_rec(&r[2], c, 3, "30");
	for (i = 0; i < 3; i++)
		check_result_init(&res[i]);
	snap(lg, &s);
	is_int(ledger_merge(lg, r, 3, true, out, res, NULL, NULL), KP_OK,
	       "dry run");
	ok(out[0] == MERGE_NEW && out[1] == MERGE_NEW && out[2] == MERGE_NEW,
	   "dry run says all are new");
	ok(snap_same(lg, &s), "dry run stores nothing");
	is_int(ledger_merge(lg, r, 3, false, out, res, NULL, NULL), KP_OK,
	       "merge three new records");
	is_int(total_sum(lg, 2025, "anhai", "teacher_training", NULL),
	       s.teacher + 60, "their totals count");
	record_init(&got);
	ledger_get(lg, b, &got);
	ok(got.rev == 2 && strcmp(got.changed_by, "clerk2") == 0,
	   "revision and who kept as given");
	record_free(&got);
	for (i = 0; i < 3; i++) {
		record_free(&r[i]);
		check_result_free(&res[i]);
		check_result_init(&res[i]);
	}

	merge_rec(&r[0], a, 1, "10");        /* unchanged */
	merge_rec(&r[1], b, 3, "25");        /* updated */
	merge_rec(&r[2], c, 2, "99");        /* stale */
	merge_rec(&r[3], a, 2, "10");        /* tombstone of a */
	r[3].deleted = true;
	merge_rec(&r[4], d, 1, "7");
	snprintf(r[4].township, sizeof r[4].township, "cizao");
	for (i = 3; i < 5; i++)
		check_result_init(&res[i]);
	snap(lg, &s);
	is_int(ledger_merge(lg, r, 5, false, out, res, NULL, NULL), KP_E_DATA,
	       "a record of another township rejects the whole merge");
	is_int(out[4], MERGE_REJECTED, "it is the rejected one");
	ok(snap_same(lg, &s), "nothing was stored");
	is_int(ledger_merge(lg, r, 4, false, out, res, NULL, NULL), KP_OK,
	       "merge the rest");
	is_int(out[0], MERGE_UNCHANGED, "same revision: unchanged");
	is_int(out[1], MERGE_UPDATED, "newer revision: updated");
	is_int(out[2], MERGE_STALE, "older revision: stale");
	is_int(out[3], MERGE_UPDATED, "tombstone: updated");
	is_int(total_sum(lg, 2025, "anhai", "teacher_training", NULL),
	       s.teacher - 10 + 5, "totals follow update and tombstone");
	record_init(&got);
	ledger_get(lg, c, &got);
	is_str(record_get(&got, "participants"), "30", "a stale revision is ignored");
	ledger_get(lg, a, &got);
	ok(got.deleted, "the tombstone deleted the record");
	record_free(&got);
	for (i = 0; i < 5; i++) {
		record_free(&r[i]);
		check_result_free(&res[i]);
	}
}

/* ---- several clerks at once ----------------------------------------------- */

static int child(const char *path, int k)
{
	struct ledger *lg;
	char title[64];
	int i;

	if (ledger_open(path, false, &lg) != KP_OK)
		return 1;
	for (i = 0; i < 250; i++) {
		snprintf(title, sizeof title, "并发 %d-%d", k, i);
		if (add_training(lg, "2025-09-01", "other", title, "1", NULL))
			return 2;
	}
	ledger_close(lg);
	return 0;
}

/* Four clerks add at once to a database whose map starts at 256 KiB:
 * writes serialise, and each process adopts the map another one grew. */
static void test_concurrency(void)
{
	struct ledger *lg = NULL;
	char path[160];
	pid_t pids[4];
	struct stat sb;
	size_t live0 = 0, live = 0;
	int i, st, good = 0, msgs;

	snprintf(path, sizeof path, "%s/busy.db", dir);
	setenv("KEPU_MAPSIZE", "262144", 1);
	is_int(ledger_init(path, forms, "cizao", 2025), KP_OK,
	       "init a database with a small map");
	if (ledger_open(path, true, &lg) != KP_OK)
		return;
	ledger_counts(lg, &live0, NULL);
	ledger_close(lg);
	fflush(stdout);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child(path, i));
	}
	for (i = 0; i < 4; i++)
		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i]
		    && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			good++;
	is_int(good, 4, "4 processes added 250 records each");
	if (ledger_open(path, false, &lg) != KP_OK)
		return;
	ledger_counts(lg, &live, NULL);
	is_int(live - live0, 1000, "1000 new live records");
	is_int(verify(lg, &msgs), KP_OK, "totals agree after concurrent adds");
	ledger_close(lg);
	unsetenv("KEPU_MAPSIZE");
	memset(&sb, 0, sizeof sb);
	stat(path, &sb);
	ok(sb.st_size > 262144, "the map grew past 256 KiB (%lld bytes)",
	   (long long)sb.st_size);
}

int main(void)
{
	struct ledger *lg = NULL;
	char id[RECORD_ID_LEN + 1];

	if (lt_setup("t_ledger_sync"))
		return 99;
	is_int(ledger_init(dbpath, forms, "anhai", 2025), KP_OK, "init");
	if (ledger_open(dbpath, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		return tap_done();
	}
	is_int(add_training(lg, "2025-03-05", "teacher", "起点", "30", id), KP_OK,
	       "a first record");
	test_changes(lg);
	test_merge(lg);
	ledger_close(lg);
	test_concurrency();
	lt_cleanup();
	return tap_done();
}
