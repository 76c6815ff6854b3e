/* cmd_bundle.c - USB bundles of records: export (a township's changes, or
 * the city's merged ones, or a township's decision bundle), verify and
 * import. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "attach.h"
#include "bundle.h"
#include "cli.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "stop.h"

/* A progress line on a terminal, nothing in scripts. */
static void progress_line(void *ctx, const char *stage, size_t done,
                          size_t total)
{
	(void)ctx;
	if (!isatty(STDERR_FILENO))
		return;
	if (total)
		fprintf(stderr, "\r%s %zu/%zu\033[K", stage, done, total);
	else
		fprintf(stderr, "\r%s\033[K", stage);
	fflush(stderr);
}

static void progress_end(void)
{
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
}

/* ---- export ---------------------------------------------------------- */

static const char export_help_zh[] =
	"用法：kepu export --out 文件夹 [--full | --empty | --township 镇街] [--no-attachments]\n"
	"                 [--encoding utf-8|gb18030]\n"
	"把上次导出以来的改动写成一个新的数据包（文件夹），例如写到 U 盘上。\n"
	"数据包经过签名，市里用 kepu verify / kepu import 校验和导入。\n"
	"自上次导出以来没有改动时，说明这一点，不写数据包，也不占用编号（退出码 0）。\n\n"
	"  --out DIR        在此文件夹（须已存在）中建立数据包（如 U 盘的挂载点）\n"
	"  --full           导出全部记录，而不只是新的改动\n"
	"  --empty          没有改动也写出数据包（零报告：市里要求每期都报送时用）\n"
	"  --no-attachments 附件只写名字和校验和，不写文件本身（U 盘小时用）；市里\n"
	"                   看得到附件名但取不出内容，以后用 --full 导出一次即可补上\n"
	"  --encoding ENC   CSV 编码：utf-8（默认，带 BOM，Excel/WPS 可直接打开）\n"
	"                   或 gb18030\n"
	"  --township T     （市级）写出给镇街 T 的决定包：市里对其各年度的全部\n"
	"                   通过、退回决定（kepu approve / kepu return）\n";
static const char export_help_en[] =
	"Usage: kepu export --out DIR [--full | --empty | --township T] [--no-attachments]\n"
	"                   [--encoding utf-8|gb18030]\n"
	"Write the changes since the last export as a new bundle (a folder),\n"
	"e.g. onto a USB stick.  Bundles are signed; the city checks and loads\n"
	"them with kepu verify and kepu import.  When nothing changed since the\n"
	"last export, says so and writes nothing, using no bundle number (exit 0).\n\n"
	"  --out DIR        create the bundle in this existing folder (a USB\n"
	"                   mount point)\n"
	"  --full           export every record, not only the new changes\n"
	"  --empty          write a bundle even when nothing changed (a zero\n"
	"                   report, for a city that wants one every period)\n"
	"  --no-attachments name the attachments but leave their files out (a\n"
	"                   small stick); the city sees the names without the\n"
	"                   bytes until a later export --full brings them\n"
	"  --encoding ENC   CSV encoding: utf-8 (default, with a BOM, opens in\n"
	"                   Excel and WPS) or gb18030\n"
	"  --township T     (city) write township T's decision bundle instead:\n"
	"                   every approval and return of its years (kepu approve,\n"
	"                   kepu return)\n";

static const struct option export_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "full", no_argument, NULL, 'f' },
	{ "empty", no_argument, NULL, 'z' },
	{ "no-attachments", no_argument, NULL, 'A' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "township", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, an exit code, or -1 for --help. */
static int export_parse(int argc, char **argv, struct bundle_export_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":o:fe:h", export_opts, NULL)) != -1) {
		switch (ch) {
		case 'o': o->out_dir = optarg; break;
		case 'f': o->full = true; break;
		case 'z': o->empty = true; break;
		case 't': o->township = optarg; break;
		case 'A': o->no_attachments = true; break;
		case 'e':
			if ((rc = cli_parse_encoding("export", optarg, &o->gb18030)))
				return rc;
			break;
		case 'h': return -1;
		default: return cli_bad_option("export", ch, argv);
		}
	}
	if (o->full && o->empty)
		return cli_usage_error("export", L("--full 与 --empty 只能选一个",
		                                   "--full or --empty, not both"));
	if (o->township && (o->full || o->empty))
		return cli_usage_error("export", L("--township 写出决定包，不与 --full、--empty 同用",
		                                   "--township writes a decision bundle: "
		                                   "not with --full or --empty"));
	if (optind < argc)
		return cli_usage_error("export", L("多余的参数", "unexpected argument"));
	if (!o->out_dir)
		return cli_usage_error("export", L("需要 --out 文件夹", "needs --out DIR"));
	o->progress = progress_line;
	return 0;
}

