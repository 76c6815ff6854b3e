/* ledger_years.c - year events and the city's decisions as DB_YEARS keeps
 * them, where a township's year stands, and the guard that keeps the
 * records of a closed year as they are (ledger_close.c makes the events).
 *
 * DB_YEARS holds, under keys made of a letter, NUL, the township, NUL and
 * a number or year:
 *   e \0 township \0 seq (8 bytes big-endian)  a year event: closed or
 *       reopened, numbered by the township (DB_META "seq:years"); in the
 *       city's database the events it received, under the township's own
 *       numbers
 *   d \0 township \0 seq (8 bytes big-endian)  a decision of the city:
 *       approved or returned, numbered by the city ("seq:decisions"); in a
 *       township's database the decisions it received
 *   c \0 township \0 YYYY -> the number of the close (8 bytes big-endian)
 *       while the year is closed: what the guard reads, one get per change
 *   r \0 township \0 YYYY -> "": (city) the township has reported for the
 *       year (ledger_reported.c)
 * An event or decision is "KY1", its kind (1 byte), year (4 bytes), seq,
 * close_seq, at, received_at (8 bytes each, big-endian), then township, by
 * and reason, each a 4-byte big-endian length and the bytes.  Nothing here
 * is ever removed but the "c" key of a reopened year: the events are the
 * year's audit trail.
 *
 * Uses ledger_key.c (the record's date).
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

#define EVENT_MAGIC "KY1"
#define EVENT_FIXED (3 + 1 + 4 + 8 * 4)

/* ---- words ---------------------------------------------------------------- */

static const char *const words[] = {
	[YE_NONE] = "", [YE_CLOSED] = "closed", [YE_REOPENED] = "reopened",
	[YE_APPROVED] = "approved", [YE_RETURNED] = "returned",
};

const char *year_event_word(enum year_event_kind k)
{
	return (unsigned)k < sizeof words / sizeof words[0] ? words[k] : "";
}

enum year_event_kind year_event_kind_of(const char *word)
{
	unsigned k;

	for (k = YE_CLOSED; k < sizeof words / sizeof words[0]; k++)
		if (word && strcmp(word, words[k]) == 0)
			return (enum year_event_kind)k;
	return YE_NONE;
}

const char *year_event_label(enum year_event_kind k)
{
	switch (k) {
	case YE_CLOSED:   return L("已关闭", "closed");
	case YE_REOPENED: return L("已重开", "reopened");
	case YE_APPROVED: return L("已通过", "approved");
	case YE_RETURNED: return L("已退回", "returned");
	default:          return "";
	}
}

const char *year_state_text(const struct year_state *st, char *buf,
                            size_t size)
{
	const struct year_event *d = &st->decision;

	if (st->event.kind == YE_NONE)
		snprintf(buf, size, "%s", L("未关闭", "open"));
	else if (st->event.kind == YE_REOPENED)
		snprintf(buf, size, LF("已重开：%s", "reopened: %s"), st->event.reason);
	else if (!st->decision_current)
		snprintf(buf, size, "%s", L("已关闭，待市里审核",
		                            "closed, awaiting the city"));
	else if (d->kind == YE_RETURNED)
		snprintf(buf, size, LF("已退回：%s", "returned: %s"), d->reason);
	else
		snprintf(buf, size, "%s", L("已通过", "approved"));
	return buf;
}

/* ---- keys and values ------------------------------------------------------ */

static size_t key_of(char buf[LEDGER_KEY_MAX], char letter,
                     const char *township, const unsigned char *tail,
                     size_t tn)
{
	size_t tl = strlen(township), n = 0;

	if (tl > RECORD_NAME_MAX)
		tl = RECORD_NAME_MAX;
	buf[n++] = letter;
	buf[n++] = '\0';
	memcpy(buf + n, township, tl);
	n += tl;
	buf[n++] = '\0';
	if (tn)
		memcpy(buf + n, tail, tn);
	return n + tn;
}

