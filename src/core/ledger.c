/* ledger.c - a ledger as a whole: creating a database from the form
 * files, opening it (its meta entries and its own copy of the forms),
 * closing it, and the townships it reports for.
 *
 * DB_META holds the format version, the mode (township or city), the
 * township, the working year, the plan and who created the database when;
 * DB_FORMS holds the form files the database was created with, so an old
 * database stays readable when forms/ changes.  Uses nothing of the
 * ledger's other files.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

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

	f = ledger_grow(oc->files, &oc->cap, oc->nfiles, sizeof *f);
	if (!f)
		return kp_err_nomem();
	oc->files = f;
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

/* ---- what it reports for -------------------------------------------------- */

size_t ledger_townships(const struct ledger *lg,
                        const struct township **out, size_t max)
{
	const struct township *own;
	size_t i, n = 0;

	if (lg->mode == LEDGER_TOWNSHIP) {
		own = schema_township(lg->schema, lg->township);
		if (own && max > 0)
			out[n++] = own;
		return n;
	}
	for (i = 0; i < lg->schema->ntownships && n < max; i++)
		out[n++] = &lg->schema->townships[i];
	return n;
}
