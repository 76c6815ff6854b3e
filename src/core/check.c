/* check.c - a form's rules applied to one record.
 *
 * Checking runs in two passes over the form's fields: first every value is
 * normalised and checked on its own (type, range, choice, date, text), then
 * the rules that relate fields are applied (relevance, required,
 * constraints) to the normalised values, so that a category typed as its
 * label or as "2" already counts as its code when relevance is decided.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "date.h"
#include "err.h"
#include "expr.h"
#include "lang.h"
#include "quota.h"
#include "text.h"

#define MSG_MAX 768
#define TEXT_WIDTH_DEFAULT 200
#define CHOICES_SHOWN 4
#define SNIP_MAX 48
/* Longer integers lose precision as doubles in totals. */
#define INTEGER_DIGITS_MAX 15

/* ---- helpers -------------------------------------------------------------- */

struct ck {
	const struct schema *s;
	const struct form *f;
	struct record *rec;
	struct check_result *res;
	const char *about;   /* check_field: every finding is about this field */
	bool *bad;           /* per form field: its value has an error */
};

/* expr_eval wants a mutable context; records are looked up read-only. */
struct lookup {
	const struct record *rec;
};

static const char *lookup_value(void *ctx, const char *name)
{
	const struct lookup *lk = ctx;

	return record_get(lk->rec, name);
}

static const char *lab_zh(const struct field *fld)
{
	return fld->label_zh && *fld->label_zh ? fld->label_zh : fld->name;
}

static const char *lab_en(const struct field *fld)
{
	return fld->label_en && *fld->label_en ? fld->label_en : fld->name;
}

/* A short copy of a value for a message, cut on a character boundary. */
static const char *snip(const char *v, char out[SNIP_MAX + 4])
{
	size_t n = strlen(v);

	if (n <= SNIP_MAX) {
		memcpy(out, v, n + 1);
		return out;
	}
	n = SNIP_MAX;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, v, n);
	memcpy(out + n, "\xe2\x80\xa6", 4);   /* … */
	return out;
}

static int add_error(struct ck *c, enum finding_kind kind,
                     const struct field *fld, const char *zh,
                     const char *en)
{
	const char *name = c->about ? c->about : (fld ? fld->name : "");

	return check_add(c->res, SEV_ERROR, kind, name, zh, en);
}

static ptrdiff_t field_index(const struct form *f, const struct field *fld)
{
	return fld - f->fields;
}

static void mark_bad(struct ck *c, const struct field *fld)
{
	c->bad[field_index(c->f, fld)] = true;
}

/* The full-width digits, signs and separators a Chinese IME produces, and
 * the ideographic space, mapped to ASCII, in place (never longer). */
static char *halfwidth(char *s)
{
	unsigned char *p = (unsigned char *)s, *q = p;

	while (*p) {
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x8B && p[2] <= 0x99) {
			/* U+FF0B..U+FF19 are '+'..'9' shifted by 0xFEE0. */
			*q++ = (unsigned char)('+' + (p[2] - 0x8B));
			p += 3;
		} else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			*q++ = ' ';
			p += 3;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
	return s;
}

/* 2025年3月5日 -> 2025-3-5, in place. */
static void chinese_date(char *s)
{
	static const char *const sep[] = { "年", "月" };
	static const char *const end[] = { "日", "号" };
	char *p;
	size_t i, n;

	for (i = 0; i < 2; i++) {
		while ((p = strstr(s, sep[i])) != NULL) {
			*p = '-';
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
		}
	}
	n = strlen(s);
	for (i = 0; i < 2; i++)
		if (n >= 3 && strcmp(s + n - 3, end[i]) == 0)
			s[n - 3] = '\0';
}

