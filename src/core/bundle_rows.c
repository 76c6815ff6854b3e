/* bundle_rows.c - turning the rows of a bundle's CSV files into records
 * (a row at a time, as the file is read) and quota rows, with a FILE:LINE
 * problem for every cell that cannot be; the index of a data bundle's
 * record rows by id, which history.csv's rows are found in. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "text.h"

struct rctx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	const char *file;
	unsigned fileno;
	const struct form *form;
	bool header;
	size_t ncols;
	char **cols;                  /* column names (copies) */
	bool *is_bk;                  /* per column: a bookkeeping column */
	int bk[COL__COUNT];           /* column of each bookkeeping field */
	size_t rows;
	struct record rec;            /* the row being handed on */
	bundle_row_fn row;
	void *ctx;
};

/* A bundle's header is the bookkeeping columns and field ids, as export
 * writes them: a label names nothing here.  Indexes: the bookkeeping
 * columns, then the form's fields. */
static int header_name(void *ctx, const char *cell)
{
	const struct form *fm = ((const struct rctx *)ctx)->form;
	const struct field *fd;
	size_t j;

	for (j = 0; j < COL__COUNT; j++)
		if (strcmp(cell, bundle_cols[j]) == 0)
			return (int)j;
	fd = schema_field_lookup(fm, cell, SCHEMA_BY_ID);
	return fd ? COL__COUNT + (int)(fd - fm->fields) : CSVIO_UNKNOWN;
}

/* A column of no field stays, under its own name, for import's checks to
 * refuse as an unknown field. */
static int header_row(struct rctx *r, size_t line, size_t nf, char **f)
{
	struct csvio_header h;
	size_t i, j;
	int rc;

	r->header = true;
	if ((rc = csvio_header_map(&h, f, nf, COL__COUNT + r->form->nfields,
	                           header_name, r)) != KP_OK)
		return rc;
	r->cols = calloc(nf ? nf : 1, sizeof *r->cols);
	r->is_bk = calloc(nf ? nf : 1, sizeof *r->is_bk);
	if (!r->cols || !r->is_bk) {
		csvio_header_free(&h);
		return kp_err_nomem();
	}
	r->ncols = nf;
	for (j = 0; j < COL__COUNT; j++)
		r->bk[j] = h.at[j];
	for (i = 0; i < nf; i++) {
		if (!(r->cols[i] = xstrdup(f[i]))) {
			csvio_header_free(&h);
			return kp_err_nomem();
		}
		r->is_bk[i] = h.col[i] != CSVIO_UNKNOWN && h.col[i] < COL__COUNT;
		if (h.repeat[i])
			bundle_problem(r->s, LF("%s:%zu：列 %s 重复",
			               "%s:%zu: column %s appears twice"),
			               r->file, line, f[i]);
	}
	csvio_header_free(&h);
	for (j = 0; j < COL__REQUIRED; j++)
		if (r->bk[j] < 0)
			bundle_problem(r->s, LF("%s:%zu：缺少列 %s",
			               "%s:%zu: column %s is missing"), r->file, line,
			               bundle_cols[j]);
	return KP_OK;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool name_ok(const char *s)
{
	return strlen(s) < RECORD_NAME_MAX;
}

/* Fill rec from one row; a problem for every cell that cannot be a
 * record's bookkeeping.  Returns false when the row is unusable. */
static bool row_bookkeeping(struct rctx *r, size_t line, char **f,
                            struct record *rec)
{
	struct bundle_summary *s = r->s;
	const char *who = r->b->who;
	bool good = true;

#define BAD(col, zh, en) do { \
		bundle_problem(s, "%s:%zu: %s: %s", r->file, line, col, LF(zh, en)); \
		good = false; \
	} while (0)
	if (record_id_valid(f[r->bk[COL_ID]]))
		snprintf(rec->id, sizeof rec->id, "%s", f[r->bk[COL_ID]]);
	else
		BAD("id", "不是有效的记录编号", "not a record id");
	if (!name_ok(f[r->bk[COL_TOWNSHIP]]) || !*f[r->bk[COL_TOWNSHIP]])
		BAD("township", "镇街无效", "invalid township");
	else if (strcmp(who, LEDGER_CITY) != 0 &&
	         strcmp(f[r->bk[COL_TOWNSHIP]], who) != 0)
		BAD("township", "不是发包镇街的记录",
		    "not a record of the bundle's township");
	else
		snprintf(rec->township, sizeof rec->township, "%s",
		         f[r->bk[COL_TOWNSHIP]]);
	if (!parse_u32(f[r->bk[COL_REV]], &rec->rev))
		BAD("rev", "版本号应为正整数", "revision must be a positive integer");
	if (strcmp(f[r->bk[COL_DELETED]], "0") && strcmp(f[r->bk[COL_DELETED]], "1"))
		BAD("deleted", "应为 0 或 1", "must be 0 or 1");
	rec->deleted = strcmp(f[r->bk[COL_DELETED]], "1") == 0;
	if (!name_ok(f[r->bk[COL_CREATED_BY]]) || !name_ok(f[r->bk[COL_CHANGED_BY]]))
		BAD("created_by", "用户名太长", "user name too long");
	snprintf(rec->created_by, sizeof rec->created_by, "%s",
	         f[r->bk[COL_CREATED_BY]]);
	snprintf(rec->changed_by, sizeof rec->changed_by, "%s",
	         f[r->bk[COL_CHANGED_BY]]);
	if (bundle_time_parse(f[r->bk[COL_CREATED_AT]], &rec->created_at) != KP_OK)
		BAD("created_at", "时间格式应为 YYYY-MM-DDTHH:MM:SSZ",
		    "time must be YYYY-MM-DDTHH:MM:SSZ");
	if (bundle_time_parse(f[r->bk[COL_CHANGED_AT]], &rec->changed_at) != KP_OK)
		BAD("changed_at", "时间格式应为 YYYY-MM-DDTHH:MM:SSZ",
		    "time must be YYYY-MM-DDTHH:MM:SSZ");
	rec->form_version = 1;
	if (r->bk[COL_FORM_VERSION] >= 0
	    && !parse_u32(f[r->bk[COL_FORM_VERSION]], &rec->form_version))
		BAD("form_version", "表单版本应为正整数",
		    "the forms version must be a positive integer");
#undef BAD
	return good;
}

