/* bundle_import.c - merging a verified bundle: township data (its rows
 * merged as they are read, bundle_data.c, with its year events and the
 * years it reports for) into the city's database, the city's quotas,
 * forms (bundle_forms.c) and decisions (bundle_decision.c) into a
 * township's. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "stop.h"
#include "text.h"

struct seen {
	uint64_t seq;
	bool full;
};

struct book {
	char prefix[RECORD_NAME_MAX + 8];   /* "in:<who>:", "qin:", "fin:" */
	size_t plen;
	char key[RECORD_NAME_MAX + 32];     /* this bundle's key */
	const char *sums_hex;
	bool exists, same;
	char when[32];                      /* when it was imported */
	struct seen *seen;
	size_t nseen;
	struct sbuf value;                  /* what to store */
};

/* ---- bookkeeping in DB_BUNDLES --------------------------------------- */

static int seen_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct book *bk = ctx;
	struct kvlist mf = {0};
	struct seen *ns;
	const char *full, *sums, *when;
	char num[24];

	if (kn <= bk->plen || memcmp(k, bk->prefix, bk->plen) != 0)
		return KP_NOTFOUND;
	if (kn - bk->plen >= sizeof num)
		return KP_OK;
	memcpy(num, (const char *)k + bk->plen, kn - bk->plen);
	num[kn - bk->plen] = '\0';
	if (kvl_parse("DB_BUNDLES", v, vn, &mf) != KP_OK)
		return KP_OK;   /* unreadable bookkeeping must not block imports */
	ns = realloc(bk->seen, (bk->nseen + 1) * sizeof *ns);
	if (!ns) {
		kvl_free(&mf);
		return kp_err_nomem();
	}
	bk->seen = ns;
	ns[bk->nseen].seq = strtoull(num, NULL, 10);
	full = kvl_get(&mf, "full");
	ns[bk->nseen].full = full && strcmp(full, "1") == 0;
	bk->nseen++;
	if (kn == strlen(bk->key) && memcmp(k, bk->key, kn) == 0) {
		bk->exists = true;
		sums = kvl_get(&mf, "sums_sha256");
		bk->same = sums && strcmp(sums, bk->sums_hex) == 0;
		when = kvl_get(&mf, "imported_at");
		bundle_time_local(when, bk->when, sizeof bk->when);
	}
	kvl_free(&mf);
	return KP_OK;
}

static int seen_txn(struct store_txn *t, void *ctx)
{
	struct book *bk = ctx;

	bk->nseen = 0;
	bk->exists = bk->same = false;
	return store_iter(t, DB_BUNDLES, bk->prefix, bk->plen, false, seen_fn, bk);
}

static int book_init(struct ledger *lg, struct bload *b, struct book *bk)
{
	struct kvlist mf = {0};
	char now[32];
	size_t i;
	int rc;

	memset(bk, 0, sizeof *bk);
	if (b->kind == BUNDLE_QUOTA) {
		snprintf(bk->prefix, sizeof bk->prefix, "qin:");
		bundle_key_qin(bk->key, sizeof bk->key, b->seq);
	} else if (b->kind == BUNDLE_FORMS) {
		snprintf(bk->prefix, sizeof bk->prefix, "fin:");
		bundle_key_fin(bk->key, sizeof bk->key, b->seq);
	} else if (b->kind == BUNDLE_DECISION) {
		snprintf(bk->prefix, sizeof bk->prefix, "din:");
		bundle_key_din(bk->key, sizeof bk->key, b->seq);
	} else {
		snprintf(bk->prefix, sizeof bk->prefix, "in:%s:", b->who);
		bundle_key_in(bk->key, sizeof bk->key, b->who, b->seq);
	}
	bk->plen = strlen(bk->prefix);
	bk->sums_hex = b->sums_hex;
	if ((rc = store_read(lg->st, seen_txn, bk)) != KP_OK)
		return rc;
	/* The stored value: the bundle's manifest plus how it arrived. */
	bundle_time_format((int64_t)time(NULL), now);
	for (i = 0; i < b->mf.n; i++)
		if ((rc = kvl_add(&mf, b->mf.v[i].name, b->mf.v[i].value)) != KP_OK)
			goto out;
	/* A failed kvl_add is sticky: the last one returns it. */
	kvl_add(&mf, "sums_sha256", b->sums_hex);
	kvl_add(&mf, "imported_at", now);
	rc = kvl_add(&mf, "imported_by", lg->user[0] ? lg->user :
	             record_current_user());
	if (rc == KP_OK)
		rc = kvl_format(&mf, CSVW_CRLF, &bk->value);
out:
	kvl_free(&mf);
	return rc;
}

