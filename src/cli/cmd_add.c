/* cmd_add.c - adding records: one from --set, or many from a CSV file. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "check.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"
#include "stop.h"
#include "text.h"

static const char add_help_zh[] =
	"用法：kepu add 表单 --set 字段=值 [--set 字段=值 ...] [--township 镇代码]\n"
	"      kepu add 表单 --from-csv 文件 [--township 镇代码]\n"
	"新增记录（表单见下）。\n"
	"每条记录先按表单规则检查：有错误时一条也不保存（退出码 65），错误逐条列在\n"
	"标准错误上；成功时在标准输出打印新记录的编号，警告和指标进度打印在标准错误上。\n\n"
	"  --set F=V       字段 F 的值为 V（可重复；值中可以有“=”）。F 可写字段名或\n"
	"                  中文、英文标签，如 --set 日期=2025-03-05\n"
	"  --from-csv FILE 从 CSV 文件（“-”为标准输入）读入多条记录：第一行是字段名\n"
	"                  （或中文、英文标签），其余每行一条记录；全部无误才\n"
	"                  一起保存。\n"
	"                  接受 UTF-8（带或不带 BOM）和 GB18030，CRLF 或 LF 换行。\n"
	"  --township ID   记录所属的镇（街道）（市级数据库需要；也可用 township 列）\n";
static const char add_help_en[] =
	"Usage: kepu add FORM --set FIELD=VALUE [--set FIELD=VALUE ...] [--township ID]\n"
	"       kepu add FORM --from-csv FILE [--township ID]\n"
	"Add records (the forms are listed below).  Every record is checked\n"
	"against the form's rules first: on any error nothing is stored (exit 65)\n"
	"and every error is listed on stderr; on success the new ids are printed on\n"
	"stdout, warnings and the quota progress on stderr.\n\n"
	"  --set F=V       field F has value V (repeatable; V may contain '=');\n"
	"                  F is the field's id or its Chinese or English label,\n"
	"                  e.g. --set 日期=2025-03-05\n"
	"  --from-csv FILE read records from a CSV file ('-' for stdin): the first\n"
	"                  line names the fields (ids, or Chinese or English\n"
	"                  labels), every other line is a record; all are\n"
	"                  stored, or none.  UTF-8 with or without BOM, or\n"
	"                  GB18030; CRLF or LF.\n"
	"  --township ID   the records' township (city databases; a township\n"
	"                  column does the same per row)\n";

struct add_opts {
	const char *form;
	const char *township;
	const char *csv;
	struct record rec;      /* the --set values */
	size_t nsets;
};

