/* bundle_history.c - history.csv: the changes behind a bundle's rows.
 *
 * A form file holds each record at its newest revision; history.csv holds
 * every change the sender made in the bundle's range of changes (the
 * rows of `kepu log --csv` for it, oldest first), so that the receiver
 * can show who at the township changed what and when, not only that a
 * bundle brought a revision.  A city bundle passes on the townships'
 * changes it took in, with its own merges.  The receiver keeps the rows
 * of the records it took (ledger_history_put) in the merge's transaction,
 * as it reads them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "array.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
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
		                       BUNDLE_HISTORY, fs_errno_text(bf.err ? bf.err : EIO))
		                     : rc;
	}
	if ((rc = bfile_close(d, &bf)) != KP_OK)
		return rc;
	return kvl_addf(m, "history", "%zu", h.rows);
}

/* ---- reading ---------------------------------------------------------------- */

/* history.csv is read a row at a time after the form files, each row
 * checked against the index of their rows; the rows of one change
 * (consecutive, with the same origin, seq, id and rev) are gathered and
 * handed to keep when the change is one to keep. */
struct hin {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	bundle_change_fn keep;
	void *ctx;
	const char *self;
	bool header;
	size_t rows;
	/* the change being gathered */
	bool open, wanted;
	char cells[H_REV + 1][RECORD_NAME_MAX];  /* origin .. rev of its rows */
	size_t lens[H_REV + 1];            /* their lengths; SIZE_MAX: cut */
	struct sbuf arena;                 /* its strings, NUL-separated */
	size_t *offs;                      /* 3 per change, into arena */
	size_t nch, cap;
	struct ledger_log_change *ch;
	size_t chcap;
};

static bool plain(const char *s)
{
	return *s && strlen(s) < RECORD_NAME_MAX && text_check_storable(s) == KP_OK &&
	       !strpbrk(s, "\t\r\n");
}

