/* bundle_int.h - what the bundle files share; not part of the core's
 * interface.
 *
 * The files, each using only those above it in this list (and keys.h,
 * ledger.h, store.h below them all):
 *   bundle_find.c    whether a folder is (inside) a bundle; the bundles
 *                    in a folder
 *   bundle.c         manifest lists, the folder writer, names, keys of
 *                    DB_BUNDLES, encodings, summaries and their problems
 *   bundle_export.c  writing data and quota bundles
 *   bundle_rows.c    a form file's or quotas.csv's rows into records
 *   bundle_verify.c  reading and checking a bundle folder (bundle_load)
 *   bundle_import.c  merging a verified bundle
 */
#ifndef KEPU_BUNDLE_INT_H
#define KEPU_BUNDLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sodium.h>

#include "bundle.h"
#include "record.h"

#define BUNDLE_SUMS "SHA256SUMS"
#define BUNDLE_SIG "manifest.sig"
#define BUNDLE_MANIFEST "manifest.csv"
#define BUNDLE_PROGRESS "progress.csv"
#define BUNDLE_DICT "dictionary.csv"
#define BUNDLE_QUOTAS "quotas.csv"

/* The bookkeeping columns every form file starts with.  form_version came
 * with form versions: a bundle without it holds records of version 1. */
enum {
	COL_ID, COL_TOWNSHIP, COL_REV, COL_DELETED, COL_CREATED_BY,
	COL_CREATED_AT, COL_CHANGED_BY, COL_CHANGED_AT, COL_FORM_VERSION,
	COL__COUNT,
	COL__REQUIRED = COL_FORM_VERSION   /* those before it must be there */
};
extern const char *const bundle_cols[COL__COUNT];

/* A key,value list (the manifest).  A failed kvl_add is sticky: every
 * later kvl_add and kvl_format returns the same error, so a list built
 * without checking each addition still never goes out incomplete. */
struct kvlist {
	struct kv *v;
	size_t n, cap;
	int err;                      /* first failure, KP_OK while none */
};

