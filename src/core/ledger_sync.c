/* ledger_sync.c - the change sequence (what an incremental export sends),
 * batches of adds (many records in one transaction, ledger_add_rows), and
 * merging revisions made elsewhere (what an import receives). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

#define MSG_MAX 512

/* ---- changes -------------------------------------------------------------- */

struct changes_ctx {
	ledger_change_fn fn;
	void *ctx;
	uint64_t after, last;
	struct record rec;
};

static int change_fn(void *ctx, const void *k, size_t kn, const void *v,
                     size_t vn)
{
	struct changes_ctx *cc = ctx;
	uint64_t seq;
	int rc;

	if (kn != 8)
		return KP_OK;
	seq = store_from_be64(k);
	if (seq <= cc->after)
		return KP_OK;
	record_free(&cc->rec);
	rc = record_decode(v, vn, &cc->rec);
	if (rc)
		return kp_err_wrap(rc, LF("变更 %llu", "change %llu"),
		                   (unsigned long long)seq);
	return cc->fn(cc->ctx, seq, &cc->rec);
}

static int last_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct changes_ctx *cc = ctx;

	(void)v;
	(void)vn;
	if (kn == 8)
		cc->last = store_from_be64(k);
	return KP_NOTFOUND;
}

static int changes_txn(struct store_txn *t, void *ctx)
{
	struct changes_ctx *cc = ctx;
	unsigned char start[8];
	int rc;

	rc = store_iter(t, DB_CHANGES, NULL, 0, true, last_fn, cc);
	if (rc || !cc->fn || cc->after >= cc->last)
		return rc;
	store_be64(cc->after + 1, start);
	return store_iter(t, DB_CHANGES, start, sizeof start, false, change_fn,
	                  cc);
}

int ledger_changes(struct ledger *lg, uint64_t after_seq,
                   ledger_change_fn fn, void *ctx, uint64_t *last)
{
	struct changes_ctx cc = { fn, ctx, after_seq, 0, { .fields = NULL } };
	int rc;

	record_init(&cc.rec);
	rc = store_read(lg->st, changes_txn, &cc);
	record_free(&cc.rec);
	if (!rc && last)
		*last = cc.last;
	return rc;
}

/* ---- batches of adds ------------------------------------------------------ */

void ledger_batch_init(struct ledger_batch *b, struct ledger *lg)
{
	memset(b, 0, sizeof *b);
	b->lg = lg;
}

void ledger_batch_reset(struct ledger_batch *b)
{
	sbuf_reset(&b->keys);
	b->ne = b->ntot = b->nids = 0;
}

void ledger_batch_free(struct ledger_batch *b)
{
	sbuf_free(&b->keys);
	sbuf_free(&b->enc);
	free(b->e);
	free(b->tot);
	free(b->ids);
	ledger_batch_init(b, b->lg);
}

static int defer_key(struct ledger_batch *b, const char *key, size_t kn,
                     size_t row, bool dup)
{
	struct batch_entry *e;
	int rc;

	if (b->ne == b->cape) {
		size_t cap = b->cape ? b->cape * 2 : 256;

		e = realloc(b->e, cap * sizeof *e);
		if (!e)
			return kp_err_nomem();
		b->e = e;
		b->cape = cap;
	}
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

int ledger_batch_dupkey(struct ledger_batch *b, const struct record *rec,
                        size_t row)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_dup_key(b->lg, rec, key);

	return kn ? defer_key(b, key, kn, row, true) : KP_OK;
}

static int keep_id(struct ledger_batch *b, const char *id, size_t row)
{
	char (*ids)[RECORD_ID_LEN + 1];

	if (row >= b->nids) {
		size_t cap = b->nids ? b->nids : 256;

		while (cap <= row)
			cap *= 2;
		if (cap != b->nids) {
			ids = realloc(b->ids, cap * sizeof *ids);
			if (!ids)
				return kp_err_nomem();
			b->ids = ids;
			b->nids = cap;
		}
	}
	memcpy(b->ids[row], id, RECORD_ID_LEN + 1);
	return KP_OK;
}

/* The batch's running total under key, read from the database the first
 * time the batch meets the key. */
