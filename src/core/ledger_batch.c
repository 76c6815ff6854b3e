/* ledger_batch.c - adding many new records in one write transaction, all
 * or nothing: ledger_add_rows, and ledger_add_many over it for records
 * already held in an array.
 *
 * Rows come one at a time from the caller and are checked inside the write
 * transaction (rules, then the database checks); each is stored at once
 * while no row has had an error, and only the findings wait for the end.
 * A batch stores each revision with ledger_put_revision but defers the rest:
 * the index entries wait in memory and are written in key order at the
 * end, which fills LMDB's pages instead of splitting them half empty, and
 * the totals are read and written once per (year, township, indicator)
 * instead of once per record.  Until the end, DB_TOTALS and DB_DUPKEY hold
 * what they held before the batch, which is what every row's checks must
 * see: each row's impact is measured against the database before the
 * batch, and rows with the same form, date and title as an earlier row of
 * the batch are found here, by sorting the deferred duplicate keys.
 *
 * Uses ledger_write.c (storing a revision, stamping a new record),
 * ledger_check.c, ledger_totals.c and ledger_key.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "ledger.h"
#include "ledger_int.h"
#include "stop.h"
#include "text.h"

/* ---- deferred index entries and totals ------------------------------------ */

struct batch_entry {
	size_t off, kn;         /* key in keys */
	size_t row;
	bool dup;               /* DB_DUPKEY (value: the row's id), else DB_BY_DATE */
};

struct batch_total {
	char key[LEDGER_KEY_MAX];
	size_t kn;
	struct ledger_total tot;
};

struct batch {
	struct ledger *lg;
	struct sbuf keys;
	struct batch_entry *e;
	size_t ne, cape;
	struct batch_total *tot;
	size_t ntot, captot;
	struct sbuf enc;        /* reused for every revision */
	char (*ids)[RECORD_ID_LEN + 1];  /* row -> id, set by batch_add */
	size_t capids;
};

static void batch_init(struct batch *b, struct ledger *lg)
{
	memset(b, 0, sizeof *b);
	b->lg = lg;
}

/* Empty, keeping the memory (the transaction is run again). */
static void batch_reset(struct batch *b)
{
	sbuf_reset(&b->keys);
	b->ne = b->ntot = 0;
}

static void batch_free(struct batch *b)
{
	sbuf_free(&b->keys);
	sbuf_free(&b->enc);
	free(b->e);
	free(b->tot);
	free(b->ids);
	batch_init(b, b->lg);
}

static int defer_key(struct batch *b, const char *key, size_t kn, size_t row,
                     bool dup)
{
	struct batch_entry *e;
	int rc;

	if ((rc = array_grow(&b->e, sizeof *e, &b->cape, b->ne)) != KP_OK)
		return rc;
	e = &b->e[b->ne];
	e->off = b->keys.len;
	e->kn = kn;
	e->row = row;
	e->dup = dup;
	rc = sbuf_add(&b->keys, key, kn);
	if (!rc)
		b->ne++;
	return rc;
}

/* Remember rec's duplicate key under row (rows in increasing order).  A
 * row that will not be stored still counts as an earlier row. */
static int batch_dupkey(struct batch *b, const struct record *rec, size_t row)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_dup_key(b->lg, rec, key);

	return kn ? defer_key(b, key, kn, row, true) : KP_OK;
}

/* Rows are stored in order from 0, so row is the number of ids kept. */
static int keep_id(struct batch *b, const char *id, size_t row)
{
	int rc = array_grow(&b->ids, sizeof *b->ids, &b->capids, row);

	if (rc != KP_OK)
		return rc;
	memcpy(b->ids[row], id, RECORD_ID_LEN + 1);
	return KP_OK;
}

/* The batch's running total under key, read from the database the first
 * time the batch meets the key. */
static int batch_total(struct store_txn *t, struct batch *b, const char *key,
                       size_t kn, struct batch_total **out)
{
	struct batch_total *bt;
	size_t i;
	int rc;

	for (i = 0; i < b->ntot; i++)
		if (b->tot[i].kn == kn && memcmp(b->tot[i].key, key, kn) == 0) {
			*out = &b->tot[i];
			return KP_OK;
		}
	if ((rc = array_grow(&b->tot, sizeof *bt, &b->captot, b->ntot)) != KP_OK)
		return rc;
	bt = &b->tot[b->ntot];
	memcpy(bt->key, key, kn);
	bt->kn = kn;
	if ((rc = ledger_total_in(t, key, kn, &bt->tot)))
		return rc;
	b->ntot++;
	*out = bt;
	return KP_OK;
}

