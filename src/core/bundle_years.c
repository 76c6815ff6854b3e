/* bundle_years.c - the year events a bundle carries: a township's closes
 * and reopenings in its data bundles (years.csv), the city's decisions in
 * its decision bundles (decisions.csv, bundle_decision.c writes and takes
 * them); and the years a data bundle's progress report covers, which say
 * which years it reports for.
 *
 *   years.csv       township,seq,year,event,by,at,reason
 *   decisions.csv   township,seq,year,decision,close_seq,by,at,reason
 *
 * seq is the number the maker gave the event (the township's for events,
 * the city's for decisions), at the time it was made (UTC, as every time
 * in a bundle); close_seq the number of the township's close a decision
 * judges.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

static const char *const years_head[] = {
	"township", "seq", "year", "event", "by", "at", "reason",
};
static const char *const decisions_head[] = {
	"township", "seq", "year", "decision", "close_seq", "by", "at",
	"reason",
};
#define NYEARS_HEAD (sizeof years_head / sizeof years_head[0])
#define NDECISIONS_HEAD (sizeof decisions_head / sizeof decisions_head[0])

/* ---- writing ---------------------------------------------------------- */

void bundle_event_row(struct csvw *w, const struct year_event *ev)
{
	char at[32];

	bundle_time_format(ev->at, at);
	csvw_field(w, ev->township);
	csvw_fieldf(w, "%llu", (unsigned long long)ev->seq);
	csvw_fieldf(w, "%d", ev->year);
	csvw_field(w, year_event_word(ev->kind));
	if (ev->kind == YE_APPROVED || ev->kind == YE_RETURNED)
		csvw_fieldf(w, "%llu", (unsigned long long)ev->close_seq);
	csvw_field(w, ev->by);
	csvw_field(w, at);
	csvw_field(w, ev->reason);
	csvw_end_row(w);
}

void bundle_event_head(struct csvw *w, bool decisions)
{
	if (decisions)
		csvw_row(w, NDECISIONS_HEAD, decisions_head);
	else
		csvw_row(w, NYEARS_HEAD, years_head);
}

struct count_ctx {
	uint64_t after, last;
	size_t n;
	struct csvw *w;               /* NULL: count only */
};

static int count_fn(void *ctx, const struct year_event *ev)
{
	struct count_ctx *cc = ctx;

	if (ev->seq > cc->last)
		cc->last = ev->seq;
	if (ev->seq <= cc->after)
		return KP_OK;
	cc->n++;
	if (cc->w)
		bundle_event_row(cc->w, ev);
	return cc->w ? cc->w->status : KP_OK;
}

int bundle_years_count(struct ledger *lg, uint64_t after, size_t *n,
                       uint64_t *last)
{
	struct count_ctx cc = { after, 0, 0, NULL };
	int rc = KP_OK;

	if (lg->mode == LEDGER_TOWNSHIP)
		rc = ledger_year_events(lg, lg->township, false, 0, count_fn, &cc);
	*n = cc.n;
	*last = cc.last > after ? cc.last : after;
	return rc;
}

int bundle_years_write(struct ledger *lg, struct bdir *d, unsigned flags,
                       uint64_t after, size_t *rows)
{
	struct bfile bf;
	struct csvw w;
	struct count_ctx cc = { after, 0, 0, &w };
	int rc;

	if ((rc = bfile_open(d, BUNDLE_YEARS, &bf)) != KP_OK)
		return rc;
	csvw_begin(&w, bf.f, flags);
	bundle_event_head(&w, false);
	if (lg->mode == LEDGER_TOWNSHIP)
		rc = ledger_year_events(lg, lg->township, false, 0, count_fn, &cc);
	if (csvw_finish(&w) != KP_OK && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
		                BUNDLE_YEARS, fs_errno_text(bf.err ? bf.err : EIO));
	if (rc != KP_OK) {
		bfile_discard(&bf);
		return rc;
	}
	*rows = cc.n;
	return bfile_close(d, &bf);
}

/* ---- reading ---------------------------------------------------------- */

struct ectx {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	const char *file;
	bool decisions;
	const char *township;         /* whose events they must be */
	bool header;
	size_t rows;
};