static bool all_digits(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* Optional sign, digits; rewritten without '+' and leading zeros. */
static bool norm_integer(char *v)
{
	char *p = v;
	bool neg = false;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!all_digits(p))
		return false;
	while (*p == '0' && p[1])
		p++;
	if (strlen(p) > INTEGER_DIGITS_MAX)
		return false;
	if (strcmp(p, "0") == 0)
		neg = false;
	if (neg)
		*v++ = '-';
	memmove(v, p, strlen(p) + 1);
	return true;
}

/* Optional sign, digits with at most one '.', at least one digit.  Kept
 * as typed apart from a leading '+'. */
static bool norm_decimal(char *v)
{
	const char *p = v;
	int digits = 0, dots = 0;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '.' && !dots)
			dots++;
		else
			return false;
	}
	if (!digits)
		return false;
	if (*v == '+')
		memmove(v, v + 1, strlen(v));
	return true;
}

static int set_value(struct ck *c, const struct field *fld, const char *v)
{
	const char *old = record_get(c->rec, fld->name);

	if (old && strcmp(old, v) == 0)
		return KP_OK;
	return record_set(c->rec, fld->name, v);
}

/* ---- values on their own -------------------------------------------------- */

static int check_range(struct ck *c, const struct field *fld, const char *v)
{
	char zh[MSG_MAX], en[MSG_MAX], num[32];
	double x = strtod(v, NULL);

	if (fld->has_min && x < fld->min) {
		quota_format(fld->min, 6, num);
		snprintf(zh, sizeof zh, "「%s」不能小于 %s", lab_zh(fld), num);
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d must be at least %s",
		         lab_en(fld), num);
	} else if (fld->has_max && x > fld->max) {
		quota_format(fld->max, 6, num);
		snprintf(zh, sizeof zh, "「%s」不能大于 %s", lab_zh(fld), num);
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d must be at most %s",
		         lab_en(fld), num);
	} else {
		return KP_OK;
	}
	mark_bad(c, fld);
	return add_error(c, FK_RANGE, fld, zh, en);
}

static int check_number(struct ck *c, const struct field *fld, char *v)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4];
	bool okv = fld->type == FT_INTEGER ? norm_integer(v) : norm_decimal(v);
	int rc;

	if (!okv) {
		snip(v, sn);
		if (fld->type == FT_INTEGER) {
			snprintf(zh, sizeof zh, "「%s」必须是整数：“%s”", lab_zh(fld), sn);
			snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d must be a whole "
			         "number: \xe2\x80\x9c%s\xe2\x80\x9d", lab_en(fld), sn);
		} else {
			snprintf(zh, sizeof zh, "「%s」必须是数字：“%s”", lab_zh(fld), sn);
			snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d must be a "
			         "number: \xe2\x80\x9c%s\xe2\x80\x9d", lab_en(fld), sn);
		}
		mark_bad(c, fld);
		return add_error(c, FK_TYPE, fld, zh, en);
	}
	if ((rc = set_value(c, fld, v)) != KP_OK)
		return rc;
	return check_range(c, fld, v);
}

/* The year of another date of the record, so that "3-7" in end_date
 * falls in the year of date; else this year (*today says which). */
static int default_year(const struct ck *c, const struct field *self,
                        bool *today)
{
	struct kdate d;
	const char *v;
	size_t i;

	for (i = 0; i < c->f->nfields; i++) {
		const struct field *o = &c->f->fields[i];

		if (o == self || o->type != FT_DATE)
			continue;
		v = record_get(c->rec, o->name);
		if (v && date_parse_iso(v, &d) == KP_OK) {
			*today = false;
			return d.y;
		}
	}
	*today = true;
	return date_today().y;
}

/* A date written without its year, taken in this year, that would be
 * after today ("12-30" typed in January): the ledger records what has
 * happened, so it is last year's. */
static void last_year_if_ahead(const char *v, int year, struct kdate *d)
{
	struct kdate before;

	if (date_to_days(*d) <= date_to_days(date_today()) ||
	    date_parse(v, year - 1, &before) != KP_OK || before.y == d->y)
		return;        /* not ahead, or the year was written */
	*d = before;
}

