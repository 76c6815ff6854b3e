/* store_fail.c - what can be wrong with a database file, in words: damage
 * (a file cut short, impossible pages, LMDB faulting on a page), a full
 * disk, a file system LMDB must not live on, a file or folder this user
 * may not open.  Nothing here reads a page. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "store_guard.h"
#include "store_int.h"

/* LMDB's own limit on the depth of a tree (CURSOR_STACK). */
#define STORE_MAXDEPTH 32
/* Less free space than this after a failed write: the disk is full. */
#define STORE_FULL_BYTES ((unsigned long long)1 << 20)
/* The lock file LMDB makes for kepu's 126 readers (192 bytes of header,
 * 64 per reader).  Were LMDB to want more it grows the file itself. */
#define STORE_LOCK_BYTES 8192

/* The one message for a file whose pages cannot be trusted; the detail
 * in brackets is for whoever restores it. */
int store_damaged(const struct store *st, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return kp_err_set(KP_E_IO, LF("数据库文件 %s 已损坏或不完整，请用备份恢复（%s）",
	                             "the database file %s is damaged or incomplete; restore the backup (%s)"),
	                  st->path, detail);
}

/* LMDB's answers that only a damaged file gives (MDB_BAD_TXN: a read of
 * this transaction met one of them before). */
static bool is_damage(int rc)
{
	return rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	       rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ||
	       rc == MDB_INCOMPATIBLE || rc == MDB_CURSOR_FULL ||
	       rc == MDB_PAGE_FULL || rc == MDB_BAD_TXN || rc == GUARD_EFAULT;
}

/* LMDB reports a short write, which is what a full disk gives once part
 * of the pages fit, as EIO: it is a full disk when little space is left
 * on the file system of path (counting the blocks kept for root when
 * running as root, who may use them). */
static bool disk_full(const char *path)
{
	char *dir = strdup(path), *slash;
	struct statvfs sv;
	unsigned long long avail;
	bool full = false;

	if (!dir)
		return false;
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	if (statvfs(slash ? dir : ".", &sv) == 0) {
		avail = geteuid() == 0 ? sv.f_bfree : sv.f_bavail;
		full = avail * sv.f_frsize < STORE_FULL_BYTES;
	}
	free(dir);
	return full;
}

/* Why, for rc: a system error (errno, positive) in the user's language,
 * one of LMDB's own (negative) as LMDB says it. */
static const char *store_errtext(int rc)
{
	return rc > 0 ? fs_errno_text(rc) : mdb_strerror(rc);
}

int store_fail(const struct store *st, int rc, const char *what)
{
	if (rc == MDB_READERS_FULL)
		return kp_err_set(KP_E_TEMPFAIL,
			LF("数据库读者已满（%s），请稍后重试",
			  "too many readers of the database (%s), try again later"),
			what);
	if (rc == ENOMEM)
		return kp_err_set(KP_E_NOMEM, "%s: %s", what, store_errtext(rc));
	if (rc == GUARD_EFAULT && guard_signal() == SIGABRT)
		return store_damaged(st, LF("LMDB 认为 %s 中的一页不可能",
		                            "LMDB found an impossible page in %s"),
		                     what);
	if (rc == GUARD_EFAULT)
		return store_damaged(st, LF("读取 %s 时越出了文件（%s）",
		                            "reading %s went outside the file (%s)"),
		                     what, guard_signal() == SIGBUS ? "SIGBUS" :
		                     "SIGSEGV");
	if (is_damage(rc))
		return store_damaged(st, "%s: %s", what, store_errtext(rc));
	if (rc == ENOSPC || rc == EDQUOT || (rc == EIO && disk_full(st->path)))
		return kp_err_set(KP_E_IO, LF("无法写入数据库 %s：%s，请腾出空间后重试",
		                             "cannot write to the database %s: %s; free some space and try again"),
		                  st->path, fs_errno_text(rc == EDQUOT ? EDQUOT : ENOSPC));
	return kp_err_set(KP_E_IO, LF("数据库错误（%s）：%s",
	                             "database error (%s): %s"),
	                  what, store_errtext(rc));
}

/* The file must hold every page its newest meta page counts: a file cut
 * short (a copy that stopped, a full disk) would otherwise make the first
 * read past its end kill kepu with SIGBUS.  LMDB reads the meta pages with
 * pread, so nothing here touches the map. */
int store_check_file(struct store *st)
{
	MDB_envinfo info;
	MDB_stat ms;
	struct stat sb;
	mdb_filehandle_t fd;
	size_t need;
	int rc;

	rc = mdb_env_stat(st->env, &ms);
	if (!rc)
		rc = mdb_env_info(st->env, &info);
	if (!rc)
		rc = mdb_env_get_fd(st->env, &fd);
	if (rc)
		return store_fail(st, rc, "env_info");
	if (fstat(fd, &sb) != 0)
		return store_fail(st, errno, "fstat");
	st->psize = ms.ms_psize;
	st->maxkey = (size_t)mdb_env_get_maxkeysize(st->env);
	if (st->psize < 512 || st->psize > 65536 ||
	    (st->psize & (st->psize - 1)))
		return store_damaged(st, LF("页大小 %zu 不可能",
		                            "impossible page size %zu"), st->psize);
	if (info.me_last_pgno >= SIZE_MAX / st->psize)
		return store_damaged(st, LF("最后一页的页号 %zu 不可能",
		                            "impossible last page number %zu"),
		                     info.me_last_pgno);
	need = (info.me_last_pgno + 1) * st->psize;
	if ((unsigned long long)sb.st_size < need)
		return store_damaged(st, LF("文件只有 %lld 字节，其中的页需要 %zu 字节",
		                            "the file has %lld bytes, its pages need %zu"),
		                     (long long)sb.st_size, need);
	return KP_OK;
}

