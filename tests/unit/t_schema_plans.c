/* t_schema_plans.c - a set of form files with several plans (plans.csv,
 * indicators per plan, roles in the form file), and a set of the first
 * versions (plan.csv, roles by name). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "schema.h"
#include "tap.h"
#include "schema_base.h"

/* A set in today's format: formset.csv and plans.csv, indicators per plan,
 * roles in the form file. */
static const char set_formset[] = "key,value\nversion,3\nforms,t\nnote_zh,加了字段\n";
static const char set_plans[] =
	"id,name_zh,name_en,first_year,last_year,status\n"
	"b,后,B,2026,2030,provisional\n"
	"a,前,A,2021,2025,official\n";
static const char set_form[] =
	"name,type,label_zh,required,role\n"
	"d,date,日期,yes,date\nuntil,date,止,,end\nn,integer,数,yes,\n"
	"title,text,名,,\nplace,text,地,,key\nwho,text,人,,key\n";
static const char set_ind[] =
	"plan,id,label_zh,period,comparator,target,form,measure,field,pace\n"
	"a,i,指标,annual,>=,5,t,sum,n,\n"
	"b,i,指标,annual,>=,6,t,sum,n,none\n"
	"b,j,新,plan,>,9,t,count,,linear\n";

static int load_set(const char *plans, const char *ind, struct schema **out)
{
	const struct schema_file files[] = {
		{ "formset.csv", set_formset, sizeof set_formset - 1 },
		{ "plans.csv", plans, strlen(plans) },
		{ "choices.csv", base_data[F_CHOICES], strlen(base_data[F_CHOICES]) },
		{ "townships.csv", base_data[F_TOWNS], strlen(base_data[F_TOWNS]) },
		{ "t.csv", set_form, sizeof set_form - 1 },
		{ "indicators.csv", ind, strlen(ind) },
	};

	return schema_load_files(files, sizeof files / sizeof files[0], out);
}

static void test_plans(void)
{
	const struct field *keys[4];
	struct schema *s = NULL;
	const struct form *f;

	is_int(load_set(set_plans, set_ind, &s), KP_OK, "a versioned set loads");
	if (!s) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	ok(s->version == 3 && !s->legacy && !strcmp(s->note_zh, "加了字段"),
	   "version and note");
	ok(s->nplans == 2 && !strcmp(s->plans[0].id, "a"), "plans sorted by year");
	ok(schema_plan_of_year(s, 2020) == NULL, "no plan before the first");
	ok(schema_plan_of_year(s, 2021) == &s->plans[0]
	   && schema_plan_of_year(s, 2025) == &s->plans[0], "2021 and 2025: a");
	ok(schema_plan_of_year(s, 2026) == &s->plans[1], "2026: b");
	ok(schema_plan_of_year(s, 2034) == &s->plans[1], "after the last: its continuation");
	is_int(schema_first_year(s), 2021, "first year");
	ok(!schema_year_provisional(s, 2025) && schema_year_provisional(s, 2026)
	   && schema_year_provisional(s, 2034), "provisional years");
	ok(schema_plan(s, "b") == &s->plans[1] && !schema_plan(s, "c"), "plan by id");
	is_int(s->plans[0].nindicators, 1, "a has one indicator");
	is_int(s->plans[1].nindicators, 2, "b has two");
	ok(schema_indicator_of_year(s, 2024, "i")->target == 5
	   && schema_indicator_of_year(s, 2027, "i")->target == 6,
	   "the same indicator, each plan's target");
	ok(!schema_indicator_of_year(s, 2024, "j")
	   && schema_indicator_of_year(s, 2027, "j"), "j only in b");
	ok(schema_indicator(s, "i")->target == 6, "schema_indicator: the latest plan's");
	ok(schema_indicator_of_year(s, 2027, "i")->pace == PACE_NONE
	   && schema_indicator_of_year(s, 2027, "j")->pace == PACE_LINEAR, "pace");
	f = schema_form(s, "t");
	ok(f->date && !strcmp(f->date->name, "d") && f->end && !strcmp(f->end->name, "until"),
	   "date and end roles");
	is_int(form_key_fields(f, keys, 4), 2, "two key fields");
	ok(!strcmp(keys[0]->name, "place") && !strcmp(keys[1]->name, "who"),
	   "in the form's order (title is no key when roles are given)");
	schema_free(s);

	s = (struct schema *)1;
	ok(load_set("id,name_zh,first_year,last_year,status\na,前,2021,2025,official\n"
	            "b,后,2025,2030,official\n", set_ind, &s) == KP_E_DATA && !s
	   && strstr(kp_err_msg(), "plans.csv:3: plan 'b' (2025-2030) overlaps plan 'a' (line 2)"),
	   "overlapping plans refused (%s)", kp_err_msg());
	ok(load_set("id,name_zh,first_year,last_year,status\na,前,2021,2025,draft\n",
	            set_ind, &s) == KP_E_DATA
	   && strstr(kp_err_msg(), "plans.csv:2: status must be official or provisional"),
	   "unknown status refused");
	ok(load_set(set_plans, "id,label_zh,period,comparator,target,form,measure,field\n"
	            "i,指标,annual,>=,5,t,sum,n\n", &s) == KP_E_DATA
	   && strstr(kp_err_msg(), "indicators.csv:2: plan is empty"),
	   "with two plans an indicator names its plan");
}

/* A set of before form versions: plan.csv, roles by name. */
static void test_legacy(void)
{
	const struct field *keys[2];
	struct schema *s = NULL;

	is_int(load_variant(-1, NULL, NULL, NULL, &s), KP_OK, "a plan.csv set loads");
	if (!s)
		return;
	ok(s->legacy && s->version == 1 && s->nplans == 1
	   && s->plans[0].status == PLAN_OFFICIAL, "version 1, one official plan");
	is_int(s->plans[0].nindicators, 3, "every indicator in it");
	ok(!strcmp(schema_form(s, "t")->date->name, "d"),
	   "no field called date: the first required date field");
	schema_free(s);
	is_int(load_variant(F_FORM, "name,type,label_zh,required,choices\ndate,date,日,yes,\n"
	                    "end_date,date,止,,\nname,text,名,,\nn,integer,数,,\n"
	                    "c,choice,类,,cat\nm,integer,总,,\n", NULL, NULL, &s),
	       KP_OK, "a form with date, end_date and name");
	if (!s)
		return;
	ok(!strcmp(schema_form(s, "t")->date->name, "date")
	   && !strcmp(schema_form(s, "t")->end->name, "end_date"), "roles by name");
	ok(form_key_fields(schema_form(s, "t"), keys, 2) == 1
	   && !strcmp(keys[0]->name, "name"), "name is the key without a title");
	schema_free(s);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_plans();
	test_legacy();
	return tap_done();
}