/* What a record's dates may be: the record's date (role date) counts in a
 * plan, so it is refused before the first plan; the ledger records what
 * has happened, so it is refused after today, and an end date after today
 * is worth a second look. */
static int check_date_role(struct ck *c, const struct field *fld,
                           struct kdate d, const char *iso)
{
	char zh[MSG_MAX], en[MSG_MAX], today_iso[11];
	struct kdate today = date_today();
	bool future = date_to_days(d) > date_to_days(today);
	const char *name = c->about ? c->about : fld->name;

	date_format(today, today_iso);
	if (fld->role == ROLE_DATE && d.y < schema_first_year(c->s)) {
		snprintf(zh, sizeof zh, "「%s」%s 早于第一个规划（%d 年起）",
		         lab_zh(fld), iso, schema_first_year(c->s));
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d %s is before the "
		         "first plan (from %d)", lab_en(fld), iso, schema_first_year(c->s));
		mark_bad(c, fld);
		return add_error(c, FK_PLAN_YEAR, fld, zh, en);
	}
	if (!future || (fld->role != ROLE_DATE && fld->role != ROLE_END))
		return KP_OK;
	if (fld->role == ROLE_DATE) {
		snprintf(zh, sizeof zh, "「%s」%s 在今天（%s）之后：台账只记已经发生的活动",
		         lab_zh(fld), iso, today_iso);
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d %s is after today "
		         "(%s): the ledger records what has happened", lab_en(fld),
		         iso, today_iso);
		mark_bad(c, fld);
		return add_error(c, FK_FUTURE, fld, zh, en);
	}
	snprintf(zh, sizeof zh, "「%s」%s 在今天（%s）之后：活动结束后请再核对",
	         lab_zh(fld), iso, today_iso);
	snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d %s is after today (%s): "
	         "check it again once the event is over", lab_en(fld), iso, today_iso);
	return check_add(c->res, SEV_WARNING, FK_FUTURE, name, zh, en);
}

/* Numbers that look like a year, month and day but name no day. */
static bool impossible_date(const char *v)
{
	int y, m, d;

	if (sscanf(v, "%d%*[-/.]%d%*[-/.]%d", &y, &m, &d) != 3)
		return false;
	return y >= 1000 && !date_valid(y, m, d);
}

static int check_date(struct ck *c, const struct field *fld, char *v)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4], iso[11];
	struct kdate d;
	bool this_year;
	int rc, year;

	snip(v, sn);            /* as typed: the clerk looks for that */
	chinese_date(v);
	year = default_year(c, fld, &this_year);
	if (date_parse(v, year, &d) != KP_OK) {
		if (impossible_date(v)) {
			snprintf(zh, sizeof zh, "「%s」%s 这一天不存在",
			         lab_zh(fld), sn);
			snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d: there is "
			         "no such day as %s", lab_en(fld), sn);
		} else {
			snprintf(zh, sizeof zh, "「%s」不是日期：“%s”"
			         "（请写成 2025-03-05）", lab_zh(fld), sn);
			snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d is not a "
			         "date: \xe2\x80\x9c%s\xe2\x80\x9d (write it as "
			         "2025-03-05)", lab_en(fld), sn);
		}
		mark_bad(c, fld);
		return add_error(c, FK_DATE, fld, zh, en);
	}
	if (this_year)
		last_year_if_ahead(v, year, &d);
	date_format(d, iso);
	if ((rc = set_value(c, fld, iso)) != KP_OK)
		return rc;
	return check_date_role(c, fld, d, iso);
}