static int bad(struct ectx *e, size_t line, const char *col, const char *msg,
               const char *v)
{
	return bundle_problem(e->s, "%s:%zu: %s: %s%s%s", e->file, line, col, msg,
	                      *v ? ": " : "", v);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	*out = strtoull(s, &end, 10);
	return *out > 0;
}

/* One row into ev; problems go to s (returns KP_OK with ev->kind YE_NONE
 * when the row is refused). */
static int event_row(struct ectx *e, size_t line, char **f,
                     struct year_event *ev)
{
	const struct schema *sc = e->lg->schema;
	const char *word, *by, *at, *reason;
	uint64_t y;

	memset(ev, 0, sizeof *ev);
	word = f[3];
	by = f[e->decisions ? 5 : 4];
	at = f[e->decisions ? 6 : 5];
	reason = f[e->decisions ? 7 : 6];
	if (strcmp(f[0], e->township) != 0)
		return bad(e, line, "township", L("不是这个包的镇街", "not this bundle's township"), f[0]);
	if (!parse_u64(f[1], &ev->seq))
		return bad(e, line, "seq", L("应为正整数", "must be a positive number"), f[1]);
	if (!parse_u64(f[2], &y) || y < (uint64_t)schema_first_year(sc) || y > 9999)
		return bad(e, line, "year", L("年份无效", "not a year of the plans"), f[2]);
	ev->kind = year_event_kind_of(word);
	if (e->decisions ? !(ev->kind == YE_APPROVED || ev->kind == YE_RETURNED)
	                 : !(ev->kind == YE_CLOSED || ev->kind == YE_REOPENED)) {
		ev->kind = YE_NONE;
		return bad(e, line, e->decisions ? "decision" : "event",
		           e->decisions ? L("应为 approved 或 returned", "must be approved or returned")
		                        : L("应为 closed 或 reopened", "must be closed or reopened"),
		           word);
	}
	if (e->decisions && !parse_u64(f[4], &ev->close_seq))
		return bad(e, line, "close_seq", L("应为正整数", "must be a positive number"), f[4]);
	if (!*by || strlen(by) >= sizeof ev->by || text_check_storable(by) != KP_OK)
		return bad(e, line, "by", L("账号无效", "not an account"), by);
	if (bundle_time_parse(at, &ev->at) != KP_OK)
		return bad(e, line, "at", kp_err_msg(), "");
	if (strlen(reason) >= sizeof ev->reason || text_check_storable(reason) != KP_OK)
		return bad(e, line, "reason", L("不能保存的文字", "text that cannot be stored"), "");
	if (!*reason && (ev->kind == YE_REOPENED || ev->kind == YE_RETURNED))
		return bad(e, line, "reason", L("缺少理由", "the reason is missing"), "");
	snprintf(ev->township, sizeof ev->township, "%s", f[0]);
	ev->year = (int)y;
	snprintf(ev->by, sizeof ev->by, "%s", by);
	snprintf(ev->reason, sizeof ev->reason, "%s", reason);
	return KP_OK;
}

static int event_row_fn(void *ctx, size_t line, size_t nf, char **f,
                        const size_t *lens)
{
	struct ectx *e = ctx;
	const char *const *head = e->decisions ? decisions_head : years_head;
	size_t want = e->decisions ? NDECISIONS_HEAD : NYEARS_HEAD, i;
	struct year_event ev;
	int rc;

	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!e->header) {
		e->header = true;
		for (i = 0; i < want; i++)
			if (nf != want || strcmp(f[i], head[i]) != 0)
				return bundle_problem(e->s, LF("%s:%zu：表头不对",
				                      "%s:%zu: the header is not the one "
				                      "kepu writes"), e->file, line);
		return KP_OK;
	}
	e->rows++;
	if (nf != want)
		return bundle_problem(e->s, LF("%s:%zu：应有 %zu 列", "%s:%zu: "
		                      "should have %zu columns"), e->file, line, want);
	if ((rc = event_row(e, line, f, &ev)) != KP_OK || ev.kind == YE_NONE ||
	    e->s->nproblems)
		return rc;
	if ((rc = array_grow(&e->b->events, sizeof *e->b->events, &e->b->evcap,
	                     e->b->nevents)) != KP_OK)
		return rc;
	e->b->events[e->b->nevents++] = ev;
	return KP_OK;
}

