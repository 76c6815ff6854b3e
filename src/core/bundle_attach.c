/* bundle_attach.c - attachments in bundles: attachments.csv names every
 * attachment of every record the bundle holds, the files themselves sit
 * under attachments/ named by their SHA-256 (each once, listed in
 * SHA256SUMS and so under the signature); their names, checking them
 * without following a link, putting attachments.csv's rows on the
 * records, and storing their bytes at the receiver (bundle_attach_out.c
 * writes them).
 *
 * Bytes never pass through memory all at once: a file is hashed in
 * pieces when checked, and read and stored one at a time, each in a
 * transaction of its own, once the records are in (a township's year of
 * photos is hundreds of megabytes, and LMDB keeps a transaction's new
 * pages in memory until it commits).  Records naming bytes that have not
 * arrived are a state the database knows anyway (--no-attachments), so a
 * crash between the two leaves nothing wrong: importing the bundle again
 * stores what is missing.
 */
#include "config.h"

#include <dirent.h>
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

#define ATT_PREFIX BUNDLE_ATTACH_DIR "/"
#define ATT_PREFIX_LEN (sizeof ATT_PREFIX - 1)

const char *const bundle_att_head[BUNDLE_ATT_COLS] = {
	"id", "rev", "name", "sha256", "bytes", "type", "file",
};

bool bundle_att_name(const char *name, unsigned char sha[RECORD_SHA_LEN],
                     const char **type)
{
	char hex[ATTACH_HEX_LEN + 1];
	const char *p = name + ATT_PREFIX_LEN;
	static const char *const known[] = { "jpg", "png", "pdf", "doc", "docx",
		"xls", "xlsx", "wps", "et", "odt", "ods" };
	size_t i;

	if (strncmp(name, ATT_PREFIX, ATT_PREFIX_LEN) != 0 ||
	    strlen(p) <= ATTACH_HEX_LEN + 1 || p[ATTACH_HEX_LEN] != '.')
		return false;
	memcpy(hex, p, ATTACH_HEX_LEN);
	hex[ATTACH_HEX_LEN] = '\0';
	if (attach_from_hex(hex, sha) != KP_OK)
		return false;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(p + ATTACH_HEX_LEN + 1, known[i]) == 0) {
			*type = known[i];
			return true;
		}
	return false;
}

/* ---- checking --------------------------------------------------------------- */

int bundle_att_list(struct bload *b, const char *name, const char *hex)
{
	unsigned char sha[RECORD_SHA_LEN];
	const char *type;
	struct batt *a;

	(void)hex;
	if (!bundle_att_name(name, sha, &type))
		return KP_NOTFOUND;
	if (array_grow(&b->att, sizeof *b->att, &b->attcap, b->natt) != KP_OK)
		return kp_err_nomem();
	a = &b->att[b->natt++];
	memset(a, 0, sizeof *a);
	snprintf(a->name, sizeof a->name, "%s", name);
	memcpy(a->sha, sha, sizeof sha);
	a->type = type;
	return KP_OK;
}

/* The attachments folder of the bundle, opened without following a link;
 * -1 with errno when it cannot be. */
