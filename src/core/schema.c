/* schema.c - loading a schema from its files (schema_load_files): the
 * plan, the choice lists, the townships, every form and the indicators.
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

struct chlist {
	char *name;
	size_t first, n;          /* a run of schema.choices */
};

struct chrow {
	char *list;
	size_t line;
	struct choice c;
};

enum plan_key { PK_ID, PK_NAME_ZH, PK_NAME_EN, PK_FIRST, PK_LAST, PK_FORMS,
                PK_N };
static const char *const plan_keys[PK_N] = {
	"id", "name_zh", "name_en", "first_year", "last_year", "forms",
};

struct loader {
	struct schema *s;
	char *plan[PK_N];
	size_t plan_line[PK_N];
	struct chrow *rows;       /* choices.csv as read */
	size_t nrows, caprows;
	struct chlist *lists;
	size_t nlists;
	size_t cap;               /* of the array being filled (and lines) */
	size_t *lines;            /* line of each field of the current form */
	bool *used;               /* files consumed */
};

static const struct schema_file *find_file(struct loader *ld,
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

/* ---- plan.csv ---- */

static int plan_row(void *ctx, const char *file, size_t line,
                    const char *const *v)
{
	struct loader *ld = ctx;
	size_t k;

	for (k = 0; k < PK_N; k++)
		if (strcmp(v[0], plan_keys[k]) == 0)
			break;
	if (k == PK_N)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 未知的项“%s”", "%s:%zu: unknown key '%s'"),
		                  file, line, v[0]);
	if (ld->plan[k])
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 项“%s”重复", "%s:%zu: key '%s' appears twice"),
		                  file, line, v[0]);
	ld->plan_line[k] = line;
	return schema_dup(&ld->plan[k], v[1]);
}

static int plan_load(struct loader *ld, const struct schema_file *f)
{
	static const struct colspec cols[] = { { "key", true }, { "value", true } };
	struct plan *p = &ld->s->plan;
	long y;
	int rc, k;

	if ((rc = schema_table_read(f, cols, 2, plan_row, ld)) != KP_OK)
		return rc;
	for (k = 0; k < PK_N; k++)
		if (k != PK_NAME_EN && (!ld->plan[k] || !*ld->plan[k]))
			return kp_err_set(KP_E_DATA, LF("%s: 缺少项“%s”", "%s: key '%s' missing"),
			                  f->name, plan_keys[k]);
	/* Not a record key, and "jinjiang-2021-2025" reads better with dashes. */
	if (!schema_id_valid(ld->plan[PK_ID], ID_CHARS "-"))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: id“%s”无效（只能用小写英文字母、数字、_ 和 -）",
		                  "%s:%zu: id '%s' is not valid (use only a-z, 0-9, _ and -)"),
		                  f->name, ld->plan_line[PK_ID], ld->plan[PK_ID]);
	rc = schema_integer(f->name, ld->plan_line[PK_FIRST], "first_year",
	            ld->plan[PK_FIRST], 1900, 9999, &y);
	if (rc)
		return rc;
	p->first_year = (int)y;
	rc = schema_integer(f->name, ld->plan_line[PK_LAST], "last_year",
	            ld->plan[PK_LAST], 1900, 9999, &y);
	if (rc)
		return rc;
	p->last_year = (int)y;
	if (p->first_year > p->last_year)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 结束年份 %d 早于开始年份 %d",
		                  "%s:%zu: last_year %d is before first_year %d"), f->name,
		                  ld->plan_line[PK_LAST], p->last_year, p->first_year);
	p->id = ld->plan[PK_ID];
	p->name_zh = ld->plan[PK_NAME_ZH];
	p->name_en = ld->plan[PK_NAME_EN] ? ld->plan[PK_NAME_EN] : xstrdup("");
	ld->plan[PK_ID] = ld->plan[PK_NAME_ZH] = ld->plan[PK_NAME_EN] = NULL;
	return p->name_en ? KP_OK : kp_err_nomem();
}

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
	ld->nrows++;
	if ((rc = schema_dup(&r->list, v[0])) || (rc = schema_dup(&r->c.code, v[1]))
	    || (rc = schema_dup(&r->c.label_zh, v[2])) || (rc = schema_dup(&r->c.label_en, v[3])))
		return rc;
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

