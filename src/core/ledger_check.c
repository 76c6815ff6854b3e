/* ledger_check.c - checking records against the database, and the
 * operations that add, edit, delete and read them.
 *
 * Checks that need the database (likely duplicates, implausible values,
 * the quota impact) run in a read transaction before the write: they only
 * give warnings and figures, so a change by another clerk in between does
 * no harm.  The revision check of an edit or delete is repeated inside
 * the write transaction, where it decides.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

#define MSG_MAX 512
/* One record worth more than this share of the township's annual quota,
 * or more than this many times the largest earlier record, is unusual. */
#define IMPLAUSIBLE_QUOTA_SHARE 0.5
#define IMPLAUSIBLE_MAX_FACTOR 5.0
#define IMPLAUSIBLE_MIN_COUNT 3

/* ---- database checks ------------------------------------------------------ */

struct dbcheck {
	struct ledger *lg;
	struct record *rec;
	struct check_result *res;
	struct record old;      /* the stored revision when editing */
	bool have_old;
};

struct dup_walk {
	const char *key;
	size_t kn;
	const char *self;
	struct check_result *res;
};

static int dup_fn(void *ctx, const void *k, size_t kn, const void *v,
                  size_t vn)
{
	struct dup_walk *w = ctx;
	char id[RECORD_ID_LEN + 1], zh[MSG_MAX], en[MSG_MAX];

	if (kn != w->kn || memcmp(k, w->key, kn) != 0)
		return KP_NOTFOUND;
	if (vn > RECORD_ID_LEN)
		vn = RECORD_ID_LEN;
	memcpy(id, v, vn);
	id[vn] = 0;
	if (strcmp(id, w->self) == 0)
		return KP_OK;
	snprintf(zh, sizeof zh, "可能重复：记录 %s 的日期和名称与此相同", id);
	snprintf(en, sizeof en,
	         "likely duplicate: record %s has the same date and title", id);
	return check_add(w->res, SEV_WARNING, FK_DUPLICATE, "", zh, en);
}

static int check_duplicate(struct store_txn *t, struct dbcheck *dc)
{
	char key[LEDGER_KEY_MAX];
	struct dup_walk w = { key, 0, dc->rec->id, dc->res };

	w.kn = ledger_dup_key(dc->lg, dc->rec, key);
	if (w.kn == 0)
		return KP_OK;
	return store_iter(t, DB_DUPKEY, key, w.kn, false, dup_fn, &w);
}

/* The stored total for an indicator: that year's, or the plan's years
 * added up for a plan-period indicator. */
static int stored_total(struct store_txn *t, struct dbcheck *dc,
                        const struct contribution *c,
                        struct ledger_total *out)
{
	const struct plan *p = &dc->lg->schema->plan;
	struct ledger_total one;
	char key[LEDGER_KEY_MAX];
	int y, first = c->year, last = c->year, rc;

	if (c->ind->period == PERIOD_PLAN) {
		first = p->first_year;
		last = p->last_year;
	}
	memset(out, 0, sizeof *out);
	for (y = first; y <= last; y++) {
		size_t kn = ledger_key3(key, y, dc->rec->township, c->ind->id);

		rc = ledger_total_in(t, key, kn, &one);
		if (rc)
			return rc;
		out->sum += one.sum;
		out->count += one.count;
		if (one.max > out->max)
			out->max = one.max;
	}
	return KP_OK;
}

