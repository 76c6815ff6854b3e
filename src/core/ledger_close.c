/* ledger_close.c - the end of a year: a township closes it and reopens it,
 * the city approves or returns it, and a township takes the city's
 * decisions in; the years a township has closed.
 *
 * Every change here is one write transaction that reads the year's state
 * (ledger_years.c) and stores one event or decision, so two clerks closing
 * the same year at once store one close, and the state a decision judges
 * is the one it is stored with.
 *
 * Uses ledger_years.c (storing events, a year's state).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "ledger_int.h"
#include "text.h"

static bool is_decision_kind(enum year_event_kind k)
{
	return k == YE_APPROVED || k == YE_RETURNED;
}

static void day_of(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
		snprintf(out, 16, "?");
}

/* A reason as given, trimmed into out: required, storable, one line, at
 * most LEDGER_REASON_CELLS cells. */
static int reason_check(const char *reason, char out[LEDGER_REASON_MAX])
{
	char buf[LEDGER_REASON_MAX];

	if (!reason || strlen(reason) >= sizeof buf)
		goto bad_len;
	snprintf(buf, sizeof buf, "%s", reason);
	text_trim(buf);
	if (!buf[0])
		return kp_err_set(KP_E_DATA, "%s", LF("需要说明理由（--reason）",
		                  "a reason is needed (--reason)"));
	if (text_check_storable(buf) != KP_OK)
		return KP_E_DATA;
	if (strpbrk(buf, "\r\n\t"))
		return kp_err_set(KP_E_DATA, "%s", LF("理由只能是一行文字",
		                  "the reason must be one line"));
	if (text_width(buf) > LEDGER_REASON_CELLS)
		goto bad_len;
	memcpy(out, buf, sizeof buf);
	return KP_OK;
bad_len:
	return kp_err_set(KP_E_DATA, LF("理由太长（最多 %d 个字符宽）",
	                  "the reason is too long (at most %d cells)"),
	                  LEDGER_REASON_CELLS);
}

static void event_new(const struct ledger *lg, struct year_event *ev,
                      enum year_event_kind kind, const char *township,
                      int year)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	snprintf(ev->township, sizeof ev->township, "%s", township);
	ev->year = year;
	snprintf(ev->by, sizeof ev->by, "%s", lg->user);
	ev->at = (int64_t)time(NULL);
}

/* ---- the township: closing and reopening ---------------------------------- */

struct change_ctx {
	struct ledger *lg;
	struct year_event ev;       /* what to store; seq given in the txn */
	const char *counter;        /* "seq:years" or "seq:decisions" */
	int (*judge)(struct change_ctx *cc, const struct year_state *st);
};

static int change_txn(struct store_txn *t, void *ctx)
{
	struct change_ctx *cc = ctx;
	struct year_state st;
	bool is_new;
	int rc;

	if ((rc = ledger_year_state_in(t, cc->ev.township, cc->ev.year, &st)) ||
	    (rc = cc->judge(cc, &st)))
		return rc;
	if ((rc = store_next_seq(t, cc->counter, &cc->ev.seq)) != KP_OK)
		return rc;
	return ledger_year_event_put_in(t, &cc->ev, &is_new);
}

static int change_run(struct change_ctx *cc, struct year_event *out)
{
	int rc = store_write(cc->lg->st, change_txn, cc);

	if (rc == KP_OK && out)
		*out = cc->ev;
	return rc;
}

static int judge_close(struct change_ctx *cc, const struct year_state *st)
{
	char day[16];

	if (!st->closed)
		return KP_OK;
	day_of(st->event.at, day);
	return kp_err_set(KP_NOTFOUND, LF("%d 年度已于 %s 由 %s 关闭，无需再关闭",
	                  "year %d is closed already (on %s, by %s); nothing "
	                  "changed"), cc->ev.year, day, st->event.by);
}

static int judge_reopen(struct change_ctx *cc, const struct year_state *st)
{
	if (st->closed)
		return KP_OK;
	return kp_err_set(KP_E_DATA, LF("%d 年度没有关闭，无需重开",
	                  "year %d is not closed; there is nothing to reopen"),
	                  cc->ev.year);
}

