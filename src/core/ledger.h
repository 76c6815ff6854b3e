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
 * encoding 2; 3: attachments (records of encoding 3, DB_ATTACH) and the
 * history of changes made elsewhere (DB_HISTORY).  A database is moved to
 * 2 when it first stores a second version of its forms, to 3 when it
 * first stores a record with attachments, so an older kepu refuses it
 * instead of misreading it. */
#define LEDGER_SCHEMA_VERSION 3
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
 * with every problem given to fn (may be NULL; the first 20 records
 * failing the new rules are named, every structural problem is) and the
 * first in the message; KP_NOTFOUND when the version is the one the
 * database has (nothing to do; the message says so); KP_E_TEMPFAIL when
 * another process moved the forms on meanwhile.  On success the schema
 * that was current stays valid, as an older version, until ledger_close,
 * so a caller may compare it with the new lg->schema. */
int ledger_forms_update(struct ledger *lg, const struct schema_file *files,
                        size_t n, ledger_problem_fn fn, void *ctx);
/* The same, running extra (may be NULL) in the same write transaction
 * after the forms are stored, so a caller's bookkeeping (an imported
 * forms bundle) is stored with them or not at all; its error aborts
 * both. */
int ledger_forms_update_with(struct ledger *lg,
                             const struct schema_file *files, size_t n,
                             ledger_problem_fn fn, void *ctx,
                             int (*extra)(struct store_txn *t, void *ctx),
                             void *extra_ctx);
/* Whether ledger_forms_update would take files, without storing anything
 * (a read-only ledger will do): the same answers and problems.  With out
 * not NULL and KP_OK, *out is the loaded schema (the caller frees it with
 * schema_free); else *out is NULL. */
int ledger_forms_check(struct ledger *lg, const struct schema_file *files,
                       size_t n, ledger_problem_fn fn, void *ctx,
                       struct schema **out);

/* The schema a record saved under form version v is read and checked
 * with: v's own; the oldest the database has when v is older than all of
 * them (a database made after v accepts what v did: its first version
 * came from the same forms or a later compatible one); v 0 means the
 * current one.  KP_NOTFOUND when the database never had v and v is not
 * older than all it has (the message names v). */
int ledger_schema_for(struct ledger *lg, unsigned v,
                      const struct schema **out);

/* When each form version came: when (Unix seconds, 0 when not recorded),
 * the version before it (0 for the database's first) and the Unix
 * account. */
struct ledger_forms_entry {
	unsigned version;
	unsigned from;
	int64_t when;
	char by[RECORD_NAME_MAX];
};
/* The versions the database has had, oldest first, into out (up to max);
 * returns how many there are. */
size_t ledger_forms_history(struct ledger *lg, struct ledger_forms_entry *out,
                            size_t max);

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

/* Add new records in one write transaction, all or nothing, in memory
 * that does not grow with their number.  b->source(b->sctx, push, pctx)
 * reads the rows and calls push(pctx, rec) for each, in order, with a
 * record it filled (the ledger normalises its values; it is the source's
 * again when push returns); it returns push's first error, or its own, or
 * KP_OK at the end.  It may be called again, from its first row, when the
 * database had to grow beyond b->bytes, about how many bytes the rows hold
 * (a CSV file's size; 0 when not known), from which the database is sized
 * before the work starts.
 * Each row is checked like ledger_check, against the database as it was
 * before the batch, and warned of as a likely duplicate when an earlier
 * row of the batch has the same form, date and title; it is stored in the
 * same write transaction while no row has had an error.  b->found(b->fctx,
 * i, res) (may be NULL) is called from within push, for row i just pushed
 * (counting from 0), when it has findings (res holds the findings only,
 * the batch duplicate last); once for a row, however often the rows are
 * read.  total (check_result_init'ed, freed by the caller) receives the
 * impacts added up per (indicator, year): delta the change the rows make
 * together, achieved the progress after all of them.  *nrows (may be
 * NULL): the rows read.  first_id (may be NULL): the id of row 0 when the
 * rows were stored; row i has record_id_add(first_id, i).  KP_E_DATA if
 * any row has an error: nothing stored.  A stop asked for (stop.h) is
 * honoured before each row is checked and before the commit: KP_E_INTR,
 * nothing stored. */