static const struct chlist *find_list(const struct loader *ld,
                                      const char *name)
{
	size_t i;

	for (i = 0; i < ld->nlists; i++)
		if (strcmp(ld->lists[i].name, name) == 0)
			return &ld->lists[i];
	return NULL;
}

static int choices_load(struct loader *ld, const struct schema_file *f)
{
	static const struct colspec cols[] = {
		{ "list", true }, { "code", true }, { "label_zh", true },
		{ "label_en", false },
	};
	int rc = schema_table_read(f, cols, 4, choice_row, ld);

	return rc ? rc : choices_group(ld);
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

/* ---- a form ---- */

enum fcol { FC_NAME, FC_TYPE, FC_LABEL_ZH, FC_LABEL_EN, FC_REQUIRED, FC_MIN,
            FC_MAX, FC_WIDTH, FC_CHOICES, FC_RELEVANT, FC_CONSTRAINT,
            FC_MESSAGE_ZH, FC_MESSAGE_EN, FC_HINT_ZH, FC_HINT_EN, FC_KEEP,
            FC_N };

static const struct colspec form_cols[FC_N] = {
	{ "name", true }, { "type", true }, { "label_zh", true },
	{ "label_en", false }, { "required", false }, { "min", false },
	{ "max", false }, { "width", false }, { "choices", false },
	{ "relevant", false }, { "constraint", false }, { "message_zh", false },
	{ "message_en", false }, { "hint_zh", false }, { "hint_en", false },
	{ "keep", false },
};

static const char *const type_names[] = {
	[FT_TEXT] = "text", [FT_INTEGER] = "integer", [FT_DECIMAL] = "decimal",
	[FT_DATE] = "date", [FT_CHOICE] = "choice",
};

/* Every record carries the first of these; a field of the same name would
 * clash in exports and on the command line.  The last are words of the
 * expression language, so no rule could name such a field. */
static const char *const reserved[] = {
	"id", "form", "township", "rev", "created_by", "changed_by",
	"created_at", "changed_at", "deleted", "and", "or", "not", "in",
};

struct formctx {
	struct loader *ld;
	struct form *f;
};

static int field_name(const struct formctx *fc, const char *file, size_t line,
                      const char *name)
{
	size_t i;
	int rc;

	if ((rc = schema_check_id(file, line, "name", name)))
		return rc;
	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(name, reserved[i]) == 0)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 字段名“%s”是保留字，请换一个",
			                  "%s:%zu: field name '%s' is reserved, choose another"),
			                  file, line, name);
	for (i = 0; i < fc->f->nfields; i++)
		if (strcmp(fc->f->fields[i].name, name) == 0)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 字段“%s”重复（第%zu行已有）",
			                  "%s:%zu: field '%s' appears twice (see line %zu)"),
			                  file, line, name, fc->ld->lines[i]);
	return KP_OK;
}

