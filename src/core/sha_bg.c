/* sha_bg.c - SHA-256 in a second thread: the caller's bytes are copied
 * into one of a few blocks, which the thread hashes in order while the
 * caller fills the next. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "err.h"
#include "sha_bg.h"

#define SHA_BG_BLOCKS 4
#define SHA_BG_BLOCK ((size_t)256 << 10)

struct sha_bg {
	crypto_hash_sha256_state st;
	bool threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t ready;           /* a block is full, or the end */
	pthread_cond_t room;            /* a block was hashed */
	unsigned char *buf[SHA_BG_BLOCKS];
	size_t len[SHA_BG_BLOCKS];
	size_t head, tail, full;        /* filled at head, hashed at tail */
	bool done;
};

static void *worker(void *arg)
{
	struct sha_bg *h = arg;
	size_t at, n;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->full && !h->done)
			pthread_cond_wait(&h->ready, &h->mu);
		if (!h->full)
			break;
		at = h->tail;
		n = h->len[at];
		pthread_mutex_unlock(&h->mu);
		crypto_hash_sha256_update(&h->st, h->buf[at], n);
		pthread_mutex_lock(&h->mu);
		h->len[at] = 0;
		h->tail = (h->tail + 1) % SHA_BG_BLOCKS;
		h->full--;
		pthread_cond_signal(&h->room);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int sha_bg_start(struct sha_bg **out)
{
	struct sha_bg *h = calloc(1, sizeof *h);
	size_t i;

	*out = NULL;
	if (!h)
		return kp_err_nomem();
	crypto_hash_sha256_init(&h->st);
	for (i = 0; i < SHA_BG_BLOCKS; i++)
		if (!(h->buf[i] = malloc(SHA_BG_BLOCK)))
			break;
	if (i == SHA_BG_BLOCKS && pthread_mutex_init(&h->mu, NULL) == 0) {
		sigset_t all, old;

		/* Signals stay the caller's thread's: the thread is born with
		 * every one blocked. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		if (pthread_cond_init(&h->ready, NULL) == 0 &&
		    pthread_cond_init(&h->room, NULL) == 0 &&
		    pthread_create(&h->th, NULL, worker, h) == 0)
			h->threaded = true;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!h->threaded)
			pthread_mutex_destroy(&h->mu);
	}
	*out = h;
	return KP_OK;
}

/* Hand the block being filled to the thread. */
static void hand_over(struct sha_bg *h)
{
	pthread_mutex_lock(&h->mu);
	h->full++;
	h->head = (h->head + 1) % SHA_BG_BLOCKS;
	pthread_cond_signal(&h->ready);
	while (h->full == SHA_BG_BLOCKS)
		pthread_cond_wait(&h->room, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void sha_bg_update(struct sha_bg *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t take;

	if (!h->threaded) {
		crypto_hash_sha256_update(&h->st, s, n);
		return;
	}
	while (n) {
		/* The block at head is the caller's until it is handed over. */
		size_t at = h->head;

		take = SHA_BG_BLOCK - h->len[at];
		if (take > n)
			take = n;
		memcpy(h->buf[at] + h->len[at], s, take);
		h->len[at] += take;
		s += take;
		n -= take;
		if (h->len[at] == SHA_BG_BLOCK)
			hand_over(h);
	}
}

void sha_bg_final(struct sha_bg *h, unsigned char out[32])
{
	size_t i;

	if (!h)
		return;
	if (h->threaded) {
		if (h->len[h->head])
			hand_over(h);
		pthread_mutex_lock(&h->mu);
		h->done = true;
		pthread_cond_signal(&h->ready);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->th, NULL);
		pthread_cond_destroy(&h->ready);
		pthread_cond_destroy(&h->room);
		pthread_mutex_destroy(&h->mu);
	}
	if (out)
		crypto_hash_sha256_final(&h->st, out);
	for (i = 0; i < SHA_BG_BLOCKS; i++)
		free(h->buf[i]);
	free(h);
}
