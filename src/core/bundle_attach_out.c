/* bundle_attach_out.c - a bundle's attachments as the sender writes
 * them: the attachments of every revision written noted as it goes
 * (bundle_att_note), then attachments.csv with a row per attachment and,
 * unless --no-attachments, each file once under attachments/, named by
 * its SHA-256 and copied from the database (ledger_attach_bytes) into
 * the bundle's file as it is handed over.  None of tombstones, of files
 * whose bytes this database lacks, or of files the record had before the
 * bundle's first change: an earlier bundle carried those.
 *
 * Uses bundle_attach.c (the columns of attachments.csv). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "attach.h"
#include "bundle_int.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

static void file_name(const unsigned char sha[RECORD_SHA_LEN],
                      const char *type, char out[BUNDLE_NAME_MAX])
{
	char hex[ATTACH_HEX_LEN + 1];

	attach_hex(sha, hex);
	snprintf(out, BUNDLE_NAME_MAX, "%s%s.%s", BUNDLE_ATTACH_DIR "/", hex, type);
}

/* ---- writing ---------------------------------------------------------------- */

struct att_ref {
	char id[RECORD_ID_LEN + 1];
	uint32_t rev;
	bool deleted;
	struct record_att a;
};

struct send {
	unsigned char sha[RECORD_SHA_LEN];
	const char *type;             /* of the first row naming it */
};

struct batt_out {
	struct ledger *lg;
	uint64_t after;
	bool no_bytes;
	struct att_ref *v;
	size_t n, cap;
	struct send *send;            /* the files to write, by digest */
	size_t nsend, sendcap;
	size_t files;
	uint64_t bytes;
};

int bundle_att_begin(struct ledger *lg, uint64_t after_seq, bool no_bytes,
                     struct batt_out **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return kp_err_nomem();
	(*out)->lg = lg;
	(*out)->after = after_seq;
	(*out)->no_bytes = no_bytes;
	return KP_OK;
}

void bundle_att_free(struct batt_out *o)
{
	if (!o)
		return;
	free(o->v);
	free(o->send);
	free(o);
}

int bundle_att_note(struct batt_out *o, uint64_t seq, const struct record *r)
{
	size_t i;

	(void)seq;
	for (i = 0; i < r->natt; i++) {
		struct att_ref *ref;

		if (array_grow(&o->v, sizeof *o->v, &o->cap, o->n) != KP_OK)
			return kp_err_nomem();
		ref = &o->v[o->n++];
		memcpy(ref->id, r->id, sizeof ref->id);
		ref->rev = r->rev;
		ref->deleted = r->deleted;
		ref->a = r->att[i];
	}
	return KP_OK;
}

static int cmp_send(const void *a, const void *b)
{
	return memcmp(((const struct send *)a)->sha, ((const struct send *)b)->sha,
	              RECORD_SHA_LEN);
}

static const struct send *send_find(const struct batt_out *o,
                                    const unsigned char *sha)
{
	struct send key;

	memcpy(key.sha, sha, sizeof key.sha);
	return o->nsend ? bsearch(&key, o->send, o->nsend, sizeof *o->send,
	                          cmp_send) : NULL;
}

/* Whether the bytes of ref go in: a live record's file this database has,
 * unless the record had it before the bundle's changes (an earlier bundle
 * carried it). */
static int should_send(struct batt_out *o, const struct att_ref *ref,
                       struct record *prev, bool *yes)
{
	const struct record_att *had;
	bool have;
	int rc;

	*yes = false;
	if (o->no_bytes || ref->deleted)
		return KP_OK;
	if ((rc = ledger_attach_have(o->lg, ref->a.sha, &have)) || !have)
		return rc;
	if (o->after) {
		rc = ledger_revision_at(o->lg, ref->id, o->after, prev);
		if (rc && rc != KP_NOTFOUND)
			return rc;
		had = rc == KP_OK ? record_att_find(prev, ref->a.name) : NULL;
		if (had && memcmp(had->sha, ref->a.sha, RECORD_SHA_LEN) == 0)
			return KP_OK;
	}
	*yes = true;
	return KP_OK;
}

static int choose(struct batt_out *o)
{
	struct record prev;
	size_t i, j;
	bool yes;
	int rc = KP_OK;

	record_init(&prev);
	for (i = 0; i < o->n && !rc; i++) {
		if ((rc = should_send(o, &o->v[i], &prev, &yes)) || !yes)
			continue;
		if ((rc = array_grow(&o->send, sizeof *o->send, &o->sendcap, o->nsend)))
			break;
		memcpy(o->send[o->nsend].sha, o->v[i].a.sha, RECORD_SHA_LEN);
		o->send[o->nsend++].type = o->v[i].a.type;
	}
	record_free(&prev);
	if (rc || o->nsend < 2)
		return rc;
	/* Sorted, each digest once (the first row's type names its file). */
	qsort(o->send, o->nsend, sizeof *o->send, cmp_send);
	for (i = 1, j = 1; i < o->nsend; i++)
		if (memcmp(o->send[i].sha, o->send[j - 1].sha, RECORD_SHA_LEN) != 0)
			o->send[j++] = o->send[i];
	o->nsend = j;
	return KP_OK;
}

