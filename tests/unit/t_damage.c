/* t_damage.c - a damaged database file is refused in words, never with a
 * crash: a file cut short, a node whose flags or lengths were flipped, a
 * tree whose flags changed.  Each damage is made on purpose in a small
 * file: the bytes of a node are found by its key, which is unique, and
 * changed as a flipped bit on the disk would (LMDB's node header: data
 * size low and high 16 bits, flags, key size, then the key).
 *
 * Not run under valgrind (tests/run-all.sh): LMDB's reads of the damaged
 * pages fault on purpose, which valgrind reports as invalid reads. */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "store.h"
#include "tap.h"

static char dir[64], dbpath[128];
static const char victim[] = "kepu-damage-victim";
static const char bigkey[] = "kepu-damage-big";

static int fill(struct store_txn *t, void *ctx)
{
	char k[32], v[200];
	int i, rc = KP_OK;

	(void)ctx;
	memset(v, 'v', sizeof v);
	for (i = 0; i < 60 && !rc; i++) {
		snprintf(k, sizeof k, "key%04d", i);
		rc = store_put(t, DB_RECORDS, k, strlen(k), v, sizeof v);
	}
	if (!rc)
		rc = store_put(t, DB_RECORDS, victim, strlen(victim), "payload", 7);
	if (!rc)
		rc = store_put(t, DB_DUPKEY, "dup", 3, "one", 3);
	if (!rc)
		rc = store_put(t, DB_RECORDS, bigkey, strlen(bigkey),
		               "\2\0\0\0\0\0\0\0", 8);
	return rc;
}

/* A fresh database of 60 records and the victim. */
static void make_db(void)
{
	struct store *st;

	unlink(dbpath);
	if (store_open(dbpath, STORE_CREATE, &st) != KP_OK ||
	    store_write(st, fill, NULL) != KP_OK) {
		printf("Bail out! cannot make %s: %s\n", dbpath, kp_err_msg());
		exit(1);
	}
	store_close(st);
}

static unsigned char *slurp(size_t *n)
{
	FILE *f = fopen(dbpath, "rb");
	unsigned char *b;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0) {
		printf("Bail out! cannot read %s\n", dbpath);
		exit(1);
	}
	rewind(f);
	b = malloc((size_t)len);
	if (!b || fread(b, 1, (size_t)len, f) != (size_t)len) {
		printf("Bail out! cannot read %s\n", dbpath);
		exit(1);
	}
	fclose(f);
	*n = (size_t)len;
	return b;
}

static void spill(const unsigned char *b, size_t n)
{
	FILE *f = fopen(dbpath, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
		printf("Bail out! cannot write %s\n", dbpath);
		exit(1);
	}
}

/* Set the 16-bit field `field` (0: size low, 1: size high, 2: flags,
 * 3: key size) of the node holding key, or OR bits into it; returns how
 * many nodes were changed. */
static int patch_node(const char *key, int field, unsigned val, bool or)
{
	size_t n, i, kn = strlen(key);
	unsigned char *b = slurp(&n), *h;
	int hits = 0;

	for (i = 8; i + kn <= n; i++) {
		if (memcmp(b + i, key, kn) != 0 || b[i - 2] != kn || b[i - 1])
			continue;
		h = b + i - 8 + 2 * field;
		if (or)
			val |= (unsigned)h[0] | (unsigned)h[1] << 8;
		h[0] = val & 0xff;
		h[1] = (val >> 8) & 0xff;
		hits++;
	}
	spill(b, n);
	free(b);
	return hits;
}

/* Where the value of key's node starts in the file (of *n bytes). */
static size_t node_data_at(const char *key, size_t *n)
{
	size_t i, kn = strlen(key), at = 0;
	unsigned char *b = slurp(n);

	for (i = 8; i + kn <= *n && !at; i++)
		if (memcmp(b + i, key, kn) == 0 && b[i - 2] == kn && !b[i - 1])
			at = i + kn;
	free(b);
	return at;
}

struct get_ctx {
	const char *k;
	size_t vn;
	int rc;
};

static int get_txn(struct store_txn *t, void *ctx)
{
	struct get_ctx *g = ctx;
	const void *v;

	g->rc = store_get(t, DB_RECORDS, g->k, strlen(g->k), &v, &g->vn);
	return g->rc;
}

