/* bundle_forms.c - forms bundles: how the city sends a version of its form
 * set down to the townships.
 *
 * A forms bundle holds the files of the city database's current form
 * version exactly as the database stores them (so a township stores the
 * same bytes and both sides' forms_sha256 agree), with the manifest,
 * SHA256SUMS and the city's signature like every bundle.  A township
 * takes it as `kepu forms update` takes a folder: only when the version is
 * newer and compatible with its records (ledger_forms_update), all or
 * nothing; a version it has already, with the same files, changes nothing.
 *
 * Every bundle names the forms version it was made with: a data bundle
 * whose version the receiving database never had is refused, since its
 * rows may hold fields and codes the database does not know.
 *
 * Uses bundle_export.c (the manifest's common keys, recording an export).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "keys.h"
#include "lang.h"

/* ---- the forms version of every bundle ------------------------------- */

/* A data bundle made with forms the database never had cannot be read:
 * its rows may hold fields and codes this database does not know. */
static void unknown_version(struct ledger *lg, struct bundle_summary *s,
                            unsigned ver)
{
	unsigned cur = lg->schema->version;

	if (ver < cur)
		bundle_problem(s, LF("数据包按第 %u 版表单制作，本数据库从未有过这一版（现为第 %u 版）：请与发包的镇（街道）核对它的表单",
		               "the bundle was made with forms version %u, which this database never had (it has version %u): check the sender's forms"),
		               ver, cur);
	else if (lg->mode == LEDGER_CITY_MODE)
		bundle_problem(s, LF("市里尚未载入第 %u 版表单：这个数据包按第 %u 版制作，本数据库是第 %u 版；请先把市里的表单更新到这一版（kepu forms update 表单文件夹，或安装带有这一版表单的 kepu），再导入",
		               "the city has not loaded forms version %u yet: this bundle was made with forms version %u and this database has version %u; load it first (kepu forms update DIR, or install the kepu that ships it), then import again"),
		               ver, ver, cur);
	else
		bundle_problem(s, LF("本数据库尚未载入第 %u 版表单（现为第 %u 版）：请先导入市里的表单包",
		               "this database has not loaded forms version %u yet (it has version %u): import the city's forms bundle first"),
		               ver, cur);
}

void bundle_forms_version(struct ledger *lg, struct bundle_summary *s,
                          struct bload *b)
{
	const char *fv = kvl_get(&b->mf, "forms_version");
	const char *sha = kvl_get(&b->mf, "forms_sha256");
	char mine[2 * crypto_hash_sha256_BYTES + 1], *end;
	const struct schema *known;
	unsigned long ver = 1;
	int rc;

	if (fv && ((ver = strtoul(fv, &end, 10)) == 0 || *end || ver > UINT32_MAX || *fv == '-')) {
		bundle_problem(s, LF("manifest.csv 中的表单版本无效：%s",
		               "manifest.csv has an invalid forms_version: %s"), fv);
		return;
	}
	b->forms_version = s->forms_version = (unsigned)ver;
	if (b->kind != BUNDLE_DATA)
		return;           /* a forms bundle's files are checked as read */
	rc = ledger_schema_for(lg, (unsigned)ver, &known);
	if (rc == KP_NOTFOUND)
		return unknown_version(lg, s, (unsigned)ver);
	if (rc != KP_OK) {
		bundle_problem(s, "%s", kp_err_msg());
		return;
	}
	if (sha && bundle_forms_digest_of(lg, (unsigned)ver, mine) == KP_OK
	    && strcmp(sha, mine) != 0)
		bundle_msg_add(&s->notes, &s->nnotes,
		               LF("发包方的第 %lu 版表单与本数据库的第 %lu 版不完全相同（forms_sha256 不同）：各行按本数据库的这一版检查",
		               "the sender's forms version %lu differs from this database's version %lu (forms_sha256): the rows are checked with this database's"),
		               ver, ver);
}

