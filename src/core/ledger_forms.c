/* ledger_forms.c - the versions of a database's form set.
 *
 * DB_FORMS keeps every version the database has had, each file under
 * "<version, 8 digits>/<file name>"; a database made before form versions
 * has its one set under the plain file names, which read as version 1 and
 * are never rewritten.  DB_META "forms_version" names the current one
 * (absent: 1), and "forms:<version>" says when it came and from which.
 *
 * A new version replaces the current one only when nothing stored is left
 * behind: schema_compat for the structure, and every live record checked
 * against the new rules (a field that is new to a record's form may be
 * required from now on: the record keeps the version it was saved under).
 * Totals of the years whose counting changed, and the duplicate index when
 * a form's key fields changed, are rebuilt in the same transaction.  The
 * same checks run alone as a dry run (ledger_forms_check: what `kepu
 * forms` says of the installed forms).  Records travelling from elsewhere
 * are read with the version they name (ledger_schema_for).
 *
 * Uses ledger_totals.c, ledger_read.c and ledger_key.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

#define PREFIX_LEN 9              /* "00000002/" */
#define PROBLEMS_SHOWN 20         /* record failures named before "and N more" */

/* The version a DB_FORMS key belongs to, 0 when it is no form file key. */
static unsigned key_version(const char *k, size_t kn)
{
	unsigned v = 0;
	size_t i;

	if (!memchr(k, '/', kn))
		return 1;
	if (kn <= PREFIX_LEN || k[PREFIX_LEN - 1] != '/')
		return 0;
	for (i = 0; i < PREFIX_LEN - 1; i++) {
		if (k[i] < '0' || k[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(k[i] - '0');
	}
	return v;
}

/* ---- reading a version's files ---- */

struct files_ctx {
	unsigned v;
	struct schema_file *files;
	size_t n, cap;
};

static char *copy_bytes(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int collect_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct files_ctx *fc = ctx;
	const char *key = k;
	size_t skip = memchr(key, '/', kn) ? PREFIX_LEN : 0;
	struct schema_file *f;

	if (key_version(key, kn) != fc->v)
		return KP_OK;
	if (array_grow(&fc->files, sizeof *f, &fc->cap, fc->n) != KP_OK)
		return KP_E_NOMEM;
	f = &fc->files[fc->n];
	f->name = copy_bytes(key + skip, kn - skip);
	f->data = copy_bytes(v, vn);
	f->len = vn;
	if (!f->name || !f->data) {
		free((void *)(uintptr_t)f->name);
		free((void *)(uintptr_t)f->data);
		return kp_err_nomem();
	}
	fc->n++;
	return KP_OK;
}

int ledger_forms_files_in(struct store_txn *t, unsigned v,
                          struct schema_file **files, size_t *n)
{
	struct files_ctx fc = { v, NULL, 0, 0 };
	int rc = store_iter(t, DB_FORMS, NULL, 0, false, collect_fn, &fc);

	*files = NULL;
	*n = 0;
	if (rc == KP_OK && fc.n == 0)
		rc = KP_NOTFOUND;
	if (rc != KP_OK) {
		schema_files_free(fc.files, fc.n);
		return rc;
	}
	*files = fc.files;
	*n = fc.n;
	return KP_OK;
}

struct get_files_ctx {
	unsigned v;
	struct schema_file **files;
	size_t *n;
};

static int files_txn(struct store_txn *t, void *ctx)
{
	struct get_files_ctx *gc = ctx;

	return ledger_forms_files_in(t, gc->v, gc->files, gc->n);
}

int ledger_forms_files(struct ledger *lg, unsigned v,
                       struct schema_file **files, size_t *n)
{
	struct get_files_ctx gc = { v ? v : 1, files, n };

	return store_read(lg->st, files_txn, &gc);
}

struct versions_ctx {
	unsigned *v;
	size_t n, cap;
	unsigned last;
};

static int version_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct versions_ctx *vc = ctx;
	unsigned ver = key_version(k, kn);
	size_t i;

	(void)v;
	(void)vn;
	/* Plain names (version 1) sort after the digits: note each once. */
	if (ver == 0 || ver == vc->last)
		return KP_OK;
	vc->last = ver;
	for (i = 0; i < vc->n; i++)
		if (vc->v[i] == ver)
			return KP_OK;
	if (array_grow(&vc->v, sizeof *vc->v, &vc->cap, vc->n) != KP_OK)
		return KP_E_NOMEM;
	vc->v[vc->n++] = ver;
	return KP_OK;
}

static int versions_txn(struct store_txn *t, void *ctx)
{
	struct versions_ctx *vc = ctx;

	vc->n = 0;
	vc->last = 0;
	return store_iter(t, DB_FORMS, NULL, 0, false, version_fn, ctx);
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

size_t ledger_forms_versions(struct ledger *lg, unsigned *out, size_t max)
{
	struct versions_ctx vc = { NULL, 0, 0, 0 };
	size_t n = 0;

	/* All of them, then the oldest max: the plain names of version 1
	 * come last in the keys' order. */
	if (store_read(lg->st, versions_txn, &vc) == KP_OK && vc.n) {
		n = vc.n;
		qsort(vc.v, n, sizeof *vc.v, cmp_unsigned);
		memcpy(out, vc.v, (n < max ? n : max) * sizeof *out);
	}
	free(vc.v);
	return n;
}

/* ---- older versions, loaded on demand ---- */

int ledger_schema_of(struct ledger *lg, unsigned v, const struct schema **out)
{
	struct schema_file *files;
	struct schema *s, **older;
	size_t n, i;
	int rc;

	if (v == 0)
		v = 1;
	*out = NULL;
	if (v == lg->schema->version) {
		*out = lg->schema;
		return KP_OK;
	}
	for (i = 0; i < lg->nolder; i++)
		if (lg->older[i]->version == v) {
			*out = lg->older[i];
			return KP_OK;
		}
	if ((rc = ledger_forms_files(lg, v, &files, &n)) != KP_OK)
		return rc;
	rc = schema_load_files(files, n, &s);
	schema_files_free(files, n);
	if (rc != KP_OK)
		return kp_err_wrap(rc, LF("第 %u 版表单", "forms version %u"), v);
	if (!(older = realloc(lg->older, (lg->nolder + 1) * sizeof *older))) {
		schema_free(s);
		return kp_err_nomem();
	}
	lg->older = older;
	lg->older[lg->nolder++] = s;
	*out = s;
	return KP_OK;
}

int ledger_schema_for(struct ledger *lg, unsigned v, const struct schema **out)
{
	unsigned oldest;
	int rc;

	if (v == 0)
		v = lg->schema->version;
	rc = ledger_schema_of(lg, v, out);
	if (rc == KP_NOTFOUND && ledger_forms_versions(lg, &oldest, 1) > 0 && v < oldest)
		rc = ledger_schema_of(lg, oldest, out);
	if (rc == KP_NOTFOUND)
		kp_err_set(KP_NOTFOUND, LF("本数据库没有第 %u 版表单", "this database has no forms version %u"),
		           v);
	return rc;
}

/* ---- when each version came ---- */

struct history_ctx {
	struct ledger_forms_entry *e;
	size_t n;
};

static void meta_text(struct store_txn *t, const char *k, char *out, size_t cap)
{
	const void *v;
	size_t vn;

	out[0] = 0;
	if (store_get(t, DB_META, k, strlen(k), &v, &vn) != KP_OK)
		return;
	if (vn >= cap)
		vn = cap - 1;
	memcpy(out, v, vn);
	out[vn] = 0;
}

/* "forms:<version>" holds "<when> <from> <user>" (store_version); the
 * first version came with the database. */
static int history_txn(struct store_txn *t, void *ctx)
{
	struct history_ctx *hc = ctx;
	char key[32], val[RECORD_NAME_MAX + 64], by[RECORD_NAME_MAX];
	long long when;
	unsigned from;
	size_t i;

	for (i = 0; i < hc->n; i++) {
		struct ledger_forms_entry *e = &hc->e[i];

		snprintf(key, sizeof key, "forms:%08u", e->version);
		meta_text(t, key, val, sizeof val);
		by[0] = 0;
		if (val[0] && sscanf(val, "%lld %u %63s", &when, &from, by) >= 2) {
			e->when = when;
			e->from = from;
		} else if (i == 0) {
			meta_text(t, "created_at", val, sizeof val);
			e->when = strtoll(val, NULL, 10);
			meta_text(t, "created_by", by, sizeof by);
		}
		snprintf(e->by, sizeof e->by, "%s", by);
	}
	return KP_OK;
}

size_t ledger_forms_history(struct ledger *lg, struct ledger_forms_entry *out,
                            size_t max)
{
	unsigned *v = calloc(max ? max : 1, sizeof *v);
	struct history_ctx hc = { out, 0 };
	size_t n, i;

	if (!v)
		return 0;
	n = ledger_forms_versions(lg, v, max);
	hc.n = n < max ? n : max;
	for (i = 0; i < hc.n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].version = v[i];
	}
	free(v);
	if (store_read(lg->st, history_txn, &hc) != KP_OK)
		return 0;
	return n;
}

/* ---- what stored records use, and whether they pass the new rules ---- */

struct scan_ctx {
	struct ledger *lg;
	const struct schema *new;
	struct store_txn *t;
	struct schema_usage *u;
	struct record rec;
	struct check_result res;
	ledger_problem_fn fn;
	void *fctx;
	size_t nproblems, shown;
	char first[1024];
};

static void scan_problem(struct scan_ctx *sc, const char *msg)
{
	if (sc->nproblems++ == 0)
		snprintf(sc->first, sizeof sc->first, "%s", msg);
	if (sc->fn && sc->shown < PROBLEMS_SHOWN) {
		sc->fn(sc->fctx, msg);
		sc->shown++;
	}
}

static void compat_problem(void *ctx, const char *msg)
{
	scan_problem(ctx, msg);
}

/* A required field the record's form did not have before is required from
 * this version on: the record was saved without it and stays valid. */
static bool new_requirement(const struct scan_ctx *sc, const struct finding *f,
                            const char *form)
{
	const struct form *old = schema_form(sc->lg->schema, form);

	return f->kind == FK_REQUIRED && old && !form_field(old, f->field);
}

/* What schema_compat names already, once for all records: the field was
 * removed, its type changed, or the record's choice code was removed. */
static bool compat_names(const struct scan_ctx *sc, const struct finding *f,
                         const struct form *nf)
{
	const struct form *of = schema_form(sc->lg->schema, sc->rec.form);
	const struct field *ofd = of ? form_field(of, f->field) : NULL;
	const struct field *nfd = form_field(nf, f->field);
	const char *v = record_get(&sc->rec, f->field);

	if (!ofd)
		return false;
	if (!nfd || nfd->type != ofd->type)
		return true;
	return f->kind == FK_CHOICE && v && field_choice(ofd, v) && !field_choice(nfd, v);
}

static int rules_problem(struct scan_ctx *sc, const struct form *nf)
{
	const struct finding *f;
	const struct field *fd;
	char msg[1024];
	size_t i;

	for (i = 0; i < sc->res.nfindings; i++) {
		f = &sc->res.findings[i];
		if (f->sev != SEV_ERROR || new_requirement(sc, f, sc->rec.form)
		    || compat_names(sc, f, nf))
			continue;
		fd = form_field(nf, f->field);
		snprintf(msg, sizeof msg, LF("%s.csv:%zu: 已保存的记录 %s（%s）不符合新规则：%s",
		         "%s.csv:%zu: stored record %s (%s) fails the new rules: %s"),
		         nf->id, fd ? fd->line : 0, sc->rec.id,
		         ledger_rec_date(sc->lg, &sc->rec), finding_msg(f));
		scan_problem(sc, msg);
		return KP_OK;     /* one problem per record is enough */
	}
	return KP_OK;
}

static int scan_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct scan_ctx *sc = ctx;
	const struct form *nf;
	int rc;

	(void)k;
	(void)kn;
	if ((rc = ledger_record_bytes(sc->t, v, vn, &v, &vn)) != KP_OK
	    || (rc = record_decode(v, vn, &sc->rec)) != KP_OK)
		return rc;
	if (sc->rec.deleted)
		return KP_OK;
	if ((rc = schema_usage_add(sc->u, sc->lg->schema, &sc->rec)) != KP_OK)
		return rc;
	if (!(nf = schema_form(sc->new, sc->rec.form)))
		return KP_OK;     /* schema_compat names the removed form */
	check_result_free(&sc->res);
	if ((rc = check_record_rules(sc->new, nf, &sc->rec, NULL, &sc->res)) != KP_OK)
		return rc;
	/* A record dated after today (a clock set back) is the clock's
	 * matter, not the forms'. */
	check_drop_kind(&sc->res, FK_FUTURE);
	return rules_problem(sc, nf);
}

