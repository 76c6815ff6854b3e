/* bundle_export.c - writing bundles: a township's (or the city's) changes,
 * with a township's year events since its last bundle (years.csv,
 * bundle_years.c), and the city's quotas; and what every bundle writer
 * shares (the manifest's common keys, the digest of a form set, recording
 * an export; bundle_forms.c and bundle_decision.c write their bundles with
 * them). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "keys.h"
#include "lang.h"
#include "report.h"
#include "stop.h"
#include "text.h"

struct form_out {
	const struct form *form;
	char file[BUNDLE_NAME_MAX];
	struct bfile bf;
	struct csvw w;
	bool open;
	size_t rows;
};

struct exporter {
	struct ledger *lg;
	const struct bundle_export_opts *o;
	unsigned flags;
	uint64_t from, to;
	size_t done, total;           /* total: 0 when not known */
	struct form_out *outs;
	size_t nouts;
	struct bdir dir;
	uint64_t years_from, years_to; /* the year events sent: after, up to */
	size_t events;
	struct batt_out *att;         /* the attachments of the rows written */
};

static void progress(struct exporter *x, const char *stage, size_t done,
                     size_t total)
{
	if (x->o->progress)
		x->o->progress(x->o->progress_ctx, stage, done, total);
}

/* ---- which revisions go in ----------------------------------------- */

/* Only the latest revision of each record changed in the range: a row is
 * a record at a revision, and the importer keeps the highest revision it
 * has seen, so a revision superseded within the range would be stored and
 * replaced in the same import.  The bundle is then a consistent picture of
 * those records, and its sums add up.  They are found in one walk of the
 * changes (ledger_changes_latest), which also fixes the range's end, so
 * that nothing changed meanwhile is left out or half in. */

/* ---- form files ----------------------------------------------------- */

static int open_forms(struct exporter *x)
{
	const struct schema *s = x->lg->schema;
	size_t i, j;
	int rc;

	x->outs = calloc(s->nforms ? s->nforms : 1, sizeof *x->outs);
	if (!x->outs)
		return kp_err_nomem();
	x->nouts = s->nforms;
	for (i = 0; i < s->nforms; i++) {
		struct form_out *fo = &x->outs[i];

		fo->form = &s->forms[i];
		snprintf(fo->file, sizeof fo->file, "%s.csv", fo->form->id);
		if ((rc = bfile_open(&x->dir, fo->file, &fo->bf)) != KP_OK)
			return rc;
		fo->open = true;
		csvw_begin(&fo->w, fo->bf.f, x->flags);
		for (j = 0; j < COL__COUNT; j++)
			csvw_field(&fo->w, bundle_cols[j]);
		for (j = 0; j < fo->form->nfields; j++)
			csvw_field(&fo->w, fo->form->fields[j].name);
		csvw_end_row(&fo->w);
	}
	return KP_OK;
}

static struct form_out *form_out_for(struct exporter *x, const char *form)
{
	size_t i;

	for (i = 0; i < x->nouts; i++)
		if (strcmp(x->outs[i].form->id, form) == 0)
			return &x->outs[i];
	return NULL;
}

static int write_row(struct form_out *fo, const struct record *r)
{
	char created[32], changed[32];
	size_t j;

	bundle_time_format(r->created_at, created);
	if (r->changed_at == r->created_at)   /* a first revision: said once */
		memcpy(changed, created, sizeof changed);
	else
		bundle_time_format(r->changed_at, changed);
	csvw_field(&fo->w, r->id);
	csvw_field(&fo->w, r->township);
	csvw_fieldf(&fo->w, "%lu", (unsigned long)r->rev);
	csvw_field(&fo->w, r->deleted ? "1" : "0");
	csvw_field(&fo->w, r->created_by);
	csvw_field(&fo->w, created);
	csvw_field(&fo->w, r->changed_by);
	csvw_field(&fo->w, changed);
	csvw_fieldf(&fo->w, "%lu", (unsigned long)(r->form_version ? r->form_version : 1));
	csvw_fieldf(&fo->w, "%zu", r->natt);
	for (j = 0; j < fo->form->nfields; j++)
		csvw_field(&fo->w, record_get(r, fo->form->fields[j].name));
	csvw_end_row(&fo->w);
	fo->rows++;
	return fo->w.status;
}

