/* csvio.c - reading and writing CSV the way spreadsheets and people do. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "array.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

/* ---- reader -------------------------------------------------------------- */

struct reader {
	const char *name;
	csvio_row_fn fn;
	void *ctx;
	size_t line;        /* physical line being fed to the parser */
	size_t row_line;    /* line on which the current row started */
	struct sbuf data;   /* the current row's fields, each NUL-terminated */
	size_t *offs;       /* start of each field in data */
	size_t *lens;
	char **fields;
	size_t nfields, cap, fcap;  /* cap: of offs and lens; fcap: fields */
	bool nul_fed;       /* a NUL byte was among the bytes parsed so far */
	int status;         /* first failure; later callbacks do nothing */
};

static void on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;

	if (r->status)
		return;
	/* A field is made of bytes fed: without a NUL among them, none. */
	if (r->nul_fed && n && memchr(s, '\0', n)) {
		r->status = kp_err_set(KP_E_DATA, LF("%s:%zu: 字段中含有空字符（NUL）",
		                                     "%s:%zu: a field holds a NUL byte"),
		                       r->name, r->row_line);
		return;
	}
	if (r->nfields >= r->cap &&
	    (r->status = array_grow2(&r->offs, sizeof *r->offs, &r->lens,
	                             sizeof *r->lens, &r->cap, r->nfields)))
		return;
	if (r->nfields >= r->fcap &&
	    (r->status = array_grow(&r->fields, sizeof *r->fields, &r->fcap,
	                            r->nfields)))
		return;
	r->offs[r->nfields] = r->data.len;
	r->lens[r->nfields] = n;
	/* libcsv ends each field with a NUL (CSV_APPEND_NULL): one copy, made
	 * here while the row's buffer has room (every cell of every row
	 * passes here). */
	if (r->data.len + n + 2 <= r->data.cap) {
		memcpy(r->data.s + r->data.len, n ? s : "", n + 1);
		r->data.len += n + 1;
		r->data.s[r->data.len] = '\0';
	} else if ((r->status = n ? sbuf_add(&r->data, s, n + 1)
	                          : sbuf_addc(&r->data, '\0'))) {
		return;
	}
	r->nfields++;
}

static void on_row(int term, void *data)
{
	struct reader *r = data;
	size_t i;

	(void)term;
	if (!r->status) {
		for (i = 0; i < r->nfields; i++)
			r->fields[i] = r->data.s + r->offs[i];
		r->status = r->fn(r->ctx, r->row_line, r->nfields, r->fields, r->lens);
	}
	r->nfields = 0;
	sbuf_reset(&r->data);
	/* A bare CR ends a row without starting a new physical line. */
	r->row_line = r->line;
}

static int parse_error(struct reader *r, size_t line, const char *why)
{
	return kp_err_set(KP_E_DATA, LF("%s:%zu: CSV 格式错误（%s）",
	                                "%s:%zu: malformed CSV (%s)"), r->name, line, why);
}

/* The parser, fed a piece at a time (the whole of a buffer, or a file a
 * block at a time): every piece is given one physical line at a time so
 * that every row knows the line it started on (libcsv counts no lines). */
static int reader_begin(struct reader *r, struct csv_parser *p, int *idle)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return kp_err_nomem();
	*idle = p->pstate;   /* the state between rows */
	r->line = r->row_line = 1;
	return KP_OK;
}

static int reader_feed(struct reader *r, struct csv_parser *p, int idle,
                       const char *buf, size_t n)
{
	const char *nl;
	size_t len, pos = 0;

	if (!r->nul_fed && memchr(buf, '\0', n))
		r->nul_fed = true;
	while (pos < n && !r->status) {
		nl = memchr(buf + pos, '\n', n - pos);
		len = nl ? (size_t)(nl - (buf + pos)) + 1 : n - pos;
		if (p->pstate == idle)
			r->row_line = r->line;
		if (csv_parse(p, buf + pos, len, on_field, on_row, r) != len) {
			if (!r->status)
				r->status = csv_error(p) == CSV_EPARSE
				          ? parse_error(r, r->line, csv_strerror(csv_error(p)))
				          : kp_err_nomem();
			break;
		}
		pos += len;
		if (nl)
			r->line++;
	}
	return r->status;
}

