/* expr.h - the small expression language of form files.
 *
 * Used in the `relevant` and `constraint` columns of the form files
 * (forms/NAME.csv) and in the `filter` column of forms/indicators.csv.
 * Grammar (docs/forms.md):
 *
 *   expr    := or
 *   or      := and { "or" and }
 *   and     := not { "and" not }
 *   not     := "not" not | cmp
 *   cmp     := sum [ ("=" | "!=" | "<" | "<=" | ">" | ">=") sum ]
 *            | sum "in" "(" literal { "," literal } ")"
 *   sum     := prod { ("+" | "-") prod }
 *   prod    := unary { ("*" | "/") unary }
 *   unary   := "-" unary | atom
 *   atom    := NUMBER | 'string' | "string" | IDENT | "(" expr ")"
 *            | "today" "(" ")" | "empty" "(" IDENT ")"
 *
 * IDENT names a field of the record (letters, digits, _).  Comparisons are
 * numeric when both sides are numbers, else byte-wise on the strings (ISO
 * dates compare correctly that way).  Logic is three-valued: a comparison
 * with an empty field is UNKNOWN, so a constraint such as
 * "farmers <= participants" does not fire while either is blank (the
 * `required` column handles blanks) and a relevance condition that is
 * UNKNOWN counts as not relevant.
 */
#ifndef KEPU_EXPR_H
#define KEPU_EXPR_H

#include <stddef.h>

struct expr;

enum expr_truth { EXPR_FALSE = 0, EXPR_TRUE = 1, EXPR_UNKNOWN = 2 };

/* Returns a field's value (UTF-8) or NULL/"" when the field is empty.  The
 * string must stay valid until expr_eval returns. */
typedef const char *(*expr_lookup_fn)(void *ctx, const char *name);

/* Parse src into *out (caller frees with expr_free).  An empty or all-blank
 * src yields *out = NULL and KP_OK (meaning "always true").  On a syntax
 * error returns KP_E_DATA and writes a message in the user's language
 * ("column 7: expected ')'", no file or line: the caller knows them) into
 * err; when memory runs out, KP_E_NOMEM (kp_err_nomem) and err says so. */
int expr_parse(const char *src, struct expr **out, char *err, size_t errlen);

void expr_free(struct expr *e);

/* Evaluate; a NULL expression is EXPR_TRUE. */
enum expr_truth expr_eval(const struct expr *e, expr_lookup_fn lookup,
                          void *ctx);

/* Call fn for every field name the expression refers to (to check at load
 * time that they exist, and to know which fields a rule concerns). */
void expr_foreach_name(const struct expr *e,
                       void (*fn)(void *ctx, const char *name), void *ctx);

#endif
