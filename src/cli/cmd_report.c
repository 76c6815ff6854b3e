/* cmd_report.c - progress against quotas: report, quota, survey. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "quota.h"
#include "report.h"
#include "schema.h"

/* --year Y, --csv, --excel and --help: what report, quota show and survey
 * show accept. */
struct view_opts {
	long year;
	int csv;                  /* 0, or csvw flags + 1 */
};

static const struct option view_long[] = {
	{ "year", required_argument, NULL, 'y' },
	{ "csv", no_argument, NULL, 'c' },
	{ "excel", no_argument, NULL, 'x' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* 0, an exit code, or -1 for --help. */
static int view_parse(const char *cmd, int argc, char **argv, struct view_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", view_long, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((rc = cli_parse_long(cmd, "--year", optarg, 1900, 9999, &o->year)))
				return rc;
			break;
		case 'c': o->csv = 1; break;
		case 'x': o->csv = CSVW_EXCEL + 1; break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, L("多余的参数", "unexpected argument"));
	return 0;
}

static int year_check(struct ledger *lg, const char *cmd, long *year)
{
	if (!*year)
		*year = lg->year;
	return cli_year_check(cmd, lg, *year);
}

static const char report_help_zh[] =
	"用法：kepu report [--year 年度] [--csv | --excel]\n"
	"各镇（街道）各项指标的任务、完成数、完成率、按时间应完成数和进度状态。\n"
	"市级数据库中每个镇每项指标一行，另有全市合计各一行。\n\n"
	"  --year Y        报告年度（默认：工作年度）\n"
	"  --csv           CSV：year,township,indicator,unit,target,achieved,\n"
	"                  percent,expected,status\n"
	"  --excel         供 Excel/WPS 打开的 CSV（BOM、CRLF）\n";
static const char report_help_en[] =
	"Usage: kepu report [--year Y] [--csv | --excel]\n"
	"Quota, achieved, percent, share due by today and status for every\n"
	"township and indicator; a city database adds a city-wide row per\n"
	"indicator.\n\n"
	"  --year Y        the year reported (default: the working year)\n"
	"  --csv           CSV: year,township,indicator,unit,target,achieved,\n"
	"                  percent,expected,status\n"
	"  --excel         CSV for Excel/WPS (BOM, CRLF)\n";

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct view_opts o = { 0 };
	struct report_row *rows = NULL;
	struct ledger *lg;
	size_t n = 0;
	int rc;

	rc = view_parse("report", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(report_help_zh, report_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if ((rc = year_check(lg, "report", &o.year)))
		goto out;
	rc = report_build(lg, (int)o.year, &rows, &n);
	if (rc == KP_OK)
		rc = o.csv ? report_write_csv(rows, n, stdout, (unsigned)(o.csv - 1))
		           : report_write_table(rows, n, stdout);
	rc = rc == KP_OK ? 0 : cli_fail(rc);
out:
	free(rows);
	ledger_close(lg);
	return rc;
}

/* ---- quota ---------------------------------------------------------------- */

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
		snprintf(yb, sizeof yb, "%d-%d", v->lg->schema->plan.first_year,
		         v->lg->schema->plan.last_year);
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
	struct view_opts o = { 0 };
	struct quota_view v = { 0 };
	const struct township *towns[128];
	size_t nt, i, j;
	int rc;

	rc = view_parse("quota show", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(quota_help_zh, quota_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &v.lg)))
		return rc;
	if ((rc = year_check(v.lg, "quota show", &o.year)))
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
	for (i = 0; i < nt; i++)
		for (j = 0; j < v.lg->schema->nindicators; j++)
			quota_line(&v, towns[i]->id, township_label(towns[i]),
			           &v.lg->schema->indicators[j]);
	if (v.lg->mode == LEDGER_CITY_MODE)
		for (j = 0; j < v.lg->schema->nindicators; j++)
			quota_line(&v, LEDGER_CITY, L("全市", "city"),
			           &v.lg->schema->indicators[j]);
	if (v.csv && (rc = csvw_finish(&v.w)) != KP_OK)
		rc = cli_fail(rc);
	else if (!v.csv && !v.n)
		printf(LF("%ld 年尚未设定指标任务（kepu quota import 文件）\n",
		          "no quotas set for %ld (kepu quota import FILE)\n"), o.year);
out:
	ledger_close(v.lg);
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
		return cmd_quota_export(c, argc - 1, argv + 1);
	return cli_usage_error("quota", L("需要 import、show 或 export",
	                                  "needs import, show or export"));
}

/* ---- survey --------------------------------------------------------------- */

static const char survey_help_zh[] =
	"用法：kepu survey set 指标=数值 [--year 年度]\n"
	"      kepu survey show [--year 年度] [--csv | --excel]\n"
	"录入或查看由调查得出的指标（如 science_literacy_rate 具备科学素质的公民\n"
	"比例，单位 %），这类指标不由记录累计。调查值是全市的，只能在市级数据库\n"
	"中录入（镇街数据库中 set 以 64 退出），并计入市级报告中 all 那一行。\n";
static const char survey_help_en[] =
	"Usage: kepu survey set INDICATOR=VALUE [--year Y]\n"
	"       kepu survey show [--year Y] [--csv | --excel]\n"
	"Enter or show indicators measured by survey (such as\n"
	"science_literacy_rate, the share of citizens with basic scientific\n"
	"literacy, in %), which no record adds up to.  Survey values are\n"
	"city-wide: they are entered in the city database only (set exits 64\n"
	"in a township database) and shown in the city report's \"all\" row.\n";

