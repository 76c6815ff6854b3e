/* ledger_batch.c - adding many new records in one write transaction, all
 * or nothing, in memory that does not grow with their number:
 * ledger_add_rows over a source of rows, and ledger_add_many over it for
 * records already held in an array.
 *
 * Rows come one at a time from the source and are checked inside the write
 * transaction (rules, then the database checks); each is stored at once
 * while no row has had an error, and its findings go to the caller at once.
 * Until the end, DB_TOTALS holds what it held before the batch, which is
 * what every row's checks must see: each row's impact is measured against
 * the database before the batch.  The batch's own totals wait in a table
 * of one entry per (year, township, indicator), read and written once per
 * key at the end.
 *
 * The rows' ids are made at once (record_new_ids): row i has the id i
 * places after the first, so ids sort in the order of the rows (DB_RECORDS
 * takes them at its end, store_put_last) and an id met in DB_DUPKEY says
 * which row of the batch it is.  The date and duplicate index entries wait
 * in a chunk of bounded size and are written in key order when it is full,
 * which fills LMDB's pages better than one at a time; a row's likely
 * duplicate among the earlier rows is found in DB_DUPKEY (rows of chunks
 * written, ledger_check_db) or in the chunk (a hash of its duplicate keys).
 * After a row with an error nothing more is stored (the transaction will be
 * rolled back), but every row's duplicate key still goes in: it counts as
 * an earlier row for the rows after it.
 *
 * The rows of a file (the SHA-256 of what they are, given) are remembered
 * in DB_META with the batch, so that the same rows added again by
 * mistake, which would repeat every record, are refused unless asked for,
 * while any record of that load is still stored.
 *
 * Uses ledger_write.c (storing a revision, stamping a new record),
 * ledger_check.c, ledger_totals.c and ledger_key.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "stop.h"
#include "text.h"

/* Index entries a chunk holds before it is written. */
#define CHUNK_MAX 65536
/* Ids reserved for one batch: more rows than any file holds. */
#define BATCH_IDS ((size_t)0xFFFFFFFFu)
/* What the database grows by per byte of a CSV file added (about 600
 * bytes per training record of 125 bytes: its revision, keys, indexes and
 * audit entry), for sizing the map before the work starts. */
#define BATCH_GROWTH 5

static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* ---- index entries, in chunks ----------------------------------------------- */

struct entry {
	size_t off, kn;         /* key in keys */
	size_t sn;              /* a dup key's township, after it in keys */
	size_t row;
	bool dup;               /* DB_DUPKEY (value: the row's id), else DB_BY_DATE */
};

#define CHUNK_SLOTS (2 * CHUNK_MAX)   /* a power of two */

struct chunk {
	struct sbuf keys;
	struct entry *e;
	size_t ne, cap;
	size_t *slot;           /* CHUNK_SLOTS: 1 + the entry of a dup key, 0 */
};

static void chunk_reset(struct chunk *c)
{
	sbuf_reset(&c->keys);
	c->ne = 0;
	if (c->slot)
		memset(c->slot, 0, CHUNK_SLOTS * sizeof *c->slot);
}

static void chunk_free(struct chunk *c)
{
	sbuf_free(&c->keys);
	free(c->e);
	free(c->slot);
	memset(c, 0, sizeof *c);
}

/* A row's duplicate key in the chunk is its key and its township: at the
 * city, rows of two townships are not each other's duplicates. */
static bool same_key(const struct chunk *c, const struct entry *e,
                     const char *key, size_t kn, const char *town, size_t sn)
{
	return e->kn == kn && e->sn == sn &&
	       memcmp(c->keys.s + e->off, key, kn) == 0 &&
	       memcmp(c->keys.s + e->off + kn, town, sn) == 0;
}

static size_t dup_slot(const char *key, size_t kn, const char *town,
                       size_t sn)
{
	return (size_t)(hash_key(key, kn) ^ hash_key(town, sn) * 31) &
	       (CHUNK_SLOTS - 1);
}