static int write_fn(void *ctx, uint64_t seq, const struct record *rec)
{
	struct exporter *x = ctx;
	struct form_out *fo;
	int rc;

	if ((rc = stop_point()) != KP_OK)
		return rc;
	fo = form_out_for(x, rec->form);
	if (!fo)
		return kp_err_set(KP_E_DATA, LF("记录 %s 的表单 %s 不在本数据库的表单中",
		                  "record %s has form %s, which this database "
		                  "does not have"), rec->id, rec->form);
	if ((rc = write_row(fo, rec)) != KP_OK)
		return kp_err_set(KP_E_IO, LF("无法写入 %s/%s：%s",
		                  "cannot write %s/%s: %s"), x->o->out_dir,
		                  fo->file, fs_errno_text(fo->bf.err ? fo->bf.err : EIO));
	if ((rc = bundle_att_note(x->att, seq, rec)) != KP_OK)
		return rc;
	if (++x->done % 4096 == 0)
		progress(x, LF("写出记录", "writing records"), x->done, x->total);
	return KP_OK;
}

static int close_forms(struct exporter *x)
{
	size_t i;
	int rc;

	for (i = 0; i < x->nouts; i++) {
		struct form_out *fo = &x->outs[i];

		csvw_finish(&fo->w);
		fo->open = false;
		if ((rc = bfile_close(&x->dir, &fo->bf)) != KP_OK)
			return rc;
	}
	return KP_OK;
}

static void discard_forms(struct exporter *x)
{
	size_t i;

	for (i = 0; i < x->nouts; i++)
		if (x->outs[i].open && x->outs[i].bf.f)
			bfile_discard(&x->outs[i].bf);
}

/* ---- progress report and data dictionary --------------------------- */

static int write_progress(struct exporter *x)
{
	const struct schema *s = x->lg->schema;
	struct report_row *all = NULL, *rows;
	size_t nall = 0, n;
	struct bfile bf;
	int y, rc;

	/* Every year from the first plan to the working year. */
	for (y = schema_first_year(s); y <= x->lg->year; y++) {
		struct report_row *na;

		if ((rc = report_build(x->lg, y, &rows, &n)) != KP_OK)
			goto out;
		na = realloc(all, (nall + n + 1) * sizeof *na);
		if (!na) {
			free(rows);
			rc = kp_err_nomem();
			goto out;
		}
		all = na;
		memcpy(all + nall, rows, n * sizeof *rows);
		nall += n;
		free(rows);
	}
	if ((rc = bfile_open(&x->dir, BUNDLE_PROGRESS, &bf)) != KP_OK)
		goto out;
	rc = report_write_csv(all, nall, bf.f, x->flags);
	if (rc != KP_OK) {
		bfile_discard(&bf);
		goto out;
	}
	rc = bfile_close(&x->dir, &bf);
out:
	free(all);
	return rc;
}

static int write_dictionary(struct exporter *x)
{
	struct bfile bf;
	int rc;

	if ((rc = bfile_open(&x->dir, BUNDLE_DICT, &bf)) != KP_OK)
		return rc;
	if ((rc = bundle_dictionary_write(x->lg->schema, bf.f, x->flags)) != KP_OK) {
		bfile_discard(&bf);
		return rc;
	}
	return bfile_close(&x->dir, &bf);
}

/* ---- manifest and bookkeeping -------------------------------------- */

int bundle_manifest_common(struct ledger *lg, struct kvlist *m,
                           const char *kind, uint64_t seq, const char *name,
                           bool gb18030)
{
	unsigned char pk[KEYS_PK_BYTES];
	char hex[2 * KEYS_PK_BYTES + 1], fpr[KEYS_FPR_LEN + 1], now[32];
	char forms[2 * crypto_hash_sha256_BYTES + 1];
	int rc;

	if ((rc = keys_public(lg, pk)) != KP_OK
	    || (rc = bundle_forms_digest_of(lg, lg->schema->version, forms)) != KP_OK)
		return rc;
	keys_to_hex(pk, sizeof pk, hex);
	keys_fingerprint(pk, fpr);
	bundle_time_format((int64_t)time(NULL), now);
	/* A failed kvl_add is sticky: the last one returns it. */
	kvl_add(m, "format", BUNDLE_FORMAT);
	kvl_add(m, "kind", kind);
	kvl_add(m, "township", keys_identity(lg));
	kvl_addf(m, "seq", "%llu", (unsigned long long)seq);
	kvl_add(m, "name", name);
	kvl_add(m, "created_by", lg->user[0] ? lg->user : record_current_user());
	kvl_add(m, "created_at", now);
	kvl_add(m, "software", PACKAGE_NAME " " PACKAGE_VERSION);
	kvl_addf(m, "schema_version", "%d", LEDGER_SCHEMA_VERSION);
	kvl_addf(m, "forms_version", "%u", lg->schema->version);
	kvl_add(m, "forms_sha256", forms);
	kvl_add(m, "encoding", gb18030 ? "gb18030" : "utf-8");
	kvl_add(m, "public_key", hex);
	return kvl_add(m, "fingerprint", fpr);
}

