/* cmd_init.c - init: a new township or city database. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "lang.h"
#include "ledger.h"

static const char init_help_zh[] =
	"用法：kepu init --township 镇代码 [--forms 文件夹]\n"
	"      kepu init --city [--forms 文件夹]\n"
	"建立新的数据库（不会覆盖已有的数据库）。一个数据库保存所有年度；\n"
	"工作年度就是今年（各命令可用 --year 查看其他年度）。\n\n"
	"  --township ID   本镇（街道）代码，如 chendai、qingyang\n"
	"  --city          市级数据库（汇总各镇数据包）\n"
	"  --forms DIR     表单文件夹（默认：$KEPU_FORMS 或安装的 forms）\n"
	"  --year Y        可以写，但不起作用（兼容旧脚本）\n";
static const char init_help_en[] =
	"Usage: kepu init --township ID [--forms DIR]\n"
	"       kepu init --city [--forms DIR]\n"
	"Create a new database (an existing one is never overwritten).  One\n"
	"database holds every year; the working year is this year (commands\n"
	"take --year to look at another).\n\n"
	"  --township ID   the township's id, e.g. chendai, qingyang\n"
	"  --city          a city database (merges the townships' bundles)\n"
	"  --forms DIR     folder of form files (default: $KEPU_FORMS or the\n"
	"                  installed forms)\n"
	"  --year Y        accepted and ignored (for old scripts)\n";

static const struct option init_opts[] = {
	{ "township", required_argument, NULL, 't' },
	{ "city", no_argument, NULL, 'c' },
	{ "year", required_argument, NULL, 'y' },
	{ "forms", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_init(struct cli *c, int argc, char **argv)
{
	struct cli_create o = { 0 };
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", init_opts, NULL)) != -1) {
		switch (ch) {
		case 't': o.township = optarg; break;
		case 'c': o.city = true; break;
		case 'f': o.forms = optarg; break;
		case 'y':
			if ((rc = cli_parse_long("init", "--year", optarg, 1900, 9999, &o.year)))
				return rc;
			break;
		case 'h': return cli_help(L(init_help_zh, init_help_en));
		default: return cli_bad_option("init", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("init", L("多余的参数", "unexpected argument"));
	if (o.city && o.township)
		return cli_usage_error("init", L("--township 和 --city 只能选一个",
		                                 "give --township ID or --city, not both"));
	if (!o.city && !o.township)
		return cli_usage_error("init", L("需要 --township ID 或 --city（二选一）",
		                                 "needs either --township ID or --city"));
	if ((rc = cli_create_db(c, "init", &o, true, &lg)))
		return rc;
	ledger_close(lg);
	return 0;
}
