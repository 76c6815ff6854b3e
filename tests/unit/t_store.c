/* t_store.c - LMDB mechanics: keys, order, transactions, growth, backup. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "store.h"
#include "tap.h"

static char dir[64], dbpath[128];
static char alpha_key[] = "alpha";

struct kv_ctx {
	const char *k, *v;
};

static int put_one(struct store_txn *t, void *ctx)
{
	struct kv_ctx *c = ctx;

	return store_put(t, DB_META, c->k, strlen(c->k), c->v, strlen(c->v));
}

static int put_then_fail(struct store_txn *t, void *ctx)
{
	int rc = put_one(t, ctx);

	return rc ? rc : kp_err_set(KP_E_DATA, "refused on purpose");
}

struct get_ctx {
	const char *k;
	char out[64];
	int rc;
};

static int get_one(struct store_txn *t, void *ctx)
{
	struct get_ctx *g = ctx;
	const void *v;
	size_t vn;

	g->out[0] = 0;
	g->rc = store_get(t, DB_META, g->k, strlen(g->k), &v, &vn);
	if (g->rc == KP_OK && vn < sizeof g->out) {
		memcpy(g->out, v, vn);
		g->out[vn] = 0;
	}
	return KP_OK;
}

static const char *get_meta(struct store *st, const char *k, int *rc)
{
	static struct get_ctx g;

	g.k = k;
	store_read(st, get_one, &g);
	*rc = g.rc;
	return g.out;
}

static int del_one(struct store_txn *t, void *ctx)
{
	const char *k = ctx;

	return store_del(t, DB_META, k, strlen(k), NULL, 0);
}

static void test_missing(void)
{
	struct store *st = NULL;
	struct stat sb;

	is_int(store_open(dbpath, 0, &st), KP_E_NOINPUT,
	       "a missing database without STORE_CREATE");
	ok(st == NULL, "no store object returned");
	ok(stat(dbpath, &sb) != 0, "and no file was created");
	is_int(store_open(dir, 0, &st), KP_E_NOINPUT, "a directory is refused");
}

static void test_basic(struct store *st)
{
	struct kv_ctx a = { "alpha", "1" }, b = { "beta", "2" };
	int rc;

	is_int(store_write(st, put_one, &a), KP_OK, "put alpha");
	is_str(get_meta(st, "alpha", &rc), "1", "get alpha");
	is_int(rc, KP_OK, "get alpha status");
	get_meta(st, "gamma", &rc);
	is_int(rc, KP_NOTFOUND, "get of an absent key is KP_NOTFOUND");

	is_int(store_write(st, put_then_fail, &b), KP_E_DATA,
	       "fn error is returned");
	get_meta(st, "beta", &rc);
	is_int(rc, KP_NOTFOUND, "and its put was rolled back");

	a.v = "one";
	store_write(st, put_one, &a);
	is_str(get_meta(st, "alpha", &rc), "one", "put replaces a value");
	is_int(store_write(st, del_one, alpha_key), KP_OK, "del alpha");
	get_meta(st, "alpha", &rc);
	is_int(rc, KP_NOTFOUND, "deleted key is gone");
	is_int(store_write(st, del_one, alpha_key), KP_NOTFOUND,
	       "del of an absent key is KP_NOTFOUND");
}

static int fill_records(struct store_txn *t, void *ctx)
{
	char k[16];
	int i, rc;

	(void)ctx;
	for (i = 1; i <= 9; i += 2) {   /* k1 k3 k5 k7 k9 */
		snprintf(k, sizeof k, "k%d", i);
		rc = store_put(t, DB_RECORDS, k, strlen(k), "v", 1);
		if (rc)
			return rc;
	}
	return KP_OK;
}

struct walk {
	char seen[128];
	int n, stop_after;
};

static int walk_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct walk *w = ctx;
	size_t len = strlen(w->seen);

	if (len + kn + vn + 2 < sizeof w->seen) {
		memcpy(w->seen + len, k, kn);
		len += kn;
		if (vn && ((const char *)v)[0] != 'v') {
			w->seen[len++] = '=';
			memcpy(w->seen + len, v, vn);
			len += vn;
		}
		w->seen[len++] = ' ';
		w->seen[len] = 0;
	}
	w->n++;
	if (w->stop_after && w->n >= w->stop_after)
		return KP_NOTFOUND;
	return KP_OK;
}