/* ---- the digest of a form set -------------------------------------- */

static int cmp_file(const void *a, const void *b)
{
	return strcmp((*(const struct schema_file *const *)a)->name,
	              (*(const struct schema_file *const *)b)->name);
}

/* The size goes in too, so that no two sets hash alike by moving bytes
 * from one file's end into the next file's name. */
void bundle_forms_digest(const struct schema_file *files, size_t n,
                         char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	const struct schema_file **by = calloc(n ? n : 1, sizeof *by);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	char size[32];
	size_t i;

	crypto_hash_sha256_init(&st);
	for (i = 0; by && i < n; i++)
		by[i] = &files[i];
	if (by && n > 1)
		qsort(by, n, sizeof *by, cmp_file);
	for (i = 0; i < n; i++) {
		/* Out of memory: the files in the order given, which the
		 * database and the bundle both keep by name anyway. */
		const struct schema_file *f = by ? by[i] : &files[i];

		snprintf(size, sizeof size, "%zu", f->len);
		crypto_hash_sha256_update(&st, (const unsigned char *)f->name, strlen(f->name) + 1);
		crypto_hash_sha256_update(&st, (const unsigned char *)size, strlen(size) + 1);
		crypto_hash_sha256_update(&st, (const unsigned char *)f->data, f->len);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
	free(by);
}

int bundle_forms_digest_of(struct ledger *lg, unsigned v,
                           char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	struct schema_file *files;
	size_t n;
	int rc = ledger_forms_files(lg, v, &files, &n);

	if (rc != KP_OK)
		return rc;
	bundle_forms_digest(files, n, hex);
	schema_files_free(files, n);
	return KP_OK;
}

/* Sizes let verify tell a truncated file from a changed one. */
static int manifest_sizes(const struct bdir *d, struct kvlist *m)
{
	char key[BUNDLE_NAME_MAX + 8];
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < d->nsums && rc == KP_OK; i++) {
		snprintf(key, sizeof key, "bytes:%s", d->sums[i].name);
		rc = kvl_addf(m, key, "%llu", (unsigned long long)d->sums[i].size);
	}
	return rc;
}

/* A bundle that did not stay (d->tmp names what is left of it, see
 * bdir_withdraw): removed, and when that removal is seen to have worked,
 * its pending entry forgotten.  Otherwise it may still be on the stick,
 * and the next export settles it (bundle_settle). */
static void bundle_unpublish(struct ledger *lg, struct bdir *d,
                             const char *key, struct bundle_export_result *res)
{
	char *left = d->tmp ? xstrdup(d->tmp) : NULL;
	struct stat st;
	bool removed = false;

	if (left && lstat(left, &st) == 0) {
		bdir_abort(d);          /* d is empty afterwards */
		removed = lstat(left, &st) != 0 && errno == ENOENT;
	}
	if (!removed || bundle_pending_drop(lg, key) != KP_OK)
		res->unsettled = true;
	free(left);
}

int bundle_finish(struct ledger *lg, struct bdir *d, struct kvlist *m,
                  unsigned flags, const char *key,
                  struct bundle_export_result *res)
{
	struct sbuf mf = {0};
	char msg[1024];
	int st;

