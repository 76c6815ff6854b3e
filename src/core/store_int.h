/* store_int.h - what store.c and store_fail.c share: the handle, and the
 * words for a damaged file, a full disk or a file system kepu refuses.
 * Not for other modules: they see store.h only. */
#ifndef KEPU_STORE_INT_H
#define KEPU_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <lmdb.h>

#include "store.h"

struct store {
	MDB_env *env;
	MDB_dbi dbi[DB__COUNT];
	bool have[DB__COUNT];   /* false: sub-db absent in a read-only file */
	bool rdonly;
	unsigned eflags;        /* LMDB's flags the file is open with */
	size_t psize;           /* LMDB's page size for this file */
	size_t maxkey;          /* longest key (and dupsort value) LMDB takes */
	char *path;
};

/* Make st->env and open st->path with LMDB's flags eflags (a map of
 * mapsize bytes when not 0; else what the file had, at least the initial
 * size), check the file and open the sub-databases.  exists: the file was
 * there before (else a failure removes what LMDB made of it). */
int store_env_open(struct store *st, bool exists, unsigned eflags,
                   size_t mapsize);

/* Whether $KEPU_MAPSIZE fixes the map's first size (tests of growth):
 * then a bulk write does not size the map from its input either. */
bool store_mapsize_fixed(void);

/* KP_E_IO with "the database file PATH is damaged or incomplete; restore
 * the backup (DETAIL)", DETAIL formatted from fmt. */
int store_damaged(const struct store *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The status and message for LMDB's (or the system's) error rc met while
 * doing `what` (a sub-database's name, "commit"...): a damaged file
 * (store_damaged), a full disk or an exhausted quota (KP_E_IO, saying so),
 * too many readers (KP_E_TEMPFAIL), out of memory, else KP_E_IO with
 * LMDB's words. */
int store_fail(const struct store *st, int rc, const char *what);

/* The same for a backup that could not be written to path: a damaged
 * file, a full disk, else KP_E_CANTCREAT with LMDB's words. */
int store_fail_backup(const struct store *st, int rc, const char *path);

/* KP_E_NOPERM: "permission denied: cannot open the database PATH: the
 * folder ... is closed to USER", naming what blocks and who can change it
 * (fs_denied_what): never "no such database", which invites a second one. */
int store_denied(const char *path);

/* The same for mdb_env_open's error on a file that existed (exists) or
 * was to be created (KP_E_CANTCREAT); permission denied as store_denied. */
int store_open_fail(const struct store *st, int rc, bool exists);

/* KP_E_CANTCREAT when path lies on a file system LMDB must not live on
 * (network file systems, USB sticks). */
int store_check_fs(const char *path);

/* Before mdb_env_open: give the lock file "<path>-lock" its blocks, so
 * that LMDB's writes into its map of that file cannot meet a full disk
 * (which kills with SIGBUS).  KP_OK (also when the file system cannot
 * preallocate or the lock file cannot be opened: LMDB then says why), or
 * KP_E_IO / KP_E_CANTCREAT saying the disk is full. */
int store_prepare_lock(const char *path, bool exists);

/* After mdb_env_open, before any page is read: the file must hold every
 * page its newest meta page counts, with a possible page size. */
int store_check_file(struct store *st);

/* After mdb_dbi_open: the tree's flags must be want, its page counts and
 * depth possible; *pages adds up the pages of every tree seen so far
 * (their sum cannot pass the file's). */
int store_check_tree(struct store *st, MDB_txn *txn, MDB_dbi dbi,
                     const char *name, unsigned want, size_t *pages);

#endif
