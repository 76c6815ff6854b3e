/* ledger_sync.c - what travels between databases: the change sequence
 * (what an incremental export sends) and merging revisions made elsewhere
 * (what an import receives).
 *
 * Every stored revision has a sequence number in DB_CHANGES
 * (ledger_write.c gives it); ledger_changes reads them in order.  A merge
 * keeps the ids, revisions, users and times it is given: each revision is
 * checked against the rules of the form version it was saved under
 * (ledger_schema_of; check.h: no database warnings),
 * compared with the stored revision of its id and, when newer, stored
 * through ledger_store_revision_ix (its index entries written in key
 * order, a chunk at a time), all in one write transaction, a revision at
 * a time as its source hands them over (ledger_merge_rows).  With a
 * township's bundle come its year events and the years it reports for
 * (struct merge_bundle): stored in the same transaction, after the
 * revisions, which are judged against the years closed before it.
 *
 * Uses ledger_forms.c (the version a revision was saved under),
 * ledger_write.c (storing a revision), ledger_read.c (the stored
 * revision of a record), ledger_years.c (closed years, storing events)
 * and ledger_reported.c (the years reported for).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "stop.h"
#include "text.h"

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

/* Each record's newest revision: the one DB_RECORDS points at. */
struct latest_ctx {
	ledger_change_fn fn;
	void *ctx;
	uint64_t after, last;
	struct record rec;
	struct store_txn *t;
};

static int latest_fn(void *ctx, const void *k, size_t kn, const void *v,
                     size_t vn)
{
	struct latest_ctx *lc = ctx;
	const void *at;
	size_t atn;
	uint64_t seq;
	int rc;

	if (kn != 8)
		return KP_OK;
	seq = store_from_be64(k);
	if (seq <= lc->after)
		return KP_OK;
	lc->last = seq;
	record_free(&lc->rec);
	rc = record_decode(v, vn, &lc->rec);
	if (rc)
		return kp_err_wrap(rc, LF("变更 %llu", "change %llu"),
		                   (unsigned long long)seq);
	rc = store_get(lc->t, DB_RECORDS, lc->rec.id, strlen(lc->rec.id), &at, &atn);
	if (rc == KP_NOTFOUND || (rc == KP_OK && (atn != 8 || memcmp(at, k, 8))))
		return KP_OK;
	return rc ? rc : lc->fn(lc->ctx, seq, &lc->rec);
}

static int latest_txn(struct store_txn *t, void *ctx)
{
	struct latest_ctx *lc = ctx;
	unsigned char start[8];

	lc->t = t;
	store_be64(lc->after + 1, start);
	return store_iter(t, DB_CHANGES, start, sizeof start, false, latest_fn, lc);
}

int ledger_changes_latest(struct ledger *lg, uint64_t after_seq,
                          ledger_change_fn fn, void *ctx, uint64_t *last)
{
	struct latest_ctx lc = { fn, ctx, after_seq, after_seq, { .fields = NULL },
	                         NULL };
	int rc;

	record_init(&lc.rec);
	rc = store_read(lg->st, latest_txn, &lc);
	record_free(&lc.rec);
	if (!rc && last)
		*last = lc.last;
	return rc;
}

/* ---- merging -------------------------------------------------------------- */

/* fn's status that makes store_write abort a merge that must not stay. */
#define MERGE_ROLLBACK (-1)

static int reject(struct check_result *res, enum finding_kind kind,
                  const char *field, const char *zh, const char *en)
{
	return check_add(res, SEV_ERROR, kind, field, zh, en);
}

/* Whether township is a township of the schema (city records) or, in a
 * township database, the database's own. */
static bool township_ok(const struct ledger *lg, const char *township)
{
	if (!township || !*township)
		return false;
	if (lg->mode == LEDGER_TOWNSHIP)
		return strcmp(township, lg->township) == 0;
	return schema_township(lg->schema, township) != NULL;
}

