/* bundle_find.c - where bundles are: whether a folder is a bundle or lies
 * inside one (an export must never write there: the bundle around it
 * would then fail its checks), and the bundles a folder holds (what a
 * clerk picks from on the USB screen). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_int.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

static bool has_file(const char *dir, const char *name)
{
	struct sbuf b = { NULL, 0, 0 };
	struct stat st;
	bool yes;

	if (sbuf_printf(&b, "%s/%s", dir, name) != KP_OK)
		return false;
	yes = stat(b.s, &st) == 0 && S_ISREG(st.st_mode);
	sbuf_free(&b);
	return yes;
}

bool bundle_is_bundle(const char *path)
{
	return has_file(path, BUNDLE_MANIFEST) && has_file(path, BUNDLE_SUMS);
}

char *bundle_enclosing(const char *path)
{
	char *p = realpath(path, NULL), *slash;

	if (!p)
		return NULL;
	for (;;) {
		if (bundle_is_bundle(p))
			return p;
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	free(p);
	return NULL;
}

void bundle_found_free(struct bundle_found *f, size_t n)
{
	size_t i;

	for (i = 0; f && i < n; i++)
		free(f[i].path);
	free(f);
}

static int found_add(struct bundle_found **f, size_t *n, const char *dir,
                     const char *name)
{
	struct bundle_found *more = realloc(*f, (*n + 1) * sizeof *more);
	struct sbuf b = { NULL, 0, 0 };

	if (!more)
		return kp_err_nomem();
	*f = more;
	if (sbuf_printf(&b, "%s%s%s", dir, name ? "/" : "", name ? name : "")
	    != KP_OK)
		return KP_E_NOMEM;
	if (!name)
		name = strrchr(dir, '/') && strrchr(dir, '/')[1] ?
		       strrchr(dir, '/') + 1 : dir;
	snprintf(more[*n].name, sizeof more[*n].name, "%s", name);
	more[*n].path = sbuf_take(&b);
	(*n)++;
	return KP_OK;
}

/* Newest first: names end in the date, and within one sender in the
 * number, so the reverse of name order puts the last export on top. */
static int found_cmp(const void *a, const void *b)
{
	const struct bundle_found *x = a, *y = b;

	return strcmp(y->name, x->name);
}

int bundle_find(const char *dir, struct bundle_found **out, size_t *n)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	int rc = KP_OK;

	*out = NULL;
	*n = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kp_err_set(KP_E_NOINPUT, LF("%s：文件夹不存在",
		                  "%s: no such folder"), dir);
	if (bundle_is_bundle(dir))
		return found_add(out, n, dir, NULL);
	if (!(d = opendir(dir)))
		return kp_err_set(KP_E_NOINPUT, LF("无法读取文件夹 %s：%s",
		                  "cannot read the folder %s: %s"), dir,
		                  fs_errno_text(errno));
	while (rc == KP_OK && (de = readdir(d))) {
		struct sbuf b = { NULL, 0, 0 };

		/* Hidden names are exports still being written (or left by
		 * a pulled stick): never offered. */
		if (de->d_name[0] == '.')
			continue;
		if (sbuf_printf(&b, "%s/%s", dir, de->d_name) != KP_OK) {
			rc = KP_E_NOMEM;
			break;
		}
		if (bundle_is_bundle(b.s))
			rc = found_add(out, n, dir, de->d_name);
		sbuf_free(&b);
	}
	closedir(d);
	if (rc != KP_OK) {
		bundle_found_free(*out, *n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof **out, found_cmp);
	return KP_OK;
}