/* What LMDB keeps about a tree must be possible: its flags those kepu
 * opened it with (a flipped flag changes how LMDB reads every node), no
 * more pages than the file has, no deeper than LMDB can walk. */
int store_check_tree(struct store *st, MDB_txn *txn, MDB_dbi dbi,
                     const char *name, unsigned want, size_t *pages)
{
	const unsigned persistent = MDB_REVERSEKEY | MDB_DUPSORT |
		MDB_INTEGERKEY | MDB_DUPFIXED | MDB_INTEGERDUP | MDB_REVERSEDUP;
	MDB_envinfo info;
	MDB_stat ms;
	unsigned flags;
	size_t all;
	int rc;

	rc = mdb_dbi_flags(txn, dbi, &flags);
	if (!rc)
		rc = guard_stat(txn, dbi, &ms);
	if (!rc)
		rc = mdb_env_info(st->env, &info);
	if (rc)
		return store_fail(st, rc, name);
	if ((flags & persistent) != want)
		return store_damaged(st, LF("%s 的标志 0x%x 不对",
		                            "%s has flags 0x%x"),
		                     name, flags & persistent);
	all = info.me_last_pgno + 1;
	if (ms.ms_depth > STORE_MAXDEPTH || ms.ms_branch_pages > all ||
	    ms.ms_leaf_pages > all || ms.ms_overflow_pages > all)
		return store_damaged(st, LF("%s 的页数或深度 %u 不可能",
		                            "%s: impossible page counts or depth %u"),
		                     name, ms.ms_depth);
	*pages += ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages;
	if (*pages > all)
		return store_damaged(st, LF("各树共有 %zu 页，文件只有 %zu 页",
		                            "the trees count %zu pages, the file has %zu"),
		                     *pages, all);
	return KP_OK;
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

int store_check_fs(const char *path)
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

int store_fail_backup(const struct store *st, int rc, const char *path)
{
	const char *why;

	if (is_damage(rc))
		return store_damaged(st, "%s", store_errtext(rc));
	if (rc == ENOSPC || rc == EDQUOT || (rc == EIO && disk_full(path)))
		why = fs_errno_text(rc == EDQUOT ? EDQUOT : ENOSPC);
	else
		why = store_errtext(rc);
	return kp_err_set(KP_E_CANTCREAT, LF("无法写入备份 %s：%s",
	                                    "cannot write backup %s: %s"),
	                  path, why);
}

int store_denied(const char *path)
{
	char what[1024];

	fs_denied_what(path, what, sizeof what);
	return kp_err_set(KP_E_NOPERM, LF("没有权限：无法打开数据库 %s%s%s。请找它的主人或管理员开放权限"
	                  "（多人共用一个数据库：共同的组、umask 007、setgid 文件夹，见使用说明）",
	                  "permission denied: cannot open the database %s%s%s. Its owner or the "
	                  "administrator can give access (to share a database: a common group, "
	                  "umask 007, a setgid folder; see the user guide)"),
	                  path, *what ? L("：", ": ") : "", what);
}

int store_open_fail(const struct store *st, int rc, bool exists)
{
	int code = exists ? KP_E_IO : KP_E_CANTCREAT;
	const char *why;

	if (rc == EACCES || rc == EPERM)
		return store_denied(st->path);
	if (exists && is_damage(rc))
		return store_damaged(st, "%s", store_errtext(rc));
	if (rc == EAGAIN || rc == EBUSY)
		code = KP_E_TEMPFAIL;
	if (rc == ENOSPC || rc == EDQUOT || (rc == EIO && disk_full(st->path)))
		why = fs_errno_text(rc == EDQUOT ? EDQUOT : ENOSPC);
	else
		why = store_errtext(rc);
	return kp_err_set(code, LF("无法打开数据库 %s：%s",
	                          "cannot open database %s: %s"),
	                  st->path, why);
}

/* LMDB maps the lock file writable and writes reader slots into it: on a
 * full disk a page of a new (sparse) lock file has nowhere to go and the
 * write kills the process with SIGBUS.  Blocks given beforehand make that
 * impossible, and a full disk is said here instead. */
int store_prepare_lock(const char *path, bool exists)
{
	char *lock;
	int fd, e = 0;

	lock = malloc(strlen(path) + sizeof "-lock");
	if (!lock)
		return kp_err_nomem();
	strcpy(lock, path);
	strcat(lock, "-lock");
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (fd >= 0) {
		if (fallocate(fd, 0, 0, STORE_LOCK_BYTES) != 0)
			e = errno;
		close(fd);
	}
	if (e == ENOSPC || e == EDQUOT) {
		if (!exists)
			unlink(lock);
	} else {
		e = 0;
	}
	free(lock);
	if (!e)
		return KP_OK;
	return kp_err_set(exists ? KP_E_IO : KP_E_CANTCREAT,
	                  LF("无法打开数据库 %s：%s，请腾出空间后重试",
	                     "cannot open database %s: %s; free some space and try again"),
	                  path, fs_errno_text(e));
}