static int reader_end(struct reader *r, struct csv_parser *p)
{
	if (!r->status && csv_fini(p, on_field, on_row, r) != 0 && !r->status)
		r->status = parse_error(r, r->row_line,
		                        L("引号未闭合", "unterminated quoted field"));
	csv_free(p);
	return r->status;
}

static void reader_free(struct reader *r)
{
	sbuf_free(&r->data);
	free(r->offs);
	free(r->lens);
	free(r->fields);
}

/* Excel's "Unicode text" and some exports: said, with the way out,
 * rather than as neither of the two encodings read. */
static bool is_utf16(const char *buf, size_t n)
{
	return n >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 ||
	                  memcmp(buf, "\xFE\xFF", 2) == 0);
}

static int utf16_refused(const char *name)
{
	return kp_err_set(KP_E_DATA, LF("%s: 是 UTF-16 编码（Excel 的“Unicode 文本”）："
	                  "请在 Excel 或 WPS 里另存为“CSV UTF-8（逗号分隔）”",
	                  "%s: UTF-16 (Excel's \"Unicode text\"): save it again "
	                  "from Excel or WPS as \"CSV UTF-8 (comma delimited)\""),
	                  name);
}

/* Parse UTF-8 input (already decoded) and free the reader's buffers. */
static int read_utf8(const char *name, const char *buf, size_t n,
                     csvio_row_fn fn, void *ctx)
{
	struct reader r = { .name = name, .fn = fn, .ctx = ctx };
	struct csv_parser p;
	int idle = 0, rc = reader_begin(&r, &p, &idle);

	if (!rc) {
		reader_feed(&r, &p, idle, buf, n);
		rc = reader_end(&r, &p);
	}
	reader_free(&r);
	return rc;
}

int csvio_read_mem(const char *name, const char *buf, size_t n,
                   csvio_row_fn fn, void *ctx)
{
	char *conv = NULL;
	size_t convlen;
	int rc;

	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		n -= 3;
		if (!text_is_utf8(buf, n))
			return kp_err_set(KP_E_DATA, LF("%s: 文件以 UTF-8 标记开头，但内容不是 UTF-8",
			                                "%s: starts with a UTF-8 BOM but is not UTF-8"),
			                  name);
	} else if (is_utf16(buf, n)) {
		return utf16_refused(name);
	} else if (!text_is_utf8(buf, n)) {
		/* Excel and WPS on Chinese Windows save GBK, a subset of GB18030. */
		if (text_to_utf8("GB18030", buf, n, &conv, &convlen) != KP_OK)
			return kp_err_set(KP_E_DATA, LF("%s: 既不是 UTF-8 也不是 GB18030 编码",
			                                "%s: not UTF-8 or GB18030"), name);
		buf = conv;
		n = convlen;
	}
	rc = read_utf8(name, buf, n, fn, ctx);
	free(conv);
	return rc;
}

int csvio_read_mem_as(const char *name, const char *encoding, const char *buf,
                      size_t n, csvio_row_fn fn, void *ctx)
{
	char *conv = NULL;
	size_t convlen;
	int rc;

	if (!encoding)
		return csvio_read_mem(name, buf, n, fn, ctx);
	if (strcasecmp(encoding, "UTF-8") == 0) {
		if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
			buf += 3;
			n -= 3;
		}
		if (!text_is_utf8(buf, n))
			return kp_err_set(KP_E_DATA, LF("%s: 不是 UTF-8 编码",
			                                "%s: not UTF-8"), name);
	} else {
		if (text_to_utf8(encoding, buf, n, &conv, &convlen) != KP_OK)
			return kp_err_set(KP_E_DATA, LF("%s: 不是 %s 编码",
			                                "%s: not %s"), name, encoding);
		buf = conv;
		n = convlen;
	}
	rc = read_utf8(name, buf, n, fn, ctx);
	free(conv);
	return rc;
}

/* ---- streams -------------------------------------------------------------- */

#define CSVIO_BLOCK 65536

