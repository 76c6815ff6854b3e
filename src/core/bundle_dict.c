/* bundle_dict.c - the data dictionary (a bundle's dictionary.csv, and
 * `kepu forms dictionary`): every column of every form file with its type,
 * when it is required, its rule and range, and its choices; the townships;
 * the indicators of every plan as indicators.csv defines them; and the
 * status words of progress.csv.
 *
 * The columns (docs/bundle-format.md):
 *   file,column,type,required,code,label_zh,label_en,relevant,constraint,
 *   min,max,plan,period,comparator,pace,target,unit_zh,unit_en,measure,
 *   form,field,filter,group_by,note_zh,note_en
 * A row fills the columns that mean something for it and leaves the rest
 * blank.  Uses bundle.c (the bookkeeping columns' names).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bundle.h"
#include "bundle_int.h"
#include "csvio.h"
#include "quota.h"
#include "schema.h"

enum dcol {
	D_FILE, D_COLUMN, D_TYPE, D_REQUIRED, D_CODE, D_LABEL_ZH, D_LABEL_EN,
	D_RELEVANT, D_CONSTRAINT, D_MIN, D_MAX, D_PLAN, D_PERIOD, D_COMPARATOR,
	D_PACE, D_TARGET, D_UNIT_ZH, D_UNIT_EN, D_MEASURE, D_FORM, D_FIELD,
	D_FILTER, D_GROUP_BY, D_NOTE_ZH, D_NOTE_EN, D__COUNT
};

static const char *const dict_head[D__COUNT] = {
	"file", "column", "type", "required", "code", "label_zh", "label_en",
	"relevant", "constraint", "min", "max", "plan", "period", "comparator",
	"pace", "target", "unit_zh", "unit_en", "measure", "form", "field",
	"filter", "group_by", "note_zh", "note_en",
};

static const char *const col_labels[COL__COUNT][2] = {
	{ "记录编号", "record id" },
	{ "镇街", "township" },
	{ "版本号", "revision" },
	{ "已删除（1=是）", "deleted (1 = yes)" },
	{ "创建人", "created by" },
	{ "创建时间（UTC）", "created at (UTC)" },
	{ "最后修改人", "changed by" },
	{ "最后修改时间（UTC）", "changed at (UTC)" },
	{ "表单版本", "forms version" },
	{ "附件数（见 attachments.csv）", "attachments (see attachments.csv)" },
};

/* One row under construction: every cell NULL (blank) until set. */
struct drow {
	const char *c[D__COUNT];
	char buf[4][64];              /* numbers, the required text */
	char req[512];
};

static void drow_init(struct drow *r, const char *file, const char *col)
{
	memset(r->c, 0, sizeof r->c);
	r->c[D_FILE] = file;
	r->c[D_COLUMN] = col;
}

static void drow_put(struct csvw *w, const struct drow *r)
{
	csvw_row(w, D__COUNT, r->c);
}

static const char *type_name(enum field_type t)
{
	switch (t) {
	case FT_INTEGER: return "integer";
	case FT_DECIMAL: return "decimal";
	case FT_DATE:    return "date";
	case FT_CHOICE:  return "choice";
	default:         return "text";
	}
}

/* "1", "0", or "when <relevant>" for a required field asked only under a
 * condition: it is required exactly when the condition holds. */
static const char *required_text(const struct field *fd, const char *relevant,
                                 char *buf, size_t n)
{
	if (!fd->required)
		return "0";
	if (!relevant || !*relevant)
		return "1";
	snprintf(buf, n, "when %s", relevant);
	return buf;
}

static void dict_field(struct csvw *w, const char *file, const struct field *fd)
{
	struct drow r;
	const char *rel = fd->relevant ? fd->relevant_src : NULL;
	size_t k;

	drow_init(&r, file, fd->name);
	r.c[D_TYPE] = type_name(fd->type);
	r.c[D_REQUIRED] = required_text(fd, rel, r.req, sizeof r.req);
	r.c[D_LABEL_ZH] = fd->label_zh;
	r.c[D_LABEL_EN] = fd->label_en;
	r.c[D_RELEVANT] = rel;
	r.c[D_CONSTRAINT] = fd->constraint_src;
	if (fd->has_min)
		r.c[D_MIN] = quota_format(fd->min, 9, r.buf[0]);
	if (fd->has_max)
		r.c[D_MAX] = quota_format(fd->max, 9, r.buf[1]);
	if (fd->type == FT_TEXT) {
		snprintf(r.buf[2], sizeof r.buf[2], "%d", fd->width ? fd->width : 200);
		r.c[D_MAX] = r.buf[2];
		r.c[D_NOTE_ZH] = "max：最多占几格（一个汉字两格）";
		r.c[D_NOTE_EN] = "max: display cells at most (a Chinese character takes two)";
	}
	drow_put(w, &r);
	for (k = 0; k < fd->nchoices; k++) {
		const struct choice *c = &fd->choices[k];
		char zh[160], en[160];

		drow_init(&r, file, fd->name);
		r.c[D_CODE] = c->code;
		r.c[D_LABEL_ZH] = c->label_zh;
		r.c[D_LABEL_EN] = c->label_en;
		if (c->counts_as) {
			snprintf(zh, sizeof zh, "分组统计时计入 %s", c->counts_as);
			snprintf(en, sizeof en, "counted as %s in grouped tallies",
			         c->counts_as);
			r.c[D_NOTE_ZH] = zh;
			r.c[D_NOTE_EN] = en;
		}
		drow_put(w, &r);
	}
}

