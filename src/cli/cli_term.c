/* cli_term.c - the terminal's encoding at the command line's border.
 *
 * kepu works in UTF-8 inside.  In a GB18030 (or GBK, GB2312) locale the
 * terminal shows and sends GB18030, so, as the TUI does, the command line
 * converts at the border: what it prints on a terminal and every message
 * on stderr goes out in GB18030, and the text a clerk types as an
 * argument value (--set field=value, --text) comes in as GB18030 and is
 * stored as UTF-8.  File names are left as typed (they name files by
 * their bytes), and so are files kepu writes: CSV has its own --encoding,
 * and input CSV is recognised whatever its encoding (csvio.h).
 *
 * The streams are replaced by glibc's fopencookie streams that convert
 * whole characters: a character cut between two writes waits for its
 * other bytes.  Without fopencookie nothing is converted.
 */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "text.h"

static const char *term_codeset;    /* NULL: the terminal speaks UTF-8 */

#ifdef HAVE_FOPENCOOKIE
struct conv {
	FILE *raw;                  /* the stream it replaced */
	char carry[4];              /* the start of a character cut off */
	size_t ncarry;
};

/* Bytes of s (UTF-8) that form whole characters. */
static size_t whole_chars(const char *s, size_t n)
{
	size_t i = n, back = 0;

	while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0)
		return n;
	{
		unsigned char lead = (unsigned char)s[i - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 :
		              lead >= 0xc0 ? 2 : 1;

		return need > back + 1 ? i - 1 : n;
	}
}

static void put_converted(struct conv *c, const char *s, size_t n)
{
	char *out = NULL;
	size_t outn = 0;

	if (n == 0)
		return;
	if (text_from_utf8(term_codeset, s, n, &out, &outn) == KP_OK)
		fwrite(out, 1, outn, c->raw);
	else
		fwrite(s, 1, n, c->raw);    /* not UTF-8: as it is */
	free(out);
}

static ssize_t conv_write(void *cookie, const char *buf, size_t size)
{
	struct conv *c = cookie;
	struct sbuf b = { NULL, 0, 0 };
	size_t whole;

	if (sbuf_add(&b, c->carry, c->ncarry) != KP_OK ||
	    sbuf_add(&b, buf, size) != KP_OK) {
		sbuf_free(&b);
		return -1;
	}
	whole = whole_chars(b.s, b.len);
	put_converted(c, b.s, whole);
	c->ncarry = b.len - whole;
	memcpy(c->carry, b.s + whole, c->ncarry);
	sbuf_free(&b);
	fflush(c->raw);
	return (ssize_t)size;
}

static int conv_close(void *cookie)
{
	struct conv *c = cookie;

	put_converted(c, c->carry, c->ncarry);
	fflush(c->raw);
	free(c);
	return 0;
}

/* The streams replaced, and their converting replacements. */
static FILE *raw_out, *raw_err, *conv_out, *conv_err;

/* At exit: flush what waits (a character cut off included), give the
 * process its own streams back and free the replacements. */
static void conv_end(void)
{
	if (conv_out) {
		fflush(conv_out);
		stdout = raw_out;
		fclose(conv_out);
		conv_out = NULL;
	}
	if (conv_err) {
		fflush(conv_err);
		stderr = raw_err;
		fclose(conv_err);
		conv_err = NULL;
	}
}

static FILE *conv_open(FILE *raw)
{
	static const cookie_io_functions_t io = {
		.read = NULL, .write = conv_write, .seek = NULL,
		.close = conv_close,
	};
	struct conv *c = calloc(1, sizeof *c);
	FILE *f;

	if (!c)
		return NULL;
	c->raw = raw;
	f = fopencookie(c, "w", io);
	if (!f)
		free(c);
	return f;
}
#endif

const char *cli_term_setup(bool convert_stdout)
{
	const char *cs = nl_langinfo(CODESET);

	if (!cs || (strcmp(cs, "GB18030") != 0 && strcmp(cs, "GBK") != 0 &&
	            strcmp(cs, "GB2312") != 0))
		return NULL;
	term_codeset = "GB18030";
#ifdef HAVE_FOPENCOOKIE
	{
		FILE *f;

		/* stderr unbuffered as before; stdout converted only on a
		 * terminal: a redirected stdout is data for a program. */
		if ((f = conv_open(stderr))) {
			setvbuf(f, NULL, _IONBF, 0);
			raw_err = stderr;
			stderr = conv_err = f;
		}
		if (convert_stdout && isatty(STDOUT_FILENO) &&
		    (f = conv_open(stdout))) {
			raw_out = stdout;
			stdout = conv_out = f;
		}
		if (conv_out || conv_err)
			atexit(conv_end);
	}
#else
	(void)convert_stdout;
#endif
	return term_codeset;
}

char *cli_term_text(const char *s)
{
	char *out = NULL;
	size_t n;

	if (!term_codeset || text_to_utf8(term_codeset, s, strlen(s), &out, &n)
	    != KP_OK)
		return xstrdup(s);
	return out;
}
