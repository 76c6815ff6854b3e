/* t_expr.c - the expression language: parsing, errors, three-valued logic. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "expr.h"
#include "lang.h"
#include "tap.h"

/* A record as "name=value" pairs separated by ';'.  Values point into
 * buf, so every value looked up stays valid during the evaluation. */
struct rec {
	char buf[256];
};

static const char *lookup(void *ctx, const char *name)
{
	struct rec *r = ctx;
	char *p = r->buf;
	size_t n = strlen(name);

	while (*p) {
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return p + n + 1;
		p += strlen(p) + 1;
	}
	return NULL;
}

/* Parse src, evaluate it against pairs; -1 when it does not parse. */
static int run(const char *src, const char *pairs)
{
	struct expr *e = NULL;
	struct rec r;
	char err[128], *p;
	int t;

	/* "a=1;b=2" becomes "a=1\0b=2\0\0" */
	memset(&r, 0, sizeof r);
	snprintf(r.buf, sizeof r.buf - 1, "%s", pairs);
	for (p = r.buf; *p; p++)
		if (*p == ';')
			*p = '\0';

	if (expr_parse(src, &e, err, sizeof err) != KP_OK)
		return -1;
	t = expr_eval(e, lookup, &r);
	expr_free(e);
	return t;
}

#define T EXPR_TRUE
#define F EXPR_FALSE
#define U EXPR_UNKNOWN

static void test_values(void)
{
	is_int(run("1 = 1", ""), T, "numbers equal");
	is_int(run("1 + 2 * 3 = 7", ""), T, "* before +");
	is_int(run("(1 + 2) * 3 = 9", ""), T, "parentheses");
	is_int(run("10 - 2 - 3 = 5", ""), T, "- is left-associative");
	is_int(run("8 / 2 / 2 = 2", ""), T, "/ is left-associative");
	is_int(run("-2 * -3 = 6", ""), T, "unary minus");
	is_int(run("1.5 + 1.5 = 3", ""), T, "decimals");
	is_int(run("1e3 = 1000", ""), T, "exponent");
	is_int(run("x / 0 = 1", "x=5"), U, "division by zero is unknown");
	is_int(run("x + 1 > 3", "x=abc"), U, "arithmetic on text is unknown");
	is_int(run("10 > 9", ""), T, "numeric, not bytewise: 10 > 9");
	is_int(run("'10' > '9'", ""), T, "numeric strings compare as numbers");
	is_int(run("a > b", "a=10;b=9"), T, "numeric fields compare as numbers");
	is_int(run("a > b", "a=abc;b=abd"), F, "text compares bytewise");
	is_int(run("a < 5", "a=x"), F, "text vs number: bytewise ('x' > '5')");
	is_int(run("a = 'teacher'", "a=teacher"), T, "string equal");
	is_int(run("a = \"teacher\"", "a=teacher"), T, "double quotes");
	is_int(run("a != 'teacher'", "a=worker"), T, "!=");
	is_int(run("a = '农民'", "a=农民"), T, "UTF-8 strings");
	is_int(run("end_date >= date", "date=2025-03-05;end_date=2025-03-06"),
	       T, "dates: later end");
	is_int(run("end_date >= date", "date=2025-03-05;end_date=2025-02-28"),
	       F, "dates: earlier end");
	is_int(run("end_date >= date", "date=2025-03-05;end_date=2025-03-05"),
	       T, "dates: same day");
	is_int(run("d < '2025-10-01'", "d=2025-09-30"), T, "date vs literal");
	is_int(run("today() = '2025-06-01'", ""), T, "today() is KEPU_TODAY");
	is_int(run("d <= today()", "d=2025-05-31"), T, "past date <= today()");
	is_int(run("d <= today()", "d=2025-06-02"), F, "future date > today()");
	is_int(run("x >= 0.5", "x= 0.75 "), T, "spaces around a number");
}

static void test_logic(void)
{
	is_int(run("a = 1", ""), U, "blank field: unknown");
	is_int(run("a = 1", "a="), U, "empty value: unknown");
	is_int(run("a = 1", "a=  "), U, "all-blank value: unknown");
	is_int(run("farmers <= participants", "participants=10"), U,
	       "constraint with a blank operand is unknown");
	is_int(run("farmers <= participants", "farmers=11;participants=10"), F,
	       "constraint fails");
	is_int(run("not a = 1", ""), U, "not unknown = unknown");
	is_int(run("not a = 1", "a=2"), T, "not false = true");
	is_int(run("a = 1 and b = 1", "a=2"), F, "false and unknown = false");
	is_int(run("b = 1 and a = 1", "a=2"), F, "unknown and false = false");
	is_int(run("a = 1 and b = 1", "a=1"), U, "true and unknown = unknown");
	is_int(run("a = 1 or b = 1", "a=1"), T, "true or unknown = true");
	is_int(run("b = 1 or a = 1", "a=1"), T, "unknown or true = true");
	is_int(run("a = 1 or b = 1", "a=2"), U, "false or unknown = unknown");
	is_int(run("a = 1 or b = 1", "a=2;b=2"), F, "false or false = false");
	is_int(run("a = 1 or a = 2 and a = 3", "a=1"), T, "and binds tighter");
	is_int(run("(a = 1 or a = 2) and a = 3", "a=1"), F, "parenthesised or");
	is_int(run("not a = 1 and a = 2", "a=2"), T, "not binds tighter");
	is_int(run("not not a = 1", "a=1"), T, "double not");
	is_int(run("a = 1 AND b = 2 Or c = 3", "a=1;b=2"), T, "keywords any case");
	is_int(run("empty(a)", ""), T, "empty(): missing");
	is_int(run("empty(a)", "a= "), T, "empty(): blank");
	is_int(run("empty(a)", "a=0"), F, "empty(): 0 is not empty");
	is_int(run("not empty(a) and a > 1", "a=2"), T, "empty() in logic");
	is_int(run("", ""), T, "empty expression is always true");
	is_int(run("   ", ""), T, "blank expression is always true");
}

