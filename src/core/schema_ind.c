/* schema_ind.c - loading indicators.csv: what each plan counts, how, and
 * the city target it is measured against (none for a tally, which may be
 * counted per choice of a field: group_by). */
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

enum icol { IC_ID, IC_LABEL_ZH, IC_LABEL_EN, IC_UNIT_ZH, IC_UNIT_EN,
            IC_PERIOD, IC_COMPARATOR, IC_TARGET, IC_FORM, IC_MEASURE,
            IC_FIELD, IC_FILTER, IC_PLAN, IC_PACE, IC_GROUP_BY, IC_N };

static const struct colspec ind_cols[IC_N] = {
	{ "id", true }, { "label_zh", true }, { "label_en", false },
	{ "unit_zh", false }, { "unit_en", false }, { "period", true },
	{ "comparator", true }, { "target", true }, { "form", false },
	{ "measure", true }, { "field", false }, { "filter", false },
	{ "plan", false }, { "pace", false }, { "group_by", false },
};

/* The plan a row belongs to: its plan cell, which may be left blank only
 * when the set has one plan. */
static int ind_plan(struct loader *ld, struct indicator *ind, const char *file,
                    size_t line, const char *id)
{
	const struct schema *s = ld->s;

	if (!*id && s->nplans == 1) {
		ind->plan = &s->plans[0];
		return KP_OK;
	}
	if (!*id)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: plan 为空：有多个规划时每个指标都要写明属于哪个规划",
		                  "%s:%zu: plan is empty: with several plans every indicator names its plan"),
		                  file, line);
	if (!(ind->plan = schema_plan(s, id)))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: plans.csv 中没有规划“%s”",
		                  "%s:%zu: plans.csv has no plan '%s'"), file, line, id);
	return KP_OK;
}

static int ind_pace(struct indicator *ind, const char *file, size_t line,
                    const char *pace)
{
	if (!*pace || strcmp(pace, "linear") == 0)
		ind->pace = PACE_LINEAR;
	else if (strcmp(pace, "none") == 0)
		ind->pace = PACE_NONE;
	else
		return kp_err_set(KP_E_DATA, LF("%s:%zu: pace 应为 linear、none 或留空，而不是“%s”",
		                  "%s:%zu: pace must be linear, none or blank, not '%s'"),
		                  file, line, pace);
	return KP_OK;
}

/* group_by: a choice field of the feeding form, for a tally only (a
 * target per choice would be a quota nobody allocates). */
static int ind_group(struct indicator *ind, const struct form *f,
                     const char *file, size_t line, const char *name)
{
	const struct field *fd;

	if (!*name)
		return KP_OK;
	if (!ind->tally)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: group_by 只用于统计指标（target 留空）",
		                  "%s:%zu: group_by is for a tally only (target left blank)"),
		                  file, line);
	fd = form_field(f, name);
	if (!fd || fd->type != FT_CHOICE)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: group_by：表单“%s”没有选择字段“%s”",
		                  "%s:%zu: group_by: form '%s' has no choice field '%s'"),
		                  file, line, f->id, name);
	ind->group_by = fd;
	return KP_OK;
}

static int ind_feed(struct loader *ld, struct indicator *ind,
                    const char *file, size_t line, const char *const *v)
{
	const struct form *f;
	const struct field *fd;
	int rc;

	if (ind->measure == MEASURE_SURVEY) {
		if (*v[IC_FORM] || *v[IC_FIELD] || *v[IC_FILTER] || *v[IC_GROUP_BY])
			return kp_err_set(KP_E_DATA, LF("%s:%zu: survey 指标不填 form、field、filter、group_by",
			                  "%s:%zu: a survey indicator takes no form, field, filter or group_by"),
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
	                     &ind->filter_src))
	    || (rc = ind_group(ind, f, file, line, v[IC_GROUP_BY])))
		return rc;
	return schema_rule_names(f, ind->filter, file, line, "filter");
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
	/* A blank target makes a tally: counted, never judged, so it needs
	 * no comparator either. */
	ind->tally = !*v[IC_TARGET];
	if (!(ind->tally && !*c) && strcmp(c, ">=") && strcmp(c, ">") && strcmp(c, "="))
		return kp_err_set(KP_E_DATA, LF("%s:%zu: comparator 应为 >=、> 或 =，而不是“%s”",
		                  "%s:%zu: comparator must be >=, > or =, not '%s'"), file, line, c);
	if ((rc = schema_dup(&ind->comparator, c))
	    || (!ind->tally
	        && (rc = schema_number(file, line, "target", v[IC_TARGET], &ind->target))))
		return rc;
	for (m = 0; m < 3; m++)
		if (strcmp(v[IC_MEASURE], measures[m]) == 0)
			break;
	if (m == 3)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: measure 应为 sum、count 或 survey，而不是“%s”",
		                  "%s:%zu: measure must be sum, count or survey, not '%s'"),
		                  file, line, v[IC_MEASURE]);
	ind->measure = (enum measure)m;
	if ((rc = ind_pace(ind, file, line, v[IC_PACE])))
		return rc;
	return ind_feed(ld, ind, file, line, v);
}

static int ind_row(void *ctx, const char *file, size_t line,
                   const char *const *v)
{
	struct loader *ld = ctx;
	struct schema *s = ld->s;
	struct indicator ind;
	size_t i;
	int rc;

	memset(&ind, 0, sizeof ind);
	ind.line = line;
	if ((rc = schema_check_id(file, line, "id", v[IC_ID]))
	    || (rc = ind_plan(ld, &ind, file, line, v[IC_PLAN])))
		return rc;
	for (i = 0; i < s->nindicators; i++)
		if (s->indicators[i].plan == ind.plan && !strcmp(s->indicators[i].id, v[IC_ID]))
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 规划“%s”的指标“%s”重复（第%zu行已有）",
			                  "%s:%zu: plan '%s' has indicator '%s' twice (see line %zu)"),
			                  file, line, ind.plan->id, v[IC_ID], s->indicators[i].line);
	if ((rc = array_grow(&s->indicators, sizeof ind, &ld->cap, s->nindicators)))
		return rc;
	if ((rc = ind_parse(ld, &ind, file, line, v))) {
		schema_indicator_release(&ind);
		return rc;
	}
	s->indicators[s->nindicators++] = ind;
	return KP_OK;
}


int schema_indicators_load(struct loader *ld, const struct schema_file *f)
{
	ld->cap = 0;
	return schema_table_read(f, ind_cols, IC_N, ind_row, ld);
}