/* The earliest row of the chunk with this duplicate key and township. */
static bool chunk_find(const struct chunk *c, const char *key, size_t kn,
                       const char *town, size_t *row)
{
	size_t sn = strlen(town), s = dup_slot(key, kn, town, sn);

	if (!c->slot)
		return false;
	for (; c->slot[s]; s = (s + 1) & (CHUNK_SLOTS - 1))
		if (same_key(c, &c->e[c->slot[s] - 1], key, kn, town, sn)) {
			*row = c->e[c->slot[s] - 1].row;
			return true;
		}
	return false;
}

/* An index entry: a date key (town NULL), or a duplicate key and the
 * row's township. */
static int chunk_add(struct chunk *c, const char *key, size_t kn, size_t row,
                     const char *town)
{
	struct entry *e;
	size_t s, sn = town ? strlen(town) : 0;
	int rc;

	if (town && !c->slot && !(c->slot = calloc(CHUNK_SLOTS, sizeof *c->slot)))
		return kp_err_nomem();
	if ((rc = array_grow(&c->e, sizeof *c->e, &c->cap, c->ne)) != KP_OK ||
	    (rc = sbuf_add(&c->keys, key, kn)) != KP_OK ||
	    (sn && (rc = sbuf_add(&c->keys, town, sn)) != KP_OK))
		return rc;
	e = &c->e[c->ne++];
	e->off = c->keys.len - kn - sn;
	e->kn = kn;
	e->sn = sn;
	e->row = row;
	e->dup = town != NULL;
	if (!town)
		return KP_OK;
	/* Rows come in order: a key already there keeps its earlier row. */
	for (s = dup_slot(key, kn, town, sn); c->slot[s];
	     s = (s + 1) & (CHUNK_SLOTS - 1))
		if (same_key(c, &c->e[c->slot[s] - 1], key, kn, town, sn))
			return KP_OK;
	c->slot[s] = c->ne;
	return KP_OK;
}

/* Index entries in the order LMDB keeps them: by key (then row, which is
 * the order of the ids a duplicate key holds); date entries first. */
static _Thread_local const struct chunk *sort_chunk;

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	const char *keys = sort_chunk->keys.s;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c;

	if (x->dup != y->dup)
		return x->dup ? 1 : -1;
	c = memcmp(keys + x->off, keys + y->off, n);
	if (c)
		return c;
	if (x->kn != y->kn)
		return x->kn < y->kn ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Write the chunk's entries in key order and empty it. */
static int chunk_flush(struct store_txn *t, struct chunk *c, const char *first)
{
	char id[RECORD_ID_LEN + 1];
	const struct entry *e;
	size_t i;
	int rc = KP_OK;

	if (c->ne > 1) {
		sort_chunk = c;
		qsort(c->e, c->ne, sizeof *c->e, entry_cmp);
		sort_chunk = NULL;
	}
	for (i = 0; i < c->ne && !rc; i++) {
		e = &c->e[i];
		if (e->dup) {
			record_id_add(first, e->row, id);
			rc = store_put(t, DB_DUPKEY, c->keys.s + e->off, e->kn, id,
			               RECORD_ID_LEN);
		} else {
			rc = store_put(t, DB_BY_DATE, c->keys.s + e->off, e->kn, "", 0);
		}
	}
	chunk_reset(c);
	return rc;
}

/* ---- totals, one entry per key ------------------------------------------------ */

struct tot {
	char key[LEDGER_KEY_MAX];
	size_t kn;
	struct ledger_total tot;
};

struct totals {
	struct tot *v;
	size_t n, cap;
	size_t *slot;           /* nslot: 1 + the entry, 0 */
	size_t nslot;
};

static void totals_reset(struct totals *tt)
{
	tt->n = 0;
	if (tt->slot)
		memset(tt->slot, 0, tt->nslot * sizeof *tt->slot);
}

static void totals_free(struct totals *tt)
{
	free(tt->v);
	free(tt->slot);
	memset(tt, 0, sizeof *tt);
}

