/* ledger_write.c - changing records one at a time (add, edit, delete) and
 * storing a revision.
 *
 * Every stored revision goes through ledger_put_revision, which writes its
 * bytes once in DB_CHANGES under the next sequence number, points
 * DB_RECORDS at them and writes the audit entry.  ledger_store_revision
 * adds, in the same write transaction, the record's date and duplicate
 * index entries and its totals (taking the previous revision's out): this
 * is the path of ledger_add, ledger_edit, ledger_delete and ledger_merge.
 * A batch of adds (ledger_batch.c) stores revisions with
 * ledger_put_new_revision and writes its index entries and totals itself.
 *
 * An edit or delete names the revision it started from; the stored
 * revision is compared with it inside the write transaction, where the
 * comparison decides (KP_E_TEMPFAIL when another clerk got there first).
 * A record of a closed year is refused in ledger_store_revision
 * (ledger_closed_guard) for every change but a merge, whatever the checks
 * before found: the year may have closed since.
 *
 * In a city database every revision stored marks its township as having
 * reported for the year of its date (ledger_reported.c).
 *
 * Uses ledger_check.c (the checks before storing), ledger_reported.c,
 * ledger_years.c (the guard), ledger_totals.c, ledger_read.c and
 * ledger_key.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

#define AUDIT_MAGIC "KA2"

/* ---- storing a revision --------------------------------------------------- */

/* An index entry written at once: ledger_store_revision's way. */
static int index_now(void *ctx, struct store_txn *t, enum store_db db,
                     const char *key, size_t kn, const char *val, size_t vn,
                     bool add)
{
	int rc;

	(void)ctx;
	if (add)
		return store_put(t, db, key, kn, val, vn);
	rc = store_del(t, db, key, kn, db == DB_DUPKEY ? val : NULL, vn);
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

static int put_indexes(struct store_txn *t, struct ledger *lg,
                       const struct record *r, bool add, ledger_index_fn ix,
                       void *ctx)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_date_key(lg, r, key);
	int rc;

	rc = ix(ctx, t, DB_BY_DATE, key, kn, "", 0, add);
	if (rc)
		return rc;
	kn = ledger_dup_key(lg, r, key);
	if (kn == 0)
		return KP_OK;
	return ix(ctx, t, DB_DUPKEY, key, kn, r->id, strlen(r->id), add);
}

static int sbuf_add_be32(struct sbuf *b, size_t n)
{
	unsigned char be[4] = {
		(unsigned char)(n >> 24), (unsigned char)(n >> 16),
		(unsigned char)(n >> 8), (unsigned char)n,
	};

	return sbuf_add(b, be, sizeof be);
}

/* An audit entry, kept under the sequence number of the revision it
 * stored (its "after", in DB_CHANGES): "KA2", time (8 bytes big-endian),
 * then user, action and id, each as a 4-byte big-endian length and the
 * bytes, then the sequence number (8 bytes big-endian) of the revision it
 * replaced ("before"; 0 for a new record).  Entries refer to revisions
 * instead of carrying copies: every revision's bytes are stored once. */
static int audit_put(struct store_txn *t, const struct ledger *lg,
                     const char *action, const struct record *rec,
                     const unsigned char after[8],
                     const unsigned char before[8], struct sbuf *b)
{
	unsigned char when[8];
	const char *parts[3] = { lg->user, action, rec->id };
	size_t i;
	int rc;

	sbuf_reset(b);
	store_be64((uint64_t)time(NULL), when);
	rc = sbuf_add(b, AUDIT_MAGIC, 3);
	if (!rc)
		rc = sbuf_add(b, when, sizeof when);
	for (i = 0; i < 3 && !rc; i++) {
		rc = sbuf_add_be32(b, strlen(parts[i]));
		if (!rc)
			rc = sbuf_adds(b, parts[i]);
	}
	if (!rc)
		rc = sbuf_add(b, before, 8);
	if (!rc)
		rc = store_put_last(t, DB_AUDIT, after, 8, b->s, b->len);
	return rc;
}