/* The survey indicator named by the text before '=' in arg, or NULL after
 * a usage message listing them. */
static const struct indicator *survey_indicator(struct ledger *lg, const char *arg)
{
	const struct schema *s = lg->schema;
	struct sbuf b = {0};
	size_t i, n = strcspn(arg, "=");

	for (i = 0; i < s->nindicators; i++)
		if (s->indicators[i].measure == MEASURE_SURVEY &&
		    strlen(s->indicators[i].id) == n &&
		    strncmp(s->indicators[i].id, arg, n) == 0)
			return &s->indicators[i];
	sbuf_printf(&b, LF("“%.*s”不是调查类指标（可用：", "'%.*s' is not a survey indicator (survey indicators: "),
	            (int)n, arg);
	for (i = 0, n = 0; i < s->nindicators; i++)
		if (s->indicators[i].measure == MEASURE_SURVEY)
			sbuf_printf(&b, "%s%s", n++ ? L("、", ", ") : "",
			            s->indicators[i].id);
	sbuf_adds(&b, L("）", ")"));
	cli_usage_error("survey set", b.s ? b.s : arg);
	sbuf_free(&b);
	return NULL;
}

static int survey_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct indicator *ind;
	struct ledger *lg;
	const char *eq;
	char *end, num[32];
	long year = 0;
	double v;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(L(survey_help_zh, survey_help_en));
		if (ch != 'y')
			return cli_bad_option("survey set", ch, argv);
		if ((rc = cli_parse_long("survey set", "--year", optarg, 1900, 9999, &year)))
			return rc;
	}
	if (optind + 1 != argc || !(eq = strchr(argv[optind], '=')))
		return cli_usage_error("survey set", L("需要 指标=数值", "needs INDICATOR=VALUE"));
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	/* A survey result is the city's (domain: science_literacy_rate is
	 * measured city-wide); a township's copy would reach no report. */
	if (lg->mode != LEDGER_CITY_MODE) {
		rc = cli_usage_error("survey set", L("调查类指标（如 science_literacy_rate）"
		                     "是全市的调查结果，只能在市级数据库中录入，"
		                     "镇（街道）数据库不录入",
		                     "survey indicators (such as science_literacy_rate) "
		                     "are city-wide survey results: enter them in the "
		                     "city database, not in a township's"));
		goto out;
	}
	if (!(ind = survey_indicator(lg, argv[optind]))) {
		rc = KP_E_USAGE;
		goto out;
	}
	if ((rc = year_check(lg, "survey set", &year)))
		goto out;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (errno || end == eq + 1 || *end || !isfinite(v) || v < 0 ||
	    (strcmp(ind->unit_en ? ind->unit_en : "", "%") == 0 && v > 100)) {
		if (strcmp(ind->unit_en ? ind->unit_en : "", "%") == 0)
			cli_msg(LF("kepu: %s：“%s”不是有效的数值（应为 0 到 100 之间的百分数）\n",
			           "kepu: %s: '%s' is not a valid value (a percentage from 0 to 100)\n"),
			        ind->id, eq + 1);
		else
			cli_msg(LF("kepu: %s：“%s”不是有效的数值（应为不小于 0 的数）\n",
			           "kepu: %s: '%s' is not a valid value (a number, 0 or more)\n"),
			        ind->id, eq + 1);
		rc = KP_E_DATA;
		goto out;
	}
	rc = ledger_set_value(lg, (int)year, ind->id, v);
	if (rc == KP_OK)
		printf(LF("%s %ld 年：%s\n", "%s %ld: %s\n"), indicator_label(ind), year,
		       cli_num(v, num));
	else
		rc = cli_fail(rc);
out:
	ledger_close(lg);
	return rc;
}

static int survey_show(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "year", "indicator", "value", "target" };
	struct view_opts o = { 0 };
	struct ledger *lg;
	struct csvw w;
	char vb[32], tb[32];
	size_t i;
	int rc;

	rc = view_parse("survey show", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(survey_help_zh, survey_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if ((rc = year_check(lg, "survey show", &o.year)))
		goto out;
	if (o.csv) {
		csvw_begin(&w, stdout, (unsigned)(o.csv - 1));
		csvw_row(&w, 4, head);
	}
	for (i = 0; i < lg->schema->nindicators; i++) {
		const struct indicator *ind = &lg->schema->indicators[i];
		double v;
		char yb[16];

		if (ind->measure != MEASURE_SURVEY)
			continue;
		if (ledger_value(lg, (int)o.year, ind->id, &v) == KP_OK)
			cli_num(v, vb);
		else
			vb[0] = '\0';
		cli_num(ind->target, tb);
		snprintf(yb, sizeof yb, "%ld", o.year);
		if (o.csv) {
			const char *row[] = { yb, ind->id, vb, tb };
			csvw_row(&w, 4, row);
			continue;
		}
		printf("%s  ", yb);
		cli_put_cell(stdout, indicator_label(ind), 30);
		printf(" %8s  (%s %s%s)\n", vb[0] ? vb : "—", ind->comparator, tb,
		       L(ind->unit_zh, ind->unit_en));
	}
	if (o.csv && (rc = csvw_finish(&w)) != KP_OK)
		rc = cli_fail(rc);
out:
	ledger_close(lg);
	return rc;
}

int cmd_survey(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return survey_set(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return survey_show(c, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cli_help(L(survey_help_zh, survey_help_en));
	return cli_usage_error("survey", L("需要 set 或 show", "needs set or show"));
}
