/* t_text.c - sbuf, UTF-8 checks, widths, terminal safety, encodings. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "tap.h"
#include "text.h"

static void test_sbuf(void)
{
	struct sbuf b = {0};
	char *s;
	int i, rc = 0;

	s = sbuf_take(&b);
	ok(s != NULL, "take of an untouched buffer gives a string");
	is_str(s, "", "take of an empty buffer is \"\"");
	free(s);
	for (i = 0; i < 1000; i++)
		rc |= sbuf_addc(&b, (char)('a' + i % 26));
	is_int(rc, KP_OK, "1000 appends succeed");
	is_int(b.len, 1000, "length counts every byte");
	is_int(b.s[1000], '\0', "always NUL-terminated");
	ok(b.cap >= 1001 && b.cap < 4096, "capacity grows by doubling (%zu)", b.cap);
	sbuf_reset(&b);
	is_int(b.len, 0, "reset empties");
	is_str(b.s, "", "reset leaves a terminated string");
	sbuf_adds(&b, "晋江");
	sbuf_printf(&b, "-%d-%s", 2025, "x");
	sbuf_add(&b, "abc", 0);
	is_str(b.s, "晋江-2025-x", "adds + printf + empty add");
	s = sbuf_take(&b);
	is_str(s, "晋江-2025-x", "take hands over the string");
	ok(b.s == NULL && b.len == 0, "take resets the buffer");
	free(s);
	sbuf_printf(&b, "%s", "");
	is_str(b.s, "", "printf of nothing still terminates");
	sbuf_free(&b);
	ok(xstrdup(NULL) == NULL, "xstrdup(NULL) is NULL");
	s = xstrdup("科普");
	is_str(s, "科普", "xstrdup copies");
	free(s);
}

static void test_utf8(void)
{
	static const struct { const char *s; bool good; const char *what; } t[] = {
		{ "", true, "empty" },
		{ "plain ascii", true, "ascii" },
		{ "晋江市科学素质", true, "CJK" },
		{ "\xF0\x9F\x98\x80", true, "4-byte emoji" },
		{ "\xF4\x8F\xBF\xBF", true, "U+10FFFF" },
		{ "\xC2\x80", true, "U+0080 is well-formed" },
		{ "\xC0\xAF", false, "overlong 2-byte /" },
		{ "\xC1\xBF", false, "overlong C1" },
		{ "\xE0\x80\xAF", false, "overlong 3-byte" },
		{ "\xF0\x80\x80\xAF", false, "overlong 4-byte" },
		{ "\xED\xA0\x80", false, "surrogate D800" },
		{ "\xED\xBF\xBF", false, "surrogate DFFF" },
		{ "\xF4\x90\x80\x80", false, "beyond U+10FFFF" },
		{ "\xF5\x80\x80\x80", false, "F5 lead byte" },
		{ "\xFF", false, "FF byte" },
		{ "\x80", false, "stray continuation" },
		{ "\xE6\x99", false, "truncated 3-byte" },
		{ "a\xE6\x99" "b", false, "truncated inside text" },
		{ "\xBD\xFA\xBD\xAD", false, "GB18030 bytes of 晋江" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(text_is_utf8(t[i].s, strlen(t[i].s)), t[i].good, "utf8: %s", t[i].what);
	ok(text_is_utf8("a\0b", 3), "an embedded NUL is well-formed UTF-8");
	ok(!text_is_utf8("\xE6\x99\x8B", 2), "length limits the check");
}

static void test_storable(void)
{
	is_int(text_check_storable("晋江 科普\t第1期\r\n第二行"), KP_OK, "tab CR LF allowed");
	is_int(text_check_storable(""), KP_OK, "empty allowed");
	is_int(text_check_storable("\x1b[31mred"), KP_E_DATA, "escape sequence refused");
	is_str(kp_err_msg(), "character 1 is a control character (U+001B)",
	       "message names position 1 and the character");
	is_int(text_check_storable("ab晋\x07"), KP_E_DATA, "BEL refused");
	is_str(kp_err_msg(), "character 4 is a control character (U+0007)",
	       "position counts characters, not bytes");
	is_int(text_check_storable("x\x7f"), KP_E_DATA, "DEL refused");
	is_int(text_check_storable("x\xC2\x9B" "31m"), KP_E_DATA, "C1 CSI refused");
	is_int(text_check_storable("x\xC2\x85"), KP_E_DATA, "C1 NEL refused");
	is_int(text_check_storable("\xC2\xA0nbsp"), KP_OK, "U+00A0 is not a control");
	is_int(text_check_storable("ok\xFF"), KP_E_DATA, "invalid UTF-8 refused");
	is_str(kp_err_msg(), "character 3 is not valid UTF-8", "invalid byte named");
	lang_set(KP_LANG_ZH);
	text_check_storable("a\x01");
	is_str(kp_err_msg(), "第 2 个字符是控制字符（U+0001）", "message in Chinese");
	lang_set(KP_LANG_EN);
}

/* Characters that show as nothing or reorder what follows: a title could
 * read differently from what it holds. */
