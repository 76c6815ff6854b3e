/* t_bundle.c - the bundle core without the command line: times, manifests,
 * keys and trust, export with progress, import summaries, the fault hook,
 * bundles made before form versions. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "bundle_int.h"
#include "csvio.h"
#include "keys.h"
#include "quota.h"
#include "store.h"
#include "ledger_test.h"

static void test_times(void)
{
	static const char *const bad[] = {
		"2025-02-30T00:00:00Z", "2025-01-01 00:00:00", "",
		"2025-01-01T00:00:00Zx", "2025-01-01T24:00:00Z", "2025-1-1T00:00:00Z",
	};
	char buf[32];
	int64_t t = 0;
	size_t i;

	bundle_time_format(1740000000, buf);
	is_str(buf, "2025-02-19T21:20:00Z", "time written as ISO 8601 UTC");
	is_int(bundle_time_parse(buf, &t), KP_OK, "and read back");
	is_int(t, 1740000000, "to the same second");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(bundle_time_parse(bad[i], &t), KP_E_DATA, "refused: '%s'", bad[i]);
}

static void test_manifest(void)
{
	static const char good[] = "\xef\xbb\xbfkey,value\r\nformat,x\r\nseq,'-1\r\n";
	struct kvlist l = {0};
	struct sbuf b = {0};

	is_int(kvl_parse("m", good, strlen(good), &l), KP_OK, "manifest parsed");
	is_str(kvl_get(&l, "format"), "x", "a value");
	is_str(kvl_get(&l, "seq"), "-1", "a neutralised value is restored");
	ok(kvl_get(&l, "nothing") == NULL, "an absent key is NULL");
	is_int(kvl_format(&l, CSVW_EXCEL, &b), KP_OK, "formatted");
	ok(b.len > 3 && memcmp(b.s, "\xef\xbb\xbf", 3) == 0, "with a BOM");
	ok(strstr(b.s, "seq,'-1\r\n") != NULL, "neutralised again on the way out");
	sbuf_free(&b);
	kvl_free(&l);
	is_int(kvl_parse("m", "key,value\nk,1\nk,2\n", 18, &l), KP_E_DATA,
	       "a key twice is refused");
	ok(strstr(kp_err_msg(), "m:3") != NULL, "with FILE:LINE (%s)", kp_err_msg());
	kvl_free(&l);
	is_int(kvl_parse("m", "k,v\n", 4, &l), KP_E_DATA, "a wrong header is refused");
	kvl_free(&l);
	is_int(kvl_parse("m", "key,value\na,b,c\n", 16, &l), KP_E_DATA,
	       "three columns are refused");
	kvl_free(&l);
	is_int(kvl_parse("m", "", 0, &l), KP_E_DATA, "an empty manifest is refused");
	kvl_free(&l);
}

static void test_keys(struct ledger *town, struct ledger *city)
{
	unsigned char pk[KEYS_PK_BYTES], pk2[KEYS_PK_BYTES], sig[KEYS_SIG_BYTES];
	unsigned char other[KEYS_PK_BYTES];
	char fpr[KEYS_FPR_LEN + 1];

	is_int(keys_public(town, pk), KP_NOTFOUND, "no key before the first need");
	is_int(keys_ensure(town), KP_OK, "key pair made");
	is_int(keys_public(town, pk), KP_OK, "public key");
	is_int(keys_ensure(town), KP_OK, "made once only");
	is_int(keys_public(town, pk2), KP_OK, "public key again");
	ok(memcmp(pk, pk2, sizeof pk) == 0, "the same key");
	is_int(keys_sign(town, "abc", 3, sig), KP_OK, "signed");
	is_int(keys_verify(pk, "abc", 3, sig), KP_OK, "signature verifies");
	is_int(keys_verify(pk, "abd", 3, sig), KP_E_DATA, "an altered message does not");
	keys_fingerprint(pk, fpr);
	is_int(strlen(fpr), KEYS_FPR_LEN, "fingerprint length");
	ok(fpr[4] == '-' && fpr[9] == '-' && fpr[14] == '-', "grouped by four");
	is_int(keys_from_hex("zz", other, 1), KP_E_DATA, "bad hex refused");
	is_int(keys_from_hex("abcd", other, 1), KP_E_DATA, "too long hex refused");
	is_int(keys_from_hex(" ab\r\n", other, 1), KP_OK, "white space around hex is fine");

	is_str(keys_identity(town), "anhai", "a township signs as itself");
	is_str(keys_identity(city), "all", "the city signs as all");
	is_int(keys_trust(town, "anhai", pk, false), KP_E_DATA, "no trusting oneself");
	is_int(keys_trust(town, "chendai", pk, false), KP_E_DATA,
	       "a township trusts no other township");
	is_int(keys_trust(city, "nowhere", pk, false), KP_E_DATA,
	       "the city trusts no unknown township");
	is_int(keys_trusted(city, "anhai", other), KP_NOTFOUND, "nothing trusted yet");
	is_int(keys_trust(city, "anhai", pk, false), KP_OK, "the city trusts anhai");
	is_int(keys_trusted(city, "anhai", other), KP_OK, "and finds the key");
	ok(memcmp(other, pk, sizeof pk) == 0, "the same key");
	other[0] ^= 1;
	is_int(keys_trust(city, "anhai", other, false), KP_E_DATA,
	       "another key for anhai needs replace");
	is_int(keys_trust(city, "anhai", pk, false), KP_OK, "the same key again is fine");
	is_int(keys_trusted(town, "anhai", other), KP_OK, "own key is trusted");
}

static int calls;
static size_t last_done, last_total;

static void progress(void *ctx, const char *stage, size_t done, size_t total)
{
	(void)ctx;
	(void)stage;
	calls++;
	if (total) {
		last_done = done;
		last_total = total;
	}
}

static void test_export_import(struct ledger *town, struct ledger *city)
{
	struct bundle_export_opts o = { .progress = progress };
	struct bundle_export_result r;
	struct bundle_summary s;
	struct check_result res;
	struct record rec;
	char usb[128], title[32];
	uint64_t first_to;
	int i;

	snprintf(usb, sizeof usb, "%s/usb", dir);
	o.out_dir = usb;
	is_int(bundle_export(town, &o, &r), KP_E_CANTCREAT, "no such folder: cannot create");
	bundle_export_result_free(&r);
	ok(mkdir(usb, 0777) == 0, "made the folder");
	for (i = 0; i < 5; i++) {
		snprintf(title, sizeof title, "Course %d", i);
		training(&rec, "2025-03-01", "worker", title, "10");
		check_result_init(&res);
		is_int(ledger_add(town, &rec, &res), KP_OK, "record %d added", i);
		check_result_free(&res);
		record_free(&rec);
	}
	is_int(bundle_export(town, &o, &r), KP_OK, "exported");
	is_int(r.rows, 5, "five rows");
	is_int(r.seq, 1, "bundle 1");
	is_int(r.change_from, 0, "from the start");
	ok(calls > 0 && last_done == 5 && last_total == 5, "progress reported (%d calls)", calls);
	ok(r.path && strstr(r.path, "/anhai-000001-20250630"), "path %s", r.path ? r.path : "");
	first_to = r.change_to;

	bundle_summary_init(&s);
	is_int(bundle_verify(city, r.path, &s), KP_OK, "the city verifies it");
	is_str(s.township, "anhai", "from anhai");
	is_int(s.seq, 1, "number 1");
	is_int(s.rows, 5, "five rows");
	bundle_summary_free(&s);

	bundle_summary_init(&s);
	is_int(bundle_import(city, r.path, true, NULL, NULL, &s), KP_OK, "dry run");
	is_int(s.n_new, 5, "five would be new");
	ok(!s.stored && !s.already, "nothing stored");
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	is_int(bundle_import(city, r.path, false, NULL, NULL, &s), KP_OK, "imported");
	is_int(s.n_new, 5, "five new");
	ok(s.stored, "stored");
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	is_int(bundle_import(city, r.path, false, NULL, NULL, &s), KP_OK, "again");
	ok(s.already && !s.stored, "already imported, nothing stored");
	is_int(s.n_unchanged, 5, "five unchanged");
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	is_int(bundle_import(town, r.path, false, NULL, NULL, &s), KP_E_DATA,
	       "a township does not import data bundles");
	ok(s.nproblems == 1, "one problem said");
	bundle_summary_free(&s);
	bundle_export_result_free(&r);

	setenv("KEPU_FAIL_WRITE_AFTER", "10", 1);
	o.empty = true;
	is_int(bundle_export(town, &o, &r), KP_E_IO, "injected write failure: I/O error");
	ok(strstr(kp_err_msg(), "input/output error (the stick or disk may be pulled out or damaged)") != NULL, "says why: %s", kp_err_msg());
	bundle_export_result_free(&r);
	o.empty = false;
	unsetenv("KEPU_FAIL_WRITE_AFTER");
	is_int(bundle_export(town, &o, &r), KP_NOTFOUND, "then nothing new: not found");
	ok(r.nothing_new && r.path == NULL, "nothing written");
	is_int(r.seq, 1, "names bundle 1");
	is_str(r.name, "anhai-000001-20250630", "by its name");
	ok(strstr(kp_err_msg(), "no changes since bundle 1 (anhai-000001-20250630, "
	   "2025-06-30); nothing written") != NULL, "says so: %s", kp_err_msg());
	bundle_export_result_free(&r);
	o.empty = true;
	is_int(bundle_export(town, &o, &r), KP_OK, "an empty bundle when asked");
	ok(!r.nothing_new && r.path, "written");
	is_int(r.seq, 2, "as bundle 2: no number was used up");
	is_int(r.rows, 0, "with no rows");
	is_int(r.change_from, first_to, "starting where bundle 1 ended");
	is_int(r.change_to, first_to, "and ending there");
	bundle_export_result_free(&r);
	o.empty = false;

	bundle_summary_init(&s);
	is_int(bundle_verify(city, "/nonexistent/anhai-000001-20250630", &s),
	       KP_E_NOINPUT, "a missing folder: no input");
	bundle_summary_free(&s);
}

/* A revision made elsewhere, for ledger_merge. */
static void foreign(struct record *r, const char *id, const char *town,
                    const char *title)
{
	training(r, "2025-03-02", "worker", title, "9");
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->township, sizeof r->township, "%s", town);
	snprintf(r->created_by, sizeof r->created_by, "clerk9");
	snprintf(r->changed_by, sizeof r->changed_by, "clerk9");
	r->created_at = r->changed_at = 1740000000;
	r->rev = 1;
}

