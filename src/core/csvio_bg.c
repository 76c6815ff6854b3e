/* csvio_bg.c - csvio_read_stream_bg: a file's rows parsed by a second thread.
 *
 * Parsing (libcsv, a byte at a time, and the UTF-8 checks) is a quarter to
 * a third of what reading a bundle or a spreadsheet costs the thread that
 * checks and stores its rows.  Here a parser thread runs
 * csvio_read_stream and packs each row it gives into one of a few
 * blocks; the caller's thread unpacks the blocks in order and calls fn on
 * every row.  On two cores the parsing then costs the caller almost
 * nothing, and the rows, their lines and the failures are the same: the
 * parser's failure comes after every row before it, as it would.
 *
 * A row in a block: a struct packed_row, its nfields lengths, then its
 * cells, each NUL-terminated; padded so that the next row is aligned.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "csvio.h"
#include "err.h"

#define ROWQ_BLOCKS 4
#define ROWQ_BLOCK ((size_t)256 << 10)

struct packed_row {
	size_t size;      /* bytes of the whole row, padding included */
	size_t line;
	size_t nfields;
};

struct rowblk {
	char *buf;
	size_t len, cap;
};

struct rowq {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t ready;        /* a block is full, or the parser ended */
	pthread_cond_t room;         /* a block was used, or the caller stopped */
	struct rowblk blk[ROWQ_BLOCKS];
	size_t head, tail, full;     /* filled at head, used at tail */
	bool done;                   /* the parser ended: status, msg */
	bool stop;                   /* fn stopped the read */
	int status;
	char msg[1024];
	/* what the parser reads */
	const char *name;
	FILE *f;
	const char *encoding;
};

static size_t aligned(size_t n)
{
	return (n + alignof(size_t) - 1) & ~(alignof(size_t) - 1);
}

/* Parser side: hand the block at head over; false when fn has stopped
 * the read (then nothing more is wanted). */
static bool hand_over(struct rowq *q)
{
	bool go_on;

	pthread_mutex_lock(&q->mu);
	if (q->stop) {             /* the block at head may be the caller's */
		pthread_mutex_unlock(&q->mu);
		return false;
	}
	q->full++;
	q->head = (q->head + 1) % ROWQ_BLOCKS;
	pthread_cond_signal(&q->ready);
	/* The block at head is the parser's once the caller is done with it. */
	while (q->full == ROWQ_BLOCKS && !q->stop)
		pthread_cond_wait(&q->room, &q->mu);
	go_on = !q->stop;
	pthread_mutex_unlock(&q->mu);
	return go_on;
}

/* csvio_row_fn of the parser thread: the row packed at the block at head. */
static int pack_row(void *ctx, size_t line, size_t nf, char **f,
                    const size_t *lens)
{
	struct rowq *q = ctx;
	struct rowblk *b = &q->blk[q->head];
	struct packed_row pr = { .line = line, .nfields = nf };
	size_t i, need = sizeof pr + nf * sizeof *lens;
	char *at;

	for (i = 0; i < nf; i++)
		need += lens[i] + 1;
	pr.size = need = aligned(need);
	if (b->len && b->len + need > b->cap) {
		if (!hand_over(q))
			return KP_E_INTR;      /* not seen: the caller stopped */
		b = &q->blk[q->head];
	}
	if (b->len + need > b->cap) {  /* a first block, or a huge row */
		size_t cap = need > ROWQ_BLOCK ? need : ROWQ_BLOCK;
		char *nb = realloc(b->buf, cap);

		if (!nb)
			return kp_err_nomem();
		b->buf = nb;
		b->cap = cap;
	}
	at = b->buf + b->len;
	memcpy(at, &pr, sizeof pr);
	memcpy(at + sizeof pr, lens, nf * sizeof *lens);
	at += sizeof pr + nf * sizeof *lens;
	for (i = 0; i < nf; i++) {
		memcpy(at, f[i], lens[i] + 1);
		at += lens[i] + 1;
	}
	b->len += need;
	return KP_OK;
}

