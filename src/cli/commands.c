/* commands.c - the table of commands (cli_commands[], which also prints
 * `kepu --help`), dispatch, and `kepu help COMMAND`.  It uses every
 * command family (cmd_*.c), and none of them uses it. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "err.h"
#include "lang.h"
#include "stop.h"

static int cmd_help(struct cli *c, int argc, char **argv);

const struct cli_command cli_commands[] = {
	{ "init", cmd_init, "创建数据库", "create a database" },
	{ "add", cmd_add, "新增记录（逐条或从 CSV 文件）",
	  "add records (one, or from a CSV file)" },
	{ "list", cmd_list, "列出记录（表格、CSV、台账工作簿）",
	  "list records (a table, CSV, a ledger workbook)" },
	{ "show", cmd_show, "显示一条记录", "show one record" },
	{ "edit", cmd_edit, "修改一条记录", "change a record" },
	{ "delete", cmd_delete, "删除一条记录", "delete a record" },
	{ "attach", cmd_attach, "给记录附上佐证材料（签到表、照片…）",
	  "attach evidence to a record (sign-in sheets, photos...)" },
	{ "detach", cmd_detach, "移除记录的一个附件", "take an attachment off a record" },
	{ "attachment", cmd_attachment, "列出或取出记录的附件",
	  "list or get a record's attachments" },
	{ "log", cmd_log, "修改历史：谁、何时、改了什么",
	  "the history: who changed what, when" },
	{ "report", cmd_report, "指标完成进度和统计（表格、CSV、汇总表工作簿）",
	  "quota progress and tallies (a table, CSV, a workbook)" },
	{ "quota", cmd_quota, "导入、查看、导出指标任务",
	  "import, show or export quotas" },
	{ "survey", cmd_survey, "录入调查类指标（市级）",
	  "enter survey results (city)" },
	{ "check", cmd_check, "检查数据库的合计是否一致",
	  "check that the database's totals agree" },
	{ "demo", cmd_demo, "生成演示数据", "fill a demo database" },
	{ "backup", cmd_backup, "热备份数据库", "back up the database" },
	{ "export", cmd_export, "导出数据包（报送市里）",
	  "write a bundle for the city" },
	{ "verify", cmd_verify, "校验数据包", "verify a bundle" },
	{ "import", cmd_import, "导入数据包", "import a bundle" },
	{ "close", cmd_close, "关闭一个年度（镇街）：数字定稿，报送市里审核",
	  "close a year (township): its figures are final, for the city to approve" },
	{ "reopen", cmd_reopen, "重开已关闭的年度（须说明理由）",
	  "reopen a closed year (with a reason)" },
	{ "approve", cmd_approve, "通过某镇已关闭的年度（市级）",
	  "approve a township's closed year (city)" },
	{ "return", cmd_return, "退回某镇已关闭的年度并说明理由（市级）",
	  "return a township's closed year with a reason (city)" },
	{ "received", cmd_received, "各镇报送情况：谁报了、缺号、年度状态（市级）",
	  "who has reported: bundles, gaps, years closed (city)" },
	{ "key", cmd_key, "导出本库的签名公钥", "export this database's key" },
	{ "township", cmd_township, "信任某镇（街道）的公钥",
	  "trust a township's key" },
	{ "forms", cmd_forms, "表单版本：查看、更新、数据字典、导出表单包（市级）",
	  "form versions: show, update, dictionary, export a forms bundle (city)" },
	{ "help", cmd_help, "显示某个命令的帮助", "show a command's help" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cli_command *find_command(const char *name)
{
	const struct cli_command *cmd;

	for (cmd = cli_commands; cmd->name; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}

int cli_dispatch(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd = find_command(argv[0]);
	int rc;

	if (!cmd) {
		cli_msg(LF("kepu: 没有“%s”这个命令；命令列表见 kepu --help\n",
		                  "kepu: unknown command '%s'; see kepu --help\n"),
		        argv[0]);
		return KP_E_USAGE;
	}
	rc = cmd->fn(c, argc, argv);
	/* Stopped by a signal: the shell's convention, 128 + its number. */
	if (rc == KP_E_INTR && stop_requested())
		rc = 128 + stop_requested();
	return rc;
}

/* "kepu help CMD" is "kepu CMD --help". */
static int cmd_help(struct cli *c, int argc, char **argv)
{
	static char help_opt[] = "--help";
	char *hargv[3];

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		return cli_help(L("用法：kepu help 命令\n"
		                  "显示该命令的帮助（同 kepu 命令 --help）。\n",
		                  "Usage: kepu help COMMAND\n"
		                  "Show the command's help (as kepu COMMAND --help).\n"));
	}
	if (argc > 2 || strcmp(argv[1], "help") == 0)
		return cli_usage_error("help", L("需要一个命令名", "expects one command name"));
	if (!find_command(argv[1]))
		return cli_dispatch(c, 1, argv + 1);   /* says "unknown command" */
	hargv[0] = argv[1];
	hargv[1] = help_opt;
	hargv[2] = NULL;
	return cli_dispatch(c, 2, hargv);
}

