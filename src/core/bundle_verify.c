/* bundle_verify.c - reading a bundle folder and checking everything that
 * can be checked without the database's records: names, manifest,
 * checksums, signature, the forms version, the shape of every row (read
 * with the forms the bundle was made with) and the row counts; a forms
 * bundle's files (bundle_forms.c); the year events of a data bundle and
 * the decisions of a decision bundle (bundle_years.c). */
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
#include "keys.h"
#include "lang.h"
#include "text.h"

void bload_free(struct bload *b)
{
	size_t i;

	free(b->dir);
	kvl_free(&b->mf);
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i]);
	free(b->files);
	for (i = 0; i < b->nrecs; i++)
		record_free(&b->recs[i]);
	free(b->recs);
	free(b->pos);
	free(b->quotas);
	free(b->qlines);
	schema_files_free(b->forms, b->nforms);
	schema_free(b->fschema);
	free(b->events);
	free(b->years);
	free(b->att);
	free(b->byid);
	free(b->history);
	memset(b, 0, sizeof *b);
}

/* ---- files ---------------------------------------------------------- */

struct listed {
	char name[BUNDLE_NAME_MAX];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	char *buf;                    /* contents once read and matching */
	size_t len;
};

struct vctx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	struct listed *list;
	size_t nlist;
	char *sums;
	size_t sumsn;
};

/* A file of the bundle is opened only as what it is named: a regular
 * file in the folder.  A link would let a listed file be one outside the
 * bundle, hashed and accepted; a FIFO would block.  KP_E_DATA (the
 * message says which) for those, KP_NOTFOUND when there is none. */
static FILE *open_plain(const char *path, const char *name, int *rc)
{
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		*rc = errno == ENOENT ? KP_NOTFOUND
		    : errno == ELOOP ? kp_err_set(KP_E_DATA, LF("%s 是符号链接，不是数据包里的文件：拒收",
		                       "%s is a symbolic link, not a file of the bundle: refused"), name)
		    : kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                 path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*rc = kp_err_set(KP_E_DATA, LF("%s 不是普通文件：拒收",
		                 "%s is not a regular file: refused"), name);
		return NULL;
	}
	if (fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "rb"))) {
		*rc = kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                 path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

/* The whole file; KP_NOTFOUND when it does not exist, KP_E_DATA when it
 * is no regular file (open_plain). */
static int read_whole(const char *dir, const char *name, char **buf,
                      size_t *n)
{
	struct sbuf p = {0}, data = {0};
	char chunk[65536];
	size_t got;
	FILE *f;
	int rc = KP_OK;

	*buf = NULL;
	*n = 0;
	if (sbuf_printf(&p, "%s/%s", dir, name) != KP_OK)
		return kp_err_nomem();
	if (!(f = open_plain(p.s, name, &rc)))
		goto out;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = sbuf_add(&data, chunk, got)) != KP_OK)
			break;
	if (rc == KP_OK && ferror(f))
		rc = kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                p.s, strerror(errno));
	fclose(f);
	if (rc == KP_OK) {
		*n = data.len;
		*buf = data.s ? data.s : calloc(1, 1);
		data.s = NULL;
		if (!*buf)
			rc = kp_err_nomem();
	}
	sbuf_free(&data);
out:
	sbuf_free(&p);
	return rc;
}

static bool plain_name(const char *n)
{
	return *n && *n != '.' && !strchr(n, '/') && !strchr(n, '\\') &&
	       strcmp(n, BUNDLE_SUMS) != 0 && strcmp(n, BUNDLE_SIG) != 0;
}

static struct listed *listed_find(struct vctx *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nlist; i++)
		if (strcmp(v->list[i].name, name) == 0)
			return &v->list[i];
	return NULL;
}

