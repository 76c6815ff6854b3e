/* ledger_log.c - the history: every change with who made it, when, and
 * each field before and after; and the history of changes made in other
 * databases, which bundles bring (DB_HISTORY).
 *
 * Nothing is stored twice for it.  An audit entry (ledger_write.c) names
 * the revision it stored (its key, the change's sequence number: "after")
 * and the one it replaced ("before"), whose bytes are in DB_CHANGES; the
 * fields that differ between the two are the change.  The entries of one
 * record form a chain through "before", so the history of a record costs
 * its revisions, not the database's.
 *
 * A merge (a bundle's revision taken in) is shown by the changes the
 * sending township made to reach it, when its bundle carried them
 * (history.csv, stored in DB_HISTORY under id, revision and origin), then
 * the merge itself; without them, as the difference the merge made.
 * Forms updates (DB_META "forms:<version>") and year events (closing,
 * reopening, the city's decisions: DB_YEARS) are events of the log too,
 * placed by time (load_events).
 *
 * Entries are handed to the caller one at a time, never gathered.  Uses
 * ledger_forms.c (the forms updates), ledger_years.c (the year events) and
 * ledger_read.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

#define AUDIT_MAGIC "KA2"
#define HIST_MAGIC "KH1"
#define LOG_FORMS_MAX 256

/* ---- reading an audit entry ----------------------------------------------- */

struct audit {
	int64_t when;
	char user[RECORD_NAME_MAX], action[RECORD_NAME_MAX];
	char id[RECORD_ID_LEN + 1];
	uint64_t before;
};

static bool get_part(const unsigned char **p, const unsigned char *end,
                     char *out, size_t cap)
{
	size_t n;

	if (end - *p < 4)
		return false;
	n = (size_t)(*p)[0] << 24 | (size_t)(*p)[1] << 16 |
	    (size_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < n || n >= cap)
		return false;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	return true;
}

/* False for an entry of another format (none is written any more). */
static bool audit_decode(const void *v, size_t vn, struct audit *a)
{
	const unsigned char *p = v, *end = p + vn;

	memset(a, 0, sizeof *a);
	if (vn < 11 || memcmp(p, AUDIT_MAGIC, 3) != 0)
		return false;
	a->when = (int64_t)store_from_be64(p + 3);
	p += 11;
	if (!get_part(&p, end, a->user, sizeof a->user) ||
	    !get_part(&p, end, a->action, sizeof a->action) ||
	    !get_part(&p, end, a->id, sizeof a->id) || end - p != 8)
		return false;
	a->before = store_from_be64(p);
	return true;
}

/* ---- the walk ------------------------------------------------------------- */

struct changes {
	struct ledger_log_change *v;
	size_t n, cap;
};

/* An entry of the log that is no record's change (a forms update; a
 * year's events would be others), gathered before the walk: there are
 * few.  The walk places them by time among the changes. */
struct event {
	int64_t when;
	size_t order;                 /* gathered in the order they happened */
	char who[RECORD_NAME_MAX];
	const char *action;           /* static */
	char field[RECORD_NAME_MAX];
	char before[64], after[1024];  /* after: room for a reason */
	char township[RECORD_NAME_MAX];
};

struct walk {
	struct ledger *lg;
	const struct ledger_log_query *q;
	ledger_log_fn fn;
	void *ctx;
	struct store_txn *t;
	const char *self;             /* this database's identity */
	struct record before, after;
	struct changes ch;
	struct event *ev;             /* events, newest first */
	size_t nev, evcap, fi;
	struct sbuf hist;             /* decoded history entries of a merge */
	size_t *hoff;                 /* where each starts in hist */
	size_t nh, hcap;
	int stop;                     /* KP_NOTFOUND once fn asked to stop */
};

static int change_add(struct changes *c, const char *field,
                      const char *before, const char *after)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct ledger_log_change *nv = realloc(c->v, cap * sizeof *nv);

		if (!nv)
			return kp_err_nomem();
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n].field = field;
	c->v[c->n].before = before ? before : "";
	c->v[c->n].after = after ? after : "";
	c->n++;
	return KP_OK;
}

static int diff_field(struct changes *c, const char *name,
                      const struct record *b, const struct record *a)
{
	const char *x = b ? record_get(b, name) : NULL;
	const char *y = record_get(a, name);

	if ((x ? x : "")[0] == '\0' && (y ? y : "")[0] == '\0')
		return KP_OK;
	if (x && y && strcmp(x, y) == 0)
		return KP_OK;
	return change_add(c, name, x, y);
}

