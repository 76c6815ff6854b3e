/* t_ledger_sync.c - the change sequence and how a revision is stored (each
 * once, with its audit entry), adding rows in one transaction, merging
 * revisions made elsewhere, and several clerks writing at once. */
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
	ledger_delete(lg, id, 1, NULL);
	memset(&c, 0, sizeof c);
	c.ordered = true;
	ledger_changes(lg, before, chg_fn, &c, &last);
	ok(c.n == 2 && c.first == before + 1 && last == before + 2,
	   "an add and a delete are two new changes after %llu",
	   (unsigned long long)before);
	memset(&c, 0, sizeof c);
	c.ordered = true;
	last = 0;
	is_int(ledger_changes_latest(lg, before, chg_fn, &c, &last), KP_OK,
	       "the newest revisions after it");
	ok(c.n == 1 && c.first == before + 2 && last == before + 2,
	   "only the tombstone, the record's newest (%zu from %llu)", (size_t)c.n,
	   (unsigned long long)c.first);
	add_training(lg, "2025-01-22", "other", "另一条", "3", id);
	memset(&c, 0, sizeof c);
	c.ordered = true;
	ledger_changes_latest(lg, 0, chg_fn, &c, &last);
	ok(c.n == 3 && c.ordered && last == before + 3,
	   "from the start: each of the three records once, in order (%zu)", (size_t)c.n);
	ledger_changes_latest(lg, last, chg_fn, &c, &last);
	ok(c.n == 3 && last == before + 3, "after the last change: none, and last stays");
}

/* ---- how revisions are stored --------------------------------------------- */

struct probe {
	const char *id;
	uint64_t seq;           /* DB_RECORDS' pointer, 0 when not 8 bytes */
	uint32_t rev;           /* of the revision it points to */
	char audit[64];         /* "KA2 action id before=N" of that revision */
	uint64_t before;
	uint32_t before_rev;
};

static uint64_t be64(const unsigned char *p)
{
	return store_from_be64(p);
}

/* Decode the audit entry under key seq into "KA2 action id" and before. */
static bool read_audit(struct store_txn *t, uint64_t seq, struct probe *p)
{
	unsigned char key[8];
	const unsigned char *a;
	const void *v;
	size_t vn, at, i, len, w = 0;

	store_be64(seq, key);
	if (store_get(t, DB_AUDIT, key, 8, &v, &vn) != KP_OK || vn < 3 + 8 + 12 + 8)
		return false;
	a = v;
	if (memcmp(a, "KA2", 3) != 0)
		return false;
	w = (size_t)snprintf(p->audit, sizeof p->audit, "KA2");
	at = 3 + 8;
	for (i = 0; i < 3; i++) {
		if (at + 4 > vn)
			return false;
		len = (size_t)a[at] << 24 | (size_t)a[at + 1] << 16
		      | (size_t)a[at + 2] << 8 | a[at + 3];
		at += 4;
		if (at + len > vn)
			return false;
		if (i > 0 && w < sizeof p->audit)
			w += (size_t)snprintf(p->audit + w, sizeof p->audit - w,
			                      " %.*s", (int)len, (const char *)a + at);
		at += len;
	}
	if (at + 8 != vn)
		return false;
	p->before = be64(a + at);
	return true;
}

static uint32_t rev_at(struct store_txn *t, uint64_t seq)
{
	unsigned char key[8];
	struct record r;
	const void *v;
	size_t vn;
	uint32_t rev = 0;

	store_be64(seq, key);
	record_init(&r);
	if (store_get(t, DB_CHANGES, key, 8, &v, &vn) == KP_OK
	    && record_decode(v, vn, &r) == KP_OK)
		rev = r.rev;
	record_free(&r);
	return rev;
}

static int probe_txn(struct store_txn *t, void *ctx)
{
	struct probe *p = ctx;
	const void *v;
	size_t vn;

	p->seq = 0;
	p->audit[0] = 0;
	if (store_get(t, DB_RECORDS, p->id, strlen(p->id), &v, &vn) != KP_OK
	    || vn != 8)
		return KP_OK;
	p->seq = be64(v);
	p->rev = rev_at(t, p->seq);
	if (read_audit(t, p->seq, p) && p->before)
		p->before_rev = rev_at(t, p->before);
	return KP_OK;
}