static size_t key_seq(char buf[LEDGER_KEY_MAX], char letter,
                      const char *township, uint64_t seq)
{
	unsigned char be[8];

	store_be64(seq, be);
	return key_of(buf, letter, township, be, sizeof be);
}

size_t ledger_year_key(char buf[LEDGER_KEY_MAX], char letter,
                       const char *township, int year)
{
	char y[8];

	snprintf(y, sizeof y, "%04d", year);
	return key_of(buf, letter, township, (const unsigned char *)y, 4);
}

static int put_u32(struct sbuf *b, uint32_t v)
{
	unsigned char be[4] = {
		(unsigned char)(v >> 24), (unsigned char)(v >> 16),
		(unsigned char)(v >> 8), (unsigned char)v,
	};

	return sbuf_add(b, be, sizeof be);
}

static int put_u64(struct sbuf *b, uint64_t v)
{
	unsigned char be[8];

	store_be64(v, be);
	return sbuf_add(b, be, sizeof be);
}

static int put_str(struct sbuf *b, const char *s)
{
	int rc = put_u32(b, (uint32_t)strlen(s));

	return rc ? rc : sbuf_adds(b, s);
}

static int event_encode(const struct year_event *ev, struct sbuf *b)
{
	unsigned char kind = (unsigned char)ev->kind;
	int rc;

	sbuf_reset(b);
	rc = sbuf_add(b, EVENT_MAGIC, 3);
	if (!rc)
		rc = sbuf_add(b, &kind, 1);
	if (!rc)
		rc = put_u32(b, (uint32_t)ev->year);
	if (!rc)
		rc = put_u64(b, ev->seq);
	if (!rc)
		rc = put_u64(b, ev->close_seq);
	if (!rc)
		rc = put_u64(b, (uint64_t)ev->at);
	if (!rc)
		rc = put_u64(b, (uint64_t)ev->received_at);
	if (!rc)
		rc = put_str(b, ev->township);
	if (!rc)
		rc = put_str(b, ev->by);
	if (!rc)
		rc = put_str(b, ev->reason);
	return rc;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* One length-prefixed string at *p into out (cut to size). */
static bool get_str(const unsigned char **p, const unsigned char *end,
                    char *out, size_t size)
{
	uint32_t n;

	if (end - *p < 4)
		return false;
	n = get_u32(*p);
	*p += 4;
	if ((size_t)(end - *p) < n)
		return false;
	snprintf(out, size, "%.*s", (int)n, (const char *)*p);
	*p += n;
	return true;
}

static int event_decode(const void *v, size_t vn, struct year_event *ev)
{
	const unsigned char *p = v, *end = p + vn;

	memset(ev, 0, sizeof *ev);
	if (vn < EVENT_FIXED || memcmp(p, EVENT_MAGIC, 3) != 0)
		goto bad;
	ev->kind = (enum year_event_kind)p[3];
	ev->year = (int)get_u32(p + 4);
	ev->seq = store_from_be64(p + 8);
	ev->close_seq = store_from_be64(p + 16);
	ev->at = (int64_t)store_from_be64(p + 24);
	ev->received_at = (int64_t)store_from_be64(p + 32);
	p += EVENT_FIXED;
	if (get_str(&p, end, ev->township, sizeof ev->township) &&
	    get_str(&p, end, ev->by, sizeof ev->by) &&
	    get_str(&p, end, ev->reason, sizeof ev->reason) &&
	    ev->kind > YE_NONE && ev->kind <= YE_RETURNED)
		return KP_OK;
bad:
	return kp_err_set(KP_E_DATA, "%s", LF("年度记录已损坏",
	                  "a year event in the database is damaged"));
}

static bool is_decision(enum year_event_kind k)
{
	return k == YE_APPROVED || k == YE_RETURNED;
}

static size_t event_key(char buf[LEDGER_KEY_MAX], const struct year_event *ev)
{
	return key_seq(buf, is_decision(ev->kind) ? 'd' : 'e', ev->township,
	               ev->seq);
}

/* Whether two events are the same one (where it was received aside). */
static bool event_same(const struct year_event *a, const struct year_event *b)
{
	return a->kind == b->kind && a->year == b->year && a->seq == b->seq &&
	       a->close_seq == b->close_seq && a->at == b->at &&
	       strcmp(a->township, b->township) == 0 &&
	       strcmp(a->by, b->by) == 0 && strcmp(a->reason, b->reason) == 0;
}

/* ---- walking a township's events ------------------------------------------ */

struct walk {
	char prefix[LEDGER_KEY_MAX];
	size_t plen;
	uint64_t after;
	ledger_year_fn fn;
	void *ctx;
	struct year_event ev;
};

static int walk_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct walk *w = ctx;
	int rc;

	if (kn < w->plen || memcmp(k, w->prefix, w->plen) != 0)
		return KP_NOTFOUND;
	if ((rc = event_decode(v, vn, &w->ev)) != KP_OK)
		return rc;
	if (w->ev.seq <= w->after)
		return KP_OK;
	return w->fn(w->ctx, &w->ev);
}

