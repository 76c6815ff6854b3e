/* add_csv.c - add --from-csv: the rows of a spreadsheet, all or none.
 *
 * The file is read a row at a time, each row made into a record and handed
 * to the ledger as it is read, inside its write transaction; the findings
 * are counted as they come (cli_findings.c) and the new ids printed from
 * the first once the rows are stored: memory holds one row, whatever the
 * size of the file.  The ledger may read the file again from its start
 * (ledger_add_rows), so a pipe is kept in a temporary file (csvio_open).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "array.h"
#include "check.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "text.h"

#define YEARLESS_MAX 4             /* date columns looked at */

struct csv_load {
	const struct form *form;
	const struct schema *schema;
	bool city;                  /* a city database: every row needs a township */
	const char *name;           /* file name for messages */
	const char *township;       /* --township */
	FILE *f;
	unsigned long long size;
	size_t date_col[YEARLESS_MAX];  /* the columns of date fields */
	size_t ndate_cols;
	const char **cols;          /* field id per column (the form's), or
	                             * "township" */
	size_t ncols;
	size_t township_col;        /* of "township", or ncols: none */
	bool header_told;           /* its problems were printed (once) */
	size_t line;                /* of the row being checked */
	size_t malformed;           /* rows refused before checking */
	size_t other_town;          /* of them, naming another than --township */
	size_t told;                /* malformed rows up to this line counted */
	bool failed;                /* the file itself failed (header, CSV) */
	struct record rec;
	ledger_push_fn push;
	void *pctx;
	size_t nbad;                /* rows with errors */
	struct cli_findings fs;
	/* What says whether the rows were added before (struct ledger_batch):
	 * the SHA-256 of the form, the --township given and the rows as read
	 * (decoded, without the BOM, whatever the line ends), so that the
	 * same spreadsheet saved again another way is the same; another form
	 * or township is another load.  The rows count as a set (the sum of
	 * each row's SHA-256, and their number): sorted again they are the
	 * same rows.  The digest of the rows in their order is what kepu
	 * kept before, looked for too. */
	crypto_hash_sha256_state hs;        /* the rows in their order */
	uint64_t sum[4];                    /* of each row's SHA-256 */
	uint64_t nhashed;                   /* rows in sum */
	/* Where the rows pushed began: row i on line at[k].line + (i -
	 * at[k].row) for the last k with at[k].row <= i.  A mark only where a
	 * row does not follow on the next line (a cell of several lines, a
	 * blank or refused line between): a few for most files. */
	size_t year_told;           /* rows up to this line warned of */
	struct progress {           /* on a terminal: rows read so far */
		bool on;                /* stderr is a terminal */
		bool shown;             /* a line is on the screen */
		long every_ms;
		struct timespec last;
	} pg;
	struct line_mark { size_t row, line; } *at;
	size_t nat, capat;
	size_t pushed;
	unsigned char digest[crypto_hash_sha256_BYTES];
	unsigned char digest_seq[crypto_hash_sha256_BYTES];
	bool again;                 /* --again */
	bool loaded;                /* refused: added before */
};

/* The field a header cell names: its id, or a label in either language
 * (as --set), or the township column (index nfields), looked for first. */
static int column_field(void *ctx, const char *cell)
{
	const struct form *f = ((const struct csv_load *)ctx)->form;
	const struct field *fd;

	/* The township column by its id or its name in the guide and the
	 * lists (镇（街道）, 镇街, Township). */
	if (strcmp(cell, "township") == 0 || strcmp(cell, "镇（街道）") == 0 ||
	    strcmp(cell, "镇街") == 0 || strcmp(cell, "Township") == 0)
		return (int)f->nfields;
	fd = schema_field_lookup(f, cell, SCHEMA_BY_ID | SCHEMA_BY_LABEL);
	return fd ? (int)(fd - f->fields) : CSVIO_UNKNOWN;
}