void kvl_free(struct kvlist *l);
int kvl_add(struct kvlist *l, const char *k, const char *v);
int kvl_addf(struct kvlist *l, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *kvl_get(const struct kvlist *l, const char *k);
/* Parse a key,value CSV (header row "key,value"); KP_E_DATA. */
int kvl_parse(const char *name, const char *buf, size_t n, struct kvlist *l);
/* The same in a known encoding (csvio_read_mem_as; NULL guesses). */
int kvl_parse_as(const char *name, const char *encoding, const char *buf,
                 size_t n, struct kvlist *l);
/* Serialise as CSV with csvw flags into b. */
int kvl_format(const struct kvlist *l, unsigned flags, struct sbuf *b);

/* One file being written into the bundle folder: every byte goes through
 * the fault-injection check and into the running SHA-256. */
struct bfile {
	char name[BUNDLE_NAME_MAX];
	int fd;
	FILE *f;
	crypto_hash_sha256_state sha;
	uint64_t size;
	int err;                      /* errno of the first failed write */
};

struct bsum {
	char name[BUNDLE_NAME_MAX];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	uint64_t size;
};

/* The bundle folder under construction (hidden temporary name). */
struct bdir {
	char *out_dir;
	char *tmp;
	char *final;
	char *hidden;                 /* tmp's name, once renamed to final */
	struct bsum *sums;
	size_t nsums, cap;
};

/* KP_OK when out_dir is an existing folder, else KP_E_CANTCREAT. */
int bdir_check(const char *out_dir);
int bdir_begin(struct bdir *d, const char *out_dir, const char *name);
int bfile_open(struct bdir *d, const char *name, struct bfile *bf);
/* Flush, fsync and close; adds the file to the checksums. */
int bfile_close(struct bdir *d, struct bfile *bf);
/* Close without keeping (on an error path). */
void bfile_discard(struct bfile *bf);
/* Write a whole small file. */
int bdir_put(struct bdir *d, const char *name, const void *p, size_t n);
/* Write SHA256SUMS and manifest.sig, flush, rename into place, flush the
 * parent.  When flushing the parent fails the bundle is withdrawn (as
 * bdir_withdraw) and d->tmp names it for bdir_abort. */
int bdir_finish(struct bdir *d, struct ledger *lg);
/* Take a finished bundle back: renamed to its hidden name at once (or
 * left in place if that fails), which d->tmp then names so that
 * bdir_abort removes it. */
void bdir_withdraw(struct bdir *d);
/* Remove the temporary folder and free. */
void bdir_abort(struct bdir *d);
void bdir_free(struct bdir *d);
/* The bytes size recorded for a file, for the manifest. */
const struct bsum *bdir_sum(const struct bdir *d, const char *name);

/* Start counting for $KEPU_FAIL_WRITE_AFTER (once per bundle). */
void bundle_fault_reset(void);

/* Timestamps in files: "2025-03-05T08:00:00Z". */
void bundle_time_format(int64_t t, char out[32]);
int bundle_time_parse(const char *s, int64_t *out);

/* Folder names: "<who>-<seq>-<date>", "quota-<to>-<seq>-<date>". */
void bundle_name_data(char out[BUNDLE_NAME_MAX], const char *who,
                      uint64_t seq);
void bundle_name_quota(char out[BUNDLE_NAME_MAX], const char *to,
                       uint64_t seq);

/* Append an allocated copy of a message to a list. */
int bundle_msg_add(char ***list, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add a problem to s; those beyond the first BUNDLE_MAX_PROBLEMS are only
 * counted (s->more_problems).  Returns KP_OK or KP_E_NOMEM. */
#define BUNDLE_MAX_PROBLEMS 100
int bundle_problem(struct bundle_summary *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* DB_BUNDLES keys. */
void bundle_key_out(char *out, size_t n, uint64_t seq);
void bundle_key_qout(char *out, size_t n, uint64_t seq);
void bundle_key_in(char *out, size_t n, const char *who, uint64_t seq);
void bundle_key_qin(char *out, size_t n, uint64_t seq);

/* Highest sequence number recorded under the key prefix (0 when none),
 * and the stored manifest of it in *mf (may be NULL). */
int bundle_last(struct ledger *lg, const char *prefix, uint64_t *seq,
                struct kvlist *mf);

/* A bundle read from disk and verified (bundle_verify.c). */
struct brow {
	unsigned file;                /* index into files */
	size_t line;                  /* physical line of the row */
};

struct bload {
	char *dir;                    /* the bundle folder */
	struct kvlist mf;             /* manifest.csv */
	bool mf_ok;
	unsigned char sums_hash[crypto_hash_sha256_BYTES];
	char sums_hex[2 * crypto_hash_sha256_BYTES + 1];
	char who[RECORD_NAME_MAX];    /* sender */
	uint64_t seq;
	enum bundle_kind kind;
	char **files;                 /* names of the data files parsed */
	size_t nfiles;
	struct record *recs;          /* data bundles */
	struct brow *pos;
	size_t nrecs, cap;
	struct quota_row *quotas;     /* quota bundles */
	size_t *qlines;
	size_t nquotas, qcap;
};

/* Verify the bundle at path and read its rows.  Problems go to s; returns
 * KP_E_DATA when there is any, KP_E_NOINPUT when path is no folder.
 * before_rows (may be NULL) runs once files, manifest and signature are
 * found good, before the rows are read: KP_NOTFOUND skips reading them
 * (bundle_load then returns KP_OK), another error stops. */
typedef int (*bload_fn)(void *ctx, struct bload *b);
int bundle_load(struct ledger *lg, const char *path, struct bundle_summary *s,
                struct bload *b, bload_fn before_rows, void *ctx);
void bload_free(struct bload *b);

/* The iconv name of the encoding the manifest declares ("UTF-8",
 * "GB18030"); NULL when there is no good manifest or it declares another.
 * The files of a bundle are read in it, never guessed: GB18030 text can
 * happen to be valid UTF-8. */
const char *bundle_encoding(const struct bload *b);
const char *bundle_encoding_name(const char *declared);

/* Read the rows of one form file / of quotas.csv into b (bundle_rows.c);
 * problems go to s, *rows counts the data rows. */
int bundle_rows_form(struct ledger *lg, struct bundle_summary *s,
                     struct bload *b, const struct form *fm, const char *file,
                     const char *buf, size_t len, size_t *rows);
int bundle_rows_quota(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b, const char *buf, size_t len,
                      size_t *rows);
int bundle_add_file(struct bload *b, const char *name, unsigned *idx);

#endif