static size_t *totals_slot(struct totals *tt, const char *key, size_t kn)
{
	size_t s = (size_t)hash_key(key, kn) & (tt->nslot - 1);

	for (; tt->slot[s]; s = (s + 1) & (tt->nslot - 1)) {
		const struct tot *e = &tt->v[tt->slot[s] - 1];

		if (e->kn == kn && memcmp(e->key, key, kn) == 0)
			break;
	}
	return &tt->slot[s];
}

/* Room for one more key at most half the slots full. */
static int totals_room(struct totals *tt)
{
	size_t *old = tt->slot, nold = tt->nslot, i;

	if (array_grow(&tt->v, sizeof *tt->v, &tt->cap, tt->n) != KP_OK)
		return KP_E_NOMEM;
	if (2 * (tt->n + 1) <= tt->nslot)
		return KP_OK;
	tt->nslot = nold ? 2 * nold : 64;
	if (!(tt->slot = calloc(tt->nslot, sizeof *tt->slot))) {
		tt->slot = old;
		tt->nslot = nold;
		return kp_err_nomem();
	}
	free(old);
	for (i = 0; i < tt->n; i++)
		*totals_slot(tt, tt->v[i].key, tt->v[i].kn) = i + 1;
	return KP_OK;
}

/* The batch's running total under key, read from the database the first
 * time the batch meets the key. */
static int totals_get(struct store_txn *t, struct totals *tt, const char *key,
                      size_t kn, struct ledger_total **out)
{
	size_t *slot;
	struct tot *e;
	int rc;

	if ((rc = totals_room(tt)) != KP_OK)
		return rc;
	slot = totals_slot(tt, key, kn);
	if (*slot) {
		*out = &tt->v[*slot - 1].tot;
		return KP_OK;
	}
	e = &tt->v[tt->n];
	memcpy(e->key, key, kn);
	e->kn = kn;
	if ((rc = ledger_total_in(t, key, kn, &e->tot)))
		return rc;
	*slot = ++tt->n;
	*out = &e->tot;
	return KP_OK;
}

static int tot_cmp(const void *a, const void *b)
{
	const struct tot *x = a, *y = b;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c = memcmp(x->key, y->key, n);

	return c ? c : (x->kn > y->kn) - (x->kn < y->kn);
}

static int totals_write(struct store_txn *t, struct totals *tt)
{
	size_t i;
	int rc = KP_OK;

	if (tt->n > 1)
		qsort(tt->v, tt->n, sizeof *tt->v, tot_cmp);
	for (i = 0; i < tt->n && !rc; i++)
		rc = store_put(t, DB_TOTALS, tt->v[i].key, tt->v[i].kn,
		               &tt->v[i].tot, sizeof tt->v[i].tot);
	return rc;
}

/* ---- rows one at a time ------------------------------------------------------- */

struct rows_ctx {
	struct ledger *lg;
	const struct ledger_batch *b;
	struct check_result *total;
	int64_t now;
	char first[RECORD_ID_LEN + 1];  /* row i: record_id_add(first, i) */
	struct store_txn *t;
	size_t n;                   /* rows pushed in this run */
	size_t reported;            /* findings of rows below went out */
	size_t bad;                 /* rows with errors */
	struct chunk ch;
	struct totals tt;
	struct sbuf enc;            /* reused for every revision */
	struct record scratch;
	struct check_result res;
	struct ledger_yard yard[LEDGER_YARD_MAX];
	size_t nyard;
	size_t stored_dups;         /* rows likely to repeat a stored record */
	char first_dup[RECORD_ID_LEN + 1];  /* the record the first repeats */
};

/* Impacts added up per (indicator, year), as the progress before the
 * first row plus every row's change. */
