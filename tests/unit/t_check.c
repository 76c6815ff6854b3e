/* t_check.c - the rules of the forms applied to records. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "lang.h"
#include "schema.h"
#include "tap.h"

static struct schema *S;

/* Fill r from NULL-terminated name/value pairs. */
static void fill(struct record *r, const char *form, const char *town,
                 const char *const *kv)
{
	record_free(r);
	record_init(r);
	snprintf(r->form, sizeof r->form, "%s", form);
	snprintf(r->township, sizeof r->township, "%s", town);
	for (; kv && kv[0]; kv += 2)
		record_set(r, kv[0], kv[1]);
}

/* A valid training record with some fields replaced or added. */
static void training(struct record *r, const char *const *kv)
{
	static const char *const base[] = {
		"date", "2025-03-05", "category", "worker",
		"title", "鞋服企业安全生产培训", "participants", "45", NULL,
	};

	fill(r, "training", "chendai", base);
	for (; kv && kv[0]; kv += 2)
		record_set(r, kv[0], kv[1]);
}

static const struct finding *find(const struct check_result *res,
                                  enum finding_kind k, const char *field)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].kind == k
		    && strcmp(res->findings[i].field, field) == 0)
			return &res->findings[i];
	return NULL;
}

static void dump(const struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		printf("#   finding %d on '%s': %s / %s\n", res->findings[i].kind,
		       res->findings[i].field, res->findings[i].msg_zh,
		       res->findings[i].msg_en);
}

/* Check a training record made of base + kv; res is reset first. */
static int rules(struct record *r, const char *const *kv,
                 struct check_result *res)
{
	training(r, kv);
	check_result_free(res);
	return check_record_rules(S, NULL, r, "chendai", res);
}

/* Exactly one finding, of kind k on field. */
static void expect_one(const char *const *kv, enum finding_kind k,
                       const char *field, const char *name)
{
	struct record r;
	struct check_result res;

	record_init(&r);
	check_result_init(&res);
	rules(&r, kv, &res);
	if (!ok(res.nfindings == 1 && find(&res, k, field)
	        && res.findings[0].sev == SEV_ERROR
	        && *res.findings[0].msg_zh && *res.findings[0].msg_en, "%s", name))
		dump(&res);
	check_result_free(&res);
	record_free(&r);
}

/* No finding at all, and field normalised to want. */
static void expect_norm(const char *const *kv, const char *field,
                        const char *want, const char *name)
{
	struct record r;
	struct check_result res;

	record_init(&r);
	check_result_init(&res);
	rules(&r, kv, &res);
	if (!ok(res.nfindings == 0, "%s: no findings", name))
		dump(&res);
	is_str(record_get(&r, field), want, "%s: stored value", name);
	check_result_free(&res);
	record_free(&r);
}

/* An end date after today is worth a second look, not a refusal. */
static void end_date_warning(void)
{
	struct record r;
	struct check_result res;

	record_init(&r);
	check_result_init(&res);
	rules(&r, (const char *const[]){ "date", "2025-06-14", "end_date", "2025-06-20",
	                                  NULL }, &res);
	if (!ok(res.nfindings == 1 && find(&res, FK_FUTURE, "end_date")
	        && res.findings[0].sev == SEV_WARNING, "an end date after today: a warning"))
		dump(&res);
	check_result_free(&res);
	record_free(&r);
}

/* Records of the year after the seed's plan: they count in the next one. */
static void next_plan_dates(void)
{
	setenv("KEPU_TODAY", "2026-12-01", 1);
	expect_norm((const char *const[]){ "date", "2026-11-30", NULL },
	            "date", "2026-11-30", "2026 once it has come");
	expect_norm((const char *const[]){ "date", "3-5", NULL },
	            "date", "2026-03-05", "a date without a year is this year's");
	expect_norm((const char *const[]){ "date", "2024-05-08", NULL },
	            "date", "2024-05-08", "an earlier plan's year stays open to records");
	setenv("KEPU_TODAY", "2025-06-15", 1);
}

