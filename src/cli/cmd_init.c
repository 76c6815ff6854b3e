/* cmd_init.c - making databases: init, demo, backup, and check. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "date.h"
#include "demo.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "store.h"

/* What init and demo both need to create a database. */
struct create_opts {
	const char *township;
	bool city;
	long year;            /* 0: the ledger's default */
	const char *forms;
};

static int create_db(struct cli *c, const char *cmd, const struct create_opts *o)
{
	const char *forms = o->forms ? o->forms : schema_default_dir();
	struct stat sb;
	int rc;

	if (stat(c->db_path, &sb) == 0) {
		cli_msg(LF("kepu %s：数据库 %s 已存在，不会覆盖\n",
		                   "kepu %s: database %s already exists; not overwritten\n"),
		        cmd, c->db_path);
		return KP_E_CANTCREAT;
	}
	if (c->db_default && (rc = cli_make_parent(c->db_path)) != KP_OK)
		return cli_fail(rc);
	rc = ledger_init(c->db_path, forms, o->city ? NULL : o->township,
	                 (int)o->year);
	if (rc != KP_OK)
		return cli_fail(rc);
	return 0;
}

/* "township database 陈埭镇 (chendai), working year 2025, at PATH" */
static void say_created(const struct ledger *lg, const char *path)
{
	const struct township *t = schema_township(lg->schema, lg->township);

	if (lg->mode == LEDGER_CITY_MODE)
		printf(LF("已建立市级数据库 %s（工作年度 %d）\n",
		          "created city database %s (working year %d)\n"),
		       path, lg->year);
	else
		printf(LF("已建立%s（%s）的数据库 %s（工作年度 %d）\n",
		          "created the database of %s (%s) at %s (working year %d)\n"),
		       t ? township_label(t) : lg->township, lg->township, path,
		       lg->year);
}

static const char init_help_zh[] =
	"用法：kepu init --township 镇代码 [--year 年度] [--forms 文件夹]\n"
	"      kepu init --city [--year 年度] [--forms 文件夹]\n"
	"建立新的数据库（不会覆盖已有的数据库）。\n\n"
	"  --township ID   本镇（街道）代码，如 chendai、qingyang\n"
	"  --city          市级数据库（汇总各镇数据包）\n"
	"  --year Y        工作年度（默认：今年，限于规划年度内）\n"
	"  --forms DIR     表单文件夹（默认：$KEPU_FORMS 或安装的 forms）\n";
static const char init_help_en[] =
	"Usage: kepu init --township ID [--year Y] [--forms DIR]\n"
	"       kepu init --city [--year Y] [--forms DIR]\n"
	"Create a new database (an existing one is never overwritten).\n\n"
	"  --township ID   the township's id, e.g. chendai, qingyang\n"
	"  --city          a city database (merges the townships' bundles)\n"
	"  --year Y        working year (default: this year, kept in the plan)\n"
	"  --forms DIR     folder of form files (default: $KEPU_FORMS or the\n"
	"                  installed forms)\n";

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
	struct create_opts o = { 0 };
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
	if ((rc = create_db(c, "init", &o)))
		return rc;
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	say_created(lg, c->db_path);
	ledger_close(lg);
	return 0;
}

static const char demo_help_zh[] =
	"用法：kepu demo [--township 镇代码 | --city] [--year 年度] [--seed N] [--force]\n"
	"                [--forms 文件夹]\n"
	"      kepu demo --training-csv N [--seed N]\n"
	"在数据库中生成约一年的演示记录和示例指标任务；数据库不存在时先建立\n"
	"（默认陈埭镇 chendai）。数据库已有记录时不再添加，除非加 --force。\n\n"
	"  --township ID   新建数据库时的镇（街道）代码（默认 chendai）\n"
	"  --city          新建市级数据库，为每个镇生成记录\n"
	"  --year Y        演示数据的年度（默认：数据库的工作年度）\n"
	"  --seed N        随机种子（相同种子生成相同数据，默认 1）\n"
	"  --force         数据库已有记录时仍然添加\n"
	"  --forms DIR     新建数据库时使用的表单文件夹\n"
	"  --training-csv N  不写数据库：输出 N 行有效的培训记录 CSV\n"
	"                  （供 add --from-csv 测速用）\n";
static const char demo_help_en[] =
	"Usage: kepu demo [--township ID | --city] [--year Y] [--seed N] [--force]\n"
	"                 [--forms DIR]\n"
	"       kepu demo --training-csv N [--seed N]\n"
	"Fill the database with about a year of believable records and example\n"
	"quotas, creating it first when missing (township chendai by default).\n"
	"A database that already has records is left alone unless --force.\n\n"
	"  --township ID   township of a new database (default chendai)\n"
	"  --city          create a city database, with records for every township\n"
	"  --year Y        year of the demo records (default: the working year)\n"
	"  --seed N        random seed (same seed, same data; default 1)\n"
	"  --force         add records even when the database has some\n"
	"  --forms DIR     folder of form files for a new database\n"
	"  --training-csv N  write no database: print N valid training rows as\n"
	"                  CSV (for add --from-csv benchmarks)\n";