static bool in_form(const struct form *f, const char *name)
{
	return f && form_field(f, name) != NULL;
}

/* What changed from b (NULL: nothing before) to a: the form's fields in
 * its order, then fields the form does not have, then the attachments
 * taken off and put on, then the deletion.  Values are borrowed from b
 * and a. */
static int diff(const struct ledger *lg, const struct record *b,
                const struct record *a, struct changes *c)
{
	const struct form *f = schema_form(lg->schema, a->form);
	size_t i;
	int rc = KP_OK;

	c->n = 0;
	for (i = 0; f && i < f->nfields && !rc; i++)
		rc = diff_field(c, f->fields[i].name, b, a);
	for (i = 0; b && i < b->nfields && !rc; i++)
		if (!in_form(f, b->fields[i].name))
			rc = diff_field(c, b->fields[i].name, b, a);
	for (i = 0; i < a->nfields && !rc; i++)
		if (!in_form(f, a->fields[i].name) &&
		    !(b && record_get(b, a->fields[i].name)))
			rc = diff_field(c, a->fields[i].name, b, a);
	for (i = 0; b && i < b->natt && !rc; i++)
		if (!record_att_find(a, b->att[i].name))
			rc = change_add(c, LEDGER_LOG_ATTACHMENT, b->att[i].name, "");
	for (i = 0; i < a->natt && !rc; i++)
		if (!b || !record_att_find(b, a->att[i].name))
			rc = change_add(c, LEDGER_LOG_ATTACHMENT, "", a->att[i].name);
	if (!rc && a->deleted && (!b || !b->deleted))
		rc = change_add(c, LEDGER_LOG_DELETED, b ? "0" : "", "1");
	return rc;
}

static int emit(struct walk *w, const struct ledger_log_entry *e)
{
	int rc;

	if (w->q->since && e->when < w->q->since)
		return KP_OK;
	rc = w->fn(w->ctx, e);
	if (rc == KP_NOTFOUND)
		w->stop = KP_NOTFOUND;
	return rc;
}

/* Events newer than when (all that are left with INT64_MIN), in the
 * order of the walk: only when the whole log is asked for. */
static int emit_events(struct walk *w, int64_t when)
{
	struct ledger_log_change c;
	int rc = KP_OK;

	while (!rc && !w->stop && w->fi < w->nev && w->ev[w->fi].when > when) {
		const struct event *ev = &w->ev[w->fi++];
		struct ledger_log_entry e = {
			.origin = w->self, .when = ev->when, .who = ev->who,
			.action = ev->action, .id = "", .form = "",
			.township = ev->township, .changes = &c, .nchanges = 1,
		};

		c.field = ev->field;
		c.before = ev->before;
		c.after = ev->after;
		rc = emit(w, &e);
	}
	return rc;
}

/* ---- history brought by bundles ------------------------------------------- */

static int hist_part(struct sbuf *b, const unsigned char **p,
                     const unsigned char *end)
{
	size_t n;

	if (end - *p < 4)
		return KP_E_DATA;
	n = (size_t)(*p)[0] << 24 | (size_t)(*p)[1] << 16 |
	    (size_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < n || memchr(*p, '\0', n))
		return KP_E_DATA;
	if (sbuf_add(b, *p, n) || sbuf_addc(b, '\0'))
		return kp_err_nomem();
	*p += n;
	return KP_OK;
}

/* One DB_HISTORY value appended to w->hist as: seq, when (8 bytes each,
 * native), the origin, who, action, form, township (NUL-terminated), the
 * revision (4 bytes), a count (4 bytes) and that many (field, before,
 * after). */
static int hist_decode(struct walk *w, const char *origin, uint32_t rev,
                       const void *v, size_t vn)
{
	const unsigned char *p = v, *end = p + vn;
	struct sbuf *b = &w->hist;
	uint64_t seq;
	int64_t when;
	uint32_t n, i;
	int rc;

	if (vn < 23 || memcmp(p, HIST_MAGIC, 3) != 0)
		return KP_E_DATA;
	seq = store_from_be64(p + 3);
	when = (int64_t)store_from_be64(p + 11);
	p += 19;
	if (array_grow(&w->hoff, sizeof *w->hoff, &w->hcap, w->nh) != KP_OK)
		return kp_err_nomem();
	w->hoff[w->nh] = b->len;
	if (sbuf_add(b, &seq, sizeof seq) || sbuf_add(b, &when, sizeof when) ||
	    sbuf_adds(b, origin) || sbuf_addc(b, '\0'))
		return kp_err_nomem();
	for (i = 0; i < 4; i++)
		if ((rc = hist_part(b, &p, end)))
			return rc;
	if (end - p < 4)
		return KP_E_DATA;
	n = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	p += 4;
	if (sbuf_add(b, &rev, sizeof rev) || sbuf_add(b, &n, sizeof n))
		return kp_err_nomem();
	for (i = 0; i < 3 * n; i++)
		if ((rc = hist_part(b, &p, end)))
			return rc;
	w->nh++;
	return p == end ? KP_OK : KP_E_DATA;
}