static const struct option add_long[] = {
	{ "set", required_argument, NULL, 's' },
	{ "township", required_argument, NULL, 't' },
	{ "from-csv", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, an exit code, or -1 for --help. */
static int add_parse(int argc, char **argv, struct add_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", add_long, NULL)) != -1) {
		switch (ch) {
		case 's':
			if ((rc = cli_parse_set("add", optarg, &o->rec)))
				return rc;
			o->nsets++;
			break;
		case 't': o->township = optarg; break;
		case 'f': o->csv = optarg; break;
		case 'h': return -1;
		default: return cli_bad_option("add", ch, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("add", L("需要表单名（见 kepu add --help）",
		                                "needs a FORM (see kepu add --help)"));
	o->form = argv[optind];
	if (optind + 1 < argc)
		return cli_usage_error("add", L("多余的参数", "unexpected argument"));
	if (!o->csv == !o->nsets)
		return cli_usage_error("add", L("需要 --set 或 --from-csv（二选一）",
		                                "needs either --set or --from-csv"));
	return 0;
}

static void print_warnings(const char *where, const struct check_result *res)
{
	struct check_result w = { 0 };
	size_t i;

	/* cli_print_findings prints all; show warnings only */
	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].sev == SEV_WARNING) {
			w.findings = &res->findings[i];
			w.nfindings = 1;
			cli_print_findings(where, NULL, &w);
		}
}

static int add_one(struct ledger *lg, struct add_opts *o, const struct form *f)
{
	struct check_result res;
	size_t n;
	int rc;

	check_result_init(&res);
	if ((rc = schema_record_ids(f, &o->rec)) != KP_OK) {
		rc = cli_fail(rc);
		goto out;
	}
	snprintf(o->rec.form, sizeof o->rec.form, "%s", o->form);
	if (o->township)
		snprintf(o->rec.township, sizeof o->rec.township, "%s", o->township);
	rc = ledger_add(lg, &o->rec, &res);
	if (rc == KP_OK) {
		printf("%s\n", o->rec.id);
		print_warnings(NULL, &res);
		cli_print_impacts(&res);
	} else if (rc == KP_E_DATA && check_has_errors(&res)) {
		cli_print_findings(NULL, f, &res);
		n = check_count(&res, SEV_ERROR);
		cli_msg(LF("kepu: %zu 处错误，未保存\n", n == 1
		           ? "kepu: %zu error, nothing stored\n"
		           : "kepu: %zu errors, nothing stored\n"), n);
	} else {
		rc = cli_fail(rc);
	}
out:
	check_result_free(&res);
	return kp_exit_code(rc);
}

/* ---- --from-csv ---------------------------------------------------------- */

/* The rows are kept as the CSV gave them, NUL-terminated cells back to
 * back (about the size of the file), and made into a record one at a time
 * while they are checked and stored. */
struct csv_load {
	const struct form *form;
	const char *name;           /* file name for messages */
	const char *township;       /* --township */
	const char **cols;          /* field id per column (the form's), or
	                             * "township" */
	size_t ncols;
	struct sbuf cells;
	size_t *off;                /* row -> its first cell in cells */
	size_t *lines;
	size_t n, cap;
	size_t bad;                 /* rows refused before checking */
	char (*ids)[RECORD_ID_LEN + 1];  /* the new ids */
	bool ids_printed;
	size_t nbad;                /* rows with errors */
};

/* The field a header cell names: its id, or a label in either language
 * (as --set), or the township column (index nfields). */
static int column_field(void *ctx, const char *cell)
{
	const struct form *f = ((const struct csv_load *)ctx)->form;
	const struct field *fd;

	if (strcmp(cell, "township") == 0)
		return (int)f->nfields;
	fd = schema_field_lookup(f, cell, SCHEMA_BY_ID | SCHEMA_BY_LABEL);
	return fd ? (int)(fd - f->fields) : CSVIO_UNKNOWN;
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
	if ((rc = csvio_header_map(&h, fields, nf, f->nfields + 1, column_field,
	                           ld)) != KP_OK)
		return rc;
	if (!(ld->cols = calloc(nf ? nf : 1, sizeof *ld->cols))) {
		csvio_header_free(&h);
		return kp_err_nomem();
	}
	ld->ncols = nf;
	for (i = 0; i < nf; i++) {
		int k = h.col[i];

		if (k == CSVIO_UNKNOWN) {
			cli_msg(LF("%s:%zu: 未知的列“%s”（表单 %s 没有这个字段）%s\n",
			           "%s:%zu: unknown column '%s' (form %s has no such field)%s\n"),
			        ld->name, line, fields[i], f->id,
			        cli_did_you_mean(f, fields[i], hint, sizeof hint));
			bad++;
		} else if (h.repeat[i]) {
			cli_msg(LF("%s:%zu: “%s”列重复\n",
			           "%s:%zu: column '%s' appears twice\n"),
			        ld->name, line, fields[i]);
			bad++;
		}
		if (k != CSVIO_UNKNOWN)
			ld->cols[i] = (size_t)k < f->nfields ? f->fields[k].name
			              : "township";
	}
	csvio_header_free(&h);
	if (bad)
		return kp_err_set(KP_E_DATA, LF("%s：表头有误，未保存",
		                  "%s: bad header line, nothing stored"), ld->name);
	return KP_OK;
}

static int read_row(void *ctx, size_t line, size_t nf, char **fields,
                    const size_t *lens)
{
	struct csv_load *ld = ctx;
	size_t i;
	int rc;

	if (!ld->cols)
		return read_header(ld, line, nf, fields);
	if ((rc = stop_point()) != KP_OK)
		return rc;
	if (nf != ld->ncols) {
		cli_msg(LF("%s:%zu: 这一行有 %zu 列，表头有 %zu 列\n", nf == 1
		           ? "%s:%zu: row has %zu field, the header has %zu\n"
		           : "%s:%zu: row has %zu fields, the header has %zu\n"),
		        ld->name, line, nf, ld->ncols);
		ld->bad++;
		return KP_OK;
	}
	if ((rc = array_grow2(&ld->off, sizeof *ld->off, &ld->lines,
	                      sizeof *ld->lines, &ld->cap, ld->n)) != KP_OK)
		return rc;
	ld->off[ld->n] = ld->cells.len;
	ld->lines[ld->n++] = line;
	for (i = 0; i < nf; i++)
		if ((rc = sbuf_add(&ld->cells, fields[i], strlen(fields[i]) + 1)))
			return rc;
	(void)lens;
	return KP_OK;
}

/* ledger_row_fn: row i as a record, the way it was read. */
static int make_row(void *ctx, size_t i, struct record *r)
{
	struct csv_load *ld = ctx;
	const char *cell = ld->cells.s + ld->off[i];
	size_t c;
	int rc;

	record_free(r);
	snprintf(r->form, sizeof r->form, "%s", ld->form->id);
	if (ld->township)
		snprintf(r->township, sizeof r->township, "%s", ld->township);
	for (c = 0; c < ld->ncols; cell += strlen(cell) + 1, c++) {
		if (!cell[0])
			continue;
		if (strcmp(ld->cols[c], "township") == 0)
			snprintf(r->township, sizeof r->township, "%s", cell);
		else if ((rc = record_set(r, ld->cols[c], cell)) != KP_OK)
			return rc;
	}
	return KP_OK;
}

static void load_free(struct csv_load *ld)
{
	sbuf_free(&ld->cells);
	free(ld->ids);
	free(ld->off);
	free(ld->lines);
	free(ld->cols);
}

/* Sum the impacts of all rows per (indicator, year).  The progress before
 * the file is the first row's achieved minus its delta, whether or not
 * the ledger counts earlier rows of the same batch in later rows' impact
 * (ledger_add_rows gives them already added up: one result). */
static void print_total_impacts(const struct check_result *res, size_t n)
{
	struct check_result sum = { 0 };
	struct impact agg[64];
	size_t i, j, k, na = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < res[i].nimpacts; j++) {
			const struct impact *im = &res[i].impacts[j];
			for (k = 0; k < na; k++)
				if (agg[k].ind == im->ind && agg[k].year == im->year)
					break;
			if (k == na) {
				if (na == sizeof agg / sizeof agg[0])
					continue;
				agg[na] = *im;
				agg[na].achieved = im->achieved - im->delta;
				agg[na++].delta = 0;
			}
			agg[k].delta += im->delta;
			agg[k].achieved += im->delta;
			agg[k].target = im->target;
			agg[k].has_target = im->has_target;
		}
	sum.impacts = agg;
	sum.nimpacts = na;
	cli_print_impacts(&sum);
}

static void print_ids(struct csv_load *ld)
{
	size_t i;

	if (ld->ids_printed)
		return;
	for (i = 0; i < ld->n; i++)
		printf("%s\n", ld->ids[i]);
	ld->ids_printed = true;
}

/* ledger_found_fn: on failure the rows with errors, all their findings;
 * once stored, the ids first, then the warnings. */
static int print_row(void *ctx, size_t i, const struct check_result *res,
                     bool stored)
{
	struct csv_load *ld = ctx;
	char where[4200];

	if (!stored && !check_has_errors(res))
		return KP_OK;
	if (stored)
		print_ids(ld);
	else
		ld->nbad++;
	snprintf(where, sizeof where, "%s:%zu", ld->name, ld->lines[i]);
	if (stored)
		print_warnings(where, res);
	else
		cli_print_findings(where, ld->form, res);
	return KP_OK;
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
	struct check_result total;
	int rc;

	ld->ids = malloc((ld->n ? ld->n : 1) * sizeof *ld->ids);
	if (!ld->ids)
		return cli_fail(kp_err_nomem());
	check_result_init(&total);
	rc = ledger_add_rows(lg, ld->n, make_row, ld, print_row, ld, &total,
	                     ld->ids);
	if (rc == KP_OK) {
		print_ids(ld);
		cli_msg(LF("kepu: 添加了 %zu 条 %s 记录（来自 %s）\n", ld->n == 1
		           ? "kepu: added %zu %s record from %s\n"
		           : "kepu: added %zu %s records from %s\n"),
		        ld->n, ld->form->id, ld->name);
		print_total_impacts(&total, 1);
		cli_say_late_stop();
	} else if (rc == KP_E_INTR) {
		rc = stopped(ld);
	} else if (rc == KP_E_DATA && ld->nbad) {
		cli_msg(LF("kepu: %s：%zu 行有错误，一条也未保存\n", ld->nbad == 1
		           ? "kepu: %s: %zu row has errors; nothing stored\n"
		           : "kepu: %s: %zu rows have errors; nothing stored\n"),
		        ld->name, ld->nbad);
	} else {
		rc = cli_fail(rc);
	}
	check_result_free(&total);
	return kp_exit_code(rc);
}

static int add_csv(struct ledger *lg, struct add_opts *o, const struct form *f)
{
	struct csv_load ld = { .form = f, .township = o->township };
	int rc;

	ld.name = strcmp(o->csv, "-") == 0 ? L("标准输入", "stdin") : o->csv;
	rc = csvio_read_file(o->csv, read_row, &ld);
	if (rc == KP_E_INTR) {
		rc = stopped(&ld);
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else if (!ld.cols) {
		cli_msg(LF("kepu: %s 是空的：没有表头\n",
		           "kepu: %s is empty: no header line\n"), ld.name);
		rc = KP_E_DATA;
	} else if (ld.bad) {
		cli_msg(LF("kepu: %s：%zu 行格式有误，一条也未保存\n", ld.bad == 1
		           ? "kepu: %s: %zu row is malformed; nothing stored\n"
		           : "kepu: %s: %zu rows are malformed; nothing stored\n"),
		        ld.name, ld.bad);
		rc = KP_E_DATA;
	} else {
		rc = store_rows(lg, &ld);
	}
	load_free(&ld);
	return rc;
}

int cmd_add(struct cli *c, int argc, char **argv)
{
	struct add_opts o = { 0 };
	struct ledger *lg = NULL;
	const struct form *f;
	int rc;

	record_init(&o.rec);
	rc = add_parse(argc, argv, &o);
	if (rc < 0) {
		rc = cli_help(L(add_help_zh, add_help_en));
		cli_print_forms(c, stdout);
		goto out;
	}
	if (rc)
		goto out;
	if (o.csv)
		cli_catch_stops();
	if ((rc = cli_open_ledger(c, false, &lg)))
		goto out;
	f = cli_form("add", lg, o.form);
	if (!f)
		rc = KP_E_USAGE;
	else if (o.csv)
		rc = add_csv(lg, &o, f);
	else
		rc = add_one(lg, &o, f);
	ledger_close(lg);
out:
	record_free(&o.rec);
	return rc;
}
