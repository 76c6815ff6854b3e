/* ledger_check.c - the checks of a record before it is stored.
 *
 * First the form's rules and the township (check.h applies the rules),
 * then the checks that need the database: likely duplicates (DB_DUPKEY;
 * an earlier row of a batch, found there or among the batch's entries not
 * written yet, is worded by ledger_batch.c with ledger_warn_batch_dup), implausible values and the quota impact
 * (DB_TOTALS, DB_QUOTAS).  The database checks only give warnings and
 * figures, so running them in a read transaction before the write
 * (ledger_add, ledger_edit) is safe: a change by another clerk in between
 * does no harm.  The revision check of an edit or delete is not made here
 * but inside the write transaction (ledger_write.c), where it decides.
 *
 * A record of a year its township has closed is an error found here too
 * (ledger_years.c words it), so that every way of adding or changing
 * records says so the same way.
 *
 * Uses ledger_years.c (closed years), ledger_key.c (the duplicate and
 * total keys), ledger_read.c (the stored revision of an edited record)
 * and ledger_totals.c (totals and quotas).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

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
	struct ledger_batch_rows *batch;   /* NULL: not in a batch */
};

struct dup_walk {
	struct store_txn *t;
	struct ledger *lg;
	size_t kn;
	const char *self;
	const char *township;   /* of the record checked */
	struct check_result *res;
	struct ledger_batch_rows *batch;
	bool met_batch;         /* stopped at the batch's first row */
	struct record other;    /* the record found, to say which it is */
	size_t nstored;         /* stored records met: the first is named */
	char first[RECORD_ID_LEN + 1];
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];  /* of the first */
};

/* "2025-03-05「茶叶种植培训」": the date and key values of r. */
static void dup_what(const struct ledger *lg, const struct record *r,
                     char *buf, size_t size)
{
	const struct form *f = schema_form(lg->schema, r->form);
	const struct field *keys[8];
	size_t nk = f ? form_key_fields(f, keys, 8) : 0, i, len;
	const char *v;

	snprintf(buf, size, "%s ", ledger_rec_date(lg, r));
	for (i = 0; i < nk && i < 8; i++) {
		if (!(v = record_get(r, keys[i]->name)))
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i ? " / " : "", v);
	}
}

/* Whether the record id (stored, of this batch) is of the township of the
 * record checked; false with *rc KP_OK to go on, or an error in *rc.  A row
 * not stored (the batch had an error: it will not be kept) counts as the
 * same, as every row does in a township's ledger. */
static bool same_township(struct dup_walk *w, const char *id, int *rc)
{
	*rc = ledger_load_in(w->t, id, &w->other);
	if (*rc == KP_NOTFOUND) {
		*rc = KP_OK;
		return true;
	}
	return *rc == KP_OK && strcmp(w->other.township, w->township) == 0;
}

static int dup_fn(void *ctx, const void *k, size_t kn, const void *v,
                  size_t vn)
{
	struct dup_walk *w = ctx;
	char id[RECORD_ID_LEN + 1];
	uint64_t row;
	int rc;

	(void)k;    /* store_iter_dups stays on the key walked */
	(void)kn;
	if (vn > RECORD_ID_LEN)
		vn = RECORD_ID_LEN;
	memcpy(id, v, vn);
	id[vn] = 0;
	if (strcmp(id, w->self) == 0)
		return KP_OK;
	/* An earlier row of the same batch: the batch words it.  Ids sort
	 * in the order of the rows, so the first one met is the earliest, and
	 * the walk goes on after the batch's ids (check_duplicate): walking
	 * through them would make a batch of rows sharing a date and title
	 * cost the square of their number. */
	if (w->batch && record_id_offset(w->batch->first, id, w->batch->n, &row)) {
		/* At the city a row of another township is not a duplicate: the
		 * same training may be held in two townships on one day. */
		if (w->lg->mode == LEDGER_CITY_MODE &&
		    !same_township(w, id, &rc))
			return rc;
		if (!w->batch->dup) {
			w->batch->dup = true;
			w->batch->dup_row = (size_t)row;
		}
		w->met_batch = true;
		return KP_NOTFOUND;
	}
	/* Say which record it matches: a clerk decides from the date, the
	 * title, who typed it and when, not from an id. */
	rc = ledger_load_in(w->t, id, &w->other);
	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	if (strcmp(w->other.township, w->township) != 0)
		return KP_OK;
	/* One warning names the earliest; the others are counted. */
	if (w->nstored++ > 0)
		return KP_OK;
	ledger_dup_said(w->lg, &w->other, id, w->zh, w->en, sizeof w->zh);
	memcpy(w->first, id, sizeof w->first);
	return KP_OK;
}