/* The last choice of the training's category, by its position. */
static void last_position(void)
{
	const struct field *f = form_field(schema_form(S, "training"), "category");
	char pos[16];

	if (!ok(f && f->nchoices > 1, "the category has choices"))
		return;
	snprintf(pos, sizeof pos, "%zu", f->nchoices);
	expect_norm((const char *const[]){ "category", pos, NULL },
	            "category", f->choices[f->nchoices - 1].code,
	            "choice by the last position");
}

static void test_valid_and_normalised(void)
{
	expect_norm(NULL, "date", "2025-03-05", "a plain record");
	expect_norm((const char *const[]){ "date", "2025/3/5", NULL },
	            "date", "2025-03-05", "2025/3/5");
	expect_norm((const char *const[]){ "date", " 2025.3.5 ", NULL },
	            "date", "2025-03-05", "2025.3.5 with spaces");
	expect_norm((const char *const[]){ "date", "2025年3月5日", NULL },
	            "date", "2025-03-05", "2025年3月5日");
	expect_norm((const char *const[]){ "date", "２０２５／３／５", NULL },
	            "date", "2025-03-05", "full-width date");
	expect_norm((const char *const[]){ "date", "3-5", "end_date",
	            "2024-03-07", NULL }, "date", "2024-03-05",
	            "short date takes the year of end_date");
	expect_norm((const char *const[]){ "participants", "４５", NULL },
	            "participants", "45", "full-width digits");
	expect_norm((const char *const[]){ "participants", " +0045 ", NULL },
	            "participants", "45", "sign, zeros and spaces");
	expect_norm((const char *const[]){ "participants", "\xe3\x80\x80" "45",
	            NULL }, "participants", "45", "ideographic space");
	expect_norm((const char *const[]){ "hours", " 1.50 ", NULL },
	            "hours", "1.50", "decimal kept as typed");
	expect_norm((const char *const[]){ "category", "劳动者培训", NULL },
	            "category", "worker", "choice by Chinese label");
	expect_norm((const char *const[]){ "category", "worker training", NULL },
	            "category", "worker", "choice by English label, any case");
	expect_norm((const char *const[]){ "category", "4", NULL },
	            "category", "worker", "choice by position");
	expect_norm((const char *const[]){ "category", "４", NULL },
	            "category", "worker", "choice by full-width position");
	expect_norm((const char *const[]){ "category", "1", NULL },
	            "category", "teacher", "choice by position 1: the first");
	expect_norm((const char *const[]){ "category", "１", NULL },
	            "category", "teacher", "choice by full-width position 1");
	last_position();
	expect_norm((const char *const[]){ "category", " Worker ", NULL },
	            "category", "worker", "choice code, trimmed, any case");
	expect_norm((const char *const[]){ "end_date", "2025-03-07", NULL },
	            "end_date", "2025-03-07", "end date after date");
}

/* Every full-width digit ０-９ (U+FF10-FF19), in numbers and in dates,
 * with the full-width separators ． and －. */
static void test_fullwidth_digits(void)
{
	char typed[16], want[16], name[64];
	int d;

	for (d = 0; d <= 9; d++) {
		/* "１" then the full-width d: EF BC 90+d */
		snprintf(typed, sizeof typed, "\xef\xbc\x91\xef\xbc%c", (char)(0x90 + d));
		snprintf(want, sizeof want, "1%d", d);
		snprintf(name, sizeof name, "full-width 1%d", d);
		expect_norm((const char *const[]){ "participants", typed, NULL },
		            "participants", want, name);
	}
	expect_norm((const char *const[]){ "date", "２０２３．０８．１９", NULL },
	            "date", "2023-08-19", "full-width date with ． (0 2 3 8 1 9)");
	expect_norm((const char *const[]){ "date", "２０２４－０７－１６", NULL },
	            "date", "2024-07-16", "full-width date with － (4 7 6)");
	expect_norm((const char *const[]){ "date", "２０２５．０５．０５", NULL },
	            "date", "2025-05-05", "full-width date (5)");
	expect_norm((const char *const[]){ "date", "２０２４年１１月３０日", NULL },
	            "date", "2024-11-30", "full-width digits in 年月日");
}

