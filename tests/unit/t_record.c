/* t_record.c - fields, encoding round trip and corruption, ids, user. */
#include "config.h"

#include <pwd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "record.h"
#include "tap.h"

static void sample(struct record *r)
{
	record_init(r);
	strcpy(r->id, "01HZY3V4Q2J8K9M0N1P2R3S4T5");
	strcpy(r->form, "training");
	strcpy(r->township, "qingyang");
	r->rev = 7;
	strcpy(r->created_by, "clerk1");
	strcpy(r->changed_by, "张三");
	r->created_at = 1735689600;
	r->changed_at = -5;
	r->deleted = true;
	record_set(r, "date", "2025-03-05");
	record_set(r, "title", "农村实用技术培训, \"第1期\"\n第二行");
	record_set(r, "participants", "120");
	record_set(r, "notes", "");
}

static bool same_record(const struct record *a, const struct record *b)
{
	size_t i, na = 0;

	if (strcmp(a->id, b->id) || strcmp(a->form, b->form) ||
	    strcmp(a->township, b->township) || a->rev != b->rev ||
	    strcmp(a->created_by, b->created_by) || strcmp(a->changed_by, b->changed_by) ||
	    a->created_at != b->created_at || a->changed_at != b->changed_at ||
	    a->deleted != b->deleted)
		return false;
	for (i = 0; i < a->nfields; i++) {
		const char *v = record_get(a, a->fields[i].name);

		if (!v)
			continue;
		na++;
		if (!record_get(b, a->fields[i].name) ||
		    strcmp(v, record_get(b, a->fields[i].name)))
			return false;
	}
	return na == b->nfields;
}

static void test_fields(void)
{
	struct record r, c;
	char longname[RECORD_NAME_MAX + 1];

	record_init(&r);
	is_int(record_set(&r, "a", "1"), KP_OK, "set a");
	is_int(record_set(&r, "b", "2"), KP_OK, "set b");
	is_int(record_set(&r, "a", "3"), KP_OK, "replace a");
	is_int(r.nfields, 2, "replacing adds no field");
	is_str(r.fields[0].name, "a", "insertion order kept");
	is_str(record_get(&r, "a"), "3", "get the new value");
	ok(record_get(&r, "zz") == NULL, "absent is NULL");
	record_set(&r, "e", "");
	ok(record_get(&r, "e") == NULL, "empty reads as NULL");
	record_set(&r, "n", NULL);
	ok(record_get(&r, "n") == NULL, "NULL value reads as NULL");
	record_unset(&r, "a");
	ok(record_get(&r, "a") == NULL, "unset removes");
	is_str(record_get(&r, "b"), "2", "others stay after unset");
	record_unset(&r, "nothing");
	is_int(record_set(&r, "", "x"), KP_E_DATA, "empty name refused");
	memset(longname, 'x', RECORD_NAME_MAX);
	longname[RECORD_NAME_MAX] = '\0';
	is_int(record_set(&r, longname, "x"), KP_E_DATA, "over-long name refused");
	longname[RECORD_NAME_MAX - 1] = '\0';
	is_int(record_set(&r, longname, "x"), KP_OK, "63-byte name fits");
	for (int i = 0; i < 100; i++) {
		char n[16];
		snprintf(n, sizeof n, "f%d", i);
		record_set(&r, n, n);
	}
	is_str(record_get(&r, "f99"), "f99", "many fields (the array grows)");
	record_init(&c);
	strcpy(r.form, "activity");
	is_int(record_copy(&c, &r), KP_OK, "copy");
	record_set(&r, "b", "changed");
	is_str(record_get(&c, "b"), "2", "copy is deep");
	is_str(c.form, "activity", "copy has the bookkeeping");
	is_int(c.nfields, r.nfields, "copy has every field");
	is_int(record_copy(&c, &r), KP_OK, "copy into a used record");
	is_str(record_get(&c, "b"), "changed", "second copy replaced the first");
	record_free(&c);
	record_free(&r);
	ok(r.nfields == 0 && r.fields == NULL, "free leaves an empty record");
	record_set(&r, "again", "1");
	is_str(record_get(&r, "again"), "1", "a freed record can be reused");
	record_free(&r);
}

