/* attach.c - which files may be attached: names, types by their first
 * bytes, the size limit, and reading one (never through a link). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "attach.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

/* ---- names ---------------------------------------------------------------- */

/* The code point at s (well-formed UTF-8 already checked); *len its bytes. */
static unsigned long utf8_at(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		*len = 2;
		return ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0) {
		*len = 3;
		return ((unsigned long)(s[0] & 0x0F) << 12) |
		       ((unsigned long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	*len = 4;
	return ((unsigned long)(s[0] & 0x07) << 18) |
	       ((unsigned long)(s[1] & 0x3F) << 12) |
	       ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* Characters that would make a name lie on a terminal or in a file
 * manager: controls, and the bidirectional overrides that show
 * "gpj.exe" as "exe.jpg". */
static bool bad_char(unsigned long c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
	       c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static int bad_name(const char *name, const char *zh, const char *en)
{
	char *safe = text_for_terminal(name);
	int rc = kp_err_set(KP_E_DATA, LF("附件名“%s”不能用：%s",
	                    "attachment name '%s' cannot be used: %s"),
	                    safe ? safe : "?", L(zh, en));

	free(safe);
	return rc;
}

int attach_name_check(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), len;
	unsigned long cp;

	if (n == 0)
		return kp_err_set(KP_E_DATA, "%s", L("附件名不能为空",
		                  "an attachment needs a name"));
	if (n >= RECORD_ATT_NAME_MAX)
		return bad_name(name, "太长（最多 255 个字节）",
		                "too long (at most 255 bytes)");
	if (!text_is_utf8(name, n))
		return bad_name(name, "不是有效的 UTF-8 文字", "not valid UTF-8 text");
	if (name[0] == '.')
		return bad_name(name, "不能以“.”开头", "it must not begin with '.'");
	if (name[0] == ' ' || name[n - 1] == ' ')
		return bad_name(name, "开头或结尾不能是空格",
		                "it must not begin or end with a space");
	for (; *p; p += len) {
		unsigned long c = utf8_at(p, &len);

		if (c == '/' || c == '\\')
			return bad_name(name, "不能含有“/”或“\\”（附件名不是路径）",
			                "it must not hold '/' or '\\' (a name is not a path)");
		if (bad_char(c))
			return bad_name(name, "含有控制字符或文字方向控制符",
			                "it holds a control or text-direction character");
	}
	/* and whatever text fields refuse: zero-width and other invisible
	 * characters that would make two names look alike */
	if (text_find_unstorable(name, &len, &cp) != TEXT_GOOD)
		return bad_name(name, "含有看不见的字符", "it holds an invisible character");
	return KP_OK;
}

/* ---- types ---------------------------------------------------------------- */

enum family { FAM_JPEG, FAM_PNG, FAM_PDF, FAM_OLE, FAM_ZIP };

struct atype {
	const char *type;             /* also its usual extension */
	const char *alias;            /* another extension, or NULL */
	enum family fam;
	const char *odf;              /* ODF: the mimetype it must declare */
	const char *zh, *en;
};

static const struct atype types[] = {
	{ "jpg", "jpeg", FAM_JPEG, NULL, "JPEG 照片", "JPEG photo" },
	{ "png", NULL, FAM_PNG, NULL, "PNG 图片", "PNG image" },
	{ "pdf", NULL, FAM_PDF, NULL, "PDF 文档", "PDF document" },
	{ "doc", NULL, FAM_OLE, NULL, "Word 文档", "Word document" },
	{ "docx", NULL, FAM_ZIP, NULL, "Word 文档", "Word document" },
	{ "xls", NULL, FAM_OLE, NULL, "Excel 表格", "Excel workbook" },
	{ "xlsx", NULL, FAM_ZIP, NULL, "Excel 表格", "Excel workbook" },
	{ "wps", NULL, FAM_OLE, NULL, "WPS 文字文档", "WPS Writer document" },
	{ "et", NULL, FAM_OLE, NULL, "WPS 表格", "WPS spreadsheet" },
	{ "odt", NULL, FAM_ZIP, "application/vnd.oasis.opendocument.text",
	  "ODF 文字文档", "ODF text document" },
	{ "ods", NULL, FAM_ZIP, "application/vnd.oasis.opendocument.spreadsheet",
	  "ODF 表格", "ODF spreadsheet" },
};

#define NTYPES (sizeof types / sizeof types[0])

static const struct atype *type_find(const char *type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (strcmp(types[i].type, type) == 0)
			return &types[i];
	return NULL;
}

bool attach_type_known(const char *type)
{
	return type_find(type) != NULL;
}

const char *attach_type_label(const char *type)
{
	const struct atype *t = type_find(type);

	return t ? L(t->zh, t->en) : type;
}

/* The type the name's extension says, or NULL. */
static const struct atype *type_of_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot || dot == name)
		return NULL;
	dot++;
	for (i = 0; i < NTYPES; i++)
		if (strcasecmp(dot, types[i].type) == 0 ||
		    (types[i].alias && strcasecmp(dot, types[i].alias) == 0))
			return &types[i];
	return NULL;
}

static bool starts(const unsigned char *h, size_t n, const char *magic,
                   size_t mn)
{
	return n >= mn && memcmp(h, magic, mn) == 0;
}

/* The family the first bytes belong to; -1 for none of them. */
static int family_of(const unsigned char *h, size_t n)
{
	if (starts(h, n, "\xFF\xD8\xFF", 3))
		return FAM_JPEG;
	if (starts(h, n, "\x89PNG\r\n\x1A\n", 8))
		return FAM_PNG;
	if (starts(h, n, "%PDF-", 5))
		return FAM_PDF;
	if (starts(h, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return FAM_OLE;
	if (starts(h, n, "PK\x03\x04", 4))
		return FAM_ZIP;
	return -1;
}

/* An ODF package names its kind in a first, uncompressed entry
 * "mimetype" (ODF 1.2 part 3, 3.3); *mt points into h, or NULL when the
 * first entry is another. */
static void odf_mimetype(const unsigned char *h, size_t n, const char **mt,
                         size_t *mtn)
{
	size_t namelen, extra, start;

	*mt = NULL;
	*mtn = 0;
	if (n < 30)
		return;
	namelen = (size_t)h[26] | (size_t)h[27] << 8;
	extra = (size_t)h[28] | (size_t)h[29] << 8;
	start = 30 + namelen + extra;
	if (namelen != 8 || memcmp(h + 30, "mimetype", 8) != 0 || start >= n)
		return;
	*mt = (const char *)h + start;
	*mtn = n - start;
}

static bool zip_fits(const struct atype *t, const unsigned char *h, size_t n)
{
	const char *mt;
	size_t mtn;

	odf_mimetype(h, n, &mt, &mtn);
	if (t->odf)
		return !mt || (mtn >= strlen(t->odf) &&
		               memcmp(mt, t->odf, strlen(t->odf)) == 0 &&
		               (mtn == strlen(t->odf) || mt[strlen(t->odf)] != '-'));
	/* An OOXML file (docx, xlsx) is a ZIP that is no ODF package. */
	return !mt;
}

static const char *family_label(int fam)
{
	switch (fam) {
	case FAM_JPEG: return L("JPEG 照片", "a JPEG photo");
	case FAM_PNG:  return L("PNG 图片", "a PNG image");
	case FAM_PDF:  return L("PDF 文档", "a PDF document");
	case FAM_OLE:  return L("旧式 Office/WPS 文档", "an older Office or WPS document");
	case FAM_ZIP:  return L("ZIP 压缩包或新式 Office/ODF 文档",
	                        "a ZIP archive or a newer Office or ODF document");
	default:       return "";
	}
}

static int refuse_type(const char *name, const char *zh, const char *en,
                       const char *what)
{
	char *safe = text_for_terminal(name);
	int rc = kp_err_set(KP_E_DATA, LF("%s：%s%s；只能附上照片（JPG、PNG）、PDF 或办公文档"
	                    "（doc、docx、xls、xlsx、wps、et、odt、ods）",
	                    "%s: %s%s; attach photos (JPG, PNG), PDF or office "
	                    "documents (doc, docx, xls, xlsx, wps, et, odt, ods)"),
	                    safe ? safe : "?", L(zh, en), what);

	free(safe);
	return rc;
}

int attach_type_of(const char *name, const void *head, size_t n,
                   const char **type)
{
	const unsigned char *h = head;
	const struct atype *t = type_of_name(name);
	int fam = family_of(h, n), rc;
	char *safe;

	*type = NULL;
	if (t && fam == (int)t->fam && (fam != FAM_ZIP || zip_fits(t, h, n))) {
		*type = t->type;
		return KP_OK;
	}
	if (!t)
		return fam < 0 ? refuse_type(name, "不是可以附上的文件",
		                             "not a file that can be attached", "")
		               : refuse_type(name, "内容是", "its contents are ",
		                             family_label(fam));
	safe = text_for_terminal(name);
	if (fam < 0 || fam == (int)t->fam)
		rc = kp_err_set(KP_E_DATA, LF("%s：名字是%s，内容却不是（改了扩展名的或已损坏的文件？）",
		                "%s: the name says %s, but the contents are not "
		                "(a renamed or damaged file?)"), safe ? safe : "?",
		                L(t->zh, t->en));
	else
		rc = kp_err_set(KP_E_DATA, LF("%s：名字是%s，内容却是%s；请按内容改名",
		                "%s: the name says %s, but the contents are %s; "
		                "rename it for what it is"), safe ? safe : "?", L(t->zh, t->en),
		                family_label(fam));
	free(safe);
	return rc;
}

/* ---- hex and sizes -------------------------------------------------------- */

void attach_hex(const unsigned char sha[RECORD_SHA_LEN],
                char hex[ATTACH_HEX_LEN + 1])
{
	sodium_bin2hex(hex, ATTACH_HEX_LEN + 1, sha, RECORD_SHA_LEN);
}

int attach_from_hex(const char *hex, unsigned char sha[RECORD_SHA_LEN])
{
	size_t len = 0, i;

	if (strlen(hex) != ATTACH_HEX_LEN)
		return KP_E_DATA;
	for (i = 0; i < ATTACH_HEX_LEN; i++)
		if (!strchr("0123456789abcdef", hex[i]))
			return KP_E_DATA;
	if (sodium_hex2bin(sha, RECORD_SHA_LEN, hex, ATTACH_HEX_LEN, NULL, &len,
	                   NULL) != 0 || len != RECORD_SHA_LEN)
		return KP_E_DATA;
	return KP_OK;
}

char *attach_size_text(uint64_t bytes, char buf[32])
{
	if (bytes < 1024)
		snprintf(buf, 32, "%llu B", (unsigned long long)bytes);
	else if (bytes < 1024 * 1024)
		snprintf(buf, 32, "%.0f KB", (double)bytes / 1024);
	else
		snprintf(buf, 32, "%.1f MB", (double)bytes / (1024 * 1024));
	return buf;
}

/* ---- reading a file ------------------------------------------------------- */

void attach_file_free(struct attach_file *f)
{
	free(f->data);
	memset(f, 0, sizeof *f);
}

static int open_plain(const char *path, int *fd, struct stat *st)
{
	char *safe = text_for_terminal(path);
	const char *p = safe ? safe : "?";
	int rc = KP_OK;

	/* O_NONBLOCK: a FIFO in the folder must not hang the clerk. */
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		rc = errno == ELOOP
		     ? kp_err_set(KP_E_NOINPUT, LF("%s 是符号链接，不会跟随；请附上文件本身",
		                  "%s is a symbolic link, which is not followed; "
		                  "attach the file itself"), p)
		     : kp_err_set(errno == ENOENT ? KP_E_NOINPUT : KP_E_IO,
		                  LF("无法打开 %s：%s", "cannot open %s: %s"), p,
		                  fs_errno_text(errno));
	else if (fstat(*fd, st) != 0)
		rc = kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                p, fs_errno_text(errno));
	else if (!S_ISREG(st->st_mode))
		rc = kp_err_set(KP_E_NOINPUT, LF("%s 不是普通文件", "%s is not a "
		                "regular file"), p);
	else if (fcntl(*fd, F_SETFL, 0) != 0)
		rc = kp_err_set(KP_E_IO, LF("无法读取 %s：%s", "cannot read %s: %s"),
		                p, fs_errno_text(errno));
	else if (st->st_size == 0)
		rc = kp_err_set(KP_E_DATA, LF("%s 是空文件", "%s is empty"), p);
	else if ((uint64_t)st->st_size > ATTACH_MAX_BYTES) {
		char a[32], b[32];

		rc = kp_err_set(KP_E_DATA, LF("%s 太大（%s）：每个附件最多 %s；"
		                "请缩小照片或分成几个文件", "%s is too big (%s): an "
		                "attachment may be at most %s; make the photo smaller "
		                "or split the document"), p,
		                attach_size_text((uint64_t)st->st_size, a),
		                attach_size_text(ATTACH_MAX_BYTES, b));
	}
	if (rc != KP_OK && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	free(safe);
	return rc;
}

/* All of the file, which must not grow past the limit meanwhile. */
static int read_all(int fd, const char *path, size_t want, char **out,
                    size_t *len)
{
	size_t cap = want + 1, got = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return kp_err_nomem();
	while ((r = read(fd, buf + got, cap - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return kp_err_set(KP_E_IO, LF("无法读取 %s：%s",
			                  "cannot read %s: %s"), path, fs_errno_text(errno));
		}
		got += (size_t)r;
		if (got == cap) {
			free(buf);
			return kp_err_set(KP_E_DATA, LF("%s 在读取时变大了；请等上传完成再附上",
			                  "%s grew while it was read; attach it once the "
			                  "upload has finished"), path);
		}
	}
	*out = buf;
	*len = got;
	return KP_OK;
}

int attach_read(const char *path, const char *name, struct attach_file *out)
{
	struct stat st;
	const char *type;
	int fd, rc;

	memset(out, 0, sizeof *out);
	if (!name) {
		name = strrchr(path, '/');
		name = name ? name + 1 : path;
	}
	if ((rc = attach_name_check(name)) != KP_OK ||
	    (rc = open_plain(path, &fd, &st)) != KP_OK)
		return rc;
	rc = read_all(fd, path, (size_t)st.st_size, &out->data, &out->len);
	close(fd);
	if (rc == KP_OK && out->len == 0)
		rc = kp_err_set(KP_E_DATA, LF("%s 是空文件", "%s is empty"), path);
	if (rc == KP_OK)
		rc = attach_type_of(name, out->data, out->len < 4096 ? out->len : 4096,
		                    &type);
	if (rc != KP_OK) {
		attach_file_free(out);
		return rc;
	}
	snprintf(out->meta.name, sizeof out->meta.name, "%s", name);
	snprintf(out->meta.type, sizeof out->meta.type, "%s", type);
	out->meta.size = out->len;
	crypto_hash_sha256(out->meta.sha, (const unsigned char *)out->data,
	                   out->len);
	return KP_OK;
}
