/* bundle.h - USB handover bundles: export, verify, import.
 *
 * A bundle is a folder of CSV files plus manifest.csv, SHA256SUMS and
 * manifest.sig (docs/bundle-format.md has the exact format).  Townships
 * export their changes to the city; the city exports the merged data for
 * the next level up and quota bundles back to the townships.
 *
 * Nothing here prints: results and messages (in the current language) come
 * back in the structs below, so the command line and the TUI show them
 * their own way.
 *
 * Test hook: when $KEPU_FAIL_WRITE_AFTER is set to N, the bundle writer
 * fails with EIO (as a full or pulled-out USB stick does) on the write that
 * would take the bytes written to bundle files past N; when
 * $KEPU_FAIL_DIRSYNC is set, flushing the output folder after the final
 * rename fails with EIO.
 */
#ifndef KEPU_BUNDLE_H
#define KEPU_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger.h"

#define BUNDLE_FORMAT "kepu-bundle-1"
#define BUNDLE_NAME_MAX 128

enum bundle_kind {
	BUNDLE_DATA,      /* records of a township (or "all" from the city) */
	BUNDLE_QUOTA,     /* quotas from the city */
};

/* Progress: stage is a short static label in the current language; done
 * and total count rows (total may be 0 when unknown). */
typedef void (*bundle_progress_fn)(void *ctx, const char *stage,
                                   size_t done, size_t total);

struct bundle_export_opts {
	const char *out_dir;          /* the folder to create the bundle in */
	bool full;                    /* everything, not only what is new */
	bool empty;                   /* a bundle even when nothing is new */
	bool gb18030;                 /* CSV in GB18030 instead of UTF-8+BOM */
	const char *township;         /* quota export: one township (NULL all) */
	bundle_progress_fn progress;  /* may be NULL */
	void *progress_ctx;
};

struct bundle_export_result {
	char name[BUNDLE_NAME_MAX];   /* folder name */
	char *path;                   /* out_dir/name, allocated */
	uint64_t seq;                 /* this bundle's number */
	uint64_t change_from;         /* changes after this sequence number */
	uint64_t change_to;           /* ... up to and including this one */
	size_t rows;                  /* data rows over all files */
	bool nothing_new;             /* nothing written: no change since
	                               * bundle seq (name; 0 and "" when
	                               * there has been none) */
};

void bundle_export_result_free(struct bundle_export_result *r);

/* Write the changes since the last export (all with o->full) as a new,
 * signed bundle in o->out_dir, then record it (DB_BUNDLES "out:<seq>").
 * When nothing changed since the last export (and neither o->full nor
 * o->empty asks for a bundle anyway), nothing is written and no sequence
 * number is used: KP_NOTFOUND, res->nothing_new, res->seq and res->name
 * naming the last bundle, and a message saying so ("no changes since
 * bundle N (name, date); nothing written").  On any failure the temporary
 * folder is removed, nothing is recorded and the next export contains the
 * same changes.  That holds after the rename into place too: when the
 * new name cannot be flushed to the stick, or the bundle cannot be
 * recorded, the finished folder is renamed back to its hidden name and
 * removed, so a failed export never leaves a folder that looks like a
 * bundle, and its number is used again.  An out_dir that is a bundle or
 * lies inside one is refused (KP_E_CANTCREAT), here and for quota bundles.
 * Errors: KP_E_CANTCREAT, KP_E_IO (with the reason), KP_E_DATA. */
int bundle_export(struct ledger *lg, const struct bundle_export_opts *o,
                  struct bundle_export_result *res);

/* City database: a quota bundle for one township (o->township) or all. */
int bundle_quota_export(struct ledger *lg, const struct bundle_export_opts *o,
                        struct bundle_export_result *res);

/* Whether folder path is a bundle: it holds manifest.csv and SHA256SUMS. */
bool bundle_is_bundle(const char *path);

/* The bundle folder that path is or lies inside (the nearest), as an
 * allocated absolute path (caller frees), or NULL when there is none (or
 * path does not exist).  An export refuses such a folder: writing inside
 * a bundle would make it fail its checks. */
char *bundle_enclosing(const char *path);

/* The bundles in folder dir, to pick one from: dir itself when it is a
 * bundle, else the bundles directly inside it, newest name first (hidden
 * folders, such as an export still being written, are left out).  *out is
 * allocated (free with bundle_found_free); *n may be 0.  KP_E_NOINPUT
 * (message set) when dir is not a folder that can be read. */
struct bundle_found {
	char name[BUNDLE_NAME_MAX];   /* the folder's name */
	char *path;                   /* dir/name (dir itself for a bundle) */
};
int bundle_find(const char *dir, struct bundle_found **out, size_t *n);
void bundle_found_free(struct bundle_found *f, size_t n);

/* What verify and import found.  Messages are in the current language. */
struct bundle_summary {
	char name[BUNDLE_NAME_MAX];   /* folder name */
	enum bundle_kind kind;
	char township[RECORD_NAME_MAX]; /* sender: a township or "all" */
	char to[RECORD_NAME_MAX];     /* quota bundles: receiver or "all" */
	uint64_t seq;
	bool full;
	char fingerprint[24];         /* of the key that signed it */
	size_t rows;                  /* data rows (records or quotas) */
	/* import outcomes (dry run: what would happen) */
	size_t n_new, n_updated, n_unchanged, n_stale, n_rejected;
	bool already;                 /* imported before: nothing changed */
	bool stored;                  /* the import changed the database */
	char **problems;              /* why it was refused */
	size_t nproblems;
	size_t more_problems;         /* further problems, not listed */
	char **notes;                 /* worth saying, not an error (gaps) */
	size_t nnotes;
};

void bundle_summary_init(struct bundle_summary *s);
void bundle_summary_free(struct bundle_summary *s);

/* Check a bundle folder: file names, the manifest, every checksum, the
 * signature against the key this database trusts for the sender, and the
 * row counts.  KP_OK, or KP_E_DATA with s->problems saying exactly what is
 * wrong (missing file, file changed, truncated, unsigned, unknown
 * township...), KP_E_NOINPUT when the folder does not exist. */
int bundle_verify(struct ledger *lg, const char *path,
                  struct bundle_summary *s);

/* Verify, then merge in one transaction, all or nothing: data bundles into
 * a city database, quota bundles into a township database.  Importing the
 * same bundle again changes nothing (s->already).  Rows failing the
 * forms' checks reject the bundle ("FILE:LINE: field: message" in
 * s->problems, KP_E_DATA).  With dry_run nothing is stored and the
 * outcomes say what would happen.  Gaps in the sender's sequence are
 * reported in s->notes (the first few, then how many more).  Files are
 * read in the encoding the manifest declares, never guessed.  A quota
 * bundle older than one already imported is refused as stale (KP_E_DATA,
 * nothing stored).  progress may be NULL. */
int bundle_import(struct ledger *lg, const char *path, bool dry_run,
                  bundle_progress_fn progress, void *progress_ctx,
                  struct bundle_summary *s);

#endif
