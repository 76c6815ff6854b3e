/* bundle_dir.c - the crash-safe folder writer every bundle is written
 * with: files written into a hidden folder (each hashed in a second
 * thread as it is written, sha_bg.c, and flushed), then SHA256SUMS and
 * manifest.sig (bdir_seal), then the folder renamed into place and the
 * parent flushed (bdir_publish); a bundle taken back or abandoned is
 * removed.  The folder is locked while its export lives, so that another
 * export's sweep leaves it alone.
 *
 * Uses bundle.c (the encodings' names, messages) and bundle_fault.c (the
 * test hooks: failing writes and syncs, the sync log). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_int.h"
#include "err.h"
#include "fsutil.h"
#include "keys.h"
#include "lang.h"
#include "sha_bg.h"
#include "stop.h"
#include "text.h"

/* ---- one file ------------------------------------------------------- */

/* fopencookie's write: must return the bytes taken, 0 on error. */
static ssize_t bf_write(void *cookie, const char *buf, size_t n)
{
	struct bfile *bf = cookie;
	size_t off = 0;

	if (bundle_fault_hit(n)) {
		bf->err = errno = EIO;
		return 0;
	}
	while (off < n) {
		ssize_t w = write(bf->fd, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			bf->err = errno = w < 0 ? errno : ENOSPC;
			return 0;
		}
		off += (size_t)w;
	}
	sha_bg_update(bf->sha, buf, n);
	bf->size += n;
	return (ssize_t)n;
}

static int bf_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static int io_error(const struct bdir *d, const char *name, int e)
{
	return kp_err_set(e == ENOSPC || e == EIO || e == EROFS ? KP_E_IO :
	                  KP_E_CANTCREAT, LF("无法写入 %s/%s：%s",
	                  "cannot write %s/%s: %s"), d->out_dir, name,
	                  fs_errno_text(e));
}

int bfile_open(struct bdir *d, const char *name, struct bfile *bf)
{
	static const cookie_io_functions_t io = {
		.write = bf_write, .close = bf_close,
	};
	char *path = NULL;
	struct sbuf p = {0};

	memset(bf, 0, sizeof *bf);
	bf->fd = -1;
	snprintf(bf->name, sizeof bf->name, "%s", name);
	if (sbuf_printf(&p, "%s/%s", d->tmp, name) != KP_OK)
		return kp_err_nomem();
	path = p.s;
	bf->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	sbuf_free(&p);
	if (bf->fd < 0)
		return io_error(d, name, errno);
	if (sha_bg_start(&bf->sha) != KP_OK || !(bf->f = fopencookie(bf, "w", io))) {
		sha_bg_final(bf->sha, NULL);
		bf->sha = NULL;
		close(bf->fd);
		bf->fd = -1;
		return kp_err_nomem();
	}
	setvbuf(bf->f, NULL, _IOFBF, 1 << 16);
	return KP_OK;
}

void bfile_discard(struct bfile *bf)
{
	if (bf->f)
		fclose(bf->f);   /* what it still holds passes the hash */
	sha_bg_final(bf->sha, NULL);
	bf->sha = NULL;
	if (bf->fd >= 0)
		close(bf->fd);
	bf->f = NULL;
	bf->fd = -1;
}

static int add_sum(struct bdir *d, struct bfile *bf)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	struct bsum *s;

	if (d->nsums == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct bsum *ns = realloc(d->sums, cap * sizeof *ns);

		if (!ns) {
			sha_bg_final(bf->sha, NULL);
			bf->sha = NULL;
			return kp_err_nomem();
		}
		d->sums = ns;
		d->cap = cap;
	}
	s = &d->sums[d->nsums++];
	sha_bg_final(bf->sha, h);
	bf->sha = NULL;
	sodium_bin2hex(s->hex, sizeof s->hex, h, sizeof h);
	snprintf(s->name, sizeof s->name, "%s", bf->name);
	s->size = bf->size;
	return KP_OK;
}

static int bfile_flush_close(struct bdir *d, struct bfile *bf)
{
	int e = 0;

	if (fflush(bf->f) != 0 || ferror(bf->f))
		e = bf->err ? bf->err : EIO;
	if (!e)
		e = bundle_sync_file(bf->fd, bf->name);
	fclose(bf->f);
	bf->f = NULL;
	if (close(bf->fd) != 0 && !e)
		e = errno;
	bf->fd = -1;
	if (e)
		return io_error(d, bf->name, e);
	return KP_OK;
}

