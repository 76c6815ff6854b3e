/* t_compat.c - whether a new version of a form set may replace an old one
 * (schema_compat): every rule, with what stored records use and without,
 * each refusal with its exact message; what a new version adds
 * (schema_changes); and whether it counts a year's records alike
 * (schema_counts_alike), tallies and their groups too. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "record.h"
#include "schema.h"
#include "tap.h"

/* The old set, one file per entry; each case replaces one file. */
enum { F_SET, F_PLANS, F_CHOICES, F_TOWNS, F_FORM, F_OTHER, F_IND, NFILES };

static const char *const names[NFILES] = {
	"formset.csv", "plans.csv", "choices.csv", "townships.csv", "t.csv",
	"u.csv", "indicators.csv",
};

static const char *const old_data[NFILES] = {
	"key,value\nversion,2\nforms,t|u\n",
	"id,name_zh,first_year,last_year,status\n"
	"a,前,2021,2025,official\n"
	"b,后,2026,2030,provisional\n",
	"list,code,label_zh\nform,t,表\nform,u,另\ncat,p,甲\ncat,q,乙\n",
	"id,name_zh,kind\nx,某镇,town\ny,某街,subdistrict\n",
	"name,type,label_zh,required,choices,role\n"
	"d,date,日期,yes,,date\n"
	"e,date,另一日期,,,\n"
	"c,choice,类,,cat,\n"
	"n,integer,数,,,\n"
	"w,text,文,,,\n",
	"name,type,label_zh,required,role\nd,date,日期,yes,date\n",
	"plan,id,label_zh,period,comparator,target,form,measure,field\n"
	"a,i,指标,annual,>=,5,t,sum,n\n"
	"b,i,指标,annual,>=,5,t,sum,n\n",
};

static struct schema *old_schema;

/* The old set with file which replaced by data (-1: none); a set
 * without form u leaves u.csv out. */
static struct schema *load(int which, const char *data)
{
	struct schema_file files[NFILES];
	struct schema *s = NULL;
	size_t i, n = 0;

	for (i = 0; i < NFILES; i++) {
		if (i == F_OTHER && which == F_SET && !strstr(data, "|u"))
			continue;
		files[n].name = names[i];
		files[n].data = (int)i == which ? data : old_data[i];
		files[n].len = strlen(files[n].data);
		n++;
	}
	if (schema_load_files(files, n, &s) != KP_OK)
		printf("# %s\n", kp_err_msg());
	return s;
}

/* A live record of form t (or u) in township x, dated date. */
static void put_record(struct schema_usage *u, const char *form,
                       const char *township, const char *date,
                       const char *field, const char *value)
{
	struct record r;

	record_init(&r);
	snprintf(r.form, sizeof r.form, "%s", form);
	snprintf(r.township, sizeof r.township, "%s", township);
	record_set(&r, "d", date);
	if (field)
		record_set(&r, field, value);
	schema_usage_add(u, old_schema, &r);
	record_free(&r);
}

struct seen {
	size_t n;
	char first[1024];
};

static void seen_fn(void *ctx, const char *msg)
{
	struct seen *s = ctx;

	if (s->n++ == 0)
		snprintf(s->first, sizeof s->first, "%s", msg);
}

/* new (file which replaced by data) against the old set for usage u:
 * refused with exactly want, or accepted when want is NULL. */
static void judged(int which, const char *data, const struct schema_usage *u,
                   const char *want, const char *name)
{
	struct schema *new = load(which, data);
	struct seen seen = { 0, "" };
	size_t n;

	if (!ok(new != NULL, "%s: the new set loads", name))
		return;
	n = schema_compat(old_schema, new, u, seen_fn, &seen);
	if (!want) {
		if (!ok(n == 0 && seen.n == 0, "%s: accepted", name))
			printf("#   refused: %s\n", seen.first);
	} else {
		ok(n == 1 && seen.n == 1, "%s: refused once (%zu)", name, n);
		is_str(seen.first, want, "%s: the message", name);
	}
	schema_free(new);
}

static const char form_no_w[] =
	"name,type,label_zh,required,choices,role\n"
	"d,date,日期,yes,,date\ne,date,另一日期,,,\nc,choice,类,,cat,\nn,integer,数,,,\n";