static void book_free(struct book *bk)
{
	free(bk->seen);
	sbuf_free(&bk->value);
}

static int cmp_seen(const void *a, const void *b)
{
	uint64_t x = ((const struct seen *)a)->seq;
	uint64_t y = ((const struct seen *)b)->seq;

	return x < y ? -1 : x > y;
}

#define BUNDLE_MAX_GAPS 10

static int gap_note(struct bload *b, struct bundle_summary *s, uint64_t lo,
                    uint64_t hi)
{
	if (lo == hi)
		return bundle_msg_add(&s->notes, &s->nnotes,
		                      LF("%s 的第 %llu 号数据包缺失（在 %llu 和 %llu 之间）："
		                      "请向 %s 要这一个包，或请它用 kepu export --full 导出一次全部记录",
		                      "%s: bundle %llu is missing (between %llu "
		                      "and %llu): ask %s for it, or for a bundle of "
		                      "every record (kepu export --full)"), b->who,
		                      (unsigned long long)lo, (unsigned long long)lo - 1,
		                      (unsigned long long)lo + 1, b->who);
	return bundle_msg_add(&s->notes, &s->nnotes,
	                      LF("%s 的第 %llu 至 %llu 号数据包缺失：请向 %s 要这些包，"
	                      "或请它用 kepu export --full 导出一次全部记录",
	                      "%s: bundles %llu to %llu are missing: ask %s for "
	                      "them, or for a bundle of every record (kepu export "
	                      "--full)"), b->who, (unsigned long long)lo,
	                      (unsigned long long)hi, b->who);
}

/* Missing numbers below the newest bundle, once this one is in; a full
 * bundle covers everything before it.  The numbers come from manifests,
 * so only the gaps between neighbours are walked, never every number. */
static int report_gaps(struct bload *b, struct book *bk,
                       struct bundle_summary *s, bool full)
{
	uint64_t base = full ? b->seq : 0, prev;
	struct seen *ns;
	size_t i, ngaps = 0;
	int rc;

	for (i = 0; i < bk->nseen; i++)
		if (bk->seen[i].full && bk->seen[i].seq > base)
			base = bk->seen[i].seq;
	/* This bundle counts as seen. */
	ns = realloc(bk->seen, (bk->nseen + 1) * sizeof *ns);
	if (!ns)
		return kp_err_nomem();
	bk->seen = ns;
	ns[bk->nseen].seq = b->seq;
	ns[bk->nseen].full = full;
	qsort(ns, bk->nseen + 1, sizeof *ns, cmp_seen);
	prev = base;
	for (i = 0; i <= bk->nseen; i++) {
		uint64_t q = ns[i].seq;

		if (q <= prev)
			continue;
		if (q - prev > 1 && ngaps++ < BUNDLE_MAX_GAPS &&
		    (rc = gap_note(b, s, prev + 1, q - 1)) != KP_OK)
			return rc;
		prev = q;
	}
	if (ngaps > BUNDLE_MAX_GAPS)
		return bundle_msg_add(&s->notes, &s->nnotes,
		                      LF("%s 还有 %zu 处缺号未列出",
		                      "%s: %zu more gaps not listed"), b->who,
		                      ngaps - BUNDLE_MAX_GAPS);
	return KP_OK;
}