/* A record with attachments has encoding 3, which a kepu of an older
 * database format cannot read: the database says so first. */
static int format_for(struct store_txn *t, const struct record *rec)
{
	static const char key[] = "schema_version";
	char num[16];
	const void *v;
	size_t vn;
	int rc;

	if (rec->natt == 0)
		return KP_OK;
	rc = store_get(t, DB_META, key, sizeof key - 1, &v, &vn);
	if (rc == KP_OK && vn < sizeof num) {
		memcpy(num, v, vn);
		num[vn] = '\0';
		if (atoi(num) >= LEDGER_SCHEMA_VERSION)
			return KP_OK;
	} else if (rc != KP_NOTFOUND && rc != KP_OK) {
		return rc;
	}
	snprintf(num, sizeof num, "%d", LEDGER_SCHEMA_VERSION);
	return store_put(t, DB_META, key, sizeof key - 1, num, strlen(num));
}

static int put_revision(struct store_txn *t, struct ledger *lg, bool replaces,
                        const struct record *rec, const char *action,
                        struct sbuf *buf, bool last)
{
	unsigned char key[8], before[8] = { 0 };
	size_t idn = strlen(rec->id), vn;
	const void *v;
	uint64_t seq;
	int rc = KP_OK;

	if (replaces) {
		rc = store_get(t, DB_RECORDS, rec->id, idn, &v, &vn);
		if (rc == KP_OK && vn == sizeof before)
			memcpy(before, v, sizeof before);
		if (rc == KP_NOTFOUND)
			rc = KP_OK;
	}
	if (!rc)
		rc = format_for(t, rec);
	sbuf_reset(buf);
	if (!rc)
		rc = record_encode(rec, buf);
	if (!rc)
		rc = store_next_seq(t, "seq:changes", &seq);
	if (!rc) {
		store_be64(seq, key);
		rc = store_put_last(t, DB_CHANGES, key, sizeof key, buf->s, buf->len);
	}
	if (!rc)
		rc = last ? store_put_last(t, DB_RECORDS, rec->id, idn, key, sizeof key)
		          : store_put(t, DB_RECORDS, rec->id, idn, key, sizeof key);
	if (!rc)
		rc = audit_put(t, lg, action, rec, key, before, buf);
	/* The city has this township's figures for the year now, whether a
	 * bundle brought them or the city typed them in. */
	if (!rc && lg->mode == LEDGER_CITY_MODE)
		rc = ledger_reported_record_in(t, lg, rec);
	return rc;
}

int ledger_put_revision(struct store_txn *t, struct ledger *lg, bool replaces,
                        const struct record *rec, const char *action,
                        struct sbuf *buf)
{
	return put_revision(t, lg, replaces, rec, action, buf, false);
}

int ledger_put_new_revision(struct store_txn *t, struct ledger *lg,
                            const struct record *rec, const char *action,
                            struct sbuf *buf)
{
	return put_revision(t, lg, false, rec, action, buf, true);
}

int ledger_store_revision(struct store_txn *t, struct ledger *lg,
                          const struct record *old, const struct record *rec,
                          const char *action)
{
	return ledger_store_revision_ix(t, lg, old, rec, action, index_now, NULL);
}

int ledger_store_revision_ix(struct store_txn *t, struct ledger *lg,
                             const struct record *old,
                             const struct record *rec, const char *action,
                             ledger_index_fn ix, void *ctx)
{
	struct sbuf buf = { 0 };
	int rc;

	/* Every change made here (an add, edit, delete, attach or detach)
	 * leaves a closed year as it is, whatever the checks before found:
	 * the year may have been closed since.  A merge judges closed years
	 * itself (ledger_sync.c: a bundle may reopen the year). */
	if (strcmp(action, "merge") != 0 &&
	    (rc = ledger_closed_guard(t, lg, rec, old)) != KP_OK)
		return rc;
	/* A new id made now, or a township's in the order they made them,
	 * comes after the stored ones. */
	rc = put_revision(t, lg, old != NULL, rec, action, &buf, old == NULL);
	if (!rc && old && !old->deleted)
		rc = put_indexes(t, lg, old, false, ix, ctx);
	if (!rc && !rec->deleted)
		rc = put_indexes(t, lg, rec, true, ix, ctx);
	if (!rc && old)
		rc = ledger_totals_apply(t, lg, old, -1);
	if (!rc)
		rc = ledger_totals_apply(t, lg, rec, +1);
	sbuf_free(&buf);
	return rc;
}