static void walk_setup(struct walk *w, char letter, const char *township,
                       uint64_t after, ledger_year_fn fn, void *ctx)
{
	memset(w, 0, sizeof *w);
	w->prefix[0] = letter;
	w->plen = township ? key_of(w->prefix, letter, township, NULL, 0) : 2;
	w->after = after;
	w->fn = fn;
	w->ctx = ctx;
}

static int walk_txn(struct store_txn *t, void *ctx)
{
	struct walk *w = ctx;

	return store_iter(t, DB_YEARS, w->prefix, w->plen, false, walk_fn, w);
}

/* Events ('e') or decisions ('d') of township (NULL: all) inside t. */
static int walk_in(struct store_txn *t, char letter, const char *township,
                   uint64_t after, ledger_year_fn fn, void *ctx)
{
	struct walk w;

	walk_setup(&w, letter, township, after, fn, ctx);
	return walk_txn(t, &w);
}

struct state_ctx {
	struct year_state *st;
};

static int state_event(void *ctx, const struct year_event *ev)
{
	struct year_state *st = ((struct state_ctx *)ctx)->st;

	if (ev->year != st->year)
		return KP_OK;
	st->nevents++;
	if (ev->seq >= st->event.seq)
		st->event = *ev;
	return KP_OK;
}

static int state_decision(void *ctx, const struct year_event *ev)
{
	struct year_state *st = ((struct state_ctx *)ctx)->st;

	if (ev->year == st->year && ev->seq >= st->decision.seq)
		st->decision = *ev;
	return KP_OK;
}

int ledger_year_state_in(struct store_txn *t, const char *township, int year,
                         struct year_state *st)
{
	struct state_ctx sc = { st };
	int rc;

	memset(st, 0, sizeof *st);
	st->year = year;
	rc = walk_in(t, 'e', township, 0, state_event, &sc);
	if (!rc)
		rc = walk_in(t, 'd', township, 0, state_decision, &sc);
	st->closed = st->event.kind == YE_CLOSED;
	st->decision_current = st->closed && st->decision.kind != YE_NONE &&
	                       st->decision.close_seq == st->event.seq;
	return rc;
}

struct state_read {
	const char *township;
	int year;
	struct year_state *st;
};

static int state_txn(struct store_txn *t, void *ctx)
{
	struct state_read *sr = ctx;

	return ledger_year_state_in(t, sr->township, sr->year, sr->st);
}

int ledger_year_state(struct ledger *lg, const char *township, int year,
                      struct year_state *out)
{
	struct state_read sr = { township, year, out };

	return store_read(lg->st, state_txn, &sr);
}

int ledger_year_events(struct ledger *lg, const char *township,
                       bool decisions, uint64_t after, ledger_year_fn fn,
                       void *ctx)
{
	struct walk w;

	walk_setup(&w, decisions ? 'd' : 'e', township, after, fn, ctx);
	return store_read(lg->st, walk_txn, &w);
}

/* ---- storing ---------------------------------------------------------------- */

