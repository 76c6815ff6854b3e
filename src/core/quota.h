/* quota.h - how records feed indicators, and the quotas they are measured
 * against.  Pure functions over a schema; storage is in ledger.c. */
#ifndef KEPU_QUOTA_H
#define KEPU_QUOTA_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "record.h"
#include "schema.h"

/* One indicator moved by one record. */
struct contribution {
	const struct indicator *ind;
	int year;         /* year of the record's date */
	double amount;    /* field value for sums, 1 for counts */
	const char *group;/* a grouped tally's group (indicator_group_of: the
	                   * schema's string, "" for blank); NULL otherwise */
};

#define QUOTA_MAX_CONTRIB 16

/* The indicators rec moves: those of the plan holding the year of its
 * date (role date) that its form feeds and its values pass (none for a
 * deleted record or one without a valid date).  Writes at most QUOTA_MAX_CONTRIB entries into out and
 * returns how many. */
size_t quota_contributions(const struct schema *s, const struct record *rec,
                           struct contribution out[QUOTA_MAX_CONTRIB]);

/* One quota row: township (or "all" for the city target) and year: the
 * year for an annual indicator, the first year of the plan for one whose
 * period is the whole plan. */
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
 * a single year, or for a plan-period indicator the plan's years
 * "2021-2025", its id, or "plan" for the plan of today's year).  Every
 * cell of every row is checked against the schema and every problem goes
 * to fn (may be NULL); a file with any problem gives no rows at all.
 * Malformed CSV stops the check where it is; so does a header lacking a
 * column (each missing one is named).  KP_OK; KP_E_DATA when there was a
 * problem (the message is the first one, with how many more);
 * KP_E_NOINPUT, KP_E_IO, KP_E_NOMEM.  *rows is allocated (caller frees). */
int quota_check_file(const struct schema *s, const char *path,
                     quota_problem_fn fn, void *ctx,
                     struct quota_row **rows, size_t *n);

/* The plan a year cell names (a year: the plan holding it, which must be
 * from the first plan on; a plan's years "2021-2025"; a plan id; "plan":
 * the plan of today's year); *single is the year for a single year, else
 * 0.  KP_OK, or KP_E_DATA with the message (no FILE:LINE). */
int quota_year_cell(const struct schema *s, const char *v,
                    const struct plan **plan, int *single);

/* A quota row's indicator id and year cell v: *ind the indicator of the
 * plan v names (NULL when that plan has none), *year the year the quota is
 * kept under (the single year for an annual indicator, which then needs
 * one; the plan's first year for a plan-period one, whatever year of the
 * plan v names).  KP_OK, or KP_E_DATA with the message (no FILE:LINE);
 * *ind is set when only the year is wrong for it. */
int quota_parse_year(const struct schema *s, const char *id, const char *v,
                     const struct indicator **ind, int *year);

/* quota_check_file without a problem callback: errors "FILE:LINE: ...". */
int quota_parse_file(const struct schema *s, const char *path,
                     struct quota_row **rows, size_t *n);

/* ---- progress and verdicts ----
 *
 * A row of a report is about one year and judged as of `upto`: today, or
 * the end of that year when it is over.  Its period is the year for an
 * annual indicator and the plan's years for a plan-period one; the period
 * is over once today is past its end (for a plan-period row, only the row
 * of the plan's last year or later ends it: an earlier year's row is the
 * plan's progress at that year's end). */
struct quota_period {
	struct kdate first, last;     /* the period */
	struct kdate upto;            /* the day progress is judged by */
	bool over;
};
void quota_period_of(const struct indicator *ind, int year,
                     struct quota_period *out);

/* Whether achieved reaches target under comparator: ">" strictly greater,
 * ">=" and "=" (as the plan writes "215 个") at least. */
bool quota_reached(const char *comparator, double achieved, double target);

/* The share of target due by the row's `upto`: pro rata by days in the
 * period (pace linear), nothing before the end (pace none), all of it once
 * the period is over; a survey level is the target itself. */
double quota_expected(const struct indicator *ind, int year, double target);
/* Whether an expected-by-date means anything for ind: pace linear (a
 * survey's is the level itself); reports leave the column blank for pace
 * none. */
bool quota_has_expected(const struct indicator *ind);

/* The verdict of a row: "tally" for a tally (never judged); "no quota"
 * (target <= 0); once the period is over
 * "met" or "not met" (quota_reached); while it runs "ahead" (reached, or
 * >= 1.1 x the share due), "on track" (>= 0.9 x the share due, nothing
 * due yet, or pace none and not reached), "behind" (less); a survey level
 * while the period runs is "ahead" when reached, else "behind".  These
 * strings are a contract of `report --csv` (static), with "not reported"
 * (report.h: a township of a city database that sent nothing for the
 * year). */
const char *quota_status(const struct indicator *ind, int year,
                         double achieved, double target);
/* A status word for people: 超前 正常 落后 达标 未达标 未下达任务 未报送 统计
 * (or the English words); an unknown word is returned as it is. */
const char *quota_status_label(const char *status);
/* Every status word a report may hold (the contract word, its words for
 * people and what it means, in both languages), for the data dictionary:
 * a static array of *n entries. */
struct quota_word {
	const char *code, *zh, *en, *note_zh, *note_en;
};
const struct quota_word *quota_status_words(size_t *n);

/* v rounded to at most `decimals` places, without needless zeros or
 * exponent ("129", "62.5", "100000").  Writes into buf; returns buf. */
const char *quota_format(double v, int decimals, char buf[32]);

#endif
