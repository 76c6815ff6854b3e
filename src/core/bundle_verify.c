/* bundle_verify.c - reading a bundle folder and checking everything that
 * can be checked before its rows: names, checksums, manifest, signature,
 * the forms version; a quota, forms or decision bundle's files (small:
 * read whole; bundle_forms.c checks the forms), a data bundle's year
 * events and the years its progress report covers (bundle_years.c).  A
 * data bundle's other CSV files are read later, a block at a time
 * (bundle_data.c), hashed as they are read.
 *
 * Uses bundle_rows.c (quota rows), bundle_attach.c (attachment files),
 * bundle_forms.c (the forms version, a forms bundle's files),
 * bundle_years.c (year events, decisions) and bundle_file.c (reading the
 * files). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "keys.h"
#include "lang.h"
#include "text.h"

void bload_free(struct bload *b)
{
	size_t i;

	free(b->dir);
	kvl_free(&b->mf);
	for (i = 0; i < b->nlist; i++)
		free(b->list[i].buf);
	free(b->list);
	free(b->sums);
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i]);
	free(b->files);
	free(b->idx);
	free(b->arows);
	free(b->absent);
	free(b->quotas);
	free(b->qlines);
	schema_files_free(b->forms, b->nforms);
	schema_free(b->fschema);
	free(b->events);
	free(b->years);
	free(b->att);
	memset(b, 0, sizeof *b);
}

void bundle_problems_keep(struct bundle_summary *s, size_t n, size_t more)
{
	while (s->nproblems > n)
		free(s->problems[--s->nproblems]);
	s->more_problems = more;
}

/* ---- files ---------------------------------------------------------- */

struct vctx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
};

static bool plain_name(const char *n)
{
	return *n && *n != '.' && !strchr(n, '/') && !strchr(n, '\\') &&
	       strcmp(n, BUNDLE_SUMS) != 0 && strcmp(n, BUNDLE_SIG) != 0;
}

/* SHA256SUMS as sha256sum writes it: "<64 hex>  <name>" per line. */
static int parse_sums(struct vctx *v)
{
	struct bload *b = v->b;
	/* A copy: the signature is over the bytes as read. */
	char *copy = malloc(b->sumsn + 1), *p = copy, *end = copy + b->sumsn;
	size_t line = 0;

	if (!copy)
		return kp_err_nomem();
	memcpy(copy, b->sums, b->sumsn);
	*end = '\0';

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end, *name;
		struct blisted *l, *nlst;
		size_t i;

		line++;
		if (e > p && e[-1] == '\r')
			e[-1] = '\0';
		*e = '\0';
		name = p + 66;
		if (e - p < 67 || p[64] != ' ' || (p[65] != ' ' && p[65] != '*'))
			goto bad;
		for (i = 0; i < 64; i++)
			if (!strchr("0123456789abcdef", p[i]) || !p[i])
				goto bad;
		if (strlen(name) >= BUNDLE_NAME_MAX || bundle_listed(b, name))
			goto bad;
		/* The one folder inside: attachments/<sha256>.<type> */
		if (strchr(name, '/')) {
			int rc = bundle_att_list(b, name, p);

			if (rc == KP_E_NOMEM) {
				free(copy);
				return rc;
			}
			if (rc != KP_OK)
				goto bad;
		} else if (!plain_name(name)) {
			goto bad;
		}
		nlst = realloc(b->list, (b->nlist + 1) * sizeof *nlst);
		if (!nlst) {
			free(copy);
			return kp_err_nomem();
		}
		b->list = nlst;
		l = &b->list[b->nlist++];
		memset(l, 0, sizeof *l);
		memcpy(l->hex, p, 64);
		snprintf(l->name, sizeof l->name, "%s", name);
		p = e + 1;
		continue;
bad:
		bundle_problem(v->s, LF("SHA256SUMS 第 %zu 行不是有效的校验行",
		               "SHA256SUMS line %zu is not a valid checksum line"),
		               line);
		p = e + 1;
	}
	free(copy);
	if (b->nlist == 0)
		bundle_problem(v->s, "%s", LF("SHA256SUMS 没有列出任何文件",
		               "SHA256SUMS lists no files"));
	return KP_OK;
}

