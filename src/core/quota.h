/* quota.h - how records feed indicators, and the quotas they are measured
 * against.  Pure functions over a schema; storage is in ledger.c. */
#ifndef KEPU_QUOTA_H
#define KEPU_QUOTA_H

#include <stddef.h>

#include "record.h"
#include "schema.h"

/* One indicator moved by one record. */
struct contribution {
	const struct indicator *ind;
	int year;         /* year of the record's date */
	double amount;    /* field value for sums, 1 for counts */
};

#define QUOTA_MAX_CONTRIB 16

/* The indicators rec moves (none for a deleted record or one without a
 * valid date).  Writes at most QUOTA_MAX_CONTRIB entries into out and
 * returns how many. */
size_t quota_contributions(const struct schema *s, const struct record *rec,
                           struct contribution out[QUOTA_MAX_CONTRIB]);

/* One quota row: township (or "all" for the city target) and year (0 for
 * an indicator whose period is the whole plan). */
struct quota_row {
	int year;
	char township[RECORD_NAME_MAX];
	char indicator[RECORD_NAME_MAX];
	double target;
};

/* Called once for each problem found in a quota file, in the order of the
 * file: msg is "FILE:LINE: COLUMN: message" ("FILE:LINE: message" for a
 * row as a whole, e.g. a repeated row), in the current language; line is
 * the row's line, 0 when the problem is the file's (empty, or malformed
 * CSV, whose message names the line).  msg lives only during the call. */
typedef void (*quota_problem_fn)(void *ctx, size_t line, const char *msg);

/* Parse a quota CSV (header year,township,indicator,target[,note]; year is
 * a plan year, or "first-last" / "plan" for plan-period indicators).
 * Every cell of every row is checked against the schema and every problem
 * goes to fn (may be NULL); a file with any problem gives no rows at all.
 * Malformed CSV stops the check where it is; so does a header lacking a
 * column (each missing one is named).  KP_OK; KP_E_DATA when there was a
 * problem (the message is the first one, with how many more);
 * KP_E_NOINPUT, KP_E_IO, KP_E_NOMEM.  *rows is allocated (caller frees). */
int quota_check_file(const struct schema *s, const char *path,
                     quota_problem_fn fn, void *ctx,
                     struct quota_row **rows, size_t *n);

/* The year cell of a quota row for indicator ind (NULL when unknown: the
 * year is then checked on its own): a plan year, or the whole plan
 * ("first-last" or "plan" in any case, stored as 0) for a plan-period
 * indicator, whose single years are stored as 0 too.  KP_OK, or KP_E_DATA
 * with the message (no FILE:LINE). */
int quota_parse_year(const struct schema *s, const struct indicator *ind,
                     const char *v, int *year);

/* quota_check_file without a problem callback: errors "FILE:LINE: ...". */
int quota_parse_file(const struct schema *s, const char *path,
                     struct quota_row **rows, size_t *n);

/* The share of target due by `today` for a year (annual indicators) or for
 * the plan (plan-period indicators): all of it for a past period, none for
 * a future one, pro rata by days in between.  "Today" stops at the end of
 * `year` when that is earlier, so a plan-period row reported for 2023 is
 * measured against the share due by 2023-12-31. */
double quota_expected(const struct schema *s, const struct indicator *ind,
                      int year, double target);

/* "ahead", "on track", "behind", or "no quota" (target <= 0).  Ahead:
 * achieved >= target, or >= 1.1 x expected; on track: >= 0.9 x expected,
 * or nothing expected yet; else behind.  These strings are a contract of
 * `report --csv`. */
const char *quota_status(double achieved, double expected, double target);

/* v rounded to at most `decimals` places, without needless zeros or
 * exponent ("129", "62.5", "100000").  Writes into buf; returns buf. */
const char *quota_format(double v, int decimals, char buf[32]);

#endif
