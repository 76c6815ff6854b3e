/* ledger_reported.c - who has reported: the years each township sent a
 * data bundle for, as the city's report and `kepu received` ask.
 *
 * A township has reported for a year once a data bundle of it was
 * imported that holds a record dated in that year or a progress report
 * (progress.csv) covering it; a zero report (export --empty) therefore
 * counts for the years its progress covers.  A record the city stores
 * itself (typed in from a paper report, kepu demo) counts as well: the
 * city has those figures.  The import marks those years
 * (DB_YEARS "r" \0 township \0 YYYY, ledger_years.c has the layout), so
 * asking costs one read, never a scan of records.  DB_META
 * "reported_marks" says the database keeps them: one made before that
 * gets them once, from its records and the bundles it imported, when it
 * is first opened for writing; until then every township counts as
 * reported, as before.
 *
 * Uses ledger_read.c (the records), ledger_years.c (the keys) and
 * ledger_key.c (the records' dates).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"

#define MARKS_KEY "reported_marks"

int ledger_reported_mark_in(struct store_txn *t, const char *township,
                            int year)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_year_key(key, 'r', township, year);

	return store_put(t, DB_YEARS, key, kn, "", 0);
}

int ledger_reported_record_in(struct store_txn *t, const struct ledger *lg,
                              const struct record *rec)
{
	const char *date = ledger_rec_date(lg, rec);
	char key[LEDGER_KEY_MAX];
	const void *v;
	size_t kn, vn;
	int rc;

	if (strlen(date) < 4 || !rec->township[0])
		return KP_OK;
	kn = ledger_year_key(key, 'r', rec->township, atoi(date));
	/* Most revisions find the mark there already: a read is cheaper. */
	rc = store_get(t, DB_YEARS, key, kn, &v, &vn);
	if (rc != KP_NOTFOUND)
		return rc;
	return store_put(t, DB_YEARS, key, kn, "", 0);
}

int ledger_reported_init_in(struct store_txn *t)
{
	return store_put(t, DB_META, MARKS_KEY, strlen(MARKS_KEY), "1", 1);
}

static bool has_marks(struct store_txn *t)
{
	const void *v;
	size_t vn;

	return store_get(t, DB_META, MARKS_KEY, strlen(MARKS_KEY), &v, &vn) == KP_OK;
}

struct ask {
	const char *township;
	int year;
	bool yes;
	int *out;
	size_t max, n;
	char prefix[LEDGER_KEY_MAX];
	size_t plen;
};

static int ask_txn(struct store_txn *t, void *ctx)
{
	struct ask *a = ctx;
	char key[LEDGER_KEY_MAX];
	size_t kn, vn;
	const void *v;
	int rc;

	a->yes = true;
	if (!has_marks(t))
		return KP_OK;
	kn = ledger_year_key(key, 'r', a->township, a->year);
	rc = store_get(t, DB_YEARS, key, kn, &v, &vn);
	a->yes = rc == KP_OK;
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

int ledger_reported(struct ledger *lg, const char *township, int year,
                    bool *yes)
{
	struct ask a = { .township = township, .year = year };
	int rc = KP_OK;

	if (lg->mode == LEDGER_CITY_MODE)
		rc = store_read(lg->st, ask_txn, &a);
	else
		a.yes = true;
	*yes = rc == KP_OK && a.yes;
	return rc;
}

static int years_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	struct ask *a = ctx;
	char y[8];

	(void)v;
	(void)vn;
	if (kn != a->plen + 4 || memcmp(k, a->prefix, a->plen) != 0)
		return kn > a->plen && memcmp(k, a->prefix, a->plen) == 0
		       ? KP_OK : KP_NOTFOUND;
	memcpy(y, (const char *)k + a->plen, 4);
	y[4] = '\0';
	if (a->n < a->max)
		a->out[a->n] = atoi(y);
	a->n++;
	return KP_OK;
}

static int years_txn(struct store_txn *t, void *ctx)
{
	struct ask *a = ctx;

	return store_iter(t, DB_YEARS, a->prefix, a->plen, false, years_fn, a);
}