void ledger_dup_said(const struct ledger *lg, const struct record *r,
                     const char *id, char *zh, char *en, size_t n)
{
	char what[LEDGER_MSG_MAX / 2], when[32] = "?";
	time_t tt = (time_t)r->created_at;
	struct tm tm;

	dup_what(lg, r, what, sizeof what);
	if (localtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	snprintf(zh, n, "已有同日同名的记录 %s，由 %s 于 %s 录入（编号 %s）",
	         what, r->created_by, when, id);
	snprintf(en, n, "%s is already recorded, entered by %s on %s (id %s)",
	         what, r->created_by, when, id);
}

/* The warning of the stored records met, if any. */
static int warn_stored(struct dup_walk *w)
{
	char zh[LEDGER_MSG_MAX + 128], en[LEDGER_MSG_MAX + 128];
	int rc;

	if (!w->nstored)
		return KP_OK;
	if (w->nstored == 1) {
		snprintf(zh, sizeof zh, "可能重复：%s", w->zh);
		snprintf(en, sizeof en, "likely duplicate: %s", w->en);
	} else {
		snprintf(zh, sizeof zh, "可能重复：%s；另有 %zu 条同日同名的记录", w->zh,
		         w->nstored - 1);
		snprintf(en, sizeof en, "likely duplicate: %s, and %zu more of that "
		         "date and title", w->en, w->nstored - 1);
	}
	rc = check_add(w->res, SEV_WARNING, FK_DUPLICATE, "", zh, en);
	if (!rc)
		snprintf(w->res->findings[w->res->nfindings - 1].ref,
		         sizeof w->res->findings[0].ref, "%s", w->first);
	return rc;
}

static int check_duplicate(struct store_txn *t, struct dbcheck *dc)
{
	char key[LEDGER_KEY_MAX];
	char after[RECORD_ID_LEN + 1];
	struct dup_walk w = { t, dc->lg, 0, dc->rec->id, dc->rec->township,
	                      dc->res, dc->batch, false, { .fields = NULL }, 0,
	                      "", "", "" };
	int rc;

	w.kn = ledger_dup_key(dc->lg, dc->rec, key);
	if (w.kn == 0)
		return KP_OK;
	record_init(&w.other);
	rc = store_iter_dups(t, DB_DUPKEY, key, w.kn, NULL, 0, dup_fn, &w);
	if (!rc && w.met_batch) {
		/* The records after the batch's ids: made elsewhere, by a
		 * clock ahead of this one. */
		record_id_add(w.batch->first, w.batch->n, after);
		w.batch = NULL;
		rc = store_iter_dups(t, DB_DUPKEY, key, w.kn, after, RECORD_ID_LEN,
		                     dup_fn, &w);
	}
	if (!rc)
		rc = warn_stored(&w);
	record_free(&w.other);
	return rc;
}

int ledger_warn_batch_dup(struct check_result *res, size_t first, size_t line)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	if (line) {
		snprintf(zh, sizeof zh, "可能重复：与本文件第 %zu 行的日期和名称相同",
		         line);
		snprintf(en, sizeof en, "likely duplicate: same date and title as "
		         "line %zu of this file", line);
		return check_add(res, SEV_WARNING, FK_DUPLICATE, "", zh, en);
	}
	snprintf(zh, sizeof zh, "可能重复：与本批第 %zu 条的日期和名称相同",
	         first + 1);
	snprintf(en, sizeof en, "likely duplicate: same date and title as "
	         "row %zu of this batch", first + 1);
	return check_add(res, SEV_WARNING, FK_DUPLICATE, "", zh, en);
}

/* The stored total for an indicator: that year's, or the plan's years
 * added up for a plan-period indicator. */
