/* schema_dir.c - a schema's files on disk, lookups, labels and freeing. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "schema.h"
#include "schema_int.h"
#include "text.h"

/* ---- lookups and labels ---- */

const struct form *schema_form(const struct schema *s, const char *id)
{
	size_t i;

	for (i = 0; s && id && i < s->nforms; i++)
		if (strcmp(s->forms[i].id, id) == 0)
			return &s->forms[i];
	return NULL;
}

const struct field *form_field(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; f && name && i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const struct choice *field_choice(const struct field *f, const char *code)
{
	size_t i;

	for (i = 0; f && code && i < f->nchoices; i++)
		if (strcmp(f->choices[i].code, code) == 0)
			return &f->choices[i];
	return NULL;
}

const struct indicator *schema_indicator(const struct schema *s,
                                         const char *id)
{
	size_t i;

	for (i = 0; s && id && i < s->nindicators; i++)
		if (strcmp(s->indicators[i].id, id) == 0)
			return &s->indicators[i];
	return NULL;
}

const struct township *schema_township(const struct schema *s,
                                       const char *id)
{
	size_t i;

	for (i = 0; s && id && i < s->ntownships; i++)
		if (strcmp(s->townships[i].id, id) == 0)
			return &s->townships[i];
	return NULL;
}

bool schema_year_in_plan(const struct schema *s, int year)
{
	return year >= s->plan.first_year && year <= s->plan.last_year;
}

int schema_current_year(const struct schema *s)
{
	int year = date_today().y;

	if (year < s->plan.first_year)
		return s->plan.first_year;
	if (year > s->plan.last_year)
		return s->plan.last_year;
	return year;
}

const char *field_label(const struct field *f)
{
	return L(f->label_zh, f->label_en);
}

const char *choice_label(const struct choice *c)
{
	return L(c->label_zh, c->label_en);
}

const char *form_label(const struct form *f)
{
	return L(f->label_zh, f->label_en);
}

const char *indicator_label(const struct indicator *i)
{
	return L(i->label_zh, i->label_en);
}

const char *township_label(const struct township *t)
{
	return L(t->name_zh, t->name_en);
}

/* ---- freeing ---- */

void schema_field_release(struct field *fd)
{
	free(fd->name);
	free(fd->label_zh);
	free(fd->label_en);
	free(fd->hint_zh);
	free(fd->hint_en);
	free(fd->choice_list);
	expr_free(fd->relevant);
	expr_free(fd->constraint);
	free(fd->constraint_src);
	free(fd->message_zh);
	free(fd->message_en);
}

void schema_indicator_release(struct indicator *ind)
{
	free(ind->id);
	free(ind->label_zh);
	free(ind->label_en);
	free(ind->unit_zh);
	free(ind->unit_en);
	free(ind->comparator);
	free(ind->form);
	free(ind->field);
	expr_free(ind->filter);
	free(ind->filter_src);
}

void schema_free(struct schema *s)
{
	size_t i, j;

	if (!s)
		return;
	free(s->plan.id);
	free(s->plan.name_zh);
	free(s->plan.name_en);
	for (i = 0; i < s->nforms; i++) {
		for (j = 0; j < s->forms[i].nfields; j++)
			schema_field_release(&s->forms[i].fields[j]);
		free(s->forms[i].fields);
		free(s->forms[i].id);
		free(s->forms[i].label_zh);
		free(s->forms[i].label_en);
	}
	free(s->forms);
	for (i = 0; i < s->nindicators; i++)
		schema_indicator_release(&s->indicators[i]);
	free(s->indicators);
	for (i = 0; i < s->ntownships; i++) {
		free(s->townships[i].id);
		free(s->townships[i].name_zh);
		free(s->townships[i].name_en);
		free(s->townships[i].kind);
		free(s->townships[i].official_code);
	}
	free(s->townships);
	for (i = 0; i < s->nchoices; i++) {
		free(s->choices[i].code);
		free(s->choices[i].label_zh);
		free(s->choices[i].label_en);
	}
	free(s->choices);
	free(s);
}

/* ---- the directory ---- */

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
		                  "%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = sbuf_add(&b, chunk, got)) != KP_OK)
			break;
	if (rc == KP_OK && ferror(f))
		rc = kp_err_set(KP_E_IO, "%s: %s", path, strerror(errno));
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
	struct schema_file *f;
	char path[PATH_MAX], *data = NULL, *copy;
	size_t len = 0;
	int rc;

	if (*n == *cap) {
		f = realloc(*files, (*cap ? *cap * 2 : 16) * sizeof *f);
		if (!f)
			return kp_err_nomem();
		*files = f;
		*cap = *cap ? *cap * 2 : 16;
	}
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return kp_err_set(KP_E_NOINPUT, "%s/%s: %s", dir, name, strerror(ENAMETOOLONG));
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
		                  dir, strerror(errno));
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
	if (*n)
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