/* Columns that hold no field: a serial number (序号, No.), kept by
 * nearly every hand-made ledger, ignored; one with no name (the empty
 * columns a spreadsheet leaves at the right), taken while its cells are
 * empty. */
static const char SERIAL_COL[] = "#serial";
static const char BLANK_COL[] = "#blank";

static bool serial_column(const char *cell)
{
	return strcmp(cell, "序号") == 0 || strcasecmp(cell, "No.") == 0 ||
	       strcasecmp(cell, "No") == 0 || strcmp(cell, "#") == 0;
}

/* A header problem: said at once, and written to the findings file. */
static void header_problem(struct csv_load *ld, size_t line, const char *column,
                           const char *msg)
{
	if (ld->header_told)
		return;
	cli_msg("%s:%zu: %s\n", ld->name, line, msg);
	cli_findings_header(&ld->fs, line, column, msg);
}

static int read_header(struct csv_load *ld, size_t line, size_t nf, char **fields)
{
	const struct form *f = ld->form;
	struct csvio_header h;
	char hint[RECORD_NAME_MAX * 4];
	size_t i, bad = 0;
	int rc;

	for (i = 0; i < nf; i++)
		text_trim(fields[i]);
	if (nf == 1 && strchr(fields[0], '\t'))
		return kp_err_set(KP_E_DATA, LF("%s：表头用制表符分隔，不是逗号（这是“文本文件"
		                  "（制表符分隔）”）：请在 Excel 或 WPS 里另存为“CSV UTF-8（逗号分隔）”",
		                  "%s: the header is separated by tabs, not commas (a "
		                  "\"Text (Tab delimited)\" file): save it again from "
		                  "Excel or WPS as \"CSV UTF-8 (comma delimited)\""),
		                  ld->name);
	if ((rc = csvio_header_map(&h, fields, nf, f->nfields + 1, column_field,
	                           ld)) != KP_OK)
		return rc;
	free(ld->cols);
	if (!(ld->cols = calloc(nf ? nf : 1, sizeof *ld->cols))) {
		csvio_header_free(&h);
		return kp_err_nomem();
	}
	ld->ncols = nf;
	ld->township_col = nf;
	ld->ndate_cols = 0;
	for (i = 0; i < nf; i++) {
		int k = h.col[i];
		char msg[RECORD_NAME_MAX * 8];

		if (k == CSVIO_UNKNOWN && !fields[i][0]) {
			ld->cols[i] = BLANK_COL;
			continue;
		}
		if (k == CSVIO_UNKNOWN && serial_column(fields[i])) {
			ld->cols[i] = SERIAL_COL;
			continue;
		}
		if (k == CSVIO_UNKNOWN) {
			snprintf(msg, sizeof msg, LF("未知的列“%s”（表单 %s 没有这个字段）%s",
			         "unknown column '%s' (form %s has no such field)%s"),
			         fields[i], f->id,
			         cli_did_you_mean(f, fields[i], hint, sizeof hint));
			header_problem(ld, line, fields[i], msg);
			bad++;
		} else if (h.repeat[i]) {
			snprintf(msg, sizeof msg, LF("“%s”列重复", "column '%s' appears twice"),
			         fields[i]);
			header_problem(ld, line, fields[i], msg);
			bad++;
		}
		if (k != CSVIO_UNKNOWN)
			ld->cols[i] = (size_t)k < f->nfields ? f->fields[k].name
			              : "township";
		if (k != CSVIO_UNKNOWN && (size_t)k == f->nfields)
			ld->township_col = i;
		if (k != CSVIO_UNKNOWN && (size_t)k < f->nfields && !h.repeat[i] &&
		    f->fields[k].type == FT_DATE && ld->ndate_cols < YEARLESS_MAX)
			ld->date_col[ld->ndate_cols++] = i;
	}
	csvio_header_free(&h);
	if (ld->city && !ld->township && ld->township_col == nf) {
		header_problem(ld, line, "township", L("市级数据库要知道每一行是哪个镇（街道）的："
		               "请加 township（或“镇（街道）”）列，或用 --township 给出",
		               "a city database needs each row's township: add a "
		               "township column, or give --township"));
		bad++;
	}
	ld->header_told = true;
	if (bad)
		return kp_err_set(KP_E_DATA, LF("%s：表头有误，未保存",
		                  "%s: bad header line, nothing stored"), ld->name);
	return KP_OK;
}