typedef int (*ledger_push_fn)(void *pctx, struct record *rec);
typedef int (*ledger_source_fn)(void *sctx, ledger_push_fn push, void *pctx);
typedef int (*ledger_found_fn)(void *fctx, size_t i,
                               const struct check_result *res);
struct ledger_batch {
	ledger_source_fn source;
	void *sctx;
	uint64_t bytes;
	ledger_found_fn found;
	void *fctx;
	/* The SHA-256 of what the rows come from (NULL: none), which the
	 * source has filled in by the time it returns.  Rows stored remember
	 * it (DB_META); the same again is refused with KP_E_DATA after the
	 * rows were read and checked, nothing stored, saying when, by whom
	 * and how many rows (and *loaded set when loaded is not NULL), unless
	 * again, or unless every record of that load has been deleted since.
	 * Each load still stored is remembered (an add with again too), and
	 * the refusal names the earliest.  A batch of no rows is not
	 * remembered. */
	const unsigned char *digest;
	bool again;
	bool *loaded;
	/* The file's name (its folders left out), said with the refusal of a
	 * later load; NULL: none. */
	const char *name;
	/* Another digest of the same rows (NULL: none), as an earlier kepu
	 * kept it: a load remembered under it refuses them too (unless
	 * again); the batch is remembered under digest only. */
	const unsigned char *digest_seq;
	/* The line of the source on which row i (0-based, in the order
	 * pushed) began, for a warning that names an earlier row ("line 12
	 * of this file"); NULL, or 0 returned: it is named by its place in
	 * the batch. */
	size_t (*row_line)(void *sctx, size_t i);
};
int ledger_add_rows(struct ledger *lg, const struct ledger_batch *b,
                    struct check_result *total,
                    char first_id[RECORD_ID_LEN + 1], size_t *nrows);

/* ledger_add_rows over records held in an array: the rows are copies of
 * recs[i], which are not normalised or stamped in place (ledger_get gives
 * the stored records).  results[i] (n entries, initialised) receives the
 * findings of recs[i], not its impacts; recs[i].id the new id, or "" when
 * nothing was stored.  KP_E_DATA if any record has an error: nothing
 * stored. */
int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results);

/* Replace the fields of record id with those of rec (bookkeeping fields of
 * rec and its attachments are ignored: the record keeps its attachments,
 * which ledger_attach and ledger_detach change).  base_rev is the revision the change started from:
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

/* ---- attachments (ledger_attach.c; attach.h judges the files) ---- */

/* Attach n files (read by attach_read) to record id: a new revision
 * (audit action "attach") whose attachments are the stored ones and
 * these, by this user now; the fields and form version stay as they are
 * (they are not checked again).  The bytes are stored under their SHA-256
 * in the same transaction, once: a file attached already (to this record
 * or another) is not stored again.  base_rev is the revision the change
 * started from (0: whatever is stored).  KP_OK, with the new revision in
 * *out (may be NULL); KP_NOTFOUND for an unknown or deleted record;
 * KP_E_DATA when a name is there already or given twice (detach first);
 * KP_E_TEMPFAIL when the record moved on from base_rev (*out then holds
 * the stored revision); KP_E_USAGE in a city database (a revision made
 * there would clash with the township's next).  Nothing is stored unless
 * KP_OK. */
struct attach_file;
int ledger_attach(struct ledger *lg, const char *id, uint32_t base_rev,
                  const struct attach_file *files, size_t n,
                  struct record *out);

/* Take the attachment named name off record id: a new revision (audit
 * action "detach").  The bytes stay in the database (the revisions
 * before still name them).  Errors as ledger_attach; KP_NOTFOUND also
 * when the record has no attachment of that name. */
int ledger_detach(struct ledger *lg, const char *id, uint32_t base_rev,
                  const char *name, struct record *out);

/* Each attachment of record id (its newest revision, a tombstone's too),
 * in the record's order: fn gets it borrowed for the call and whether
 * its bytes are in this database (a city that took a bundle exported
 * with --no-attachments has the list without the bytes).  fn returns
 * KP_OK to go on, KP_NOTFOUND to stop.  KP_NOTFOUND for an unknown id. */
