/* record.c - one record of a form, and its stable encoding.
 *
 * Encoding, version 2 (all integers little-endian; "str" is a varint
 * length followed by that many UTF-8 bytes, no NUL):
 *
 *   "KR" 0x02
 *   str id, str form, str township
 *   u32 rev
 *   str created_by, str changed_by
 *   i64 created_at, i64 changed_at
 *   u8 flags (bit 0: deleted; other bits zero)
 *   u32 form_version (at least 2)
 *   varint count, then count times (str name, str value)
 *
 * Version 1 is the same without form_version; a record of form version 1
 * is written that way, so records saved before form versions existed keep
 * their bytes and every record has one encoding.
 *
 * Version 3, a record with attachments, is version 2 (form_version at
 * least 1) followed by
 *
 *   varint count (at least 1), then count times (str name, 32 bytes
 *   SHA-256, u64 size, str type)
 *
 * A record without attachments is written as version 1 or 2, so records
 * saved before attachments keep their bytes too.
 *
 * Varints are LEB128, at most 5 bytes, minimal.  Fields with an empty value
 * are left out (empty and absent mean the same), so the bytes are canonical:
 * records with the same content encode to the same bytes.  A decoder meeting a
 * version it does not know refuses the record rather than guessing.
 */
#include "config.h"

#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "record.h"

#define RECORD_MAGIC "KR"
#define RECORD_VERSION 2          /* without attachments */
#define RECORD_VERSION_ATT 3      /* with */

/* ---- fields -------------------------------------------------------------- */

void record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
}

/* A field's name and value share one allocation, name first: the block
 * is freed through the name. */
static char *pair_new(const char *name, size_t nn, const char *value,
                      size_t vn, char **value_at)
{
	char *b = malloc(nn + vn + 2);

	if (!b)
		return NULL;
	memcpy(b, name, nn);
	b[nn] = '\0';
	memcpy(b + nn + 1, value, vn);
	b[nn + 1 + vn] = '\0';
	*value_at = b + nn + 1;
	return b;
}

void record_free(struct record *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		free(r->fields[i].name);
	free(r->fields);
	free(r->att);
	record_init(r);
}

/* ---- attachments --------------------------------------------------------- */

int record_att_add(struct record *r, const struct record_att *a)
{
	struct record_att *na = realloc(r->att, (r->natt + 1) * sizeof *na);

	if (!na)
		return kp_err_nomem();
	r->att = na;
	r->att[r->natt++] = *a;
	return KP_OK;
}

const struct record_att *record_att_find(const struct record *r,
                                         const char *name)
{
	size_t i;

	for (i = 0; i < r->natt; i++)
		if (strcmp(r->att[i].name, name) == 0)
			return &r->att[i];
	return NULL;
}

int record_att_remove(struct record *r, const char *name)
{
	const struct record_att *a = record_att_find(r, name);
	size_t i;

	if (!a)
		return KP_NOTFOUND;
	i = (size_t)(a - r->att);
	memmove(&r->att[i], &r->att[i + 1], (r->natt - i - 1) * sizeof *r->att);
	r->natt--;
	return KP_OK;
}

int record_att_copy(struct record *r, const struct record *src)
{
	struct record_att *na = NULL;

	if (src->natt) {
		na = malloc(src->natt * sizeof *na);
		if (!na)
			return kp_err_nomem();
		memcpy(na, src->att, src->natt * sizeof *na);
	}
	free(r->att);
	r->att = na;
	r->natt = src->natt;
	return KP_OK;
}

static struct kv *find(const struct record *r, const char *name)
{
	size_t i;

	/* The first byte settles most comparisons: this runs for every
	 * field of every rule of every record checked. */
	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].name[0] == name[0]
		    && strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

/* Append a field known to be absent; the block of name and value
 * (pair_new) is taken over. */
static int append(struct record *r, char *name, char *value)
{
	struct kv *f;
	size_t cap;

	if (r->nfields == r->cap) {
		cap = r->cap ? r->cap * 2 : 16;
		f = realloc(r->fields, cap * sizeof *f);
		if (!f)
			return kp_err_nomem();
		r->fields = f;
		r->cap = cap;
	}
	r->fields[r->nfields].name = name;
	r->fields[r->nfields].value = value;
	r->nfields++;
	return KP_OK;
}