static int merge_township(struct ledger *lg, struct record *r,
                          struct check_result *res)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	if (township_ok(lg, r->township))
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
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];
	unsigned long cp = 0;
	size_t i, pos = 0;
	int rc = KP_OK;

	for (i = 0; i < r->nfields && !rc; i++) {
		const struct kv *kv = &r->fields[i];

		if (!form_field(f, kv->name)) {
			snprintf(zh, sizeof zh, "表单没有这个字段：%s", kv->name);
			snprintf(en, sizeof en, "the form has no field %s", kv->name);
			rc = reject(res, FK_UNKNOWN_FIELD, kv->name, zh, en);
		} else if (text_find_unstorable(kv->value, &pos, &cp) != TEXT_GOOD) {
			snprintf(zh, sizeof zh, "第 %zu 个字符 U+%04lX 不能保存（控制字符或看不见的格式字符）",
			         pos, cp);
			snprintf(en, sizeof en, "character %zu, U+%04lX, cannot be stored "
			         "(a control or invisible formatting character)", pos, cp);
			rc = reject(res, FK_TEXT, kv->name, zh, en);
		}
	}
	return rc;
}

/* The forms a revision was saved under (0: the current ones), as
 * ledger_schema_for finds them; a newer version than the database has it
 * must load first (a township on forms the city has not loaded yet is
 * told so). */
static int merge_schema(struct ledger *lg, struct record *r,
                        struct check_result *res, const struct schema **s)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];
	int rc;

	if (r->form_version == 0)
		r->form_version = lg->schema->version;
	rc = ledger_schema_for(lg, r->form_version, s);
	if (rc != KP_NOTFOUND)
		return rc;
	snprintf(zh, sizeof zh, "记录按第 %u 版表单保存，本数据库尚未载入这一版",
	         r->form_version);
	snprintf(en, sizeof en, "the record was saved under forms version %u, "
	         "which this database has not loaded yet", r->form_version);
	return reject(res, FK_UNKNOWN_FIELD, "", zh, en);
}

/* A record's attachments from elsewhere: names that are no paths, known
 * types, sizes within the limit (a bundle's checks say so first; these
 * hold for any caller). */
static int merge_attachments(const struct record *r, struct check_result *res)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX], *safe;
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < r->natt && !rc; i++) {
		const struct record_att *a = &r->att[i];
		bool name_ok = attach_name_check(a->name) == KP_OK;

		if (name_ok && attach_type_known(a->type) && a->size > 0 &&
		    a->size <= ATTACH_MAX_BYTES)
			continue;
		safe = text_for_terminal(a->name);
		snprintf(zh, sizeof zh, "附件“%s”%s", safe ? safe : "?",
		         name_ok ? "的类型或大小无效" : "的名字不能用");
		snprintf(en, sizeof en, "attachment '%s': %s", safe ? safe : "?",
		         name_ok ? "invalid type or size" : "the name cannot be used");
		free(safe);
		rc = reject(res, name_ok ? FK_TYPE : FK_TEXT, "attachments", zh, en);
	}
	return rc;
}

/* What makes a revision from elsewhere acceptable at all. */
static int merge_validate(struct ledger *lg, struct record *r,
                          struct check_result *res)
{
	const struct schema *s = NULL;
	const struct form *f;
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];
	int rc = merge_schema(lg, r, res, &s);

	if (rc || !s)
		return rc;
	f = schema_form(s, r->form);
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
	if (!rc)
		rc = merge_attachments(r, res);
	if (!rc && r->deleted)
		rc = merge_tombstone_fields(f, r, res);
	if (!rc && !r->deleted)
		rc = check_record_rules(s, f, r, lg->mode == LEDGER_TOWNSHIP
		                        ? lg->township : NULL, res);
	/* "Not after today" was judged by the clock of the database that
	 * made the revision; this one's may be behind it. */
	if (!rc)
		check_drop_kind(res, FK_FUTURE);
	return rc;
}

/* ---- a merge's index entries, in key order ---------------------------------- */

/* The date and duplicate index entries a merge adds and takes away wait
 * here and are written in key order (and, for one key, in the order they
 * came) when IXQ_MAX wait and at the end: a bundle's records come in the
 * order they were changed, and writing their entries as they come would
 * touch the pages of those trees at random, which a database larger than
 * the memory at hand pays for with a read of the disk each. */
#define IXQ_MAX 65536

struct ixop {
	size_t off, kn, vn;     /* key, then value, in buf */
	size_t seq;
	bool dup, add;
};

struct ixq {
	struct sbuf buf;
	struct ixop *op;
	size_t n, cap;
};

static _Thread_local const struct ixq *sort_q;

static int span_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

