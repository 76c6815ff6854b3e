/* t_csvio.c - CSV reading (encodings, line numbers, strictness) and writing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "tap.h"
#include "text.h"

/* Rows flattened as "LINE:[f1|f2]" joined by spaces, to compare in one go. */
static int collect(void *ctx, size_t line, size_t nfields, char **fields,
                   const size_t *lens)
{
	struct sbuf *b = ctx;
	size_t i;

	if (b->len)
		sbuf_addc(b, ' ');
	sbuf_printf(b, "%zu:[", line);
	for (i = 0; i < nfields; i++) {
		if (strlen(fields[i]) != lens[i])
			sbuf_adds(b, "(BADLEN)");
		sbuf_printf(b, "%s%s", i ? "|" : "", fields[i]);
	}
	sbuf_addc(b, ']');
	return KP_OK;
}

static struct sbuf got, bg;
static size_t stream_differs, thread_differs, thread_skip, reads;

/* The same bytes read from a file a block at a time must give the same
 * rows, status and message as from memory. */
static int rd_stream(const char *in, size_t n, struct sbuf *b, char *msg,
                     size_t cap)
{
	FILE *f = tmpfile();
	int rc, bg_rc;

	if (!f || fwrite(in, 1, n, f) != n || fflush(f) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	rewind(f);
	sbuf_reset(b);
	rc = csvio_read_stream("t.csv", f, NULL, collect, b);
	snprintf(msg, cap, "%s", rc ? kp_err_msg() : "");
	/* parsed by a second thread (as large as can be told) or by the
	 * caller's: the same; a thread a read costs too much under valgrind
	 * for every input of the fuzz below */
	if (thread_skip && reads++ % thread_skip != 0) {
		fclose(f);
		return rc;
	}
	rewind(f);
	sbuf_reset(&bg);
	bg_rc = csvio_read_stream_bg("t.csv", f, ~0ULL, NULL, collect, &bg);
	if (bg_rc != rc || strcmp(rc ? kp_err_msg() : "", msg) ||
	    strcmp(bg.s ? bg.s : "", b->s ? b->s : "")) {
		char d[600];

		thread_differs++;
		snprintf(d, sizeof d, "parsed by a second thread: %d %s", bg_rc,
		         bg_rc ? kp_err_msg() : "");
		diag(d);
	}
	fclose(f);
	return rc;
}

static int rd(const char *in, size_t n)
{
	struct sbuf sg = { 0 };
	char msg[512], smsg[512];
	int rc, src;

	sbuf_reset(&got);
	src = rd_stream(in, n, &sg, smsg, sizeof smsg);
	rc = csvio_read_mem("t.csv", in, n, collect, &got);
	snprintf(msg, sizeof msg, "%s", rc ? kp_err_msg() : "");
	if (src != rc || strcmp(msg, smsg) ||
	    strcmp(got.s ? got.s : "", sg.s ? sg.s : "")) {
		char d[2200];

		stream_differs++;
		snprintf(d, sizeof d, "from a file: %d %s [%s]; from memory: %d %s [%s]",
		         src, smsg, sg.s ? sg.s : "", rc, msg, got.s ? got.s : "");
		diag(d);
	}
	sbuf_free(&sg);
	/* the message of the read from memory, for the checks */
	if (rc)
		kp_err_set(rc, "%s", msg);
	return rc;
}

/* A file larger than a block: rows, line numbers and characters cut by
 * the blocks' ends (UTF-8 of 3 bytes, GB18030 of 2) all come through. */
static void test_stream_blocks(void)
{
	struct sbuf in = { 0 }, want = { 0 }, b = { 0 };
	char *gb = NULL, msg[512];
	size_t gbn = 0, i;
	int rc;

	sbuf_adds(&in, "name,city\n");
	sbuf_adds(&want, "1:[name|city]");
	for (i = 0; in.len < 200000; i++) {
		/* shifting by one byte a row moves every cut */
		sbuf_printf(&in, "%.*s晋江%zu,\"科\n普\"\n", (int)(i % 7), "xxxxxxx", i);
		sbuf_printf(&want, " %zu:[%.*s晋江%zu|科\n普]", 2 + 2 * i, (int)(i % 7),
		            "xxxxxxx", i);
	}
	rc = rd_stream(in.s, in.len, &b, msg, sizeof msg);
	is_int(rc, KP_OK, "200 kB of UTF-8 read a block at a time");
	ok(b.s && strcmp(b.s, want.s) == 0, "every row and line number (%zu rows)", i);
	is_int(text_from_utf8("GB18030", in.s, in.len, &gb, &gbn), KP_OK, "made GB18030");
	rc = rd_stream(gb, gbn, &b, msg, sizeof msg);
	is_int(rc, KP_OK, "the same in GB18030, told from all of it");
	ok(b.s && strcmp(b.s, want.s) == 0, "the same rows");
	/* a byte no encoding has, far beyond the first block */
	gb[gbn - 20] = '\xFF';
	rc = rd_stream(gb, gbn, &b, msg, sizeof msg);
	is_int(rc, KP_E_DATA, "a bad byte near the end of a long file");
	is_str(msg, "t.csv: not UTF-8 or GB18030", "is said as for a small one");
	ok(b.len == 0, "and no row was given before it was found");
	free(gb);
	sbuf_free(&in);
	sbuf_free(&want);
	sbuf_free(&b);
}

#define READS(in, want, name) do { \
	int rc_ = rd(in, sizeof(in) - 1); \
	is_int(rc_, KP_OK, "%s: reads", name); \
	if (rc_) diag(kp_err_msg()); \
	is_str(got.s ? got.s : "", want, "%s: rows", name); \
} while (0)