/* A record entry holding the record itself instead of a pointer to its
 * revision: a damaged database. */
static int inline_txn(struct store_txn *t, void *ctx)
{
	struct record *r = ctx;
	struct sbuf enc = { 0 };
	int rc = record_encode(r, &enc);

	if (!rc)
		rc = store_put(t, DB_RECORDS, r->id, strlen(r->id), enc.s, enc.len);
	sbuf_free(&enc);
	return rc;
}

static void test_storage(struct ledger *lg)
{
	char id[RECORD_ID_LEN + 1];
	struct probe p = { id, 0, 0, "", 0, 0 };
	struct record r, got;
	struct check_result res;
	char want[64];

	add_training(lg, "2025-04-02", "other", "存储", "4", id);
	store_read(lg->st, probe_txn, &p);
	ok(p.seq == last_change(lg) && p.rev == 1,
	   "a record is stored once: its key points to change %llu",
	   (unsigned long long)p.seq);
	snprintf(want, sizeof want, "KA2 add %s", id);
	is_str(p.audit, want, "the audit entry of an add, under the same number");
	ok(p.before == 0, "refers to no earlier revision");

	training(&r, "2025-04-02", "other", "存储", "6");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 1, &r, &res, NULL), KP_OK, "edit it");
	store_read(lg->st, probe_txn, &p);
	snprintf(want, sizeof want, "KA2 edit %s", id);
	is_str(p.audit, want, "the audit entry of the edit");
	ok(p.rev == 2 && p.before && p.before_rev == 1,
	   "after is revision 2, before (change %llu) revision 1",
	   (unsigned long long)p.before);
	record_init(&got);
	ledger_get(lg, id, &got);
	is_str(record_get(&got, "participants"), "6", "the record reads back");
	record_free(&got);
	check_result_free(&res);
	record_free(&r);

	/* a tombstone, so that it needs no index entries or totals */
	training(&r, "2025-04-03", "other", "就地", "2");
	record_new_id(r.id);
	snprintf(r.township, sizeof r.township, "anhai");
	r.rev = 2;
	r.deleted = true;
	store_write(lg->st, inline_txn, &r);
	record_init(&got);
	is_int(ledger_get(lg, r.id, &got), KP_E_DATA,
	       "a record entry that is not a pointer to a revision is refused");
	record_free(&got);
	record_free(&r);
}

/* ---- adding rows one at a time -------------------------------------------- */

struct rows {
	struct record *recs;
	size_t n, calls, runs, restarts;
	size_t found[64], nfound;
	char msg[64][160];
	bool ordered, in_push;
	struct record rec;
	size_t pushed;          /* the row being pushed */
};

/* ledger_source_fn: the rows from the first, as a file would be read. */
static int row_src(void *ctx, ledger_push_fn push, void *pctx)
{
	struct rows *rw = ctx;
	size_t i;
	int rc = KP_OK;

	if (rw->runs++)
		rw->restarts++;
	for (i = 0; i < rw->n && !rc; i++) {
		rw->calls++;
		if ((rc = record_copy(&rw->rec, &rw->recs[i])))
			break;
		rw->pushed = i;
		rw->in_push = true;
		rc = push(pctx, &rw->rec);
		rw->in_push = false;
	}
	return rc;
}

static int found_fn(void *ctx, size_t i, const struct check_result *res)
{
	struct rows *rw = ctx;
	size_t k;

	if (rw->nfound && i <= rw->found[rw->nfound - 1])
		rw->ordered = false;
	if (!rw->in_push || i != rw->pushed)
		rw->ordered = false;   /* not the row just pushed */
	if (rw->nfound == 64)
		return KP_OK;
	rw->found[rw->nfound] = i;
	rw->msg[rw->nfound][0] = 0;
	for (k = 0; k < res->nfindings; k++)
		if (res->findings[k].kind == FK_DUPLICATE
		    || res->findings[k].sev == SEV_ERROR)
			snprintf(rw->msg[rw->nfound], sizeof rw->msg[0], "%s",
			         finding_msg(&res->findings[k]));
	rw->nfound++;
	return KP_OK;
}

static int add_rows(struct ledger *lg, struct rows *rw,
                    struct check_result *total, char first[RECORD_ID_LEN + 1])
{
	struct ledger_batch b = { .source = row_src, .sctx = rw, .found = found_fn,
	                          .fctx = rw };
	size_t n = 0;
	int rc;