struct hscan {
	struct walk *w;
	const char *id;
	size_t idn;
	uint32_t lo, hi;              /* revisions in (lo, hi] */
	int err;
};

static int hscan_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	struct hscan *h = ctx;
	const unsigned char *key = k;
	char origin[RECORD_NAME_MAX];
	uint32_t rev;

	if (kn < h->idn + 5 || memcmp(k, h->id, h->idn) != 0 || key[h->idn])
		return KP_NOTFOUND;
	rev = (uint32_t)key[h->idn + 1] << 24 | (uint32_t)key[h->idn + 2] << 16 |
	      (uint32_t)key[h->idn + 3] << 8 | key[h->idn + 4];
	if (rev > h->hi)
		return KP_NOTFOUND;
	if (rev <= h->lo || kn - h->idn - 5 >= sizeof origin)
		return KP_OK;
	memcpy(origin, key + h->idn + 5, kn - h->idn - 5);
	origin[kn - h->idn - 5] = '\0';
	if ((h->err = hist_decode(h->w, origin, rev, v, vn)) == KP_E_NOMEM)
		return KP_E_NOMEM;
	return KP_OK;              /* an unreadable entry is left out */
}

/* The history entries of record id with revisions in (lo, hi], in key
 * order (revision, then origin), into w->hist. */
static int hist_load(struct walk *w, const char *id, uint32_t lo, uint32_t hi)
{
	char key[RECORD_ID_LEN + 8];
	struct hscan h = { w, id, strlen(id), lo, hi, 0 };

	sbuf_reset(&w->hist);
	w->nh = 0;
	memcpy(key, id, h.idn);
	key[h.idn] = '\0';
	key[h.idn + 1] = (char)(lo >> 24);
	key[h.idn + 2] = (char)(lo >> 16);
	key[h.idn + 3] = (char)(lo >> 8);
	key[h.idn + 4] = (char)lo;
	return store_iter(w->t, DB_HISTORY, key, h.idn + 5, false, hscan_fn, &h);
}

/* Entry i of w->hist as a log entry. */
static int hist_entry(struct walk *w, size_t i, struct ledger_log_entry *e,
                      uint64_t here)
{
	const char *p = w->hist.s + w->hoff[i];
	uint32_t n, j;
	int rc;

	memset(e, 0, sizeof *e);
	memcpy(&e->seq, p, 8);
	memcpy(&e->when, p + 8, 8);
	p += 16;
	e->origin = p;
	p += strlen(p) + 1;
	e->who = p;
	p += strlen(p) + 1;
	e->action = p;
	p += strlen(p) + 1;
	e->form = p;
	p += strlen(p) + 1;
	e->township = p;
	p += strlen(p) + 1;
	memcpy(&e->rev, p, 4);
	memcpy(&n, p + 4, 4);
	p += 8;
	w->ch.n = 0;
	for (j = 0; j < n; j++) {
		const char *f = p, *b = f + strlen(f) + 1, *a = b + strlen(b) + 1;

		if ((rc = change_add(&w->ch, f, b, a)))
			return rc;
		p = a + strlen(a) + 1;
	}
	e->id = w->after.id;         /* the key's, not in the value */
	e->here = here;
	e->changes = w->ch.v;
	e->nchanges = w->ch.n;
	return KP_OK;
}

/* ---- one audit entry ------------------------------------------------------ */

static int load_rev(struct store_txn *t, uint64_t seq, struct record *r)
{
	unsigned char k[8];
	const void *v;
	size_t vn;
	int rc;

	store_be64(seq, k);
	rc = store_get(t, DB_CHANGES, k, sizeof k, &v, &vn);
	return rc ? rc : record_decode(v, vn, r);
}