static int check_unexpected(struct vctx *v)
{
	DIR *d = opendir(v->b->dir);
	struct dirent *de;

	if (!d)
		return kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                  v->b->dir, fs_errno_text(errno));
	/* Hidden files and Thumbs.db are what file managers leave. */
	while ((de = readdir(d)) != NULL)
		if (plain_name(de->d_name) && !bundle_litter(de->d_name) &&
		    !bundle_listed(v->b, de->d_name) &&
		    (strcmp(de->d_name, BUNDLE_ATTACH_DIR) != 0 || v->b->natt == 0))
			bundle_problem(v->s, LF("多出的文件：%s（SHA256SUMS 中没有）",
			               "unexpected file: %s (not in SHA256SUMS)"),
			               de->d_name);
	closedir(d);
	return bundle_att_unexpected(v->b, v->s);
}

/* How messages name a sender: the city signs as "all". */
static const char *sender_name(const char *who)
{
	return strcmp(who, "all") == 0 ? L("市里（all）", "the city (all)") : who;
}

/* A small file read whole and checked; its bytes kept when they match. */
static int check_file(struct vctx *v, struct blisted *l)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	char *buf;
	size_t n;
	int rc;

	rc = bundle_read_whole(v->b, l->name, &buf, &n);
	if (rc == KP_NOTFOUND)
		return bundle_damage(v->s, LF("缺少文件：%s", "missing file: %s"),
		                      l->name);
	if (rc == KP_E_DATA)
		return bundle_problem(v->s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	l->done = true;
	crypto_hash_sha256(h, (unsigned char *)buf, n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, l->hex) == 0) {
		l->buf = buf;
		l->len = n;
		return KP_OK;
	}
	rc = bundle_checksum_problem(v->b, v->s, l, n, n ? (unsigned char)buf[n - 1] : -1);
	free(buf);
	return rc;
}

/* A listed file only hashed (a data bundle with a broken manifest, whose
 * rows will not be read). */
static int hash_file(struct vctx *v, struct blisted *l)
{
	struct bfin in;
	bool match;
	int rc = bfin_open(v->b, l, &in);

	if (rc == KP_NOTFOUND)
		return bundle_damage(v->s, LF("缺少文件：%s", "missing file: %s"),
		                      l->name);
	if (rc == KP_E_DATA)
		return bundle_problem(v->s, "%s", kp_err_msg());
	if (rc == KP_OK && (rc = bfin_finish(v->b, &in, &match)) == KP_OK && !match)
		rc = bfin_problem(v->b, v->s, &in);
	bfin_close(&in);
	return rc;
}

/* ---- manifest and signature ----------------------------------------- */

/* The manifest is in the bundle's encoding too.  Its keys and the
 * encoding's name are ASCII, readable whatever the guess; then it is read
 * again in the encoding it declares, so that no value is guessed. */
static int parse_manifest(struct vctx *v, struct blisted *m)
{
	const char *declared, *enc;
	int rc;

	rc = kvl_parse(BUNDLE_MANIFEST, m->buf, m->len, &v->b->mf);
	if (rc == KP_OK) {
		declared = kvl_get(&v->b->mf, "encoding");
		if (!(enc = bundle_encoding_name(declared))) {
			/* declared lives in mf: say it before freeing mf */
			rc = bundle_problem(v->s, LF("manifest.csv 中的编码无效：%s",
			                    "manifest.csv has an invalid encoding: %s"),
			                    declared ? declared : "");
			kvl_free(&v->b->mf);
			return rc;
		}
		kvl_free(&v->b->mf);
		rc = kvl_parse_as(BUNDLE_MANIFEST, enc, m->buf, m->len, &v->b->mf);
	}
	if (rc == KP_E_NOMEM)
		return rc;
	if (rc != KP_OK)
		return bundle_problem(v->s, "%s", kp_err_msg());
	v->b->mf_ok = true;
	return KP_OK;
}

/* The small files of a data bundle read with the manifest: its year
 * events and its progress report (a row per indicator and year), which
 * say what the merge stores besides the rows. */
static bool read_first(const char *name)
{
	return strcmp(name, BUNDLE_YEARS) == 0 ||
	       strcmp(name, BUNDLE_PROGRESS) == 0;
}

/* The manifest first (its sizes tell truncated from changed, its kind
 * says how to read the rest), then every other file: a data bundle's CSV
 * files but those of read_first are left for bundle_read_data, which
 * hashes them as it reads their rows; the files of a quota, forms or
 * decision bundle are read whole. */
