/* cmd_attach.c - evidence: attach, detach, and attachment (list, get). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "cli.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "text.h"

static const char attach_help_zh[] =
	"用法：kepu attach 编号 文件...\n"
	"把签到表、通知、照片等作为佐证材料附到一条记录上（督查时可出示）。\n"
	"可附：照片（JPG、PNG）、PDF、办公文档（doc、docx、xls、xlsx、wps、et、\n"
	"odt、ods），按文件内容识别，扩展名须与内容相符；每个文件最多 20 MB。\n"
	"附件名取文件名；同一记录的附件不能重名。附上是记录的一次修改（修订号\n"
	"加一，记入历史，随数据包报送）；同样内容的文件只保存一份。\n"
	"不跟随符号链接。有文件被拒绝时一个也不附上（退出码 65）。\n\n"
	"  --rev N         开始时看到的修订号（默认：当前）；其间被别人改过时不附上\n"
	"                  （退出码 75）\n";
static const char attach_help_en[] =
	"Usage: kepu attach ID FILE...\n"
	"Attach sign-in sheets, notices, photos to a record as evidence (for an\n"
	"inspection).  Taken: photos (JPG, PNG), PDF, office documents (doc,\n"
	"docx, xls, xlsx, wps, et, odt, ods), recognised by their contents, with\n"
	"an extension that fits them; at most 20 MB per file.  An attachment is\n"
	"named after its file; a record's attachments have different names.\n"
	"Attaching changes the record (a new revision, in its history and in\n"
	"the next bundle); a file with the same contents is stored once.\n"
	"Symbolic links are not followed.  When a file is refused none is\n"
	"attached (exit 65).\n\n"
	"  --rev N         the revision you started from (default: the current\n"
	"                  one); if someone changed it since, nothing is attached\n"
	"                  (exit 75)\n";

static const char detach_help_zh[] =
	"用法：kepu detach 编号 附件名 [--rev N]\n"
	"把一个附件从记录上移除（记录的一次修改）。文件内容仍保留在数据库中：\n"
	"记录以前的修订还列着它，历史（kepu log）可查。\n";
static const char detach_help_en[] =
	"Usage: kepu detach ID NAME [--rev N]\n"
	"Take an attachment off a record (a change of the record).  Its bytes\n"
	"stay in the database: the record's earlier revisions still name it,\n"
	"and kepu log shows it.\n";

static const char attachment_help_zh[] =
	"用法：kepu attachment list 编号\n"
	"      kepu attachment get 编号 附件名 --out 文件\n"
	"list 列出记录的附件：名称、类型、大小、SHA-256；内容尚未收到的（对方用\n"
	"--no-attachments 导出）标明“未收到”。get 把一个附件原样写到新文件\n"
	"（--out - 写到标准输出）；文件已存在时不覆盖（退出码 73），内容尚未收到时\n"
	"退出码 66。\n";
static const char attachment_help_en[] =
	"Usage: kepu attachment list ID\n"
	"       kepu attachment get ID NAME --out FILE\n"
	"list shows a record's attachments: name, type, size, SHA-256; those\n"
	"whose bytes have not arrived (the sender exported --no-attachments) say\n"
	"so.  get writes one attachment, byte for byte, to a new file (--out -\n"
	"for standard output); an existing file is never overwritten (exit 73);\n"
	"bytes that have not arrived exit 66.\n";

static const struct option rev_opts[] = {
	{ "rev", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --rev and --help: 0, an exit code, or -1 for --help. */
static int rev_parse(const char *cmd, int argc, char **argv, long *rev)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", rev_opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if ((rc = cli_parse_long(cmd, "--rev", optarg, 1, 0x7fffffff, rev)))
				return rc;
			break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	return 0;
}

static void print_conflict(const struct record *cur)
{
	cli_msg("kepu: %s\n", kp_err_msg());
	if (cur->id[0])
		cli_msg(LF("kepu: 当前是第 %u 版；看过后再试（kepu show %s）\n",
		           "kepu: it is at revision %u now; look at it and try again "
		           "(kepu show %s)\n"), (unsigned)cur->rev, cur->id);
}

/* ---- attach ------------------------------------------------------------- */

static int attach_files(struct ledger *lg, const char *id, long rev,
                        struct attach_file *files, size_t n)
{
	struct record out;
	bool *had = calloc(n, sizeof *had);
	char size[32];
	size_t i;
	int rc;