static int ixop_cmp(const void *x, const void *y)
{
	const struct ixop *a = x, *b = y;
	const char *s = sort_q->buf.s;
	int c;

	if (a->dup != b->dup)
		return a->dup ? 1 : -1;
	if ((c = span_cmp(s + a->off, a->kn, s + b->off, b->kn)) ||
	    (c = span_cmp(s + a->off + a->kn, a->vn, s + b->off + b->kn, b->vn)))
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int ixq_flush(struct store_txn *t, struct ixq *q)
{
	size_t i;
	int rc = KP_OK;

	if (q->n > 1) {
		sort_q = q;
		qsort(q->op, q->n, sizeof *q->op, ixop_cmp);
		sort_q = NULL;
	}
	for (i = 0; i < q->n && !rc; i++) {
		const struct ixop *o = &q->op[i];
		const char *k = q->buf.s + o->off, *v = k + o->kn;
		enum store_db db = o->dup ? DB_DUPKEY : DB_BY_DATE;

		if (o->add)
			rc = store_put(t, db, k, o->kn, v, o->vn);
		else if ((rc = store_del(t, db, k, o->kn, o->dup ? v : NULL,
		                         o->vn)) == KP_NOTFOUND)
			rc = KP_OK;
	}
	q->n = 0;
	sbuf_reset(&q->buf);
	return rc;
}

/* ledger_index_fn: the entry waits. */
static int ixq_add(void *ctx, struct store_txn *t, enum store_db db,
                   const char *key, size_t kn, const char *val, size_t vn,
                   bool add)
{
	struct ixq *q = ctx;
	struct ixop *o;
	int rc;

	if ((rc = array_grow(&q->op, sizeof *q->op, &q->cap, q->n)) != KP_OK ||
	    (rc = sbuf_add(&q->buf, key, kn)) != KP_OK ||
	    (rc = sbuf_add(&q->buf, val, vn)) != KP_OK)
		return rc;
	o = &q->op[q->n];
	o->off = q->buf.len - kn - vn;
	o->kn = kn;
	o->vn = vn;
	o->seq = q->n;
	o->dup = db == DB_DUPKEY;
	o->add = add;
	q->n++;
	return q->n >= IXQ_MAX ? ixq_flush(t, q) : KP_OK;
}

/* The years a bundle's own reopenings make open for its revisions. */
struct reopened {
	const char *township;
	int year;
};

struct merge_ctx {
	struct ledger *lg;
	ledger_merge_src src;
	void *sctx;
	struct merge_bundle *mb;    /* NULL: revisions alone */
	struct reopened *reopens;   /* in this run of the transaction */
	size_t nreopens;
	int *years;                 /* of the revisions merged, in this run */
	size_t nyears, years_cap;
	bool keep;              /* false: compute outcomes, then roll back */
	struct store_txn *t;
	struct record stored;
	size_t rejected;        /* in this run of the transaction */
	struct ixq q;
};

/* A record may only be changed by revisions from its own township: one
 * township's signed bundle must not overwrite or delete another's. */
static int merge_owner(const struct record *stored, const struct record *r,
                       struct check_result *res)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	if (strcmp(stored->township, r->township) == 0)
		return KP_OK;
	snprintf(zh, sizeof zh, "记录 %s 属于 %s，不能由 %s 修改",
	         r->id, stored->township, r->township);
	snprintf(en, sizeof en, "record %s belongs to %s; %s cannot change it",
	         r->id, stored->township, r->township);
	return reject(res, FK_TOWNSHIP, "township", zh, en);
}

/* Whether the city has approved the close ev (its current decision). */
static int close_approved(struct merge_ctx *mc, const struct year_event *ev,
                          bool *approved)
{
	struct year_state st;
	int rc = ledger_year_state_in(mc->t, ev->township, ev->year, &st);

	*approved = !rc && st.decision_current && st.decision.kind == YE_APPROVED;
	return rc;
}

/* A change to a year its township has closed is refused, unless the
 * bundle it came with reopens that year (and the city had not had that
 * reopening), or it was made before the close and the city has not
 * approved the year yet: it is then part of the figures the township
 * closed, in a bundle that reached the city after the close's (sticks
 * do not arrive in order).  What the city approved stays as approved. */