	if ((st = manifest_sizes(d, m)) != KP_OK ||
	    (st = kvl_format(m, flags, &mf)) != KP_OK ||
	    (st = bdir_put(d, BUNDLE_MANIFEST, mf.s, mf.len)) != KP_OK ||
	    (st = bdir_seal(d, lg)) != KP_OK ||
	    (st = stop_point()) != KP_OK)
		goto out;
	/* From here a kill may leave the bundle complete on the stick: the
	 * database says so first, and the next export settles it. */
	if ((st = bundle_pending_put(lg, key, d, m)) != KP_OK)
		goto out;
	stop_crash_point("pending");
	if ((st = bdir_publish(d)) != KP_OK) {
		snprintf(msg, sizeof msg, "%s", kp_err_msg());
		bundle_unpublish(lg, d, key, res);
		kp_err_set(st, "%s", msg);
		goto out;
	}
	stop_crash_point("published");
	res->path = xstrdup(d->final);
	st = bundle_pending_done(lg, key, &mf);
	if (st != KP_OK) {
		/* Unrecorded, its number would be used again: take it back. */
		snprintf(msg, sizeof msg, "%s", kp_err_msg());
		bdir_withdraw(d);
		bundle_unpublish(lg, d, key, res);
		kp_err_set(st, "%s", msg);
		if (res->unsettled) {
			kp_err_wrap(st, LF("未能把 %s 记入数据库", "%s could not be "
			            "recorded"), res->path ? res->path : "");
		} else {
			kp_err_wrap(st, LF("未能把 %s 记入数据库，已撤回",
			            "%s could not be recorded and was withdrawn"),
			            res->path ? res->path : "");
			free(res->path);
			res->path = NULL;
		}
	}
out:
	sbuf_free(&mf);
	return st;
}

static unsigned csv_flags(const struct bundle_export_opts *o)
{
	return o->gb18030 ? (CSVW_GB18030 | CSVW_CRLF | CSVW_NEUTRALISE)
	                  : CSVW_EXCEL;
}

/* ---- the data bundle ------------------------------------------------ */

/* The form files: every record's newest revision after x->from, which
 * fixes x->to (never below prev_to, the end of the last bundle). */
static int export_records(struct exporter *x, uint64_t prev_to)
{
	size_t live, deleted;
	int rc;

	if ((rc = open_forms(x)) != KP_OK ||
	    (rc = bundle_att_begin(x->lg, x->from, x->o->no_attachments,
	                           &x->att)) != KP_OK)
		return rc;
	/* All of them: every record, tombstones too. */
	if (x->from == 0 && ledger_counts(x->lg, &live, &deleted) == KP_OK)
		x->total = live + deleted;
	progress(x, LF("写出记录", "writing records"), 0, x->total);
	rc = ledger_changes_latest(x->lg, x->from, write_fn, x, &x->to);
	if (rc != KP_OK)
		return rc;
	if (x->to < prev_to)
		x->to = prev_to;
	if ((rc = close_forms(x)) != KP_OK)
		return rc;
	progress(x, LF("写出记录", "writing records"), x->done, x->done);
	return KP_OK;
}

/* The files after the records: attachments, history, progress, the
 * dictionary, and the rows of each form in the manifest. */
static int export_files(struct exporter *x, struct kvlist *m)
{
	char key[BUNDLE_NAME_MAX + 8];
	size_t i;
	int rc;

	progress(x, LF("写出附件和修改历史", "writing attachments and history"), 0, 0);
	if ((rc = bundle_att_write(x->att, &x->dir, x->flags, m)) != KP_OK ||
	    (rc = bundle_history_write(x->lg, &x->dir, x->flags, x->from, x->to,
	                               m)) != KP_OK)
		return rc;
	progress(x, LF("写出进度报表", "writing the progress report"), 0, 0);
	if ((rc = write_progress(x)) != KP_OK ||
	    (rc = write_dictionary(x)) != KP_OK)
		return rc;
	/* Not "rows:years": a kepu from before year events reads every
	 * "rows:" key as a form's. */
	if (x->lg->mode == LEDGER_TOWNSHIP &&
	    ((rc = bundle_years_write(x->lg, &x->dir, x->flags, x->years_from,
	                              &x->events)) != KP_OK ||
	     (rc = kvl_addf(m, "year_events", "%zu", x->events)) != KP_OK))
		return rc;
	for (i = 0; i < x->nouts && rc == KP_OK; i++) {
		snprintf(key, sizeof key, "rows:%s", x->outs[i].form->id);
		rc = kvl_addf(m, key, "%zu", x->outs[i].rows);
	}
	return rc;
}

/* Nothing changed since the last bundle: say so, write nothing and keep
 * the sequence number, so that the city sees no empty bundles and no gaps
 * (a clerk who exports twice, or every week by habit, expects that). */
static int nothing_new(const struct kvlist *prev, uint64_t prev_seq,
                       struct bundle_export_result *res)
{
	const char *name = prev_seq ? kvl_get(prev, "name") : NULL;
	const char *at = prev_seq ? kvl_get(prev, "created_at") : NULL;
	size_t len = name ? strlen(name) : 0;
	char date[16] = "";