static void test_types_and_ranges(void)
{
	struct record r;
	struct check_result res;
	const struct finding *f;

	expect_one((const char *const[]){ "participants", "4.5", NULL },
	           FK_TYPE, "participants", "4.5 is not an integer");
	expect_one((const char *const[]){ "participants", "abc", NULL },
	           FK_TYPE, "participants", "abc is not an integer");
	expect_one((const char *const[]){ "participants", "1 2", NULL },
	           FK_TYPE, "participants", "1 2 is not an integer");
	expect_one((const char *const[]){ "participants", "99999999999999999",
	           NULL }, FK_TYPE, "participants", "too many digits");
	expect_one((const char *const[]){ "participants", "0", NULL },
	           FK_RANGE, "participants", "0 participants is out of range");
	expect_one((const char *const[]){ "participants", "-3", NULL },
	           FK_RANGE, "participants", "negative participants");
	expect_one((const char *const[]){ "hours", "1.5.2", NULL },
	           FK_TYPE, "hours", "1.5.2 is not a number");
	expect_one((const char *const[]){ "hours", ".", NULL },
	           FK_TYPE, "hours", ". is not a number");
	expect_one((const char *const[]){ "hours", "2000", NULL },
	           FK_RANGE, "hours", "2000 hours is over the maximum");

	record_init(&r);
	check_result_init(&res);
	rules(&r, (const char *const[]){ "participants", "0", NULL }, &res);
	f = find(&res, FK_RANGE, "participants");
	ok(f && strstr(f->msg_en, "Participants") && strstr(f->msg_en,
	   "at least 1"), "range message names the label and the minimum");
	ok(f && strstr(f->msg_zh, "参训人次") && strstr(f->msg_zh, "不能小于 1"),
	   "Chinese range message too");
	rules(&r, (const char *const[]){ "hours", "1000.5", NULL }, &res);
	f = find(&res, FK_RANGE, "hours");
	ok(f && strstr(f->msg_en, "at most 1000"), "maximum in the message");
	rules(&r, (const char *const[]){ "participants", "x", NULL }, &res);
	f = find(&res, FK_TYPE, "participants");
	ok(f && strstr(f->msg_en, "whole number"), "type message: whole number");
	check_result_free(&res);
	record_free(&r);
}

static void test_choices_and_dates(void)
{
	struct record r;
	struct check_result res;
	const struct finding *f;

	expect_one((const char *const[]){ "category", "nonsense", NULL },
	           FK_CHOICE, "category", "unknown choice");
	expect_one((const char *const[]){ "category", "nonsense", "farmers", "5", NULL },
	           FK_CHOICE, "category", "unknown choice: whether farmers applies, "
	           "which the category decides, is not judged");
	expect_one((const char *const[]){ "category", "99", NULL },
	           FK_CHOICE, "category", "position past the list");
	expect_one((const char *const[]){ "category", "0", NULL },
	           FK_CHOICE, "category", "position 0");
	expect_one((const char *const[]){ "date", "2025-02-30", NULL },
	           FK_DATE, "date", "2025-02-30 does not exist");
	expect_one((const char *const[]){ "date", "hello", NULL },
	           FK_DATE, "date", "hello is not a date");
	{
		struct record r2;
		struct check_result res2;

		record_init(&r2);
		check_result_init(&res2);
		rules(&r2, (const char *const[]){ "date", "2025年5月", NULL }, &res2);
		ok(res2.nfindings == 1 && strstr(res2.findings[0].msg_zh, "“2025年5月”"),
		   "a date without its day is quoted as written: %s",
		   res2.nfindings ? res2.findings[0].msg_zh : "(none)");
		check_result_free(&res2);
		record_free(&r2);
	}
	expect_one((const char *const[]){ "date", "2020-12-31", NULL },
	           FK_PLAN_YEAR, "date", "2020-12-31 is before the first plan");
	expect_norm((const char *const[]){ "date", "2021-01-01", NULL },
	            "date", "2021-01-01", "first day of the first plan");
	expect_norm((const char *const[]){ "date", "2025-06-15", NULL },
	            "date", "2025-06-15", "today");
	expect_one((const char *const[]){ "date", "2025-06-16", NULL },
	           FK_FUTURE, "date", "tomorrow is refused: it has not happened");
	expect_one((const char *const[]){ "date", "2026-01-01", NULL },
	           FK_FUTURE, "date", "2026-01-01 is in the future");
	end_date_warning();
	next_plan_dates();

	record_init(&r);
	check_result_init(&res);
	rules(&r, (const char *const[]){ "category", "nonsense", NULL }, &res);
	f = find(&res, FK_CHOICE, "category");
	ok(f && strstr(f->msg_en, "teacher") && strstr(f->msg_en, "nonsense"),
	   "choice message lists valid codes and quotes the value");
	rules(&r, (const char *const[]){ "date", "2025-02-30", NULL }, &res);
	f = find(&res, FK_DATE, "date");
	ok(f && strstr(f->msg_en, "no such day"), "impossible date message");
	rules(&r, (const char *const[]){ "date", "2019-01-01", NULL }, &res);
	f = find(&res, FK_PLAN_YEAR, "date");
	ok(f && strstr(f->msg_en, "before the first plan (from 2021)"),
	   "the first plan's year is named: %s", f ? f->msg_en : "");
	rules(&r, (const char *const[]){ "date", "2025-07-01", NULL }, &res);
	f = find(&res, FK_FUTURE, "date");
	ok(f && strstr(f->msg_en, "after today (2025-06-15)")
	   && strstr(f->msg_zh, "台账只记已经发生的活动"),
	   "a future date says why: %s", f ? f->msg_en : "");
	check_result_free(&res);
	record_free(&r);
}