/* export --township T in a city database: T's decision bundle. */
static int export_decisions(struct ledger *lg, struct bundle_export_opts *o)
{
	struct bundle_export_result r;
	int rc = bundle_decision_export(lg, o, &r);

	cli_print_notes(r.notes, r.nnotes);
	if (rc == KP_OK)
		printf(LF("已写出 %s：%zu 条决定（第 %llu 号决定包）\n", r.rows == 1
		          ? "wrote %s: %zu decision (decision bundle %llu)\n"
		          : "wrote %s: %zu decisions (decision bundle %llu)\n"),
		       r.path, r.rows, (unsigned long long)r.seq);
	bundle_export_result_free(&r);
	return rc == KP_OK ? 0 : cli_fail(rc);
}

static void print_export_attachments(const struct bundle_export_result *r,
                                     const struct bundle_export_opts *o)
{
	char size[32];

	if (!r->att_rows)
		return;
	if (o->no_attachments)
		printf(LF("附件：%zu 个，只写了名字（--no-attachments）\n",
		          "attachments: %zu, named only (--no-attachments)\n"), r->att_rows);
	else
		printf(LF("附件：%zu 个，写出文件 %zu 个（%s）\n",
		          "attachments: %zu, %zu files written (%s)\n"), r->att_rows,
		       r->att_files, attach_size_text(r->att_bytes, size));
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct ledger *lg;
	int rc;

	rc = export_parse(argc, argv, &o);
	if (rc < 0)
		return cli_help(L(export_help_zh, export_help_en));
	cli_catch_stops();
	if (rc || (rc = cli_out_folder(o.out_dir)) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	if (o.township) {
		rc = export_decisions(lg, &o);
		ledger_close(lg);
		return rc;
	}
	rc = bundle_export(lg, &o, &r);
	progress_end();
	cli_print_notes(r.notes, r.nnotes);
	if (rc == KP_NOTFOUND && r.nothing_new) {
		printf("%s\n", kp_err_msg());
		if (r.seq)
			printf("%s", LF("（要把全部记录再写一遍，用 kepu export --full；"
			                "要报送一个没有改动的数据包，用 --empty）\n",
			                "(kepu export --full writes every record again; "
			                "--empty writes a bundle with no changes)\n"));
		else
			printf("%s", LF("（要报送一个没有记录的数据包，用 kepu export --empty）\n",
			                "(kepu export --empty writes a bundle with no records)\n"));
		rc = 0;
	} else if (rc != KP_OK && r.unsettled) {
		/* Said as it is: the next export looks for it and settles it. */
		rc = cli_fail(rc);
		cli_msg(LF("kepu: %s 可能已在 U 盘上；下一次导出会查看它：完整的就记入数据库，否则它的改动写进下一个数据包\n",
		           "kepu: %s may be on the stick; the next export looks at it: if it is complete it is recorded, otherwise its changes go into the next bundle\n"),
		        r.path ? r.path : r.name);
	} else if (rc == KP_E_TEMPFAIL) {
		/* The other export may well send these very changes. */
		rc = cli_fail(rc);
		cli_msg("%s", LF("kepu: 没有写出数据包；等另一次导出完成后再导出一次，它会说明还有什么要报送\n",
		                 "kepu: no bundle was written; export again once the other export is done: it says what is left to send\n"));
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
		cli_msg("%s", LF("kepu: 没有写出数据包；这些改动会包含在下一次导出中\n",
		                         "kepu: no bundle was written; these changes will be in the next export\n"));
	} else {
		if (r.events)
			printf(LF("%s：%zu 条年度记录（关闭、重开）\n", r.events == 1
			          ? "%s: %zu year event (closed, reopened)\n"
			          : "%s: %zu year events (closed, reopened)\n"),
			       r.name, r.events);
		printf(LF("已写出 %s：%zu 行（第 %llu 号包，改动 %llu 之后至 %llu）\n", r.rows == 1
		          ? "wrote %s: %zu row (bundle %llu, changes after %llu up to %llu)\n"
		          : "wrote %s: %zu rows (bundle %llu, changes after %llu up to %llu)\n"),
		       r.path, r.rows, (unsigned long long)r.seq,
		       (unsigned long long)r.change_from,
		       (unsigned long long)r.change_to);
		print_export_attachments(&r, &o);
		cli_say_late_stop();
	}
	bundle_export_result_free(&r);
	ledger_close(lg);
	return rc;
}

/* ---- verify and import ----------------------------------------------- */

static void print_problems(const struct bundle_summary *s)
{
	size_t i;

	for (i = 0; i < s->nproblems; i++)
		cli_msg("%s: %s\n", s->name, s->problems[i]);
	if (s->more_problems)
		cli_msg(LF("%s：另有 %zu 个问题未列出\n", s->more_problems == 1
		           ? "%s: and %zu more problem\n"
		           : "%s: and %zu more problems\n"), s->name,
		        s->more_problems);
}

static void print_notes(const struct bundle_summary *s, size_t from)
{
	size_t i;

	for (i = from; i < s->nnotes; i++)
		cli_msg("kepu: %s\n", s->notes[i]);
}

static const char verify_help_zh[] =
	"用法：kepu verify 数据包...\n"
	"检查数据包：文件名、清单、每个文件的校验和、签名（须是本库信任的公钥）\n"
	"和行数。有问题时逐条说明并以 65 退出。\n";
static const char verify_help_en[] =
	"Usage: kepu verify BUNDLE...\n"
	"Check bundles: file names, the manifest, every file's checksum, the\n"
	"signature (by a key this database trusts) and the row counts.  Says\n"
	"what is wrong and exits 65 when anything is.\n";

static const struct option verify_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option import_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options of verify, or of import when dry_run is not NULL: 0, an
 * exit code, or -1 for --help.  The bundles are argv[optind..]. */
static int bundles_parse(const char *cmd, int argc, char **argv, bool *dry_run)
{
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, dry_run ? ":nh" : ":h",
	                         dry_run ? import_opts : verify_opts, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch != 'n')
			return cli_bad_option(cmd, ch, argv);
		*dry_run = true;
	}
	if (optind >= argc)
		return cli_usage_error(cmd, L("需要数据包文件夹", "needs a bundle folder"));
	return 0;
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
	struct bundle_summary s;
	struct ledger *lg;
	int rc, worst = 0, i;

	rc = bundles_parse("verify", argc, argv, NULL);
	if (rc < 0)
		return cli_help(L(verify_help_zh, verify_help_en));
	if (rc)
		return rc;
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	for (i = optind; i < argc; i++) {
		bundle_summary_init(&s);
		rc = bundle_verify(lg, argv[i], &s);
		print_problems(&s);
		if (rc != KP_OK) {
			rc = cli_fail(rc);
		} else if (s.kind == BUNDLE_FORMS) {
			printf(LF("%1$s：完好（%2$s 第 %3$llu 号表单包，第 %4$u 版表单，%5$zu 个文件，签名密钥 %6$s）\n",
			          "%1$s: ok (forms bundle %3$llu from %2$s, forms version %4$u, %5$zu files, signed by key %6$s)\n"),
			       s.name, cli_party(s.township), (unsigned long long)s.seq,
			       s.forms_version, s.rows, s.fingerprint);
		} else {
			printf(LF("%1$s：完好（%2$s 第 %3$llu 号包，%4$zu 行，签名密钥 %5$s）\n", s.rows == 1
			          ? "%1$s: ok (bundle %3$llu from %2$s, %4$zu row, signed by key %5$s)\n"
			          : "%1$s: ok (bundle %3$llu from %2$s, %4$zu rows, signed by key %5$s)\n"),
			       s.name, cli_party(s.township), (unsigned long long)s.seq, s.rows,
			       s.fingerprint);
			if (s.att_files)
				printf(LF("%s：附件文件 %zu 个，完好\n", "%s: attachment "
				          "files: %zu, intact\n"), s.name, s.att_files);
		}
		if (rc > worst)
			worst = rc;
		bundle_summary_free(&s);
	}
	ledger_close(lg);
	return worst;
}