static int batch_total(struct store_txn *t, struct ledger_batch *b,
                       const char *key, size_t kn, struct batch_total **out)
{
	struct batch_total *bt;
	size_t i;
	int rc;

	for (i = 0; i < b->ntot; i++)
		if (b->tot[i].kn == kn && memcmp(b->tot[i].key, key, kn) == 0) {
			*out = &b->tot[i];
			return KP_OK;
		}
	if (b->ntot == b->captot) {
		size_t cap = b->captot ? b->captot * 2 : 16;

		bt = realloc(b->tot, cap * sizeof *bt);
		if (!bt)
			return kp_err_nomem();
		b->tot = bt;
		b->captot = cap;
	}
	bt = &b->tot[b->ntot];
	memcpy(bt->key, key, kn);
	bt->kn = kn;
	if ((rc = ledger_total_in(t, key, kn, &bt->tot)))
		return rc;
	b->ntot++;
	*out = bt;
	return KP_OK;
}

static int batch_totals(struct store_txn *t, struct ledger_batch *b,
                        const struct record *r)
{
	struct contribution c[QUOTA_MAX_CONTRIB];
	struct batch_total *bt = NULL;
	char key[LEDGER_KEY_MAX];
	size_t n = quota_contributions(b->lg->schema, r, c), i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		kn = ledger_key3(key, c[i].year, r->township, c[i].ind->id);
		if ((rc = batch_total(t, b, key, kn, &bt)))
			return rc;
		bt->tot.sum += c[i].amount;
		bt->tot.count++;
		if (c[i].amount > bt->tot.max)
			bt->tot.max = c[i].amount;
	}
	return KP_OK;
}

int ledger_batch_add(struct store_txn *t, struct ledger_batch *b,
                     const struct record *rec, size_t row)
{
	char key[LEDGER_KEY_MAX];
	int rc;

	rc = ledger_put_revision(t, b->lg, false, rec, "add", &b->enc);
	if (!rc)
		rc = keep_id(b, rec->id, row);
	if (!rc && !rec->deleted)
		rc = defer_key(b, key, ledger_date_key(rec, key), row, false);
	if (!rc && !rec->deleted)
		rc = ledger_batch_dupkey(b, rec, row);
	if (!rc)
		rc = batch_totals(t, b, rec);
	return rc;
}

/* Index entries in the order LMDB keeps them: by key (then row, which is
 * the order of the ids a duplicate key holds); date entries first. */
static _Thread_local const struct ledger_batch *sort_batch;

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

static void batch_sort(struct ledger_batch *b)
{
	if (b->ne < 2)
		return;
	sort_batch = b;
	if (b->ne > 1)
		qsort(b->e, b->ne, sizeof *b->e, entry_cmp);
	sort_batch = NULL;
}

int ledger_batch_duplicates(struct ledger_batch *b,
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

int ledger_batch_finish(struct store_txn *t, struct ledger_batch *b)
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

/* ---- adding rows one at a time ---------------------------------------------- */

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
	struct ledger_batch b;
	struct record rec, scratch;
	struct check_result res;
	struct kept *kept;          /* rows with findings, in row order */
	size_t nkept, capkept;
	struct dup_note *dups;      /* batch duplicates, by row at the end */
	size_t ndups, capdups;
	size_t bad;
};

static void rows_reset(struct rows_ctx *rc)
{
	size_t i;

	for (i = 0; i < rc->nkept; i++)
		check_result_free(&rc->kept[i].res);
	rc->nkept = rc->ndups = rc->bad = 0;
	ledger_batch_reset(&rc->b);
	free(rc->total->impacts);
	rc->total->impacts = NULL;
	rc->total->nimpacts = 0;
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
			agg = realloc(total->impacts, (k + 1) * sizeof *agg);
			if (!agg)
				return kp_err_nomem();
			total->impacts = agg;
			agg[k] = *im;
			agg[k].achieved = im->achieved - im->delta;
			agg[k].delta = 0;
			total->nimpacts++;
		}
		agg = &total->impacts[k];
		agg->delta += im->delta;
		agg->achieved += im->delta;
		agg->target = im->target;
		agg->has_target = im->has_target;
	}
	return KP_OK;
}

