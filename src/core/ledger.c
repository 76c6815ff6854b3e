/* ledger.c - a ledger's records: create, open, check and change them.
 *
 * Every change of a record goes through ledger_store_revision inside one
 * write transaction, which keeps the record, its indexes, the totals, the
 * change sequence and the audit log in step.  Totals (DB_TOTALS) hold for
 * each (year, township, indicator) the exact sum and count of the live
 * records' contributions and the largest single contribution seen since
 * the total was last empty (deletes do not lower it: it only serves the
 * "implausible value" warning).  A total whose count drops to zero is
 * removed, so the stored totals are exactly those a recount finds.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

#define AUDIT_MAGIC "KA2"

/* ---- keys ----------------------------------------------------------------- */

static size_t key_add(char *buf, size_t at, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		n = max;
	if (at + n + 1 > LEDGER_KEY_MAX)
		n = LEDGER_KEY_MAX - at - 1;
	memcpy(buf + at, s, n);
	return at + n;
}

/* Three parts joined by NUL bytes; the last part is cut at `last_max`. */
static size_t key_join(char buf[LEDGER_KEY_MAX], const char *a, const char *b,
                       const char *c, size_t last_max)
{
	size_t at = key_add(buf, 0, a, RECORD_NAME_MAX);

	buf[at++] = 0;
	at = key_add(buf, at, b, RECORD_NAME_MAX);
	buf[at++] = 0;
	return key_add(buf, at, c, last_max);
}

size_t ledger_key3(char buf[LEDGER_KEY_MAX], int year, const char *township,
                   const char *indicator)
{
	char y[16];
	int i, v = year;

	/* "%04d", without snprintf where it is easy: this runs for every
	 * record of a batch */
	if (v < 0 || v > 9999) {
		snprintf(y, sizeof y, "%04d", year);
	} else {
		for (i = 3; i >= 0; i--, v /= 10)
			y[i] = (char)('0' + v % 10);
		y[4] = 0;
	}
	return key_join(buf, y, township, indicator, RECORD_NAME_MAX);
}

static const char *rec_date(const struct record *r)
{
	const char *d = record_get(r, "date");

	return d ? d : "";
}

/* The duplicate key's title: the form's `title`, else its `name`. */
static const char *rec_title(const struct ledger *lg, const struct record *r)
{
	const struct form *f = schema_form(lg->schema, r->form);

	if (f && !form_field(f, "title") && form_field(f, "name"))
		return record_get(r, "name");
	return record_get(r, "title");
}

size_t ledger_dup_key(const struct ledger *lg, const struct record *r,
                      char buf[LEDGER_KEY_MAX])
{
	const char *title = rec_title(lg, r);

	if (!title || !*rec_date(r))
		return 0;
	return key_join(buf, r->form, rec_date(r), title, LEDGER_TITLE_KEY_MAX);
}

/* ---- the write path ------------------------------------------------------- */

size_t ledger_date_key(const struct record *r, char buf[LEDGER_KEY_MAX])
{
	return key_join(buf, r->form, rec_date(r), r->id, RECORD_ID_LEN);
}

static int put_indexes(struct store_txn *t, struct ledger *lg,
                       const struct record *r, bool add)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_date_key(r, key);
	int rc;

	rc = add ? store_put(t, DB_BY_DATE, key, kn, "", 0)
	         : store_del(t, DB_BY_DATE, key, kn, NULL, 0);
	if (rc && rc != KP_NOTFOUND)
		return rc;
	kn = ledger_dup_key(lg, r, key);
	if (kn == 0)
		return KP_OK;
	rc = add ? store_put(t, DB_DUPKEY, key, kn, r->id, strlen(r->id))
	         : store_del(t, DB_DUPKEY, key, kn, r->id, strlen(r->id));
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

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

