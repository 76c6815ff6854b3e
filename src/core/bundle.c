/* bundle.c - what the other bundle files share (they use it, it uses none
 * of them): the manifest list, names, times and bookkeeping keys, the
 * declared encoding, and the results (a summary and its problems).  The
 * crash-safe folder writer is bundle_dir.c. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_int.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "lang.h"
#include "text.h"

const char *const bundle_cols[COL__COUNT] = {
	"id", "township", "rev", "deleted", "created_by", "created_at",
	"changed_by", "changed_at", "form_version", "attachments",
};

/* ---- key,value lists ------------------------------------------------ */

void kvl_free(struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

int kvl_add(struct kvlist *l, const char *k, const char *v)
{
	char *kc, *vc;

	if (l->err)
		return l->err;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct kv *nv = realloc(l->v, cap * sizeof *nv);

		if (!nv)
			goto nomem;
		l->v = nv;
		l->cap = cap;
	}
	kc = xstrdup(k);
	vc = xstrdup(v ? v : "");
	if (!kc || !vc) {
		free(kc);
		free(vc);
		goto nomem;
	}
	l->v[l->n].name = kc;
	l->v[l->n].value = vc;
	l->n++;
	return KP_OK;
nomem:
	l->err = KP_E_NOMEM;
	return kp_err_nomem();
}

int kvl_addf(struct kvlist *l, const char *k, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return kvl_add(l, k, buf);
}

const char *kvl_get(const struct kvlist *l, const char *k)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, k) == 0)
			return l->v[i].value;
	return NULL;
}

struct kvl_parse_ctx {
	const char *name;
	struct kvlist *l;
	bool header;
};

static int kvl_row(void *ctx, size_t line, size_t nf, char **f,
                   const size_t *lens)
{
	struct kvl_parse_ctx *pc = ctx;

	(void)lens;
	if (!pc->header) {
		pc->header = true;
		if (nf != 2 || strcmp(f[0], "key") || strcmp(f[1], "value"))
			return kp_err_set(KP_E_DATA, LF("%s:%zu：表头应为 key,value",
			                  "%s:%zu: the header must be key,value"),
			                  pc->name, line);
		return KP_OK;
	}
	if (nf != 2)
		return kp_err_set(KP_E_DATA, LF("%s:%zu：应有 2 列，实有 %zu 列",
		                  "%s:%zu: 2 columns expected, found %zu"),
		                  pc->name, line, nf);
	if (kvl_get(pc->l, f[0]))
		return kp_err_set(KP_E_DATA, LF("%s:%zu：键 %s 重复",
		                  "%s:%zu: key %s appears twice"),
		                  pc->name, line, f[0]);
	return kvl_add(pc->l, f[0], csvio_restore(f[1]));
}

int kvl_parse(const char *name, const char *buf, size_t n, struct kvlist *l)
{
	return kvl_parse_as(name, NULL, buf, n, l);
}

int kvl_parse_as(const char *name, const char *encoding, const char *buf,
                 size_t n, struct kvlist *l)
{
	struct kvl_parse_ctx pc = { name, l, false };
	int rc = csvio_read_mem_as(name, encoding, buf, n, kvl_row, &pc);

	if (rc == KP_OK && !pc.header)
		rc = kp_err_set(KP_E_DATA, LF("%s：文件是空的", "%s: the file is empty"),
		                name);
	return rc;
}

int kvl_format(const struct kvlist *l, unsigned flags, struct sbuf *b)
{
	char *mem = NULL;
	size_t memn = 0, i;
	struct csvw w;
	FILE *f;
	int rc;

	if (l->err)
		return kp_err_set(l->err, "%s", kp_strerror(l->err));
	f = open_memstream(&mem, &memn);
	if (!f)
		return kp_err_nomem();
	csvw_begin(&w, f, flags);
	csvw_field(&w, "key");
	csvw_field(&w, "value");
	csvw_end_row(&w);
	for (i = 0; i < l->n; i++) {
		csvw_field(&w, l->v[i].name);
		csvw_field(&w, l->v[i].value);
		csvw_end_row(&w);
	}
	rc = csvw_finish(&w);
	if (fclose(f) != 0 && rc == KP_OK)
		rc = kp_err_nomem();
	if (rc == KP_OK)
		rc = sbuf_add(b, mem, memn);
	free(mem);
	return rc;
}

/* ---- names, times, messages, bookkeeping ---------------------------- */

