/* fuzz_bundle.c - bundle verify and import on any bundle folder.
 *
 * Input: one byte of flags, the folder's name, NUL, then the bundle's
 * files in the files format of fuzz.h.  The folder is written to a
 * temporary folder and checked by a city database (or, with F_TOWN, a
 * township database for quota bundles) that trusts one fixed key for
 * every sender.  So that mutations get past the signature, the harness can
 * play the sender: F_SIGN signs SHA256SUMS with that key, F_SUMS first
 * writes SHA256SUMS afresh from the files, F_BYTES first sets the
 * manifest's bytes:<file> to the files' sizes.  F_IMPORT imports
 * (F_DRY: a dry run) instead of verifying; a real import runs on a fresh
 * copy of the database, which must check clean afterwards. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bundle.h"
#include "err.h"
#include "fuzz.h"
#include "keys.h"
#include "ledger.h"
#include "text.h"

enum {
	F_SIGN = 1 << 0,
	F_SUMS = 1 << 1,
	F_BYTES = 1 << 2,
	F_IMPORT = 1 << 3,
	F_DRY = 1 << 4,
	F_TOWN = 1 << 5,
};

static unsigned char pk[crypto_sign_PUBLICKEYBYTES];
static unsigned char sk[crypto_sign_SECRETKEYBYTES];
static char city_db[300], town_db[300], work_db[300], in_dir[300];
static struct ledger *city, *town;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_bundle setup: %s: %s\n", what, kp_err_msg());
	abort();
}

static void make_db(const char *path, const char *township)
{
	struct ledger *lg;
	size_t i;

	if (ledger_init(path, fz_forms(), township) != KP_OK)
		die("ledger_init");
	if (ledger_open(path, false, &lg) != KP_OK || keys_ensure(lg) != KP_OK)
		die("ledger_open");
	if (township) {
		if (keys_trust(lg, "all", pk, false) != KP_OK)
			die("trust the city");
	} else {
		for (i = 0; i < lg->schema->ntownships; i++)
			if (keys_trust(lg, lg->schema->townships[i].id, pk, false) != KP_OK)
				die("trust a township");
	}
	ledger_close(lg);
}

static void setup(void)
{
	static const unsigned char seed[crypto_sign_SEEDBYTES] =
		"kepu fuzz: the one trusted key.";
	const char *d = fz_tmp();

	fz_setup();
	if (sodium_init() < 0)
		abort();
	crypto_sign_seed_keypair(pk, sk, seed);
	snprintf(city_db, sizeof city_db, "%s/city.kepu", d);
	snprintf(town_db, sizeof town_db, "%s/town.kepu", d);
	snprintf(work_db, sizeof work_db, "%s/work.kepu", d);
	snprintf(in_dir, sizeof in_dir, "%s/in", d);
	make_db(city_db, NULL);
	make_db(town_db, "chendai");
	if (ledger_open(city_db, false, &city) != KP_OK ||
	    ledger_open(town_db, false, &town) != KP_OK)
		die("reopen");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct fz_file *)a)->name,
	              ((const struct fz_file *)b)->name);
}

/* manifest.csv with every bytes:<file> set to that file's size. */
static char *fix_bytes(const struct fz_file *m, const struct fz_file *f,
                       size_t n)
{
	struct sbuf out = { 0 };
	const char *p = m->data, *end = m->data + m->len, *eol, *comma;
	size_t i;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol + 1 : end;
		comma = memchr(p, ',', (size_t)(eol - p));
		if (comma && eol - p > 6 && memcmp(p, "bytes:", 6) == 0) {
			for (i = 0; i < n; i++)
				if (strlen(f[i].name) == (size_t)(comma - p - 6) &&
				    memcmp(p + 6, f[i].name, (size_t)(comma - p - 6)) == 0)
					break;
			if (i < n) {
				const char *le = eol;   /* the line's own ending */

				while (le > comma + 1 && (le[-1] == '\n' || le[-1] == '\r'))
					le--;
				sbuf_add(&out, p, (size_t)(comma - p));
				sbuf_printf(&out, ",%zu", f[i].len);
				sbuf_add(&out, le, (size_t)(eol - le));
				p = eol;
				continue;
			}
		}
		sbuf_add(&out, p, (size_t)(eol - p));
		p = eol;
	}
	return sbuf_take(&out);
}