static int book_txn(struct store_txn *t, void *ctx)
{
	struct book *bk = ctx;

	return store_put(t, DB_BUNDLES, bk->key, strlen(bk->key), bk->value.s,
	                 bk->value.len);
}

/* Same number, same contents: nothing to do.  Same number, different
 * contents: someone made two bundles with one number. */
static int check_again(struct book *bk, struct bload *b,
                       struct bundle_summary *s)
{
	if (!bk->exists)
		return KP_OK;
	if (bk->same) {
		size_t i;

		s->already = true;
		for (i = 0; i < b->mf.n; i++)
			if (strncmp(b->mf.v[i].name, "rows:", 5) == 0
			    || (b->kind == BUNDLE_FORMS && strcmp(b->mf.v[i].name, "files") == 0))
				s->rows += strtoull(b->mf.v[i].value, NULL, 10);
		s->n_unchanged = b->kind == BUNDLE_FORMS ? 0 : s->rows;
		return bundle_msg_add(&s->notes, &s->nnotes,
		                      LF("%s 已于 %s 导入过，没有任何改变",
		                      "%s was already imported at %s; nothing "
		                      "changed"), s->name, bk->when);
	}
	bundle_problem(s, LF("%s 的第 %llu 号数据包已导入过，但内容不同；"
	               "请与 %s 核对", "%s: bundle %llu was already imported "
	               "with different contents; check with %s"),
	               b->who, (unsigned long long)b->seq, b->who);
	return kp_err_set(KP_E_DATA, LF("%s：与已导入的包冲突",
	                  "%s: conflicts with a bundle already imported"),
	                  s->name);
}

/* ---- data ------------------------------------------------------------ */

/* A data bundle's rows merged as they are read (bundle_read_data), in the
 * one write transaction of ledger_merge_rows: each row's outcome counted,
 * a rejected row's errors made problems (FILE:LINE), then the changes of
 * history.csv kept and the bundle recorded, unless any row was rejected.
 * The transaction may run again (the database had to grow): everything is
 * counted afresh. */
struct dmerge {
	struct ledger *lg;
	struct bload *b;
	struct bundle_summary *s;
	struct book *bk;
	bool dry_run;
	bundle_progress_fn progress;
	void *pctx;
	size_t total;                 /* rows the manifest counts */
	size_t mark, more;            /* s's problems before the merge */
	size_t closed;                /* rows refused for a closed year */
	struct store_txn *t;
	ledger_merge_fn merge;
	void *mctx;
	struct check_result res;
};

static int d_reject(struct dmerge *dm, const struct brow *pos)
{
	size_t j;
	int rc = KP_OK;

	for (j = 0; j < dm->res.nfindings && !rc; j++) {
		const struct finding *f = &dm->res.findings[j];

		if (f->sev != SEV_ERROR)
			continue;
		/* The reason once; then only how many more. */
		if (f->kind == FK_CLOSED && dm->closed++ >= 1)
			continue;
		rc = bundle_problem(dm->s, "%s:%zu: %s%s%s",
		                    dm->b->files[pos->file], pos->line, f->field,
		                    f->field[0] ? ": " : "", finding_msg(f));
	}
	return rc;
}

static int d_record(void *ctx, struct record *rec, const struct brow *pos,
                    enum merge_outcome *out)
{
	struct dmerge *dm = ctx;
	struct bundle_summary *s = dm->s;
	size_t done;
	int rc;

