/* fsutil.c - creating the folders above a file, with messages that stay
 * in one language; what keeps a user from a database, and what would keep
 * the other clerks of a shared office from a new one. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

bool fs_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

const char *fs_errno_text(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
		return L("没有权限", "permission denied");
	case ENOENT:
		return L("路径不存在", "no such file or folder");
	case ENOTDIR:
		return L("路径中有一段不是文件夹", "a part of the path is not a folder");
	case EEXIST:
		return L("已有同名文件", "a file of that name exists");
	case ENOSPC:
		return L("磁盘已满", "the disk is full");
	case EROFS:
		return L("只读的文件系统", "read-only file system");
	case ENAMETOOLONG:
		return L("路径太长", "the path is too long");
	case EDQUOT:
		return L("超出磁盘配额", "disk quota exceeded");
	case EISDIR:
		return L("这是一个文件夹", "it is a folder");
	case EIO:
		return L("读写出错（U 盘或磁盘可能已拔出或损坏）",
		         "input/output error (the stick or disk may be pulled out or damaged)");
	case EBUSY:
	case ETXTBSY:
		return L("正被占用", "in use");
	case EMFILE:
	case ENFILE:
		return L("打开的文件太多", "too many open files");
	case ENOMEM:
		return L("内存不足", "out of memory");
	case EFBIG:
		return L("文件太大", "the file is too large");
	case ELOOP:
		return L("路径中的链接太多", "too many links in the path");
	default: {
		/* strerror is in the locale's language, which may not be ours:
		 * in Chinese the English is kept in brackets, for whoever helps. */
		static _Thread_local char buf[160];

		if (lang_get() != KP_LANG_ZH)
			return strerror(e);
		snprintf(buf, sizeof buf, "系统错误 %d（%s）", e, strerror(e));
		return buf;
	}
	}
}

int fs_make_parents(const char *path)
{
	char *dir = xstrdup(path), *p;
	struct stat st;
	int rc = KP_OK;

	if (!dir)
		return kp_err_nomem();
	p = strrchr(dir, '/');
	if (!p || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			rc = kp_err_set(KP_E_CANTCREAT, LF("无法创建文件夹 %s：%s",
			                "cannot create folder %s: %s"), dir,
			                fs_errno_text(errno));
			goto out;
		}
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = kp_err_set(KP_E_CANTCREAT, LF("无法创建文件夹 %s：%s",
			                "cannot create folder %s: %s"), dir,
			                fs_errno_text(ENOTDIR));
			goto out;
		}
		if (last)
			break;
		*p = '/';
	}
out:
	free(dir);
	return rc;
}

/* ---- permissions ---------------------------------------------------- */

/* Into buf (getpwuid's answer lasts only until its next call). */
static const char *user_name(uid_t uid, char buf[32])
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, 32, "%s", pw->pw_name);
	else
		snprintf(buf, 32, "%lu", (unsigned long)uid);
	return buf;
}

static const char *group_name(gid_t gid, char buf[32])
{
	struct group *gr = getgrgid(gid);

	if (gr)
		snprintf(buf, 32, "%s", gr->gr_name);
	else
		snprintf(buf, 32, "%lu", (unsigned long)gid);
	return buf;
}

/* "root:kepu, drwxrwx---" */
static void owner_mode(const struct stat *st, char *out, size_t n)
{
	static const char rwx[] = "rwxrwxrwx";
	char u[32], g[32], m[11];
	int i;

	m[0] = S_ISDIR(st->st_mode) ? 'd' : '-';
	for (i = 0; i < 9; i++)
		m[i + 1] = st->st_mode & (0400 >> i) ? rwx[i] : '-';
	m[10] = '\0';
	if (st->st_mode & S_ISGID)
		m[7] = st->st_mode & S_IXGRP ? 's' : 'S';
	snprintf(out, n, "%s:%s, %s", user_name(st->st_uid, u),
	         group_name(st->st_gid, g), m);
}

