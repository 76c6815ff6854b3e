/* t_date.c - parsing, validity, day arithmetic and $KEPU_TODAY. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "tap.h"

static const char *parsed(const char *s, int default_year)
{
	static char buf[32];
	struct kdate d = { 0, 0, 0 };

	if (date_parse(s, default_year, &d) != KP_OK)
		return "ERR";
	return date_format(d, buf);
}

static void test_valid(void)
{
	ok(date_valid(2024, 2, 29), "2024-02-29 valid (leap year)");
	ok(!date_valid(2025, 2, 29), "2025-02-29 invalid");
	ok(!date_valid(2025, 2, 30), "2025-02-30 invalid");
	ok(date_valid(2000, 2, 29), "2000 is a leap year (divisible by 400)");
	ok(!date_valid(1900, 2, 29), "1900 is not (divisible by 100)");
	ok(!date_valid(2025, 13, 1), "month 13 invalid");
	ok(!date_valid(2025, 0, 1), "month 0 invalid");
	ok(!date_valid(2025, 4, 31), "April 31 invalid");
	ok(date_valid(2025, 12, 31), "Dec 31 valid");
	ok(!date_valid(2025, 1, 0), "day 0 invalid");
	ok(!date_valid(0, 1, 1), "year 0 invalid");
	is_int(date_days_in_year(2024), 366, "366 days in 2024");
	is_int(date_days_in_year(2025), 365, "365 days in 2025");
	is_int(date_days_in_year(2100), 365, "365 days in 2100");
}

static void test_parse_forms(void)
{
	is_str(parsed("2025-03-05", 2020), "2025-03-05", "ISO");
	is_str(parsed("2025/3/5", 2020), "2025-03-05", "slashes, no padding");
	is_str(parsed("2025.3.5", 2020), "2025-03-05", "dots");
	is_str(parsed("20250305", 2020), "2025-03-05", "compact");
	is_str(parsed("3-5", 2024), "2024-03-05", "month-day in the default year");
	is_str(parsed("3/5", 2023), "2023-03-05", "month/day in the default year");
	is_str(parsed("12-31", 2023), "2023-12-31", "two-digit month and day");
	is_str(parsed("2-29", 2024), "2024-02-29", "Feb 29 in a leap default year");
	is_str(parsed("2-29", 2025), "ERR", "Feb 29 refused in 2025");
	is_str(parsed("  2024-02-29\t", 2020), "2024-02-29", "spaces ignored");
	is_str(parsed("2025-02-29", 2020), "ERR", "2025-02-29 refused");
	is_str(parsed("2025-02-30", 2020), "ERR", "2025-02-30 refused");
	is_str(parsed("2025-13-01", 2020), "ERR", "2025-13-01 refused");
	is_str(parsed("0-0", 2025), "ERR", "0-0 refused");
	is_str(parsed("13-1", 2025), "ERR", "month 13 refused in short form");
	is_str(parsed("", 2025), "ERR", "empty refused");
	is_str(parsed("   ", 2025), "ERR", "blank refused");
	is_str(parsed("2025-03", 2025), "ERR", "year-month alone refused");
	is_str(parsed("2025-3/5", 2025), "ERR", "mixed separators refused");
	is_str(parsed("3.5", 2025), "ERR", "3.5 is not a date (looks like a number)");
	is_str(parsed("25-3-5", 2025), "ERR", "two-digit year refused");
	is_str(parsed("2025-03-05x", 2025), "ERR", "trailing junk refused");
	is_str(parsed("2025-003-05", 2025), "ERR", "three-digit month refused");
	is_str(parsed("2025030", 2025), "ERR", "seven digits refused");
	is_str(parsed("20251301", 2025), "ERR", "compact month 13 refused");
	is_str(parsed("二〇二五年", 2025), "ERR", "Chinese numerals refused");
	is_str(parsed("-x", 2025), "ERR", "-x refused");
	is_str(parsed("-", 2025), "ERR", "lone minus refused");
	is_str(parsed("+3", 2025), "ERR", "+3 refused");
	is_int(date_parse("2025-02-30", 2025, &(struct kdate){0}), KP_E_DATA, "KP_E_DATA");
	is_str(kp_err_msg(), "no such date: 2025-02-30", "impossible date message");
	date_parse("soon", 2025, &(struct kdate){0});
	is_str(kp_err_msg(), "unrecognised date \"soon\" (write it as 2025-03-05)",
	       "bad form message");
}

static void test_iso(void)
{
	struct kdate d;

	is_int(date_parse_iso("2024-02-29", &d), KP_OK, "ISO leap day");
	ok(d.y == 2024 && d.m == 2 && d.d == 29, "ISO fields");
	is_int(date_parse_iso("2025-2-28", &d), KP_E_DATA, "ISO needs padding");
	is_int(date_parse_iso("2025/02/28", &d), KP_E_DATA, "ISO needs dashes");
	is_int(date_parse_iso(" 2025-02-28", &d), KP_E_DATA, "ISO allows no spaces");
	is_int(date_parse_iso("2025-02-28 ", &d), KP_E_DATA, "ISO allows no trailing space");
	is_int(date_parse_iso("2025-02-29", &d), KP_E_DATA, "ISO checks the calendar");
	is_int(date_parse_iso("20250228", &d), KP_E_DATA, "ISO refuses compact");
	is_int(date_parse_iso("", &d), KP_E_DATA, "ISO refuses empty");
}

static void test_days(void)
{
	struct kdate epoch = { 1970, 1, 1 }, d;
	char buf[11];
	long n, bad = 0;

	is_int(date_to_days(epoch), 0, "epoch is day 0");
	is_int(date_to_days((struct kdate){ 2000, 3, 1 }), 11017, "2000-03-01");
	is_int(date_to_days((struct kdate){ 1969, 12, 31 }), -1, "day before epoch is -1");
	is_int(date_to_days((struct kdate){ 2025, 1, 1 }) -
	       date_to_days((struct kdate){ 2024, 1, 1 }), 366, "2024 has 366 days");
	/* Round trip and consecutive days over 1600..2400. */
	for (n = date_to_days((struct kdate){ 1600, 1, 1 });
	     n < date_to_days((struct kdate){ 2400, 12, 31 }); n++) {
		d = date_from_days(n);
		if (!date_valid(d.y, d.m, d.d) || date_to_days(d) != n)
			bad++;
	}
	is_int(bad, 0, "every day 1600-2400 round-trips and is valid");
	is_int(date_day_of_year((struct kdate){ 2024, 12, 31 }), 366, "day of year, leap");
	is_int(date_day_of_year((struct kdate){ 2025, 3, 1 }), 60, "day of year, March 1");
	is_int(date_day_of_year((struct kdate){ 2025, 1, 1 }), 1, "day of year is 1-based");
	is_str(date_format((struct kdate){ 2025, 3, 5 }, buf), "2025-03-05", "format pads");
}

