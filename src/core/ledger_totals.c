/* ledger_totals.c - the totals kept per (year, township, indicator): what a
 * stored revision does to them, reading them, and recounting them and the
 * date index from the records (ledger_verify); and the numbers kept beside
 * them: quotas and survey values.
 *
 * A total (DB_TOTALS) holds the exact sum and count of the live records'
 * contributions and the largest single contribution seen since the total
 * was last empty (deletes do not lower it: it only serves the "implausible
 * value" warning).  A total whose count drops to zero is removed, so the
 * stored totals are exactly those a recount finds.  Quotas (DB_QUOTAS) and
 * survey values (DB_VALUES) are numbers kept as text.
 *
 * Uses ledger_key.c (keys) and ledger_read.c (the records, for the
 * recount).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

/* ---- totals --------------------------------------------------------------- */

int ledger_total_in(struct store_txn *t, const char *key, size_t kn,
                    struct ledger_total *out)
{
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_TOTALS, key, kn, &v, &vn);

	memset(out, 0, sizeof *out);
	if (rc == KP_NOTFOUND)
		return KP_OK;
	if (rc)
		return rc;
	if (vn != sizeof *out)
		return kp_err_set(KP_E_DATA, "%s", L("合计数据已损坏",
		                                     "a stored total is corrupt"));
	memcpy(out, v, sizeof *out);
	return KP_OK;
}

void ledger_total_add(struct ledger_total *tot, double amount)
{
	tot->sum += amount;
	tot->count++;
	if (amount > tot->max)
		tot->max = amount;
}

int ledger_totals_apply(struct store_txn *t, struct ledger *lg,
                        const struct record *r, int sign)
{
	struct contribution c[QUOTA_MAX_CONTRIB];
	struct ledger_total tot;
	char key[LEDGER_KEY_MAX];
	size_t n = quota_contributions(lg->schema, r, c), i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		kn = ledger_key_contrib(key, r->township, &c[i]);
		rc = ledger_total_in(t, key, kn, &tot);
		if (rc)
			return rc;
		if (sign > 0) {
			ledger_total_add(&tot, c[i].amount);
		} else {
			tot.sum -= c[i].amount;
			tot.count--;
		}
		if (tot.count <= 0)
			rc = store_del(t, DB_TOTALS, key, kn, NULL, 0);
		else
			rc = store_put(t, DB_TOTALS, key, kn, &tot, sizeof tot);
		if (rc && rc != KP_NOTFOUND)
			return rc;
	}
	return KP_OK;
}

struct total_ctx {
	char key[LEDGER_KEY_MAX];
	size_t kn;
	struct ledger_total *out;
};

static int total_txn(struct store_txn *t, void *ctx)
{
	struct total_ctx *tc = ctx;

	return ledger_total_in(t, tc->key, tc->kn, tc->out);
}

int ledger_total_group(struct ledger *lg, int year, const char *township,
                       const char *indicator, const char *group,
                       struct ledger_total *out)
{
	struct total_ctx tc;

	tc.kn = ledger_key_total(tc.key, year, township, indicator, group);
	tc.out = out;
	return store_read(lg->st, total_txn, &tc);
}

int ledger_total(struct ledger *lg, int year, const char *township,
                 const char *indicator, struct ledger_total *out)
{
	return ledger_total_group(lg, year, township, indicator, NULL, out);
}

/* ---- quotas and survey values --------------------------------------------- */

/* A number kept as text (quotas, survey values), read into a double. */
struct num_ctx {
	enum store_db db;
	const char *key;
	size_t kn;
	double value;
	const char *num;        /* to write */
};

static int num_get_txn(struct store_txn *t, void *ctx)
{
	struct num_ctx *nc = ctx;
	char buf[64];
	const void *v;
	size_t vn;
	int rc = store_get(t, nc->db, nc->key, nc->kn, &v, &vn);

	if (rc)
		return rc;
	if (vn >= sizeof buf)
		vn = sizeof buf - 1;
	memcpy(buf, v, vn);
	buf[vn] = 0;
	nc->value = strtod(buf, NULL);
	return KP_OK;
}

/* The year a quota is kept under: the year for an annual indicator, the
 * first year of its plan for a plan-period one. */
