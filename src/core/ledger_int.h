/* ledger_int.h - what the ledger's files share; not part of the core's
 * interface (ledger.h is).
 *
 * The ledger is fifteen files, one job each, and each uses only files
 * below it (besides the core's other modules: store, schema, record,
 * check, quota, text, attach):
 *
 *   file             job                                 uses
 *   ledger.c         creating, opening and closing a     forms reported
 *                    database; its townships
 *   ledger_close.c   closing and reopening a year, the   years
 *                    city's decisions on it
 *   ledger_sync.c    the change sequence; merging        forms write read
 *                    revisions made elsewhere (with a    years reported
 *                    township's year events)
 *   ledger_log.c     the history, field by field, from   forms years read
 *                    the audit chain; history brought
 *                    by bundles (DB_HISTORY)
 *   ledger_attach.c  attaching, detaching, listing;      write read
 *                    the bytes stored by SHA-256
 *   ledger_forms.c   the versions of the form set:       totals read key
 *                    reading, checking, storing a new
 *                    one
 *   ledger_batch.c   adding many new records in one      write check totals
 *                    transaction                         key
 *   ledger_write.c   adding, editing, deleting one       check reported
 *                    record; storing a revision with     totals read key
 *                    its indexes, totals and audit entry years
 *   ledger_check.c   the checks: rules, likely           totals read key
 *                    duplicates, implausible values,     years
 *                    quota impact, closed years
 *   ledger_reported.c who has reported (city): the       read years key
 *                    marks, the upgrade of older
 *                    databases
 *   ledger_totals.c  totals (applied, read, recounted),  read key
 *                    quotas, survey values
 *   ledger_read.c    reading records: by id, lists,      -
 *                    counts
 *   ledger_years.c   year events (closing, reopening,    key
 *                    the city's decisions): storing,
 *                    a year's state, the guard on
 *                    closed years
 *   ledger_key.c     the keys of the indexes and totals  -
 *   ledger_draft.c   drafts                              -
 *
 * Every file but ledger_draft.c includes this header.  Below: the sizes
 * of keys and messages the files share, then
 * each file's declarations under that file's name.
 */
#ifndef KEPU_LEDGER_INT_H
#define KEPU_LEDGER_INT_H

#include <stdint.h>
#include <stdlib.h>

#include "array.h"
#include "ledger.h"
#include "text.h"

/* Longest key built here: form \0 date \0 title stays well under LMDB's
 * 511-byte key limit because titles are cut at LEDGER_TITLE_KEY_MAX. */
#define LEDGER_KEY_MAX 480
#define LEDGER_TITLE_KEY_MAX 360

/* Room for one message (one language) of a finding or a report line. */
#define LEDGER_MSG_MAX 512


/* ---- ledger_key.c --------------------------------------------------------- */

/* year(4 digits) \0 township \0 indicator, for DB_TOTALS and DB_QUOTAS.
 * Returns the key length. */
size_t ledger_key3(char buf[LEDGER_KEY_MAX], int year, const char *township,
                   const char *indicator);
/* The DB_TOTALS key of a total: ledger_key3, and for a grouped tally's
 * group (not NULL; "" for blank) \0 group after it. */
size_t ledger_key_total(char buf[LEDGER_KEY_MAX], int year,
                        const char *township, const char *indicator,
                        const char *group);
/* ledger_key_total of contribution c of a record of township. */
size_t ledger_key_contrib(char buf[LEDGER_KEY_MAX], const char *township,
                          const struct contribution *c);

/* form \0 date \0 key values (the form's key fields, joined by U+001F) of
 * a record, for DB_DUPKEY; 0 when the record has no date or key value. */
size_t ledger_dup_key(const struct ledger *lg, const struct record *r,
                      char buf[LEDGER_KEY_MAX]);

/* form \0 date \0 id of a record, for DB_BY_DATE. */
size_t ledger_date_key(const struct ledger *lg, const struct record *r,
                       char buf[LEDGER_KEY_MAX]);
/* The record's date (its form's date field), "" when it has none. */
const char *ledger_rec_date(const struct ledger *lg, const struct record *r);

/* ---- ledger_years.c ------------------------------------------------------- */

/* A DB_YEARS key: letter \0 township \0 year as 4 digits (the "c" and
 * "r" keys).  Returns its length. */
size_t ledger_year_key(char buf[LEDGER_KEY_MAX], char letter,
                       const char *township, int year);

/* ledger_year_state inside a transaction. */
int ledger_year_state_in(struct store_txn *t, const char *township, int year,
                         struct year_state *st);

/* Store a year event or decision ev under its number (the "c" key of its
 * year follows an event): KP_OK with *is_new false when it is stored
 * already, KP_E_DATA when its number is stored with other contents. */