/* Keep the findings of row i (res is taken over and emptied). */
static int keep_findings(struct rows_ctx *rc, size_t i)
{
	struct kept *k;

	if (rc->nkept == rc->capkept) {
		size_t cap = rc->capkept ? rc->capkept * 2 : 64;

		k = realloc(rc->kept, cap * sizeof *k);
		if (!k)
			return kp_err_nomem();
		rc->kept = k;
		rc->capkept = cap;
	}
	k = &rc->kept[rc->nkept++];
	k->row = i;
	k->res = rc->res;
	free(k->res.impacts);
	k->res.impacts = NULL;
	k->res.nimpacts = 0;
	check_result_init(&rc->res);
	return KP_OK;
}

static int note_dup(void *ctx, size_t row, size_t first)
{
	struct rows_ctx *rc = ctx;
	struct dup_note *d;

	if (rc->ndups == rc->capdups) {
		size_t cap = rc->capdups ? rc->capdups * 2 : 64;

		d = realloc(rc->dups, cap * sizeof *d);
		if (!d)
			return kp_err_nomem();
		rc->dups = d;
		rc->capdups = cap;
	}
	rc->dups[rc->ndups].row = row;
	rc->dups[rc->ndups++].first = first;
	return KP_OK;
}

/* Check row i and, while no row had an error, store it. */
static int rows_one(struct store_txn *t, struct rows_ctx *rc, size_t i)
{
	struct record *rec = &rc->rec;
	int st;

	if ((st = rc->row(rc->rctx, i, rec)))
		return st;
	rec->id[0] = 0;
	rec->deleted = false;
	check_result_free(&rc->res);
	st = ledger_check_rules(rc->lg, rec, &rc->res);
	if (!st && schema_form(rc->lg->schema, rec->form))
		st = ledger_check_db(t, rc->lg, rec, &rc->res, &rc->scratch);
	if (!st)
		st = sum_impacts(rc->total, &rc->res);
	if (st)
		return st;
	if (check_has_errors(&rc->res))
		rc->bad++;
	if (rc->bad) {
		st = ledger_batch_dupkey(&rc->b, rec, i);
	} else {
		ledger_stamp_new(rc->lg, rec, rc->now);
		st = ledger_batch_add(t, &rc->b, rec, i);
	}
	if (!st && rc->res.nfindings)
		st = keep_findings(rc, i);
	return st;
}

static int rows_txn(struct store_txn *t, void *ctx)
{
	struct rows_ctx *rc = ctx;
	size_t i;
	int st = KP_OK;

	rows_reset(rc);
	for (i = 0; i < rc->n && !st; i++)
		st = rows_one(t, rc, i);
	if (!st)
		st = ledger_batch_duplicates(&rc->b, note_dup, rc);
	if (!st && rc->bad)
		st = ledger_refuse();
	return st ? st : ledger_batch_finish(t, &rc->b);
}

static int dup_row_cmp(const void *a, const void *b)
{
	const struct dup_note *x = a, *y = b;

	return x->row < y->row ? -1 : x->row > y->row;
}

/* Hand every row's findings to fn, in row order, batch duplicates last
 * as ledger_add_many adds them. */
static int rows_deliver(struct rows_ctx *rc, ledger_found_fn fn, void *ctx,
                        bool stored)
{
	struct check_result one;
	size_t k = 0, d = 0, row;
	int st = KP_OK;

	if (rc->ndups > 1)
		qsort(rc->dups, rc->ndups, sizeof *rc->dups, dup_row_cmp);
	while (!st && (k < rc->nkept || d < rc->ndups)) {
		struct check_result *res = &one;

		row = k < rc->nkept ? rc->kept[k].row : SIZE_MAX;
		if (d < rc->ndups && rc->dups[d].row < row)
			row = rc->dups[d].row;
		check_result_init(&one);
		if (k < rc->nkept && rc->kept[k].row == row)
			res = &rc->kept[k++].res;
		if (d < rc->ndups && rc->dups[d].row == row)
			st = ledger_warn_batch_dup(res, rc->dups[d++].first);
		if (!st)
			st = fn(ctx, row, res, stored);
		check_result_free(&one);
	}
	return st;
}

