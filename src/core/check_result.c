/* check_result.c - what checking found: findings (errors and warnings,
 * each in both languages) and the quota impacts of a record. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "lang.h"
#include "text.h"

void check_result_init(struct check_result *res)
{
	memset(res, 0, sizeof *res);
}

void check_result_free(struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		free(res->findings[i].msg_zh);
		free(res->findings[i].msg_en);
	}
	free(res->findings);
	free(res->impacts);
	check_result_init(res);
}

void check_drop_kind(struct check_result *res, enum finding_kind kind)
{
	size_t i, k = 0;

	for (i = 0; i < res->nfindings; i++) {
		if (res->findings[i].kind == kind) {
			free(res->findings[i].msg_zh);
			free(res->findings[i].msg_en);
			continue;
		}
		res->findings[k++] = res->findings[i];
	}
	res->nfindings = k;
}

bool check_has_errors(const struct check_result *res)
{
	return check_count(res, SEV_ERROR) > 0;
}

size_t check_count(const struct check_result *res, enum severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].sev == sev)
			n++;
	return n;
}

int check_add(struct check_result *res, enum severity sev,
              enum finding_kind kind, const char *field,
              const char *msg_zh, const char *msg_en)
{
	size_t n = res->nfindings;
	struct finding *fs, *f;

	/* Capacity is the next power of two (at least 4), so it is implied
	 * by the count and need not be stored. */
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		fs = realloc(res->findings, (n ? n * 2 : 4) * sizeof *fs);
		if (!fs)
			return kp_err_nomem();
		res->findings = fs;
	}
	f = &res->findings[n];
	memset(f, 0, sizeof *f);
	f->sev = sev;
	f->kind = kind;
	snprintf(f->field, sizeof f->field, "%s", field ? field : "");
	f->msg_zh = xstrdup(msg_zh ? msg_zh : "");
	f->msg_en = xstrdup(msg_en ? msg_en : "");
	if (!f->msg_zh || !f->msg_en) {
		free(f->msg_zh);
		free(f->msg_en);
		return kp_err_nomem();
	}
	res->nfindings = n + 1;
	return KP_OK;
}

const char *finding_msg(const struct finding *f)
{
	return L(f->msg_zh, f->msg_en);
}