/* The "c" key of (township, year) after its events changed: there while
 * the latest event is a close, holding that close's number. */
static int closed_key_update(struct store_txn *t, const char *township,
                             int year)
{
	struct year_state st;
	char key[LEDGER_KEY_MAX];
	unsigned char be[8];
	size_t kn = ledger_year_key(key, 'c', township, year);
	int rc = ledger_year_state_in(t, township, year, &st);

	if (rc)
		return rc;
	if (!st.closed) {
		rc = store_del(t, DB_YEARS, key, kn, NULL, 0);
		return rc == KP_NOTFOUND ? KP_OK : rc;
	}
	store_be64(st.event.seq, be);
	return store_put(t, DB_YEARS, key, kn, be, sizeof be);
}

/* Store ev under its key: KP_OK with *is_new, or, when its number is
 * stored already with other contents, KP_E_DATA saying so. */
static int event_put(struct store_txn *t, const struct year_event *ev,
                     bool *is_new)
{
	struct year_event old;
	struct sbuf b = { 0 };
	char key[LEDGER_KEY_MAX];
	size_t kn = event_key(key, ev), vn;
	const void *v;
	int rc;

	*is_new = false;
	rc = store_get(t, DB_YEARS, key, kn, &v, &vn);
	if (rc == KP_OK) {
		if ((rc = event_decode(v, vn, &old)) != KP_OK)
			return rc;
		if (event_same(&old, ev))
			return KP_OK;
		return kp_err_set(KP_E_DATA, LF("%s 的第 %llu 号年度记录（%s %d 年）与已收到的"
		                  "同号记录（%s %d 年）不同",
		                  "%s: year event %llu (%s %d) differs from the one "
		                  "received with that number (%s %d)"), ev->township,
		                  (unsigned long long)ev->seq, year_event_word(ev->kind),
		                  ev->year, year_event_word(old.kind), old.year);
	}
	if (rc != KP_NOTFOUND)
		return rc;
	if ((rc = event_encode(ev, &b)) == KP_OK)
		rc = store_put(t, DB_YEARS, key, kn, b.s, b.len);
	sbuf_free(&b);
	if (rc == KP_OK && !is_decision(ev->kind))
		rc = closed_key_update(t, ev->township, ev->year);
	*is_new = rc == KP_OK;
	return rc;
}

int ledger_year_event_put_in(struct store_txn *t, const struct year_event *ev,
                             bool *is_new)
{
	return event_put(t, ev, is_new);
}

int ledger_year_event_known_in(struct store_txn *t,
                               const struct year_event *ev, bool *known)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = event_key(key, ev), vn;
	const void *v;
	int rc = store_get(t, DB_YEARS, key, kn, &v, &vn);

	*known = rc == KP_OK;
	return rc == KP_NOTFOUND ? KP_OK : rc;
}

/* ---- the guard ------------------------------------------------------------ */

int ledger_year_closed_in(struct store_txn *t, const char *township, int year,
                          bool *closed, struct year_event *ev)
{
	char key[LEDGER_KEY_MAX];
	size_t kn = ledger_year_key(key, 'c', township, year), vn;
	const void *v;
	int rc = store_get(t, DB_YEARS, key, kn, &v, &vn);

	*closed = false;
	if (rc == KP_NOTFOUND)
		return KP_OK;
	if (rc)
		return rc;
	*closed = true;
	if (!ev)
		return KP_OK;
	if (vn != 8)
		return kp_err_set(KP_E_DATA, "%s", LF("年度记录已损坏",
		                  "a year event in the database is damaged"));
	kn = key_seq(key, 'e', township, store_from_be64(v));
	if ((rc = store_get(t, DB_YEARS, key, kn, &v, &vn)) != KP_OK)
		return rc == KP_NOTFOUND ? kp_err_set(KP_E_DATA, "%s",
		       LF("年度记录已损坏", "a year event in the database is damaged"))
		       : rc;
	return event_decode(v, vn, ev);
}