static void test_round_trip(void)
{
	struct record r, d, e;
	struct sbuf a = {0}, b = {0};

	sample(&r);
	record_init(&d);
	record_init(&e);
	is_int(record_encode(&r, &a), KP_OK, "encode");
	ok(a.len > 3 && memcmp(a.s, "KR\x01", 3) == 0, "magic and version");
	is_int(record_decode(a.s, a.len, &d), KP_OK, "decode");
	ok(same_record(&r, &d), "round trip keeps everything");
	is_int(d.nfields, 3, "the empty field is not stored");
	is_str(record_get(&d, "title"), "农村实用技术培训, \"第1期\"\n第二行", "tricky value");
	is_int(d.changed_at, -5, "negative time");
	ok(d.deleted, "deleted flag");
	is_int(record_encode(&d, &b), KP_OK, "re-encode");
	ok(a.len == b.len && memcmp(a.s, b.s, a.len) == 0, "encoding is canonical");
	is_int(record_decode(a.s, a.len, &d), KP_OK, "decode into a used record");
	ok(same_record(&r, &d), "and it is the same again");
	record_free(&d);
	record_init(&e);
	sbuf_reset(&a);
	record_encode(&e, &a);
	is_int(record_decode(a.s, a.len, &d), KP_OK, "empty record round trip");
	ok(same_record(&e, &d), "empty record equal");
	record_free(&r);
	record_free(&d);
	sbuf_free(&a);
	sbuf_free(&b);
}

static void test_corruption(void)
{
	struct record r, d;
	struct sbuf a = {0};
	unsigned char *buf;
	size_t n, i, bad = 0, flips_ok = 0;
	int trial, rc;

	sample(&r);
	record_init(&d);
	record_encode(&r, &a);
	/* Every truncation is refused, and leaves d empty.  A fresh heap copy
	 * of each length lets the address sanitizer see any overread. */
	for (n = 0; n < a.len; n++) {
		buf = malloc(n ? n : 1);
		memcpy(buf, a.s, n);
		rc = record_decode(buf, n, &d);
		if (rc != KP_E_DATA || d.nfields != 0)
			bad++;
		free(buf);
	}
	is_int(bad, 0, "all %zu truncations refused", a.len);
	is_str(kp_err_msg(), "corrupt record data", "message");
	/* Trailing garbage. */
	sbuf_addc(&a, 0);
	is_int(record_decode(a.s, a.len, &d), KP_E_DATA, "trailing byte refused");
	a.len--;
	/* Unknown version (3 is a record with attachments). */
	a.s[2] = 4;
	is_int(record_decode(a.s, a.len, &d), KP_E_DATA, "unknown version refused");
	is_str(kp_err_msg(), "record encoding version 4 is unknown (upgrade kepu)",
	       "version message");
	a.s[2] = 1;
	a.s[2] = 1;
	/* Single-bit flips: most are refused; none may crash. */
	for (i = 0; i < a.len * 8; i++) {
		buf = malloc(a.len);
		memcpy(buf, a.s, a.len);
		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
		if (record_decode(buf, a.len, &d) == KP_OK)
			flips_ok++;
		free(buf);
	}
	ok(flips_ok < a.len * 8, "bit flips: %zu of %zu decoded, the rest refused",
	   flips_ok, a.len * 8);
	/* Random bytes, with and without a valid header. */
	bad = 0;
	for (trial = 0; trial < 20000; trial++) {
		n = randombytes_uniform(200);
		buf = malloc(n + 3);
		randombytes_buf(buf, n + 3);
		if (trial % 2)
			memcpy(buf, "KR\x01", 3);
		rc = record_decode(buf, n + 3, &d);
		if (rc != KP_OK && rc != KP_E_DATA)
			bad++;
		free(buf);
	}
	is_int(bad, 0, "random bytes give only KP_OK or KP_E_DATA");
	record_free(&d);
	record_free(&r);
	sbuf_free(&a);
}