	check_result_free(&dm->res);
	if ((rc = dm->merge(dm->mctx, rec, out, &dm->res)) != KP_OK)
		return rc;
	switch (*out) {
	case MERGE_NEW:       s->n_new++; break;
	case MERGE_UPDATED:   s->n_updated++; break;
	case MERGE_UNCHANGED: s->n_unchanged++; break;
	case MERGE_STALE:     s->n_stale++; break;
	case MERGE_REJECTED:  s->n_rejected++; break;
	}
	done = s->n_new + s->n_updated + s->n_unchanged + s->n_stale + s->n_rejected;
	if (dm->progress && done % 4096 == 0)
		dm->progress(dm->pctx, LF("合并", "merging"), done, dm->total);
	return *out == MERGE_REJECTED ? d_reject(dm, pos) : KP_OK;
}

/* A change made elsewhere, of a record stored or found unchanged. */
static int d_change(void *ctx, const struct ledger_log_entry *e)
{
	struct dmerge *dm = ctx;

	if (dm->dry_run || dm->s->n_rejected)
		return KP_OK;
	return ledger_history_put(dm->t, e);
}

static int d_source(void *sctx, struct store_txn *t, ledger_merge_fn merge,
                    void *mctx)
{
	struct dmerge *dm = sctx;
	struct bundle_sink sink = { d_record, d_change, dm };
	struct bundle_summary *s = dm->s;
	int rc;

	bundle_problems_keep(s, dm->mark, dm->more);
	s->n_new = s->n_updated = s->n_unchanged = s->n_stale = s->n_rejected = 0;
	dm->closed = 0;
	dm->t = t;
	dm->merge = merge;
	dm->mctx = mctx;
	rc = bundle_read_data(dm->lg, s, dm->b, &sink, false);
	if (rc == KP_OK && dm->closed > 1)
		rc = bundle_problem(s, LF("另有 %zu 行同样改动了已关闭年度的记录",
		                    dm->closed - 1 == 1
		                    ? "and %zu more row changes a record of a closed year"
		                    : "and %zu more rows change records of closed years"),
		                    dm->closed - 1);
	if (rc == KP_OK && !dm->dry_run)
		rc = book_txn(t, dm->bk);
	return rc;
}

/* What the rows hold, from the manifest: their count, the bytes of the
 * files that hold them. */
static uint64_t data_size(const struct bload *b, size_t *rows)
{
	uint64_t bytes = 0;
	size_t i;

	*rows = 0;
	for (i = 0; i < b->mf.n; i++) {
		const char *k = b->mf.v[i].name;

		if (strncmp(k, "rows:", 5) == 0)
			*rows += (size_t)strtoull(b->mf.v[i].value, NULL, 10);
		else if (strncmp(k, "bytes:", 6) == 0 && !strchr(k + 6, '/'))
			bytes += strtoull(b->mf.v[i].value, NULL, 10);
	}
	return bytes;
}

/* What the database grows by per byte of a bundle's files: a record row
 * as a revision with its keys and indexes, history.csv's rows as the
 * changes the city keeps (bench/bulk-bench.py measures it). */
#define IMPORT_GROWTH 1