void bundle_time_format(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Read for every row of a bundle's files: digits by hand, not sscanf and
 * timegm. */
int bundle_time_parse(const char *s, int64_t *out)
{
	struct kdate d;
	int hh, mi, ss;

	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    (d.y = digits(s, 4)) < 0 || (d.m = digits(s + 5, 2)) < 0 ||
	    (d.d = digits(s + 8, 2)) < 0 || (hh = digits(s + 11, 2)) < 0 ||
	    (mi = digits(s + 14, 2)) < 0 || (ss = digits(s + 17, 2)) < 0 ||
	    !date_valid(d.y, d.m, d.d) || hh > 23 || mi > 59 || ss > 60)
		return kp_err_set(KP_E_DATA, LF("时间应为 YYYY-MM-DDTHH:MM:SSZ：%s",
		                  "time must be YYYY-MM-DDTHH:MM:SSZ: %s"), s);
	*out = (int64_t)date_to_days(d) * 86400 + hh * 3600 + mi * 60 + ss;
	return KP_OK;
}

void bundle_time_local(const char *utc, char *out, size_t n)
{
	int64_t t;
	time_t tt;
	struct tm tm;

	if (utc && bundle_time_parse(utc, &t) == KP_OK &&
	    (tt = (time_t)t, localtime_r(&tt, &tm)) &&
	    strftime(out, n, "%Y-%m-%d %H:%M", &tm))
		return;
	snprintf(out, n, "%s", utc && *utc ? utc : "?");
}

static void today_compact(char out[16])
{
	struct kdate d = date_today();

	snprintf(out, 16, "%04d%02d%02d", d.y, d.m, d.d);
}

void bundle_name_data(char out[BUNDLE_NAME_MAX], const char *who,
                      uint64_t seq)
{
	char day[16];

	today_compact(day);
	snprintf(out, BUNDLE_NAME_MAX, "%s-%06llu-%s", who,
	         (unsigned long long)seq, day);
}

void bundle_name_quota(char out[BUNDLE_NAME_MAX], const char *to,
                       uint64_t seq)
{
	char day[16];

	today_compact(day);
	snprintf(out, BUNDLE_NAME_MAX, "quota-%s-%06llu-%s", to,
	         (unsigned long long)seq, day);
}

void bundle_name_forms(char out[BUNDLE_NAME_MAX], unsigned version,
                       uint64_t seq)
{
	char day[16];

	today_compact(day);
	snprintf(out, BUNDLE_NAME_MAX, "forms-v%06u-%06llu-%s", version,
	         (unsigned long long)seq, day);
}

int bundle_msg_add(char ***list, size_t *n, const char *fmt, ...)
{
	char **nl;
	char *m;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (len < 0)
		return kp_err_nomem();
	nl = realloc(*list, (*n + 1) * sizeof *nl);
	if (!nl) {
		free(m);
		return kp_err_nomem();
	}
	nl[(*n)++] = m;
	*list = nl;
	return KP_OK;
}

void bundle_key_out(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "out:%06llu", (unsigned long long)seq);
}

void bundle_key_qout(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "qout:%06llu", (unsigned long long)seq);
}

void bundle_key_in(char *out, size_t n, const char *who, uint64_t seq)
{
	snprintf(out, n, "in:%s:%06llu", who, (unsigned long long)seq);
}

void bundle_key_qin(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "qin:%06llu", (unsigned long long)seq);
}

void bundle_key_fout(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "fout:%06llu", (unsigned long long)seq);
}

void bundle_key_fin(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "fin:%06llu", (unsigned long long)seq);
}

struct last_ctx {
	const char *prefix;
	size_t plen;
	uint64_t seq;
	struct sbuf mf;
	bool found;
};

/* Numbers are compared as numbers: keys are "out:%06llu", which sort as
 * text only up to 999999. */
static int last_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct last_ctx *lc = ctx;
	char num[24], *end;
	uint64_t q;

	if (kn < lc->plen || memcmp(k, lc->prefix, lc->plen) != 0)
		return KP_NOTFOUND;
	if (kn == lc->plen || kn - lc->plen >= sizeof num)
		return KP_OK;
	memcpy(num, (const char *)k + lc->plen, kn - lc->plen);
	num[kn - lc->plen] = '\0';
	q = strtoull(num, &end, 10);
	if (*end || (lc->found && q <= lc->seq))
		return KP_OK;
	lc->seq = q;
	lc->found = true;
	sbuf_reset(&lc->mf);
	return sbuf_add(&lc->mf, v, vn);
}