int record_set(struct record *r, const char *name, const char *value)
{
	struct kv *f;
	char *v, *n;
	size_t len = strlen(name);

	if (len == 0 || len >= RECORD_NAME_MAX)
		return kp_err_set(KP_E_DATA, LF("字段名“%.80s”为空或过长",
		                                "field name \"%.80s\" is empty or too long"), name);
	if (!value)
		value = "";
	if (!(n = pair_new(name, len, value, strlen(value), &v)))
		return kp_err_nomem();
	if ((f = find(r, name))) {
		free(f->name);
		f->name = n;
		f->value = v;
		return KP_OK;
	}
	if (append(r, n, v)) {
		free(n);
		return kp_err_nomem();
	}
	return KP_OK;
}

const char *record_get(const struct record *r, const char *name)
{
	const struct kv *f = find(r, name);

	return f && f->value && *f->value ? f->value : NULL;
}

void record_unset(struct record *r, const char *name)
{
	struct kv *f = find(r, name);
	size_t i;

	if (!f)
		return;
	i = (size_t)(f - r->fields);
	free(f->name);
	memmove(f, f + 1, (r->nfields - i - 1) * sizeof *f);
	r->nfields--;
}

int record_copy(struct record *dst, const struct record *src)
{
	size_t i;
	int rc;

	record_free(dst);
	memcpy(dst, src, sizeof *dst);
	dst->fields = NULL;
	dst->nfields = dst->cap = 0;
	dst->att = NULL;
	dst->natt = 0;
	for (i = 0; i < src->nfields; i++) {
		if ((rc = record_set(dst, src->fields[i].name, src->fields[i].value))) {
			record_free(dst);
			return rc;
		}
	}
	if ((rc = record_att_copy(dst, src))) {
		record_free(dst);
		return rc;
	}
	return KP_OK;
}

/* ---- encoding ------------------------------------------------------------ */

static int put_varint(struct sbuf *out, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7F);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return sbuf_add(out, b, n);
}

static int put_le(struct sbuf *out, uint64_t v, size_t n)
{
	unsigned char b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return sbuf_add(out, b, n);
}

static int put_str(struct sbuf *out, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	int rc;

	if (n >= max || n > UINT32_MAX)
		return kp_err_set(KP_E_SOFTWARE, "record_encode: string too long");
	if ((rc = put_varint(out, (uint32_t)n)))
		return rc;
	return sbuf_add(out, s, n);
}

static int put_atts(const struct record *r, struct sbuf *out)
{
	size_t i;
	int rc;

	if (r->natt > UINT32_MAX)
		return kp_err_set(KP_E_SOFTWARE, "record_encode: too many attachments");
	if ((rc = put_varint(out, (uint32_t)r->natt)))
		return rc;
	for (i = 0; i < r->natt; i++) {
		const struct record_att *a = &r->att[i];

		if ((rc = put_str(out, a->name, sizeof a->name)) ||
		    (rc = sbuf_add(out, a->sha, sizeof a->sha)) ||
		    (rc = put_le(out, a->size, 8)) ||
		    (rc = put_str(out, a->type, sizeof a->type)))
			return rc;
	}
	return KP_OK;
}

int record_encode(const struct record *r, struct sbuf *out)
{
	size_t start = out->len, i, count = 0;
	int rc;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].value && *r->fields[i].value)
			count++;
	bool v3 = r->natt > 0;
	bool v2 = v3 || r->form_version > 1;

	if ((rc = sbuf_add(out, RECORD_MAGIC, 2)) ||
	    (rc = sbuf_addc(out, v3 ? RECORD_VERSION_ATT : v2 ? RECORD_VERSION : 1)) ||
	    (rc = put_str(out, r->id, sizeof r->id)) ||
	    (rc = put_str(out, r->form, sizeof r->form)) ||
	    (rc = put_str(out, r->township, sizeof r->township)) ||
	    (rc = put_le(out, r->rev, 4)) ||
	    (rc = put_str(out, r->created_by, sizeof r->created_by)) ||
	    (rc = put_str(out, r->changed_by, sizeof r->changed_by)) ||
	    (rc = put_le(out, (uint64_t)r->created_at, 8)) ||
	    (rc = put_le(out, (uint64_t)r->changed_at, 8)) ||
	    (rc = sbuf_addc(out, r->deleted ? 1 : 0)) ||
	    (v2 && (rc = put_le(out, r->form_version ? r->form_version : 1, 4))) ||
	    (rc = put_varint(out, (uint32_t)count)))
		goto fail;
	for (i = 0; i < r->nfields; i++) {
		if (!r->fields[i].value || !*r->fields[i].value)
			continue;
		if ((rc = put_str(out, r->fields[i].name, RECORD_NAME_MAX)) ||
		    (rc = put_str(out, r->fields[i].value, SIZE_MAX)))
			goto fail;
	}
	if (v3 && (rc = put_atts(r, out)))
		goto fail;
	return KP_OK;
