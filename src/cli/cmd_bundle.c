/* cmd_bundle.c - USB bundles: export, verify, import, key, township trust,
 * quota export. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "err.h"
#include "keys.h"
#include "lang.h"
#include "ledger.h"

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

/* How messages name a party: the city is "all" in files. */
static const char *party(const char *id)
{
	return strcmp(id, "all") == 0 ? L("市里（all）", "the city (all)") : id;
}

static int parse_encoding(const char *cmd, const char *v, bool *gb)
{
	if (strcmp(v, "utf-8") == 0 || strcmp(v, "utf8") == 0)
		*gb = false;
	else if (strcmp(v, "gb18030") == 0)
		*gb = true;
	else
		return cli_usage_error(cmd, L("--encoding 只能是 utf-8 或 gb18030",
		                              "--encoding is utf-8 or gb18030"));
	return 0;
}

/* ---- export ---------------------------------------------------------- */

static const char export_help_zh[] =
	"用法：kepu export --out 文件夹 [--full | --empty] [--encoding utf-8|gb18030]\n"
	"把上次导出以来的改动写成一个新的数据包（文件夹），例如写到 U 盘上。\n"
	"数据包经过签名，市里用 kepu verify / kepu import 校验和导入。\n"
	"自上次导出以来没有改动时，说明这一点，不写数据包，也不占用编号（退出码 0）。\n\n"
	"  --out DIR        在此文件夹（须已存在）中建立数据包（如 U 盘的挂载点）\n"
	"  --full           导出全部记录，而不只是新的改动\n"
	"  --empty          没有改动也写出数据包（零报告：市里要求每期都报送时用）\n"
	"  --encoding ENC   CSV 编码：utf-8（默认，带 BOM，Excel/WPS 可直接打开）\n"
	"                   或 gb18030\n";
static const char export_help_en[] =
	"Usage: kepu export --out DIR [--full | --empty] [--encoding utf-8|gb18030]\n"
	"Write the changes since the last export as a new bundle (a folder),\n"
	"e.g. onto a USB stick.  Bundles are signed; the city checks and loads\n"
	"them with kepu verify and kepu import.  When nothing changed since the\n"
	"last export, says so and writes nothing, using no bundle number (exit 0).\n\n"
	"  --out DIR        create the bundle in this existing folder (a USB\n"
	"                   mount point)\n"
	"  --full           export every record, not only the new changes\n"
	"  --empty          write a bundle even when nothing changed (a zero\n"
	"                   report, for a city that wants one every period)\n"
	"  --encoding ENC   CSV encoding: utf-8 (default, with a BOM, opens in\n"
	"                   Excel and WPS) or gb18030\n";

static const struct option export_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "full", no_argument, NULL, 'f' },
	{ "empty", no_argument, NULL, 'z' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "township", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int export_parse(const char *cmd, int argc, char **argv,
                        struct bundle_export_opts *o, bool quota)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":o:fe:t:h", export_opts,
	                         NULL)) != -1) {
		switch (ch) {
		case 'o': o->out_dir = optarg; break;
		case 'f': o->full = true; break;
		case 'z': o->empty = true; break;
		case 'e':
			if ((rc = parse_encoding(cmd, optarg, &o->gb18030)))
				return rc;
			break;
		case 't':
			if (!quota)
				return cli_bad_option(cmd, '?', argv);
			o->township = optarg;
			break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (quota && (o->full || o->empty))
		return cli_bad_option(cmd, '?', argv);
	if (o->full && o->empty)
		return cli_usage_error(cmd, L("--full 与 --empty 只能选一个",
		                              "--full or --empty, not both"));
	if (optind < argc)
		return cli_usage_error(cmd, L("多余的参数", "unexpected argument"));
	if (!o->out_dir)
		return cli_usage_error(cmd, L("需要 --out 文件夹", "needs --out DIR"));
	o->progress = progress_line;
	return 0;
}

/* --out names a file: say so, rather than "no such folder". */
static int out_is_folder(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || S_ISDIR(st.st_mode))
		return 0;
	kp_err_set(KP_E_CANTCREAT, LF("%s 不是文件夹：--out 要的是文件夹（如 U 盘）",
	           "%s is not a folder: --out wants a folder (e.g. a USB stick)"),
	           dir);
	return cli_fail(KP_E_CANTCREAT);
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct ledger *lg;
	int rc;

	rc = export_parse("export", argc, argv, &o, false);
	if (rc < 0)
		return cli_help(L(export_help_zh, export_help_en));
	if (rc || (rc = out_is_folder(o.out_dir)) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = bundle_export(lg, &o, &r);
	progress_end();
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
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
		cli_msg("%s", LF("kepu: 没有写出数据包；这些改动会包含在下一次导出中\n",
		                         "kepu: no bundle was written; these changes will be in the next export\n"));
	} else {
		printf(LF("已写出 %s：%zu 行（第 %llu 号包，改动 %llu 之后至 %llu）\n", r.rows == 1
		          ? "wrote %s: %zu row (bundle %llu, changes after %llu up to %llu)\n"
		          : "wrote %s: %zu rows (bundle %llu, changes after %llu up to %llu)\n"),
		       r.path, r.rows, (unsigned long long)r.seq,
		       (unsigned long long)r.change_from,
		       (unsigned long long)r.change_to);
	}
	bundle_export_result_free(&r);
	ledger_close(lg);
	return rc;
}