struct iter_args {
	enum store_db db;
	const char *start;
	bool reverse;
	struct walk w;
};

static int iter_txn(struct store_txn *t, void *ctx)
{
	struct iter_args *a = ctx;

	return store_iter(t, a->db, a->start, a->start ? strlen(a->start) : 0,
	                  a->reverse, walk_fn, &a->w);
}

static const char *walk(struct store *st, enum store_db db,
                        const char *start, bool reverse, int stop_after)
{
	static struct iter_args a;

	memset(&a, 0, sizeof a);
	a.db = db;
	a.start = start;
	a.reverse = reverse;
	a.w.stop_after = stop_after;
	if (store_read(st, iter_txn, &a) != KP_OK)
		return "(error)";
	return a.w.seen;
}

static void test_iter(struct store *st)
{
	is_int(store_write(st, fill_records, NULL), KP_OK, "fill records");
	is_str(walk(st, DB_RECORDS, NULL, false, 0), "k1 k3 k5 k7 k9 ",
	       "forward from the first key");
	is_str(walk(st, DB_RECORDS, "k4", false, 0), "k5 k7 k9 ",
	       "forward from a start between keys");
	is_str(walk(st, DB_RECORDS, "k5", false, 0), "k5 k7 k9 ",
	       "forward from an existing key includes it");
	is_str(walk(st, DB_RECORDS, "z", false, 0), "",
	       "forward from past the end sees nothing");
	is_str(walk(st, DB_RECORDS, NULL, true, 0), "k9 k7 k5 k3 k1 ",
	       "reverse from the last key");
	is_str(walk(st, DB_RECORDS, "k4", true, 0), "k3 k1 ",
	       "reverse from a start between keys");
	is_str(walk(st, DB_RECORDS, "k5", true, 0), "k5 k3 k1 ",
	       "reverse from an existing key includes it");
	is_str(walk(st, DB_RECORDS, "k", true, 0), "",
	       "reverse from before the first key sees nothing");
	is_str(walk(st, DB_RECORDS, "k50", true, 0), "k5 k3 k1 ",
	       "reverse: a longer key sorts after its prefix");
	is_str(walk(st, DB_RECORDS, "zz", true, 0), "k9 k7 k5 k3 k1 ",
	       "reverse from past the end starts at the last key");
	is_str(walk(st, DB_RECORDS, NULL, true, 2), "k9 k7 ",
	       "KP_NOTFOUND from fn stops the walk cleanly");
	is_str(walk(st, DB_BY_DATE, NULL, false, 0), "",
	       "an empty sub-database walks nothing");
}

static int fill_dups(struct store_txn *t, void *ctx)
{
	static const char *const pairs[][2] = {
		{ "a", "x" }, { "b", "y" }, { "b", "x" }, { "b", "z" },
		{ "b", "x" }, { "c", "w" },
	};
	size_t i;
	int rc;

	(void)ctx;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		rc = store_put(t, DB_DUPKEY, pairs[i][0], 1, pairs[i][1], 1);
		if (rc)
			return rc;
	}
	return KP_OK;
}

static int del_dup(struct store_txn *t, void *ctx)
{
	(void)ctx;
	return store_del(t, DB_DUPKEY, "b", 1, "y", 1);
}

static int del_dup_all(struct store_txn *t, void *ctx)
{
	(void)ctx;
	return store_del(t, DB_DUPKEY, "b", 1, NULL, 0);
}

static int del_dup_absent(struct store_txn *t, void *ctx)
{
	(void)ctx;
	return store_del(t, DB_DUPKEY, "a", 1, "q", 1);
}

struct count_ctx {
	enum store_db db;
	size_t n;
};

static int count_txn(struct store_txn *t, void *ctx)
{
	struct count_ctx *c = ctx;

	return store_count(t, c->db, &c->n);
}

