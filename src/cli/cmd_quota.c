/* cmd_quota.c - quota: import the quotas from a CSV file, show them, and
 * (in the city database) export them as a signed quota bundle. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "quota.h"
#include "schema.h"

static const char quota_help_zh[] =
	"用法：kepu quota import 文件\n"
	"      kepu quota show [--year 年度] [--csv | --excel]\n"
	"      kepu quota export ...（见 kepu quota export --help）\n"
	"导入或查看各镇（街道）的指标任务。任务文件为 CSV，表头\n"
	"year,township,indicator,target[,note]；全规划期的指标，year 写 2021-2025\n"
	"或 plan。导入的行替换同年同镇同指标的已有任务。镇（街道）数据库只导入\n"
	"本镇的行，其他镇的行略过。\n";
static const char quota_help_en[] =
	"Usage: kepu quota import FILE\n"
	"       kepu quota show [--year Y] [--csv | --excel]\n"
	"       kepu quota export ...   (see kepu quota export --help)\n"
	"Import or show the townships' quotas.  A quota file is CSV with the\n"
	"header year,township,indicator,target[,note]; for an indicator counted\n"
	"over the whole plan, year is 2021-2025 or plan.  Imported rows replace\n"
	"the quotas of the same year, township and indicator.  A township\n"
	"database takes only its own rows and skips the other townships'.\n";

/* A township database keeps only its own quotas, so that the city's whole
 * list can be given to every township; a file with none of them is a
 * mistake (the wrong township's file). */
static int own_quotas(struct ledger *lg, const char *path,
                      struct quota_row *rows, size_t *n, size_t *other)
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++)
		if (strcmp(rows[i].township, lg->township) == 0)
			rows[kept++] = rows[i];
	*other = *n - kept;
	if (*n && !kept)
		return kp_err_set(KP_E_DATA, LF("%s：全是其他镇（街道）的任务，没有本库（%s）的",
		                  "%s: every row is for another township, none for %s (this database)"),
		                  path, lg->township);
	*n = kept;
	return KP_OK;
}

/* Every problem of a quota file on its own line, as add --from-csv does;
 * the rows with problems are counted for the last line (line 0 is the
 * file's own problem: empty, or not CSV from there on). */
struct quota_problems {
	size_t n;
	size_t rows;              /* rows with a problem in a cell */
	size_t whole;             /* problems of the file itself */
	size_t last_line;
};

static void quota_problem(void *ctx, size_t line, const char *msg)
{
	struct quota_problems *p = ctx;

	p->n++;
	if (!line)
		p->whole++;
	else if (line != p->last_line)
		p->rows++;
	p->last_line = line;
	cli_msg("%s\n", msg);
}

static int quota_import(struct cli *c, int argc, char **argv)
{
	struct quota_problems qp = { 0, 0, 0, 0 };
	struct quota_row *rows = NULL;
	struct ledger *lg;
	size_t n = 0, other = 0;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return cli_help(L(quota_help_zh, quota_help_en));
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("quota import", L("需要一个任务文件", "needs one FILE"));
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = quota_check_file(lg->schema, argv[1], quota_problem, &qp, &rows, &n);
	if (rc == KP_E_DATA && qp.n) {
		/* Malformed CSV after bad rows is one more bad row; alone, or
		 * an empty file, it is the file's problem, said already. */
		if (qp.rows)
			qp.rows += qp.whole;
		if (qp.rows)
			cli_msg(LF("kepu: %s：%zu 行有错误，一条任务也未导入\n", qp.rows == 1
			           ? "kepu: %s: %zu row has errors; no quota stored\n"
			           : "kepu: %s: %zu rows have errors; no quota stored\n"),
			        argv[1], qp.rows);
		else
			cli_msg(LF("kepu: %s：一条任务也未导入\n",
			           "kepu: %s: no quota stored\n"), argv[1]);
		rc = KP_E_DATA;
		goto out;
	}
	if (rc == KP_OK && lg->mode != LEDGER_CITY_MODE)
		rc = own_quotas(lg, argv[1], rows, &n, &other);
	if (rc == KP_OK)
		rc = ledger_set_quotas(lg, rows, n);
	if (rc == KP_OK) {
		printf(LF("已导入 %zu 条指标任务（来自 %s）\n", n == 1
		          ? "imported %zu quota from %s\n"
		          : "imported %zu quotas from %s\n"), n, argv[1]);
		if (other)
			cli_msg(LF("kepu: 略过 %zu 行其他镇（街道）的任务\n", other == 1
			           ? "kepu: skipped %zu row for other townships\n"
			           : "kepu: skipped %zu rows for other townships\n"), other);
	}
	rc = rc == KP_OK ? 0 : cli_fail(rc);
out:
	free(rows);
	ledger_close(lg);
	return rc;
}

struct quota_view {
	struct ledger *lg;
	struct csvw w;
	bool csv;
	int year;
	size_t n;
};