static int check_files(struct vctx *v)
{
	struct blisted *m = bundle_listed(v->b, BUNDLE_MANIFEST);
	const char *kind;
	bool data;
	size_t i;
	int rc;

	if (!m)
		return bundle_problem(v->s, "%s", LF("SHA256SUMS 中没有 manifest.csv",
		                      "manifest.csv is not listed in SHA256SUMS"));
	if ((rc = check_file(v, m)) != KP_OK)
		return rc;
	if (m->buf && (rc = parse_manifest(v, m)) != KP_OK)
		return rc;
	kind = v->b->mf_ok ? kvl_get(&v->b->mf, "kind") : NULL;
	data = !kind || strcmp(kind, "data") == 0;
	for (i = 0; i < v->b->nlist; i++) {
		struct blisted *l = &v->b->list[i];
		struct batt *a = strchr(l->name, '/')
		                 ? bundle_att_find(v->b, l->name) : NULL;

		if (a)
			rc = bundle_att_check(v->b, v->s, a, l->hex,
			                      bundle_manifest_bytes(v->b, a->name));
		else if (l == m)
			continue;
		else if (data && v->b->mf_ok && !read_first(l->name))
			l->deferred = true;
		else if (data && !v->b->mf_ok)
			rc = hash_file(v, l);
		else
			rc = check_file(v, l);
		if (rc != KP_OK)
			return rc;
	}
	return KP_OK;
}

static const char *mf(struct vctx *v, const char *key)
{
	const char *val = kvl_get(&v->b->mf, key);

	if (!val || !*val) {
		bundle_problem(v->s, LF("manifest.csv 缺少 %s", "manifest.csv lacks %s"),
		               key);
		return NULL;
	}
	return val;
}

static void check_manifest(struct vctx *v)
{
	struct bundle_summary *s = v->s;
	const char *fmt, *kind, *who, *seq, *name, *to, *full;
	char want[BUNDLE_NAME_MAX];
	char *end;

	if (!v->b->mf_ok)
		return;
	if ((fmt = mf(v, "format")) && strcmp(fmt, BUNDLE_FORMAT) != 0)
		bundle_problem(s, LF("不认识的包格式：%s", "unknown bundle format: %s"),
		               fmt);
	if ((kind = mf(v, "kind"))) {
		if (strcmp(kind, "data") == 0)
			v->b->kind = BUNDLE_DATA;
		else if (strcmp(kind, "quota") == 0)
			v->b->kind = BUNDLE_QUOTA;
		else if (strcmp(kind, "forms") == 0)
			v->b->kind = BUNDLE_FORMS;
		else if (strcmp(kind, "decision") == 0)
			v->b->kind = BUNDLE_DECISION;
		else
			bundle_problem(s, LF("不认识的包类型：%s",
			               "unknown bundle kind: %s"), kind);
	}
	s->kind = v->b->kind;
	if ((who = mf(v, "township")) != NULL) {
		snprintf(v->b->who, sizeof v->b->who, "%s", who);
		snprintf(s->township, sizeof s->township, "%s", who);
		if (strcmp(who, LEDGER_CITY) != 0 &&
		    !schema_township(v->lg->schema, who))
			bundle_problem(s, LF("未知的镇街：%s", "unknown township: %s"), who);
	}
	if ((seq = mf(v, "seq")) != NULL) {
		v->b->seq = strtoull(seq, &end, 10);
		if (*end || v->b->seq == 0)
			bundle_problem(s, LF("manifest.csv 中的编号无效：%s",
			               "manifest.csv has an invalid seq: %s"), seq);
		s->seq = v->b->seq;
	}
	full = kvl_get(&v->b->mf, "full");
	s->full = full && strcmp(full, "1") == 0;
	to = kvl_get(&v->b->mf, "to");
	if (to)
		snprintf(s->to, sizeof s->to, "%s", to);
	if (v->b->kind == BUNDLE_QUOTA && (!who || strcmp(who, LEDGER_CITY) != 0))
		bundle_problem(s, "%s", LF("任务数包只能由市里发出",
		               "a quota bundle must come from the city"));
	if (v->b->kind == BUNDLE_FORMS && (!who || strcmp(who, LEDGER_CITY) != 0))
		bundle_problem(s, "%s", LF("表单包只能由市里发出",
		               "a forms bundle must come from the city"));
	if (v->b->kind == BUNDLE_DECISION && (!who || strcmp(who, LEDGER_CITY) != 0))
		bundle_problem(s, "%s", LF("决定包只能由市里发出",
		               "a decision bundle must come from the city"));
	bundle_forms_version(v->lg, v->s, v->b);
	if (who && seq && (name = mf(v, "name")) != NULL) {
		if (v->b->kind == BUNDLE_QUOTA)
			snprintf(want, sizeof want, "quota-%s-%06llu-", to ? to : "",
			         (unsigned long long)v->b->seq);
		else if (v->b->kind == BUNDLE_FORMS)
			snprintf(want, sizeof want, "forms-v%06u-%06llu-",
			         v->b->forms_version, (unsigned long long)v->b->seq);
		else if (v->b->kind == BUNDLE_DECISION)
			snprintf(want, sizeof want, "decision-%s-%06llu-", to ? to : "",
			         (unsigned long long)v->b->seq);
		else
			snprintf(want, sizeof want, "%s-%06llu-", who,
			         (unsigned long long)v->b->seq);
		if (strncmp(name, want, strlen(want)) != 0 ||
		    strlen(name) != strlen(want) + 8)
			bundle_problem(s, LF("manifest.csv 中的包名 %s 与内容不符",
			               "manifest.csv names the bundle %s, which does "
			               "not fit its contents"), name);
		else if (strcmp(name, s->name) != 0)
			bundle_problem(s, LF("文件夹名为 %s，但清单写的是 %s；"
			               "请用原名", "the folder is named %s but the "
			               "manifest says %s; use the original name"),
			               s->name, name);
	}
	if ((fmt = mf(v, "schema_version")) &&
	    atoi(fmt) > LEDGER_SCHEMA_VERSION)
		bundle_problem(s, LF("包的结构版本 %s 比本软件新，请升级 kepu",
		               "the bundle's schema version %s is newer than this "
		               "kepu; upgrade"), fmt);
}

