/* bundle_settle.c - the exports of bundle.h: first what an interrupted
 * export left, and how the next one deals with it, then the writers
 * (bundle_export.c, bundle_forms.c, bundle_decision.c).
 *
 * An export records its bundle as pending (DB_BUNDLES "pend:<key>") once
 * the hidden folder is complete and sealed, renames it into place, and
 * only then records it under <key> and forgets the pending entry, in one
 * transaction.  Killed anywhere in between (kill -9, a power cut), the
 * database still knows which bundle may be on the stick, and the next
 * export settles it before it takes a number: the bundle found complete
 * and signed with this database's key is recorded; a folder never renamed
 * is removed and forgotten; a bundle that cannot be found (the stick is
 * elsewhere) keeps its number, unconfirmed, and its changes go into the
 * next bundle, so that no number is ever used twice.  A bundle of its own
 * that an older kepu left unrecorded is recognised the same way
 * (adopt).  Temporary folders of killed exports are removed (sweep); one
 * still being written is locked (bdir_begin) and left.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "keys.h"
#include "lang.h"
#include "text.h"

#define PENDING "pend:"         /* bundle_pending.c's entries */
#define SWEEP_NAMES 3             /* names listed in the sweep's note */

/* ---- notes ---------------------------------------------------------- */

static int note(struct bundle_export_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int note(struct bundle_export_result *res, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return bundle_msg_add(&res->notes, &res->nnotes, "%s", buf);
}

/* ---- removing a temporary folder ------------------------------------ */

/* Empty the folder open as fd (which this takes): regular files and links
 * go (unlinkat never follows a link), subfolders too while depth allows. */
static bool empty_dir(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	bool ok = true;

	if (!d) {
		close(fd);
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			continue;
		if ((errno != EISDIR && errno != EPERM) || depth <= 1 ||
		    (sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
		                  O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    !empty_dir(sub, depth - 1) ||
		    unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) != 0)
			ok = false;
	}
	closedir(d);
	return ok;
}

/* 1 when the folder name in dfd was removed, 0 when it is no folder or is
 * being written now (locked), -1 when it could not be removed. */
static int remove_temp(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r = -1, copy;

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return 0;
	}
	copy = dup(fd);
	if (copy >= 0 && empty_dir(copy, 2) &&
	    unlinkat(dfd, name, AT_REMOVEDIR) == 0)
		r = 1;
	close(fd);
	return r;
}

/* ---- telling a bundle of our own ------------------------------------ */

static int skip_rows(void *ctx, struct bload *b)
{
	(void)ctx;
	(void)b;
	return KP_NOTFOUND;
}

/* KP_OK and its manifest in *mf (the caller frees it) when the folder at
 * path is a complete bundle signed with this database's key, from this
 * database, number seq, and (sums not NULL) with exactly that
 * SHA256SUMS; KP_NOTFOUND otherwise. */
static int own_bundle(struct ledger *lg, const char *path, uint64_t seq,
                      const char *sums, struct kvlist *mf)
{
	struct bundle_summary s;
	struct bload b;
	int rc;

	bundle_summary_init(&s);
	rc = bundle_load(lg, path, &s, &b, skip_rows, NULL);
	if (rc == KP_OK && (b.seq != seq || strcmp(b.who, keys_identity(lg)) ||
	                    (sums && strcmp(b.sums_hex, sums))))
		rc = KP_NOTFOUND;
	if (rc == KP_OK) {
		*mf = b.mf;
		memset(&b.mf, 0, sizeof b.mf);
	} else if (rc != KP_E_NOMEM) {
		rc = KP_NOTFOUND;
	}
	bload_free(&b);
	bundle_summary_free(&s);
	return rc;
}

/* The manifest as DB_BUNDLES keeps it, without the pending entry's own
 * keys; extra (may be NULL) adds to it. */
static int record_value(const struct kvlist *m, struct sbuf *out,
                        int (*extra)(struct kvlist *l, const struct kvlist *m))
{
	struct kvlist l = {0};
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++)
		if (strncmp(m->v[i].name, "pending_", 8) != 0)
			kvl_add(&l, m->v[i].name, m->v[i].value);
	if (extra)
		extra(&l, m);
	rc = kvl_format(&l, CSVW_CRLF, out);
	kvl_free(&l);
	return rc;
}