static int count_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	const unsigned char *kb = k, *vb = v;
	unsigned sum = 0;
	size_t i;

	/* Read every byte handed out, as a caller copying it would. */
	for (i = 0; i < kn; i++)
		sum += kb[i];
	for (i = 0; i < vn; i++)
		sum += vb[i];
	*(unsigned *)ctx += 1 + (sum & 0);
	return KP_OK;
}

static int iter_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_RECORDS, NULL, 0, false, count_fn, ctx);
}

static bool damaged_msg(void)
{
	return strstr(kp_err_msg(), "is damaged or incomplete; restore the backup") != NULL;
}

static void test_truncated(void)
{
	struct store *st = NULL;
	struct stat sb;

	make_db();
	stat(dbpath, &sb);
	ok(truncate(dbpath, sb.st_size / 2) == 0, "cut the file to half (%lld bytes)",
	   (long long)sb.st_size / 2);
	is_int(store_open(dbpath, 0, &st), KP_E_IO, "a file cut to half is refused");
	ok(damaged_msg(), "says it is damaged: %s", kp_err_msg());
	ok(strstr(kp_err_msg(), "its pages need") != NULL, "and why");
	ok(st == NULL, "no store returned");
	is_int(store_open(dbpath, STORE_RDONLY, &st), KP_E_IO,
	       "refused when opened read-only too");
	ok(truncate(dbpath, 4096 + 100) == 0, "cut inside the second meta page");
	is_int(store_open(dbpath, 0, &st), KP_E_IO, "refused");
	ok(damaged_msg(), "says it is damaged: %s", kp_err_msg());
	make_db();
	is_int(store_open(dbpath, 0, &st), KP_OK, "an intact file opens");
	store_close(st);
}

static void test_node_flags(void)
{
	struct store *st = NULL;
	struct get_ctx g = { victim, 0, -1 };
	char copy[160];
	struct stat sb;
	unsigned n = 0;

	make_db();
	/* F_DUPDATA (4) on a node of a tree without duplicates: LMDB then
	 * follows a pointer it does not have (SIGSEGV in LMDB 0.9). */
	is_int(patch_node(victim, 2, 4, true), 1, "F_DUPDATA set on the victim's node");
	is_int(store_open(dbpath, 0, &st), KP_OK, "the file still opens");
	if (!st)
		return;
	is_int(store_read(st, get_txn, &g), KP_E_IO, "store_get on that node: KP_E_IO");
	ok(damaged_msg(), "says the file is damaged: %s", kp_err_msg());
	is_int(store_read(st, iter_txn, &n), KP_E_IO, "store_iter over it: KP_E_IO");
	ok(damaged_msg(), "says the file is damaged: %s", kp_err_msg());
	g.k = "key0001";
	is_int(store_read(st, get_txn, &g), KP_OK,
	       "the store still works for a key that is intact");
	store_close(st);

	/* F_BIGDATA (1) on a node whose value is the number of page 2: a
	 * compact copy takes that page for the first of a run of overflow
	 * pages, as many as its header's bytes say (millions). */
	make_db();
	is_int(patch_node(bigkey, 2, 1, true), 1, "F_BIGDATA set on a small value");
	is_int(store_open(dbpath, 0, &st), KP_OK, "the file still opens");
	if (!st)
		return;
	snprintf(copy, sizeof copy, "%s/copy.kepu", dir);
	is_int(store_backup(st, copy), KP_E_IO, "a backup of that file: KP_E_IO");
	ok(damaged_msg(), "says the file is damaged: %s", kp_err_msg());
	ok(stat(copy, &sb) != 0, "and leaves no copy");
	is_int(store_read(st, get_txn, &g), KP_OK, "the store goes on working");
	store_close(st);
}