static const char import_help_zh[] =
	"用法：kepu import [--dry-run] 数据包...\n"
	"先校验，再在一个事务中合并（要么全部导入，要么都不导入）：市级数据库\n"
	"导入各镇的数据包（连同其年度记录），镇街数据库导入市里的任务数包、表单包\n"
	"和决定包（通过、退回）。数据包改动对方已关闭年度的记录时整包拒收。表单包像\n"
	"kepu forms update 一样先检查与记录是否相容，不相容时逐条说明、不做任何改变。\n"
	"重复导入同一个包（或已有的表单版本）不会改变任何东西。\n\n"
	"  --dry-run   只显示会发生什么（新增、更新、不变、过时、拒绝），不保存\n";
static const char import_help_en[] =
	"Usage: kepu import [--dry-run] BUNDLE...\n"
	"Verify, then merge in one transaction, all or nothing: a city database\n"
	"imports townships' bundles (with their year events), a township\n"
	"database the city's quota, forms and decision bundles.  A data bundle\n"
	"changing a record of a year its township closed is refused whole.\n"
	"A forms bundle must fit the records as with kepu forms\n"
	"update; when it does not, every reason is given and nothing changes.\n"
	"Importing the same bundle (or a forms version already there) again\n"
	"changes nothing.\n\n"
	"  --dry-run   only show what would happen (new, updated, unchanged,\n"
	"              stale, rejected); store nothing\n";

