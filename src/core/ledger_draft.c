/* ledger_draft.c - drafts: half-filled records kept in DB_DRAFTS across a
 * dropped link, several per Unix account.
 *
 * Each draft has a key of its own, made by whoever keeps it (the entry
 * screen uses a new ULID per sheet, or the key of the draft it resumed),
 * stored as "user \0 key", so two sessions of one login never overwrite
 * each other.  The value is "KD1", the time it was kept (8 bytes
 * big-endian Unix seconds) and the encoded record.  A draft kept by an
 * older kepu (key "user", the bare record) is still listed, with the key
 * "" and no time.  A draft is not a stored revision: it has no indexes,
 * totals, change or audit entry, and is not checked.  Uses nothing of the
 * ledger's other files.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"

#define DRAFT_MAGIC "KD1"
#define DRAFT_HEAD (3 + 8)

struct draft_ctx {
	struct ledger *lg;
	struct sbuf key;
	struct sbuf val;
	struct record *out;
	int64_t *saved_at;
	ledger_draft_fn fn;
	void *fnctx;
	struct record scratch;
};

/* "user" for the legacy draft (key ""), else "user \0 key". */
static int draft_key(struct draft_ctx *dc, const char *key)
{
	sbuf_reset(&dc->key);
	if (key && strlen(key) > LEDGER_DRAFT_KEY_MAX)
		return kp_err_set(KP_E_USAGE, "%s", L("草稿编号太长",
		                                      "draft key too long"));
	if (sbuf_adds(&dc->key, dc->lg->user) != KP_OK)
		return KP_E_NOMEM;
	if (key && *key && (sbuf_addc(&dc->key, '\0') != KP_OK ||
	                    sbuf_adds(&dc->key, key) != KP_OK))
		return KP_E_NOMEM;
	return KP_OK;
}

/* The record (and time kept) of a stored draft value. */
static int draft_decode(const void *v, size_t vn, struct record *out,
                        int64_t *saved_at)
{
	const unsigned char *u = v;

	if (vn >= DRAFT_HEAD && memcmp(u, DRAFT_MAGIC, 3) == 0) {
		if (saved_at)
			*saved_at = (int64_t)store_from_be64(u + 3);
		return record_decode(u + DRAFT_HEAD, vn - DRAFT_HEAD, out);
	}
	if (saved_at)
		*saved_at = 0;
	return record_decode(v, vn, out);
}

static int draft_put_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;

	return store_put(t, DB_DRAFTS, dc->key.s, dc->key.len, dc->val.s,
	                 dc->val.len);
}

static void draft_ctx_free(struct draft_ctx *dc)
{
	sbuf_free(&dc->key);
	sbuf_free(&dc->val);
	record_free(&dc->scratch);
}

static void draft_ctx_init(struct draft_ctx *dc, struct ledger *lg)
{
	memset(dc, 0, sizeof *dc);
	dc->lg = lg;
	record_init(&dc->scratch);
}

int ledger_draft_put(struct ledger *lg, const char *key,
                     const struct record *rec)
{
	struct draft_ctx dc;
	unsigned char when[8];
	int rc;

	draft_ctx_init(&dc, lg);
	if (!key || !*key) {
		rc = kp_err_set(KP_E_USAGE, "%s", L("草稿需要编号",
		                                    "a draft needs a key"));
		goto out;
	}
	store_be64((uint64_t)time(NULL), when);
	rc = draft_key(&dc, key);
	if (!rc)
		rc = sbuf_add(&dc.val, DRAFT_MAGIC, 3);
	if (!rc)
		rc = sbuf_add(&dc.val, when, sizeof when);
	if (!rc)
		rc = record_encode(rec, &dc.val);
	if (!rc)
		rc = store_write(lg->st, draft_put_txn, &dc);
out:
	draft_ctx_free(&dc);
	return rc;
}

static int draft_get_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_DRAFTS, dc->key.s, dc->key.len, &v, &vn);

	if (rc)
		return rc;
	record_free(dc->out);
	return draft_decode(v, vn, dc->out, dc->saved_at);
}

int ledger_draft_get(struct ledger *lg, const char *key, struct record *out)
{
	struct draft_ctx dc;
	int rc;

	draft_ctx_init(&dc, lg);
	dc.out = out;
	rc = draft_key(&dc, key);
	if (!rc)
		rc = store_read(lg->st, draft_get_txn, &dc);
	draft_ctx_free(&dc);
	return rc;
}

/* Every key of this account: "user" itself, then "user \0 ...". */
static int draft_list_fn(void *ctx, const void *k, size_t kn, const void *v,
                         size_t vn)
{
	struct draft_ctx *dc = ctx;
	size_t un = strlen(dc->lg->user);
	char key[LEDGER_DRAFT_KEY_MAX + 1];
	int64_t saved_at = 0;
	int rc;

	if (kn < un || memcmp(k, dc->lg->user, un) != 0 ||
	    (kn > un && ((const char *)k)[un] != '\0'))
		return KP_NOTFOUND;
	if (kn > un + 1 + LEDGER_DRAFT_KEY_MAX || kn == un + 1)
		return KP_OK;   /* not a key kepu makes: leave it alone */
	kn = kn > un ? kn - un - 1 : 0;     /* the key's length */
	memcpy(key, (const char *)k + un + 1, kn);
	key[kn] = '\0';
	record_free(&dc->scratch);
	rc = draft_decode(v, vn, &dc->scratch, &saved_at);
	if (rc)
		return KP_OK;   /* a damaged draft is not worth failing for */
	return dc->fn(dc->fnctx, key, &dc->scratch, saved_at);
}

static int draft_list_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;

	return store_iter(t, DB_DRAFTS, dc->lg->user, strlen(dc->lg->user),
	                  false, draft_list_fn, dc);
}

int ledger_drafts(struct ledger *lg, ledger_draft_fn fn, void *ctx)
{
	struct draft_ctx dc;
	int rc;

	draft_ctx_init(&dc, lg);
	dc.fn = fn;
	dc.fnctx = ctx;
	rc = store_read(lg->st, draft_list_txn, &dc);
	draft_ctx_free(&dc);
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

static int draft_drop_txn(struct store_txn *t, void *ctx)
{
	struct draft_ctx *dc = ctx;
	int rc = store_del(t, DB_DRAFTS, dc->key.s, dc->key.len, NULL, 0);

	return rc == KP_NOTFOUND ? KP_OK : rc;
}

int ledger_draft_drop(struct ledger *lg, const char *key)
{
	struct draft_ctx dc;
	int rc;

	draft_ctx_init(&dc, lg);
	rc = draft_key(&dc, key);
	if (!rc)
		rc = store_write(lg->st, draft_drop_txn, &dc);
	draft_ctx_free(&dc);
	return rc;
}