/* ---- writing (city) -------------------------------------------------- */

/* A stored file name that could not sit in a bundle beside its own
 * files. */
static int check_name(const char *name)
{
	if (!*name || *name == '.' || strchr(name, '/') || strchr(name, '\\')
	    || strlen(name) >= BUNDLE_NAME_MAX || strcmp(name, BUNDLE_MANIFEST) == 0
	    || strcmp(name, BUNDLE_SUMS) == 0 || strcmp(name, BUNDLE_SIG) == 0)
		return kp_err_set(KP_E_DATA, LF("表单文件名 %s 不能放进表单包",
		                  "the form file name %s cannot go into a forms bundle"), name);
	return KP_OK;
}

static int write_files(struct bdir *d, const struct schema_file *files,
                       size_t n)
{
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < n && rc == KP_OK; i++)
		if ((rc = check_name(files[i].name)) == KP_OK)
			rc = bdir_put(d, files[i].name, files[i].data, files[i].len);
	return rc;
}

int bundle_write_forms(struct ledger *lg, const struct bundle_export_opts *o,
                       struct bundle_export_result *res)
{
	struct schema_file *files = NULL;
	struct kvlist m = {0};
	struct bdir d = {0};
	unsigned v = lg->schema->version;
	uint64_t prev_seq;
	size_t n = 0;
	char key[64];
	int rc;

	if (lg->mode != LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", LF("只有市级数据库能导出表单包：镇（街道）的表单由市里下发",
		                  "only a city database exports forms bundles: a township's forms come from the city"));
	if ((rc = keys_ensure(lg)) != KP_OK
	    || (rc = bundle_last(lg, "fout:", &prev_seq, NULL)) != KP_OK
	    || (rc = ledger_forms_files(lg, v, &files, &n)) != KP_OK)
		return rc;
	res->seq = prev_seq + 1;
	res->forms_version = v;
	bundle_name_forms(res->name, v, res->seq);
	bundle_key_fout(key, sizeof key, res->seq);
	if ((rc = bundle_name_free(o->out_dir, res->name)) != KP_OK ||
	    (rc = bdir_begin(&d, o->out_dir, res->name)) != KP_OK)
		goto out;
	if ((rc = write_files(&d, files, n)) != KP_OK)
		goto out;
	rc = bundle_manifest_common(lg, &m, "forms", res->seq, res->name, false);
	if (rc == KP_OK)
		rc = kvl_addf(&m, "files", "%zu", n);
	if (rc == KP_OK)
		rc = bundle_finish(lg, &d, &m, CSVW_EXCEL, key, res);
	if (rc == KP_OK)
		res->rows = n;
out:
	if (d.tmp)
		bdir_abort(&d);
	else
		bdir_free(&d);
	kvl_free(&m);
	schema_files_free(files, n);
	return rc;
}

/* ---- checking a bundle's files --------------------------------------- */

int bundle_forms_read(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b)
{
	const char *count = kvl_get(&b->mf, "files");
	const char *want = kvl_get(&b->mf, "forms_sha256");
	char got[2 * crypto_hash_sha256_BYTES + 1];
	int rc;

	(void)lg;
	s->rows = b->nforms;
	if (!count || strtoull(count, NULL, 10) != b->nforms)
		return bundle_problem(s, LF("表单包有 %zu 个表单文件，清单写的是 %s 个",
		                      "the forms bundle has %zu form files, the manifest says %s"),
		                      b->nforms, count ? count : "?");
	bundle_forms_digest(b->forms, b->nforms, got);
	if (!want || strcmp(want, got) != 0)
		return bundle_problem(s, "%s", LF("表单文件与清单的 forms_sha256 不符",
		                      "the form files do not match the manifest's forms_sha256"));
	rc = schema_load_files(b->forms, b->nforms, &b->fschema);
	if (rc == KP_E_NOMEM)
		return rc;
	if (rc != KP_OK)
		return bundle_problem(s, "%s", kp_err_msg());
	if (b->fschema->version != b->forms_version)
		return bundle_problem(s, LF("表单文件是第 %u 版，清单写的是第 %u 版",
		                      "the form files are version %u, the manifest says version %u"),
		                      b->fschema->version, b->forms_version);
	return KP_OK;
}

