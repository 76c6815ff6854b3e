/* ledger_many.c - ledger_add_many: records held in an array, added as one
 * batch (ledger_add_rows), each one's findings handed back beside it. */
#include "config.h"

#include "check.h"
#include "err.h"
#include "ledger.h"
#include "record.h"

struct many_ctx {
	const struct record *recs;
	size_t n;
	struct check_result *results;
	struct record rec;
};

static int many_source(void *sctx, ledger_push_fn push, void *pctx)
{
	struct many_ctx *mc = sctx;
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < mc->n && !rc; i++)
		if ((rc = record_copy(&mc->rec, &mc->recs[i])) == KP_OK)
			rc = push(pctx, &mc->rec);
	return rc;
}

static int many_found(void *ctx, size_t i, const struct check_result *res)
{
	struct many_ctx *mc = ctx;
	size_t k;
	int rc = KP_OK;

	for (k = 0; k < res->nfindings && !rc; k++) {
		const struct finding *f = &res->findings[k];

		rc = check_add(&mc->results[i], f->sev, f->kind, f->field,
		               f->msg_zh, f->msg_en);
	}
	return rc;
}

int ledger_add_many(struct ledger *lg, struct record *recs, size_t n,
                    struct check_result *results)
{
	struct many_ctx mc = { recs, n, results, { .fields = NULL } };
	struct ledger_batch b = { .source = many_source, .sctx = &mc,
	                          .found = many_found, .fctx = &mc };
	struct check_result total;
	char first[RECORD_ID_LEN + 1];
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		recs[i].id[0] = 0;
	record_init(&mc.rec);
	check_result_init(&total);
	rc = ledger_add_rows(lg, &b, &total, first, NULL);
	if (rc == KP_OK)
		for (i = 0; i < n; i++)
			record_id_add(first, i, recs[i].id);
	check_result_free(&total);
	record_free(&mc.rec);
	return rc;
}