/* A bundle of anhai's holding, beside two good new records, a row that
 * would change chendai's record: the city refuses the whole bundle, stores
 * neither good record and does not record the bundle (importing it again
 * is refused the same way, not "already imported"). */
static void test_foreign_row(struct ledger *town, struct ledger *city)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct bundle_summary s;
	struct check_result res;
	enum merge_outcome out;
	struct record rec, got;
	char usb[128], x[RECORD_ID_LEN + 1], ids[2][RECORD_ID_LEN + 1];
	int i;

	snprintf(usb, sizeof usb, "%s/usb", dir);
	o.out_dir = usb;
	record_new_id(x);
	foreign(&rec, x, "chendai", "陈埭的记录");
	check_result_init(&res);
	is_int(ledger_merge(city, &rec, 1, false, &out, &res, NULL, NULL), KP_OK,
	       "the city has a record of chendai's");
	check_result_free(&res);
	record_free(&rec);
	foreign(&rec, x, "anhai", "安海改陈埭的记录");
	check_result_init(&res);
	is_int(ledger_merge(town, &rec, 1, false, &out, &res, NULL, NULL), KP_OK,
	       "anhai's database holds a record with the same id");
	check_result_free(&res);
	record_free(&rec);
	for (i = 0; i < 2; i++) {
		training(&rec, "2025-03-03", "worker", i ? "好记录二" : "好记录一", "4");
		check_result_init(&res);
		is_int(ledger_add(town, &rec, &res), KP_OK, "good record %d", i + 1);
		snprintf(ids[i], sizeof ids[i], "%s", rec.id);
		check_result_free(&res);
		record_free(&rec);
	}
	is_int(bundle_export(town, &o, &r), KP_OK, "anhai exports the three");
	for (i = 0; i < 2; i++) {
		bundle_summary_init(&s);
		is_int(bundle_import(city, r.path, false, NULL, NULL, &s), KP_E_DATA,
		       "import %d: the city refuses the bundle", i + 1);
		ok(!s.already, "import %d: not taken for one imported before", i + 1);
		ok(!s.stored && s.n_rejected == 1, "import %d: nothing stored, one row rejected", i + 1);
		ok(strstr(kp_err_msg(), "nothing imported") != NULL, "import %d: says so: %s",
		   i + 1, kp_err_msg());
		ok(s.nproblems && strstr(s.problems[0], "belongs to chendai"),
		   "import %d: names the row and why: %s", i + 1,
		   s.nproblems ? s.problems[0] : "");
		bundle_summary_free(&s);
	}
	record_init(&got);
	is_int(ledger_get(city, ids[0], &got), KP_NOTFOUND, "the first good record is not in the city");
	is_int(ledger_get(city, ids[1], &got), KP_NOTFOUND, "nor the second");
	is_int(ledger_get(city, x, &got), KP_OK, "chendai's record is there");
	is_str(got.township, "chendai", "still chendai's");
	is_str(record_get(&got, "title"), "陈埭的记录", "unchanged");
	record_free(&got);
	bundle_export_result_free(&r);
}