static int merge_closed(struct merge_ctx *mc, const struct record *r,
                        const struct record *old, struct check_result *res)
{
	struct year_event ev;
	bool closed, approved;
	size_t i;
	int rc = ledger_closed_of(mc->t, mc->lg, r, old, &closed, &ev);

	if (rc || !closed)
		return rc;
	for (i = 0; i < mc->nreopens; i++)
		if (mc->reopens[i].year == ev.year &&
		    strcmp(mc->reopens[i].township, ev.township) == 0)
			return KP_OK;
	if (mc->mb && r->changed_at <= ev.at) {
		if ((rc = close_approved(mc, &ev, &approved)) != KP_OK)
			return rc;
		if (!approved)
			return KP_OK;
	}
	return ledger_closed_finding(mc->lg, &ev, mc->mb != NULL, res);
}

/* The bundle's reopenings the city has not had. */
static int merge_reopens(struct store_txn *t, struct merge_ctx *mc)
{
	const struct merge_bundle *mb = mc->mb;
	size_t i;
	bool known;
	int rc;

	mc->nreopens = 0;
	for (i = 0; mb && i < mb->nevents; i++) {
		const struct year_event *ev = &mb->events[i];

		if (ev->kind != YE_REOPENED)
			continue;
		if ((rc = ledger_year_event_known_in(t, ev, &known)) != KP_OK)
			return rc;
		if (known)
			continue;
		mc->reopens[mc->nreopens].township = ev->township;
		mc->reopens[mc->nreopens++].year = ev->year;
	}
	return KP_OK;
}

/* The year of r's date among those the merge has seen (a bundle's rows
 * span few years: the set stays small, and the last one is met most). */
static int year_seen(struct merge_ctx *mc, const struct record *r)
{
	const char *d = ledger_rec_date(mc->lg, r);
	int y = strlen(d) >= 4 ? atoi(d) : 0;
	size_t i;
	int rc;

	if (y <= 0 || (mc->nyears && mc->years[mc->nyears - 1] == y))
		return KP_OK;
	for (i = 0; i < mc->nyears; i++)
		if (mc->years[i] == y) {
			mc->years[i] = mc->years[mc->nyears - 1];
			mc->years[mc->nyears - 1] = y;
			return KP_OK;
		}
	if ((rc = array_grow(&mc->years, sizeof *mc->years, &mc->years_cap,
	                     mc->nyears)) != KP_OK)
		return rc;
	mc->years[mc->nyears++] = y;
	return KP_OK;
}

/* After the revisions: the bundle's events, and the years it reports
 * for (its progress report's and its rows' own). */
static int merge_bundle_after(struct store_txn *t, struct merge_ctx *mc)
{
	struct merge_bundle *mb = mc->mb;
	size_t i;
	bool is_new;
	int rc = KP_OK;

	mb->events_new = 0;
	mb->events_conflict = false;
	for (i = 0; i < mb->nevents && !rc; i++) {
		struct year_event ev = mb->events[i];

		if (strcmp(ev.township, mb->township) != 0) {
			mb->events_conflict = true;
			return kp_err_set(KP_E_DATA, LF("年度记录属于 %s，不属于发送方 %s",
			                  "a year event of %s came from %s"),
			                  ev.township, mb->township);
		}
		ev.received_at = (int64_t)time(NULL);
		rc = ledger_year_event_put_in(t, &ev, &is_new);
		mb->events_new += is_new;
		if (rc == KP_E_DATA)
			mb->events_conflict = true;
	}
	for (i = 0; i < mb->nyears && !rc; i++)
		rc = ledger_reported_mark_in(t, mb->township, mb->years[i]);
	for (i = 0; i < mc->nyears && !rc; i++)
		rc = ledger_reported_mark_in(t, mb->township, mc->years[i]);
	return rc;
}

static int merge_reject(struct merge_ctx *mc, enum merge_outcome *out)
{
	*out = MERGE_REJECTED;
	mc->rejected++;
	return KP_OK;
}

/* Check revision r and, unless it is rejected, store it: also when the
 * merge will be rolled back, so that a later revision of the same id is
 * judged against it. */
static int merge_row(void *mctx, struct record *r, enum merge_outcome *out,
                     struct check_result *res)
{
	struct merge_ctx *mc = mctx;
	bool found = false;
	int rc;

