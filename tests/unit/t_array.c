/* t_array.c - arrays that grow by doubling, alone or two side by side. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "err.h"
#include "lang.h"
#include "tap.h"

static void test_one(void)
{
	int *v = NULL;
	size_t cap = 0, n, bad = 0;

	for (n = 0; n < 1000; n++) {
		if (array_grow(&v, sizeof *v, &cap, n) != KP_OK || cap <= n)
			bad++;
		else
			v[n] = (int)n;
	}
	is_int(bad, 0, "room for every element");
	for (n = 0; n < 1000; n++)
		bad += v[n] != (int)n;
	is_int(bad, 0, "elements kept while growing");
	is_int(cap, 1024, "capacity doubles from 16");
	is_int(array_grow(&v, sizeof *v, &cap, 10), KP_OK, "room already there");
	is_int(cap, 1024, "nothing changes then");
	free(v);
}

static void test_two(void)
{
	double *a = NULL;
	char *b = NULL;
	size_t cap = 0, n, bad = 0;

	for (n = 0; n < 100; n++) {
		if (array_grow2(&a, sizeof *a, &b, sizeof *b, &cap, n) != KP_OK)
			bad++;
		else {
			a[n] = (double)n;
			b[n] = (char)('a' + n % 26);
		}
	}
	is_int(bad, 0, "two arrays: room for every element");
	for (n = 0; n < 100; n++)
		bad += a[n] != (double)n || b[n] != (char)('a' + n % 26);
	is_int(bad, 0, "two arrays: both kept");
	is_int(cap, 128, "two arrays: one capacity");
	free(a);
	free(b);
}

static void test_too_big(void)
{
	char *p = NULL;
	size_t cap = SIZE_MAX / 2 + 1;

	is_int(array_grow(&p, 1, &cap, cap), KP_E_NOMEM,
	       "a capacity that would overflow is out of memory");
	is_str(kp_err_msg(), "out of memory", "with the message");
	is_int(cap, SIZE_MAX / 2 + 1, "capacity unchanged");
	ok(p == NULL, "pointer unchanged");
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_one();
	test_two();
	test_too_big();
	return tap_done();
}
