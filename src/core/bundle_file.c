/* bundle_file.c - a bundle's files read from its folder, never through a
 * link: small ones whole (bundle_read_whole), the others a block at a time
 * with their SHA-256 worked out as the bytes pass (bfin, hashed in a
 * second thread by sha_bg.c), and what changed a file whose checksum is
 * not the signed one (cut short, or re-saved by a spreadsheet: told by
 * reading it again).
 *
 * Uses bundle.c (problems).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_int.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "sha_bg.h"
#include "text.h"

#define BFIN_BLOCK 65536
#define BFIN_DROP ((uint64_t)8 << 20)   /* read, then dropped from the cache */

/* A file of the bundle is opened only as what it is named: a regular
 * file in the folder.  A link would let a listed file be one outside the
 * bundle, hashed and accepted; a FIFO would block (opened without
 * waiting, then read the ordinary way).  KP_E_DATA (the message says
 * which) for those, KP_NOTFOUND when there is none. */
static int open_in(const struct bload *b, const char *name, int *fd)
{
	struct sbuf p = {0};
	struct stat sb;
	int rc = KP_OK;

	*fd = -1;
	if (sbuf_printf(&p, "%s/%s", b->dir, name) != KP_OK)
		return kp_err_nomem();
	*fd = open(p.s, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		rc = errno == ENOENT ? KP_NOTFOUND :
		     errno == ELOOP ? kp_err_set(KP_E_DATA, LF("%s 是符号链接，不是数据包里的文件：拒收",
		                                "%s is a symbolic link, not a file of the bundle: refused"), name) :
		     kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                p.s, fs_errno_text(errno));
	else if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = kp_err_set(KP_E_DATA, LF("%s 不是普通文件：拒收",
		                "%s is not a regular file: refused"), name);
	else if (fcntl(*fd, F_SETFL, 0) != 0)
		rc = kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                p.s, fs_errno_text(errno));
	if (rc != KP_OK && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	sbuf_free(&p);
	return rc;
}

static int read_fail(const struct bload *b, const char *name, int e)
{
	return kp_err_set(KP_E_IO, LF("无法读取 %s/%s：%s", "cannot read %s/%s: %s"),
	                  b->dir, name, fs_errno_text(e));
}

/* A whole small file (SHA256SUMS, the manifest, the signature, a quota
 * or forms bundle's files); KP_NOTFOUND when it does not exist. */
int bundle_read_whole(const struct bload *b, const char *name, char **buf,
                      size_t *n)
{
	struct sbuf data = {0};
	char chunk[BFIN_BLOCK];
	ssize_t got;
	int fd, rc;

	*buf = NULL;
	*n = 0;
	if ((rc = open_in(b, name, &fd)) != KP_OK)
		return rc;
	while ((got = read(fd, chunk, sizeof chunk)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = read_fail(b, name, errno);
			break;
		}
		if ((rc = sbuf_add(&data, chunk, (size_t)got)) != KP_OK)
			break;
	}
	close(fd);
	if (rc == KP_OK) {
		*n = data.len;
		*buf = data.s ? data.s : calloc(1, 1);
		data.s = NULL;
		if (!*buf)
			rc = kp_err_nomem();
	}
	sbuf_free(&data);
	return rc;
}

bool bundle_litter(const char *name)
{
	static const char *const litter[] = { "Thumbs.db", "ehthumbs.db",
	                                      "desktop.ini" };
	size_t i;

	/* ~$training.csv: the owner file Excel and WPS leave beside a file
	 * they have open (as long as they have it open). */
	if (strncmp(name, "~$", 2) == 0)
		return true;
	for (i = 0; i < sizeof litter / sizeof litter[0]; i++)
		if (strcasecmp(name, litter[i]) == 0)
			return true;
	return false;
}

struct blisted *bundle_listed(struct bload *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nlist; i++)
		if (strcmp(b->list[i].name, name) == 0)
			return &b->list[i];
	return NULL;
}

uint64_t bundle_manifest_bytes(const struct bload *b, const char *name)
{
	char key[BUNDLE_NAME_MAX + 8];
	const char *val;

	if (!b->mf_ok)
		return 0;
	snprintf(key, sizeof key, "bytes:%s", name);
	val = kvl_get(&b->mf, key);
	return val ? strtoull(val, NULL, 10) : 0;
}