static int sum_impacts(struct check_result *total,
                       const struct check_result *res)
{
	struct impact *agg;
	size_t i, k;

	for (i = 0; i < res->nimpacts; i++) {
		const struct impact *im = &res->impacts[i];

		for (k = 0; k < total->nimpacts; k++)
			if (total->impacts[k].ind == im->ind
			    && total->impacts[k].year == im->year)
				break;
		if (k == total->nimpacts) {
			struct impact before = *im;
			int rc;

			before.achieved = im->achieved - im->delta;
			before.delta = 0;
			if ((rc = ledger_add_impact(total, &before)))
				return rc;
		}
		agg = &total->impacts[k];
		agg->delta += im->delta;
		agg->achieved += im->delta;
		agg->target = im->target;
		agg->has_target = im->has_target;
	}
	return KP_OK;
}

static int add_totals(struct rows_ctx *rx, const struct record *r,
                      const struct contribution *c, size_t n)
{
	struct ledger_total *tot;
	char key[LEDGER_KEY_MAX];
	size_t i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		kn = ledger_key_contrib(key, r->township, &c[i]);
		if ((rc = totals_get(rx->t, &rx->tt, key, kn, &tot)))
			return rc;
		ledger_total_add(tot, c[i].amount);
	}
	return KP_OK;
}

/* Store new record rec (stamped) as row `row` of the batch: its revision
 * now, its date entry in the chunk, its contributions (c) in the totals. */
static int store_row(struct rows_ctx *rx, const struct record *rec, size_t row,
                     const struct contribution *c, size_t nc)
{
	char key[LEDGER_KEY_MAX];
	int rc;

	rc = ledger_put_new_revision(rx->t, rx->lg, rec, "add", &rx->enc);
	if (!rc)
		rc = chunk_add(&rx->ch, key, ledger_date_key(rx->lg, rec, key), row,
		               NULL);
	return rc ? rc : add_totals(rx, rec, c, nc);
}

/* Check the row and, while no row had an error, store it. */
/* A row whose date and title are those of a record stored before the
 * batch (a likely duplicate naming it) is counted: a file of which every
 * row is one was most likely added before, by a copy that the digest of
 * its rows cannot tell (a part of it, other rows around the same ones). */
static const struct finding *stored_dup(const struct check_result *res)
{
	size_t k;

	for (k = 0; k < res->nfindings; k++)
		if (res->findings[k].kind == FK_DUPLICATE && res->findings[k].ref[0])
			return &res->findings[k];
	return NULL;
}

static void note_stored_dup(struct rows_ctx *rx)
{
	const struct finding *f = stored_dup(&rx->res);

	if (f && rx->stored_dups++ == 0)
		memcpy(rx->first_dup, f->ref, sizeof rx->first_dup);
}

static int refuse_stored_dups(struct rows_ctx *rx)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];
	int rc = ledger_load_in(rx->t, rx->first_dup, &rx->scratch);

	if (rc != KP_OK)
		return rc;
	ledger_dup_said(rx->lg, &rx->scratch, rx->first_dup, zh, en, sizeof zh);
	if (rx->b->loaded)
		*rx->b->loaded = true;
	return kp_err_set(KP_E_DATA, LF(rx->n == 1
	                  ? "唯一的一行与已保存的记录同日同名，很可能已经录入过（%s）；"
	                    "一条也未保存"
	                  : "每一行都与已保存的记录同日同名，很可能已经录入过（第 1 行：%s）；"
	                    "一条也未保存",
	                  rx->n == 1
	                  ? "its one row has the date and title of a record already "
	                    "stored, so it was most likely added before (%s); nothing stored"
	                  : "every row has the date and title of a record already stored, "
	                    "so they were most likely added before (row 1: %s); nothing stored"),
	                  L(zh, en));
}