	rw->runs = 0;
	record_init(&rw->rec);
	rc = ledger_add_rows(lg, &b, total, first, &n);
	record_free(&rw->rec);
	if (n != rw->n)
		rw->ordered = false;
	return rc;
}

static void rows_make(struct rows *rw, struct record *recs, size_t n)
{
	char title[32];
	size_t i;

	memset(rw, 0, sizeof *rw);
	rw->recs = recs;
	rw->n = n;
	rw->ordered = true;
	for (i = 0; i < n; i++) {
		snprintf(title, sizeof title, "逐行 %02zu", i);
		training(&recs[i], "2025-05-06", "teacher", title, "2");
	}
}

static void test_add_rows(struct ledger *lg)
{
	struct record recs[30];
	char first[RECORD_ID_LEN + 1], id[RECORD_ID_LEN + 1];
	struct check_result total;
	struct snapshot s;
	struct rows rw;
	struct record got;
	double teacher0;
	size_t i, live0, live;
	bool all = true;

	rows_make(&rw, recs, 30);
	record_set(&recs[7], "participants", "zero");
	record_set(&recs[20], "title", "逐行 05");
	snap(lg, &s);
	check_result_init(&total);
	is_int(add_rows(lg, &rw, &total, first), KP_E_DATA,
	       "rows with one bad row are refused");
	ok(snap_same(lg, &s), "nothing of them was stored");
	ok(rw.calls == 30, "every row was read once (%zu)", rw.calls);
	ok(rw.nfound == 2 && rw.found[0] == 7 && rw.found[1] == 20 && rw.ordered,
	   "findings of rows 7 and 20, in order, as each was pushed (%zu)",
	   rw.nfound);
	ok(rw.nfound == 2 && strstr(rw.msg[0], "zero"),
	   "the bad row's error: %s", rw.msg[0]);
	ok(rw.nfound == 2 && strstr(rw.msg[1], "row 6"),
	   "a duplicate of an earlier row, after the bad one: %s", rw.msg[1]);
	ok(first[0] == '\0', "no first id when nothing was stored");
	check_result_free(&total);

	record_set(&recs[7], "participants", "2");
	rw.calls = rw.nfound = 0;
	ledger_counts(lg, &live0, NULL);
	teacher0 = total_sum(lg, 2025, "anhai", "teacher_training", NULL);
	check_result_init(&total);
	is_int(add_rows(lg, &rw, &total, first), KP_OK, "the mended rows");
	ledger_counts(lg, &live, NULL);
	is_int(live, live0 + 30, "all 30 stored");
	record_init(&got);
	for (i = 0; i < 30; i++) {
		record_id_add(first, i, id);
		all = all && ledger_get(lg, id, &got) == KP_OK &&
		      strcmp(record_get(&got, "title"), record_get(&recs[i], "title")) == 0;
	}
	record_free(&got);
	ok(all && record_id_valid(first), "row i has the id i places after the first");
	ok(rw.nfound == 1 && rw.found[0] == 20,
	   "the duplicate's warning, once");
	ok(total.nimpacts == 1 && total.impacts[0].delta == 60
	   && total.impacts[0].achieved == teacher0 + 60,
	   "impacts added up: +60 to %g", teacher0 + 60);
	ok(total_sum(lg, 2025, "anhai", "teacher_training", NULL)
	   == teacher0 + 60, "and the total moved by 60");
	check_result_free(&total);
	for (i = 0; i < 30; i++)
		record_free(&recs[i]);
}

/* The rows of a file whose SHA-256 is given: the same file again is
 * refused, saying so, unless again; a file refused for its rows is not
 * remembered. */
static int add_file_as(struct ledger *lg, struct rows *rw, unsigned char tag,
                       unsigned char older, bool again, bool *loaded)
{
	unsigned char digest[32], seq[32];
	struct ledger_batch b = { .source = row_src, .sctx = rw, .digest = digest,
	                          .again = again, .loaded = loaded,
	                          .digest_seq = older ? seq : NULL };
	struct check_result total;
	char first[RECORD_ID_LEN + 1];
	int rc;

	memset(digest, tag, sizeof digest);
	memset(seq, older, sizeof seq);
	*loaded = false;
	check_result_init(&total);
	record_init(&rw->rec);
	rc = ledger_add_rows(lg, &b, &total, first, NULL);
	record_free(&rw->rec);
	check_result_free(&total);
	return rc;
}