struct put_ctx {
	const char *key, *val;
};

static int put_txn(struct store_txn *t, void *ctx)
{
	struct put_ctx *p = ctx;

	return store_put(t, DB_BUNDLES, p->key, strlen(p->key), p->val,
	                 strlen(p->val));
}

static void put_bundle_key(struct ledger *lg, const char *key)
{
	struct put_ctx p = { key, "key,value\r\nname,x\r\nchange_to,0\r\n" };

	is_int(store_write(lg->st, put_txn, &p), KP_OK, "recorded %s", key);
}

/* Sequence numbers past six digits, and absurd ones from a manifest. */
static void test_numbers(struct ledger *town, struct ledger *city)
{
	struct bundle_export_opts o = { .empty = true };
	struct bundle_export_result r;
	struct bundle_summary s;
	char usb[128];
	uint64_t seq;
	size_t i;
	bool said = false;

	snprintf(usb, sizeof usb, "%s/usb", dir);
	o.out_dir = usb;
	put_bundle_key(town, "out:999999");
	put_bundle_key(town, "out:1000000");
	is_int(bundle_last(town, "out:", &seq, NULL), KP_OK, "last bundle");
	is_int(seq, 1000000, "is the numerically highest, not the last as text");
	put_bundle_key(town, "out:999999999999999");
	is_int(bundle_export(town, &o, &r), KP_OK, "export after bundle 999999999999999");
	is_int(r.seq, 1000000000000000ULL, "numbered 1000000000000000");
	bundle_summary_init(&s);
	is_int(bundle_import(city, r.path, false, NULL, NULL, &s), KP_OK,
	       "imported at once, without walking every number");
	for (i = 0; i < s.nnotes; i++)
		if (strstr(s.notes[i], "bundles 2 to 999999999999999 are missing"))
			said = true;
	ok(said, "the gap is named by its ends (%zu notes)", s.nnotes);
	bundle_summary_free(&s);
	bundle_export_result_free(&r);
}