/* A code, a label in either language, or the 1-based position. */
static const struct choice *find_choice(const struct field *fld,
                                        const char *v)
{
	const struct choice *ch = field_choice(fld, v);
	size_t i;
	long pos;

	if (ch)
		return ch;
	for (i = 0; i < fld->nchoices; i++) {
		ch = &fld->choices[i];
		if (strcasecmp(ch->code, v) == 0
		    || (ch->label_zh && strcmp(ch->label_zh, v) == 0)
		    || (ch->label_en && *ch->label_en
		        && strcasecmp(ch->label_en, v) == 0))
			return ch;
	}
	if (!all_digits(v) || strlen(v) > 6)
		return NULL;
	pos = strtol(v, NULL, 10);
	if (pos < 1 || (size_t)pos > fld->nchoices)
		return NULL;
	return &fld->choices[pos - 1];
}

/* The first choices, each code with its label, for a message (the clerk
 * knows the names; a spreadsheet may hold either); as many as fit n. */
static void list_choices(const struct field *fld, bool zh, char *out, size_t n)
{
	size_t i, len = 0;
	char one[256];

	out[0] = '\0';
	for (i = 0; i < fld->nchoices && i < CHOICES_SHOWN; i++) {
		const struct choice *ch = &fld->choices[i];
		const char *label = zh || !ch->label_en || !*ch->label_en
		                  ? ch->label_zh : ch->label_en;
		int w = label && *label
		      ? snprintf(one, sizeof one, zh ? "%s%s（%s）" : "%s%s (%s)",
		                 i ? (zh ? "、" : ", ") : "", ch->code, label)
		      : snprintf(one, sizeof one, "%s%s", i ? (zh ? "、" : ", ") : "",
		                 ch->code);

		if (w < 0 || (size_t)w >= sizeof one || len + (size_t)w + 32 > n)
			break;
		memcpy(out + len, one, (size_t)w + 1);
		len += (size_t)w;
	}
	if (i < fld->nchoices)
		snprintf(out + len, n - len, zh ? "……共 %zu 项" : ", \xe2\x80\xa6 "
		         "(%zu in all)", fld->nchoices);
}

static int check_choice(struct ck *c, const struct field *fld, char *v)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4], list[512];
	const struct choice *ch = find_choice(fld, v);

	if (ch)
		return set_value(c, fld, ch->code);
	snip(v, sn);
	list_choices(fld, true, list, sizeof list);
	snprintf(zh, sizeof zh, "「%s」没有“%s”这一项，可选：%s；"
	         "写代码、名称或序号都可以", lab_zh(fld), sn, list);
	list_choices(fld, false, list, sizeof list);
	snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d has no choice "
	         "\xe2\x80\x9c%s\xe2\x80\x9d; valid: %s; a code, its name or its "
	         "number will do", lab_en(fld), sn, list);
	mark_bad(c, fld);
	return add_error(c, FK_CHOICE, fld, zh, en);
}

static int check_text(struct ck *c, const struct field *fld, const char *v)
{
	char zh[MSG_MAX], en[MSG_MAX];
	int width = fld->width > 0 ? fld->width : TEXT_WIDTH_DEFAULT;
	unsigned long cp;
	size_t pos, w, n = strlen(v);
	enum text_bad bad = text_find_unstorable(v, &pos, &cp);

	/* A text found good is UTF-8, and no wider than its bytes (no
	 * character takes more columns than bytes): the common case costs
	 * one pass.  Which fault is named when there are several stays. */
	if (bad != TEXT_GOOD && !text_is_utf8(v, n)) {
		snprintf(zh, sizeof zh, "「%s」不是有效的 UTF-8 文字", lab_zh(fld));
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d is not valid "
		         "UTF-8 text", lab_en(fld));
	} else if (bad == TEXT_BAD_INVISIBLE) {
		snprintf(zh, sizeof zh, "「%s」第 %zu 个字符是看不见的格式字符 "
		         "U+%04lX（会让文字看起来与实际内容不同），不能保存",
		         lab_zh(fld), pos, cp);
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d holds U+%04lX "
		         "(character %zu), an invisible formatting character that "
		         "makes text read differently from what it holds, and "
		         "cannot be stored", lab_en(fld), cp, pos);
	} else if (bad != TEXT_GOOD) {
		snprintf(zh, sizeof zh, "「%s」含有控制字符（如转义序列），不能保存",
		         lab_zh(fld));
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d holds control "
		         "characters (such as escape sequences) and cannot be "
		         "stored", lab_en(fld));
	} else if (n > (size_t)width && (w = text_width(v)) > (size_t)width) {
		snprintf(zh, sizeof zh, "「%s」太长：%zu 格，最多 %d 格"
		         "（一个汉字占 2 格）", lab_zh(fld), w, width);
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d is too long: "
		         "%zu columns, at most %d (a Chinese character takes 2)",
		         lab_en(fld), w, width);
	} else {
		return KP_OK;
	}
	mark_bad(c, fld);
	return add_error(c, FK_TEXT, fld, zh, en);
}

