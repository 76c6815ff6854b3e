/* cmd_demo.c - demo: a believable year of records and example quotas
 * (creating the database when missing), or training rows as CSV for
 * benchmarks. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "date.h"
#include "demo.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"

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
	struct cli_create create;
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
		if ((rc = cli_create_db(c, "demo", &o.create, false, &lg)))
			return rc;
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