	if ((rc = stop_point()) != KP_OK ||
	    (rc = merge_validate(mc->lg, r, res)) != KP_OK)
		return rc;
	if (!check_has_errors(res)) {
		rc = ledger_load_in(mc->t, r->id, &mc->stored);
		if (rc && rc != KP_NOTFOUND)
			return rc;
		found = rc == KP_OK;
		if (found && (rc = merge_owner(&mc->stored, r, res)) != KP_OK)
			return rc;
	}
	if (check_has_errors(res))
		return merge_reject(mc, out);
	if ((rc = year_seen(mc, r)) != KP_OK)
		return rc;
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
	if ((rc = merge_closed(mc, r, found ? &mc->stored : NULL, res)) != KP_OK)
		return rc;
	if (check_has_errors(res))
		return merge_reject(mc, out);
	return ledger_store_revision_ix(mc->t, mc->lg, found ? &mc->stored : NULL,
	                                r, "merge", ixq_add, &mc->q);
}

static int merge_txn(struct store_txn *t, void *ctx)
{
	struct merge_ctx *mc = ctx;
	int rc;

	mc->t = t;
	mc->rejected = 0;
	mc->nyears = 0;
	mc->q.n = 0;
	sbuf_reset(&mc->q.buf);
	if ((rc = merge_reopens(t, mc)) != KP_OK)
		return rc;
	rc = mc->src(mc->sctx, t, merge_row, mc);
	if (!rc && mc->mb && !mc->rejected)
		rc = merge_bundle_after(t, mc);
	if (rc)
		return rc;
	if (!mc->keep || mc->rejected)
		return MERGE_ROLLBACK;
	return ixq_flush(t, &mc->q);
}

int ledger_merge_rows(struct ledger *lg, ledger_merge_src src, void *sctx,
                      struct merge_bundle *mb, uint64_t bytes, bool dry_run,
                      size_t *rejected)
{
	struct merge_ctx mc;
	int rc;

	memset(&mc, 0, sizeof mc);
	mc.lg = lg;
	mc.src = src;
	mc.sctx = sctx;
	mc.mb = mb;
	mc.keep = !dry_run;
	if (mb && mb->nevents &&
	    !(mc.reopens = calloc(mb->nevents, sizeof *mc.reopens)))
		return kp_err_nomem();
	record_init(&mc.stored);
	rc = store_write_bulk(lg->st, bytes, merge_txn, &mc);
	record_free(&mc.stored);
	sbuf_free(&mc.q.buf);
	free(mc.q.op);
	free(mc.years);
	free(mc.reopens);
	if (rc == MERGE_ROLLBACK)
		rc = KP_OK;
	if (rejected)
		*rejected = mc.rejected;   /* the checks, ownership, closed years */
	if (!rc && mc.rejected)
		rc = kp_err_set(KP_E_DATA, LF("%zu 条记录未通过检查，未导入任何记录",
		                "%zu records failed the checks; nothing imported"),
		                mc.rejected);
	return rc;
}

/* ---- an array of revisions ------------------------------------------------ */

struct array_ctx {
	struct record *recs;
	size_t n;
	bool dry_run;
	enum merge_outcome *outcomes;
	struct check_result *results;
	int (*extra)(struct store_txn *t, void *ctx);
	void *extra_ctx;
};

static int array_src(void *sctx, struct store_txn *t, ledger_merge_fn merge,
                     void *mctx)
{
	struct array_ctx *ac = sctx;
	size_t i, rejected = 0;
	int rc = KP_OK;

	for (i = 0; i < ac->n && !rc; i++) {
		check_result_free(&ac->results[i]);
		rc = merge(mctx, &ac->recs[i], &ac->outcomes[i], &ac->results[i]);
		rejected += ac->outcomes[i] == MERGE_REJECTED;
	}
	if (rc || rejected || ac->dry_run || !ac->extra)
		return rc;
	return ac->extra(t, ac->extra_ctx);
}

int ledger_merge_bundle(struct ledger *lg, struct record *recs, size_t n,
                        struct merge_bundle *mb, bool dry_run,
                        enum merge_outcome *outcomes,
                        struct check_result *results,
                        int (*extra)(struct store_txn *t, void *ctx),
                        void *extra_ctx)
{
	struct array_ctx ac = { recs, n, dry_run, outcomes, results, extra,
	                        extra_ctx };

	return ledger_merge_rows(lg, array_src, &ac, mb, 0, dry_run, NULL);
}

int ledger_merge(struct ledger *lg, struct record *recs, size_t n,
                 bool dry_run, enum merge_outcome *outcomes,
                 struct check_result *results,
                 int (*extra)(struct store_txn *t, void *ctx),
                 void *extra_ctx)
{
	return ledger_merge_bundle(lg, recs, n, NULL, dry_run, outcomes,
	                           results, extra, extra_ctx);
}
