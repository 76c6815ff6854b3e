/* store_bulk.c - write transactions of bulk work (a CSV file of a million
 * rows, a township's bundle at the city): the map sized from the input
 * before the work starts, and large ones written in place in the file's
 * map so that memory does not grow with them.
 *
 * LMDB keeps a write transaction's new pages in memory until it commits
 * (up to 512 MiB of them before it spills any), and a map that fills up
 * makes store_write run the whole transaction again after doubling it.
 * With MDB_WRITEMAP the pages are written into the shared map of the file
 * itself: they are the page cache's, which the kernel writes out and
 * reclaims under memory pressure, and the commit is as atomic as ever
 * (the new pages are free pages until the meta page names them; a crash
 * before that leaves the database as it was).  On Linux LMDB then sets
 * the file's size to the map's (a sparse file: only written pages take
 * blocks), which is why only large transactions use it, and why the map
 * is never made smaller than the file nor than the map the database has
 * plus room for another clerk's transaction to grow into: a process
 * mapping with MDB_WRITEMAP truncates the file to its map.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "err.h"
#include "store.h"
#include "store_int.h"

/* Room left above the map the database has, into which another process's
 * ordinary transaction may grow while this one maps the file. */
#define BULK_SLACK ((uint64_t)64 << 20)
#define BULK_ROUND ((uint64_t)1 << 20)

static uint64_t round_up(uint64_t n)
{
	return (n + BULK_ROUND - 1) / BULK_ROUND * BULK_ROUND;
}

/* The blocks of [from, from + n) of the file, so that writing pages into
 * the map cannot meet a full disk (which would be SIGBUS).  A file system
 * that cannot reserve blocks is written as it is. */
static int reserve_blocks(struct store *st, uint64_t from, uint64_t n)
{
	mdb_filehandle_t fd;
	int rc = mdb_env_get_fd(st->env, &fd);

	if (rc)
		return store_fail(st, rc, "env_info");
	if (fallocate(fd, 0, (off_t)from, (off_t)n) == 0)
		return KP_OK;
	if (errno == ENOSPC || errno == EDQUOT)
		return store_fail(st, errno, "fallocate");
	return KP_OK;
}

/* Map the file with MDB_WRITEMAP and size bytes (the environment is
 * closed and opened again; nothing of it is in use between transactions).
 * Without the kernel's read-ahead (MDB_NORDAHEAD): a transaction larger
 * than the memory it may use faults its index pages back in one at a
 * time, and reading 32 pages for each would push out the pages it is
 * about to touch (a million rows under 256 MiB: 26 s, against 22 to 58 s
 * from one run to the next with it). */
static int reopen_writemap(struct store *st, size_t size)
{
	mdb_env_close(st->env);
	st->env = NULL;
	return store_env_open(st, true, st->eflags | MDB_WRITEMAP | MDB_NORDAHEAD,
	                      size);
}

static int size_map(struct store *st, uint64_t bytes)
{
	MDB_envinfo info;
	struct stat sb;
	mdb_filehandle_t fd;
	uint64_t used, want;
	bool big = bytes >= STORE_BULK_BIG;
	int rc;

	rc = mdb_env_info(st->env, &info);
	if (!rc)
		rc = mdb_env_get_fd(st->env, &fd);
	if (rc)
		return store_fail(st, rc, "env_info");
	used = ((uint64_t)info.me_last_pgno + 1) * st->psize;
	want = round_up(used + bytes + bytes / 8 + BULK_ROUND);
	if (!big) {
		if (info.me_mapsize >= want)
			return KP_OK;
		rc = mdb_env_set_mapsize(st->env, (size_t)want);
		return rc ? store_fail(st, rc, "set_mapsize") : KP_OK;
	}
	if (fstat(fd, &sb) != 0)
		return store_fail(st, errno, "fstat");
	if (want < (uint64_t)sb.st_size)
		want = round_up((uint64_t)sb.st_size);
	if (want < info.me_mapsize + BULK_SLACK)
		want = round_up(info.me_mapsize + BULK_SLACK);
	if (!(st->eflags & MDB_WRITEMAP))
		rc = reopen_writemap(st, (size_t)want);
	else if (info.me_mapsize < want &&
	         (rc = mdb_env_set_mapsize(st->env, (size_t)want)))
		rc = store_fail(st, rc, "set_mapsize");
	return rc ? rc : reserve_blocks(st, used, bytes + bytes / 8);
}

int store_write_bulk(struct store *st, uint64_t bytes, store_txn_fn fn,
                     void *ctx)
{
	int rc;

	if (bytes && !st->rdonly && !store_mapsize_fixed() &&
	    (rc = size_map(st, bytes)) != KP_OK)
		return rc;
	return store_write(st, fn, ctx);
}
