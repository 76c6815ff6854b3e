/* ledger_int.h - what ledger.c and ledger_data.c share; not part of the
 * core's interface. */
#ifndef KEPU_LEDGER_INT_H
#define KEPU_LEDGER_INT_H

#include "ledger.h"

/* Longest key built here: form \0 date \0 title stays well under LMDB's
 * 511-byte key limit because titles are cut at LEDGER_TITLE_KEY_MAX. */
#define LEDGER_KEY_MAX 480
#define LEDGER_TITLE_KEY_MAX 360

/* year(4 digits) \0 township \0 indicator, for DB_TOTALS and DB_QUOTAS.
 * Returns the key length. */
size_t ledger_key3(char buf[LEDGER_KEY_MAX], int year, const char *township,
                   const char *indicator);

/* form \0 date \0 title (or name) of a record, for DB_DUPKEY; 0 when the
 * record has no date or title. */
size_t ledger_dup_key(const struct ledger *lg, const struct record *r,
                      char buf[LEDGER_KEY_MAX]);

/* The stored total under key (zeros and KP_OK when absent); KP_E_DATA
 * when the stored value has the wrong size. */
int ledger_total_in(struct store_txn *t, const char *key, size_t kn,
                    struct ledger_total *out);

/* Read record id inside a transaction into out (record_init'ed or
 * freed).  KP_NOTFOUND when absent. */
int ledger_load_in(struct store_txn *t, const char *id, struct record *out);

/* Store revision rec of a record whose previous stored revision is old
 * (NULL for a new id): the record, its indexes, the totals, the change
 * sequence and the audit log ("add", "edit", "delete", "merge"). */
int ledger_store_revision(struct store_txn *t, struct ledger *lg,
                          const struct record *old, const struct record *rec,
                          const char *action);

/* Whether township is a township of the schema (city records) or, in a
 * township database, the database's own. */
bool ledger_township_ok(const struct ledger *lg, const char *township);

#endif