/* ---- adding --------------------------------------------------------------- */

void ledger_stamp_new(const struct ledger *lg, struct record *r, int64_t now,
                      const char *id)
{
	if (id)
		memcpy(r->id, id, sizeof r->id);
	else
		record_new_id(r->id);
	r->rev = 1;
	r->form_version = lg->schema->version;
	/* both are RECORD_NAME_MAX long */
	memcpy(r->created_by, lg->user, sizeof r->created_by);
	memcpy(r->changed_by, lg->user, sizeof r->changed_by);
	r->created_at = r->changed_at = now;
	r->deleted = false;
}

struct add_ctx {
	struct ledger *lg;
	struct record *rec;
};

static int add_txn(struct store_txn *t, void *ctx)
{
	struct add_ctx *ac = ctx;

	return ledger_store_revision(t, ac->lg, NULL, ac->rec, "add");
}

/* Store new record rec, checked with result res (no errors). */
static int add_store(struct ledger *lg, struct record *rec)
{
	struct add_ctx ac = { lg, rec };
	int rc;

	ledger_stamp_new(lg, rec, (int64_t)time(NULL), NULL);
	rc = store_write(lg->st, add_txn, &ac);
	if (rc)
		rec->id[0] = 0;
	return rc;
}

int ledger_add(struct ledger *lg, struct record *rec,
               struct check_result *res)
{
	int rc;

	rec->id[0] = 0;
	rec->deleted = false;
	rc = ledger_check(lg, rec, res);
	if (rc)
		return rc;
	if (check_has_errors(res))
		return ledger_refuse();
	return add_store(lg, rec);
}

int ledger_add_checked(struct ledger *lg, struct record *rec,
                       struct check_result *res)
{
	if (rec->id[0] || rec->deleted || !ledger_was_checked(rec, res)) {
		check_result_free(res);
		return ledger_add(lg, rec, res);
	}
	if (check_has_errors(res))
		return ledger_refuse();
	return add_store(lg, rec);
}

/* ---- editing and deleting ------------------------------------------------- */