/* A row refused before it is checked, for msg: counted (once however
 * often the file is read), and no row after it is checked. */
static int row_refused(struct csv_load *ld, size_t line, const char *msg)
{
	char where[4200];

	ld->malformed++;
	if (line <= ld->told)
		return KP_OK;
	ld->told = line;
	snprintf(where, sizeof where, "%s:%zu", ld->name, line);
	return cli_findings_malformed(&ld->fs, where, line, msg);
}

/* A row whose cells do not fit the header. */
static int malformed(struct csv_load *ld, size_t line, size_t nf)
{
	char msg[256];

	snprintf(msg, sizeof msg, LF("这一行有 %zu 列，表头有 %zu 列", nf == 1
	         ? "row has %zu field, the header has %zu"
	         : "row has %zu fields, the header has %zu"), nf, ld->ncols);
	return row_refused(ld, line, msg);
}

/* A value under a column with no name: whose it is, kepu cannot tell. */
static int blank_column(struct csv_load *ld, size_t line, size_t col,
                        const char *cell)
{
	char msg[RECORD_NAME_MAX * 4], sn[64];

	snprintf(sn, sizeof sn, "%s", cell);
	snprintf(msg, sizeof msg, LF("第 %zu 列没有列名，这一行却填了“%s”；"
	         "请在表头写上它是哪个字段，或删去这一列",
	         "column %zu has no name, and this row holds '%s' there: name "
	         "its field in the header, or remove the column"), col + 1, sn);
	return row_refused(ld, line, msg);
}

/* A township column that names another township than --township: which
 * one the clerk meant is not kepu's to guess. */
static int other_township(struct csv_load *ld, size_t line, const char *cell)
{
	char msg[512];

	snprintf(msg, sizeof msg, LF("这一行的镇（街道）是 %s，而 --township 是 %s",
	         "the row's township is %s, and --township is %s"),
	         cell, ld->township);
	ld->other_town++;
	return row_refused(ld, line, msg);
}

/* The row into the digests: its cells (each ended by \x1f, the row by
 * \x1e) into the running one, its own SHA-256 added to the sum. */
static void hash_row(struct csv_load *ld, size_t nf, char **fields,
                     const size_t *lens)
{
	crypto_hash_sha256_state rs;
	unsigned char d[crypto_hash_sha256_BYTES];
	size_t c, k;

	crypto_hash_sha256_init(&rs);
	for (c = 0; c < nf; c++) {
		crypto_hash_sha256_update(&ld->hs, (const unsigned char *)fields[c],
		                          lens[c]);
		crypto_hash_sha256_update(&ld->hs, (const unsigned char *)"\x1f", 1);
		crypto_hash_sha256_update(&rs, (const unsigned char *)fields[c],
		                          lens[c]);
		crypto_hash_sha256_update(&rs, (const unsigned char *)"\x1f", 1);
	}
	crypto_hash_sha256_update(&ld->hs, (const unsigned char *)"\x1e", 1);
	crypto_hash_sha256_final(&rs, d);
	for (k = 0; k < 4; k++)
		ld->sum[k] += store_from_be64(d + 8 * k);
	ld->nhashed++;
}

