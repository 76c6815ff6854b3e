/* ledger_attach.c - the files records carry as evidence: attaching and
 * detaching (each a new revision of the record), listing them, and the
 * stored bytes.
 *
 * The bytes of every attached file live once in DB_ATTACH under their
 * SHA-256, whichever records and revisions name them; the record's list of
 * attachments (name, SHA-256, size, type) is part of the record (record.h),
 * so it is in every revision, the change sequence, the audit log and
 * bundles like any field.  Bytes are never removed: an older revision
 * still names what was detached (docs/architecture.md says why the bytes
 * live in the database).
 *
 * Uses ledger_write.c (storing a revision) and ledger_read.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "attach.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

/* ---- the bytes ------------------------------------------------------------ */

static int have_in(struct store_txn *t, const unsigned char sha[RECORD_SHA_LEN],
                   bool *have)
{
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_ATTACH, sha, RECORD_SHA_LEN, &v, &vn);

	*have = rc == KP_OK;
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

/* Store bytes under their digest unless they are there already. */
static int put_in(struct store_txn *t, const unsigned char sha[RECORD_SHA_LEN],
                  const void *data, size_t len, bool *added)
{
	bool have;
	int rc = have_in(t, sha, &have);

	if (added)
		*added = false;
	if (rc || have)
		return rc;
	if (added)
		*added = true;
	return store_put(t, DB_ATTACH, sha, RECORD_SHA_LEN, data, len);
}

struct have_ctx {
	const unsigned char *sha;
	bool have;
};

static int have_txn(struct store_txn *t, void *ctx)
{
	struct have_ctx *hc = ctx;

	return have_in(t, hc->sha, &hc->have);
}

int ledger_attach_have(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                       bool *have)
{
	struct have_ctx hc = { sha, false };
	int rc = store_read(lg->st, have_txn, &hc);

	*have = hc.have;
	return rc;
}

struct put_ctx {
	const unsigned char *sha;
	const void *data;
	size_t len;
	bool added;
};

static int put_txn(struct store_txn *t, void *ctx)
{
	struct put_ctx *pc = ctx;

	return put_in(t, pc->sha, pc->data, pc->len, &pc->added);
}

int ledger_attach_put(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                      const void *data, size_t len, bool *added)
{
	unsigned char h[RECORD_SHA_LEN];
	struct put_ctx pc = { sha, data, len, false };
	char hex[ATTACH_HEX_LEN + 1];
	int rc;

	if (added)
		*added = false;
	crypto_hash_sha256(h, data, len);
	if (memcmp(h, sha, sizeof h) != 0) {
		attach_hex(sha, hex);
		return kp_err_set(KP_E_DATA, LF("附件 %s 的内容与其 SHA-256 不符",
		                  "the bytes of attachment %s do not have its SHA-256"),
		                  hex);
	}
	rc = store_write(lg->st, put_txn, &pc);
	if (rc == KP_OK && added)
		*added = pc.added;
	return rc;
}

struct read_ctx {
	const unsigned char *sha;
	int (*sink)(void *ctx, const void *p, size_t n);
	void *ctx;
};

static int read_txn(struct store_txn *t, void *ctx)
{
	struct read_ctx *rc = ctx;
	const void *v;
	size_t vn;
	int st = store_get(t, DB_ATTACH, rc->sha, RECORD_SHA_LEN, &v, &vn);

	return st ? st : rc->sink(rc->ctx, v, vn);
}

int ledger_attach_bytes(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                        int (*sink)(void *ctx, const void *p, size_t n),
                        void *ctx)
{
	struct read_ctx rc = { sha, sink, ctx };

	return store_read(lg->st, read_txn, &rc);
}

struct count_ctx {
	size_t n;
	uint64_t bytes;
};

static int count_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	struct count_ctx *cc = ctx;

	(void)k;
	(void)kn;
	(void)v;
	cc->n++;
	cc->bytes += vn;
	return KP_OK;
}

static int count_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_ATTACH, NULL, 0, false, count_fn, ctx);
}

int ledger_attach_count(struct ledger *lg, size_t *n, uint64_t *bytes)
{
	struct count_ctx cc = { 0, 0 };
	int rc = store_read(lg->st, count_txn, &cc);

	if (n)
		*n = cc.n;
	if (bytes)
		*bytes = cc.bytes;
	return rc;
}

struct verify_ctx {
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
	size_t n, bad;
	uint64_t bytes;
};

static int verify_fn(void *ctx, const void *k, size_t kn, const void *v,
                     size_t vn)
{
	struct verify_ctx *vc = ctx;
	unsigned char h[RECORD_SHA_LEN];
	char hex[ATTACH_HEX_LEN + 1], msg[256];

	vc->n++;
	vc->bytes += vn;
	crypto_hash_sha256(h, v, vn);
	if (kn == RECORD_SHA_LEN && memcmp(h, k, kn) == 0)
		return KP_OK;
	vc->bad++;
	if (kn == RECORD_SHA_LEN)
		attach_hex(k, hex);
	else
		snprintf(hex, sizeof hex, "?");
	snprintf(msg, sizeof msg, LF("附件 %s 的内容已损坏（与其 SHA-256 不符）",
	         "attachment %s is damaged (its bytes do not have its SHA-256)"), hex);
	if (vc->fn)
		vc->fn(vc->ctx, msg);
	return KP_OK;
}

