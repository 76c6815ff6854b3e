/* schema_names.c - the names people give a form's fields: its id or a label
 * in either language, and the closest one to a mistyped name. */
#include "config.h"

#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "err.h"
#include "record.h"
#include "schema.h"

static bool label_is(const char *label, const char *name)
{
	/* A field without a label in one language is not named by "". */
	return label && *label && strcmp(label, name) == 0;
}

const struct field *schema_field_lookup(const struct form *f,
                                        const char *name, unsigned how)
{
	const struct field *fd;
	size_t i;

	if (!f || !name)
		return NULL;
	/* ids first: a label equal to another field's id must not hide it */
	if ((how & SCHEMA_BY_ID) && (fd = form_field(f, name)))
		return fd;
	if (!(how & SCHEMA_BY_LABEL))
		return NULL;
	for (i = 0; i < f->nfields; i++)
		if (label_is(f->fields[i].label_zh, name)
		    || label_is(f->fields[i].label_en, name))
			return &f->fields[i];
	return NULL;
}

int schema_record_ids(const struct form *f, struct record *r)
{
	struct record out, old;
	const struct field *fd;
	size_t i;
	int rc = KP_OK;

	record_init(&out);
	for (i = 0; rc == KP_OK && i < r->nfields; i++) {
		fd = schema_field_lookup(f, r->fields[i].name,
		                         SCHEMA_BY_ID | SCHEMA_BY_LABEL);
		rc = record_set(&out, fd ? fd->name : r->fields[i].name,
		                r->fields[i].value);
	}
	if (rc != KP_OK) {
		record_free(&out);
		/* r's names are valid record names already: only memory fails */
		return kp_err_nomem();
	}
	/* swap the fields only: r keeps its form, id and bookkeeping */
	old = *r;
	r->fields = out.fields;
	r->nfields = out.nfields;
	r->cap = out.cap;
	out = old;
	record_free(&out);
	return KP_OK;
}

/* ---- "did you mean" ---- */

#define GUESS_MAX RECORD_NAME_MAX

/* s as lower-case characters into out; GUESS_MAX + 1 when longer.  Bytes
 * that are no character in the locale count one each. */
static size_t guess_chars(const char *s, wchar_t out[GUESS_MAX])
{
	mbstate_t st;
	wchar_t wc;
	size_t n = 0, k, left = strlen(s);

	memset(&st, 0, sizeof st);
	while (left) {
		if (n == GUESS_MAX)
			return GUESS_MAX + 1;
		k = mbrtowc(&wc, s, left, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			wc = (wchar_t)(unsigned char)*s;
			k = 1;
		}
		out[n++] = (wchar_t)towlower((wint_t)wc);
		s += k;
		left -= k;
	}
	return n;
}

/* Edit distance counting a swap of neighbours as one edit (optimal string
 * alignment): typed names go wrong by a letter missing, extra, wrong or
 * two letters swapped ("categroy").  Distances fit a byte: at most
 * GUESS_MAX. */
static size_t edit_distance(const wchar_t *a, size_t na, const wchar_t *b,
                            size_t nb)
{
	unsigned char d[GUESS_MAX + 1][GUESS_MAX + 1];
	size_t i, j, v;

	for (i = 0; i <= na; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			v = d[i - 1][j - 1] + (size_t)(a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	return d[na][nb];
}

const char *schema_field_guess(const struct form *f, const char *name)
{
	wchar_t a[GUESS_MAX], b[GUESS_MAX];
	const char *best = NULL, *cand[3];
	size_t na, nb, i, k, d, best_d = 3;

	if (!f || !name)
		return NULL;
	na = guess_chars(name, a);
	if (na > GUESS_MAX)
		return NULL;
	for (i = 0; i < f->nfields; i++) {
		cand[0] = f->fields[i].name;
		cand[1] = f->fields[i].label_en;
		cand[2] = f->fields[i].label_zh;
		for (k = 0; k < 3; k++) {
			if (!cand[k] || (nb = guess_chars(cand[k], b)) > GUESS_MAX)
				continue;
			d = edit_distance(a, na, b, nb);
			/* at most 2, and less than half the name: two edits
			 * turn "日其" or "id" into anything that short */
			if (d <= 2 && 2 * d < nb && d < best_d) {
				best = cand[k];
				best_d = d;
			}
		}
	}
	return best;
}
