/* ledger.h - a township's (or the city's) ledger: the core's front door.
 *
 * The TUI and the command line do everything through these calls.  A
 * ledger is an open store plus the schema of the form set it uses now; the
 * database keeps every version of its form set it has had, and each record
 * the version it was saved under.
 * Every change (add, edit, delete, import) updates, in one write
 * transaction: the record, the date and duplicate indexes, the totals per
 * (year, township, indicator), the change sequence and the audit log.
 * ledger_int.h maps the files behind these calls, one job each.
 */
#ifndef KEPU_LEDGER_H
#define KEPU_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "quota.h"
#include "record.h"
#include "schema.h"
#include "store.h"

/* 1: databases made before form versions (their forms under plain file
 * names); 2: form versions (DB_FORMS keys "<version>/<file>"), records of
 * encoding 2.  A database is moved to 2 when it first stores a second
 * version of its forms, so an older kepu refuses it instead of misreading
 * it. */
#define LEDGER_SCHEMA_VERSION 2
#define LEDGER_CITY "all"         /* township id of city-wide rows */

enum ledger_mode { LEDGER_TOWNSHIP, LEDGER_CITY_MODE };

struct ledger {
	struct store *st;
	struct schema *schema;        /* owned; the current form version's */
	enum ledger_mode mode;
	char township[RECORD_NAME_MAX]; /* "" in a city database */
	int year;                     /* the working year: today's */
	char user[RECORD_NAME_MAX];   /* Unix account making the changes */
	unsigned upgraded_from;       /* set by ledger_open when it moved the
	                               * database to the installed forms: the
	                               * version it had (else 0) */
	struct schema **older;        /* versions loaded by ledger_schema_of */
	size_t nolder;
};

/* Create a new database at path from the form files in forms_dir (stored
 * inside it as its first form version).  township NULL creates a city
 * database.  KP_E_CANTCREAT if it exists, KP_E_DATA for an unknown
 * township or broken forms. */
int ledger_init(const char *path, const char *forms_dir,
                const char *township);

/* Open an existing database.  KP_E_NOINPUT when missing.  Opened for
 * writing, a database whose forms are older than the installed ones
 * (schema_default_dir) moves to them when they are compatible
 * (ledger_forms_update; lg->upgraded_from says so); when they are not,
 * it keeps its own, and `kepu forms` says why. */
int ledger_open(const char *path, bool readonly, struct ledger **out);
void ledger_close(struct ledger *lg);

/* ---- form versions (ledger_forms.c) ---- */

/* The schema of form version v: lg->schema for the current one, an older
 * one read from the database once and kept until ledger_close.  The
 * pointer lives as long as lg.  KP_NOTFOUND when the database never had
 * version v (KP_E_DATA if its stored files do not load). */
int ledger_schema_of(struct ledger *lg, unsigned v,
                     const struct schema **out);

/* Called for each reason a forms update is refused, in the current
 * language ("FILE:LINE: what and why"); msg lives during the call. */
typedef void (*ledger_problem_fn)(void *ctx, const char *msg);

/* Make files (a whole form set) the database's current forms: they must
 * load, have a higher version than the current one, and be compatible
 * with it and with every stored record (schema_compat).  In one write
 * transaction: the files stored as the new version, the totals and the
 * duplicate index rebuilt from the records under the new indicators and
 * roles, and an audit entry "forms".  All or nothing.  KP_OK; KP_E_DATA
 * with every problem given to fn (may be NULL) and the first in the
 * message; KP_NOTFOUND when the version is the one the database has
 * (nothing to do; the message says so). */
int ledger_forms_update(struct ledger *lg, const struct schema_file *files,
                        size_t n, ledger_problem_fn fn, void *ctx);

/* The stored files of form version v (caller frees with
 * schema_files_free).  KP_NOTFOUND when the database never had it. */
int ledger_forms_files(struct ledger *lg, unsigned v,
                       struct schema_file **files, size_t *n);

/* The versions of the form set the database has had, oldest first, into
 * out (up to max); returns how many there are. */
size_t ledger_forms_versions(struct ledger *lg, unsigned *out, size_t max);

/* Run all checks on rec without storing: rules (check.h), then the
 * database warnings (likely duplicate: same form, date and key values as a
 * live record other than rec->id, the finding naming that record's date,
 * title, who entered it and when, with its id in finding.ref;
 * implausible: one record moving an indicator by more than half the
 * township's annual quota, or more than 5 times the largest earlier record
 * for it) and the quota impact.  Fills in township when empty (township
 * database).  res keeps a digest of rec as checked (normalised), for
 * ledger_add_checked and ledger_edit_checked.  KP_OK even when findings
 * hold errors. */
int ledger_check(struct ledger *lg, struct record *rec,
                 struct check_result *res);

/* Check and store a new record: assigns id, rev 1, created/changed by/at.
 * Warnings do not stop it.  KP_E_DATA if the checks found errors (nothing
 * stored; res says why). */
int ledger_add(struct ledger *lg, struct record *rec,
               struct check_result *res);

