/* cmd_report.c - report: progress against the quotas for a year, or the
 * evaluation of a whole plan, as a table, CSV or a workbook. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "xlsx.h"

static const char report_help_zh[] =
	"用法：kepu report [--year 年度 | --plan 规划] [--csv | --excel | --xlsx 文件 [--force]]\n"
	"各镇（街道）各项指标的任务、完成数、完成率、按时间应完成数和进度状态。\n"
	"市级数据库中每个镇每项指标一行，另有全市合计各一行。\n"
	"年度进行中时，状态为 ahead（超前）、on track（正常）、behind（落后）；\n"
	"年度（全规划期指标为规划期）结束后为 met（达标）或 not met（未达标）；\n"
	"没有任务时为 no quota；统计项（不设目标，只计数）为 tally。\n\n"
	"  --year Y        报告年度（默认：今年）；第一个规划以后的任一年，\n"
	"                  最后一个规划之后的年度按其暂定延续计\n"
	"  --plan 规划     规划评估：规划编号或起止年份（如 2021-2025）；每镇每项\n"
	"                  指标逐年的任务、完成、状态和合计行（达标年数、结论）\n"
	"  --csv           CSV：year,township,indicator,unit,target,achieved,\n"
	"                  percent,expected,status,plan,plan_status；\n"
	"                  带 --plan 时：plan,plan_status,township,indicator,\n"
	"                  unit,period,year,target,achieved,percent,status,\n"
	"                  years_met（合计行的 year 为 total）\n"
	"  --excel         供 Excel/WPS 打开的 CSV（BOM、CRLF）\n"
	"  --xlsx 文件     写成工作簿（中文表名、表头，可直接打印的台账和汇总表）：\n"
	"                  任务进度、统计、规划评估、说明，市级另有各项指标的图表；\n"
	"                  带 --plan 时只有规划评估和说明。文件已存在时不覆盖\n"
	"  --force         覆盖已有的 --xlsx 文件\n";
static const char report_help_en[] =
	"Usage: kepu report [--year Y | --plan PLAN] [--csv | --excel | --xlsx FILE [--force]]\n"
	"Quota, achieved, percent, share due by today and status for every\n"
	"township and indicator; a city database adds a city-wide row per\n"
	"indicator.  While the year is open the status is ahead, on track or\n"
	"behind; once the year (for a plan-period indicator, the plan) is over\n"
	"it is met or not met; no quota without a quota; tally for a tally\n"
	"(counted, no target).\n\n"
	"  --year Y        the year reported (default: this year): any year from\n"
	"                  the first plan on; a year after the last plan counts\n"
	"                  as its provisional continuation\n"
	"  --plan PLAN     the plan evaluation: a plan id or its years (e.g.\n"
	"                  2021-2025); every year's target, achieved and status\n"
	"                  per township and indicator, then a total row (years\n"
	"                  met, verdict)\n"
	"  --csv           CSV: year,township,indicator,unit,target,achieved,\n"
	"                  percent,expected,status,plan,plan_status;\n"
	"                  with --plan: plan,plan_status,township,indicator,\n"
	"                  unit,period,year,target,achieved,percent,status,\n"
	"                  years_met (year is total on the total rows)\n"
	"  --excel         CSV for Excel/WPS (BOM, CRLF)\n"
	"  --xlsx FILE     write a workbook, ready to print as the ledger and\n"
	"                  summary: progress, tallies, plan evaluation, notes, and\n"
	"                  in a city database a chart per indicator; with --plan\n"
	"                  the plan evaluation and notes.  An existing FILE is\n"
	"                  not replaced\n"
	"  --force         replace an existing --xlsx FILE\n";

struct report_opts {
	long year;               /* 0: this year */
	const char *plan;        /* --plan, or NULL */
	int csv;                 /* 0, or the csvw flags + 1 */
	struct xlsx_opts xlsx;   /* path NULL: no workbook */
};

