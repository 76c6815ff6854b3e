/* expr.c - the expression language of form files (grammar in expr.h).
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

#include "date.h"
#include "err.h"
#include "expr.h"
#include "lang.h"

enum tok_kind { T_END, T_NUM, T_STR, T_IDENT, T_OP };

struct token {
	enum tok_kind kind;
	const char *p;   /* start in the source */
	size_t len;
	size_t col;      /* 1-based, in characters */
};

enum node_kind {
	N_NUM, N_STR, N_FIELD, N_TODAY, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV,
	N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE, N_IN, N_AND, N_OR, N_NOT, N_EMPTY
};

struct expr {
	enum node_kind kind;
	struct expr *a, *b;
	struct expr **items;  /* N_IN: the literals */
	size_t nitems;
	double num;
	char *str;            /* literal text or field name */
};

struct parser {
	struct token *toks;
	size_t ntoks, pos;
	char *err;
	size_t errlen;
	bool failed;
};

/* A value met during evaluation.  Text is kept beside the number so that a
 * number compared with a non-number falls back to bytes as expr.h says. */
enum val_kind { V_EMPTY, V_NUM, V_STR, V_TRUTH };

struct val {
	enum val_kind kind;
	double num;
	bool numeric;         /* V_STR: the text is a plain number */
	const char *s;        /* the text; NULL: it is in buf */
	char buf[32];
	enum expr_truth truth;
};

/* Length of a plain decimal number at s ([0-9]+(.[0-9]+)?(e[+-]?[0-9]+)?),
 * 0 if there is none.  Hex, inf and nan, which strtod would take, are not
 * numbers to a clerk. */
static size_t num_scan(const char *s)
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

/* True when the whole of s (spaces around allowed) is a number. */
static bool text_number(const char *s, double *out)
{
	size_t n;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+')
		p++;
	n = num_scan(p);
	if (n == 0)
		return false;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return false;
	*out = strtod(s, NULL);
	return true;
}

