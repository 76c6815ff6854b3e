/* schema_compat.c - whether a new version of a form set can replace the one
 * a database uses: what its stored records use (struct schema_usage), the
 * changes that would strand them (schema_compat), what a new version adds
 * (schema_changes, for the faces to say), and whether two versions count
 * records alike (so that totals need no rebuild).
 *
 * New forms, fields, choices, indicators, plans and townships, and changed
 * labels, hints, messages, targets, units and names are always fine.  What
 * is refused is what would leave a stored record behind: a form, field,
 * choice code or township removed (a rename is a removal) while records use
 * it, a field's type changed, the record date moved to another field of a
 * form that has records, a plan's first year changed or a plan removed
 * while records fall in its years.  Whether each stored record passes the
 * new rules is the ledger's to check (ledger_forms.c), since that needs the
 * records themselves.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "record.h"
#include "schema.h"
#include "schema_int.h"
#include "text.h"

/* ---- what records use: a small set of strings with counts ---- */

struct uslot {
	char *key;                /* kind letter, then parts joined by NUL */
	size_t len;
	size_t count;
};

struct schema_usage {
	struct uslot *slot;
	size_t cap, n;            /* cap is a power of two */
};

struct schema_usage *schema_usage_new(void)
{
	struct schema_usage *u = calloc(1, sizeof *u);

	if (u && !(u->slot = calloc(u->cap = 64, sizeof *u->slot))) {
		free(u);
		u = NULL;
	}
	return u;
}

void schema_usage_free(struct schema_usage *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->cap; i++)
		free(u->slot[i].key);
	free(u->slot);
	free(u);
}

static size_t hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603u;     /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211u;
	return (size_t)h;
}

