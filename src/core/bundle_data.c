/* bundle_data.c - a data bundle's CSV files, read a row at a time: verify
 * checks the rows, import merges them (bundle_import.c, in its write
 * transaction) as they are read.
 *
 * Every file is read a block at a time through bfin (bundle_file.c),
 * which hashes the bytes as they pass: no file is ever held whole, and a
 * file is read once.  Its checksum is known only at its end, so the
 * problems its rows gave are dropped when it turns out changed (the
 * change is the problem), and an import's transaction is then rolled
 * back with everything else.
 *
 * The order: attachments.csv (whole: a row per attachment, which the
 * form files' rows take as they are read), each form file, history.csv,
 * whose rows name records of the form files: those are found in an index
 * of every record row (bundle_rows.c: id, revision, outcome, 24 bytes a
 * row, the one thing here that grows with the rows); then the files only
 * hashed (dictionary.csv; years.csv and progress.csv are read whole with
 * the manifest, bundle_verify.c).
 *
 * Uses bundle_file.c (bfin), bundle_rows.c, bundle_attach.c and
 * bundle_history.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "err.h"
#include "lang.h"

/* ---- the files -------------------------------------------------------- */

struct dctx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	const struct bundle_sink *sink;
};

/* A listed file opened for reading; a problem (and KP_NOTFOUND) when it
 * cannot be. */
static int open_listed(struct dctx *d, const char *name, struct bfin *in)
{
	struct blisted *l = bundle_listed(d->b, name);
	int rc;

	if (!l) {
		bundle_damage(d->s, LF("缺少文件：%s", "missing file: %s"), name);
		return KP_NOTFOUND;
	}
	rc = bfin_open(d->b, l, in);
	if (rc == KP_NOTFOUND || rc == KP_E_DATA) {
		bundle_damage(d->s, rc == KP_NOTFOUND ? LF("缺少文件：%s",
		               "missing file: %s") : "%s", rc == KP_NOTFOUND ? name :
		               kp_err_msg());
		return KP_NOTFOUND;
	}
	return rc;
}

/* The rest of a file through its hash, and its checksum compared: when
 * it is wrong, that is the problem, and those since (mark, more) were its
 * rows' and go. */
static int finish(struct dctx *d, struct bfin *in, size_t mark, size_t more)
{
	bool match;
	int rc = bfin_finish(d->b, in, &match);

	if (rc == KP_OK && !match) {
		bundle_problems_keep(d->s, mark, more);
		rc = bfin_problem(d->b, d->s, in);
	}
	bfin_close(in);
	return rc;
}

/* Only hashed: listed files whose contents nothing here reads. */
static int hash_rest(struct dctx *d)
{
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < d->b->nlist && rc == KP_OK; i++) {
		struct blisted *l = &d->b->list[i];
		struct bfin in;

		if (!l->deferred || l->done)
			continue;
		if ((rc = open_listed(d, l->name, &in)) == KP_NOTFOUND) {
			rc = KP_OK;
			continue;
		}
		if (rc == KP_OK)
			rc = finish(d, &in, d->s->nproblems, d->s->more_problems);
	}
	return rc;
}

/* attachments.csv, whole (a row per attachment). */
static int read_attachments(struct dctx *d)
{
	struct blisted *l = bundle_listed(d->b, BUNDLE_ATTACH_CSV);
	struct sbuf buf = { 0 };
	char chunk[65536];
	struct bfin in;
	size_t got, mark = d->s->nproblems, more = d->s->more_problems;
	int rc;

	if (!l) {
		if (kvl_get(&d->b->mf, "attachments"))
			return bundle_damage(d->s, LF("缺少文件：%s", "missing file: %s"),
			                      BUNDLE_ATTACH_CSV);
		/* Files listed and no attachments.csv: its rows would have to
		 * name them. */
		return d->b->natt ? bundle_att_rows(d->lg, d->s, d->b, NULL, 0) : KP_OK;
	}
	if ((rc = open_listed(d, BUNDLE_ATTACH_CSV, &in)) != KP_OK)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	while ((got = fread(chunk, 1, sizeof chunk, in.f)) > 0)
		if ((rc = sbuf_add(&buf, chunk, got)) != KP_OK)
			break;
	if (rc == KP_OK)
		rc = bundle_att_rows(d->lg, d->s, d->b, buf.s ? buf.s : "", buf.len);
	sbuf_free(&buf);
	if (rc == KP_OK)
		rc = finish(d, &in, mark, more);
	else
		bfin_close(&in);
	return rc;
}

/* A record row: its attachments on it, into the index, to the sink. */
static int record_row(void *ctx, struct record *rec, const struct brow *pos)
{
	struct dctx *d = ctx;
	enum merge_outcome out = MERGE_UNCHANGED;
	int rc;

	d->b->nrecs++;
	if ((rc = bundle_att_onto(d->b, d->s, rec, pos)) != KP_OK)
		return rc;
	if (d->sink && d->sink->record &&
	    (rc = d->sink->record(d->sink->ctx, rec, pos, &out)) != KP_OK)
		return rc;
	return bundle_idx_add(d->b, rec, out);
}

