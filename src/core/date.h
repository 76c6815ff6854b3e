/* date.h - calendar dates as the clerks write them. */
#ifndef KEPU_DATE_H
#define KEPU_DATE_H

#include <stdbool.h>

struct kdate {
	int y, m, d;
};

bool date_valid(int y, int m, int d);       /* 2025-02-30 is not */

/* Parse what a clerk types: 2025-03-05, 2025/3/5, 2025.3.5, 20250305,
 * 3-5 or 3/5 (in default_year), "today"/"t"/"今天", "yesterday"/"y"/"昨天",
 * "-N" (N days before today).  Leading/trailing spaces are ignored.
 * Returns KP_OK, or KP_E_DATA with a message (impossible date, bad form). */
int date_parse(const char *s, int default_year, struct kdate *out);

/* Strict ISO form YYYY-MM-DD only (what is stored).  KP_OK or KP_E_DATA. */
int date_parse_iso(const char *s, struct kdate *out);

/* A month as clerks write it: 2025-03, 2025/3, or 3 (in default_year; a
 * bare month is refused when default_year is 0).  Writes "YYYY-MM" into
 * out (8 bytes).  KP_OK or KP_E_DATA. */
int date_parse_month(const char *s, int default_year, char out[8]);

/* Writes "YYYY-MM-DD" into out (11 bytes). Returns out. */
char *date_format(struct kdate d, char out[11]);

/* Days since 1970-01-01 (may be negative), and back. */
long date_to_days(struct kdate d);
struct kdate date_from_days(long days);

int date_days_in_year(int y);
int date_day_of_year(struct kdate d);       /* 1-based */

/* Today's local date.  $KEPU_TODAY (YYYY-MM-DD) overrides the clock so
 * that tests and demos are reproducible. */
struct kdate date_today(void);

#endif