/* min, max and width, which only some types take. */
static int field_limits(struct field *fd, const char *file, size_t line,
                        const char *const *v)
{
	bool num = fd->type == FT_INTEGER || fd->type == FT_DECIMAL;
	long w;
	int rc;

	if ((*v[FC_MIN] || *v[FC_MAX]) && !num)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 只有 integer 和 decimal 字段可设 min/max",
		                  "%s:%zu: only integer and decimal fields take min/max"), file, line);
	if (*v[FC_WIDTH] && fd->type != FT_TEXT)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 只有 text 字段可设 width",
		                  "%s:%zu: only text fields take a width"), file, line);
	if ((fd->has_min = *v[FC_MIN])
	    && (rc = schema_number(file, line, "min", v[FC_MIN], &fd->min)))
		return rc;
	if ((fd->has_max = *v[FC_MAX])
	    && (rc = schema_number(file, line, "max", v[FC_MAX], &fd->max)))
		return rc;
	if (fd->has_min && fd->has_max && fd->min > fd->max)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: min %s 大于 max %s",
		                  "%s:%zu: min %s is greater than max %s"),
		                  file, line, v[FC_MIN], v[FC_MAX]);
	if (!*v[FC_WIDTH])
		return KP_OK;
	if ((rc = schema_integer(file, line, "width", v[FC_WIDTH], 2, 1000, &w)))
		return rc;
	/* A CJK character takes two cells: an odd width lets one spill over. */
	if (w % 2)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: width 须为偶数（一个汉字占两格），而不是 %ld",
		                  "%s:%zu: width must be even (a Chinese character takes two cells), not %ld"),
		                  file, line, w);
	fd->width = (int)w;
	return KP_OK;
}

static int field_choices(struct field *fd, const struct loader *ld,
                         const char *file, size_t line, const char *list)
{
	const struct chlist *cl;

	if (fd->type != FT_CHOICE) {
		if (!*list)
			return KP_OK;
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 只有 choice 字段可设 choices",
		                  "%s:%zu: only choice fields take a choices list"), file, line);
	}
	if (!*list)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: choice 字段须在 choices 列写明选项列表",
		                  "%s:%zu: a choice field needs a list in the choices column"),
		                  file, line);
	cl = find_list(ld, list);
	if (!cl)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: choices.csv 中没有列表“%s”",
		                  "%s:%zu: choices.csv has no list '%s'"), file, line, list);
	fd->choices = &ld->s->choices[cl->first];
	fd->nchoices = cl->n;
	return schema_dup(&fd->choice_list, list);
}

static int field_parse(struct formctx *fc, struct field *fd, const char *file,
                       size_t line, const char *const *v)
{
	size_t t;
	int rc;

	if ((rc = field_name(fc, file, line, v[FC_NAME]))
	    || (rc = schema_need(file, line, "label_zh", v[FC_LABEL_ZH])))
		return rc;
	for (t = 0; t < sizeof type_names / sizeof type_names[0]; t++)
		if (strcmp(v[FC_TYPE], type_names[t]) == 0)
			break;
	if (t == sizeof type_names / sizeof type_names[0])
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 未知的字段类型“%s”（可用 text、integer、decimal、date、choice）",
		                  "%s:%zu: unknown field type '%s' (use text, integer, decimal, date or choice)"),
		                  file, line, v[FC_TYPE]);
	fd->type = (enum field_type)t;
	if ((rc = schema_dup(&fd->name, v[FC_NAME]))
	    || (rc = schema_dup(&fd->label_zh, v[FC_LABEL_ZH]))
	    || (rc = schema_dup(&fd->label_en, v[FC_LABEL_EN]))
	    || (rc = schema_dup(&fd->hint_zh, v[FC_HINT_ZH]))
	    || (rc = schema_dup(&fd->hint_en, v[FC_HINT_EN]))
	    || (rc = schema_dup(&fd->message_zh, v[FC_MESSAGE_ZH]))
	    || (rc = schema_dup(&fd->message_en, v[FC_MESSAGE_EN]))
	    || (rc = schema_bool(file, line, "required", v[FC_REQUIRED], &fd->required))
	    || (rc = schema_bool(file, line, "keep", v[FC_KEEP], &fd->keep))
	    || (rc = field_limits(fd, file, line, v))
	    || (rc = field_choices(fd, fc->ld, file, line, v[FC_CHOICES]))
	    || (rc = schema_rule(file, line, "relevant", v[FC_RELEVANT], &fd->relevant, NULL))
	    || (rc = schema_rule(file, line, "constraint", v[FC_CONSTRAINT],
	                     &fd->constraint, &fd->constraint_src)))
		return rc;
	return KP_OK;
}

