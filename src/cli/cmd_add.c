/* cmd_add.c - adding records: one from --set, or many from a CSV file
 * (add_csv.c). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"

static const char add_help_zh[] =
	"用法：kepu add 表单 --set 字段=值 [--set 字段=值 ...] [--township 镇代码]\n"
	"      kepu add 表单 --from-csv 文件 [--findings 文件] [--again]\n"
	"               [--township 镇代码]\n"
	"新增记录（表单见下）。\n"
	"每条记录先按表单规则检查：有错误时一条也不保存（退出码 65），错误逐条列在\n"
	"标准错误上；成功时在标准输出打印新记录的编号（在终端上超过 10 个时只说范围），\n"
	"警告和指标进度打印在标准错误上。\n\n"
	"  --set F=V       字段 F 的值为 V（可重复；值中可以有“=”）。F 可写字段名或\n"
	"                  中文、英文标签，如 --set 日期=2025-03-05\n"
	"  --from-csv FILE 从 CSV 文件（“-”为标准输入）读入多条记录：第一行是字段名\n"
	"                  （或中文、英文标签），其余每行一条记录；全部无误才\n"
	"                  一起保存。\n"
	"                  接受 UTF-8（带或不带 BOM）和 GB18030，CRLF 或 LF 换行。\n"
	"                  每类错误和警告只显示前 5 条，其余计数。\n"
	"  --findings FILE 把每一条错误和警告写入 CSV 文件 FILE（行号、字段、\n"
	"                  严重程度、类别、说明）\n"
	"  --again         每一格都相同的内容已经导入过，或每一行都与已保存的记录\n"
	"                  同日同名时，仍然导入（否则拒绝，以免每条记录重复）\n"
	"  --township ID   记录所属的镇（街道），代码或名称（市级数据库需要；也可用\n"
	"                  township 或“镇（街道）”列，该列写了别的镇（街道）的行\n"
	"                  会被拒绝）\n";
static const char add_help_en[] =
	"Usage: kepu add FORM --set FIELD=VALUE [--set FIELD=VALUE ...] [--township ID]\n"
	"       kepu add FORM --from-csv FILE [--findings FILE] [--again]\n"
	"                [--township ID]\n"
	"Add records (the forms are listed below).  Every record is checked\n"
	"against the form's rules first: on any error nothing is stored (exit 65)\n"
	"and every error is listed on stderr; on success the new ids are printed on\n"
	"stdout (on a terminal, more than 10 as their range), warnings and the\n"
	"quota progress on stderr.\n\n"
	"  --set F=V       field F has value V (repeatable; V may contain '=');\n"
	"                  F is the field's id or its Chinese or English label,\n"
	"                  e.g. --set 日期=2025-03-05\n"
	"  --from-csv FILE read records from a CSV file ('-' for stdin): the first\n"
	"                  line names the fields (ids, or Chinese or English\n"
	"                  labels), every other line is a record; all are\n"
	"                  stored, or none.  UTF-8 with or without BOM, or\n"
	"                  GB18030; CRLF or LF.  The first 5 errors and\n"
	"                  warnings of each kind are shown, the rest counted.\n"
	"  --findings FILE write every error and warning to the CSV file FILE\n"
	"                  (line, field, severity, kind, message)\n"
	"  --again         add rows that were all added before, cell for cell,\n"
	"                  or that all have the date and title of a stored\n"
	"                  record (refused otherwise: every record would be\n"
	"                  there twice)\n"
	"  --township ID   the records' township, by its id or name (city\n"
	"                  databases; a township column does the same per row,\n"
	"                  and a row naming another than ID is refused)\n";

struct add_opts {
	const char *form;
	const char *township;
	const char *csv;
	const char *findings;   /* --findings FILE */
	bool again;             /* --again */
	struct record rec;      /* the --set values */
	size_t nsets;
};

static const struct option add_long[] = {
	{ "set", required_argument, NULL, 's' },
	{ "township", required_argument, NULL, 't' },
	{ "from-csv", required_argument, NULL, 'f' },
	{ "findings", required_argument, NULL, 'F' },
	{ "again", no_argument, NULL, 'a' },
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
		case 'F': o->findings = optarg; break;
		case 'a': o->again = true; break;
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
	if ((o->findings || o->again) && !o->csv)
		return cli_usage_error("add", L("--findings 和 --again 只用于 --from-csv",
		                                "--findings and --again go with "
		                                "--from-csv"));
	return 0;
}

static void print_warnings(const char *where, const struct form *f,
                           const struct check_result *res)
{
	struct check_result w = { 0 };
	size_t i;

	/* cli_print_findings prints all; show warnings only */
	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].sev == SEV_WARNING) {
			w.findings = &res->findings[i];
			w.nfindings = 1;
			cli_print_findings(where, f, &w);
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
	if (o->township)   /* an id by now (cli_township_option) */
		snprintf(o->rec.township, sizeof o->rec.township, "%s", o->township);
	rc = ledger_add(lg, &o->rec, &res);
	if (rc == KP_OK) {
		printf("%s\n", o->rec.id);
		print_warnings(NULL, f, &res);
		cli_print_impacts(&res);
	} else if (rc == KP_E_DATA && check_has_errors(&res)) {
		cli_print_findings(NULL, f, &res);
		if (lg->mode == LEDGER_CITY_MODE && !o->township)
			cli_msg("%s", L("kepu: 市级数据库录入时请用 --township 给出镇（街道）\n",
			                "kepu: in a city database give the township with "
			                "--township\n"));
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

/* --findings names a file it would empty: the spreadsheet being added
 * (a slip of the keyboard, or a link to it) or the database. */
static int findings_elsewhere(const struct cli *c, const struct add_opts *o)
{
	char msg[4200];

	if (!o->findings)
		return KP_OK;
	if (strcmp(o->csv, "-") != 0 && fs_same_file(o->findings, o->csv))
		snprintf(msg, sizeof msg, LF("--findings 的文件 %s 就是要录入的表格，"
		         "写清单会把它清空；请给清单另起一个文件名",
		         "--findings %s is the spreadsheet being added: writing the "
		         "list would empty it; give the list a file name of its own"),
		         o->findings);
	else if (fs_same_file(o->findings, c->db_path))
		snprintf(msg, sizeof msg, LF("--findings 的文件 %s 就是数据库，"
		         "写清单会把它清空；请给清单另起一个文件名",
		         "--findings %s is the database: writing the list would "
		         "empty it; give the list a file name of its own"),
		         o->findings);
	else
		return KP_OK;
	return cli_usage_error("add", msg);
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
	if ((rc = findings_elsewhere(c, &o)) != KP_OK)
		goto out;
	if (o.csv)
		cli_catch_stops();
	if ((rc = cli_open_ledger(c, false, &lg)))
		goto out;
	f = cli_form("add", lg, o.form);
	if (!f)
		rc = KP_E_USAGE;
	else if (cli_township_option("add", lg->schema, o.township, &o.township))
		rc = KP_E_DATA;
	else if (o.csv)
		rc = cli_add_csv(lg, f, o.csv, o.findings, o.township, o.again);
	else
		rc = add_one(lg, &o, f);
	ledger_close(lg);
out:
	record_free(&o.rec);
	return rc;
}
