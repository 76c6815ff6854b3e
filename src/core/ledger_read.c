/* ledger_read.c - reading records: one by id, lists with filters, counts.
 *
 * A DB_RECORDS value is the sequence number of the record's latest
 * revision in DB_CHANGES, where its bytes are (ledger_record_bytes); the
 * other ledger files read stored records through ledger_load_in.  Uses
 * nothing of the ledger's other files.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

int ledger_not_found(const char *id)
{
	return kp_err_set(KP_NOTFOUND, LF("没有这条记录：%s", "no such record: %s"),
	                  id);
}

int ledger_record_bytes(struct store_txn *t, const void *v, size_t vn,
                        const void **bytes, size_t *n)
{
	int rc;

	if (vn != 8)
		return kp_err_set(KP_E_DATA, "%s", L("记录索引已损坏",
		                  "a record entry is damaged"));
	rc = store_get(t, DB_CHANGES, v, vn, bytes, n);
	if (rc == KP_NOTFOUND)
		return kp_err_set(KP_E_DATA, "%s", L("记录指向的版本不存在",
		                  "a record points to a revision that is missing"));
	return rc;
}

int ledger_load_in(struct store_txn *t, const char *id, struct record *out)
{
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_RECORDS, id, strlen(id), &v, &vn);

	if (!rc)
		rc = ledger_record_bytes(t, v, vn, &v, &vn);
	if (rc)
		return rc;
	record_free(out);
	rc = record_decode(v, vn, out);
	if (rc)
		return kp_err_wrap(rc, "%s", id);
	return KP_OK;
}

/* ---- one record ----------------------------------------------------------- */

struct get_ctx {
	const char *id;
	struct record *out;
};

static int get_txn(struct store_txn *t, void *ctx)
{
	struct get_ctx *gc = ctx;

	return ledger_load_in(t, gc->id, gc->out);
}

int ledger_get(struct ledger *lg, const char *id, struct record *out)
{
	struct get_ctx gc = { id, out };
	int rc = store_read(lg->st, get_txn, &gc);

	return rc == KP_NOTFOUND ? ledger_not_found(id) : rc;
}

/* ---- lists ---------------------------------------------------------------- */

struct list_ctx {
	struct ledger *lg;
	const struct ledger_query *q;
	ledger_record_fn fn;
	void *ctx;
	size_t matched;
	struct record rec;
	struct store_txn *t;
};

static bool text_matches(const struct record *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].value && strstr(r->fields[i].value, text))
			return true;
	return false;
}

static bool list_match(const struct ledger_query *q, const struct record *r)
{
	const char *date = record_get(r, "date");

	if (r->deleted && !q->include_deleted)
		return false;
	if (q->form && *q->form && strcmp(q->form, r->form) != 0)
		return false;
	if (q->year && (!date || atoi(date) != q->year))
		return false;
	if (q->month && *q->month
	    && (!date || strncmp(date, q->month, strlen(q->month)) != 0))
		return false;
	return !q->text || !*q->text || text_matches(r, q->text);
}

static int list_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct list_ctx *lc = ctx;
	const char *after = lc->q->after_id;
	int rc;

	if (after && kn == strlen(after) && memcmp(k, after, kn) == 0)
		return KP_OK;
	rc = ledger_record_bytes(lc->t, v, vn, &v, &vn);
	if (rc)
		return rc;
	record_free(&lc->rec);
	rc = record_decode(v, vn, &lc->rec);
	if (rc)
		return rc;
	if (!list_match(lc->q, &lc->rec))
		return KP_OK;
	rc = lc->fn(lc->ctx, &lc->rec);
	if (rc)
		return rc;
	lc->matched++;
	return lc->q->limit && lc->matched >= lc->q->limit ? KP_NOTFOUND : KP_OK;
}

static int list_txn(struct store_txn *t, void *ctx)
{
	struct list_ctx *lc = ctx;
	const char *after = lc->q->after_id;

	lc->t = t;
	return store_iter(t, DB_RECORDS, after && *after ? after : NULL,
	                  after ? strlen(after) : 0, !lc->q->oldest_first,
	                  list_fn, lc);
}

int ledger_list(struct ledger *lg, const struct ledger_query *q,
                ledger_record_fn fn, void *ctx)
{
	struct ledger_query all = { 0 };
	struct list_ctx lc = { lg, q ? q : &all, fn, ctx, 0,
	                       { .fields = NULL }, NULL };
	int rc;

	record_init(&lc.rec);
	rc = store_read(lg->st, list_txn, &lc);
	record_free(&lc.rec);
	return rc;
}

/* ---- counts --------------------------------------------------------------- */

struct counts_ctx {
	size_t live, all;
};

/* Every live record has one date-index entry, so no record is read. */
static int counts_txn(struct store_txn *t, void *ctx)
{
	struct counts_ctx *cc = ctx;
	int rc = store_count(t, DB_BY_DATE, &cc->live);

	return rc ? rc : store_count(t, DB_RECORDS, &cc->all);
}

int ledger_counts(struct ledger *lg, size_t *live, size_t *deleted)
{
	struct counts_ctx cc = { 0, 0 };
	int rc = store_read(lg->st, counts_txn, &cc);

	if (rc)
		return rc;
	if (live)
		*live = cc.live;
	if (deleted)
		*deleted = cc.all > cc.live ? cc.all - cc.live : 0;
	return KP_OK;
}