static const char form_w_number[] =
	"name,type,label_zh,required,choices,role\n"
	"d,date,日期,yes,,date\ne,date,另一日期,,,\nc,choice,类,,cat,\nn,integer,数,,,\n"
	"w,integer,文,,,\n";
static const char form_date_e[] =
	"name,type,label_zh,required,choices,role\n"
	"d,date,日期,yes,,\ne,date,另一日期,yes,,date\nc,choice,类,,cat,\nn,integer,数,,,\n"
	"w,text,文,,,\n";
static const char choices_no_q[] = "list,code,label_zh\nform,t,表\nform,u,另\ncat,p,甲\n";
static const char towns_no_y[] = "id,name_zh,kind\nx,某镇,town\n";
static const char set_no_u[] = "key,value\nversion,3\nforms,t\n";
static const char plans_no_b[] =
	"id,name_zh,first_year,last_year,status\na,前,2021,2025,official\n";
static const char ind_no_b[] =
	"plan,id,label_zh,period,comparator,target,form,measure,field\n"
	"a,i,指标,annual,>=,5,t,sum,n\n";
static const char plans_b_2027[] =
	"id,name_zh,first_year,last_year,status\n"
	"a,前,2021,2026,official\n"
	"b,后,2027,2030,provisional\n";

/* Each rule without records that use what changes: accepted, except a
 * type change and a plan's first year, which are refused always. */
static void test_unused(void)
{
	struct schema_usage *u = schema_usage_new();

	judged(F_FORM, form_no_w, u, NULL, "field removed, unused");
	judged(F_CHOICES, choices_no_q, u, NULL, "choice removed, unused");
	judged(F_TOWNS, towns_no_y, u, NULL, "township removed, unused");
	judged(F_SET, set_no_u, u, NULL, "form removed, no records");
	judged(F_FORM, form_date_e, u, NULL, "date moved, no records");
	judged(F_PLANS, plans_b_2027, u,
	       "plans.csv:3: plan 'b' changed its first year from 2026 to 2027: a plan's first "
	       "year never changes (its quotas are kept under it)",
	       "first year changed, no records");
	judged(F_FORM, form_w_number, u,
	       "t.csv:6: field 'w' changed type from text to integer: stored records would no "
	       "longer read, so a type never changes (add a new field instead)",
	       "type changed, unused");
	schema_usage_free(u);
}

/* A record using something elsewhere does not hold it back. */
static void test_used_elsewhere(void)
{
	struct schema_usage *u = schema_usage_new();

	put_record(u, "t", "x", "2024-05-01", "c", "p");
	put_record(u, "t", "x", "2024-05-02", "n", "3");
	judged(F_FORM, form_no_w, u, NULL, "field removed, other fields used");
	judged(F_CHOICES, choices_no_q, u, NULL, "choice removed, another code used");
	judged(F_TOWNS, towns_no_y, u, NULL, "township removed, another township's records");
	judged(F_SET, set_no_u, u, NULL, "form removed, another form's records");
	/* Both plans go together: b's indicator needs b. */
	{
		struct schema_file files[NFILES];
		struct schema *new;
		size_t i, n;

		for (i = 0; i < NFILES; i++) {
			files[i].name = names[i];
			files[i].data = i == F_PLANS ? plans_no_b : i == F_IND ? ind_no_b : old_data[i];
			files[i].len = strlen(files[i].data);
		}
		is_int(schema_load_files(files, NFILES, &new), KP_OK, "a set without plan b loads");
		n = new ? schema_compat(old_schema, new, u, NULL, NULL) : 99;
		is_int(n, 0, "plan removed, no record in its years");
		schema_free(new);
	}
	/* A blank value uses nothing. */
	put_record(u, "t", "x", "2024-05-03", "w", "");
	judged(F_FORM, form_no_w, u, NULL, "field removed, only a blank value");
	schema_usage_free(u);
}

