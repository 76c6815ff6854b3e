/* store.h - LMDB mechanics: one file, named sub-databases, transactions.
 *
 * The store knows nothing of forms or records: it keeps bytes under keys in
 * the sub-databases below and runs caller functions inside transactions.
 * Domain rules live in ledger.c.
 *
 * The database is one file plus "<file>-lock" (MDB_NOSUBDIR), default sync
 * durability.  Many processes may read and write at once: readers never
 * block, write transactions serialise.  store_open frees the reader slots
 * of dead processes (mdb_reader_check).
 */
#ifndef KEPU_STORE_H
#define KEPU_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_db {
	DB_META,      /* "schema_version", "mode", "township", "plan", ... */
	DB_FORMS,     /* file name -> the form files this database uses */
	DB_RECORDS,   /* id -> latest revision (ledger_int.h says how) */
	DB_BY_DATE,   /* form \0 date \0 id -> "" */
	DB_DUPKEY,    /* form \0 date \0 title -> id (dupsort) */
	DB_TOTALS,    /* year(4 digits) \0 township \0 indicator -> struct */
	DB_QUOTAS,    /* year \0 township \0 indicator -> target as text */
	DB_VALUES,    /* year \0 indicator -> city-entered value as text */
	DB_CHANGES,   /* seq (8 bytes big-endian) -> encoded record revision */
	DB_AUDIT,     /* change seq (8 bytes big-endian) -> audit entry */
	DB_DRAFTS,    /* user -> encoded draft record */
	DB_KEYS,      /* "sign_pk", "sign_sk", "trust:<township>" -> bytes */
	DB_BUNDLES,   /* "out:<seq>" / "in:<township>:<seq>" -> manifest */
	DB_YEARS,     /* year events, the city's decisions, closed years and
	               * who has reported (ledger_years.c says how) */
	DB_ATTACH,    /* SHA-256 (32 bytes) -> an attached file's bytes */
	DB_HISTORY,   /* id \0 rev (4 bytes big-endian) origin -> a change
	               * made in another database (ledger_log.c) */
	DB__COUNT
};

struct store;
struct store_txn;

enum {
	STORE_CREATE = 1 << 0,   /* create the file if missing */
	STORE_RDONLY = 1 << 1,
};

/* Open (or create) the database file at path.  Errors: KP_E_NOINPUT (no
 * such database and no STORE_CREATE), KP_E_NOPERM (the file, its lock file
 * or a folder on the way may not be opened by this user: said so, with
 * what and whose, never as a missing database), KP_E_CANTCREAT, KP_E_IO,
 * KP_E_TEMPFAIL (locked/busy).  A file that does not hold every page it
 * counts, or whose trees are impossible, is refused with KP_E_IO: "the
 * database file ... is damaged or incomplete; restore the backup" (so is
 * every later read or write that meets a damaged page); a full disk is
 * said to be full (KP_E_IO, or KP_E_CANTCREAT for a new file, which is
 * then not left behind).  A database on a network file system (NFS,
 * SMB/CIFS, FUSE) or a USB stick's (FAT, exFAT, NTFS) is refused with
 * KP_E_CANTCREAT: LMDB's lock needs shared maps and locks those do not
 * keep, and a stick pulled out loses the database. */
int store_open(const char *path, unsigned flags, struct store **out);
void store_close(struct store *st);   /* NULL is fine */
const char *store_path(const struct store *st);

/* Run fn inside a transaction.  store_write commits when fn returns KP_OK
 * and aborts otherwise, returning fn's status.  On MDB_MAP_FULL the
 * transaction is aborted, the map doubled and fn run again from the start:
 * fn must therefore have no effects outside the transaction (or undo
 * them when called again).  Values read inside fn are borrowed from the map
 * and valid only until fn returns: copy what must outlive it. */
typedef int (*store_txn_fn)(struct store_txn *t, void *ctx);
int store_read(struct store *st, store_txn_fn fn, void *ctx);
int store_write(struct store *st, store_txn_fn fn, void *ctx);

