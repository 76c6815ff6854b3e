/* expr_int.h - the tree of a parsed expression, shared by expr.c (which
 * builds and frees it) and expr_eval.c (which evaluates and walks it).
 * Not part of the core's interface. */
#ifndef KEPU_EXPR_INT_H
#define KEPU_EXPR_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"

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

/* Length of a plain decimal number at s ([0-9]+(.[0-9]+)?(e[+-]?[0-9]+)?),
 * 0 if there is none.  Hex, inf and nan, which strtod would take, are not
 * numbers to a clerk. */
size_t expr_num_scan(const char *s);

/* True for NULL and for text of spaces and tabs only. */
bool expr_blank(const char *s);

#endif