static void test_in(void)
{
	is_int(run("c in ('teacher', 'worker')", "c=worker"), T, "in: member");
	is_int(run("c in ('teacher', 'worker')", "c=other"), F, "in: not member");
	is_int(run("c in ('teacher')", ""), U, "in: blank is unknown");
	is_int(run("n in (1, 2, 3)", "n=2.0"), T, "in: numbers compare as numbers");
	is_int(run("n in (-1, 5)", "n=-1"), T, "in: negative literal");
	is_int(run("not c in ('a', \"b\")", "c=b"), F, "not in");
	is_int(run("n + 1 in (3)", "n=2"), T, "in after arithmetic");
}

static void syntax(const char *src, const char *want)
{
	struct expr *e = (struct expr *)1;
	char err[128] = "";
	int rc = expr_parse(src, &e, err, sizeof err);

	ok(rc == KP_E_DATA && e == NULL, "refused: %s", src);
	is_str(err, want, "message for: %s", src);
}

static void test_syntax(void)
{
	syntax("(a = 1", "column 7: expected ')'");
	syntax("a = ", "column 5: unexpected end of expression");
	syntax("a", "column 1: expected a condition (such as a = 1)");
	syntax("a = 1 b", "column 7: unexpected text after the end");
	syntax("a == 1", "column 4: expected a value, a field name or '('");
	syntax("a = 'x", "column 5: unterminated string");
	syntax("a # 1", "column 3: unexpected character '#'");
	syntax("a ＝ 1", "column 3: unexpected character (a full-width symbol? use ASCII)");
	syntax("'农民' = a and", "column 13: unexpected end of expression");
	syntax("c in 'x'", "column 6: expected '('");
	syntax("c in (x)", "column 7: expected a number or a quoted string");
	syntax("c in ('x',)", "column 11: expected a number or a quoted string");
	syntax("c in ('x' 'y')", "column 11: expected ')'");
	syntax("(a = 1) + 2 = 3", "column 1: expected a value, not a condition");
	syntax("(a = 1) = (b = 1)", "column 1: expected a value, not a condition");
	syntax("a = (b = 1)", "column 5: expected a value, not a condition");
	syntax("a = 1 and b", "column 11: expected a condition (such as a = 1)");
	syntax("sum(a) > 1", "column 1: unknown function (only today() and empty())");
	syntax("empty(1)", "column 7: expected a field name in empty()");
	syntax("empty(a", "column 8: expected ')'");
	syntax("today(1) = a", "column 7: expected ')'");
	syntax("a = and", "column 5: expected a value, a field name or '('");
	syntax("and", "column 1: expected a value, a field name or '('");
	syntax("not", "column 4: unexpected end of expression");
	syntax("a = 0x10", "column 6: unexpected text after the end");
}

struct names {
	char all[256];
};

static void collect(void *ctx, const char *name)
{
	struct names *n = ctx;

	strcat(n->all, name);
	strcat(n->all, " ");
}

static void test_names(void)
{
	struct expr *e = NULL;
	struct names n = { "" };
	char err[128];

	ok(expr_parse("category = 'rural_tech' and (farmers <= participants "
	              "or empty(notes)) and date <= today() and k in (1, 'x')",
	              &e, err, sizeof err) == KP_OK, "parse for names");
	expr_foreach_name(e, collect, &n);
	is_str(n.all, "category farmers participants notes date k ",
	       "expr_foreach_name lists every field, not literals or today");
	expr_free(e);
	n.all[0] = '\0';
	expr_foreach_name(NULL, collect, &n);
	is_str(n.all, "", "no names in a NULL expression");
	is_int(expr_eval(NULL, lookup, NULL), EXPR_TRUE, "NULL expression is TRUE");
}

static void test_zh(void)
{
	struct expr *e = NULL;
	char err[128];

	lang_set(KP_LANG_ZH);
	expr_parse("(a = 1", &e, err, sizeof err);
	is_str(err, "第7列：缺少“)”", "Chinese message");
	lang_set(KP_LANG_EN);
}

int main(void)
{
	setenv("KEPU_TODAY", "2025-06-01", 1);
	lang_set(KP_LANG_EN);
	test_values();
	test_logic();
	test_in();
	test_syntax();
	test_names();
	test_zh();
	return tap_done();
}
