/* schema_plan.c - what a form set is: its version and forms (formset.csv)
 * and its plans (plans.csv), or both from the plan.csv of a set made before
 * form versions; and, once the indicators are loaded, each plan's own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "err.h"
#include "lang.h"
#include "schema.h"
#include "schema_int.h"
#include "text.h"

/* A key,value file: the values of the keys it may have, and their lines. */
struct kvfile {
	const char *const *keys;
	size_t nkeys;
	char **val;
	size_t *line;
};

static int kv_row(void *ctx, const char *file, size_t line,
                  const char *const *v)
{
	struct kvfile *kf = ctx;
	size_t k;

	for (k = 0; k < kf->nkeys; k++)
		if (strcmp(v[0], kf->keys[k]) == 0)
			break;
	if (k == kf->nkeys)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 未知的项“%s”", "%s:%zu: unknown key '%s'"),
		                  file, line, v[0]);
	if (kf->val[k])
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 项“%s”重复", "%s:%zu: key '%s' appears twice"),
		                  file, line, v[0]);
	kf->line[k] = line;
	return schema_dup(&kf->val[k], v[1]);
}

static int kv_read(const struct schema_file *f, struct kvfile *kf)
{
	static const struct colspec cols[] = { { "key", true }, { "value", true } };

	return schema_table_read(f, cols, 2, kv_row, kf);
}

static void kv_free(struct kvfile *kf)
{
	size_t k;

	for (k = 0; k < kf->nkeys; k++)
		free(kf->val[k]);
}

static int kv_need(const char *file, const struct kvfile *kf, size_t k)
{
	if (kf->val[k] && *kf->val[k])
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s: 缺少项“%s”", "%s: key '%s' missing"),
	                  file, kf->keys[k]);
}

/* Plan ids are no record keys, and "jinjiang-2021-2025" reads better with
 * dashes. */
static int plan_id(const char *file, size_t line, const char *id)
{
	if (!*id)
		return schema_need(file, line, "id", id);
	if (schema_id_valid(id, ID_CHARS "-"))
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s:%zu: id“%s”无效（只能用小写英文字母、数字、_ 和 -）",
	                  "%s:%zu: id '%s' is not valid (use only a-z, 0-9, _ and -)"),
	                  file, line, id);
}

static int plan_years(struct plan *p, const char *file, size_t first_line,
                      const char *first, size_t last_line, const char *last)
{
	long y;
	int rc;

	if ((rc = schema_integer(file, first_line, "first_year", first, 1900, 9999, &y)))
		return rc;
	p->first_year = (int)y;
	if ((rc = schema_integer(file, last_line, "last_year", last, 1900, 9999, &y)))
		return rc;
	p->last_year = (int)y;
	if (p->first_year > p->last_year)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 结束年份 %d 早于开始年份 %d",
		                  "%s:%zu: last_year %d is before first_year %d"), file,
		                  last_line, p->last_year, p->first_year);
	return KP_OK;
}

static struct plan *plan_new(struct loader *ld)
{
	struct schema *s = ld->s;
	struct plan *p;

	if (array_grow(&s->plans, sizeof *s->plans, &ld->cap, s->nplans))
		return NULL;
	p = &s->plans[s->nplans++];
	memset(p, 0, sizeof *p);
	return p;
}

/* ---- a legacy plan.csv ---- */

enum { LK_ID, LK_NAME_ZH, LK_NAME_EN, LK_FIRST, LK_LAST, LK_FORMS, LK_N };

static int legacy_load(struct loader *ld, const struct schema_file *f)
{
	static const char *const keys[LK_N] = {
		"id", "name_zh", "name_en", "first_year", "last_year", "forms",
	};
	char *val[LK_N] = { 0 };
	size_t line[LK_N] = { 0 }, k;
	struct kvfile kf = { keys, LK_N, val, line };
	struct plan *p;
	int rc;

	if ((rc = kv_read(f, &kf)))
		goto out;
	for (k = 0; k < LK_N && !rc; k++)
		if (k != LK_NAME_EN)
			rc = kv_need(f->name, &kf, k);
	if (rc || (rc = plan_id(f->name, line[LK_ID], val[LK_ID])))
		goto out;
	ld->cap = 0;
	if (!(p = plan_new(ld))) {
		rc = KP_E_NOMEM;
		goto out;
	}
	p->line = line[LK_ID];
	p->status = PLAN_OFFICIAL;
	if ((rc = plan_years(p, f->name, line[LK_FIRST], val[LK_FIRST],
	                     line[LK_LAST], val[LK_LAST])))
		goto out;
	p->id = val[LK_ID];
	p->name_zh = val[LK_NAME_ZH];
	p->name_en = val[LK_NAME_EN] ? val[LK_NAME_EN] : xstrdup("");
	val[LK_ID] = val[LK_NAME_ZH] = val[LK_NAME_EN] = NULL;
	if (!p->name_en) {
		rc = kp_err_nomem();
		goto out;
	}
	ld->s->version = 1;
	ld->s->legacy = true;
	ld->forms = val[LK_FORMS];
	ld->forms_line = line[LK_FORMS];
	val[LK_FORMS] = NULL;
out:
	kv_free(&kf);
	return rc;
}

/* ---- formset.csv ---- */

enum { FK_VERSION, FK_FORMS, FK_NOTE_ZH, FK_NOTE_EN, FK_N };

