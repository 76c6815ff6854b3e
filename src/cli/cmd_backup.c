/* cmd_backup.c - backup: a compact copy of the database, taken while
 * others may be using it. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "store.h"

static const char backup_help_zh[] =
	"用法：kepu backup --out 文件\n"
	"把数据库压缩复制到新文件（可在他人使用时进行）。文件已存在时不覆盖。\n\n"
	"  --out FILE      备份文件（不能已存在）\n";
static const char backup_help_en[] =
	"Usage: kepu backup --out FILE\n"
	"Write a compact copy of the database to a new file (safe while others\n"
	"are using it).  An existing file is never overwritten.\n\n"
	"  --out FILE      the backup file (must not exist)\n";

static const struct option backup_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_backup(struct cli *c, int argc, char **argv)
{
	const char *out = NULL;
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", backup_opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'h': return cli_help(L(backup_help_zh, backup_help_en));
		default: return cli_bad_option("backup", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("backup", L("多余的参数", "unexpected argument"));
	if (!out)
		return cli_usage_error("backup", L("需要 --out 文件", "needs --out FILE"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	rc = store_backup(lg->st, out);
	if (rc == KP_OK)
		printf(LF("已备份到 %s\n", "backup written to %s\n"), out);
	else
		rc = cli_fail(rc);
	ledger_close(lg);
	return rc;
}