#define REFUSES(in, msg, name) do { \
	is_int(rd(in, sizeof(in) - 1), KP_E_DATA, "%s: refused", name); \
	is_str(kp_err_msg(), msg, "%s: message", name); \
} while (0)

static void test_read_good(void)
{
	READS("a,b,c\n1,2,3\n", "1:[a|b|c] 2:[1|2|3]", "plain LF");
	READS("a,b\r\n1,2\r\n", "1:[a|b] 2:[1|2]", "CRLF");
	READS("a,b\n1,2", "1:[a|b] 2:[1|2]", "no final line break");
	READS("", "", "empty input");
	READS("\xEF\xBB\xBF", "", "BOM only");
	READS("\xEF\xBB\xBFname,\xE6\x99\x8B\n", "1:[name|晋]", "BOM stripped");
	READS("a\n\n\r\n\nb\n", "1:[a] 5:[b]", "blank lines skipped, lines still counted");
	READS("\"x,y\",\"say \"\"hi\"\"\"\n", "1:[x,y|say \"hi\"]", "quoted comma and doubled quotes");
	READS("\"two\nlines\",z\nnext\n", "1:[two\nlines|z] 3:[next]", "LF inside quotes");
	READS("\"two\r\nlines\",z\r\nnext\r\n", "1:[two\r\nlines|z] 3:[next]", "CRLF inside quotes");
	READS("h\n\"a\n\nb\n\",x\n\n\"c\"\n", "1:[h] 2:[a\n\nb\n|x] 7:[c]",
	      "blank lines inside quotes are data");
	READS(",,\n", "1:[||]", "empty fields");
	READS("a\n  \t \nb\n", "1:[a] 3:[b]", "a line of blanks is an empty line");
	READS("a\r\n\r\n\"b\r\n\r\nc\"\r\nd", "1:[a] 3:[b\r\n\r\nc] 6:[d]",
	      "CRLF file, blank line, multi-line field, no final break");
	READS("\"\"\n", "1:[]", "one quoted empty field is a row");
	READS("a, b ,\" c \"\n", "1:[a|b| c ]", "unquoted spaces trimmed, quoted kept");
	READS("\"tab\there\"\n", "1:[tab\there]", "tab inside quotes");
	READS("=1+1,-5,@x\n", "1:[=1+1|-5|@x]", "formula-looking cells read as text");
	READS("\xBD\xFA\xBD\xAD,\xBF\xC6\xC6\xD5\r\n", "1:[晋江|科普]", "GB18030 input converted");
}