static int verify_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_ATTACH, NULL, 0, false, verify_fn, ctx);
}

int ledger_attach_verify(struct ledger *lg, void (*fn)(void *ctx, const char *msg),
                         void *ctx, size_t *n, uint64_t *bytes)
{
	struct verify_ctx vc = { fn, ctx, 0, 0, 0 };
	int rc = store_read(lg->st, verify_txn, &vc);

	if (n)
		*n = vc.n;
	if (bytes)
		*bytes = vc.bytes;
	if (rc == KP_OK && vc.bad)
		rc = kp_err_set(KP_E_DATA, LF("%zu 个附件已损坏", "%zu attachments are damaged"),
		                vc.bad);
	return rc;
}

/* ---- attaching and detaching ---------------------------------------------- */

struct att_ctx {
	struct ledger *lg;
	const char *id;
	uint32_t base_rev;
	const struct attach_file *files;   /* attach: n files */
	size_t n;
	const char *name;                  /* detach */
	struct record stored, next;
};

/* A refusal naming an attachment: (text shown goes through cli_msg or
 * the TUI's drawing, which make control characters visible). */
static int refuse_name(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse_name(int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return kp_err_set(code, "%s", buf);
}

/* The stored record, live, at the revision the change started from. */
static int att_load(struct store_txn *t, struct att_ctx *ac)
{
	char when[32] = "?";
	time_t tt;
	struct tm tm;
	int rc = ledger_load_in(t, ac->id, &ac->stored);

	if (rc == KP_NOTFOUND || (!rc && ac->stored.deleted))
		return ledger_not_found(ac->id);
	if (rc || !ac->base_rev || ac->stored.rev == ac->base_rev)
		return rc;
	tt = (time_t)ac->stored.changed_at;
	if (localtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	return kp_err_set(KP_E_TEMPFAIL,
		LF("记录已被 %s 于 %s 修改（第 %u 版），您看到的是第 %u 版",
		   "record was changed by %s at %s (revision %u); you saw "
		   "revision %u"), ac->stored.changed_by, when,
		(unsigned)ac->stored.rev, (unsigned)ac->base_rev);
}

/* The next revision: the stored one with the list changed, by this user
 * now.  Its fields and form version stay: they are not checked again. */
static int att_next(struct att_ctx *ac)
{
	int rc = record_copy(&ac->next, &ac->stored);

	if (rc)
		return rc;
	snprintf(ac->next.changed_by, sizeof ac->next.changed_by, "%s",
	         ac->lg->user);
	ac->next.changed_at = (int64_t)time(NULL);
	ac->next.rev = ac->stored.rev + 1;
	return KP_OK;
}

static int attach_txn(struct store_txn *t, void *ctx)
{
	struct att_ctx *ac = ctx;
	size_t i;
	int rc;

	if ((rc = att_load(t, ac)) || (rc = att_next(ac)))
		return rc;
	for (i = 0; i < ac->n; i++) {
		const struct attach_file *f = &ac->files[i];

		if (record_att_find(&ac->next, f->meta.name))
			return refuse_name(KP_E_DATA, LF("记录已有名为“%s”的附件；"
			                   "同名的要先移除（kepu detach）",
			                   "the record has an attachment named '%s' "
			                   "already; detach it first (kepu detach)"),
			                   f->meta.name);
		if ((rc = record_att_add(&ac->next, &f->meta)) ||
		    (rc = put_in(t, f->meta.sha, f->data, f->len, NULL)))
			return rc;
	}
	return ledger_store_revision(t, ac->lg, &ac->stored, &ac->next, "attach");
}

static int detach_txn(struct store_txn *t, void *ctx)
{
	struct att_ctx *ac = ctx;
	int rc;

	if ((rc = att_load(t, ac)) || (rc = att_next(ac)))
		return rc;
	if (record_att_remove(&ac->next, ac->name) == KP_NOTFOUND)
		return refuse_name(KP_NOTFOUND, LF("记录没有名为“%s”的附件",
		                   "the record has no attachment named '%s'"),
		                   ac->name);
	return ledger_store_revision(t, ac->lg, &ac->stored, &ac->next, "detach");
}

static int att_run(struct att_ctx *ac, store_txn_fn fn, struct record *out)
{
	int rc;

	/* A revision made at the city would have the number of the
	 * township's next one, which the city would then take for the same
	 * and drop. */
	if (ac->lg->mode == LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", L("附件由镇街附上，随数据包报送；"
		                  "市级数据库不附上、不移除附件",
		                  "attachments come from the townships with their "
		                  "bundles; a city database does not attach or detach"));

	record_init(&ac->stored);
	record_init(&ac->next);
	rc = store_write(ac->lg->st, fn, ac);
	if (out && (rc == KP_OK || (rc == KP_E_TEMPFAIL && ac->stored.id[0]))) {
		record_free(out);
		if (record_copy(out, rc == KP_OK ? &ac->next : &ac->stored) != KP_OK)
			rc = kp_err_nomem();
	}
	record_free(&ac->stored);
	record_free(&ac->next);
	return rc;
}

int ledger_attach(struct ledger *lg, const char *id, uint32_t base_rev,
                  const struct attach_file *files, size_t n,
                  struct record *out)
{
	struct att_ctx ac = { .lg = lg, .id = id, .base_rev = base_rev,
	                      .files = files, .n = n };
	size_t i, j;

	if (n == 0)
		return kp_err_set(KP_E_USAGE, "%s", L("没有要附上的文件",
		                  "no file to attach"));
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(files[i].meta.name, files[j].meta.name) == 0)
				return refuse_name(KP_E_DATA, LF("“%s”出现了两次：同一记录的"
				                   "附件名不能重复", "'%s' is given twice: "
				                   "a record's attachments have different "
				                   "names"), files[i].meta.name);
	return att_run(&ac, attach_txn, out);
}