size_t ledger_reported_years(struct ledger *lg, const char *township,
                             int *out, size_t max)
{
	struct ask a = { .township = township, .out = out, .max = max };

	a.plen = ledger_year_key(a.prefix, 'r', township, 0) - 4;
	if (store_read(lg->st, years_txn, &a) != KP_OK)
		return 0;
	return a.n;
}

/* ---- the upgrade ---------------------------------------------------------- */

struct upgrade {
	struct store_txn *t;
	struct ledger *lg;
	struct record rec;
};

/* Every record the city has (tombstones too: a deletion was reported). */
static int upgrade_record(void *ctx, const void *k, size_t kn, const void *v,
                          size_t vn)
{
	struct upgrade *u = ctx;
	int rc;

	(void)k;
	(void)kn;
	if ((rc = ledger_record_bytes(u->t, v, vn, &v, &vn)) != KP_OK ||
	    (rc = record_decode(v, vn, &u->rec)) != KP_OK)
		return rc;
	return ledger_reported_record_in(u->t, u->lg, &u->rec);
}

/* The value of key in a stored manifest ("key,value" lines). */
static bool manifest_value(const char *v, size_t vn, const char *key,
                           char *out, size_t size)
{
	size_t kl = strlen(key), i = 0, j;

	while (i < vn) {
		if (vn - i > kl && memcmp(v + i, key, kl) == 0 && v[i + kl] == ',') {
			for (j = i + kl + 1; j < vn && v[j] != '\r' && v[j] != '\n'; j++)
				;
			snprintf(out, size, "%.*s", (int)(j - i - kl - 1), v + i + kl + 1);
			return true;
		}
		while (i < vn && v[i] != '\n')
			i++;
		i++;
	}
	return false;
}

/* An imported bundle ("in:<township>:<seq>"): its progress report covered
 * every year from the first plan to the year it was written in (the date
 * at the end of its name). */
static int upgrade_bundle(void *ctx, const void *k, size_t kn, const void *v,
                          size_t vn)
{
	struct upgrade *u = ctx;
	char town[RECORD_NAME_MAX], name[256];
	const char *colon;
	size_t len;
	int y, last, rc = KP_OK;

	if (kn < 3 || memcmp(k, "in:", 3) != 0)
		return KP_NOTFOUND;
	colon = memchr((const char *)k + 3, ':', kn - 3);
	if (!colon || (size_t)(colon - (const char *)k - 3) >= sizeof town)
		return KP_OK;
	snprintf(town, sizeof town, "%.*s", (int)(colon - (const char *)k - 3),
	         (const char *)k + 3);
	if (!manifest_value(v, vn, "name", name, sizeof name) ||
	    (len = strlen(name)) < 9 || strcmp(town, LEDGER_CITY) == 0)
		return KP_OK;
	last = atoi(name + len - 8) / 10000;
	for (y = schema_first_year(u->lg->schema); y <= last && !rc; y++)
		rc = ledger_reported_mark_in(u->t, town, y);
	return rc;
}

static int upgrade_txn(struct store_txn *t, void *ctx)
{
	struct upgrade *u = ctx;
	int rc;

	u->t = t;
	if (has_marks(t))
		return KP_OK;
	rc = store_iter(t, DB_RECORDS, NULL, 0, false, upgrade_record, u);
	if (!rc)
		rc = store_iter(t, DB_BUNDLES, "in:", 3, false, upgrade_bundle, u);
	return rc ? rc : ledger_reported_init_in(t);
}

static int marks_txn(struct store_txn *t, void *ctx)
{
	*(bool *)ctx = has_marks(t);
	return KP_OK;
}

void ledger_reported_upgrade(struct ledger *lg)
{
	struct upgrade u = { .lg = lg };
	bool marks = true;

	/* A read first: every writable open comes here, and most need not
	 * wait for the write lock. */
	if (lg->mode != LEDGER_CITY_MODE ||
	    store_read(lg->st, marks_txn, &marks) != KP_OK || marks)
		return;
	record_init(&u.rec);
	store_write(lg->st, upgrade_txn, &u);
	record_free(&u.rec);
}