static void test_sticky(void)
{
	struct kvlist l = {0};
	struct sbuf b = {0};

	is_int(kvl_add(&l, "a", "1"), KP_OK, "added");
	l.err = KP_E_NOMEM;     /* as a failed allocation leaves it */
	is_int(kvl_add(&l, "b", "2"), KP_E_NOMEM, "a later add reports the failure");
	is_int(kvl_addf(&l, "c", "%d", 3), KP_E_NOMEM, "so does kvl_addf");
	is_int(kvl_format(&l, CSVW_EXCEL, &b), KP_E_NOMEM,
	       "an incomplete list is never formatted");
	sbuf_free(&b);
	kvl_free(&l);
	is_int(l.err, KP_OK, "freed, the list is usable again");
}

static void test_quota_year(const struct schema *sc)
{
	const struct indicator *ind = NULL;
	int y = -1;

	is_int(quota_parse_year(sc, "worker_training", "2025", &ind, &y), KP_OK, "2025");
	is_int(y, 2025, "is 2025");
	is_int(quota_parse_year(sc, "worker_training", "4294969321", &ind, &y), KP_E_DATA,
	       "4294969321 is no year, though it wraps to 2025 as an int");
	is_int(quota_parse_year(sc, "worker_training", "2026", &ind, &y), KP_OK,
	       "2026: a year of the next plan");
	ok(ind && ind->plan == &sc->plans[1], "and its plan's indicator");
	is_int(quota_parse_year(sc, "worker_training", "2020", &ind, &y), KP_E_DATA,
	       "2020 is before the first plan");
	is_int(quota_parse_year(sc, "worker_training", "plan", &ind, &y), KP_E_DATA,
	       "an annual indicator needs a year");
	setenv("KEPU_TODAY", "2025-06-30", 1);
	is_int(quota_parse_year(sc, "official_training", "PLAN", &ind, &y), KP_OK,
	       "PLAN in capitals");
	is_int(y, 2021, "is the plan of today, kept under its first year");
	is_int(quota_parse_year(sc, "official_training", "2021-2025", &ind, &y), KP_OK,
	       "2021-2025");
	is_int(quota_parse_year(sc, "official_training", "", &ind, &y), KP_E_DATA,
	       "empty refused");
}

