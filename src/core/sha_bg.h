/* sha_bg.h - the SHA-256 of a stream worked out by a second thread while
 * the caller goes on with the bytes (a bundle's files are hashed while
 * their rows are parsed: on two cores the hash then costs almost
 * nothing).  What is hashed is a copy of exactly the bytes the caller
 * passed, never the file read again: the bytes checked are the bytes
 * used.  SHA-256 by libsodium.  When no thread can be made the bytes are
 * hashed in the caller's thread, with the same result.
 */
#ifndef KEPU_SHA_BG_H
#define KEPU_SHA_BG_H

#include <stddef.h>

struct sha_bg;

/* KP_OK and *out, or KP_E_NOMEM. */
int sha_bg_start(struct sha_bg **out);
/* Add n bytes (copied before it returns). */
void sha_bg_update(struct sha_bg *h, const void *p, size_t n);
/* The digest of every byte added; h is freed.  NULL out only frees. */
void sha_bg_final(struct sha_bg *h, unsigned char out[32]);

#endif