static int write_rows(struct batt_out *o, struct bdir *d, unsigned flags)
{
	char rev[16], bytes[24], hex[ATTACH_HEX_LEN + 1], file[BUNDLE_NAME_MAX];
	struct bfile bf;
	struct csvw w;
	size_t i;
	int rc;

	if ((rc = bfile_open(d, BUNDLE_ATTACH_CSV, &bf)) != KP_OK)
		return rc;
	csvw_begin(&w, bf.f, flags);
	csvw_row(&w, BUNDLE_ATT_COLS, bundle_att_head);
	for (i = 0; i < o->n; i++) {
		const struct att_ref *r = &o->v[i];
		const struct send *s = send_find(o, r->a.sha);
		const char *f[BUNDLE_ATT_COLS] = { r->id, rev, r->a.name, hex, bytes,
		                            r->a.type, s ? file : "" };

		snprintf(rev, sizeof rev, "%lu", (unsigned long)r->rev);
		snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)r->a.size);
		attach_hex(r->a.sha, hex);
		if (s)
			file_name(s->sha, s->type, file);
		csvw_row(&w, BUNDLE_ATT_COLS, f);
	}
	if ((rc = csvw_finish(&w)) != KP_OK) {
		bfile_discard(&bf);
		return kp_err_set(KP_E_IO, LF("无法写入 %s/%s：%s", "cannot write %s/%s: %s"),
		                  d->out_dir, BUNDLE_ATTACH_CSV,
		                  fs_errno_text(bf.err ? bf.err : EIO));
	}
	return bfile_close(d, &bf);
}

struct sink {
	struct bfile *bf;
};

static int to_file(void *ctx, const void *p, size_t n)
{
	struct sink *s = ctx;

	if (fwrite(p, 1, n, s->bf->f) != n)
		return KP_E_IO;
	return KP_OK;
}

static int write_file(struct batt_out *o, struct bdir *d, const struct send *s)
{
	char name[BUNDLE_NAME_MAX];
	struct bfile bf;
	struct sink sk = { &bf };
	int rc;

	file_name(s->sha, s->type, name);
	if ((rc = bfile_open(d, name, &bf)) != KP_OK)
		return rc;
	rc = ledger_attach_bytes(o->lg, s->sha, to_file, &sk);
	if (rc == KP_E_IO || (rc == KP_OK && fflush(bf.f) != 0)) {
		int e = bf.err ? bf.err : EIO;

		bfile_discard(&bf);
		return kp_err_set(KP_E_IO, LF("无法写入 %s/%s：%s", "cannot write %s/%s: %s"),
		                  d->out_dir, name, fs_errno_text(e));
	}
	if (rc != KP_OK) {
		bfile_discard(&bf);
		return rc;
	}
	o->files++;
	o->bytes += bf.size;
	return bfile_close(d, &bf);
}

static int sync_folder(struct bdir *d)
{
	struct sbuf p = { 0 };
	int fd, e = 0;

	if (sbuf_printf(&p, "%s/%s", d->tmp, BUNDLE_ATTACH_DIR) != KP_OK)
		return kp_err_nomem();
	fd = open(p.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sbuf_free(&p);
	if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP))
		e = errno;
	if (fd >= 0)
		close(fd);
	return e ? kp_err_set(KP_E_IO, LF("无法写入 %s/%s：%s", "cannot write %s/%s: %s"),
	                      d->out_dir, BUNDLE_ATTACH_DIR, fs_errno_text(e)) : KP_OK;
}

int bundle_att_write(struct batt_out *o, struct bdir *d, unsigned flags,
                     struct kvlist *m)
{
	struct sbuf dir = { 0 };
	size_t i;
	int rc;

	if ((rc = choose(o)) || (rc = write_rows(o, d, flags)))
		return rc;
	if (o->nsend) {
		mode_t um = umask(0);

		umask(um);
		if ((rc = sbuf_printf(&dir, "%s/%s", d->tmp, BUNDLE_ATTACH_DIR)))
			return rc;
		if (mkdir(dir.s, 0777 & ~um) != 0) {
			rc = kp_err_set(KP_E_IO, LF("无法在 %s 中创建文件夹：%s",
			                "cannot create a folder in %s: %s"), d->out_dir,
			                fs_errno_text(errno));
			sbuf_free(&dir);
			return rc;
		}
		sbuf_free(&dir);
	}
	for (i = 0; i < o->nsend && !rc; i++)
		rc = write_file(o, d, &o->send[i]);
	/* The folder's entries reach the stick before the bundle is named
	 * complete, like those of the bundle's own folder (bdir_seal). */
	if (!rc && o->nsend)
		rc = sync_folder(d);
	if (rc)
		return rc;
	kvl_addf(m, "attachments", "%zu", o->n);
	kvl_addf(m, "attachment_files", "%zu", o->files);
	return kvl_add(m, "attachments_sent", o->no_bytes ? "0" : "1");
}

size_t bundle_att_rows_of(const struct batt_out *o, size_t *files,
                          uint64_t *bytes)
{
	*files = o->files;
	*bytes = o->bytes;
	return o->n;
}