static void *parser(void *arg)
{
	struct rowq *q = arg;
	int rc = csvio_read_stream(q->name, q->f, q->encoding, pack_row, q);

	if (rc != KP_OK)
		snprintf(q->msg, sizeof q->msg, "%s", kp_err_msg());
	/* The rows before a failure are the caller's too. */
	if (q->blk[q->head].len)
		hand_over(q);
	pthread_mutex_lock(&q->mu);
	q->status = rc;
	q->done = true;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Caller side: fn on every row of a block, in order. */
static int unpack(const struct rowblk *b, csvio_row_fn fn, void *ctx,
                  char ***fields, size_t *fcap)
{
	size_t off = 0, i;
	int rc = KP_OK;

	while (rc == KP_OK && off < b->len) {
		struct packed_row pr;
		char *at = b->buf + off;
		const size_t *lens = (const size_t *)(void *)(at + sizeof pr);

		memcpy(&pr, at, sizeof pr);
		while (*fcap < pr.nfields)
			if (array_grow(fields, sizeof **fields, fcap, *fcap) != KP_OK)
				return kp_err_nomem();
		at += sizeof pr + pr.nfields * sizeof *lens;
		for (i = 0; i < pr.nfields; i++) {
			(*fields)[i] = at;
			at += lens[i] + 1;
		}
		rc = fn(ctx, pr.line, pr.nfields, *fields, lens);
		off += pr.size;
	}
	return rc;
}

static int start(struct rowq *q)
{
	sigset_t all, old;
	int made = -1;

	if (pthread_mutex_init(&q->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&q->ready, NULL) == 0) {
		if (pthread_cond_init(&q->room, NULL) == 0) {
			/* Signals stay the caller's: the parser is born with every
			 * one blocked. */
			sigfillset(&all);
			pthread_sigmask(SIG_SETMASK, &all, &old);
			made = pthread_create(&q->th, NULL, parser, q);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			if (made != 0)
				pthread_cond_destroy(&q->room);
		}
		if (made != 0)
			pthread_cond_destroy(&q->ready);
	}
	if (made != 0)
		pthread_mutex_destroy(&q->mu);
	return made;
}

int csvio_read_stream_bg(const char *name, FILE *f, unsigned long long size,
                         const char *encoding, csvio_row_fn fn, void *ctx)
{
	struct rowq *q;
	char **fields = NULL;
	size_t fcap = 0, i;
	int rc = KP_OK;

	/* A thread is worth its making for a file of a few thousand rows. */
	if (size < CSVIO_BG_MIN)
		return csvio_read_stream(name, f, encoding, fn, ctx);
	if ((q = calloc(1, sizeof *q))) {
		q->name = name;
		q->f = f;
		q->encoding = encoding;
	}
	if (!q || start(q) != 0) {
		free(q);
		return csvio_read_stream(name, f, encoding, fn, ctx);
	}
	for (;;) {
		struct rowblk *b;

		pthread_mutex_lock(&q->mu);
		while (!q->full && !q->done)
			pthread_cond_wait(&q->ready, &q->mu);
		if (!q->full) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		b = &q->blk[q->tail];
		pthread_mutex_unlock(&q->mu);
		rc = unpack(b, fn, ctx, &fields, &fcap);
		pthread_mutex_lock(&q->mu);
		b->len = 0;
		q->tail = (q->tail + 1) % ROWQ_BLOCKS;
		q->full--;
		if (rc != KP_OK)
			q->stop = true;
		pthread_cond_signal(&q->room);
		pthread_mutex_unlock(&q->mu);
		if (rc != KP_OK)
			break;
	}
	pthread_join(q->th, NULL);
	/* Every row the parser gave was used: its end is the read's. */
	if (rc == KP_OK && q->status != KP_OK)
		rc = kp_err_set(q->status, "%s", q->msg);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->ready);
	pthread_mutex_destroy(&q->mu);
	for (i = 0; i < ROWQ_BLOCKS; i++)
		free(q->blk[i].buf);
	free(q);
	free(fields);
	return rc;
}