static int add_file(struct ledger *lg, struct rows *rw, unsigned char tag,
                    bool again, bool *loaded)
{
	return add_file_as(lg, rw, tag, 0, again, loaded);
}

static void test_add_rows_file(struct ledger *lg)
{
	struct record recs[5];
	struct rows rw;
	struct snapshot s;
	size_t i, live0, live;
	bool loaded;

	rows_make(&rw, recs, 5);
	for (i = 0; i < 5; i++) {
		char title[32];

		snprintf(title, sizeof title, "同一文件 %zu", i);
		record_set(&recs[i], "title", title);
	}
	ledger_counts(lg, &live0, NULL);
	is_int(add_file(lg, &rw, 0xA1, false, &loaded), KP_OK, "a file's 5 rows");
	ok(!loaded, "not added before");
	snap(lg, &s);
	is_int(add_file(lg, &rw, 0xA1, false, &loaded), KP_E_DATA,
	       "the same file again is refused");
	ok(loaded && strstr(kp_err_msg(), "(5 rows, ids from "),
	   "saying it was added before: %s", kp_err_msg());
	ok(snap_same(lg, &s), "and storing nothing");
	is_int(add_file(lg, &rw, 0xA1, true, &loaded), KP_OK, "again, when asked");
	ledger_counts(lg, &live, NULL);
	is_int(live, live0 + 10, "5 and 5 stored");
	/* Another file (other titles: rows all stored already are refused
	 * for that, test_add_rows_stored). */
	for (i = 0; i < 5; i++) {
		char title[32];

		snprintf(title, sizeof title, "另一文件 %zu", i);
		record_set(&recs[i], "title", title);
	}
	record_set(&recs[2], "participants", "zero");
	is_int(add_file(lg, &rw, 0xB2, false, &loaded), KP_E_DATA,
	       "another file, with a bad row, refused");
	ok(!loaded, "for its row");
	record_set(&recs[2], "participants", "2");
	is_int(add_file(lg, &rw, 0xB2, false, &loaded), KP_OK,
	       "the same file mended is added: the refused one was not remembered");
	/* Rows an earlier kepu remembered under another digest (0xB2 here):
	 * refused by it too, and then remembered under the new one. */
	is_int(add_file_as(lg, &rw, 0xC3, 0xB2, false, &loaded), KP_E_DATA,
	       "the same rows under an earlier digest: refused");
	ok(loaded, "as added before");
	is_int(add_file_as(lg, &rw, 0xC3, 0xB2, true, &loaded), KP_OK,
	       "again, when asked");
	is_int(add_file_as(lg, &rw, 0xC3, 0xEE, false, &loaded), KP_E_DATA,
	       "then refused by the new digest");
	for (i = 0; i < 5; i++)
		record_free(&recs[i]);
}

/* A database that must grow in the middle: the rows are read again from
 * the first, findings still come once. */