/* Normalise one field's value and check it on its own. */
static int check_value(struct ck *c, const struct field *fld)
{
	const char *cur = record_get(c->rec, fld->name);
	char *v;
	int rc;

	if (!cur)
		return KP_OK;
	if (fld->type == FT_TEXT)
		return check_text(c, fld, cur);   /* stored exactly as given */
	if (!(v = xstrdup(cur)))
		return kp_err_nomem();
	text_trim(halfwidth(v));
	if (!*v) {
		rc = set_value(c, fld, "");
		goto out;
	}
	switch (fld->type) {
	case FT_INTEGER:
	case FT_DECIMAL:
		rc = check_number(c, fld, v);
		break;
	case FT_DATE:
		rc = check_date(c, fld, v);
		break;
	case FT_CHOICE:
		rc = check_choice(c, fld, v);
		break;
	default:
		rc = KP_OK;
		break;
	}
out:
	free(v);
	return rc;
}

/* ---- rules between fields ------------------------------------------------- */

bool check_field_relevant(const struct field *fld, const struct record *rec)
{
	struct lookup lk = { rec };

	if (!fld->relevant)
		return true;
	return expr_eval(fld->relevant, lookup_value, &lk) == EXPR_TRUE;
}

/* Whether a value is missing for `required`: blank text counts as none. */
static bool is_blank(const char *v)
{
	if (!v)
		return true;
	for (; *v; v++)
		if (*v != ' ' && *v != '\t')
			return false;
	return true;
}

struct names_bad {
	const struct ck *c;
	bool any;
};

static void name_bad(void *ctx, const char *name)
{
	struct names_bad *nb = ctx;
	const struct field *o = form_field(nb->c->f, name);

	if (o && nb->c->bad[field_index(nb->c->f, o)])
		nb->any = true;
}

/* A rule over a value already refused would only repeat that error. */
static bool rule_on_bad(const struct ck *c, const struct expr *e)
{
	struct names_bad nb = { c, false };

	expr_foreach_name(e, name_bad, &nb);
	return nb.any;
}

static int check_constraint(struct ck *c, const struct field *fld)
{
	char zh[MSG_MAX], en[MSG_MAX];
	struct lookup lk = { c->rec };

	if (!fld->constraint || rule_on_bad(c, fld->constraint))
		return KP_OK;
	if (expr_eval(fld->constraint, lookup_value, &lk) != EXPR_FALSE)
		return KP_OK;
	if (fld->message_zh && *fld->message_zh)
		snprintf(zh, sizeof zh, "%s", fld->message_zh);
	else
		snprintf(zh, sizeof zh, "「%s」不符合规则：%s", lab_zh(fld),
		         fld->constraint_src ? fld->constraint_src : "");
	if (fld->message_en && *fld->message_en)
		snprintf(en, sizeof en, "%s", fld->message_en);
	else
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d breaks the "
		         "rule: %s", lab_en(fld),
		         fld->constraint_src ? fld->constraint_src : "");
	return add_error(c, FK_CONSTRAINT, fld, zh, en);
}

