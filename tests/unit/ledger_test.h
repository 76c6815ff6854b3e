/* ledger_test.h - what the ledger's unit tests share: a scratch folder,
 * records of the shipped forms and a few probes of the database. */
#ifndef KEPU_LEDGER_TEST_H
#define KEPU_LEDGER_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "tap.h"

static char dir[64], dbpath[128];
static const char *forms;

/* Pin the language and today's date, find the forms, make the folder. */
__attribute__((unused))
static int lt_setup(const char *name)
{
	lang_init("en");
	setenv("KEPU_TODAY", "2025-06-30", 1);
	forms = getenv("KEPU_FORMS");
	if (!forms || !*forms)
		forms = schema_default_dir();
	snprintf(dir, sizeof dir, "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/anhai.db", dir);
	return 0;
}

__attribute__((unused))
static void lt_cleanup(void)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove the test folder");
}

/* ---- helpers -------------------------------------------------------------- */

__attribute__((unused))
static void training(struct record *r, const char *date, const char *cat,
                     const char *title, const char *participants)
{
	record_init(r);
	snprintf(r->form, sizeof r->form, "training");
	record_set(r, "date", date);
	record_set(r, "category", cat);
	record_set(r, "title", title);
	record_set(r, "participants", participants);
	if (strcmp(cat, "rural_tech") == 0)
		record_set(r, "farmers", "0");
	if (strcmp(cat, "high_skill") == 0)
		record_set(r, "certified", "0");
}

__attribute__((unused))
static bool has_kind(const struct check_result *res, enum finding_kind k,
                     enum severity sev)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].kind == k && res->findings[i].sev == sev)
			return true;
	return false;
}

__attribute__((unused))
static const char *kind_msg(const struct check_result *res,
                            enum finding_kind k)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].kind == k)
			return finding_msg(&res->findings[i]);
	return "";
}

__attribute__((unused))
static void show_findings(const struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		printf("#   finding: %s\n", finding_msg(&res->findings[i]));
}

/* Add a training record; returns its status and copies the id. */
__attribute__((unused))
static int add_training(struct ledger *lg, const char *date, const char *cat,
                        const char *title, const char *n, char *id)
{
	struct record r;
	struct check_result res;
	int rc;

	training(&r, date, cat, title, n);
	check_result_init(&res);
	rc = ledger_add(lg, &r, &res);
	if (rc != KP_OK)
		show_findings(&res);
	if (id)
		snprintf(id, RECORD_ID_LEN + 1, "%s", r.id);
	check_result_free(&res);
	record_free(&r);
	return rc;
}

__attribute__((unused))
static double total_sum(struct ledger *lg, int year, const char *town,
                        const char *ind, int64_t *count)
{
	struct ledger_total t;

	if (ledger_total(lg, year, town, ind, &t) != KP_OK)
		return -1;
	if (count)
		*count = t.count;
	return t.sum;
}

__attribute__((unused))
static uint64_t last_change(struct ledger *lg)
{
	uint64_t last = 0;

	ledger_changes(lg, 0, NULL, NULL, &last);
	return last;
}

struct snapshot {
	size_t live, deleted;
	uint64_t changes;
	double teacher;
};

__attribute__((unused))
static void snap(struct ledger *lg, struct snapshot *s)
{
	ledger_counts(lg, &s->live, &s->deleted);
	s->changes = last_change(lg);
	s->teacher = total_sum(lg, 2025, "anhai", "teacher_training", NULL);
}

__attribute__((unused))
static bool snap_same(struct ledger *lg, const struct snapshot *a)
{
	struct snapshot b;

	snap(lg, &b);
	return a->live == b.live && a->deleted == b.deleted
	       && a->changes == b.changes && a->teacher == b.teacher;
}

__attribute__((unused))
static void collect_msg(void *ctx, const char *msg)
{
	int *n = ctx;

	(*n)++;
	printf("#   verify: %s\n", msg);
}

__attribute__((unused))
static int verify(struct ledger *lg, int *msgs)
{
	*msgs = 0;
	return ledger_verify(lg, collect_msg, msgs);
}

#endif
