/* ledger_int.h - what the ledger's files share; not part of the core's
 * interface (ledger.h is).
 *
 * The ledger is nine files, one job each, and each uses only files below
 * it (besides the core's other modules: store, schema, record, check,
 * quota, text):
 *
 *   file             job                                 uses
 *   ledger_sync.c    the change sequence; merging        write read
 *                    revisions made elsewhere
 *   ledger_batch.c   adding many new records in one      write check totals
 *                    transaction                         key
 *   ledger_write.c   adding, editing, deleting one       check totals read
 *                    record; storing a revision with     key
 *                    its indexes, totals and audit entry
 *   ledger_check.c   the checks: rules, likely           totals read key
 *                    duplicates, implausible values,
 *                    quota impact
 *   ledger_totals.c  totals (applied, read, recounted),  read key
 *                    quotas, survey values
 *   ledger_read.c    reading records: by id, lists,      -
 *                    counts
 *   ledger_key.c     the keys of the indexes and totals  -
 *   ledger_draft.c   drafts                              -
 *   ledger.c         creating, opening and closing a     forms
 *                    database; its townships
 *   ledger_forms.c   the versions of the form set:       totals read key
 *                    reading, checking, storing a new
 *                    one
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

/* form \0 date \0 key values (the form's key fields, joined by U+001F) of
 * a record, for DB_DUPKEY; 0 when the record has no date or key value. */
size_t ledger_dup_key(const struct ledger *lg, const struct record *r,
                      char buf[LEDGER_KEY_MAX]);

/* form \0 date \0 id of a record, for DB_BY_DATE. */
size_t ledger_date_key(const struct ledger *lg, const struct record *r,
                       char buf[LEDGER_KEY_MAX]);
/* The record's date (its form's date field), "" when it has none. */
const char *ledger_rec_date(const struct ledger *lg, const struct record *r);

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

/* The checks of ledger_check in two parts: the form's rules and the
 * township (no database), then the database's (duplicates, implausible
 * values, quota impact) inside transaction t.  scratch is a record the
 * caller record_init'ed and frees; it holds the stored revision of an
 * edited record. */
int ledger_check_rules(struct ledger *lg, struct record *rec,
                       struct check_result *res);
int ledger_check_db(struct store_txn *t, struct ledger *lg,
                    struct record *rec, struct check_result *res,
                    struct record *scratch);

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

/* The warning of a row whose form, date and title an earlier row
 * (index first) of the same batch has. */
int ledger_warn_batch_dup(struct check_result *res, size_t first);

/* KP_E_DATA with "the record has errors; nothing stored". */
int ledger_refuse(void);

/* ---- ledger_write.c ------------------------------------------------------- */

/* Id, revision 1, created and changed by this user at now. */
void ledger_stamp_new(const struct ledger *lg, struct record *r, int64_t now);

/* Store the bytes of revision rec alone (no indexes, no totals): in
 * DB_CHANGES under the next sequence number, DB_RECORDS pointing there,
 * and its audit entry (action; the revision it replaces when `replaces`).
 * buf is scratch space. */
int ledger_put_revision(struct store_txn *t, struct ledger *lg, bool replaces,
                        const struct record *rec, const char *action,
                        struct sbuf *buf);

/* Store revision rec of a record whose previous stored revision is old
 * (NULL for a new id): the record, its indexes, the totals, the change
 * sequence and the audit log ("add", "edit", "delete", "merge"). */
int ledger_store_revision(struct store_txn *t, struct ledger *lg,
                          const struct record *old, const struct record *rec,
                          const char *action);

#endif
