/* csvio.h - reading and writing CSV the way spreadsheets and people do.
 *
 * Built on libcsv (always CSV_STRICT | CSV_STRICT_FINI).  Reading accepts
 * UTF-8 with or without a BOM, and GB18030 (detected: input that is not
 * valid UTF-8 is converted from GB18030, or refused if it is not valid
 * GB18030 either); CRLF or LF line ends; quoted fields holding commas,
 * quotes, tabs and line breaks.  Rows are reported with the physical line
 * number (1-based) on which they start, so messages can say FILE:LINE.
 * A header row is matched against the names a reader knows in one way for
 * every reader (csvio_header_map).
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

/* Read a whole file (path "-" is stdin), a row at a time: memory holds
 * one row, never the file.  Errors: KP_E_NOINPUT (cannot open), KP_E_IO,
 * KP_E_DATA ("FILE:LINE: ..." for malformed CSV or an undecodable
 * encoding), or whatever fn returned.  Empty lines are skipped. */
int csvio_read_file(const char *path, csvio_row_fn fn, void *ctx);

/* Open path for csvio_read_stream: a file, or ("-") stdin, which is first
 * copied to a temporary file (so that it can be read again, and its
 * encoding told from all of it).  *size: its bytes.  The caller fcloses
 * *out.  KP_E_NOINPUT (cannot open), KP_E_IO. */
int csvio_open(const char *path, FILE **out, unsigned long long *size);

/* Read CSV from f, from where it stands to its end, a row at a time.
 * encoding as csvio_read_mem_as: "UTF-8" (a BOM is skipped) or another
 * iconv name, converted a block at a time; NULL guesses as csvio_read_mem
 * does, from every byte: f is then read to its end once first and must be
 * a file that can be read again (csvio_open).  name is used in messages.
 * Errors as csvio_read_file. */
int csvio_read_stream(const char *name, FILE *f, const char *encoding,
                      csvio_row_fn fn, void *ctx);
/* The same for input that may be large: size is the bytes f is expected
 * to hold (0 when not known).  From CSVIO_BG_MIN bytes on, the rows are
 * parsed by a second thread while fn works on the rows parsed before
 * (csvio_bg.c); fn is still called in the caller's thread, in order, with
 * the same rows, lines and failures.  f then belongs to that thread until
 * the call returns, and where it stands then is not said (the parser
 * reads ahead of fn, by at most about 1 MiB of rows).  Below that size,
 * or when no thread can be made, it is csvio_read_stream. */
#define CSVIO_BG_MIN ((unsigned long long)1 << 20)
int csvio_read_stream_bg(const char *name, FILE *f, unsigned long long size,
                         const char *encoding, csvio_row_fn fn, void *ctx);

/* The same over a buffer; name is used in messages. */
int csvio_read_mem(const char *name, const char *buf, size_t n,
                   csvio_row_fn fn, void *ctx);

/* The same in a known encoding, never guessed: "UTF-8" (a BOM is skipped)
 * or another iconv name such as "GB18030"; NULL guesses as csvio_read_mem.
 * Bytes that are not valid in that encoding give KP_E_DATA. */
int csvio_read_mem_as(const char *name, const char *encoding, const char *buf,
                      size_t n, csvio_row_fn fn, void *ctx);

/* A header row matched against the names a reader knows (a table's
 * columns, a form's fields, a bundle's bookkeeping columns).  The reader
 * says what a cell stands for: name_of returns the index (0 .. nnames-1)
 * of the name cell stands for, or CSVIO_UNKNOWN.  Whether labels count,
 * or only exact names, is the reader's choice (schema_field_lookup). */
#define CSVIO_UNKNOWN (-1)
typedef int (*csvio_name_fn)(void *ctx, const char *cell);

struct csvio_header {
	size_t ncols;
	int *col;         /* per column: the name it holds, or CSVIO_UNKNOWN
	                   * (a blank cell is unknown unless name_of says
	                   * otherwise) */
	bool *repeat;     /* per column: it repeats an earlier column, with the
	                   * same text or as another way of writing the same
	                   * name (an id and its label) */
	size_t nnames;
	int *at;          /* per name: the first column holding it, -1 when
	                   * none does */
};

/* Fill h from the ncells cells of a header row (trimmed or not, as the
 * reader wants them compared; cells are only read during the call).
 * What to do with unknown, repeated or missing names is the reader's
 * business.  KP_OK, or KP_E_NOMEM with h empty.  h is the caller's, freed
 * with csvio_header_free (also after a failure, or when never filled if
 * zero-initialised). */
int csvio_header_map(struct csvio_header *h, char *const *cells,
                     size_t ncells, size_t nnames, csvio_name_fn name_of,
                     void *ctx);
void csvio_header_free(struct csvio_header *h);

/* Writer.  Flags choose what spreadsheets need. */
enum {
	CSVW_BOM = 1 << 0,        /* start with a UTF-8 BOM (Excel, WPS) */
	CSVW_CRLF = 1 << 1,       /* end rows with \r\n (else \n) */
	CSVW_NEUTRALISE = 1 << 2, /* prefix ' to cells starting with = + - @
	                           * tab or CR (CWE-1236); see csvio_restore */
	CSVW_GB18030 = 1 << 3,    /* write GB18030 instead of UTF-8 (no BOM) */
	CSVW_EXCEL = CSVW_BOM | CSVW_CRLF | CSVW_NEUTRALISE,
};

/* A row is gathered in buf and handed to f whole at its end (one stdio
 * call a row, not several a field); csvw_end_row and csvw_finish leave
 * nothing in buf. */
#define CSVW_BUF 4096
struct csvw {
	FILE *f;
	unsigned flags;
	bool row_started;
	int status;       /* first error (KP_E_IO / KP_E_DATA), sticky */
	bool spilled;     /* part of the current row already went to f */
	size_t n;         /* bytes of the row in buf */
	char buf[CSVW_BUF];
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
/* Rows that begin with the same cells (a change's rows in a log) encode
 * them once: csvw_row_copy copies the current row's cells so far, as
 * written, into out (cap bytes) and returns their length, or 0 when they
 * do not fit or went to the stream already; csvw_row_resume begins a row
 * with them. */
size_t csvw_row_copy(const struct csvw *w, char *out, size_t cap);
int csvw_row_resume(struct csvw *w, const char *cells, size_t n);
/* Flush; returns the sticky status (KP_OK or KP_E_IO). */
int csvw_finish(struct csvw *w);

/* Undo CSVW_NEUTRALISE on a cell read back by kepu: a cell that starts with
 * ' followed by one of = + - @ tab CR loses the '.  In place; returns s.
 * (The writer also prefixes a cell that is a run of ' before one of those
 * characters, and this strips one ' from such a cell, so that every cell
 * comes back exactly as written.) */
char *csvio_restore(char *s);

#endif