static int scan_txn(struct store_txn *t, void *ctx)
{
	struct scan_ctx *sc = ctx;

	sc->t = t;
	return store_iter(t, DB_RECORDS, NULL, 0, false, scan_fn, sc);
}

/* ---- storing a new version ---- */

struct update_ctx {
	struct ledger *lg;
	struct schema *new;
	const struct schema_file *files;
	size_t n;
	unsigned from;
	struct record rec;
	bool rebuild_keys;
	int first_year, last_year;    /* years whose totals are rebuilt */
	bool *rebuild;                /* per year from first_year */
	int (*extra)(struct store_txn *t, void *ctx);
	void *extra_ctx;
};

static bool year_rebuilt(const struct update_ctx *uc, int y)
{
	return y >= uc->first_year && y <= uc->last_year
	       && uc->rebuild[y - uc->first_year];
}

static int meta_put(struct store_txn *t, const char *k, const char *v)
{
	return store_put(t, DB_META, k, strlen(k), v, strlen(v));
}

struct keys_ctx {
	char (*keys)[LEDGER_KEY_MAX];
	size_t *kn;
	size_t n, cap;
	const struct update_ctx *uc;
};

static int total_key_fn(void *ctx, const void *k, size_t kn, const void *v,
                        size_t vn)
{
	struct keys_ctx *kc = ctx;
	const char *key = k;
	int y;

	(void)v;
	(void)vn;
	if (kn < 5 || kn > LEDGER_KEY_MAX || key[4] != 0 || sscanf(key, "%4d", &y) != 1
	    || !year_rebuilt(kc->uc, y))
		return KP_OK;
	if (array_grow2(&kc->keys, sizeof *kc->keys, &kc->kn, sizeof *kc->kn,
	                &kc->cap, kc->n) != KP_OK)
		return KP_E_NOMEM;
	memcpy(kc->keys[kc->n], k, kn);
	kc->kn[kc->n++] = kn;
	return KP_OK;
}