static int township_only(const struct ledger *lg, const char *what)
{
	if (lg->mode == LEDGER_TOWNSHIP)
		return KP_OK;
	return kp_err_set(KP_E_USAGE, LF("%s：只有镇街数据库能关闭或重开年度",
	                  "%s: only a township database closes and reopens its "
	                  "years"), what);
}

int ledger_year_close(struct ledger *lg, int year, struct year_event *out)
{
	struct change_ctx cc = { .lg = lg, .counter = "seq:years",
	                         .judge = judge_close };
	int first = schema_first_year(lg->schema), rc;

	if ((rc = township_only(lg, "close")) != KP_OK)
		return rc;
	if (year < first || year > lg->year)
		return kp_err_set(KP_E_DATA, LF("只能关闭 %d 至 %d 年度（第一个规划起到今年）",
		                  "only the years %d to %d can be closed (the first "
		                  "plan to this year)"), first, lg->year);
	event_new(lg, &cc.ev, YE_CLOSED, lg->township, year);
	return change_run(&cc, out);
}

int ledger_year_reopen(struct ledger *lg, int year, const char *reason,
                       struct year_event *out)
{
	struct change_ctx cc = { .lg = lg, .counter = "seq:years",
	                         .judge = judge_reopen };
	int rc;

	if ((rc = township_only(lg, "reopen")) != KP_OK)
		return rc;
	event_new(lg, &cc.ev, YE_REOPENED, lg->township, year);
	if ((rc = reason_check(reason, cc.ev.reason)) != KP_OK)
		return rc;
	return change_run(&cc, out);
}

/* ---- the city: approving and returning ------------------------------------ */

static int judge_decide(struct change_ctx *cc, const struct year_state *st)
{
	const struct year_event *ev = &cc->ev;
	char day[16];

	if (st->event.kind == YE_NONE)
		return kp_err_set(KP_E_DATA, LF("%s 没有关闭 %d 年度（市里没有收到关闭记录）："
		                  "只能通过或退回已关闭的年度", "%s has not closed "
		                  "%d (no close has reached the city): only a closed "
		                  "year can be approved or returned"), ev->township,
		                  ev->year);
	day_of(st->event.at, day);
	if (!st->closed)
		return kp_err_set(KP_E_DATA, LF("%1$s 已于 %3$s 重开 %2$d 年度（理由：%4$s）："
		                  "只能通过或退回已关闭的年度，请等该镇再次关闭",
		                  "%1$s reopened %2$d on %3$s (reason: %4$s): only a closed "
		                  "year can be approved or returned; wait until it "
		                  "closes the year again"), ev->township, ev->year, day,
		                  st->event.reason);
	cc->ev.close_seq = st->event.seq;
	if (st->decision_current && st->decision.kind == ev->kind &&
	    strcmp(st->decision.reason, ev->reason) == 0) {
		day_of(st->decision.at, day);
		return kp_err_set(KP_NOTFOUND, LF("%1$s 的 %2$d 年度在 %3$s 已经是“%4$s”，没有改变",
		                  "%1$s's %2$d was %4$s already on %3$s; nothing changed"),
		                  ev->township, ev->year, day,
		                  year_event_label(ev->kind));
	}
	return KP_OK;
}

int ledger_year_decide(struct ledger *lg, const char *township, int year,
                       enum year_event_kind decision, const char *reason,
                       struct year_event *out)
{
	struct change_ctx cc = { .lg = lg, .counter = "seq:decisions",
	                         .judge = judge_decide };
	int rc;

	if (lg->mode != LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", LF("只有市级数据库能通过或退回年度",
		                  "only a city database approves or returns years"));
	if (!township || !schema_township(lg->schema, township))
		return kp_err_set(KP_E_DATA, LF("未知的镇街：%s", "unknown township: %s"),
		                  township ? township : "");
	if (decision != YE_APPROVED && decision != YE_RETURNED)
		return kp_err_set(KP_E_SOFTWARE, "ledger_year_decide: not a decision");
	event_new(lg, &cc.ev, decision, township, year);
	if (decision == YE_RETURNED &&
	    (rc = reason_check(reason, cc.ev.reason)) != KP_OK)
		return rc;
	if (decision == YE_APPROVED && reason && *reason &&
	    (rc = reason_check(reason, cc.ev.reason)) != KP_OK)
		return rc;
	return change_run(&cc, out);
}

