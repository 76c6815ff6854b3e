/* csvio.h - reading and writing CSV the way spreadsheets and people do.
 *
 * Built on libcsv (always CSV_STRICT | CSV_STRICT_FINI).  Reading accepts
 * UTF-8 with or without a BOM, and GB18030 (detected: input that is not
 * valid UTF-8 is converted from GB18030, or refused if it is not valid
 * GB18030 either); CRLF or LF line ends; quoted fields holding commas,
 * quotes, tabs and line breaks.  Rows are reported with the physical line
 * number (1-based) on which they start, so messages can say FILE:LINE.
 */
#ifndef KEPU_CSVIO_H
#define KEPU_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Called once per row.  fields[i] are NUL-terminated UTF-8 strings (a CSV
 * field can hold a NUL only through a broken file; it is refused) with
 * lens[i] bytes; they are valid only during the call.  Return KP_OK to go
 * on; any other status stops the read and is returned by csvio_read_*. */
typedef int (*csvio_row_fn)(void *ctx, size_t line, size_t nfields,
                            char **fields, const size_t *lens);

/* Read a whole file (path "-" is stdin).  Errors: KP_E_NOINPUT (cannot
 * open), KP_E_IO, KP_E_DATA ("FILE:LINE: ..." for malformed CSV or an
 * undecodable encoding), or whatever fn returned.  Empty lines are skipped. */
int csvio_read_file(const char *path, csvio_row_fn fn, void *ctx);

/* The same over a buffer; name is used in messages. */
int csvio_read_mem(const char *name, const char *buf, size_t n,
                   csvio_row_fn fn, void *ctx);

/* The same in a known encoding, never guessed: "UTF-8" (a BOM is skipped)
 * or another iconv name such as "GB18030"; NULL guesses as csvio_read_mem.
 * Bytes that are not valid in that encoding give KP_E_DATA. */
int csvio_read_mem_as(const char *name, const char *encoding, const char *buf,
                      size_t n, csvio_row_fn fn, void *ctx);

/* Writer.  Flags choose what spreadsheets need. */
enum {
	CSVW_BOM = 1 << 0,        /* start with a UTF-8 BOM (Excel, WPS) */
	CSVW_CRLF = 1 << 1,       /* end rows with \r\n (else \n) */
	CSVW_NEUTRALISE = 1 << 2, /* prefix ' to cells starting with = + - @
	                           * tab or CR (CWE-1236); see csvio_restore */
	CSVW_GB18030 = 1 << 3,    /* write GB18030 instead of UTF-8 (no BOM) */
	CSVW_EXCEL = CSVW_BOM | CSVW_CRLF | CSVW_NEUTRALISE,
};

struct csvw {
	FILE *f;
	unsigned flags;
	bool row_started;
	int status;       /* first error (KP_E_IO / KP_E_DATA), sticky */
};

/* Start writing to an open stream (the caller keeps ownership of f and
 * closes it).  Writes the BOM if asked. */
int csvw_begin(struct csvw *w, FILE *f, unsigned flags);
/* Append one field to the current row; NULL writes an empty field. */
int csvw_field(struct csvw *w, const char *s);
int csvw_fieldf(struct csvw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int csvw_end_row(struct csvw *w);
/* Write a whole row of n fields. */
int csvw_row(struct csvw *w, size_t n, const char *const *fields);
/* Flush; returns the sticky status (KP_OK or KP_E_IO). */
int csvw_finish(struct csvw *w);

/* Undo CSVW_NEUTRALISE on a cell read back by kepu: a cell that starts with
 * ' followed by one of = + - @ tab CR loses the '.  In place; returns s.
 * (The writer also prefixes a cell that is a run of ' before one of those
 * characters, and this strips one ' from such a cell, so that every cell
 * comes back exactly as written.) */
char *csvio_restore(char *s);

#endif