	if (!had)
		return cli_fail(kp_err_nomem());
	for (i = 0; i < n; i++)
		ledger_attach_have(lg, files[i].meta.sha, &had[i]);
	record_init(&out);
	rc = ledger_attach(lg, id, (uint32_t)rev, files, n, &out);
	if (rc == KP_E_TEMPFAIL) {
		print_conflict(&out);
		rc = kp_exit_code(rc);
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else {
		for (i = 0; i < n; i++)
			cli_msg(LF("已附上 %s（%s，%s）%s\n", "attached %s (%s, %s)%s\n"),
			        files[i].meta.name, attach_type_label(files[i].meta.type),
			        attach_size_text(files[i].meta.size, size),
			        had[i] ? L("；同样内容的文件已保存过，不再另存",
			                   "; a file with the same contents is stored "
			                   "already, not again") : "");
		printf(LF("%s 第 %u 版：%zu 个附件\n", "%s revision %u: %zu attachments\n"),
		       out.id, (unsigned)out.rev, out.natt);
		rc = 0;
	}
	record_free(&out);
	free(had);
	return rc;
}

int cmd_attach(struct cli *c, int argc, char **argv)
{
	struct attach_file *files = NULL;
	struct ledger *lg = NULL;
	long rev = 0;
	size_t n = 0, i;
	int rc;

	rc = rev_parse("attach", argc, argv, &rev);
	if (rc < 0)
		return cli_help(L(attach_help_zh, attach_help_en));
	if (rc)
		return rc;
	if (argc - optind < 2)
		return cli_usage_error("attach", L("需要记录编号和至少一个文件",
		                                   "needs a record ID and at least one FILE"));
	files = calloc((size_t)(argc - optind - 1), sizeof *files);
	if (!files)
		return cli_fail(kp_err_nomem());
	/* Every file is read and judged before anything is stored. */
	for (i = (size_t)optind + 1; i < (size_t)argc; i++, n++)
		if ((rc = attach_read(argv[i], NULL, &files[n])) != KP_OK) {
			rc = cli_fail(rc);
			cli_msg("%s", L("kepu: 没有附上任何文件\n",
			                "kepu: nothing was attached\n"));
			goto out;
		}
	if ((rc = cli_open_ledger(c, false, &lg)))
		goto out;
	rc = attach_files(lg, argv[optind], rev, files, n);
	ledger_close(lg);
out:
	for (i = 0; i < n; i++)
		attach_file_free(&files[i]);
	free(files);
	return rc;
}

/* ---- detach ------------------------------------------------------------- */

int cmd_detach(struct cli *c, int argc, char **argv)
{
	struct ledger *lg;
	struct record out;
	long rev = 0;
	int rc;

	rc = rev_parse("detach", argc, argv, &rev);
	if (rc < 0)
		return cli_help(L(detach_help_zh, detach_help_en));
	if (rc)
		return rc;
	if (argc - optind != 2)
		return cli_usage_error("detach", L("需要记录编号和附件名",
		                                   "needs a record ID and an attachment NAME"));
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	record_init(&out);
	rc = ledger_detach(lg, argv[optind], (uint32_t)rev, argv[optind + 1], &out);
	if (rc == KP_E_TEMPFAIL) {
		print_conflict(&out);
		rc = kp_exit_code(rc);
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else {
		cli_msg(LF("已移除附件 %s\n", "detached %s\n"), argv[optind + 1]);
		printf(LF("%s 第 %u 版：%zu 个附件\n", "%s revision %u: %zu attachments\n"),
		       out.id, (unsigned)out.rev, out.natt);
		rc = 0;
	}
	record_free(&out);
	ledger_close(lg);
	return rc;
}

/* ---- attachment list / get ---------------------------------------------- */

static int list_one(void *ctx, const struct record_att *a, bool have)
{
	char hex[ATTACH_HEX_LEN + 1], size[32];
	char *name = text_for_terminal(a->name);

	(void)ctx;
	attach_hex(a->sha, hex);
	printf("%s\t%s\t%s\t%s%s\n", name ? name : "?", a->type,
	       attach_size_text(a->size, size), hex,
	       have ? "" : L("\t未收到", "\tnot received"));
	free(name);
	return KP_OK;
}

struct out_file {
	int fd;
	const char *path;
};

static int write_out(void *ctx, const void *p, size_t n)
{
	struct out_file *o = ctx;
	const char *b = p;

	while (n) {
		ssize_t w = write(o->fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
			                  o->path, fs_errno_text(w < 0 ? errno : ENOSPC));
		b += w;
		n -= (size_t)w;
	}
	return KP_OK;
}

static int get_one(struct ledger *lg, const char *id, const char *name,
                   const char *path)
{
	struct out_file o = { STDOUT_FILENO, path };
	bool to_stdout = strcmp(path, "-") == 0;
	struct record_att meta;
	char size[32];
	int rc;

	if (!to_stdout) {
		o.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (o.fd < 0) {
			cli_msg(LF("kepu: 无法建立 %s：%s\n", "kepu: cannot create %s: %s\n"),
			        path, fs_errno_text(errno));
			return KP_E_CANTCREAT;
		}
	}
	rc = ledger_attach_get(lg, id, name, write_out, &o, &meta);
	if (!to_stdout && rc == KP_OK && fsync(o.fd) != 0)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
		                path, fs_errno_text(errno));
	if (!to_stdout && close(o.fd) != 0 && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
		                path, fs_errno_text(errno));
	if (rc != KP_OK) {
		if (!to_stdout)
			unlink(path);
		return cli_fail(rc);
	}
	if (!to_stdout)
		cli_msg(LF("已写出 %s（%s，%s）\n", "wrote %s (%s, %s)\n"), path,
		        attach_type_label(meta.type), attach_size_text(meta.size, size));
	return 0;
}

int cmd_attachment(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *verb;
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(L(attachment_help_zh, attachment_help_en));
		if (ch != 'o')
			return cli_bad_option("attachment", ch, argv);
		out = optarg;
	}
	verb = optind < argc ? argv[optind] : "";
	if (strcmp(verb, "list") == 0 && argc - optind == 2 && !out) {
		if ((rc = cli_open_ledger(c, true, &lg)))
			return rc;
		rc = ledger_attach_list(lg, argv[optind + 1], list_one, NULL);
		rc = rc == KP_OK ? 0 : cli_fail(rc);
	} else if (strcmp(verb, "get") == 0 && argc - optind == 3) {
		if (!out)
			return cli_usage_error("attachment", L("get 需要 --out 文件",
			                                       "get needs --out FILE"));
		if ((rc = cli_open_ledger(c, true, &lg)))
			return rc;
		rc = get_one(lg, argv[optind + 1], argv[optind + 2], out);
	} else {
		return cli_usage_error("attachment", L("用法：attachment list 编号 | "
		                       "attachment get 编号 附件名 --out 文件",
		                       "use attachment list ID or attachment get ID "
		                       "NAME --out FILE"));
	}
	ledger_close(lg);
	return rc;
}