static int rec_year(const struct ledger *lg, const struct record *r)
{
	const char *d = r ? ledger_rec_date(lg, r) : "";

	return strlen(d) >= 4 ? atoi(d) : 0;
}

int ledger_closed_of(struct store_txn *t, const struct ledger *lg,
                     const struct record *rec, const struct record *old,
                     bool *closed, struct year_event *ev)
{
	int y = rec_year(lg, rec), oy = rec_year(lg, old), rc = KP_OK;

	*closed = false;
	if (y > 0)
		rc = ledger_year_closed_in(t, rec->township, y, closed, ev);
	/* Moving a record out of a closed year changes that year too. */
	if (!rc && !*closed && oy > 0 && oy != y)
		rc = ledger_year_closed_in(t, old->township, oy, closed, ev);
	return rc;
}

/* "2026-01-10": the local date of Unix time t. */
static void day_of(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
		snprintf(out, 16, "?");
}

/* The message of a refused change to the year ev closed, in both
 * languages: late, for a change that reached the city after the close. */
static void closed_msg(const struct ledger *lg, const struct year_event *ev,
                       bool late, char zh[LEDGER_MSG_MAX],
                       char en[LEDGER_MSG_MAX])
{
	char day[16];
	int y = ev->year;

	day_of(ev->at, day);
	if (late) {
		snprintf(zh, LEDGER_MSG_MAX, "%s 已于 %s 关闭 %d 年度：这一行改动的是 %d 年的"
		         "记录，在关闭之后才到达；如应计入，请 %s 先重开 %d 年度（kepu reopen）"
		         "并报送新的数据包，导入后再导入本包", ev->township, day, y, y,
		         ev->township, y);
		snprintf(en, LEDGER_MSG_MAX, "%s closed %d on %s: this row changes a "
		         "record dated %d and arrived after the close; if it should "
		         "count, %s reopens %d (kepu reopen) and sends a new bundle: "
		         "import that one, then this one again", ev->township, y, day,
		         y, ev->township, y);
	} else if (lg->mode == LEDGER_CITY_MODE) {
		snprintf(zh, LEDGER_MSG_MAX, "%s 已于 %s 关闭 %d 年度：该镇 %d 年的记录不能"
		         "新增、修改或删除，除非该镇重开这一年度", ev->township, day, y, y);
		snprintf(en, LEDGER_MSG_MAX, "%s closed %d on %s: its records dated %d "
		         "can be neither added, edited nor deleted unless it reopens "
		         "the year", ev->township, y, day, y);
	} else {
		snprintf(zh, LEDGER_MSG_MAX, "%d 年度已于 %s 由 %s 关闭：%d 年的记录不能新增、"
		         "修改或删除；如确需改动，请先重开：kepu reopen --year %d "
		         "--reason 理由", y, day, ev->by, y, y);
		snprintf(en, LEDGER_MSG_MAX, "year %d was closed on %s by %s: records "
		         "dated %d can be neither added, edited nor deleted; to change "
		         "them, reopen the year first: kepu reopen --year %d --reason "
		         "TEXT", y, day, ev->by, y, y);
	}
}

int ledger_closed_finding(const struct ledger *lg, const struct year_event *ev,
                          bool late, struct check_result *res)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	closed_msg(lg, ev, late, zh, en);
	return check_add(res, SEV_ERROR, FK_CLOSED, "", zh, en);
}

int ledger_closed_refuse(const struct ledger *lg, const struct year_event *ev)
{
	char zh[LEDGER_MSG_MAX], en[LEDGER_MSG_MAX];

	closed_msg(lg, ev, false, zh, en);
	return kp_err_set(KP_E_DATA, "%s", L(zh, en));
}

int ledger_closed_guard(struct store_txn *t, const struct ledger *lg,
                        const struct record *rec, const struct record *old)
{
	struct year_event ev;
	bool closed;
	int rc = ledger_closed_of(t, lg, rec, old, &closed, &ev);

	if (rc || !closed)
		return rc;
	return ledger_closed_refuse(lg, &ev);
}
