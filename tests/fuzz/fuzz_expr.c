/* fuzz_expr.c - the expression language of the form files (expr.h).
 *
 * Input: the expression, then optionally a line feed and "name=value"
 * lines giving the fields it is evaluated against (a name without a value
 * is a blank field).  Parsed, walked for names and evaluated; a parse that
 * fails must say why. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "expr.h"
#include "fuzz.h"

#define MAXVARS 16

struct vars {
	char *name[MAXVARS], *value[MAXVARS];
	size_t n;
};

static const char *lookup(void *ctx, const char *name)
{
	struct vars *v = ctx;
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0)
			return v->value[i];
	return NULL;
}

static void count_name(void *ctx, const char *name)
{
	if (!name || !*name)
		abort();   /* a name referred to is never empty */
	(*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1), *nl, *line, *next, *eq, err[256];
	struct vars v = { .n = 0 };
	struct expr *e = NULL;
	size_t names = 0;
	int rc;

	if (!src)
		return 0;
	fz_setup();
	memcpy(src, data, size);
	src[size] = '\0';
	nl = strchr(src, '\n');
	if (nl) {
		*nl = '\0';
		for (line = nl + 1; line && *line && v.n < MAXVARS; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			eq = strchr(line, '=');
			if (eq)
				*eq++ = '\0';
			v.name[v.n] = line;
			v.value[v.n++] = eq;
		}
	}
	err[0] = '\0';
	rc = expr_parse(src, &e, err, sizeof err);
	if (rc == KP_OK) {
		expr_foreach_name(e, count_name, &names);
		(void)expr_eval(e, lookup, &v);
		(void)expr_eval(e, lookup, &(struct vars){ .n = 0 });
		expr_free(e);
	} else if (rc != KP_E_DATA || !err[0] || e) {
		abort();   /* a refusal is KP_E_DATA with a message, no tree */
	}
	free(src);
	return 0;
}