static const char qexport_help_zh[] =
	"用法：kepu quota export --out 文件夹 [--township 镇代码] [--encoding 编码]\n"
	"（市级数据库）把各镇（或一个镇）的指标任务写成签名的任务数包，\n"
	"镇里用 kepu import 导入。\n";
static const char qexport_help_en[] =
	"Usage: kepu quota export --out DIR [--township ID] [--encoding ENC]\n"
	"(City database) write the quotas of every township (or of one) as a\n"
	"signed quota bundle, which townships load with kepu import.\n";

int cmd_quota_export(struct cli *c, int argc, char **argv)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct ledger *lg;
	int rc;

	rc = export_parse("quota export", argc, argv, &o, true);
	if (rc < 0)
		return cli_help(L(qexport_help_zh, qexport_help_en));
	if (rc || (rc = out_is_folder(o.out_dir)) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = bundle_quota_export(lg, &o, &r);
	if (rc != KP_OK)
		rc = cli_fail(rc);
	else
		printf(LF("已写出 %s：%zu 条任务数\n", r.rows == 1
		          ? "wrote %s: %zu quota\n" : "wrote %s: %zu quotas\n"),
		       r.path, r.rows);
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

static const struct option only_help[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "replace", no_argument, NULL, 'r' },
	{ "out", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* Options of verify/import/key/township: returns -1 for --help. */
static int simple_parse(const char *cmd, const char *allowed, int argc,
                        char **argv, bool *flag, const char **out)
{
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":hnro:", only_help, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch == ':' || ch == '?' || !strchr(allowed, ch))
			return cli_bad_option(cmd, ch == ':' ? ':' : '?', argv);
		if (ch == 'o')
			*out = optarg;
		else
			*flag = true;
	}
	return 0;
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
	struct bundle_summary s;
	struct ledger *lg;
	bool unused = false;
	const char *o = NULL;
	int rc, worst = 0, i;

	rc = simple_parse("verify", "", argc, argv, &unused, &o);
	if (rc < 0)
		return cli_help(L(verify_help_zh, verify_help_en));
	if (rc)
		return rc;
	if (optind >= argc)
		return cli_usage_error("verify", L("需要数据包文件夹",
		                                   "needs a bundle folder"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	for (i = optind; i < argc; i++) {
		bundle_summary_init(&s);
		rc = bundle_verify(lg, argv[i], &s);
		print_problems(&s);
		if (rc != KP_OK) {
			rc = cli_fail(rc);
		} else {
			printf(LF("%1$s：完好（%2$s 第 %3$llu 号包，%4$zu 行，签名密钥 %5$s）\n", s.rows == 1
			          ? "%1$s: ok (bundle %3$llu from %2$s, %4$zu row, signed by key %5$s)\n"
			          : "%1$s: ok (bundle %3$llu from %2$s, %4$zu rows, signed by key %5$s)\n"),
			       s.name, party(s.township), (unsigned long long)s.seq, s.rows,
			       s.fingerprint);
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
	"导入各镇的数据包，镇街数据库导入市里的任务数包。重复导入同一个包\n"
	"不会改变任何东西。\n\n"
	"  --dry-run   只显示会发生什么（新增、更新、不变、过时、拒绝），不保存\n";
static const char import_help_en[] =
	"Usage: kepu import [--dry-run] BUNDLE...\n"
	"Verify, then merge in one transaction, all or nothing: a city database\n"
	"imports townships' bundles, a township database the city's quota\n"
	"bundles.  Importing the same bundle again changes nothing.\n\n"
	"  --dry-run   only show what would happen (new, updated, unchanged,\n"
	"              stale, rejected); store nothing\n";

static void print_outcome(const struct bundle_summary *s, bool dry_run)
{
	if (s->already)
		return;
	printf(dry_run ? LF("%s（试运行，未保存）：新增 %zu，更新 %zu，不变 %zu，过时 %zu，拒绝 %zu\n",
	                    "%s (dry run, nothing stored): new %zu, updated %zu, unchanged %zu, stale %zu, rejected %zu\n")
	               : LF("%s：新增 %zu，更新 %zu，不变 %zu，过时 %zu，拒绝 %zu\n",
	                    "%s: new %zu, updated %zu, unchanged %zu, stale %zu, rejected %zu\n"),
	       s->name, s->n_new, s->n_updated, s->n_unchanged, s->n_stale,
	       s->n_rejected);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	struct bundle_summary s;
	struct ledger *lg;
	bool dry_run = false;
	const char *o = NULL;
	int rc, worst = 0, i;

	rc = simple_parse("import", "n", argc, argv, &dry_run, &o);
	if (rc < 0)
		return cli_help(L(import_help_zh, import_help_en));
	if (rc)
		return rc;
	if (optind >= argc)
		return cli_usage_error("import", L("需要数据包文件夹",
		                                   "needs a bundle folder"));
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	for (i = optind; i < argc; i++) {
		bundle_summary_init(&s);
		rc = bundle_import(lg, argv[i], dry_run, progress_line, NULL, &s);
		progress_end();
		print_problems(&s);
		if (rc == KP_OK || s.n_rejected)
			print_outcome(&s, dry_run);
		if (rc == KP_OK && s.already && s.nnotes)
			printf("%s\n", s.notes[0]);
		print_notes(&s, rc == KP_OK && s.already ? 1 : 0);
		rc = rc == KP_OK ? 0 : cli_fail(rc);
		if (rc > worst)
			worst = rc;
		bundle_summary_free(&s);
	}
	ledger_close(lg);
	return worst;
}

/* ---- keys ------------------------------------------------------------ */

static const char key_help_zh[] =
	"用法：kepu key export [--out 文件]\n"
	"      kepu key show\n"
	"导出本数据库的签名公钥（交给市里，市里用 kepu township trust 文件 信任它），\n"
	"或显示其指纹（可电话核对）。--out 的文件已存在时：若已是本库的公钥则不改动，\n"
	"否则不覆盖（退出码 73）。\n";
static const char key_help_en[] =
	"Usage: kepu key export [--out FILE]\n"
	"       kepu key show\n"
	"Export this database's public signing key (for the city, which trusts\n"
	"it with kepu township trust FILE), or show its fingerprint (to check\n"
	"over the telephone).  An existing --out FILE is left as it is when it\n"
	"holds this key, and never overwritten otherwise (exit 73).\n";

/* An existing key file is left alone when it holds this very key (export
 * again, nothing lost) and refused otherwise: it may be another township's
 * key, or the key of a database that has since been recreated, and is
 * what someone else relies on. */
static int key_file_same(struct ledger *lg, const char *out)
{
	unsigned char pk[KEYS_PK_BYTES], mine[KEYS_PK_BYTES];
	char who[RECORD_NAME_MAX];
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK || (rc = keys_public(lg, mine)) != KP_OK)
		return cli_fail(rc);
	if (keys_read_public(out, who, pk) == KP_OK &&
	    strcmp(who, keys_identity(lg)) == 0 &&
	    memcmp(pk, mine, sizeof pk) == 0) {
		cli_msg(LF("%s 已是 %s 的公钥，未改动\n",
		           "%s already holds the public key of %s; left as it is\n"),
		        out, party(keys_identity(lg)));
		return 0;
	}
	kp_err_set(KP_E_CANTCREAT, LF("%s 已存在，且不是本数据库的公钥；未覆盖（请换一个文件名，或先移走它）",
	           "%s exists and does not hold this database's key; not overwritten (choose another name or move it away)"),
	           out);
	return cli_fail(KP_E_CANTCREAT);
}

static int key_export(struct ledger *lg, const char *out)
{
	FILE *f = stdout;
	int fd, rc;

	if (out) {
		/* O_EXCL: never truncate a file someone else wrote meanwhile */
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno == EEXIST)
			return key_file_same(lg, out);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			kp_err_set(KP_E_CANTCREAT, LF("无法创建 %s：%s",
			           "cannot create %s: %s"), out, strerror(errno));
			return cli_fail(KP_E_CANTCREAT);
		}
	}
	rc = keys_write_public(lg, f);
	if (out && fclose(f) != 0 && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s", "cannot write %s"), out);
	if (out && rc != KP_OK)
		unlink(out);    /* a half key file would fail later, far away */
	if (rc != KP_OK)
		return cli_fail(rc);
	if (out)
		cli_msg(LF("已写出 %s 的公钥到 %s\n",
		                   "wrote the public key of %s to %s\n"),
		        party(keys_identity(lg)), out);
	return 0;
}

static int key_show(struct ledger *lg)
{
	unsigned char pk[KEYS_PK_BYTES];
	char fpr[KEYS_FPR_LEN + 1];
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK || (rc = keys_public(lg, pk)) != KP_OK)
		return cli_fail(rc);
	keys_fingerprint(pk, fpr);
	printf("%s %s\n", keys_identity(lg), fpr);
	return 0;
}

int cmd_key(struct cli *c, int argc, char **argv)
{
	struct ledger *lg;
	const char *out = NULL;
	bool unused = false;
	int rc;

	if (argc < 2)
		return cli_usage_error("key", L("需要 export 或 show",
		                                "needs export or show"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(L(key_help_zh, key_help_en));
	if (strcmp(argv[1], "export") && strcmp(argv[1], "show"))
		return cli_usage_error("key", L("需要 export 或 show",
		                                "needs export or show"));
	rc = simple_parse("key", argv[1][0] == 'e' ? "o" : "", argc - 1,
	                  argv + 1, &unused, &out);
	if (rc < 0)
		return cli_help(L(key_help_zh, key_help_en));
	if (rc)
		return rc;
	if (optind < argc - 1)
		return cli_usage_error("key", L("多余的参数", "unexpected argument"));
	/* Writable: the key pair is made on first use. */
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = argv[1][0] == 'e' ? key_export(lg, out) : key_show(lg);
	ledger_close(lg);
	return rc;
}

static const char township_help_zh[] =
	"用法：kepu township trust 公钥文件 [--replace]\n"
	"信任一把公钥：市级数据库信任各镇（街道）的公钥，镇街数据库信任市里的\n"
	"公钥。只接受由所信任的密钥签名的数据包。请电话核对显示的指纹。\n\n"
	"  --replace   更换该镇已信任的另一把密钥\n";
static const char township_help_en[] =
	"Usage: kepu township trust KEYFILE [--replace]\n"
	"Trust a public key: a city database trusts each township's key, a\n"
	"township database the city's.  Only bundles signed by a trusted key are\n"
	"accepted.  Check the fingerprint shown over the telephone.\n\n"
	"  --replace   replace a different key already trusted for that township\n";

int cmd_township(struct cli *c, int argc, char **argv)
{
	unsigned char pk[KEYS_PK_BYTES];
	char who[RECORD_NAME_MAX], fpr[KEYS_FPR_LEN + 1];
	struct ledger *lg;
	const char *unused = NULL;
	bool replace = false;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	                  strcmp(argv[1], "-h") == 0))
		return cli_help(L(township_help_zh, township_help_en));
	if (argc < 2 || strcmp(argv[1], "trust") != 0)
		return cli_usage_error("township", L("需要 trust 公钥文件",
		                                     "needs trust KEYFILE"));
	rc = simple_parse("township trust", "r", argc - 1, argv + 1, &replace,
	                  &unused);
	if (rc < 0)
		return cli_help(L(township_help_zh, township_help_en));
	if (rc)
		return rc;
	if (optind != argc - 2)
		return cli_usage_error("township trust", L("需要一个公钥文件",
		                                           "needs one key file"));
	if ((rc = keys_read_public(argv[optind + 1], who, pk)) != KP_OK)
		return cli_fail(rc);
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = keys_trust(lg, who, pk, replace);
	if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else {
		keys_fingerprint(pk, fpr);
		printf(LF("已信任 %s 的公钥，指纹 %s\n",
		          "trusted the key of %s, fingerprint %s\n"), party(who), fpr);
	}
	ledger_close(lg);
	return rc;
}