static const struct option demo_opts[] = {
	{ "township", required_argument, NULL, 't' },
	{ "city", no_argument, NULL, 'c' },
	{ "year", required_argument, NULL, 'y' },
	{ "seed", required_argument, NULL, 's' },
	{ "force", no_argument, NULL, 'F' },
	{ "forms", required_argument, NULL, 'f' },
	{ "training-csv", required_argument, NULL, 'T' },  /* for benchmarks */
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct demo_opts {
	struct create_opts create;
	long seed;
	bool force;
	long training_csv;    /* > 0: write that many training rows as CSV */
};

static int demo_parse(int argc, char **argv, struct demo_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", demo_opts, NULL)) != -1) {
		switch (ch) {
		case 't': o->create.township = optarg; break;
		case 'c': o->create.city = true; break;
		case 'f': o->create.forms = optarg; break;
		case 'F': o->force = true; break;
		case 'y':
			if ((rc = cli_parse_long("demo", "--year", optarg, 1900, 9999,
			                         &o->create.year)))
				return rc;
			break;
		case 's':
			if ((rc = cli_parse_long("demo", "--seed", optarg, 0, 0x7fffffff,
			                         &o->seed)))
				return rc;
			break;
		case 'T':
			if ((rc = cli_parse_long("demo", "--training-csv", optarg, 1,
			                         100000000, &o->training_csv)))
				return rc;
			break;
		case 'h': return -1;
		default: return cli_bad_option("demo", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("demo", L("多余的参数", "unexpected argument"));
	if (o->create.city && o->create.township)
		return cli_usage_error("demo", L("--township 与 --city 只能选一个",
		                                 "--township and --city exclude each other"));
	if (!o->create.city && !o->create.township)
		o->create.township = "chendai";
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	struct demo_opts o = { .seed = 1 };
	struct ledger *lg = NULL;
	size_t live = 0, dead = 0, added = 0;
	int rc, year;

	rc = demo_parse(argc, argv, &o);
	if (rc < 0)
		return cli_help(L(demo_help_zh, demo_help_en));
	if (rc)
		return rc;
	if (o.training_csv) {
		year = o.create.year ? (int)o.create.year : date_today().y;
		rc = demo_training_csv(stdout, (size_t)o.training_csv, year,
		                       (unsigned)o.seed);
		return rc == KP_OK ? 0 : cli_fail(rc);
	}
	rc = ledger_open(c->db_path, false, &lg);
	if (rc == KP_E_NOINPUT) {
		if ((rc = create_db(c, "demo", &o.create)))
			return rc;
		if ((rc = cli_open_ledger(c, false, &lg)))
			return rc;
		say_created(lg, c->db_path);
	} else if (rc != KP_OK) {
		return cli_fail(rc);
	}
	if ((rc = ledger_counts(lg, &live, &dead)) != KP_OK)
		goto fail;
	if (live + dead > 0 && !o.force) {
		printf(LF("数据库 %s 已有 %zu 条记录，未添加演示数据（加 --force 可再添加）\n",
		          live + dead == 1
		          ? "database %s already has %zu record; no demo records added (--force adds more)\n"
		          : "database %s already has %zu records; no demo records added (--force adds more)\n"),
		       c->db_path, live + dead);
		ledger_close(lg);
		return 0;
	}
	year = o.create.year ? (int)o.create.year : lg->year;
	if ((rc = demo_fill(lg, year, (unsigned)o.seed, &added)) != KP_OK)
		goto fail;
	printf(LF("已添加 %zu 条 %d 年的演示记录\n", added == 1
	          ? "added %zu demo record for %d\n"
	          : "added %zu demo records for %d\n"), added, year);
	ledger_close(lg);
	return 0;
fail:
	rc = cli_fail(rc);
	ledger_close(lg);
	return rc;
}

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

static const char check_help_zh[] =
	"用法：kepu check\n"
	"根据全部记录重新计算各项合计，并与库中保存的合计比较。\n"
	"一致时输出“正常”，否则列出每处差异，退出码 65。\n";
static const char check_help_en[] =
	"Usage: kepu check\n"
	"Recompute every total from the records and compare them with the\n"
	"stored ones.  Prints OK when they agree, else every difference and\n"
	"exits with 65.\n";

static void print_difference(void *ctx, const char *msg)
{
	size_t *n = ctx;

	(*n)++;
	printf("%s\n", msg);
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
	else if (rc == KP_E_DATA && diffs)
		cli_msg(LF("kepu: 发现 %zu 处合计不一致\n", diffs == 1
		           ? "kepu: %zu total disagrees\n"
		           : "kepu: %zu totals disagree\n"), diffs);
	else
		rc = cli_fail(rc);
	ledger_close(lg);
	return rc;
}