static int quota_year(const struct indicator *ind, int year)
{
	return ind->period == PERIOD_PLAN && ind->plan ? ind->plan->first_year
	                                               : year;
}

/* Databases made before plans were a series kept the one plan's
 * plan-period quotas under year 0: they belong to the first plan. */
static bool legacy_plan_quota(const struct ledger *lg,
                              const struct indicator *ind)
{
	return ind->period == PERIOD_PLAN && lg->schema->nplans > 0
	       && ind->plan && ind->plan->first_year == lg->schema->plans[0].first_year;
}

struct quota_ctx {
	const struct ledger *lg;
	const struct indicator *ind;
	int year;
	const char *township;
	double target;
};

static int quota_get_txn(struct store_txn *t, void *ctx)
{
	struct quota_ctx *qc = ctx;

	return ledger_quota_in(t, qc->lg, qc->ind, qc->year, qc->township,
	                       &qc->target);
}

int ledger_quota_in(struct store_txn *t, const struct ledger *lg,
                    const struct indicator *ind, int year,
                    const char *township, double *target)
{
	char key[LEDGER_KEY_MAX];
	struct num_ctx nc = { DB_QUOTAS, key, 0, 0, NULL };
	int rc;

	nc.kn = ledger_key3(key, quota_year(ind, year), township, ind->id);
	rc = num_get_txn(t, &nc);
	if (rc == KP_NOTFOUND && legacy_plan_quota(lg, ind)) {
		nc.kn = ledger_key3(key, 0, township, ind->id);
		rc = num_get_txn(t, &nc);
	}
	if (rc == KP_OK)
		*target = nc.value;
	return rc;
}

int ledger_quota(struct ledger *lg, int year, const char *township,
                 const char *indicator, double *target)
{
	struct quota_ctx qc = { lg, NULL, year, township, 0 };
	int rc;

	if (!(qc.ind = schema_indicator_of_year(lg->schema, year, indicator)))
		return KP_NOTFOUND;
	rc = store_read(lg->st, quota_get_txn, &qc);
	if (rc == KP_OK)
		*target = qc.target;
	return rc;
}

struct quotas_ctx {
	struct ledger *lg;
	const struct quota_row *rows;
	size_t n;
	int (*extra)(struct store_txn *t, void *ctx);
	void *extra_ctx;
};

static int quotas_txn(struct store_txn *t, void *ctx)
{
	struct quotas_ctx *qc = ctx;
	char key[LEDGER_KEY_MAX], num[64];
	size_t i, kn;
	int rc = KP_OK;

	for (i = 0; i < qc->n && !rc; i++) {
		const struct quota_row *r = &qc->rows[i];

		const struct indicator *ind =
			schema_indicator_of_year(qc->lg->schema, r->year, r->indicator);

		if (!ind)
			return kp_err_set(KP_E_DATA, LF("%d 年的规划没有指标“%s”",
			                  "the plan of %d has no indicator '%s'"),
			                  r->year, r->indicator);
		kn = ledger_key3(key, quota_year(ind, r->year), r->township,
		                 r->indicator);
		snprintf(num, sizeof num, "%.15g", r->target);
		rc = store_put(t, DB_QUOTAS, key, kn, num, strlen(num));
	}
	if (!rc && qc->extra)
		rc = qc->extra(t, qc->extra_ctx);
	return rc;
}

int ledger_set_quotas(struct ledger *lg, const struct quota_row *rows,
                      size_t n)
{
	return ledger_set_quotas_with(lg, rows, n, NULL, NULL);
}

int ledger_set_quotas_with(struct ledger *lg, const struct quota_row *rows,
                           size_t n,
                           int (*extra)(struct store_txn *t, void *ctx),
                           void *extra_ctx)
{
	struct quotas_ctx qc = { lg, rows, n, extra, extra_ctx };

	return store_write(lg->st, quotas_txn, &qc);
}

static size_t value_key(char buf[LEDGER_KEY_MAX], int year,
                        const char *indicator)
{
	int n = snprintf(buf, LEDGER_KEY_MAX, "%04d%c%s", year, 0, indicator);

	return n < 0 ? 0 : (size_t)n < LEDGER_KEY_MAX ? (size_t)n
	                                              : LEDGER_KEY_MAX - 1;
}