static void test_crafted(void)
{
	struct record d;
	/* Header with empty strings, then a field count and pairs. */
	static const unsigned char head[] = "KR\x01" "\0\0\0" "\1\0\0\0" "\0\0"
		"\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\0" "\0";
	unsigned char buf[128];
	size_t h = sizeof head - 1;

	record_init(&d);
#define TRY(tail, want, name) do { \
	memcpy(buf, head, h); \
	memcpy(buf + h, tail, sizeof(tail) - 1); \
	is_int(record_decode(buf, h + sizeof(tail) - 1, &d), want, name); \
} while (0)
	TRY("\x01\x01" "a\x01" "b", KP_OK, "crafted minimal record decodes");
	is_str(record_get(&d, "a"), "b", "crafted field read");
	TRY("\x00", KP_OK, "no fields");
	TRY("\x02\x01" "a\x01" "b\x01" "a\x01" "c", KP_E_DATA, "duplicate name refused");
	TRY("\x01\x00\x01" "b", KP_E_DATA, "empty name refused");
	TRY("\x01\x01" "a\x00", KP_E_DATA, "empty value refused");
	TRY("\x01\x01" "a\x01" "\0", KP_E_DATA, "NUL in value refused");
	TRY("\x01\x01" "a\x01" "\xff", KP_E_DATA, "invalid UTF-8 refused");
	TRY("\x01\x01" "a\x81\x00" "b", KP_E_DATA, "non-minimal varint refused");
	TRY("\x01\x01" "a\xff\xff\xff\xff\x0f", KP_E_DATA, "huge length refused");
	TRY("\x01\x01" "a\xff\xff\xff\xff\xff\x01", KP_E_DATA, "six-byte varint refused");
	TRY("\xff\xff\xff\xff\x0f", KP_E_DATA, "absurd field count refused");
	TRY("\x01\x40" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x01" "b",
	    KP_E_DATA, "64-byte name refused");
	buf[h - 1] = 2;   /* unknown flag bit, with otherwise good content */
	is_int(record_decode(buf, h, &d), KP_E_DATA, "unknown flag refused");
	record_free(&d);
}

