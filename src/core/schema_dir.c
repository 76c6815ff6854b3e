/* schema_dir.c - a schema's files in a folder on disk, and which folder
 * holds the forms. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "schema.h"
#include "text.h"

/* Quota files live beside the forms but are not schema; dot files and
 * "~$" files are hidden files and the lock files Excel and WPS leave. */
static bool schema_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".csv") == 0
	       && strncmp(name, "quotas-", 7) != 0 && name[0] != '.'
	       && strncmp(name, "~$", 2) != 0;
}

static int read_whole(const char *path, char **data, size_t *len)
{
	struct sbuf b = { 0 };
	char chunk[8192];
	size_t got;
	FILE *f = fopen(path, "rb");
	int rc = KP_OK;

	if (!f)
		return kp_err_set(errno == ENOENT ? KP_E_NOINPUT : KP_E_IO,
		                  "%s: %s", path, fs_errno_text(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = sbuf_add(&b, chunk, got)) != KP_OK)
			break;
	if (rc == KP_OK && ferror(f))
		rc = kp_err_set(KP_E_IO, "%s: %s", path, fs_errno_text(errno));
	fclose(f);
	if (rc == KP_OK) {
		*len = b.len;
		if (!(*data = sbuf_take(&b)))
			rc = kp_err_nomem();
	}
	sbuf_free(&b);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct schema_file *)a)->name,
	              ((const struct schema_file *)b)->name);
}

/* The entries of schema_file are const for readers; we own them here. */
static void free_const(const char *p)
{
	free((void *)(uintptr_t)p);
}

void schema_files_free(struct schema_file *files, size_t n)
{
	size_t i;

	for (i = 0; files && i < n; i++) {
		free_const(files[i].name);
		free_const(files[i].data);
	}
	free(files);
}

static int add_file(const char *dir, const char *name,
                    struct schema_file **files, size_t *n, size_t *cap)
{
	char path[PATH_MAX], *data = NULL, *copy;
	size_t len = 0;
	int rc;

	if ((rc = array_grow(files, sizeof **files, cap, *n)) != KP_OK)
		return rc;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return kp_err_set(KP_E_NOINPUT, "%s/%s: %s", dir, name, fs_errno_text(ENAMETOOLONG));
	if ((rc = read_whole(path, &data, &len)) != KP_OK)
		return rc;
	if (!(copy = xstrdup(name))) {
		free(data);
		return kp_err_nomem();
	}
	(*files)[*n].name = copy;
	(*files)[*n].data = data;
	(*files)[*n].len = len;
	(*n)++;
	return KP_OK;
}

int schema_read_dir(const char *dir, struct schema_file **files, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	int rc = KP_OK;

	*files = NULL;
	*n = 0;
	if (!d)
		return kp_err_set(errno == ENOENT || errno == ENOTDIR ? KP_E_NOINPUT : KP_E_IO,
		                  LF("表单目录 %s：%s", "forms directory %s: %s"),
		                  dir, fs_errno_text(errno));
	while ((de = readdir(d)) != NULL)
		if (schema_name(de->d_name)
		    && (rc = add_file(dir, de->d_name, files, n, &cap)) != KP_OK)
			break;
	closedir(d);
	if (rc != KP_OK) {
		schema_files_free(*files, *n);
		*files = NULL;
		*n = 0;
		return rc;
	}
	/* readdir order differs between filesystems; stored copies must not. */
	if (*n > 1)
		qsort(*files, *n, sizeof **files, cmp_file);
	return KP_OK;
}

int schema_load_dir(const char *dir, struct schema **out)
{
	struct schema_file *files;
	size_t n;
	int rc;

	*out = NULL;
	if ((rc = schema_read_dir(dir, &files, &n)) != KP_OK)
		return rc;
	rc = schema_load_files(files, n, out);
	schema_files_free(files, n);
	return rc;
}

/* Running from the build tree (the program or a unit test below it)? */
static bool in_build_tree(void)
{
	char exe[PATH_MAX], build[PATH_MAX], *slash;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t bl;

	if (len <= 0 || !realpath(KEPU_BUILDDIR, build))
		return false;
	exe[len] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	bl = strlen(build);
	return strncmp(exe, build, bl) == 0 && (exe[bl] == '\0' || exe[bl] == '/');
}

const char *schema_default_dir(void)
{
	const char *env = getenv("KEPU_FORMS");

	if (env && *env)
		return env;
	if (in_build_tree())
		return KEPU_SRCDIR "/forms";
	return KEPU_PKGDATADIR "/forms";
}