/* ---- what changed a file -------------------------------------------- */

/* A file's bytes as a spreadsheet or editor that re-saved it leaves them:
 * without the byte-order mark, and/or with CRLF turned into LF.  The
 * SHA-256 of the bytes with each of those undone (a mark put back, every
 * LF made CRLF, both), computed as the file is read. */
struct undo {
	crypto_hash_sha256_state both, bom, crlf;
	bool has_bom, has_crlf, has_lf;
	bool first;
	char prev;
};

static void undo_init(struct undo *u)
{
	memset(u, 0, sizeof *u);
	crypto_hash_sha256_init(&u->both);
	crypto_hash_sha256_init(&u->bom);
	crypto_hash_sha256_init(&u->crlf);
	crypto_hash_sha256_update(&u->both, (const unsigned char *)"\xef\xbb\xbf", 3);
	crypto_hash_sha256_update(&u->bom, (const unsigned char *)"\xef\xbb\xbf", 3);
	u->first = true;
}

static void undo_crlf(crypto_hash_sha256_state *st, const char *p, size_t n)
{
	const char *nl;

	while ((nl = memchr(p, '\n', n)) != NULL) {
		crypto_hash_sha256_update(st, (const unsigned char *)p,
		                          (unsigned long long)(nl - p));
		crypto_hash_sha256_update(st, (const unsigned char *)"\r\n", 2);
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	crypto_hash_sha256_update(st, (const unsigned char *)p, n);
}

static void undo_add(struct undo *u, const char *p, size_t n)
{
	size_t i;

	if (!n)
		return;
	if (u->first && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		u->has_bom = true;
	u->first = false;
	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && (i ? p[i - 1] : u->prev) == '\r')
			u->has_crlf = true;
		if (p[i] == '\n')
			u->has_lf = true;
	}
	u->prev = p[n - 1];
	crypto_hash_sha256_update(&u->bom, (const unsigned char *)p, n);
	undo_crlf(&u->both, p, n);
	undo_crlf(&u->crlf, p, n);
}

static bool undo_is(crypto_hash_sha256_state *st, const char *want)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];

	crypto_hash_sha256_final(st, h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return strcmp(hex, want) == 0;
}

/* What changed the file (read again for it).  When undoing exactly what
 * a re-save does gives back the signed checksum, say so, since the data
 * itself is then intact and an untouched copy will verify. */
static const char *change_hint(const struct bload *b, const struct blisted *l)
{
	const char *enc = b->mf_ok ? kvl_get(&b->mf, "encoding") : NULL;
	char buf[BFIN_BLOCK];
	struct undo u;
	bool lf_only;
	ssize_t got;
	int fd;

	if (open_in(b, l->name, &fd) != KP_OK)
		return LF("校验和不符", "checksum differs");
	undo_init(&u);
	while ((got = read(fd, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		undo_add(&u, buf, (size_t)got);
	}
	close(fd);
	lf_only = !u.has_crlf && u.has_lf;
	if (!u.has_bom && lf_only && undo_is(&u.both, l->hex))
		return LF("开头的 BOM 被删掉、换行符被改过，内容未变：是被 Excel/WPS "
		          "或编辑器另存过；请从原来的 U 盘重新复制未打开过的数据包",
		          "the byte-order mark was removed and the line ends were "
		          "changed, the data is the same: it was re-saved by a "
		          "spreadsheet or editor; copy the bundle again from the "
		          "original stick without opening it");
	if (!u.has_bom && undo_is(&u.bom, l->hex))
		return LF("开头的 BOM 被删掉，内容未变：是被 Excel/WPS 另存过；"
		          "请从原来的 U 盘重新复制未打开过的数据包",
		          "the byte-order mark was removed, the data is the same: "
		          "it was re-saved by a spreadsheet; copy the bundle again "
		          "from the original stick without opening it");
	if (lf_only && undo_is(&u.crlf, l->hex))
		return LF("换行符被改过，内容未变：是被编辑器另存过；"
		          "请从原来的 U 盘重新复制未打开过的数据包",
		          "the line ends were changed, the data is the same: it "
		          "was re-saved by an editor; copy the bundle again from "
		          "the original stick without opening it");
	if (enc && strcmp(enc, "utf-8") == 0 && !u.has_bom)
		return LF("开头的 BOM 没有了，内容也被改过：是否被 Excel/WPS 另存过？",
		          "the byte-order mark is gone and the contents differ: "
		          "edited in a spreadsheet?");
	if (lf_only)
		return LF("换行符被改过，内容也被改过：是否被另存过？",
		          "line ends were changed and the contents differ: edited "
		          "and re-saved?");
	return LF("校验和不符", "checksum differs");
}

/* A listed file whose checksum is not SHA256SUMS': cut short (smaller
 * than the manifest says, ending mid-row: a writer ends every row), or
 * changed. */
int bundle_checksum_problem(const struct bload *b, struct bundle_summary *s,
                            const struct blisted *l, uint64_t size, int last)
{
	uint64_t want = bundle_manifest_bytes(b, l->name);

	if (want && size < want && (size == 0 || last != '\n'))
		return bundle_damage(s, LF("文件被截断：%s（只有 %llu 字节，"
		                      "应为 %llu）", "truncated file: %s (%llu of "
		                      "%llu bytes)"), l->name, (unsigned long long)size,
		                      (unsigned long long)want);
	return bundle_damage(s, LF("文件已被改动：%s（%s）",
	                      "file changed: %s (%s)"), l->name, change_hint(b, l));
}

/* Whether the digest of what h hashed is want (hex); h is freed. */
static bool same_digest(struct sha_bg *h, const char *want)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];

	sha_bg_final(h, d);
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	return strcmp(hex, want) == 0;
}

