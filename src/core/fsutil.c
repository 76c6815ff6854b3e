/* fsutil.c - creating the folders above a file, with messages that stay
 * in one language. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

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
	default:
		/* strerror is in the locale's language, which may not be ours. */
		return lang_get() == KP_LANG_ZH ? "系统错误" : strerror(e);
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