static int conflict(const struct record *cur, uint32_t base_rev)
{
	char when[32] = "?";
	time_t tt = (time_t)cur->changed_at;
	struct tm tm;

	if (localtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	return kp_err_set(KP_E_TEMPFAIL,
		LF("记录已被 %s 于 %s 修改（第 %u 版），您编辑的是第 %u 版",
		   "record was changed by %s at %s (revision %u); you edited "
		   "revision %u"),
		cur->changed_by, when, (unsigned)cur->rev, (unsigned)base_rev);
}

struct edit_ctx {
	struct ledger *lg;
	const char *id;
	uint32_t base_rev;
	struct record *rec;     /* the new fields; NULL to delete */
	struct record stored;
	struct record tomb;
	struct check_result *impacts;   /* a delete's, when not NULL */
};

static void stamp_change(const struct ledger *lg, struct record *r,
                         const struct record *stored)
{
	snprintf(r->id, sizeof r->id, "%s", stored->id);
	snprintf(r->form, sizeof r->form, "%s", stored->form);
	snprintf(r->created_by, sizeof r->created_by, "%s", stored->created_by);
	snprintf(r->changed_by, sizeof r->changed_by, "%s", lg->user);
	r->created_at = stored->created_at;
	r->changed_at = (int64_t)time(NULL);
	r->rev = stored->rev + 1;
	r->form_version = lg->schema->version;
}

static int edit_txn(struct store_txn *t, void *ctx)
{
	struct edit_ctx *ec = ctx;
	struct record *next = ec->rec;
	int rc;

	rc = ledger_load_in(t, ec->id, &ec->stored);
	if (rc == KP_NOTFOUND || (!rc && ec->stored.deleted))
		return ledger_not_found(ec->id);
	if (rc)
		return rc;
	if (ec->stored.rev != ec->base_rev)
		return conflict(&ec->stored, ec->base_rev);
	if (!next) {
		record_free(&ec->tomb);
		rc = record_copy(&ec->tomb, &ec->stored);
		if (rc)
			return rc;
		next = &ec->tomb;
		next->deleted = true;
		if (ec->impacts) {
			/* Run again when the map grew: start from nothing. */
			check_result_free(ec->impacts);
			rc = ledger_impacts_in(t, ec->lg, next, &ec->stored,
			                       ec->impacts);
			if (rc)
				return rc;
		}
	} else if ((rc = record_att_copy(next, &ec->stored))) {
		/* the attachments are the stored ones (ledger_attach changes them) */
		return rc;
	}
	stamp_change(ec->lg, next, &ec->stored);
	return ledger_store_revision(t, ec->lg, &ec->stored, next,
	                             ec->rec ? "edit" : "delete");
}

static void give_current(struct record *current, const struct record *stored)
{
	if (!current)
		return;
	record_free(current);
	record_copy(current, stored);
}

/* Run an edit or delete; on a revision conflict hand back the record. */
static int run_edit(struct edit_ctx *ec, struct record *current)
{
	int rc;

	rc = store_write(ec->lg->st, edit_txn, ec);
	if (rc == KP_E_TEMPFAIL && ec->stored.id[0])
		give_current(current, &ec->stored);
	record_free(&ec->stored);
	record_free(&ec->tomb);
	return rc;
}

/* ledger_edit and ledger_edit_checked: the checks run unless res holds
 * those of rec as it is once its id, form and township are the stored
 * record's. */
static int edit_common(struct ledger *lg, const char *id, uint32_t base_rev,
                       struct record *rec, struct check_result *res,
                       struct record *current, bool checked)
{
	struct edit_ctx ec = { lg, id, base_rev, rec, { .fields = NULL },
	                       { .fields = NULL }, NULL };
	int rc;

	record_init(&ec.stored);
	record_init(&ec.tomb);
	rc = ledger_get(lg, id, &ec.stored);
	if (rc == KP_OK && ec.stored.deleted)
		rc = ledger_not_found(id);
	if (rc == KP_OK && ec.stored.rev != base_rev) {
		rc = conflict(&ec.stored, base_rev);
		give_current(current, &ec.stored);
	}
	if (rc)
		goto out;
	snprintf(rec->id, sizeof rec->id, "%s", id);
	snprintf(rec->form, sizeof rec->form, "%s", ec.stored.form);
	if (!rec->township[0] || lg->mode == LEDGER_TOWNSHIP)
		snprintf(rec->township, sizeof rec->township, "%s",
		         ec.stored.township);
	rec->deleted = false;
	if (!checked || !ledger_was_checked(rec, res)) {
		check_result_free(res);
		rc = ledger_check(lg, rec, res);
	}
	if (!rc && check_has_errors(res))
		rc = ledger_refuse();
	if (!rc)
		return run_edit(&ec, current);
out:
	record_free(&ec.stored);
	return rc;
}

int ledger_edit(struct ledger *lg, const char *id, uint32_t base_rev,
                struct record *rec, struct check_result *res,
                struct record *current)
{
	return edit_common(lg, id, base_rev, rec, res, current, false);
}

int ledger_edit_checked(struct ledger *lg, const char *id, uint32_t base_rev,
                        struct record *rec, struct check_result *res,
                        struct record *current)
{
	return edit_common(lg, id, base_rev, rec, res, current, true);
}

int ledger_delete(struct ledger *lg, const char *id, uint32_t base_rev,
                  struct check_result *res)
{
	struct edit_ctx ec = { lg, id, base_rev, NULL, { .fields = NULL },
	                       { .fields = NULL }, res };

	record_init(&ec.stored);
	record_init(&ec.tomb);
	return run_edit(&ec, NULL);
}
