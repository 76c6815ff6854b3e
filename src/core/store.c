/* store.c - LMDB mechanics: one file, named sub-databases, transactions. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <lmdb.h>

#include "err.h"
#include "lang.h"
#include "store.h"

/* Generous, because LMDB maps lazily: the file grows with use only. */
#define STORE_MAPSIZE_DEFAULT ((size_t)64 << 20)
#define STORE_MAXREADERS 126

struct store {
	MDB_env *env;
	MDB_dbi dbi[DB__COUNT];
	bool have[DB__COUNT];   /* false: sub-db absent in a read-only file */
	bool rdonly;
	char *path;
};

struct store_txn {
	struct store *st;
	MDB_txn *txn;
	bool writable;
};

static const char *const db_names[DB__COUNT] = {
	[DB_META] = "meta",
	[DB_FORMS] = "forms",
	[DB_RECORDS] = "records",
	[DB_BY_DATE] = "by_date",
	[DB_DUPKEY] = "dupkey",
	[DB_TOTALS] = "totals",
	[DB_QUOTAS] = "quotas",
	[DB_VALUES] = "values",
	[DB_CHANGES] = "changes",
	[DB_AUDIT] = "audit",
	[DB_DRAFTS] = "drafts",
	[DB_KEYS] = "keys",
	[DB_BUNDLES] = "bundles",
	[DB_ATTACH] = "attach",
	[DB_HISTORY] = "history",
};

static int mdb_fail(int rc, const char *what)
{
	if (rc == MDB_READERS_FULL)
		return kp_err_set(KP_E_TEMPFAIL,
			LF("数据库读者已满（%s），请稍后重试",
			  "too many readers of the database (%s), try again later"),
			what);
	if (rc == ENOMEM)
		return kp_err_set(KP_E_NOMEM, "%s: %s", what, mdb_strerror(rc));
	return kp_err_set(KP_E_IO, LF("数据库错误（%s）：%s",
	                             "database error (%s): %s"),
	                  what, mdb_strerror(rc));
}

/* Tests set $KEPU_MAPSIZE (bytes) small to exercise map growth. */
static size_t initial_mapsize(void)
{
	const char *v = getenv("KEPU_MAPSIZE");
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return STORE_MAPSIZE_DEFAULT;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n < 65536)
		return STORE_MAPSIZE_DEFAULT;
	return (size_t)n;
}

static int open_dbis(struct store *st)
{
	MDB_txn *txn;
	unsigned tflags = st->rdonly ? MDB_RDONLY : 0;
	int rc, i;

	rc = mdb_txn_begin(st->env, NULL, tflags, &txn);
	if (rc)
		return mdb_fail(rc, "txn_begin");
	for (i = 0; i < DB__COUNT; i++) {
		unsigned f = st->rdonly ? 0 : MDB_CREATE;

		if (i == DB_DUPKEY)
			f |= MDB_DUPSORT;
		rc = mdb_dbi_open(txn, db_names[i], f, &st->dbi[i]);
		if (rc == MDB_NOTFOUND && st->rdonly)
			continue;
		if (rc) {
			mdb_txn_abort(txn);
			return mdb_fail(rc, db_names[i]);
		}
		st->have[i] = true;
	}
	rc = mdb_txn_commit(txn);
	if (rc)
		return mdb_fail(rc, "commit");
	return KP_OK;
}

/* An existing file keeps the map size it was grown to; a new one starts
 * at the initial size; never smaller than the initial size. */
static int adjust_mapsize(struct store *st)
{
	MDB_envinfo info;
	size_t want = initial_mapsize();
	int rc;

	rc = mdb_env_info(st->env, &info);
	if (rc)
		return mdb_fail(rc, "env_info");
	if (info.me_mapsize >= want || st->rdonly)
		return KP_OK;
	rc = mdb_env_set_mapsize(st->env, want);
	return rc ? mdb_fail(rc, "set_mapsize") : KP_OK;
}

static int env_setup(struct store *st, bool exists)
{
	int rc;

	rc = mdb_env_create(&st->env);
	if (rc)
		return mdb_fail(rc, "env_create");
	rc = mdb_env_set_maxdbs(st->env, DB__COUNT);
	if (!rc)
		rc = mdb_env_set_maxreaders(st->env, STORE_MAXREADERS);
	if (!rc && !exists)
		rc = mdb_env_set_mapsize(st->env, initial_mapsize());
	return rc ? mdb_fail(rc, "env_setup") : KP_OK;
}

