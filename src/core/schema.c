/* schema.c - loading a schema from its files (schema_load_files): the set
 * and its plans (schema_plan.c), the choice lists and the townships (here),
 * every form (schema_form.c) and the indicators (schema_ind.c).
 *
 * The files are edited by people in spreadsheets, so everything is checked
 * and every complaint names the file and line.  Unknown columns, keys and
 * files are refused rather than ignored: a typo in a heading must not turn
 * a rule off without anyone noticing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "schema.h"
#include "schema_int.h"
#include "text.h"

/* ---- the loader ---- */

/* ---- choices.csv ---- */

static int choice_row(void *ctx, const char *file, size_t line,
                      const char *const *v)
{
	struct loader *ld = ctx;
	struct chrow *r;
	size_t i;
	int rc;

	if ((rc = schema_check_id(file, line, "list", v[0]))
	    || (rc = schema_check_id(file, line, "code", v[1]))
	    || (rc = schema_need(file, line, "label_zh", v[2])))
		return rc;
	for (i = 0; i < ld->nrows; i++)
		if (!strcmp(ld->rows[i].list, v[0]) && !strcmp(ld->rows[i].c.code, v[1]))
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 选项“%s”在列表“%s”中重复（第%zu行已有）",
			                  "%s:%zu: code '%s' appears twice in list '%s' (see line %zu)"),
			                  file, line, v[1], v[0], ld->rows[i].line);
	if ((rc = array_grow(&ld->rows, sizeof *ld->rows, &ld->caprows, ld->nrows)))
		return rc;
	r = &ld->rows[ld->nrows];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->c.line = line;
	ld->nrows++;
	if ((rc = schema_dup(&r->list, v[0])) || (rc = schema_dup(&r->c.code, v[1]))
	    || (rc = schema_dup(&r->c.label_zh, v[2])) || (rc = schema_dup(&r->c.label_en, v[3])))
		return rc;
	if (*v[4] && ((rc = schema_check_id(file, line, "counts_as", v[4]))
	              || (rc = schema_dup(&r->c.counts_as, v[4]))))
		return rc;
	return KP_OK;
}

/* counts_as names another code of the same list, one that counts as
 * itself: tallies merge codes one step, never along a chain. */
static int counts_as_check(const struct schema *s, const struct chlist *l,
                           const char *file)
{
	size_t i, j;

	for (i = l->first; i < l->first + l->n; i++) {
		const struct choice *c = &s->choices[i], *to = NULL;

		if (!c->counts_as)
			continue;
		for (j = l->first; j < l->first + l->n; j++)
			if (strcmp(s->choices[j].code, c->counts_as) == 0)
				to = &s->choices[j];
		if (!to || to == c || to->counts_as)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: counts_as：“%s”应为列表“%s”中另一个不再并入别处的选项",
			                  "%s:%zu: counts_as: '%s' must be another code of list '%s' that is counted as itself"),
			                  file, c->line, c->counts_as, l->name);
	}
	return KP_OK;
}

/* Lay the lists out as runs, so that a field can point at its list. */
static int choices_group(struct loader *ld)
{
	struct schema *s = ld->s;
	size_t i, j, k;

	s->choices = calloc(ld->nrows ? ld->nrows : 1, sizeof *s->choices);
	ld->lists = calloc(ld->nrows ? ld->nrows : 1, sizeof *ld->lists);
	if (!s->choices || !ld->lists)
		return kp_err_nomem();
	for (i = 0; i < ld->nrows; i++) {
		if (!ld->rows[i].list)
			continue;
		ld->lists[ld->nlists].name = ld->rows[i].list;
		ld->lists[ld->nlists].first = s->nchoices;
		for (j = i; j < ld->nrows; j++) {
			if (j != i && (!ld->rows[j].list
			               || strcmp(ld->rows[j].list, ld->rows[i].list)))
				continue;
			s->choices[s->nchoices++] = ld->rows[j].c;
			memset(&ld->rows[j].c, 0, sizeof ld->rows[j].c);
			if (j != i) {
				free(ld->rows[j].list);
				ld->rows[j].list = NULL;
			}
		}
		k = ld->nlists++;
		ld->lists[k].n = s->nchoices - ld->lists[k].first;
		ld->rows[i].list = NULL;  /* now owned by lists[k] */
	}
	return KP_OK;
}

static int choices_load(struct loader *ld, const struct schema_file *f)
{
	static const struct colspec cols[] = {
		{ "list", true }, { "code", true }, { "label_zh", true },
		{ "label_en", false }, { "counts_as", false },
	};
	size_t i;
	int rc = schema_table_read(f, cols, 5, choice_row, ld);

	if (rc || (rc = choices_group(ld)))
		return rc;
	for (i = 0; i < ld->nlists; i++)
		if ((rc = counts_as_check(ld->s, &ld->lists[i], f->name)))
			return rc;
	return KP_OK;
}