static void test_read_bad(void)
{
	REFUSES("a,b\nc\"d,e\n", "t.csv:2: malformed CSV (error parsing data while strict checking enabled)",
	        "stray quote in a field");
	REFUSES("h\n\"a\nb\"x,y\nz\n", "t.csv:3: malformed CSV (error parsing data while strict checking enabled)",
	        "text after a closing quote, after a multi-line field");
	REFUSES("a\n\"open\nstill open\n", "t.csv:2: malformed CSV (unterminated quoted field)",
	        "unterminated quote names the line it opened on");
	REFUSES("a\xFF\xFF\n", "t.csv: not UTF-8 or GB18030", "neither encoding");
	REFUSES("\xEF\xBB\xBF" "a\xBD\xFA\n", "t.csv: starts with a UTF-8 BOM but is not UTF-8",
	        "BOM then GB18030");
	REFUSES("a,\"b\0c\"\n", "t.csv:1: a field holds a NUL byte", "NUL in a quoted field");
	REFUSES("x\nab\0\n", "t.csv:2: a field holds a NUL byte", "NUL in a bare field");
}

static int stop_at_2(void *ctx, size_t line, size_t nfields, char **fields,
                     const size_t *lens)
{
	int *n = ctx;

	(void)nfields; (void)fields; (void)lens;
	++*n;
	return line == 2 ? KP_E_TEMPFAIL : KP_OK;
}

static void test_callback_stops(void)
{
	int n = 0;

	is_int(csvio_read_mem("t", "a\nb\nc\nd\n", 8, stop_at_2, &n), KP_E_TEMPFAIL,
	       "the callback's status is returned");
	is_int(n, 2, "no row after the one that stopped");
}

static char *write_rows(unsigned flags, size_t nrows, size_t ncols,
                        const char *const *cells, size_t *len)
{
	struct csvw w;
	char *buf = NULL;
	size_t i, sz = 0;
	FILE *f = open_memstream(&buf, &sz);

	csvw_begin(&w, f, flags);
	for (i = 0; i < nrows; i++)
		csvw_row(&w, ncols, cells + i * ncols);
	is_int(csvw_finish(&w), KP_OK, "writer finishes cleanly (flags %u)", flags);
	fclose(f);
	*len = sz;
	return buf;
}

struct table {
	bool restore;
	size_t nrows;
	char *cells[64];
	size_t n;
};

static int to_table(void *ctx, size_t line, size_t nfields, char **fields,
                    const size_t *lens)
{
	struct table *t = ctx;
	size_t i;

	(void)line; (void)lens;
	for (i = 0; i < nfields && t->n < 64; i++)
		t->cells[t->n++] = xstrdup(t->restore ? csvio_restore(fields[i]) : fields[i]);
	t->nrows++;
	return KP_OK;
}

static void round_trip(unsigned flags, const char *name)
{
	static const char *const cells[] = {
		"plain", "with,comma", "say \"hi\"", "two\nlines",
		"crlf\r\nline", " lead", "trail ", "\ttab",
		"", "晋江 科普", "=SUM(A1)", "-5",
		"+1", "@cmd", "'=already", "'plain",
		"\rcr", "''-x", "'", "\"",
	};
	const size_t ncols = 4, nrows = sizeof cells / sizeof cells[0] / ncols;
	struct table t = { .restore = (flags & CSVW_NEUTRALISE) != 0 };
	size_t len, i, same = 0;
	char *buf = write_rows(flags, nrows, ncols, cells, &len);
	int rc = csvio_read_mem(name, buf, len, to_table, &t);

	is_int(rc, KP_OK, "%s: written CSV reads back", name);
	if (rc)
		diag(kp_err_msg());
	is_int(t.nrows, nrows, "%s: same number of rows", name);
	for (i = 0; i < t.n && i < nrows * ncols; i++) {
		if (strcmp(t.cells[i], cells[i]) == 0)
			same++;
		else
			printf("# cell %zu: got \"%s\", want \"%s\"\n", i, t.cells[i], cells[i]);
	}
	is_int(same, nrows * ncols, "%s: every cell identical", name);
	for (i = 0; i < t.n; i++)
		free(t.cells[i]);
	free(buf);
}