/* The digest of the rows as a set: form, township, the sum and count. */
static void digest_rows(struct csv_load *ld)
{
	crypto_hash_sha256_state hs;
	unsigned char b[8 * 5];
	size_t k;

	for (k = 0; k < 4; k++)
		store_be64(ld->sum[k], b + 8 * k);
	store_be64(ld->nhashed, b + 32);
	crypto_hash_sha256_init(&hs);
	crypto_hash_sha256_update(&hs, (const unsigned char *)"kepu rows\0", 10);
	crypto_hash_sha256_update(&hs, (const unsigned char *)ld->form->id,
	                          strlen(ld->form->id) + 1);
	if (ld->township)
		crypto_hash_sha256_update(&hs, (const unsigned char *)ld->township,
		                          strlen(ld->township));
	crypto_hash_sha256_update(&hs, (const unsigned char *)"", 1);
	crypto_hash_sha256_update(&hs, b, sizeof b);
	crypto_hash_sha256_final(&hs, ld->digest);
}

/* csvio_row_fn: the header, then each row as a record to the ledger. */
static int mark_line(struct csv_load *ld, size_t line)
{
	const struct line_mark *m = ld->nat ? &ld->at[ld->nat - 1] : NULL;

	if (m && m->line + (ld->pushed - m->row) == line)
		return KP_OK;
	if (array_grow(&ld->at, sizeof *ld->at, &ld->capat, ld->nat) != KP_OK)
		return kp_err_nomem();
	ld->at[ld->nat].row = ld->pushed;
	ld->at[ld->nat++].line = line;
	return KP_OK;
}

/* ledger_batch.row_line. */
static size_t row_line(void *sctx, size_t i)
{
	const struct csv_load *ld = sctx;
	size_t lo = 0, hi = ld->nat;

	while (hi - lo > 1) {          /* the last mark at or before row i */
		size_t mid = lo + (hi - lo) / 2;

		if (ld->at[mid].row <= i)
			lo = mid;
		else
			hi = mid;
	}
	return ld->nat && ld->at[lo].row <= i ? ld->at[lo].line + (i - ld->at[lo].row) : 0;
}

/* A file of many rows takes a while: on a terminal the rows read so
 * far, on one line rewritten about once a second (a few bytes a second
 * over SSH), then what is being done with them. */
static void progress_start(struct progress *pg)
{
	const char *e = getenv("KEPU_PROGRESS_MS");   /* tests */

	pg->on = isatty(STDERR_FILENO);
	pg->shown = false;
	pg->every_ms = e && *e ? strtol(e, NULL, 10) : 1000;
	clock_gettime(CLOCK_MONOTONIC, &pg->last);
}

static void progress_rows(struct progress *pg, size_t rows)
{
	struct timespec now;
	long ms;

	if (!pg->on || rows % 1024 != 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - pg->last.tv_sec) * 1000 +
	     (now.tv_nsec - pg->last.tv_nsec) / 1000000;
	if (ms < pg->every_ms)
		return;
	pg->last = now;
	pg->shown = true;
	/* Text of kepu's own: no need of cli_msg, which would show \r. */
	fprintf(stderr, LF("\rkepu: 已读 %zu 行……", "\rkepu: %zu rows read..."), rows);
}

/* The line left as it is (saying what comes next), or wiped. */
static void progress_end(struct progress *pg, const char *then)
{
	if (!pg->shown)
		return;
	if (then)
		fputs(then, stderr);
	else
		fprintf(stderr, "\r%60s\r", "");
	pg->shown = !!then;
}

/* A date written without its year ("5月3日", "3-5") takes this year's
 * (or that of the record's other date): what the clerk means on the
 * screen, a trap in a spreadsheet of an earlier year.  Such cells are
 * stored all the same, each with a warning saying the date taken. */
static bool has_year(const char *s)
{
	size_t run = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			run++;
		} else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
		           (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
			run++;                  /* a full-width digit */
			s += 2;
		} else {
			run = 0;
		}
		if (run >= 4)
			return true;
	}
	return false;
}

/* The date columns (found once, at the header) whose cell has no year. */
static size_t yearless_cells(const struct csv_load *ld, char **fields,
                             size_t *out)
{
	size_t i, n = 0;

	for (i = 0; i < ld->ndate_cols; i++) {
		const char *cell = fields[ld->date_col[i]];

		if (strpbrk(cell, "0123456789\xEF") && !has_year(cell))
			out[n++] = ld->date_col[i];
	}
	return n;
}

