/* bundle_received.c - who has reported: for every township of a city
 * database, the data bundles it sent (from the bookkeeping of imports,
 * DB_BUNDLES "in:<township>:<seq>", each the bundle's manifest plus when
 * it was imported), whether it reported for a year (ledger_reported), the
 * years it has closed and where the year asked stands (ledger_year_state).
 * Never a record is read: the cost is that of the bundles received. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "text.h"

struct got {
	uint64_t seq;
	bool full;
};

struct town_acc {
	struct got *got;
	size_t n, cap;
};

struct rctx {
	struct ledger *lg;
	struct bundle_received *r;
	struct town_acc *acc;
	size_t ntown;
};

static int town_index(const struct rctx *c, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < c->ntown; i++)
		if (strlen(c->r[i].town->id) == len &&
		    memcmp(c->r[i].town->id, id, len) == 0)
			return (int)i;
	return -1;
}

static size_t rows_of(const struct kvlist *mf)
{
	size_t i, n = 0;

	for (i = 0; i < mf->n; i++)
		if (strncmp(mf->v[i].name, "rows:", 5) == 0)
			n += strtoull(mf->v[i].value, NULL, 10);
	return n;
}

static void copy(char *out, size_t size, const char *v)
{
	snprintf(out, size, "%s", v ? v : "");
}

static int in_fn(void *ctx, const void *k, size_t kn, const void *v,
                 size_t vn)
{
	struct rctx *c = ctx;
	const char *key = k, *colon;
	struct kvlist mf = {0};
	struct bundle_received *r;
	struct town_acc *a;
	const char *full;
	uint64_t seq;
	int i, rc;

	if (kn < 3 || memcmp(key, "in:", 3) != 0)
		return KP_NOTFOUND;
	colon = memchr(key + 3, ':', kn - 3);
	if (!colon || (i = town_index(c, key + 3, (size_t)(colon - key - 3))) < 0)
		return KP_OK;
	seq = strtoull(colon + 1, NULL, 10);
	if (seq == 0 || kvl_parse("DB_BUNDLES", v, vn, &mf) != KP_OK)
		return KP_OK;   /* unreadable bookkeeping says nothing */
	r = &c->r[i];
	a = &c->acc[i];
	if ((rc = array_grow(&a->got, sizeof *a->got, &a->cap, a->n)) != KP_OK) {
		kvl_free(&mf);
		return rc;
	}
	full = kvl_get(&mf, "full");
	a->got[a->n].seq = seq;
	a->got[a->n++].full = full && strcmp(full, "1") == 0;
	r->bundles++;
	r->rows += rows_of(&mf);
	if (seq > r->last_seq) {
		r->last_seq = seq;
		copy(r->last_name, sizeof r->last_name, kvl_get(&mf, "name"));
		copy(r->written, sizeof r->written, kvl_get(&mf, "created_at"));
		copy(r->imported, sizeof r->imported, kvl_get(&mf, "imported_at"));
	}
	kvl_free(&mf);
	return KP_OK;
}

static int in_txn(struct store_txn *t, void *ctx)
{
	return store_iter(t, DB_BUNDLES, "in:", 3, false, in_fn, ctx);
}

static int cmp_got(const void *a, const void *b)
{
	uint64_t x = ((const struct got *)a)->seq, y = ((const struct got *)b)->seq;

	return x < y ? -1 : x > y;
}

/* Add "lo" or "lo-hi" to the list, or "..." once it is full. */
static void missing_add(struct bundle_received *r, uint64_t lo, uint64_t hi)
{
	char item[48];
	size_t len = strlen(r->missing);

	r->nmissing += (size_t)(hi - lo + 1);
	if (lo == hi)
		snprintf(item, sizeof item, "%s%llu", len ? ";" : "",
		         (unsigned long long)lo);
	else
		snprintf(item, sizeof item, "%s%llu-%llu", len ? ";" : "",
		         (unsigned long long)lo, (unsigned long long)hi);
	if (len + strlen(item) + 4 < sizeof r->missing)
		memcpy(r->missing + len, item, strlen(item) + 1);
	else if (len + 4 < sizeof r->missing && !strstr(r->missing, "..."))
		memcpy(r->missing + len, ";...", 5);
}

/* The numbers missing below the highest, as import names them: a full
 * bundle covers every number before it. */
static void gaps(struct bundle_received *r, struct town_acc *a)
{
	uint64_t prev = 0;
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->got[i].full && a->got[i].seq > prev)
			prev = a->got[i].seq;
	if (a->n > 1)
		qsort(a->got, a->n, sizeof *a->got, cmp_got);
	for (i = 0; i < a->n; i++) {
		uint64_t q = a->got[i].seq;

		if (q <= prev)
			continue;
		if (q - prev > 1)
			missing_add(r, prev + 1, q - 1);
		prev = q;
	}
}