#define BK "id,township,rev,deleted,created_by,created_at,changed_by,changed_at"
#define BKROW(id) id ",anhai,1,0,u,2025-03-05T08:00:00Z,u,2025-03-05T08:00:00Z"

/* The records a form file's rows give, as verify reads them. */
struct got_rows {
	struct record recs[4];
	size_t nrecs;
};

static int got_row(void *ctx, struct record *rec, const struct brow *pos)
{
	struct got_rows *g = ctx;

	(void)pos;
	if (g->nrecs == 4)
		return KP_OK;
	record_init(&g->recs[g->nrecs]);
	return record_copy(&g->recs[g->nrecs++], rec);
}

static void got_free(struct got_rows *g)
{
	while (g->nrecs)
		record_free(&g->recs[--g->nrecs]);
}

/* Read one form file of a bundle from anhai the way verify does, a row
 * at a time from a file. */
static int read_rows(struct ledger *lg, const char *csv, struct bload *b,
                     struct bundle_summary *s, struct got_rows *g)
{
	size_t rows = 0;
	FILE *f = fmemopen((void *)(uintptr_t)csv, strlen(csv), "rb");
	int rc;

	memset(b, 0, sizeof *b);
	memset(g, 0, sizeof *g);
	snprintf(b->who, sizeof b->who, "anhai");
	bundle_summary_init(s);
	if (!f)
		return KP_E_IO;
	rc = bundle_rows_form(lg, s, b, schema_form(lg->schema, "training"),
	                      "training.csv", f, got_row, g, &rows);
	fclose(f);
	return rc;
}

/* A bundle's header holds ids as export writes them: a label is no id
 * there (the column stays under its own name, for import's checks to
 * refuse), while add --from-csv takes labels. */
static void test_rows_header(struct ledger *lg)
{
	struct bundle_summary s;
	struct got_rows g;
	struct bload b;
	char id[RECORD_ID_LEN + 1], csv[512];

	record_new_id(id);
	snprintf(csv, sizeof csv, BK ",date,日期,Title\n" BKROW("%s")
	         ",2025-03-05,2025-03-06,T\n", id);
	is_int(read_rows(lg, csv, &b, &s, &g), KP_OK, "rows: ids and labels read");
	is_int(s.nproblems, 0, "rows: no problem with the header");
	is_int(g.nrecs, 1, "rows: one record");
	if (g.nrecs == 1) {
		is_str(record_get(&g.recs[0], "date"), "2025-03-05", "rows: the id column");
		is_str(record_get(&g.recs[0], "日期"), "2025-03-06",
		       "rows: a Chinese label stays a name of its own");
		is_str(record_get(&g.recs[0], "Title"), "T",
		       "rows: so does an English label");
		ok(record_get(&g.recs[0], "title") == NULL, "rows: no title field");
		ok(record_get(&g.recs[0], "id") == NULL
		   && !strcmp(g.recs[0].id, id), "rows: bookkeeping is no field");
	}
	got_free(&g);
	bload_free(&b);
	bundle_summary_free(&s);

	snprintf(csv, sizeof csv, BK ",date,date\n" BKROW("%s")
	         ",2025-03-05,2025-03-06\n", id);
	read_rows(lg, csv, &b, &s, &g);
	ok(s.nproblems == 1 && strstr(s.problems[0],
	   "training.csv:1: column date appears twice"), "rows: a repeated id: %s",
	   s.nproblems ? s.problems[0] : "no problem");
	got_free(&g);
	bload_free(&b);
	bundle_summary_free(&s);

	snprintf(csv, sizeof csv, BK ",x,x\n" BKROW("%s") ",,\n", id);
	read_rows(lg, csv, &b, &s, &g);
	ok(s.nproblems == 1 && strstr(s.problems[0],
	   "training.csv:1: column x appears twice"),
	   "rows: a repeated unknown column: %s",
	   s.nproblems ? s.problems[0] : "no problem");
	got_free(&g);
	bload_free(&b);
	bundle_summary_free(&s);

	read_rows(lg, "id,township,rev,deleted,created_by,created_at,changed_by,"
	          "date\n", &b, &s, &g);
	ok(s.nproblems == 1 && strstr(s.problems[0],
	   "training.csv:1: column changed_at is missing"),
	   "rows: a missing bookkeeping column: %s",
	   s.nproblems ? s.problems[0] : "no problem");
	got_free(&g);
	bload_free(&b);
	bundle_summary_free(&s);

	snprintf(csv, sizeof csv, BK ",date,\n" BKROW("%s")
	         ",2025-03-05,x\n", id);
	is_int(read_rows(lg, csv, &b, &s, &g), KP_OK,
	       "rows: a value under no heading is the bundle's problem");
	ok(s.nproblems == 1 && strstr(s.problems[0], "training.csv:2: "),
	   "rows: at its line: %s", s.nproblems ? s.problems[0] : "no problem");
	is_int(g.nrecs, 0, "rows: that row is no record");
	got_free(&g);
	bload_free(&b);
	bundle_summary_free(&s);
}