/* Add (sign > 0) or take away a record's contributions to the totals. */
static int totals_apply(struct store_txn *t, struct ledger *lg,
                        const struct record *r, int sign)
{
	struct contribution c[QUOTA_MAX_CONTRIB];
	struct ledger_total tot;
	char key[LEDGER_KEY_MAX];
	size_t n = quota_contributions(lg->schema, r, c), i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		kn = ledger_key3(key, c[i].year, r->township, c[i].ind->id);
		rc = ledger_total_in(t, key, kn, &tot);
		if (rc)
			return rc;
		if (sign > 0) {
			tot.sum += c[i].amount;
			tot.count++;
			if (c[i].amount > tot.max)
				tot.max = c[i].amount;
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
		rc = store_put(t, DB_AUDIT, after, 8, b->s, b->len);
	return rc;
}

int ledger_put_revision(struct store_txn *t, struct ledger *lg, bool replaces,
                        const struct record *rec, const char *action,
                        struct sbuf *buf)
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
	sbuf_reset(buf);
	if (!rc)
		rc = record_encode(rec, buf);
	if (!rc)
		rc = store_next_seq(t, "seq:changes", &seq);
	if (!rc) {
		store_be64(seq, key);
		rc = store_put(t, DB_CHANGES, key, sizeof key, buf->s, buf->len);
	}
	if (!rc)
		rc = store_put(t, DB_RECORDS, rec->id, idn, key, sizeof key);
	if (!rc)
		rc = audit_put(t, lg, action, rec, key, before, buf);
	return rc;
}

int ledger_store_revision(struct store_txn *t, struct ledger *lg,
                          const struct record *old, const struct record *rec,
                          const char *action)
{
	struct sbuf buf = { 0 };
	int rc;

	rc = ledger_put_revision(t, lg, old != NULL, rec, action, &buf);
	if (!rc && old && !old->deleted)
		rc = put_indexes(t, lg, old, false);
	if (!rc && !rec->deleted)
		rc = put_indexes(t, lg, rec, true);
	if (!rc && old)
		rc = totals_apply(t, lg, old, -1);
	if (!rc)
		rc = totals_apply(t, lg, rec, +1);
	sbuf_free(&buf);
	return rc;
}

int ledger_record_bytes(struct store_txn *t, const void *v, size_t vn,
                        const void **bytes, size_t *n)
{
	int rc;

	if (vn != 8)
		return kp_err_set(KP_E_DATA, "%s", L("记录索引已损坏",
		                  "a record entry is damaged"));
	rc = store_get(t, DB_CHANGES, v, vn, bytes, n);
	if (rc == KP_NOTFOUND)
		return kp_err_set(KP_E_DATA, "%s", L("记录指向的版本不存在",
		                  "a record points to a revision that is missing"));
	return rc;
}

int ledger_load_in(struct store_txn *t, const char *id, struct record *out)
{
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_RECORDS, id, strlen(id), &v, &vn);

	if (!rc)
		rc = ledger_record_bytes(t, v, vn, &v, &vn);
	if (rc)
		return rc;
	record_free(out);
	rc = record_decode(v, vn, out);
	if (rc)
		return kp_err_wrap(rc, "%s", id);
	return KP_OK;
}

bool ledger_township_ok(const struct ledger *lg, const char *township)
{
	if (!township || !*township)
		return false;
	if (lg->mode == LEDGER_TOWNSHIP)
		return strcmp(township, lg->township) == 0;
	return schema_township(lg->schema, township) != NULL;
}


/* ---- creating and opening ------------------------------------------------- */

struct init_ctx {
	const char *path;
	const struct schema_file *files;
	size_t nfiles;
	const struct schema *s;
	const char *township;   /* NULL: city */
	int year;
};

static int meta_put(struct store_txn *t, const char *k, const char *v)
{
	return store_put(t, DB_META, k, strlen(k), v, strlen(v));
}

