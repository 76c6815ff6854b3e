/* bundle_int.h - what the bundle files share; not part of the core's
 * interface.
 *
 * The files, each using only those above it in this list (and keys.h,
 * ledger.h, store.h below them all):
 *   bundle_fault.c   the folder writer's test hooks
 *   bundle_find.c    whether a folder is (inside) a bundle; the bundles
 *                    in a folder
 *   bundle.c         manifest lists, names, keys of DB_BUNDLES,
 *                    encodings, summaries and their problems
 *   bundle_dir.c     the folder writer: files hashed as written, sealed,
 *                    renamed into place, or taken back
 *   bundle_pending.c an export recorded as pending between sealing its
 *                    folder and recording it
 *   bundle_dict.c    the data dictionary (dictionary.csv)
 *   bundle_rows.c    a form file's or quotas.csv's rows into records; the
 *                    index of a data bundle's record rows
 *   bundle_years.c   the year events in bundles (years.csv,
 *                    decisions.csv) and the years a progress report
 *                    covers
 *   bundle_attach.c  attachments: the files under attachments/ and
 *                    attachments.csv, checked and stored
 *   bundle_attach_out.c the same written
 *   bundle_history.c history.csv: the changes behind the rows, written,
 *                    checked and kept
 *   bundle_export.c  writing data and quota bundles; what every writer
 *                    shares: the manifest's common keys, the digest of a
 *                    form set, recording an export
 *   bundle_forms.c   forms bundles: writing one, checking its files,
 *                    taking it into a township database
 *   bundle_decision.c decision bundles: writing one, taking it into a
 *                    township database
 *   bundle_file.c    a bundle's files read, whole or a block at a time
 *                    and hashed as they are read; what changed one
 *   bundle_verify.c  reading and checking a bundle folder (bundle_load):
 *                    names, checksums, manifest, signature, year events
 *   bundle_data.c    a data bundle's CSV files, a row at a time
 *                    (bundle_read_data), which verify checks and import
 *                    merges
 *   bundle_settle.c  the four exports of bundle.h: first what interrupted
 *                    exports left (pending entries, bundles of its own not
 *                    recorded, stale temporary folders), then the writers
 *                    above
 *   bundle_import.c  merging a verified bundle
 *   bundle_received.c who has reported: the bookkeeping of imports and
 *                    the years' states, per township
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
#define BUNDLE_YEARS "years.csv"
#define BUNDLE_DECISIONS "decisions.csv"
#define BUNDLE_ATTACH_DIR "attachments"
#define BUNDLE_ATTACH_CSV "attachments.csv"
#define BUNDLE_HISTORY "history.csv"

/* The bookkeeping columns every form file starts with.  form_version came
 * with form versions: a bundle without it holds records of version 1;
 * attachments (how many the record has) with attachments: a bundle
 * without it holds records without. */
