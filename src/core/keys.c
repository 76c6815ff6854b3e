/* keys.c - Ed25519 key pairs, trust and public key files. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "csvio.h"
#include "err.h"
#include "keys.h"
#include "lang.h"
#include "record.h"

#define KEYFILE_FORMAT "kepu-public-key-1"

const char *keys_identity(const struct ledger *lg)
{
	return lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY : lg->township;
}

void keys_to_hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, b, n);
}

int keys_from_hex(const char *s, unsigned char *b, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (sodium_hex2bin(b, n, s, strlen(s), NULL, &got, &end) != 0 ||
	    got != n)
		goto bad;
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (*end)
		goto bad;
	return KP_OK;
bad:
	return kp_err_set(KP_E_DATA, "%s", LF("不是有效的十六进制密钥",
	                  "not a valid hexadecimal key"));
}

static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return kp_err_set(KP_E_SOFTWARE, "%s",
		                  LF("libsodium 初始化失败",
		                    "libsodium failed to initialise"));
	return KP_OK;
}

static int ensure_txn(struct store_txn *t, void *ctx)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	const void *v;
	size_t vn;
	int rc;

	(void)ctx;
	rc = store_get(t, DB_KEYS, "sign_pk", 7, &v, &vn);
	if (rc != KP_NOTFOUND)
		return rc;
	crypto_sign_keypair(pk, sk);
	rc = store_put(t, DB_KEYS, "sign_pk", 7, pk, sizeof pk);
	if (rc == KP_OK)
		rc = store_put(t, DB_KEYS, "sign_sk", 7, sk, sizeof sk);
	sodium_memzero(sk, sizeof sk);
	return rc;
}

int keys_ensure(struct ledger *lg)
{
	unsigned char pk[KEYS_PK_BYTES];
	int rc;

	if ((rc = sodium_ready()) != KP_OK)
		return rc;
	if (keys_public(lg, pk) == KP_OK)
		return KP_OK;
	return store_write(lg->st, ensure_txn, NULL);
}

struct key_get {
	const char *name;
	unsigned char *out;
	size_t n;
};

static int get_txn(struct store_txn *t, void *ctx)
{
	struct key_get *g = ctx;
	const void *v;
	size_t vn;
	int rc;

	rc = store_get(t, DB_KEYS, g->name, strlen(g->name), &v, &vn);
	if (rc != KP_OK)
		return rc;
	if (vn != g->n)
		return kp_err_set(KP_E_DATA, LF("数据库中的密钥 %s 已损坏",
		                  "key %s in the database is damaged"), g->name);
	memcpy(g->out, v, vn);
	return KP_OK;
}

static int key_get(struct ledger *lg, const char *name, unsigned char *out,
                   size_t n)
{
	struct key_get g = { name, out, n };

	return store_read(lg->st, get_txn, &g);
}

/* The retired key's entry: "retired:<fingerprint>" -> its public key
 * (hex), when and by whom it was retired, as a key,value CSV. */