static int num_put_txn(struct store_txn *t, void *ctx)
{
	struct num_ctx *nc = ctx;

	return store_put(t, nc->db, nc->key, nc->kn, nc->num, strlen(nc->num));
}

int ledger_set_value(struct ledger *lg, int year, const char *indicator,
                     double value)
{
	char key[LEDGER_KEY_MAX], num[64];
	struct num_ctx nc = { DB_VALUES, key, 0, 0, num };

	if (!schema_indicator(lg->schema, indicator))
		return kp_err_set(KP_E_DATA, LF("未知的指标：%s",
		                  "unknown indicator: %s"), indicator);
	nc.kn = value_key(key, year, indicator);
	snprintf(num, sizeof num, "%.15g", value);
	return store_write(lg->st, num_put_txn, &nc);
}

int ledger_value(struct ledger *lg, int year, const char *indicator,
                 double *value)
{
	char key[LEDGER_KEY_MAX];
	struct num_ctx nc = { DB_VALUES, key, 0, 0, NULL };
	int rc;

	nc.kn = value_key(key, year, indicator);
	rc = store_read(lg->st, num_get_txn, &nc);
	if (rc == KP_OK)
		*value = nc.value;
	return rc;
}

/* ---- verification --------------------------------------------------------- */

struct vtotal {
	char key[LEDGER_KEY_MAX];
	size_t kn;
	struct ledger_total tot;
	bool seen;
};

struct verify_ctx {
	struct ledger *lg;
	struct vtotal *v;         /* sorted by key, as LMDB sorts */
	size_t n, cap;
	struct record rec;
	size_t live, by_date;
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
	size_t differences;
	struct store_txn *t;
};

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Index of key in the sorted array, or where it would go. */
static size_t vfind(const struct verify_ctx *vc, const char *key, size_t kn,
                    bool *found)
{
	size_t lo = 0, hi = vc->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(vc->v[mid].key, vc->v[mid].kn, key, kn);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int vadd(struct verify_ctx *vc, const char *key, size_t kn,
                double amount)
{
	bool found;
	size_t at = vfind(vc, key, kn, &found);
	struct vtotal *e;

	if (!found) {
		if (array_grow(&vc->v, sizeof *e, &vc->cap, vc->n) != KP_OK)
			return KP_E_NOMEM;
		memmove(&vc->v[at + 1], &vc->v[at], (vc->n - at) * sizeof *e);
		e = &vc->v[at];
		memset(e, 0, sizeof *e);
		memcpy(e->key, key, kn);
		e->kn = kn;
		vc->n++;
	}
	ledger_total_add(&vc->v[at].tot, amount);
	return KP_OK;
}

static int recount_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct verify_ctx *vc = ctx;
	struct contribution c[QUOTA_MAX_CONTRIB];
	char key[LEDGER_KEY_MAX];
	size_t n, i;
	int rc;

	(void)k;
	(void)kn;
	rc = ledger_record_bytes(vc->t, v, vn, &v, &vn);
	if (rc)
		return rc;
	record_free(&vc->rec);
	rc = record_decode(v, vn, &vc->rec);
	if (rc)
		return rc;
	if (!vc->rec.deleted)
		vc->live++;
	n = quota_contributions(vc->lg->schema, &vc->rec, c);
	for (i = 0; i < n; i++) {
		size_t klen = ledger_key_contrib(key, vc->rec.township, &c[i]);

		rc = vadd(vc, key, klen, c[i].amount);
		if (rc)
			return rc;
	}
	return KP_OK;
}

/* "2025/anhai/teacher_training" (a group's: "2025/anhai/by_type/lab_open")
 * from a NUL-joined key. */
static void key_text(const char *key, size_t kn, char *out, size_t cap)
{
	size_t i;

	if (kn >= cap)
		kn = cap - 1;
	for (i = 0; i < kn; i++)
		out[i] = key[i] ? key[i] : '/';
	out[kn] = 0;
}

