/* t_attach.c - evidence and history in the core: names and types of
 * attachments, records carrying them (encoding 3), attaching and
 * detaching as revisions, bytes stored once, and the log built from the
 * audit chain, with history from elsewhere. */
#include "config.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "csvio.h"
#include "store.h"
#include "ledger_test.h"

static void test_names(void)
{
	static const char *const bad[] = {
		"", ".", "..", "../x.jpg", "a/b.jpg", "a\\b.jpg", ".hidden.jpg",
		" a.jpg", "a.jpg ", "a\tb.jpg", "a\x1b[31m.jpg", "a\x7f.jpg",
		"\xe2\x80\xae" "gpj.exe", "x\xe2\x81\xa6.jpg", "\xc2\x85.jpg",
		"\xff.jpg", "a\xe2\x80\x8b" "b.jpg",
	};
	char longname[300];
	size_t i;

	is_int(attach_name_check("签到表 2025-03-05.jpg"), KP_OK, "a Chinese name with a space");
	is_int(attach_name_check("IMG_0001.JPG"), KP_OK, "a camera's name");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(attach_name_check(bad[i]), KP_E_DATA, "name %zu refused", i);
	memset(longname, 'a', 256);
	memcpy(longname + 252, ".jpg", 5);
	is_int(attach_name_check(longname), KP_E_DATA, "a 256-byte name refused");
	longname[251] = '\0';
	strcat(longname, ".jpg");
	is_int(attach_name_check(longname), KP_OK, "a 255-byte name taken");
	is_int(attach_name_check("../etc/passwd"), KP_E_DATA, "a path refused");
	ok(strstr(kp_err_msg(), "'../etc/passwd'") != NULL, "the message names it (%s)",
	   kp_err_msg());
}