static void quota_line(struct quota_view *v, const char *town, const char *label,
                       const struct indicator *ind)
{
	char yb[32], num[32];
	double target;

	if (ledger_quota(v->lg, v->year, town, ind->id, &target) != KP_OK)
		return;
	v->n++;
	if (ind->period == PERIOD_PLAN)
		snprintf(yb, sizeof yb, "%d-%d", ind->plan->first_year,
		         ind->plan->last_year);
	else
		snprintf(yb, sizeof yb, "%d", v->year);
	cli_num(target, num);
	if (v->csv) {
		const char *row[] = { yb, town, ind->id, num };
		csvw_row(&v->w, 4, row);
		return;
	}
	cli_put_cell(stdout, yb, 11);
	cli_put_cell(stdout, label, 17);
	cli_put_cell(stdout, indicator_label(ind), 42);
	printf("%10s %s\n", num, L(ind->unit_zh, ind->unit_en));
}

static int quota_show(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "year", "township", "indicator", "target" };
	struct cli_view o = { 0 };
	struct quota_view v = { 0 };
	const struct township *towns[128];
	const struct plan *p;
	size_t nt, i, j;
	int rc;

	rc = cli_view_parse("quota show", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(quota_help_zh, quota_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &v.lg)))
		return rc;
	if ((rc = cli_view_year("quota show", v.lg, &o.year)))
		goto out;
	v.year = (int)o.year;
	v.csv = o.csv != 0;
	if (v.csv) {
		csvw_begin(&v.w, stdout, (unsigned)(o.csv - 1));
		csvw_row(&v.w, 4, head);
	} else {
		cli_put_cell(stdout, L("年度", "year"), 11);
		cli_put_cell(stdout, L("镇（街道）", "township"), 17);
		cli_put_cell(stdout, L("指标", "indicator"), 42);
		printf("%s\n", L("      任务", "    target"));
	}
	nt = ledger_townships(v.lg, towns, sizeof towns / sizeof towns[0]);
	p = schema_plan_of_year(v.lg->schema, v.year);
	for (i = 0; i < nt; i++)
		for (j = 0; j < p->nindicators; j++)
			quota_line(&v, towns[i]->id, township_label(towns[i]),
			           p->indicators[j]);
	if (v.lg->mode == LEDGER_CITY_MODE)
		for (j = 0; j < p->nindicators; j++)
			quota_line(&v, LEDGER_CITY, L("全市", "city"), p->indicators[j]);
	if (v.csv && (rc = csvw_finish(&v.w)) != KP_OK)
		rc = cli_fail(rc);
	else if (!v.csv && !v.n)
		printf(LF("%ld 年尚未设定指标任务（kepu quota import 文件）\n",
		          "no quotas set for %ld (kepu quota import FILE)\n"), o.year);
out:
	ledger_close(v.lg);
	return rc;
}

static const char qexport_help_zh[] =
	"用法：kepu quota export --out 文件夹 [--township 镇代码] [--encoding 编码]\n"
	"（市级数据库）把各镇（或一个镇）的指标任务写成签名的任务数包，\n"
	"镇里用 kepu import 导入。\n";
static const char qexport_help_en[] =
	"Usage: kepu quota export --out DIR [--township ID] [--encoding ENC]\n"
	"(City database) write the quotas of every township (or of one) as a\n"
	"signed quota bundle, which townships load with kepu import.\n";

static const struct option qexport_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "township", required_argument, NULL, 't' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, an exit code, or -1 for --help. */
static int qexport_parse(int argc, char **argv, struct bundle_export_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":o:t:e:h", qexport_opts,
	                         NULL)) != -1) {
		switch (ch) {
		case 'o': o->out_dir = optarg; break;
		case 't': o->township = optarg; break;
		case 'e':
			if ((rc = cli_parse_encoding("quota export", optarg,
			                             &o->gb18030)))
				return rc;
			break;
		case 'h': return -1;
		default: return cli_bad_option("quota export", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("quota export", L("多余的参数", "unexpected argument"));
	if (!o->out_dir)
		return cli_usage_error("quota export", L("需要 --out 文件夹", "needs --out DIR"));
	return 0;
}

/* The city's quotas as a signed bundle (bundle_quota_export) for the
 * townships to import. */
static int quota_export(struct cli *c, int argc, char **argv)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct ledger *lg;
	int rc;

	rc = qexport_parse(argc, argv, &o);
	if (rc < 0)
		return cli_help(L(qexport_help_zh, qexport_help_en));
	if (rc || (rc = cli_out_folder(o.out_dir)) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = bundle_quota_export(lg, &o, &r);
	cli_print_notes(r.notes, r.nnotes);
	if (rc != KP_OK)
		rc = cli_fail(rc);
	else
		printf(LF("已写出 %s：%zu 条任务数\n", r.rows == 1
		          ? "wrote %s: %zu quota\n" : "wrote %s: %zu quotas\n"),
		       r.path, r.rows);
	bundle_export_result_free(&r);
	ledger_close(lg);
	return rc;
}

int cmd_quota(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return cli_usage_error("quota", L("需要 import、show 或 export",
			                                  "needs import, show or export"));
		return cli_help(L(quota_help_zh, quota_help_en));
	}
	if (strcmp(argv[1], "import") == 0)
		return quota_import(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return quota_show(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return quota_export(c, argc - 1, argv + 1);
	return cli_usage_error("quota", L("需要 import、show 或 export",
	                                  "needs import, show or export"));
}