/* The totals of the years to rebuild, gone. */
static int drop_totals(struct store_txn *t, struct update_ctx *uc)
{
	struct keys_ctx kc = { NULL, NULL, 0, 0, uc };
	size_t i;
	int rc = store_iter(t, DB_TOTALS, NULL, 0, false, total_key_fn, &kc);

	for (i = 0; i < kc.n && rc == KP_OK; i++)
		rc = store_del(t, DB_TOTALS, kc.keys[i], kc.kn[i], NULL, 0);
	free(kc.keys);
	free(kc.kn);
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

struct rebuild_ctx {
	struct update_ctx *uc;
	struct store_txn *t;
};

static int rebuild_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct rebuild_ctx *rb = ctx;
	struct update_ctx *uc = rb->uc;
	struct ledger *lg = uc->lg;
	char key[LEDGER_KEY_MAX];
	struct kdate d;
	size_t n;
	int rc;

	(void)k;
	(void)kn;
	if ((rc = ledger_record_bytes(rb->t, v, vn, &v, &vn)) != KP_OK
	    || (rc = record_decode(v, vn, &uc->rec)) != KP_OK)
		return rc;
	if (uc->rec.deleted)
		return KP_OK;
	if (date_parse_iso(ledger_rec_date(lg, &uc->rec), &d) == KP_OK
	    && year_rebuilt(uc, d.y)
	    && (rc = ledger_totals_apply(rb->t, lg, &uc->rec, +1)) != KP_OK)
		return rc;
	if (uc->rebuild_keys && (n = ledger_dup_key(lg, &uc->rec, key)) > 0
	    && (rc = store_put(rb->t, DB_DUPKEY, key, n, uc->rec.id,
	                       strlen(uc->rec.id))) != KP_OK)
		return rc;
	return KP_OK;
}