static int retire(struct store_txn *t, const unsigned char *pk,
                  const char *user, int64_t when)
{
	char hex[2 * KEYS_PK_BYTES + 1], fpr[KEYS_FPR_LEN + 1];
	char name[KEYS_FPR_LEN + 16], v[512];
	time_t tt = (time_t)when;
	struct tm tm;
	char at[32];
	int n;

	keys_to_hex(pk, KEYS_PK_BYTES, hex);
	keys_fingerprint(pk, fpr);
	gmtime_r(&tt, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(name, sizeof name, "retired:%s", fpr);
	n = snprintf(v, sizeof v, "key,value\r\npublic_key,%s\r\nretired_at,%s\r\n"
	             "retired_by,%s\r\n", hex, at, user);
	if (n < 0 || (size_t)n >= sizeof v)
		return kp_err_set(KP_E_SOFTWARE, "keys: retired entry too long");
	return store_put(t, DB_KEYS, name, strlen(name), v, (size_t)n);
}

struct rotate_ctx {
	unsigned char old_pk[KEYS_PK_BYTES], new_pk[KEYS_PK_BYTES];
	const char *user;
	int64_t when;
};

static int rotate_txn(struct store_txn *t, void *ctx)
{
	struct rotate_ctx *rc = ctx;
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	const void *v;
	size_t vn;
	int st;

	st = store_get(t, DB_KEYS, "sign_pk", 7, &v, &vn);
	if (st != KP_OK)
		return st == KP_NOTFOUND ? kp_err_set(KP_E_DATA, "%s",
		       LF("本数据库还没有签名密钥，不需要更换",
		          "this database has no signing key yet: nothing to replace"))
		       : st;
	if (vn != KEYS_PK_BYTES)
		return kp_err_set(KP_E_DATA, LF("数据库中的密钥 %s 已损坏",
		                  "key %s in the database is damaged"), "sign_pk");
	memcpy(rc->old_pk, v, KEYS_PK_BYTES);
	if ((st = retire(t, rc->old_pk, rc->user, rc->when)) != KP_OK)
		return st;
	crypto_sign_keypair(rc->new_pk, sk);
	st = store_put(t, DB_KEYS, "sign_pk", 7, rc->new_pk, KEYS_PK_BYTES);
	if (st == KP_OK)
		st = store_put(t, DB_KEYS, "sign_sk", 7, sk, sizeof sk);
	sodium_memzero(sk, sizeof sk);
	return st;
}

int keys_rotate(struct ledger *lg, unsigned char old_pk[KEYS_PK_BYTES],
                unsigned char new_pk[KEYS_PK_BYTES])
{
	struct rotate_ctx rc = { .user = lg->user[0] ? lg->user : record_current_user(),
	                         .when = (int64_t)time(NULL) };
	int st;

	if ((st = sodium_ready()) != KP_OK ||
	    (st = store_write(lg->st, rotate_txn, &rc)) != KP_OK)
		return st;
	memcpy(old_pk, rc.old_pk, KEYS_PK_BYTES);
	memcpy(new_pk, rc.new_pk, KEYS_PK_BYTES);
	return KP_OK;
}

struct retired_ctx {
	keys_retired_fn fn;
	void *ctx;
};

static int retired_fn(void *ctx, const void *k, size_t kn, const void *v,
                      size_t vn)
{
	struct retired_ctx *r = ctx;
	char fpr[KEYS_FPR_LEN + 1], at[32] = "";
	const char *p, *e;

	if (kn != 8 + KEYS_FPR_LEN || memcmp(k, "retired:", 8) != 0)
		return kn >= 8 && memcmp(k, "retired:", 8) == 0 ? KP_OK : KP_NOTFOUND;
	memcpy(fpr, (const char *)k + 8, KEYS_FPR_LEN);
	fpr[KEYS_FPR_LEN] = '\0';
	/* retired_at is written by retire() above, on a line of its own. */
	if ((p = memmem(v, vn, "retired_at,", 11)) != NULL) {
		p += 11;
		e = memchr(p, '\r', vn - (size_t)(p - (const char *)v));
		if (e && (size_t)(e - p) < sizeof at) {
			memcpy(at, p, (size_t)(e - p));
			at[e - p] = '\0';
		}
	}
	return r->fn(r->ctx, fpr, at);
}

static int retired_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_KEYS, "retired:", 8, false, retired_fn, ctx);
}

int keys_retired(struct ledger *lg, keys_retired_fn fn, void *ctx)
{
	struct retired_ctx r = { fn, ctx };

	return store_read(lg->st, retired_txn, &r);
}

int keys_public(struct ledger *lg, unsigned char pk[KEYS_PK_BYTES])
{
	return key_get(lg, "sign_pk", pk, KEYS_PK_BYTES);
}

int keys_sign(struct ledger *lg, const void *msg, size_t n,
              unsigned char sig[KEYS_SIG_BYTES])
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK)
		return rc;
	if ((rc = key_get(lg, "sign_sk", sk, sizeof sk)) != KP_OK)
		return rc;
	crypto_sign_detached(sig, NULL, msg, n, sk);
	sodium_memzero(sk, sizeof sk);
	return KP_OK;
}

int keys_verify(const unsigned char pk[KEYS_PK_BYTES], const void *msg,
                size_t n, const unsigned char sig[KEYS_SIG_BYTES])
{
	int rc;

	if ((rc = sodium_ready()) != KP_OK)
		return rc;
	if (crypto_sign_verify_detached(sig, msg, n, pk) != 0)
		return kp_err_set(KP_E_DATA, "%s", LF("签名不符",
		                  "the signature does not match"));
	return KP_OK;
}

int keys_trusted(struct ledger *lg, const char *who,
                 unsigned char pk[KEYS_PK_BYTES])
{
	char name[RECORD_NAME_MAX + 8];

	if (strcmp(who, keys_identity(lg)) == 0)
		return keys_public(lg, pk);
	snprintf(name, sizeof name, "trust:%s", who);
	return key_get(lg, name, pk, KEYS_PK_BYTES);
}

struct trust_ctx {
	char name[RECORD_NAME_MAX + 8];
	const unsigned char *pk;
	bool replace;
};

static int trust_txn(struct store_txn *t, void *ctx)
{
	struct trust_ctx *tc = ctx;
	const void *v;
	size_t vn;

	if (!tc->replace &&
	    store_get(t, DB_KEYS, tc->name, strlen(tc->name), &v, &vn) == KP_OK &&
	    (vn != KEYS_PK_BYTES || memcmp(v, tc->pk, vn) != 0))
		return kp_err_set(KP_E_DATA, LF("%s 已信任另一把密钥；"
		                  "确认更换请加 --replace",
		                  "%s already has a different trusted key; "
		                  "add --replace to change it"), tc->name + 6);
	return store_put(t, DB_KEYS, tc->name, strlen(tc->name), tc->pk,
	                 KEYS_PK_BYTES);
}

