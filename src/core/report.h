/* report.h - quota progress, per township and indicator: one year
 * (report.c), or every year of a plan and the plan as a whole
 * (report_plan.c). */
#ifndef KEPU_REPORT_H
#define KEPU_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ledger.h"

/* The status of a township's rows in a city database when no data bundle
 * of it reporting for the year was imported (ledger_reported): a word of
 * the `report --csv` contract, as quota_status's are; 未报送 on screen.
 * The city's total row is still the sum of what was received. */
#define REPORT_NOT_REPORTED "not reported"

struct report_row {
	int year;                       /* the year reported (plan indicators:
	                                 * the plan's years up to this one) */
	const struct township *town;    /* NULL for the city row ("all") */
	const struct indicator *ind;
	const char *group;              /* a grouped tally's group (a code,
	                                 * or "" for records leaving the
	                                 * field blank); NULL otherwise */
	double target;                  /* 0 when has_target is false */
	bool has_target;
	double achieved;
	double percent;                 /* achieved / target * 100 */
	double expected;                /* share of target due by today */
	bool has_expected;              /* false: pace none */
	const char *status;             /* quota_status (static), or in a
	                                 * city database REPORT_NOT_REPORTED
	                                 * for a township that sent no data
	                                 * bundle for the year */
	const struct plan *plan;        /* the plan the year counts in */
	bool provisional;               /* its figures are (schema_year_provisional) */
};

/* Build the report for year (0: the ledger's working year): a row for every
 * (township of the database, indicator of the year's plan), then in a city
 * database a row per indicator for township "all" against the city
 * target.  A grouped tally has a row per group (indicator_groups) where
 * another indicator has one.  A tally's rows have no target, percent or
 * expected share and the status "tally".  A township that has not
 * reported for the year has the status REPORT_NOT_REPORTED on every row
 * but its tallies'.  KP_E_DATA for a year before the first plan.  Cost
 * does not depend on the number of records (it reads the totals only).
 * *rows is allocated; caller frees. */
int report_build(struct ledger *lg, int year, struct report_row **rows,
                 size_t *n);

/* Write the rows as CSV (header year,township,indicator,unit,target,
 * achieved,percent,expected,status,plan,plan_status,group; group is the
 * group's code on a grouped tally's rows, "" elsewhere and for the blank
 * group) or as an aligned table for people (which leaves out the groups
 * report_row_hidden names). */
int report_write_csv(const struct report_row *rows, size_t n, FILE *out,
                     unsigned csvw_flags);
int report_write_table(const struct report_row *rows, size_t n, FILE *out);

/* One line of a table for people: n cells padded to width cells each (to
 * the right where right[i]), two spaces apart, no trailing spaces (the
 * last non-empty cell ends the line). */
void report_put_line(FILE *out, const char *const *c, const size_t *width,
                     const bool *right, int n);
/* Whether a view for people leaves r out: a group of a grouped tally with
 * nothing in it (most activity types in most years); CSV keeps every
 * row. */
bool report_row_hidden(const struct report_row *r);
/* The indicator of r as people read it: its label, and for a group of a
 * grouped tally "label：group label" written into buf (cut to size). */
const char *report_row_label(const struct report_row *r, char *buf,
                             size_t size);

/* Whether year is over: today is after its 31 December.  An open year is
 * judged against the pace due by today, a finished one as met or not. */
bool report_year_over(int year);

/* ---- the plan evaluation (report_plan.c) ----
 *
 * For every (township, indicator of plan p), and in a city database every
 * indicator's city row: a row per year of the plan, report_build's row of
 * that year unchanged, then a total row (r.year 0):
 *   annual indicator: target the sum of the years' targets (of the years
 *     that have one), achieved the sum of the years' achieved, years_met
 *     how many years are "met"; status once the plan is over "met" when
 *     every year with a quota was met, else "not met"; while it runs
 *     "behind" when a finished year was "not met", else the current
 *     year's status ("on track" when that year has no quota); "no quota"
 *     when no year has one;
 *   plan-period indicator: the last year's row (the plan's total against
 *     the plan quota, judged as the plan);
 *   survey: the latest value entered for a year of the plan against the
 *     city target, judged as the plan (township rows: "no quota").
 *   tally: achieved the sum of the years' (annual) or the last year's
 *     (plan-period), status "tally".
 * years_met is -1 except on the total row of an annual indicator; the
 * total has no expected share.  Rows come per (township, indicator) in
 * report_build's order, `per` (years + 1) at a time. */
struct report_plan_row {
	struct report_row r;
	int years_met;
};

struct report_plan {
	const struct plan *plan;
	bool provisional;                /* the plan is */
	bool over;                       /* report_plan_over */
	struct report_plan_row *rows;    /* owned; report_plan_free */
	size_t n;
	size_t per;                      /* rows per (township, indicator) */
};

/* Whether plan p is over: today is after its last year. */
bool report_plan_over(const struct plan *p);

/* The plan v names: its id, or its years "2021-2025"; NULL when none. */
const struct plan *report_plan_named(const struct schema *s, const char *v);

/* The plans of s as "id (2021-2025), ..." into buf (cut to size), for a
 * message naming them; returns how many plans there are. */
size_t report_plan_list(const struct schema *s, char *buf, size_t size);

/* Build the evaluation of plan p into *out (see above).  Cost does not
 * depend on the number of records (the totals only).  KP_OK, KP_E_NOMEM,
 * or a read error; on error *out holds nothing. */
int report_plan_build(struct ledger *lg, const struct plan *p,
                      struct report_plan *out);
void report_plan_free(struct report_plan *rp);

/* Write the evaluation as CSV, header
 * plan,plan_status,township,indicator,unit,period,year,target,achieved,
 * percent,status,years_met,group (year is "total" on a total row; target
 * and percent empty without a quota; years_met empty but on the total of
 * an annual indicator; group as in report_write_csv), or as an aligned
 * table for people. */
int report_plan_write_csv(const struct report_plan *rp, FILE *out,
                          unsigned csvw_flags);
int report_plan_write_table(const struct report_plan *rp, FILE *out);

#endif