static void test_today(void)
{
	struct kdate d;

	setenv("KEPU_TODAY", "2024-03-01", 1);
	d = date_today();
	ok(d.y == 2024 && d.m == 3 && d.d == 1, "KEPU_TODAY overrides the clock");
	is_str(parsed("today", 2000), "2024-03-01", "today");
	is_str(parsed("今天", 2000), "2024-03-01", "今天");
	is_str(parsed("t", 2000), "2024-03-01", "t");
	is_str(parsed("yesterday", 2000), "2024-02-29", "yesterday crosses a leap day");
	is_str(parsed("昨天", 2000), "2024-02-29", "昨天");
	is_str(parsed("y", 2000), "2024-02-29", "y");
	is_str(parsed("-1", 2000), "2024-02-29", "-1");
	is_str(parsed("-61", 2000), "2023-12-31", "-61 crosses a year");
	is_str(parsed("-0", 2000), "2024-03-01", "-0 is today");
	is_str(parsed("Today", 2000), "ERR", "words are exact");
	setenv("KEPU_TODAY", "2025-01-01", 1);
	is_str(parsed("y", 2000), "2024-12-31", "yesterday of New Year");
	unsetenv("KEPU_TODAY");
	d = date_today();
	ok(date_valid(d.y, d.m, d.d) && d.y >= 2024, "the clock gives a real date");
}

static void test_month(void)
{
	char m[8];

	is_int(date_parse_month("2025-03", 0, m), KP_OK, "month 2025-03");
	is_str(m, "2025-03", "stays 2025-03");
	is_int(date_parse_month("2025/3", 0, m), KP_OK, "month 2025/3");
	is_str(m, "2025-03", "becomes 2025-03");
	is_int(date_parse_month("11", 2024, m), KP_OK, "a bare month");
	is_str(m, "2024-11", "falls in the default year");
	is_int(date_parse_month("11", 0, m), KP_E_DATA,
	       "a bare month without a default year is refused");
	is_int(date_parse_month("2025-13", 0, m), KP_E_DATA, "month 13 refused");
	is_int(date_parse_month("2025-03x", 0, m), KP_E_DATA, "trailing junk refused");
	is_int(date_parse_month("", 2025, m), KP_E_DATA, "empty refused");
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_valid();
	test_parse_forms();
	test_iso();
	test_days();
	test_today();
	test_month();
	return tap_done();
}