/* SHA256SUMS as sha256sum writes it: "<64 hex>  <name>" per line. */
static int parse_sums(struct vctx *v)
{
	/* A copy: the signature is over the bytes as read. */
	char *copy = malloc(v->sumsn + 1), *p = copy, *end = copy + v->sumsn;
	size_t line = 0;

	if (!copy)
		return kp_err_nomem();
	memcpy(copy, v->sums, v->sumsn);
	*end = '\0';

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end, *name;
		struct listed *l, *nlst;
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
		if (strlen(name) >= BUNDLE_NAME_MAX || listed_find(v, name))
			goto bad;
		/* The one folder inside: attachments/<sha256>.<type> */
		if (strchr(name, '/')) {
			int rc = bundle_att_list(v->b, name, p);

			if (rc == KP_E_NOMEM) {
				free(copy);
				return rc;
			}
			if (rc != KP_OK)
				goto bad;
		} else if (!plain_name(name)) {
			goto bad;
		}
		nlst = realloc(v->list, (v->nlist + 1) * sizeof *nlst);
		if (!nlst) {
			free(copy);
			return kp_err_nomem();
		}
		v->list = nlst;
		l = &v->list[v->nlist++];
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
	if (v->nlist == 0)
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
		                  v->b->dir, strerror(errno));
	/* Hidden files are what file managers leave (.DS_Store). */
	while ((de = readdir(d)) != NULL)
		if (plain_name(de->d_name) && !listed_find(v, de->d_name) &&
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

static uint64_t manifest_bytes(struct vctx *v, const char *name)
{
	char key[BUNDLE_NAME_MAX + 8];
	const char *val;

	if (!v->b->mf_ok)
		return 0;
	snprintf(key, sizeof key, "bytes:%s", name);
	val = kvl_get(&v->b->mf, key);
	return val ? strtoull(val, NULL, 10) : 0;
}

/* The SHA-256 (hex) of buf as it was before a re-save that dropped the
 * byte-order mark (bom) and/or turned CRLF into LF (crlf). */
static void hash_undone(const char *buf, size_t n, bool bom, bool crlf,
                        char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	const char *p = buf, *nl;

	crypto_hash_sha256_init(&st);
	if (bom)
		crypto_hash_sha256_update(&st, (const unsigned char *)"\xef\xbb\xbf", 3);
	while (crlf && (nl = memchr(p, '\n', n - (size_t)(p - buf))) != NULL) {
		crypto_hash_sha256_update(&st, (const unsigned char *)p,
		                          (unsigned long long)(nl - p));
		crypto_hash_sha256_update(&st, (const unsigned char *)"\r\n", 2);
		p = nl + 1;
	}
	crypto_hash_sha256_update(&st, (const unsigned char *)p,
	                          (unsigned long long)(n - (size_t)(p - buf)));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

/* What changed the file.  A spreadsheet or editor that re-saved it
 * typically dropped the byte-order mark and/or turned CRLF into LF; when
 * undoing exactly that gives back the signed checksum, say so, since the
 * data itself is then intact and an untouched copy will verify. */
static const char *change_hint(struct vctx *v, const char *buf, size_t n,
                               const char *want)
{
	const char *enc = v->b->mf_ok ? kvl_get(&v->b->mf, "encoding") : NULL;
	bool bom = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
	bool lf_only = !memmem(buf, n, "\r\n", 2) && memchr(buf, '\n', n);
	char hex[2 * crypto_hash_sha256_BYTES + 1];

	if (!bom && lf_only) {
		hash_undone(buf, n, true, true, hex);
		if (strcmp(hex, want) == 0)
			return LF("开头的 BOM 被删掉、换行符被改过，内容未变：是被 Excel/WPS "
			          "或编辑器另存过；请从原来的 U 盘重新复制未打开过的数据包",
			          "the byte-order mark was removed and the line ends were "
			          "changed, the data is the same: it was re-saved by a "
			          "spreadsheet or editor; copy the bundle again from the "
			          "original stick without opening it");
	}
	if (!bom) {
		hash_undone(buf, n, true, false, hex);
		if (strcmp(hex, want) == 0)
			return LF("开头的 BOM 被删掉，内容未变：是被 Excel/WPS 另存过；"
			          "请从原来的 U 盘重新复制未打开过的数据包",
			          "the byte-order mark was removed, the data is the same: "
			          "it was re-saved by a spreadsheet; copy the bundle again "
			          "from the original stick without opening it");
	}
	if (lf_only) {
		hash_undone(buf, n, false, true, hex);
		if (strcmp(hex, want) == 0)
			return LF("换行符被改过，内容未变：是被编辑器另存过；"
			          "请从原来的 U 盘重新复制未打开过的数据包",
			          "the line ends were changed, the data is the same: it "
			          "was re-saved by an editor; copy the bundle again from "
			          "the original stick without opening it");
	}
	if (enc && strcmp(enc, "utf-8") == 0 && !bom)
		return LF("开头的 BOM 没有了，内容也被改过：是否被 Excel/WPS 另存过？",
		          "the byte-order mark is gone and the contents differ: "
		          "edited in a spreadsheet?");
	if (lf_only)
		return LF("换行符被改过，内容也被改过：是否被另存过？",
		          "line ends were changed and the contents differ: edited "
		          "and re-saved?");
	return LF("校验和不符", "checksum differs");
}

static int check_file(struct vctx *v, struct listed *l)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[sizeof l->hex];
	uint64_t want;
	char *buf;
	size_t n;
	int rc;

	rc = read_whole(v->b->dir, l->name, &buf, &n);
	if (rc == KP_NOTFOUND)
		return bundle_problem(v->s, LF("缺少文件：%s", "missing file: %s"),
		                      l->name);
	if (rc == KP_E_DATA)
		return bundle_problem(v->s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	crypto_hash_sha256(h, (unsigned char *)buf, n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, l->hex) == 0) {
		l->buf = buf;
		l->len = n;
		return KP_OK;
	}
	want = manifest_bytes(v, l->name);
	/* Cut short: smaller and ending mid-row (a writer ends every row). */
	if (want && n < want && (n == 0 || buf[n - 1] != '\n')) {
		free(buf);
		return bundle_problem(v->s, LF("文件被截断：%s（只有 %zu 字节，"
		                      "应为 %llu）", "truncated file: %s (%zu of "
		                      "%llu bytes)"), l->name, n,
		                      (unsigned long long)want);
	}
	rc = bundle_problem(v->s, LF("文件已被改动：%s（%s）",
	                    "file changed: %s (%s)"), l->name, change_hint(v, buf, n, l->hex));
	free(buf);
	return rc;
}

/* The manifest is in the bundle's encoding too.  Its keys and the
 * encoding's name are ASCII, readable whatever the guess; then it is read
 * again in the encoding it declares, so that no value is guessed. */
static int parse_manifest(struct vctx *v, struct listed *m)
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

static int check_files(struct vctx *v)
{
	struct listed *m = listed_find(v, BUNDLE_MANIFEST);
	size_t i;
	int rc;

	if (!m)
		return bundle_problem(v->s, "%s", LF("SHA256SUMS 中没有 manifest.csv",
		                      "manifest.csv is not listed in SHA256SUMS"));
	/* The manifest first: its sizes tell truncated from changed. */
	if ((rc = check_file(v, m)) != KP_OK)
		return rc;
	if (m->buf && (rc = parse_manifest(v, m)) != KP_OK)
		return rc;
	for (i = 0; i < v->nlist; i++) {
		struct batt *a = strchr(v->list[i].name, '/')
		                 ? bundle_att_find(v->b, v->list[i].name) : NULL;

		if (a)
			rc = bundle_att_check(v->b, v->s, a, v->list[i].hex,
			                      manifest_bytes(v, a->name));
		else if (&v->list[i] != m)
			rc = check_file(v, &v->list[i]);
		if (rc != KP_OK)
			return rc;
	}
	return KP_OK;
}

/* ---- manifest and signature ----------------------------------------- */

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
	       keys_verify(pk, v->sums, v->sumsn, sig) == KP_OK;
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

	rc = read_whole(v->b->dir, BUNDLE_SIG, &buf, &n);
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
	if (keys_verify(pk, v->sums, v->sumsn, sig) == KP_OK)
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

static int read_form_file(struct vctx *v, const struct form *fm)
{
	char file[BUNDLE_NAME_MAX], key[BUNDLE_NAME_MAX];
	struct listed *l;
	size_t rows = 0;
	int rc;

	snprintf(file, sizeof file, "%s.csv", fm->id);
	snprintf(key, sizeof key, "rows:%s", fm->id);
	l = listed_find(v, file);
	if (!l || !l->buf)
		return bundle_problem(v->s, LF("缺少文件：%s", "missing file: %s"),
		                      file);
	rc = bundle_rows_form(v->lg, v->s, v->b, fm, file, l->buf, l->len, &rows);
	if (rc != KP_OK || v->s->nproblems)
		return rc;
	return count_rows(v, file, key, rows);
}

/* A data bundle's year events (years.csv, absent from bundles made before
 * them) and the years its progress report covers; a decision bundle's
 * decisions (bundle_years.c reads both). */
static int read_years(struct vctx *v, const char *file)
{
	struct listed *l = listed_find(v, file);
	struct listed *p = listed_find(v, BUNDLE_PROGRESS);

	return bundle_years_load(v->lg, v->s, v->b, file, l != NULL,
	                         l ? l->buf : NULL, l ? l->len : 0,
	                         p ? p->buf : NULL, p ? p->len : 0);
}

/* attachments.csv and history.csv, after the form files (their rows name
 * the records); attachment files are hashed as read, never held. */
static int read_evidence(struct vctx *v)
{
	struct listed *a = listed_find(v, BUNDLE_ATTACH_CSV);
	struct listed *h = listed_find(v, BUNDLE_HISTORY);

	return bundle_evidence_read(v->lg, v->s, v->b, a ? a->buf : NULL,
	                            a ? a->len : 0, h ? &h->buf : NULL,
	                            h ? h->len : 0);
}

/* The rows are read with the forms the bundle was made with (its header
 * holds their fields: one the receiver has since removed still reads);
 * merging checks each row with its record's own version. */
static int read_data(struct vctx *v)
{
	const struct schema *sc;
	size_t i;
	int rc;

	if ((rc = ledger_schema_for(v->lg, v->b->forms_version, &sc)) != KP_OK)
		return rc;

	for (i = 0; i < v->b->mf.n; i++) {
		const char *k = v->b->mf.v[i].name;

		if (strncmp(k, "rows:", 5) == 0 && !schema_form(sc, k + 5))
			bundle_problem(v->s, LF("本数据库没有表单 %s",
			               "this database has no form %s"), k + 5);
	}
	for (i = 0; i < sc->nforms; i++) {
		char key[BUNDLE_NAME_MAX];

		snprintf(key, sizeof key, "rows:%s", sc->forms[i].id);
		if (!kvl_get(&v->b->mf, key))
			continue;
		if ((rc = read_form_file(v, &sc->forms[i])) != KP_OK)
			return rc;
	}
	v->s->rows = v->b->nrecs;
	if (v->s->nproblems)
		return KP_OK;
	if ((rc = read_evidence(v)) != KP_OK || v->s->nproblems)
		return rc;
	return read_years(v, BUNDLE_YEARS);
}

static int read_quotas(struct vctx *v)
{
	struct listed *l = listed_find(v, BUNDLE_QUOTAS);
	size_t rows = 0;
	int rc;

	if (!l || !l->buf)
		return bundle_problem(v->s, LF("缺少文件：%s", "missing file: %s"),
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

	if (!(v->b->forms = calloc(v->nlist ? v->nlist : 1, sizeof *v->b->forms)))
		return kp_err_nomem();
	for (i = 0; i < v->nlist; i++) {
		if (strcmp(v->list[i].name, BUNDLE_MANIFEST) == 0 || !v->list[i].buf)
			continue;
		f = &v->b->forms[v->b->nforms];
		if (!(f->name = xstrdup(v->list[i].name)))
			return kp_err_nomem();
		f->data = v->list[i].buf;
		f->len = v->list[i].len;
		v->list[i].buf = NULL;   /* the bload's now */
		v->b->nforms++;
	}
	return bundle_forms_read(v->lg, v->s, v->b);
}

static int read_contents(struct vctx *v)
{
	switch (v->b->kind) {
	case BUNDLE_QUOTA: return read_quotas(v);
	case BUNDLE_FORMS: return read_forms(v);
	case BUNDLE_DECISION: return read_years(v, BUNDLE_DECISIONS);
	default:           return read_data(v);
	}
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
	int rc;

	rc = read_whole(v->b->dir, BUNDLE_SUMS, &v->sums, &v->sumsn);
	if (rc == KP_NOTFOUND && holds_bundles(v->b->dir))
		return bundle_problem(v->s, LF("这是存放数据包的文件夹，不是数据包："
		                      "请写出数据包的名字，如 %s/*",
		                      "this folder holds bundles but is not one: "
		                      "name the bundles, e.g. %s/*"), v->b->dir);
	if (rc == KP_NOTFOUND)
		return bundle_problem(v->s, "%s", LF("缺少文件：SHA256SUMS"
		                      "（不是完整的数据包）", "missing file: "
		                      "SHA256SUMS (not a complete bundle)"));
	if (rc == KP_E_DATA)
		return bundle_problem(v->s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	crypto_hash_sha256(v->b->sums_hash, (unsigned char *)v->sums, v->sumsn);
	sodium_bin2hex(v->b->sums_hex, sizeof v->b->sums_hex, v->b->sums_hash,
	               sizeof v->b->sums_hash);
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
	size_t i;
	int rc;

	memset(b, 0, sizeof *b);
	if ((rc = set_name(s, b, path)) != KP_OK)
		return rc;
	if (stat(b->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("%s：没有这个数据包文件夹",
		                  "%s: no such bundle folder"), path);
	rc = load_checked(&v);
	if (rc == KP_OK && v.sums)
		check_signature(&v);
	if (rc == KP_OK && s->nproblems == 0 && before_rows)
		rc = before_rows(ctx, b);
	if (rc == KP_OK && s->nproblems == 0)
		rc = read_contents(&v);
	else if (rc == KP_NOTFOUND)
		rc = KP_OK;
	for (i = 0; i < v.nlist; i++)
		free(v.list[i].buf);
	free(v.list);
	free(v.sums);
	if (rc != KP_OK)
		return rc;
	if (s->nproblems || s->more_problems)
		return kp_err_set(KP_E_DATA, LF("%s：数据包有问题，未导入",
		                  "%s: the bundle has problems; nothing imported"),
		                  s->name);
	return KP_OK;
}

int bundle_verify(struct ledger *lg, const char *path,
                  struct bundle_summary *s)
{
	struct bload b;
	int rc = bundle_load(lg, path, s, &b, NULL, NULL);

	if (rc == KP_E_DATA)
		kp_err_set(KP_E_DATA, LF("%s：校验未通过", "%s: verification failed"),
		           s->name);
	bload_free(&b);
	return rc;
}
