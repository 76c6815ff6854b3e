/* bundle_history.c - history.csv: the changes behind a bundle's rows.
 *
 * A form file holds each record at its newest revision; history.csv holds
 * every change the sender made in the bundle's range of changes (the
 * rows of `kepu log --csv` for it, oldest first), so that the receiver
 * can show who at the township changed what and when, not only that a
 * bundle brought a revision.  A city bundle passes on the townships'
 * changes it took in, with its own merges.  The receiver keeps the rows
 * of the records it took (ledger_history_put) in the merge's transaction.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "array.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "text.h"

static const char *const hist_head[] = {
	"origin", "seq", "changed_at", "changed_by", "action", "id", "township",
	"form", "rev", "field", "before", "after",
};
#define HIST_COLS (sizeof hist_head / sizeof hist_head[0])
enum { H_ORIGIN, H_SEQ, H_AT, H_BY, H_ACTION, H_ID, H_TOWNSHIP, H_FORM,
       H_REV, H_FIELD, H_BEFORE, H_AFTER };

/* ---- writing ---------------------------------------------------------------- */

struct hout {
	struct csvw w;
	size_t rows;
};

static int hist_entry(void *ctx, const struct ledger_log_entry *e)
{
	struct hout *h = ctx;

	h->rows += e->nchanges ? e->nchanges : 1;
	return ledger_log_csv_entry(&h->w, e);
}

int bundle_history_write(struct ledger *lg, struct bdir *d, unsigned flags,
                         uint64_t from, uint64_t to, struct kvlist *m)
{
	struct ledger_log_query q = { .oldest_first = true, .after_seq = from,
	                              .upto_seq = to };
	struct hout h = { .rows = 0 };
	struct bfile bf;
	int rc;

	if ((rc = bfile_open(d, BUNDLE_HISTORY, &bf)) != KP_OK)
		return rc;
	csvw_begin(&h.w, bf.f, flags);
	ledger_log_csv_head(&h.w);
	/* An empty bundle has no changes: to == from. */
	rc = to > from ? ledger_log(lg, &q, hist_entry, &h) : KP_OK;
	if (rc == KP_OK)
		rc = csvw_finish(&h.w);
	if (rc != KP_OK) {
		bfile_discard(&bf);
		return rc == KP_E_IO ? kp_err_set(KP_E_IO, LF("无法写入 %s/%s：%s",
		                       "cannot write %s/%s: %s"), d->out_dir,
		                       BUNDLE_HISTORY, strerror(bf.err ? bf.err : EIO))
		                     : rc;
	}
	if ((rc = bfile_close(d, &bf)) != KP_OK)
		return rc;
	return kvl_addf(m, "history", "%zu", h.rows);
}

/* ---- checking --------------------------------------------------------------- */

struct hin {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	bool header;
	size_t rows;
};

static bool plain(const char *s)
{
	return *s && strlen(s) < RECORD_NAME_MAX && text_check_storable(s) == KP_OK &&
	       !strpbrk(s, "\t\r\n");
}

static bool field_ok(const char *s)
{
	if (!*s)
		return true;
	if (*s == '#')
		s++;
	return strlen(s) < RECORD_NAME_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                                             "0123456789_") == strlen(s) && *s;
}

static bool num_ok(const char *s, bool zero_ok)
{
	char *end;
	unsigned long long v;

	if (!*s)
		return zero_ok;
	v = strtoull(s, &end, 10);
	return !*end && *s != '-' && *s != '+' && (v > 0 || zero_ok);
}

#define BAD(col, zh, en) bundle_problem(h->s, "%s:%zu: %s: %s", BUNDLE_HISTORY, \
                                        line, col, LF(zh, en))

