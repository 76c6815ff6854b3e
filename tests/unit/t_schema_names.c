/* t_schema_names.c - fields found by id or label in either language, "did
 * you mean" for a name that is not there, and record ids checked. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "record.h"
#include "schema.h"
#include "tap.h"
#include "schema_base.h"

/* The base form with labels in both languages; field m's English label is
 * field d's id, and w has no English label. */
static const char names_form[] =
	"name,type,label_zh,label_en,required,min,max,width,choices,relevant,constraint\n"
	"d,date,日期,Date,yes,,,,,,\n"
	"c,choice,类别,Category,是,,,,cat,,\n"
	"n,integer,参训人次,Participants,1,0,,,,c = 'a',n <= m\n"
	"m,integer,总数,d,,1,10,,,,\n"
	"w,text,文字,,no,,,20,,,\n";

#define BOTH (SCHEMA_BY_ID | SCHEMA_BY_LABEL)

static const char *looked_up(const struct form *f, const char *name,
                             unsigned how)
{
	const struct field *fd = schema_field_lookup(f, name, how);

	return fd ? fd->name : "(none)";
}

static void test_field_lookup(void)
{
	struct schema *s = NULL;
	const struct form *f;

	is_int(load_variant(F_FORM, names_form, NULL, NULL, &s), KP_OK,
	       "a form with labels in both languages loads");
	if (!s) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	f = schema_form(s, "t");
	is_str(looked_up(f, "n", BOTH), "n", "an id");
	is_str(looked_up(f, "n", SCHEMA_BY_ID), "n", "an id, ids only");
	is_str(looked_up(f, "参训人次", BOTH), "n", "a Chinese label");
	is_str(looked_up(f, "Participants", BOTH), "n", "an English label");
	is_str(looked_up(f, "参训人次", SCHEMA_BY_ID), "(none)",
	       "ids only: a Chinese label names nothing");
	is_str(looked_up(f, "Participants", SCHEMA_BY_ID), "(none)",
	       "ids only: an English label names nothing");
	is_str(looked_up(f, "n", SCHEMA_BY_LABEL), "(none)",
	       "labels only: an id names nothing");
	is_str(looked_up(f, "participants", BOTH), "(none)",
	       "labels are compared exactly (case too)");
	is_str(looked_up(f, "nope", BOTH), "(none)", "unknown name");
	is_str(looked_up(f, "d", BOTH), "d",
	       "an id wins over another field's label equal to it");
	is_str(looked_up(f, "d", SCHEMA_BY_LABEL), "m",
	       "that label still names its own field by label");
	is_str(looked_up(f, "", BOTH), "(none)",
	       "a missing English label is not named by \"\"");
	ok(schema_field_lookup(NULL, "n", BOTH) == NULL
	   && schema_field_lookup(f, NULL, BOTH) == NULL, "NULL form or name");
	schema_free(s);
}

static const char *guessed(const struct form *f, const char *name)
{
	const char *g = schema_field_guess(f, name);

	return g ? g : "(none)";
}

static void test_field_guess(void)
{
	struct schema *s = NULL;
	const struct form *f;

	/* Chinese labels are compared as characters: a UTF-8 LC_CTYPE */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
	is_int(schema_load_dir(forms_dir(), &s), KP_OK, "shipped forms load");
	if (!s)
		return;
	f = schema_form(s, "training");
	is_str(guessed(f, "categroy"), "category", "two letters swapped");
	is_str(guessed(f, "particpants"), "participants", "a letter missing");
	is_str(guessed(f, "Particpants"), "participants",
	       "case ignored: the id is as close as the label, and first");
	is_str(guessed(f, "Of whom farmer"), "Of whom farmers",
	       "an English label");
	is_str(guessed(f, "参训人"), "参训人次", "a Chinese label, a character short");
	is_str(guessed(f, "日其"), "(none)",
	       "two characters, one wrong: too short to guess");
	is_str(guessed(f, "budget"), "(none)", "nothing close");
	is_str(guessed(f, ""), "(none)", "empty name");
	is_str(guessed(NULL, "categroy"), "(none)", "NULL form");
	schema_free(s);
	setlocale(LC_CTYPE, "C");
}

static void test_record_ids(void)
{
	struct schema *s = NULL;
	struct record r;
	const struct form *f;

	record_init(&r);
	is_int(load_variant(F_FORM, names_form, NULL, NULL, &s), KP_OK,
	       "the labelled form loads");
	if (!s)
		return;
	f = schema_form(s, "t");
	snprintf(r.form, sizeof r.form, "t");
	record_set(&r, "日期", "2025-03-05");
	record_set(&r, "Participants", "45");
	record_set(&r, "bogus", "1");
	record_set(&r, "m", "9");
	record_set(&r, "参训人次", "46");
	is_int(schema_record_ids(f, &r), KP_OK, "renamed");
	is_int(r.nfields, 4, "two names of one field make one field");
	is_str(r.nfields > 0 ? r.fields[0].name : "", "d", "Chinese label -> id");
	is_str(r.nfields > 1 ? r.fields[1].name : "", "n", "English label -> id");
	is_str(record_get(&r, "n"), "46", "the later value wins");
	is_str(r.nfields > 2 ? r.fields[2].name : "", "bogus",
	       "a name of no field stays, in its place");
	is_str(r.nfields > 3 ? r.fields[3].name : "", "m", "an id stays");
	is_str(r.form, "t", "the record's form is kept");
	record_free(&r);
	schema_free(s);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_field_lookup();
	test_field_guess();
	test_record_ids();
	return tap_done();
}