/* ---- taking one (township) ------------------------------------------- */

static void import_problem(void *ctx, const char *msg)
{
	bundle_problem(ctx, "%s", msg);
}

/* A version the database has had already: the same files change nothing;
 * other files under the same number, or a version older than all it
 * has, are refused. */
static int not_newer(struct ledger *lg, struct bload *b,
                     struct bundle_summary *s)
{
	unsigned v = b->fschema->version, cur = lg->schema->version;
	char mine[2 * crypto_hash_sha256_BYTES + 1];
	int rc = bundle_forms_digest_of(lg, v, mine);

	if (rc == KP_OK && strcmp(mine, kvl_get(&b->mf, "forms_sha256")) == 0) {
		s->already = true;
		if (v == cur)
			return bundle_msg_add(&s->notes, &s->nnotes,
			                      LF("本数据库已有第 %u 版表单，没有任何改变",
			                      "this database has forms version %u already; nothing changed"), v);
		return bundle_msg_add(&s->notes, &s->nnotes,
		                      LF("本数据库以前已载入第 %u 版表单（现为第 %u 版），没有任何改变",
		                      "this database had forms version %u before (it now has version %u); nothing changed"),
		                      v, cur);
	}
	if (rc == KP_OK)
		bundle_problem(s, LF("本数据库的第 %u 版表单与这个表单包的不同：同一个版本号有两套表单，请与市里核对",
		               "this database's forms version %u differs from the bundle's: two form sets under one number; check with the city"),
		               v);
	else if (rc == KP_NOTFOUND)
		bundle_problem(s, LF("表单包是第 %u 版，比本数据库的第 %u 版旧，不能载入",
		               "the bundle holds forms version %u, older than this database's version %u: it cannot be taken"),
		               v, cur);
	else
		return rc;
	return kp_err_set(KP_E_DATA, LF("%s：未载入，没有任何改变", "%s: not taken; nothing changed"),
	                  s->name);
}

int bundle_forms_import(struct ledger *lg, struct bload *b, bool dry_run,
                        int (*extra)(struct store_txn *t, void *ctx),
                        void *extra_ctx, struct bundle_summary *s)
{
	int rc;

	s->forms_from = lg->schema->version;
	if (lg->mode != LEDGER_TOWNSHIP) {
		bundle_problem(s, "%s", LF("市级数据库不导入表单包：市里的表单用 kepu forms update 文件夹 更新",
		               "a city database does not import forms bundles: it takes forms with kepu forms update DIR"));
		return kp_err_set(KP_E_DATA, LF("%s：不能导入到市级数据库",
		                  "%s: cannot be imported into a city database"), s->name);
	}
	if (b->fschema->version <= lg->schema->version)
		return not_newer(lg, b, s);
	schema_changes(lg->schema, b->fschema, &s->changes);
	if (dry_run)
		rc = ledger_forms_check(lg, b->forms, b->nforms, import_problem, s, NULL);
	else
		rc = ledger_forms_update_with(lg, b->forms, b->nforms, import_problem, s,
		                              extra, extra_ctx);
	s->stored = rc == KP_OK && !dry_run;
	if (rc == KP_E_DATA && !s->nproblems)
		bundle_problem(s, "%s", kp_err_msg());
	if (rc == KP_E_DATA)
		rc = kp_err_set(KP_E_DATA, LF("%s：第 %u 版表单与本数据库的记录不相容，未载入，没有任何改变",
		                "%s: forms version %u does not fit this database's records; not taken, nothing changed"),
		                s->name, b->fschema->version);
	return rc;
}