int ledger_add_rows(struct ledger *lg, size_t n, ledger_row_fn row,
                    void *rctx, ledger_found_fn found, void *fctx,
                    struct check_result *total,
                    char (*ids)[RECORD_ID_LEN + 1])
{
	struct rows_ctx rc;
	size_t i;
	int st, st2;

	memset(&rc, 0, sizeof rc);
	rc.lg = lg;
	rc.n = n;
	rc.row = row;
	rc.rctx = rctx;
	rc.total = total;
	rc.now = (int64_t)time(NULL);
	ledger_batch_init(&rc.b, lg);
	record_init(&rc.rec);
	record_init(&rc.scratch);
	check_result_init(&rc.res);
	st = store_write(lg->st, rows_txn, &rc);
	if (st == KP_OK && ids)
		for (i = 0; i < n; i++)
			memcpy(ids[i], rc.b.ids[i], sizeof ids[i]);
	if ((st == KP_OK || st == KP_E_DATA) && found) {
		st2 = rows_deliver(&rc, found, fctx, st == KP_OK);
		if (st2)
			st = st2;
	}
	if (st != KP_OK) {
		free(total->impacts);
		total->impacts = NULL;
		total->nimpacts = 0;
	}
	for (i = 0; i < rc.nkept; i++)
		check_result_free(&rc.kept[i].res);
	free(rc.kept);
	free(rc.dups);
	check_result_free(&rc.res);
	record_free(&rc.rec);
	record_free(&rc.scratch);
	ledger_batch_free(&rc.b);
	return st;
}

/* ---- merging -------------------------------------------------------------- */

/* fn's status that makes store_write abort a merge that must not stay. */
#define MERGE_ROLLBACK (-1)

static int reject(struct check_result *res, enum finding_kind kind,
                  const char *field, const char *zh, const char *en)
{
	return check_add(res, SEV_ERROR, kind, field, zh, en);
}

static int merge_township(struct ledger *lg, struct record *r,
                          struct check_result *res)
{
	char zh[MSG_MAX], en[MSG_MAX];

	if (ledger_township_ok(lg, r->township))
		return KP_OK;
	if (lg->mode == LEDGER_TOWNSHIP) {
		snprintf(zh, sizeof zh, "记录属于 %s，不属于本镇（街道）%s",
		         r->township, lg->township);
		snprintf(en, sizeof en, "the record belongs to %s, not to this "
		         "township (%s)", r->township, lg->township);
	} else {
		snprintf(zh, sizeof zh, "未知的镇（街道）：%s", r->township);
		snprintf(en, sizeof en, "unknown township: %s", r->township);
	}
	return reject(res, FK_TOWNSHIP, "township", zh, en);
}

/* A tombstone is not checked against the form's rules (the record it
 * deletes may predate them), but it must not smuggle in fields the form
 * does not have or text that may not be stored. */
static int merge_tombstone_fields(const struct form *f, const struct record *r,
                                  struct check_result *res)
{
	char zh[MSG_MAX], en[MSG_MAX];
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < r->nfields && !rc; i++) {
		const struct kv *kv = &r->fields[i];

		if (!form_field(f, kv->name)) {
			snprintf(zh, sizeof zh, "表单没有这个字段：%s", kv->name);
			snprintf(en, sizeof en, "the form has no field %s", kv->name);
			rc = reject(res, FK_UNKNOWN_FIELD, kv->name, zh, en);
		} else if (text_check_storable(kv->value) != KP_OK) {
			rc = reject(res, FK_TEXT, kv->name, "含有不能保存的控制字符",
			            "holds control characters that cannot be stored");
		}
	}
	return rc;
}

/* What makes a revision from elsewhere acceptable at all. */
static int merge_validate(struct ledger *lg, struct record *r,
                          struct check_result *res)
{
	const struct form *f = schema_form(lg->schema, r->form);
	char zh[MSG_MAX], en[MSG_MAX];
	int rc = KP_OK;

	if (!record_id_valid(r->id))
		rc = reject(res, FK_TYPE, "id", "记录编号无效", "invalid record id");
	if (!rc && r->rev == 0)
		rc = reject(res, FK_TYPE, "rev", "版本号无效",
		            "invalid revision number");
	if (!rc && !f) {
		snprintf(zh, sizeof zh, "未知的表单：%s", r->form);
		snprintf(en, sizeof en, "unknown form: %s", r->form);
		return reject(res, FK_UNKNOWN_FIELD, "", zh, en);
	}
	/* check_record_rules judges the township of a live record in a
	 * township database itself. */
	if (!rc && (r->deleted || lg->mode == LEDGER_CITY_MODE))
		rc = merge_township(lg, r, res);
	if (!rc && r->deleted)
		rc = merge_tombstone_fields(f, r, res);
	if (!rc && !r->deleted)
		rc = check_record_rules(lg->schema, f, r,
		                        lg->mode == LEDGER_TOWNSHIP
		                        ? lg->township : NULL, res);
	return rc;
}