/* ---- a bundle made before form versions ---- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	*n = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0
	    && (buf = malloc((size_t)len + 1)) != NULL) {
		*n = fread(buf, 1, (size_t)len, f);
		buf[*n] = 0;
	}
	fclose(f);
	return buf;
}

static int spill(const char *path, const char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	int bad = !f || fwrite(buf, 1, n, f) != n;

	if (f && fclose(f) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* Every line without its field number col (0-based, counted by commas:
 * the bookkeeping columns hold none), or without the lines starting with
 * one of the prefixes when col < 0. */
static void rewrite(const char *path, int col, const char *const *drop)
{
	size_t n, i;
	char *in = slurp(path, &n), *out = malloc(n + 1), *p, *e;
	size_t o = 0;

	if (!in || !out)
		goto done;
	for (p = in; p < in + n; p = e + 1) {
		bool keep = true;
		size_t len;

		if (!(e = memchr(p, '\n', (size_t)(in + n - p))))
			e = in + n;
		len = (size_t)(e - p) + (e < in + n);
		for (i = 0; col < 0 && drop[i]; i++)
			if (!strncmp(p, drop[i], strlen(drop[i])))
				keep = false;
		if (!keep)
			continue;
		if (col >= 0) {
			char *a = p, *b;
			int c;

			for (c = 0; c < col && a < e; c++)
				a = (char *)memchr(a, ',', (size_t)(e - a)) + 1;
			b = memchr(a, ',', (size_t)(e - a));
			memcpy(out + o, p, (size_t)(a - p));
			o += (size_t)(a - p);
			memcpy(out + o, b + 1, len - (size_t)(b + 1 - p));
			o += len - (size_t)(b + 1 - p);
		} else {
			memcpy(out + o, p, len);
			o += len;
		}
	}
	spill(path, out, o);
done:
	free(in);
	free(out);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* SHA256SUMS and manifest.sig again, signed by lg's key. */
static int resign(struct ledger *lg, const char *path)
{
	unsigned char h[crypto_hash_sha256_BYTES], sig[KEYS_SIG_BYTES];
	char file[512], hex[2 * crypto_hash_sha256_BYTES + 1], *names[32], sighex[2 * KEYS_SIG_BYTES + 2];
	struct sbuf sums = {0};
	struct dirent *de;
	size_t n = 0, i, len;
	DIR *d = opendir(path);
	int rc = -1;

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < 32)
		if (de->d_name[0] != '.' && strcmp(de->d_name, BUNDLE_SUMS) && strcmp(de->d_name, BUNDLE_SIG))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	for (i = 0; i < n; i++) {
		char *buf;

		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		buf = slurp(file, &len);
		crypto_hash_sha256(h, (unsigned char *)buf, len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		sbuf_printf(&sums, "%s  %s\n", hex, names[i]);
		free(buf);
		free(names[i]);
	}
	snprintf(file, sizeof file, "%s/%s", path, BUNDLE_SUMS);
	if (spill(file, sums.s, sums.len) == 0 && keys_sign(lg, sums.s, sums.len, sig) == KP_OK) {
		keys_to_hex(sig, sizeof sig, sighex);
		strcat(sighex, "\n");
		snprintf(file, sizeof file, "%s/%s", path, BUNDLE_SIG);
		rc = spill(file, sighex, strlen(sighex));
	}
	sbuf_free(&sums);
	return rc;
}

/* A township's stick written before form versions (no forms_version in
 * the manifest, no form_version column, and so no attachments column,
 * attachments.csv or history.csv either) still imports: its records are
 * of version 1, judged by the oldest forms the city has. */
static void test_before_versions(struct ledger *town, struct ledger *city)
{
	static const char *const drop[] = { "forms_version,", "forms_sha256,", "bytes:",
		"attachments,", "attachment_files,", "attachments_sent,", "history,", NULL };
	static const char *const forms_files[] = { "training.csv", "activity.csv", "demo.csv" };
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct bundle_summary s;
	struct check_result res;
	struct record rec;
	char usb[128], file[600], id[RECORD_ID_LEN + 1];
	size_t i, n;
	char *m;

	snprintf(usb, sizeof usb, "%s/old", dir);
	mkdir(usb, 0777);
	o.out_dir = usb;
	training(&rec, "2025-04-01", "worker", "Before versions", "12");
	check_result_init(&res);
	is_int(ledger_add(town, &rec, &res), KP_OK, "old: a record");
	check_result_free(&res);
	snprintf(id, sizeof id, "%s", rec.id);
	record_free(&rec);
	is_int(bundle_export(town, &o, &r), KP_OK, "old: exported");
	snprintf(file, sizeof file, "%s/%s", r.path, BUNDLE_MANIFEST);
	rewrite(file, -1, drop);
	for (i = 0; i < 3; i++) {
		snprintf(file, sizeof file, "%s/%s", r.path, forms_files[i]);
		rewrite(file, COL_ATTACHMENTS, NULL);
		rewrite(file, COL_FORM_VERSION, NULL);
	}
	snprintf(file, sizeof file, "%s/%s", r.path, BUNDLE_ATTACH_CSV);
	unlink(file);
	snprintf(file, sizeof file, "%s/%s", r.path, BUNDLE_HISTORY);
	unlink(file);
	is_int(resign(town, r.path), 0, "old: written as before form versions and signed again");
	snprintf(file, sizeof file, "%s/%s", r.path, BUNDLE_MANIFEST);
	m = slurp(file, &n);
	ok(m && !strstr(m, "forms_version") && strstr(m, "kind,data"), "old: no forms_version in the manifest");
	free(m);
	snprintf(file, sizeof file, "%s/training.csv", r.path);
	m = slurp(file, &n);
	ok(m && !strstr(m, "form_version") && strstr(m, "changed_at,date"), "old: no form_version column");
	free(m);
	bundle_summary_init(&s);
	is_int(bundle_import(city, r.path, false, NULL, NULL, &s), KP_OK, "old: the city imports it");
	if (s.nproblems)
		diag(s.problems[0]);
	is_int(s.n_new, 1, "old: its record is new");
	is_int(s.forms_version, 1, "old: made with forms version 1");
	bundle_summary_free(&s);
	record_init(&rec);
	is_int(ledger_get(city, id, &rec), KP_OK, "old: the city has the record");
	is_int(rec.form_version, 1, "old: stored as saved under forms version 1");
	record_free(&rec);
	bundle_export_result_free(&r);
}

int main(void)
{
	struct ledger *town = NULL, *city = NULL;
	char citypath[160];

	if (lt_setup("t_bundle") != 0)
		return 99;
	snprintf(citypath, sizeof citypath, "%s/city.db", dir);
	test_times();
	test_manifest();
	if (ledger_init(dbpath, forms, "anhai") != KP_OK ||
	    ledger_init(citypath, forms, NULL) != KP_OK ||
	    ledger_open(dbpath, false, &town) != KP_OK ||
	    ledger_open(citypath, false, &city) != KP_OK) {
		ok(0, "databases: %s", kp_err_msg());
		goto out;
	}
	test_keys(town, city);
	test_export_import(town, city);
	test_numbers(town, city);
	test_sticky();
	test_quota_year(town->schema);
	test_rows_header(town);
	test_before_versions(town, city);
	test_foreign_row(town, city);
out:
	ledger_close(town);
	ledger_close(city);
	lt_cleanup();
	return tap_done();
}