static int open_dir(const struct bload *b)
{
	struct sbuf p = { 0 };
	int fd;

	if (sbuf_printf(&p, "%s/%s", b->dir, BUNDLE_ATTACH_DIR) != KP_OK) {
		errno = ENOMEM;
		return -1;
	}
	fd = open(p.s, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	sbuf_free(&p);
	return fd;
}

/* Open a listed file for reading: a regular file, no link followed. */
static int open_att(const struct bload *b, const struct batt *a, int *fd,
                    struct stat *st)
{
	int dfd = open_dir(b), e;

	*fd = -1;
	if (dfd < 0)
		return errno == ENOENT ? KP_NOTFOUND : errno;
	*fd = openat(dfd, a->name + ATT_PREFIX_LEN,
	             O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	e = errno;
	close(dfd);
	if (*fd < 0)
		return e == ENOENT ? KP_NOTFOUND : e;
	if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(*fd);
		*fd = -1;
		return EINVAL;
	}
	return KP_OK;
}

static int open_problem(struct bundle_summary *s, const char *name, int e)
{
	if (e == KP_NOTFOUND)
		return bundle_damage(s, LF("缺少文件：%s", "missing file: %s"), name);
	if (e == ELOOP || e == ENOTDIR)
		return bundle_problem(s, LF("%s 是符号链接（或在符号链接里）：不跟随，拒收",
		                      "%s is a symbolic link (or inside one): links "
		                      "are not followed; refused"), name);
	if (e == EINVAL)
		return bundle_problem(s, LF("%s 不是普通文件：拒收",
		                      "%s is not a regular file; refused"), name);
	return bundle_problem(s, LF("无法读取 %s：%s", "cannot read %s: %s"), name,
	                      fs_errno_text(e));
}

int bundle_att_check(struct bload *b, struct bundle_summary *s,
                     struct batt *a, const char *hex, uint64_t want)
{
	crypto_hash_sha256_state st;
	unsigned char h[RECORD_SHA_LEN], buf[65536];
	char got[ATTACH_HEX_LEN + 1];
	struct stat sb;
	uint64_t size = 0;
	ssize_t r;
	int fd, rc = open_att(b, a, &fd, &sb);

	if (rc)
		return open_problem(s, a->name, rc);
	crypto_hash_sha256_init(&st);
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = errno;
			close(fd);
			return open_problem(s, a->name, rc);
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
		size += (uint64_t)r;
	}
	close(fd);
	crypto_hash_sha256_final(&st, h);
	attach_hex(h, got);
	a->size = size;
	if (want && size < want)
		return bundle_damage(s, LF("文件被截断：%s（只有 %llu 字节，应为 %llu）",
		                      "truncated file: %s (%llu of %llu bytes)"),
		                      a->name, (unsigned long long)size,
		                      (unsigned long long)want);
	if (strcmp(got, hex) != 0)
		return bundle_damage(s, LF("文件已被改动：%s（校验和不符）",
		                      "file changed: %s (checksum differs)"), a->name);
	if (memcmp(h, a->sha, sizeof h) != 0)
		return bundle_problem(s, LF("%s 的内容不是其名字所说的文件",
		                      "%s: its contents are not the file its name "
		                      "says"), a->name);
	return KP_OK;
}

static bool att_listed(const struct bload *b, const char *base)
{
	size_t i;

	for (i = 0; i < b->natt; i++)
		if (strcmp(b->att[i].name + ATT_PREFIX_LEN, base) == 0)
			return true;
	return false;
}

int bundle_att_unexpected(struct bload *b, struct bundle_summary *s)
{
	struct dirent *de;
	struct stat st;
	struct sbuf p = { 0 };
	DIR *d;
	int fd;

	if (sbuf_printf(&p, "%s/%s", b->dir, BUNDLE_ATTACH_DIR) != KP_OK)
		return kp_err_nomem();
	if (lstat(p.s, &st) != 0) {
		sbuf_free(&p);
		return KP_OK;          /* missing listed files are said elsewhere */
	}
	sbuf_free(&p);
	if (!S_ISDIR(st.st_mode))
		return bundle_problem(s, LF("%s 不是文件夹（或是符号链接）：拒收",
		                      "%s is not a folder (or is a symbolic link); "
		                      "refused"), BUNDLE_ATTACH_DIR);
	if ((fd = open_dir(b)) < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return bundle_problem(s, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                      BUNDLE_ATTACH_DIR, fs_errno_text(errno));
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && !bundle_litter(de->d_name) &&
		    !att_listed(b, de->d_name))
			bundle_problem(s, LF("多出的文件：%s/%s（SHA256SUMS 中没有）",
			               "unexpected file: %s/%s (not in SHA256SUMS)"),
			               BUNDLE_ATTACH_DIR, de->d_name);
	closedir(d);
	return KP_OK;
}

