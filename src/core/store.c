/* store.c - LMDB mechanics: one file, named sub-databases, transactions;
 * every LMDB call guarded and every value bounded, so that a damaged file
 * is refused in words (store_fail.c), never with a crash. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>

#include "err.h"
#include "lang.h"
#include "store.h"
#include "store_guard.h"
#include "store_int.h"

/* Generous, because LMDB maps lazily: the file grows with use only. */
#define STORE_MAPSIZE_DEFAULT ((size_t)64 << 20)
#define STORE_MAXREADERS 126

struct store_txn {
	struct store *st;
	MDB_txn *txn;
	bool writable;
	size_t limit;           /* no value read can be longer than this */
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
	[DB_YEARS] = "years",
	[DB_ATTACH] = "attach",
	[DB_HISTORY] = "history",
};

/* Tests set $KEPU_MAPSIZE (bytes) small to exercise map growth. */
bool store_mapsize_fixed(void)
{
	const char *v = getenv("KEPU_MAPSIZE");

	return v && *v;
}

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
	MDB_stat ms;
	size_t pages;
	int rc, i;

	if (mdb_env_stat(st->env, &ms) != 0)
		ms.ms_branch_pages = ms.ms_leaf_pages = ms.ms_overflow_pages = 0;
	pages = ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages;
	rc = mdb_txn_begin(st->env, NULL, tflags, &txn);
	if (rc)
		return store_fail(st, rc, "txn_begin");
	for (i = 0; i < DB__COUNT; i++) {
		unsigned want = i == DB_DUPKEY ? MDB_DUPSORT : 0;
		unsigned f = want | (st->rdonly ? 0 : MDB_CREATE);

		rc = guard_dbi_open(txn, db_names[i], f, &st->dbi[i]);
		if (rc == MDB_NOTFOUND && st->rdonly)
			continue;
		if (!rc)
			rc = store_check_tree(st, txn, st->dbi[i], db_names[i],
			                      want, &pages);
		else
			rc = store_fail(st, rc, db_names[i]);
		if (rc) {
			mdb_txn_abort(txn);
			return rc;
		}
		st->have[i] = true;
	}
	rc = guard_commit(txn);
	if (rc)
		return store_fail(st, rc, "commit");
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
		return store_fail(st, rc, "env_info");
	if (info.me_mapsize >= want || st->rdonly)
		return KP_OK;
	rc = mdb_env_set_mapsize(st->env, want);
	return rc ? store_fail(st, rc, "set_mapsize") : KP_OK;
}

static int env_setup(struct store *st, bool exists)
{
	int rc;

	rc = mdb_env_create(&st->env);
	if (rc)
		return store_fail(st, rc, "env_create");
	rc = mdb_env_set_maxdbs(st->env, DB__COUNT);
	if (!rc)
		rc = mdb_env_set_maxreaders(st->env, STORE_MAXREADERS);
	if (!rc && !exists)
		rc = mdb_env_set_mapsize(st->env, initial_mapsize());
	if (!rc)
		rc = guard_init(st->env);
	return rc ? store_fail(st, rc, "env_setup") : KP_OK;
}

/* Make st->env and open the file with LMDB's flags eflags (and a map of
 * mapsize bytes when not 0), then check it and open the sub-databases. */
int store_env_open(struct store *st, bool exists, unsigned eflags,
                   size_t mapsize)
{
	int rc, dead;

	rc = env_setup(st, exists);
	if (!rc && mapsize && (rc = mdb_env_set_mapsize(st->env, mapsize)))
		rc = store_fail(st, rc, "set_mapsize");
	if (rc)
		return rc;
	rc = mdb_env_open(st->env, st->path, eflags, 0660);
	if (rc) {
		rc = store_open_fail(st, rc, exists);
		if (!exists)   /* what a full disk left of a new database */
			unlink(st->path);
		return rc;
	}
	st->eflags = eflags;
	rc = store_check_file(st);
	if (rc)
		return rc;
	mdb_reader_check(st->env, &dead);
	rc = adjust_mapsize(st);
	return rc ? rc : open_dbis(st);
}