/* A bundle that may be on a stick somewhere keeps its number; the changes
 * it held count as not sent (change_to back to change_from). */
static int unconfirmed(struct kvlist *l, const struct kvlist *m)
{
	const char *from = kvl_get(m, "change_from");
	size_t i;

	for (i = 0; i < l->n && from; i++)
		if (strcmp(l->v[i].name, "change_to") == 0) {
			char *v = xstrdup(from);

			if (!v)
				return kp_err_nomem();
			kvl_add(l, "unconfirmed_change_to", l->v[i].value);
			free(l->v[i].value);
			l->v[i].value = v;
			break;
		}
	return kvl_add(l, "unconfirmed", "1");
}

/* A folder at path has the name export wants for bundle seq: when it is a
 * bundle of this database with that number, verified with its own key and
 * (data bundles) starting after change_from, an export that was never
 * recorded wrote it: record it under key (KP_OK, a note in res).
 * KP_NOTFOUND when it is anything else. */
static int adopt(struct ledger *lg, const char *path, const char *key,
                 uint64_t seq, uint64_t change_from,
                 struct bundle_export_result *res)
{
	struct kvlist mf = {0};
	struct sbuf v = {0};
	const char *from, *base = strrchr(path, '/');
	int rc = own_bundle(lg, path, seq, NULL, &mf);

	if (rc != KP_OK)
		return rc;
	from = kvl_get(&mf, "change_from");
	if (from && strtoull(from, NULL, 10) != change_from)
		rc = KP_NOTFOUND;
	if (rc == KP_OK)
		rc = record_value(&mf, &v, NULL);
	if (rc == KP_OK)
		rc = bundle_pending_done(lg, key, &v);
	if (rc == KP_OK)
		rc = note(res, LF("第 %llu 号数据包 %s 已完整地在 %s 中，但没有记入数据库"
		          "（当时的导出被中断了）：现已记入",
		          "bundle %llu, %s, was complete in %s but not recorded "
		          "(the export that wrote it was interrupted): recorded now"),
		          (unsigned long long)seq, base ? base + 1 : path, path);
	sbuf_free(&v);
	kvl_free(&mf);
	return rc;
}

/* ---- settling the pending entries ----------------------------------- */

struct pend {
	char key[RECORD_NAME_MAX + 16];   /* without "pend:" */
	struct kvlist m;
};

struct pend_list {
	const char *prefix;
	size_t plen;
	struct pend *v;
	size_t n;
};

static int pend_fn(void *ctx, const void *k, size_t kn, const void *v,
                   size_t vn)
{
	struct pend_list *pl = ctx;
	struct pend *np;

	if (kn < pl->plen || memcmp(k, pl->prefix, pl->plen) != 0)
		return KP_NOTFOUND;
	if (kn - strlen(PENDING) >= sizeof np->key)
		return KP_OK;
	if (!(np = realloc(pl->v, (pl->n + 1) * sizeof *np)))
		return kp_err_nomem();
	pl->v = np;
	np = &pl->v[pl->n];
	memset(np, 0, sizeof *np);
	memcpy(np->key, (const char *)k + strlen(PENDING), kn - strlen(PENDING));
	if (kvl_parse("DB_BUNDLES", v, vn, &np->m) != KP_OK) {
		kvl_free(&np->m);
		return KP_OK;   /* unreadable: left for check to report */
	}
	pl->n++;
	return KP_OK;
}

static int pend_txn(struct store_txn *t, void *ctx)
{
	struct pend_list *pl = ctx;

	return store_iter(t, DB_BUNDLES, pl->prefix, pl->plen, false, pend_fn, pl);
}

/* Where the pending bundle may be: where it was written, and out_dir (the
 * same stick, mounted elsewhere).  KP_OK with its path in out. */