static void test_invisible(void)
{
	static const struct { const char *s; unsigned long cp; const char *what; } t[] = {
		{ "x\xE2\x80\xAEgpj.exe", 0x202E, "RIGHT-TO-LEFT OVERRIDE" },
		{ "\xE2\x80\xAA", 0x202A, "LEFT-TO-RIGHT EMBEDDING" },
		{ "\xE2\x80\xAB", 0x202B, "RIGHT-TO-LEFT EMBEDDING" },
		{ "\xE2\x80\xAC", 0x202C, "POP DIRECTIONAL FORMATTING" },
		{ "\xE2\x80\xAD", 0x202D, "LEFT-TO-RIGHT OVERRIDE" },
		{ "\xE2\x81\xA6", 0x2066, "LEFT-TO-RIGHT ISOLATE" },
		{ "\xE2\x81\xA7", 0x2067, "RIGHT-TO-LEFT ISOLATE" },
		{ "\xE2\x81\xA8", 0x2068, "FIRST STRONG ISOLATE" },
		{ "\xE2\x81\xA9", 0x2069, "POP DIRECTIONAL ISOLATE" },
		{ "\xE2\x80\x8B", 0x200B, "ZERO WIDTH SPACE" },
		{ "\xE2\x80\x8C", 0x200C, "ZERO WIDTH NON-JOINER" },
		{ "\xE2\x80\x8D", 0x200D, "ZERO WIDTH JOINER" },
		{ "\xE2\x80\x8E", 0x200E, "LEFT-TO-RIGHT MARK" },
		{ "\xE2\x80\x8F", 0x200F, "RIGHT-TO-LEFT MARK" },
		{ "\xE2\x80\xA8", 0x2028, "LINE SEPARATOR" },
		{ "\xE2\x80\xA9", 0x2029, "PARAGRAPH SEPARATOR" },
		{ "ab\xEF\xBB\xBF", 0xFEFF, "ZERO WIDTH NO-BREAK SPACE inside text" },
		{ "\xD8\x9C", 0x061C, "ARABIC LETTER MARK" },
		{ "\xE1\xA0\x8E", 0x180E, "MONGOLIAN VOWEL SEPARATOR" },
		{ "\xE2\x81\xA0", 0x2060, "WORD JOINER" },
		{ "\xC2\xAD", 0x00AD, "SOFT HYPHEN" },
		{ "\xE3\x85\xA4", 0x3164, "HANGUL FILLER" },
		{ "\xF3\xA0\x80\x81", 0xE0001, "LANGUAGE TAG" },
	};
	size_t i, pos;
	unsigned long cp;
	char want[64];

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		is_int(text_check_storable(t[i].s), KP_E_DATA, "%s refused", t[i].what);
		snprintf(want, sizeof want, "U+%04lX", t[i].cp);
		ok(strstr(kp_err_msg(), want) != NULL, "the message names %s: %s",
		   want, kp_err_msg());
		is_int(text_find_unstorable(t[i].s, &pos, &cp), TEXT_BAD_INVISIBLE,
		       "%s is invisible", t[i].what);
		is_int(cp, t[i].cp, "its code point");
	}
	text_check_storable("x\xE2\x80\xAEgpj.exe");
	is_str(kp_err_msg(), "character 2 is U+202E, an invisible formatting "
	       "character that makes text read differently from what it holds",
	       "the whole message");
	is_int(text_find_unstorable("晋江\xE2\x80\x8B", &pos, &cp), TEXT_BAD_INVISIBLE,
	       "a zero width space after Chinese");
	is_int(pos, 3, "is character 3");
	is_int(text_find_unstorable("ok\x1b", &pos, &cp), TEXT_BAD_CONTROL, "ESC is a control");
	is_int(text_find_unstorable("ok\xff", &pos, &cp), TEXT_BAD_UTF8, "FF is not UTF-8");
	is_int(cp, 0xFF, "its byte is given");
	pos = 77;
	is_int(text_find_unstorable("晋江 科普\t第1期\r\n", &pos, &cp), TEXT_GOOD,
	       "ordinary text is good");
	is_int(pos, 77, "pos untouched when good");
	/* Visible characters near those ranges stay allowed. */
	is_int(text_check_storable("\xC2\xA0\xC2\xAE\xE2\x80\x94\xE2\x80\xA6\xE2\x80\xB0"), KP_OK,
	       "NBSP, (R), em dash, ellipsis, per mille allowed");
	is_int(text_check_storable("\xE3\x80\x80\xEF\xBC\x88\xEF\xBC\x89"), KP_OK,
	       "ideographic space and full-width brackets allowed");
	is_int(text_check_storable("\xE2\x9D\xA4\xEF\xB8\x8F"), KP_OK,
	       "an emoji with its variation selector allowed");
	lang_set(KP_LANG_ZH);
	text_check_storable("x\xE2\x80\xAE");
	is_str(kp_err_msg(), "第 2 个字符是看不见的格式字符 U+202E，它会让文字看起来与实际内容不同",
	       "message in Chinese");
	lang_set(KP_LANG_EN);
}