static int import_data(struct ledger *lg, struct bload *b, bool dry_run,
                       struct book *bk, struct bundle_summary *s,
                       bundle_progress_fn progress, void *pctx)
{
	struct merge_bundle mb = { b->who, b->events, b->nevents, b->years,
	                           b->nyears, 0, false };
	struct dmerge dm = { .lg = lg, .b = b, .s = s, .bk = bk,
	                     .dry_run = dry_run, .progress = progress,
	                     .pctx = pctx, .mark = s->nproblems,
	                     .more = s->more_problems };
	uint64_t bytes = data_size(b, &dm.total);
	int rc;

	if (lg->mode != LEDGER_CITY_MODE) {
		bundle_problem(s, "%s", LF("镇街数据库只能导入市里发来的包（任务数、表单、决定）",
		               "a township database imports only the city's "
		               "bundles (quotas, forms, decisions)"));
		return kp_err_set(KP_E_DATA, LF("%s：不能导入到镇街数据库",
		                  "%s: cannot be imported into a township "
		                  "database"), s->name);
	}
	check_result_init(&dm.res);
	rc = ledger_merge_rows(lg, d_source, &dm, &mb, bytes * IMPORT_GROWTH,
	                       dry_run, NULL);
	check_result_free(&dm.res);
	s->events_new = mb.events_new;
	/* The bytes once the records are in, a file at a time
	 * (bundle_attach.c says why). */
	if (rc == KP_OK)
		rc = bundle_att_store(lg, b, dry_run, s);
	if (rc == KP_E_DATA && s->n_rejected)
		rc = kp_err_set(KP_E_DATA, LF("%s：有 %zu 行未通过检查，整个包未导入",
		                s->n_rejected == 1 ? "%s: %zu row failed the checks; "
		                "nothing imported" : "%s: %zu rows failed the checks; "
		                "nothing imported"), s->name, s->n_rejected);
	else if (rc == KP_E_DATA && mb.events_conflict) {
		/* A year event at odds with one received before. */
		bundle_problem(s, "%s: %s", BUNDLE_YEARS, kp_err_msg());
		rc = kp_err_set(KP_E_DATA, LF("%s：年度记录冲突，整个包未导入",
		                "%s: a year event conflicts; nothing imported"),
		                s->name);
	}
	s->stored = rc == KP_OK && !dry_run;
	return rc;
}

/* ---- quotas ---------------------------------------------------------- */

/* Quota bundles replace targets: one older than a bundle already taken
 * would put old targets back. */
static int check_stale(struct bload *b, struct book *bk,
                       struct bundle_summary *s)
{
	uint64_t newest = 0;
	size_t i;

	for (i = 0; i < bk->nseen; i++)
		if (bk->seen[i].seq > newest)
			newest = bk->seen[i].seq;
	if (newest <= b->seq)
		return KP_OK;
	bundle_problem(s, LF("任务数包第 %llu 号比已导入的第 %llu 号旧，"
	               "其中的任务数已过时", "quota bundle %llu is older than "
	               "quota bundle %llu, already imported: its quotas are "
	               "stale"), (unsigned long long)b->seq,
	               (unsigned long long)newest);
	return kp_err_set(KP_E_DATA, LF("%s：过时的任务数包，未导入",
	                  "%s: stale quota bundle; nothing imported"), s->name);
}

static int import_quotas(struct ledger *lg, struct bload *b, bool dry_run,
                         struct book *bk, struct bundle_summary *s)
{
	struct quota_row *mine;
	size_t i, n = 0;
	double old;
	int rc;

	if (lg->mode != LEDGER_TOWNSHIP) {
		bundle_problem(s, "%s", LF("市级数据库不导入任务数包",
		               "a city database does not import quota bundles"));
		return kp_err_set(KP_E_DATA, LF("%s：不能导入到市级数据库",
		                  "%s: cannot be imported into a city database"),
		                  s->name);
	}
	if ((rc = check_stale(b, bk, s)) != KP_OK)
		return rc;
	mine = calloc(b->nquotas ? b->nquotas : 1, sizeof *mine);
	if (!mine)
		return kp_err_nomem();
	for (i = 0; i < b->nquotas; i++) {
		const struct quota_row *q = &b->quotas[i];

		if (strcmp(q->township, lg->township) != 0)
			continue;
		mine[n++] = *q;
		if (ledger_quota(lg, q->year, q->township, q->indicator, &old) != KP_OK)
			s->n_new++;
		else if (old != q->target)
			s->n_updated++;
		else
			s->n_unchanged++;
	}
	s->rows = n;
	if (n == 0) {
		bundle_problem(s, LF("包中没有 %s 的任务数", "the bundle holds no "
		               "quotas for %s"), lg->township);
		rc = kp_err_set(KP_E_DATA, LF("%s：不是给本镇街的任务数包",
		                "%s: not a quota bundle for this township"),
		                s->name);
		goto out;
	}
	rc = KP_OK;
	if (dry_run)
		goto out;
	/* The quotas and the record of this bundle go in one transaction. */
	if ((rc = ledger_set_quotas_with(lg, mine, n, book_txn, bk)) == KP_OK)
		s->stored = true;
out:
	free(mine);
	return rc;
}