static struct uslot *find_slot(struct uslot *slot, size_t cap, const char *k,
                               size_t n)
{
	size_t i = hash(k, n) & (cap - 1);

	while (slot[i].key && (slot[i].len != n || memcmp(slot[i].key, k, n)))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static int grow(struct schema_usage *u)
{
	size_t cap = u->cap * 2, i;
	struct uslot *slot = calloc(cap, sizeof *slot);

	if (!slot)
		return kp_err_nomem();
	for (i = 0; i < u->cap; i++)
		if (u->slot[i].key)
			*find_slot(slot, cap, u->slot[i].key, u->slot[i].len) = u->slot[i];
	free(u->slot);
	u->slot = slot;
	u->cap = cap;
	return KP_OK;
}

/* Key: kind, then up to three parts, each followed by a NUL. */
static size_t make_key(char *buf, size_t cap, char kind, const char *a,
                       const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t at = 0, i, n;

	buf[at++] = kind;
	for (i = 0; i < 3 && part[i]; i++) {
		n = strlen(part[i]);
		if (at + n + 1 > cap)
			n = cap - at - 1;
		memcpy(buf + at, part[i], n);
		at += n;
		buf[at++] = 0;
	}
	return at;
}

static int note(struct schema_usage *u, char kind, const char *a,
                const char *b, const char *c)
{
	char key[512];
	size_t n = make_key(key, sizeof key, kind, a, b, c);
	struct uslot *sl;
	int rc;

	if (u->n * 2 >= u->cap && (rc = grow(u)) != KP_OK)
		return rc;
	sl = find_slot(u->slot, u->cap, key, n);
	if (!sl->key) {
		if (!(sl->key = malloc(n)))
			return kp_err_nomem();
		memcpy(sl->key, key, n);
		sl->len = n;
		u->n++;
	}
	sl->count++;
	return KP_OK;
}

static size_t used(const struct schema_usage *u, char kind, const char *a,
                   const char *b, const char *c)
{
	char key[512];
	size_t n = make_key(key, sizeof key, kind, a, b, c);
	const struct uslot *sl = find_slot(u->slot, u->cap, key, n);

	return sl->key ? sl->count : 0;
}

int schema_usage_add(struct schema_usage *u, const struct schema *s,
                     const struct record *r)
{
	const struct form *f = schema_form(s, r->form);
	const struct field *fd;
	const char *date;
	char year[8];
	size_t i;
	int rc;

	if (r->deleted)
		return KP_OK;
	if ((rc = note(u, 'f', r->form, NULL, NULL)) || (rc = note(u, 't', r->township, NULL, NULL)))
		return rc;
	if (f && (date = record_get(r, f->date->name)) && strlen(date) >= 4) {
		snprintf(year, sizeof year, "%.4s", date);
		if ((rc = note(u, 'y', year, NULL, NULL)))
			return rc;
	}
	for (i = 0; i < r->nfields; i++) {
		const char *name = r->fields[i].name, *v = r->fields[i].value;

		if (!v || !*v)
			continue;
		if ((rc = note(u, 'd', r->form, name, NULL)))
			return rc;
		fd = f ? form_field(f, name) : NULL;
		if (fd && fd->type == FT_CHOICE && (rc = note(u, 'c', fd->choice_list, v, NULL)))
			return rc;
	}
	return KP_OK;
}

/* ---- the comparison ---- */

struct cmp {
	const struct schema *old, *new;
	const struct schema_usage *u;
	schema_problem_fn fn;
	void *ctx;
	size_t n;
};

static void problem(struct cmp *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct cmp *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->n++;
	if (c->fn)
		c->fn(c->ctx, msg);
}

static void compare_field(struct cmp *c, const struct form *of,
                          const struct form *nf, const struct field *ofd)
{
	const struct field *nfd = form_field(nf, ofd->name);
	size_t k = used(c->u, 'd', of->id, ofd->name, NULL);
	static const char *const types[] = { "text", "integer", "decimal", "date", "choice" };

	if (!nfd) {
		if (k)
			problem(c, LF("%s.csv:%zu: 删除了字段“%s”（改名也算删除），但有 %zu 条记录填了它：请保留这个字段",
			        k == 1 ? "%s.csv:%zu: field '%s' was removed (a rename counts as a removal) but %zu record has a value for it: keep the field"
			        : "%s.csv:%zu: field '%s' was removed (a rename counts as a removal) but %zu records have a value for it: keep the field"),
			        of->id, ofd->line, ofd->name, k);
		return;
	}
	if (nfd->type != ofd->type)
		problem(c, LF("%s.csv:%zu: 字段“%s”的类型从 %s 改成了 %s：已保存的记录会读不懂，类型不能改（可以新增一个字段）",
		        "%s.csv:%zu: field '%s' changed type from %s to %s: stored records would no longer read, so a type never changes (add a new field instead)"),
		        nf->id, nfd->line, nfd->name, types[ofd->type], types[nfd->type]);
}

static void compare_form(struct cmp *c, const struct form *of)
{
	const struct form *nf = schema_form(c->new, of->id);
	size_t k = used(c->u, 'f', of->id, NULL, NULL), i;

	if (!nf) {
		if (k)
			problem(c, LF("formset.csv: 删除了表单“%s”，但它有 %zu 条记录：请保留这个表单",
			        k == 1 ? "formset.csv: form '%s' was removed but it has %zu record: keep the form"
			        : "formset.csv: form '%s' was removed but it has %zu records: keep the form"),
			        of->id, k);
		return;
	}
	for (i = 0; i < of->nfields; i++)
		compare_field(c, of, nf, &of->fields[i]);
	if (k && strcmp(of->date->name, nf->date->name) != 0)
		problem(c, LF("%s.csv:%zu: 记录日期从字段“%s”改成了“%s”，但表单已有 %zu 条记录：记录日期不能换字段",
		        k == 1 ? "%s.csv:%zu: the record date moved from field '%s' to '%s' but the form has %zu record: the record date stays in its field"
		        : "%s.csv:%zu: the record date moved from field '%s' to '%s' but the form has %zu records: the record date stays in its field"),
		        nf->id, nf->date->line, of->date->name, nf->date->name, k);
}

/* The list a field of the old schema draws its codes from, by name. */
static const struct field *list_field(const struct schema *s, const char *list)
{
	size_t i, j;

	for (i = 0; i < s->nforms; i++)
		for (j = 0; j < s->forms[i].nfields; j++)
			if (s->forms[i].fields[j].choice_list
			    && strcmp(s->forms[i].fields[j].choice_list, list) == 0)
				return &s->forms[i].fields[j];
	return NULL;
}

static bool list_has(const struct schema *s, const char *list, const char *code)
{
	const struct field *fd = list_field(s, list);

	return fd && field_choice(fd, code);
}

static void compare_choices(struct cmp *c)
{
	size_t i, j, k;

	/* Every list a field of the old schema uses, once per field. */
	for (i = 0; i < c->old->nforms; i++)
		for (j = 0; j < c->old->forms[i].nfields; j++) {
			const struct field *fd = &c->old->forms[i].fields[j];

			if (fd->type != FT_CHOICE || list_field(c->old, fd->choice_list) != fd)
				continue;
			for (k = 0; k < fd->nchoices; k++) {
				const struct choice *ch = &fd->choices[k];
				size_t n = used(c->u, 'c', fd->choice_list, ch->code, NULL);

				if (n && !list_has(c->new, fd->choice_list, ch->code))
					problem(c, LF("choices.csv:%zu: 删除了列表“%s”中的选项“%s”（改名也算删除），但有 %zu 条记录用它：请保留这个选项",
					        n == 1 ? "choices.csv:%zu: list '%s' lost its code '%s' (a rename counts as a removal) but %zu record uses it: keep the code"
					        : "choices.csv:%zu: list '%s' lost its code '%s' (a rename counts as a removal) but %zu records use it: keep the code"),
					        ch->line, fd->choice_list, ch->code, n);
			}
		}
}

static void compare_townships(struct cmp *c)
{
	size_t i, n;

	for (i = 0; i < c->old->ntownships; i++) {
		const struct township *t = &c->old->townships[i];

		if (!schema_township(c->new, t->id) && (n = used(c->u, 't', t->id, NULL, NULL)))
			problem(c, LF("townships.csv:%zu: 删除了镇（街道）“%s”，但它有 %zu 条记录：请保留",
			        n == 1 ? "townships.csv:%zu: township '%s' was removed but it has %zu record: keep it"
			        : "townships.csv:%zu: township '%s' was removed but it has %zu records: keep it"),
			        t->line, t->id, n);
	}
}

/* Records of year y counted in plan op before: after the change they must
 * still count in a plan of the same first year (quotas are kept under it). */
static void compare_plans(struct cmp *c)
{
	size_t i;
	int y;
	char ys[8];

	for (i = 0; i < c->old->nplans; i++) {
		const struct plan *op = &c->old->plans[i];
		const struct plan *np = schema_plan(c->new, op->id);
		size_t n = 0;

		for (y = op->first_year; y <= op->last_year; y++) {
			snprintf(ys, sizeof ys, "%04d", y);
			n += used(c->u, 'y', ys, NULL, NULL);
		}
		if (!np && n)
			problem(c, LF("plans.csv:%zu: 删除了规划“%s”（改名也算删除），但有 %zu 条记录在它的年度内：请保留",
			        n == 1 ? "plans.csv:%zu: plan '%s' was removed (a rename counts as a removal) but %zu record falls in its years: keep it"
			        : "plans.csv:%zu: plan '%s' was removed (a rename counts as a removal) but %zu records fall in its years: keep it"),
			        op->line, op->id, n);
		else if (np && np->first_year != op->first_year)
			problem(c, LF("plans.csv:%zu: 规划“%s”的开始年份从 %d 改成了 %d：开始年份不能改（指标任务按它保存）",
			        "plans.csv:%zu: plan '%s' changed its first year from %d to %d: a plan's first year never changes (its quotas are kept under it)"),
			        np->line, np->id, op->first_year, np->first_year);
	}
}

size_t schema_compat(const struct schema *old, const struct schema *new,
                     const struct schema_usage *u, schema_problem_fn fn,
                     void *ctx)
{
	struct cmp c = { old, new, u, fn, ctx, 0 };
	size_t i;

	for (i = 0; i < old->nforms; i++)
		compare_form(&c, &old->forms[i]);
	compare_choices(&c);
	compare_townships(&c);
	compare_plans(&c);
	return c.n;
}

/* ---- what a new version adds ---- */

static size_t added_fields(const struct form *of, const struct form *nf)
{
	size_t i, n = 0;

	for (i = 0; i < nf->nfields; i++)
		n += !form_field(of, nf->fields[i].name);
	return n;
}

static size_t added_choices(const struct schema *old, const struct schema *new)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < new->nforms; i++)
		for (j = 0; j < new->forms[i].nfields; j++) {
			const struct field *fd = &new->forms[i].fields[j];

			if (fd->type != FT_CHOICE || list_field(new, fd->choice_list) != fd)
				continue;
			for (k = 0; k < fd->nchoices; k++)
				n += !list_has(old, fd->choice_list, fd->choices[k].code);
		}
	return n;
}