static int store_version(struct store_txn *t, struct update_ctx *uc)
{
	char key[PREFIX_LEN + 256], num[32], log[256];
	size_t i, kn;
	int rc = KP_OK;

	for (i = 0; i < uc->n && rc == KP_OK; i++) {
		kn = (size_t)snprintf(key, sizeof key, "%08u/%s", uc->new->version,
		                      uc->files[i].name);
		if (kn >= sizeof key)
			return kp_err_set(KP_E_DATA, LF("文件名太长：%s", "file name too long: %s"),
			                  uc->files[i].name);
		rc = store_put(t, DB_FORMS, key, kn, uc->files[i].data, uc->files[i].len);
	}
	snprintf(num, sizeof num, "%u", uc->new->version);
	if (rc == KP_OK)
		rc = meta_put(t, "forms_version", num);
	snprintf(num, sizeof num, "%d", LEDGER_SCHEMA_VERSION);
	if (rc == KP_OK)
		rc = meta_put(t, "schema_version", num);
	snprintf(key, sizeof key, "forms:%08u", uc->new->version);
	snprintf(log, sizeof log, "%lld %u %s", (long long)time(NULL), uc->from,
	         uc->lg->user);
	return rc == KP_OK ? meta_put(t, key, log) : rc;
}

static int current_version_in(struct store_txn *t, unsigned *v)
{
	const void *p;
	size_t n;
	char buf[16];
	int rc = store_get(t, DB_META, "forms_version", 13, &p, &n);

	*v = 1;
	if (rc == KP_NOTFOUND)
		return KP_OK;
	if (rc != KP_OK)
		return rc;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	*v = (unsigned)strtoul(buf, NULL, 10);
	return KP_OK;
}