static int hist_row(void *ctx, size_t line, size_t nf, char **f,
                    const size_t *lens)
{
	struct hin *h = ctx;
	const char *who = h->b->who;
	int64_t when;
	long k;
	size_t i;

	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!h->header) {
		h->header = true;
		for (i = 0; i < HIST_COLS; i++)
			if (nf != HIST_COLS || strcmp(f[i], hist_head[i]) != 0)
				return bundle_problem(h->s, LF("%s:%zu：表头应为 origin,seq,"
				                      "changed_at,changed_by,action,id,township,"
				                      "form,rev,field,before,after",
				                      "%s:%zu: the header must be origin,seq,"
				                      "changed_at,changed_by,action,id,township,"
				                      "form,rev,field,before,after"),
				                      BUNDLE_HISTORY, line);
		return KP_OK;
	}
	h->rows++;
	if (nf != HIST_COLS)
		return bundle_problem(h->s, LF("%s:%zu：有 %zu 列，表头有 %zu 列",
		                      "%s:%zu: %zu columns, the header has %zu"),
		                      BUNDLE_HISTORY, line, nf, HIST_COLS);
	if (!plain(f[H_ORIGIN]))
		return BAD("origin", "来源无效", "invalid origin");
	if (!num_ok(f[H_SEQ], false))
		return BAD("seq", "应为正整数", "must be a positive integer");
	if (bundle_time_parse(f[H_AT], &when) != KP_OK)
		return BAD("changed_at", "时间格式应为 YYYY-MM-DDTHH:MM:SSZ",
		           "time must be YYYY-MM-DDTHH:MM:SSZ");
	if (!plain(f[H_BY]) || !plain(f[H_ACTION]))
		return BAD("changed_by", "账号或动作无效", "invalid account or action");
	if (!record_id_valid(f[H_ID]) || (k = bundle_find_id(h->b, f[H_ID])) < 0)
		return BAD("id", "数据包中没有这条记录", "no record of the bundle");
	if (!num_ok(f[H_REV], false) ||
	    strtoull(f[H_REV], NULL, 10) > h->b->recs[h->b->byid[k]].rev)
		return BAD("rev", "应为正整数，且不大于数据包中该记录的版本",
		           "must be a positive integer, at most the record's "
		           "revision in the bundle");
	if (!plain(f[H_TOWNSHIP]) ||
	    (strcmp(who, LEDGER_CITY) != 0 && strcmp(f[H_TOWNSHIP], who) != 0))
		return BAD("township", "不是发包镇街的记录",
		           "not a record of the bundle's township");
	if (!plain(f[H_FORM]) || !field_ok(f[H_FIELD]))
		return BAD("field", "表单或字段名无效", "invalid form or field name");
	if (text_check_storable(f[H_BEFORE]) != KP_OK ||
	    text_check_storable(f[H_AFTER]) != KP_OK)
		return BAD("before", "含有不能保存的控制字符",
		           "holds control characters that cannot be stored");
	return KP_OK;
}

#undef BAD

int bundle_history_read(struct ledger *lg, struct bundle_summary *s,
                        struct bload *b, char **buf, size_t len)
{
	struct hin h = { lg, s, b, false, 0 };
	const char *want = kvl_get(&b->mf, "history");
	int rc;

	rc = csvio_read_mem_as(BUNDLE_HISTORY, bundle_encoding(b), *buf, len,
	                       hist_row, &h);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc)
		return rc;
	if (!h.header)
		return bundle_problem(s, LF("%s：文件是空的", "%s: the file is empty"),
		                      BUNDLE_HISTORY);
	if (!want || strtoull(want, NULL, 10) != h.rows)
		return bundle_problem(s, LF("%s 有 %zu 行，清单写的是 %s 行",
		                      "%s has %zu rows, the manifest says %s"),
		                      BUNDLE_HISTORY, h.rows, want ? want : "-");
	b->history = *buf;
	b->historyn = len;
	b->nhistory = h.rows;
	s->history = h.rows;
	*buf = NULL;
	return KP_OK;
}

/* ---- with attachments.csv ----------------------------------------------- */

int bundle_evidence_read(struct ledger *lg, struct bundle_summary *s,
                         struct bload *b, const char *att, size_t attlen,
                         char **hist, size_t histlen)
{
	bool want_att = kvl_get(&b->mf, "attachments") != NULL;
	bool want_hist = kvl_get(&b->mf, "history") != NULL;
	int rc;

	if ((rc = bundle_index_ids(b)) != KP_OK)
		return rc;
	if ((want_att && !att) || (want_hist && !(hist && *hist)))
		return bundle_problem(s, LF("缺少文件：%s", "missing file: %s"),
		                      want_att && !att ? BUNDLE_ATTACH_CSV : BUNDLE_HISTORY);
	/* Files listed and no attachments.csv: its rows would have to name
	 * them. */
	if ((att || b->natt) &&
	    (rc = bundle_att_rows(lg, s, b, att, attlen)) != KP_OK)
		return rc;
	if (hist && *hist)
		return bundle_history_read(lg, s, b, hist, histlen);
	return KP_OK;
}

/* ---- keeping ---------------------------------------------------------------- */

/* The change being gathered from consecutive rows of one change. */
struct hstore {
	struct store_txn *t;
	const struct bload *b;
	const enum merge_outcome *out;
	const char *self;
	bool header;
	struct sbuf arena;                 /* its strings, NUL-separated */
	size_t *offs;                      /* 3 per change, into arena */
	size_t nch, cap;
	char cells[H_REV + 1][RECORD_NAME_MAX];  /* origin .. rev of its rows */
	bool open;
};