/* store_write for bulk work that will add about `bytes` to the file (0:
 * not known; then it is store_write).  Before the transaction starts the
 * map is made to hold the file's pages and those bytes, so that growing
 * it (MDB_MAP_FULL: the transaction runs again) happens only when the
 * estimate falls short.  Work of STORE_BULK_BIG bytes or more runs with
 * the transaction's pages written in place in the file's map
 * (MDB_WRITEMAP) instead of held in memory until the commit, so that
 * memory stays the same however many records it writes; their blocks are
 * reserved on the disk first (a full disk is said before any work: KP_E_IO
 * saying so).  The handle then stays in that mode until it is closed, and
 * the file is as large as the map (sparse: only its pages use the disk).
 * With $KEPU_MAPSIZE set (tests of growth) the map is not sized. */
#define STORE_BULK_BIG ((uint64_t)32 << 20)
int store_write_bulk(struct store *st, uint64_t bytes, store_txn_fn fn,
                     void *ctx);

/* Inside a transaction.  store_get: KP_OK (v/vn borrowed) or KP_NOTFOUND.
 * Every key and value handed out (here and by store_iter) lies whole in
 * the file and is never NULL; one that could not (a damaged file) is
 * refused with KP_E_IO: "the database file ... is damaged or incomplete;
 * restore the backup". */
int store_get(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void **v, size_t *vn);
int store_put(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void *v, size_t vn);
/* store_put of a key the caller expects to sort after every key of db
 * (a sequence number, an id made now): LMDB then fills pages to the brim
 * instead of splitting them in half (MDB_APPEND).  A key that does not
 * is put the ordinary way, so the guess is never wrong, only slower.
 * Not for DB_DUPKEY (put the ordinary way). */
int store_put_last(struct store_txn *t, enum store_db db, const void *k,
                   size_t kn, const void *v, size_t vn);
/* Delete a key (all its values in a dupsort db, or only value v when v is
 * not NULL).  KP_OK or KP_NOTFOUND. */
int store_del(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void *v, size_t vn);

/* Remove every entry of a sub-database (it stays, empty).  Only inside
 * store_write. */
int store_clear(struct store_txn *t, enum store_db db);

/* Walk keys in order starting at the first key >= start (NULL: the first
 * key; with reverse, the last key <= start, NULL: the last key).  fn
 * returns KP_OK to go on, KP_NOTFOUND to stop cleanly (store_iter then
 * returns KP_OK), or an error that store_iter returns. */
typedef int (*store_iter_fn)(void *ctx, const void *k, size_t kn,
                             const void *v, size_t vn);
int store_iter(struct store_txn *t, enum store_db db, const void *start,
               size_t startn, bool reverse, store_iter_fn fn, void *ctx);

/* Walk the values of one key of DB_DUPKEY (the one sub-database holding
 * several values per key) in order, from the first value >= from (NULL:
 * the key's first value), and no further than that key's last value.  fn
 * is called and answers as for store_iter, with k always equal to key. */
int store_iter_dups(struct store_txn *t, enum store_db db, const void *key,
                    size_t kn, const void *from, size_t fromn,
                    store_iter_fn fn, void *ctx);

/* Number of entries in a sub-database. */
int store_count(struct store_txn *t, enum store_db db, size_t *n);

/* Next value of a named counter kept in DB_META ("seq:changes"), starting
 * at 1.  Only inside store_write. */
int store_next_seq(struct store_txn *t, const char *counter, uint64_t *out);

/* Whether this transaction may write. */
bool store_txn_writable(const struct store_txn *t);

/* A compact hot copy of the database to a new file (mdb_env_copy2 with
 * MDB_CP_COMPACT, made by a child process), with the database's mode or
 * stricter (the umask takes away more): it holds the secret signing key
 * (keys.h).  KP_E_CANTCREAT if path exists
 * or cannot be made; KP_E_IO (the damage message) when the copy met a
 * damaged page; no file is left behind on failure. */
int store_backup(struct store *st, const char *path);

/* 8-byte big-endian encoding of a sequence number for keys. */
void store_be64(uint64_t v, unsigned char out[8]);
uint64_t store_from_be64(const unsigned char in[8]);

#endif
