/* text.h - growable strings, UTF-8 checks, encodings and safe display.
 *
 * All text inside kepu is UTF-8.  Text that enters from outside (CSV files,
 * the terminal in a GB18030 locale) is converted at the border.
 */
#ifndef KEPU_TEXT_H
#define KEPU_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A growable, always NUL-terminated byte string.  Zero-initialise
 * (struct sbuf b = {0};) or call sbuf_init; free with sbuf_free.  s may be
 * NULL until the first append.  On allocation failure the append functions
 * return KP_E_NOMEM and leave the buffer as it was. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);              /* len = 0, keeps memory */
int sbuf_add(struct sbuf *b, const void *p, size_t n);
int sbuf_adds(struct sbuf *b, const char *s);
int sbuf_addc(struct sbuf *b, char c);
int sbuf_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the string over to the caller (who frees it); the buffer is reset.
 * Returns "" (allocated) for an empty buffer, NULL only on ENOMEM. */
char *sbuf_take(struct sbuf *b);

/* strdup that never returns NULL for a NULL input: returns NULL on ENOMEM
 * only.  xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);

/* True when [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_is_utf8(const char *s, size_t n);
/* How much of [s, s+n) is well-formed UTF-8: the length of its longest
 * prefix of whole sequences, for checking a stream a piece at a time.
 * *more: the bytes after it (at most 3) begin a sequence that the next
 * piece may complete; else (when it is below n) the byte there is no
 * UTF-8. */
size_t text_utf8_span(const char *s, size_t n, bool *more);

/* Check text a user wants to store in a text field: must be UTF-8; tab,
 * line feed and carriage return are allowed; every other C0/C1 control
 * character and DEL (so every escape sequence) is refused, and so is every
 * character that shows as nothing or changes how the text around it shows
 * (bidi controls U+202A-202E and U+2066-2069, zero-width characters
 * U+200B-200F, U+2028/2029, U+FEFF, U+061C, U+180E and the other format
 * characters of Unicode), which would let a title read differently from
 * what it holds ("x<U+202E>gpj.exe" shows as "xexe.jpg").  Returns KP_OK or
 * KP_E_DATA with a message naming the position and the code point. */
int text_check_storable(const char *s);

/* The first character text_check_storable refuses, for callers that word
 * the message themselves: TEXT_GOOD, or what is wrong with character *pos
 * (1-based, counted in characters) whose code point is *cp (the byte for
 * TEXT_BAD_UTF8).  *pos and *cp are set only when something is wrong. */
enum text_bad {
	TEXT_GOOD,
	TEXT_BAD_UTF8,
	TEXT_BAD_CONTROL,     /* C0/C1 control or DEL other than tab, LF, CR */
	TEXT_BAD_INVISIBLE,   /* a format character, separator or filler */
};
enum text_bad text_find_unstorable(const char *s, size_t *pos,
                                   unsigned long *cp);

/* Display width in terminal cells of a UTF-8 string (CJK = 2).  Uses
 * wcwidth, so LC_CTYPE must be a UTF-8 locale (main sets it).  Invalid
 * bytes and control characters count 1 each (they are shown escaped). */
size_t text_width(const char *s);

/* A copy of s that is safe to write to a terminal: control characters are
 * shown as visible escapes (\n as "↵", tab as "→", others as "^X" or
 * "\xNN"), the invisible characters text_check_storable refuses as
 * "<U+202E>" (text stored before they were refused, or arriving in a
 * bundle), invalid UTF-8 as U+FFFD.  Caller frees. NULL on ENOMEM. */
char *text_for_terminal(const char *s);

/* Convert n bytes from encoding `from` (an iconv name such as "GB18030")
 * to newly allocated UTF-8 in *out (*outlen bytes, NUL-terminated).
 * KP_E_DATA if the input is not valid in that encoding. */
int text_to_utf8(const char *from, const char *in, size_t n,
                 char **out, size_t *outlen);
/* The same for a stream, a piece at a time: text_conv_step appends the
 * UTF-8 of in[0..n) to out (NUL-terminated), keeping the start of a
 * sequence cut by the piece's end for the next piece; last says the stream
 * ends with this piece.  KP_E_DATA if the input is not valid in that
 * encoding (the message counts the byte over the whole stream);
 * text_conv_open: KP_E_SOFTWARE for an encoding iconv does not have. */
struct text_conv;
int text_conv_open(const char *from, struct text_conv **out);
int text_conv_step(struct text_conv *c, const char *in, size_t n, bool last,
                   struct sbuf *out);
void text_conv_close(struct text_conv *c);   /* NULL is fine */
/* The reverse: UTF-8 to encoding `to`. */
int text_from_utf8(const char *to, const char *in, size_t n,
                   char **out, size_t *outlen);

/* Trim ASCII spaces and tabs at both ends, in place; returns s. */
char *text_trim(char *s);

#endif
