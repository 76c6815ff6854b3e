/* t_schema.c - the shipped forms load; every kind of broken file is refused
 * with its file and line; tallies.  Plans and sets of earlier versions:
 * t_schema_plans.c; names and labels of fields: t_schema_names.c. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "quota.h"
#include "record.h"
#include "schema.h"
#include "tap.h"
#include "schema_base.h"

static const char *get(void *ctx, const char *name)
{
	return strcmp(name, "category") == 0 ? ctx : NULL;
}

/* Evaluate e on a record whose category is cat. */
static int with_category(const struct expr *e, const char *cat)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%s", cat);
	return expr_eval(e, get, buf);
}

static void test_shipped(void)
{
	struct schema *s = NULL;
	const struct form *f;
	const struct field *fd;
	const struct indicator *ind;
	size_t i, sum = 0;

	is_int(schema_load_dir(forms_dir(), &s), KP_OK, "shipped forms load");
	if (!s) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	ok(!s->legacy && s->version >= 2, "a versioned set (version %u)", s->version);
	is_int(s->nplans, 2, "two plans");
	is_str(s->plans[0].id, "jinjiang-2021-2025", "the seed's plan first");
	ok(s->plans[0].first_year == 2021 && s->plans[0].last_year == 2025
	   && s->plans[0].status == PLAN_OFFICIAL, "2021-2025, official");
	ok(s->plans[1].first_year == 2026 && s->plans[1].last_year == 2030
	   && s->plans[1].status == PLAN_PROVISIONAL, "2026-2030, provisional");
	is_int(s->plans[0].nindicators, 28, "ten indicators and 18 tallies in the first plan");
	is_int(s->plans[1].nindicators, 28, "carried over into the second");
	for (i = 0, sum = 0; i < s->plans[0].nindicators; i++)
		sum += !s->plans[0].indicators[i]->tally;
	is_int(sum, 10, "the plan's ten indicators have targets");
	sum = 0;
	for (i = 0; i < s->plans[0].nindicators; i++) {
		const struct indicator *a = s->plans[0].indicators[i];
		const struct indicator *b = plan_indicator(&s->plans[1], a->id);

		if (!b || b->target != a->target || b->period != a->period
		    || strcmp(b->comparator, a->comparator) || b->pace != a->pace
		    || b->tally != a->tally || b->group_by != a->group_by)
			break;
	}
	is_int(i, 28, "same targets, periods, comparators, pace and tallies");
	ok(plan_indicator(&s->plans[0], "agri_demo_bases")->pace == PACE_NONE
	   && plan_indicator(&s->plans[0], "agri_demo_entities")->pace == PACE_NONE
	   && plan_indicator(&s->plans[0], "teacher_training")->pace == PACE_LINEAR,
	   "recognitions in batches have no pace");
	is_int(s->nforms, 8, "eight forms");
	is_str(s->forms[0].id, "training", "forms in plan order");
	is_str(s->forms[2].id, "demo", "demo third");
	is_str(s->forms[7].id, "funding", "funding last");
	is_int(s->ntownships, 20, "20 townships");
	ok(schema_township(s, "econ_zone") && schema_township(s, "xibin"),
	   "econ_zone and xibin");
	is_str(schema_township(s, "qingyang")->official_code, "",
	       "official code left for the city");
	is_int(s->nindicators, 56, "56 indicator rows");
	for (i = 0; i < s->nforms; i++)
		if (!s->forms[i].date || strcmp(s->forms[i].date->name, "date"))
			break;
	is_int(i, 8, "every form's record date is its date field");
	ok(schema_form(s, "training")->end
	   && !strcmp(schema_form(s, "training")->end->name, "end_date"),
	   "training's end date");

	f = schema_form(s, "training");
	ok(f != NULL, "training form");
	is_str(form_label(f), "Training", "form label from choices.csv (en)");
	is_int(f->nfields, 12, "training has 12 fields");
	fd = form_field(f, "category");
	ok(fd && fd->type == FT_CHOICE && fd->nchoices == 10 && fd->required,
	   "category: required choice of 10");
	ok(field_choice(fd, "professional_ce") && field_choice(fd, "science_staff"),
	   "continuing education and science staff training have categories");
	is_str(field_choice(fd, "rural_tech")->label_zh, "农村实用技术培训",
	       "choice label");
	ok(field_choice(fd, "nope") == NULL, "unknown choice code");
	fd = form_field(f, "farmers");
	ok(fd && fd->relevant && fd->constraint && fd->has_min && fd->min == 0,
	   "farmers: relevant, constraint, min 0");
	is_int(with_category(fd->relevant, "rural_tech"), EXPR_TRUE,
	       "farmers relevant for rural_tech");
	is_int(with_category(fd->relevant, "worker"), EXPR_FALSE,
	       "farmers not relevant for worker");
	is_str(fd->constraint_src, "farmers <= participants", "constraint source");
	fd = form_field(f, "title");
	ok(fd && fd->width == 60 && fd->type == FT_TEXT, "title width 60");
	ok(form_field(f, "date")->keep && !form_field(f, "title")->keep, "keep");
	fd = form_field(f, "hours");
	ok(fd && fd->type == FT_DECIMAL && fd->has_max && fd->max == 1000,
	   "hours decimal max 1000");
	for (i = 0; i < s->nforms; i++) {
		size_t j;
		for (j = 0; j < s->forms[i].nfields; j++)
			sum += s->forms[i].fields[j].width % 2;
	}
	is_int(sum, 0, "every width is even");
	is_int(form_field(schema_form(s, "activity"), "type")->nchoices, 29,
	       "28 activity types and other");
	ok(field_choice(form_field(schema_form(s, "activity"), "type"), "food_safety_week") != NULL,
	   "食品安全宣传周 is an activity type");
	is_str(field_choice(form_field(schema_form(s, "activity"), "type"),
	                    "science_day")->counts_as, "national_science_day",
	       "科普日 counts as 全国科普日");
	ok(field_choice(form_field(schema_form(s, "activity"), "target_group"),
	                "new_residents") != NULL, "新居民 is a target group");
	is_int(form_field(schema_form(s, "activity"), "organizer")->nchoices, 28,
	       "26 organizers, the township and other");
	ok(field_choice(form_field(schema_form(s, "activity"), "organizer"), "zhengfuban") != NULL,
	   "市政府办（外办） organizes");
	is_int(form_field(schema_form(s, "base"), "kind")->nchoices, 11,
	       "every kind of base the plan lists, and other");
	ind = schema_indicator(s, "activity_events_by_type");
	ok(ind && ind->tally && ind->group_by
	   && !strcmp(ind->group_by->name, "type") && ind->measure == MEASURE_COUNT,
	   "activities by type: a tally grouped by type");
	is_str(indicator_group_of(ind, "science_day"), "national_science_day",
	       "a Science Day event is counted as National Science Day");
	is_str(indicator_group_of(ind, ""), "", "a blank type: the blank group");
	{
		const char *g[64];
		size_t ng = indicator_groups(ind, g, 64), k, sd = 0;

		for (k = 0; k < ng && k < 64; k++)
			sd += !strcmp(g[k], "science_day");
		ok(ng == 29 && !strcmp(g[ng - 1], "") && sd == 0,
		   "29 groups: every type but 科普日, then blank");
	}
	ok(schema_indicator(s, "activity_events")->group_by == NULL
	   && schema_indicator(s, "activity_events")->tally, "a plain tally");

	ind = schema_indicator(s, "official_training");
	ok(ind && ind->period == PERIOD_PLAN && ind->target == 9000
	   && ind->measure == MEASURE_SUM, "official_training over the plan");
	ind = schema_indicator(s, "rural_tech_farmers");
	ok(ind && ind->target == 1560 && !strcmp(ind->field, "farmers")
	   && !strcmp(ind->comparator, ">="), "rural_tech_farmers");
	is_int(with_category(ind->filter, "rural_tech"), EXPR_TRUE,
	       "filter evaluates");
	ind = schema_indicator(s, "agri_demo_bases");
	ok(ind && ind->measure == MEASURE_COUNT && !strcmp(ind->form, "demo")
	   && ind->field == NULL, "agri_demo_bases counts demos");
	ind = schema_indicator(s, "science_literacy_rate");
	ok(ind && ind->measure == MEASURE_SURVEY && ind->form == NULL
	   && !strcmp(ind->comparator, ">") && ind->target == 16,
	   "science_literacy_rate is a survey");
	ok(schema_indicator(s, "nope") == NULL && schema_form(s, "nope") == NULL
	   && schema_township(s, "nope") == NULL
	   && form_field(f, "nope") == NULL, "lookups of absent things");

	lang_set(KP_LANG_ZH);
	is_str(township_label(schema_township(s, "anhai")), "安海镇", "zh label");
	is_str(indicator_label(schema_indicator(s, "worker_training")),
	       "培训各类劳动者", "zh indicator label");
	lang_set(KP_LANG_EN);
	is_str(township_label(schema_township(s, "anhai")), "Anhai Town",
	       "en label");
	is_str(field_label(form_field(f, "venue")), "Venue", "en field label");
	is_str(choice_label(field_choice(form_field(f, "category"), "teacher")),
	       "Science teacher (counsellor) training", "en choice label");
	schema_free(s);
}