/* Relevance, required, and the field's own constraint. */
static int check_rules(struct ck *c, const struct field *fld)
{
	char zh[MSG_MAX], en[MSG_MAX];
	const char *v = record_get(c->rec, fld->name);

	/* Whether it applies hangs on a value already refused (a category
	 * that is none): not to be judged, or "leave it empty" would throw
	 * away a value that is right. */
	if (fld->relevant && rule_on_bad(c, fld->relevant))
		return KP_OK;
	if (!check_field_relevant(fld, c->rec)) {
		if (!v)
			return KP_OK;
		snprintf(zh, sizeof zh, "「%s」不适用于这条记录，请留空",
		         lab_zh(fld));
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d does not apply "
		         "to this record: leave it empty", lab_en(fld));
		mark_bad(c, fld);
		return add_error(c, FK_NOT_RELEVANT, fld, zh, en);
	}
	if (fld->required && is_blank(v)) {
		snprintf(zh, sizeof zh, "「%s」必须填写", lab_zh(fld));
		snprintf(en, sizeof en, "\xe2\x80\x9c%s\xe2\x80\x9d is required",
		         lab_en(fld));
		return add_error(c, FK_REQUIRED, fld, zh, en);
	}
	if (c->bad[field_index(c->f, fld)])
		return KP_OK;
	return check_constraint(c, fld);
}

/* ---- the record as a whole ------------------------------------------------ */

static int check_township(struct ck *c, const char *db_township)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4];
	const char *t = c->rec->township;

	snip(t, sn);
	if (!*t) {
		snprintf(zh, sizeof zh, "记录没有填写镇（街道）");
		snprintf(en, sizeof en, "the record has no township");
	} else if (db_township && strcmp(t, db_township) != 0) {
		/* By their names: the clerk typed one, and knows the other. */
		const struct township *them = schema_township(c->s, t);
		const struct township *us = schema_township(c->s, db_township);

		snprintf(zh, sizeof zh, "“%s”%s%s%s不是本台账所属的镇（街道）（%s%s%s）",
		         them ? them->name_zh : sn, them ? "（" : "", them ? sn : "",
		         them ? "）" : "", us ? us->name_zh : db_township,
		         us ? "，" : "", us ? db_township : "");
		snprintf(en, sizeof en, "township \xe2\x80\x9c%s\xe2\x80\x9d%s%s%s is "
		         "not this ledger's township (%s%s%s)",
		         them ? them->name_en : sn, them ? " (" : "", them ? sn : "",
		         them ? ")" : "", us ? us->name_en : db_township,
		         us ? ", " : "", us ? db_township : "");
	} else if (!schema_township(c->s, t)) {
		snprintf(zh, sizeof zh, "没有“%s”这个镇（街道）", sn);
		snprintf(en, sizeof en, "no such township \xe2\x80\x9c%s\xe2\x80\x9d",
		         sn);
	} else {
		return KP_OK;
	}
	return check_add(c->res, SEV_ERROR, FK_TOWNSHIP, "township", zh, en);
}

static int check_unknown_fields(struct ck *c)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4];
	size_t i;
	int rc;

	for (i = 0; i < c->rec->nfields; i++) {
		const struct kv *kv = &c->rec->fields[i];

		if (form_field(c->f, kv->name))
			continue;
		if (!kv->value || !*kv->value)
			continue;    /* "not given" is harmless */
		snip(kv->name, sn);
		snprintf(zh, sizeof zh, "表单「%s」没有字段“%s”",
		         c->f->label_zh ? c->f->label_zh : c->f->id, sn);
		snprintf(en, sizeof en, "form \xe2\x80\x9c%s\xe2\x80\x9d has no "
		         "field \xe2\x80\x9c%s\xe2\x80\x9d",
		         c->f->label_en ? c->f->label_en : c->f->id, sn);
		rc = check_add(c->res, SEV_ERROR, FK_UNKNOWN_FIELD, sn, zh, en);
		if (rc != KP_OK)
			return rc;
	}
	return KP_OK;
}