static const struct option report_long[] = {
	{ "year", required_argument, NULL, 'y' },
	{ "plan", required_argument, NULL, 'p' },
	{ "csv", no_argument, NULL, 'c' },
	{ "excel", no_argument, NULL, 'x' },
	{ "xlsx", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, an exit code, or -1 for --help. */
static int report_parse(int argc, char **argv, struct report_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", report_long, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((rc = cli_parse_long("report", "--year", optarg, 1900,
			                         9999, &o->year)))
				return rc;
			break;
		case 'p': o->plan = optarg; break;
		case 'c': o->csv = 1; break;
		case 'x': o->csv = CSVW_EXCEL + 1; break;
		case 'w': o->xlsx.path = optarg; break;
		case 'f': o->xlsx.force = true; break;
		case 'h': return -1;
		default: return cli_bad_option("report", ch, argv);
		}
	}
	if (o->xlsx.path && o->csv)
		return cli_usage_error("report", L("--xlsx 和 --csv、--excel 只能选一个",
		                                   "--xlsx does not go with --csv or --excel"));
	if (o->xlsx.force && !o->xlsx.path)
		return cli_usage_error("report", L("--force 只用于 --xlsx",
		                                   "--force goes with --xlsx"));
	if (optind < argc)
		return cli_usage_error("report", L("多余的参数", "unexpected argument"));
	if (o->plan && o->year)
		return cli_usage_error("report", L("--year 和 --plan 只能选一个",
		                                   "--year and --plan do not go together"));
	return 0;
}

/* The plan --plan names, or NULL after a usage message naming the plans
 * the database has. */
static const struct plan *report_plan_arg(struct ledger *lg, const char *v)
{
	const struct plan *p = report_plan_named(lg->schema, v);
	char plans[512], msg[768];

	if (p)
		return p;
	report_plan_list(lg->schema, plans, sizeof plans);
	snprintf(msg, sizeof msg, LF("没有规划“%s”；现有规划：%s",
	                             "no plan \"%s\"; the plans are %s"), v, plans);
	cli_usage_error("report", msg);
	return NULL;
}

static int report_plan_run(struct ledger *lg, const struct report_opts *o)
{
	struct report_plan rp;
	const struct plan *p;
	int rc;

	if (!(p = report_plan_arg(lg, o->plan)))
		return KP_E_USAGE;
	if (o->xlsx.path)
		return cli_xlsx_done(xlsx_report_write(lg, 0, p, &o->xlsx), o->xlsx.path);
	if ((rc = report_plan_build(lg, p, &rp)) != KP_OK)
		return cli_fail(rc);
	rc = o->csv ? report_plan_write_csv(&rp, stdout, (unsigned)(o->csv - 1))
	            : report_plan_write_table(&rp, stdout);
	report_plan_free(&rp);
	return rc == KP_OK ? 0 : cli_fail(rc);
}

/* Under a township's table: whether the year is closed, and what the
 * city decided (已通过 / 已退回：理由). */
static int say_year_state(struct ledger *lg, int year)
{
	struct year_state st;
	char text[LEDGER_REASON_MAX + 64];
	int rc = ledger_year_state(lg, lg->township, year, &st);

	if (rc == KP_OK) {
		printf(LF("\n%d 年度：", "\nYear %d: "), year);
		cli_put_text(stdout, year_state_text(&st, text, sizeof text),
		             sizeof text);
		fputc('\n', stdout);
	}
	return rc;
}

static int report_year_run(struct ledger *lg, struct report_opts *o)
{
	struct report_row *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cli_view_year("report", lg, &o->year)))
		return rc;
	if (o->xlsx.path)
		return cli_xlsx_done(xlsx_report_write(lg, (int)o->year, NULL, &o->xlsx),
		                     o->xlsx.path);
	rc = report_build(lg, (int)o->year, &rows, &n);
	if (rc == KP_OK)
		rc = o->csv ? report_write_csv(rows, n, stdout, (unsigned)(o->csv - 1))
		           : report_write_table(rows, n, stdout);
	if (rc == KP_OK && !o->csv && lg->mode == LEDGER_TOWNSHIP)
		rc = say_year_state(lg, (int)o->year);
	free(rows);
	return rc == KP_OK ? 0 : cli_fail(rc);
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct report_opts o = { 0, NULL, 0, { NULL, false } };
	struct ledger *lg;
	int rc;

	rc = report_parse(argc, argv, &o);
	if (rc < 0)
		return cli_help(L(report_help_zh, report_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	rc = o.plan ? report_plan_run(lg, &o) : report_year_run(lg, &o);
	ledger_close(lg);
	return rc;
}