static bool field_ok(const char *s)
{
	size_t n;

	if (!*s)
		return true;
	if (*s == '#')
		s++;
	for (n = 0; (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	            s[n] == '_'; n++)
		;
	return n && !s[n] && n < RECORD_NAME_MAX;
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

/* Hand the change gathered to keep, when it is one to keep. */
static int flush(struct hin *h)
{
	struct ledger_log_entry e;
	size_t i;

	if (!h->open)
		return KP_OK;
	h->open = false;
	if (!h->wanted || !h->keep)
		return KP_OK;
	if (array_grow(&h->ch, sizeof *h->ch, &h->chcap, h->nch) != KP_OK)
		return kp_err_nomem();
	for (i = 0; i < h->nch; i++) {
		h->ch[i].field = h->arena.s + h->offs[3 * i];
		h->ch[i].before = h->arena.s + h->offs[3 * i + 1];
		h->ch[i].after = h->arena.s + h->offs[3 * i + 2];
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
	e.changes = h->ch;
	e.nchanges = h->nch;
	return h->keep(h->ctx, &e);
}

static int keep_change(struct hin *h, char **f)
{
	size_t base;
	int rc;

	if (!h->wanted || !*f[H_FIELD])
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

/* A good row: the start of a new change, or one more field of it. */
static int gather(struct hin *h, char **f, bool wanted)
{
	size_t i;
	int rc;

	if (!h->open || strcmp(h->cells[H_ORIGIN], f[H_ORIGIN]) ||
	    strcmp(h->cells[H_SEQ], f[H_SEQ]) || strcmp(h->cells[H_ID], f[H_ID]) ||
	    strcmp(h->cells[H_REV], f[H_REV])) {
		if ((rc = flush(h)))
			return rc;
		for (i = 0; i <= H_REV; i++) {
			size_t n = strlen(f[i]);

			h->lens[i] = n;
			if (n >= sizeof h->cells[i]) {   /* cut, as snprintf would */
				n = sizeof h->cells[i] - 1;
				h->lens[i] = SIZE_MAX;   /* the same as no cell */
			}
			memcpy(h->cells[i], f[i], n);
			h->cells[i][n] = '\0';
		}
		sbuf_reset(&h->arena);
		h->nch = 0;
		h->open = true;
		/* Made elsewhere, of a record stored or found unchanged. */
		h->wanted = wanted && strcmp(f[H_ORIGIN], h->self) != 0;
	}
	return keep_change(h, f);
}

#define BAD(col, zh, en) bundle_problem(h->s, "%s:%zu: %s: %s", BUNDLE_HISTORY, \
                                        line, col, LF(zh, en))

static bool same_change(const struct hin *h, char **f, const size_t *lens)
{
	size_t i;

	for (i = 0; i <= H_REV; i++)
		if (lens[i] != h->lens[i] || memcmp(h->cells[i], f[i], lens[i]) != 0)
			return false;
	return true;
}

static int hist_row(void *ctx, size_t line, size_t nf, char **f,
                    const size_t *lens)
{
	struct hin *h = ctx;
	const char *who = h->b->who;
	const struct bidx *x;
	bool wanted;
	int64_t when;
	size_t i, ln[H_REV + 1];

	for (i = 0; i < nf; i++) {
		size_t n = lens[i];

		if (f[i][0] == '\'')
			n = strlen(csvio_restore(f[i]));
		if (i <= H_REV)
			ln[i] = n;
	}
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
	/* One more field of the change the rows before began: the cells up
	 * to rev are theirs, checked already. */
	if (h->open && same_change(h, f, ln)) {
		if (!field_ok(f[H_FIELD]))
			return BAD("field", "表单或字段名无效", "invalid form or field name");
		if (text_check_storable(f[H_BEFORE]) != KP_OK ||
		    text_check_storable(f[H_AFTER]) != KP_OK)
			return BAD("before", "含有不能保存的控制字符",
			           "holds control characters that cannot be stored");
		return keep_change(h, f);
	}
	if (!plain(f[H_ORIGIN]))
		return BAD("origin", "来源无效", "invalid origin");
	if (!num_ok(f[H_SEQ], false))
		return BAD("seq", "应为正整数", "must be a positive integer");
	if (bundle_time_parse(f[H_AT], &when) != KP_OK)
		return BAD("changed_at", "时间格式应为 YYYY-MM-DDTHH:MM:SSZ",
		           "time must be YYYY-MM-DDTHH:MM:SSZ");
	if (!plain(f[H_BY]) || !plain(f[H_ACTION]))
		return BAD("changed_by", "账号或动作无效", "invalid account or action");
	if (!record_id_valid(f[H_ID]) ||
	    !(x = bundle_idx_find(h->b, f[H_ID], &wanted)))
		return BAD("id", "数据包中没有这条记录", "no record of the bundle");
	if (!num_ok(f[H_REV], false) || strtoull(f[H_REV], NULL, 10) > x->rev)
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
	return gather(h, f, wanted);
}

#undef BAD

int bundle_history_read(struct ledger *lg, struct bundle_summary *s,
                        struct bload *b, FILE *f, bundle_change_fn keep,
                        void *ctx)
{
	struct hin h;
	const char *want = kvl_get(&b->mf, "history");
	const char *enc = bundle_encoding(b);
	int rc;

	memset(&h, 0, sizeof h);
	h.lg = lg;
	h.s = s;
	h.b = b;
	h.keep = keep;
	h.ctx = ctx;
	h.self = lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY : lg->township;
	rc = csvio_read_stream_bg(BUNDLE_HISTORY, f,
	                          bundle_manifest_bytes(b, BUNDLE_HISTORY),
	                          enc ? enc : "UTF-8", hist_row, &h);
	if (rc == KP_OK)
		rc = flush(&h);
	sbuf_free(&h.arena);
	free(h.offs);
	free(h.ch);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc)
		return rc;
	if (!h.header)
		return bundle_problem(s, LF("%s：文件是空的", "%s: the file is empty"),
		                      BUNDLE_HISTORY);
	b->nhistory = h.rows;
	s->history = h.rows;
	if (!want || strtoull(want, NULL, 10) != h.rows)
		return bundle_problem(s, LF("%s 有 %zu 行，清单写的是 %s 行",
		                      "%s has %zu rows, the manifest says %s"),
		                      BUNDLE_HISTORY, h.rows, want ? want : "-");
	return KP_OK;
}