static void test_ids(void)
{
	char prev[RECORD_ID_LEN + 1], id[RECORD_ID_LEN + 1];
	size_t i, order_bad = 0, invalid = 0;

	record_new_id(prev);
	ok(record_id_valid(prev), "new id is valid: %s", prev);
	is_int(strlen(prev), 26, "26 characters");
	ok(prev[0] >= '0' && prev[0] <= '7', "first digit holds 3 bits");
	for (i = 0; i < 20000; i++) {
		record_new_id(id);
		if (!record_id_valid(id))
			invalid++;
		if (strcmp(id, prev) <= 0)
			order_bad++;
		memcpy(prev, id, sizeof id);
	}
	is_int(invalid, 0, "20000 ids valid");
	is_int(order_bad, 0, "20000 ids strictly increasing (same-ms ids too)");
	ok(!record_id_valid(""), "empty id invalid");
	ok(!record_id_valid(NULL), "NULL id invalid");
	ok(!record_id_valid("01HZY3V4Q2J8K9M0N1P2R3S4T"), "25 characters invalid");
	ok(!record_id_valid("01HZY3V4Q2J8K9M0N1P2R3S4T5X"), "27 characters invalid");
	ok(!record_id_valid("01HZY3V4Q2J8K9M0N1P2R3S4TU"), "U is not Crockford");
	ok(!record_id_valid("01HZY3V4Q2J8K9M0N1P2R3S4Tl"), "lower case refused");
	ok(!record_id_valid("81HZY3V4Q2J8K9M0N1P2R3S4T5"), "overflowing first digit");
	ok(record_id_valid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"), "largest id");
}

static void test_batch_ids(void)
{
	char first[RECORD_ID_LEN + 1], id[RECORD_ID_LEN + 1], prev[RECORD_ID_LEN + 1];
	char after[RECORD_ID_LEN + 1];
	uint64_t i, at, bad = 0;

	record_new_ids(1000000, first);
	ok(record_id_valid(first), "the first of a batch: %s", first);
	memcpy(prev, first, sizeof prev);
	for (i = 1; i < 300000; i += 997) {
		record_id_add(first, i, id);
		if (!record_id_valid(id) || strcmp(id, prev) <= 0 ||
		    !record_id_offset(first, id, 1000000, &at) || at != i)
			bad++;
		memcpy(prev, id, sizeof prev);
	}
	is_int(bad, 0, "ids of the batch: valid, in order, each i places after the first");
	record_id_add(first, 0, id);
	is_str(id, first, "0 places after is the first");
	ok(!record_id_offset(first, first, 0, &at), "no id is among none");
	record_id_add(first, 5, id);
	ok(!record_id_offset(first, id, 5, &at), "the sixth is not among five");
	ok(record_id_offset(first, id, 6, &at) && at == 5, "but among six");
	record_new_id(after);
	record_id_add(first, 999999, id);
	ok(strcmp(after, id) > 0, "the next id comes after the batch");
	ok(!record_id_offset(first, after, 1000000, &at), "and is not of it");
	record_id_add("0000000000000000000000000Z", 1, id);
	is_str(id, "00000000000000000000000010", "carried into the next digit");
	ok(!record_id_offset(id, "0000000000000000000000000Z", 10, &at),
	   "an id before the first is not of the batch");
	ok(!record_id_offset("00000000000000000000000000", "01000000000000000000000000",
	                     UINT64_MAX, &at), "nor one 2^64 or more after it");
}

static void test_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *u = record_current_user();

	ok(*u && strlen(u) < RECORD_NAME_MAX, "current user: %s", u);
	if (pw)
		is_str(u, pw->pw_name, "matches the passwd entry");
	setenv("USER", "impostor", 1);
	ok(strcmp(record_current_user(), "impostor") != 0 || (pw && !strcmp(pw->pw_name, "impostor")),
	   "$USER is not trusted");
}

/* Form version 1 keeps the encoding records had before form versions;
 * later versions travel in encoding 2. */
static void form_versions(void)
{
	struct record r, d;
	struct sbuf a = { 0 }, b = { 0 };

	record_init(&r);
	record_init(&d);
	snprintf(r.id, sizeof r.id, "01ARZ3NDEKTSV4RRFFQ69G5FAV");
	snprintf(r.form, sizeof r.form, "training");
	record_set(&r, "title", "茶");
	r.form_version = 1;
	record_encode(&r, &a);
	ok(a.len > 2 && a.s[2] == 1, "form version 1: encoding 1");
	r.form_version = 0;
	record_encode(&r, &b);
	ok(a.len == b.len && memcmp(a.s, b.s, a.len) == 0, "0 encodes as 1");
	ok(record_decode(a.s, a.len, &d) == KP_OK && d.form_version == 1,
	   "encoding 1 decodes as form version 1");
	sbuf_reset(&a);
	r.form_version = 7;
	record_encode(&r, &a);
	ok(a.len > 2 && a.s[2] == 2 && a.len == b.len + 4, "form version 7: encoding 2");
	ok(record_decode(a.s, a.len, &d) == KP_OK && d.form_version == 7
	   && !strcmp(record_get(&d, "title"), "茶"), "and back");
	sbuf_free(&a);
	sbuf_free(&b);
	record_free(&r);
	record_free(&d);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	if (sodium_init() < 0)
		diag("sodium_init failed");
	test_fields();
	test_round_trip();
	test_corruption();
	test_crafted();
	test_ids();
	test_batch_ids();
	test_user();
	form_versions();
	return tap_done();
}