static int warn_implausible(struct dbcheck *dc, const struct contribution *c,
                            const struct ledger_total *tot, bool has_quota,
                            double quota)
{
	const char *field = c->ind->field ? c->ind->field : "";
	char zh[MSG_MAX], en[MSG_MAX];
	int rc = KP_OK;

	if (c->ind->measure != MEASURE_SUM)
		return KP_OK;
	if (has_quota && quota > 0 && c->amount > IMPLAUSIBLE_QUOTA_SHARE * quota) {
		snprintf(zh, sizeof zh, "数值偏大：这一条记录使“%s”增加 %g，"
		         "超过本镇（街道）任务 %g 的一半", c->ind->label_zh,
		         c->amount, quota);
		snprintf(en, sizeof en, "implausible: this one record adds %g to "
		         "\"%s\", more than half the township's quota of %g",
		         c->amount, c->ind->label_en, quota);
		rc = check_add(dc->res, SEV_WARNING, FK_IMPLAUSIBLE, field, zh, en);
	}
	if (!rc && tot->count >= IMPLAUSIBLE_MIN_COUNT
	    && c->amount > IMPLAUSIBLE_MAX_FACTOR * tot->max) {
		snprintf(zh, sizeof zh, "数值偏大：“%s”为 %g，超过以往单条记录最大值"
		         " %g 的 %g 倍", c->ind->label_zh, c->amount, tot->max,
		         IMPLAUSIBLE_MAX_FACTOR);
		snprintf(en, sizeof en, "implausible: %g for \"%s\" is more than "
		         "%g times the largest earlier record (%g)", c->amount,
		         c->ind->label_en, IMPLAUSIBLE_MAX_FACTOR, tot->max);
		rc = check_add(dc->res, SEV_WARNING, FK_IMPLAUSIBLE, field, zh, en);
	}
	return rc;
}

static int add_impact(struct check_result *res, const struct impact *im)
{
	struct impact *p = realloc(res->impacts,
	                           (res->nimpacts + 1) * sizeof *p);

	if (!p)
		return kp_err_nomem();
	res->impacts = p;
	p[res->nimpacts++] = *im;
	return KP_OK;
}

/* The old revision's amount for the same indicator (and year, unless the
 * indicator runs over the whole plan); marks it used. */
static double old_amount(struct contribution *oc, size_t n, bool *used,
                         const struct contribution *c)
{
	size_t i;
	double sum = 0;

	for (i = 0; i < n; i++) {
		if (used[i] || oc[i].ind != c->ind)
			continue;
		if (c->ind->period != PERIOD_PLAN && oc[i].year != c->year)
			continue;
		used[i] = true;
		sum += oc[i].amount;
	}
	return sum;
}

static int impact_of(struct store_txn *t, struct dbcheck *dc,
                     const struct contribution *c, double delta, bool warn)
{
	struct impact im = { c->ind, c->year, delta, 0, 0, false };
	struct ledger_total tot;
	int rc = stored_total(t, dc, c, &tot);

	if (rc)
		return rc;
	im.has_target = ledger_quota_in(t, c->ind, c->year, dc->rec->township,
	                                &im.target) == KP_OK;
	if (!im.has_target)
		im.target = 0;
	im.achieved = tot.sum + delta;
	if (warn) {
		rc = warn_implausible(dc, c, &tot, im.has_target, im.target);
		if (rc)
			return rc;
	}
	return add_impact(dc->res, &im);
}

static int check_impacts(struct store_txn *t, struct dbcheck *dc)
{
	struct contribution nc[QUOTA_MAX_CONTRIB], oc[QUOTA_MAX_CONTRIB];
	bool used[QUOTA_MAX_CONTRIB] = { false };
	size_t nn, on = 0, i;
	int rc;

	nn = quota_contributions(dc->lg->schema, dc->rec, nc);
	if (dc->have_old)
		on = quota_contributions(dc->lg->schema, &dc->old, oc);
	for (i = 0; i < nn; i++) {
		double delta = nc[i].amount - old_amount(oc, on, used, &nc[i]);

		rc = impact_of(t, dc, &nc[i], delta, true);
		if (rc)
			return rc;
	}
	/* An edit can also take a record out of an indicator. */
	for (i = 0; i < on; i++) {
		if (used[i])
			continue;
		rc = impact_of(t, dc, &oc[i], -oc[i].amount, false);
		if (rc)
			return rc;
	}
	return KP_OK;
}

static int dbcheck_txn(struct store_txn *t, void *ctx)
{
	struct dbcheck *dc = ctx;
	int rc;

	dc->have_old = false;
	if (dc->rec->id[0]) {
		rc = ledger_load_in(t, dc->rec->id, &dc->old);
		if (rc && rc != KP_NOTFOUND)
			return rc;
		dc->have_old = rc == KP_OK && !dc->old.deleted;
	}
	rc = check_duplicate(t, dc);
	if (!rc)
		rc = check_impacts(t, dc);
	return rc;
}

int ledger_check_db(struct store_txn *t, struct ledger *lg,
                    struct record *rec, struct check_result *res,
                    struct record *scratch)
{
	struct dbcheck dc = { lg, rec, res, { .fields = NULL }, false };
	int rc;