int bundle_events_read(struct ledger *lg, struct bundle_summary *s,
                       struct bload *b, const char *file, const char *township,
                       const char *buf, size_t len, size_t *rows)
{
	struct ectx e = { lg, s, b, file, strcmp(file, BUNDLE_DECISIONS) == 0,
	                  township, false, 0 };
	int rc;

	rc = csvio_read_mem_as(file, bundle_encoding(b), buf, len, event_row_fn, &e);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc != KP_OK)
		return rc;
	if (!e.header)
		return bundle_problem(s, LF("%s：文件是空的", "%s: the file is empty"),
		                      file);
	*rows = e.rows;
	return KP_OK;
}

/* The row count against the manifest's key. */
static int count_check(struct bundle_summary *s, struct bload *b,
                       const char *file, const char *key, size_t got)
{
	const char *want = kvl_get(&b->mf, key);

	if (!want)
		return bundle_problem(s, LF("manifest.csv 缺少 %s",
		                      "manifest.csv lacks %s"), key);
	if (strtoull(want, NULL, 10) != got)
		return bundle_problem(s, LF("%s 有 %zu 行，清单写的是 %s 行",
		                      "%s has %zu rows, the manifest says %s"),
		                      file, got, want);
	return KP_OK;
}

int bundle_years_load(struct ledger *lg, struct bundle_summary *s,
                      struct bload *b, const char *file, bool listed,
                      const char *buf, size_t len, const char *progress,
                      size_t plen)
{
	bool decisions = strcmp(file, BUNDLE_DECISIONS) == 0;
	const char *key = decisions ? "rows:decisions" : "year_events";
	const char *to = kvl_get(&b->mf, "to");
	size_t rows = 0;
	int rc;

	if (!decisions && progress &&
	    (rc = bundle_progress_years(lg, b, progress, plen)) != KP_OK)
		return rc;
	/* Bundles made before year events have neither file nor key. */
	if (!decisions && !listed && !kvl_get(&b->mf, key))
		return KP_OK;
	if (!buf)
		return bundle_problem(s, LF("缺少文件：%s", "missing file: %s"), file);
	rc = bundle_events_read(lg, s, b, file, decisions ? (to ? to : "") : b->who,
	                        buf, len, &rows);
	if (rc != KP_OK || s->nproblems)
		return rc;
	if (decisions)
		s->rows = rows;
	else
		s->events = b->nevents;
	return decisions || kvl_get(&b->mf, key) ? count_check(s, b, file, key, rows)
	                                         : KP_OK;
}

/* ---- the years a progress report covers -------------------------------- */

struct pctx {
	struct bload *b;
	int first;
	bool header;
};

static int progress_fn(void *ctx, size_t line, size_t nf, char **f,
                       const size_t *lens)
{
	struct pctx *p = ctx;
	struct bload *b = p->b;
	uint64_t y;
	size_t i;
	int rc;

	(void)line;
	(void)lens;
	if (!p->header) {
		p->header = true;
		return KP_OK;
	}
	if (nf < 1 || !parse_u64(f[0], &y) || y < (uint64_t)p->first || y > 9999)
		return KP_OK;
	for (i = 0; i < b->nyears; i++)
		if (b->years[i] == (int)y)
			return KP_OK;
	if ((rc = array_grow(&b->years, sizeof *b->years, &b->ycap, b->nyears)))
		return rc;
	b->years[b->nyears++] = (int)y;
	return KP_OK;
}

int bundle_progress_years(struct ledger *lg, struct bload *b, const char *buf,
                          size_t len)
{
	struct pctx p = { b, schema_first_year(lg->schema), false };
	int rc;

	/* Informational: a row that is not a year of the plans says nothing. */
	rc = csvio_read_mem_as(BUNDLE_PROGRESS, bundle_encoding(b), buf, len,
	                       progress_fn, &p);
	return rc == KP_E_DATA ? KP_OK : rc;
}