/* The file systems LMDB must not live on: its lock file needs shared
 * memory maps and POSIX locks that network file systems do not keep, and a
 * USB stick pulled out mid-write loses the database.  (statfs magics.) */
static const struct { unsigned long magic; const char *name; } bad_fs[] = {
	{ 0x6969, "NFS" },
	{ 0x517B, "SMB" },
	{ 0xFF534D42, "CIFS" },
	{ 0xFE534D42, "SMB2" },
	{ 0x4d44, "FAT (USB stick)" },
	{ 0x2011BAB0, "exFAT (USB stick)" },
	{ 0x5346544e, "NTFS" },
	{ 0x65735546, "FUSE (sshfs, NTFS stick)" },
};

static int check_fs(const char *path)
{
	char *dir = strdup(path), *slash;
	struct statfs sf;
	size_t i;
	int rc = KP_OK;

	if (!dir)
		return kp_err_nomem();
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	if (statfs(slash ? dir : ".", &sf) == 0)
		for (i = 0; i < sizeof bad_fs / sizeof bad_fs[0]; i++)
			if ((unsigned long)sf.f_type == bad_fs[i].magic) {
				rc = kp_err_set(KP_E_CANTCREAT,
				    LF("数据库 %s 位于 %s 文件系统上：数据库只能放在本机磁盘上（U 盘只用于数据包）",
				       "database %s is on a %s file system: keep the database on a local disk (USB sticks are for bundles)"),
				    path, bad_fs[i].name);
				break;
			}
	free(dir);
	return rc;
}

int store_open(const char *path, unsigned flags, struct store **out)
{
	struct store *st;
	struct stat sb;
	unsigned eflags = MDB_NOSUBDIR | MDB_NOTLS;
	bool exists;
	int rc, dead;

	*out = NULL;
	exists = stat(path, &sb) == 0;
	if (!exists && !(flags & STORE_CREATE))
		return kp_err_set(KP_E_NOINPUT, LF("数据库不存在：%s",
		                                  "no such database: %s"), path);
	if (exists && !S_ISREG(sb.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("不是数据库文件：%s",
		                                  "not a database file: %s"), path);
	if ((rc = check_fs(path)) != KP_OK)
		return rc;
	st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return kp_err_nomem();
	}
	st->rdonly = (flags & STORE_RDONLY) != 0;
	if (st->rdonly)
		eflags |= MDB_RDONLY;
	rc = env_setup(st, exists);
	if (rc)
		goto fail;
	rc = mdb_env_open(st->env, path, eflags, 0660);
	if (rc) {
		int code = exists ? KP_E_IO : KP_E_CANTCREAT;

		if (rc == EAGAIN || rc == EBUSY)
			code = KP_E_TEMPFAIL;
		rc = kp_err_set(code, LF("无法打开数据库 %s：%s",
		                        "cannot open database %s: %s"),
		                path, mdb_strerror(rc));
		goto fail;
	}
	mdb_reader_check(st->env, &dead);
	rc = adjust_mapsize(st);
	if (!rc)
		rc = open_dbis(st);
	if (rc)
		goto fail;
	*out = st;
	return KP_OK;
fail:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->env)
		mdb_env_close(st->env);
	free(st->path);
	free(st);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

/* Begin a transaction, adopting a map grown by another process. */
static int txn_begin(struct store *st, unsigned flags, MDB_txn **txn)
{
	int rc, tries;

	for (tries = 0; tries < 8; tries++) {
		rc = mdb_txn_begin(st->env, NULL, flags, txn);
		if (rc != MDB_MAP_RESIZED)
			break;
		rc = mdb_env_set_mapsize(st->env, 0);
		if (rc)
			break;
	}
	return rc ? mdb_fail(rc, "txn_begin") : KP_OK;
}

int store_read(struct store *st, store_txn_fn fn, void *ctx)
{
	struct store_txn t = { st, NULL, false };
	int rc;

	rc = txn_begin(st, MDB_RDONLY, &t.txn);
	if (rc)
		return rc;
	rc = fn(&t, ctx);
	mdb_txn_abort(t.txn);
	return rc;
}

static int grow_map(struct store *st)
{
	MDB_envinfo info;
	int rc;

	rc = mdb_env_info(st->env, &info);
	if (!rc)
		rc = mdb_env_set_mapsize(st->env, info.me_mapsize * 2);
	return rc ? mdb_fail(rc, "set_mapsize") : KP_OK;
}

