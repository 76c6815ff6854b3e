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

/* form \0 date \0 id of a record, for DB_BY_DATE. */
size_t ledger_date_key(const struct record *r, char buf[LEDGER_KEY_MAX]);

/* The stored total under key (zeros and KP_OK when absent); KP_E_DATA
 * when the stored value has the wrong size. */
int ledger_total_in(struct store_txn *t, const char *key, size_t kn,
                    struct ledger_total *out);

/* Read record id inside a transaction into out (record_init'ed or
 * freed).  KP_NOTFOUND when absent. */
int ledger_load_in(struct store_txn *t, const char *id, struct record *out);

/* The township's quota for ind inside a transaction (year ignored for
 * plan-period indicators).  KP_OK or KP_NOTFOUND. */
int ledger_quota_in(struct store_txn *t, const struct indicator *ind,
                    int year, const char *township, double *target);

/* The encoded record a DB_RECORDS value stands for: the value is the
 * sequence number (8 bytes big-endian) of the record's latest revision in
 * DB_CHANGES, which holds the bytes.  *bytes is borrowed like any value.
 * KP_E_DATA when the value is not such a pointer or the revision is
 * missing (a damaged database). */
int ledger_record_bytes(struct store_txn *t, const void *v, size_t vn,
                        const void **bytes, size_t *n);

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

/* Adds of many new records in one transaction.  The revisions are stored
 * at once (ledger_batch_add); the index entries wait in memory and are
 * written in key order at the end, which fills LMDB's pages instead of
 * splitting them half empty; the totals are read and written once per
 * (year, township, indicator) instead of once per record.  Until
 * ledger_batch_finish, DB_TOTALS and DB_DUPKEY hold what they held before
 * the batch, which is what the batch's checks must see. */
struct batch_entry {
	size_t off, kn;         /* key in keys */
	size_t row;
	bool dup;               /* DB_DUPKEY (value: the row's id), else DB_BY_DATE */
};

struct batch_total {
	char key[LEDGER_KEY_MAX];
	size_t kn;
	struct ledger_total tot;
};

struct ledger_batch {
	struct ledger *lg;
	struct sbuf keys;
	struct batch_entry *e;
	size_t ne, cape;
	struct batch_total *tot;
	size_t ntot, captot;
	struct sbuf enc;        /* reused for every revision */
	char (*ids)[RECORD_ID_LEN + 1];  /* row -> id, set by ledger_batch_add */
	size_t nids;
};

void ledger_batch_init(struct ledger_batch *b, struct ledger *lg);
void ledger_batch_reset(struct ledger_batch *b);   /* empty, keeps memory */
void ledger_batch_free(struct ledger_batch *b);
/* Remember rec's duplicate key under row (rows in increasing order) without
 * storing anything: ledger_batch_add does it too; this is for rows that
 * will not be stored but still count as earlier rows of the batch. */
int ledger_batch_dupkey(struct ledger_batch *b, const struct record *rec,
                        size_t row);
/* Store new record rec (stamped) as row `row` of the batch. */
int ledger_batch_add(struct store_txn *t, struct ledger_batch *b,
                     const struct record *rec, size_t row);
/* Sort the deferred duplicate keys (by key, then row) and call fn for
 * every row whose key an earlier row has, with that earliest row. */
int ledger_batch_duplicates(struct ledger_batch *b,
                            int (*fn)(void *ctx, size_t row, size_t first),
                            void *ctx);
/* Write the deferred index entries of the stored rows and the totals. */
int ledger_batch_finish(struct store_txn *t, struct ledger_batch *b);

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
/* Id, revision 1, created and changed by this user at now. */
void ledger_stamp_new(const struct ledger *lg, struct record *r, int64_t now);
/* The warning of a row whose form, date and title an earlier row
 * (index first) of the same batch has. */
int ledger_warn_batch_dup(struct check_result *res, size_t first);
/* KP_E_DATA with "the record has errors; nothing stored". */
int ledger_refuse(void);

/* Whether township is a township of the schema (city records) or, in a
 * township database, the database's own. */
bool ledger_township_ok(const struct ledger *lg, const char *township);

#endif