static int data_row(void *ctx, size_t line, size_t nf, char **f,
                    const size_t *lens)
{
	struct rctx *r = ctx;
	struct record *rec = &r->rec;
	struct brow pos;
	size_t i, j;
	int rc;

	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!r->header)
		return header_row(r, line, nf, f);
	r->rows++;
	for (j = 0; j < COL__REQUIRED; j++)
		if (r->bk[j] < 0)
			return KP_OK;
	if (nf != r->ncols)
		return bundle_problem(r->s, LF("%s:%zu：有 %zu 列，表头有 %zu 列",
		                      "%s:%zu: %zu columns, the header has %zu"),
		                      r->file, line, nf, r->ncols);
	record_free(rec);
	snprintf(rec->form, sizeof rec->form, "%s", r->form->id);
	if (!row_bookkeeping(r, line, f, rec))
		return KP_OK;
	for (i = 0; i < nf; i++) {
		if (r->is_bk[i] || !*f[i]
		    || (rc = record_set(rec, r->cols[i], f[i])) == KP_OK)
			continue;
		/* a value under a blank or overlong heading: no field name */
		return rc == KP_E_DATA ? bundle_problem(r->s, "%s:%zu: %s", r->file,
		                                        line, kp_err_msg())
		       : kp_err_nomem();
	}
	pos.file = r->fileno;
	pos.line = line;
	pos.natt = -1;
	if (r->bk[COL_ATTACHMENTS] >= 0) {
		const char *n = f[r->bk[COL_ATTACHMENTS]];
		char *end;
		long v = strtol(n, &end, 10);

		if (!*n || *end || v < 0 || *n == '+' || *n == ' ')
			return bundle_problem(r->s, "%s:%zu: attachments: %s", r->file,
			                      line, L("附件数应为 0 或正整数",
			                      "the number of attachments must be 0 or more"));
		pos.natt = v;
	}
	return r->row ? r->row(r->ctx, rec, &pos) : KP_OK;
}

int bundle_add_file(struct bload *b, const char *name, unsigned *idx)
{
	char **nf;
	size_t i;

	for (i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i], name) == 0) {
			*idx = (unsigned)i;   /* read again */
			return KP_OK;
		}
	if (!(nf = realloc(b->files, (b->nfiles + 1) * sizeof *nf)))
		return kp_err_nomem();
	b->files = nf;
	if (!(nf[b->nfiles] = xstrdup(name)))
		return kp_err_nomem();
	*idx = (unsigned)b->nfiles++;
	return KP_OK;
}

/* ---- quota rows ----------------------------------------------------- */

struct qctx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	bool header;
	size_t rows;
};

static bool parse_target(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtod(s, &end);
	return *end == '\0' && *out >= 0 && *out < 1e15;
}