void schema_changes(const struct schema *old, const struct schema *new,
                    struct schema_changes *out)
{
	const struct form *of;
	const struct plan *op;
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < new->nforms; i++) {
		if (!(of = schema_form(old, new->forms[i].id)))
			out->forms++;
		else
			out->fields += added_fields(of, &new->forms[i]);
	}
	out->choices = added_choices(old, new);
	for (i = 0; i < new->nindicators; i++) {
		const struct indicator *ind = &new->indicators[i];

		op = schema_plan(old, ind->plan->id);
		out->indicators += !op || !plan_indicator(op, ind->id);
	}
	for (i = 0; i < new->nplans; i++)
		out->plans += !schema_plan(old, new->plans[i].id);
	for (i = 0; i < new->ntownships; i++)
		out->townships += !schema_township(old, new->townships[i].id);
}

void schema_changes_text(const struct schema_changes *c, char *buf, size_t n)
{
	const struct {
		size_t k;
		const char *zh, *one, *many;
	} part[] = {
		{ c->forms, "个新表单", "new form", "new forms" },
		{ c->fields, "个新字段", "new field", "new fields" },
		{ c->choices, "个新选项", "new choice", "new choices" },
		{ c->indicators, "项新指标", "new indicator", "new indicators" },
		{ c->plans, "个新规划", "new plan", "new plans" },
		{ c->townships, "个新镇（街道）", "new township", "new townships" },
	};
	size_t i, at = 0;
	int w;

	if (n == 0)
		return;
	buf[0] = 0;
	for (i = 0; i < sizeof part / sizeof part[0]; i++) {
		if (!part[i].k)
			continue;
		w = snprintf(buf + at, n - at, "%s%zu%s%s", at ? L("，", ", ") : "",
		             part[i].k, L("", " "),
		             L(part[i].zh, part[i].k == 1 ? part[i].one : part[i].many));
		if (w < 0 || (size_t)w >= n - at)
			return;
		at += (size_t)w;
	}
	if (!at)
		snprintf(buf, n, "%s", L("没有新表单、字段、选项、指标或规划",
		                         "no new forms, fields, choices, indicators or plans"));
}