typedef int (*ledger_att_fn)(void *ctx, const struct record_att *a,
                             bool have_bytes);
int ledger_attach_list(struct ledger *lg, const char *id, ledger_att_fn fn,
                       void *ctx);

/* The bytes of the attachment named name of record id, handed to sink
 * in one piece (borrowed from the map during the call), and what the
 * record says of it in *meta (may be NULL).  KP_NOTFOUND (no such record,
 * or no such attachment), KP_E_NOINPUT (the bytes have not arrived),
 * or sink's error. */
int ledger_attach_get(struct ledger *lg, const char *id, const char *name,
                      int (*sink)(void *ctx, const void *p, size_t n),
                      void *ctx, struct record_att *meta);

/* The stored bytes by their SHA-256 (bundles): whether they are here;
 * handing them to sink (KP_NOTFOUND when absent); storing bytes in a
 * transaction of their own unless they are there (*added says whether
 * they were stored now; KP_E_DATA when data does not have that digest). */
int ledger_attach_have(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                       bool *have);
int ledger_attach_bytes(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                        int (*sink)(void *ctx, const void *p, size_t n),
                        void *ctx);
int ledger_attach_put(struct ledger *lg, const unsigned char sha[RECORD_SHA_LEN],
                      const void *data, size_t len, bool *added);

/* How many files the database holds (each stored once) and their bytes. */
int ledger_attach_count(struct ledger *lg, size_t *n, uint64_t *bytes);
/* The same, each file's bytes checked against its SHA-256: fn (may be
 * NULL) gets a message for each damaged one.  KP_E_DATA when there is
 * any. */
int ledger_attach_verify(struct ledger *lg, void (*fn)(void *ctx, const char *msg),
                         void *ctx, size_t *n, uint64_t *bytes);

/* Records newest first (by id, i.e. creation time), or oldest first.
 * Only live records unless include_deleted.  form/month/text filters may
 * be NULL; month is "YYYY-MM", year 0 means any; text matches any field
 * value (substring).  Starts strictly after `after_id` in the order of the
 * walk (NULL: from the newest, or the oldest) and stops after limit
 * matches (0: no limit).  fn gets a borrowed record valid during the call;
 * return KP_OK to go on, KP_NOTFOUND to stop.  One record in memory at a
 * time, however many there are. */