static void test_text(void)
{
	static const char odd[] = "  \"Quotes\", commas,\ttabs\r\nand lines ";
	char wide[200] = "";
	int i;

	expect_norm((const char *const[]){ "title", odd, NULL }, "title", odd,
	            "text stored exactly as given");
	expect_one((const char *const[]){ "title", "bad \x1b[31m red", NULL },
	           FK_TEXT, "title", "escape sequence refused");
	expect_one((const char *const[]){ "notes", "bell \x07", NULL },
	           FK_TEXT, "notes", "control character refused");
	expect_one((const char *const[]){ "notes", "bad \xff utf-8", NULL },
	           FK_TEXT, "notes", "invalid UTF-8 refused");
	for (i = 0; i < 30; i++)
		strcat(wide, "培");
	expect_norm((const char *const[]){ "title", wide, NULL }, "title", wide,
	            "30 CJK characters fill a width of 60");
	strcat(wide, "训");
	expect_one((const char *const[]){ "title", wide, NULL },
	           FK_TEXT, "title", "31 CJK characters exceed a width of 60");
	expect_one((const char *const[]){ "title", "   ", NULL },
	           FK_REQUIRED, "title", "a blank title is missing");
}

static void test_relevance_and_rules(void)
{
	struct record r;
	struct check_result res;
	const struct finding *f;

	expect_one((const char *const[]){ "farmers", "10", NULL },
	           FK_NOT_RELEVANT, "farmers", "farmers refused for worker");
	expect_one((const char *const[]){ "certified", "3", NULL },
	           FK_NOT_RELEVANT, "certified", "certified refused for worker");
	expect_one((const char *const[]){ "category", "rural_tech", NULL },
	           FK_REQUIRED, "farmers", "farmers required for rural_tech");
	expect_norm((const char *const[]){ "category", "农村实用技术培训",
	            "farmers", "30", NULL }, "category", "rural_tech",
	            "rural_tech by label with farmers");
	expect_one((const char *const[]){ "category", "rural_tech",
	           "farmers", "50", NULL }, FK_CONSTRAINT, "farmers",
	           "more farmers than participants");
	expect_one((const char *const[]){ "category", "high_skill",
	           "certified", "46", NULL }, FK_CONSTRAINT, "certified",
	           "more certified than participants");
	expect_one((const char *const[]){ "end_date", "2025-03-04", NULL },
	           FK_CONSTRAINT, "end_date", "end date before date");
	expect_one((const char *const[]){ "participants", "", NULL },
	           FK_REQUIRED, "participants", "participants required");
	/* A constraint over a refused value would only repeat the error. */
	expect_one((const char *const[]){ "category", "rural_tech",
	           "farmers", "x", NULL }, FK_TYPE, "farmers",
	           "no constraint finding over a bad value");

	record_init(&r);
	check_result_init(&res);
	rules(&r, (const char *const[]){ "category", "rural_tech",
	      "farmers", "50", NULL }, &res);
	f = find(&res, FK_CONSTRAINT, "farmers");
	is_str(f ? f->msg_en : NULL, "Farmers cannot exceed participants",
	       "constraint message from the form (en)");
	is_str(f ? f->msg_zh : NULL, "农民人次不能超过参训人次",
	       "constraint message from the form (zh)");
	lang_set(KP_LANG_ZH);
	is_str(f ? finding_msg(f) : NULL, "农民人次不能超过参训人次",
	       "finding_msg in Chinese");
	lang_set(KP_LANG_EN);
	is_str(f ? finding_msg(f) : NULL, "Farmers cannot exceed participants",
	       "finding_msg in English");

	training(&r, (const char *const[]){ "category", "rural_tech", NULL });
	ok(check_field_relevant(form_field(schema_form(S, "training"),
	   "farmers"), &r), "farmers relevant for rural_tech");
	training(&r, NULL);
	ok(!check_field_relevant(form_field(schema_form(S, "training"),
	   "farmers"), &r), "farmers not relevant for worker");
	check_result_free(&res);
	record_free(&r);
}