static int read_error(const char *name)
{
	return kp_err_set(KP_E_IO, LF("%s: 读取失败：%s", "%s: read error: %s"),
	                  name, fs_errno_text(errno));
}

/* Whether all of f from at is GB18030 (converted, and the result
 * dropped): found before any row is read, as for a buffer. */
static int check_gb18030(const char *name, FILE *f, off_t at)
{
	char buf[CSVIO_BLOCK];
	struct text_conv *c;
	struct sbuf u = { 0 };
	size_t got;
	int rc;

	if (fseeko(f, at, SEEK_SET) != 0)
		return read_error(name);
	if ((rc = text_conv_open("GB18030", &c)) != KP_OK)
		return rc;
	while (!rc && (got = fread(buf, 1, sizeof buf, f)) > 0) {
		sbuf_reset(&u);
		rc = text_conv_step(c, buf, got, false, &u);
	}
	if (!rc && ferror(f))
		rc = read_error(name);
	sbuf_reset(&u);
	if (!rc)
		rc = text_conv_step(c, "", 0, true, &u);
	text_conv_close(c);
	sbuf_free(&u);
	if (rc == KP_E_DATA)
		rc = kp_err_set(KP_E_DATA, LF("%s: 既不是 UTF-8 也不是 GB18030 编码",
		                              "%s: not UTF-8 or GB18030"), name);
	return rc;
}

/* A stream as csvio_read_mem guesses it: "UTF-8" (with or without a BOM)
 * when every byte is, else "GB18030" when every byte is that.  Read to
 * its end (GB18030 twice). */