struct ledger_query {
	const char *form;
	int year;
	const char *month;
	const char *text;
	bool include_deleted;
	const char *after_id;
	size_t limit;
	bool oldest_first;
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
/* The same for one group of a grouped tally (group as in struct
 * contribution: a code, or "" for records leaving the field blank); a
 * NULL group is ledger_total. */
int ledger_total_group(struct ledger *lg, int year, const char *township,
                       const char *indicator, const char *group,
                       struct ledger_total *out);

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
/* The same for only the newest revision of each record changed after
 * after_seq (what a bundle carries), in sequence order, in one read
 * transaction: a revision is passed when its record's latest is it.
 * *last (may be NULL) receives the highest sequence number that
 * transaction saw.  Memory holds one record, however many changed. */
int ledger_changes_latest(struct ledger *lg, uint64_t after_seq,
                          ledger_change_fn fn, void *ctx, uint64_t *last);

/* ---- history (ledger_log.c) ---- */

/* What a change did to one field: before and after as stored ("" for no
 * value).  field is a field id, or one of these for what is not a field:
 * an attachment put on (before "", after its name) or taken off (before
 * its name, after ""), the record deleted (before "0", after "1"), the
 * forms moved from one version to another (before and after versions), a
 * year's event (after: the year, then the reason when there is one). */
#define LEDGER_LOG_ATTACHMENT "#attachment"
#define LEDGER_LOG_DELETED "#deleted"
#define LEDGER_LOG_FORMS "#forms"
#define LEDGER_LOG_YEAR "#year"      /* closed, reopened, approved, returned:
                                      * after is the year (and the reason) */
struct ledger_log_change {
	const char *field;
	const char *before;
	const char *after;
};

/* One change, or one event that is no record's (a forms update).  Every
 * pointer is borrowed for the call of the ledger_log_fn only. */
struct ledger_log_entry {
	const char *origin;      /* the database it was made in: a township's
	                          * id, or "all" (the city) */
	uint64_t seq;            /* its change number there; 0 for an event */
	uint64_t here;           /* the change of this database it came with
	                          * (a merge brings several of another's); 0
	                          * for an event */
	int64_t when;            /* Unix seconds (UTC), when it was made */
	const char *who;         /* the Unix account that made it */
	const char *action;      /* add, edit, delete, attach, detach, merge,
	                          * forms */
	const char *id;          /* the record ("" for an event) */
	const char *form, *township;
	uint32_t rev;            /* the revision it made (0 for an event) */
	const struct ledger_log_change *changes;  /* in the form's order */
	size_t nchanges;
};

/* What to walk.  A record's history (id) or every change and event,
 * newest first; with oldest_first (for bundles), the changes numbered in
 * (after_seq, upto_seq] (upto_seq 0: to the last) oldest first, without
 * events.  since (Unix seconds, 0: all) leaves out what was made before.
 * A merge of a revision made elsewhere comes as the changes the sending
 * database made to reach it (when its bundle brought them: DB_HISTORY)
 * next to the merge entry itself (then with no changes), newest first
 * the merge before them; otherwise as the merge entry with the
 * difference it made. */
struct ledger_log_query {
	const char *id;
	int64_t since;
	bool oldest_first;
	uint64_t after_seq, upto_seq;
};
typedef int (*ledger_log_fn)(void *ctx, const struct ledger_log_entry *e);

/* Hand each entry to fn in turn (KP_OK goes on, KP_NOTFOUND stops, an
 * error is returned), holding none but the one being handed: the walk
 * costs the same memory for ten changes or a million.  KP_NOTFOUND (with
 * a message) for an id the database has never had. */
int ledger_log(struct ledger *lg, const struct ledger_log_query *q,
               ledger_log_fn fn, void *ctx);

/* Record id as it was once the changes up to number seq were made: its
 * newest revision numbered seq or lower, into out (record_init'ed).
 * KP_NOTFOUND when it had none then (or an audit entry on the way is
 * unreadable). */
int ledger_revision_at(struct ledger *lg, const char *id, uint64_t seq,
                       struct record *out);

/* Keep a change made in another database (from a bundle's history.csv)
 * inside a write transaction, under (e->id, e->rev, e->origin): the log
 * then shows it for a merge of that record.  The same entry again
 * changes nothing; another for the same key replaces it. */
int ledger_history_put(struct store_txn *t, const struct ledger_log_entry *e);

/* The log as CSV (docs/bundle-format.md, history.csv; kepu log --csv):
 * the header origin, seq, changed_at, changed_by, action, id, township,
 * form, rev, field, before, after, and a row per change of an entry (one
 * with field empty when it changed none).  Return the writer's status. */
struct csvw;
int ledger_log_csv_head(struct csvw *w);
int ledger_log_csv_entry(struct csvw *w, const struct ledger_log_entry *e);

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
 * the caller record its own bookkeeping (DB_BUNDLES); its error aborts all.
 * A stop asked for (stop.h) is honoured before each revision: KP_E_INTR,
 * nothing stored. */
int ledger_merge(struct ledger *lg, struct record *recs, size_t n,
                 bool dry_run, enum merge_outcome *outcomes,
                 struct check_result *results,
                 int (*extra)(struct store_txn *t, void *ctx),
                 void *extra_ctx);


/* ---- closing a year, the city's decisions, who has reported
 *      (ledger_years.c, ledger_reported.c) ----
 *
 * A township closes a year when its figures for it are final: records
 * dated in a closed year can be neither added, edited nor deleted, by any
 * path (ledger_add, ledger_add_rows, ledger_edit, ledger_delete,
 * ledger_merge), until the township reopens it with a reason.  Closing and
 * reopening are the township's year events, numbered by the township
 * (DB_META "seq:years"); they travel to the city in its next data bundle
 * (years.csv).  The city approves or returns a closed year (its decisions,
 * numbered by the city, "seq:decisions"), and the decisions travel back in
 * a decision bundle.  Both sides keep every event and decision for good:
 * they are the audit trail of the year (docs/architecture.md gives the
 * layout of DB_YEARS). */

enum year_event_kind {
	YE_NONE,
	YE_CLOSED,        /* the township closed the year */
	YE_REOPENED,      /* ... and reopened it (with a reason) */
	YE_APPROVED,      /* the city approved the closed year */
	YE_RETURNED,      /* the city returned it (with a reason) */
};

#define LEDGER_REASON_MAX 1024    /* bytes of a reason, NUL included */
#define LEDGER_REASON_CELLS 200   /* its longest display width */

struct year_event {
	enum year_event_kind kind;
	char township[RECORD_NAME_MAX];
	int year;
	uint64_t seq;            /* closed, reopened: the township's number of
	                          * the event; approved, returned: the city's
	                          * number of the decision */
	uint64_t close_seq;      /* a decision: the number of the township's
	                          * close it judges; else 0 */
	char by[RECORD_NAME_MAX];  /* Unix account */
	int64_t at;              /* Unix seconds, when it was made */
	int64_t received_at;     /* when it arrived in a bundle; 0: made here */
	char reason[LEDGER_REASON_MAX];  /* "" for a close or an approval */
};

/* "closed", "reopened", "approved", "returned" (CSV contract; "" for
 * YE_NONE), and back (YE_NONE for another word). */
const char *year_event_word(enum year_event_kind k);
enum year_event_kind year_event_kind_of(const char *word);
/* For people: 已关闭 已重开 已通过 已退回 (or the English words). */
const char *year_event_label(enum year_event_kind k);

/* Township database: close year (from the first plan's first year to the
 * working year).  KP_OK with the event in *out (may be NULL); KP_NOTFOUND
 * (message: since when) when it is closed already, nothing changed;
 * KP_E_USAGE in a city database; KP_E_DATA for a year outside those. */
int ledger_year_close(struct ledger *lg, int year, struct year_event *out);
/* Reopen a closed year, saying why (reason: required, storable text of at
 * most LEDGER_REASON_CELLS cells).  KP_E_DATA when the year is not
 * closed or the reason is missing or unfit; KP_E_USAGE in a city
 * database. */
int ledger_year_reopen(struct ledger *lg, int year, const char *reason,
                       struct year_event *out);
/* City database: approve (YE_APPROVED; reason may be NULL) or return
 * (YE_RETURNED; reason required) township's year, which must be closed
 * (its latest event the city has received is a close: KP_E_DATA
 * otherwise, saying what it is).  The same decision on the same close
 * again changes nothing (KP_NOTFOUND, message says so).  KP_E_USAGE in a
 * township database; KP_E_DATA for an unknown township. */
int ledger_year_decide(struct ledger *lg, const char *township, int year,
                       enum year_event_kind decision, const char *reason,
                       struct year_event *out);

/* Where a township's year stands, as this database knows it. */
struct year_state {
	int year;
	bool closed;                /* its latest event is a close */
	struct year_event event;    /* that latest event (kind YE_NONE: the
	                             * year was never closed) */
	struct year_event decision; /* the city's latest decision on the year
	                             * (kind YE_NONE: none) */
	bool decision_current;      /* the decision judges the latest close
	                             * (false when the year was reopened or
	                             * closed again since) */
	size_t nevents;             /* the township's events for the year */
};
int ledger_year_state(struct ledger *lg, const char *township, int year,
                      struct year_state *out);

/* Where the year stands, for people, into buf (returned): 未关闭,
 * 已关闭，待市里审核, 已通过, 已退回：理由, 已重开：理由 (or in English: open,
 * closed, awaiting the city, approved, returned: REASON, reopened:
 * REASON). */
const char *year_state_text(const struct year_state *st, char *buf,
                            size_t size);

/* The years township has closed now (ascending) into out (up to max);
 * returns how many there are, or 0 on a read error (message set). */
size_t ledger_years_closed(struct ledger *lg, const char *township,
                           int *out, size_t max);

/* Every year event (YE_CLOSED, YE_REOPENED) with township numbers after
 * `after` (events), or every decision (decisions) of township (NULL:
 * every township), by township then number; fn gets a borrowed event
 * valid during the call and returns KP_OK to go on, KP_NOTFOUND to stop.
 * This is what `kepu received --events` lists. */
typedef int (*ledger_year_fn)(void *ctx, const struct year_event *ev);
int ledger_year_events(struct ledger *lg, const char *township,
                       bool decisions, uint64_t after, ledger_year_fn fn,
                       void *ctx);

/* Township database: take the city's decisions on this township's years
 * (a decision bundle), in one write transaction with extra (may be NULL;
 * its error aborts all).  A decision stored already (same number, same
 * contents) is left; one with the number of a stored one but other
 * contents is refused (KP_E_DATA), as is one for another township.
 * *n_new (may be NULL) counts those stored.  dry_run stores nothing. */
int ledger_decisions_take(struct ledger *lg, const struct year_event *dec,
                          size_t n, bool dry_run,
                          int (*extra)(struct store_txn *t, void *ctx),
                          void *extra_ctx, size_t *n_new);

/* What came with a township's revisions in one of its data bundles,
 * merged with them by ledger_merge_bundle (city database). */
struct merge_bundle {
	const char *township;          /* the sender */
	const struct year_event *events;  /* its year events (years.csv) */
	size_t nevents;
	const int *years;              /* the years its progress report covers */
	size_t nyears;
	size_t events_new;             /* out: events not received before */
	bool events_conflict;          /* out: the merge failed on an event */
};

/* ledger_merge for a township's bundle: in the same transaction its year
 * events are stored (after the revisions: a revision is judged by the
 * year's state before the bundle), and the years it reports for are
 * marked (those of mb->years and of every row's date, whatever the
 * row's outcome).  A revision that changes a record of a year the
 * township has closed (as the city knows before this bundle) is
 * MERGE_REJECTED with an FK_CLOSED error, unless the bundle holds a
 * reopening of that year the city had not received.  An event whose
 * number the city has for other contents, or of another township, makes
 * the whole merge fail (KP_E_DATA, message set).  mb may be NULL (then it
 * is ledger_merge). */
int ledger_merge_bundle(struct ledger *lg, struct record *recs, size_t n,
                        struct merge_bundle *mb, bool dry_run,
                        enum merge_outcome *outcomes,
                        struct check_result *results,
                        int (*extra)(struct store_txn *t, void *ctx),
                        void *extra_ctx);

/* The same a revision at a time, in memory that does not grow with them
 * (a bundle's rows as they are read).  src(sctx, t, merge, mctx) calls
 * merge(mctx, rec, &out, res) for each revision in order, inside the one
 * write transaction t, in which it may write its own bookkeeping after
 * them; it may be called again from its first revision, when the database
 * had to grow beyond bytes (about what the revisions hold, to size it
 * before the work starts; 0 when not known).  merge checks rec as
 * ledger_merge does (normalising it; res receives its findings) and
 * stores it unless it is rejected; out says what happened to it.  All is
 * rolled back with dry_run, when src fails (its status), or when any
 * revision was rejected (KP_E_DATA; *rejected, may be NULL, says how many).
 * mb (may be NULL) is what came with them, as ledger_merge_bundle takes it;
 * the years the rows report for are those of the rows merge was given.
 * A stop asked for (stop.h) is honoured before each revision: KP_E_INTR,
 * nothing stored. */
typedef int (*ledger_merge_fn)(void *mctx, struct record *rec,
                               enum merge_outcome *out,
                               struct check_result *res);
typedef int (*ledger_merge_src)(void *sctx, struct store_txn *t,
                                ledger_merge_fn merge, void *mctx);
int ledger_merge_rows(struct ledger *lg, ledger_merge_src src, void *sctx,
                      struct merge_bundle *mb, uint64_t bytes, bool dry_run,
                      size_t *rejected);

/* City database: whether township has reported for year: a data bundle
 * of it was imported holding a record dated in that year or a progress
 * report covering it, or the city stored one of its records dated in it
 * itself.  In a city database made before this was kept and not opened
 * for writing since, every township counts as reported (*yes true).  In
 * a township database: always true. */
int ledger_reported(struct ledger *lg, const char *township, int year,
                    bool *yes);
/* The years township reported for, ascending, into out (up to max);
 * returns how many, 0 on a read error (message set). */
size_t ledger_reported_years(struct ledger *lg, const char *township,
                             int *out, size_t max);

#endif