static int find_pending(struct ledger *lg, struct pend *p, const char *out_dir,
                        uint64_t seq, struct sbuf *out)
{
	const char *dirs[2] = { kvl_get(&p->m, "pending_dir"), out_dir };
	const char *name = kvl_get(&p->m, "pending_name");
	struct kvlist mf = {0};
	size_t i;
	int rc = KP_NOTFOUND;

	for (i = 0; i < 2 && rc == KP_NOTFOUND && name; i++) {
		if (!dirs[i] || (i == 1 && dirs[0] && strcmp(dirs[0], dirs[1]) == 0))
			continue;
		sbuf_reset(out);
		if (sbuf_printf(out, "%s/%s", dirs[i], name) != KP_OK)
			return kp_err_nomem();
		rc = own_bundle(lg, out->s, seq, kvl_get(&p->m, "pending_sums"), &mf);
		kvl_free(&mf);
	}
	return rc;
}

static int settle_one(struct ledger *lg, struct pend *p, const char *out_dir,
                      struct bundle_export_result *res)
{
	const char *dir = kvl_get(&p->m, "pending_dir");
	const char *tmp = kvl_get(&p->m, "pending_tmp");
	const char *name = kvl_get(&p->m, "pending_name");
	const char *seq_s = kvl_get(&p->m, "seq");
	uint64_t seq = seq_s ? strtoull(seq_s, NULL, 10) : 0;
	struct sbuf path = {0}, v = {0};
	int rc, dfd;

	if (bundle_proc_alive(kvl_get(&p->m, "pending_pid"), kvl_get(&p->m, "pending_start")))
		return KP_OK;   /* being written now: that export records it */
	if (!name)
		name = "?";
	rc = find_pending(lg, p, out_dir, seq, &path);
	if (rc == KP_OK) {
		if ((rc = record_value(&p->m, &v, NULL)) == KP_OK &&
		    (rc = bundle_pending_done(lg, p->key, &v)) == KP_OK)
			rc = note(res, LF("第 %llu 号数据包 %s 已完整地在 %s 中，但没有记入数据库"
			          "（当时的导出被中断了）：现已记入",
			          "bundle %llu, %s, was complete in %s but not recorded "
			          "(the export that wrote it was interrupted): recorded now"),
			          (unsigned long long)seq, name, path.s);
		goto out;
	}
	if (rc != KP_NOTFOUND)
		goto out;
	/* Never renamed into place: the hidden folder is still there. */
	dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dfd >= 0 && tmp && faccessat(dfd, tmp, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		remove_temp(dfd, tmp);
		close(dfd);
		if ((rc = bundle_pending_drop(lg, p->key)) == KP_OK)
			rc = note(res, LF("上次导出在第 %llu 号数据包 %s 放好之前被中断：它的临时文件夹已删除，"
			          "它的改动会写进下一个数据包",
			          "an export was interrupted before bundle %llu, %s, "
			          "was in place: its temporary folder was removed, "
			          "and its changes go into the next bundle"),
			          (unsigned long long)seq, name);
		goto out;
	}
	if (dfd >= 0)
		close(dfd);
	if ((rc = record_value(&p->m, &v, unconfirmed)) == KP_OK &&
	    (rc = bundle_pending_done(lg, p->key, &v)) == KP_OK)
		rc = note(res, LF("第 %llu 号数据包 %s 当时正写到 %s，导出被中断，现在那里找不到它："
		          "如果某个 U 盘上有它，市里照样可以导入；这个编号不再使用，"
		          "它的改动会写进下一个数据包",
		          "bundle %llu, %s, was being written to %s when the "
		          "export was interrupted, and is not there now: if a "
		          "stick holds it, the city can still import it; its "
		          "number is not used again, and its changes go into the "
		          "next bundle"), (unsigned long long)seq, name,
		          dir ? dir : "?");
out:
	sbuf_free(&path);
	sbuf_free(&v);
	return rc;
}

/* Before an export of the bundles recorded under prefix ("out:", "qout:",
 * "fout:") into out_dir: settle what interrupted exports left pending.  A
 * bundle found complete (verified with this database's key, with the
 * SHA256SUMS it was sealed with), where it was written or in out_dir, is
 * recorded; one whose hidden folder was never renamed is removed and
 * forgotten; one that cannot be found keeps its number, recorded as
 * unconfirmed with its changes counted as not sent.  An entry whose
 * process still runs is left to it.  Each outcome is a note in res. */
