/* expr.c - reading the expression language of form files (grammar in
 * expr.h) into a tree; expr_eval.c evaluates the tree.
 *
 * The source is split into tokens, then a recursive-descent parser builds a
 * small tree.  Every node is either a value (number, string, field, sum...)
 * or a truth (comparison, and/or/not, empty()); the parser checks that each
 * operator gets the kind it needs, so evaluation never meets a mismatch.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "expr.h"
#include "expr_int.h"
#include "lang.h"

enum tok_kind { T_END, T_NUM, T_STR, T_IDENT, T_OP };

struct token {
	enum tok_kind kind;
	const char *p;   /* start in the source */
	size_t len;
	size_t col;      /* 1-based, in characters */
};

struct parser {
	struct token *toks;
	size_t ntoks, pos;
	char *err;
	size_t errlen;
	bool failed;
	bool nomem;      /* failed for want of memory, not for the source */
};

size_t expr_num_scan(const char *s)
{
	size_t i = 0, j;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0)
		return 0;
	if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (s[j] >= '0' && s[j] <= '9') {
			while (s[j] >= '0' && s[j] <= '9')
				j++;
			i = j;
		}
	}
	return i;
}

bool expr_blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}


static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static int fail(struct parser *ps, size_t col, const char *zh, const char *en)
{
	if (!ps->failed) {
		if (lang_get() == KP_LANG_EN)
			snprintf(ps->err, ps->errlen, "column %zu: %s", col, en);
		else
			snprintf(ps->err, ps->errlen, "第%zu列：%s", col, zh);
		ps->failed = true;
	}
	return KP_E_DATA;
}

/* Out of memory: err says so and expr_parse returns KP_E_NOMEM. */
static void fail_nomem(struct parser *ps)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errlen, "%s", kp_strerror(KP_E_NOMEM));
	ps->failed = true;
	ps->nomem = true;
}

/* Operators, longest first so that "<=" wins over "<". */
static const char *const ops[] = {
	"!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",",
};

static size_t op_len(const char *p)
{
	size_t i, n;

	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		n = strlen(ops[i]);
		if (strncmp(p, ops[i], n) == 0)
			return n;
	}
	return 0;
}

/* The length of the token at p, or 0 with the error set. */
static size_t lex_one(struct parser *ps, const char *p, size_t col,
                      enum tok_kind *kind)
{
	size_t n;

	if ((n = expr_num_scan(p)) > 0) {
		*kind = T_NUM;
		return n;
	}
	if (ident_start(*p)) {
		for (n = 1; ident_char(p[n]); n++)
			;
		*kind = T_IDENT;
		return n;
	}
	if (*p == '\'' || *p == '"') {
		const char *q = strchr(p + 1, *p);
		if (!q) {
			fail(ps, col, "字符串缺少结束引号", "unterminated string");
			return 0;
		}
		*kind = T_STR;
		return (size_t)(q - p) + 1;
	}
	if ((n = op_len(p)) > 0) {
		*kind = T_OP;
		return n;
	}
	if ((unsigned char)*p >= 0x80)
		fail(ps, col, "不能识别的字符（全角符号？请用半角）",
		     "unexpected character (a full-width symbol? use ASCII)");
	else {
		char zh[64], en[64];
		snprintf(zh, sizeof zh, "不能识别的字符“%c”", *p);
		snprintf(en, sizeof en, "unexpected character '%c'", *p);
		fail(ps, col, zh, en);
	}
	return 0;
}

static size_t count_chars(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static int lex(struct parser *ps, const char *src)
{
	const char *p = src;
	size_t col = 1, cap = 0, n;
	enum tok_kind kind;
	struct token *t;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			col++;
		}
		if (ps->ntoks == cap) {
			cap = cap ? cap * 2 : 16;
			t = realloc(ps->toks, cap * sizeof *t);
			if (!t) {
				fail_nomem(ps);
				return kp_err_nomem();
			}
			ps->toks = t;
		}
		t = &ps->toks[ps->ntoks];
		t->p = p;
		t->col = col;
		if (!*p) {
			t->kind = T_END;
			t->len = 0;
			ps->ntoks++;
			return KP_OK;
		}
		n = lex_one(ps, p, col, &kind);
		if (n == 0)
			return KP_E_DATA;
		t->kind = kind;
		t->len = n;
		ps->ntoks++;
		col += count_chars(p, n);
		p += n;
	}
}

static const struct token *peek(const struct parser *ps)
{
	return &ps->toks[ps->pos];
}

/* Is the current token the operator or keyword w?  Keywords are matched
 * without regard to case: spreadsheet users write AND as often as and. */
static bool at(const struct parser *ps, const char *w)
{
	const struct token *t = peek(ps);
	size_t n = strlen(w);

	return (t->kind == T_OP || t->kind == T_IDENT) && t->len == n
	       && strncasecmp(t->p, w, n) == 0;
}

static bool accept(struct parser *ps, const char *w)
{
	if (!at(ps, w))
		return false;
	ps->pos++;
	return true;
}

