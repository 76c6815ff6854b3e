/* schema_form.c - loading the forms of a set: each form file's fields,
 * their types, limits, choice lists and rules, and the roles that tell
 * kepu which field is a record's date, its end and its duplicate key.
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

enum fcol { FC_NAME, FC_TYPE, FC_LABEL_ZH, FC_LABEL_EN, FC_REQUIRED, FC_MIN,
            FC_MAX, FC_WIDTH, FC_CHOICES, FC_RELEVANT, FC_CONSTRAINT,
            FC_MESSAGE_ZH, FC_MESSAGE_EN, FC_HINT_ZH, FC_HINT_EN, FC_KEEP,
            FC_ROLE, FC_N };

static const struct colspec form_cols[FC_N] = {
	{ "name", true }, { "type", true }, { "label_zh", true },
	{ "label_en", false }, { "required", false }, { "min", false },
	{ "max", false }, { "width", false }, { "choices", false },
	{ "relevant", false }, { "constraint", false }, { "message_zh", false },
	{ "message_en", false }, { "hint_zh", false }, { "hint_en", false },
	{ "keep", false }, { "role", false },
};

static const char *const role_names[] = {
	[ROLE_NONE] = "", [ROLE_DATE] = "date", [ROLE_END] = "end",
	[ROLE_KEY] = "key",
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
			                  file, line, name, fc->f->fields[i].line);
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
	cl = schema_find_list(ld, list);
	if (!cl)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: choices.csv 中没有列表“%s”",
		                  "%s:%zu: choices.csv has no list '%s'"), file, line, list);
	fd->choices = &ld->s->choices[cl->first];
	fd->nchoices = cl->n;
	return schema_dup(&fd->choice_list, list);
}

static int field_role(struct field *fd, const char *file, size_t line,
                      const char *role)
{
	size_t r;

	for (r = 0; r < sizeof role_names / sizeof role_names[0]; r++)
		if (strcmp(role, role_names[r]) == 0)
			break;
	if (r == sizeof role_names / sizeof role_names[0])
		return kp_err_set(KP_E_DATA, LF("%s:%zu: role 应为 date、end、key 或留空，而不是“%s”",
		                  "%s:%zu: role must be date, end, key or blank, not '%s'"),
		                  file, line, role);
	fd->role = (enum field_role)r;
	if ((fd->role == ROLE_DATE || fd->role == ROLE_END) && fd->type != FT_DATE)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: role %s 只能用于 date 字段",
		                  "%s:%zu: role %s needs a date field"), file, line, role);
	if (fd->role == ROLE_DATE && !fd->required)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 记录日期字段（role date）须为必填（required yes）",
		                  "%s:%zu: the record's date field (role date) must be required"),
		                  file, line);
	return KP_OK;
}

static int field_parse(struct formctx *fc, struct field *fd, const char *file,
                       size_t line, const char *const *v)
{
	size_t t;
	int rc;

	fd->line = line;
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
	    || (rc = schema_rule(file, line, "relevant", v[FC_RELEVANT], &fd->relevant,
	                        &fd->relevant_src))
	    || (rc = schema_rule(file, line, "constraint", v[FC_CONSTRAINT],
	                     &fd->constraint, &fd->constraint_src))
	    || (rc = field_role(fd, file, line, v[FC_ROLE])))
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
	if ((rc = array_grow(&f->fields, sizeof fd, &ld->cap, f->nfields)))
		return rc;
	rc = field_parse(fc, &fd, file, line, v);
	if (rc) {
		schema_field_release(&fd);
		return rc;
	}
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

int schema_rule_names(const struct form *f, const struct expr *e,
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

/* A form file without a role column (made before roles): the date is the
 * field called date (else its first required date field), the end
 * end_date, the duplicate key title, else name, as kepu always took them. */