struct merge_ctx {
	struct ledger *lg;
	struct record *recs;
	size_t n;
	bool keep;              /* false: compute outcomes, then roll back */
	enum merge_outcome *outcomes;
	struct check_result *results;
	int (*extra)(struct store_txn *t, void *ctx);
	void *extra_ctx;
	struct record stored;
	size_t rejected;        /* in this run of the transaction */
};

/* A record may only be changed by revisions from its own township: one
 * township's signed bundle must not overwrite or delete another's. */
static int merge_owner(const struct record *stored, const struct record *r,
                       struct check_result *res)
{
	char zh[MSG_MAX], en[MSG_MAX];

	if (strcmp(stored->township, r->township) == 0)
		return KP_OK;
	snprintf(zh, sizeof zh, "记录 %s 属于 %s，不能由 %s 修改",
	         r->id, stored->township, r->township);
	snprintf(en, sizeof en, "record %s belongs to %s; %s cannot change it",
	         r->id, stored->township, r->township);
	return reject(res, FK_TOWNSHIP, "township", zh, en);
}

static int merge_one(struct store_txn *t, struct merge_ctx *mc, size_t i)
{
	struct record *r = &mc->recs[i];
	enum merge_outcome *out = &mc->outcomes[i];
	bool found;
	int rc;

	if (check_has_errors(&mc->results[i])) {
		*out = MERGE_REJECTED;
		mc->rejected++;
		return KP_OK;
	}
	rc = ledger_load_in(t, r->id, &mc->stored);
	if (rc && rc != KP_NOTFOUND)
		return rc;
	found = rc == KP_OK;
	if (found && (rc = merge_owner(&mc->stored, r, &mc->results[i])) != KP_OK)
		return rc;
	if (check_has_errors(&mc->results[i])) {
		*out = MERGE_REJECTED;
		mc->rejected++;
		return KP_OK;
	}
	if (!found)
		*out = MERGE_NEW;
	else if (r->rev > mc->stored.rev)
		*out = MERGE_UPDATED;
	else if (r->rev == mc->stored.rev)
		*out = MERGE_UNCHANGED;
	else
		*out = MERGE_STALE;
	if (*out != MERGE_NEW && *out != MERGE_UPDATED)
		return KP_OK;
	/* Stored even when rolling back, so that a later revision of the
	 * same id in this batch is judged against it. */
	return ledger_store_revision(t, mc->lg, found ? &mc->stored : NULL, r,
	                             "merge");
}

static int merge_txn(struct store_txn *t, void *ctx)
{
	struct merge_ctx *mc = ctx;
	size_t i;
	int rc = KP_OK;

	mc->rejected = 0;
	for (i = 0; i < mc->n && !rc; i++)
		rc = merge_one(t, mc, i);
	if (rc)
		return rc;
	if (!mc->keep || mc->rejected)
		return MERGE_ROLLBACK;
	return mc->extra ? mc->extra(t, mc->extra_ctx) : KP_OK;
}

int ledger_merge(struct ledger *lg, struct record *recs, size_t n,
                 bool dry_run, enum merge_outcome *outcomes,
                 struct check_result *results,
                 int (*extra)(struct store_txn *t, void *ctx),
                 void *extra_ctx)
{
	struct merge_ctx mc = { lg, recs, n, !dry_run, outcomes, results, extra,
	                        extra_ctx, { .fields = NULL }, 0 };
	size_t i, rejected = 0;
	int rc = KP_OK;

	for (i = 0; i < n && !rc; i++) {
		rc = merge_validate(lg, &recs[i], &results[i]);
		if (check_has_errors(&results[i]))
			rejected++;
	}
	if (rc)
		return rc;
	if (rejected)
		mc.keep = false;
	record_init(&mc.stored);
	rc = store_write(lg->st, merge_txn, &mc);
	record_free(&mc.stored);
	if (rc == MERGE_ROLLBACK)
		rc = KP_OK;
	rejected = mc.rejected;    /* the checks above, and ownership */
	if (!rc && rejected)
		rc = kp_err_set(KP_E_DATA, LF("%zu 条记录未通过检查，未导入任何记录",
		                "%zu records failed the checks; nothing imported"),
		                rejected);
	return rc;
}
