/* store_guard.c - LMDB calls that a damaged file cannot turn into a crash.
 *
 * A handler for SIGSEGV and SIGBUS, and LMDB's assertion callback, jump
 * back to the guard_* call that was running when the fault came (see
 * store_guard.h).  The jump target lives in the wrapper's own frame and is
 * armed only for the duration of the LMDB call, so a fault anywhere else
 * is passed on untouched.  SA_NODEFER keeps the signal unblocked after the
 * jump (sigsetjmp does not save the mask: saving it would cost a system
 * call for every key read).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store_guard.h"

/* volatile: the stores around an inlined probe must stay where they are. */
static _Thread_local sigjmp_buf *volatile armed;
static _Thread_local int fault_sig;
static struct sigaction prev_segv, prev_bus;
static bool installed;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	sigjmp_buf *j = armed;

	(void)uc;
	if (j) {
		armed = NULL;
		fault_sig = sig;
		siglongjmp(*j, 1);
	}
	/* Not inside LMDB: put back what was there.  Returning re-runs the
	 * faulting instruction, which now meets that handler (or the default
	 * action); a signal sent with kill(2) is raised again instead. */
	sigaction(sig, sig == SIGBUS ? &prev_bus : &prev_segv, NULL);
	if (si->si_code <= 0)
		raise(sig);
}

static void on_assert(MDB_env *env, const char *msg)
{
	sigjmp_buf *j = armed;

	(void)env;
	(void)msg;
	if (j) {
		armed = NULL;
		fault_sig = SIGABRT;
		siglongjmp(*j, 1);
	}
	/* Unarmed: LMDB prints msg and aborts, as without the guard. */
}

int guard_init(MDB_env *env)
{
	struct sigaction sa;

	if (!installed) {
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_fault;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGSEGV, &sa, &prev_segv) != 0)
			return errno;
		if (sigaction(SIGBUS, &sa, &prev_bus) != 0) {
			int e = errno;

			sigaction(SIGSEGV, &prev_segv, NULL);
			return e;
		}
		installed = true;
	}
	return mdb_env_set_assert(env, on_assert);
}

int guard_signal(void)
{
	return fault_sig;
}

/* Run one LMDB call with the guard armed; the enclosing function returns
 * its result, or GUARD_EFAULT after a fault. */
#define GUARDED(call) do { \
	sigjmp_buf jb_; \
	int rc_; \
	if (sigsetjmp(jb_, 0)) \
		return GUARD_EFAULT; \
	armed = &jb_; \
	rc_ = (call); \
	armed = NULL; \
	return rc_; \
} while (0)

int guard_dbi_open(MDB_txn *txn, const char *name, unsigned flags,
                   MDB_dbi *dbi)
{
	GUARDED(mdb_dbi_open(txn, name, flags, dbi));
}

int guard_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v)
{
	GUARDED(mdb_get(txn, dbi, k, v));
}

int guard_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v,
              unsigned flags)
{
	GUARDED(mdb_put(txn, dbi, k, v, flags));
}

int guard_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v)
{
	GUARDED(mdb_del(txn, dbi, k, v));
}

int guard_drop(MDB_txn *txn, MDB_dbi dbi)
{
	GUARDED(mdb_drop(txn, dbi, 0));
}

int guard_commit(MDB_txn *txn)
{
	GUARDED(mdb_txn_commit(txn));
}

int guard_stat(MDB_txn *txn, MDB_dbi dbi, MDB_stat *ms)
{
	GUARDED(mdb_stat(txn, dbi, ms));
}

int guard_cursor_open(MDB_txn *txn, MDB_dbi dbi, MDB_cursor **c)
{
	GUARDED(mdb_cursor_open(txn, dbi, c));
}

int guard_cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v,
                     MDB_cursor_op op)
{
	GUARDED(mdb_cursor_get(c, k, v, op));
}

/* Touch points 4096 bytes apart, and the last byte: every page of 4096
 * bytes or more that the range meets holds one of them. */
static int probe_pages(const volatile unsigned char *b, size_t n)
{
	unsigned char sink = 0;
	size_t i;

	for (i = 0; i < n; i += 4096)
		sink ^= b[i];
	sink ^= b[n - 1];
	return sink & 0;
}

int guard_probe(const void *p, size_t n)
{
	if (n == 0)
		return 0;
	GUARDED(probe_pages(p, n));
}