static void test_record_level(void)
{
	struct record r;
	struct check_result res;

	record_init(&r);
	check_result_init(&res);

	expect_one((const char *const[]){ "colour", "red", NULL },
	           FK_UNKNOWN_FIELD, "colour", "unknown field refused");

	training(&r, NULL);
	snprintf(r.township, sizeof r.township, "anhai");
	check_record_rules(S, NULL, &r, "chendai", &res);
	ok(res.nfindings == 1 && find(&res, FK_TOWNSHIP, "township"),
	   "another township refused");
	check_result_free(&res);
	check_record_rules(S, NULL, &r, NULL, &res);
	is_int(res.nfindings, 0, "any township of the plan in a city ledger");
	check_result_free(&res);
	snprintf(r.township, sizeof r.township, "atlantis");
	check_record_rules(S, NULL, &r, NULL, &res);
	ok(find(&res, FK_TOWNSHIP, "township") != NULL, "unknown township refused");
	check_result_free(&res);
	r.township[0] = '\0';
	check_record_rules(S, NULL, &r, NULL, &res);
	ok(find(&res, FK_TOWNSHIP, "township") != NULL, "missing township refused");
	check_result_free(&res);

	training(&r, NULL);
	snprintf(r.form, sizeof r.form, "poetry");
	check_record_rules(S, NULL, &r, "chendai", &res);
	ok(check_has_errors(&res), "unknown form refused");
	check_result_free(&res);

	fill(&r, "demo", "chendai", (const char *const[]){ "date", "2025-04-01",
	     "kind", "base", "name", "深沪镇海带养殖示范基地", NULL });
	check_record_rules(S, schema_form(S, "demo"), &r, "chendai", &res);
	is_int(res.nfindings, 0, "a valid demo record");
	check_result_free(&res);
	fill(&r, "activity", "chendai", (const char *const[]){ "date", "5/20",
	     "type", "科普日", "title", "全国科普日主场活动", "audience", "300",
	     NULL });
	check_record_rules(S, NULL, &r, "chendai", &res);
	is_int(res.nfindings, 0, "a valid activity typed the quick way");
	is_str(record_get(&r, "type"), "science_day", "activity type by label");
	check_result_free(&res);

	/* Everything wrong at once: each error reported once. */
	training(&r, (const char *const[]){ "date", "2025-02-30",
	         "participants", "many", "category", "x", "title", "", NULL });
	check_record_rules(S, NULL, &r, "chendai", &res);
	is_int(check_count(&res, SEV_ERROR), 4, "four errors at once");
	is_int(check_count(&res, SEV_WARNING), 0, "no warnings from rules");
	check_result_free(&res);
	record_free(&r);
}