static int stored_total(struct store_txn *t, struct dbcheck *dc,
                        const struct contribution *c,
                        struct ledger_total *out)
{
	const struct plan *p = c->ind->plan;
	struct ledger_total one;
	char key[LEDGER_KEY_MAX];
	int y, first = c->year, last = c->year, rc;

	if (c->ind->period == PERIOD_PLAN) {
		first = p->first_year;
		last = c->year > p->last_year ? c->year : p->last_year;
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

/* A year with too few records yet to judge a value by (the first weeks of
 * a year, or of a plan without quotas yet; for an indicator of the whole
 * plan, its first records) is judged by the year before's records of the
 * indicator of the same id, the plan before's too. */
static int prev_total(struct store_txn *t, struct dbcheck *dc,
                      const struct contribution *c, struct ledger_total *prev)
{
	struct ledger_batch_rows *b = dc->batch;
	struct ledger_yard *y;
	char key[LEDGER_KEY_MAX];
	size_t kn, i;
	int rc;

	for (i = 0; b && b->yard && i < *b->nyard; i++) {
		y = &b->yard[i];
		if (y->ind == c->ind && y->year == c->year &&
		    strcmp(y->township, dc->rec->township) == 0) {
			*prev = y->prev;
			return KP_OK;
		}
	}
	kn = ledger_key3(key, c->year - 1, dc->rec->township, c->ind->id);
	if ((rc = ledger_total_in(t, key, kn, prev)) != KP_OK)
		return rc;
	if (b && b->yard && *b->nyard < LEDGER_YARD_MAX) {
		y = &b->yard[(*b->nyard)++];
		y->ind = c->ind;
		y->year = c->year;
		snprintf(y->township, sizeof y->township, "%s", dc->rec->township);
		y->prev = *prev;
	}
	return KP_OK;
}

static int yardstick(struct store_txn *t, struct dbcheck *dc,
                     const struct contribution *c, struct ledger_total *tot)
{
	struct ledger_total prev;
	int rc;

	if (tot->count >= IMPLAUSIBLE_MIN_COUNT)
		return KP_OK;
	if ((rc = prev_total(t, dc, c, &prev)) != KP_OK)
		return rc;
	if (prev.count >= IMPLAUSIBLE_MIN_COUNT) {
		tot->count = prev.count;
		tot->max = prev.max > tot->max ? prev.max : tot->max;
	}
	return KP_OK;
}

static int warn_implausible(struct dbcheck *dc, const struct contribution *c,
                            const struct ledger_total *tot, bool has_quota,
                            double quota)
{
	const char *field = c->ind->field ? c->ind->field : "";
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];
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

int ledger_add_impact(struct check_result *res, const struct impact *im)
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
	im.has_target = ledger_quota_in(t, dc->lg, c->ind, c->year, dc->rec->township,
	                                &im.target) == KP_OK;
	if (!im.has_target)
		im.target = 0;
	im.achieved = tot.sum + delta;
	if (warn) {
		rc = yardstick(t, dc, c, &tot);
		if (!rc)
			rc = warn_implausible(dc, c, &tot, im.has_target, im.target);
		if (rc)
			return rc;
	}
	return ledger_add_impact(dc->res, &im);
}

static int check_impacts(struct store_txn *t, struct dbcheck *dc)
{
	struct contribution nc[QUOTA_MAX_CONTRIB], oc[QUOTA_MAX_CONTRIB];
	bool used[QUOTA_MAX_CONTRIB] = { false };
	size_t nn, on = 0, i;
	int rc;

	if (dc->batch && dc->batch->contrib) {
		nn = dc->batch->ncontrib;
		memcpy(nc, dc->batch->contrib, nn * sizeof *nc);
	} else {
		nn = quota_contributions(dc->lg->schema, dc->rec, nc);
	}
	if (dc->have_old)
		on = quota_contributions(dc->lg->schema, &dc->old, oc);
	/* A tally has no quota to move towards (and no implausible share of
	 * one): impacts are about quotas. */
	for (i = 0; i < on; i++)
		used[i] = oc[i].ind->tally;
	for (i = 0; i < nn; i++) {
		double delta;

		if (nc[i].ind->tally)
			continue;
		delta = nc[i].amount - old_amount(oc, on, used, &nc[i]);

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

/* A record of a closed year (its own, or the one an edit moves it out of)
 * is an error: the year's figures are final until it is reopened. */
static int check_closed(struct store_txn *t, struct dbcheck *dc)
{
	struct year_event ev;
	bool closed;
	int rc = ledger_closed_of(t, dc->lg, dc->rec,
	                          dc->have_old ? &dc->old : NULL, &closed, &ev);

	if (rc || !closed)
		return rc;
	return ledger_closed_finding(dc->lg, &ev, false, dc->res);
}

int ledger_impacts_in(struct store_txn *t, struct ledger *lg,
                      struct record *rec, const struct record *old,
                      struct check_result *res)
{
	struct dbcheck dc = { lg, rec, res, *old, true, NULL };

	/* check_impacts reads rec and old only; dc.old is a shallow copy
	 * that is not freed here. */
	return check_impacts(t, &dc);
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
	rc = check_closed(t, dc);
	if (!rc)
		rc = check_duplicate(t, dc);
	if (!rc)
		rc = check_impacts(t, dc);
	return rc;
}

int ledger_check_db(struct store_txn *t, struct ledger *lg,
                    struct record *rec, struct check_result *res,
                    struct record *scratch, struct ledger_batch_rows *batch)
{
	struct dbcheck dc = { lg, rec, res, { .fields = NULL }, false, batch };
	int rc;

	dc.old = *scratch;
	rc = dbcheck_txn(t, &dc);
	*scratch = dc.old;
	return rc;
}

/* ---- rules, and the whole check ------------------------------------------- */

int ledger_check_rules(struct ledger *lg, struct record *rec,
                       struct check_result *res)
{
	const struct form *f = schema_form(lg->schema, rec->form);
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	if (!f) {
		snprintf(zh, sizeof zh, "未知的表单：%s", rec->form);
		snprintf(en, sizeof en, "unknown form: %s", rec->form);
		return check_add(res, SEV_ERROR, FK_UNKNOWN_FIELD, "", zh, en);
	}
	if (lg->mode == LEDGER_TOWNSHIP && !rec->township[0])
		snprintf(rec->township, sizeof rec->township, "%s", lg->township);
	/* A city's record must name a known township: check_record_rules
	 * says so when it does not. */
	return check_record_rules(lg->schema, f, rec,
	                          lg->mode == LEDGER_TOWNSHIP ? lg->township : NULL,
	                          res);
}

/* The digest of rec as checked, kept in res for ledger_add_checked. */
static int checked_digest(const struct record *rec, unsigned char out[16])
{
	struct sbuf enc = { NULL, 0, 0 };
	int rc = record_encode(rec, &enc);

	if (!rc && sodium_init() < 0)
		rc = kp_err_set(KP_E_SOFTWARE, "%s", L("libsodium 无法初始化",
		                                      "libsodium cannot start"));
	if (!rc)
		crypto_generichash(out, 16, (const unsigned char *)enc.s, enc.len,
		                   NULL, 0);
	sbuf_free(&enc);
	return rc;
}

int ledger_check(struct ledger *lg, struct record *rec,
                 struct check_result *res)
{
	struct dbcheck dc = { lg, rec, res, { .fields = NULL }, false, NULL };
	int rc;

	res->has_checked = false;
	rc = ledger_check_rules(lg, rec, res);
	if (rc || !schema_form(lg->schema, rec->form))
		return rc;
	record_init(&dc.old);
	rc = store_read(lg->st, dbcheck_txn, &dc);
	record_free(&dc.old);
	if (!rc)
		rc = checked_digest(rec, res->checked);
	res->has_checked = rc == KP_OK;
	return rc;
}

bool ledger_was_checked(const struct record *rec,
                        const struct check_result *res)
{
	unsigned char now[16];

	return res->has_checked && checked_digest(rec, now) == KP_OK &&
	       sodium_memcmp(now, res->checked, sizeof now) == 0;
}

/* ---- refusing ------------------------------------------------------------- */

int ledger_refuse(void)
{
	return kp_err_set(KP_E_DATA, "%s", L("记录有错误，未保存",
	                                     "the record has errors; nothing stored"));
}