static int guess(const char *name, FILE *f, off_t at, const char **enc)
{
	char buf[CSVIO_BLOCK + 4];
	size_t have = 0, got, ok;
	bool first = true, bom = false, more;

	*enc = "UTF-8";
	while ((got = fread(buf + have, 1, CSVIO_BLOCK, f)) > 0) {
		got += have;
		if (first && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			bom = true;
		if (first && is_utf16(buf, got))
			return utf16_refused(name);
		first = false;
		ok = text_utf8_span(buf, got, &more);
		if (ok < got && !more)
			goto not_utf8;
		have = got - ok;
		memmove(buf, buf + ok, have);
	}
	if (ferror(f))
		return read_error(name);
	if (!have)
		return KP_OK;
not_utf8:
	if (bom)
		return kp_err_set(KP_E_DATA, LF("%s: 文件以 UTF-8 标记开头，但内容不是 UTF-8",
		                                "%s: starts with a UTF-8 BOM but is not UTF-8"),
		                  name);
	*enc = "GB18030";
	return check_gb18030(name, f, at);
}

/* Feed a UTF-8 stream (a BOM skipped, every byte checked unless the
 * stream was just found to be UTF-8 all through: checked). */
static int feed_utf8(struct reader *r, struct csv_parser *p, int idle,
                     FILE *f, bool checked)
{
	char buf[CSVIO_BLOCK + 4];
	size_t have = 0, got, ok, skip;
	bool first = true, more;

	while ((got = fread(buf + have, 1, CSVIO_BLOCK, f)) > 0) {
		got += have;
		skip = first && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		if (first && got < 3 && !feof(f)) {
			have = got;
			continue;
		}
		first = false;
		ok = checked ? got : text_utf8_span(buf + skip, got - skip, &more) + skip;
		if (ok < got && !more)
			return kp_err_set(KP_E_DATA, LF("%s: 不是 UTF-8 编码",
			                                "%s: not UTF-8"), r->name);
		if (reader_feed(r, p, idle, buf + skip, ok - skip))
			return r->status;
		have = got - ok;
		memmove(buf, buf + ok, have);
	}
	if (ferror(f))
		return read_error(r->name);
	if (have)
		return kp_err_set(KP_E_DATA, LF("%s: 不是 UTF-8 编码",
		                                "%s: not UTF-8"), r->name);
	return KP_OK;
}

/* Feed a stream in another encoding, converted a block at a time. */
static int feed_other(struct reader *r, struct csv_parser *p, int idle,
                      FILE *f, const char *encoding)
{
	char buf[CSVIO_BLOCK];
	struct text_conv *c;
	struct sbuf u = { 0 };
	size_t got;
	int rc = text_conv_open(encoding, &c);

	while (!rc && (got = fread(buf, 1, sizeof buf, f)) > 0) {
		sbuf_reset(&u);
		rc = text_conv_step(c, buf, got, false, &u);
		if (!rc)
			rc = reader_feed(r, p, idle, u.s, u.len);
	}
	if (!rc && ferror(f))
		rc = read_error(r->name);
	if (!rc) {
		sbuf_reset(&u);
		rc = text_conv_step(c, "", 0, true, &u);
		if (!rc)
			rc = reader_feed(r, p, idle, u.s ? u.s : "", u.len);
	}
	if (rc == KP_E_DATA && !r->status)
		rc = kp_err_set(KP_E_DATA, LF("%s: 不是 %s 编码", "%s: not %s"),
		                r->name, encoding);
	text_conv_close(c);
	sbuf_free(&u);
	return rc;
}

int csvio_read_stream(const char *name, FILE *f, const char *encoding,
                      csvio_row_fn fn, void *ctx)
{
	struct reader r = { .name = name, .fn = fn, .ctx = ctx };
	struct csv_parser p;
	bool guessed = !encoding;
	off_t at;
	int idle = 0, rc;

	if (guessed) {
		if ((at = ftello(f)) < 0)
			return read_error(name);
		if ((rc = guess(name, f, at, &encoding)) != KP_OK)
			return rc;
		if (fseeko(f, at, SEEK_SET) != 0)
			return read_error(name);
	}
	if ((rc = reader_begin(&r, &p, &idle)) != KP_OK)
		goto out;
	if (strcasecmp(encoding, "UTF-8") == 0)
		rc = feed_utf8(&r, &p, idle, f, guessed);
	else
		rc = feed_other(&r, &p, idle, f, encoding);
	if (rc == KP_E_DATA && guessed && !r.status)
		rc = kp_err_set(KP_E_DATA, LF("%s: 既不是 UTF-8 也不是 GB18030 编码",
		                              "%s: not UTF-8 or GB18030"), name);
	if (!rc)
		rc = reader_end(&r, &p);
	else
		csv_free(&p);
out:
	reader_free(&r);
	return rc;
}

int csvio_open(const char *path, FILE **out, unsigned long long *size)
{
	bool is_stdin = strcmp(path, "-") == 0;
	char buf[CSVIO_BLOCK];
	struct stat sb;
	size_t got;
	FILE *f, *tmp;

	*out = NULL;
	*size = 0;
	if (!is_stdin) {
		if (!(f = fopen(path, "rb")))
			return kp_err_set(KP_E_NOINPUT, LF("%s：无法打开：%s",
			                  "%s: cannot open: %s"), path, fs_errno_text(errno));
		if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
			*size = (unsigned long long)sb.st_size;
			*out = f;
			return KP_OK;
		}
	} else {
		f = stdin;
	}
	/* A pipe is read once: kept in a file that can be read again. */
	if (!(tmp = tmpfile())) {
		if (f != stdin)
			fclose(f);
		return kp_err_set(KP_E_IO, LF("无法建立临时文件：%s",
		                  "cannot make a temporary file: %s"), fs_errno_text(errno));
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, got, tmp) != got)
			break;
	if (ferror(f) || ferror(tmp) || fflush(tmp) != 0) {
		int rc = ferror(f) ? read_error(is_stdin ? L("标准输入", "stdin") : path)
		         : kp_err_set(KP_E_IO, LF("无法写临时文件：%s",
		                      "cannot write a temporary file: %s"), fs_errno_text(errno));
		if (f != stdin)
			fclose(f);
		fclose(tmp);
		return rc;
	}
	if (f != stdin)
		fclose(f);
	*size = (unsigned long long)ftello(tmp);
	rewind(tmp);
	*out = tmp;
	return KP_OK;
}

int csvio_read_file(const char *path, csvio_row_fn fn, void *ctx)
{
	unsigned long long size;
	FILE *f;
	int rc = csvio_open(path, &f, &size);

	if (rc)
		return rc;
	rc = csvio_read_stream(strcmp(path, "-") == 0 ? L("标准输入", "stdin") : path,
	                       f, NULL, fn, ctx);
	fclose(f);
	return rc;
}