static int formset_load(struct loader *ld, const struct schema_file *f)
{
	static const char *const keys[FK_N] = {
		"version", "forms", "note_zh", "note_en",
	};
	char *val[FK_N] = { 0 };
	size_t line[FK_N] = { 0 };
	struct kvfile kf = { keys, FK_N, val, line };
	struct schema *s = ld->s;
	long v;
	int rc;

	if ((rc = kv_read(f, &kf)) || (rc = kv_need(f->name, &kf, FK_VERSION))
	    || (rc = kv_need(f->name, &kf, FK_FORMS))
	    || (rc = schema_integer(f->name, line[FK_VERSION], "version",
	                            val[FK_VERSION], 1, 99999999, &v)))
		goto out;
	s->version = (unsigned)v;
	s->note_zh = val[FK_NOTE_ZH] ? val[FK_NOTE_ZH] : xstrdup("");
	s->note_en = val[FK_NOTE_EN] ? val[FK_NOTE_EN] : xstrdup("");
	val[FK_NOTE_ZH] = val[FK_NOTE_EN] = NULL;
	if (!s->note_zh || !s->note_en) {
		rc = kp_err_nomem();
		goto out;
	}
	ld->forms = val[FK_FORMS];
	ld->forms_line = line[FK_FORMS];
	val[FK_FORMS] = NULL;
out:
	kv_free(&kf);
	return rc;
}

/* ---- plans.csv ---- */

enum { PC_ID, PC_NAME_ZH, PC_NAME_EN, PC_FIRST, PC_LAST, PC_STATUS, PC_N };

static int plan_row(void *ctx, const char *file, size_t line,
                    const char *const *v)
{
	struct loader *ld = ctx;
	struct plan *p;
	int rc;

	if ((rc = plan_id(file, line, v[PC_ID]))
	    || (rc = schema_need(file, line, "name_zh", v[PC_NAME_ZH])))
		return rc;
	if (schema_plan(ld->s, v[PC_ID]))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 规划“%s”重复",
		                  "%s:%zu: plan '%s' appears twice"), file, line, v[PC_ID]);
	if (strcmp(v[PC_STATUS], "official") && strcmp(v[PC_STATUS], "provisional"))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: status 应为 official 或 provisional，而不是“%s”",
		                  "%s:%zu: status must be official or provisional, not '%s'"),
		                  file, line, v[PC_STATUS]);
	if (!(p = plan_new(ld)))
		return KP_E_NOMEM;
	p->line = line;
	p->status = strcmp(v[PC_STATUS], "official") ? PLAN_PROVISIONAL : PLAN_OFFICIAL;
	if ((rc = schema_dup(&p->id, v[PC_ID])) || (rc = schema_dup(&p->name_zh, v[PC_NAME_ZH]))
	    || (rc = schema_dup(&p->name_en, v[PC_NAME_EN])))
		return rc;
	return plan_years(p, file, line, v[PC_FIRST], line, v[PC_LAST]);
}

static int cmp_plan(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;

	return (x->first_year > y->first_year) - (x->first_year < y->first_year);
}

static int plans_read(struct loader *ld, const struct schema_file *f)
{
	static const struct colspec cols[PC_N] = {
		{ "id", true }, { "name_zh", true }, { "name_en", false },
		{ "first_year", true }, { "last_year", true }, { "status", true },
	};
	struct schema *s = ld->s;
	size_t i;
	int rc;

	ld->cap = 0;
	if ((rc = schema_table_read(f, cols, PC_N, plan_row, ld)))
		return rc;
	if (s->nplans == 0)
		return kp_err_set(KP_E_DATA, LF("%s: 没有任何规划", "%s: no plans"), f->name);
	qsort(s->plans, s->nplans, sizeof *s->plans, cmp_plan);
	for (i = 1; i < s->nplans; i++)
		if (s->plans[i].first_year <= s->plans[i - 1].last_year)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 规划“%s”（%d—%d）与规划“%s”（第%zu行）年份重叠",
			                  "%s:%zu: plan '%s' (%d-%d) overlaps plan '%s' (line %zu)"),
			                  f->name, s->plans[i].line, s->plans[i].id,
			                  s->plans[i].first_year, s->plans[i].last_year,
			                  s->plans[i - 1].id, s->plans[i - 1].line);
	return KP_OK;
}

int schema_plans_load(struct loader *ld, const struct schema_file *files,
                      size_t n)
{
	const struct schema_file *f;
	int rc;

	if (schema_has_file(files, n, "plan.csv")) {
		if (schema_has_file(files, n, "formset.csv") || schema_has_file(files, n, "plans.csv"))
			return kp_err_set(KP_E_DATA, "%s", L("plan.csv 是旧格式，不能与 formset.csv、plans.csv 同时存在",
			                  "plan.csv is the old format and cannot stand beside formset.csv and plans.csv"));
		ld->forms_file = "plan.csv";
		f = schema_find_file(ld, files, n, "plan.csv");
		return legacy_load(ld, f);
	}
	ld->forms_file = "formset.csv";
	if (!(f = schema_find_file(ld, files, n, "formset.csv")))
		return KP_E_DATA;
	if ((rc = formset_load(ld, f)))
		return rc;
	if (!(f = schema_find_file(ld, files, n, "plans.csv")))
		return KP_E_DATA;
	return plans_read(ld, f);
}

/* ---- each plan's indicators ---- */

int schema_plans_index(struct schema *s)
{
	size_t i, j, k;

	for (i = 0; i < s->nplans; i++) {
		struct plan *p = &s->plans[i];

		for (j = 0, k = 0; j < s->nindicators; j++)
			k += s->indicators[j].plan == p;
		p->indicators = calloc(k ? k : 1, sizeof *p->indicators);
		if (!p->indicators)
			return kp_err_nomem();
		for (j = 0; j < s->nindicators; j++)
			if (s->indicators[j].plan == p)
				p->indicators[p->nindicators++] = &s->indicators[j];
	}
	return KP_OK;
}