/* A forms bundle changes forms, not rows. */
static void print_forms_outcome(const struct bundle_summary *s, bool dry_run)
{
	char text[512];

	schema_changes_text(&s->changes, text, sizeof text);
	printf(dry_run ? LF("%s（试运行，未保存）：表单可以由第 %u 版更新到第 %u 版：%s\n",
	                    "%s (dry run, nothing stored): the forms can move from version %u to version %u: %s\n")
	               : LF("%s：表单已由第 %u 版更新到第 %u 版：%s\n",
	                    "%s: forms updated from version %u to version %u: %s\n"),
	       s->name, s->forms_from, s->forms_version, text);
}

/* "attachments: 2 files stored, 1 here already, 3 without their bytes" */
static void print_attachments(const struct bundle_summary *s, bool dry_run)
{
	if (!s->att_files && !s->att_absent)
		return;
	printf(dry_run ? LF("%s（试运行）：附件文件：包中 %zu 个，将保存 %zu 个，已有 %zu 个；"
	                    "%zu 个附件未带内容\n", "%s (dry run): attachment files: %zu "
	                    "in the bundle, %zu would be stored, %zu here already; %zu "
	                    "attachments without their bytes\n")
	               : LF("%s：附件文件：包中 %zu 个，保存 %zu 个，已有 %zu 个；%zu 个附件未带内容\n",
	                    "%s: attachment files: %zu in the bundle, %zu stored, %zu "
	                    "here already; %zu attachments without their bytes\n"),
	       s->name, s->att_files, s->att_stored, s->att_present, s->att_absent);
}

static void print_outcome(const struct bundle_summary *s, bool dry_run)
{
	if (s->already)
		return;
	if (s->kind == BUNDLE_FORMS) {
		print_forms_outcome(s, dry_run);
		return;
	}
	if (s->kind == BUNDLE_DECISION) {
		printf(dry_run ? LF("%s（试运行，未保存）：市里的决定 %zu 条，新 %zu 条\n",
		                    "%s (dry run, nothing stored): the city's decisions: %zu, new %zu\n")
		               : LF("%s：市里的决定 %zu 条，新 %zu 条\n",
		                    "%s: the city's decisions: %zu, new %zu\n"),
		       s->name, s->rows, s->n_new);
		return;
	}
	if (s->events)
		printf(LF("%s：年度记录 %zu 条，新 %zu 条\n",
		          "%s: year events: %zu, new %zu\n"),
		       s->name, s->events, s->events_new);
	printf(dry_run ? LF("%s（试运行，未保存）：新增 %zu，更新 %zu，不变 %zu，过时 %zu，拒绝 %zu\n",
	                    "%s (dry run, nothing stored): new %zu, updated %zu, unchanged %zu, stale %zu, rejected %zu\n")
	               : LF("%s：新增 %zu，更新 %zu，不变 %zu，过时 %zu，拒绝 %zu\n",
	                    "%s: new %zu, updated %zu, unchanged %zu, stale %zu, rejected %zu\n"),
	       s->name, s->n_new, s->n_updated, s->n_unchanged, s->n_stale,
	       s->n_rejected);
	print_attachments(s, dry_run);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	struct bundle_summary s;
	struct ledger *lg;
	bool dry_run = false;
	int rc, worst = 0, i;

	rc = bundles_parse("import", argc, argv, &dry_run);
	if (rc < 0)
		return cli_help(L(import_help_zh, import_help_en));
	if (rc)
		return rc;
	cli_catch_stops();
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	for (i = optind; i < argc && !stop_requested(); i++) {
		bundle_summary_init(&s);
		rc = bundle_import(lg, argv[i], dry_run, progress_line, NULL, &s);
		progress_end();
		if (rc == KP_E_INTR) {
			cli_msg(LF("kepu: %s：%s；这个数据包一行也未导入\n",
			           "kepu: %s: %s; nothing of this bundle was imported\n"),
			        s.name, kp_err_msg());
			bundle_summary_free(&s);
			worst = KP_E_INTR;
			break;
		}
		print_problems(&s);
		if (rc == KP_OK || s.n_rejected)
			print_outcome(&s, dry_run);
		if (rc == KP_OK && s.already && s.nnotes)
			printf("%s\n", s.notes[0]);
		print_notes(&s, rc == KP_OK && s.already ? 1 : 0);
		if (rc == KP_OK && s.stored)
			cli_say_late_stop();
		rc = rc == KP_OK ? 0 : cli_fail(rc);
		if (rc > worst)
			worst = rc;
		bundle_summary_free(&s);
	}
	ledger_close(lg);
	return worst;
}