static void test_writer_bytes(void)
{
	static const char *const one_empty[] = { "" };
	static const char *const row[] = { "a", "b c", NULL, "x,y", "-5", "晋" };
	static const char *const bom_cell[] = { "\xEF\xBB\xBFx", "y" };
	struct table t = { .restore = false };
	char *buf;
	size_t len;

	buf = write_rows(0, 1, 6, row, &len);
	is_str(buf, "a,b c,,\"x,y\",-5,晋\n", "quotes only where needed");
	free(buf);
	buf = write_rows(CSVW_EXCEL, 1, 6, row, &len);
	is_str(buf, "\xEF\xBB\xBF" "a,b c,,\"x,y\",'-5,晋\r\n", "Excel: BOM, CRLF, neutralised");
	free(buf);
	buf = write_rows(CSVW_GB18030 | CSVW_BOM | CSVW_CRLF, 1, 6, row, &len);
	is_str(buf, "a,b c,,\"x,y\",-5,\xBD\xFA\r\n", "GB18030: no BOM, converted");
	free(buf);
	buf = write_rows(0, 1, 1, one_empty, &len);
	is_str(buf, "\"\"\n", "a lone empty cell is quoted so the row survives");
	free(buf);
	buf = write_rows(0, 1, 2, bom_cell, &len);
	is_str(buf, "\"\xEF\xBB\xBFx\",y\n",
	       "a cell starting with U+FEFF is quoted: first in a file, it would read as a BOM");
	t.n = t.nrows = 0;
	is_int(csvio_read_mem("bom", buf, len, to_table, &t), KP_OK, "and reads back");
	ok(t.n == 2 && strcmp(t.cells[0], bom_cell[0]) == 0, "with its U+FEFF");
	while (t.n)
		free(t.cells[--t.n]);
	free(buf);
}

static void test_writer_misc(void)
{
	struct csvw w;
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);

	csvw_begin(&w, f, 0);
	csvw_fieldf(&w, "%d-%s", 7, "x");
	csvw_field(&w, NULL);
	csvw_fieldf(&w, "%s", "a\"b");
	csvw_end_row(&w);
	is_int(csvw_finish(&w), KP_OK, "fieldf row written");
	fclose(f);
	is_str(buf, "7-x,,\"a\"\"b\"\n", "fieldf formats, NULL is empty, quote doubled");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &sz);
	csvw_begin(&w, f, 0);
	csvw_fieldf(&w, "%0100d|%s", 5, "end");
	csvw_end_row(&w);
	is_int(csvw_finish(&w), KP_OK, "a long fieldf cell written");
	fclose(f);
	ok(sz == 105 && buf[99] == '5' && strcmp(buf + 100, "|end\n") == 0,
	   "a cell longer than the stack buffer is formatted whole");
	free(buf);
}

/* Rows that share their first cells: encoded once, copied; a row too long
 * for the writer's buffer cannot be copied, and a cell that long is still
 * written whole. */
static void test_writer_resume(void)
{
	struct csvw w;
	char *buf = NULL, head[64], big[3 * CSVW_BUF];
	size_t sz = 0, hn, tiny;
	FILE *f = open_memstream(&buf, &sz);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	csvw_begin(&w, f, CSVW_CRLF);
	csvw_field(&w, "a,b");
	csvw_field(&w, "");
	hn = csvw_row_copy(&w, head, sizeof head);
	tiny = csvw_row_copy(&w, head, 3);
	csvw_field(&w, "1");
	csvw_end_row(&w);
	csvw_row_resume(&w, head, hn);
	csvw_field(&w, "");
	csvw_end_row(&w);
	csvw_row_resume(&w, head, hn);
	csvw_field(&w, "q\"");
	csvw_end_row(&w);
	csvw_field(&w, big);
	ok(csvw_row_copy(&w, head, sizeof head) == 0, "a row that went to the stream "
	   "already is not copied");
	csvw_end_row(&w);
	is_int(csvw_finish(&w), KP_OK, "resumed rows written");
	fclose(f);
	ok(hn == 6 && tiny == 0, "the cells so far copied (%zu bytes), not into too "
	   "small a buffer", hn);
	ok(sz == 33 + sizeof big + 1 && memcmp(buf, "\"a,b\",,1\r\n\"a,b\",,\r\n"
	   "\"a,b\",,\"q\"\"\"\r\n", 33) == 0 && memcmp(buf + 33, big,
	   sizeof big - 1) == 0, "each row begins with the cells copied");
	free(buf);
}