static int init_txn(struct store_txn *t, void *ctx)
{
	struct init_ctx *ic = ctx;
	char num[32];
	const void *v;
	size_t i, vn;
	int rc = KP_OK;

	/* Another process may have created it since we looked. */
	if (store_get(t, DB_META, "schema_version", 14, &v, &vn) == KP_OK)
		return kp_err_set(KP_E_CANTCREAT, LF("数据库已存在：%s",
		                  "database exists: %s"), ic->path);
	for (i = 0; i < ic->nfiles && !rc; i++)
		rc = store_put(t, DB_FORMS, ic->files[i].name,
		               strlen(ic->files[i].name), ic->files[i].data,
		               ic->files[i].len);
	snprintf(num, sizeof num, "%d", LEDGER_SCHEMA_VERSION);
	if (!rc)
		rc = meta_put(t, "schema_version", num);
	if (!rc)
		rc = meta_put(t, "mode", ic->township ? "township" : "city");
	if (!rc)
		rc = meta_put(t, "township", ic->township ? ic->township : "");
	snprintf(num, sizeof num, "%d", ic->year);
	if (!rc)
		rc = meta_put(t, "year", num);
	if (!rc)
		rc = meta_put(t, "plan", ic->s->plan.id);
	snprintf(num, sizeof num, "%lld", (long long)time(NULL));
	if (!rc)
		rc = meta_put(t, "created_at", num);
	if (!rc)
		rc = meta_put(t, "created_by", record_current_user());
	return rc;
}

static int init_validate(const struct schema *s, const char *township,
                         int *year)
{
	if (township && !schema_township(s, township))
		return kp_err_set(KP_E_DATA, LF("未知的镇（街道）：%s",
		                  "unknown township: %s"), township);
	if (*year == 0)
		*year = schema_current_year(s);
	else if (!schema_year_in_plan(s, *year))
		return kp_err_set(KP_E_DATA, LF("%d 年不在规划期 %d—%d 内",
		                  "year %d is outside the plan (%d-%d)"),
		                  *year, s->plan.first_year, s->plan.last_year);
	return KP_OK;
}

static void remove_db(const char *path)
{
	char lock[4096];

	unlink(path);
	snprintf(lock, sizeof lock, "%s-lock", path);
	unlink(lock);
}

int ledger_init(const char *path, const char *forms_dir,
                const char *township, int year)
{
	struct init_ctx ic = { path, NULL, 0, NULL, township, year };
	struct schema_file *files = NULL;
	struct schema *s = NULL;
	struct store *st = NULL;
	struct stat sb;
	size_t n = 0;
	int rc;

	if (stat(path, &sb) == 0)
		return kp_err_set(KP_E_CANTCREAT, LF("数据库已存在：%s",
		                  "database exists: %s"), path);
	rc = schema_read_dir(forms_dir, &files, &n);
	if (rc)
		return rc;
	rc = schema_load_files(files, n, &s);
	if (rc)
		goto out_files;
	rc = init_validate(s, township, &ic.year);
	if (rc)
		goto out_schema;
	ic.files = files;
	ic.nfiles = n;
	ic.s = s;
	rc = store_open(path, STORE_CREATE, &st);
	if (rc)
		goto out_schema;
	rc = store_write(st, init_txn, &ic);
	store_close(st);
	if (rc && rc != KP_E_CANTCREAT)
		remove_db(path);
out_schema:
	schema_free(s);
out_files:
	schema_files_free(files, n);
	return rc;
}

struct open_ctx {
	struct ledger *lg;
	struct schema_file *files;
	size_t nfiles, cap;
};

static int meta_get(struct store_txn *t, const char *k, char *out,
                    size_t cap)
{
	const void *v;
	size_t vn;
	int rc = store_get(t, DB_META, k, strlen(k), &v, &vn);

	out[0] = 0;
	if (rc)
		return rc;
	if (vn >= cap)
		vn = cap - 1;
	memcpy(out, v, vn);
	out[vn] = 0;
	return KP_OK;
}