static int fill_years(struct ledger *lg, int year, struct bundle_received *r)
{
	int rc = ledger_reported(lg, r->town->id, year, &r->reported);

	if (rc == KP_OK)
		rc = ledger_year_state(lg, r->town->id, year, &r->state);
	size_t i;

	if (rc == KP_OK)
		r->nclosed = ledger_years_closed(lg, r->town->id, r->closed,
		                                 sizeof r->closed / sizeof r->closed[0]);
	if (r->nclosed > sizeof r->closed / sizeof r->closed[0])
		r->nclosed = sizeof r->closed / sizeof r->closed[0];
	for (i = 0; i < r->nclosed && rc == KP_OK; i++) {
		struct year_state st;

		rc = ledger_year_state(lg, r->town->id, r->closed[i], &st);
		r->closed_decision[i] = rc == KP_OK && st.decision_current
		                        ? st.decision.kind : YE_NONE;
	}
	return rc;
}

int bundle_received(struct ledger *lg, int year, struct bundle_received **out,
                    size_t *n)
{
	const struct schema *s = lg->schema;
	struct rctx c = { lg, NULL, NULL, s->ntownships };
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (lg->mode != LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", LF("只有市级数据库记录各镇的报送",
		                  "only a city database keeps what the townships sent"));
	if (year == 0)
		year = lg->year;
	c.r = calloc(c.ntown + 1, sizeof *c.r);
	c.acc = calloc(c.ntown + 1, sizeof *c.acc);
	if (!c.r || !c.acc) {
		rc = kp_err_nomem();
		goto out;
	}
	for (i = 0; i < c.ntown; i++)
		c.r[i].town = &s->townships[i];
	if ((rc = store_read(lg->st, in_txn, &c)) != KP_OK)
		goto out;
	for (i = 0; i < c.ntown && rc == KP_OK; i++) {
		gaps(&c.r[i], &c.acc[i]);
		rc = fill_years(lg, year, &c.r[i]);
	}
out:
	for (i = 0; c.acc && i < c.ntown; i++)
		free(c.acc[i].got);
	free(c.acc);
	if (rc != KP_OK) {
		free(c.r);
		return rc;
	}
	*out = c.r;
	*n = c.ntown;
	return KP_OK;
}

/* ---- writing --------------------------------------------------------- */

/* The decision the city sees for the year: the one on its latest close,
 * or, when it was reopened since, the one the reopening came after; none
 * while a new close awaits one. */
static const struct year_event *shown_decision(const struct year_state *st)
{
	if (st->decision.kind == YE_NONE || (st->closed && !st->decision_current))
		return NULL;
	return &st->decision;
}

static const char *shown_reason(const struct year_state *st)
{
	const struct year_event *d = shown_decision(st);

	if (st->event.kind == YE_REOPENED)
		return st->event.reason;
	return d && d->kind == YE_RETURNED ? d->reason : "";
}

/* "2024:approved;2025" (CSV), or "2024 已通过、2025" for people. */
static void closed_list(const struct bundle_received *r, bool people,
                        char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nclosed && len + 40 < size; i++) {
		enum year_event_kind k = r->closed_decision[i];

		len += (size_t)snprintf(buf + len, size - len, "%s%d%s%s",
		                        i ? (people ? L("、", ", ") : ";") : "",
		                        r->closed[i],
		                        k == YE_NONE ? "" : people ? " " : ":",
		                        k == YE_NONE ? "" : people
		                        ? year_event_label(k) : year_event_word(k));
	}
}

int bundle_received_write_csv(const struct bundle_received *r, size_t n,
                              int year, FILE *out, unsigned csvw_flags)
{
	static const char *const head[] = {
		"township", "year", "reported", "bundles", "last_seq",
		"last_bundle", "last_written", "last_imported", "rows", "missing",
		"year_state", "decision", "reason", "closed_years",
	};
	struct csvw w;
	char closed[512];
	size_t i;

	csvw_begin(&w, out, csvw_flags);
	csvw_row(&w, sizeof head / sizeof head[0], head);
	for (i = 0; i < n; i++) {
		const struct bundle_received *t = &r[i];
		const struct year_event *d = shown_decision(&t->state);

		closed_list(t, false, closed, sizeof closed);
		csvw_field(&w, t->town->id);
		csvw_fieldf(&w, "%d", year);
		csvw_field(&w, t->reported ? "yes" : "no");
		csvw_fieldf(&w, "%zu", t->bundles);
		if (t->last_seq)
			csvw_fieldf(&w, "%llu", (unsigned long long)t->last_seq);
		else
			csvw_field(&w, NULL);
		csvw_field(&w, t->last_name);
		csvw_field(&w, t->written);
		csvw_field(&w, t->imported);
		csvw_fieldf(&w, "%zu", t->rows);
		csvw_field(&w, t->missing);
		csvw_field(&w, t->state.event.kind == YE_NONE ? "open"
		               : year_event_word(t->state.event.kind));
		csvw_field(&w, d ? year_event_word(d->kind) : NULL);
		csvw_field(&w, shown_reason(&t->state));
		csvw_field(&w, closed);
		csvw_end_row(&w);
	}
	return csvw_finish(&w);
}

