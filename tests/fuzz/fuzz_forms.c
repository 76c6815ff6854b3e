/* fuzz_forms.c - the form loader (schema_load_files) on any set of form
 * files (the files format of fuzz.h).  A set that loads is then used: every
 * form checks a record holding a plausible value for each of its fields,
 * and every lookup and label is read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "fuzz.h"
#include "record.h"
#include "schema.h"

/* A value of the field's kind, so that the rules get past the types. */
static const char *sample(const struct field *f, unsigned salt)
{
	static const char *const text[] = { "晋江科普", "", "a,b\"c", "x" };
	static const char *const num[] = { "3", "0", "-1", "120000" };
	static const char *const dec[] = { "2.5", "0", "-0.1", "1e3" };
	static const char *const date[] = { "2025-03-05", "2021-01-01", "2030-12-31", "2025/3/5" };

	switch (f->type) {
	case FT_INTEGER: return num[salt & 3];
	case FT_DECIMAL: return dec[salt & 3];
	case FT_DATE:    return date[salt & 3];
	case FT_CHOICE:  return f->nchoices ? f->choices[salt % f->nchoices].code : "z";
	case FT_TEXT:    break;
	}
	return text[salt & 3];
}

static void use(const struct schema *s, unsigned salt)
{
	struct check_result res;
	struct record rec;
	size_t i, j;

	for (i = 0; i < s->nplans; i++)
		if (schema_plan_of_year(s, s->plans[i].first_year) != &s->plans[i]
		    || schema_plan_of_year(s, s->plans[i].last_year) != &s->plans[i])
			abort();
	for (i = 0; i < s->nindicators; i++) {
		(void)indicator_label(&s->indicators[i]);
		if (plan_indicator(s->indicators[i].plan, s->indicators[i].id) == NULL)
			abort();
	}
	for (i = 0; i < s->nforms; i++)
		if (!s->forms[i].date)
			abort();
	for (i = 0; i < s->ntownships; i++)
		if (!township_label(&s->townships[i]) ||
		    schema_township(s, s->townships[i].id) == NULL)
			abort();
	for (i = 0; i < s->nforms; i++) {
		const struct form *f = &s->forms[i];

		if (schema_form(s, f->id) != f)
			abort();
		(void)form_label(f);
		record_init(&rec);
		check_result_init(&res);
		snprintf(rec.form, sizeof rec.form, "%s", f->id);
		for (j = 0; j < f->nfields; j++) {
			(void)field_label(&f->fields[j]);
			if (form_field(f, f->fields[j].name) == NULL)
				abort();
			record_set(&rec, f->fields[j].name, sample(&f->fields[j], salt + (unsigned)j));
		}
		check_record_rules(s, f, &rec, NULL, &res);
		for (j = 0; j < f->nfields; j++)
			(void)check_field_relevant(&f->fields[j], &rec);
		if (f->nfields)
			check_field(s, f, &rec, f->fields[salt % f->nfields].name, &res);
		check_result_free(&res);
		record_free(&rec);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_file f[FZ_MAXFILES];
	struct schema_file sf[FZ_MAXFILES];
	struct schema *s = NULL;
	size_t n, i;
	int rc;

	fz_setup();
	n = fz_split(data, size, f);
	/* Each file in a buffer of its exact length, so that a read past
	 * its end is seen. */
	for (i = 0; i < n; i++) {
		char *copy = malloc(f[i].len ? f[i].len : 1);

		if (!copy)
			abort();
		memcpy(copy, f[i].data, f[i].len);
		sf[i].name = f[i].name;
		sf[i].data = copy;
		sf[i].len = f[i].len;
	}
	rc = schema_load_files(sf, n, &s);
	if (rc == KP_OK) {
		if (!s)
			abort();
		use(s, size ? data[size - 1] : 0);
		schema_free(s);
	} else if (s || !kp_err_msg()[0]) {
		abort();   /* a refusal leaves nothing loaded and says why */
	}
	for (i = 0; i < n; i++)
		free((void *)(uintptr_t)sf[i].data);
	return 0;
}
