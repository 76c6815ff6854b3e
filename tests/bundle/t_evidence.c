/* t_evidence.c - bundles whose attachments lie, signed by the township's
 * own key (a stick made by a broken or hostile program): names that are
 * paths, files named by no row, rows naming files not listed, a link
 * where a file should be, history rows of records the bundle lacks.
 * Each is refused by verify and changes nothing at the city. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "bundle.h"
#include "bundle_int.h"
#include "keys.h"
#include "store.h"
#include "ledger_test.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	*n = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL) {
		*n = fread(buf, 1, (size_t)len, f);
		buf[*n] = '\0';
	}
	fclose(f);
	return buf;
}

static int spill(const char *path, const char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(buf, 1, n, f) == n ? 0 : -1;

	if (f && fclose(f) != 0)
		rc = -1;
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the files of dir (and of its attachments folder), for
 * SHA256SUMS. */
static size_t names_of(const char *path, char **names, size_t max)
{
	char sub[600];
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(path);

	while (d && (de = readdir(d)) && n < max)
		if (de->d_name[0] != '.' && strcmp(de->d_name, BUNDLE_SUMS) &&
		    strcmp(de->d_name, BUNDLE_SIG) && strcmp(de->d_name, BUNDLE_ATTACH_DIR))
			names[n++] = strdup(de->d_name);
	if (d)
		closedir(d);
	snprintf(sub, sizeof sub, "%s/%s", path, BUNDLE_ATTACH_DIR);
	d = opendir(sub);
	while (d && (de = readdir(d)) && n < max) {
		char name[300];

		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof name, "%s/%s", BUNDLE_ATTACH_DIR, de->d_name);
		names[n++] = strdup(name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	return n;
}

/* SHA256SUMS (plus the extra lines) and manifest.sig again, signed by lg. */
static int resign(struct ledger *lg, const char *path, const char *extra)
{
	unsigned char h[crypto_hash_sha256_BYTES], sig[KEYS_SIG_BYTES];
	char file[700], hex[2 * crypto_hash_sha256_BYTES + 1], *names[64];
	char sighex[2 * KEYS_SIG_BYTES + 2];
	struct sbuf sums = {0};
	size_t n = names_of(path, names, 64), i, len;
	int rc = -1;

	for (i = 0; i < n; i++) {
		char *buf;

		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		/* a link is listed with the checksum of what it points to */
		buf = slurp(file, &len);
		crypto_hash_sha256(h, (unsigned char *)buf, len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		sbuf_printf(&sums, "%s  %s\n", hex, names[i]);
		free(buf);
		free(names[i]);
	}
	if (extra)
		sbuf_adds(&sums, extra);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_SUMS);
	if (spill(file, sums.s, sums.len) == 0 &&
	    keys_sign(lg, sums.s, sums.len, sig) == KP_OK) {
		keys_to_hex(sig, sizeof sig, sighex);
		strcat(sighex, "\n");
		snprintf(file, sizeof file, "%s/%s", path, BUNDLE_SIG);
		rc = spill(file, sighex, strlen(sighex));
	}
	sbuf_free(&sums);
	return rc;
}

/* In file, the first occurrence of from replaced by to. */
static int replace(const char *path, const char *from, const char *to)
{
	size_t n;
	char *buf = slurp(path, &n), *p;
	struct sbuf out = {0};
	int rc = -1;

	if (buf && (p = strstr(buf, from))) {
		sbuf_add(&out, buf, (size_t)(p - buf));
		sbuf_adds(&out, to);
		sbuf_adds(&out, p + strlen(from));
		rc = spill(path, out.s, out.len);
	}
	free(buf);
	sbuf_free(&out);
	return rc;
}

static size_t objects(struct ledger *lg)
{
	size_t n = 0;

	ledger_attach_count(lg, &n, NULL);
	return n;
}

static const char *problems(const struct bundle_summary *s)
{
	static char all[4096];
	size_t i;

	all[0] = '\0';
	for (i = 0; i < s->nproblems; i++)
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s | ", s->problems[i]);
	return all;
}

static char good[300];         /* the bundle as written */

/* Copy the good bundle to a new folder; its path in out. */
static void copy_good(const char *tag, char out[300])
{
	char cmd[800];

	snprintf(out, 300, "%s/%s/%s", dir, tag, strrchr(good, '/') + 1);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s' && cp -a '%s' '%s'", dir, tag, good, out);
	if (system(cmd) != 0)
		diag("could not copy the bundle");
}

/* Verify and import a doctored bundle: both refused with want among the
 * problems, the city's records and stored files as before. */
static void refused(struct ledger *city, const char *path, const char *want,
                    const char *what)
{
	struct bundle_summary s;
	size_t live = 0, dead = 0, live2 = 0, dead2 = 0, before = objects(city);

	ledger_counts(city, &live, &dead);
	bundle_summary_init(&s);
	is_int(bundle_verify(city, path, &s), KP_E_DATA, "%s: verify refuses it", what);
	ok(strstr(problems(&s), want) != NULL, "%s: saying '%s' (%s)", what, want,
	   problems(&s));
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	is_int(bundle_import(city, path, false, NULL, NULL, &s), KP_E_DATA,
	       "%s: import refuses it", what);
	bundle_summary_free(&s);
	ledger_counts(city, &live2, &dead2);
	ok(live == live2 && dead == dead2 && objects(city) == before,
	   "%s: the city is unchanged", what);
}

static void test_lies(struct ledger *town, struct ledger *city)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct attach_file f;
	char usb[128], path[300], file[700], jpg[128], hex[ATTACH_HEX_LEN + 1];
	char line[200], hex2[200], id[RECORD_ID_LEN + 1];
	unsigned char pk[KEYS_PK_BYTES], bytes[3000];
	struct bundle_summary s;

	keys_ensure(town);
	keys_public(town, pk);
	is_int(keys_trust(city, "anhai", pk, false), KP_OK, "the city trusts anhai");
	is_int(add_training(town, "2025-03-05", "worker", "电工", "10", id), KP_OK, "a record");
	randombytes_buf(bytes, sizeof bytes);
	memcpy(bytes, "\xFF\xD8\xFF\xE0", 4);
	snprintf(jpg, sizeof jpg, "%s/签到.jpg", dir);
	spill(jpg, (char *)bytes, sizeof bytes);
	is_int(attach_read(jpg, NULL, &f), KP_OK, "a photo read");
	is_int(ledger_attach(town, id, 0, &f, 1, NULL), KP_OK, "and attached");
	attach_hex(f.meta.sha, hex);
	attach_file_free(&f);
	snprintf(usb, sizeof usb, "%s/usb", dir);
	mkdir(usb, 0777);
	o.out_dir = usb;
	is_int(bundle_export(town, &o, &r), KP_OK, "exported");
	snprintf(good, sizeof good, "%s", r.path);
	bundle_export_result_free(&r);

	/* the honest bundle, re-signed by the helper, still verifies */
	copy_good("same", path);
	is_int(resign(town, path, NULL), 0, "re-signed unchanged");
	bundle_summary_init(&s);
	is_int(bundle_verify(city, path, &s), KP_OK, "the re-signing itself is sound (%s)",
	       problems(&s));
	bundle_summary_free(&s);

	copy_good("dotdot", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_ATTACH_CSV);
	replace(file, ",签到.jpg,", ",../../etc/passwd,");
	resign(town, path, NULL);
	refused(city, path, "attachment name '../../etc/passwd' cannot be used", "a .. name");

	copy_good("slash", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_ATTACH_CSV);
	replace(file, ",签到.jpg,", ",a/b.jpg,");
	resign(town, path, NULL);
	refused(city, path, "it must not hold '/'", "a name with a slash");

	copy_good("bidi", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_ATTACH_CSV);
	replace(file, ",签到.jpg,", ",\xe2\x80\xae" "gpj.exe,");
	resign(town, path, NULL);
	refused(city, path, "text-direction character", "a name with a bidi override");

	copy_good("fileup", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_ATTACH_CSV);
	snprintf(line, sizeof line, "attachments/%s.jpg", hex);
	replace(file, line, "attachments/../manifest.csv");
	resign(town, path, NULL);
	refused(city, path, "file must be a file SHA256SUMS lists", "a row naming a path");

	copy_good("sumsdotdot", path);
	snprintf(line, sizeof line, "%s  attachments/../../x.jpg\n", hex);
	resign(town, path, line);
	refused(city, path, "is not a valid checksum line", "a .. name in SHA256SUMS, signed");

	copy_good("link", path);
	snprintf(file, sizeof file, "%s/attachments/%s.jpg", path, hex);
	unlink(file);
	if (symlink(jpg, file) != 0)
		diag("symlink failed");
	resign(town, path, NULL);
	refused(city, path, "is a symbolic link", "an attachment that is a link, signed");

	copy_good("unnamed", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_ATTACH_CSV);
	snprintf(line, sizeof line, ",attachments/%s.jpg", hex);
	replace(file, line, ",");
	resign(town, path, NULL);
	refused(city, path, "is named by no row of attachments.csv", "a file no row names");

	copy_good("count", path);
	snprintf(file, sizeof file, "%s/training.csv", path);
	/* changed_at, form_version, attachments */
	snprintf(line, sizeof line, "Z,%u,1,", town->schema->version);
	snprintf(hex2, sizeof hex2, "Z,%u,2,", town->schema->version);
	is_int(replace(file, line, hex2), 0, "the attachments column found");
	resign(town, path, NULL);
	refused(city, path, "the record has 2 attachments, attachments.csv names 1",
	        "a row count that disagrees");

	copy_good("history", path);
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_HISTORY);
	replace(file, id, "01ARZ3NDEKTSV4RRFFQ69G5FAV");
	resign(town, path, NULL);
	refused(city, path, "no record of the bundle", "a history row of another record");

	/* and the bundle as written imports, storing its one file */
	bundle_summary_init(&s);
	is_int(bundle_import(city, good, false, NULL, NULL, &s), KP_OK, "the honest bundle imports");
	is_int(s.att_stored, 1, "its file stored");
	is_int(objects(city), 1, "one file at the city");
	bundle_summary_free(&s);
}

int main(void)
{
	struct ledger *town = NULL, *city = NULL;
	char citypath[160];

	if (lt_setup("t_evidence") != 0)
		return 99;
	snprintf(citypath, sizeof citypath, "%s/city.db", dir);
	if (ledger_init(dbpath, forms, "anhai") != KP_OK ||
	    ledger_init(citypath, forms, NULL) != KP_OK ||
	    ledger_open(dbpath, false, &town) != KP_OK ||
	    ledger_open(citypath, false, &city) != KP_OK) {
		ok(0, "databases: %s", kp_err_msg());
		goto out;
	}
	test_lies(town, city);
out:
	ledger_close(town);
	ledger_close(city);
	lt_cleanup();
	return tap_done();
}