static int unknown_form(struct check_result *res, const char *id)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4];

	snip(id, sn);
	snprintf(zh, sizeof zh, "没有“%s”这个表单", sn);
	snprintf(en, sizeof en, "no such form \xe2\x80\x9c%s\xe2\x80\x9d", sn);
	return check_add(res, SEV_ERROR, FK_UNKNOWN_FIELD, "", zh, en);
}

static int ck_begin(struct ck *c, const struct schema *s,
                    const struct form *f, struct record *rec,
                    struct check_result *res)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->f = f;
	c->rec = rec;
	c->res = res;
	c->bad = calloc(f->nfields + 1, sizeof *c->bad);
	if (!c->bad)
		return kp_err_nomem();
	return KP_OK;
}

int check_record_rules(const struct schema *s, const struct form *f,
                       struct record *rec, const char *db_township,
                       struct check_result *res)
{
	struct ck c;
	size_t i;
	int rc;

	if (!f)
		f = schema_form(s, rec->form);
	if (!f)
		return unknown_form(res, rec->form);
	if ((rc = ck_begin(&c, s, f, rec, res)) != KP_OK)
		return rc;
	if ((rc = check_township(&c, db_township)) != KP_OK)
		goto out;
	if ((rc = check_unknown_fields(&c)) != KP_OK)
		goto out;
	for (i = 0; i < f->nfields; i++)
		if ((rc = check_value(&c, &f->fields[i])) != KP_OK)
			goto out;
	for (i = 0; i < f->nfields; i++)
		if ((rc = check_rules(&c, &f->fields[i])) != KP_OK)
			goto out;
out:
	free(c.bad);
	return rc;
}

struct mentions {
	const char *name;
	bool yes;
};

static void mention(void *ctx, const char *name)
{
	struct mentions *m = ctx;

	if (strcmp(m->name, name) == 0)
		m->yes = true;
}

/* Other fields' constraints that mention fld, judged now that it changed
 * (e.g. end_date >= date when the clerk leaves date). */
static int check_mentions(struct ck *c, const struct field *fld)
{
	size_t i;
	int rc;

	for (i = 0; i < c->f->nfields; i++) {
		const struct field *o = &c->f->fields[i];
		struct mentions m = { fld->name, false };

		if (o == fld || !o->constraint || !record_get(c->rec, o->name))
			continue;
		expr_foreach_name(o->constraint, mention, &m);
		if (!m.yes || !check_field_relevant(o, c->rec))
			continue;
		if ((rc = check_constraint(c, o)) != KP_OK)
			return rc;
	}
	return KP_OK;
}

int check_field(const struct schema *s, const struct form *f,
                struct record *rec, const char *field,
                struct check_result *res)
{
	char zh[MSG_MAX], en[MSG_MAX], sn[SNIP_MAX + 4];
	const struct field *fld;
	struct ck c;
	int rc;

	if (!f)
		f = schema_form(s, rec->form);
	if (!f)
		return unknown_form(res, rec->form);
	if (!(fld = form_field(f, field))) {
		snip(field, sn);
		snprintf(zh, sizeof zh, "表单「%s」没有字段“%s”",
		         f->label_zh ? f->label_zh : f->id, sn);
		snprintf(en, sizeof en, "form \xe2\x80\x9c%s\xe2\x80\x9d has no "
		         "field \xe2\x80\x9c%s\xe2\x80\x9d",
		         f->label_en ? f->label_en : f->id, sn);
		return check_add(res, SEV_ERROR, FK_UNKNOWN_FIELD, sn, zh, en);
	}
	if ((rc = ck_begin(&c, s, f, rec, res)) != KP_OK)
		return rc;
	c.about = fld->name;
	if ((rc = check_value(&c, fld)) != KP_OK)
		goto out;
	if ((rc = check_rules(&c, fld)) != KP_OK)
		goto out;
	if (!c.bad[field_index(f, fld)])
		rc = check_mentions(&c, fld);
out:
	free(c.bad);
	return rc;
}