static char *copy_bytes(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int collect_form(void *ctx, const void *k, size_t kn, const void *v,
                        size_t vn)
{
	struct open_ctx *oc = ctx;
	struct schema_file *f;

	if (oc->nfiles == oc->cap) {
		size_t cap = oc->cap ? oc->cap * 2 : 16;

		f = realloc(oc->files, cap * sizeof *f);
		if (!f)
			return kp_err_nomem();
		oc->files = f;
		oc->cap = cap;
	}
	f = &oc->files[oc->nfiles];
	f->name = copy_bytes(k, kn);
	f->data = copy_bytes(v, vn);
	f->len = vn;
	if (!f->name || !f->data) {
		free((void *)(uintptr_t)f->name);
		free((void *)(uintptr_t)f->data);
		return kp_err_nomem();
	}
	oc->nfiles++;
	return KP_OK;
}

static void files_free(struct open_ctx *oc)
{
	size_t i;

	for (i = 0; i < oc->nfiles; i++) {
		free((void *)(uintptr_t)oc->files[i].name);
		free((void *)(uintptr_t)oc->files[i].data);
	}
	free(oc->files);
}

static int open_meta(struct store_txn *t, struct ledger *lg)
{
	char buf[RECORD_NAME_MAX];
	long version;

	if (meta_get(t, "schema_version", buf, sizeof buf) != KP_OK)
		return kp_err_set(KP_E_DATA, LF("%s 不是科普台账数据库",
		                  "%s is not a kepu database"), store_path(lg->st));
	version = strtol(buf, NULL, 10);
	if (version > LEDGER_SCHEMA_VERSION)
		return kp_err_set(KP_E_DATA, LF("数据库 %s 由较新版本的 kepu 创建"
		                  "（格式 %ld，本程序支持 %d），请升级 kepu",
		                  "database %s was made by a newer kepu (format %ld;"
		                  " this one reads up to %d): upgrade kepu"),
		                  store_path(lg->st), version, LEDGER_SCHEMA_VERSION);
	meta_get(t, "mode", buf, sizeof buf);
	lg->mode = strcmp(buf, "city") == 0 ? LEDGER_CITY_MODE : LEDGER_TOWNSHIP;
	meta_get(t, "township", lg->township, sizeof lg->township);
	if (lg->mode == LEDGER_CITY_MODE)
		lg->township[0] = 0;
	if (meta_get(t, "year", buf, sizeof buf) == KP_OK)
		lg->year = (int)strtol(buf, NULL, 10);
	return KP_OK;
}

static int open_txn(struct store_txn *t, void *ctx)
{
	struct open_ctx *oc = ctx;
	int rc = open_meta(t, oc->lg);

	if (rc)
		return rc;
	return store_iter(t, DB_FORMS, NULL, 0, false, collect_form, oc);
}

int ledger_open(const char *path, bool readonly, struct ledger **out)
{
	struct open_ctx oc = { NULL, NULL, 0, 0 };
	struct ledger *lg;
	int rc;

	*out = NULL;
	lg = calloc(1, sizeof *lg);
	if (!lg)
		return kp_err_nomem();
	oc.lg = lg;
	rc = store_open(path, readonly ? STORE_RDONLY : 0, &lg->st);
	if (rc)
		goto fail;
	rc = store_read(lg->st, open_txn, &oc);
	if (!rc)
		rc = schema_load_files(oc.files, oc.nfiles, &lg->schema);
	if (rc)
		goto fail;
	if (!schema_year_in_plan(lg->schema, lg->year))
		lg->year = schema_current_year(lg->schema);
	snprintf(lg->user, sizeof lg->user, "%s", record_current_user());
	files_free(&oc);
	*out = lg;
	return KP_OK;
fail:
	files_free(&oc);
	ledger_close(lg);
	return rc;
}

void ledger_close(struct ledger *lg)
{
	if (!lg)
		return;
	store_close(lg->st);
	schema_free(lg->schema);
	free(lg);
}
