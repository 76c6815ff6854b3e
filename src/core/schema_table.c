/* schema_table.c - the loader's tools: reading a spreadsheet table of a
 * form file and checking its cells, with messages that name the file and
 * line; finding a file of the set, and a choice list by name. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvio.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "schema_int.h"
#include "text.h"

/* ---- reading one table ---- */

/* A heading row wider than this is no form file (a sheet pasted in). */
#define TABLE_MAX_WIDTH 64

struct table {
	const char *file;
	const struct colspec *cols;
	size_t ncols;
	struct csvio_header head;     /* CSV column -> index into cols */
	bool header_seen;
	schema_row_fn row;
	void *ctx;
};

/* Headings are the columns' names exactly; a blank cell names none. */
static int table_name(void *ctx, const char *cell)
{
	const struct table *t = ctx;
	size_t k;

	for (k = 0; k < t->ncols; k++)
		if (strcmp(cell, t->cols[k].name) == 0)
			return (int)k;
	return CSVIO_UNKNOWN;
}

static int table_header(struct table *t, size_t line, size_t nf,
                        char **fields)
{
	const struct csvio_header *h = &t->head;
	size_t i, k;
	int rc;

	if (nf > TABLE_MAX_WIDTH)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 列数太多", "%s:%zu: too many columns"),
		                  t->file, line);
	if ((rc = csvio_header_map(&t->head, fields, nf, t->ncols, table_name, t)))
		return rc;
	for (i = 0; i < nf; i++) {
		if (!*fields[i])
			continue;
		if (h->col[i] == CSVIO_UNKNOWN)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 未知的列“%s”",
			                  "%s:%zu: unknown column '%s'"), t->file, line, fields[i]);
		if (h->repeat[i])
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 列“%s”重复",
			                  "%s:%zu: column '%s' appears twice"), t->file, line, fields[i]);
	}
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k].required && h->at[k] < 0)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 缺少必需的列“%s”",
			                  "%s:%zu: missing required column '%s'"),
			                  t->file, line, t->cols[k].name);
	t->header_seen = true;
	return KP_OK;
}

static int table_row(void *ctx, size_t line, size_t nf, char **fields,
                     const size_t *lens)
{
	struct table *t = ctx;
	const char *v[MAXCOLS];
	bool blank = true;
	size_t i;

	(void)lens;
	for (i = 0; i < nf; i++)
		if (*text_trim(fields[i]))
			blank = false;
	/* Spreadsheets leave rows of bare commas behind; they mean nothing. */
	if (blank)
		return KP_OK;
	if (!t->header_seen)
		return table_header(t, line, nf, fields);
	for (i = 0; i < t->ncols; i++)
		v[i] = "";
	for (i = 0; i < nf; i++) {
		if (!*fields[i])
			continue;
		if (i >= t->head.ncols || t->head.col[i] == CSVIO_UNKNOWN)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 第%zu列没有列名，却填了“%s”",
			                  "%s:%zu: column %zu has no heading but holds '%s'"),
			                  t->file, line, i + 1, fields[i]);
		v[t->head.col[i]] = fields[i];
	}
	return t->row(t->ctx, t->file, line, v);
}

int schema_table_read(const struct schema_file *f, const struct colspec *cols,
                      size_t ncols, schema_row_fn row, void *ctx)
{
	struct table t = { .file = f->name, .cols = cols, .ncols = ncols,
	                   .row = row, .ctx = ctx };
	int rc = csvio_read_mem(f->name, f->data, f->len, table_row, &t);

	csvio_header_free(&t.head);
	if (rc == KP_OK && !t.header_seen)
		rc = kp_err_set(KP_E_DATA, LF("%s: 文件是空的（至少要有标题行）",
		                "%s: the file is empty (a heading row is needed)"), f->name);
	return rc;
}

/* ---- values ---- */

bool schema_id_valid(const char *s, const char *allowed)
{
	size_t n = strlen(s);

	return n > 0 && n <= ID_MAX && strspn(s, allowed) == n;
}

int schema_check_id(const char *file, size_t line, const char *what,
                const char *s)
{
	if (schema_id_valid(s, ID_CHARS))
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s:%zu: %s“%s”无效（只能用小写英文字母、数字和 _）",
	                  "%s:%zu: %s '%s' is not valid (use only a-z, 0-9 and _)"),
	                  file, line, what, s);
}

int schema_need(const char *file, size_t line, const char *col, const char *s)
{
	if (*s)
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s:%zu: “%s”不能为空", "%s:%zu: '%s' must not be empty"),
	                  file, line, col);
}

int schema_bool(const char *file, size_t line, const char *col,
            const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "1", "true", "是" };
	static const char *const no[] = { "no", "0", "false", "否", "" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true, KP_OK;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *out = false, KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s:%zu: “%s”应为 yes 或 no（是/否），而不是“%s”",
	                  "%s:%zu: '%s' must be yes or no, not '%s'"), file, line, col, s);
}

/* A plain decimal number: no hex, inf or nan, which strtod would take. */
int schema_number(const char *file, size_t line, const char *col,
           const char *s, double *out)
{
	char *end;

	if (strspn(s, "0123456789.eE+-") == strlen(s) && *s) {
		errno = 0;
		*out = strtod(s, &end);
		if (*end == '\0' && errno == 0 && isfinite(*out))
			return KP_OK;
	}
	return kp_err_set(KP_E_DATA, LF("%s:%zu: “%s”应为数字，而不是“%s”",
	                  "%s:%zu: '%s' must be a number, not '%s'"), file, line, col, s);
}

int schema_integer(const char *file, size_t line, const char *col,
           const char *s, long lo, long hi, long *out)
{
	double d;

	if (schema_number(file, line, col, s, &d) != KP_OK || d < (double)lo
	    || d > (double)hi || d != (double)(long)d)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: “%s”应为 %ld 到 %ld 之间的整数，而不是“%s”",
		                  "%s:%zu: '%s' must be a whole number from %ld to %ld, not '%s'"),
		                  file, line, col, lo, hi, s);
	*out = (long)d;
	return KP_OK;
}

/* Copy s into *dst. */
int schema_dup(char **dst, const char *s)
{
	*dst = xstrdup(s);
	return *dst ? KP_OK : kp_err_nomem();
}

int schema_rule(const char *file, size_t line, const char *col,
            const char *src, struct expr **out, char **src_copy)
{
	char err[256];
	int rc = expr_parse(src, out, err, sizeof err);

	if (rc == KP_E_NOMEM)
		return rc;
	if (rc != KP_OK)
		return kp_err_set(KP_E_DATA, "%s:%zu: %s: %s", file, line, col, err);
	return src_copy ? schema_dup(src_copy, src) : KP_OK;
}

/* ---- finding the files of a set, and a choice list ---- */

const struct schema_file *schema_find_file(struct loader *ld,
                                           const struct schema_file *files,
                                           size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i].name, name) == 0) {
			ld->used[i] = true;
			return &files[i];
		}
	kp_err_set(KP_E_DATA, LF("%s: 缺少此文件", "%s: file missing"), name);
	return NULL;
}

bool schema_has_file(const struct schema_file *files, size_t n,
                     const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i].name, name) == 0)
			return true;
	return false;
}

const struct chlist *schema_find_list(const struct loader *ld,
                                      const char *name)
{
	size_t i;

	for (i = 0; i < ld->nlists; i++)
		if (strcmp(ld->lists[i].name, name) == 0)
			return &ld->lists[i];
	return NULL;
}