/* s padded to width cells (made safe for the terminal). */
static void cell(FILE *out, const char *s, size_t width, bool last)
{
	char *safe = text_for_terminal(s ? s : "");
	size_t w;

	fputs(safe ? safe : "?", out);
	w = text_width(safe ? safe : "?");
	free(safe);
	if (last)
		return;
	for (; w < width + 2; w++)
		fputc(' ', out);
}

#define NTCOLS 10

int bundle_missing_of(struct ledger *lg, const char *township, char *out,
                      size_t n)
{
	struct bundle_received *r = NULL;
	size_t nr = 0, i;
	int rc = bundle_received(lg, 0, &r, &nr);

	out[0] = '\0';
	for (i = 0; rc == KP_OK && i < nr; i++)
		if (strcmp(r[i].town->id, township) == 0 && r[i].nmissing)
			snprintf(out, n, "%s", r[i].missing);
	free(r);
	return rc;
}

static void table_cells(const struct bundle_received *t, char num[5][32],
                        char state[LEDGER_REASON_MAX + 64], char closed[512],
                        const char *c[NTCOLS])
{
	c[0] = township_label(t->town);
	c[1] = t->reported ? L("是", "yes") : L("否", "no");
	snprintf(num[0], 32, "%zu", t->bundles);
	c[2] = num[0];
	if (t->last_seq)
		snprintf(num[1], 32, "%llu", (unsigned long long)t->last_seq);
	else
		snprintf(num[1], 32, "-");
	c[3] = num[1];
	/* The table is read by people: their clock's time (the CSV keeps
	 * UTC, as the bundles do). */
	bundle_time_local(t->written, num[3], 32);
	bundle_time_local(t->imported, num[4], 32);
	c[4] = t->written[0] ? num[3] : "-";
	c[5] = t->imported[0] ? num[4] : "-";
	snprintf(num[2], 32, "%zu", t->rows);
	c[6] = num[2];
	c[7] = t->missing[0] ? t->missing : "-";
	closed_list(t, true, closed, 512);
	c[8] = closed[0] ? closed : "-";
	c[9] = year_state_text(&t->state, state, LEDGER_REASON_MAX + 64);
}

int bundle_received_write_table(const struct bundle_received *r, size_t n,
                                int year, FILE *out)
{
	const char *head[NTCOLS] = {
		L("镇街", "Township"), L("已报送", "Reported"), L("数据包", "Bundles"),
		L("最后编号", "Last"), L("写出", "Written"),
		L("导入", "Imported"), L("行数", "Rows"),
		L("缺号", "Missing"), L("已关闭年度", "Closed"), L("本年度", "The year"),
	};
	size_t width[NTCOLS], i, k, never = 0, unrep = 0;
	char num[5][32], state[LEDGER_REASON_MAX + 64], closed[512];
	const char *c[NTCOLS];

	for (k = 0; k < NTCOLS; k++)
		width[k] = text_width(head[k]);
	for (i = 0; i < n; i++) {
		table_cells(&r[i], num, state, closed, c);
		for (k = 0; k < NTCOLS; k++)
			if (text_width(c[k]) > width[k])
				width[k] = text_width(c[k]);
	}
	fprintf(out, LF("%d 年度各镇街报送情况\n\n", "Who has reported for %d\n\n"),
	        year);
	for (k = 0; k < NTCOLS; k++)
		cell(out, head[k], width[k], k == NTCOLS - 1);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		table_cells(&r[i], num, state, closed, c);
		for (k = 0; k < NTCOLS; k++)
			cell(out, c[k], width[k], k == NTCOLS - 1);
		fputc('\n', out);
	}
	for (i = 0; i < n; i++)
		unrep += !r[i].reported;
	if (unrep) {
		fprintf(out, LF("\n%d 年未报送（%zu）：", "\nNot reported for %d (%zu): "),
		        year, unrep);
		for (i = 0, k = 0; i < n; i++)
			if (!r[i].reported)
				fprintf(out, "%s%s", k++ ? L("、", ", ") : "",
				        township_label(r[i].town));
		fputc('\n', out);
	}
	for (i = 0; i < n; i++)
		never += r[i].bundles == 0;
	if (never) {
		fprintf(out, LF("从未报送（%zu）：", "Never reported (%zu): "), never);
		for (i = 0, k = 0; i < n; i++)
			if (r[i].bundles == 0)
				fprintf(out, "%s%s", k++ ? L("、", ", ") : "",
				        township_label(r[i].town));
		fputc('\n', out);
	}
	if (fflush(out) != 0 || ferror(out))
		return kp_err_set(KP_E_IO, "%s", L("写出失败", "cannot write"));
	return KP_OK;
}