int bfile_close(struct bdir *d, struct bfile *bf)
{
	int rc = bfile_flush_close(d, bf);

	if (rc != KP_OK) {
		sha_bg_final(bf->sha, NULL);
		bf->sha = NULL;
		return rc;
	}
	return add_sum(d, bf);
}

static int put_file(struct bdir *d, const char *name, const void *p,
                    size_t n, bool sum)
{
	struct bfile bf;
	int rc;

	if ((rc = bfile_open(d, name, &bf)) != KP_OK)
		return rc;
	if (n && fwrite(p, 1, n, bf.f) != n) {
		int e = bf.err ? bf.err : EIO;

		bfile_discard(&bf);
		return io_error(d, name, e);
	}
	return sum ? bfile_close(d, &bf) : bfile_flush_close(d, &bf);
}

int bdir_put(struct bdir *d, const char *name, const void *p, size_t n)
{
	return put_file(d, name, p, n, true);
}

const struct bsum *bdir_sum(const struct bdir *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nsums; i++)
		if (strcmp(d->sums[i].name, name) == 0)
			return &d->sums[i];
	return NULL;
}

/* ---- the folder ----------------------------------------------------- */

/* what: "folder" (the bundle's) or "parent" (the output folder), for the
 * test log. */
static int sync_dir(const char *path, const char *what)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = 0;

	if (fd < 0)
		return errno;
	/* Some file systems (vfat on old kernels) refuse fsync on a
	 * directory; their metadata goes out with the files. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
		e = errno;
	close(fd);
	if (!e)
		bundle_sync_log("fsync-dir", what);
	return e;
}

int bdir_check(const char *out_dir)
{
	struct stat st;
	char *around;
	int rc;

	if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kp_err_set(KP_E_CANTCREAT, LF("%s：文件夹不存在",
		                  "%s: no such folder"), out_dir);
	if (!(around = bundle_enclosing(out_dir)))
		return KP_OK;
	rc = kp_err_set(KP_E_CANTCREAT, LF("%s 是数据包 %s（或在它里面）；新的数据包"
	                "不能写进别的数据包，请选 U 盘上的文件夹本身",
	                "%s is (inside) the bundle %s; a new bundle cannot go "
	                "inside another one: choose the folder on the stick "
	                "itself"), out_dir, around);
	free(around);
	return rc;
}

int bdir_begin(struct bdir *d, const char *out_dir, const char *name)
{
	struct sbuf b = {0};
	struct stat st;
	mode_t um;
	int rc, parent;

	memset(d, 0, sizeof *d);
	d->lockfd = -1;
	if ((rc = bdir_check(out_dir)) != KP_OK)
		return rc;
	d->out_dir = xstrdup(out_dir);
	if (!d->out_dir || sbuf_printf(&b, "%s/%s", out_dir, name) != KP_OK)
		goto nomem;
	d->final = sbuf_take(&b);
	if (lstat(d->final, &st) == 0) {
		kp_err_set(KP_E_CANTCREAT, LF("%s 已经存在", "%s already exists"),
		           d->final);
		bdir_free(d);
		return KP_E_CANTCREAT;
	}
	/* A hidden name: an interrupted export never looks like a bundle. */
	if (sbuf_printf(&b, "%s/.%s.XXXXXX", out_dir, name) != KP_OK)
		goto nomem;
	d->tmp = sbuf_take(&b);
	/* The new folder is locked before another export's sweep can see it
	 * unlocked: the sweep holds the output folder's lock exclusively. */
	parent = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent >= 0)
		flock(parent, LOCK_SH);
	if (!mkdtemp(d->tmp)) {
		int e = errno;

		if (parent >= 0)
			close(parent);
		free(d->tmp);
		d->tmp = NULL;
		bdir_free(d);
		return kp_err_set(e == ENOSPC || e == EIO ? KP_E_IO : KP_E_CANTCREAT,
		                  LF("无法在 %s 中创建文件夹：%s",
		                  "cannot create a folder in %s: %s"), out_dir,
		                  fs_errno_text(e));
	}
	um = umask(0);
	umask(um);
	chmod(d->tmp, 0777 & ~um);
	/* Held while this export lives (and after the rename, on the same
	 * folder): the next export tells a stale temporary folder from one
	 * being written by the lock (bundle_settle.c). */
	d->lockfd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->lockfd >= 0 && flock(d->lockfd, LOCK_EX | LOCK_NB) != 0) {
		close(d->lockfd);
		d->lockfd = -1;
	}
	if (parent >= 0)
		close(parent);
	return KP_OK;
