/* record.h - one record of a form, and its stable encoding.
 *
 * A record is a set of (field name, value) pairs, all values UTF-8 text as
 * the clerk gave them after normalisation (dates as YYYY-MM-DD, numbers
 * without spaces), plus the bookkeeping every record carries.  An empty
 * value and an absent field mean the same: "not given".
 */
#ifndef KEPU_RECORD_H
#define KEPU_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define RECORD_ID_LEN 26          /* ULID: 48-bit ms time + 80 random bits */
#define RECORD_NAME_MAX 64        /* form, township, field and user names */
#define RECORD_ATT_NAME_MAX 256   /* an attachment's name, with its NUL */
#define RECORD_ATT_TYPE_MAX 8     /* its type ("jpg", "docx"), with its NUL */
#define RECORD_SHA_LEN 32         /* a SHA-256 digest */

struct kv {
	char *name;
	char *value;
};

/* One file attached to a record as evidence (a sign-in sheet, a photo):
 * its name as the clerk sees it (attach.h says which names are good), the
 * SHA-256 of its bytes (the key its bytes are stored under, once however
 * many records name them), its size and its type (attach.h). */
struct record_att {
	char name[RECORD_ATT_NAME_MAX];
	unsigned char sha[RECORD_SHA_LEN];
	uint64_t size;
	char type[RECORD_ATT_TYPE_MAX];
};

struct record {
	char id[RECORD_ID_LEN + 1];   /* "" until stored */
	char form[RECORD_NAME_MAX];
	char township[RECORD_NAME_MAX];
	uint32_t rev;                 /* 1 for a new record, +1 per change */
	char created_by[RECORD_NAME_MAX];
	char changed_by[RECORD_NAME_MAX];
	int64_t created_at;           /* Unix seconds, UTC */
	int64_t changed_at;
	bool deleted;                 /* tombstone */
	uint32_t form_version;        /* of the form set it was saved under;
	                               * 0 until stored (then at least 1) */
	struct kv *fields;            /* owned; order of insertion */
	size_t nfields, cap;
	struct record_att *att;       /* owned; the attachments, in the order
	                               * they were attached (names unique) */
	size_t natt;
};

void record_init(struct record *r);
void record_free(struct record *r);   /* frees fields and attachments; r
                                       * can be reused */
/* Deep copy; dst must be record_init'ed (or freed) and is freed first. */
int record_copy(struct record *dst, const struct record *src);

/* Set (copy in) a field; an existing field is replaced.  KP_E_NOMEM.
 * An empty (or NULL) value is kept as "" (record_encode leaves it out); an
 * empty name or one of RECORD_NAME_MAX bytes or more is KP_E_DATA. */
int record_set(struct record *r, const char *name, const char *value);
/* Append a copy of a to the attachments (KP_E_NOMEM); the attachment
 * named name, or NULL; take the one named name out (KP_NOTFOUND when
 * there is none).  Names are not checked here (attach.h does). */
int record_att_add(struct record *r, const struct record_att *a);
const struct record_att *record_att_find(const struct record *r,
                                         const char *name);
int record_att_remove(struct record *r, const char *name);
/* Replace r's attachments with copies of src's. */
int record_att_copy(struct record *r, const struct record *src);

/* The value, or NULL when absent or empty.  Valid until the field changes. */
const char *record_get(const struct record *r, const char *name);
void record_unset(struct record *r, const char *name);

/* Versioned, self-describing binary encoding (field name -> value), so a
 * form that gains a field needs no migration.  A record of form version 1
 * (or 0) without attachments encodes exactly as it did before form
 * versions existed, one of a later version without attachments as it did
 * before attachments.  record_decode fills a
 * record_init'ed (or freed) record; KP_E_DATA on a corrupt buffer. */
int record_encode(const struct record *r, struct sbuf *out);
int record_decode(const void *buf, size_t n, struct record *out);

/* A new globally unique id that sorts by creation time (Crockford base32
 * ULID, random part from libsodium's randombytes).  Ids made in the same
 * millisecond by one process still sort in order of creation. */
void record_new_id(char out[RECORD_ID_LEN + 1]);
/* n new ids at once (a batch): the first into first, the others the n - 1
 * values after it in order (record_id_add), none of them made again by
 * this thread. */
void record_new_ids(size_t n, char first[RECORD_ID_LEN + 1]);
/* The id i places after first (a valid id), as ids made at once by
 * record_new_ids follow each other. */
void record_id_add(const char *first, uint64_t i, char out[RECORD_ID_LEN + 1]);
/* The 128 bits of a valid id (big-endian): ids compare as these do. */
void record_id_bits(const char *id, unsigned char out[16]);
/* Whether id is the id i places after first for some i < n; then *i. */
bool record_id_offset(const char *first, const char *id, uint64_t n,
                      uint64_t *i);
bool record_id_valid(const char *s);

/* The Unix account running kepu, from getpwuid(geteuid()) (never $USER);
 * "uid<N>" when the account has no passwd entry.  Static storage. */
const char *record_current_user(void);

#endif