/* Whether sig is the signature of SHA256SUMS by the key the manifest
 * carries, which is not the trusted one (fpr): its fingerprint into
 * other.  Only for the message: the trusted key alone makes a bundle
 * good. */
static bool signed_by_other(struct vctx *v, const unsigned char *sig,
                            const char *fpr, char other[KEYS_FPR_LEN + 1])
{
	const char *hex = kvl_get(&v->b->mf, "public_key");
	unsigned char pk[KEYS_PK_BYTES];

	if (!v->b->mf_ok || !hex || keys_from_hex(hex, pk, sizeof pk) != KP_OK)
		return false;
	keys_fingerprint(pk, other);
	return strcmp(other, fpr) != 0 &&
	       keys_verify(pk, v->b->sums, v->b->sumsn, sig) == KP_OK;
}

static void check_signature(struct vctx *v)
{
	struct bundle_summary *s = v->s;
	unsigned char pk[KEYS_PK_BYTES], sig[KEYS_SIG_BYTES];
	char fpr[KEYS_FPR_LEN + 1], other[KEYS_FPR_LEN + 1];
	const char *who = v->b->who, *claimed;
	char *buf = NULL;
	size_t n;
	int rc;

	rc = bundle_read_whole(v->b, BUNDLE_SIG, &buf, &n);
	if (rc != KP_OK) {
		bundle_problem(s, "%s", rc == KP_NOTFOUND ?
		               LF("未签名：缺少 manifest.sig",
		                 "unsigned: manifest.sig is missing") : kp_err_msg());
		return;
	}
	if (keys_from_hex(buf, sig, sizeof sig) != KP_OK) {
		bundle_problem(s, "%s", LF("manifest.sig 不是有效的签名",
		               "manifest.sig is not a valid signature"));
		goto out;
	}
	if (!*who)
		goto out;
	/* A township database trusts the city's key and its own (to check
	 * its bundle on the stick): another township's bundle goes to the
	 * city, and trusting its key here would not help. */
	if (v->lg->mode != LEDGER_CITY_MODE && strcmp(who, "all") != 0 &&
	    strcmp(who, v->lg->township) != 0) {
		bundle_problem(s, LF("这是 %s 的数据包：镇街数据库只导入市里发来的包"
		               "（任务数、表单、决定）；镇街的数据包交市里导入",
		               "this is a bundle of %s: a township database imports "
		               "only the city's bundles (quotas, forms, decisions); "
		               "a township's bundles go to the city"), who);
		goto out;
	}
	if (keys_trusted(v->lg, who, pk) != KP_OK) {
		bundle_problem(s, LF("未知镇街/未受信任：本数据库没有 %s 的公钥"
		               "（请先 kepu township trust 公钥文件）",
		               "unknown township / untrusted: this database trusts "
		               "no key for %s (kepu township trust KEYFILE)"),
		               sender_name(who));
		goto out;
	}
	keys_fingerprint(pk, fpr);
	snprintf(s->fingerprint, sizeof s->fingerprint, "%s", fpr);
	if (keys_verify(pk, v->b->sums, v->b->sumsn, sig) == KP_OK)
		goto out;
	claimed = kvl_get(&v->b->mf, "fingerprint");
	if (signed_by_other(v, sig, fpr, other))
		/* A key of its own the sender really signed with: a new one
		 * (kepu key rotate), trusted only by an explicit step. */
		bundle_problem(s, LF("签名密钥不受信任：包由 %1$s 的另一把密钥 %2$s 签名，本数据库信任的是 %3$s；"
		               "若 %1$s 换了密钥（kepu key rotate），请电话核对新指纹 %2$s，"
		               "再用 kepu township trust 公钥文件 --replace 信任它，在此之前拒收它签名的数据包",
		               "untrusted key: signed with another key of %1$s, %2$s, "
		               "but the key trusted for %1$s is %3$s; if %1$s has a "
		               "new key (kepu key rotate), check the fingerprint %2$s "
		               "with them over the telephone and trust its key file "
		               "with kepu township trust KEYFILE --replace; until then "
		               "bundles signed with it are refused"),
		               sender_name(who), other, fpr);
	else if (claimed && strcmp(claimed, fpr) != 0)
		bundle_problem(s, LF("签名错误：包由密钥 %s 签名，而本数据库信任的 "
		               "%s 的密钥是 %s", "wrong signature: signed with key "
		               "%s, but the key trusted for %s is %s"), claimed,
		               sender_name(who), fpr);
	else
		bundle_problem(s, LF("签名错误：SHA256SUMS 与 %s 的签名不符",
		               "wrong signature: SHA256SUMS does not match the "
		               "signature of %s"), sender_name(who));
out:
	free(buf);
}