int ledger_year_event_put_in(struct store_txn *t, const struct year_event *ev,
                             bool *is_new);
/* Whether ev's number is stored (ev's contents aside). */
int ledger_year_event_known_in(struct store_txn *t,
                               const struct year_event *ev, bool *known);

/* Whether township has closed year: KP_OK with *closed, and when it is and
 * ev is not NULL, the close in *ev. */
int ledger_year_closed_in(struct store_txn *t, const char *township, int year,
                          bool *closed, struct year_event *ev);
/* Whether storing rec in place of old (the stored revision; NULL for a new
 * record) changes a closed year: rec's, or old's when rec moves out of
 * it.  KP_OK with *closed and the close in *ev. */
int ledger_closed_of(struct store_txn *t, const struct ledger *lg,
                     const struct record *rec, const struct record *old,
                     bool *closed, struct year_event *ev);
/* The refusal of a change to the year ev closed: as an FK_CLOSED error in
 * res (late: a revision that reached the city after the close), or as
 * KP_E_DATA with the message. */
int ledger_closed_finding(const struct ledger *lg, const struct year_event *ev,
                          bool late, struct check_result *res);
int ledger_closed_refuse(const struct ledger *lg, const struct year_event *ev);
/* ledger_closed_of, refused with ledger_closed_refuse: what
 * ledger_store_revision runs, so that a year closed since the checks
 * still holds. */
int ledger_closed_guard(struct store_txn *t, const struct ledger *lg,
                        const struct record *rec, const struct record *old);

/* ---- ledger_reported.c ---------------------------------------------------- */

/* Mark that township reported for year (a data bundle's import). */
int ledger_reported_mark_in(struct store_txn *t, const char *township,
                            int year);
/* Mark the year of rec's date for its township (a revision the city
 * stores). */
int ledger_reported_record_in(struct store_txn *t, const struct ledger *lg,
                              const struct record *rec);
/* A new database keeps the marks from the start (ledger_init). */
int ledger_reported_init_in(struct store_txn *t);
/* A city database made before the marks were kept gets them from its
 * records and the bundles it imported, once, when first opened for
 * writing.  Anything failing leaves it as it was (it is tried again). */
void ledger_reported_upgrade(struct ledger *lg);

/* ---- ledger_forms.c ------------------------------------------------------- */

/* The stored files of form version v inside a transaction (caller frees
 * with schema_files_free).  KP_NOTFOUND when there are none. */
int ledger_forms_files_in(struct store_txn *t, unsigned v,
                          struct schema_file **files, size_t *n);

/* ---- ledger_read.c -------------------------------------------------------- */

/* KP_NOTFOUND with "no such record: id". */
int ledger_not_found(const char *id);

/* The encoded record a DB_RECORDS value stands for: the value is the
 * sequence number (8 bytes big-endian) of the record's latest revision in
 * DB_CHANGES, which holds the bytes.  *bytes is borrowed like any value.
 * KP_E_DATA when the value is not such a pointer or the revision is
 * missing (a damaged database). */
int ledger_record_bytes(struct store_txn *t, const void *v, size_t vn,
                        const void **bytes, size_t *n);

/* Read record id inside a transaction into out (record_init'ed or
 * freed).  KP_NOTFOUND when absent. */
int ledger_load_in(struct store_txn *t, const char *id, struct record *out);

/* ---- ledger_totals.c ------------------------------------------------------ */

/* The stored total under key (zeros and KP_OK when absent); KP_E_DATA
 * when the stored value has the wrong size. */
int ledger_total_in(struct store_txn *t, const char *key, size_t kn,
                    struct ledger_total *out);

/* One contribution of amount more in tot: sum, count and largest. */
void ledger_total_add(struct ledger_total *tot, double amount);

/* Add (sign > 0) or take away (sign < 0) the contributions of record r to
 * the stored totals; a total whose count drops to zero is removed. */
int ledger_totals_apply(struct store_txn *t, struct ledger *lg,
                        const struct record *r, int sign);

/* The township's quota for ind inside a transaction (year ignored for
 * plan-period indicators).  KP_OK or KP_NOTFOUND. */
int ledger_quota_in(struct store_txn *t, const struct ledger *lg,
                    const struct indicator *ind, int year,
                    const char *township, double *target);

/* ---- ledger_check.c ------------------------------------------------------- */

/* The rows of a batch as the database checks see them (ledger_batch.c):
 * row i has the id record_id_add(first, i), and the n rows before the one
 * checked may have their duplicate-index entries in DB_DUPKEY already.  A
 * record among them with the same form, date and title is no "likely
 * duplicate of record ..." warning: ledger_check_db sets dup and dup_row
 * (the earliest such row) for the batch to word. */