	res->nothing_new = true;
	res->seq = prev_seq;
	snprintf(res->name, sizeof res->name, "%s", name ? name : "");
	/* The date in the folder name is the local date of the export. */
	if (len > 9 && name[len - 9] == '-'
	    && strspn(name + len - 8, "0123456789") == 8)
		snprintf(date, sizeof date, "%.4s-%.2s-%.2s", name + len - 8,
		         name + len - 4, name + len - 2);
	else if (at && strlen(at) >= 10)
		snprintf(date, sizeof date, "%.10s", at);
	if (!prev_seq)
		return kp_err_set(KP_NOTFOUND, "%s", LF("还没有任何记录可以导出；"
		                  "没有写出数据包", "nothing to export: no record "
		                  "has been entered yet; nothing written"));
	return kp_err_set(KP_NOTFOUND, LF("自第 %llu 号数据包（%s，%s）以来没有改动；"
	                  "没有写出数据包", "no changes since bundle %llu (%s, %s); "
	                  "nothing written"), (unsigned long long)prev_seq,
	                  res->name, date);
}

int bundle_name_free(const char *out_dir, const char *name)
{
	struct sbuf p = {0};
	struct stat st;
	int rc = KP_OK;

	if (sbuf_printf(&p, "%s/%s", out_dir, name) != KP_OK)
		return kp_err_nomem();
	if (lstat(p.s, &st) == 0)
		rc = BUNDLE_TAKEN;
	sbuf_free(&p);
	return rc;
}

int bundle_write_data(struct ledger *lg, const struct bundle_export_opts *o,
                      struct bundle_export_result *res)
{
	struct exporter x = { .lg = lg, .o = o, .flags = csv_flags(o) };
	struct kvlist prev = {0}, m = {0};
	char key[64];
	uint64_t prev_seq, prev_to = 0, last = 0;
	const char *v;
	int rc;

	if ((rc = bundle_last(lg, "out:", &prev_seq, &prev)) != KP_OK)
		goto out;
	if (prev_seq && (v = kvl_get(&prev, "change_to")))
		prev_to = strtoull(v, NULL, 10);
	if (prev_seq && (v = kvl_get(&prev, "years_to")))
		x.years_from = o->full ? 0 : strtoull(v, NULL, 10);
	x.from = o->full ? 0 : prev_to;
	/* A change after from means a record whose newest revision is. */
	if ((rc = ledger_changes(lg, x.from, NULL, NULL, &last)) != KP_OK ||
	    (rc = bundle_years_count(lg, x.years_from, &res->events,
	                             &x.years_to)) != KP_OK)
		goto out;
	res->change_from = x.from;
	res->change_to = x.to = last > prev_to ? last : prev_to;
	/* A close or a reopening is news even without a changed record. */
	if (last <= x.from && !res->events && !o->full && !o->empty) {
		/* A missing stick is worth saying even with nothing to put on it. */
		if ((rc = bdir_check(o->out_dir)) == KP_OK)
			rc = nothing_new(&prev, prev_seq, res);
		goto out;
	}
	res->seq = prev_seq + 1;
	bundle_name_data(res->name, keys_identity(lg), res->seq);
	bundle_key_out(key, sizeof key, res->seq);
	if ((rc = bundle_name_free(o->out_dir, res->name)) != KP_OK ||
	    (rc = bdir_begin(&x.dir, o->out_dir, res->name)) != KP_OK)
		goto out;
	rc = bundle_manifest_common(lg, &m, "data", res->seq, res->name, o->gb18030);
	if (rc == KP_OK)
		rc = export_records(&x, prev_to);
	if (rc == KP_OK) {
		res->change_to = x.to;
		kvl_addf(&m, "previous_seq", "%llu", (unsigned long long)prev_seq);
		kvl_add(&m, "previous", prev_seq ? kvl_get(&prev, "name") : "");
		kvl_add(&m, "full", o->full ? "1" : "0");
		kvl_addf(&m, "change_from", "%llu", (unsigned long long)x.from);
		rc = kvl_addf(&m, "change_to", "%llu", (unsigned long long)x.to);
	}
	if (rc == KP_OK && lg->mode == LEDGER_TOWNSHIP) {
		kvl_addf(&m, "years_from", "%llu", (unsigned long long)x.years_from);
		rc = kvl_addf(&m, "years_to", "%llu", (unsigned long long)x.years_to);
	}
	if (rc == KP_OK)
		rc = export_files(&x, &m);
	if (rc == KP_OK && (v = kvl_get(&m, "history")))
		res->history = (size_t)strtoull(v, NULL, 10);
	if (rc == KP_OK)
		rc = bundle_finish(lg, &x.dir, &m, x.flags, key, res);
	res->rows = x.done;
	if (x.att)
		res->att_rows = bundle_att_rows_of(x.att, &res->att_files,
		                                   &res->att_bytes);
	if (rc != KP_OK && !res->path)
		discard_forms(&x);
out:
	if (x.dir.tmp)
		bdir_abort(&x.dir);
	else
		bdir_free(&x.dir);
	free(x.outs);
	bundle_att_free(x.att);
	kvl_free(&prev);
	kvl_free(&m);
	return rc;
}