/* ---- header rows --------------------------------------------------------- */

void csvio_header_free(struct csvio_header *h)
{
	free(h->col);
	free(h->repeat);
	free(h->at);
	memset(h, 0, sizeof *h);
}

/* Whether column i says again what an earlier column said. */
static bool header_repeats(const struct csvio_header *h, char *const *cells,
                           size_t i)
{
	size_t j;

	if (h->col[i] != CSVIO_UNKNOWN && h->at[h->col[i]] != (int)i)
		return true;
	for (j = 0; j < i; j++)
		if (strcmp(cells[j], cells[i]) == 0)
			return true;
	return false;
}

int csvio_header_map(struct csvio_header *h, char *const *cells,
                     size_t ncells, size_t nnames, csvio_name_fn name_of,
                     void *ctx)
{
	size_t i;
	int k;

	memset(h, 0, sizeof *h);
	h->col = calloc(ncells ? ncells : 1, sizeof *h->col);
	h->repeat = calloc(ncells ? ncells : 1, sizeof *h->repeat);
	h->at = calloc(nnames ? nnames : 1, sizeof *h->at);
	if (!h->col || !h->repeat || !h->at) {
		csvio_header_free(h);
		return kp_err_nomem();
	}
	h->ncols = ncells;
	h->nnames = nnames;
	for (i = 0; i < nnames; i++)
		h->at[i] = -1;
	for (i = 0; i < ncells; i++) {
		k = name_of(ctx, cells[i]);
		h->col[i] = k >= 0 && (size_t)k < nnames ? k : CSVIO_UNKNOWN;
		if (h->col[i] != CSVIO_UNKNOWN && h->at[k] < 0)
			h->at[k] = (int)i;
		h->repeat[i] = header_repeats(h, cells, i);
	}
	return KP_OK;
}

/* ---- writer -------------------------------------------------------------- */

static bool is_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A cell a spreadsheet would evaluate, or one that only looks neutralised
 * (so that csvio_restore gives back exactly what was written). */
static bool needs_neutralising(const char *s)
{
	while (*s == '\'')
		s++;
	return is_formula_start(*s);
}

/* Whether libcsv's reader would change the cell if it were left bare. */
static bool needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	/* A reader takes a BOM at the start of a file for the encoding. */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

static int csvw_fail(struct csvw *w, int code)
{
	if (!w->status)
		w->status = code;
	return w->status;
}

static int csvw_io(struct csvw *w)
{
	return csvw_fail(w, kp_err_set(KP_E_IO, LF("写入 CSV 失败：%s", "cannot write CSV: %s"),
	                               fs_errno_text(errno)));
}

int csvw_begin(struct csvw *w, FILE *f, unsigned flags)
{
	w->f = f;
	w->flags = flags;
	w->row_started = false;
	w->status = KP_OK;
	w->spilled = false;
	w->n = 0;
	if ((flags & CSVW_BOM) && !(flags & CSVW_GB18030) &&
	    fwrite("\xEF\xBB\xBF", 1, 3, f) != 3)
		return csvw_io(w);
	return KP_OK;
}

/* Hand what buf holds to the stream. */
static int csvw_flush(struct csvw *w)
{
	size_t n = w->n;

	w->n = 0;
	w->spilled = w->row_started;
	if (n && fwrite(w->buf, 1, n, w->f) != n)
		return csvw_io(w);
	return KP_OK;
}

/* Room for n more bytes in buf: KP_OK when there is (buf flushed if it
 * had to be), KP_NOTFOUND when n is more than buf holds at all. */
static int csvw_room(struct csvw *w, size_t n)
{
	int rc;

	if (n > sizeof w->buf - w->n && (rc = csvw_flush(w)))
		return rc;
	return n > sizeof w->buf ? KP_NOTFOUND : KP_OK;
}