/* Store a new record the caller has already checked with ledger_check and
 * whose findings it has shown (warnings confirmed by the clerk), without
 * running the checks again: res is that result, and keeps its findings
 * and impacts for the caller to show.  When rec is not the record res was
 * made for (changed since, or res not from ledger_check), the checks run
 * as in ledger_add.  Errors as ledger_add. */
int ledger_add_checked(struct ledger *lg, struct record *rec,
                       struct check_result *res);

/* Add n new records in one write transaction, all or nothing, without
 * holding every record and every finding at once: row(rctx, i, rec) puts
 * row i into rec (a record holding the previous row, or record_init'ed:
 * free it first), for i from 0 to n-1 in order; it may be asked for the
 * rows again from 0 (the transaction is run again when the database had to
 * grow).  Each row is checked like ledger_check, against the database as
 * it was before the batch, and is warned of as a likely duplicate when an
 * earlier row of the batch has the same form, date and title; it is stored
 * in the same write transaction while no row has had an error.  Only the
 * findings wait for the end.  Then ids (n entries, may be NULL) receive
 * the new ids when the rows were stored, and found(fctx, i, res, stored)
 * is called, in row order and once, for every row that has findings (res
 * holds the findings only, the batch duplicate last; stored says whether
 * the rows were stored).  total (check_result_init'ed, freed by the
 * caller) receives the impacts added up per (indicator, year): delta the
 * change the rows make together, achieved the progress after all of them.
 * KP_E_DATA if any row has an error: nothing stored. */
typedef int (*ledger_row_fn)(void *rctx, size_t i, struct record *rec);
typedef int (*ledger_found_fn)(void *fctx, size_t i,
                               const struct check_result *res, bool stored);
int ledger_add_rows(struct ledger *lg, size_t n, ledger_row_fn row,
                    void *rctx, ledger_found_fn found, void *fctx,
                    struct check_result *total,
                    char (*ids)[RECORD_ID_LEN + 1]);

/* ledger_add_rows over records held in an array: the rows are copies of
 * recs[i], which are not normalised or stamped in place (ledger_get gives
 * the stored records).  results[i] (n entries, initialised) receives the
 * findings of recs[i], not its impacts; recs[i].id the new id, or "" when
 * nothing was stored.  KP_E_DATA if any record has an error: nothing
 * stored. */
int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results);

/* Replace the fields of record id with those of rec (bookkeeping fields of
 * rec are ignored).  base_rev is the revision the change started from:
 * if the stored revision differs, KP_E_TEMPFAIL and nothing is changed
 * (the stored record is then in *current when current is not NULL).
 * KP_NOTFOUND for an unknown or deleted id, KP_E_DATA on check errors.
 * ledger_edit_checked is ledger_edit for a record already checked with
 * ledger_check (res, as for ledger_add_checked): the checks do not run
 * again unless rec changed since. */
int ledger_edit(struct ledger *lg, const char *id, uint32_t base_rev,
                struct record *rec, struct check_result *res,
                struct record *current);
int ledger_edit_checked(struct ledger *lg, const char *id, uint32_t base_rev,
                        struct record *rec, struct check_result *res,
                        struct record *current);

/* Turn record id into a tombstone (rev + 1).  Same base_rev rule.  res
 * (may be NULL; check_result_init'ed) receives the quota impacts of the
 * delete: negative deltas, achieved after it. */
int ledger_delete(struct ledger *lg, const char *id, uint32_t base_rev,
                  struct check_result *res);

/* Copy record id (tombstones too) into out (record_init'ed).  KP_NOTFOUND. */
int ledger_get(struct ledger *lg, const char *id, struct record *out);

/* Records newest first (by id, i.e. creation time).  Only live records
 * unless include_deleted.  form/month/text filters may be NULL; month is
 * "YYYY-MM", year 0 means any; text matches any field value (substring).
 * Starts strictly after `after_id` (NULL: from the newest) and stops after
 * limit matches (0: no limit).  fn gets a borrowed record valid during the
 * call; return KP_OK to go on, KP_NOTFOUND to stop. */
struct ledger_query {
	const char *form;
	int year;
	const char *month;
	const char *text;
	bool include_deleted;
	const char *after_id;
	size_t limit;
};
typedef int (*ledger_record_fn)(void *ctx, const struct record *rec);
int ledger_list(struct ledger *lg, const struct ledger_query *q,
                ledger_record_fn fn, void *ctx);

/* Totals kept in the database for (year, township, indicator): sum, count
 * and largest single contribution.  Zeros when absent.  year is the year
 * of the records' dates for plan-period indicators too (add up the plan's
 * years for the plan total).  sum and count are exact; max is the largest
 * contribution seen since the total was last empty (deletes do not lower
 * it). */
struct ledger_total {
	double sum;
	int64_t count;
	double max;
};
int ledger_total(struct ledger *lg, int year, const char *township,
                 const char *indicator, struct ledger_total *out);