static size_t count(struct store *st, enum store_db db)
{
	struct count_ctx c = { db, 99999 };

	if (store_read(st, count_txn, &c))
		return 99999;
	return c.n;
}

static void test_dupsort(struct store *st)
{
	is_int(store_write(st, fill_dups, NULL), KP_OK,
	       "dupsort: several values per key, a repeated pair is fine");
	is_str(walk(st, DB_DUPKEY, NULL, false, 0), "a=x b=x b=y b=z c=w ",
	       "dupsort: values sorted, the repeated pair kept once");
	is_int(count(st, DB_DUPKEY), 5, "dupsort: count counts values");
	is_str(walk(st, DB_DUPKEY, "b", true, 0), "b=z b=y b=x a=x ",
	       "dupsort: reverse from a key starts at its last value");
	is_int(store_write(st, del_dup, NULL), KP_OK, "delete one value");
	is_str(walk(st, DB_DUPKEY, "b", false, 0), "b=x b=z c=w ",
	       "only that value went");
	is_int(store_write(st, del_dup_absent, NULL), KP_NOTFOUND,
	       "delete of an absent value is KP_NOTFOUND");
	is_int(store_write(st, del_dup_all, NULL), KP_OK,
	       "delete a key with no value");
	is_str(walk(st, DB_DUPKEY, NULL, false, 0), "a=x c=w ",
	       "removes all its values");
}

struct seq_ctx {
	const char *name;
	uint64_t got[3];
};

static int seq_txn(struct store_txn *t, void *ctx)
{
	struct seq_ctx *c = ctx;
	int i, rc;

	for (i = 0; i < 3; i++) {
		rc = store_next_seq(t, c->name, &c->got[i]);
		if (rc)
			return rc;
	}
	return KP_OK;
}

static int seq_ro(struct store_txn *t, void *ctx)
{
	uint64_t v;

	(void)ctx;
	return store_next_seq(t, "seq:changes", &v);
}

static int seq_abort(struct store_txn *t, void *ctx)
{
	int rc = seq_txn(t, ctx);

	return rc ? rc : KP_E_DATA;
}

static void test_counters(struct store *st)
{
	struct seq_ctx a = { "seq:changes", { 0 } }, b = { "seq:audit", { 0 } };
	unsigned char buf[8];

	store_be64(0x0102030405060708ULL, buf);
	ok(buf[0] == 1 && buf[7] == 8, "be64 is big-endian");
	ok(store_from_be64(buf) == 0x0102030405060708ULL, "be64 round trip");

	is_int(store_write(st, seq_txn, &a), KP_OK, "counter in write txn");
	ok(a.got[0] == 1 && a.got[1] == 2 && a.got[2] == 3,
	   "counter starts at 1 and counts up");
	store_write(st, seq_abort, &b);
	store_write(st, seq_txn, &b);
	ok(b.got[0] == 1, "an aborted transaction does not use numbers up");
	store_write(st, seq_txn, &a);
	ok(a.got[0] == 4, "counters are independent and persistent");
	ok(store_read(st, seq_ro, NULL) == KP_E_SOFTWARE,
	   "counter refused in a read transaction");
}

struct big_ctx {
	int i0, n;
	size_t vsize;
};

static int write_big(struct store_txn *t, void *ctx)
{
	struct big_ctx *b = ctx;
	char k[32], *v = malloc(b->vsize);
	int i, rc = KP_OK;

	if (!v)
		return KP_E_NOMEM;
	for (i = b->i0; i < b->i0 + b->n && rc == KP_OK; i++) {
		snprintf(k, sizeof k, "big%08d", i);
		memset(v, 'a' + i % 26, b->vsize);
		rc = store_put(t, DB_VALUES, k, strlen(k), v, b->vsize);
	}
	free(v);
	return rc;
}