static int rows_push(void *pctx, struct record *rec)
{
	struct rows_ctx *rx = pctx;
	struct contribution c[QUOTA_MAX_CONTRIB];
	struct ledger_batch_rows br = { rx->first, rx->n, false, 0, c, 0,
	                                rx->yard, &rx->nyard };
	char key[LEDGER_KEY_MAX], id[RECORD_ID_LEN + 1];
	size_t i = rx->n, kn, row;
	int st;

	if ((st = stop_point()) != KP_OK)
		return st;
	rec->id[0] = 0;
	rec->deleted = false;
	check_result_free(&rx->res);
	st = ledger_check_rules(rx->lg, rec, &rx->res);
	if (!st && schema_form(rx->lg->schema, rec->form)) {
		br.ncontrib = quota_contributions(rx->lg->schema, rec, c);
		st = ledger_check_db(rx->t, rx->lg, rec, &rx->res, &rx->scratch, &br);
	}
	if (!st)
		st = sum_impacts(rx->total, &rx->res);
	if (st)
		return st;
	/* An earlier row in DB_DUPKEY is earlier than any in the chunk. */
	kn = ledger_dup_key(rx->lg, rec, key);
	if (kn && !br.dup && chunk_find(&rx->ch, key, kn, rec->township, &row)) {
		br.dup = true;
		br.dup_row = row;
	}
	if (br.dup && (st = ledger_warn_batch_dup(&rx->res, br.dup_row,
	                   rx->b->row_line ? rx->b->row_line(rx->b->sctx, br.dup_row)
	                                   : 0)))
		return st;
	note_stored_dup(rx);
	if (check_has_errors(&rx->res))
		rx->bad++;
	if (!rx->bad) {
		record_id_add(rx->first, i, id);
		ledger_stamp_new(rx->lg, rec, rx->now, id);
		st = store_row(rx, rec, i, c, br.ncontrib);
	}
	if (!st && kn)
		st = chunk_add(&rx->ch, key, kn, i, rec->township);
	rx->n++;
	if (!st && rx->res.nfindings && i >= rx->reported && rx->b->found) {
		st = rx->b->found(rx->b->fctx, i, &rx->res);
		rx->reported = i + 1;
	}
	if (!st && rx->ch.ne >= CHUNK_MAX)
		st = chunk_flush(rx->t, &rx->ch, rx->first);
	return st;
}

/* ---- a file stored before ---------------------------------------------------- */

/* DB_META "loaded:<SHA-256 of the rows>": a line for each load of those
 * rows still stored, earliest first (a second one only with again),
 * "<time>\t<rows>\t<first id>\t<account>\t<file name>" (databases of
 * before kept one line, without the name).  A load whose records have all
 * been deleted since is dropped from it. */
#define LOADED_PREFIX "loaded:"
#define LOADED_KEY (sizeof LOADED_PREFIX - 1 + 2 * crypto_hash_sha256_BYTES)
#define LOAD_FIELDS 5
#define LOAD_NAME_MAX 256

static void loaded_key(const unsigned char *digest, char key[LOADED_KEY + 1])
{
	memcpy(key, LOADED_PREFIX, sizeof LOADED_PREFIX - 1);
	sodium_bin2hex(key + sizeof LOADED_PREFIX - 1, 2 * crypto_hash_sha256_BYTES
	               + 1, digest, crypto_hash_sha256_BYTES);
}

struct live_ctx {
	struct store_txn *t;
	const char *first;
	uint64_t n;                 /* the load's ids: first and the n - 1 after */
	struct record *scratch;
	uint64_t live;              /* records of it not deleted */
};

static int live_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct live_ctx *lc = ctx;
	char id[RECORD_ID_LEN + 1];
	uint64_t i;
	int rc;

	if (kn != RECORD_ID_LEN)
		return KP_NOTFOUND;
	memcpy(id, k, kn);
	id[kn] = '\0';
	if (!record_id_offset(lc->first, id, lc->n, &i))
		return KP_NOTFOUND;   /* past the load's ids */
	if ((rc = ledger_record_bytes(lc->t, v, vn, &v, &vn)) != KP_OK)
		return rc;
	record_free(lc->scratch);
	if ((rc = record_decode(v, vn, lc->scratch)) != KP_OK)
		return kp_err_wrap(rc, "%s", id);
	lc->live += !lc->scratch->deleted;
	return KP_OK;
}

/* How many records a load stored (n ids from first) are still there, not
 * deleted, into *live: the rows of a load deleted since may be added
 * again.  Read only when the same rows come again. */
