/* bundle.h - USB handover bundles: export, verify, import.
 *
 * A bundle is a folder of CSV files plus manifest.csv, SHA256SUMS and
 * manifest.sig (docs/bundle-format.md has the exact format).  Townships
 * export their changes to the city; the city exports the merged data for
 * the next level up, and quota bundles, forms bundles (its current form
 * set) and decision bundles (its approvals and returns of closed years)
 * back to the townships.
 *
 * Nothing here prints: results and messages (in the current language) come
 * back in the structs below, so the command line and the TUI show them
 * their own way.
 *
 * Test hooks: when $KEPU_FAIL_WRITE_AFTER is set to N, the bundle writer
 * fails with EIO (as a full or pulled-out USB stick does) on the write that
 * would take the bytes written to bundle files past N; $KEPU_FAIL_FSYNC=NAME
 * makes the fsync of the bundle's file NAME fail with EIO; when
 * $KEPU_FAIL_DIRSYNC is set, flushing the output folder after the final
 * rename fails with EIO; $KEPU_SYNC_LOG=FILE appends every fsync and the
 * rename to FILE as each succeeds ("fsync NAME", "fsync-dir folder",
 * "rename folder", "fsync-dir parent"); $KEPU_TEST_CRASH (stop.h) kills
 * the export at "pending", "renamed" or "published".
 */
#ifndef KEPU_BUNDLE_H
#define KEPU_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger.h"

#define BUNDLE_FORMAT "kepu-bundle-1"
#define BUNDLE_NAME_MAX 128