int ledger_detach(struct ledger *lg, const char *id, uint32_t base_rev,
                  const char *name, struct record *out)
{
	struct att_ctx ac = { .lg = lg, .id = id, .base_rev = base_rev,
	                      .name = name };

	return att_run(&ac, detach_txn, out);
}

/* ---- listing and getting -------------------------------------------------- */

struct list_ctx {
	const char *id;
	struct record rec;
	ledger_att_fn fn;
	void *ctx;
};

static int list_txn(struct store_txn *t, void *ctx)
{
	struct list_ctx *lc = ctx;
	size_t i;
	bool have;
	int rc = ledger_load_in(t, lc->id, &lc->rec);

	if (rc == KP_NOTFOUND)
		return ledger_not_found(lc->id);
	for (i = 0; !rc && i < lc->rec.natt; i++) {
		if ((rc = have_in(t, lc->rec.att[i].sha, &have)) == KP_OK)
			rc = lc->fn(lc->ctx, &lc->rec.att[i], have);
	}
	return rc == KP_NOTFOUND ? KP_OK : rc;   /* fn stopped */
}

int ledger_attach_list(struct ledger *lg, const char *id, ledger_att_fn fn,
                       void *ctx)
{
	struct list_ctx lc = { id, { .fields = NULL }, fn, ctx };
	int rc;

	record_init(&lc.rec);
	rc = store_read(lg->st, list_txn, &lc);
	record_free(&lc.rec);
	return rc;
}

struct get_ctx {
	const char *id, *name;
	struct record rec;
	struct record_att meta;
	int (*sink)(void *ctx, const void *p, size_t n);
	void *ctx;
};

static int get_txn(struct store_txn *t, void *ctx)
{
	struct get_ctx *gc = ctx;
	const struct record_att *a;
	const void *v;
	size_t vn;
	int rc = ledger_load_in(t, gc->id, &gc->rec);

	if (rc == KP_NOTFOUND)
		return ledger_not_found(gc->id);
	if (rc)
		return rc;
	if (!(a = record_att_find(&gc->rec, gc->name)))
		return refuse_name(KP_NOTFOUND, LF("记录没有名为“%s”的附件",
		                   "the record has no attachment named '%s'"),
		                   gc->name);
	gc->meta = *a;
	rc = store_get(t, DB_ATTACH, a->sha, RECORD_SHA_LEN, &v, &vn);
	if (rc == KP_NOTFOUND)
		return refuse_name(KP_E_NOINPUT, LF("附件“%s”的内容还没有收到（数据包是用 "
		                   "--no-attachments 导出的）；等含附件的数据包（如 kepu "
		                   "export --full 写出的）导入后再取",
		                   "the bytes of attachment '%s' have not arrived (the "
		                   "bundle was exported with --no-attachments); they "
		                   "come with a bundle that carries them, such as one "
		                   "of kepu export --full"), gc->name);
	return rc ? rc : gc->sink(gc->ctx, v, vn);
}

int ledger_attach_get(struct ledger *lg, const char *id, const char *name,
                      int (*sink)(void *ctx, const void *p, size_t n),
                      void *ctx, struct record_att *meta)
{
	struct get_ctx gc = { id, name, { .fields = NULL }, { .size = 0 }, sink,
	                      ctx };
	int rc;

	record_init(&gc.rec);
	rc = store_read(lg->st, get_txn, &gc);
	if (meta)
		*meta = gc.meta;
	record_free(&gc.rec);
	return rc;
}