static int warn_yearless(struct csv_load *ld, size_t line, char **fields,
                         const size_t *cols, size_t n)
{
	char where[4200], msg[RECORD_NAME_MAX * 6];
	size_t i;
	int rc = KP_OK;

	snprintf(where, sizeof where, "%s:%zu", ld->name, line);
	for (i = 0; i < n && !rc; i++) {
		const char *iso = record_get(&ld->rec, ld->cols[cols[i]]);

		if (!iso || strlen(iso) != 10)
			continue;               /* refused: its error says why */
		snprintf(msg, sizeof msg, LF("“%s”没写年份，按 %s 录入；往年的表格请写上年份",
		         "'%s' has no year and was taken as %s; give the year in a "
		         "spreadsheet of an earlier year"), fields[cols[i]], iso);
		rc = cli_findings_warning(&ld->fs, where, line, ld->form,
		                          ld->cols[cols[i]], FK_DATE, msg);
	}
	return rc;
}

static bool all_empty(size_t nf, char **fields)
{
	size_t c;

	for (c = 0; c < nf; c++)
		if (fields[c][strspn(fields[c], " \t")])
			return false;
	return true;
}

static int read_row(void *ctx, size_t line, size_t nf, char **fields,
                    const size_t *lens)
{
	struct csv_load *ld = ctx;
	struct record *r = &ld->rec;
	const char *town;           /* the row's township cell, as an id */
	size_t c, yl[YEARLESS_MAX], nyl;
	int rc;

	hash_row(ld, nf, fields, lens);
	if (!ld->cols)
		return read_header(ld, line, nf, fields);
	if (all_empty(nf, fields))
		return KP_OK;    /* ",,,": a blank line as a spreadsheet saves it */
	if (nf != ld->ncols)
		return malformed(ld, line, nf);
	town = ld->township_col < nf && fields[ld->township_col][0] ?
	       cli_township_id(ld->schema, fields[ld->township_col]) : NULL;
	if (town && ld->township && strcmp(town, ld->township) != 0)
		return other_township(ld, line, fields[ld->township_col]);
	/* Rows after a malformed one are checked all the same: nothing will
	 * be stored, and the clerk mends every row in one go. */
	record_free(r);
	snprintf(r->form, sizeof r->form, "%s", ld->form->id);
	if (town || ld->township)
		snprintf(r->township, sizeof r->township, "%s",
		         town ? town : ld->township);
	for (c = 0; c < nf; c++) {
		if (!fields[c][0] || c == ld->township_col || ld->cols[c] == SERIAL_COL)
			continue;
		if (ld->cols[c] == BLANK_COL)
			return blank_column(ld, line, c, fields[c]);
		if ((rc = record_set(r, ld->cols[c], fields[c])) != KP_OK)
			return rc;
	}
	ld->line = line;
	if ((rc = mark_line(ld, line)) != KP_OK)
		return rc;
	ld->pushed++;
	progress_rows(&ld->pg, ld->pushed);
	nyl = yearless_cells(ld, fields, yl);
	if ((rc = ld->push(ld->pctx, r)) != KP_OK || !nyl || line <= ld->year_told)
		return rc;
	ld->year_told = line;
	return warn_yearless(ld, line, fields, yl, nyl);
}

