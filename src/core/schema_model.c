/* schema_model.c - a loaded schema's lookups, labels and freeing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "lang.h"
#include "schema.h"
#include "schema_int.h"

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

const struct indicator *plan_indicator(const struct plan *p, const char *id)
{
	size_t i;

	for (i = 0; p && id && i < p->nindicators; i++)
		if (strcmp(p->indicators[i]->id, id) == 0)
			return p->indicators[i];
	return NULL;
}

const struct indicator *schema_indicator_of_year(const struct schema *s,
                                                 int year, const char *id)
{
	return plan_indicator(schema_plan_of_year(s, year), id);
}

const struct indicator *schema_indicator(const struct schema *s,
                                         const char *id)
{
	const struct indicator *ind;
	size_t i;

	for (i = s ? s->nplans : 0; i > 0; i--)
		if ((ind = plan_indicator(&s->plans[i - 1], id)) != NULL)
			return ind;
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

/* ---- plans and years ---- */

const struct plan *schema_plan(const struct schema *s, const char *id)
{
	size_t i;

	for (i = 0; s && id && i < s->nplans; i++)
		if (strcmp(s->plans[i].id, id) == 0)
			return &s->plans[i];
	return NULL;
}

const struct plan *schema_plan_of_year(const struct schema *s, int year)
{
	size_t i;

	if (!s || s->nplans == 0 || year < s->plans[0].first_year)
		return NULL;
	/* Plans are sorted and never overlap: the last one starting by year. */
	for (i = s->nplans; i > 1; i--)
		if (s->plans[i - 1].first_year <= year)
			break;
	return &s->plans[i - 1];
}

int schema_first_year(const struct schema *s)
{
	return s->nplans ? s->plans[0].first_year : 0;
}

bool schema_year_provisional(const struct schema *s, int year)
{
	const struct plan *p = schema_plan_of_year(s, year);

	return !p || p->status == PLAN_PROVISIONAL || year > p->last_year;
}

const char *plan_label(const struct plan *p)
{
	return L(p->name_zh, p->name_en);
}

size_t form_key_fields(const struct form *f, const struct field **out,
                       size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].role == ROLE_KEY) {
			if (n < max)
				out[n] = &f->fields[i];
			n++;
		}
	return n;
}

/* ---- tallies grouped by a choice field ---- */

const char *indicator_group_of(const struct indicator *ind, const char *value)
{
	const struct choice *c;

	if (!ind->group_by)
		return NULL;
	if (!(c = field_choice(ind->group_by, value)))
		return "";
	return c->counts_as ? c->counts_as : c->code;
}

size_t indicator_groups(const struct indicator *ind, const char **out,
                        size_t max)
{
	const struct field *f = ind->group_by;
	size_t i, n = 0;

	if (!f)
		return 0;
	for (i = 0; i < f->nchoices; i++)
		if (!f->choices[i].counts_as) {
			if (n < max)
				out[n] = f->choices[i].code;
			n++;
		}
	if (n < max)
		out[n] = "";
	return n + 1;
}

const char *indicator_group_label(const struct indicator *ind,
                                  const char *group, char *buf, size_t size)
{
	const struct field *f = ind->group_by;
	const struct choice *c = f ? field_choice(f, group) : NULL;
	size_t i, at, k = 0;
	int w;

	if (!c || size == 0)
		return group && *group ? group : L("（未填写）", "(not given)");
	/* "全国科普日（含科普日）": the codes counted under this one, named. */
	w = snprintf(buf, size, "%s", choice_label(c));
	at = w < 0 ? 0 : (size_t)w;
	for (i = 0; i < f->nchoices && at < size; i++) {
		if (!f->choices[i].counts_as || strcmp(f->choices[i].counts_as, c->code))
			continue;
		w = snprintf(buf + at, size - at, "%s%s", k++ ? L("、", ", ")
		             : L("（含", " (with "), choice_label(&f->choices[i]));
		at += w < 0 ? 0 : (size_t)w;
	}
	if (k && at < size)
		snprintf(buf + at, size - at, "%s", L("）", ")"));
	return buf;
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
	free(fd->relevant_src);
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
	for (i = 0; i < s->nplans; i++) {
		free(s->plans[i].id);
		free(s->plans[i].name_zh);
		free(s->plans[i].name_en);
		free(s->plans[i].indicators);
	}
	free(s->plans);
	free(s->note_zh);
	free(s->note_en);
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
		free(s->choices[i].counts_as);
	}
	free(s->choices);
	free(s);
}