/* ---- the township: taking the city's decisions ---------------------------- */

struct take_ctx {
	struct ledger *lg;
	const struct year_event *dec;
	size_t n;
	bool keep;
	int (*extra)(struct store_txn *t, void *ctx);
	void *extra_ctx;
	size_t n_new;
};

#define TAKE_ROLLBACK (-1)

static int take_txn(struct store_txn *t, void *ctx)
{
	struct take_ctx *tc = ctx;
	struct year_event ev;
	size_t i;
	bool is_new;
	int64_t now = (int64_t)time(NULL);
	int rc = KP_OK;

	tc->n_new = 0;
	for (i = 0; i < tc->n && !rc; i++) {
		ev = tc->dec[i];
		if (!is_decision_kind(ev.kind) ||
		    strcmp(ev.township, tc->lg->township) != 0)
			return kp_err_set(KP_E_DATA, LF("决定 %llu 是给 %s 的，不是给本镇街（%s）的",
			                  "decision %llu is for %s, not for this township "
			                  "(%s)"), (unsigned long long)ev.seq,
			                  ev.township, tc->lg->township);
		ev.received_at = now;
		rc = ledger_year_event_put_in(t, &ev, &is_new);
		tc->n_new += is_new;
	}
	if (rc)
		return rc;
	if (!tc->keep)
		return TAKE_ROLLBACK;
	return tc->extra ? tc->extra(t, tc->extra_ctx) : KP_OK;
}

int ledger_decisions_take(struct ledger *lg, const struct year_event *dec,
                          size_t n, bool dry_run,
                          int (*extra)(struct store_txn *t, void *ctx),
                          void *extra_ctx, size_t *n_new)
{
	struct take_ctx tc = { lg, dec, n, !dry_run, extra, extra_ctx, 0 };
	int rc;

	if (lg->mode != LEDGER_TOWNSHIP)
		return kp_err_set(KP_E_USAGE, "%s", LF("市级数据库不导入市里的决定",
		                  "a city database does not take the city's decisions"));
	rc = store_write(lg->st, take_txn, &tc);
	if (rc == TAKE_ROLLBACK)
		rc = KP_OK;
	if (n_new)
		*n_new = tc.n_new;
	return rc;
}

/* ---- the years closed ----------------------------------------------------- */

struct closed_ctx {
	char prefix[LEDGER_KEY_MAX];
	size_t plen;
	int *out;
	size_t max, n;
};

static int closed_fn(void *ctx, const void *k, size_t kn, const void *v,
                     size_t vn)
{
	struct closed_ctx *cc = ctx;
	char y[8];

	(void)v;
	(void)vn;
	if (kn != cc->plen + 4 || memcmp(k, cc->prefix, cc->plen) != 0)
		return kn > cc->plen && memcmp(k, cc->prefix, cc->plen) == 0
		       ? KP_OK : KP_NOTFOUND;
	memcpy(y, (const char *)k + cc->plen, 4);
	y[4] = '\0';
	if (cc->n < cc->max)
		cc->out[cc->n] = atoi(y);
	cc->n++;
	return KP_OK;
}

static int closed_txn(struct store_txn *t, void *ctx)
{
	struct closed_ctx *cc = ctx;

	return store_iter(t, DB_YEARS, cc->prefix, cc->plen, false, closed_fn, cc);
}

size_t ledger_years_closed(struct ledger *lg, const char *township, int *out,
                           size_t max)
{
	struct closed_ctx cc = { .out = out, .max = max };

	cc.plen = ledger_year_key(cc.prefix, 'c', township, 0) - 4;
	if (store_read(lg->st, closed_txn, &cc) != KP_OK)
		return 0;
	return cc.n;
}