static int emit_merge(struct walk *w, struct ledger_log_entry *m)
{
	struct ledger_log_entry e;
	size_t i, j;
	int rc;

	m->changes = NULL;
	m->nchanges = 0;
	if (!w->q->oldest_first && (rc = emit(w, m)))
		return rc;
	for (j = 0; j < w->nh && !w->stop; j++) {
		i = w->q->oldest_first ? j : w->nh - 1 - j;
		if ((rc = hist_entry(w, i, &e, m->here)) || (rc = emit(w, &e)))
			return rc;
	}
	return w->q->oldest_first && !w->stop ? emit(w, m) : KP_OK;
}

static int audit_entry(struct walk *w, uint64_t seq, const void *v, size_t vn)
{
	struct ledger_log_entry e;
	struct audit a;
	bool have_before = false;
	int rc;

	if (!audit_decode(v, vn, &a))
		return KP_OK;
	if (!w->q->oldest_first && !w->q->id && (rc = emit_events(w, a.when)))
		return rc;
	if (w->stop)
		return KP_OK;
	if ((rc = load_rev(w->t, seq, &w->after)))
		return rc == KP_NOTFOUND ? KP_OK : rc;
	if (a.before) {
		rc = load_rev(w->t, a.before, &w->before);
		if (rc && rc != KP_NOTFOUND)
			return rc;
		have_before = rc == KP_OK;
	}
	memset(&e, 0, sizeof e);
	e.origin = w->self;
	e.seq = e.here = seq;
	e.when = a.when;
	e.who = a.user;
	e.action = a.action;
	e.id = w->after.id;
	e.form = w->after.form;
	e.township = w->after.township;
	e.rev = w->after.rev;
	if (strcmp(a.action, "merge") == 0) {
		rc = hist_load(w, w->after.id, have_before ? w->before.rev : 0,
		               w->after.rev);
		if (rc)
			return rc;
		if (w->nh)
			return emit_merge(w, &e);
	}
	if ((rc = diff(w->lg, have_before ? &w->before : NULL, &w->after, &w->ch)))
		return rc;
	e.changes = w->ch.v;
	e.nchanges = w->ch.n;
	return emit(w, &e);
}

static int audit_fn(void *ctx, const void *k, size_t kn, const void *v,
                    size_t vn)
{
	struct walk *w = ctx;
	uint64_t seq;
	int rc;

	if (kn != 8)
		return KP_OK;
	seq = store_from_be64(k);
	if (w->q->upto_seq && seq > w->q->upto_seq)
		return w->q->oldest_first ? KP_NOTFOUND : KP_OK;
	if (seq <= w->q->after_seq)
		return w->q->oldest_first ? KP_OK : KP_NOTFOUND;
	rc = audit_entry(w, seq, v, vn);
	return rc ? rc : w->stop;
}

/* One record: its chain of audit entries, from its newest revision. */
static int walk_record(struct walk *w)
{
	const char *id = w->q->id;
	unsigned char k[8];
	const void *v;
	size_t vn;
	uint64_t seq;
	int rc = store_get(w->t, DB_RECORDS, id, strlen(id), &v, &vn);

	if (rc == KP_NOTFOUND)
		return ledger_not_found(id);
	if (rc)
		return rc;
	if (vn != 8)
		return kp_err_set(KP_E_DATA, "%s", L("记录索引已损坏",
		                  "a record entry is damaged"));
	seq = store_from_be64(v);
	while (seq && !w->stop) {
		struct audit a;

		store_be64(seq, k);
		if (store_get(w->t, DB_AUDIT, k, sizeof k, &v, &vn) != KP_OK)
			break;
		if ((rc = audit_entry(w, seq, v, vn)))
			return rc == KP_NOTFOUND ? KP_OK : rc;
		if (!audit_decode(v, vn, &a))
			break;
		seq = a.before;
	}
	return KP_OK;
}