/* Set when a put ran out of map: store_write then grows the map and runs
 * fn again even if fn turned the error into another status. */
static _Thread_local bool map_full;

int store_write(struct store *st, store_txn_fn fn, void *ctx)
{
	struct store_txn t = { st, NULL, true };
	int rc;

	if (st->rdonly)
		return kp_err_set(KP_E_IO, LF("数据库以只读方式打开：%s",
		                             "database opened read-only: %s"),
		                  st->path);
	for (;;) {
		map_full = false;
		rc = txn_begin(st, 0, &t.txn);
		if (rc)
			return rc;
		rc = fn(&t, ctx);
		if (rc != KP_OK || map_full) {
			mdb_txn_abort(t.txn);
			if (!map_full)
				return rc;
		} else {
			rc = mdb_txn_commit(t.txn);
			if (rc == KP_OK)
				return KP_OK;
			if (rc != MDB_MAP_FULL)
				return mdb_fail(rc, "commit");
		}
		rc = grow_map(st);
		if (rc)
			return rc;
	}
}

static int check_db(struct store_txn *t, enum store_db db)
{
	if ((unsigned)db >= DB__COUNT)
		return kp_err_set(KP_E_SOFTWARE, "store: bad sub-database %d",
		                  (int)db);
	return t->st->have[db] ? KP_OK : KP_NOTFOUND;
}

int store_get(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void **v, size_t *vn)
{
	MDB_val key = { kn, (void *)(uintptr_t)k }, val;
	int rc = check_db(t, db);

	if (rc)
		return rc;
	rc = mdb_get(t->txn, t->st->dbi[db], &key, &val);
	if (rc == MDB_NOTFOUND)
		return KP_NOTFOUND;
	if (rc)
		return mdb_fail(rc, db_names[db]);
	*v = val.mv_data;
	*vn = val.mv_size;
	return KP_OK;
}

static int write_fail(int rc, enum store_db db)
{
	if (rc == MDB_MAP_FULL)
		map_full = true;
	return mdb_fail(rc, db_names[db]);
}

int store_put(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void *v, size_t vn)
{
	MDB_val key = { kn, (void *)(uintptr_t)k };
	MDB_val val = { vn, (void *)(uintptr_t)v };
	int rc;

	if (!t->writable)
		return kp_err_set(KP_E_SOFTWARE, "store_put in a read transaction");
	rc = check_db(t, db);
	if (rc == KP_NOTFOUND)
		return kp_err_set(KP_E_SOFTWARE, "store_put: no sub-database %s",
		                  db_names[db]);
	if (rc)
		return rc;
	rc = mdb_put(t->txn, t->st->dbi[db], &key, &val, 0);
	if (rc == MDB_KEYEXIST)   /* same key and value in a dupsort db */
		return KP_OK;
	return rc ? write_fail(rc, db) : KP_OK;
}

int store_del(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void *v, size_t vn)
{
	MDB_val key = { kn, (void *)(uintptr_t)k };
	MDB_val val = { vn, (void *)(uintptr_t)v };
	int rc;

	if (!t->writable)
		return kp_err_set(KP_E_SOFTWARE, "store_del in a read transaction");
	rc = check_db(t, db);
	if (rc)
		return rc;
	rc = mdb_del(t->txn, t->st->dbi[db], &key, v ? &val : NULL);
	if (rc == MDB_NOTFOUND)
		return KP_NOTFOUND;
	return rc ? write_fail(rc, db) : KP_OK;
}

int store_clear(struct store_txn *t, enum store_db db)
{
	int rc;

	if (!t->writable)
		return kp_err_set(KP_E_SOFTWARE, "store_clear in a read transaction");
	rc = check_db(t, db);
	if (rc)
		return rc;
	rc = mdb_drop(t->txn, t->st->dbi[db], 0);
	return rc ? write_fail(rc, db) : KP_OK;
}

/* LMDB's default key order: bytes, then the shorter key first. */
static int key_cmp(const MDB_val *a, const void *b, size_t bn)
{
	size_t n = a->mv_size < bn ? a->mv_size : bn;
	int c = n ? memcmp(a->mv_data, b, n) : 0;

	if (c)
		return c;
	return a->mv_size < bn ? -1 : a->mv_size > bn;
}