enum {
	COL_ID, COL_TOWNSHIP, COL_REV, COL_DELETED, COL_CREATED_BY,
	COL_CREATED_AT, COL_CHANGED_BY, COL_CHANGED_AT, COL_FORM_VERSION,
	COL_ATTACHMENTS,
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
struct sha_bg;
struct bfile {
	char name[BUNDLE_NAME_MAX];
	int fd;
	FILE *f;
	struct sha_bg *sha;           /* hashed in a second thread */
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
	char sums_hex[2 * crypto_hash_sha256_BYTES + 1]; /* of SHA256SUMS,
	                               * once sealed */
	int lockfd;                   /* the folder, flock'ed while this
	                               * export lives (-1: no lock) */
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
/* Write SHA256SUMS and manifest.sig, flush them and the folder; then
 * d->sums_hex is the SHA-256 of SHA256SUMS.  The bundle is complete but
 * still hidden. */
int bdir_seal(struct bdir *d, struct ledger *lg);
/* Rename the sealed folder into place and flush the parent.  When flushing
 * the parent fails the bundle is withdrawn (as bdir_withdraw) and d->tmp
 * names it for bdir_abort. */
int bdir_publish(struct bdir *d);
/* Take a finished bundle back: renamed to its hidden name at once (or
 * left in place if that fails), which d->tmp then names so that
 * bdir_abort removes it. */
void bdir_withdraw(struct bdir *d);
/* Remove the temporary folder and free. */
void bdir_abort(struct bdir *d);
void bdir_free(struct bdir *d);
/* The bytes size recorded for a file, for the manifest. */
const struct bsum *bdir_sum(const struct bdir *d, const char *name);

/* The test hooks (bundle_fault.c, used by bundle.c; bundle.h says what
 * each does).  Start counting for $KEPU_FAIL_WRITE_AFTER (once per
 * bundle); whether a write of n more bytes must fail; whether the final
 * folder sync must; fsync fd, the bundle's file name (0 or the errno);
 * log what succeeded. */
void bundle_fault_reset(void);
bool bundle_fault_hit(size_t n);
bool bundle_fault_dirsync(void);
int bundle_sync_file(int fd, const char *name);
void bundle_sync_log(const char *what, const char *name);

/* Timestamps in files: "2025-03-05T08:00:00Z". */
void bundle_time_format(int64_t t, char out[32]);
int bundle_time_parse(const char *s, int64_t *out);
/* A time kept as UTC (2025-03-05T06:30:57Z) as the clerk's clock shows
 * it, as every other time said to them ("2025-03-05 14:30"); utc itself
 * when it cannot be read, "?" for none.  Into out (n bytes). */
void bundle_time_local(const char *utc, char *out, size_t n);

/* Folder names: "<who>-<seq>-<date>", "quota-<to>-<seq>-<date>",
 * "forms-v<version>-<seq>-<date>" (version and seq 6 digits at least). */
void bundle_name_data(char out[BUNDLE_NAME_MAX], const char *who,
                      uint64_t seq);
void bundle_name_quota(char out[BUNDLE_NAME_MAX], const char *to,
                       uint64_t seq);
void bundle_name_forms(char out[BUNDLE_NAME_MAX], unsigned version,
                       uint64_t seq);

/* Append an allocated copy of a message to a list. */
int bundle_msg_add(char ***list, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add a problem to s, unless s has the same words already; those beyond
 * the first BUNDLE_MAX_PROBLEMS are only counted (s->more_problems).
 * Returns KP_OK or KP_E_NOMEM. */
#define BUNDLE_MAX_PROBLEMS 100
int bundle_problem(struct bundle_summary *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A problem that is damage to the bundle's files (missing, cut, changed):
 * the refusal then says to ask for a good copy. */
int bundle_damage(struct bundle_summary *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* KP_E_DATA, after the problems of s: nothing imported, and what to do. */
int bundle_refused(const struct bundle_summary *s);

/* DB_BUNDLES keys. */
void bundle_key_out(char *out, size_t n, uint64_t seq);
void bundle_key_qout(char *out, size_t n, uint64_t seq);
void bundle_key_in(char *out, size_t n, const char *who, uint64_t seq);
void bundle_key_qin(char *out, size_t n, uint64_t seq);
void bundle_key_fout(char *out, size_t n, uint64_t seq);
void bundle_key_fin(char *out, size_t n, uint64_t seq);

/* Highest sequence number recorded under the key prefix (0 when none),
 * and the stored manifest of it in *mf (may be NULL). */
int bundle_last(struct ledger *lg, const char *prefix, uint64_t *seq,
                struct kvlist *mf);

/* A bundle read from disk and verified (bundle_verify.c, bundle_data.c).
 * A data bundle's files are read a block at a time, hashed as they are
 * read, their rows handed on one at a time; what stays in memory is the
 * bundle's list of files, its manifest, the rows of attachments.csv, and
 * for each record row its id, revision and what became of it (struct
 * bidx: 24 bytes, which history.csv's rows are checked against). */
struct brow {
	unsigned file;                /* index into files */
	size_t line;                  /* physical line of the row */
	long natt;                    /* its attachments column; -1: none */
};

/* A file under attachments/ that SHA256SUMS lists. */
struct batt {
	char name[BUNDLE_NAME_MAX];   /* "attachments/<sha256>.<type>" */
	unsigned char sha[RECORD_SHA_LEN];
	const char *type;             /* static (attach.h) */
	uint64_t size;
	bool named;                   /* an attachments.csv row names it */
};

/* A file SHA256SUMS lists, and once read whole (a small one) its bytes. */
struct blisted {
	char name[BUNDLE_NAME_MAX];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	char *buf;                    /* contents once read and matching */
	size_t len;
	bool deferred;                /* a data bundle's CSV file: read later,
	                               * a block at a time (bundle_read_data) */
	bool done;                    /* read and hashed */
};

/* A record row of a data bundle: its id as 128 bits, its revision, and
 * what the import made of it (enum merge_outcome). */
struct bidx {
	unsigned char id[16];
	uint32_t rev;
	unsigned char outcome;
};

/* A row of attachments.csv, waiting for the record row it belongs to. */
struct barow {
	char id[RECORD_ID_LEN + 1];
	uint32_t rev;
	size_t line;
	bool used;                    /* put on its record's row */
	struct record_att a;
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
	unsigned forms_version;       /* the manifest's (1 when absent) */
	struct blisted *list;         /* SHA256SUMS */
	size_t nlist;
	char *sums;                   /* its bytes, as signed */
	size_t sumsn;
	char **files;                 /* names of the data files parsed */
	size_t nfiles;
	size_t nrecs;                 /* data bundles: record rows read */
	struct bidx *idx;             /* ... one per row, by id once sorted */
	size_t nidx, idxcap;
	bool idx_sorted;
	struct barow *arows;          /* attachments.csv, by id and revision */
	size_t narows, arowcap;
	unsigned char (*absent)[RECORD_SHA_LEN];   /* attachments of live rows
	                               * whose bytes the bundle lacks */
	size_t nabsent, abscap;
	struct quota_row *quotas;     /* quota bundles */
	size_t *qlines;
	size_t nquotas, qcap;
	struct schema_file *forms;    /* forms bundles: the files, by name */
	size_t nforms;
	struct schema *fschema;       /* ... loaded */
	struct year_event *events;    /* data bundles: years.csv; decision
	                               * bundles: decisions.csv */
	size_t nevents, evcap;
	int *years;                   /* data bundles: the years progress.csv
	                               * covers */
	size_t nyears, ycap;
	struct batt *att;             /* data bundles: the attachment files */
	size_t natt, attcap;
	size_t nhistory;              /* rows of history.csv */
};

/* Verify the bundle at path: its list of files, manifest, signature,
 * attachment files, and a quota or forms bundle's contents (small: read
 * whole); a data bundle's CSV files are left to bundle_read_data.
 * Problems go to s; returns KP_E_DATA when there is any, KP_E_NOINPUT
 * when path is no folder.  before_rows (may be NULL) runs once files,
 * manifest and signature are found good, before the contents are read:
 * KP_NOTFOUND skips reading them (bundle_load then returns KP_OK),
 * another error stops. */
typedef int (*bload_fn)(void *ctx, struct bload *b);
int bundle_load(struct ledger *lg, const char *path, struct bundle_summary *s,
                struct bload *b, bload_fn before_rows, void *ctx);
void bload_free(struct bload *b);

/* ---- bundle_file.c ---- */

/* Whether name is what a file manager leaves in a folder it shows
 * (Windows' Thumbs.db and desktop.ini, any case; hidden files are passed
 * over anyway): never part of a bundle, never a reason to refuse one. */
bool bundle_litter(const char *name);

/* The listed file of that name, or NULL. */
struct blisted *bundle_listed(struct bload *b, const char *name);
/* A whole small file of the bundle folder (never through a link): KP_OK
 * and *buf (the caller frees), KP_NOTFOUND when it does not exist,
 * KP_E_DATA (a link, no regular file) or KP_E_IO with the message. */
int bundle_read_whole(const struct bload *b, const char *name, char **buf,
                      size_t *n);
/* The manifest's bytes:<name>, 0 when it has none. */
uint64_t bundle_manifest_bytes(const struct bload *b, const char *name);
/* The problem of listed file l whose checksum is wrong, size bytes long
 * and ending with byte last (-1: empty): truncated (smaller than the
 * manifest says, ending mid-row), or changed, with the hint for a
 * spreadsheet's re-save (which reads the file again). */
int bundle_checksum_problem(const struct bload *b, struct bundle_summary *s,
                            const struct blisted *l, uint64_t size, int last);

/* A listed file read a block at a time, without following a link, its
 * SHA-256 computed over the bytes as they pass: bfin_open opens it
 * (KP_NOTFOUND when it does not exist, KP_E_DATA when it is a link or no
 * regular file, with the message), bfin_finish reads what is left
 * through the hash and says whether it is SHA256SUMS' (KP_E_IO when the
 * file cannot be read), bfin_problem then adds to s how it differs
 * (truncated, or changed, with the hint for a spreadsheet's re-save,
 * which reads the file again); bfin_close closes. */
struct bfin {
	FILE *f;                      /* what readers read */
	int fd;
	const struct blisted *l;
	struct sha_bg *sha;           /* hashed in a second thread */
	uint64_t size;
	uint64_t dropped;             /* bytes let go from the page cache */
	int last;                     /* the last byte read, -1 for none */
	int err;                      /* errno of a failed read */
};
int bfin_open(struct bload *b, const struct blisted *l, struct bfin *in);
int bfin_finish(struct bload *b, struct bfin *in, bool *match);
int bfin_problem(struct bload *b, struct bundle_summary *s,
                 const struct bfin *in);
void bfin_close(struct bfin *in);

/* Forget the problems after the first n (and the more_problems counted
 * since more): those of rows read from a file that turned out changed, or
 * of a run of an import's transaction that is run again. */
void bundle_problems_keep(struct bundle_summary *s, size_t n, size_t more);

/* The iconv name of the encoding the manifest declares ("UTF-8",
 * "GB18030"); NULL when there is no good manifest or it declares another.
 * The files of a bundle are read in it, never guessed: GB18030 text can
 * happen to be valid UTF-8. */
const char *bundle_encoding(const struct bload *b);
const char *bundle_encoding_name(const char *declared);

/* Read the rows of one form file from f into records, a row at a time
 * (bundle_rows.c): row(ctx, rec, pos) for each whose cells can be a
 * record (rec is the reader's, valid during the call); problems go to s,
 * *rows counts the data rows.  The quota file's rows into b
 * (bundle_rows_quota, a buffer: quota bundles are small). */
typedef int (*bundle_row_fn)(void *ctx, struct record *rec,
                             const struct brow *pos);
int bundle_rows_form(struct ledger *lg, struct bundle_summary *s,
                     struct bload *b, const struct form *fm, const char *file,
                     FILE *f, bundle_row_fn row, void *ctx, size_t *rows);
int bundle_rows_quota(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b, const char *buf, size_t len,
                      size_t *rows);
int bundle_add_file(struct bload *b, const char *name, unsigned *idx);
/* The record rows' index: a row added as it is read (bundle_data.c),
 * sorted by id once the form files are read; the record of id with the
 * highest revision among its rows, or NULL. */
int bundle_idx_add(struct bload *b, const struct record *rec,
                   enum merge_outcome out);
void bundle_idx_sort(struct bload *b);
const struct bidx *bundle_idx_find(const struct bload *b, const char *id,
                                   bool *wanted);

/* ---- bundle_pending.c ---- */

/* Before the rename: record "pend:<key>" in DB_BUNDLES, saying that the
 * sealed bundle d with manifest m is about to appear (where, its
 * SHA256SUMS, this process).  KP_E_TEMPFAIL when key or its pending entry
 * is there already: another export took the number. */
int bundle_pending_put(struct ledger *lg, const char *key,
                       const struct bdir *d, const struct kvlist *m);
/* In one transaction: key gets mf (the manifest as written), the pending
 * entry goes.  bundle_pending_drop only forgets the pending entry (the
 * bundle never appeared, or was taken back). */
int bundle_pending_done(struct ledger *lg, const char *key,
                        const struct sbuf *mf);
int bundle_pending_drop(struct ledger *lg, const char *key);

/* Whether the process pid_s (decimal) that started at start_s (its
 * /proc start time; NULL: not known) still runs. */
bool bundle_proc_alive(const char *pid_s, const char *start_s);

/* ---- bundle_attach.c ---- */

/* Whether name is "attachments/<64 hex>.<type>" (type one attach.h
 * takes); then sha and type (static) say what it names. */
bool bundle_att_name(const char *name, unsigned char sha[RECORD_SHA_LEN],
                     const char **type);

/* The columns of attachments.csv. */
#define BUNDLE_ATT_COLS ((size_t)7)
extern const char *const bundle_att_head[BUNDLE_ATT_COLS];

/* The exporter's side (bundle_attach_out.c): the attachments of the
 * records written (bundle_att_note, for each written revision in order)
 * go into attachments.csv and their bytes under attachments/
 * (bundle_att_write; none with no_bytes, and none of tombstones, of files
 * whose bytes this database does not have, or of files the record had
 * before after_seq: an earlier bundle carried those).  Manifest keys
 * attachments, attachment_files and attachments_sent. */
struct batt_out;
int bundle_att_begin(struct ledger *lg, uint64_t after_seq, bool no_bytes,
                     struct batt_out **out);
int bundle_att_note(struct batt_out *o, uint64_t seq, const struct record *r);
int bundle_att_write(struct batt_out *o, struct bdir *d, unsigned flags,
                     struct kvlist *m);
void bundle_att_free(struct batt_out *o);
/* How many rows attachments.csv got; the files and bytes written. */
size_t bundle_att_rows_of(const struct batt_out *o, size_t *files,
                          uint64_t *bytes);

/* The checker's side.  bundle_att_list: a listed file under attachments/
 * into b->att (KP_OK, or KP_NOTFOUND when name is no such file).
 * bundle_att_check: its bytes, read without following links, have the
 * checksum SHA256SUMS gives (hex) and the one its name gives; problems
 * to s.  bundle_att_unexpected: every entry of the attachments folder is
 * a listed file, and the folder a folder. */
int bundle_att_list(struct bload *b, const char *name, const char *hex);
/* The listed attachment file of that name ("attachments/..."), or NULL. */
struct batt *bundle_att_find(struct bload *b, const char *name);
int bundle_att_check(struct bload *b, struct bundle_summary *s,
                     struct batt *a, const char *hex, uint64_t want);
int bundle_att_unexpected(struct bload *b, struct bundle_summary *s);
/* attachments.csv (buf, len; read before the form files) into b->arows:
 * its header, every row's good name, type, size, and a listed file or
 * none, the count against the manifest.  bundle_att_onto puts the rows
 * of rec's id and revision on rec as the form file's row is read (two of
 * one name, or fewer or more than the row's attachments column says, are
 * problems) and notes those whose bytes the bundle lacks;
 * bundle_att_left says what is left once every form file is read: rows
 * naming no row of the form files, listed files no row names. */
int bundle_att_rows(struct ledger *lg, struct bundle_summary *s,
                    struct bload *b, const char *buf, size_t len);
int bundle_att_onto(struct bload *b, struct bundle_summary *s,
                    struct record *rec, const struct brow *pos);
int bundle_att_left(struct bload *b, struct bundle_summary *s);

/* The importer's side, after the records are in: store the bytes of
 * every attachment file the database does not have yet (each read again
 * without following links and checked against its name), each in a
 * transaction of its own (an import of 600 MB of photos holds one file
 * in memory at a time).  s->att_* count them; with dry_run nothing is
 * stored. */
int bundle_att_store(struct ledger *lg, struct bload *b, bool dry_run,
                     struct bundle_summary *s);

/* ---- bundle_history.c ---- */

/* Write history.csv: the log of the changes numbered in (from, to],
 * oldest first (ledger_log); the manifest's history key. */
int bundle_history_write(struct ledger *lg, struct bdir *d, unsigned flags,
                         uint64_t from, uint64_t to, struct kvlist *m);
/* Read history.csv from f, a row at a time (after the form files: the
 * index of their rows is sorted): header, every row's cells, each row's
 * record in the bundle at that revision or a later one, the count
 * against the manifest.  keep (may be NULL) gets each change (the rows of
 * one change gathered) made elsewhere than in this database, of a record
 * the import stored or found unchanged (ledger_history_put). */
typedef int (*bundle_change_fn)(void *ctx, const struct ledger_log_entry *e);
int bundle_history_read(struct ledger *lg, struct bundle_summary *s,
                        struct bload *b, FILE *f, bundle_change_fn keep,
                        void *ctx);

/* ---- bundle_data.c ---- */

/* A data bundle's CSV files, read a block at a time and hashed as they
 * are read (every listed file not read by bundle_load): attachments.csv,
 * each form file (its rows to sink->record, with their attachments),
 * history.csv (its changes to sink->change).  A file whose checksum is
 * wrong is a problem of its own, and the problems of its rows are
 * dropped.  Problems go to s (KP_E_DATA when there is any; the sink's
 * error, or an I/O error, stops it).  sink (may be NULL: verify) and its
 * functions may be NULL; with hash_only the files are only hashed (a
 * bundle imported before).  It may be called again on the same b (an
 * import's transaction run again): it starts afresh. */
struct bundle_sink {
	/* A record row, with its attachments: *out (MERGE_UNCHANGED when
	 * left) is what history.csv's rows of it are kept by. */
	int (*record)(void *ctx, struct record *rec, const struct brow *pos,
	              enum merge_outcome *out);
	bundle_change_fn change;
	void *ctx;
};
int bundle_read_data(struct ledger *lg, struct bundle_summary *s,
                     struct bload *b, const struct bundle_sink *sink,
                     bool hash_only);

/* ---- bundle_export.c: what every kind of bundle's writer shares ---- */

/* The SHA-256 (hex) of a form set, the manifest's forms_sha256: for each
 * file in the order of their names (bytes compared), the name, a NUL,
 * the size in decimal, a NUL and the bytes. */
void bundle_forms_digest(const struct schema_file *files, size_t n,
                         char hex[2 * crypto_hash_sha256_BYTES + 1]);
/* The same of the database's form version v.  KP_NOTFOUND when it never
 * had v. */
int bundle_forms_digest_of(struct ledger *lg, unsigned v,
                           char hex[2 * crypto_hash_sha256_BYTES + 1]);

/* The manifest keys every bundle has, kind "data", "quota" or "forms". */
int bundle_manifest_common(struct ledger *lg, struct kvlist *m,
                           const char *kind, uint64_t seq, const char *name,
                           bool gb18030);
/* The writers behind bundle_export, bundle_quota_export and
 * bundle_forms_export (bundle_settle.c calls them after settling): as
 * those, on a res already cleared, except that a folder named as the new
 * bundle in out_dir is not judged but answered with BUNDLE_TAKEN, res->seq,
 * res->name and (data) res->change_from saying which bundle it would be.
 * (bundle_write_forms is in bundle_forms.c, bundle_write_decision in
 * bundle_decision.c.) */
#define BUNDLE_TAKEN (-2)
int bundle_write_data(struct ledger *lg, const struct bundle_export_opts *o,
                      struct bundle_export_result *res);
int bundle_write_quota(struct ledger *lg, const struct bundle_export_opts *o,
                       struct bundle_export_result *res);
int bundle_write_forms(struct ledger *lg, const struct bundle_export_opts *o,
                       struct bundle_export_result *res);
int bundle_write_decision(struct ledger *lg, const struct bundle_export_opts *o,
                          struct bundle_export_result *res);
/* KP_OK when out_dir holds nothing named name, else BUNDLE_TAKEN. */
int bundle_name_free(const char *out_dir, const char *name);
/* Add the sizes to m, write it as manifest.csv, seal d, record it as
 * pending, rename it into place, then record the export under key
 * (DB_BUNDLES) in place of the pending entry.  A stop asked for
 * (stop.h) before the rename is honoured (KP_E_INTR); after it, the
 * bundle is finished.  A bundle that cannot be recorded is withdrawn.
 * res->path is set on success; res->unsettled when it failed but the
 * bundle could not be seen to be gone (the next export settles it). */
int bundle_finish(struct ledger *lg, struct bdir *d, struct kvlist *m,
                  unsigned flags, const char *key,
                  struct bundle_export_result *res);

/* ---- bundle_years.c ---- */

struct csvw;
/* The header of years.csv, or of decisions.csv, and one event's row. */
void bundle_event_head(struct csvw *w, bool decisions);
void bundle_event_row(struct csvw *w, const struct year_event *ev);
/* A township database's year events numbered after `after`: how many
 * (*n), and the highest number it has (*last, at least after); none in a
 * city database. */
int bundle_years_count(struct ledger *lg, uint64_t after, size_t *n,
                       uint64_t *last);
/* Write years.csv with those events into d; *rows counts them. */
int bundle_years_write(struct ledger *lg, struct bdir *d, unsigned flags,
                       uint64_t after, size_t *rows);
/* Read years.csv or decisions.csv (file says which) into b->events: every
 * row must be of township; problems go to s, *rows counts the rows. */
int bundle_events_read(struct ledger *lg, struct bundle_summary *s,
                       struct bload *b, const char *file, const char *township,
                       const char *buf, size_t len, size_t *rows);
/* A data bundle's years.csv, or a decision bundle's decisions.csv (file
 * says which; listed: SHA256SUMS names it; buf NULL when it could not be
 * read), checked into b->events with the row count the manifest gives
 * (s->events, or s->rows of a decision bundle); for a data bundle also
 * the years its progress.csv (may be NULL) covers.  A data bundle made
 * before year events has neither the file nor "year_events": nothing to
 * read.  Problems go to s. */
int bundle_years_load(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b, const char *file, bool listed,
                      const char *buf, size_t len, const char *progress,
                      size_t plen);
/* The years progress.csv has rows for, into b->years (a row that is no
 * year of the plans is passed over: the file is informational). */
int bundle_progress_years(struct ledger *lg, struct bload *b, const char *buf,
                          size_t len);

/* ---- bundle_decision.c ---- */

/* "decision-<to>-<seq>-<date>"; DB_BUNDLES "dout:<seq>", "din:<seq>". */
void bundle_name_decision(char out[BUNDLE_NAME_MAX], const char *to,
                          uint64_t seq);
void bundle_key_dout(char *out, size_t n, uint64_t seq);
void bundle_key_din(char *out, size_t n, uint64_t seq);
/* Take a verified decision bundle into a township database (or say what
 * would happen: dry_run): s->rows, s->n_new, s->n_unchanged; extra (may
 * be NULL) runs in the same transaction.  KP_E_DATA (refused, nothing
 * stored) when it is for another township or in a city database. */
int bundle_decision_import(struct ledger *lg, struct bload *b, bool dry_run,
                           int (*extra)(struct store_txn *t, void *ctx),
                           void *extra_ctx, struct bundle_summary *s);

/* ---- bundle_forms.c ---- */

/* The manifest's forms_version into b->forms_version and s (1 when absent:
 * a bundle made before form versions), and, for a data bundle, whether
 * the database can read it: a version it never had is a problem; one
 * whose files differ from its own (forms_sha256) a note. */
void bundle_forms_version(struct ledger *lg, struct bundle_summary *s,
                          struct bload *b);

/* A forms bundle's files (b->forms, read and found intact): the count and
 * digest the manifest gives, and that they load as the version it names
 * (into b->fschema).  Problems go to s. */
int bundle_forms_read(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b);
/* Take a verified forms bundle into a township database, or say what
 * would happen (dry_run): s->forms_from, s->changes, s->already, every
 * problem in s; extra (may be NULL) runs in the transaction that stores
 * the forms.  KP_OK, KP_E_DATA (refused, nothing stored). */
int bundle_forms_import(struct ledger *lg, struct bload *b, bool dry_run,
                        int (*extra)(struct store_txn *t, void *ctx),
                        void *extra_ctx, struct bundle_summary *s);

#endif
