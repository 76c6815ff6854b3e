/* ledger_draft.c - drafts: one half-filled record per Unix account, kept in
 * DB_DRAFTS across a dropped link.  A draft is not a stored revision: it
 * has no indexes, totals, change or audit entry, and is not checked.  Uses
 * nothing of the ledger's other files.
 */
#include "config.h"

#include <string.h>

#include "err.h"
#include "ledger.h"
#include "text.h"

struct draft_ctx {
	struct ledger *lg;
	struct sbuf enc;
	struct record *out;
};

static int draft_put_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;

	return store_put(t, DB_DRAFTS, dc->lg->user, strlen(dc->lg->user),
	                 dc->enc.s, dc->enc.len);
}

int ledger_draft_put(struct ledger *lg, const struct record *rec)
{
	struct draft_ctx dc = { lg, { NULL, 0, 0 }, NULL };
	int rc = record_encode(rec, &dc.enc);

	if (!rc)
		rc = store_write(lg->st, draft_put_txn, &dc);
	sbuf_free(&dc.enc);
	return rc;
}

static int draft_get_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_DRAFTS, dc->lg->user, strlen(dc->lg->user),
	                   &v, &vn);

	if (rc)
		return rc;
	record_free(dc->out);
	return record_decode(v, vn, dc->out);
}

int ledger_draft_get(struct ledger *lg, struct record *out)
{
	struct draft_ctx dc = { lg, { NULL, 0, 0 }, out };

	return store_read(lg->st, draft_get_txn, &dc);
}

static int draft_drop_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;
	int rc = store_del(t, DB_DRAFTS, dc->lg->user, strlen(dc->lg->user),
	                   NULL, 0);

	return rc == KP_NOTFOUND ? KP_OK : rc;
}

int ledger_draft_drop(struct ledger *lg)
{
	struct draft_ctx dc = { lg, { NULL, 0, 0 }, NULL };

	return store_write(lg->st, draft_drop_txn, &dc);
}