/* The year before's total of an indicator for a township, as the batch
 * found it (DB_TOTALS does not change until the batch's end). */
struct ledger_yard {
	const struct indicator *ind;
	int year;
	char township[RECORD_NAME_MAX];
	struct ledger_total prev;
};
#define LEDGER_YARD_MAX 64

struct ledger_batch_rows {
	const char *first;
	size_t n;
	bool dup;
	size_t dup_row;
	/* rec's contributions (quota_contributions), worked out once for
	 * its checks and its totals */
	const struct contribution *contrib;
	size_t ncontrib;
	/* NULL, or LEDGER_YARD_MAX entries kept for the whole batch, *nyard
	 * of them used */
	struct ledger_yard *yard;
	size_t *nyard;
};

/* The checks of ledger_check in two parts: the form's rules and the
 * township (no database), then the database's (duplicates, implausible
 * values, quota impact) inside transaction t.  scratch is a record the
 * caller record_init'ed and frees; it holds the stored revision of an
 * edited record.  batch: NULL, or the rows of the batch rec belongs to. */
int ledger_check_rules(struct ledger *lg, struct record *rec,
                       struct check_result *res);
int ledger_check_db(struct store_txn *t, struct ledger *lg,
                    struct record *rec, struct check_result *res,
                    struct record *scratch, struct ledger_batch_rows *batch);

/* Whether res holds what ledger_check found for rec as it is now (the
 * record's digest matches the one ledger_check kept). */
bool ledger_was_checked(const struct record *rec,
                        const struct check_result *res);

/* The quota impacts (no warnings) of storing rec (a tombstone counts
 * for nothing) in place of old, inside transaction t, added to res. */
int ledger_impacts_in(struct store_txn *t, struct ledger *lg,
                      struct record *rec, const struct record *old,
                      struct check_result *res);

/* Append a copy of im to res's impacts. */
int ledger_add_impact(struct check_result *res, const struct impact *im);

/* What a likely duplicate says of the stored record r (id id) it
 * repeats, in both languages (n bytes each): "2025-03-05 x is already
 * recorded, entered by … on … (id …)". */
void ledger_dup_said(const struct ledger *lg, const struct record *r,
                     const char *id, char *zh, char *en, size_t n);

/* The warning of a row whose form, date and title an earlier row
 * (index first) of the same batch has: named by the line of its file
 * when line is not 0. */
int ledger_warn_batch_dup(struct check_result *res, size_t first, size_t line);

/* KP_E_DATA with "the record has errors; nothing stored". */
int ledger_refuse(void);

/* ---- ledger_write.c ------------------------------------------------------- */

/* Id (id, or a new one when NULL), revision 1, created and changed by
 * this user at now. */
void ledger_stamp_new(const struct ledger *lg, struct record *r, int64_t now,
                      const char *id);

/* Store the bytes of revision rec alone (no indexes, no totals): in
 * DB_CHANGES under the next sequence number, DB_RECORDS pointing there,
 * and its audit entry (action; the revision it replaces when `replaces`).
 * buf is scratch space.  The sequence numbers come in order, and so do the
 * ids of a batch: ledger_put_new_revision is the same for a new record
 * whose id is expected to sort after every stored id (store_put_last). */
int ledger_put_revision(struct store_txn *t, struct ledger *lg, bool replaces,
                        const struct record *rec, const char *action,
                        struct sbuf *buf);
int ledger_put_new_revision(struct store_txn *t, struct ledger *lg,
                            const struct record *rec, const char *action,
                            struct sbuf *buf);

/* Store revision rec of a record whose previous stored revision is old
 * (NULL for a new id): the record, its indexes, the totals, the change
 * sequence and the audit log ("add", "edit", "delete", "merge",
 * "attach", "detach").  A change that is no merge to a record of a
 * closed year (rec's or old's) is refused: KP_E_DATA with the message of
 * ledger_closed_refuse. */
int ledger_store_revision(struct store_txn *t, struct ledger *lg,
                          const struct record *old, const struct record *rec,
                          const char *action);
/* The same with its index entries (DB_BY_DATE, DB_DUPKEY: add, or take
 * away when !add; val the dupsort value) handed to ix, which writes them
 * now or later in the same transaction (a merge: in key order). */
typedef int (*ledger_index_fn)(void *ctx, struct store_txn *t,
                               enum store_db db, const char *key, size_t kn,
                               const char *val, size_t vn, bool add);
int ledger_store_revision_ix(struct store_txn *t, struct ledger *lg,
                             const struct record *old,
                             const struct record *rec, const char *action,
                             ledger_index_fn ix, void *ctx);

#endif
