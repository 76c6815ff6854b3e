/* report.h - quota progress, per township and indicator. */
#ifndef KEPU_REPORT_H
#define KEPU_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "ledger.h"

struct report_row {
	int year;                       /* the year reported (plan indicators:
	                                 * the plan's years up to this one) */
	const struct township *town;    /* NULL for the city row ("all") */
	const struct indicator *ind;
	double target;                  /* 0 when has_target is false */
	bool has_target;
	double achieved;
	double percent;                 /* achieved / target * 100 */
	double expected;                /* share of target due by today */
	bool has_expected;              /* false: pace none */
	const char *status;             /* quota_status (static) */
	const struct plan *plan;        /* the plan the year counts in */
	bool provisional;               /* its figures are (schema_year_provisional) */
};

/* Build the report for year (0: the ledger's working year): a row for every
 * (township of the database, indicator of the year's plan), then in a city
 * database a row per indicator for township "all" against the city
 * target.  KP_E_DATA for a year before the first plan.  Cost does not
 * depend on the number of records (it reads the totals only).
 * *rows is allocated; caller frees. */
int report_build(struct ledger *lg, int year, struct report_row **rows,
                 size_t *n);

/* Write the rows as CSV (header year,township,indicator,unit,target,
 * achieved,percent,expected,status,plan,plan_status) or as an aligned table
 * for people. */
int report_write_csv(const struct report_row *rows, size_t n, FILE *out,
                     unsigned csvw_flags);
int report_write_table(const struct report_row *rows, size_t n, FILE *out);

#endif