static struct field *field_named(struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

static void roles_by_name(struct form *f)
{
	struct field *fd;
	size_t i;

	if ((fd = field_named(f, "date")) && fd->type == FT_DATE)
		fd->role = ROLE_DATE;
	for (i = 0; !fd && i < f->nfields; i++)
		if (f->fields[i].type == FT_DATE && f->fields[i].required)
			(fd = &f->fields[i])->role = ROLE_DATE;
	if ((fd = field_named(f, "end_date")) && fd->type == FT_DATE)
		fd->role = ROLE_END;
	if ((fd = field_named(f, "title")) || (fd = field_named(f, "name")))
		fd->role = ROLE_KEY;
}

/* One date field, at most one end field; a role given twice is refused
 * naming the second line. */
static int form_roles(struct form *f, const char *file)
{
	size_t i;
	bool any = false;

	for (i = 0; i < f->nfields; i++)
		any |= f->fields[i].role != ROLE_NONE;
	if (!any)
		roles_by_name(f);
	for (i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const struct field **slot = fd->role == ROLE_DATE ? &f->date
		                          : fd->role == ROLE_END ? &f->end : NULL;

		if (!slot)
			continue;
		if (*slot)
			return kp_err_set(KP_E_DATA, LF("%s:%zu: role %s 已给了字段“%s”（第%zu行），一个表单只能有一个",
			                  "%s:%zu: role %s is already field '%s' (line %zu); a form has only one"),
			                  file, fd->line, role_names[fd->role], (*slot)->name,
			                  (*slot)->line);
		*slot = fd;
	}
	if (f->date && f->date->required)
		return KP_OK;
	if (f->date)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: 记录日期字段“%s”须为必填（required yes）",
		                  "%s:%zu: the record's date field '%s' must be required"),
		                  file, f->date->line, f->date->name);
	return kp_err_set(KP_E_DATA, LF("%s: 表单没有记录日期字段：给一个 date 类型的必填字段写上 role date",
	                  "%s: the form has no record date: give one required date field the role date"),
	                  file);
}

static int form_load(struct loader *ld, struct form *f,
                     const struct schema_file *file)
{
	struct formctx fc = { ld, f };
	const struct chlist *cl = schema_find_list(ld, "form");
	size_t i;
	int rc;

	ld->cap = 0;
	if ((rc = schema_table_read(file, form_cols, FC_N, form_row, &fc)))
		return rc;
	if (f->nfields == 0)
		return kp_err_set(KP_E_DATA, LF("%s: 表单没有任何字段", "%s: the form has no fields"),
		                  file->name);
	for (i = 0; i < f->nfields; i++)
		if ((rc = schema_rule_names(f, f->fields[i].relevant, file->name,
		                            f->fields[i].line, "relevant"))
		    || (rc = schema_rule_names(f, f->fields[i].constraint, file->name,
		                               f->fields[i].line, "constraint")))
			return rc;
	if ((rc = form_roles(f, file->name)))
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

int schema_forms_load(struct loader *ld, const struct schema_file *files,
                      size_t n)
{
	struct schema *s = ld->s;
	const struct schema_file *file;
	const char *where = ld->forms_file;
	char *list = ld->forms, *tok, *save = NULL, name[ID_MAX + 8];
	size_t cap = 0, i, line = ld->forms_line;
	int rc;

	for (tok = strtok_r(list, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		text_trim(tok);
		if ((rc = schema_check_id(where, line, "forms", tok)))
			return rc;
		if (schema_form(s, tok))
			return kp_err_set(KP_E_DATA, LF("%s:%zu: 表单“%s”重复", "%s:%zu: form '%s' listed twice"),
			                  where, line, tok);
		if ((rc = array_grow(&s->forms, sizeof *s->forms, &cap, s->nforms)))
			return rc;
		memset(&s->forms[s->nforms], 0, sizeof *s->forms);
		if ((rc = schema_dup(&s->forms[s->nforms].id, tok)))
			return rc;
		s->nforms++;
	}
	if (s->nforms == 0)
		return kp_err_set(KP_E_DATA, LF("%s:%zu: forms 中没有任何表单",
		                  "%s:%zu: forms lists no form"), where, line);
	for (i = 0; i < s->nforms; i++) {
		snprintf(name, sizeof name, "%s.csv", s->forms[i].id);
		if (!(file = schema_find_file(ld, files, n, name)))
			return KP_E_DATA;
		if ((rc = form_load(ld, &s->forms[i], file)))
			return rc;
	}
	return KP_OK;
}

