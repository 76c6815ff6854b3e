/* store_guard.h - LMDB calls that a damaged file cannot turn into a crash.
 *
 * Internal to store.c.  LMDB trusts the pages of its file: a flipped byte
 * in a node's flags, offsets or sizes makes it read outside the page, the
 * map or the file (SIGSEGV, SIGBUS) or fail one of its assertions (abort).
 * Each guard_* function below runs one LMDB call with a handler armed for
 * SIGSEGV, SIGBUS and LMDB's assertion callback: a fault inside the call
 * returns GUARD_EFAULT instead, and guard_signal() says which signal it
 * was.  Outside these calls nothing is caught: a fault in kepu's own code
 * reaches the handler that was there before (the default, or a
 * sanitizer's), as if the guard did not exist.
 *
 * After GUARD_EFAULT the transaction must only be aborted (a write
 * transaction is then rolled back whole; nothing reaches the file).
 */
#ifndef KEPU_STORE_GUARD_H
#define KEPU_STORE_GUARD_H

#include <stddef.h>

#include <lmdb.h>

/* Outside LMDB's error codes (MDB_KEYEXIST .. MDB_LAST_ERRCODE). */
#define GUARD_EFAULT (-30700)

/* Install the handlers (once per process) and LMDB's assertion callback
 * for env.  Returns 0 or an errno value. */
int guard_init(MDB_env *env);

/* The signal of the last GUARD_EFAULT (SIGSEGV, SIGBUS, or SIGABRT for an
 * assertion of LMDB). */
int guard_signal(void);

int guard_dbi_open(MDB_txn *txn, const char *name, unsigned flags,
                   MDB_dbi *dbi);
int guard_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v);
int guard_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v,
              unsigned flags);
int guard_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v);
int guard_drop(MDB_txn *txn, MDB_dbi dbi);   /* empties it (mdb_drop, del 0) */
int guard_commit(MDB_txn *txn);
int guard_stat(MDB_txn *txn, MDB_dbi dbi, MDB_stat *ms);
int guard_cursor_open(MDB_txn *txn, MDB_dbi dbi, MDB_cursor **c);
int guard_cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v,
                     MDB_cursor_op op);

/* Read one byte of every page that [p, p+n) touches, so that a caller
 * may then read all n bytes: 0, or GUARD_EFAULT when one is not backed by
 * the file (a length that runs past its end). */
int guard_probe(const void *p, size_t n);

#endif