static void test_types(void)
{
	static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE1, 0, 0 };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const unsigned char ole[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	static const unsigned char zip[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0";
	unsigned char odt[120] = "PK\x03\x04";
	const char *type;

	odt[26] = 8;
	memcpy(odt + 30, "mimetype", 8);
	memcpy(odt + 38, "application/vnd.oasis.opendocument.text", 39);
	is_int(attach_type_of("a.jpg", jpeg, sizeof jpeg, &type), KP_OK, "JPEG");
	is_str(type, "jpg", "its type");
	is_int(attach_type_of("a.JPEG", jpeg, sizeof jpeg, &type), KP_OK, ".JPEG too");
	is_str(type, "jpg", "is a jpg");
	is_int(attach_type_of("a.png", png, sizeof png, &type), KP_OK, "PNG");
	is_int(attach_type_of("a.pdf", "%PDF-1.7", 8, &type), KP_OK, "PDF");
	is_int(attach_type_of("a.doc", ole, sizeof ole, &type), KP_OK, "doc");
	is_int(attach_type_of("a.xls", ole, sizeof ole, &type), KP_OK, "xls");
	is_int(attach_type_of("a.wps", ole, sizeof ole, &type), KP_OK, "wps");
	is_int(attach_type_of("a.et", ole, sizeof ole, &type), KP_OK, "et");
	is_str(type, "et", "its type");
	is_int(attach_type_of("a.docx", zip, sizeof zip - 1, &type), KP_OK, "docx");
	is_int(attach_type_of("a.xlsx", zip, sizeof zip - 1, &type), KP_OK, "xlsx");
	is_int(attach_type_of("a.odt", odt, sizeof odt, &type), KP_OK, "odt");
	is_int(attach_type_of("a.ods", odt, sizeof odt, &type), KP_E_DATA,
	       "an ODF text named .ods is refused");
	is_int(attach_type_of("a.docx", odt, sizeof odt, &type), KP_E_DATA,
	       "an ODF text named .docx is refused");
	is_int(attach_type_of("a.jpg", png, sizeof png, &type), KP_E_DATA,
	       "a PNG named .jpg is refused");
	ok(strstr(kp_err_msg(), "the contents are a PNG image") != NULL, "saying what it is (%s)",
	   kp_err_msg());
	is_int(attach_type_of("a.jpg", "hello", 5, &type), KP_E_DATA, "text named .jpg");
	ok(strstr(kp_err_msg(), "a renamed or damaged file") != NULL, "is called renamed or damaged");
	is_int(attach_type_of("a.txt", jpeg, sizeof jpeg, &type), KP_E_DATA,
	       "a JPEG named .txt is refused");
	is_int(attach_type_of("a.zip", zip, sizeof zip - 1, &type), KP_E_DATA, "a ZIP is refused");
	is_int(attach_type_of("a.jpg", jpeg, 2, &type), KP_E_DATA, "two bytes are no JPEG");
	is_int(attach_type_of("noext", jpeg, sizeof jpeg, &type), KP_E_DATA,
	       "a name without an extension is refused");
}

static void att(struct record_att *a, const char *name, char fill, uint64_t size)
{
	memset(a, 0, sizeof *a);
	snprintf(a->name, sizeof a->name, "%s", name);
	memset(a->sha, fill, sizeof a->sha);
	a->size = size;
	snprintf(a->type, sizeof a->type, "jpg");
}

static void test_encoding(void)
{
	struct record r, d;
	struct record_att a;
	struct sbuf b1 = {0}, b2 = {0};

	training(&r, "2025-03-05", "worker", "T", "10");
	r.form_version = 1;
	is_int(record_encode(&r, &b1), KP_OK, "encoded without attachments");
	ok(b1.s[2] == 1, "as version 1 (the bytes of before)");
	att(&a, "签到表.jpg", 7, 12345);
	is_int(record_att_add(&r, &a), KP_OK, "an attachment added");
	att(&a, "b.jpg", 9, 1);
	record_att_add(&r, &a);
	is_int(record_encode(&r, &b2), KP_OK, "encoded with attachments");
	ok(b2.s[2] == 3, "as version 3");
	record_init(&d);
	is_int(record_decode(b2.s, b2.len, &d), KP_OK, "decoded");
	is_int(d.natt, 2, "two attachments");
	is_str(d.att[0].name, "签到表.jpg", "their order");
	ok(d.att[0].size == 12345 && d.att[0].sha[5] == 7, "size and digest");
	is_int(d.form_version, 1, "form version 1 kept");
	is_int(record_att_remove(&d, "签到表.jpg"), KP_OK, "one removed");
	is_int(record_att_remove(&d, "签到表.jpg"), KP_NOTFOUND, "only once");
	is_int(d.natt, 1, "one left");
	sbuf_reset(&b2);
	record_encode(&d, &b2);
	d.att[0].name[0] = 'z';
	record_free(&r);
	/* a name twice is corrupt */
	training(&r, "2025-03-05", "worker", "T", "10");
	att(&a, "x.jpg", 1, 1);
	record_att_add(&r, &a);
	record_att_add(&r, &a);
	sbuf_reset(&b1);
	record_encode(&r, &b1);
	is_int(record_decode(b1.s, b1.len, &d), KP_E_DATA, "two attachments of one name: corrupt");
	record_free(&r);
	record_free(&d);
	sbuf_free(&b1);
	sbuf_free(&b2);
}

static int spill(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(p, 1, n, f) == n ? 0 : -1;

	if (f)
		fclose(f);
	return rc;
}

struct sink {
	struct sbuf b;
};

static int to_sbuf(void *ctx, const void *p, size_t n)
{
	return sbuf_add(&((struct sink *)ctx)->b, p, n);
}

struct logged {
	char rows[64][160];
	int n;
};

static int log_fn(void *ctx, const struct ledger_log_entry *e)
{
	struct logged *l = ctx;
	size_t i;

	for (i = 0; i < (e->nchanges ? e->nchanges : 1) && l->n < 64; i++)
		snprintf(l->rows[l->n++], sizeof l->rows[0], "%s %s %u %s %s>%s",
		         e->origin, e->action, (unsigned)e->rev,
		         e->nchanges ? e->changes[i].field : "",
		         e->nchanges ? e->changes[i].before : "",
		         e->nchanges ? e->changes[i].after : "");
	return KP_OK;
}

static void test_ledger(struct ledger *lg)
{
	struct attach_file f[2];
	struct record out, cur;
	struct check_result res;
	struct ledger_log_query q = { 0 };
	struct logged l = { .n = 0 };
	struct sink sk = { {0} };
	char id[RECORD_ID_LEN + 1], p1[128], p2[128];
	unsigned char jpeg[4000];
	size_t n;
	uint64_t bytes;
	bool have;

	is_int(add_training(lg, "2025-03-05", "worker", "电工", "10", id), KP_OK, "a record");
	randombytes_buf(jpeg, sizeof jpeg);
	memcpy(jpeg, "\xFF\xD8\xFF\xE0", 4);
	snprintf(p1, sizeof p1, "%s/签到.jpg", dir);
	snprintf(p2, sizeof p2, "%s/合影.jpg", dir);
	spill(p1, jpeg, sizeof jpeg);
	spill(p2, jpeg, sizeof jpeg);
	is_int(attach_read(p1, NULL, &f[0]), KP_OK, "a file read");
	is_int(attach_read(p2, NULL, &f[1]), KP_OK, "a copy of it read");
	is_str(f[0].meta.name, "签到.jpg", "named after the file");
	ok(f[0].meta.size == sizeof jpeg && !strcmp(f[0].meta.type, "jpg"), "size and type");
	record_init(&out);
	is_int(ledger_attach(lg, id, 1, f, 2, &out), KP_OK, "both attached");
	is_int(out.rev, 2, "as revision 2");
	is_int(out.natt, 2, "holding two");
	ledger_attach_count(lg, &n, &bytes);
	is_int(n, 1, "the same bytes stored once");
	ok(bytes == sizeof jpeg, "their size");
	is_int(ledger_attach(lg, id, 2, f, 1, &out), KP_E_DATA, "a name twice is refused");
	is_int(out.rev, 2, "nothing changed");
	record_init(&cur);
	is_int(ledger_attach(lg, id, 1, f, 1, &cur), KP_E_TEMPFAIL, "from an old revision: conflict");
	is_int(cur.rev, 2, "the stored revision handed back");
	record_free(&cur);
	/* an edit keeps the attachments */
	training(&cur, "2025-03-05", "worker", "电工安全", "12");
	check_result_init(&res);
	is_int(ledger_edit(lg, id, 2, &cur, &res, NULL), KP_OK, "an edit without attachments in hand");
	check_result_free(&res);
	record_free(&cur);
	ledger_get(lg, id, &cur);
	is_int(cur.natt, 2, "keeps the record's attachments");
	is_int(ledger_detach(lg, id, 3, "合影.jpg", &out), KP_OK, "one detached");
	is_int(out.natt, 1, "one left");
	ledger_attach_have(lg, f[1].meta.sha, &have);
	ok(have, "its bytes stay");
	is_int(ledger_attach_get(lg, id, "签到.jpg", to_sbuf, &sk, NULL), KP_OK, "got");
	ok(sk.b.len == sizeof jpeg && memcmp(sk.b.s, jpeg, sizeof jpeg) == 0, "the same bytes");
	is_int(ledger_attach_get(lg, id, "合影.jpg", to_sbuf, &sk, NULL), KP_NOTFOUND,
	       "a detached one is no longer the record's");
	is_int(ledger_attach_verify(lg, NULL, NULL, &n, NULL), KP_OK, "stored bytes are intact");
	/* the log: newest first, field by field */
	q.id = id;
	is_int(ledger_log(lg, &q, log_fn, &l), KP_OK, "the record's log");
	is_int(l.n, 9, "nine rows");
	is_str(l.rows[0], "anhai detach 4 #attachment 合影.jpg>", "the detach first");
	is_str(l.rows[1], "anhai edit 3 title 电工>电工安全", "then the edit: the title");
	is_str(l.rows[2], "anhai edit 3 participants 10>12", "and the participants");
	is_str(l.rows[3], "anhai attach 2 #attachment >签到.jpg", "the attach, one row each");
	is_str(l.rows[5], "anhai add 1 date >2025-03-05", "the add, every value from nothing");
	is_int(ledger_delete(lg, id, 4, NULL), KP_OK, "deleted");
	ledger_get(lg, id, &cur);
	is_int(cur.natt, 1, "the tombstone keeps its attachment list");
	l.n = 0;
	ledger_log(lg, &q, log_fn, &l);
	is_str(l.rows[0], "anhai delete 5 #deleted 0>1", "a delete is logged as such");
	is_int(ledger_attach(lg, id, 0, f, 1, &out), KP_NOTFOUND, "no attaching to a tombstone");
	record_free(&cur);
	record_free(&out);
	sbuf_free(&sk.b);
	attach_file_free(&f[0]);
	attach_file_free(&f[1]);
}

static int hist_txn(struct store_txn *t, void *ctx)
{
	const struct ledger_log_entry *e = ctx;

	return ledger_history_put(t, e);
}

/* The city: a merged record shows the township's changes from history. */
static void test_city(struct ledger *city)
{
	struct record r;
	struct check_result res;
	enum merge_outcome out;
	struct ledger_log_query q = { 0 };
	struct logged l = { .n = 0 };
	struct ledger_log_change ch = { "participants", "10", "12" };
	struct ledger_log_entry e = {
		.origin = "anhai", .seq = 7, .when = 1740000000, .who = "li",
		.action = "edit", .form = "training", .township = "anhai", .rev = 2,
		.changes = &ch, .nchanges = 1,
	};

	training(&r, "2025-03-05", "worker", "电工", "12");
	record_new_id(r.id);
	snprintf(r.township, sizeof r.township, "anhai");
	r.rev = 2;
	r.form_version = 1;
	snprintf(r.created_by, sizeof r.created_by, "li");
	snprintf(r.changed_by, sizeof r.changed_by, "li");
	r.created_at = r.changed_at = 1740000000;
	check_result_init(&res);
	is_int(ledger_merge(city, &r, 1, false, &out, &res, NULL, NULL), KP_OK, "merged");
	check_result_free(&res);
	q.id = r.id;
	ledger_log(city, &q, log_fn, &l);
	is_int(l.n, 4, "without history: the merge entry, a row per field");
	is_str(l.rows[0], "all merge 2 date >2025-03-05", "with the difference it made");
	e.id = r.id;
	is_int(store_write(city->st, hist_txn, &e), KP_OK, "township history kept");
	is_int(store_write(city->st, hist_txn, &e), KP_OK, "the same again changes nothing");
	l.n = 0;
	ledger_log(city, &q, log_fn, &l);
	is_int(l.n, 2, "then the merge and the township's change");
	is_str(l.rows[0], "all merge 2  >", "the merge without changes");
	is_str(l.rows[1], "anhai edit 2 participants 10>12", "the township's edit");
	record_free(&r);
}

int main(void)
{
	struct ledger *lg = NULL, *city = NULL;
	char citypath[160];

	if (lt_setup("t_attach") != 0)
		return 99;
	test_names();
	test_types();
	test_encoding();
	snprintf(citypath, sizeof citypath, "%s/city.db", dir);
	if (ledger_init(dbpath, forms, "anhai") != KP_OK ||
	    ledger_open(dbpath, false, &lg) != KP_OK ||
	    ledger_init(citypath, forms, NULL) != KP_OK ||
	    ledger_open(citypath, false, &city) != KP_OK) {
		ok(0, "databases: %s", kp_err_msg());
		goto out;
	}
	test_ledger(lg);
	test_city(city);
out:
	ledger_close(lg);
	ledger_close(city);
	lt_cleanup();
	return tap_done();
}