static void test_width(void)
{
	is_int(text_width(""), 0, "width of empty");
	is_int(text_width("abc"), 3, "ascii width");
	is_int(text_width("晋江"), 4, "CJK is 2 cells each");
	is_int(text_width("晋江ab"), 6, "mixed");
	is_int(text_width("a\tb"), 3, "tab counts 1");
	is_int(text_width("\xFF\xFE"), 2, "invalid bytes count 1 each");
	is_int(text_width("e\xCC\x81"), 1, "combining accent has no width");
	is_int(text_width("（）"), 4, "full-width parentheses");
}

static void test_terminal(void)
{
	char *s;

	s = text_for_terminal("晋江 ok");
	is_str(s, "晋江 ok", "printable text unchanged");
	free(s);
	s = text_for_terminal("a\nb\tc\rd");
	is_str(s, "a↵b→c␍d", "line break, tab, CR made visible");
	free(s);
	s = text_for_terminal("\x1b[31mred\x07");
	is_str(s, "^[[31mred^G", "escape sequence defused");
	free(s);
	s = text_for_terminal("x\x7f\xC2\x9By");
	is_str(s, "x^?\\x9By", "DEL and C1 shown escaped");
	free(s);
	s = text_for_terminal("bad\xFFz\xE6\x99");
	is_str(s, "bad\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD", "invalid bytes as U+FFFD");
	free(s);
	s = text_for_terminal("");
	is_str(s, "", "empty stays empty");
	free(s);
	s = text_for_terminal("x\xE2\x80\xAEgpj.exe");
	is_str(s, "x<U+202E>gpj.exe", "a bidi override is shown, not obeyed");
	free(s);
	s = text_for_terminal("\xE2\x81\xA6" "a\xE2\x81\xA9\xE2\x80\x8B\xEF\xBB\xBF\xE2\x80\xA8" "b");
	is_str(s, "<U+2066>a<U+2069><U+200B><U+FEFF><U+2028>b",
	       "isolates, zero width space, BOM, line separator shown");
	free(s);
	s = text_for_terminal("\xF3\xA0\x80\x81\xD8\x9C");
	is_str(s, "<U+E0001><U+061C>", "tags and the Arabic letter mark shown");
	free(s);
}