static int expect(struct parser *ps, const char *w)
{
	char zh[64], en[64];

	if (accept(ps, w))
		return KP_OK;
	snprintf(zh, sizeof zh, "缺少“%s”", w);
	snprintf(en, sizeof en, "expected '%s'", w);
	return fail(ps, peek(ps)->col, zh, en);
}

static bool is_keyword(const struct parser *ps)
{
	return at(ps, "and") || at(ps, "or") || at(ps, "not") || at(ps, "in");
}

static bool is_truth(const struct expr *e)
{
	return e->kind >= N_EQ;
}

static struct expr *node_new(struct parser *ps, enum node_kind k,
                             struct expr *a, struct expr *b)
{
	struct expr *e = calloc(1, sizeof *e);

	if (!e) {
		expr_free(a);
		expr_free(b);
		fail_nomem(ps);
		return NULL;
	}
	e->kind = k;
	e->a = a;
	e->b = b;
	return e;
}

static struct expr *leaf_text(struct parser *ps, enum node_kind k,
                              const char *p, size_t n)
{
	struct expr *e = node_new(ps, k, NULL, NULL);

	if (!e)
		return NULL;
	e->str = malloc(n + 1);
	if (!e->str) {
		free(e);
		fail_nomem(ps);
		return NULL;
	}
	memcpy(e->str, p, n);
	e->str[n] = '\0';
	if (k == N_NUM)
		e->num = strtod(e->str, NULL);
	return e;
}

static struct expr *parse_logic(struct parser *ps, bool is_or);
static struct expr *parse_binary(struct parser *ps, bool sum);

/* A literal of an "in" list: a number (maybe negative) or a string. */
static struct expr *parse_literal(struct parser *ps)
{
	const struct token *t = peek(ps);
	bool neg = at(ps, "-");
	struct expr *e;

	if (neg)
		t = &ps->toks[++ps->pos];
	if (t->kind == T_STR && !neg) {
		ps->pos++;
		return leaf_text(ps, N_STR, t->p + 1, t->len - 2);
	}
	if (t->kind == T_NUM) {
		ps->pos++;
		e = leaf_text(ps, N_NUM, t->p, t->len);
		if (e && neg)
			e->num = -e->num;
		return e;
	}
	fail(ps, t->col, "此处应为数字或带引号的文字",
	     "expected a number or a quoted string");
	return NULL;
}

static struct expr *parse_call(struct parser *ps, const struct token *name)
{
	const struct token *arg;

	ps->pos++;      /* the "(" */
	if (name->len == 5 && strncmp(name->p, "today", 5) == 0) {
		if (expect(ps, ")") != KP_OK)
			return NULL;
		return node_new(ps, N_TODAY, NULL, NULL);
	}
	arg = peek(ps);
	if (arg->kind != T_IDENT || is_keyword(ps)) {
		fail(ps, arg->col, "empty() 的括号内应为字段名",
		     "expected a field name in empty()");
		return NULL;
	}
	ps->pos++;
	if (expect(ps, ")") != KP_OK)
		return NULL;
	return leaf_text(ps, N_EMPTY, arg->p, arg->len);
}

static struct expr *parse_atom(struct parser *ps)
{
	const struct token *t = peek(ps);
	struct expr *e;

	switch (t->kind) {
	case T_NUM:
		ps->pos++;
		return leaf_text(ps, N_NUM, t->p, t->len);
	case T_STR:
		ps->pos++;
		return leaf_text(ps, N_STR, t->p + 1, t->len - 2);
	case T_IDENT:
		if (is_keyword(ps))
			break;
		ps->pos++;
		if (at(ps, "(") && ((t->len == 5 && !strncmp(t->p, "today", 5))
		                    || (t->len == 5 && !strncmp(t->p, "empty", 5))))
			return parse_call(ps, t);
		if (at(ps, "(")) {
			fail(ps, t->col, "未知函数（只有 today() 和 empty()）",
			     "unknown function (only today() and empty())");
			return NULL;
		}
		return leaf_text(ps, N_FIELD, t->p, t->len);
	case T_OP:
		if (!accept(ps, "("))
			break;
		e = parse_logic(ps, true);
		if (e && expect(ps, ")") != KP_OK) {
			expr_free(e);
			return NULL;
		}
		return e;
	case T_END:
		fail(ps, t->col, "表达式不完整", "unexpected end of expression");
		return NULL;
	}
	fail(ps, t->col, "此处应为数值、字段名或“(”",
	     "expected a value, a field name or '('");
	return NULL;
}

/* Arithmetic and comparison take values; and, or, not take truths. */
static struct expr *need(struct parser *ps, struct expr *e, size_t col,
                         bool truth)
{
	if (!e || is_truth(e) == truth)
		return e;
	expr_free(e);
	if (truth)
		fail(ps, col, "此处应为条件（如 a = 1）",
		     "expected a condition (such as a = 1)");
	else
		fail(ps, col, "此处应为数值，而不是条件",
		     "expected a value, not a condition");
	return NULL;
}

#define need_value(ps, e, col) need(ps, e, col, false)
#define need_truth(ps, e, col) need(ps, e, col, true)

static struct expr *parse_unary(struct parser *ps)
{
	size_t col;
	struct expr *e;