static void test_used(void)
{
	struct schema_usage *u = schema_usage_new();
	struct schema_file files[NFILES];
	struct seen seen = { 0, "" };
	struct schema *new;
	size_t i, n;

	put_record(u, "t", "x", "2024-05-01", "w", "讲座");
	judged(F_FORM, form_no_w, u,
	       "t.csv:6: field 'w' was removed (a rename counts as a removal) but 1 record has "
	       "a value for it: keep the field", "field removed, used by one record");
	put_record(u, "t", "x", "2024-05-02", "w", "又一次");
	judged(F_FORM, form_no_w, u,
	       "t.csv:6: field 'w' was removed (a rename counts as a removal) but 2 records have "
	       "a value for it: keep the field", "field removed, used by two");
	judged(F_FORM, form_date_e, u,
	       "t.csv:3: the record date moved from field 'd' to 'e' but the form has 2 records: "
	       "the record date stays in its field", "date moved, with records");

	put_record(u, "t", "y", "2024-06-01", "c", "q");
	judged(F_CHOICES, choices_no_q, u,
	       "choices.csv:5: list 'cat' lost its code 'q' (a rename counts as a removal) but 1 "
	       "record uses it: keep the code", "choice removed, in use");
	judged(F_TOWNS, towns_no_y, u,
	       "townships.csv:3: township 'y' was removed but it has 1 record: keep it",
	       "township removed, with records");

	put_record(u, "u", "x", "2024-07-01", NULL, NULL);
	judged(F_SET, set_no_u, u,
	       "formset.csv: form 'u' was removed but it has 1 record: keep the form",
	       "form removed, with a record");

	put_record(u, "t", "x", "2026-02-01", NULL, NULL);
	for (i = 0; i < NFILES; i++) {
		files[i].name = names[i];
		files[i].data = i == F_PLANS ? plans_no_b : i == F_IND ? ind_no_b : old_data[i];
		files[i].len = strlen(files[i].data);
	}
	new = NULL;
	schema_load_files(files, NFILES, &new);
	n = new ? schema_compat(old_schema, new, u, seen_fn, &seen) : 99;
	is_int(n, 1, "plan removed, a record in its years: refused");
	is_str(seen.first, "plans.csv:3: plan 'b' was removed (a rename counts as a removal) but "
	       "1 record falls in its years: keep it", "with its message");
	schema_free(new);

	/* Every reason at once, each given. */
	new = load(F_FORM, form_w_number);
	seen.n = 0;
	n = new ? schema_compat(old_schema, new, u, seen_fn, &seen) : 0;
	is_int(n, 1, "a type change alone is one reason");
	schema_free(new);
	schema_usage_free(u);
}

static void test_zh(void)
{
	struct schema_usage *u = schema_usage_new();

	lang_set(KP_LANG_ZH);
	put_record(u, "t", "y", "2024-06-01", "c", "q");
	judged(F_CHOICES, choices_no_q, u,
	       "choices.csv:5: 删除了列表“cat”中的选项“q”（改名也算删除），但有 1 条记录用它：请保留这个选项",
	       "zh: choice removed, in use");
	judged(F_FORM, form_w_number, u,
	       "t.csv:6: 字段“w”的类型从 text 改成了 integer：已保存的记录会读不懂，类型不能改（可以新增一个字段）",
	       "zh: type changed");
	lang_set(KP_LANG_EN);
	schema_usage_free(u);
}

static void test_changes(void)
{
	static const char form_more[] =
		"name,type,label_zh,required,choices,role\n"
		"d,date,日期,yes,,date\ne,date,另一日期,,,\nc,choice,类,,cat,\nn,integer,数,,,\n"
		"w,text,文,,,\nsource,text,经费来源,,,\nkind,choice,种,,kind,\n";
	static const char choices_more[] =
		"list,code,label_zh\nform,t,表\nform,u,另\ncat,p,甲\ncat,q,乙\ncat,r,丙\n"
		"kind,k1,一\nkind,k2,二\n";
	struct schema_file files[NFILES];
	struct schema_changes ch;
	struct schema *new = NULL;
	char text[256];
	size_t i;

	for (i = 0; i < NFILES; i++) {
		files[i].name = names[i];
		files[i].data = i == F_FORM ? form_more : i == F_CHOICES ? choices_more : old_data[i];
		files[i].len = strlen(files[i].data);
	}
	is_int(schema_load_files(files, NFILES, &new), KP_OK, "a set with more loads");
	if (!new)
		return;
	schema_changes(old_schema, new, &ch);
	ok(ch.forms == 0 && ch.fields == 2 && ch.choices == 3 && ch.indicators == 0
	   && ch.plans == 0 && ch.townships == 0,
	   "two new fields, three new choices (one in cat, two in a new list)");
	schema_changes_text(&ch, text, sizeof text);
	is_str(text, "2 new fields, 3 new choices", "said in English");
	lang_set(KP_LANG_ZH);
	schema_changes_text(&ch, text, sizeof text);
	is_str(text, "2 个新字段，3 个新选项", "and in Chinese");
	lang_set(KP_LANG_EN);
	schema_changes(old_schema, old_schema, &ch);
	schema_changes_text(&ch, text, sizeof text);
	is_str(text, "no new forms, fields, choices, indicators or plans", "nothing new");
	schema_free(new);
	new = load(F_TOWNS, "id,name_zh,kind\nx,某镇,town\ny,某街,subdistrict\nz,新区,zone\n");
	if (new) {
		schema_changes(old_schema, new, &ch);
		schema_changes_text(&ch, text, sizeof text);
		is_str(text, "1 new township", "one of a kind: singular");
	}
	schema_free(new);
}