/* ---- a quota or forms bundle's contents ------------------------------- */

static int count_rows(struct vctx *v, const char *file, const char *key,
                      size_t got)
{
	const char *want = kvl_get(&v->b->mf, key);

	if (!want)
		return bundle_problem(v->s, LF("manifest.csv 缺少 %s",
		                      "manifest.csv lacks %s"), key);
	if (strtoull(want, NULL, 10) != got)
		return bundle_problem(v->s, LF("%s 有 %zu 行，清单写的是 %s 行",
		                      "%s has %zu rows, the manifest says %s"),
		                      file, got, want);
	return KP_OK;
}

/* A data bundle's year events (years.csv, absent from bundles made before
 * them) and the years its progress report covers; a decision bundle's
 * decisions (bundle_years.c reads both). */
static int read_years(struct vctx *v, const char *file)
{
	struct blisted *l = bundle_listed(v->b, file);
	struct blisted *p = bundle_listed(v->b, BUNDLE_PROGRESS);

	return bundle_years_load(v->lg, v->s, v->b, file, l != NULL,
	                         l ? l->buf : NULL, l ? l->len : 0,
	                         p ? p->buf : NULL, p ? p->len : 0);
}

static int read_quotas(struct vctx *v)
{
	struct blisted *l = bundle_listed(v->b, BUNDLE_QUOTAS);
	size_t rows = 0;
	int rc;

	if (!l || !l->buf)
		return bundle_damage(v->s, LF("缺少文件：%s", "missing file: %s"),
		                      BUNDLE_QUOTAS);
	rc = bundle_rows_quota(v->lg, v->s, v->b, l->buf, l->len, &rows);
	if (rc != KP_OK)
		return rc;
	v->s->rows = rows;
	return count_rows(v, BUNDLE_QUOTAS, "rows:quotas", rows);
}