static void refused(int which, const char *data, const char *want)
{
	struct schema *s = (struct schema *)1;
	int rc = load_variant(which, data, NULL, NULL, &s);

	ok(rc == KP_E_DATA && s == NULL, "refused: %s", want);
	if (!ok(strstr(kp_err_msg(), want) != NULL, "message has \"%s\"", want))
		printf("#   got \"%s\"\n", kp_err_msg());
}

static void test_base(void)
{
	struct schema *s = NULL;
	const struct form *f;

	is_int(load_variant(-1, NULL, NULL, NULL, &s), KP_OK, "base set loads");
	if (!s) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	f = schema_form(s, "t");
	is_int(f->nfields, 5, "5 fields");
	ok(form_field(f, "d")->required && form_field(f, "c")->required
	   && form_field(f, "n")->required && !form_field(f, "m")->required
	   && !form_field(f, "w")->required, "yes, 是, 1, blank and no");
	/* choices of one list are contiguous even when the file interleaves */
	is_int(form_field(f, "c")->nchoices, 2, "list cat has 2 choices");
	is_str(form_field(f, "c")->choices[1].code, "b", "second code of cat");
	is_str(form_label(f), "T", "form label");
	is_str(s->indicators[0].filter_src, "c = 'a'", "filter source");
	ok(s->indicators[2].measure == MEASURE_SURVEY, "survey");
	schema_free(s);

	/* blank rows, a BOM, CRLF and a trailing comma column are all fine */
	is_int(load_variant(F_TOWNS, "\xEF\xBB\xBFid,name_zh,name_en,kind,official_code,\r\n"
	                    ",,,,\r\nx,某镇,X,town,350582001,\r\n\r\n", NULL, NULL, &s),
	       KP_OK, "BOM, CRLF, blank rows and an empty trailing column");
	is_str(s ? s->townships[0].official_code : "", "350582001", "official code");
	schema_free(s);
}

