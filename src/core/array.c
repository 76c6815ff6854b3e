/* array.c - room for one more element in arrays that grow by doubling. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "err.h"

/* The capacity after *cap, or 0 when size * it would not fit a size_t. */
static size_t next_cap(size_t cap, size_t size)
{
	size_t c = cap ? cap * 2 : 16;

	if (c < cap || (size && c > SIZE_MAX / size))
		return 0;
	return c;
}

/* realloc of the pointer stored at pp (of any object pointer type: copied
 * in and out with memcpy, which the aliasing rules allow). */
static int resize(void *pp, size_t bytes)
{
	void *p, *q;

	memcpy(&p, pp, sizeof p);
	q = realloc(p, bytes);
	if (!q)
		return kp_err_nomem();
	memcpy(pp, &q, sizeof q);
	return KP_OK;
}

int array_grow(void *pp, size_t size, size_t *cap, size_t n)
{
	size_t c;
	int rc;

	if (n < *cap)
		return KP_OK;
	if (!(c = next_cap(*cap, size)))
		return kp_err_nomem();
	if ((rc = resize(pp, c * size)) != KP_OK)
		return rc;
	*cap = c;
	return KP_OK;
}

int array_grow2(void *pp, size_t psize, void *qq, size_t qsize, size_t *cap,
                size_t n)
{
	size_t c;
	int rc;

	if (n < *cap)
		return KP_OK;
	if (!(c = next_cap(*cap, psize > qsize ? psize : qsize)))
		return kp_err_nomem();
	if ((rc = resize(pp, c * psize)) != KP_OK
	    || (rc = resize(qq, c * qsize)) != KP_OK)
		return rc;
	*cap = c;
	return KP_OK;
}