static void test_lengths(void)
{
	struct store *st = NULL;
	struct get_ctx g = { victim, 0, -1 };
	unsigned n = 0;
	size_t past, size;

	make_db();
	/* A data length of 1.8 GB, as the ledger once tried to copy. */
	patch_node(victim, 0, 0xFFFF, false);
	is_int(patch_node(victim, 1, 0x6D00, false), 1, "the victim's value says 1.8 GB");
	is_int(store_open(dbpath, 0, &st), KP_OK, "the file still opens");
	if (!st)
		return;
	is_int(store_read(st, get_txn, &g), KP_E_IO, "store_get refuses the value");
	ok(damaged_msg() && strstr(kp_err_msg(), "1828782079 bytes"),
	   "says how long it claims to be: %s", kp_err_msg());
	is_int(store_read(st, iter_txn, &n), KP_E_IO, "store_iter refuses it too");
	store_close(st);

	make_db();
	/* A length no longer than the file, but running 100 bytes past its
	 * end from where the value starts. */
	past = node_data_at(victim, &size);
	past = size - past + 100;
	patch_node(victim, 0, past & 0xFFFF, false);
	patch_node(victim, 1, past >> 16, false);
	is_int(store_open(dbpath, 0, &st), KP_OK,
	       "a value of %zu bytes running past the end: opens", past);
	if (!st)
		return;
	n = 0;
	is_int(store_read(st, iter_txn, &n), KP_E_IO,
	       "store_iter refuses a value running past the end of the file");
	ok(damaged_msg(), "says the file is damaged: %s", kp_err_msg());
	store_close(st);

	make_db();
	is_int(patch_node(victim, 3, 0xFFFF, false), 1, "the victim's key says 65535 bytes");
	is_int(store_open(dbpath, 0, &st), KP_OK, "the file still opens");
	if (!st)
		return;
	n = 0;
	is_int(store_read(st, iter_txn, &n), KP_E_IO, "store_iter refuses the key");
	ok(damaged_msg(), "says the file is damaged: %s", kp_err_msg());
	store_close(st);
}

static void test_tree_flags(void)
{
	struct store *st = NULL;
	size_t n, i;
	unsigned char *b;
	int hits = 0;

	make_db();
	/* The main tree's node "records" holds that tree's MDB_db: 4 bytes of
	 * padding, then its 16-bit flags.  MDB_INTEGERKEY (8) would make LMDB
	 * compare kepu's keys as numbers. */
	b = slurp(&n);
	for (i = 8; i + 7 + 6 <= n; i++)
		if (memcmp(b + i, "records", 7) == 0 && b[i - 2] == 7 && !b[i - 1]) {
			b[i + 7 + 4] |= 8;
			hits++;
		}
	spill(b, n);
	free(b);
	ok(hits >= 1, "MDB_INTEGERKEY set on the records tree (%d copies)", hits);
	is_int(store_open(dbpath, 0, &st), KP_E_IO, "refused at open");
	ok(damaged_msg() && strstr(kp_err_msg(), "records has flags 0x8"),
	   "names the tree: %s", kp_err_msg());
	is_int(store_open(dbpath, STORE_RDONLY, &st), KP_E_IO,
	       "refused read-only too");
	ok(st == NULL, "no store returned");
}

/* The guard catches faults inside LMDB only: one in kepu's own code still
 * ends the process (by the signal, or by a sanitizer's report). */
static volatile uintptr_t bad_address = 8;

static void test_fault_outside(int how)
{
	struct store *st = NULL;
	int status = 0;
	pid_t pid;

	make_db();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(10);
		if (store_open(dbpath, 0, &st) != KP_OK)
			_exit(3);
		if (how == 0)
			*(volatile int *)bad_address = 1;   /* SIGSEGV */
		else
			raise(SIGBUS);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok((WIFSIGNALED(status) && WTERMSIG(status) == (how ? SIGBUS : SIGSEGV)) ||
	   (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	    WEXITSTATUS(status) != 3),
	   "%s outside LMDB still ends the process (status 0x%x)",
	   how ? "raise(SIGBUS)" : "a SIGSEGV", (unsigned)status);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	snprintf(dir, sizeof dir, "/tmp/kepu-t_damage.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/d.kepu", dir);

	test_truncated();
	test_node_flags();
	test_lengths();
	test_tree_flags();
	test_fault_outside(0);
	test_fault_outside(1);

	unlink(dbpath);
	snprintf(dbpath + strlen(dbpath), sizeof dbpath - strlen(dbpath), "-lock");
	unlink(dbpath);
	rmdir(dir);
	return tap_done();
}
