/* date.c - calendar dates as the clerks write them.
 *
 * Proleptic Gregorian calendar throughout; day counts use Howard Hinnant's
 * days-from-civil algorithm (eras of 400 years), exact for any int year.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "err.h"
#include "lang.h"

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 &&
	       d >= 1 && d <= days_in_month(y, m);
}

int date_days_in_year(int y)
{
	return is_leap(y) ? 366 : 365;
}

int date_day_of_year(struct kdate d)
{
	struct kdate jan1 = { d.y, 1, 1 };

	return (int)(date_to_days(d) - date_to_days(jan1)) + 1;
}

long date_to_days(struct kdate d)
{
	long y = (long)d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;                                  /* [0, 399] */
	long mp = (d.m + 9) % 12;                                  /* March = 0 */
	long doy = (153 * mp + 2) / 5 + d.d - 1;                   /* [0, 365] */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */

	return era * 146097 + doe - 719468;
}

struct kdate date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct kdate r;

	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

char *date_format(struct kdate d, char out[11])
{
	/* Valid dates fit; the modulos only keep a corrupt one inside out.
	 * By hand, not snprintf: every date of every row checked is. */
	unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u;
	unsigned dd = (unsigned)d.d % 100u;

	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
	return out;
}

/* Read exactly n digits (n > 0) at *s into *v, advancing *s. */
static bool take_digits(const char **s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return false;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return true;
}

/* Read 1 to max digits. */
static bool take_number(const char **s, int max, int *v)
{
	int n = 0;

	while (n < max && isdigit((unsigned char)(*s)[n]))
		n++;
	if (n == 0 || isdigit((unsigned char)(*s)[n]))
		return false;
	return take_digits(s, n, v);
}

static int bad_form(const char *s)
{
	return kp_err_set(KP_E_DATA, LF("无法识别的日期“%s”（请写成 2025-03-05）",
	                                "unrecognised date \"%s\" (write it as 2025-03-05)"), s);
}

static int check_and_store(int y, int m, int d, struct kdate *out)
{
	if (!date_valid(y, m, d))
		return kp_err_set(KP_E_DATA, LF("没有这一天：%04d-%02d-%02d",
		                                "no such date: %04d-%02d-%02d"), y, m, d);
	out->y = y;
	out->m = m;
	out->d = d;
	return KP_OK;
}

int date_parse_iso(const char *s, struct kdate *out)
{
	const char *p = s;
	int y, m, d;

	if (!take_digits(&p, 4, &y) || *p++ != '-' || !take_digits(&p, 2, &m) ||
	    *p++ != '-' || !take_digits(&p, 2, &d) || *p != '\0')
		return kp_err_set(KP_E_DATA, LF("日期“%s”不是 YYYY-MM-DD 格式",
		                                "date \"%s\" is not in the form YYYY-MM-DD"), s);
	return check_and_store(y, m, d, out);
}

static int parse_relative(const char *s, struct kdate *out)
{
	const char *p = s + 1;
	int n;

	if (!take_number(&p, 5, &n) || *p != '\0')
		return bad_form(s);
	*out = date_from_days(date_to_days(date_today()) - n);
	return KP_OK;
}

/* y sep m sep d with sep one of - / . ; or m sep d in default_year. */
static int parse_separated(const char *s, int default_year, struct kdate *out)
{
	const char *p = s;
	int a, b, c;
	char sep;

	if (!take_number(&p, 4, &a))
		return bad_form(s);
	sep = *p;
	if (sep != '-' && sep != '/' && sep != '.')
		return bad_form(s);
	p++;
	if (!take_number(&p, 2, &b))
		return bad_form(s);
	if (*p == '\0') {
		/* "3-5": a month and a day in the year being worked on. */
		if (sep == '.' || a > 12)
			return bad_form(s);
		return check_and_store(default_year, a, b, out);
	}
	if (*p++ != sep || !take_number(&p, 2, &c) || *p != '\0' || a < 1000)
		return bad_form(s);
	return check_and_store(a, b, c, out);
}

static bool word_is(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return true;
	return false;
}

int date_parse(const char *s, int default_year, struct kdate *out)
{
	static const char *const today[] = { "today", "t", "今天", NULL };
	static const char *const yesterday[] = { "yesterday", "y", "昨天", NULL };
	char buf[64];
	size_t n;
	const char *p;
	int y, m, d;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof buf)
		return bad_form(s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (word_is(buf, today)) {
		*out = date_today();
		return KP_OK;
	}
	if (word_is(buf, yesterday)) {
		*out = date_from_days(date_to_days(date_today()) - 1);
		return KP_OK;
	}
	if (buf[0] == '-')
		return parse_relative(buf, out);
	p = buf;
	if (n == 8 && take_digits(&p, 4, &y) && take_digits(&p, 2, &m) &&
	    take_digits(&p, 2, &d))
		return check_and_store(y, m, d, out);
	return parse_separated(buf, default_year, out);
}

struct kdate date_today(void)
{
	const char *env = getenv("KEPU_TODAY");
	struct kdate d;
	struct tm tm;
	time_t now;

	if (env && *env && date_parse_iso(env, &d) == KP_OK)
		return d;
	now = time(NULL);
	if (!localtime_r(&now, &tm)) {
		d.y = 1970;
		d.m = d.d = 1;
		return d;
	}
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}

int date_parse_month(const char *s, int default_year, char out[8])
{
	int y = default_year, m = 0;
	char extra;

	if (sscanf(s, "%d-%d%c", &y, &m, &extra) != 2 &&
	    sscanf(s, "%d/%d%c", &y, &m, &extra) != 2) {
		y = default_year;
		if (!default_year || sscanf(s, "%d%c", &m, &extra) != 1)
			return kp_err_set(KP_E_DATA, LF("月份写法不对：%s（例：2025-03）",
			                  "not a month: %s (e.g. 2025-03)"), s);
	}
	if (m < 1 || m > 12 || y < 1900 || y > 9999)
		return kp_err_set(KP_E_DATA, LF("月份写法不对：%s（例：2025-03）",
		                  "not a month: %s (e.g. 2025-03)"), s);
	snprintf(out, 8, "%04d-%02d", y, m);
	return KP_OK;
}