/* Position a reverse walk on the last entry whose key is <= start. */
static int seek_reverse(MDB_cursor *c, MDB_val *k, MDB_val *v,
                        const void *start, size_t startn, bool dupsort)
{
	int rc;

	if (!start)
		return mdb_cursor_get(c, k, v, MDB_LAST);
	k->mv_data = (void *)(uintptr_t)start;
	k->mv_size = startn;
	rc = mdb_cursor_get(c, k, v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		return mdb_cursor_get(c, k, v, MDB_LAST);
	if (rc)
		return rc;
	if (key_cmp(k, start, startn) > 0)
		return mdb_cursor_get(c, k, v, MDB_PREV);
	/* SET_RANGE lands on the first value of an equal key. */
	return dupsort ? mdb_cursor_get(c, k, v, MDB_LAST_DUP) : MDB_SUCCESS;
}

static int seek_forward(MDB_cursor *c, MDB_val *k, MDB_val *v,
                        const void *start, size_t startn)
{
	if (!start)
		return mdb_cursor_get(c, k, v, MDB_FIRST);
	k->mv_data = (void *)(uintptr_t)start;
	k->mv_size = startn;
	return mdb_cursor_get(c, k, v, MDB_SET_RANGE);
}

int store_iter(struct store_txn *t, enum store_db db, const void *start,
               size_t startn, bool reverse, store_iter_fn fn, void *ctx)
{
	MDB_cursor *c;
	MDB_val k = { 0, NULL }, v = { 0, NULL };
	int rc = check_db(t, db);

	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = mdb_cursor_open(t->txn, t->st->dbi[db], &c);
	if (rc)
		return mdb_fail(rc, db_names[db]);
	if (reverse)
		rc = seek_reverse(c, &k, &v, start, startn, db == DB_DUPKEY);
	else
		rc = seek_forward(c, &k, &v, start, startn);
	while (rc == MDB_SUCCESS) {
		int r = fn(ctx, k.mv_data, k.mv_size, v.mv_data, v.mv_size);

		if (r != KP_OK) {
			mdb_cursor_close(c);
			return r == KP_NOTFOUND ? KP_OK : r;
		}
		rc = mdb_cursor_get(c, &k, &v, reverse ? MDB_PREV : MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return mdb_fail(rc, db_names[db]);
	return KP_OK;
}

int store_count(struct store_txn *t, enum store_db db, size_t *n)
{
	MDB_stat ms;
	int rc = check_db(t, db);

	*n = 0;
	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = mdb_stat(t->txn, t->st->dbi[db], &ms);
	if (rc)
		return mdb_fail(rc, db_names[db]);
	*n = ms.ms_entries;
	return KP_OK;
}

int store_next_seq(struct store_txn *t, const char *counter, uint64_t *out)
{
	unsigned char buf[8];
	const void *v;
	size_t vn, kn = strlen(counter);
	uint64_t cur = 0;
	int rc;

	if (!t->writable)
		return kp_err_set(KP_E_SOFTWARE,
		                  "store_next_seq in a read transaction");
	rc = store_get(t, DB_META, counter, kn, &v, &vn);
	if (rc == KP_OK && vn == 8)
		cur = store_from_be64(v);
	else if (rc == KP_OK)
		return kp_err_set(KP_E_DATA, LF("计数器 %s 已损坏",
		                               "counter %s is corrupt"), counter);
	else if (rc != KP_NOTFOUND)
		return rc;
	store_be64(cur + 1, buf);
	rc = store_put(t, DB_META, counter, kn, buf, sizeof buf);
	if (rc)
		return rc;
	*out = cur + 1;
	return KP_OK;
}

bool store_txn_writable(const struct store_txn *t)
{
	return t->writable;
}

int store_backup(struct store *st, const char *path)
{
	struct stat sb;
	int rc;

	if (stat(path, &sb) == 0)
		return kp_err_set(KP_E_CANTCREAT, LF("备份文件已存在：%s",
		                                    "backup file exists: %s"),
		                  path);
	rc = mdb_env_copy2(st->env, path, MDB_CP_COMPACT);
	if (rc) {
		if (rc != EEXIST)
			unlink(path);
		return kp_err_set(KP_E_CANTCREAT, LF("无法写入备份 %s：%s",
		                                    "cannot write backup %s: %s"),
		                  path, mdb_strerror(rc));
	}
	return KP_OK;
}

void store_be64(uint64_t v, unsigned char out[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t store_from_be64(const unsigned char in[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | in[i];
	return v;
}