static int load_still_stored(struct rows_ctx *rx, const char *first,
                             const char *rows, uint64_t *live)
{
	struct live_ctx lc = { rx->t, first, 0, &rx->scratch, 0 };
	char *end;
	int rc;

	*live = 1;      /* a damaged entry: refuse as before */
	if (!first || !rows || !record_id_valid(first))
		return KP_OK;
	lc.n = strtoull(rows, &end, 10);
	if (*end || lc.n == 0)
		return KP_OK;
	rc = store_iter(rx->t, DB_RECORDS, first, RECORD_ID_LEN, false,
	                live_fn, &lc);
	*live = lc.live;
	return rc;
}

/* A load's line: its fields into f (missing ones NULL). */
static void split_load(char *line, char *f[LOAD_FIELDS])
{
	size_t i;

	for (i = 0; i < LOAD_FIELDS; i++) {
		f[i] = line;
		if (line && (line = strchr(line, '\t')) != NULL)
			*line++ = '\0';
	}
}

/* live: how many of the load's records are still stored (said when
 * fewer than its rows: some were deleted). */
static int refuse_load(char *line, uint64_t live)
{
	char when[32] = "?", left[96] = "", *f[LOAD_FIELDS];
	time_t at;
	struct tm tm;
	bool one;

	split_load(line, f);
	at = f[0] ? (time_t)strtoll(f[0], NULL, 10) : 0;
	if (at && localtime_r(&at, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	one = f[1] && strcmp(f[1], "1") == 0;
	if (f[1] && live < strtoull(f[1], NULL, 10))
		snprintf(left, sizeof left, LF("；其中 %llu 条仍在台账中",
		         "; %llu of them still stored"), (unsigned long long)live);
	return kp_err_set(KP_E_DATA, LF("这个文件已于 %s 由 %s 导入过（%s%s%s 行%s，编号从 %s 起%s），"
	                  "再导入一次会重复这些记录；一条也未保存",
	                  "this file was added on %s by %s (%s%s%s %s, ids from %s%s); "
	                  "adding it again would repeat its records: nothing stored"),
	                  when, f[3] ? f[3] : "?", f[4] && *f[4] ? f[4] : "",
	                  f[4] && *f[4] ? L("，", ", ") : "", f[1] ? f[1] : "?",
	                  lang_get() != KP_LANG_EN ? "" : one ? "row" : "rows",
	                  f[2] ? f[2] : "?", left);
}

/* The loads of key (the same rows) still stored go into keep, as lines;
 * one of them refuses these rows unless again, naming the earliest. */
static int refuse_loaded(struct rows_ctx *rx, const char *key,
                         struct sbuf *keep)
{
	char *val, *line, *next, *f[LOAD_FIELDS], *copy;
	const void *v;
	size_t vn;
	uint64_t live;
	int rc = store_get(rx->t, DB_META, key, LOADED_KEY, &v, &vn);

	if (rc)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	if (!(val = malloc(vn + 1)))
		return kp_err_nomem();
	memcpy(val, v, vn);
	val[vn] = '\0';
	for (line = val; line && !rc; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!*line)
			continue;
		if (!(copy = strdup(line))) {
			rc = kp_err_nomem();
			break;
		}
		split_load(copy, f);
		rc = load_still_stored(rx, f[2], f[1], &live);
		free(copy);
		if (rc || !live)
			continue;
		if (!rx->b->again) {
			if (rx->b->loaded)
				*rx->b->loaded = true;
			rc = refuse_load(line, live);
			break;
		}
		if ((keep->len && (rc = sbuf_addc(keep, '\n')) != KP_OK) ||
		    (rc = sbuf_adds(keep, line)) != KP_OK)
			break;
	}
	free(val);
	return rc;
}

/* The same rows under the key an earlier kepu gave them. */
static int refuse_older(struct rows_ctx *rx)
{
	char key[LOADED_KEY + 1];
	struct sbuf none = { NULL, 0, 0 };
	int rc;

	loaded_key(rx->b->digest_seq, key);
	rc = refuse_loaded(rx, key, &none);
	sbuf_free(&none);
	return rc;
}

/* The file's name without its folders, and nothing in it that would end a
 * field or a line of the entry. */
static void load_name(const char *name, char *out, size_t size)
{
	const char *base = name ? strrchr(name, '/') : NULL;
	size_t i;

	snprintf(out, size, "%s", base ? base + 1 : name ? name : "");
	for (i = 0; out[i]; i++)
		if (out[i] == '\t' || out[i] == '\n' || out[i] == '\r')
			out[i] = ' ';
}

/* The entry: the loads kept (still stored) and this one. */
static int note_loaded(struct rows_ctx *rx, const char *key, struct sbuf *keep)
{
	char name[LOAD_NAME_MAX];
	int rc;

	load_name(rx->b->name, name, sizeof name);
	if ((keep->len && (rc = sbuf_addc(keep, '\n')) != KP_OK) ||
	    (rc = sbuf_printf(keep, "%lld\t%zu\t%s\t%s\t%s", (long long)rx->now,
	                      rx->n, rx->first, record_current_user(), name)))
		return rc;
	return store_put(rx->t, DB_META, key, LOADED_KEY, keep->s, keep->len);
}

static int rows_txn(struct store_txn *t, void *ctx)
{
	struct rows_ctx *rx = ctx;
	char key[LOADED_KEY + 1] = "";
	struct sbuf keep = { NULL, 0, 0 };
	int st;

	rx->t = t;
	rx->n = rx->bad = 0;
	rx->nyard = 0;          /* a transaction run again may see other totals */
	rx->stored_dups = 0;
	if (stop_requested())   /* before the work began: said as a stop */
		return stop_point();
	chunk_reset(&rx->ch);
	totals_reset(&rx->tt);
	free(rx->total->impacts);
	rx->total->impacts = NULL;
	rx->total->nimpacts = 0;
	st = rx->b->source(rx->b->sctx, rows_push, rx);
	if (!st && rx->bad)
		st = ledger_refuse();
	/* The last before the commit: after every row is read and checked. */
	if (!st)
		st = stop_point();
	if (!st && rx->b->digest) {   /* filled in by the source by now */
		loaded_key(rx->b->digest, key);
		st = refuse_loaded(rx, key, &keep);
	}
	if (!st && rx->b->digest && rx->b->digest_seq && !rx->b->again)
		st = refuse_older(rx);
	if (!st && rx->b->digest && !rx->b->again && rx->n > 0 &&
	    rx->stored_dups == rx->n)
		st = refuse_stored_dups(rx);
	if (!st)
		st = chunk_flush(t, &rx->ch, rx->first);
	if (!st)
		st = totals_write(t, &rx->tt);
	if (!st && rx->b->digest && rx->n > 0)
		st = note_loaded(rx, key, &keep);
	sbuf_free(&keep);
	return st;
}

int ledger_add_rows(struct ledger *lg, const struct ledger_batch *b,
                    struct check_result *total,
                    char first_id[RECORD_ID_LEN + 1], size_t *nrows)
{
	struct rows_ctx rx;
	uint64_t grow = b->bytes ? b->bytes * BATCH_GROWTH : 0;
	int st;

	memset(&rx, 0, sizeof rx);
	rx.lg = lg;
	rx.b = b;
	rx.total = total;
	rx.now = (int64_t)time(NULL);
	record_new_ids(BATCH_IDS, rx.first);
	record_init(&rx.scratch);
	check_result_init(&rx.res);
	st = store_write_bulk(lg->st, grow, rows_txn, &rx);
	if (nrows)
		*nrows = rx.n;
	if (first_id)
		memcpy(first_id, st == KP_OK ? rx.first : "", st == KP_OK ?
		       sizeof rx.first : 1);
	if (st != KP_OK) {
		free(total->impacts);
		total->impacts = NULL;
		total->nimpacts = 0;
	}
	check_result_free(&rx.res);
	record_free(&rx.scratch);
	sbuf_free(&rx.enc);
	chunk_free(&rx.ch);
	totals_free(&rx.tt);
	return st;
}