/* Whether the record's changes are kept: made elsewhere, of a record
 * this import stored or found. */
static bool wanted(const struct hstore *h)
{
	long k = bundle_find_id(h->b, h->cells[H_ID]);
	size_t i;

	if (strcmp(h->cells[H_ORIGIN], h->self) == 0 || k < 0)
		return false;
	for (; (size_t)k < h->b->nrecs &&
	       strcmp(h->b->recs[h->b->byid[k]].id, h->cells[H_ID]) == 0; k++) {
		i = h->b->byid[k];
		if (h->out[i] == MERGE_NEW || h->out[i] == MERGE_UPDATED ||
		    h->out[i] == MERGE_UNCHANGED)
			return true;
	}
	return false;
}

static int flush(struct hstore *h)
{
	struct ledger_log_change *ch;
	struct ledger_log_entry e;
	size_t i;
	int rc;

	if (!h->open)
		return KP_OK;
	h->open = false;
	if (!wanted(h))
		return KP_OK;
	ch = calloc(h->nch ? h->nch : 1, sizeof *ch);
	if (!ch)
		return kp_err_nomem();
	for (i = 0; i < h->nch; i++) {
		ch[i].field = h->arena.s + h->offs[3 * i];
		ch[i].before = h->arena.s + h->offs[3 * i + 1];
		ch[i].after = h->arena.s + h->offs[3 * i + 2];
	}
	memset(&e, 0, sizeof e);
	e.origin = h->cells[H_ORIGIN];
	e.seq = strtoull(h->cells[H_SEQ], NULL, 10);
	bundle_time_parse(h->cells[H_AT], &e.when);
	e.who = h->cells[H_BY];
	e.action = h->cells[H_ACTION];
	e.id = h->cells[H_ID];
	e.township = h->cells[H_TOWNSHIP];
	e.form = h->cells[H_FORM];
	e.rev = (uint32_t)strtoul(h->cells[H_REV], NULL, 10);
	e.changes = ch;
	e.nchanges = h->nch;
	rc = ledger_history_put(h->t, &e);
	free(ch);
	return rc;
}

static int keep_change(struct hstore *h, char **f)
{
	size_t base;
	int rc;

	if (!*f[H_FIELD])
		return KP_OK;
	if (array_grow(&h->offs, sizeof *h->offs, &h->cap, 3 * h->nch + 3) != KP_OK)
		return kp_err_nomem();
	base = 3 * h->nch;
	h->offs[base] = h->arena.len;
	if ((rc = sbuf_add(&h->arena, f[H_FIELD], strlen(f[H_FIELD]) + 1)))
		return rc;
	h->offs[base + 1] = h->arena.len;
	if ((rc = sbuf_add(&h->arena, f[H_BEFORE], strlen(f[H_BEFORE]) + 1)))
		return rc;
	h->offs[base + 2] = h->arena.len;
	if ((rc = sbuf_add(&h->arena, f[H_AFTER], strlen(f[H_AFTER]) + 1)))
		return rc;
	h->nch++;
	return KP_OK;
}

static int store_row(void *ctx, size_t line, size_t nf, char **f,
                     const size_t *lens)
{
	struct hstore *h = ctx;
	size_t i;
	int rc;

	(void)line;
	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!h->header || nf != HIST_COLS) {
		h->header = true;
		return KP_OK;
	}
	if (!h->open || strcmp(h->cells[H_ORIGIN], f[H_ORIGIN]) ||
	    strcmp(h->cells[H_SEQ], f[H_SEQ]) || strcmp(h->cells[H_ID], f[H_ID]) ||
	    strcmp(h->cells[H_REV], f[H_REV])) {
		if ((rc = flush(h)))
			return rc;
		for (i = 0; i <= H_REV; i++)
			snprintf(h->cells[i], sizeof h->cells[i], "%s", f[i]);
		sbuf_reset(&h->arena);
		h->nch = 0;
		h->open = true;
	}
	return keep_change(h, f);
}

int bundle_history_store(struct store_txn *t, struct ledger *lg,
                         const struct bload *b,
                         const enum merge_outcome *outcomes)
{
	struct hstore h;
	int rc;

	if (!b->history)
		return KP_OK;
	memset(&h, 0, sizeof h);
	h.t = t;
	h.b = b;
	h.out = outcomes;
	h.self = lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY : lg->township;
	rc = csvio_read_mem_as(BUNDLE_HISTORY, bundle_encoding(b), b->history,
	                       b->historyn, store_row, &h);
	if (rc == KP_OK)
		rc = flush(&h);
	sbuf_free(&h.arena);
	free(h.offs);
	return rc;
}