fail:
	out->len = start;
	if (out->s)
		out->s[start] = '\0';
	return rc;
}

/* A cursor over the bytes being decoded; every read checks the bounds. */
struct cur {
	const unsigned char *p;
	size_t left;
};

static bool get_varint(struct cur *c, uint32_t *v)
{
	uint64_t acc = 0;
	size_t i;

	for (i = 0; i < 5 && i < c->left; i++) {
		acc |= (uint64_t)(c->p[i] & 0x7F) << (7 * i);
		if (!(c->p[i] & 0x80)) {
			/* Minimal form only, so that the encoding is canonical. */
			if ((i > 0 && c->p[i] == 0) || acc > UINT32_MAX)
				return false;
			c->p += i + 1;
			c->left -= i + 1;
			*v = (uint32_t)acc;
			return true;
		}
	}
	return false;
}

static bool get_le(struct cur *c, size_t n, uint64_t *v)
{
	size_t i;

	if (c->left < n)
		return false;
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	c->left -= n;
	return true;
}

/* A string of fewer than max bytes: well-formed UTF-8 without NUL. */
static bool get_str(struct cur *c, size_t max, const char **s, size_t *n)
{
	uint32_t len;

	if (!get_varint(c, &len) || len >= max || len > c->left)
		return false;
	if (memchr(c->p, '\0', len) || !text_is_utf8((const char *)c->p, len))
		return false;
	*s = (const char *)c->p;
	*n = len;
	c->p += len;
	c->left -= len;
	return true;
}