static int form_row(void *ctx, const char *file, size_t line,
                    const char *const *v)
{
	struct formctx *fc = ctx;
	struct loader *ld = fc->ld;
	struct form *f = fc->f;
	struct field fd;
	int rc;

	memset(&fd, 0, sizeof fd);
	if ((rc = array_grow2(&f->fields, sizeof fd, &ld->lines, sizeof *ld->lines,
	                      &ld->cap, f->nfields)))
		return rc;
	rc = field_parse(fc, &fd, file, line, v);
	if (rc) {
		schema_field_release(&fd);
		return rc;
	}
	ld->lines[f->nfields] = line;
	f->fields[f->nfields++] = fd;
	return KP_OK;
}

/* Collects the first name a rule uses that the form does not have. */
struct namecheck {
	const struct form *f;
	const char *missing;
};

static void name_check(void *ctx, const char *name)
{
	struct namecheck *nc = ctx;

	if (!nc->missing && !form_field(nc->f, name))
		nc->missing = name;
}

static int rule_names(const struct form *f, const struct expr *e,
                      const char *file, size_t line, const char *col)
{
	struct namecheck nc = { f, NULL };

	expr_foreach_name(e, name_check, &nc);
	if (!nc.missing)
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%s:%zu: %s 用到的字段“%s”在表单“%s”中不存在",
	                  "%s:%zu: %s names field '%s', which form '%s' does not have"),
	                  file, line, col, nc.missing, f->id);
}

static int form_load(struct loader *ld, struct form *f,
                     const struct schema_file *file)
{
	struct formctx fc = { ld, f };
	const struct chlist *cl = find_list(ld, "form");
	size_t i;
	int rc;

	ld->cap = 0;
	if ((rc = schema_table_read(file, form_cols, FC_N, form_row, &fc)))
		return rc;
	if (f->nfields == 0)
		return kp_err_set(KP_E_DATA, LF("%s: 表单没有任何字段", "%s: the form has no fields"),
		                  file->name);
	for (i = 0; i < f->nfields; i++)
		if ((rc = rule_names(f, f->fields[i].relevant, file->name, ld->lines[i],
		                     "relevant"))
		    || (rc = rule_names(f, f->fields[i].constraint, file->name,
		                        ld->lines[i], "constraint")))
			return rc;
	/* The form's own label comes from the "form" list of choices.csv. */
	for (i = 0; cl && i < cl->n; i++) {
		const struct choice *c = &ld->s->choices[cl->first + i];
		if (strcmp(c->code, f->id) == 0)
			return (rc = schema_dup(&f->label_zh, c->label_zh)) ? rc
			       : schema_dup(&f->label_en, c->label_en);
	}
	if ((rc = schema_dup(&f->label_zh, f->id)))
		return rc;
	return schema_dup(&f->label_en, f->id);
}

static int forms_load(struct loader *ld, const struct schema_file *files,
                      size_t n)
{
	struct schema *s = ld->s;
	const struct schema_file *file;
	char *list = ld->plan[PK_FORMS], *tok, *save = NULL, name[ID_MAX + 8];
	size_t cap = 0, i, line = ld->plan_line[PK_FORMS];
	int rc;

	for (tok = strtok_r(list, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		text_trim(tok);
		if ((rc = schema_check_id("plan.csv", line, "forms", tok)))
			return rc;
		if (schema_form(s, tok))
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 表单“%s”重复", "%s:%zu: form '%s' listed twice"),
			                  "plan.csv", line, tok);
		if ((rc = array_grow(&s->forms, sizeof *s->forms, &cap, s->nforms)))
			return rc;
		memset(&s->forms[s->nforms], 0, sizeof *s->forms);
		if ((rc = schema_dup(&s->forms[s->nforms].id, tok)))
			return rc;
		s->nforms++;
	}
	if (s->nforms == 0)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: forms 中没有任何表单",
		                  "%s:%zu: forms lists no form"), "plan.csv", line);
	for (i = 0; i < s->nforms; i++) {
		snprintf(name, sizeof name, "%s.csv", s->forms[i].id);
		if (!(file = find_file(ld, files, n, name)))
			return KP_E_DATA;
		if ((rc = form_load(ld, &s->forms[i], file)))
			return rc;
	}
	return KP_OK;
}