static int update_txn(struct store_txn *t, void *ctx)
{
	struct update_ctx *uc = ctx;
	struct rebuild_ctx rb = { uc, t };
	struct schema *cur = uc->lg->schema;
	unsigned now;
	int rc;

	/* Another process may have moved the forms on since we checked. */
	if ((rc = current_version_in(t, &now)) != KP_OK)
		return rc;
	if (now != uc->from)
		return kp_err_set(KP_E_TEMPFAIL, LF("表单刚刚被另一个进程更新（现为第 %u 版），请重试",
		                  "the forms were just updated by another process (now version %u): try again"),
		                  now);
	if ((rc = store_version(t, uc)) != KP_OK || (rc = drop_totals(t, uc)) != KP_OK
	    || (uc->rebuild_keys && (rc = store_clear(t, DB_DUPKEY)) != KP_OK))
		return rc;
	/* The totals and keys are those of the new forms. */
	uc->lg->schema = uc->new;
	rc = store_iter(t, DB_RECORDS, NULL, 0, false, rebuild_fn, &rb);
	uc->lg->schema = cur;
	if (rc == KP_OK && uc->extra)
		rc = uc->extra(t, uc->extra_ctx);
	return rc;
}

/* Which years count differently under the new forms. */
static int plan_rebuild(struct update_ctx *uc)
{
	int y;

	uc->first_year = schema_first_year(uc->lg->schema);
	if (schema_first_year(uc->new) < uc->first_year)
		uc->first_year = schema_first_year(uc->new);
	uc->last_year = date_today().y;
	if (uc->last_year < uc->first_year)
		uc->last_year = uc->first_year;
	uc->rebuild = calloc((size_t)(uc->last_year - uc->first_year + 1), sizeof *uc->rebuild);
	if (!uc->rebuild)
		return kp_err_nomem();
	for (y = uc->first_year; y <= uc->last_year; y++)
		uc->rebuild[y - uc->first_year] = !schema_counts_alike(uc->lg->schema, uc->new, y);
	uc->rebuild_keys = !schema_keys_alike(uc->lg->schema, uc->new);
	return KP_OK;
}

static int refuse(struct scan_ctx *sc)
{
	if (sc->nproblems == 1)
		return kp_err_set(KP_E_DATA, "%s", sc->first);
	return kp_err_set(KP_E_DATA, LF("%s（另有 %zu 处问题）", "%s (and %zu more problems)"),
	                  sc->first, sc->nproblems - 1);
}