static void test_growth(void)
{
	char path[160];
	struct store *st;
	struct big_ctx b = { 0, 10, 100000 };
	struct stat sb;
	int i, rc = KP_OK;

	/* The initial map is 1 MiB: 20 MiB only fit if the map grows, both
	 * inside one transaction and across many. */
	setenv("KEPU_MAPSIZE", "1048576", 1);
	snprintf(path, sizeof path, "%s/grow.db", dir);
	is_int(store_open(path, STORE_CREATE, &st), KP_OK, "open a tiny map");
	b.n = 50;
	is_int(store_write(st, write_big, &b), KP_OK,
	       "one 5 MB transaction in a 1 MiB map");
	b.n = 10;
	for (i = 5; i < 20 && rc == KP_OK; i++) {
		b.i0 = i * 10;
		rc = store_write(st, write_big, &b);
	}
	is_int(rc, KP_OK, "15 more 1 MB transactions");
	is_int(count(st, DB_VALUES), 200, "all 200 values are there");
	memset(&sb, 0, sizeof sb);
	stat(path, &sb);
	ok(sb.st_size > 19 * 1000000,
	   "the file holds 20 MB (%lld bytes)", (long long)sb.st_size);
	store_close(st);
	is_int(store_open(path, 0, &st), KP_OK, "reopen a grown file");
	is_int(count(st, DB_VALUES), 200, "all values after reopening");
	b.i0 = 200;
	is_int(store_write(st, write_big, &b), KP_OK, "write after reopening");
	store_close(st);
	unsetenv("KEPU_MAPSIZE");
}

struct last_ctx {
	int from, to, step;
};

/* Sequence keys, in order or not, put as the last key. */
static int put_last(struct store_txn *t, void *ctx)
{
	struct last_ctx *c = ctx;
	unsigned char k[8];
	int i, rc = KP_OK;

	for (i = c->from; i != c->to && !rc; i += c->step) {
		store_be64((uint64_t)i, k);
		rc = store_put_last(t, DB_CHANGES, k, sizeof k, "v", 1);
	}
	return rc;
}

struct order_ctx {
	uint64_t prev;
	size_t n;
	bool ordered;
};

static int order_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	struct order_ctx *o = ctx;
	uint64_t x = kn == 8 ? store_from_be64(k) : 0;

	(void)v;
	(void)vn;
	if (o->n && x <= o->prev)
		o->ordered = false;
	o->prev = x;
	o->n++;
	return KP_OK;
}

static int order_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_CHANGES, NULL, 0, false, order_fn, ctx);
}

static void test_put_last(void)
{
	char path[160];
	struct store *st;
	struct last_ctx up = { 1, 2001, 1 }, down = { 5000, 4000, -1 };
	struct last_ctx mid = { 2500, 2600, 1 };
	struct order_ctx o = { 0, 0, true };

	snprintf(path, sizeof path, "%s/last.db", dir);
	is_int(store_open(path, STORE_CREATE, &st), KP_OK, "open");
	is_int(store_write(st, put_last, &up), KP_OK, "2000 keys in order at the end");
	is_int(store_write(st, put_last, &down), KP_OK,
	       "1000 keys in falling order: each after the first goes the plain way");
	is_int(store_write(st, put_last, &mid), KP_OK, "100 keys in the middle");
	store_read(st, order_txn, &o);
	ok(o.n == 3100 && o.ordered, "all 3100 there, in key order (%zu)", o.n);
	store_close(st);
}

/* A bulk transaction of `n` values of 100 kB. */
static void test_bulk(void)
{
	char path[160];
	struct store *st, *other;
	struct big_ctx b = { 0, 40, 100000 };
	struct kv_ctx a = { "after", "bulk" };
	struct stat sb;
	int rc;

	snprintf(path, sizeof path, "%s/bulk.db", dir);
	is_int(store_open(path, STORE_CREATE, &st), KP_OK, "open");
	is_int(store_open(path, 0, &other), KP_OK, "a second handle, as another clerk's");
	is_int(store_write_bulk(st, 4000000, write_big, &b), KP_OK,
	       "a bulk write of 4 MB, the map sized first");
	b.i0 = 40;
	b.n = 400;
	is_int(store_write_bulk(st, 40000000, write_big, &b), KP_OK,
	       "a bulk write of 40 MB, written in place in the map");
	memset(&sb, 0, sizeof sb);
	stat(path, &sb);
	ok(sb.st_size >= 44000000, "the file is as large as the map (%lld)",
	   (long long)sb.st_size);
	ok((long long)sb.st_blocks * 512 >= 44000000,
	   "and its blocks are there (%lld)", (long long)sb.st_blocks * 512);
	is_int(count(st, DB_VALUES), 440, "all 440 values");
	is_int(store_write(st, put_one, &a), KP_OK, "an ordinary write after it");
	is_int(count(other, DB_VALUES), 440, "the other handle reads them");
	is_int(store_write(other, put_one, &a), KP_OK, "and writes");
	get_meta(other, "after", &rc);
	is_int(rc, KP_OK, "and reads its write");
	store_close(other);
	store_close(st);
	is_int(store_open(path, 0, &st), KP_OK, "reopen");
	is_int(count(st, DB_VALUES), 440, "all values after reopening");
	store_close(st);
}

