/* bundle_decision.c - decision bundles: the city's approvals and returns
 * of a township's closed years, sent to that township.
 *
 * A decision bundle "decision-<township>-<seq>-<date>" holds every
 * decision the city has made on that township's years (decisions.csv,
 * bundle_years.c), not only the new ones: the newest bundle is then the
 * whole story, one lost on the way needs no resending of its own, and
 * importing an older one after it changes nothing (each decision is kept
 * under the city's number for it).  The city numbers decision bundles on
 * their own (DB_BUNDLES "dout:<seq>"); the township records those it
 * took ("din:<seq>").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "keys.h"
#include "lang.h"

void bundle_name_decision(char out[BUNDLE_NAME_MAX], const char *to,
                          uint64_t seq)
{
	struct kdate d = date_today();

	snprintf(out, BUNDLE_NAME_MAX, "decision-%s-%06llu-%04d%02d%02d", to,
	         (unsigned long long)seq, d.y, d.m, d.d);
}

void bundle_key_dout(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "dout:%06llu", (unsigned long long)seq);
}

void bundle_key_din(char *out, size_t n, uint64_t seq)
{
	snprintf(out, n, "din:%06llu", (unsigned long long)seq);
}

/* ---- writing ---------------------------------------------------------- */

static int row_fn(void *ctx, const struct year_event *ev)
{
	struct csvw *w = ctx;

	bundle_event_row(w, ev);
	return w->status;
}

static int write_decisions(struct ledger *lg, struct bdir *d, unsigned flags,
                           const char *to)
{
	struct bfile bf;
	struct csvw w;
	int rc;

	if ((rc = bfile_open(d, BUNDLE_DECISIONS, &bf)) != KP_OK)
		return rc;
	csvw_begin(&w, bf.f, flags);
	bundle_event_head(&w, true);
	rc = ledger_year_events(lg, to, true, 0, row_fn, &w);
	if (csvw_finish(&w) != KP_OK && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s", "cannot write %s"),
		                BUNDLE_DECISIONS);
	if (rc != KP_OK) {
		bfile_discard(&bf);
		return rc;
	}
	return bfile_close(d, &bf);
}

static int count_fn(void *ctx, const struct year_event *ev)
{
	(void)ev;
	++*(size_t *)ctx;
	return KP_OK;
}

int bundle_write_decision(struct ledger *lg, const struct bundle_export_opts *o,
                          struct bundle_export_result *res)
{
	unsigned flags = o->gb18030 ? (CSVW_GB18030 | CSVW_CRLF | CSVW_NEUTRALISE)
	                            : CSVW_EXCEL;
	struct kvlist m = {0};
	struct bdir d = {0};
	uint64_t prev_seq;
	char key[64];
	int rc;

	if (lg->mode != LEDGER_CITY_MODE)
		return kp_err_set(KP_E_USAGE, "%s", LF("只有市级数据库能发出决定",
		                  "only a city database sends decisions"));
	if (!o->township || !schema_township(lg->schema, o->township))
		return kp_err_set(KP_E_DATA, LF("未知的镇街：%s", "unknown township: %s"),
		                  o->township ? o->township : "");
	if ((rc = ledger_year_events(lg, o->township, true, 0, count_fn,
	                             &res->rows)) != KP_OK)
		return rc;
	if (res->rows == 0)
		return kp_err_set(KP_E_DATA, LF("市里还没有对 %s 的年度作出决定（kepu approve / kepu return）",
		                  "the city has made no decision on a year of %s yet "
		                  "(kepu approve / kepu return)"), o->township);
	if ((rc = keys_ensure(lg)) != KP_OK ||
	    (rc = bundle_last(lg, "dout:", &prev_seq, NULL)) != KP_OK)
		return rc;
	res->seq = prev_seq + 1;
	bundle_name_decision(res->name, o->township, res->seq);
	bundle_key_dout(key, sizeof key, res->seq);
	if ((rc = bundle_name_free(o->out_dir, res->name)) != KP_OK ||
	    (rc = bdir_begin(&d, o->out_dir, res->name)) != KP_OK)
		return rc;
	rc = write_decisions(lg, &d, flags, o->township);
	if (rc == KP_OK)
		rc = bundle_manifest_common(lg, &m, "decision", res->seq, res->name,
		                            o->gb18030);
	if (rc == KP_OK) {
		kvl_add(&m, "to", o->township);
		rc = kvl_addf(&m, "rows:decisions", "%zu", res->rows);
	}
	if (rc == KP_OK)
		rc = bundle_finish(lg, &d, &m, flags, key, res);
	if (d.tmp)
		bdir_abort(&d);
	else
		bdir_free(&d);
	kvl_free(&m);
	return rc;
}

/* ---- taking it -------------------------------------------------------- */

int bundle_decision_import(struct ledger *lg, struct bload *b, bool dry_run,
                           int (*extra)(struct store_txn *t, void *ctx),
                           void *extra_ctx, struct bundle_summary *s)
{
	const char *to = kvl_get(&b->mf, "to");
	int rc;

	s->rows = b->nevents;
	if (lg->mode != LEDGER_TOWNSHIP) {
		bundle_problem(s, "%s", LF("市级数据库不导入决定包",
		               "a city database does not import decision bundles"));
		return kp_err_set(KP_E_DATA, LF("%s：不能导入到市级数据库",
		                  "%s: cannot be imported into a city database"),
		                  s->name);
	}
	if (!to || strcmp(to, lg->township) != 0) {
		bundle_problem(s, LF("这是给 %s 的决定包，本数据库是 %s 的",
		               "this decision bundle is for %s; this database is %s's"),
		               to ? to : "", lg->township);
		return kp_err_set(KP_E_DATA, LF("%s：不是给本镇街的决定包",
		                  "%s: not a decision bundle for this township"),
		                  s->name);
	}
	rc = ledger_decisions_take(lg, b->events, b->nevents, dry_run, extra,
	                           extra_ctx, &s->n_new);
	if (rc == KP_E_DATA) {
		bundle_problem(s, "%s", kp_err_msg());
		return kp_err_set(KP_E_DATA, LF("%s：决定包与已收到的决定冲突，未导入",
		                  "%s: conflicts with decisions already received; "
		                  "nothing imported"), s->name);
	}
	if (rc == KP_OK) {
		s->n_unchanged = s->rows - s->n_new;
		s->stored = !dry_run;
	}
	return rc;
}