/* Tallies: a blank target, a group_by choice field, codes merged by
 * counts_as; and what the loader refuses about them. */
#define TALLY_CHOICES "list,code,label_zh,label_en,counts_as\ncat,a,甲,A,\nform,t,表,T\n" \
	"cat,b,乙,B,a\ncat,c,丙,C\n"
#define TALLY_HEAD "id,label_zh,period,comparator,target,form,measure,field,filter,group_by\n"

static void test_tally(void)
{
	struct schema *s = NULL;
	const struct indicator *ind;
	const char *g[8];
	size_t ng;

	is_int(load_variant(F_CHOICES, TALLY_CHOICES, NULL, NULL, &s), KP_OK,
	       "counts_as: loads");
	if (!s)
		return;
	is_str(field_choice(form_field(schema_form(s, "t"), "c"), "b")->counts_as,
	       "a", "b counts as a");
	ok(field_choice(form_field(schema_form(s, "t"), "c"), "c")->counts_as == NULL,
	   "a choice without counts_as counts as itself");
	schema_free(s);
	s = NULL;
	{
		struct schema_file files[NBASE];
		const char *ind_csv = TALLY_HEAD "i,指标,annual,>=,5,t,sum,n,,\n"
			"e,场次,annual,,,t,count,,,\nbyc,按类,annual,,,t,sum,m,,c\n";
		size_t i;

		for (i = 0; i < NBASE; i++) {
			files[i].name = base_name[i];
			files[i].data = i == F_CHOICES ? TALLY_CHOICES
			                : i == F_IND ? ind_csv : base_data[i];
			files[i].len = strlen(files[i].data);
		}
		is_int(schema_load_files(files, NBASE, &s), KP_OK,
		       "tallies load");
	}
	if (!s) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	ind = schema_indicator(s, "e");
	ok(ind && ind->tally && ind->target == 0 && !ind->group_by,
	   "a blank target makes a tally, no comparator needed");
	ok(!schema_indicator(s, "i")->tally, "a target: no tally");
	ind = schema_indicator(s, "byc");
	ok(ind && ind->tally && ind->group_by
	   && !strcmp(ind->group_by->name, "c"), "grouped by field c");
	ng = indicator_groups(ind, g, 8);
	ok(ng == 3 && !strcmp(g[0], "a") && !strcmp(g[1], "c") && !strcmp(g[2], ""),
	   "groups: a, c (b counts as a), then blank");
	is_str(indicator_group_of(ind, "b"), "a", "b is counted under a");
	is_str(indicator_group_of(ind, "zz"), "", "an unknown code: blank");
	ok(indicator_group_of(schema_indicator(s, "e"), "a") == NULL,
	   "an ungrouped tally has no group");
	is_str(quota_status(ind, 2025, 3, 0), "tally", "a tally's status is tally");
	is_str(quota_status(ind, 2025, 3, 10), "tally", "whatever the target");
	{
		char buf[64];

		is_str(indicator_group_label(ind, "", buf, sizeof buf), "(not given)",
		       "the blank group's label");
		is_str(indicator_group_label(ind, "c", buf, sizeof buf), "C",
		       "a group's label is its choice's");
		is_str(indicator_group_label(ind, "a", buf, sizeof buf), "A (with B)",
		       "and names the codes counted under it");
		lang_set(KP_LANG_ZH);
		is_str(indicator_group_label(ind, "a", buf, sizeof buf), "甲（含乙）",
		       "in Chinese too");
		lang_set(KP_LANG_EN);
	}
	schema_free(s);

	refused(F_CHOICES, "list,code,label_zh,counts_as\ncat,a,甲,z\nform,t,表,\ncat,b,乙,\n",
	        "counts_as: 'z' must be another code of list 'cat'");
	refused(F_CHOICES, "list,code,label_zh,counts_as\ncat,a,甲,b\nform,t,表,\ncat,b,乙,a\n",
	        "choices.csv:2: counts_as: 'b'");
	refused(F_CHOICES, "list,code,label_zh,counts_as\ncat,a,甲,a\nform,t,表,\ncat,b,乙,\n",
	        "counts_as: 'a' must be another code");
	refused(F_IND, TALLY_HEAD "i,指标,annual,>=,5,t,sum,n,,c\n",
	        "indicators.csv:2: group_by is for a tally only");
	refused(F_IND, TALLY_HEAD "i,指标,annual,,,t,sum,n,,w\n",
	        "group_by: form 't' has no choice field 'w'");
	refused(F_IND, TALLY_HEAD "i,指标,annual,,5,t,sum,n,,\n",
	        "comparator must be >=, > or =, not ''");
	refused(F_IND, TALLY_HEAD "i,指标,plan,,,,survey,,,c\n",
	        "a survey indicator takes no form, field, filter or group_by");
}