/* Whether new may replace the current forms: its version, the structure,
 * every stored record. */
static int forms_check(struct ledger *lg, const struct schema *new,
                       ledger_problem_fn fn, void *ctx)
{
	struct scan_ctx sc;
	int rc;

	if (new->version == lg->schema->version)
		return kp_err_set(KP_NOTFOUND, LF("数据库已是第 %u 版表单，没有变化",
		                  "the database already has forms version %u: nothing to do"),
		                  new->version);
	if (new->version < lg->schema->version)
		return kp_err_set(KP_E_DATA, LF("第 %u 版表单比数据库的第 %u 版旧：表单的 version 每次修改都要加大",
		                  "forms version %u is older than the database's version %u: every change needs a higher version"),
		                  new->version, lg->schema->version);
	memset(&sc, 0, sizeof sc);
	sc.lg = lg;
	sc.new = new;
	sc.fn = fn;
	sc.fctx = ctx;
	if (!(sc.u = schema_usage_new()))
		return kp_err_nomem();
	record_init(&sc.rec);
	check_result_init(&sc.res);
	rc = store_read(lg->st, scan_txn, &sc);
	if (rc == KP_OK)
		schema_compat(lg->schema, new, sc.u, compat_problem, &sc);
	if (rc == KP_OK && sc.nproblems)
		rc = refuse(&sc);
	check_result_free(&sc.res);
	record_free(&sc.rec);
	schema_usage_free(sc.u);
	return rc;
}

/* The files loaded and checked against the database: *out the new
 * schema (the caller's) when it may replace the current one. */
static int load_checked(struct ledger *lg, const struct schema_file *files,
                        size_t n, ledger_problem_fn fn, void *ctx,
                        struct schema **out)
{
	int rc;

	if ((rc = schema_load_files(files, n, out)) != KP_OK) {
		if (fn)
			fn(ctx, kp_err_msg());
		return rc;
	}
	if ((rc = forms_check(lg, *out, fn, ctx)) != KP_OK) {
		schema_free(*out);
		*out = NULL;
	}
	return rc;
}

int ledger_forms_check(struct ledger *lg, const struct schema_file *files,
                       size_t n, ledger_problem_fn fn, void *ctx,
                       struct schema **out)
{
	struct schema *new = NULL;
	int rc = load_checked(lg, files, n, fn, ctx, &new);

	if (out)
		*out = new;
	else
		schema_free(new);
	return rc;
}

int ledger_forms_update(struct ledger *lg, const struct schema_file *files,
                        size_t n, ledger_problem_fn fn, void *ctx)
{
	return ledger_forms_update_with(lg, files, n, fn, ctx, NULL, NULL);
}

int ledger_forms_update_with(struct ledger *lg,
                             const struct schema_file *files, size_t n,
                             ledger_problem_fn fn, void *ctx,
                             int (*extra)(struct store_txn *t, void *ctx),
                             void *extra_ctx)
{
	struct update_ctx uc;
	struct schema *new, **older;
	int rc;

	memset(&uc, 0, sizeof uc);
	if ((rc = load_checked(lg, files, n, fn, ctx, &new)) != KP_OK)
		return rc;
	if (!(older = realloc(lg->older, (lg->nolder + 1) * sizeof *older))) {
		rc = kp_err_nomem();
		goto out;
	}
	lg->older = older;
	uc.lg = lg;
	uc.new = new;
	uc.files = files;
	uc.n = n;
	uc.from = lg->schema->version;
	uc.extra = extra;
	uc.extra_ctx = extra_ctx;
	record_init(&uc.rec);
	if ((rc = plan_rebuild(&uc)) == KP_OK)
		rc = store_write(lg->st, update_txn, &uc);
	record_free(&uc.rec);
	free(uc.rebuild);
	if (rc != KP_OK)
		goto out;
	/* The old version stays readable for records saved under it. */
	lg->older[lg->nolder++] = lg->schema;
	lg->schema = new;
	return KP_OK;
out:
	schema_free(new);
	return rc;
}