/* ledger_source_fn: the file from its first row. */
static int read_rows(void *sctx, ledger_push_fn push, void *pctx)
{
	struct csv_load *ld = sctx;
	int rc;

	ld->push = push;
	ld->pctx = pctx;
	ld->malformed = ld->other_town = 0;
	free(ld->cols);
	ld->cols = NULL;
	ld->nat = ld->pushed = 0;
	if (fseeko(ld->f, 0, SEEK_SET) != 0)
		return kp_err_set(KP_E_IO, LF("%s: 读取失败：%s", "%s: read error: %s"),
		                  ld->name, fs_errno_text(errno));
	crypto_hash_sha256_init(&ld->hs);
	crypto_hash_sha256_update(&ld->hs, (const unsigned char *)ld->form->id,
	                          strlen(ld->form->id) + 1);
	if (ld->township)
		crypto_hash_sha256_update(&ld->hs, (const unsigned char *)ld->township,
		                          strlen(ld->township));
	crypto_hash_sha256_update(&ld->hs, (const unsigned char *)"", 1);
	memset(ld->sum, 0, sizeof ld->sum);
	ld->nhashed = 0;
	progress_start(&ld->pg);
	rc = csvio_read_stream_bg(ld->name, ld->f, ld->size, NULL, read_row, ld);
	progress_end(&ld->pg, rc == KP_OK ? L("已读完，正在检查和保存……",
	             " all read; checking and storing...") : NULL);
	crypto_hash_sha256_final(&ld->hs, ld->digest_seq);
	digest_rows(ld);
	/* push fails only for the database's own reasons (kp_err says),
	 * never because of a row: the rest is the file's. */
	if (rc == KP_OK && !ld->cols)
		rc = kp_err_set(KP_E_DATA, LF("%s 是空的：没有表头",
		                "%s is empty: no header line"), ld->name);
	else if (rc == KP_OK && ld->other_town == ld->malformed && ld->malformed)
		rc = kp_err_set(KP_E_DATA, LF("%s：%zu 行的镇（街道）不是 --township 给的 %s，"
		                "一条也未保存；请改正 township 列，或不加 --township",
		                ld->malformed == 1 ? "%s: %zu row names another township "
		                "than --township %s; nothing stored: mend the township "
		                "column, or leave --township out"
		                : "%s: %zu rows name another township than --township "
		                "%s; nothing stored: mend the township column, or "
		                "leave --township out"), ld->name, ld->malformed,
		                ld->township);
	else if (rc == KP_OK && ld->malformed && ld->nbad)
		rc = kp_err_set(KP_E_DATA, LF("%s：%zu 行格式有误，%zu 行有错误，一条也未保存",
		                ld->malformed == 1 ? "%s: %zu row is malformed, %zu "
		                "with errors; nothing stored" : "%s: %zu rows are "
		                "malformed, %zu with errors; nothing stored"),
		                ld->name, ld->malformed, ld->nbad);
	else if (rc == KP_OK && ld->malformed)
		rc = kp_err_set(KP_E_DATA, LF("%s：%zu 行格式有误，一条也未保存",
		                ld->malformed == 1 ? "%s: %zu row is malformed; nothing stored"
		                : "%s: %zu rows are malformed; nothing stored"),
		                ld->name, ld->malformed);
	ld->failed = rc == KP_E_DATA || rc == KP_E_IO || rc == KP_E_NOINPUT;
	return rc;
}

/* ledger_found_fn: the row just pushed. */
static int found_row(void *ctx, size_t i, const struct check_result *res)
{
	struct csv_load *ld = ctx;
	char where[4200];

	(void)i;
	if (check_has_errors(res))
		ld->nbad++;
	snprintf(where, sizeof where, "%s:%zu", ld->name, ld->line);
	return cli_findings_add(&ld->fs, where, ld->line, ld->form, res);
}

/* The new ids, one a line, for a script or a file; on a terminal (a slow
 * SSH link: fifty thousand lines) more than a few are said as their
 * range. */
#define IDS_ON_TERMINAL 10

static void print_ids(const char *first, size_t n)
{
	char id[RECORD_ID_LEN + 1];
	size_t i;

	if (n > IDS_ON_TERMINAL && isatty(STDOUT_FILENO)) {
		record_id_add(first, n - 1, id);
		cli_msg(LF("kepu: 新记录的编号从 %s 到 %s（标准输出不是终端时逐个列出）\n",
		           "kepu: the new records' ids run from %s to %s (listed one "
		           "a line when standard output is not a terminal)\n"), first, id);
		return;
	}

	for (i = 0; i < n; i++) {
		record_id_add(first, i, id);
		printf("%s\n", id);
	}
}