static bool is_blank(const char *s)
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

	if ((n = num_scan(p)) > 0) {
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
			if (!t)
				return kp_err_nomem();
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
		ps->failed = true;
		snprintf(ps->err, ps->errlen, "%s", kp_strerror(KP_E_NOMEM));
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
		fail(ps, 0, "内存不足", "out of memory");
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
			fail(ps, 0, "内存不足", "out of memory");
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
	if (is_blank(src))
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
	rc = e ? KP_OK : KP_E_DATA;
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

/* ---- evaluation ---- */

struct evalctx {
	expr_lookup_fn lookup;
	void *ctx;
};

static struct val eval(const struct expr *e, const struct evalctx *c);

static void val_number(struct val *v, double x)
{
	v->kind = V_NUM;
	v->num = x;
	v->numeric = true;
	snprintf(v->buf, sizeof v->buf, "%.15g", x);
	v->s = NULL;
}

/* A val is copied around by value, so its own buffer is never pointed to. */
static const char *vtext(const struct val *v)
{
	return v->s ? v->s : v->buf;
}

static struct val val_truth(enum expr_truth t)
{
	struct val v = { .kind = V_TRUTH, .truth = t };
	return v;
}

static struct val eval_field(const char *name, const struct evalctx *c)
{
	struct val v = { .kind = V_EMPTY };
	const char *s = c->lookup ? c->lookup(c->ctx, name) : NULL;

	if (is_blank(s))
		return v;
	v.kind = V_STR;
	v.s = s;
	v.numeric = text_number(s, &v.num);
	return v;
}

static struct val eval_arith(const struct expr *e, const struct evalctx *c)
{
	struct val a = eval(e->a, c), b, v = { .kind = V_EMPTY };

	if (a.kind == V_EMPTY || !a.numeric)
		return v;
	if (e->kind == N_NEG) {
		val_number(&v, -a.num);
		return v;
	}
	b = eval(e->b, c);
	if (b.kind == V_EMPTY || !b.numeric)
		return v;
	switch (e->kind) {
	case N_ADD: val_number(&v, a.num + b.num); break;
	case N_SUB: val_number(&v, a.num - b.num); break;
	case N_MUL: val_number(&v, a.num * b.num); break;
	default:
		/* Division by zero has no answer: unknown, like a blank. */
		if (b.num != 0)
			val_number(&v, a.num / b.num);
		break;
	}
	return v;
}

/* <0, 0, >0 like strcmp. */
static int compare(const struct val *a, const struct val *b)
{
	if (a->numeric && b->numeric)
		return (a->num > b->num) - (a->num < b->num);
	return strcmp(vtext(a), vtext(b));
}

static enum expr_truth truth_of(bool b)
{
	return b ? EXPR_TRUE : EXPR_FALSE;
}

static struct val eval_cmp(const struct expr *e, const struct evalctx *c)
{
	struct val a = eval(e->a, c), b;
	size_t i;
	int r;

	if (a.kind == V_EMPTY)
		return val_truth(EXPR_UNKNOWN);
	if (e->kind == N_IN) {
		for (i = 0; i < e->nitems; i++) {
			b = eval(e->items[i], c);
			if (compare(&a, &b) == 0)
				return val_truth(EXPR_TRUE);
		}
		return val_truth(EXPR_FALSE);
	}
	b = eval(e->b, c);
	if (b.kind == V_EMPTY)
		return val_truth(EXPR_UNKNOWN);
	r = compare(&a, &b);
	switch (e->kind) {
	case N_EQ: return val_truth(truth_of(r == 0));
	case N_NE: return val_truth(truth_of(r != 0));
	case N_LT: return val_truth(truth_of(r < 0));
	case N_LE: return val_truth(truth_of(r <= 0));
	case N_GT: return val_truth(truth_of(r > 0));
	default:   return val_truth(truth_of(r >= 0));
	}
}

/* Kleene's logic: FALSE and anything is FALSE, TRUE or anything is TRUE. */
static struct val eval_logic(const struct expr *e, const struct evalctx *c)
{
	enum expr_truth a = eval(e->a, c).truth, b;

	if (e->kind == N_NOT)
		return val_truth(a == EXPR_UNKNOWN ? a : truth_of(a == EXPR_FALSE));
	if (e->kind == N_AND && a == EXPR_FALSE)
		return val_truth(EXPR_FALSE);
	if (e->kind == N_OR && a == EXPR_TRUE)
		return val_truth(EXPR_TRUE);
	b = eval(e->b, c).truth;
	if (b == EXPR_UNKNOWN || a == EXPR_UNKNOWN)
		return val_truth(e->kind == N_AND && b == EXPR_FALSE ? EXPR_FALSE
		                 : e->kind == N_OR && b == EXPR_TRUE ? EXPR_TRUE
		                 : EXPR_UNKNOWN);
	return val_truth(b);
}

static struct val eval(const struct expr *e, const struct evalctx *c)
{
	struct val v = { .kind = V_STR };
	struct kdate d;

	switch (e->kind) {
	case N_NUM:
		v.kind = V_NUM;
		v.num = e->num;
		v.numeric = true;
		v.s = e->str;
		return v;
	case N_STR:
		v.s = e->str;
		v.numeric = text_number(e->str, &v.num);
		return v;
	case N_FIELD:
		return eval_field(e->str, c);
	case N_TODAY:
		d = date_today();
		date_format(d, v.buf);
		return v;
	case N_NEG: case N_ADD: case N_SUB: case N_MUL: case N_DIV:
		return eval_arith(e, c);
	case N_EMPTY:
		return val_truth(truth_of(eval_field(e->str, c).kind == V_EMPTY));
	case N_AND: case N_OR: case N_NOT:
		return eval_logic(e, c);
	default:
		return eval_cmp(e, c);
	}
}

enum expr_truth expr_eval(const struct expr *e, expr_lookup_fn lookup,
                          void *ctx)
{
	struct evalctx c = { lookup, ctx };

	if (!e)
		return EXPR_TRUE;
	return eval(e, &c).truth;
}

void expr_foreach_name(const struct expr *e,
                       void (*fn)(void *ctx, const char *name), void *ctx)
{
	size_t i;

	if (!e)
		return;
	if (e->kind == N_FIELD || e->kind == N_EMPTY)
		fn(ctx, e->str);
	expr_foreach_name(e->a, fn, ctx);
	expr_foreach_name(e->b, fn, ctx);
	for (i = 0; i < e->nitems; i++)
		expr_foreach_name(e->items[i], fn, ctx);
}