static int last_txn(struct store_txn *t, void *ctx)
{
	struct last_ctx *lc = ctx;

	lc->found = false;
	lc->seq = 0;
	return store_iter(t, DB_BUNDLES, lc->prefix, lc->plen, false, last_fn,
	                  lc);
}

int bundle_last(struct ledger *lg, const char *prefix, uint64_t *seq,
                struct kvlist *mf)
{
	struct last_ctx lc = { prefix, strlen(prefix), 0, {0}, false };
	int rc;

	*seq = 0;
	if (lc.plen > RECORD_NAME_MAX)
		return kp_err_set(KP_E_SOFTWARE, "bundle_last: prefix too long");
	rc = store_read(lg->st, last_txn, &lc);
	if (rc == KP_OK && lc.found) {
		*seq = lc.seq;
		if (mf)
			rc = kvl_parse("DB_BUNDLES", lc.mf.s, lc.mf.len, mf);
	}
	sbuf_free(&lc.mf);
	return rc;
}

const char *bundle_encoding_name(const char *declared)
{
	if (!declared)
		return NULL;
	if (strcmp(declared, "utf-8") == 0)
		return "UTF-8";
	if (strcmp(declared, "gb18030") == 0)
		return "GB18030";
	return NULL;
}

const char *bundle_encoding(const struct bload *b)
{
	return b->mf_ok ? bundle_encoding_name(kvl_get(&b->mf, "encoding"))
	                : NULL;
}

/* ---- results -------------------------------------------------------- */

void bundle_export_result_free(struct bundle_export_result *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->path);
	memset(r, 0, sizeof *r);
}

void bundle_summary_init(struct bundle_summary *s)
{
	memset(s, 0, sizeof *s);
}

int bundle_refused(const struct bundle_summary *s)
{
	const char *who = s->township;

	if (s->not_a_bundle)
		return kp_err_set(KP_E_DATA, LF("%s：不是数据包，未导入",
		                  "%s: not a bundle; nothing imported"), s->name);
	/* A copy damaged on the way (a stick pulled out, a bad copy): the
	 * sender still has what it wrote, or writes it again.  Other problems
	 * say what to do themselves. */
	if (!s->damaged)
		return kp_err_set(KP_E_DATA, LF("%s：数据包有问题，未导入",
		                  "%s: the bundle has problems; nothing imported"),
		                  s->name);
	if (!*who)
		return kp_err_set(KP_E_DATA, LF("%s：数据包有问题，未导入；请向发包的一方"
		                  "重新要一份完好的（从原来的包再拷一次，或请它重新导出）",
		                  "%s: the bundle has problems; nothing imported: ask "
		                  "its sender for a good copy (copied again, or "
		                  "exported anew)"), s->name);
	return kp_err_set(KP_E_DATA, LF("%s：数据包有问题，未导入；请向 %s 重新要一份完好的"
	                  "（从原来的包再拷一次，或请它重新导出）",
	                  "%s: the bundle has problems; nothing imported: ask %s "
	                  "for a good copy (copied again, or exported anew)"),
	                  s->name, strcmp(who, "all") == 0 ? L("市里", "the city") : who);
}

static int vproblem(struct bundle_summary *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int vproblem(struct bundle_summary *s, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t i;

	if (s->nproblems >= BUNDLE_MAX_PROBLEMS) {
		s->more_problems++;
		return KP_OK;
	}
	vsnprintf(buf, sizeof buf, fmt, ap);
	/* Checks of different things can meet the same fault (a missing
	 * file is missing for the list and for the rows): said once. */
	for (i = 0; i < s->nproblems; i++)
		if (strcmp(s->problems[i], buf) == 0)
			return KP_OK;
	return bundle_msg_add(&s->problems, &s->nproblems, "%s", buf);
}

int bundle_problem(struct bundle_summary *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vproblem(s, fmt, ap);
	va_end(ap);
	return rc;
}

int bundle_damage(struct bundle_summary *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	s->damaged = true;
	va_start(ap, fmt);
	rc = vproblem(s, fmt, ap);
	va_end(ap);
	return rc;
}

void bundle_summary_free(struct bundle_summary *s)
{
	size_t i;

	for (i = 0; i < s->nproblems; i++)
		free(s->problems[i]);
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->problems);
	free(s->notes);
	memset(s, 0, sizeof *s);
}
