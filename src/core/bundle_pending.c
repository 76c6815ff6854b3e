/* bundle_pending.c - an export between sealing its folder and recording
 * it: the pending entry "pend:<key>" in DB_BUNDLES that says which bundle
 * may be on the stick, written before the rename and replaced by the
 * record of the export after it (bundle_finish), or forgotten when the
 * bundle did not stay; and the process that wrote it, so that the next
 * export leaves a live one alone (bundle_settle.c). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "text.h"

#define PENDING "pend:"

/* ---- the process that wrote a pending entry ------------------------- */

/* The start time of process pid (field 22 of /proc/PID/stat), 0 when it
 * cannot be read.  With the pid it names one process: pids come back. */
static unsigned long long proc_start(long pid)
{
	char path[64], buf[1024], *p, *save = NULL, *tok;
	size_t n;
	FILE *f;
	int field = 3;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses. */
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (tok = strtok_r(p + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), field++)
		if (field == 22)
			return strtoull(tok, NULL, 10);
	return 0;
}

bool bundle_proc_alive(const char *pid_s, const char *start_s)
{
	long pid = pid_s ? strtol(pid_s, NULL, 10) : 0;
	unsigned long long start;

	if (pid <= 0 || pid == (long)getpid())
		return false;
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return false;
	start = proc_start(pid);
	return !start || !start_s || start == strtoull(start_s, NULL, 10);
}

/* ---- pending entries ------------------------------------------------ */

struct pend_put {
	char pkey[96];
	const char *key;
	struct sbuf v;
};

static int pend_put_txn(struct store_txn *t, void *ctx)
{
	struct pend_put *pp = ctx;
	const void *v;
	size_t vn;

	if (store_get(t, DB_BUNDLES, pp->key, strlen(pp->key), &v, &vn) == KP_OK ||
	    store_get(t, DB_BUNDLES, pp->pkey, strlen(pp->pkey), &v, &vn) == KP_OK)
		return kp_err_set(KP_E_TEMPFAIL, LF("另一次导出同时使用了编号 %s，请稍后重试",
		                  "another export is using the number %s at the "
		                  "same time; try again when it is done"), pp->key);
	return store_put(t, DB_BUNDLES, pp->pkey, strlen(pp->pkey), pp->v.s,
	                 pp->v.len);
}

int bundle_pending_put(struct ledger *lg, const char *key,
                       const struct bdir *d, const struct kvlist *m)
{
	struct pend_put pp = { .key = key };
	struct kvlist l = {0};
	char *dir = realpath(d->out_dir, NULL);
	const char *base = strrchr(d->final, '/');
	size_t i;
	int rc;

	snprintf(pp.pkey, sizeof pp.pkey, PENDING "%s", key);
	for (i = 0; i < m->n; i++)
		kvl_add(&l, m->v[i].name, m->v[i].value);
	kvl_add(&l, "pending_dir", dir ? dir : d->out_dir);
	kvl_add(&l, "pending_name", base ? base + 1 : d->final);
	kvl_add(&l, "pending_tmp", strrchr(d->tmp, '/') ? strrchr(d->tmp, '/') + 1 : d->tmp);
	kvl_add(&l, "pending_sums", d->sums_hex);
	kvl_addf(&l, "pending_pid", "%ld", (long)getpid());
	kvl_addf(&l, "pending_start", "%llu", proc_start((long)getpid()));
	rc = kvl_format(&l, CSVW_CRLF, &pp.v);
	if (rc == KP_OK)
		rc = store_write(lg->st, pend_put_txn, &pp);
	sbuf_free(&pp.v);
	kvl_free(&l);
	free(dir);
	return rc;
}

struct pend_done {
	char pkey[96];
	const char *key;
	const struct sbuf *mf;        /* NULL: only forget the pending one */
};

static int pend_done_txn(struct store_txn *t, void *ctx)
{
	struct pend_done *pd = ctx;
	int rc = store_del(t, DB_BUNDLES, pd->pkey, strlen(pd->pkey), NULL, 0);

	if (rc == KP_NOTFOUND)
		rc = KP_OK;
	if (rc == KP_OK && pd->mf)
		rc = store_put(t, DB_BUNDLES, pd->key, strlen(pd->key), pd->mf->s,
		               pd->mf->len);
	return rc;
}

int bundle_pending_done(struct ledger *lg, const char *key,
                        const struct sbuf *mf)
{
	struct pend_done pd = { .key = key, .mf = mf };

	snprintf(pd.pkey, sizeof pd.pkey, PENDING "%s", key);
	return store_write(lg->st, pend_done_txn, &pd);
}

int bundle_pending_drop(struct ledger *lg, const char *key)
{
	return bundle_pending_done(lg, key, NULL);
}