static void test_backup_and_modes(struct store *st)
{
	char path[160];
	struct store *bk, *ro;
	struct kv_ctx a = { "x", "y" };
	int rc;

	snprintf(path, sizeof path, "%s/backup.db", dir);
	is_int(store_backup(st, path), KP_OK, "backup to a new file");
	is_int(store_backup(st, path), KP_E_CANTCREAT,
	       "backup refuses an existing file");
	snprintf(path + strlen(path) - 9, 32, "nodir/x.db");
	is_int(store_backup(st, path), KP_E_CANTCREAT,
	       "backup into a missing folder");
	snprintf(path, sizeof path, "%s/backup.db", dir);
	is_int(store_open(path, STORE_RDONLY, &bk), KP_OK,
	       "the backup opens read-only");
	is_int(count(bk, DB_RECORDS), 5, "and holds the records");
	is_int(store_write(bk, put_one, &a), KP_E_IO,
	       "a read-only store refuses writes");
	store_close(bk);

	is_int(store_open(dbpath, STORE_RDONLY, &ro), KP_OK,
	       "read-only alongside a writer");
	get_meta(ro, "beta", &rc);
	is_int(rc, KP_NOTFOUND, "read-only store reads");
	store_close(ro);
	is_str(store_path(st), dbpath, "store_path");
}

static void test_corrupt(void)
{
	char path[160];
	struct store *st = NULL;
	FILE *f;

	snprintf(path, sizeof path, "%s/junk.db", dir);
	f = fopen(path, "w");
	fputs("this is not an LMDB file, it is a CSV, a,b,c\n", f);
	for (int i = 0; i < 400; i++)
		fputs("0123456789abcdef0123456789abcdef\n", f);
	fclose(f);
	is_int(store_open(path, 0, &st), KP_E_IO, "a file that is not LMDB");
	ok(strstr(kp_err_msg(), path) != NULL, "message names the file: %s",
	   kp_err_msg());
	ok(st == NULL, "no store returned");
}

int main(void)
{
	struct store *st = NULL;
	struct stat sb;
	char cmd[160];

	lang_init("en");
	umask(0);
	snprintf(dir, sizeof dir, "/tmp/t_store.XXXXXX");
	if (!mkdtemp(dir))
		return 99;
	snprintf(dbpath, sizeof dbpath, "%s/kepu.db", dir);

	test_missing();
	is_int(store_open(dbpath, STORE_CREATE, &st), KP_OK, "create");
	memset(&sb, 0, sizeof sb);
	stat(dbpath, &sb);
	ok((sb.st_mode & 0777) == 0660,
	   "file mode 0660 for a clerks' group (%o)", sb.st_mode & 0777);
	test_basic(st);
	test_iter(st);
	test_dupsort(st);
	test_counters(st);
	test_backup_and_modes(st);
	store_close(st);
	store_close(NULL);
	is_int(store_open(dbpath, 0, &st), KP_OK, "reopen without STORE_CREATE");
	is_int(count(st, DB_RECORDS), 5, "data persisted");
	store_close(st);
	test_growth();
	test_put_last();
	test_bulk();
	test_corrupt();

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove the test folder");
	return tap_done();
}