/* ---- attachments.csv onto the records --------------------------------------- */

/* attachments.csv is read before the form files, into b->arows (a row
 * per attachment: few next to the records), sorted by id and revision;
 * each form file's row then takes the rows of its id and revision as it
 * is read. */

struct batt *bundle_att_find(struct bload *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->natt; i++)
		if (strcmp(b->att[i].name, name) == 0)
			return &b->att[i];
	return NULL;
}

struct arows {
	struct ledger *lg;
	struct bundle_summary *s;
	struct bload *b;
	bool header;
	size_t rows;
};

#define BAD(zh, en, ...) bundle_problem(r->s, LF("%s:%zu：" zh, "%s:%zu: " en), \
                                        BUNDLE_ATTACH_CSV, line, __VA_ARGS__)

static int att_row(void *ctx, size_t line, size_t nf, char **f,
                   const size_t *lens)
{
	struct arows *r = ctx;
	struct bload *b = r->b;
	struct barow *row;
	struct batt *file = NULL;
	unsigned long rev;
	unsigned long long size;
	unsigned char sha[RECORD_SHA_LEN];
	char *end;
	size_t i;
	int rc;

	(void)lens;
	for (i = 0; i < nf; i++)
		csvio_restore(f[i]);
	if (!r->header) {
		r->header = true;
		for (i = 0; i < BUNDLE_ATT_COLS; i++)
			if (nf != BUNDLE_ATT_COLS || strcmp(f[i], bundle_att_head[i]) != 0)
				return BAD("表头应为 %s", "the header must be %s",
				           "id,rev,name,sha256,bytes,type,file");
		return KP_OK;
	}
	r->rows++;
	if (nf != BUNDLE_ATT_COLS)
		return BAD("有 %zu 列，应为 %zu 列", "%zu columns, want %zu", nf,
		           BUNDLE_ATT_COLS);
	rev = strtoul(f[1], &end, 10);
	if (!record_id_valid(f[0]) || *end || !*f[1] || rev == 0 || rev > UINT32_MAX)
		return BAD("数据包中没有记录 %s 的第 %s 版", "the bundle holds no row "
		           "of record %s at revision %s", f[0], f[1]);
	if (attach_name_check(f[2]) != KP_OK)
		return BAD("%s", "%s", kp_err_msg());
	if (attach_from_hex(f[3], sha) != KP_OK)
		return BAD("sha256 应为 64 位十六进制数", "sha256 must be 64 hex "
		           "digits%s", "");
	size = strtoull(f[4], &end, 10);
	if (!*f[4] || *end || size == 0 || size > ATTACH_MAX_BYTES)
		return BAD("bytes 应为 1 到 %llu 之间的整数", "bytes must be a whole "
		           "number from 1 to %llu", (unsigned long long)ATTACH_MAX_BYTES);
	if (!attach_type_known(f[5]))
		return BAD("不认识的附件类型：%s", "unknown attachment type: %s", f[5]);
	if (*f[6] && (!(file = bundle_att_find(b, f[6])) ||
	              memcmp(file->sha, sha, sizeof sha) != 0))
		return BAD("file 应为 SHA256SUMS 所列、内容为该 sha256 的文件，而不是“%s”",
		           "file must be a file SHA256SUMS lists holding that "
		           "sha256, not '%s'", f[6]);
	if (file && file->size != size)
		return BAD("%s 有 %llu 字节，bytes 写的是 %s", "%s has %llu bytes, "
		           "bytes says %s", f[6], (unsigned long long)file->size, f[4]);
	if (file)
		file->named = true;
	if ((rc = array_grow(&b->arows, sizeof *b->arows, &b->arowcap,
	                     b->narows)) != KP_OK)
		return rc;
	row = &b->arows[b->narows++];
	memset(row, 0, sizeof *row);
	snprintf(row->id, sizeof row->id, "%s", f[0]);
	row->rev = (uint32_t)rev;
	row->line = line;
	memcpy(row->a.sha, sha, sizeof sha);
	snprintf(row->a.name, sizeof row->a.name, "%s", f[2]);
	snprintf(row->a.type, sizeof row->a.type, "%s", f[5]);
	row->a.size = size;
	return KP_OK;
}