/* ---- the quota bundle ----------------------------------------------- */

static int write_quota_rows(struct ledger *lg, const char *only,
                            struct csvw *w, size_t *rows)
{
	const struct schema *s = lg->schema;
	size_t t, i, k;
	int y;
	double target;

	for (t = 0; t < s->ntownships; t++) {
		const char *tid = s->townships[t].id;

		if (only && strcmp(only, tid) != 0)
			continue;
		for (k = 0; k < s->nplans; k++)
		for (i = 0; i < s->plans[k].nindicators; i++) {
			const struct plan *p = &s->plans[k];
			const struct indicator *ind = p->indicators[i];

			if (ind->measure == MEASURE_SURVEY)
				continue;
			for (y = p->first_year; y <= p->last_year; y++) {
				if (ledger_quota(lg, y, tid, ind->id, &target) != KP_OK)
					continue;
				if (ind->period == PERIOD_PLAN)
					csvw_fieldf(w, "%d-%d", p->first_year, p->last_year);
				else
					csvw_fieldf(w, "%d", y);
				csvw_field(w, tid);
				csvw_field(w, ind->id);
				csvw_fieldf(w, "%.15g", target);
				csvw_end_row(w);
				(*rows)++;
				if (ind->period == PERIOD_PLAN)
					break;
			}
		}
	}
	return w->status;
}

int bundle_write_quota(struct ledger *lg, const struct bundle_export_opts *o,
                       struct bundle_export_result *res)
{
	static const char *const head[4] = { "year", "township", "indicator",
		"target" };
	const char *to = o->township ? o->township : LEDGER_CITY;
	struct kvlist m = {0};
	struct bdir d = {0};
	struct bfile bf;
	struct csvw w;
	unsigned flags = csv_flags(o);
	uint64_t prev_seq;
	char key[64];
	int rc;

	if (lg->mode != LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", LF("只有市级数据库能导出任务数",
		                  "only a city database exports quotas"));
	if (o->township && !schema_township(lg->schema, o->township))
		return kp_err_set(KP_E_DATA, LF("未知的镇街：%s",
		                  "unknown township: %s"), o->township);
	if ((rc = keys_ensure(lg)) != KP_OK ||
	    (rc = bundle_last(lg, "qout:", &prev_seq, NULL)) != KP_OK)
		return rc;
	res->seq = prev_seq + 1;
	bundle_name_quota(res->name, to, res->seq);
	bundle_key_qout(key, sizeof key, res->seq);
	if ((rc = bundle_name_free(o->out_dir, res->name)) != KP_OK ||
	    (rc = bdir_begin(&d, o->out_dir, res->name)) != KP_OK)
		return rc;
	if ((rc = bfile_open(&d, BUNDLE_QUOTAS, &bf)) != KP_OK)
		goto out;
	csvw_begin(&w, bf.f, flags);
	csvw_row(&w, 4, head);
	rc = write_quota_rows(lg, o->township, &w, &res->rows);
	csvw_finish(&w);
	if (rc == KP_OK && res->rows == 0)
		rc = kp_err_set(KP_E_DATA, "%s", LF("没有可导出的任务数",
		                "there are no quotas to export"));
	if (rc != KP_OK) {
		bfile_discard(&bf);
		goto out;
	}
	if ((rc = bfile_close(&d, &bf)) != KP_OK)
		goto out;
	rc = bundle_manifest_common(lg, &m, "quota", res->seq, res->name, o->gb18030);
	if (rc == KP_OK) {
		kvl_add(&m, "to", to);
		rc = kvl_addf(&m, "rows:quotas", "%zu", res->rows);
	}
	if (rc == KP_OK)
		rc = bundle_finish(lg, &d, &m, flags, key, res);
out:
	if (d.tmp)
		bdir_abort(&d);
	else
		bdir_free(&d);
	kvl_free(&m);
	return rc;
}