static void test_restore(void)
{
	char a[] = "'=1", b[] = "'x", c[] = "''=1", d[] = "=1", e[] = "'", f[] = "'\t";

	is_str(csvio_restore(a), "=1", "restore strips ' before =");
	is_str(csvio_restore(b), "'x", "restore keeps ' before ordinary text");
	is_str(csvio_restore(c), "'=1", "restore strips one of several '");
	is_str(csvio_restore(d), "=1", "restore leaves an unprefixed cell");
	is_str(csvio_restore(e), "'", "a lone ' stays");
	is_str(csvio_restore(f), "\t", "restore before tab");
}

static void test_file(void)
{
	char path[] = "/tmp/t_csvio_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("a,b\n\"c\nd\",e\n", f);
	fclose(f);
	sbuf_reset(&got);
	is_int(csvio_read_file(path, collect, &got), KP_OK, "reads a file");
	is_str(got.s, "1:[a|b] 2:[c\nd|e]", "file rows");
	unlink(path);
	is_int(csvio_read_file(path, collect, &got), KP_E_NOINPUT, "missing file");
	ok(strncmp(kp_err_msg(), path, strlen(path)) == 0, "message names the file");
}

static void test_stdin(void)
{
	char path[] = "/tmp/t_csvio_in_XXXXXX";
	int fd = mkstemp(path);

	if (write(fd, "\xEF\xBB\xBFx,y\r\n", 7) != 7)
		diag("short write");
	close(fd);
	if (!freopen(path, "rb", stdin)) {
		ok(0, "reopen stdin");
		return;
	}
	sbuf_reset(&got);
	is_int(csvio_read_file("-", collect, &got), KP_OK, "\"-\" reads stdin");
	is_str(got.s, "1:[x|y]", "stdin rows");
	unlink(path);
}

static void test_write_error(void)
{
	static const char *const row[] = { "a", "b" };
	struct csvw w;
	FILE *f = fopen("/dev/full", "w");
	int i;

	if (!f) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	csvw_begin(&w, f, CSVW_BOM);
	for (i = 0; i < 10000; i++)
		csvw_row(&w, 2, row);
	is_int(csvw_finish(&w), KP_E_IO, "a full disk is reported");
	is_int(csvw_field(&w, "more"), KP_E_IO, "the error is sticky");
	fclose(f);
}

static int count_rows(void *ctx, size_t line, size_t nfields, char **fields,
                      const size_t *lens)
{
	size_t *n = ctx;

	(void)fields; (void)lens;
	if (nfields != 3 || line != *n + 1)
		return KP_E_SOFTWARE;
	++*n;
	return KP_OK;
}

static void test_many_rows(void)
{
	struct sbuf b = {0};
	size_t i, n = 0;

	for (i = 0; i < 100000; i++)
		sbuf_printf(&b, "%zu,\"培训 %zu\",2025-03-05\r\n", i, i);
	is_int(csvio_read_mem("big", b.s, b.len, count_rows, &n), KP_OK, "100000 rows read");
	is_int(n, 100000, "every row, on its own line");
	sbuf_free(&b);
}

struct order {
	size_t last;
	bool backwards;
};

static int check_order(void *ctx, size_t line, size_t nfields, char **fields,
                       const size_t *lens)
{
	struct order *o = ctx;
	size_t i;

	for (i = 0; i < nfields; i++)
		if (strlen(fields[i]) != lens[i])
			o->backwards = true;
	if (line < o->last)
		o->backwards = true;
	o->last = line;
	return KP_OK;
}

