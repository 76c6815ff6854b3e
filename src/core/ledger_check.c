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

static int nomem(void)
{
	return kp_err_set(KP_E_NOMEM, "%s", kp_strerror(KP_E_NOMEM));
}

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

static bool quota_in(struct store_txn *t, const struct indicator *ind,
                     int year, const char *township, double *target)
{
	char key[LEDGER_KEY_MAX], buf[64];
	const void *v;
	size_t vn, kn;

	kn = ledger_key3(key, ind->period == PERIOD_PLAN ? 0 : year, township,
	                 ind->id);
	if (store_get(t, DB_QUOTAS, key, kn, &v, &vn) != KP_OK
	    || vn >= sizeof buf)
		return false;
	memcpy(buf, v, vn);
	buf[vn] = 0;
	*target = strtod(buf, NULL);
	return true;
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
		return nomem();
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
	im.has_target = quota_in(t, c->ind, c->year, dc->rec->township,
	                         &im.target);
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

/* Rules of the form, and the township, without the database. */
static int check_rules(struct ledger *lg, struct record *rec,
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

	rc = check_rules(lg, rec, res);
	if (rc || !schema_form(lg->schema, rec->form))
		return rc;
	record_init(&dc.old);
	rc = store_read(lg->st, dbcheck_txn, &dc);
	record_free(&dc.old);
	return rc;
}

static int refuse(void)
{
	return kp_err_set(KP_E_DATA, "%s", L("记录有错误，未保存",
	                                     "the record has errors; nothing stored"));
}

/* ---- adding --------------------------------------------------------------- */

static void stamp_new(const struct ledger *lg, struct record *r, int64_t now)
{
	record_new_id(r->id);
	r->rev = 1;
	snprintf(r->created_by, sizeof r->created_by, "%s", lg->user);
	snprintf(r->changed_by, sizeof r->changed_by, "%s", lg->user);
	r->created_at = r->changed_at = now;
	r->deleted = false;
}

struct add_ctx {
	struct ledger *lg;
	struct record *recs;
	size_t n;
};

static int add_txn(struct store_txn *t, void *ctx)
{
	struct add_ctx *ac = ctx;
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < ac->n && !rc; i++)
		rc = ledger_store_revision(t, ac->lg, NULL, &ac->recs[i], "add");
	return rc;
}

int ledger_add(struct ledger *lg, struct record *rec,
               struct check_result *res)
{
	struct add_ctx ac = { lg, rec, 1 };
	int rc;

	rec->id[0] = 0;
	rec->deleted = false;
	rc = ledger_check(lg, rec, res);
	if (rc)
		return rc;
	if (check_has_errors(res))
		return refuse();
	stamp_new(lg, rec, (int64_t)time(NULL));
	rc = store_write(lg->st, add_txn, &ac);
	if (rc)
		rec->id[0] = 0;
	return rc;
}

struct batch_key {
	char *key;
	size_t kn, i;
};

static int batch_key_cmp(const void *a, const void *b)
{
	const struct batch_key *x = a, *y = b;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->kn != y->kn)
		return x->kn < y->kn ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Rows of one batch with the same form, date and title as an earlier row
 * of it are likely duplicates too. */
static int batch_duplicates(struct ledger *lg, struct record *recs, size_t n,
                            struct check_result *results)
{
	struct batch_key *bk = malloc((n ? n : 1) * sizeof *bk);
	char key[LEDGER_KEY_MAX], zh[MSG_MAX], en[MSG_MAX];
	size_t i, m = 0, first = 0;
	int rc = KP_OK;

	if (!bk)
		return nomem();
	for (i = 0; i < n && !rc; i++) {
		size_t kn = ledger_dup_key(lg, &recs[i], key);

		if (kn == 0)
			continue;
		bk[m].key = malloc(kn);
		if (!bk[m].key) {
			rc = nomem();
			break;
		}
		memcpy(bk[m].key, key, kn);
		bk[m].kn = kn;
		bk[m++].i = i;
	}
	if (!rc)
		qsort(bk, m, sizeof *bk, batch_key_cmp);
	for (i = 1; i < m && !rc; i++) {
		if (bk[i].kn != bk[i - 1].kn
		    || memcmp(bk[i].key, bk[i - 1].key, bk[i].kn) != 0) {
			first = i;
			continue;
		}
		snprintf(zh, sizeof zh, "可能重复：与本批第 %zu 条的日期和名称相同",
		         bk[first].i + 1);
		snprintf(en, sizeof en, "likely duplicate: same date and title as "
		         "row %zu of this batch", bk[first].i + 1);
		rc = check_add(&results[bk[i].i], SEV_WARNING, FK_DUPLICATE, "",
		               zh, en);
	}
	for (i = 0; i < m; i++)
		free(bk[i].key);
	free(bk);
	return rc;
}

struct many_ctx {
	struct ledger *lg;
	struct record *recs;
	size_t n;
	struct check_result *results;
};

static int many_check_txn(struct store_txn *t, void *ctx)
{
	struct many_ctx *mc = ctx;
	struct dbcheck dc;
	size_t i;
	int rc = KP_OK;

	memset(&dc, 0, sizeof dc);
	dc.lg = mc->lg;
	record_init(&dc.old);
	for (i = 0; i < mc->n && !rc; i++) {
		if (!schema_form(mc->lg->schema, mc->recs[i].form))
			continue;
		dc.rec = &mc->recs[i];
		dc.res = &mc->results[i];
		rc = dbcheck_txn(t, &dc);
	}
	record_free(&dc.old);
	return rc;
}

int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results)
{
	struct many_ctx mc = { lg, recs, n, results };
	struct add_ctx ac = { lg, recs, n };
	int64_t now = (int64_t)time(NULL);
	bool bad = false;
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < n && !rc; i++) {
		recs[i].id[0] = 0;
		recs[i].deleted = false;
		rc = check_rules(lg, &recs[i], &results[i]);
	}
	if (!rc)
		rc = store_read(lg->st, many_check_txn, &mc);
	if (!rc)
		rc = batch_duplicates(lg, recs, n, results);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		bad = bad || check_has_errors(&results[i]);
	if (bad)
		return refuse();
	/* Ids made in one process sort in the order made: rows keep their
	 * order in the list. */
	for (i = 0; i < n; i++)
		stamp_new(lg, &recs[i], now);
	rc = store_write(lg->st, add_txn, &ac);
	if (rc)
		for (i = 0; i < n; i++)
			recs[i].id[0] = 0;
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
		rc = refuse();
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

	return store_iter(t, DB_RECORDS, after && *after ? after : NULL,
	                  after ? strlen(after) : 0, true, list_fn, lc);
}

int ledger_list(struct ledger *lg, const struct ledger_query *q,
                ledger_record_fn fn, void *ctx)
{
	struct ledger_query all = { 0 };
	struct list_ctx lc = { lg, q ? q : &all, fn, ctx, 0,
	                       { .fields = NULL } };
	int rc;

	record_init(&lc.rec);
	rc = store_read(lg->st, list_txn, &lc);
	record_free(&lc.rec);
	return rc;
}
