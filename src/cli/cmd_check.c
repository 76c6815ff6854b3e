/* cmd_check.c - check: recompute every total from the records and compare
 * them with the stored ones. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "attach.h"
#include "cli.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"

static const char check_help_zh[] =
	"用法：kepu check\n"
	"根据全部记录重新计算各项合计，并与库中保存的合计比较；再核对每个附件\n"
	"文件的内容与其 SHA-256 相符，并说明保存了几个附件文件。\n"
	"一致时输出“正常”，否则列出每处差异，退出码 65。\n";
static const char check_help_en[] =
	"Usage: kepu check\n"
	"Recompute every total from the records and compare them with the\n"
	"stored ones; then check every attachment file's bytes against its\n"
	"SHA-256 and say how many files are stored.  Prints OK when they\n"
	"agree, else every difference and exits with 65.\n";

static void print_difference(void *ctx, const char *msg)
{
	size_t *n = ctx;

	(*n)++;
	printf("%s\n", msg);
}

static void print_damage(void *ctx, const char *msg)
{
	(void)ctx;
	cli_msg("kepu: %s\n", msg);
}

/* "attachments: 3 files (4.2 MB), intact" when there are any. */
static int check_attachments(struct ledger *lg)
{
	uint64_t bytes = 0;
	char size[32];
	size_t n = 0;
	int rc = ledger_attach_verify(lg, print_damage, NULL, &n, &bytes);

	if (rc != KP_OK)
		return cli_fail(rc);
	if (n)
		printf(LF("附件：%zu 个文件（%s），内容完好\n", n == 1
		          ? "attachments: %zu file (%s), intact\n"
		          : "attachments: %zu files (%s), intact\n"), n,
		       attach_size_text(bytes, size));
	return KP_OK;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t live = 0, dead = 0, diffs = 0;
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(L(check_help_zh, check_help_en));
		return cli_bad_option("check", ch, argv);
	}
	if (optind < argc)
		return cli_usage_error("check", L("多余的参数", "unexpected argument"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	rc = ledger_verify(lg, print_difference, &diffs);
	if (rc == KP_OK)
		rc = ledger_counts(lg, &live, &dead);
	if (rc == KP_OK)
		printf(LF("正常：%zu 条记录，合计一致\n", live == 1
		          ? "OK: %zu record, totals agree\n"
		          : "OK: %zu records, totals agree\n"), live);
	if (rc == KP_OK)
		rc = check_attachments(lg);
	else if (rc == KP_E_DATA && diffs)
		cli_msg(LF("kepu: 发现 %zu 处合计不一致\n", diffs == 1
		           ? "kepu: %zu total disagrees\n"
		           : "kepu: %zu totals disagree\n"), diffs);
	else
		rc = cli_fail(rc);
	ledger_close(lg);
	return rc;
}
