/* cmd_report.c - report: progress against the quotas, as a table or CSV. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"

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
	struct cli_view o = { 0 };
	struct report_row *rows = NULL;
	struct ledger *lg;
	size_t n = 0;
	int rc;

	rc = cli_view_parse("report", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(report_help_zh, report_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if ((rc = cli_view_year("report", lg, &o.year)))
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