static int batch_totals(struct store_txn *t, struct batch *b,
                        const struct record *r)
{
	struct contribution c[QUOTA_MAX_CONTRIB];
	struct batch_total *bt = NULL;
	char key[LEDGER_KEY_MAX];
	size_t n = quota_contributions(b->lg->schema, r, c), i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		kn = ledger_key_contrib(key, r->township, &c[i]);
		if ((rc = batch_total(t, b, key, kn, &bt)))
			return rc;
		ledger_total_add(&bt->tot, c[i].amount);
	}
	return KP_OK;
}

/* Store new record rec (stamped) as row `row` of the batch. */
static int batch_add(struct store_txn *t, struct batch *b,
                     const struct record *rec, size_t row)
{
	char key[LEDGER_KEY_MAX];
	int rc;

	rc = ledger_put_revision(t, b->lg, false, rec, "add", &b->enc);
	if (!rc)
		rc = keep_id(b, rec->id, row);
	if (!rc && !rec->deleted)
		rc = defer_key(b, key, ledger_date_key(b->lg, rec, key), row, false);
	if (!rc && !rec->deleted)
		rc = batch_dupkey(b, rec, row);
	if (!rc)
		rc = batch_totals(t, b, rec);
	return rc;
}

/* Index entries in the order LMDB keeps them: by key (then row, which is
 * the order of the ids a duplicate key holds); date entries first. */
static _Thread_local const struct batch *sort_batch;