	dc.old = *scratch;
	rc = dbcheck_txn(t, &dc);
	*scratch = dc.old;
	return rc;
}

static int check_city_township(struct ledger *lg, struct record *rec,
                               struct check_result *res)
{
	char zh[MSG_MAX], en[MSG_MAX];

	if (!rec->township[0])
		return check_add(res, SEV_ERROR, FK_TOWNSHIP, "township",
		                 "缺少镇（街道）", "the township is missing");
	if (schema_township(lg->schema, rec->township))
		return KP_OK;
	snprintf(zh, sizeof zh, "未知的镇（街道）：%s", rec->township);
	snprintf(en, sizeof en, "unknown township: %s", rec->township);
	return check_add(res, SEV_ERROR, FK_TOWNSHIP, "township", zh, en);
}

int ledger_check_rules(struct ledger *lg, struct record *rec,
                       struct check_result *res)
{
	const struct form *f = schema_form(lg->schema, rec->form);
	char zh[MSG_MAX], en[MSG_MAX];
	int rc;

	if (!f) {
		snprintf(zh, sizeof zh, "未知的表单：%s", rec->form);
		snprintf(en, sizeof en, "unknown form: %s", rec->form);
		return check_add(res, SEV_ERROR, FK_UNKNOWN_FIELD, "", zh, en);
	}
	if (lg->mode == LEDGER_TOWNSHIP && !rec->township[0])
		snprintf(rec->township, sizeof rec->township, "%s", lg->township);
	rc = check_record_rules(lg->schema, f, rec,
	                        lg->mode == LEDGER_TOWNSHIP ? lg->township : NULL,
	                        res);
	if (!rc && lg->mode == LEDGER_CITY_MODE)
		rc = check_city_township(lg, rec, res);
	return rc;
}

int ledger_check(struct ledger *lg, struct record *rec,
                 struct check_result *res)
{
	struct dbcheck dc = { lg, rec, res, { .fields = NULL }, false };
	int rc;

	rc = ledger_check_rules(lg, rec, res);
	if (rc || !schema_form(lg->schema, rec->form))
		return rc;
	record_init(&dc.old);
	rc = store_read(lg->st, dbcheck_txn, &dc);
	record_free(&dc.old);
	return rc;
}

int ledger_refuse(void)
{
	return kp_err_set(KP_E_DATA, "%s", L("记录有错误，未保存",
	                                     "the record has errors; nothing stored"));
}

/* ---- adding --------------------------------------------------------------- */

void ledger_stamp_new(const struct ledger *lg, struct record *r, int64_t now)
{
	record_new_id(r->id);
	r->rev = 1;
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

int ledger_add(struct ledger *lg, struct record *rec,
               struct check_result *res)
{
	struct add_ctx ac = { lg, rec };
	int rc;

	rec->id[0] = 0;
	rec->deleted = false;
	rc = ledger_check(lg, rec, res);
	if (rc)
		return rc;
	if (check_has_errors(res))
		return ledger_refuse();
	ledger_stamp_new(lg, rec, (int64_t)time(NULL));
	rc = store_write(lg->st, add_txn, &ac);
	if (rc)
		rec->id[0] = 0;
	return rc;
}

int ledger_warn_batch_dup(struct check_result *res, size_t first)
{
	char zh[MSG_MAX], en[MSG_MAX];

	snprintf(zh, sizeof zh, "可能重复：与本批第 %zu 条的日期和名称相同",
	         first + 1);
	snprintf(en, sizeof en, "likely duplicate: same date and title as "
	         "row %zu of this batch", first + 1);
	return check_add(res, SEV_WARNING, FK_DUPLICATE, "", zh, en);
}

/* ---- adding many ---------------------------------------------------------- */

struct many_ctx {
	struct ledger *lg;
	struct record *recs;
	size_t n;
	struct check_result *results;
	struct ledger_batch b;
};

static int many_check_txn(struct store_txn *t, void *ctx)
{
	struct many_ctx *mc = ctx;
	struct record scratch;
	size_t i;
	int rc = KP_OK;

	record_init(&scratch);
	for (i = 0; i < mc->n && !rc; i++)
		if (schema_form(mc->lg->schema, mc->recs[i].form))
			rc = ledger_check_db(t, mc->lg, &mc->recs[i],
			                     &mc->results[i], &scratch);
	record_free(&scratch);
	return rc;
}

static int many_dup_fn(void *ctx, size_t row, size_t first)
{
	struct many_ctx *mc = ctx;

	return ledger_warn_batch_dup(&mc->results[row], first);
}

/* Rows of one batch with the same form, date and title as an earlier row
 * of it are likely duplicates too. */
static int many_duplicates(struct many_ctx *mc)
{
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < mc->n && !rc; i++)
		rc = ledger_batch_dupkey(&mc->b, &mc->recs[i], i);
	if (!rc)
		rc = ledger_batch_duplicates(&mc->b, many_dup_fn, mc);
	return rc;
}