static void test_add_rows_growth(void)
{
	static struct record recs[600];
	char first[RECORD_ID_LEN + 1];
	struct check_result total;
	struct ledger *lg = NULL;
	struct rows rw;
	char path[160];
	size_t live = 0, i;
	int msgs;

	snprintf(path, sizeof path, "%s/grow.db", dir);
	setenv("KEPU_MAPSIZE", "262144", 1);
	ledger_init(path, forms, "anhai");
	if (ledger_open(path, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		unsetenv("KEPU_MAPSIZE");
		return;
	}
	rows_make(&rw, recs, 600);
	record_set(&recs[599], "title", "逐行 01");
	check_result_init(&total);
	is_int(add_rows(lg, &rw, &total, first), KP_OK,
	       "600 rows into a small map");
	ok(rw.restarts > 0, "the transaction ran again (%zu times)", rw.restarts);
	ok(rw.nfound == 1 && rw.found[0] == 599, "findings given once");
	ledger_counts(lg, &live, NULL);
	is_int(live, 600, "600 stored");
	is_int(verify(lg, &msgs), KP_OK, "totals and indexes agree");
	check_result_free(&total);
	ledger_close(lg);
	unsetenv("KEPU_MAPSIZE");
	for (i = 0; i < 600; i++)
		record_free(&recs[i]);
}

/* More rows than one chunk of index entries holds (ledger_batch.c writes
 * them in key order when 65536 wait): a duplicate of a row written before
 * is found in the database, one of a row still waiting in the chunk.  A
 * record stored before the batch with an id after all of the batch's (made
 * by a clock ahead of this one) is still named. */
#define FAR_ID "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"

struct many_rows {
	size_t n, nfound, found[8], first[8];
	bool far[8];
	bool city;              /* rows 20, 40000 and 40001 are chendai's */
	struct record rec;
};

static int many_src(void *ctx, ledger_push_fn push, void *pctx)
{
	struct many_rows *m = ctx;
	char title[32];
	size_t i, t;
	int rc = KP_OK;

	for (i = 0; i < m->n && !rc; i++) {
		t = i == 40000 || i == 20 ? 3 : i == 40001 ? 39990 : i;
		snprintf(title, sizeof title, "第 %zu 期", t);
		record_free(&m->rec);   /* training() starts it afresh */
		training(&m->rec, "2025-05-06", "worker", title, "2");
		if (m->city)
			snprintf(m->rec.township, sizeof m->rec.township, "%s",
			         i == 20 || i == 40000 || i == 40001 ? "chendai"
			         : "anhai");
		rc = push(pctx, &m->rec);
	}
	return rc;
}

static int many_found(void *ctx, size_t i, const struct check_result *res)
{
	struct many_rows *m = ctx;
	const char *msg, *p;
	size_t k, at = m->nfound;

	if (at < 8) {
		m->found[at] = i;
		m->first[at] = 0;
		m->far[at] = false;
		for (k = 0; k < res->nfindings; k++) {
			msg = finding_msg(&res->findings[k]);
			if ((p = strstr(msg, "row ")) != NULL)
				m->first[at] = (size_t)strtoul(p + 4, NULL, 10);
			if (strstr(msg, FAR_ID))
				m->far[at] = true;
		}
	}
	m->nfound++;
	return KP_OK;
}

/* Anhai's record titled as row 3, with FAR_ID: an id after any made today. */
static void merge_far(struct ledger *lg, const char *name)
{
	struct check_result fres;
	struct record far;
	enum merge_outcome fout;

	training(&far, "2025-05-06", "worker", "第 3 期", "2");
	snprintf(far.id, sizeof far.id, "%s", FAR_ID);
	snprintf(far.township, sizeof far.township, "anhai");
	far.rev = 1;
	far.created_at = far.changed_at = 1750000000;
	check_result_init(&fres);
	is_int(ledger_merge(lg, &far, 1, false, &fout, &fres, NULL, NULL), KP_OK,
	       "%s", name);
	check_result_free(&fres);
	record_free(&far);
}

static void test_add_rows_chunks(void)
{
	struct many_rows m = { .n = 40002 };
	struct ledger_batch b = { .source = many_src, .sctx = &m,
	                          .found = many_found, .fctx = &m };
	struct check_result total;
	struct ledger *lg = NULL;
	char first[RECORD_ID_LEN + 1], path[160];
	size_t n = 0, live0 = 0, live = 0;
	int msgs;

	snprintf(path, sizeof path, "%s/chunks.db", dir);
	ledger_init(path, forms, "anhai");
	if (ledger_open(path, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		return;
	}
	record_init(&m.rec);
	merge_far(lg, "a record with an id after any made today");
	check_result_init(&total);
	ledger_counts(lg, &live0, NULL);
	is_int(ledger_add_rows(lg, &b, &total, first, &n), KP_OK, "40002 rows");
	ledger_counts(lg, &live, NULL);
	is_int(live - live0, 40002, "all stored");
	is_int(m.nfound, 4, "rows with findings: 3, 20, 40000, 40001");
	ok(m.found[0] == 3 && m.first[0] == 0 && m.far[0],
	   "row 3 is warned of the record stored before");
	ok(m.found[1] == 20 && m.first[1] == 4 && m.far[1],
	   "row 20 of it and of row 3 (still waiting: row %zu)", m.first[1]);
	ok(m.found[2] == 40000 && m.first[2] == 4 && m.far[2],
	   "row 40000 of the earliest of rows 3 and 20, written before "
	   "(%zu: row %zu), and of the record after the batch's ids",
	   m.found[2], m.first[2]);
	ok(m.found[3] == 40001 && m.first[3] == 39991 && !m.far[3],
	   "row 40001 repeats row 39990, whose entry still waited (%zu: row %zu)",
	   m.found[3], m.first[3]);
	is_int(verify(lg, &msgs), KP_OK, "totals and indexes agree");
	check_result_free(&total);
	record_free(&m.rec);
	ledger_close(lg);
}

/* The same rows at the city, rows 20, 40000 and 40001 of another township:
 * a row is a likely duplicate only of its own township's, among the rows
 * stored before, written from the chunk, or still waiting in it. */
static void test_add_rows_chunks_city(void)
{
	struct many_rows m = { .n = 40002, .city = true };
	struct ledger_batch b = { .source = many_src, .sctx = &m,
	                          .found = many_found, .fctx = &m };
	struct check_result total;
	struct ledger *lg = NULL;
	char first[RECORD_ID_LEN + 1], path[160];
	size_t n = 0;
	int msgs;

	snprintf(path, sizeof path, "%s/chunks-city.db", dir);
	ledger_init(path, forms, NULL);
	if (ledger_open(path, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		return;
	}
	record_init(&m.rec);
	merge_far(lg, "city: anhai's record with an id after any made today");
	check_result_init(&total);
	is_int(ledger_add_rows(lg, &b, &total, first, &n), KP_OK,
	       "city: 40002 rows of two townships");
	is_int(m.nfound, 2, "city: rows with findings: 3 and 40000 (%zu)",
	       m.nfound);
	ok(m.found[0] == 3 && m.first[0] == 0 && m.far[0],
	   "row 3 (anhai) is warned of anhai's record stored before");
	ok(m.found[1] == 40000 && m.first[1] == 21 && !m.far[1],
	   "row 40000 (chendai) of row 20 (chendai), written before, not of "
	   "anhai's rows 3 and 4 or record (%zu: row %zu)", m.found[1],
	   m.first[1]);
	is_int(verify(lg, &msgs), KP_OK, "city: totals and indexes agree");
	check_result_free(&total);
	record_free(&m.rec);
	ledger_close(lg);
}

/* ---- merge ---------------------------------------------------------------- */

static void merge_rec(struct record *r, const char *id, uint32_t rev,
                      const char *n)
{
	training(r, "2025-06-01", "teacher", "合并", n);
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

static int extra_ran;

static int extra_fn(struct store_txn *t, void *ctx)
{
	(void)t;
	(void)ctx;
	extra_ran++;
	return KP_OK;
}

/* One revision refused because it would change another township's record
 * (found only inside the transaction, record by record) keeps the whole
 * merge out: the good new records beside it are not stored, and the
 * caller's bookkeeping (the bundle's record) never runs. */
static void test_merge_city_all_or_nothing(struct ledger *city,
                                           const char *anhais)
{
	struct record r[3], got;
	struct check_result res[3];
	enum merge_outcome out[3];
	char a[RECORD_ID_LEN + 1], b[RECORD_ID_LEN + 1];
	double before = total_sum(city, 2025, "chendai", "teacher_training", NULL);
	int i;

	record_new_id(a);
	record_new_id(b);
	merge_rec(&r[0], a, 1, "7");
	merge_rec(&r[1], anhais, 9, "99");
	merge_rec(&r[2], b, 1, "8");
	for (i = 0; i < 3; i++) {
		snprintf(r[i].township, sizeof r[i].township, "chendai");
		check_result_init(&res[i]);
	}
	extra_ran = 0;
	is_int(ledger_merge(city, r, 3, false, out, res, extra_fn, NULL),
	       KP_E_DATA, "one revision of another township's record among good ones: refused");
	ok(strstr(kp_err_msg(), "nothing imported") != NULL, "says nothing was imported: %s",
	   kp_err_msg());
	is_int(out[1], MERGE_REJECTED, "that one is the rejected one");
	ok(has_kind(&res[1], FK_TOWNSHIP, SEV_ERROR), "as a township error");
	is_int(extra_ran, 0, "the bundle's bookkeeping did not run");
	record_init(&got);
	is_int(ledger_get(city, a, &got), KP_NOTFOUND, "the good record before it was not stored");
	is_int(ledger_get(city, b, &got), KP_NOTFOUND, "nor the one after it");
	record_free(&got);
	ok(total_sum(city, 2025, "chendai", "teacher_training", NULL) == before,
	   "chendai's totals are as they were");
	for (i = 0; i < 3; i++) {
		record_free(&r[i]);
		check_result_free(&res[i]);
	}
}

/* In the city: one township's revisions never change another's records,
 * and a tombstone cannot carry fields the form does not have. */
static void test_merge_city(void)
{
	struct ledger *city = NULL;
	struct record r, got;
	struct check_result res;
	enum merge_outcome out;
	char path[200], id[RECORD_ID_LEN + 1];

	snprintf(path, sizeof path, "%s/city.kepu", dir);
	is_int(ledger_init(path, forms, NULL), KP_OK, "a city database");
	if (ledger_open(path, false, &city) != KP_OK) {
		ok(0, "open the city database: %s", kp_err_msg());
		return;
	}
	record_new_id(id);
	merge_rec(&r, id, 1, "12");
	check_result_init(&res);
	is_int(ledger_merge(city, &r, 1, false, &out, &res, NULL, NULL), KP_OK,
	       "anhai's record arrives in the city");
	record_free(&r);
	check_result_free(&res);

	merge_rec(&r, id, 2, "99");
	snprintf(r.township, sizeof r.township, "chendai");
	check_result_init(&res);
	is_int(ledger_merge(city, &r, 1, false, &out, &res, NULL, NULL),
	       KP_E_DATA, "chendai's revision of anhai's record is refused");
	is_int(out, MERGE_REJECTED, "as rejected");
	ok(has_kind(&res, FK_TOWNSHIP, SEV_ERROR), "as a township error");
	record_free(&r);
	check_result_free(&res);

	merge_rec(&r, id, 3, "12");
	snprintf(r.township, sizeof r.township, "chendai");
	r.deleted = true;
	check_result_init(&res);
	is_int(ledger_merge(city, &r, 1, false, &out, &res, NULL, NULL),
	       KP_E_DATA, "nor may chendai delete it");
	record_free(&r);
	check_result_free(&res);
	record_init(&got);
	ledger_get(city, id, &got);
	ok(!got.deleted && got.rev == 1
	   && strcmp(record_get(&got, "participants"), "12") == 0,
	   "anhai's record is as anhai sent it");
	record_free(&got);

	merge_rec(&r, id, 4, "12");
	r.deleted = true;
	record_set(&r, "smuggled", "x");
	check_result_init(&res);
	is_int(ledger_merge(city, &r, 1, false, &out, &res, NULL, NULL),
	       KP_E_DATA, "a tombstone with a field the form lacks is refused");
	record_free(&r);
	check_result_free(&res);
	test_merge_city_all_or_nothing(city, id);
	ledger_close(city);
}

/* ---- several clerks at once ----------------------------------------------- */

static int child(const char *path, int k)
{
	struct ledger *lg;
	char title[64];
	int i;

	if (ledger_open(path, false, &lg) != KP_OK) {
		printf("# clerk %d: open: %s\n", k, kp_err_msg());
		return 1;
	}
	for (i = 0; i < 250; i++) {
		snprintf(title, sizeof title, "并发 %d-%d", k, i);
		if (add_training(lg, "2025-06-01", "other", title, "1", NULL)) {
			printf("# clerk %d: add %d: %s\n", k, i, kp_err_msg());
			fflush(stdout);
			return 2;
		}
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
	is_int(ledger_init(path, forms, "cizao"), KP_OK,
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
	is_int(ledger_init(dbpath, forms, "anhai"), KP_OK, "init");
	if (ledger_open(dbpath, false, &lg) != KP_OK) {
		ok(0, "open: %s", kp_err_msg());
		return tap_done();
	}
	is_int(add_training(lg, "2025-03-05", "teacher", "起点", "30", id), KP_OK,
	       "a first record");
	test_changes(lg);
	test_storage(lg);
	test_add_rows(lg);
	test_add_rows_file(lg);
	test_merge(lg);
	ledger_close(lg);
	test_merge_city();
	test_add_rows_growth();
	test_add_rows_chunks();
	test_add_rows_chunks_city();
	test_concurrency();
	lt_cleanup();
	return tap_done();
}
