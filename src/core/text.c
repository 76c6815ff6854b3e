/* text.c - growable strings, UTF-8 checks, encodings and safe display. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "err.h"
#include "lang.h"
#include "text.h"

/* ---- sbuf ---------------------------------------------------------------- */

void sbuf_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b);
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
static int sbuf_reserve(struct sbuf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - b->len - 1)
		return kp_err_nomem();
	need = b->len + n + 1;
	if (need <= b->cap)
		return KP_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->s, cap);
	if (!p)
		return kp_err_nomem();
	b->s = p;
	b->cap = cap;
	b->s[b->len] = '\0';
	return KP_OK;
}

int sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	int rc = sbuf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return KP_OK;
}

int sbuf_adds(struct sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

int sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

int sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return kp_err_set(KP_E_SOFTWARE, "sbuf_printf: bad format");
	rc = sbuf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return KP_OK;
}

char *sbuf_take(struct sbuf *b)
{
	char *s;

	if (!b->s && sbuf_reserve(b, 0))
		return NULL;
	s = b->s;
	sbuf_init(b);
	return s;
}

char *xstrdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---- UTF-8 --------------------------------------------------------------- */

/* Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * and stores the code point, or 0 when the bytes are not well-formed
 * (truncated, overlong, surrogate, beyond U+10FFFF, stray continuation). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Whether the n bytes at s (1 to 3) begin a well-formed sequence that is
 * longer than n. */
static bool utf8_prefix(const unsigned char *s, size_t n)
{
	unsigned char b[4];
	size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	uint32_t cp;

	if (s[0] < 0xC2 || s[0] > 0xF4 || n >= need)
		return false;
	memcpy(b, s, n);
	/* Complete it with the smallest continuation the lead byte allows. */
	memset(b + n, 0x80, need - n);
	if (s[0] == 0xE0 && n == 1)
		b[1] = 0xA0;
	if (s[0] == 0xF0 && n == 1)
		b[1] = 0x90;
	return utf8_decode(b, need, &cp) == need;
}

/* Three bytes of the plain CJK rows (U+4000 to U+CFFF: lead bytes E4 to
 * EC, any two continuation bytes: never overlong, never a surrogate, and
 * no format or control character among them), the most of a Chinese
 * text: 3 when p starts with one, else 0 (utf8_decode says more). */
static size_t cjk3(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] >= 0xE4 && p[0] <= 0xEC && (p[1] & 0xC0) == 0x80 &&
	       (p[2] & 0xC0) == 0x80 ? 3 : 0;
}

size_t text_utf8_span(const char *s, size_t n, bool *more)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint64_t w;
	uint32_t cp;

	*more = false;
	while (i < n) {
		/* Eight bytes of ASCII at a time: most of a CSV file. */
		while (i + 8 <= n) {
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = cjk3(p + i, n - i)) != 0) {
			i += k;
			continue;
		}
		k = utf8_decode(p + i, n - i, &cp);
		if (!k) {
			/* A sequence cut by the end, or not UTF-8 at all? */
			*more = n - i < 4 && utf8_prefix(p + i, n - i);
			return i;
		}
		i += k;
	}
	return n;
}