static void test_iconv(void)
{
	char *out = NULL, big[30001];
	size_t n = 0, i;

	is_int(text_to_utf8("GB18030", "\xBD\xFA\xBD\xAD", 4, &out, &n), KP_OK, "GB18030 to UTF-8");
	is_str(out, "晋江", "晋江 decoded");
	is_int(n, 6, "UTF-8 length");
	free(out);
	is_int(text_from_utf8("GB18030", "晋江", 6, &out, &n), KP_OK, "UTF-8 to GB18030");
	ok(n == 4 && memcmp(out, "\xBD\xFA\xBD\xAD", 4) == 0, "晋江 encoded");
	free(out);
	is_int(text_from_utf8("GB18030", "\xF0\x9F\x98\x80", 4, &out, &n), KP_OK,
	       "emoji fits GB18030 (4-byte form)");
	free(out);
	out = NULL;
	is_int(text_to_utf8("GB18030", "\xC0", 1, &out, &n), KP_E_DATA, "truncated GB18030 refused");
	ok(out == NULL, "no output on failure");
	is_int(text_to_utf8("GB18030", "a\xFF" "b", 3, &out, &n), KP_E_DATA, "FF is not GB18030");
	is_int(text_from_utf8("GB18030", "\xC0\xAF", 2, &out, &n), KP_E_DATA, "bad UTF-8 refused");
	is_int(text_to_utf8("NO-SUCH-CODESET", "a", 1, &out, &n), KP_E_SOFTWARE, "unknown encoding");
	is_int(text_from_utf8("ISO-8859-1", "晋", 3, &out, &n), KP_E_DATA,
	       "unrepresentable character refused");
	/* Output far larger than the first guess: the buffer must grow. */
	for (i = 0; i + 2 <= 30000; i += 2)
		memcpy(big + i, "\xBD\xFA", 2);
	big[30000] = '\0';
	is_int(text_to_utf8("GB18030", big, 30000, &out, &n), KP_OK, "large input converts");
	is_int(n, 45000, "3 bytes for every 2");
	ok(n == 45000 && memcmp(out + 44997, "晋", 3) == 0 && out[n] == '\0',
	   "tail intact and terminated");
	free(out);
	is_int(text_to_utf8("GB18030", "", 0, &out, &n), KP_OK, "empty converts");
	is_int(n, 0, "to nothing");
	free(out);
}

static void test_utf8_span(void)
{
	bool more;

	is_int(text_utf8_span("abcdefghij", 10, &more), 10, "ASCII: all of it");
	ok(!more, "nothing left over");
	is_int(text_utf8_span("abcdefgh\xe6\x99", 10, &more), 8,
	       "a 3-byte character cut after 2 bytes");
	ok(more, "may be completed by the next piece");
	is_int(text_utf8_span("ab\xf0", 3, &more), 2, "a 4-byte lead at the end");
	ok(more, "may be completed");
	is_int(text_utf8_span("abcdefghijk\xff", 12, &more), 11, "FF after ASCII");
	ok(!more, "is no UTF-8");
	is_int(text_utf8_span("\xed\xa0", 2, &more), 0, "the start of a surrogate");
	ok(!more, "can never be completed");
	is_int(text_utf8_span("\xe0\x80", 2, &more), 0, "the start of an overlong");
	ok(!more, "can never be completed either");
	is_int(text_utf8_span("\xe6\x99\x8b\xe6\xb1\x9f" "12345678", 14, &more), 14,
	       "CJK then ASCII");
}

/* The fast paths (eight ASCII bytes at a time, the plain CJK rows) say
 * what the character-by-character way says: each kind of bad character,
 * put at every place of a text of ASCII and CJK, is found at its place. */
