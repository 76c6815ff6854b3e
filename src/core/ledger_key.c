/* ledger_key.c - the keys of the ledger's indexes and totals.
 *
 * Keys are parts joined by NUL bytes, each part cut so that the whole
 * stays under LEDGER_KEY_MAX (below LMDB's 511-byte key limit).  The date
 * index (DB_BY_DATE) is keyed form \0 date \0 id, the likely-duplicate index
 * (DB_DUPKEY) form \0 date \0 the values of the form's key fields (role
 * key: the title), the totals and quotas (DB_TOTALS, DB_QUOTAS) year \0
 * township \0 indicator (the total of a grouped tally's group: \0 group
 * after it).  The date is the form's date field (role date).  Uses nothing of the ledger's
 * other files.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "ledger_int.h"

static size_t key_add(char *buf, size_t at, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		n = max;
	if (at + n + 1 > LEDGER_KEY_MAX)
		n = LEDGER_KEY_MAX - at - 1;
	memcpy(buf + at, s, n);
	return at + n;
}

/* Three parts joined by NUL bytes; the last part is cut at `last_max`. */
static size_t key_join(char buf[LEDGER_KEY_MAX], const char *a, const char *b,
                       const char *c, size_t last_max)
{
	size_t at = key_add(buf, 0, a, RECORD_NAME_MAX);

	buf[at++] = 0;
	at = key_add(buf, at, b, RECORD_NAME_MAX);
	buf[at++] = 0;
	return key_add(buf, at, c, last_max);
}

size_t ledger_key3(char buf[LEDGER_KEY_MAX], int year, const char *township,
                   const char *indicator)
{
	char y[16];
	int i, v = year;

	/* "%04d", without snprintf where it is easy: this runs for every
	 * record of a batch */
	if (v < 0 || v > 9999) {
		snprintf(y, sizeof y, "%04d", year);
	} else {
		for (i = 3; i >= 0; i--, v /= 10)
			y[i] = (char)('0' + v % 10);
		y[4] = 0;
	}
	return key_join(buf, y, township, indicator, RECORD_NAME_MAX);
}

size_t ledger_key_total(char buf[LEDGER_KEY_MAX], int year,
                        const char *township, const char *indicator,
                        const char *group)
{
	size_t at = ledger_key3(buf, year, township, indicator);

	if (!group)
		return at;
	buf[at++] = 0;
	return key_add(buf, at, group, RECORD_NAME_MAX);
}

size_t ledger_key_contrib(char buf[LEDGER_KEY_MAX], const char *township,
                          const struct contribution *c)
{
	return ledger_key_total(buf, c->year, township, c->ind->id, c->group);
}

/* The record's date: the value of its form's date field. */
const char *ledger_rec_date(const struct ledger *lg, const struct record *r)
{
	const struct form *f = schema_form(lg->schema, r->form);
	const char *d = record_get(r, f ? f->date->name : "date");

	return d ? d : "";
}

/* The key fields' values, joined by U+001F (one field: its value alone,
 * the key as kepu has always written it). */
static size_t key_values(const struct ledger *lg, const struct record *r,
                         char *buf, size_t max)
{
	const struct form *f = schema_form(lg->schema, r->form);
	const struct field *keys[8];
	size_t nk = f ? form_key_fields(f, keys, 8) : 0, i, at = 0, n;
	const char *v;

	if (nk > 8)
		nk = 8;
	for (i = 0; i < nk; i++) {
		if (!(v = record_get(r, keys[i]->name)))
			continue;
		if (at && at < max)
			buf[at++] = '\x1f';
		n = strlen(v);
		if (n > max - at)
			n = max - at;
		memcpy(buf + at, v, n);
		at += n;
	}
	buf[at] = 0;
	return at;
}

size_t ledger_dup_key(const struct ledger *lg, const struct record *r,
                      char buf[LEDGER_KEY_MAX])
{
	char vals[LEDGER_TITLE_KEY_MAX + 1];
	const char *date = ledger_rec_date(lg, r);

	if (!*date || key_values(lg, r, vals, LEDGER_TITLE_KEY_MAX) == 0)
		return 0;
	return key_join(buf, r->form, date, vals, LEDGER_TITLE_KEY_MAX);
}

size_t ledger_date_key(const struct ledger *lg, const struct record *r,
                       char buf[LEDGER_KEY_MAX])
{
	return key_join(buf, r->form, ledger_rec_date(lg, r), r->id, RECORD_ID_LEN);
}