/* A forms bundle: every listed file but the manifest is a form file. */
static int read_forms(struct vctx *v)
{
	struct schema_file *f;
	size_t i;

	if (!(v->b->forms = calloc(v->b->nlist ? v->b->nlist : 1,
	                           sizeof *v->b->forms)))
		return kp_err_nomem();
	for (i = 0; i < v->b->nlist; i++) {
		struct blisted *l = &v->b->list[i];

		if (strcmp(l->name, BUNDLE_MANIFEST) == 0 || !l->buf)
			continue;
		f = &v->b->forms[v->b->nforms];
		if (!(f->name = xstrdup(l->name)))
			return kp_err_nomem();
		f->data = l->buf;
		f->len = l->len;
		l->buf = NULL;   /* the bload's now */
		v->b->nforms++;
	}
	return bundle_forms_read(v->lg, v->s, v->b);
}

/* ---- the whole check ------------------------------------------------ */

static int set_name(struct bundle_summary *s, struct bload *b,
                    const char *path)
{
	size_t n = strlen(path);
	const char *base;

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (!(b->dir = malloc(n + 1)))
		return kp_err_nomem();
	memcpy(b->dir, path, n);
	b->dir[n] = '\0';
	base = strrchr(b->dir, '/');
	base = base ? base + 1 : b->dir;
	snprintf(s->name, sizeof s->name, "%s", base);
	return KP_OK;
}

/* A folder (a USB stick's root) with a bundle in it: given instead of the
 * bundle by a user who has not seen the bundles' folders yet. */
static bool holds_bundles(const char *dir)
{
	struct dirent *de;
	struct stat st;
	char path[4096];
	bool found = false;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/%s", dir, de->d_name, BUNDLE_SUMS);
		found = stat(path, &st) == 0;
	}
	closedir(d);
	return found;
}

static int load_checked(struct vctx *v)
{
	struct bload *b = v->b;
	int rc;

	rc = bundle_read_whole(b, BUNDLE_SUMS, &b->sums, &b->sumsn);
	if (rc == KP_NOTFOUND && holds_bundles(b->dir)) {
		v->s->not_a_bundle = true;
		return bundle_problem(v->s, LF("这是存放数据包的文件夹，不是数据包："
		                      "请写出数据包的名字，如 %s/*",
		                      "this folder holds bundles but is not one: "
		                      "name the bundles, e.g. %s/*"), b->dir);
	}
	if (rc == KP_NOTFOUND)
		return bundle_damage(v->s, "%s", LF("缺少文件：SHA256SUMS"
		                      "（不是完整的数据包）", "missing file: "
		                      "SHA256SUMS (not a complete bundle)"));
	if (rc == KP_E_DATA)
		return bundle_problem(v->s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	crypto_hash_sha256(b->sums_hash, (unsigned char *)b->sums, b->sumsn);
	sodium_bin2hex(b->sums_hex, sizeof b->sums_hex, b->sums_hash,
	               sizeof b->sums_hash);
	if ((rc = parse_sums(v)) != KP_OK ||
	    (rc = check_unexpected(v)) != KP_OK ||
	    (rc = check_files(v)) != KP_OK)
		return rc;
	check_manifest(v);
	return KP_OK;
}

int bundle_load(struct ledger *lg, const char *path, struct bundle_summary *s,
                struct bload *b, bload_fn before_rows, void *ctx)
{
	struct vctx v = { .lg = lg, .s = s, .b = b };
	struct stat st;
	int rc;

	memset(b, 0, sizeof *b);
	if ((rc = set_name(s, b, path)) != KP_OK)
		return rc;
	if (stat(b->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("%s：没有这个数据包文件夹",
		                  "%s: no such bundle folder"), path);
	rc = load_checked(&v);
	if (rc == KP_OK && b->sums)
		check_signature(&v);
	if (rc == KP_OK && s->nproblems == 0 && before_rows)
		rc = before_rows(ctx, b);
	if (rc == KP_OK && s->nproblems == 0 && b->kind == BUNDLE_QUOTA)
		rc = read_quotas(&v);
	else if (rc == KP_OK && s->nproblems == 0 && b->kind == BUNDLE_FORMS)
		rc = read_forms(&v);
	else if (rc == KP_OK && s->nproblems == 0)
		rc = read_years(&v, b->kind == BUNDLE_DECISION ? BUNDLE_DECISIONS
		                                               : BUNDLE_YEARS);
	else if (rc == KP_NOTFOUND)
		rc = KP_OK;
	if (rc != KP_OK)
		return rc;
	if (s->nproblems || s->more_problems)
		return bundle_refused(s);
	return KP_OK;
}