static int log_txn(struct store_txn *t, void *ctx)
{
	struct walk *w = ctx;
	unsigned char k[8];
	int rc;

	w->t = t;
	w->stop = KP_OK;
	w->fi = 0;
	if (w->q->id)
		return walk_record(w);
	if (w->q->oldest_first) {
		store_be64(w->q->after_seq + 1, k);
		return store_iter(t, DB_AUDIT, k, sizeof k, false, audit_fn, w);
	}
	if (w->q->upto_seq)
		store_be64(w->q->upto_seq, k);
	rc = store_iter(t, DB_AUDIT, w->q->upto_seq ? k : NULL,
	                w->q->upto_seq ? sizeof k : 0, true, audit_fn, w);
	if (!rc && !w->stop)
		rc = emit_events(w, INT64_MIN);
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

static struct event *event_new(struct walk *w)
{
	if (array_grow(&w->ev, sizeof *w->ev, &w->evcap, w->nev) != KP_OK)
		return NULL;
	memset(&w->ev[w->nev], 0, sizeof *w->ev);
	w->ev[w->nev].order = w->nev;
	return &w->ev[w->nev++];
}

/* Newest first; of one second (a year closed and reopened at once), the
 * one that happened later first: times are whole seconds. */
static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? 1 : -1;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

/* The forms updates (a database's first version came when it was made:
 * not a change). */
static int forms_events(struct walk *w)
{
	struct ledger_forms_entry *fe = calloc(LOG_FORMS_MAX, sizeof *fe);
	struct event *ev;
	size_t n, i;
	int rc = KP_OK;

	if (!fe)
		return kp_err_nomem();
	n = ledger_forms_history(w->lg, fe, LOG_FORMS_MAX);
	for (i = 0; i < n && i < LOG_FORMS_MAX && !rc; i++) {
		if (fe[i].from == 0)
			continue;
		if (!(ev = event_new(w))) {
			rc = kp_err_nomem();
			break;
		}
		ev->when = fe[i].when;
		snprintf(ev->who, sizeof ev->who, "%s", fe[i].by);
		ev->action = "forms";
		snprintf(ev->field, sizeof ev->field, "%s", LEDGER_LOG_FORMS);
		snprintf(ev->before, sizeof ev->before, "%u", fe[i].from);
		snprintf(ev->after, sizeof ev->after, "%u", fe[i].version);
	}
	free(fe);
	return rc;
}

/* A year closed, reopened, approved or returned: "#year", the year
 * (and the reason) after. */
static int year_event_fn(void *ctx, const struct year_event *ye)
{
	struct walk *w = ctx;
	struct event *ev = event_new(w);

	if (!ev)
		return kp_err_nomem();
	ev->when = ye->received_at ? ye->received_at : ye->at;
	snprintf(ev->who, sizeof ev->who, "%s", ye->by);
	ev->action = year_event_word(ye->kind);
	snprintf(ev->field, sizeof ev->field, "%s", LEDGER_LOG_YEAR);
	if (*ye->reason)
		snprintf(ev->after, sizeof ev->after, "%d %.1000s", ye->year, ye->reason);
	else
		snprintf(ev->after, sizeof ev->after, "%d", ye->year);
	snprintf(ev->township, sizeof ev->township, "%s", ye->township);
	return KP_OK;
}

static int year_events(struct walk *w)
{
	int rc = ledger_year_events(w->lg, NULL, false, 0, year_event_fn, w);

	if (rc == KP_OK)
		rc = ledger_year_events(w->lg, NULL, true, 0, year_event_fn, w);
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

/* Every event, newest first (only the whole log shows them): forms
 * updates and year events, gathered into w->ev. */
static int load_events(struct walk *w)
{
	int rc;

	if (w->q->id || w->q->oldest_first || w->q->after_seq || w->q->upto_seq)
		return KP_OK;
	if ((rc = forms_events(w)) != KP_OK || (rc = year_events(w)) != KP_OK)
		return rc;
	if (w->nev > 1)
		qsort(w->ev, w->nev, sizeof *w->ev, cmp_event);
	return KP_OK;
}

int ledger_log(struct ledger *lg, const struct ledger_log_query *q,
               ledger_log_fn fn, void *ctx)
{
	struct walk w = { .lg = lg, .q = q, .fn = fn, .ctx = ctx };
	int rc;

	w.self = lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY : lg->township;
	record_init(&w.before);
	record_init(&w.after);
	rc = load_events(&w);
	if (!rc)
		rc = store_read(lg->st, log_txn, &w);
	record_free(&w.before);
	record_free(&w.after);
	free(w.ch.v);
	free(w.ev);
	free(w.hoff);
	sbuf_free(&w.hist);
	return rc;
}

/* ---- a record as it was ------------------------------------------------- */

struct at_ctx {
	const char *id;
	uint64_t seq;
	struct record *out;
};

static int at_txn(struct store_txn *t, void *ctx)
{
	struct at_ctx *ac = ctx;
	unsigned char k[8];
	const void *v;
	size_t vn;
	uint64_t seq;
	struct audit a;
	int rc = store_get(t, DB_RECORDS, ac->id, strlen(ac->id), &v, &vn);

	if (rc)
		return rc;
	if (vn != 8)
		return KP_NOTFOUND;
	seq = store_from_be64(v);
	while (seq > ac->seq) {
		store_be64(seq, k);
		if (store_get(t, DB_AUDIT, k, sizeof k, &v, &vn) != KP_OK ||
		    !audit_decode(v, vn, &a))
			return KP_NOTFOUND;
		seq = a.before;
	}
	return seq ? load_rev(t, seq, ac->out) : KP_NOTFOUND;
}

int ledger_revision_at(struct ledger *lg, const char *id, uint64_t seq,
                       struct record *out)
{
	struct at_ctx ac = { id, seq, out };

	return store_read(lg->st, at_txn, &ac);
}

/* ---- storing history from elsewhere --------------------------------------- */

/* The encoding below, a part at a time: a 4-byte big-endian length, then
 * its bytes. */
static unsigned char *put_be32(unsigned char *p, size_t n)
{
	p[0] = (unsigned char)(n >> 24);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
	return p + 4;
}

static unsigned char *put_part(unsigned char *p, const char *s, size_t n)
{
	p = put_be32(p, n);
	memcpy(p, s, n);
	return p + n;
}

static size_t part_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/* "KH1", seq, when, who, action, form, township, the number of changes and
 * each one's field, before and after, into one buffer of the size it
 * takes (every change of a bundle's history at the city passes here). */
static unsigned char *encode_history(const struct ledger_log_entry *e,
                                     unsigned char *stack, size_t stack_size,
                                     size_t *len)
{
	const char *part[4] = { e->who, e->action, e->form, e->township };
	size_t plen[4], need = 3 + 8 + 8 + 4 * 4 + 4, i;
	unsigned char *buf, *p;

	for (i = 0; i < 4; i++)
		need += plen[i] = part_len(part[i]);
	for (i = 0; i < e->nchanges; i++)
		need += 12 + part_len(e->changes[i].field) +
		        part_len(e->changes[i].before) + part_len(e->changes[i].after);
	buf = need <= stack_size ? stack : malloc(need);
	if (!buf)
		return NULL;
	memcpy(buf, HIST_MAGIC, 3);
	store_be64(e->seq, buf + 3);
	store_be64((uint64_t)e->when, buf + 11);
	p = buf + 19;
	for (i = 0; i < 4; i++)
		p = put_part(p, part[i] ? part[i] : "", plen[i]);
	p = put_be32(p, e->nchanges);
	for (i = 0; i < e->nchanges; i++) {
		const struct ledger_log_change *c = &e->changes[i];

		p = put_part(p, c->field ? c->field : "", part_len(c->field));
		p = put_part(p, c->before ? c->before : "", part_len(c->before));
		p = put_part(p, c->after ? c->after : "", part_len(c->after));
	}
	*len = (size_t)(p - buf);
	return buf;
}

int ledger_history_put(struct store_txn *t, const struct ledger_log_entry *e)
{
	char key[RECORD_ID_LEN + 6 + RECORD_NAME_MAX];
	unsigned char stack[2048], *buf;
	const void *v;
	size_t idn = strlen(e->id), on = strlen(e->origin), kn, vn, len;
	int rc;

	if (idn > RECORD_ID_LEN || on >= RECORD_NAME_MAX)
		return kp_err_set(KP_E_DATA, "%s", L("历史记录无效", "invalid history entry"));
	memcpy(key, e->id, idn);
	key[idn] = '\0';
	key[idn + 1] = (char)(e->rev >> 24);
	key[idn + 2] = (char)(e->rev >> 16);
	key[idn + 3] = (char)(e->rev >> 8);
	key[idn + 4] = (char)e->rev;
	memcpy(key + idn + 5, e->origin, on);
	kn = idn + 5 + on;
	if (!(buf = encode_history(e, stack, sizeof stack, &len)))
		return kp_err_nomem();
	/* The same entry again (an overlapping bundle): nothing to write. */
	if (store_get(t, DB_HISTORY, key, kn, &v, &vn) == KP_OK &&
	    vn == len && memcmp(v, buf, vn) == 0)
		rc = KP_OK;
	else
		rc = store_put(t, DB_HISTORY, key, kn, buf, len);
	if (buf != stack)
		free(buf);
	return rc;
}