struct early {
	struct ledger *lg;
	struct bundle_summary *s;
	struct book *bk;
};

/* Known already?  Then the rows need not even be read. */
static int before_rows(void *ctx, struct bload *b)
{
	struct early *e = ctx;
	int rc;

	e->s->forms_from = e->lg->schema->version;
	if ((rc = book_init(e->lg, b, e->bk)) != KP_OK ||
	    (rc = check_again(e->bk, b, e->s)) != KP_OK)
		return rc;
	return e->s->already ? KP_NOTFOUND : KP_OK;
}

/* A bundle imported before whose attachment files did not all get in (an
 * import cut short after its records were stored): the files it has that
 * the database lacks are stored now, and nothing else changes. */
static int store_again(struct ledger *lg, struct bload *b, bool dry_run,
                       struct bundle_summary *s)
{
	int rc = bundle_att_store(lg, b, dry_run, s);

	if (rc == KP_OK && s->att_stored)
		rc = bundle_msg_add(&s->notes, &s->nnotes, LF("补存了 %zu 个上次未存完的附件",
		                    "stored %zu attachment files a previous import "
		                    "had not finished"), s->att_stored);
	s->stored = rc == KP_OK && s->att_stored && !dry_run;
	return rc;
}

int bundle_import(struct ledger *lg, const char *path, bool dry_run,
                  bundle_progress_fn progress, void *progress_ctx,
                  struct bundle_summary *s)
{
	struct bload b;
	struct book bk;
	struct early e = { lg, s, &bk };
	int rc;

	memset(&bk, 0, sizeof bk);
	if (progress)
		progress(progress_ctx, LF("校验", "verifying"), 0, 0);
	rc = bundle_load(lg, path, s, &b, before_rows, &e);
	if (rc == KP_E_DATA && b.kind == BUNDLE_DATA && b.mf_ok)
		bundle_read_data(lg, s, &b, NULL, true);   /* every file's problem */
	/* Known already: its files are only hashed, never parsed; one that
	 * changed since makes it no bundle known. */
	if (rc == KP_OK && s->already && b.kind == BUNDLE_DATA) {
		rc = bundle_read_data(lg, s, &b, NULL, true);
		if (rc == KP_OK) {
			rc = store_again(lg, &b, dry_run, s);
		} else if (s->nnotes) {
			s->already = false;
			s->n_unchanged = s->rows = 0;
			free(s->notes[--s->nnotes]);
		}
	}
	if (rc != KP_OK || s->already || (rc = stop_point()) != KP_OK)
		goto out;
	if (b.kind == BUNDLE_DATA &&
	    (rc = report_gaps(&b, &bk, s, s->full)) != KP_OK)
		goto out;
	if (progress)
		progress(progress_ctx, LF("合并", "merging"), 0, 0);
	if (b.kind == BUNDLE_QUOTA)
		rc = import_quotas(lg, &b, dry_run, &bk, s);
	else if (b.kind == BUNDLE_FORMS)
		rc = bundle_forms_import(lg, &b, dry_run, dry_run ? NULL : book_txn, &bk, s);
	else if (b.kind == BUNDLE_DECISION)
		rc = bundle_decision_import(lg, &b, dry_run, dry_run ? NULL : book_txn,
		                            &bk, s);
	else
		rc = import_data(lg, &b, dry_run, &bk, s, progress, progress_ctx);
	if (progress && rc == KP_OK)
		progress(progress_ctx, LF("合并", "merging"), s->rows, s->rows);
out:
	book_free(&bk);
	bload_free(&b);
	return rc;
}