/* ---- indicators.csv ---- */

enum icol { IC_ID, IC_LABEL_ZH, IC_LABEL_EN, IC_UNIT_ZH, IC_UNIT_EN,
            IC_PERIOD, IC_COMPARATOR, IC_TARGET, IC_FORM, IC_MEASURE,
            IC_FIELD, IC_FILTER, IC_N };

static const struct colspec ind_cols[IC_N] = {
	{ "id", true }, { "label_zh", true }, { "label_en", false },
	{ "unit_zh", false }, { "unit_en", false }, { "period", true },
	{ "comparator", true }, { "target", true }, { "form", false },
	{ "measure", true }, { "field", false }, { "filter", false },
};

static int ind_feed(struct loader *ld, struct indicator *ind,
                    const char *file, size_t line, const char *const *v)
{
	const struct form *f;
	const struct field *fd;
	int rc;

	if (ind->measure == MEASURE_SURVEY) {
		if (*v[IC_FORM] || *v[IC_FIELD] || *v[IC_FILTER])
			return kp_err_set(KP_E_DATA, LF("%s:%zu: survey 指标不填 form、field、filter",
			                  "%s:%zu: a survey indicator takes no form, field or filter"),
			                  file, line);
		return KP_OK;
	}
	if (!(f = schema_form(ld->s, v[IC_FORM])))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 没有表单“%s”", "%s:%zu: no form '%s'"),
		                  file, line, v[IC_FORM]);
	if (ind->measure == MEASURE_COUNT && *v[IC_FIELD])
		return kp_err_set(KP_E_DATA, LF("%s:%zu: count 指标不填 field",
		                  "%s:%zu: a count indicator takes no field"), file, line);
	if (ind->measure == MEASURE_SUM) {
		fd = form_field(f, v[IC_FIELD]);
		if (!fd || (fd->type != FT_INTEGER && fd->type != FT_DECIMAL))
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 表单“%s”没有数值字段“%s”",
			                  "%s:%zu: form '%s' has no number field '%s'"),
			                  file, line, v[IC_FORM], v[IC_FIELD]);
		if ((rc = schema_dup(&ind->field, v[IC_FIELD])))
			return rc;
	}
	if ((rc = schema_dup(&ind->form, v[IC_FORM]))
	    || (rc = schema_rule(file, line, "filter", v[IC_FILTER], &ind->filter,
	                     &ind->filter_src)))
		return rc;
	return rule_names(f, ind->filter, file, line, "filter");
}