static void test_check_field(void)
{
	const struct form *tr = schema_form(S, "training");
	struct record r;
	struct check_result res;
	size_t i;
	int only = 1;

	record_init(&r);
	check_result_init(&res);

	training(&r, (const char *const[]){ "participants", "abc",
	         "date", "2025-02-30", NULL });
	check_field(S, tr, &r, "participants", &res);
	for (i = 0; i < res.nfindings; i++)
		if (strcmp(res.findings[i].field, "participants") != 0)
			only = 0;
	ok(res.nfindings == 1 && only && find(&res, FK_TYPE, "participants"),
	   "check_field reports only its field");
	check_result_free(&res);

	training(&r, (const char *const[]){ "participants", "３０", NULL });
	check_field(S, tr, &r, "participants", &res);
	is_int(res.nfindings, 0, "check_field: good value");
	is_str(record_get(&r, "participants"), "30", "check_field normalises");

	training(&r, (const char *const[]){ "end_date", "2025-03-10", NULL });
	record_set(&r, "date", "2025/3/12");
	check_field(S, tr, &r, "date", &res);
	ok(res.nfindings == 1 && find(&res, FK_CONSTRAINT, "date"),
	   "leaving date after end_date shows end_date's rule on date");
	is_str(record_get(&r, "date"), "2025-03-12", "date normalised");
	check_result_free(&res);

	check_field(S, tr, &r, "nosuch", &res);
	ok(find(&res, FK_UNKNOWN_FIELD, "nosuch") != NULL,
	   "check_field on an unknown field");
	check_result_free(&res);

	training(&r, (const char *const[]){ "farmers", "3", NULL });
	check_field(S, tr, &r, "farmers", &res);
	ok(find(&res, FK_NOT_RELEVANT, "farmers") != NULL,
	   "check_field: not relevant");
	check_result_free(&res);
	record_free(&r);
}

/* A form of our own: a constraint without a message, a text field
 * without a width, a decimal with fractional bounds. */