/* Random input from CSV's own alphabet: only KP_OK or KP_E_DATA, and line
 * numbers never go back (a bare CR ends a row but starts no new line). */
static void test_fuzz(void)
{
	static const char alpha[] = "a,\"\r\n \xE6\x99\x8B\xBD";
	char buf[64];
	size_t bad = 0, good = 0, i, n;
	int trial, rc;

	srand(1);
	thread_skip = 25;
	for (trial = 0; trial < 20000; trial++) {
		struct order o = { 0, false };

		n = (size_t)rand() % sizeof buf;
		for (i = 0; i < n; i++)
			buf[i] = alpha[(size_t)rand() % (sizeof alpha - 1)];
		rc = csvio_read_mem("fuzz", buf, n, check_order, &o);
		if ((rc != KP_OK && rc != KP_E_DATA) || o.backwards)
			bad++;
		good += rc == KP_OK;
		if (trial % 4 == 0)
			rd(buf, n);   /* the same from a file */
	}
	thread_skip = 0;
	is_int(bad, 0, "fuzz: only OK or DATA, lines never go back (%zu parsed)", good);
}

/* Known names: "a" (0), "b" (1), and "B" standing for b too; "x" is
 * declared but never written. */
static int header_name(void *ctx, const char *cell)
{
	(void)ctx;
	if (strcmp(cell, "a") == 0)
		return 0;
	if (strcmp(cell, "b") == 0 || strcmp(cell, "B") == 0)
		return 1;
	if (strcmp(cell, "x") == 0)
		return 2;
	if (strcmp(cell, "out") == 0)
		return 7;         /* out of range: unknown */
	return CSVIO_UNKNOWN;
}

static void test_header_map(void)
{
	char c0[] = "b", c1[] = "zz", c2[] = "a", c3[] = "B", c4[] = "zz",
	     c5[] = "", c6[] = "a", c7[] = "", c8[] = "out";
	char *cells[] = { c0, c1, c2, c3, c4, c5, c6, c7, c8 };
	struct csvio_header h = { 0 };
	char got_col[64] = "", got_rep[64] = "";
	size_t i;

	is_int(csvio_header_map(&h, cells, 9, 3, header_name, NULL), KP_OK,
	       "header: mapped");
	is_int(h.ncols, 9, "header: a column per cell");
	is_int(h.nnames, 3, "header: a place per name");
	for (i = 0; i < h.ncols; i++) {
		snprintf(got_col + strlen(got_col), sizeof got_col - strlen(got_col),
		         "%s%d", i ? " " : "", h.col[i]);
		got_rep[i] = h.repeat[i] ? 'R' : '.';
	}
	is_str(got_col, "1 -1 0 1 -1 -1 0 -1 -1",
	       "header: the name of each column (unknown, blank, out of range: -1)");
	is_str(got_rep, "...RR.RR.",
	       "header: repeats by name (B after b) and by text (zz, a, blank)");
	is_int(h.at[0], 2, "header: a first in column 2");
	is_int(h.at[1], 0, "header: b first in column 0, not its repeat");
	is_int(h.at[2], -1, "header: x in no column");
	csvio_header_free(&h);
	ok(h.col == NULL && h.ncols == 0, "header: freed and emptied");
	csvio_header_free(&h);
	is_int(csvio_header_map(&h, cells, 0, 0, header_name, NULL), KP_OK,
	       "header: no cells, no names");
	is_int(h.ncols, 0, "header: empty");
	csvio_header_free(&h);
}

/* Rows parsed by a second thread: many blocks' worth, a failure far in,
 * a row larger than a block, the caller stopping half-way. */
struct counted {
	size_t rows, stop_at;
	size_t bad;               /* rows out of order or with a wrong cell */
};

static int count_check(void *ctx, size_t line, size_t nfields, char **fields,
                       const size_t *lens)
{
	struct counted *c = ctx;
	char want[32];

	c->rows++;
	snprintf(want, sizeof want, "%zu", c->rows);
	if (nfields != 3 || line != c->rows || strcmp(fields[0], want) != 0 ||
	    strlen(fields[2]) != lens[2])
		c->bad++;
	if (c->rows == c->stop_at)
		return kp_err_set(KP_E_TEMPFAIL, "stopped at row %zu", c->rows);
	return KP_OK;
}