static int ind_parse(struct loader *ld, struct indicator *ind,
                     const char *file, size_t line, const char *const *v)
{
	static const char *const measures[] = { "sum", "count", "survey" };
	const char *c = v[IC_COMPARATOR];
	size_t m;
	int rc;

	if ((rc = schema_dup(&ind->id, v[IC_ID])) || (rc = schema_dup(&ind->label_zh, v[IC_LABEL_ZH]))
	    || (rc = schema_dup(&ind->label_en, v[IC_LABEL_EN]))
	    || (rc = schema_dup(&ind->unit_zh, v[IC_UNIT_ZH]))
	    || (rc = schema_dup(&ind->unit_en, v[IC_UNIT_EN])))
		return rc;
	if (strcmp(v[IC_PERIOD], "annual") && strcmp(v[IC_PERIOD], "plan"))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: period 应为 annual 或 plan，而不是“%s”",
		                  "%s:%zu: period must be annual or plan, not '%s'"),
		                  file, line, v[IC_PERIOD]);
	ind->period = strcmp(v[IC_PERIOD], "plan") ? PERIOD_ANNUAL : PERIOD_PLAN;
	if (strcmp(c, ">=") && strcmp(c, ">") && strcmp(c, "="))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: comparator 应为 >=、> 或 =，而不是“%s”",
		                  "%s:%zu: comparator must be >=, > or =, not '%s'"), file, line, c);
	if ((rc = schema_dup(&ind->comparator, c))
	    || (rc = schema_number(file, line, "target", v[IC_TARGET], &ind->target)))
		return rc;
	for (m = 0; m < 3; m++)
		if (strcmp(v[IC_MEASURE], measures[m]) == 0)
			break;
	if (m == 3)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: measure 应为 sum、count 或 survey，而不是“%s”",
		                  "%s:%zu: measure must be sum, count or survey, not '%s'"),
		                  file, line, v[IC_MEASURE]);
	ind->measure = (enum measure)m;
	return ind_feed(ld, ind, file, line, v);
}

static int ind_row(void *ctx, const char *file, size_t line,
                   const char *const *v)
{
	struct loader *ld = ctx;
	struct schema *s = ld->s;
	struct indicator ind;
	int rc;

	if ((rc = schema_check_id(file, line, "id", v[IC_ID])))
		return rc;
	if (schema_indicator(s, v[IC_ID]))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 指标“%s”重复",
		                  "%s:%zu: indicator '%s' appears twice"), file, line, v[IC_ID]);
	if ((rc = array_grow(&s->indicators, sizeof ind, &ld->cap, s->nindicators)))
		return rc;
	memset(&ind, 0, sizeof ind);
	if ((rc = ind_parse(ld, &ind, file, line, v))) {
		schema_indicator_release(&ind);
		return rc;
	}
	s->indicators[s->nindicators++] = ind;
	return KP_OK;
}

/* ---- the whole ---- */

typedef int (*file_fn)(struct loader *ld, const struct schema_file *f);

static int load_file(struct loader *ld, const struct schema_file *files,
                     size_t n, const char *name, file_fn fn)
{
	const struct schema_file *f = find_file(ld, files, n, name);

	return f ? fn(ld, f) : KP_E_DATA;
}

static int indicators_load(struct loader *ld, const struct schema_file *f)
{
	ld->cap = 0;
	return schema_table_read(f, ind_cols, IC_N, ind_row, ld);
}

/* In this order: forms need the choices, indicators need the forms. */
static int load(struct loader *ld, const struct schema_file *files, size_t n)
{
	size_t i;
	int rc;

	if ((rc = load_file(ld, files, n, "plan.csv", plan_load))
	    || (rc = load_file(ld, files, n, "choices.csv", choices_load))
	    || (rc = load_file(ld, files, n, "townships.csv", townships_load))
	    || (rc = forms_load(ld, files, n))
	    || (rc = load_file(ld, files, n, "indicators.csv", indicators_load)))
		return rc;
	for (i = 0; i < n; i++)
		if (!ld->used[i])
			return kp_err_set(KP_E_DATA, LF("%s: 不认识的文件（表单文件须列在 plan.csv 的 forms 中）",
			                  "%s: unknown file (a form file must be listed in plan.csv's forms)"),
			                  files[i].name);
	return KP_OK;
}

static void loader_free(struct loader *ld)
{
	size_t i;

	for (i = 0; i < PK_N; i++)
		free(ld->plan[i]);
	for (i = 0; i < ld->nrows; i++) {
		free(ld->rows[i].list);
		free(ld->rows[i].c.code);
		free(ld->rows[i].c.label_zh);
		free(ld->rows[i].c.label_en);
	}
	free(ld->rows);
	for (i = 0; i < ld->nlists; i++)
		free(ld->lists[i].name);
	free(ld->lists);
	free(ld->lines);
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