static int entry_cmp(const void *a, const void *b)
{
	const struct batch_entry *x = a, *y = b;
	const char *keys = sort_batch->keys.s;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c;

	if (x->dup != y->dup)
		return x->dup ? 1 : -1;
	c = memcmp(keys + x->off, keys + y->off, n);
	if (c)
		return c;
	if (x->kn != y->kn)
		return x->kn < y->kn ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static void batch_sort(struct batch *b)
{
	if (b->ne < 2)
		return;
	sort_batch = b;
	qsort(b->e, b->ne, sizeof *b->e, entry_cmp);
	sort_batch = NULL;
}

/* Sort the deferred duplicate keys (by key, then row) and call fn for
 * every row whose key an earlier row has, with that earliest row. */
static int batch_duplicates(struct batch *b,
                            int (*fn)(void *ctx, size_t row, size_t first),
                            void *ctx)
{
	const struct batch_entry *e, *first = NULL;
	size_t i;
	int rc;

	batch_sort(b);
	for (i = 0; i < b->ne; i++) {
		e = &b->e[i];
		if (!e->dup)
			continue;
		if (!first || first->kn != e->kn
		    || memcmp(b->keys.s + first->off, b->keys.s + e->off, e->kn)) {
			first = e;
			continue;
		}
		if ((rc = fn(ctx, e->row, first->row)))
			return rc;
	}
	return KP_OK;
}

/* Write the deferred index entries of the stored rows and the totals. */
static int batch_finish(struct store_txn *t, struct batch *b)
{
	const struct batch_entry *e;
	size_t i;
	int rc = KP_OK;

	batch_sort(b);
	for (i = 0; i < b->ne && !rc; i++) {
		e = &b->e[i];
		if (e->dup)
			rc = store_put(t, DB_DUPKEY, b->keys.s + e->off, e->kn,
			               b->ids[e->row], RECORD_ID_LEN);
		else
			rc = store_put(t, DB_BY_DATE, b->keys.s + e->off, e->kn,
			               "", 0);
	}
	for (i = 0; i < b->ntot && !rc; i++) {
		const struct batch_total *bt = &b->tot[i];

		rc = store_put(t, DB_TOTALS, bt->key, bt->kn, &bt->tot,
		               sizeof bt->tot);
	}
	return rc;
}

/* ---- rows one at a time --------------------------------------------------- */

struct kept {
	size_t row;
	struct check_result res;    /* findings only */
};

struct dup_note {
	size_t row, first;
};

struct rows_ctx {
	struct ledger *lg;
	size_t n;
	ledger_row_fn row;
	void *rctx;
	struct check_result *total;
	int64_t now;
	struct batch b;
	struct record rec, scratch;
	struct check_result res;
	struct kept *kept;          /* rows with findings, in row order */
	size_t nkept, capkept;
	struct dup_note *dups;      /* batch duplicates, by row at the end */
	size_t ndups, capdups;
	size_t bad;
};

static void rows_reset(struct rows_ctx *rx)
{
	size_t i;

	for (i = 0; i < rx->nkept; i++)
		check_result_free(&rx->kept[i].res);
	rx->nkept = rx->ndups = rx->bad = 0;
	batch_reset(&rx->b);
	free(rx->total->impacts);
	rx->total->impacts = NULL;
	rx->total->nimpacts = 0;
}

/* Impacts added up per (indicator, year), as the progress before the
 * first row plus every row's change. */
static int sum_impacts(struct check_result *total,
                       const struct check_result *res)
{
	struct impact *agg;
	size_t i, k;

	for (i = 0; i < res->nimpacts; i++) {
		const struct impact *im = &res->impacts[i];

		for (k = 0; k < total->nimpacts; k++)
			if (total->impacts[k].ind == im->ind
			    && total->impacts[k].year == im->year)
				break;
		if (k == total->nimpacts) {
			struct impact before = *im;
			int rc;

			before.achieved = im->achieved - im->delta;
			before.delta = 0;
			if ((rc = ledger_add_impact(total, &before)))
				return rc;
		}
		agg = &total->impacts[k];
		agg->delta += im->delta;
		agg->achieved += im->delta;
		agg->target = im->target;
		agg->has_target = im->has_target;
	}
	return KP_OK;
}

/* Keep the findings of row i (rx->res is taken over and emptied). */
static int keep_findings(struct rows_ctx *rx, size_t i)
{
	struct kept *k;
	int rc = array_grow(&rx->kept, sizeof *k, &rx->capkept, rx->nkept);

	if (rc != KP_OK)
		return rc;
	k = &rx->kept[rx->nkept++];
	k->row = i;
	k->res = rx->res;
	free(k->res.impacts);
	k->res.impacts = NULL;
	k->res.nimpacts = 0;
	check_result_init(&rx->res);
	return KP_OK;
}

static int note_dup(void *ctx, size_t row, size_t first)
{
	struct rows_ctx *rx = ctx;
	int rc = array_grow(&rx->dups, sizeof *rx->dups, &rx->capdups, rx->ndups);

	if (rc != KP_OK)
		return rc;
	rx->dups[rx->ndups].row = row;
	rx->dups[rx->ndups++].first = first;
	return KP_OK;
}

/* Check row i and, while no row had an error, store it. */
static int rows_one(struct store_txn *t, struct rows_ctx *rx, size_t i)
{
	struct record *rec = &rx->rec;
	int st;

	if ((st = stop_point()) || (st = rx->row(rx->rctx, i, rec)))
		return st;
	rec->id[0] = 0;
	rec->deleted = false;
	check_result_free(&rx->res);
	st = ledger_check_rules(rx->lg, rec, &rx->res);
	if (!st && schema_form(rx->lg->schema, rec->form))
		st = ledger_check_db(t, rx->lg, rec, &rx->res, &rx->scratch);
	if (!st)
		st = sum_impacts(rx->total, &rx->res);
	if (st)
		return st;
	if (check_has_errors(&rx->res))
		rx->bad++;
	if (rx->bad) {
		st = batch_dupkey(&rx->b, rec, i);
	} else {
		ledger_stamp_new(rx->lg, rec, rx->now);
		st = batch_add(t, &rx->b, rec, i);
	}
	if (!st && rx->res.nfindings)
		st = keep_findings(rx, i);
	return st;
}

static int rows_txn(struct store_txn *t, void *ctx)
{
	struct rows_ctx *rx = ctx;
	size_t i;
	int st = KP_OK;

	rows_reset(rx);
	for (i = 0; i < rx->n && !st; i++)
		st = rows_one(t, rx, i);
	if (!st)
		st = batch_duplicates(&rx->b, note_dup, rx);
	if (!st && rx->bad)
		st = ledger_refuse();
	return st ? st : batch_finish(t, &rx->b);
}

static int dup_row_cmp(const void *a, const void *b)
{
	const struct dup_note *x = a, *y = b;

	return x->row < y->row ? -1 : x->row > y->row;
}

/* Hand every row's findings to fn, in row order, a row's batch duplicate
 * after its other findings. */
static int rows_deliver(struct rows_ctx *rx, ledger_found_fn fn, void *ctx,
                        bool stored)
{
	struct check_result one;
	size_t k = 0, d = 0, row;
	int st = KP_OK;

	if (rx->ndups > 1)
		qsort(rx->dups, rx->ndups, sizeof *rx->dups, dup_row_cmp);
	while (!st && (k < rx->nkept || d < rx->ndups)) {
		struct check_result *res = &one;

		row = k < rx->nkept ? rx->kept[k].row : SIZE_MAX;
		if (d < rx->ndups && rx->dups[d].row < row)
			row = rx->dups[d].row;
		check_result_init(&one);
		if (k < rx->nkept && rx->kept[k].row == row)
			res = &rx->kept[k++].res;
		if (d < rx->ndups && rx->dups[d].row == row)
			st = ledger_warn_batch_dup(res, rx->dups[d++].first);
		if (!st)
			st = fn(ctx, row, res, stored);
		check_result_free(&one);
	}
	return st;
}

static void rows_free(struct rows_ctx *rx)
{
	size_t i;

	for (i = 0; i < rx->nkept; i++)
		check_result_free(&rx->kept[i].res);
	free(rx->kept);
	free(rx->dups);
	check_result_free(&rx->res);
	record_free(&rx->rec);
	record_free(&rx->scratch);
	batch_free(&rx->b);
}

int ledger_add_rows(struct ledger *lg, size_t n, ledger_row_fn row,
                    void *rctx, ledger_found_fn found, void *fctx,
                    struct check_result *total,
                    char (*ids)[RECORD_ID_LEN + 1])
{
	struct rows_ctx rx;
	size_t i;
	int st, st2;

	memset(&rx, 0, sizeof rx);
	rx.lg = lg;
	rx.n = n;
	rx.row = row;
	rx.rctx = rctx;
	rx.total = total;
	rx.now = (int64_t)time(NULL);
	batch_init(&rx.b, lg);
	record_init(&rx.rec);
	record_init(&rx.scratch);
	check_result_init(&rx.res);
	st = store_write(lg->st, rows_txn, &rx);
	if (st == KP_OK && ids)
		for (i = 0; i < n; i++)
			memcpy(ids[i], rx.b.ids[i], sizeof ids[i]);
	if ((st == KP_OK || st == KP_E_DATA) && found) {
		st2 = rows_deliver(&rx, found, fctx, st == KP_OK);
		if (st2)
			st = st2;
	}
	if (st != KP_OK) {
		free(total->impacts);
		total->impacts = NULL;
		total->nimpacts = 0;
	}
	rows_free(&rx);
	return st;
}

/* ---- an array of records -------------------------------------------------- */

struct many_ctx {
	const struct record *recs;
	struct check_result *results;
};

static int many_row(void *ctx, size_t i, struct record *rec)
{
	struct many_ctx *mc = ctx;

	return record_copy(rec, &mc->recs[i]);
}

static int many_found(void *ctx, size_t i, const struct check_result *res,
                      bool stored)
{
	struct many_ctx *mc = ctx;
	size_t k;
	int rc = KP_OK;

	(void)stored;
	for (k = 0; k < res->nfindings && !rc; k++) {
		const struct finding *f = &res->findings[k];

		rc = check_add(&mc->results[i], f->sev, f->kind, f->field,
		               f->msg_zh, f->msg_en);
	}
	return rc;
}

int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results)
{
	struct many_ctx mc = { recs, results };
	struct check_result total;
	char (*ids)[RECORD_ID_LEN + 1];
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		recs[i].id[0] = 0;
	ids = malloc((n ? n : 1) * sizeof *ids);
	if (!ids)
		return kp_err_nomem();
	check_result_init(&total);
	rc = ledger_add_rows(lg, n, many_row, &mc, many_found, &mc, &total, ids);
	if (rc == KP_OK)
		for (i = 0; i < n; i++)
			memcpy(recs[i].id, ids[i], sizeof recs[i].id);
	check_result_free(&total);
	free(ids);
	return rc;
}