bool text_is_utf8(const char *s, size_t n)
{
	bool more;

	return text_utf8_span(s, n, &more) == n;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* Characters that show as nothing, or change how the text around them
 * shows, so that text reads differently from what it holds: the format
 * characters of Unicode (category Cf: bidi embeddings, overrides and
 * isolates, zero-width space and joiners, marks, BOM, tags...), the line
 * and paragraph separators, and the fillers and joiners drawn blank. */
static const struct { uint32_t lo, hi; } invisible[] = {
	{ 0x00AD, 0x00AD }, { 0x034F, 0x034F }, { 0x0600, 0x0605 },
	{ 0x061C, 0x061C }, { 0x06DD, 0x06DD }, { 0x070F, 0x070F },
	{ 0x08E2, 0x08E2 }, { 0x115F, 0x1160 }, { 0x17B4, 0x17B5 },
	{ 0x180B, 0x180F }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
	{ 0x2060, 0x2064 }, { 0x2066, 0x206F }, { 0x3164, 0x3164 },
	{ 0xFEFF, 0xFEFF }, { 0xFFA0, 0xFFA0 }, { 0xFFF9, 0xFFFB },
	{ 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x13430, 0x1343F },
	{ 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0000, 0xE007F },
};

static bool is_invisible(uint32_t cp)
{
	size_t i;

	if (cp < 0xAD || (cp > 0x3164 && cp < 0xFEFF))   /* CJK among them */
		return false;
	for (i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
		if (cp >= invisible[i].lo && cp <= invisible[i].hi)
			return true;
	return false;
}

/* Whether the eight bytes at p are all printable ASCII (0x20 to 0x7E):
 * none has its high bit, none is below 0x20, none is 0x7F. */
static bool ascii8_printable(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t w, del;

	memcpy(&w, p, 8);
	if (w & high)
		return false;
	del = w ^ (0x7F * ones);
	return !(((w - 0x20 * ones) | (del - ones)) & high);
}

enum text_bad text_find_unstorable(const char *s, size_t *pos,
                                   unsigned long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, at = 1;
	uint32_t c = 0;
	enum text_bad bad = TEXT_GOOD;

	for (; i < n && bad == TEXT_GOOD; i += k, at++) {
		/* Printable ASCII, most of what is stored, needs no decoding:
		 * eight bytes at a time while there are. */
		while (i + 8 <= n && ascii8_printable(p + i)) {
			i += 8;
			at += 8;
		}
		if (i >= n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7F) {
			k = 1;
			continue;
		}
		if ((k = cjk3(p + i, n - i)) != 0)
			continue;
		k = utf8_decode(p + i, n - i, &c);
		if (!k) {
			c = p[i];
			bad = TEXT_BAD_UTF8;
		} else if (is_control(c) && c != '\t' && c != '\n' && c != '\r') {
			bad = TEXT_BAD_CONTROL;
		} else if (is_invisible(c)) {
			bad = TEXT_BAD_INVISIBLE;
		}
	}
	if (bad != TEXT_GOOD) {
		*pos = at - 1;
		*cp = c;
	}
	return bad;
}

int text_check_storable(const char *s)
{
	size_t pos;
	unsigned long cp;

	switch (text_find_unstorable(s, &pos, &cp)) {
	case TEXT_BAD_UTF8:
		return kp_err_set(KP_E_DATA, LF("第 %zu 个字符不是有效的 UTF-8 文字",
		                               "character %zu is not valid UTF-8"), pos);
	case TEXT_BAD_CONTROL:
		return kp_err_set(KP_E_DATA, LF("第 %zu 个字符是控制字符（U+%04lX）",
		                               "character %zu is a control character (U+%04lX)"),
		                  pos, cp);
	case TEXT_BAD_INVISIBLE:
		return kp_err_set(KP_E_DATA, LF("第 %zu 个字符是看不见的格式字符 U+%04lX，它会让文字看起来与实际内容不同",
		                               "character %zu is U+%04lX, an invisible formatting character that makes text read differently from what it holds"),
		                  pos, cp);
	case TEXT_GOOD:
		break;
	}
	return KP_OK;
}

size_t text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, w = 0;
	uint32_t cp;
	int cw;

	while (i < n) {
		k = utf8_decode(p + i, n - i, &cp);
		if (!k) {
			w++;
			i++;
			continue;
		}
		i += k;
		cw = is_control(cp) ? 1 : wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return w;
}

/* How one control character is shown on a terminal. */
static int show_control(struct sbuf *b, uint32_t cp)
{
	switch (cp) {
	case '\n': return sbuf_adds(b, "\xE2\x86\xB5");   /* ↵ */
	case '\t': return sbuf_adds(b, "\xE2\x86\x92");   /* → */
	case '\r': return sbuf_adds(b, "\xE2\x90\x8D");   /* ␍ */
	default:   break;
	}
	if (cp < 0x20)
		return sbuf_printf(b, "^%c", (char)(cp + 0x40));
	if (cp == 0x7F)
		return sbuf_adds(b, "^?");
	return sbuf_printf(b, "\\x%02X", (unsigned)cp);
}

char *text_for_terminal(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	struct sbuf b = {0};
	uint32_t cp;
	int rc;

	while (i < n) {
		k = utf8_decode(p + i, n - i, &cp);
		if (!k) {
			rc = sbuf_adds(&b, "\xEF\xBF\xBD");   /* U+FFFD */
			k = 1;
		} else if (is_control(cp)) {
			rc = show_control(&b, cp);
		} else if (is_invisible(cp)) {
			rc = sbuf_printf(&b, "<U+%04lX>", (unsigned long)cp);
		} else {
			rc = sbuf_add(&b, p + i, k);
		}
		if (rc) {
			sbuf_free(&b);
			return NULL;
		}
		i += k;
	}
	return sbuf_take(&b);
}

/* ---- encodings ----------------------------------------------------------- */

/* Run iconv over all of *ip (or flush the shift state when ip is NULL),
 * growing the buffer while iconv reports it full. */
static int convert_step(iconv_t cd, char **ip, size_t *ileft, struct sbuf *b)
{
	char *op;
	size_t oleft, r;
	int rc;

	for (;;) {
		op = b->s + b->len;
		oleft = b->cap - b->len - 1;
		r = iconv(cd, ip, ileft, &op, &oleft);
		b->len = (size_t)(op - b->s);
		if (r != (size_t)-1)
			return KP_OK;
		if (errno != E2BIG)
			return KP_E_DATA;
		if ((rc = sbuf_reserve(b, b->cap)))
			return rc;
	}
}

static int convert(const char *to, const char *from, const char *in, size_t n,
                   char **out, size_t *outlen)
{
	struct sbuf b = {0};
	iconv_t cd;
	char *ip = (char *)(uintptr_t)in;   /* iconv's prototype is not const */
	size_t ileft = n;
	int rc;

	cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return kp_err_set(KP_E_SOFTWARE, LF("不支持的编码转换 %s → %s",
		                                   "unsupported conversion %s to %s"), from, to);
	if ((rc = sbuf_reserve(&b, n + n / 2 + 16)))
		goto out_cd;
	rc = convert_step(cd, &ip, &ileft, &b);
	if (!rc)
		rc = convert_step(cd, NULL, NULL, &b);
	if (rc == KP_E_DATA) {
		kp_err_set(rc, LF("不是有效的 %s 文字（第 %zu 字节）",
		                 "not valid %s text (byte %zu)"), from, n - ileft + 1);
		goto out_buf;
	}
	if (rc)
		goto out_buf;
	b.s[b.len] = '\0';
	*outlen = b.len;
	*out = sbuf_take(&b);
	goto out_cd;
out_buf:
	sbuf_free(&b);
out_cd:
	iconv_close(cd);
	return rc;
}

struct text_conv {
	iconv_t cd;
	const char *from;
	char carry[16];         /* the start of a sequence cut by a piece's end */
	size_t ncarry;
	struct sbuf join;       /* carry and the next piece */
	unsigned long long done;   /* bytes converted before this piece */
};

int text_conv_open(const char *from, struct text_conv **out)
{
	struct text_conv *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c)
		return kp_err_nomem();
	c->cd = iconv_open("UTF-8", from);
	if (c->cd == (iconv_t)-1) {
		free(c);
		return kp_err_set(KP_E_SOFTWARE, LF("不支持的编码转换 %s → %s",
		                                   "unsupported conversion %s to %s"), from, "UTF-8");
	}
	c->from = from;
	*out = c;
	return KP_OK;
}

void text_conv_close(struct text_conv *c)
{
	if (!c)
		return;
	iconv_close(c->cd);
	sbuf_free(&c->join);
	free(c);
}

static int conv_bad(struct text_conv *c, size_t at)
{
	return kp_err_set(KP_E_DATA, LF("不是有效的 %s 文字（第 %llu 字节）",
	                               "not valid %s text (byte %llu)"), c->from,
	                  c->done + at + 1);
}

/* Convert what ip holds; an incomplete sequence at its end is left in it. */
static int conv_run(struct text_conv *c, char **ip, size_t *ileft,
                    struct sbuf *out)
{
	char *op;
	size_t oleft, r;
	int rc;

	if ((rc = sbuf_reserve(out, (ileft ? *ileft : 0) * 2 + 64)))
		return rc;
	for (;;) {
		op = out->s + out->len;
		oleft = out->cap - out->len - 1;
		r = iconv(c->cd, ip, ileft, &op, &oleft);
		out->len = (size_t)(op - out->s);
		out->s[out->len] = '\0';
		if (r != (size_t)-1 || errno == EINVAL)
			return KP_OK;
		if (errno != E2BIG)
			return KP_E_DATA;
		if ((rc = sbuf_reserve(out, out->cap)))
			return rc;
	}
}

int text_conv_step(struct text_conv *c, const char *in, size_t n, bool last,
                   struct sbuf *out)
{
	char *ip = (char *)(uintptr_t)in;   /* iconv's prototype is not const */
	size_t ileft = n, all;
	int rc;

	if (c->ncarry) {
		/* The carried start of a sequence, then the piece. */
		sbuf_reset(&c->join);
		if ((rc = sbuf_add(&c->join, c->carry, c->ncarry)) ||
		    (rc = sbuf_add(&c->join, in, n)))
			return rc;
		ip = c->join.s;
		ileft = c->join.len;
	}
	all = ileft;
	if ((rc = conv_run(c, &ip, &ileft, out)) != KP_OK)
		return rc == KP_E_DATA ? conv_bad(c, all - ileft) : rc;
	c->done += all - ileft;
	if (ileft && (last || ileft > sizeof c->carry))
		return conv_bad(c, all - ileft);
	memmove(c->carry, ip, ileft);
	c->ncarry = ileft;
	if (last && (rc = conv_run(c, NULL, NULL, out)) != KP_OK)
		return rc == KP_E_DATA ? conv_bad(c, 0) : rc;
	return KP_OK;
}

int text_to_utf8(const char *from, const char *in, size_t n,
                 char **out, size_t *outlen)
{
	return convert("UTF-8", from, in, n, out, outlen);
}

int text_from_utf8(const char *to, const char *in, size_t n,
                   char **out, size_t *outlen)
{
	return convert(to, "UTF-8", in, n, out, outlen);
}

char *text_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}
