/* fuzz_csv.c - the CSV reader (csvio) on any bytes, and the writer's
 * round trip: every row read as UTF-8 is written again (with the flags the
 * first input byte chooses) and read back, and must come back the same. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "err.h"
#include "fuzz.h"
#include "text.h"

struct rows {
	char **cells;      /* every cell, rows separated by NULL */
	size_t n, cap;
};

static int keep(struct rows *r, char *s)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		char **c = realloc(r->cells, cap * sizeof *c);

		if (!c)
			return KP_E_NOMEM;
		r->cells = c;
		r->cap = cap;
	}
	r->cells[r->n++] = s;
	return KP_OK;
}

static void rows_free(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

static int row_fn(void *ctx, size_t line, size_t nfields, char **fields,
                  const size_t *lens)
{
	struct rows *r = ctx;
	size_t i;
	char *c;

	if (line == 0 || nfields == 0)
		abort();   /* lines count from 1; empty lines are skipped */
	for (i = 0; i < nfields; i++) {
		if (strlen(fields[i]) != lens[i])
			abort();   /* a NUL inside a field must have been refused */
		if (!r)
			continue;
		c = malloc(lens[i] + 1);
		if (!c)
			return KP_E_NOMEM;
		memcpy(c, fields[i], lens[i] + 1);
		if (keep(r, c)) {
			free(c);
			return KP_E_NOMEM;
		}
	}
	return r ? keep(r, NULL) : KP_OK;
}

static void round_trip(struct rows *in, unsigned flags)
{
	struct rows back = { 0 };
	struct csvw w;
	char *buf = NULL;
	size_t len = 0, i, j, k, start;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	csvw_begin(&w, f, flags);
	for (start = 0, i = 0; i < in->n; i++) {
		if (in->cells[i])
			continue;
		for (j = start; j < i; j++)
			csvw_field(&w, in->cells[j]);
		csvw_end_row(&w);
		start = i + 1;
	}
	if (csvw_finish(&w) != KP_OK) {
		fclose(f);
		free(buf);
		return;
	}
	fclose(f);
	if (csvio_read_mem_as("rt", flags & CSVW_GB18030 ? "GB18030" : "UTF-8",
	                      buf, len, row_fn, &back) != KP_OK) {
		fprintf(stderr, "written CSV not readable: %s\n", kp_err_msg());
		abort();
	}
	/* Compare row by row, restoring what CSVW_NEUTRALISE prefixed. */
	for (start = 0, i = 0, j = 0; i < in->n; i++) {
		if (in->cells[i])
			continue;
		for (k = start; k <= i; k++, j++) {
			char *got = j < back.n ? back.cells[j] : NULL;

			if (got && (flags & CSVW_NEUTRALISE))
				csvio_restore(got);
			if ((got == NULL) != (in->cells[k] == NULL) ||
			    (got && strcmp(got, in->cells[k]) != 0)) {
				fprintf(stderr, "round trip changed a cell: "
				        "'%s' came back as '%s'\n",
				        in->cells[k] ? in->cells[k] : "(end)",
				        got ? got : "(end)");
				abort();
			}
		}
		start = i + 1;
	}
	if (j != back.n)
		abort();
	rows_free(&back);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = {
		0, CSVW_EXCEL, CSVW_NEUTRALISE, CSVW_CRLF, CSVW_GB18030,
		CSVW_GB18030 | CSVW_NEUTRALISE | CSVW_CRLF, CSVW_BOM, CSVW_EXCEL,
	};
	struct rows r = { 0 };
	const char *buf;
	unsigned flags;

	if (size == 0)
		return 0;
	fz_setup();
	flags = flag_sets[data[0] & 7];
	buf = (const char *)data + 1;
	size--;
	csvio_read_mem("fuzz", buf, size, row_fn, NULL);
	csvio_read_mem_as("fuzz", "GB18030", buf, size, row_fn, NULL);
	if (csvio_read_mem_as("fuzz", "UTF-8", buf, size, row_fn, &r) == KP_OK)
		round_trip(&r, flags);
	rows_free(&r);
	return 0;
}