static char *parent_of(const char *path)
{
	char *dir = xstrdup(path), *slash;

	if (!dir)
		return NULL;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* The first folder above path (from the root down) this user cannot go
 * through; NULL when there is none. */
static char *closed_folder(const char *path)
{
	char *dir = parent_of(path), *p;

	if (!dir)
		return NULL;
	for (p = dir[0] == '/' ? dir + 1 : dir; ; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (*dir && access(dir, X_OK) != 0 && errno == EACCES)
			return dir;
		if (last)
			break;
		*p = '/';
	}
	free(dir);
	return NULL;
}

void fs_denied_what(const char *path, char *out, size_t n)
{
	char who[32], om[96], *dir, *lock;
	const char *me = user_name(geteuid(), who);
	struct stat st;

	out[0] = '\0';
	if ((dir = closed_folder(path)) != NULL) {
		if (stat(dir, &st) == 0)
			owner_mode(&st, om, sizeof om);
		else
			snprintf(om, sizeof om, "?");
		snprintf(out, n, LF("文件夹 %s（%s）不让 %s 进入", "the folder %s (%s) is closed to %s"),
		         dir, om, me);
		free(dir);
		return;
	}
	if (stat(path, &st) == 0) {
		if (access(path, R_OK | W_OK) != 0) {
			owner_mode(&st, om, sizeof om);
			snprintf(out, n, LF("数据库文件 %s（%s）不让 %s 读写", "the database file %s (%s) may not be read and written by %s"),
			         path, om, me);
			return;
		}
		if (!(lock = malloc(strlen(path) + sizeof "-lock")))
			return;
		strcpy(lock, path);
		strcat(lock, "-lock");
		if (stat(lock, &st) == 0 && access(lock, R_OK | W_OK) != 0) {
			owner_mode(&st, om, sizeof om);
			snprintf(out, n, LF("锁文件 %s（%s）不让 %s 读写（每个使用者都要写锁文件，只读也一样）",
			         "its lock file %s (%s) may not be read and written by %s (every user writes the lock file, to read as well)"),
			         lock, om, me);
			free(lock);
			return;
		}
		free(lock);
	}
	if ((dir = parent_of(path)) != NULL) {
		if (stat(dir, &st) == 0 && access(dir, W_OK) != 0) {
			owner_mode(&st, om, sizeof om);
			snprintf(out, n, LF("%s 不能在文件夹 %s（%s）里建立文件", "%s may not create files in the folder %s (%s)"),
			         me, dir, om);
		}
		free(dir);
	}
}

static int note_add(char ***notes, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int note_add(char ***notes, size_t *n, const char *fmt, ...)
{
	char **nl;
	char *m;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (len < 0)
		return kp_err_nomem();
	if (!(nl = realloc(*notes, (*n + 1) * sizeof *nl))) {
		free(m);
		return kp_err_nomem();
	}
	nl[(*n)++] = m;
	*notes = nl;
	return KP_OK;
}

int fs_share_notes(const char *path, char ***notes, size_t *n)
{
	char *dir = parent_of(path), g[32], fg[32], om[96];
	struct stat ds, fs;
	mode_t um;
	int rc = KP_OK;

	*notes = NULL;
	*n = 0;
	if (!dir)
		return kp_err_nomem();
	if (stat(dir, &ds) != 0 || stat(path, &fs) != 0)
		goto out;
	/* A folder of one's own that nobody else may write is not shared. */
	if (!(ds.st_mode & (S_ISGID | S_IWGRP)) && ds.st_uid == geteuid())
		goto out;
	um = umask(0);
	umask(um);
	group_name(ds.st_gid, g);
	owner_mode(&fs, om, sizeof om);
	if ((fs.st_mode & 0060) != 0060)
		rc = note_add(notes, n, LF("umask %04o 使组 %s 不能读写 %s（%s）：其他录入员打不开它（每个人都要写它的锁文件）。"
		              "请给每个录入员设 umask 007（写在 ~/.profile 里），并运行：chmod g+rw %s %s-lock",
		              "umask %04o leaves the group %s without read and write access to %s (%s): the other clerks "
		              "cannot open it (everyone writes its lock file). Give every clerk umask 007 (in ~/.profile) "
		              "and run: chmod g+rw %s %s-lock"),
		              (unsigned)um, g, path, om, path, path);
	if (rc == KP_OK && fs.st_gid != ds.st_gid)
		rc = note_add(notes, n, LF("%s 属于组 %s，不属于文件夹的组 %s：组 %s 的其他录入员打不开它。"
		              "请把文件夹设为 setgid（chmod g+s %s），并运行：chgrp %s %s %s-lock",
		              "%s belongs to the group %s, not to the folder's group %s: the other clerks of %s cannot "
		              "open it. Make the folder setgid (chmod g+s %s) and run: chgrp %s %s %s-lock"),
		              path, group_name(fs.st_gid, fg), g, g, dir, g, path, path);
	if (rc == KP_OK && !(ds.st_mode & S_IWGRP))
		rc = note_add(notes, n, LF("文件夹 %s 的组 %s 不能写：其他录入员不能在那里建立锁文件或备份；请运行：chmod g+w %s",
		              "the folder %s is not writable by its group %s: the other clerks cannot make the lock "
		              "file or backups there; run: chmod g+w %s"), dir, g, dir);
out:
	free(dir);
	return rc;
}
