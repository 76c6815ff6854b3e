/* ledger.c - a ledger as a whole: creating a database from the form
 * files, opening it (its meta entries and its current forms, moving on to
 * the installed forms when they are newer), closing it, and the townships
 * it reports for.
 *
 * DB_META holds the format version, the mode (township or city), the
 * township, the current form version and who created the database when
 * (and counters, the files whose rows were added: ledger_batch.c);
 * DB_FORMS every version of the form set it has had (ledger_forms.c).
 * Uses ledger_forms.c and ledger_reported.c (a city database made before
 * it kept who has reported gets that when first opened for writing).
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

/* ---- creating ------------------------------------------------------------ */

struct init_ctx {
	const char *path;
	const struct schema_file *files;
	size_t nfiles;
	const struct schema *s;
	const char *township;   /* NULL: city */
};

static int meta_put(struct store_txn *t, const char *k, const char *v)
{
	return store_put(t, DB_META, k, strlen(k), v, strlen(v));
}

static int init_txn(struct store_txn *t, void *ctx)
{
	struct init_ctx *ic = ctx;
	char num[32], key[300];
	const void *v;
	size_t i, vn, kn;
	int rc = KP_OK;

	/* Another process may have created it since we looked. */
	if (store_get(t, DB_META, "schema_version", 14, &v, &vn) == KP_OK)
		return kp_err_set(KP_E_CANTCREAT, LF("数据库已存在：%s",
		                  "database exists: %s"), ic->path);
	for (i = 0; i < ic->nfiles && !rc; i++) {
		kn = (size_t)snprintf(key, sizeof key, "%08u/%s", ic->s->version,
		                      ic->files[i].name);
		if (kn >= sizeof key)
			return kp_err_set(KP_E_DATA, LF("文件名太长：%s",
			                  "file name too long: %s"), ic->files[i].name);
		rc = store_put(t, DB_FORMS, key, kn, ic->files[i].data,
		               ic->files[i].len);
	}
	snprintf(num, sizeof num, "%d", LEDGER_SCHEMA_VERSION);
	if (!rc)
		rc = meta_put(t, "schema_version", num);
	snprintf(num, sizeof num, "%u", ic->s->version);
	if (!rc)
		rc = meta_put(t, "forms_version", num);
	if (!rc)
		rc = meta_put(t, "mode", ic->township ? "township" : "city");
	if (!rc)
		rc = meta_put(t, "township", ic->township ? ic->township : "");
	snprintf(num, sizeof num, "%lld", (long long)time(NULL));
	if (!rc)
		rc = meta_put(t, "created_at", num);
	if (!rc)
		rc = meta_put(t, "created_by", record_current_user());
	if (!rc)
		rc = ledger_reported_init_in(t);
	return rc;
}

static void remove_db(const char *path)
{
	char lock[4096];

	unlink(path);
	snprintf(lock, sizeof lock, "%s-lock", path);
	unlink(lock);
}

int ledger_init(const char *path, const char *forms_dir,
                const char *township)
{
	struct init_ctx ic = { path, NULL, 0, NULL, township };
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
	if (township && !schema_township(s, township)) {
		rc = kp_err_set(KP_E_DATA, LF("未知的镇（街道）：%s",
		                "unknown township: %s"), township);
		goto out_schema;
	}
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

/* ---- opening -------------------------------------------------------------- */

struct open_ctx {
	struct ledger *lg;
	struct schema_file *files;
	size_t nfiles;
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

static int open_meta(struct store_txn *t, struct ledger *lg, unsigned *forms)
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
	/* Databases made before form versions have none: their one set is
	 * version 1.  (Their "year" entry, the working year fixed when they
	 * were made, is not read: the working year is today's.) */
	*forms = 1;
	if (meta_get(t, "forms_version", buf, sizeof buf) == KP_OK)
		*forms = (unsigned)strtoul(buf, NULL, 10);
	return KP_OK;
}

static int open_txn(struct store_txn *t, void *ctx)
{
	struct open_ctx *oc = ctx;
	unsigned forms = 1;
	int rc = open_meta(t, oc->lg, &forms);

	if (rc)
		return rc;
	rc = ledger_forms_files_in(t, forms, &oc->files, &oc->nfiles);
	if (rc == KP_NOTFOUND)
		return kp_err_set(KP_E_DATA, LF("数据库 %s 缺少第 %u 版表单",
		                  "database %s lacks its forms version %u"),
		                  store_path(oc->lg->st), forms);
	return rc;
}

/* The installed forms, when they are newer than the database's and fit
 * it.  Anything that keeps them out (missing, broken, incompatible, busy)
 * leaves the database as it is: it keeps working with its own forms. */
static void move_on(struct ledger *lg)
{
	struct schema_file *files;
	struct schema *shipped;
	unsigned from = lg->schema->version;
	size_t n;

	if (schema_read_dir(schema_default_dir(), &files, &n) != KP_OK)
		return;
	if (schema_load_files(files, n, &shipped) == KP_OK) {
		bool newer = shipped->version > from;

		schema_free(shipped);
		if (newer && ledger_forms_update(lg, files, n, NULL, NULL) == KP_OK)
			lg->upgraded_from = from;
	}
	schema_files_free(files, n);
}

int ledger_open(const char *path, bool readonly, struct ledger **out)
{
	struct open_ctx oc = { NULL, NULL, 0 };
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
	lg->year = date_today().y;
	snprintf(lg->user, sizeof lg->user, "%s", record_current_user());
	schema_files_free(oc.files, oc.nfiles);
	if (!readonly) {
		move_on(lg);
		ledger_reported_upgrade(lg);
	}
	*out = lg;
	return KP_OK;
fail:
	schema_files_free(oc.files, oc.nfiles);
	ledger_close(lg);
	return rc;
}

void ledger_close(struct ledger *lg)
{
	size_t i;

	if (!lg)
		return;
	store_close(lg->st);
	schema_free(lg->schema);
	for (i = 0; i < lg->nolder; i++)
		schema_free(lg->older[i]);
	free(lg->older);
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