static void vreport(struct verify_ctx *vc, const char *key, size_t kn,
                    const struct ledger_total *want,
                    const struct ledger_total *have)
{
	char name[LEDGER_KEY_MAX], msg[LEDGER_KEY_MAX + 256];

	key_text(key, kn, name, sizeof name);
	if (lang_get() == KP_LANG_EN)
		snprintf(msg, sizeof msg, "total %s: the records give %g "
		         "(%lld records), the database holds %g (%lld)", name,
		         want->sum, (long long)want->count, have->sum,
		         (long long)have->count);
	else
		snprintf(msg, sizeof msg, "合计 %s：按记录应为 %g（%lld 条），"
		         "数据库中为 %g（%lld 条）", name, want->sum,
		         (long long)want->count, have->sum,
		         (long long)have->count);
	vc->differences++;
	if (vc->fn)
		vc->fn(vc->ctx, msg);
}

/* Sums of decimal fields may differ in the last bits with the order of
 * additions and subtractions; integer sums are exact either way. */
static bool same_sum(double a, double b)
{
	double d = a > b ? a - b : b - a, m = a > 0 ? a : -a;

	return d <= 1e-9 * (m > 1 ? m : 1);
}

static int compare_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct verify_ctx *vc = ctx;
	struct ledger_total have, none = { 0, 0, 0 };
	struct vtotal *e;
	bool found;
	size_t at;

	memset(&have, 0, sizeof have);
	if (vn == sizeof have)
		memcpy(&have, v, sizeof have);
	else
		have.count = -1;
	at = vfind(vc, k, kn, &found);
	if (!found) {
		vreport(vc, k, kn, &none, &have);
		return KP_OK;
	}
	e = &vc->v[at];
	e->seen = true;
	if (!same_sum(e->tot.sum, have.sum) || e->tot.count != have.count)
		vreport(vc, k, kn, &e->tot, &have);
	return KP_OK;
}

static int by_date_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct verify_ctx *vc = ctx;

	(void)k;
	(void)kn;
	(void)v;
	(void)vn;
	vc->by_date++;
	return KP_OK;
}

static void vreport_index(struct verify_ctx *vc)
{
	char msg[LEDGER_MSG_MAX];

	if (lang_get() == KP_LANG_EN)
		snprintf(msg, sizeof msg, "date index: %zu entries for %zu live "
		         "records", vc->by_date, vc->live);
	else
		snprintf(msg, sizeof msg, "日期索引：%zu 项，有效记录 %zu 条",
		         vc->by_date, vc->live);
	vc->differences++;
	if (vc->fn)
		vc->fn(vc->ctx, msg);
}

static int verify_txn(struct store_txn *t, void *ctx)
{
	struct verify_ctx *vc = ctx;
	struct ledger_total none = { 0, 0, 0 };
	size_t i;
	int rc;

	vc->t = t;
	rc = store_iter(t, DB_RECORDS, NULL, 0, false, recount_fn, vc);
	if (!rc)
		rc = store_iter(t, DB_TOTALS, NULL, 0, false, compare_fn, vc);
	if (!rc)
		rc = store_iter(t, DB_BY_DATE, NULL, 0, false, by_date_fn, vc);
	if (rc)
		return rc;
	for (i = 0; i < vc->n; i++)
		if (!vc->v[i].seen)
			vreport(vc, vc->v[i].key, vc->v[i].kn, &vc->v[i].tot,
			        &none);
	if (vc->by_date != vc->live)
		vreport_index(vc);
	return KP_OK;
}

int ledger_verify(struct ledger *lg, void (*fn)(void *ctx, const char *msg),
                  void *ctx)
{
	struct verify_ctx vc;
	int rc;

	memset(&vc, 0, sizeof vc);
	vc.lg = lg;
	vc.fn = fn;
	vc.ctx = ctx;
	record_init(&vc.rec);
	rc = store_read(lg->st, verify_txn, &vc);
	record_free(&vc.rec);
	free(vc.v);
	if (rc)
		return rc;
	if (vc.differences)
		return kp_err_set(KP_E_DATA, LF("数据库有 %zu 处不一致",
		                  "the database has %zu inconsistencies"),
		                  vc.differences);
	return KP_OK;
}