#define HEAD "name,type,label_zh,required,min,max,width,choices,relevant,constraint\n"

static void test_broken(void)
{
	/* missing files */
	refused(F_PLAN, NULL, "formset.csv: file missing");
	refused(F_CHOICES, NULL, "choices.csv: file missing");
	refused(F_TOWNS, NULL, "townships.csv: file missing");
	refused(F_IND, NULL, "indicators.csv: file missing");
	refused(F_FORM, NULL, "t.csv: file missing");
	refused(F_TOWNS, "", "townships.csv: the file is empty");

	/* columns */
	refused(F_TOWNS, "id,name_zh,name_en\nx,某镇,X\n",
	        "townships.csv:1: missing required column 'kind'");
	refused(F_FORM, "name,type,label_zh,lable_en\nd,date,日期,Date\n",
	        "t.csv:1: unknown column 'lable_en'");
	refused(F_FORM, "name,type,label_zh,type\nd,date,日期,date\n",
	        "t.csv:1: column 'type' appears twice");
	refused(F_FORM, "name,type,label_zh\nd,date,日期,oops\n",
	        "t.csv:2: column 4 has no heading but holds 'oops'");

	/* fields */
	refused(F_FORM, HEAD "d,date,日期,,,,,,,\nq,money,钱,,,,,,,\n",
	        "t.csv:3: unknown field type 'money'");
	refused(F_FORM, HEAD "n,integer,数,,x1,,,,,\n",
	        "t.csv:2: 'min' must be a number, not 'x1'");
	refused(F_FORM, HEAD "n,integer,数,,,inf,,,,\n",
	        "t.csv:2: 'max' must be a number, not 'inf'");
	refused(F_FORM, HEAD "n,integer,数,,5,1,,,,\n",
	        "t.csv:2: min 5 is greater than max 1");
	refused(F_FORM, HEAD "w,text,文,,,,21,,,\n",
	        "t.csv:2: width must be even");
	refused(F_FORM, HEAD "w,text,文,,,,abc,,,\n",
	        "t.csv:2: 'width' must be a whole number from 2 to 1000, not 'abc'");
	refused(F_FORM, HEAD "w,text,文,,,,0,,,\n", "t.csv:2: 'width' must be");
	refused(F_FORM, HEAD "d,date,日,,1,,,,,\n",
	        "t.csv:2: only integer and decimal fields take min/max");
	refused(F_FORM, HEAD "n,integer,数,,,,10,,,\n",
	        "t.csv:2: only text fields take a width");
	refused(F_FORM, HEAD "c,choice,类,,,,,colour,,\n",
	        "t.csv:2: choices.csv has no list 'colour'");
	refused(F_FORM, HEAD "c,choice,类,,,,,,,\n",
	        "t.csv:2: a choice field needs a list");
	refused(F_FORM, HEAD "n,integer,数,,,,,cat,,\n",
	        "t.csv:2: only choice fields take a choices list");
	refused(F_FORM, HEAD "d,date,日,,,,,,,\nx,text,甲,,,,,,,\nd,text,乙,,,,,,,\n",
	        "t.csv:4: field 'd' appears twice (see line 2)");
	refused(F_FORM, HEAD "Date,date,日,,,,,,,\n",
	        "t.csv:2: name 'Date' is not valid");
	refused(F_FORM, HEAD "日期,date,日,,,,,,,\n", "t.csv:2: name '日期' is not valid");
	refused(F_FORM, HEAD "township,text,镇,,,,,,,\n",
	        "t.csv:2: field name 'township' is reserved");
	refused(F_FORM, HEAD "in,text,内,,,,,,,\n",
	        "t.csv:2: field name 'in' is reserved");
	refused(F_FORM, HEAD "d,date,,,,,,,,\n", "t.csv:2: 'label_zh' must not be empty");
	refused(F_FORM, HEAD "d,date,日,maybe,,,,,,\n",
	        "t.csv:2: 'required' must be yes or no, not 'maybe'");
	refused(F_FORM, HEAD "a,integer,甲,,,,,,,\nb,integer,乙,,,,,,(a = 1,\n",
	        "t.csv:3: relevant: column 7: expected ')'");
	refused(F_FORM, HEAD "a,integer,甲,,,,,,,a <= b\nb,integer,乙,,,,,,,\n"
	        "c,integer,丙,,,,,,,c < d\n",
	        "t.csv:4: constraint names field 'd', which form 't' does not have");
	refused(F_FORM, HEAD "a,integer,甲,,,,,,empty(zz),\n",
	        "t.csv:2: relevant names field 'zz'");
	refused(F_FORM, HEAD, "t.csv: the form has no fields");

	/* choices */
	refused(F_CHOICES, "list,code,label_zh,label_en\ncat,a,甲,A\ncat,a,乙,B\n",
	        "choices.csv:3: code 'a' appears twice in list 'cat' (see line 2)");
	refused(F_CHOICES, "list,code,label_zh\ncat,Rural Tech,甲\n",
	        "choices.csv:2: code 'Rural Tech' is not valid");
	refused(F_CHOICES, "list,code,label_zh\ncat-x,a,甲\n",
	        "choices.csv:2: list 'cat-x' is not valid");
	refused(F_CHOICES, "list,code\ncat,a\n",
	        "choices.csv:1: missing required column 'label_zh'");

	/* townships */
	refused(F_TOWNS, "id,name_zh,kind\nx,某镇,town\ny,乙镇,town\nx,又,town\n",
	        "townships.csv:4: township 'x' appears twice");
	refused(F_TOWNS, "id,name_zh,kind\nx,某镇,village\n",
	        "townships.csv:2: kind must be subdistrict, town or zone, not 'village'");
	refused(F_TOWNS, "id,name_zh,kind\n", "townships.csv: no townships");

	/* plan */
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2025\n"
	        "last_year,2021\nforms,t\n",
	        "plan.csv:5: last_year 2021 is before first_year 2025");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,二〇二一\n"
	        "last_year,2025\nforms,t\n", "plan.csv:4: 'first_year' must be a whole number");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\nforms,t\nfrist_year,2021\n",
	        "plan.csv:7: unknown key 'frist_year'");
	refused(F_PLAN, "key,value\nid,p\nid,q\n", "plan.csv:3: key 'id' appears twice");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\n", "plan.csv: key 'forms' missing");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\nforms,t|u\n", "u.csv: file missing");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\nforms,t|t\n", "plan.csv:6: form 't' listed twice");
	refused(F_PLAN, "key,value\nid,p\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\nforms,|\n", "plan.csv:6: forms lists no form");
	refused(F_PLAN, "key,value\nid,Jinjiang 2021\nname_zh,计划\nfirst_year,2021\n"
	        "last_year,2025\nforms,t\n", "plan.csv:2: id 'Jinjiang 2021' is not valid");

	/* indicators */
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field\n"
	        "i,指标,annual,>=,5,x,sum,n\n", "indicators.csv:2: no form 'x'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field\n"
	        "i,指标,annual,>=,5,t,sum,zz\n",
	        "indicators.csv:2: form 't' has no number field 'zz'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field\n"
	        "i,指标,annual,>=,5,t,sum,w\n",
	        "indicators.csv:2: form 't' has no number field 'w'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field,filter\n"
	        "i,指标,annual,>=,5,t,count,,zz = 1\n",
	        "indicators.csv:2: filter names field 'zz'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field,filter\n"
	        "i,指标,annual,>=,5,t,count,,c = \n",
	        "indicators.csv:2: filter: column 4: unexpected end of expression");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "i,指标,annual,>=,lots,t,count\n",
	        "indicators.csv:2: 'target' must be a number, not 'lots'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "i,指标,monthly,>=,5,t,count\n",
	        "indicators.csv:2: period must be annual or plan, not 'monthly'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "i,指标,annual,≥,5,t,count\n",
	        "indicators.csv:2: comparator must be >=, > or =, not '≥'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "i,指标,annual,>=,5,t,average\n",
	        "indicators.csv:2: measure must be sum, count or survey, not 'average'");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "i,指标,annual,>=,5,t,count\ni,又,annual,>=,5,t,count\n",
	        "indicators.csv:3: plan 'p' has indicator 'i' twice (see line 2)");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,pace\n"
	        "i,指标,annual,>=,5,t,count,weekly\n",
	        "indicators.csv:2: pace must be linear, none or blank, not 'weekly'");
	refused(F_IND, "plan,id,label_zh,period,comparator,target,form,measure\n"
	        "q,i,指标,annual,>=,5,t,count\n",
	        "indicators.csv:2: plans.csv has no plan 'q'");

	/* roles */
	refused(F_FORM, "name,type,label_zh,required,role\nd,date,日期,yes,date\n"
	        "e,date,又,yes,date\n",
	        "t.csv:3: role date is already field 'd' (line 2); a form has only one");
	refused(F_FORM, "name,type,label_zh,required,role\nd,text,日期,yes,date\n",
	        "t.csv:2: role date needs a date field");
	refused(F_FORM, "name,type,label_zh,required,role\nd,date,日期,,date\n",
	        "t.csv:2: the record's date field (role date) must be required");
	refused(F_FORM, "name,type,label_zh,required,role\nd,date,日期,yes,when\n",
	        "t.csv:2: role must be date, end, key or blank, not 'when'");
	refused(F_FORM, "name,type,label_zh,required\nday,date,日期,\n",
	        "t.csv: the form has no record date");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure\n"
	        "s,调查,plan,>,16,t,survey\n",
	        "indicators.csv:2: a survey indicator takes no form");
	refused(F_IND, "id,label_zh,period,comparator,target,form,measure,field\n"
	        "k,计数,plan,=,2,t,count,n\n",
	        "indicators.csv:2: a count indicator takes no field");

	/* malformed CSV is csvio's to find, with the file name */
	refused(F_TOWNS, "id,name_zh,kind\nx,\"某镇,town\n", "townships.csv");
}

