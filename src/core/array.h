/* array.h - room for one more element in arrays that grow by doubling.
 *
 * For arrays kept as a pointer, a count and a capacity, alone or side by
 * side (rows and the line each came from), so that no caller writes out
 * the realloc dance again.
 */
#ifndef KEPU_ARRAY_H
#define KEPU_ARRAY_H

#include <stddef.h>

/* Make room for element n (n + 1 elements of size bytes) in the array whose
 * pointer is at pp (a T **, the pointer may be NULL) and whose capacity is
 * *cap.  Nothing happens while n < *cap; else the capacity doubles (16 at
 * first).  KP_OK, or KP_E_NOMEM (kp_err_nomem) with the array and *cap as
 * they were. */
int array_grow(void *pp, size_t size, size_t *cap, size_t n);

/* The same for two arrays indexed together and sharing *cap: both have
 * room for element n afterwards.  On KP_E_NOMEM both are still valid and
 * hold what they held (the first may have grown; *cap is unchanged). */
int array_grow2(void *pp, size_t psize, void *qq, size_t qsize, size_t *cap,
                size_t n);

#endif