enum bundle_kind {
	BUNDLE_DATA,      /* records of a township (or "all" from the city) */
	BUNDLE_QUOTA,     /* quotas from the city */
	BUNDLE_FORMS,     /* a form set from the city */
	BUNDLE_DECISION,  /* the city's decisions on a township's years */
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
	bool no_attachments;          /* attachments named, their bytes left
	                               * out (a small stick) */
	const char *township;         /* quota export: one township (NULL all);
	                               * decision export: the township */
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
	unsigned forms_version;       /* of the forms the bundle was made with */
	bool unsettled;               /* failed, but the bundle may be at
	                               * path: the next export finds out and
	                               * records it or sends its changes */
	char **notes;                 /* what was found and done before the
	                               * export: bundles of interrupted exports
	                               * settled, stale folders removed */
	size_t nnotes;
	size_t events;                /* data bundles: year events (years.csv) */
	size_t att_rows;              /* attachments named */
	size_t att_files;             /* files written under attachments/ */
	uint64_t att_bytes;           /* their bytes */
	size_t history;               /* rows of history.csv */
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
 * bundle, and its number is used again.  Before it takes a number it
 * settles what an interrupted export left (a bundle of its own found
 * complete is recorded, a folder never renamed removed, a bundle not to be
 * found keeps its number: bundle_settle.c) and removes the stale temporary
 * folders of this database's bundles from out_dir; res->notes say what was
 * done.  A stop asked for (stop.h) before the rename is honoured
 * (KP_E_INTR, nothing left or recorded); after it the export finishes.
 * res->unsettled: it failed, but the bundle could not be seen to be gone
 * from res->path (the next export settles it).  Errors: KP_E_CANTCREAT,
 * KP_E_IO (with the reason), KP_E_DATA, KP_E_TEMPFAIL (another export
 * took the number), KP_E_INTR.  An out_dir that is a bundle or lies
 * inside one is refused (KP_E_CANTCREAT), here and for quota bundles. */
int bundle_export(struct ledger *lg, const struct bundle_export_opts *o,
                  struct bundle_export_result *res);

/* City database: a quota bundle for one township (o->township) or all,
 * written, recorded ("qout:<seq>") and settled like bundle_export. */
int bundle_quota_export(struct ledger *lg, const struct bundle_export_opts *o,
                        struct bundle_export_result *res);

/* City database: a forms bundle "forms-v<version>-<seq>-<date>" in
 * o->out_dir holding the current form version's files exactly as the
 * database stores them (o->full, o->empty, o->gb18030 and o->township are
 * not used), recorded as DB_BUNDLES "fout:<seq>"; crash-safe and settled
 * like bundle_export.  res->rows counts the files.  KP_E_USAGE in a township
 * database; KP_E_CANTCREAT, KP_E_IO, KP_E_DATA. */
int bundle_forms_export(struct ledger *lg, const struct bundle_export_opts *o,
                        struct bundle_export_result *res);

/* City database: a decision bundle "decision-<township>-<seq>-<date>" in
 * o->out_dir for township o->township, holding every decision the city
 * has made on its years (decisions.csv; so the newest bundle is complete
 * and importing an older one after it changes nothing), recorded as
 * DB_BUNDLES "dout:<seq>"; crash-safe and settled like bundle_export.
 * res->rows counts the decisions.  KP_E_USAGE in a township database; KP_E_DATA
 * for an unknown township or one without any decision; KP_E_CANTCREAT,
 * KP_E_IO. */
int bundle_decision_export(struct ledger *lg, const struct bundle_export_opts *o,
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
	size_t rows;                  /* data rows (records or quotas); the
	                               * files of a forms bundle */
	unsigned forms_version;       /* the bundle's (1 when not given) */
	unsigned forms_from;          /* forms bundles: the database's version
	                               * before the import */
	struct schema_changes changes; /* forms bundles: what the bundle's
	                               * version adds to forms_from's */
	/* import outcomes (dry run: what would happen) */
	size_t n_new, n_updated, n_unchanged, n_stale, n_rejected;
	size_t events, events_new;    /* data bundles: year events, and those
	                               * the city had not received */
	size_t att_files;             /* attachment files in the bundle */
	size_t att_stored;            /* stored by this import (dry run: would be) */
	size_t att_present;           /* in the database already */
	size_t att_absent;            /* named by a row, bytes neither in the
	                               * bundle nor here (--no-attachments) */
	size_t history;               /* rows of history.csv */
	bool already;                 /* imported before: nothing changed */
	bool not_a_bundle;            /* a folder that holds bundles */
	bool damaged;                 /* a file missing, cut or changed */
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
 * signature against the key this database trusts for the sender, the
 * forms version (a data bundle made with forms the database has not
 * loaded is refused) and the row counts; a forms bundle's files must
 * load as the version they claim.  KP_OK, or KP_E_DATA with s->problems saying exactly what is
 * wrong (missing file, file changed, truncated, unsigned, unknown
 * township...), KP_E_NOINPUT when the folder does not exist. */
/* The data dictionary of form set s as CSV (a bundle's dictionary.csv;
 * `kepu forms dictionary`): every column of every form file (the
 * bookkeeping columns, then the fields: type, "1", "0" or "when <relevant
 * condition>" for required, rule, range, choices), the townships, every
 * plan's indicators and the status words; the columns are in
 * docs/bundle-format.md.  csvw_flags as csvw_begin takes them.  KP_OK or
 * KP_E_IO. */
int bundle_dictionary_write(const struct schema *s, FILE *out,
                            unsigned csvw_flags);

int bundle_verify(struct ledger *lg, const char *path,
                  struct bundle_summary *s);

/* Verify, then merge in one transaction, all or nothing: data bundles into
 * a city database, quota and forms bundles into a township database.  A
 * forms bundle is taken as ledger_forms_update takes a form set: every
 * reason it cannot be is in s->problems (KP_E_DATA); one whose version the
 * database has already, with the same files, changes nothing
 * (s->already).  Importing the same bundle again changes nothing
 * (s->already).  Rows failing the
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

/* ---- who has reported (bundle_received.c) ---- */

#define BUNDLE_MISSING_MAX 96

/* A township as the city's bookkeeping of imported data bundles knows
 * it, and where the year asked stands. */
struct bundle_received {
	const struct township *town;
	size_t bundles;               /* data bundles imported */
	uint64_t last_seq;            /* the highest number (0: none) */
	char last_name[BUNDLE_NAME_MAX];
	char written[32];             /* its manifest's created_at (UTC) */
	char imported[32];            /* when it was imported (UTC) */
	size_t rows;                  /* record rows over all its bundles */
	char missing[BUNDLE_MISSING_MAX]; /* numbers missing below the highest,
	                               * "3;5-7" ("" none; cut with "...") */
	size_t nmissing;              /* how many numbers are missing */
	bool reported;                /* it reported for the year asked */
	struct year_state state;      /* the year asked */
	int closed[16];               /* the years it has closed now */
	enum year_event_kind closed_decision[16]; /* the city's decision on
	                               * each one's latest close (YE_NONE:
	                               * none yet) */
	size_t nclosed;
};

/* For every township of a city database, in the forms' order, what it
 * sent and where year stands (0: the working year).  Reads the
 * bookkeeping of imports and DB_YEARS only, never a record.  *out is
 * allocated (caller frees).  KP_E_USAGE in a township database. */
int bundle_received(struct ledger *lg, int year, struct bundle_received **out,
                    size_t *n);

/* The numbers of township's data bundles missing below its highest, as
 * bundle_received says them ("2;5-7"), into out (n bytes): "" for none.
 * KP_OK, or the database's failure. */
int bundle_missing_of(struct ledger *lg, const char *township, char *out,
                      size_t n);

/* Write them as CSV (header township,year,reported,bundles,last_seq,
 * last_bundle,last_written,last_imported,rows,missing,year_state,
 * decision,reason,closed_years; closed_years is "2024:approved;2025",
 * each year closed now with the decision on its close; docs/kepu.1 gives
 * the contract) or as a table for people, followed by the townships that
 * have not reported for the year and those that never reported. */
int bundle_received_write_csv(const struct bundle_received *r, size_t n,
                              int year, FILE *out, unsigned csvw_flags);
int bundle_received_write_table(const struct bundle_received *r, size_t n,
                                int year, FILE *out);

#endif