static int quota_row_fn(void *ctx, size_t line, size_t nf, char **f,
                        const size_t *lens)
{
	static const char *const head[4] = { "year", "township", "indicator",
		"target" };
	struct qctx *q = ctx;
	struct bload *b = q->b;
	const struct schema *sc = q->lg->schema;
	const struct indicator *ind;
	struct quota_row *row;
	size_t i;
	int year, rc;

	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!q->header) {
		q->header = true;
		for (i = 0; i < 4; i++)
			if (nf < 4 || strcmp(f[i], head[i]) != 0)
				return bundle_problem(q->s, LF("%s:%zu：表头应为 "
				                      "year,township,indicator,target",
				                      "%s:%zu: the header must be "
				                      "year,township,indicator,target"),
				                      BUNDLE_QUOTAS, line);
		return KP_OK;
	}
	q->rows++;
	if (nf < 4)
		return bundle_problem(q->s, LF("%s:%zu：列数不足",
		                      "%s:%zu: too few columns"), BUNDLE_QUOTAS, line);
	if (!schema_township(sc, f[1]))
		return bundle_problem(q->s, "%s:%zu: township: %s: %s",
		                      BUNDLE_QUOTAS, line, LF("未知的镇街",
		                      "unknown township"), f[1]);
	if (!schema_indicator(sc, f[2]))
		return bundle_problem(q->s, "%s:%zu: indicator: %s: %s",
		                      BUNDLE_QUOTAS, line, LF("未知的指标",
		                      "unknown indicator"), f[2]);
	if (quota_parse_year(sc, f[2], f[0], &ind, &year) != KP_OK)
		return bundle_problem(q->s, "%s:%zu: %s: %s", BUNDLE_QUOTAS, line,
		                      ind ? "year" : "indicator", kp_err_msg());
	if ((rc = array_grow2(&b->quotas, sizeof *b->quotas, &b->qlines,
	                      sizeof *b->qlines, &b->qcap, b->nquotas)) != KP_OK)
		return rc;
	row = &b->quotas[b->nquotas];
	memset(row, 0, sizeof *row);
	row->year = year;
	snprintf(row->township, sizeof row->township, "%s", f[1]);
	snprintf(row->indicator, sizeof row->indicator, "%s", f[2]);
	if (!parse_target(f[3], &row->target))
		return bundle_problem(q->s, "%s:%zu: target: %s: %s",
		                      BUNDLE_QUOTAS, line, LF("任务数应为非负数",
		                      "must be a number >= 0"), f[3]);
	b->qlines[b->nquotas++] = line;
	return KP_OK;
}

int bundle_rows_form(struct ledger *lg, struct bundle_summary *s,
                     struct bload *b, const struct form *fm, const char *file,
                     FILE *f, bundle_row_fn row, void *ctx, size_t *rows)
{
	struct rctx r = { .lg = lg, .s = s, .b = b, .form = fm, .row = row,
	                  .ctx = ctx };
	const char *enc = bundle_encoding(b);
	size_t i;
	int rc;

	*rows = 0;
	if ((rc = bundle_add_file(b, file, &r.fileno)) != KP_OK)
		return rc;
	r.file = b->files[r.fileno];
	record_init(&r.rec);
	rc = csvio_read_stream_bg(file, f, bundle_manifest_bytes(b, file),
	                          enc ? enc : "UTF-8", data_row, &r);
	record_free(&r.rec);
	for (i = 0; i < r.ncols; i++)
		free(r.cols[i]);
	free(r.cols);
	free(r.is_bk);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	if (!r.header)
		return bundle_problem(s, LF("%s：文件是空的",
		                      "%s: the file is empty"), file);
	*rows = r.rows;
	return KP_OK;
}

int bundle_rows_quota(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b, const char *buf, size_t len,
                      size_t *rows)
{
	struct qctx q = { lg, s, b, false, 0 };
	int rc;

	rc = csvio_read_mem_as(BUNDLE_QUOTAS, bundle_encoding(b), buf, len,
	                       quota_row_fn, &q);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	*rows = q.rows;
	return KP_OK;
}

/* ---- the index of the record rows ------------------------------------ */

int bundle_idx_add(struct bload *b, const struct record *rec,
                   enum merge_outcome out)
{
	struct bidx *x;
	int rc;

	if ((rc = array_grow(&b->idx, sizeof *b->idx, &b->idxcap, b->nidx)))
		return rc;
	x = &b->idx[b->nidx++];
	record_id_bits(rec->id, x->id);
	x->rev = rec->rev;
	x->outcome = (unsigned char)out;
	b->idx_sorted = false;
	return KP_OK;
}

static int idx_cmp(const void *a, const void *b)
{
	const struct bidx *x = a, *y = b;
	int c = memcmp(x->id, y->id, sizeof x->id);

	return c ? c : (x->rev > y->rev) - (x->rev < y->rev);
}

void bundle_idx_sort(struct bload *b)
{
	if (b->nidx > 1)
		qsort(b->idx, b->nidx, sizeof *b->idx, idx_cmp);
	b->idx_sorted = true;
}

const struct bidx *bundle_idx_find(const struct bload *b, const char *id,
                                   bool *wanted)
{
	unsigned char key[16];
	const struct bidx *best = NULL;
	size_t lo = 0, hi = b->nidx;

	*wanted = false;
	if (!b->idx_sorted || !record_id_valid(id))
		return NULL;
	record_id_bits(id, key);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(b->idx[mid].id, key, sizeof key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->nidx && memcmp(b->idx[lo].id, key, sizeof key) == 0; lo++) {
		unsigned char o = b->idx[lo].outcome;

		best = &b->idx[lo];   /* the highest revision comes last */
		if (o == MERGE_NEW || o == MERGE_UPDATED || o == MERGE_UNCHANGED)
			*wanted = true;
	}
	return best;
}