static void test_own_form(void)
{
	static const char plan[] = "key,value\nid,t\nname_zh,测\n"
		"name_en,T\nfirst_year,2021\nlast_year,2025\nforms,t\n";
	static const char towns[] = "id,name_zh,name_en,kind,official_code\n"
		"a,甲镇,A Town,town,\n";
	static const char choices[] = "list,code,label_zh,label_en\n"
		"yn,y,是,yes\nyn,n,否,no\n";
	static const char inds[] = "id,label_zh,label_en,unit_zh,unit_en,"
		"period,comparator,target,form,measure,field,filter\n"
		"n_sum,数,Sum,个,units,annual,>=,10,t,sum,n,\n";
	static const char form[] = "name,type,label_zh,label_en,required,"
		"min,max,width,choices,relevant,constraint\n"
		"date,date,日期,Date,yes,,,,,,\n"
		"n,integer,数量,Count,,,,,,,n < 10\n"
		"x,decimal,比例,Ratio,,0.5,2.5,,,,\n"
		"note,text,说明,,,,,,,,\n"
		"ok,choice,同意,Agreed,,,,,yn,,\n";
	const struct schema_file files[] = {
		{ "plan.csv", plan, sizeof plan - 1 },
		{ "townships.csv", towns, sizeof towns - 1 },
		{ "choices.csv", choices, sizeof choices - 1 },
		{ "indicators.csv", inds, sizeof inds - 1 },
		{ "t.csv", form, sizeof form - 1 },
	};
	struct schema *own = NULL, *saved = S;
	struct record r;
	struct check_result res;
	const struct finding *f;
	char long_note[260];
	int rc;

	rc = schema_load_files(files, 5, &own);
	if (!ok(rc == KP_OK, "own form loads")) {
		printf("# %s\n", kp_err_msg());
		return;
	}
	S = own;
	record_init(&r);
	check_result_init(&res);
	fill(&r, "t", "a", (const char *const[]){ "date", "2022-2-2",
	     "n", "12", NULL });
	check_record_rules(S, NULL, &r, "a", &res);
	f = find(&res, FK_CONSTRAINT, "n");
	is_str(f ? f->msg_en : NULL, "\xe2\x80\x9c" "Count\xe2\x80\x9d breaks "
	       "the rule: n < 10", "generic constraint message quotes the rule");
	ok(f && strstr(f->msg_zh, "「数量」") && strstr(f->msg_zh, "n < 10"),
	   "generic constraint message in Chinese");
	check_result_free(&res);

	fill(&r, "t", "a", (const char *const[]){ "date", "2022-2-2",
	     "x", "0.4", NULL });
	check_record_rules(S, NULL, &r, "a", &res);
	f = find(&res, FK_RANGE, "x");
	ok(f && strstr(f->msg_en, "at least 0.5"), "fractional minimum");
	check_result_free(&res);
	fill(&r, "t", "a", (const char *const[]){ "date", "2022-2-2",
	     "x", "2.5", "ok", "是", NULL });
	check_record_rules(S, NULL, &r, "a", &res);
	ok(res.nfindings == 0 && strcmp(record_get(&r, "ok"), "y") == 0,
	   "bound itself allowed; choice by label");
	check_result_free(&res);

	memset(long_note, 'a', 201);
	long_note[201] = '\0';
	fill(&r, "t", "a", (const char *const[]){ "date", "2022-2-2",
	     "note", long_note, NULL });
	check_record_rules(S, NULL, &r, "a", &res);
	f = find(&res, FK_TEXT, "note");
	ok(f && strstr(f->msg_en, "at most 200") && strstr(f->msg_en, "note"),
	   "default width 200; label falls back to the field name");
	check_result_free(&res);
	long_note[200] = '\0';
	fill(&r, "t", "a", (const char *const[]){ "date", "2022-2-2",
	     "note", long_note, NULL });
	check_record_rules(S, NULL, &r, "a", &res);
	is_int(res.nfindings, 0, "200 cells fit the default width");
	check_result_free(&res);
	record_free(&r);
	S = saved;
	schema_free(own);
}

static void test_result(void)
{
	struct check_result res;
	int i, good = 1;

	check_result_init(&res);
	ok(!check_has_errors(&res), "empty result has no errors");
	for (i = 0; i < 100; i++)
		if (check_add(&res, i % 2 ? SEV_WARNING : SEV_ERROR, FK_DUPLICATE,
		              "title", "重复", "duplicate") != KP_OK)
			good = 0;
	ok(good && res.nfindings == 100, "100 findings added");
	is_int(check_count(&res, SEV_WARNING), 50, "50 warnings");
	is_int(check_count(&res, SEV_ERROR), 50, "50 errors");
	is_str(res.findings[99].msg_zh, "重复", "message copied");
	check_result_free(&res);
	is_int(res.nfindings, 0, "free resets");
	check_add(&res, SEV_WARNING, FK_IMPLAUSIBLE, NULL, NULL, "big");
	ok(!check_has_errors(&res) && *res.findings[0].field == '\0',
	   "a warning alone is not an error; NULL field is empty");
	lang_set(KP_LANG_ZH);
	is_str(finding_msg(&res.findings[0]), "big",
	       "finding_msg falls back to the other language");
	lang_set(KP_LANG_EN);
	check_result_free(&res);
}

int main(void)
{
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	lang_init("en");
	setenv("KEPU_TODAY", "2025-06-15", 1);
	rc = schema_load_dir(getenv("KEPU_FORMS") ? getenv("KEPU_FORMS")
	                     : KEPU_SRCDIR "/forms", &S);
	if (!ok(rc == KP_OK, "forms load")) {
		printf("# %s\n", kp_err_msg());
		return tap_done();
	}
	test_valid_and_normalised();
	test_fullwidth_digits();
	test_types_and_ranges();
	test_choices_and_dates();
	test_text();
	test_relevance_and_rules();
	test_record_level();
	test_check_field();
	test_own_form();
	test_result();
	schema_free(S);
	return tap_done();
}