static void dict_forms(struct csvw *w, const struct schema *s)
{
	struct drow r;
	size_t i, j;

	for (i = 0; i < s->nforms; i++) {
		const struct form *fm = &s->forms[i];
		char file[80];

		snprintf(file, sizeof file, "%s.csv", fm->id);
		for (j = 0; j < COL__COUNT; j++) {
			drow_init(&r, file, bundle_cols[j]);
			r.c[D_TYPE] = j == COL_REV || j == COL_DELETED
			              || j == COL_FORM_VERSION || j == COL_ATTACHMENTS
			              ? "integer" : "text";
			r.c[D_REQUIRED] = "1";
			r.c[D_LABEL_ZH] = col_labels[j][0];
			r.c[D_LABEL_EN] = col_labels[j][1];
			drow_put(w, &r);
		}
		for (j = 0; j < fm->nfields; j++)
			dict_field(w, file, &fm->fields[j]);
	}
}

/* The township codes of every file's township column ("*"), and "all",
 * the city's rows of progress.csv. */
static void dict_townships(struct csvw *w, const struct schema *s)
{
	struct drow r;
	size_t i;

	for (i = 0; i < s->ntownships; i++) {
		const struct township *t = &s->townships[i];

		drow_init(&r, "*", "township");
		r.c[D_CODE] = t->id;
		r.c[D_LABEL_ZH] = t->name_zh;
		r.c[D_LABEL_EN] = t->name_en;
		r.c[D_NOTE_ZH] = t->kind;
		r.c[D_NOTE_EN] = *t->official_code ? t->official_code : NULL;
		drow_put(w, &r);
	}
	drow_init(&r, "progress.csv", "township");
	r.c[D_CODE] = "all";
	r.c[D_LABEL_ZH] = "全市合计";
	r.c[D_LABEL_EN] = "City total";
	drow_put(w, &r);
}

static const char *measure_name(enum measure m)
{
	return m == MEASURE_SUM ? "sum" : m == MEASURE_COUNT ? "count" : "survey";
}

static void dict_indicators(struct csvw *w, const struct schema *s)
{
	struct drow r;
	size_t i;

	for (i = 0; i < s->nindicators; i++) {
		const struct indicator *ind = &s->indicators[i];

		drow_init(&r, "progress.csv", "indicator");
		r.c[D_CODE] = ind->id;
		r.c[D_LABEL_ZH] = ind->label_zh;
		r.c[D_LABEL_EN] = ind->label_en;
		r.c[D_PLAN] = ind->plan->id;
		r.c[D_PERIOD] = ind->period == PERIOD_PLAN ? "plan" : "annual";
		r.c[D_COMPARATOR] = ind->comparator;
		r.c[D_PACE] = ind->tally ? NULL : ind->pace == PACE_NONE ? "none" : "linear";
		r.c[D_TARGET] = ind->tally ? NULL : quota_format(ind->target, 9, r.buf[0]);
		r.c[D_UNIT_ZH] = ind->unit_zh;
		r.c[D_UNIT_EN] = ind->unit_en;
		r.c[D_MEASURE] = measure_name(ind->measure);
		r.c[D_FORM] = ind->form;
		r.c[D_FIELD] = ind->field;
		r.c[D_FILTER] = ind->filter_src;
		r.c[D_GROUP_BY] = ind->group_by ? ind->group_by->name : NULL;
		if (ind->tally) {
			r.c[D_NOTE_ZH] = ind->group_by ? "统计项，按选项分组（progress.csv 的 group 列）"
			                               : "统计项：不设目标";
			r.c[D_NOTE_EN] = ind->group_by ? "a tally, a row per choice (progress.csv's group column)"
			                               : "a tally: no target";
		}
		drow_put(w, &r);
	}
}

static void dict_statuses(struct csvw *w)
{
	const struct quota_word *q;
	struct drow r;
	size_t i, n;

	q = quota_status_words(&n);
	for (i = 0; i < n; i++) {
		drow_init(&r, "progress.csv", "status");
		r.c[D_CODE] = q[i].code;
		r.c[D_LABEL_ZH] = q[i].zh;
		r.c[D_LABEL_EN] = q[i].en;
		r.c[D_NOTE_ZH] = q[i].note_zh;
		r.c[D_NOTE_EN] = q[i].note_en;
		drow_put(w, &r);
	}
}

int bundle_dictionary_write(const struct schema *s, FILE *out, unsigned flags)
{
	struct csvw w;

	csvw_begin(&w, out, flags);
	csvw_row(&w, D__COUNT, dict_head);
	dict_forms(&w, s);
	dict_townships(&w, s);
	dict_indicators(&w, s);
	dict_statuses(&w);
	return csvw_finish(&w);
}