static void write_bundle(const char *dir, unsigned flags, struct fz_file *f,
                         size_t n)
{
	char path[600], hex[crypto_hash_sha256_BYTES * 2 + 1];
	unsigned char h[crypto_hash_sha256_BYTES], sig[crypto_sign_BYTES];
	char sighex[crypto_sign_BYTES * 2 + 2], *manifest = NULL;
	struct sbuf sums = { 0 };
	size_t i, m = n;

	if (flags & F_BYTES)
		for (i = 0; i < n; i++)
			if (!strcmp(f[i].name, "manifest.csv") && !manifest) {
				manifest = fix_bytes(&f[i], f, n);
				if (manifest) {
					f[i].data = manifest;
					f[i].len = strlen(manifest);
				}
			}
	if (flags & F_SUMS) {
		qsort(f, n, sizeof *f, cmp_name);
		for (i = 0; i < n; i++) {
			if (!strcmp(f[i].name, "SHA256SUMS") || !strcmp(f[i].name, "manifest.sig"))
				continue;
			crypto_hash_sha256(h, (const unsigned char *)f[i].data, f[i].len);
			sodium_bin2hex(hex, sizeof hex, h, sizeof h);
			sbuf_printf(&sums, "%s  %s\n", hex, f[i].name);
		}
		for (i = m = 0; i < n; i++)
			if (strcmp(f[i].name, "SHA256SUMS") != 0)
				f[m++] = f[i];
		f[m].data = sums.s ? sums.s : "";
		f[m].len = sums.len;
		snprintf(f[m].name, sizeof f[m].name, "SHA256SUMS");
		m++;
	}
	for (i = 0; i < m; i++) {
		if ((flags & F_SIGN) && !strcmp(f[i].name, "manifest.sig"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
		fz_write(path, f[i].data, f[i].len);
		if ((flags & F_SIGN) && !strcmp(f[i].name, "SHA256SUMS")) {
			crypto_sign_detached(sig, NULL, (const unsigned char *)f[i].data,
			                     f[i].len, sk);
			keys_to_hex(sig, sizeof sig, sighex);
			strcat(sighex, "\n");
			snprintf(path, sizeof path, "%s/manifest.sig", dir);
			fz_write(path, sighex, strlen(sighex));
		}
	}
	sbuf_free(&sums);
	free(manifest);
}

static void no_difference(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "after an import: %s\n", msg);
}

static void import_fresh(const char *orig, const char *dir)
{
	struct bundle_summary s;
	struct ledger *lg;
	int rc;

	fz_copy(orig, work_db);
	if (ledger_open(work_db, false, &lg) != KP_OK)
		die("open the copy");
	bundle_summary_init(&s);
	rc = bundle_import(lg, dir, false, NULL, NULL, &s);
	if (rc == KP_OK && ledger_verify(lg, no_difference, NULL) != KP_OK)
		abort();   /* an import that went through leaves totals that agree */
	if (rc != KP_OK && s.stored)
		abort();   /* all or nothing */
	bundle_summary_free(&s);
	ledger_close(lg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct fz_file f[FZ_MAXFILES + 1];
	struct bundle_summary s;
	char name[72], dir[400];
	const uint8_t *z;
	unsigned flags;
	size_t n;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 2)
		return 0;
	flags = data[0];
	z = memchr(data + 1, '\0', size - 1);
	if (!z)
		return 0;
	fz_safe_name(name, (const char *)data + 1, (size_t)(z - data - 1), 0);
	n = fz_split(z + 1, size - (size_t)(z + 1 - data), f);
	fz_rmtree(in_dir);
	mkdir(in_dir, 0700);
	snprintf(dir, sizeof dir, "%s/%s", in_dir, name);
	if (mkdir(dir, 0700) != 0)
		return 0;
	write_bundle(dir, flags, f, n);
	if ((flags & F_IMPORT) && !(flags & F_DRY)) {
		import_fresh(flags & F_TOWN ? town_db : city_db, dir);
		return 0;
	}
	bundle_summary_init(&s);
	if (flags & F_IMPORT)
		bundle_import(flags & F_TOWN ? town : city, dir, true, NULL, NULL, &s);
	else
		bundle_verify(flags & F_TOWN ? town : city, dir, &s);
	if (s.stored)
		abort();   /* a verify or a dry run stores nothing */
	bundle_summary_free(&s);
	return 0;
}