static int csvw_add(struct csvw *w, const char *s, size_t n)
{
	int rc = csvw_room(w, n);

	if (rc == KP_NOTFOUND)
		return fwrite(s, 1, n, w->f) == n ? KP_OK : csvw_io(w);
	if (rc == KP_OK) {
		memcpy(w->buf + w->n, s, n);
		w->n += n;
	}
	return rc;
}

/* A cell in quotes, its quotes doubled (at most 2n + 2 bytes). */
static int csvw_add_quoted(struct csvw *w, const char *s, size_t n)
{
	int rc = csvw_room(w, 2 * n + 2);

	if (rc == KP_NOTFOUND)
		return csv_fwrite(w->f, s, n) == 0 ? KP_OK : csvw_io(w);
	if (rc == KP_OK)
		w->n += csv_write(w->buf + w->n, sizeof w->buf - w->n, s, n);
	return rc;
}

static int csvw_put(struct csvw *w, const char *s, size_t n, bool first)
{
	if (n == 0)
		/* A row holding one empty field must not read back as a blank
		 * line, which readers skip. */
		return first ? csvw_add(w, "\"\"", 2) : KP_OK;
	return needs_quotes(s, n) ? csvw_add_quoted(w, s, n) : csvw_add(w, s, n);
}

int csvw_field(struct csvw *w, const char *s)
{
	struct sbuf cell = {0};
	char *conv = NULL;
	size_t n;
	bool first = !w->row_started;
	int rc;

	if (w->status)
		return w->status;
	if (!s)
		s = "";
	if (w->row_started && (rc = csvw_add(w, ",", 1)))
		return rc;
	w->row_started = true;
	if ((w->flags & CSVW_NEUTRALISE) && needs_neutralising(s)) {
		if ((rc = sbuf_addc(&cell, '\'')) || (rc = sbuf_adds(&cell, s)))
			goto out;
		s = cell.s;
	}
	n = strlen(s);
	if (w->flags & CSVW_GB18030) {
		if ((rc = text_from_utf8("GB18030", s, n, &conv, &n)))
			goto out;
		s = conv;
	}
	rc = csvw_put(w, s, n, first);
out:
	free(conv);
	sbuf_free(&cell);
	return rc ? csvw_fail(w, rc) : KP_OK;
}

int csvw_fieldf(struct csvw *w, const char *fmt, ...)
{
	va_list ap;
	char small[64], *cell = small;
	int n, rc;

	/* Most cells (numbers, dates) fit the stack: formatted once. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return csvw_fail(w, kp_err_set(KP_E_SOFTWARE, "csvw_fieldf: bad format"));
	if ((size_t)n >= sizeof small) {
		if (!(cell = malloc((size_t)n + 1)))
			return csvw_fail(w, kp_err_nomem());
		va_start(ap, fmt);
		vsnprintf(cell, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	rc = csvw_field(w, cell);
	if (cell != small)
		free(cell);
	return rc;
}

int csvw_end_row(struct csvw *w)
{
	const char *eol = (w->flags & CSVW_CRLF) ? "\r\n" : "\n";

	if (w->status)
		return w->status;
	if (csvw_add(w, eol, strlen(eol)) != KP_OK)
		return w->status;
	w->row_started = false;
	return csvw_flush(w);
}

size_t csvw_row_copy(const struct csvw *w, char *out, size_t cap)
{
	if (w->status || w->spilled || !w->row_started || w->n > cap)
		return 0;
	memcpy(out, w->buf, w->n);
	return w->n;
}

int csvw_row_resume(struct csvw *w, const char *cells, size_t n)
{
	int rc;

	if (w->status)
		return w->status;
	if ((rc = csvw_add(w, cells, n)))
		return rc;
	w->row_started = n > 0;
	return KP_OK;
}

int csvw_row(struct csvw *w, size_t n, const char *const *fields)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = csvw_field(w, fields[i])))
			return rc;
	return csvw_end_row(w);
}

int csvw_finish(struct csvw *w)
{
	if (!w->status)
		csvw_flush(w);
	if (fflush(w->f) == EOF || ferror(w->f))
		csvw_io(w);
	return w->status;
}

char *csvio_restore(char *s)
{
	if (s[0] == '\'' && needs_neutralising(s + 1))
		memmove(s, s + 1, strlen(s));
	return s;
}