/* A set with tallies: one plain, one grouped by c, in plan a. */
#define TALLY_IND "plan,id,label_zh,period,comparator,target,form,measure,field,group_by\n" \
	"a,i,指标,annual,>=,5,t,sum,n,\nb,i,指标,annual,>=,5,t,sum,n,\n" \
	"a,e,场次,annual,,,t,count,,\na,g,按类,annual,,,t,count,,c\n"

static struct schema *load2(const char *choices, const char *ind)
{
	struct schema_file files[NFILES];
	struct schema *s = NULL;
	size_t i;

	for (i = 0; i < NFILES; i++) {
		files[i].name = names[i];
		files[i].data = i == F_CHOICES && choices ? choices
		                : i == F_IND && ind ? ind : old_data[i];
		files[i].len = strlen(files[i].data);
	}
	if (schema_load_files(files, NFILES, &s) != KP_OK)
		printf("# %s\n", kp_err_msg());
	return s;
}

static void test_counts_alike(void)
{
	static const char merged[] =
		"list,code,label_zh,counts_as\nform,t,表,\nform,u,另,\ncat,p,甲,\ncat,q,乙,p\n";
	static const char more[] =
		"list,code,label_zh\nform,t,表\nform,u,另\ncat,p,甲\ncat,q,乙\ncat,r,丙\n";
	struct schema *t = load2(NULL, TALLY_IND), *m = load2(merged, TALLY_IND);
	struct schema *r = load2(more, TALLY_IND), *plain = load2(NULL,
		"plan,id,label_zh,period,comparator,target,form,measure,field,group_by\n"
		"a,i,指标,annual,>=,5,t,sum,n,\nb,i,指标,annual,>=,5,t,sum,n,\n"
		"a,e,场次,annual,,,t,count,,\na,g,按类,annual,,,t,count,,\n");
	struct schema *judged = load2(NULL,
		"plan,id,label_zh,period,comparator,target,form,measure,field,group_by\n"
		"a,i,指标,annual,>=,5,t,sum,n,\nb,i,指标,annual,>=,5,t,sum,n,\n"
		"a,e,场次,annual,>=,3,t,count,,\na,g,按类,annual,,,t,count,,c\n");

	if (!t || !m || !r || !plain || !judged) {
		ok(0, "the sets with tallies load");
		goto out;
	}
	ok(schema_counts_alike(t, t, 2025), "a set counts alike with itself");
	ok(!schema_counts_alike(old_schema, t, 2025), "new tallies count differently");
	ok(schema_counts_alike(old_schema, t, 2027), "but not in a plan without them");
	ok(!schema_counts_alike(t, m, 2025), "a code merged into another (counts_as): differently");
	ok(schema_counts_alike(t, r, 2025), "a new code of the list: alike (no record has it)");
	ok(!schema_counts_alike(t, plain, 2025), "a tally no longer grouped: differently");
	ok(!schema_counts_alike(t, judged, 2025), "a tally given a target: differently");
out:
	schema_free(t);
	schema_free(m);
	schema_free(r);
	schema_free(plain);
	schema_free(judged);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	lang_set(KP_LANG_EN);
	old_schema = load(-1, NULL);
	if (!ok(old_schema != NULL, "the old set loads"))
		return tap_done();
	test_unused();
	test_used_elsewhere();
	test_used();
	test_zh();
	test_changes();
	test_counts_alike();
	schema_free(old_schema);
	return tap_done();
}