nomem:
	sbuf_free(&b);
	bdir_free(d);
	return kp_err_nomem();
}

static int cmp_sum(const void *a, const void *b)
{
	return strcmp(((const struct bsum *)a)->name,
	              ((const struct bsum *)b)->name);
}

int bdir_seal(struct bdir *d, struct ledger *lg)
{
	unsigned char sig[KEYS_SIG_BYTES], h[crypto_hash_sha256_BYTES];
	char sighex[2 * KEYS_SIG_BYTES + 2];
	struct sbuf sums = {0};
	size_t i;
	int rc, e;

	if (d->nsums > 1)
		qsort(d->sums, d->nsums, sizeof *d->sums, cmp_sum);
	for (i = 0; i < d->nsums; i++)
		if ((rc = sbuf_printf(&sums, "%s  %s\n", d->sums[i].hex,
		                      d->sums[i].name)) != KP_OK)
			goto out;
	if ((rc = put_file(d, BUNDLE_SUMS, sums.s, sums.len, false)) != KP_OK)
		goto out;
	if ((rc = keys_sign(lg, sums.s, sums.len, sig)) != KP_OK)
		goto out;
	keys_to_hex(sig, sizeof sig, sighex);
	strcat(sighex, "\n");
	if ((rc = put_file(d, BUNDLE_SIG, sighex, strlen(sighex), false)) != KP_OK)
		goto out;
	if ((e = sync_dir(d->tmp, "folder")) != 0) {
		rc = io_error(d, ".", e);
		goto out;
	}
	crypto_hash_sha256(h, (const unsigned char *)sums.s, sums.len);
	sodium_bin2hex(d->sums_hex, sizeof d->sums_hex, h, sizeof h);
out:
	sbuf_free(&sums);
	return rc;
}

int bdir_publish(struct bdir *d)
{
	struct stat st;
	int rc = KP_OK, e;

	if (lstat(d->final, &st) == 0) {
		rc = kp_err_set(KP_E_CANTCREAT, LF("%s 已经存在", "%s already exists"),
		                d->final);
		goto out;
	}
	if (rename(d->tmp, d->final) != 0) {
		rc = io_error(d, d->final + strlen(d->out_dir) + 1, errno);
		goto out;
	}
	bundle_sync_log("rename", "folder");
	stop_crash_point("renamed");
	/* Until the new name is on the stick the bundle may still vanish
	 * with the stick: then it must be neither recorded nor left looking
	 * complete, so it is taken back and the next export repeats it. */
	if ((e = bundle_fault_dirsync() ? EIO : sync_dir(d->out_dir, "parent")) != 0) {
		rc = io_error(d, ".", e);
		bdir_withdraw(d);
		goto out;
	}
	d->hidden = d->tmp;
	d->tmp = NULL;
out:
	return rc;
}

void bdir_withdraw(struct bdir *d)
{
	struct stat st;
	char *name = d->tmp ? d->tmp : d->hidden;

	if (!d->final || lstat(d->final, &st) != 0 || !name)
		return;
	if (rename(d->final, name) != 0)
		name = d->final;      /* then removed where it is */
	if (name != d->tmp) {
		char *keep = xstrdup(name);

		if (!keep)
			return;
		free(d->tmp);
		d->tmp = keep;
	}
	free(d->hidden);
	d->hidden = NULL;
}

/* Remove the files of folder dfd (and of its attachments folder, the
 * one folder a bundle has inside). */
static void remove_files(int dfd, bool top)
{
	DIR *dir = fdopendir(dfd);
	struct dirent *de;

	if (!dir) {
		close(dfd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd(dir), de->d_name, 0) == 0 || !top ||
		    strcmp(de->d_name, BUNDLE_ATTACH_DIR) != 0)
			continue;
		int sub = openat(dirfd(dir), de->d_name,
		                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub >= 0)
			remove_files(sub, false);
		unlinkat(dirfd(dir), de->d_name, AT_REMOVEDIR);
	}
	closedir(dir);
}

void bdir_abort(struct bdir *d)
{
	int dfd;

	if (d->tmp && (dfd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                          O_CLOEXEC)) >= 0) {
		remove_files(dfd, true);
		rmdir(d->tmp);
	}
	bdir_free(d);
}

void bdir_free(struct bdir *d)
{
	if (d->lockfd > 0)
		close(d->lockfd);
	free(d->out_dir);
	free(d->tmp);
	free(d->hidden);
	free(d->final);
	free(d->sums);
	memset(d, 0, sizeof *d);
}