/* Stopped by a signal (cli_catch_stops): the transaction was not
 * committed, so nothing of the file is in the database. */
static int stopped(const struct csv_load *ld)
{
	cli_msg(LF("kepu: %s；%s 中的记录一条也未保存\n",
	           "kepu: %s; nothing from %s was stored\n"), kp_err_msg(),
	        ld->name);
	return KP_E_INTR;
}

static int store_rows(struct ledger *lg, struct csv_load *ld)
{
	struct ledger_batch b = { read_rows, ld, ld->size, found_row, ld,
	                          ld->digest, ld->again, &ld->loaded, ld->name,
	                          ld->digest_seq, row_line };
	struct check_result total;
	char first[RECORD_ID_LEN + 1];
	size_t n = 0;
	int rc;

	check_result_init(&total);
	ld->failed = false;
	rc = ledger_add_rows(lg, &b, &total, first, &n);
	if (ld->pg.shown)
		fputc('\n', stderr);
	if (rc == KP_OK) {
		print_ids(first, n);
		cli_findings_print(&ld->fs, false, false);
		/* In Chinese the form as the clerk knows it, in English the
		 * id typed. */
		cli_msg(LF("kepu: 添加了 %zu 条「%s」记录（来自 %s）\n", n == 1
		           ? "kepu: added %zu %s record from %s\n"
		           : "kepu: added %zu %s records from %s\n"),
		        n, lang_get() == KP_LANG_EN ? ld->form->id :
		        form_label(ld->form), ld->name);
		cli_print_impacts(&total);
		cli_say_late_stop();
	} else if (rc == KP_E_INTR) {
		rc = stopped(ld);
	} else if (rc == KP_E_DATA && ld->loaded) {
		cli_msg(LF("kepu: %s：%s\n", "kepu: %s: %s\n"), ld->name, kp_err_msg());
		cli_msg("%s", L("kepu: 如确需再导入一次，请加 --again\n",
		                "kepu: to add it again all the same, use --again\n"));
		rc = kp_exit_code(rc);
	} else if (rc == KP_E_DATA && ld->malformed) {
		cli_findings_print(&ld->fs, true, false);
		rc = cli_fail(rc);
	} else if (rc == KP_E_DATA && ld->nbad && !ld->failed) {
		cli_findings_print(&ld->fs, true, false);
		cli_msg(LF("kepu: %s：%zu 行有错误，一条也未保存\n", ld->nbad == 1
		           ? "kepu: %s: %zu row has errors; nothing stored\n"
		           : "kepu: %s: %zu rows have errors; nothing stored\n"),
		        ld->name, ld->nbad);
		rc = kp_exit_code(rc);
	} else {
		rc = cli_fail(rc);
	}
	check_result_free(&total);
	return rc;
}

int cli_add_csv(struct ledger *lg, const struct form *f, const char *csv,
                const char *findings, const char *township, bool again)
{
	struct csv_load ld = { .form = f, .schema = lg->schema,
	                       .city = lg->mode == LEDGER_CITY_MODE,
	                       .township = township };
	int rc, rc2;

	ld.name = strcmp(csv, "-") == 0 ? L("标准输入", "stdin") : csv;
	record_init(&ld.rec);
	if ((rc = csvio_open(csv, &ld.f, &ld.size)) != KP_OK)
		return cli_fail(rc);
	ld.again = again;
	if ((rc = cli_findings_open(&ld.fs, findings)) != KP_OK) {
		fclose(ld.f);
		return cli_fail(rc);
	}
	rc = store_rows(lg, &ld);
	if ((rc2 = cli_findings_close(&ld.fs)) != KP_OK && rc == 0)
		rc = cli_fail(rc2);
	fclose(ld.f);
	record_free(&ld.rec);
	free(ld.cols);
	free(ld.at);
	return rc;
}