static void test_fast_paths(void)
{
	static const char *const base[] = {
		"a", "b", "晋", "c", "d", "e", "f", "g", "h", "i", "j", "江", "k",
		"l", "m", "n", "o", "p", "q", "r",
	};
	static const struct { const char *bad; enum text_bad kind; bool utf8; }
	cases[] = {
		{ "\x01", TEXT_BAD_CONTROL, true }, { "\x1f", TEXT_BAD_CONTROL, true },
		{ "\x7f", TEXT_BAD_CONTROL, true }, { "\xc2\x85", TEXT_BAD_CONTROL, true },
		{ "\xe2\x80\x8b", TEXT_BAD_INVISIBLE, true },
		{ "\xef\xbb\xbf", TEXT_BAD_INVISIBLE, true },
		{ "\xed\xa0\x80", TEXT_BAD_UTF8, false },   /* a surrogate */
		{ "\xe0\x80\x80", TEXT_BAD_UTF8, false },   /* overlong */
		{ "\xec\xbf", TEXT_BAD_UTF8, false },       /* cut short */
		{ "\xff", TEXT_BAD_UTF8, false },
		{ "\xe4\xb8\x80", TEXT_GOOD, true },        /* U+4E00 */
		{ "\xec\xbf\xbf", TEXT_GOOD, true },        /* U+CFFF */
	};
	const size_t nb = sizeof base / sizeof base[0];
	char s[128], pre[128], first[96] = "";
	size_t c, j, k, pos, span, wrong = 0;
	unsigned long cp;
	enum text_bad want, got;
	bool more;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		want = cases[c].kind;
		for (j = 0; j <= nb; j++) {
			pre[0] = '\0';
			for (k = 0; k < j; k++)
				strcat(pre, base[k]);
			snprintf(s, sizeof s, "%s%s", pre, cases[c].bad);
			for (k = j; k < nb; k++)
				strcat(s, base[k]);
			pos = 0;
			got = text_find_unstorable(s, &pos, &cp);
			if (got != want || (want != TEXT_GOOD && pos != j + 1)) {
				if (!wrong++)
					snprintf(first, sizeof first, "case %zu at %zu: kind "
					         "%d (want %d), at %zu", c, j, (int)got,
					         (int)want, pos);
			}
			span = text_utf8_span(s, strlen(s), &more);
			if (cases[c].utf8 ? span != strlen(s)
			                  : span != strlen(pre) && !(j == nb && more)) {
				if (!wrong++)
					snprintf(first, sizeof first, "case %zu at %zu: span "
					         "%zu of %zu", c, j, span, strlen(s));
			}
		}
	}
	ok(wrong == 0, "12 kinds of character at each of %zu places: found where "
	   "they are (%zu wrong%s%s)", nb + 1, wrong, wrong ? ", first: " : "",
	   first);
}

static void test_conv_stream(void)
{
	struct text_conv *c;
	struct sbuf out = { 0 };
	const char *gb = "\xBD\xFA\xBD\xAD" "ab" "\x81\x30\x81\x30";
	size_t i;
	int rc = KP_OK;

	is_int(text_conv_open("GB18030", &c), KP_OK, "open a GB18030 stream");
	/* a byte at a time: every character is cut */
	for (i = 0; i < 10 && !rc; i++)
		rc = text_conv_step(c, gb + i, 1, false, &out);
	if (!rc)
		rc = text_conv_step(c, "", 0, true, &out);
	is_int(rc, KP_OK, "fed a byte at a time");
	is_str(out.s, "晋江ab\xc2\x80", "the same text as all at once");
	text_conv_close(c);
	sbuf_reset(&out);
	text_conv_open("GB18030", &c);
	is_int(text_conv_step(c, "abc\xC0", 4, false, &out), KP_OK,
	       "a lead byte at the end waits");
	is_int(text_conv_step(c, "", 0, true, &out), KP_E_DATA,
	       "and is refused when the stream ends there");
	ok(strstr(kp_err_msg(), "byte 4") != NULL, "counting the byte: %s", kp_err_msg());
	text_conv_close(c);
	text_conv_open("GB18030", &c);
	is_int(text_conv_step(c, "abcd", 4, false, &out), KP_OK, "a first piece");
	is_int(text_conv_step(c, "e\xFF", 2, false, &out), KP_E_DATA,
	       "FF in the second piece");
	ok(strstr(kp_err_msg(), "byte 6") != NULL, "counted over the stream: %s",
	   kp_err_msg());
	text_conv_close(c);
	text_conv_close(NULL);
	is_int(text_conv_open("NO-SUCH-CODESET", &c), KP_E_SOFTWARE, "unknown encoding");
	sbuf_free(&out);
}

static void test_trim(void)
{
	char a[] = "  \t 晋江 科普 \t ", b[] = "   ", c[] = "x";

	is_str(text_trim(a), "晋江 科普", "trims both ends, keeps inner space");
	is_str(text_trim(b), "", "all blanks trim to empty");
	is_str(text_trim(c), "x", "nothing to trim");
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		diag("no C.UTF-8 locale");
	lang_set(KP_LANG_EN);
	test_sbuf();
	test_utf8();
	test_storable();
	test_invisible();
	test_width();
	test_terminal();
	test_iconv();
	test_utf8_span();
	test_fast_paths();
	test_conv_stream();
	test_trim();
	return tap_done();
}