/* ---- townships.csv ---- */

static int township_row(void *ctx, const char *file, size_t line,
                        const char *const *v)
{
	struct loader *ld = ctx;
	struct schema *s = ld->s;
	struct township *t;
	int rc;

	if ((rc = schema_check_id(file, line, "id", v[0]))
	    || (rc = schema_need(file, line, "name_zh", v[1])))
		return rc;
	if (schema_township(s, v[0]))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 镇（街道）“%s”重复",
		                  "%s:%zu: township '%s' appears twice"), file, line, v[0]);
	if (strcmp(v[3], "subdistrict") && strcmp(v[3], "town") && strcmp(v[3], "zone"))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: kind 应为 subdistrict、town 或 zone，而不是“%s”",
		                  "%s:%zu: kind must be subdistrict, town or zone, not '%s'"),
		                  file, line, v[3]);
	if ((rc = array_grow(&s->townships, sizeof *t, &ld->cap, s->ntownships)))
		return rc;
	t = &s->townships[s->ntownships++];
	memset(t, 0, sizeof *t);
	t->line = line;
	if ((rc = schema_dup(&t->id, v[0])) || (rc = schema_dup(&t->name_zh, v[1]))
	    || (rc = schema_dup(&t->name_en, v[2])) || (rc = schema_dup(&t->kind, v[3]))
	    || (rc = schema_dup(&t->official_code, v[4])))
		return rc;
	return KP_OK;
}

static int townships_load(struct loader *ld, const struct schema_file *f)
{
	static const struct colspec cols[] = {
		{ "id", true }, { "name_zh", true }, { "name_en", false },
		{ "kind", true }, { "official_code", false },
	};
	int rc;

	ld->cap = 0;
	if ((rc = schema_table_read(f, cols, 5, township_row, ld)))
		return rc;
	if (ld->s->ntownships == 0)
		return kp_err_set(KP_E_DATA, LF("%s: 没有任何镇（街道）", "%s: no townships"),
		                  f->name);
	return KP_OK;
}

/* ---- the whole ---- */

typedef int (*file_fn)(struct loader *ld, const struct schema_file *f);

static int load_file(struct loader *ld, const struct schema_file *files,
                     size_t n, const char *name, file_fn fn)
{
	const struct schema_file *f = schema_find_file(ld, files, n, name);

	return f ? fn(ld, f) : KP_E_DATA;
}

/* In this order: forms need the choices, indicators the plans and forms. */
static int load(struct loader *ld, const struct schema_file *files, size_t n)
{
	size_t i;
	int rc;

	if ((rc = schema_plans_load(ld, files, n))
	    || (rc = load_file(ld, files, n, "choices.csv", choices_load))
	    || (rc = load_file(ld, files, n, "townships.csv", townships_load))
	    || (rc = schema_forms_load(ld, files, n))
	    || (rc = load_file(ld, files, n, "indicators.csv", schema_indicators_load))
	    || (rc = schema_plans_index(ld->s)))
		return rc;
	for (i = 0; i < n; i++)
		if (!ld->used[i])
			return kp_err_set(KP_E_DATA, LF("%s: 不认识的文件（表单文件须列在 %s 的 forms 中）",
			                  "%s: unknown file (a form file must be listed in the forms of %s)"),
			                  files[i].name, ld->forms_file);
	return KP_OK;
}

static void loader_free(struct loader *ld)
{
	size_t i;

	free(ld->forms);
	for (i = 0; i < ld->nrows; i++) {
		free(ld->rows[i].list);
		free(ld->rows[i].c.code);
		free(ld->rows[i].c.label_zh);
		free(ld->rows[i].c.label_en);
		free(ld->rows[i].c.counts_as);
	}
	free(ld->rows);
	for (i = 0; i < ld->nlists; i++)
		free(ld->lists[i].name);
	free(ld->lists);
	free(ld->used);
}

int schema_load_files(const struct schema_file *files, size_t n,
                      struct schema **out)
{
	struct loader ld;
	int rc;

	*out = NULL;
	memset(&ld, 0, sizeof ld);
	ld.s = calloc(1, sizeof *ld.s);
	ld.used = calloc(n ? n : 1, sizeof *ld.used);
	if (!ld.s || !ld.used) {
		rc = kp_err_nomem();
		goto fail;
	}
	rc = load(&ld, files, n);
	if (rc != KP_OK)
		goto fail;
	loader_free(&ld);
	*out = ld.s;
	return KP_OK;
fail:
	schema_free(ld.s);
	loader_free(&ld);
	return rc;
}