#undef BAD

/* By id, then revision, then the order of the file (a record's
 * attachments in the order they were attached). */
static int arow_cmp(const void *x, const void *y)
{
	const struct barow *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	if (c)
		return c;
	if (a->rev != b->rev)
		return a->rev < b->rev ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

int bundle_att_rows(struct ledger *lg, struct bundle_summary *s,
                    struct bload *b, const char *buf, size_t len)
{
	struct arows r = { lg, s, b, false, 0 };
	const char *want = kvl_get(&b->mf, "attachments");
	int rc = KP_OK;

	b->narows = 0;
	if (buf)
		rc = csvio_read_mem_as(BUNDLE_ATTACH_CSV, bundle_encoding(b), buf, len,
		                       att_row, &r);
	if (rc == KP_E_DATA)
		return bundle_problem(s, "%s", kp_err_msg());
	if (rc)
		return rc;
	if (buf && !r.header)
		return bundle_problem(s, LF("%s：文件是空的", "%s: the file is empty"),
		                      BUNDLE_ATTACH_CSV);
	if (buf && (!want || strtoull(want, NULL, 10) != r.rows))
		bundle_problem(s, LF("%s 有 %zu 行，清单写的是 %s 行",
		               "%s has %zu rows, the manifest says %s"),
		               BUNDLE_ATTACH_CSV, r.rows, want ? want : "-");
	if (b->narows > 1)
		qsort(b->arows, b->narows, sizeof *b->arows, arow_cmp);
	return KP_OK;
}

/* The first row of id at rev, or b->narows. */
static size_t arow_first(const struct bload *b, const char *id, uint32_t rev)
{
	size_t lo = 0, hi = b->narows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct barow *m = &b->arows[mid];
		int c = strcmp(m->id, id);

		if (c < 0 || (c == 0 && m->rev < rev))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A live record's attachment whose bytes are neither in the bundle nor,
 * perhaps, in the database: counted once the import is done. */
static int note_absent(struct bload *b, const struct record_att *a)
{
	size_t k;
	int rc;

	for (k = 0; k < b->natt; k++)
		if (memcmp(b->att[k].sha, a->sha, RECORD_SHA_LEN) == 0)
			return KP_OK;
	if ((rc = array_grow(&b->absent, sizeof *b->absent, &b->abscap,
	                     b->nabsent)) != KP_OK)
		return rc;
	memcpy(b->absent[b->nabsent++], a->sha, RECORD_SHA_LEN);
	return KP_OK;
}

int bundle_att_onto(struct bload *b, struct bundle_summary *s,
                    struct record *rec, const struct brow *pos)
{
	size_t i = arow_first(b, rec->id, rec->rev);
	int rc = KP_OK;

	for (; rc == KP_OK && i < b->narows && b->arows[i].rev == rec->rev &&
	       strcmp(b->arows[i].id, rec->id) == 0; i++) {
		struct barow *r = &b->arows[i];

		r->used = true;
		if (record_att_find(rec, r->a.name)) {
			rc = bundle_problem(s, LF("%s:%zu：记录 %s 有两个名为“%s”的附件",
			                    "%s:%zu: record %s has two attachments named '%s'"),
			                    BUNDLE_ATTACH_CSV, r->line, rec->id, r->a.name);
			continue;
		}
		if ((rc = record_att_add(rec, &r->a)) == KP_OK && !rec->deleted)
			rc = note_absent(b, &r->a);
	}
	if (rc == KP_OK && pos->natt >= 0 && (size_t)pos->natt != rec->natt)
		rc = bundle_problem(s, LF("%s:%zu：记录有 %ld 个附件，%s 列出 %zu 个",
		                    "%s:%zu: the record has %ld attachments, %s names "
		                    "%zu"), b->files[pos->file], pos->line, pos->natt,
		                    BUNDLE_ATTACH_CSV, rec->natt);
	return rc;
}

int bundle_att_left(struct bload *b, struct bundle_summary *s)
{
	size_t i;

	for (i = 0; i < b->narows; i++)
		if (!b->arows[i].used)
			bundle_problem(s, LF("%s:%zu：数据包中没有记录 %s 的第 %lu 版",
			               "%s:%zu: the bundle holds no row of record %s at "
			               "revision %lu"), BUNDLE_ATTACH_CSV, b->arows[i].line,
			               b->arows[i].id, (unsigned long)b->arows[i].rev);
	for (i = 0; i < b->natt; i++)
		if (!b->att[i].named)
			bundle_problem(s, LF("%s 不在 %s 的任何一行中",
			               "%s is named by no row of %s"), b->att[i].name,
			               BUNDLE_ATTACH_CSV);
	s->att_files = b->natt;
	return KP_OK;
}

/* ---- storing at the receiver ------------------------------------------------ */

/* The bytes of a listed file, read again: what is stored must be what
 * was checked, whatever happened to the stick since. */
static int read_att(const struct bload *b, const struct batt *a, char **data,
                    size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int fd, rc = open_att(b, a, &fd, &st);

	*data = NULL;
	if (rc == KP_OK && (uint64_t)st.st_size > ATTACH_MAX_BYTES) {
		close(fd);
		rc = EFBIG;
	}
	if (rc)
		return kp_err_set(KP_E_DATA, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                  a->name, rc == KP_NOTFOUND ? fs_errno_text(ENOENT)
		                                             : fs_errno_text(rc));
	*data = malloc((size_t)st.st_size + 1);
	if (!*data) {
		close(fd);
		return kp_err_nomem();
	}
	while (got <= (size_t)st.st_size &&
	       (r = read(fd, *data + got, (size_t)st.st_size + 1 - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return KP_OK;
}

/* The attachments of the records whose bytes neither the bundle nor the
 * database has (a bundle made with --no-attachments). */
static void count_absent(struct ledger *lg, struct bload *b,
                         struct bundle_summary *s)
{
	size_t i;
	bool have;

	for (i = 0; i < b->nabsent; i++)
		if (ledger_attach_have(lg, b->absent[i], &have) == KP_OK && !have)
			s->att_absent++;
}

int bundle_att_store(struct ledger *lg, struct bload *b, bool dry_run,
                     struct bundle_summary *s)
{
	size_t i;
	bool have, added;
	char *data;
	size_t len = 0;
	int rc = KP_OK;

	s->att_files = b->natt;
	for (i = 0; i < b->natt && rc == KP_OK; i++) {
		if ((rc = ledger_attach_have(lg, b->att[i].sha, &have)))
			break;
		if (have) {
			s->att_present++;
			continue;
		}
		if (dry_run) {
			s->att_stored++;
			continue;
		}
		if ((rc = read_att(b, &b->att[i], &data, &len)) == KP_OK)
			rc = ledger_attach_put(lg, b->att[i].sha, data, len, &added);
		free(data);
		if (rc == KP_E_DATA)
			/* Changed since it was checked: the records are in, the
			 * bytes wait for an untouched copy of the bundle. */
			return bundle_problem(s, LF("%s 在校验之后被改动，未保存；请从未动过的"
			                      "数据包再导入一次（已导入的记录不受影响）",
			                      "%s changed after it was checked and was "
			                      "not stored; import an untouched copy of the "
			                      "bundle again (the records are in)"),
			                      b->att[i].name) ? KP_E_NOMEM
			       : kp_err_set(KP_E_DATA, LF("%s：有附件未能保存",
			                    "%s: an attachment could not be stored"), s->name);
		if (rc == KP_OK && added)
			s->att_stored++;
		else if (rc == KP_OK)
			s->att_present++;
	}
	if (rc == KP_OK)
		count_absent(lg, b, s);
	return rc;
}