static int read_form(struct dctx *d, const struct form *fm)
{
	char file[BUNDLE_NAME_MAX], key[BUNDLE_NAME_MAX];
	const char *want;
	size_t rows = 0, mark = d->s->nproblems, more = d->s->more_problems;
	struct bfin in;
	int rc;

	snprintf(file, sizeof file, "%s.csv", fm->id);
	snprintf(key, sizeof key, "rows:%s", fm->id);
	if ((rc = open_listed(d, file, &in)) != KP_OK)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = bundle_rows_form(d->lg, d->s, d->b, fm, file, in.f, record_row, d,
	                      &rows);
	if (rc != KP_OK) {
		bfin_close(&in);
		return rc;
	}
	want = kvl_get(&d->b->mf, key);
	if (strtoull(want ? want : "", NULL, 10) != rows || !want)
		bundle_problem(d->s, LF("%s 有 %zu 行，清单写的是 %s 行",
		               "%s has %zu rows, the manifest says %s"), file, rows,
		               want ? want : "-");
	return finish(d, &in, mark, more);
}

static int read_history(struct dctx *d)
{
	size_t mark = d->s->nproblems, more = d->s->more_problems;
	struct bfin in;
	int rc;

	if (!bundle_listed(d->b, BUNDLE_HISTORY)) {
		if (kvl_get(&d->b->mf, "history"))
			return bundle_damage(d->s, LF("缺少文件：%s", "missing file: %s"),
			                      BUNDLE_HISTORY);
		return KP_OK;
	}
	if ((rc = open_listed(d, BUNDLE_HISTORY, &in)) != KP_OK)
		return rc == KP_NOTFOUND ? KP_OK : rc;
	rc = bundle_history_read(d->lg, d->s, d->b, in.f,
	                         d->sink ? d->sink->change : NULL,
	                         d->sink ? d->sink->ctx : NULL);
	if (rc != KP_OK) {
		bfin_close(&in);
		return rc;
	}
	return finish(d, &in, mark, more);
}

/* The rows are read with the forms the bundle was made with (its header
 * holds their fields: one the receiver has since removed still reads);
 * merging checks each row with its record's own version. */
static int read_rows(struct dctx *d)
{
	const struct schema *sc;
	struct bload *b = d->b;
	size_t i;
	int rc;

	if ((rc = ledger_schema_for(d->lg, b->forms_version, &sc)) != KP_OK)
		return rc;
	for (i = 0; i < b->mf.n; i++) {
		const char *k = b->mf.v[i].name;

		if (strncmp(k, "rows:", 5) == 0 && !schema_form(sc, k + 5))
			bundle_problem(d->s, LF("本数据库没有表单 %s",
			               "this database has no form %s"), k + 5);
	}
	if ((rc = read_attachments(d)) != KP_OK)
		return rc;
	for (i = 0; i < sc->nforms && rc == KP_OK; i++) {
		char key[BUNDLE_NAME_MAX];

		snprintf(key, sizeof key, "rows:%s", sc->forms[i].id);
		if (kvl_get(&b->mf, key))
			rc = read_form(d, &sc->forms[i]);
	}
	d->s->rows = b->nrecs;
	/* What names the rows only once they are good. */
	if (rc != KP_OK || d->s->nproblems || d->s->more_problems)
		return rc;
	bundle_idx_sort(b);
	if ((rc = bundle_att_left(b, d->s)) != KP_OK || d->s->nproblems)
		return rc;
	return read_history(d);
}

int bundle_read_data(struct ledger *lg, struct bundle_summary *s,
                     struct bload *b, const struct bundle_sink *sink,
                     bool hash_only)
{
	struct dctx d = { lg, s, b, sink };
	size_t i;
	int rc;

	/* Afresh: a transaction run again reads everything again. */
	b->nrecs = b->nidx = b->nabsent = b->narows = 0;
	b->idx_sorted = false;
	for (i = 0; i < b->nlist; i++)
		b->list[i].done = false;
	for (i = 0; i < b->natt; i++)
		b->att[i].named = false;
	rc = hash_only ? KP_OK : read_rows(&d);
	if (rc == KP_OK)
		rc = hash_rest(&d);
	if (rc == KP_OK && (s->nproblems || s->more_problems))
		rc = bundle_refused(s);
	return rc;
}

int bundle_verify(struct ledger *lg, const char *path,
                  struct bundle_summary *s)
{
	struct bload b;
	int rc = bundle_load(lg, path, s, &b, NULL, NULL);

	if (rc == KP_OK && b.kind == BUNDLE_DATA)
		rc = bundle_read_data(lg, s, &b, NULL, false);
	else if (rc == KP_E_DATA && b.kind == BUNDLE_DATA && b.mf_ok)
		bundle_read_data(lg, s, &b, NULL, true);   /* every file's problem */
	if (rc == KP_E_DATA)
		kp_err_set(KP_E_DATA, LF("%s：校验未通过", "%s: verification failed"),
		           s->name);
	bload_free(&b);
	return rc;
}