static int settle(struct ledger *lg, const char *prefix, const char *out_dir,
                  struct bundle_export_result *res)
{
	char want[RECORD_NAME_MAX + 16];
	struct pend_list pl = { want, 0, NULL, 0 };
	size_t i;
	int rc;

	snprintf(want, sizeof want, PENDING "%s", prefix);
	pl.plen = strlen(want);
	rc = store_read(lg->st, pend_txn, &pl);
	for (i = 0; i < pl.n && rc == KP_OK; i++)
		rc = settle_one(lg, &pl.v[i], out_dir, res);
	for (i = 0; i < pl.n; i++)
		kvl_free(&pl.v[i].m);
	free(pl.v);
	return rc;
}

/* ---- stale temporary folders ---------------------------------------- */

/* p at "-NNNNNN-YYYYMMDD.XXXXXX" and nothing after. */
static bool temp_tail(const char *p)
{
	size_t k;

	if (*p++ != '-')
		return false;
	for (k = 0; isdigit((unsigned char)p[k]); k++)
		;
	if (k < 6 || p[k] != '-')
		return false;
	p += k + 1;
	for (k = 0; k < 8; k++)
		if (!isdigit((unsigned char)p[k]))
			return false;
	if (p[8] != '.')
		return false;
	for (p += 9, k = 0; k < 6; k++)
		if (!isalnum((unsigned char)p[k]))
			return false;
	return p[6] == '\0';
}

static bool after(const char *name, const char *word, const char **rest)
{
	size_t n = strlen(word);

	if (strncmp(name, word, n) != 0)
		return false;
	*rest = name + n;
	return true;
}

/* A temporary folder of a bundle this database writes (bdir_begin's
 * ".<name>.XXXXXX"): its data bundles, and the city's quota, forms and
 * decision bundles. */
static bool own_temp(const struct ledger *lg, const char *n)
{
	const struct schema *s = lg->schema;
	const char *p;
	size_t i, k;

	if (*n++ != '.')
		return false;
	if (after(n, keys_identity(lg), &p) && temp_tail(p))
		return true;
	if (lg->mode != LEDGER_CITY_MODE)
		return false;
	if (after(n, "forms-v", &p)) {
		for (k = 0; isdigit((unsigned char)p[k]); k++)
			;
		return k >= 6 && temp_tail(p + k);
	}
	if (!after(n, "quota-", &n) && !after(n, "decision-", &n))
		return false;
	if (after(n, LEDGER_CITY, &p) && temp_tail(p))
		return true;
	for (i = 0; i < s->ntownships; i++)
		if (after(n, s->townships[i].id, &p) && temp_tail(p))
			return true;
	return false;
}

/* Remove from out_dir the temporary folders of this database's bundles
 * (".<name>.XXXXXX" as bdir_begin makes them) that no running export
 * holds; nothing else is touched.  A note in res says what went. */
static int sweep(struct ledger *lg, const char *out_dir,
                 struct bundle_export_result *res)
{
	struct sbuf names = {0};
	struct dirent *de;
	size_t removed = 0, stuck = 0;
	DIR *d = opendir(out_dir);
	int rc = KP_OK;