static void test_extra_file(void)
{
	struct schema *s = (struct schema *)1;

	is_int(load_variant(-1, NULL, "formset.csv", "key,value\nversion,2\nforms,t\n", &s),
	       KP_E_DATA, "plan.csv beside formset.csv is refused");
	ok(s == NULL && strstr(kp_err_msg(), "plan.csv is the old format"),
	   "saying plan.csv is the old format");

	is_int(load_variant(-1, NULL, "trainng.csv", "name,type,label_zh\n", &s),
	       KP_E_DATA, "a file not listed in the plan is refused");
	ok(s == NULL && strstr(kp_err_msg(), "trainng.csv: unknown file"),
	   "names the unknown file");
}

static void test_dir(void)
{
	struct schema_file *files = NULL;
	struct schema *s = (struct schema *)1;
	char dir[] = "/tmp/t_schema.XXXXXX", path[256];
	size_t n = 99, i;
	FILE *f;

	is_int(schema_load_dir("/nonexistent/forms", &s), KP_E_NOINPUT,
	       "missing directory");
	ok(s == NULL, "nothing loaded");
	is_int(schema_read_dir(forms_dir(), &files, &n), KP_OK, "read_dir");
	is_int(n, 13, "13 schema files, the quota example left out");
	for (i = 0; i + 1 < n; i++)
		ok(strcmp(files[i].name, files[i + 1].name) < 0, "sorted: %s",
		   files[i].name);
	schema_files_free(files, n);

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	for (i = 0; i < NBASE; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, base_name[i]);
		f = fopen(path, "w");
		fputs(base_data[i], f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/quotas-2025.csv", dir);
	f = fopen(path, "w");
	fputs("year,township,indicator,target\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/~$plan.csv", dir);
	f = fopen(path, "w");
	fputs("\x01\x02", f);
	fclose(f);
	is_int(schema_load_dir(dir, &s), KP_OK, "load_dir ignores quotas-*, ~$*");
	schema_free(s);
	for (i = 0; i < NBASE; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, base_name[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/quotas-2025.csv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/~$plan.csv", dir);
	unlink(path);
	rmdir(dir);
}

/* The shipped files with training.csv replaced by a fixture. */
static int load_with_training(const char *fixture, struct schema **out)
{
	struct schema_file *files = NULL, *one = NULL;
	const char *src = getenv("KEPU_SRCDIR");
	char dir[512];
	size_t n = 0, m = 0, i;
	int rc;

	snprintf(dir, sizeof dir, "%s/tests/unit/data", src && *src ? src : KEPU_SRCDIR);
	if (schema_read_dir(forms_dir(), &files, &n) != KP_OK)
		return -1;
	rc = schema_read_dir(dir, &one, &m);
	for (i = 0; rc == KP_OK && i < m; i++)
		if (strcmp(one[i].name, fixture) == 0)
			break;
	if (rc == KP_OK && i < m) {
		struct schema_file *t = NULL;
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(files[k].name, "training.csv") == 0)
				t = &files[k];
		/* swap the contents; both arrays still free what they hold */
		if (t) {
			struct schema_file tmp = *t;
			t->data = one[i].data;
			t->len = one[i].len;
			one[i].data = tmp.data;
			one[i].len = tmp.len;
		}
		rc = schema_load_files(files, n, out);
	} else if (rc == KP_OK) {
		rc = -1;
	}
	schema_files_free(files, n);
	schema_files_free(one, m);
	return rc;
}

static void test_fixtures(void)
{
	struct schema *s = NULL;

	is_int(load_with_training("training-gb18030.csv", &s), KP_OK,
	       "a form saved as GB18030 (Excel on Chinese Windows) loads");
	ok(s && !strcmp(form_field(schema_form(s, "training"), "title")->label_zh,
	                "培训名称"), "its Chinese labels are read right");
	schema_free(s);
	s = (struct schema *)1;
	is_int(load_with_training("training-odd-width.csv", &s), KP_E_DATA,
	       "a form with an odd width is refused");
	ok(s == NULL, "nothing loaded");
	if (!ok(strstr(kp_err_msg(), "training.csv:5: width must be even") != NULL,
	        "the message names training.csv:5"))
		printf("#   got \"%s\"\n", kp_err_msg());
}

struct quota_check {
	const struct schema *s;
	size_t rows, bad;
};

/* Every row of the example: a known township and indicator, the even split
 * of the city target rounded up, the right year, and marked as an example. */
static int quota_row(void *ctx, size_t line, size_t nf, char **v,
                     const size_t *lens)
{
	struct quota_check *q = ctx;
	const struct indicator *ind;
	double share;
	long want;

	(void)lens;
	if (line == 1)
		return KP_OK;
	q->rows++;
	ind = nf == 5 ? schema_indicator(q->s, v[2]) : NULL;
	if (!ind || !schema_township(q->s, v[1]) || ind->measure == MEASURE_SURVEY) {
		q->bad++;
		return KP_OK;
	}
	share = ind->target / (double)q->s->ntownships;
	want = (long)share + ((double)(long)share < share);
	if (atol(v[3]) != want || strcmp(v[0], ind->period == PERIOD_PLAN
	                                 ? "2021-2025" : "2025")
	    || !strstr(v[4], "示例") || !strstr(v[4], "example"))
		q->bad++;
	return KP_OK;
}

static void test_quota_example(void)
{
	struct schema *s = NULL;
	struct quota_check q = { NULL, 0, 0 };
	char path[512];

	if (schema_load_dir(forms_dir(), &s) != KP_OK)
		return;
	q.s = s;
	snprintf(path, sizeof path, "%s/quotas-2025-example.csv", forms_dir());
	is_int(csvio_read_file(path, quota_row, &q), KP_OK, "example quotas read");
	is_int(q.rows, 20 * 9, "20 townships x 9 indicators (no survey)");
	is_int(q.bad, 0, "every row an even split rounded up, marked example");
	schema_free(s);
}

static void test_default_dir(void)
{
	setenv("KEPU_FORMS", "/somewhere/forms", 1);
	is_str(schema_default_dir(), "/somewhere/forms", "$KEPU_FORMS wins");
	unsetenv("KEPU_FORMS");
	/* this test runs from the build tree */
	is_str(schema_default_dir(), KEPU_SRCDIR "/forms", "source forms in the build tree");
}

static void test_zh_message(void)
{
	lang_set(KP_LANG_ZH);
	refused(F_FORM, HEAD "q,money,钱,,,,,,,\n", "t.csv:2: 未知的字段类型“money”");
	lang_set(KP_LANG_EN);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_shipped();
	test_base();
	test_tally();
	test_broken();
	test_extra_file();
	test_dir();
	test_fixtures();
	test_quota_example();
	test_zh_message();
	test_default_dir();
	return tap_done();
}