int store_open(const char *path, unsigned flags, struct store **out)
{
	struct store *st;
	struct stat sb;
	unsigned eflags = MDB_NOSUBDIR | MDB_NOTLS;
	bool exists;
	int rc;

	*out = NULL;
	exists = stat(path, &sb) == 0;
	if (!exists && errno == EACCES)
		return store_denied(path);
	if (!exists && !(flags & STORE_CREATE))
		return kp_err_set(KP_E_NOINPUT, LF("数据库不存在：%s",
		                                  "no such database: %s"), path);
	if (exists && S_ISDIR(sb.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("%s 是一个文件夹，不是数据库文件",
		                                  "%s is a folder, not a database file"),
		                  path);
	if (exists && !S_ISREG(sb.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("不是数据库文件：%s",
		                                  "not a database file: %s"), path);
	if ((rc = store_check_fs(path)) != KP_OK)
		return rc;
	if ((rc = store_prepare_lock(path, exists)) != KP_OK)
		return rc;
	st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return kp_err_nomem();
	}
	st->rdonly = (flags & STORE_RDONLY) != 0;
	if (st->rdonly)
		eflags |= MDB_RDONLY;
	rc = store_env_open(st, exists, eflags, 0);
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
	return rc ? store_fail(st, rc, "txn_begin") : KP_OK;
}

/* The longest value a transaction can meet: a reader sees only pages that
 * the file held when it began (LMDB never shrinks the file); a writer's
 * new pages are in memory until commit and may fill the map. */
static int txn_limit(struct store_txn *t)
{
	MDB_envinfo info;
	int rc = mdb_env_info(t->st->env, &info);

	if (rc)
		return store_fail(t->st, rc, "env_info");
	t->limit = t->writable ? info.me_mapsize :
	           (info.me_last_pgno + 1) * t->st->psize;
	return KP_OK;
}

int store_read(struct store *st, store_txn_fn fn, void *ctx)
{
	struct store_txn t = { st, NULL, false, 0 };
	int rc;

	rc = txn_begin(st, MDB_RDONLY, &t.txn);
	if (rc)
		return rc;
	rc = txn_limit(&t);
	if (!rc)
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
	return rc ? store_fail(st, rc, "set_mapsize") : KP_OK;
}

/* Set when a put ran out of map: store_write then grows the map and runs
 * fn again even if fn turned the error into another status. */
static _Thread_local bool map_full;

int store_write(struct store *st, store_txn_fn fn, void *ctx)
{
	struct store_txn t = { st, NULL, true, 0 };
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
		rc = txn_limit(&t);
		if (!rc)
			rc = fn(&t, ctx);
		if (rc != KP_OK || map_full) {
			mdb_txn_abort(t.txn);
			if (!map_full)
				return rc;
		} else {
			rc = guard_commit(t.txn);
			if (rc == KP_OK)
				return KP_OK;
			if (rc == GUARD_EFAULT)   /* stopped half-way: still open */
				mdb_txn_abort(t.txn);
			if (rc != MDB_MAP_FULL)
				return store_fail(st, rc, "commit");
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

/* Every key and value handed out is one the caller can read whole: no
 * longer than LMDB allows (keys, and the values of a dupsort database) or
 * than the file holds, and backed by the file to its last byte.  A node
 * whose length was damaged would otherwise send a caller's memcpy far past
 * the end of the map.  An empty one points at "" rather than NULL (LMDB
 * leaves NULL for a damaged empty key), which memcpy may not be given. */
static int check_val(struct store_txn *t, enum store_db db, MDB_val *v,
                     bool is_key)
{
	size_t max = t->limit;

	if (!v->mv_data && v->mv_size == 0)
		v->mv_data = (void *)(uintptr_t)"";
	if ((is_key || db == DB_DUPKEY) && t->st->maxkey < max)
		max = t->st->maxkey;
	if (v->mv_size > max)
		return store_damaged(t->st, LF("%s 中的一个%s长 %zu 字节，最多应为 %zu",
		                               "%s holds a %s of %zu bytes, at most %zu"),
		                     db_names[db], is_key ? L("键", "key") :
		                     L("值", "value"), v->mv_size, max);
	if (guard_probe(v->mv_data, v->mv_size) != 0)
		return store_damaged(t->st, LF("%s 中的一个%s超出了文件末尾",
		                               "%s holds a %s that runs past the end of the file"),
		                     db_names[db], is_key ? L("键", "key") :
		                     L("值", "value"));
	return KP_OK;
}

int store_get(struct store_txn *t, enum store_db db, const void *k,
              size_t kn, const void **v, size_t *vn)
{
	MDB_val key = { kn, (void *)(uintptr_t)k }, val;
	int rc = check_db(t, db);

	if (rc)
		return rc;
	rc = guard_get(t->txn, t->st->dbi[db], &key, &val);
	if (rc == MDB_NOTFOUND)
		return KP_NOTFOUND;
	if (rc)
		return store_fail(t->st, rc, db_names[db]);
	rc = check_val(t, db, &val, false);
	if (rc)
		return rc;
	*v = val.mv_data;
	*vn = val.mv_size;
	return KP_OK;
}

static int write_fail(const struct store *st, int rc, enum store_db db)
{
	if (rc == MDB_MAP_FULL)
		map_full = true;
	return store_fail(st, rc, db_names[db]);
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
	rc = guard_put(t->txn, t->st->dbi[db], &key, &val, 0);
	if (rc == MDB_KEYEXIST)   /* same key and value in a dupsort db */
		return KP_OK;
	return rc ? write_fail(t->st, rc, db) : KP_OK;
}

int store_put_last(struct store_txn *t, enum store_db db, const void *k,
                   size_t kn, const void *v, size_t vn)
{
	MDB_val key = { kn, (void *)(uintptr_t)k };
	MDB_val val = { vn, (void *)(uintptr_t)v };
	int rc;

	if (!t->writable || db == DB_DUPKEY)
		return store_put(t, db, k, kn, v, vn);
	rc = check_db(t, db);
	if (rc)
		return rc == KP_NOTFOUND ? store_put(t, db, k, kn, v, vn) : rc;
	rc = guard_put(t->txn, t->st->dbi[db], &key, &val, MDB_APPEND);
	if (rc == MDB_KEYEXIST)   /* not after the last key: the plain way */
		return store_put(t, db, k, kn, v, vn);
	return rc ? write_fail(t->st, rc, db) : KP_OK;
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
	rc = guard_del(t->txn, t->st->dbi[db], &key, v ? &val : NULL);
	if (rc == MDB_NOTFOUND)
		return KP_NOTFOUND;
	return rc ? write_fail(t->st, rc, db) : KP_OK;
}

int store_clear(struct store_txn *t, enum store_db db)
{
	int rc;

	if (!t->writable)
		return kp_err_set(KP_E_SOFTWARE, "store_clear in a read transaction");
	rc = check_db(t, db);
	if (rc)
		return rc;
	rc = guard_drop(t->txn, t->st->dbi[db]);
	return rc ? write_fail(t->st, rc, db) : KP_OK;
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
		return guard_cursor_get(c, k, v, MDB_LAST);
	k->mv_data = (void *)(uintptr_t)start;
	k->mv_size = startn;
	rc = guard_cursor_get(c, k, v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		return guard_cursor_get(c, k, v, MDB_LAST);
	if (rc)
		return rc;
	if (key_cmp(k, start, startn) > 0)
		return guard_cursor_get(c, k, v, MDB_PREV);
	/* SET_RANGE lands on the first value of an equal key. */
	return dupsort ? guard_cursor_get(c, k, v, MDB_LAST_DUP) : MDB_SUCCESS;
}

static int seek_forward(MDB_cursor *c, MDB_val *k, MDB_val *v,
                        const void *start, size_t startn)
{
	if (!start)
		return guard_cursor_get(c, k, v, MDB_FIRST);
	k->mv_data = (void *)(uintptr_t)start;
	k->mv_size = startn;
	return guard_cursor_get(c, k, v, MDB_SET_RANGE);
}

int store_iter(struct store_txn *t, enum store_db db, const void *start,
               size_t startn, bool reverse, store_iter_fn fn, void *ctx)
{
	MDB_cursor *c;
	MDB_val k = { 0, NULL }, v = { 0, NULL };
	int rc = check_db(t, db);

	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = guard_cursor_open(t->txn, t->st->dbi[db], &c);
	if (rc)
		return store_fail(t->st, rc, db_names[db]);
	if (reverse)
		rc = seek_reverse(c, &k, &v, start, startn, db == DB_DUPKEY);
	else
		rc = seek_forward(c, &k, &v, start, startn);
	while (rc == MDB_SUCCESS) {
		int r = check_val(t, db, &k, true);

		if (!r)
			r = check_val(t, db, &v, false);
		if (!r)
			r = fn(ctx, k.mv_data, k.mv_size, v.mv_data, v.mv_size);
		if (r != KP_OK) {
			mdb_cursor_close(c);
			return r == KP_NOTFOUND ? KP_OK : r;
		}
		rc = guard_cursor_get(c, &k, &v, reverse ? MDB_PREV : MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return store_fail(t->st, rc, db_names[db]);
	return KP_OK;
}

int store_iter_dups(struct store_txn *t, enum store_db db, const void *key,
                    size_t kn, const void *from, size_t fromn,
                    store_iter_fn fn, void *ctx)
{
	MDB_cursor *c;
	MDB_val k = { kn, (void *)(uintptr_t)key };
	MDB_val v = { fromn, (void *)(uintptr_t)from };
	int rc = check_db(t, db);

	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	if (db != DB_DUPKEY)
		return kp_err_set(KP_E_SOFTWARE, "store_iter_dups: %s has one "
		                  "value per key", db_names[db]);
	rc = guard_cursor_open(t->txn, t->st->dbi[db], &c);
	if (rc)
		return store_fail(t->st, rc, db_names[db]);
	rc = guard_cursor_get(c, &k, &v, from ? MDB_GET_BOTH_RANGE : MDB_SET_KEY);
	while (rc == MDB_SUCCESS) {
		int r = check_val(t, db, &v, false);

		if (!r)
			r = fn(ctx, key, kn, v.mv_data, v.mv_size);
		if (r != KP_OK) {
			mdb_cursor_close(c);
			return r == KP_NOTFOUND ? KP_OK : r;
		}
		rc = guard_cursor_get(c, &k, &v, MDB_NEXT_DUP);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return store_fail(t->st, rc, db_names[db]);
	return KP_OK;
}

int store_count(struct store_txn *t, enum store_db db, size_t *n)
{
	MDB_stat ms;
	int rc = check_db(t, db);

	*n = 0;
	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = guard_stat(t->txn, t->st->dbi[db], &ms);
	if (rc)
		return store_fail(t->st, rc, db_names[db]);
	if (ms.ms_entries > t->limit)   /* every entry takes bytes */
		return store_damaged(t->st, LF("%s 的条目数 %zu 不可能",
		                               "%s: impossible count of %zu entries"),
		                     db_names[db], ms.ms_entries);
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

/* A compact copy walks every page and LMDB trusts them all: a damaged one
 * can make it fault, or overrun its own buffers, in its copying thread too,
 * where no guard reaches.  So the copy is made by a child process, which
 * opens the file afresh (an LMDB handle must not cross fork) and sends
 * LMDB's answer back through a pipe: a damaged file ends only the child.
 * The copy holds the signing key: LMDB creates it 0666 less the umask, so
 * the child's umask also takes away what the database's mode does not
 * give, and the copy is never more open than the database.  Returns
 * LMDB's answer, an errno value, or GUARD_EFAULT. */
static int copy_in_child(const char *from, const char *to)
{
	int fds[2], rc = EIO, status = 0;
	struct stat sb;
	ssize_t got;
	pid_t pid;

	if (stat(from, &sb) != 0)
		return errno;
	if (pipe(fds) != 0)
		return errno;
	pid = fork();
	if (pid < 0) {
		rc = errno;
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		MDB_env *env;
		int null = open("/dev/null", O_WRONLY);

		/* What glibc or LMDB print as they die is not for the clerk. */
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fds[0]);
		umask(umask(0) | (~sb.st_mode & 0777));
		rc = mdb_env_create(&env);
		if (!rc)
			rc = mdb_env_open(env, from, MDB_NOSUBDIR | MDB_RDONLY |
			                  MDB_NOTLS, 0660);
		if (!rc)
			rc = mdb_env_copy2(env, to, MDB_CP_COMPACT);
		if (write(fds[1], &rc, sizeof rc) != sizeof rc)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	do
		got = read(fds[0], &rc, sizeof rc);
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof rc || !WIFEXITED(status) || WEXITSTATUS(status))
		return GUARD_EFAULT;   /* the child died on the way */
	return rc;
}

int store_backup(struct store *st, const char *path)
{
	struct stat sb;
	int rc;

	if (stat(path, &sb) == 0)
		return kp_err_set(KP_E_CANTCREAT, LF("备份文件已存在：%s",
		                                    "backup file exists: %s"),
		                  path);
	rc = copy_in_child(st->path, path);
	if (rc) {
		if (rc != EEXIST)
			unlink(path);
		if (rc == GUARD_EFAULT)
			return store_damaged(st, "%s", L("复制在一个损坏的页上中断",
			                                 "the copy stopped at a damaged page"));
		return store_fail_backup(st, rc, path);
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