int keys_trust(struct ledger *lg, const char *who,
               const unsigned char pk[KEYS_PK_BYTES], bool replace)
{
	struct trust_ctx tc = { .pk = pk, .replace = replace };

	if (strcmp(who, keys_identity(lg)) == 0)
		return kp_err_set(KP_E_DATA, LF("这是本数据库自己的密钥（%s）",
		                  "this is this database's own key (%s)"), who);
	if (lg->mode == LEDGER_CITY_MODE && !schema_township(lg->schema, who))
		return kp_err_set(KP_E_DATA, LF("未知的镇街：%s",
		                  "unknown township: %s"), who);
	if (lg->mode == LEDGER_TOWNSHIP && strcmp(who, LEDGER_CITY) != 0)
		return kp_err_set(KP_E_DATA, LF("镇街数据库只信任市里的密钥，"
		                  "这把密钥属于 %s",
		                  "a township database trusts only the city's "
		                  "key; this key belongs to %s"), who);
	snprintf(tc.name, sizeof tc.name, "trust:%s", who);
	return store_write(lg->st, trust_txn, &tc);
}

void keys_fingerprint(const unsigned char pk[KEYS_PK_BYTES],
                      char out[KEYS_FPR_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[17];
	int i;

	crypto_hash_sha256(h, pk, KEYS_PK_BYTES);
	keys_to_hex(h, 8, hex);
	for (i = 0; i < 4; i++) {
		memcpy(out + 5 * i, hex + 4 * i, 4);
		out[5 * i + 4] = i < 3 ? '-' : '\0';
	}
}

int keys_write_public(struct ledger *lg, FILE *f)
{
	unsigned char pk[KEYS_PK_BYTES];
	char hex[2 * KEYS_PK_BYTES + 1], fpr[KEYS_FPR_LEN + 1];
	struct csvw w;
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK ||
	    (rc = keys_public(lg, pk)) != KP_OK)
		return rc;
	keys_to_hex(pk, sizeof pk, hex);
	keys_fingerprint(pk, fpr);
	csvw_begin(&w, f, CSVW_CRLF);
	csvw_field(&w, "key"); csvw_field(&w, "value"); csvw_end_row(&w);
	csvw_field(&w, "format"); csvw_field(&w, KEYFILE_FORMAT);
	csvw_end_row(&w);
	csvw_field(&w, "township"); csvw_field(&w, keys_identity(lg));
	csvw_end_row(&w);
	csvw_field(&w, "public_key"); csvw_field(&w, hex); csvw_end_row(&w);
	csvw_field(&w, "fingerprint"); csvw_field(&w, fpr); csvw_end_row(&w);
	if ((rc = csvw_finish(&w)) != KP_OK)
		return kp_err_set(rc, "%s", LF("无法写出公钥", "cannot write the public key"));
	return KP_OK;
}

struct keyfile {
	char format[64];
	char who[RECORD_NAME_MAX];
	char hex[2 * KEYS_PK_BYTES + 8];
	bool seen_header;
};

static int keyfile_row(void *ctx, size_t line, size_t nf, char **f,
                       const size_t *lens)
{
	struct keyfile *kf = ctx;

	(void)line;
	(void)lens;
	if (!kf->seen_header) {
		kf->seen_header = true;
		return KP_OK;
	}
	if (nf < 2)
		return KP_OK;
	if (strcmp(f[0], "format") == 0)
		snprintf(kf->format, sizeof kf->format, "%s", f[1]);
	else if (strcmp(f[0], "township") == 0)
		snprintf(kf->who, sizeof kf->who, "%s", f[1]);
	else if (strcmp(f[0], "public_key") == 0)
		snprintf(kf->hex, sizeof kf->hex, "%s", f[1]);
	return KP_OK;
}

int keys_read_public(const char *path, char who[RECORD_NAME_MAX],
                     unsigned char pk[KEYS_PK_BYTES])
{
	struct keyfile kf = { .seen_header = false };
	int rc;

	rc = csvio_read_file(path, keyfile_row, &kf);
	if (rc != KP_OK)
		return rc;
	if (strcmp(kf.format, KEYFILE_FORMAT) != 0 || !kf.who[0])
		return kp_err_set(KP_E_DATA, LF("%s：不是 kepu 公钥文件",
		                  "%s: not a kepu public key file"), path);
	if (keys_from_hex(kf.hex, pk, KEYS_PK_BYTES) != KP_OK)
		return kp_err_wrap(KP_E_DATA, "%s", path);
	snprintf(who, RECORD_NAME_MAX, "%s", kf.who);
	return KP_OK;
}