	if (!d)
		return KP_OK;   /* bdir_begin says why, in its words */
	/* No export creates its folder meanwhile (bdir_begin): each one seen
	 * unlocked is one no export holds. */
	flock(dirfd(d), LOCK_EX);
	while ((de = readdir(d)) != NULL) {
		int r;

		if (!own_temp(lg, de->d_name))
			continue;
		r = remove_temp(dirfd(d), de->d_name);
		if (r > 0 && removed++ < SWEEP_NAMES)
			sbuf_printf(&names, "%s%s", names.len ? ", " : "", de->d_name);
		if (r < 0)
			stuck++;
	}
	closedir(d);
	if (removed)
		rc = note(res, LF("删除了 %2$s 中 %1$zu 个被中断的导出留下的未完成文件夹（%3$s%4$s）",
		          removed == 1 ? "removed %1$zu unfinished bundle folder that "
		          "an interrupted export had left in %2$s (%3$s%4$s)"
		          : "removed %1$zu unfinished bundle folders that interrupted "
		          "exports had left in %2$s (%3$s%4$s)"), removed, out_dir,
		          names.s ? names.s : "", removed > SWEEP_NAMES ? ", …" : "");
	if (rc == KP_OK && stuck)
		rc = note(res, LF("%s 中有 %zu 个被中断的导出留下的文件夹无法删除",
		          "%s: %zu unfinished bundle folders could not be removed"),
		          out_dir, stuck);
	sbuf_free(&names);
	return rc;
}

/* ---- the exports ---------------------------------------------------- */

typedef int (*writer_fn)(struct ledger *lg, const struct bundle_export_opts *o,
                         struct bundle_export_result *res);
typedef void (*key_fn)(char *out, size_t n, uint64_t seq);

/* Settle, sweep, then write; a folder with the new bundle's name that is
 * a bundle of this database is recorded and the next number taken. */
static int export_settled(struct ledger *lg, const struct bundle_export_opts *o,
                          struct bundle_export_result *res, const char *prefix,
                          writer_fn write, key_fn keyf)
{
	struct sbuf path = {0};
	char key[64];
	int rc;

	memset(res, 0, sizeof *res);
	res->forms_version = lg->schema->version;
	bundle_fault_reset();
	if ((rc = keys_ensure(lg)) != KP_OK ||
	    (rc = settle(lg, prefix, o->out_dir, res)) != KP_OK ||
	    (rc = sweep(lg, o->out_dir, res)) != KP_OK)
		return rc;
	while ((rc = write(lg, o, res)) == BUNDLE_TAKEN) {
		sbuf_reset(&path);
		if (sbuf_printf(&path, "%s/%s", o->out_dir, res->name) != KP_OK) {
			rc = kp_err_nomem();
			break;
		}
		keyf(key, sizeof key, res->seq);
		rc = adopt(lg, path.s, key, res->seq, res->change_from, res);
		if (rc == KP_NOTFOUND)
			rc = kp_err_set(KP_E_CANTCREAT, LF("%s 已经存在，而且不是本数据库的数据包：没有覆盖它"
			                "（请把它移走后再导出）", "%s already exists and "
			                "is not a bundle of this database: it was left as it "
			                "is (move it away and export again)"), path.s);
		if (rc != KP_OK)
			break;
	}
	sbuf_free(&path);
	return rc;
}

int bundle_export(struct ledger *lg, const struct bundle_export_opts *o,
                  struct bundle_export_result *res)
{
	return export_settled(lg, o, res, "out:", bundle_write_data,
	                      bundle_key_out);
}

/* A township database is refused by the writer before anything is
 * settled or swept. */
int bundle_quota_export(struct ledger *lg, const struct bundle_export_opts *o,
                        struct bundle_export_result *res)
{
	if (lg->mode != LEDGER_CITY_MODE) {
		memset(res, 0, sizeof *res);
		return bundle_write_quota(lg, o, res);
	}
	return export_settled(lg, o, res, "qout:", bundle_write_quota,
	                      bundle_key_qout);
}

int bundle_forms_export(struct ledger *lg, const struct bundle_export_opts *o,
                        struct bundle_export_result *res)
{
	if (lg->mode != LEDGER_CITY_MODE) {
		memset(res, 0, sizeof *res);
		return bundle_write_forms(lg, o, res);
	}
	return export_settled(lg, o, res, "fout:", bundle_write_forms,
	                      bundle_key_fout);
}

int bundle_decision_export(struct ledger *lg, const struct bundle_export_opts *o,
                           struct bundle_export_result *res)
{
	if (lg->mode != LEDGER_CITY_MODE) {
		memset(res, 0, sizeof *res);
		return bundle_write_decision(lg, o, res);
	}
	return export_settled(lg, o, res, "dout:", bundle_write_decision,
	                      bundle_key_dout);
}