static bool get_fixed(struct cur *c, char *dst, size_t size)
{
	const char *s;
	size_t n;

	if (!get_str(c, size, &s, &n))
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool find_n(const struct record *r, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (strncmp(r->fields[i].name, name, n) == 0 && r->fields[i].name[n] == '\0')
			return true;
	return false;
}

/* The (name, value) pairs; names must be unique and values non-empty. */
static int get_fields(struct cur *c, struct record *out)
{
	const char *ns, *vs;
	size_t nn, vn;
	uint32_t count, i;
	char *name, *value;

	if (!get_varint(c, &count) || count > c->left / 2)
		return KP_E_DATA;
	for (i = 0; i < count; i++) {
		if (!get_str(c, RECORD_NAME_MAX, &ns, &nn) || nn == 0 ||
		    !get_str(c, SIZE_MAX, &vs, &vn) || vn == 0)
			return KP_E_DATA;
		if (find_n(out, ns, nn))
			return KP_E_DATA;
		name = pair_new(ns, nn, vs, vn, &value);
		if (!name || append(out, name, value)) {
			free(name);
			return kp_err_nomem();
		}
	}
	return KP_OK;
}

/* The attachments of a version 3 record: at least one, names non-empty
 * and unique. */
static int get_atts(struct cur *c, struct record *out)
{
	struct record_att a;
	uint32_t count, i;
	uint64_t size;

	if (!get_varint(c, &count) || count == 0 || count > c->left / 42)
		return KP_E_DATA;
	for (i = 0; i < count; i++) {
		memset(&a, 0, sizeof a);
		if (!get_fixed(c, a.name, sizeof a.name) || !a.name[0] ||
		    c->left < sizeof a.sha)
			return KP_E_DATA;
		memcpy(a.sha, c->p, sizeof a.sha);
		c->p += sizeof a.sha;
		c->left -= sizeof a.sha;
		if (!get_le(c, 8, &size) || !get_fixed(c, a.type, sizeof a.type) ||
		    record_att_find(out, a.name))
			return KP_E_DATA;
		a.size = size;
		if (record_att_add(out, &a))
			return KP_E_NOMEM;
	}
	return KP_OK;
}

int record_decode(const void *buf, size_t n, struct record *out)
{
	struct cur c = { buf, n };
	uint64_t rev, cat, chg, flags, fv = 1;
	int rc = KP_E_DATA, version;

	record_free(out);
	if (n < 3 || memcmp(buf, RECORD_MAGIC, 2) != 0)
		goto bad;
	version = c.p[2];
	if (version != 1 && version != RECORD_VERSION && version != RECORD_VERSION_ATT) {
		return kp_err_set(KP_E_DATA, LF("记录编码版本 %u 无法识别（请升级 kepu）",
		                                "record encoding version %u is unknown (upgrade kepu)"),
		                  c.p[2]);
	}
	c.p += 3;
	c.left -= 3;
	if (!get_fixed(&c, out->id, sizeof out->id) ||
	    !get_fixed(&c, out->form, sizeof out->form) ||
	    !get_fixed(&c, out->township, sizeof out->township) ||
	    !get_le(&c, 4, &rev) ||
	    !get_fixed(&c, out->created_by, sizeof out->created_by) ||
	    !get_fixed(&c, out->changed_by, sizeof out->changed_by) ||
	    !get_le(&c, 8, &cat) || !get_le(&c, 8, &chg) ||
	    !get_le(&c, 1, &flags) || (flags & ~(uint64_t)1) ||
	    (version == 2 && (!get_le(&c, 4, &fv) || fv < 2)) ||
	    (version == 3 && (!get_le(&c, 4, &fv) || fv < 1)))
		goto bad;
	out->form_version = (uint32_t)fv;
	out->rev = (uint32_t)rev;
	out->created_at = (int64_t)cat;
	out->changed_at = (int64_t)chg;
	out->deleted = flags & 1;
	if ((rc = get_fields(&c, out)) ||
	    (version == RECORD_VERSION_ATT && (rc = get_atts(&c, out))) ||
	    c.left != 0) {
		if (!rc)
			rc = KP_E_DATA;
		goto bad;
	}
	return KP_OK;
bad:
	record_free(out);
	if (rc == KP_E_NOMEM)
		return kp_err_nomem();
	return kp_err_set(KP_E_DATA, "%s", L("记录数据已损坏", "corrupt record data"));
}

/* ---- ids and users ------------------------------------------------------- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The value of one digit of an id, -1 for a character that is none (ids
 * are checked for every row of a bundle: no strchr).  The table holds the
 * value plus one, 0 for none. */
static int crockford_value(char c)
{
	static const unsigned char value[256] = {
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
		['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12,
		['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['G'] = 17, ['H'] = 18,
		['J'] = 19, ['K'] = 20, ['M'] = 21, ['N'] = 22, ['P'] = 23, ['Q'] = 24,
		['R'] = 25, ['S'] = 26, ['T'] = 27, ['V'] = 28, ['W'] = 29, ['X'] = 30,
		['Y'] = 31, ['Z'] = 32,
	};

	return (int)value[(unsigned char)c] - 1;
}

/* Per thread, like the error buffer: ids from one thread sort in order of
 * creation; ids from different threads differ by their random part. */
static _Thread_local uint64_t last_ms;
static _Thread_local unsigned char last_rand[10];

static uint64_t now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Add n to the 80-bit big-endian random part; true on overflow (the part
 * then holds what is left over). */
static bool bump(unsigned char r[10], uint64_t n)
{
	int i;

	for (i = 9; i >= 0 && n; i--) {
		n += r[i];
		r[i] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	return n != 0;
}

/* An id's 128 bits as two halves (hi the first 64), for the arithmetic
 * of batches: made, compared and decoded for every row of a bulk load. */
struct bits128 {
	uint64_t hi, lo;
};

static struct bits128 from_bytes(const unsigned char b[16])
{
	struct bits128 x = { 0, 0 };
	int i;

	for (i = 0; i < 8; i++) {
		x.hi = (x.hi << 8) | b[i];
		x.lo = (x.lo << 8) | b[8 + i];
	}
	return x;
}

/* 128 bits as 26 digits of 5 bits, the first holding only 3: the last
 * digit is the lowest 5 bits. */
static void id_text128(struct bits128 x, char out[RECORD_ID_LEN + 1])
{
	int i;

	for (i = RECORD_ID_LEN - 1; i >= 0; i--) {
		out[i] = crockford[x.lo & 31];
		x.lo = (x.lo >> 5) | (x.hi << 59);
		x.hi >>= 5;
	}
	out[RECORD_ID_LEN] = '\0';
}

static void id_text(const unsigned char b[16], char out[RECORD_ID_LEN + 1])
{
	id_text128(from_bytes(b), out);
}

static struct bits128 id_value(const char *id)
{
	struct bits128 x = { 0, 0 };
	int i;

	for (i = 0; i < RECORD_ID_LEN; i++) {
		x.hi = (x.hi << 5) | (x.lo >> 59);
		x.lo = (x.lo << 5) | (uint64_t)crockford_value(id[i]);
	}
	return x;
}

void record_id_bits(const char *id, unsigned char b[16])
{
	struct bits128 x = id_value(id);
	int i;

	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(x.hi >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(x.lo >> (56 - 8 * i));
	}
}

/* n more ids after the one last made (one: the next), the first of them
 * into out. */
static void new_ids(uint64_t n, char out[RECORD_ID_LEN + 1])
{
	static bool sodium_ready;
	unsigned char b[16];
	uint64_t ms = now_ms() & 0xFFFFFFFFFFFFull;
	int i;

	if (!sodium_ready)
		sodium_ready = sodium_init() >= 0;   /* randombytes works either way */
	if (ms <= last_ms) {
		/* Same (or an earlier: clock stepped back) millisecond. */
		ms = last_ms;
		if (bump(last_rand, 1))
			ms = ++last_ms;
	} else {
		randombytes_buf(last_rand, sizeof last_rand);
		/* Room for a batch of ids after the first without overflow. */
		last_rand[0] &= 0x7f;
		last_ms = ms;
	}
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (8 * (5 - i)));
	memcpy(b + 6, last_rand, 10);
	id_text(b, out);
	/* The rest are the next n - 1 values: the next id comes after them. */
	if (n > 1 && bump(last_rand, n - 1))
		last_ms++;
}

void record_new_id(char out[RECORD_ID_LEN + 1])
{
	new_ids(1, out);
}

void record_new_ids(size_t n, char first[RECORD_ID_LEN + 1])
{
	new_ids(n ? n : 1, first);
}

void record_id_add(const char *first, uint64_t i, char out[RECORD_ID_LEN + 1])
{
	struct bits128 x = id_value(first);

	x.lo += i;
	if (x.lo < i)
		x.hi++;
	id_text128(x, out);
}

bool record_id_offset(const char *first, const char *id, uint64_t n,
                      uint64_t *i)
{
	struct bits128 a, b;
	uint64_t d;

	if (!n || !record_id_valid(id) || strcmp(id, first) < 0)
		return false;
	a = id_value(first);
	b = id_value(id);
	d = b.lo - a.lo;
	/* 2^64 or more apart: a borrow from hi that does not cancel it */
	if (b.hi - a.hi - (b.lo < a.lo) != 0 || d >= n)
		return false;
	*i = d;
	return true;
}

bool record_id_valid(const char *s)
{
	size_t i;

	if (!s || s[0] < '0' || s[0] > '7')
		return false;
	for (i = 0; i < RECORD_ID_LEN; i++)
		if (crockford_value(s[i]) < 0)
			return false;
	return s[RECORD_ID_LEN] == '\0';
}

const char *record_current_user(void)
{
	static char name[RECORD_NAME_MAX];
	struct passwd *pw;
	uid_t uid = geteuid();

	pw = getpwuid(uid);
	if (pw && pw->pw_name && *pw->pw_name && strlen(pw->pw_name) < sizeof name)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else
		snprintf(name, sizeof name, "uid%lu", (unsigned long)uid);
	return name;
}