/* ---- files read a block at a time ------------------------------------ */

static ssize_t bfin_read(void *cookie, char *buf, size_t n)
{
	struct bfin *in = cookie;
	ssize_t got;

	do
		got = read(in->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		in->err = errno;
		return -1;
	}
	if (got > 0) {
		sha_bg_update(in->sha, buf, (size_t)got);
		in->size += (uint64_t)got;
		in->last = (unsigned char)buf[got - 1];
		/* Read once: its pages need not stay in the page cache, where
		 * they would push out the database's (a bundle can be larger
		 * than the memory at hand). */
		if (in->size - in->dropped >= BFIN_DROP) {
			posix_fadvise(in->fd, 0, (off_t)in->size, POSIX_FADV_DONTNEED);
			in->dropped = in->size;
		}
	}
	return got;
}

static int bfin_noclose(void *cookie)
{
	(void)cookie;
	return 0;
}

int bfin_open(struct bload *b, const struct blisted *l, struct bfin *in)
{
	cookie_io_functions_t io = { .read = bfin_read, .close = bfin_noclose };
	int rc;

	memset(in, 0, sizeof *in);
	in->fd = -1;
	in->l = l;
	in->last = -1;
	if ((rc = open_in(b, l->name, &in->fd)) != KP_OK)
		return rc;
	if ((rc = sha_bg_start(&in->sha)) != KP_OK ||
	    !(in->f = fopencookie(in, "rb", io))) {
		close(in->fd);
		in->fd = -1;
		sha_bg_final(in->sha, NULL);
		in->sha = NULL;
		return rc ? rc : kp_err_nomem();
	}
	setvbuf(in->f, NULL, _IOFBF, BFIN_BLOCK);
	posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return KP_OK;
}

int bfin_finish(struct bload *b, struct bfin *in, bool *match)
{
	char buf[BFIN_BLOCK];
	struct blisted *l = bundle_listed(b, in->l->name);

	*match = false;
	/* Whatever the reader left unread goes through the hash too. */
	while (fread(buf, 1, sizeof buf, in->f) > 0)
		;
	if (ferror(in->f))
		return read_fail(b, in->l->name, in->err ? in->err : EIO);
	if (l)
		l->done = true;
	*match = same_digest(in->sha, in->l->hex);
	in->sha = NULL;
	return KP_OK;
}

int bfin_problem(struct bload *b, struct bundle_summary *s,
                 const struct bfin *in)
{
	return bundle_checksum_problem(b, s, in->l, in->size, in->last);
}

void bfin_close(struct bfin *in)
{
	if (in->f)
		fclose(in->f);
	sha_bg_final(in->sha, NULL);
	in->sha = NULL;
	if (in->fd >= 0)
		close(in->fd);
	in->f = NULL;
	in->fd = -1;
}
