/* expr_eval.c - evaluating a parsed expression (expr.c builds the tree)
 * with three-valued logic, and walking the field names it uses. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "expr_int.h"

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

/* True when the whole of s (spaces around allowed) is a number. */
static bool text_number(const char *s, double *out)
{
	size_t n;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+')
		p++;
	n = expr_num_scan(p);
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

	if (expr_blank(s))
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