/* Township quota for (year, township, indicator); year is ignored for
 * plan-period indicators.  KP_NOTFOUND when none is set. */
int ledger_quota(struct ledger *lg, int year, const char *township,
                 const char *indicator, double *target);

/* Store quota rows (replacing existing ones) in one transaction. */
int ledger_set_quotas(struct ledger *lg, const struct quota_row *rows,
                      size_t n);
/* The same, running extra (may be NULL) in the same transaction after the
 * quotas, so a caller's bookkeeping (an imported quota bundle) is stored
 * with them or not at all; its error aborts both. */
int ledger_set_quotas_with(struct ledger *lg, const struct quota_row *rows,
                           size_t n,
                           int (*extra)(struct store_txn *t, void *ctx),
                           void *extra_ctx);

/* City-entered value of a survey indicator (science_literacy_rate). */
int ledger_set_value(struct ledger *lg, int year, const char *indicator,
                     double value);
int ledger_value(struct ledger *lg, int year, const char *indicator,
                 double *value);

/* Recompute every total from the records and compare with the stored
 * ones; calls fn for each difference (message in current language) and
 * returns KP_E_DATA when there was any, KP_OK when all agree. */
int ledger_verify(struct ledger *lg, void (*fn)(void *ctx, const char *msg),
                  void *ctx);

/* Counts for the status line: live records, tombstones. */
int ledger_counts(struct ledger *lg, size_t *live, size_t *deleted);

/* Drafts: half-filled records kept across a dropped link, several per
 * Unix account (lg->user), each under a key of the caller's (at most
 * LEDGER_DRAFT_KEY_MAX bytes; the entry screen makes a ULID per sheet),
 * so two sessions of one login never overwrite each other's drafts.  A
 * draft is not checked and counts for nothing.
 * ledger_draft_put keeps rec under key (replacing that key's draft only)
 * with the time; KP_E_USAGE for an empty key.
 * ledger_drafts calls fn for each of this account's drafts, in key order
 * (oldest first for ULIDs), with a record borrowed for the call and the
 * time it was kept (0 when unknown); fn returns KP_OK to go on or
 * KP_NOTFOUND to stop, and must not change the ledger.  A draft kept by an
 * older kepu (one per account) has the key "".
 * ledger_draft_get: KP_NOTFOUND when there is no draft under key.
 * ledger_draft_drop: KP_OK also when there was none. */
#define LEDGER_DRAFT_KEY_MAX 40
typedef int (*ledger_draft_fn)(void *ctx, const char *key,
                               const struct record *rec, int64_t saved_at);
int ledger_draft_put(struct ledger *lg, const char *key,
                     const struct record *rec);
int ledger_drafts(struct ledger *lg, ledger_draft_fn fn, void *ctx);
int ledger_draft_get(struct ledger *lg, const char *key, struct record *out);
int ledger_draft_drop(struct ledger *lg, const char *key);

/* Townships this database reports for: its own, or all of the schema's
 * in a city database. */
size_t ledger_townships(const struct ledger *lg,
                        const struct township **out, size_t max);

/* The change sequence, for incremental export: every stored revision
 * (adds, edits, tombstones, merged revisions) gets the next sequence
 * number and a copy of that revision in DB_CHANGES.  fn is called in
 * sequence order for every change with seq > after_seq, with a borrowed
 * record; return KP_OK to go on, KP_NOTFOUND to stop.  *last (may be NULL)
 * receives the highest sequence number in the database. */
typedef int (*ledger_change_fn)(void *ctx, uint64_t seq,
                                const struct record *rec);
int ledger_changes(struct ledger *lg, uint64_t after_seq,
                   ledger_change_fn fn, void *ctx, uint64_t *last);

/* Merging record revisions made elsewhere (bundle import). */
enum merge_outcome {
	MERGE_NEW,        /* id not seen before: stored */
	MERGE_UPDATED,    /* newer revision than ours: replaces it */
	MERGE_UNCHANGED,  /* same revision already here */
	MERGE_STALE,      /* ours is newer: ignored */
	MERGE_REJECTED,   /* fails the form's checks */
};

/* Merge n revisions (ids, revisions, who/when kept as given) in one write
 * transaction, all or nothing.  Each is checked with check_record_rules
 * (its township must be one of the schema's; in a township database it
 * must be this township).  A tombstone deletes.  outcomes[i] and
 * results[i] (both n entries; results initialised) say what happened to
 * recs[i].  When any is MERGE_REJECTED: KP_E_DATA and nothing is stored.
 * With dry_run nothing is stored either, but outcomes are computed (in a
 * write transaction that is rolled back: the ledger must be writable).  extra
 * (may be NULL) runs inside the same transaction after the records, to let
 * the caller record its own bookkeeping (DB_BUNDLES); its error aborts all. */
int ledger_merge(struct ledger *lg, struct record *recs, size_t n,
                 bool dry_run, enum merge_outcome *outcomes,
                 struct check_result *results,
                 int (*extra)(struct store_txn *t, void *ctx),
                 void *extra_ctx);

#endif