static int many_add_txn(struct store_txn *t, void *ctx)
{
	struct many_ctx *mc = ctx;
	size_t i;
	int rc = KP_OK;

	ledger_batch_reset(&mc->b);
	for (i = 0; i < mc->n && !rc; i++)
		rc = ledger_batch_add(t, &mc->b, &mc->recs[i], i);
	return rc ? rc : ledger_batch_finish(t, &mc->b);
}

int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results)
{
	struct many_ctx mc = { lg, recs, n, results, { .lg = NULL } };
	int64_t now = (int64_t)time(NULL);
	bool bad = false;
	size_t i;
	int rc = KP_OK;

	ledger_batch_init(&mc.b, lg);
	for (i = 0; i < n && !rc; i++) {
		recs[i].id[0] = 0;
		recs[i].deleted = false;
		rc = ledger_check_rules(lg, &recs[i], &results[i]);
	}
	if (!rc)
		rc = store_read(lg->st, many_check_txn, &mc);
	if (!rc)
		rc = many_duplicates(&mc);
	for (i = 0; i < n && !rc; i++)
		bad = bad || check_has_errors(&results[i]);
	if (!rc && bad)
		rc = ledger_refuse();
	if (rc)
		goto out;
	/* Ids made in one process sort in the order made: rows keep their
	 * order in the list. */
	for (i = 0; i < n; i++)
		ledger_stamp_new(lg, &recs[i], now);
	rc = store_write(lg->st, many_add_txn, &mc);
	if (rc)
		for (i = 0; i < n; i++)
			recs[i].id[0] = 0;
out:
	ledger_batch_free(&mc.b);
	return rc;
}

/* ---- editing and deleting ------------------------------------------------- */

static int no_record(const char *id)
{
	return kp_err_set(KP_NOTFOUND, LF("没有这条记录：%s", "no such record: %s"),
	                  id);
}

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
}

static int edit_txn(struct store_txn *t, void *ctx)
{
	struct edit_ctx *ec = ctx;
	struct record *next = ec->rec;
	int rc;

	rc = ledger_load_in(t, ec->id, &ec->stored);
	if (rc == KP_NOTFOUND || (!rc && ec->stored.deleted))
		return no_record(ec->id);
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

int ledger_edit(struct ledger *lg, const char *id, uint32_t base_rev,
                struct record *rec, struct check_result *res,
                struct record *current)
{
	struct edit_ctx ec = { lg, id, base_rev, rec, { .fields = NULL },
	                       { .fields = NULL } };
	int rc;

	record_init(&ec.stored);
	record_init(&ec.tomb);
	rc = ledger_get(lg, id, &ec.stored);
	if (rc == KP_OK && ec.stored.deleted)
		rc = no_record(id);
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
	rc = ledger_check(lg, rec, res);
	if (!rc && check_has_errors(res))
		rc = ledger_refuse();
	if (!rc)
		return run_edit(&ec, current);
out:
	record_free(&ec.stored);
	return rc;
}

int ledger_delete(struct ledger *lg, const char *id, uint32_t base_rev)
{
	struct edit_ctx ec = { lg, id, base_rev, NULL, { .fields = NULL },
	                       { .fields = NULL } };

	record_init(&ec.stored);
	record_init(&ec.tomb);
	return run_edit(&ec, NULL);
}

/* ---- reading -------------------------------------------------------------- */

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

	return rc == KP_NOTFOUND ? no_record(id) : rc;
}

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
	                  after ? strlen(after) : 0, true, list_fn, lc);
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