/* ---- counting alike ---- */

static bool same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The groups two tallies count under: the same field, and every code of
 * a's list counted under the same group in b (a code b adds counts in no
 * record a counted). */
static bool same_groups(const struct indicator *a, const struct indicator *b)
{
	size_t i;

	if (!a->group_by || !b->group_by)
		return !a->group_by && !b->group_by;
	if (strcmp(a->group_by->name, b->group_by->name))
		return false;
	for (i = 0; i < a->group_by->nchoices; i++) {
		const char *code = a->group_by->choices[i].code;

		if (strcmp(indicator_group_of(a, code), indicator_group_of(b, code)))
			return false;
	}
	return true;
}

static bool same_indicator(const struct indicator *a, const struct indicator *b)
{
	return a->period == b->period && a->measure == b->measure
	       && a->tally == b->tally
	       && same_str(a->form, b->form) && same_str(a->field, b->field)
	       && same_str(a->filter_src, b->filter_src) && same_groups(a, b);
}

bool schema_counts_alike(const struct schema *a, const struct schema *b,
                         int year)
{
	const struct plan *pa = schema_plan_of_year(a, year);
	const struct plan *pb = schema_plan_of_year(b, year);
	size_t i, j;

	if (!pa || !pb)
		return !pa && !pb;
	if (pa->first_year != pb->first_year || pa->last_year != pb->last_year
	    || pa->nindicators != pb->nindicators)
		return false;
	for (i = 0; i < a->nforms; i++) {
		const struct form *fb = schema_form(b, a->forms[i].id);

		if (!fb || strcmp(a->forms[i].date->name, fb->date->name))
			return false;
	}
	for (i = 0; i < pa->nindicators; i++) {
		const struct indicator *ib = plan_indicator(pb, pa->indicators[i]->id);

		if (!ib || !same_indicator(pa->indicators[i], ib))
			return false;
	}
	for (j = 0; j < pb->nindicators; j++)
		if (!plan_indicator(pa, pb->indicators[j]->id))
			return false;
	return true;
}

bool schema_keys_alike(const struct schema *a, const struct schema *b)
{
	const struct field *ka[8], *kb[8];
	size_t i, j, na, nb;

	for (i = 0; i < a->nforms; i++) {
		const struct form *fb = schema_form(b, a->forms[i].id);

		if (!fb)
			continue;
		na = form_key_fields(&a->forms[i], ka, 8);
		nb = form_key_fields(fb, kb, 8);
		if (na != nb || na > 8)
			return false;
		for (j = 0; j < na; j++)
			if (strcmp(ka[j]->name, kb[j]->name))
				return false;
	}
	return true;
}