	if (!accept(ps, "-"))
		return parse_atom(ps);
	col = peek(ps)->col;
	e = need_value(ps, parse_unary(ps), col);
	return e ? node_new(ps, N_NEG, e, NULL) : NULL;
}

static struct expr *parse_binary(struct parser *ps, bool sum)
{
	size_t col = peek(ps)->col;
	struct expr *l, *r;
	enum node_kind k;

	/* A parenthesised condition is fine here unless an operator follows. */
	l = sum ? parse_binary(ps, false) : parse_unary(ps);
	while (l) {
		if (sum && (at(ps, "+") || at(ps, "-")))
			k = at(ps, "+") ? N_ADD : N_SUB;
		else if (!sum && (at(ps, "*") || at(ps, "/")))
			k = at(ps, "*") ? N_MUL : N_DIV;
		else
			break;
		if (!need_value(ps, l, col))
			return NULL;
		ps->pos++;
		col = peek(ps)->col;
		r = need_value(ps, sum ? parse_binary(ps, false) : parse_unary(ps),
		               col);
		if (!r) {
			expr_free(l);
			return NULL;
		}
		l = node_new(ps, k, l, r);
	}
	return l;
}

static struct expr *parse_in(struct parser *ps, struct expr *l)
{
	struct expr *e = node_new(ps, N_IN, l, NULL), *lit, **items;

	if (!e)
		return NULL;
	if (expect(ps, "(") != KP_OK)
		goto fail;
	do {
		lit = parse_literal(ps);
		if (!lit)
			goto fail;
		items = realloc(e->items, (e->nitems + 1) * sizeof *items);
		if (!items) {
			expr_free(lit);
			fail_nomem(ps);
			goto fail;
		}
		e->items = items;
		e->items[e->nitems++] = lit;
	} while (accept(ps, ","));
	if (expect(ps, ")") != KP_OK)
		goto fail;
	return e;
fail:
	expr_free(e);
	return NULL;
}

static struct expr *parse_cmp(struct parser *ps)
{
	static const struct { const char *op; enum node_kind k; } cmps[] = {
		{ "=", N_EQ }, { "!=", N_NE }, { "<", N_LT }, { "<=", N_LE },
		{ ">", N_GT }, { ">=", N_GE },
	};
	size_t col = peek(ps)->col, i;
	struct expr *l = parse_binary(ps, true), *r;

	if (!l)
		return NULL;
	for (i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
		if (at(ps, cmps[i].op))
			break;
	/* A bare value or condition: fine inside parentheses, checked where
	 * a truth is needed (need_truth). */
	if (i == sizeof cmps / sizeof cmps[0] && !at(ps, "in"))
		return l;
	l = need_value(ps, l, col);
	if (l && accept(ps, "in"))
		return parse_in(ps, l);
	if (!l)
		return NULL;
	ps->pos++;
	col = peek(ps)->col;
	r = need_value(ps, parse_binary(ps, true), col);
	if (!r) {
		expr_free(l);
		return NULL;
	}
	return node_new(ps, cmps[i].k, l, r);
}

static struct expr *parse_not(struct parser *ps)
{
	size_t col;
	struct expr *e;

	if (!accept(ps, "not"))
		return parse_cmp(ps);
	col = peek(ps)->col;
	e = need_truth(ps, parse_not(ps), col);
	return e ? node_new(ps, N_NOT, e, NULL) : NULL;
}

static struct expr *parse_logic(struct parser *ps, bool is_or)
{
	const char *kw = is_or ? "or" : "and";
	size_t col = peek(ps)->col;
	struct expr *l, *r;

	l = is_or ? parse_logic(ps, false) : parse_not(ps);
	while (l && at(ps, kw)) {
		l = need_truth(ps, l, col);
		if (!l)
			return NULL;
		ps->pos++;
		col = peek(ps)->col;
		r = need_truth(ps, is_or ? parse_logic(ps, false) : parse_not(ps),
		               col);
		if (!r) {
			expr_free(l);
			return NULL;
		}
		l = node_new(ps, is_or ? N_OR : N_AND, l, r);
	}
	return l;
}

int expr_parse(const char *src, struct expr **out, char *err, size_t errlen)
{
	struct parser ps = { .err = err, .errlen = errlen };
	struct expr *e = NULL;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (expr_blank(src))
		return KP_OK;
	rc = lex(&ps, src);
	if (rc != KP_OK)
		goto done;
	e = need_truth(&ps, parse_logic(&ps, true), 1);
	if (e && peek(&ps)->kind != T_END) {
		fail(&ps, peek(&ps)->col, "条件之后有多余内容",
		     "unexpected text after the end");
		expr_free(e);
		e = NULL;
	}
	rc = e ? KP_OK : ps.nomem ? kp_err_nomem() : KP_E_DATA;
	*out = e;
done:
	free(ps.toks);
	return rc;
}

void expr_free(struct expr *e)
{
	size_t i;

	if (!e)
		return;
	expr_free(e->a);
	expr_free(e->b);
	for (i = 0; i < e->nitems; i++)
		expr_free(e->items[i]);
	free(e->items);
	free(e->str);
	free(e);
}