static FILE *rows_file(size_t nrows, const char *tail, size_t big_at,
                       size_t big)
{
	FILE *f = tmpfile();
	size_t i, j;

	for (i = 1; f && i <= nrows; i++) {
		fprintf(f, "%zu,晋江市 %zu,", i, i * 7);
		if (i == big_at)
			for (j = 0; j < big; j++)
				fputc('a' + (int)(j % 26), f);
		else
			fprintf(f, "row %zu of the file", i);
		fputc('\n', f);
	}
	if (f && tail)
		fputs(tail, f);
	if (f)
		rewind(f);
	return f;
}

static void test_stream_thread(void)
{
	struct counted c = { 0, 0, 0 };
	FILE *f = rows_file(60000, NULL, 0, 0);
	int rc;

	if (!ok(f != NULL, "a temporary file"))
		return;
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_OK, "60,000 rows (2.3 MB) parsed by a second thread");
	ok(c.rows == 60000 && c.bad == 0, "every row, in order, whole (%zu, %zu bad)",
	   c.rows, c.bad);
	fclose(f);

	memset(&c, 0, sizeof c);
	f = rows_file(50000, "50001,\"open,x\n", 0, 0);
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_E_DATA, "a quote left open on the last line");
	is_str(kp_err_msg(), "t.csv:50001: malformed CSV (unterminated quoted field)",
	       "is said with its line, in the caller's thread");
	ok(c.rows == 50000 && c.bad == 0, "after every row before it (%zu)", c.rows);
	fclose(f);

	memset(&c, 0, sizeof c);
	f = rows_file(40000, "40001,x,\xFF\n", 0, 0);
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_E_DATA, "a byte that is not UTF-8 after 40,000 rows");
	is_str(kp_err_msg(), "t.csv: not UTF-8", "is said as when read in one thread");
	fclose(f);

	memset(&c, 0, sizeof c);
	c.stop_at = 20000;
	f = rows_file(60000, NULL, 0, 0);
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_E_TEMPFAIL, "the caller stops at row 20,000 of 60,000");
	is_str(kp_err_msg(), "stopped at row 20000", "its own message is kept");
	is_int(c.rows, 20000, "no row is given after the one that stopped");
	fclose(f);

	memset(&c, 0, sizeof c);
	c.stop_at = 1;
	f = rows_file(60000, NULL, 0, 0);
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_E_TEMPFAIL, "the caller stops at the first row");
	is_int(c.rows, 1, "and sees no other");
	fclose(f);

	memset(&c, 0, sizeof c);
	f = rows_file(3000, NULL, 1500, (size_t)300 << 10);
	rc = csvio_read_stream_bg("t.csv", f, ~0ULL, "UTF-8", count_check, &c);
	is_int(rc, KP_OK, "a row of 300 KiB (more than a block) among small ones");
	ok(c.rows == 3000 && c.bad == 0, "comes whole, in its place (%zu, %zu bad)",
	   c.rows, c.bad);
	fclose(f);
}

int main(void)
{
	lang_set(KP_LANG_EN);
	test_read_good();
	test_read_bad();
	test_callback_stops();
	test_writer_bytes();
	test_writer_misc();
	test_writer_resume();
	test_restore();
	round_trip(0, "plain");
	round_trip(CSVW_EXCEL, "excel");
	round_trip(CSVW_GB18030 | CSVW_CRLF | CSVW_NEUTRALISE, "gb18030");
	test_file();
	test_stdin();
	test_write_error();
	test_many_rows();
	test_fuzz();
	test_header_map();
	test_stream_blocks();
	is_int(stream_differs, 0, "every input above read the same from a file");
	test_stream_thread();
	is_int(thread_differs, 0, "and the same parsed by a second thread");
	sbuf_free(&got);
	sbuf_free(&bg);
	return tap_done();
}
