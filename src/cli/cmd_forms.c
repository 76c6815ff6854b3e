/* cmd_forms.c - forms: the database's form versions, plans and forms
 * (show), loading an edited forms folder (update), the data dictionary of
 * the current version (dictionary) and, in the city database, writing the
 * current version as a signed forms bundle for the townships (export). */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "text.h"

#define VERSIONS_MAX 256

static const char forms_help_zh[] =
	"用法：kepu forms [show]\n"
	"      kepu forms update [--dry-run] 文件夹\n"
	"      kepu forms dictionary [--excel]\n"
	"      kepu forms export --out 文件夹（市级数据库）\n"
	"show（默认）：本数据库当前的表单版本、有过的各个版本及其来历、各张表单、\n"
	"各个规划（年份、正式或暂定），以及安装的表单（kepu 自带的）是否更新、\n"
	"为什么没有采用。\n"
	"update：把修改过的表单文件夹（formset.csv 中的 version 须加大）载入数据库。\n"
	"先检查与已保存的记录是否相容：新增表单、字段、选项、指标、规划，修改名称、\n"
	"提示、目标都可以；删除或改名记录用到的字段、选项，改字段类型，都会被拒绝，\n"
	"逐条说明“文件:行号: 哪里不行、为什么”，退出码 65，数据库不变。\n"
	"版本号相同时说明没有变化（退出码 0）。\n"
	"  --dry-run   只检查，不保存\n"
	"dictionary：当前版本的数据字典（CSV，与数据包的 dictionary.csv 相同）：\n"
	"每张表单的每一列（类型、必填或“when 条件”、规则、范围、选项）、各镇（街道）、\n"
	"各规划的指标（周期、比较方式、进度、目标、计算方法）和进度状态词。\n"
	"  --excel     供 Excel/WPS 打开的 CSV（BOM、CRLF）\n"
	"export：把当前版本的表单写成签名的表单包 forms-v版本-编号-日期，\n"
	"各镇（街道）用 kepu import 导入。\n";
static const char forms_help_en[] =
	"Usage: kepu forms [show]\n"
	"       kepu forms update [--dry-run] DIR\n"
	"       kepu forms dictionary [--excel]\n"
	"       kepu forms export --out DIR   (city database)\n"
	"show (the default): the database's form version, every version it has\n"
	"had and when it came, the forms, the plans (years, official or\n"
	"provisional), and whether the installed forms (those kepu ships) are\n"
	"newer and why they were not taken.\n"
	"update: load an edited forms folder (with a higher version in\n"
	"formset.csv) into the database.  It must fit the stored records: new\n"
	"forms, fields, choices, indicators and plans, and changed labels, hints\n"
	"and targets are fine; removing or renaming a field or choice records\n"
	"use, or changing a field's type, is refused with every reason as\n"
	"FILE:LINE: what and why (exit 65, nothing changed).  The same version\n"
	"again says there is nothing to do (exit 0).\n"
	"  --dry-run   check only; store nothing\n"
	"dictionary: the current version's data dictionary (CSV, a bundle's\n"
	"dictionary.csv): every column of every form (type, required or \"when\n"
	"CONDITION\", rule, range, choices), the townships, every plan's\n"
	"indicators (period, comparator, pace, target, how they are counted)\n"
	"and the status words.\n"
	"  --excel     CSV for Excel/WPS (BOM, CRLF)\n"
	"export: write the current version as a signed forms bundle\n"
	"forms-v<version>-<seq>-<date>, which townships load with kepu import.\n";

/* Text from the forms, made safe for the terminal. */
static void put(const char *s)
{
	char *safe = text_for_terminal(s ? s : "");

	fputs(safe ? safe : "?", stdout);
	free(safe);
}

static void put_day(int64_t when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char day[16] = "?";

	if (when > 0 && localtime_r(&t, &tm))
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	fputs(day, stdout);
}

/* ---- show ------------------------------------------------------------ */

static void show_versions(struct ledger *lg)
{
	struct ledger_forms_entry *e = calloc(VERSIONS_MAX, sizeof *e);
	size_t n, i;

	if (!e)
		return;
	n = ledger_forms_history(lg, e, VERSIONS_MAX);
	fputs(L("本数据库有过的版本：\n", "Versions this database has had:\n"), stdout);
	for (i = 0; i < n && i < VERSIONS_MAX; i++) {
		printf("  %-4u ", e[i].version);
		put_day(e[i].when);
		if (e[i].from)
			printf(LF("  由第 %u 版更新", "  from version %u"), e[i].from);
		else
			fputs(L("  建库时", "  when the database was made"), stdout);
		if (e[i].by[0]) {
			fputs(" (", stdout);
			put(e[i].by);
			fputs(")", stdout);
		}
		putchar('\n');
	}
	free(e);
}

static void show_forms(const struct schema *s)
{
	size_t i;

	fputs(L("表单：\n", "Forms:\n"), stdout);
	for (i = 0; i < s->nforms; i++) {
		printf("  %-10s ", s->forms[i].id);
		put(form_label(&s->forms[i]));
		printf(LF("（%zu 个字段）\n", " (%zu fields)\n"), s->forms[i].nfields);
	}
}

static void show_plans(const struct schema *s)
{
	size_t i;

	fputs(L("规划：\n", "Plans:\n"), stdout);
	for (i = 0; i < s->nplans; i++) {
		const struct plan *p = &s->plans[i];

		printf("  %-20s %d-%d  %-12s ", p->id, p->first_year, p->last_year,
		       p->status == PLAN_PROVISIONAL ? L("暂定", "provisional")
		                                     : L("正式", "official"));
		put(plan_label(p));
		putchar('\n');
	}
}

/* Problems kept one a line, to print after the line that says why. */
static void keep_problem(void *ctx, const char *msg)
{
	sbuf_printf(ctx, "%s\n", msg);
}

static void put_lines(char *s)
{
	char *nl;

	for (; s && *s; s = nl + 1) {
		if ((nl = strchr(s, '\n')))
			*nl = 0;
		fputs("    ", stdout);
		put(s);
		putchar('\n');
		if (!nl)
			break;
	}
}

/* The installed forms against the database's: the same dry run as an
 * update, so "why not" is exactly what an update would say. */
static void show_installed(struct ledger *lg)
{
	const char *dir = schema_default_dir();
	struct schema_file *files;
	struct schema *shipped;
	struct sbuf why = {0};
	size_t n;
	int rc;

	fputs(L("安装的表单（", "Installed forms ("), stdout);
	put(dir);
	fputs(L("）：", "): "), stdout);
	if (schema_read_dir(dir, &files, &n) != KP_OK) {
		put(kp_err_msg());
		putchar('\n');
		return;
	}
	if (schema_load_files(files, n, &shipped) != KP_OK) {
		fputs(L("读不进来：", "they do not load: "), stdout);
		put(kp_err_msg());
		putchar('\n');
		goto out;
	}
	if (shipped->version == lg->schema->version)
		printf(LF("第 %u 版，与本数据库相同\n", "version %u, the database's own\n"),
		       shipped->version);
	else if (shipped->version < lg->schema->version)
		printf(LF("第 %u 版，比本数据库的旧（本数据库已载入市里更新的表单），不会采用\n",
		          "version %u, older than the database's (it has newer forms from the city): not taken\n"),
		       shipped->version);
	else if ((rc = ledger_forms_check(lg, files, n, keep_problem, &why, NULL)) == KP_OK)
		printf(LF("第 %u 版，较新，与记录相容：下次以可写方式打开数据库时自动采用\n",
		          "version %u, newer and fits the records: the database takes it the next time it is opened for writing\n"),
		       shipped->version);
	else {
		printf(LF("第 %u 版，较新，但没有采用：与本数据库的记录不相容：\n",
		          "version %u, newer, but not taken: it does not fit this database's records:\n"),
		       shipped->version);
		if (!why.len)
			keep_problem(&why, kp_err_msg());
		put_lines(why.s);
	}
	schema_free(shipped);
out:
	sbuf_free(&why);
	schema_files_free(files, n);
}

static int forms_show(struct cli *c, int argc, char **argv)
{
	const struct schema *s;
	const char *note;
	struct ledger *lg;
	int rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cli_help(L(forms_help_zh, forms_help_en));
	if (argc > 1)
		return cli_usage_error("forms show", L("多余的参数", "unexpected argument"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	s = lg->schema;
	note = L(s->note_zh, s->note_en);
	printf(LF("表单第 %u 版", "Forms version %u"), s->version);
	if (note && *note) {
		fputs(L("：", ": "), stdout);
		put(note);
	}
	putchar('\n');
	show_versions(lg);
	show_forms(s);
	show_plans(s);
	show_installed(lg);
	ledger_close(lg);
	return 0;
}

/* ---- update ---------------------------------------------------------- */

static void print_problem(void *ctx, const char *msg)
{
	size_t *n = ctx;

	(*n)++;
	cli_msg("%s\n", msg);
}

/* "forms version 2 → 3: 1 new field, 1 new choice" and the note. */
static void say_changes(const struct schema *old, const struct schema *new,
                        bool dry_run)
{
	struct schema_changes ch;
	char text[512];
	const char *note = L(new->note_zh, new->note_en);

	schema_changes(old, new, &ch);
	schema_changes_text(&ch, text, sizeof text);
	printf(dry_run ? LF("（试运行，未保存）可以由第 %u 版表单更新到第 %u 版：%s\n",
	                    "(dry run, nothing stored) forms version %u can move to version %u: %s\n")
	               : LF("表单已由第 %u 版更新到第 %u 版：%s\n",
	                    "forms updated from version %u to version %u: %s\n"),
	       old->version, new->version, text);
	if (note && *note) {
		fputs("  ", stdout);
		put(note);
		putchar('\n');
	}
}

static int update_parse(int argc, char **argv, bool *dry_run)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":nh", opts, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch != 'n')
			return cli_bad_option("forms update", ch, argv);
		*dry_run = true;
	}
	if (optind + 1 != argc)
		return cli_usage_error("forms update", L("需要一个表单文件夹", "needs one forms folder"));
	return 0;
}

static int forms_update(struct cli *c, int argc, char **argv)
{
	struct schema_file *files = NULL;
	struct schema *checked = NULL;
	const struct schema *old;
	struct ledger *lg;
	bool dry_run = false;
	size_t n = 0, problems = 0;
	int rc;

	if ((rc = update_parse(argc, argv, &dry_run)) < 0)
		return cli_help(L(forms_help_zh, forms_help_en));
	if (rc)
		return rc;
	if ((rc = schema_read_dir(argv[optind], &files, &n)) != KP_OK)
		return cli_fail(rc);
	if ((rc = cli_open_ledger(c, false, &lg))) {
		schema_files_free(files, n);
		return rc;
	}
	if (lg->upgraded_from)
		cli_msg(LF("kepu: 数据库先采用了安装的第 %u 版表单（原为第 %u 版）\n",
		           "kepu: the database first moved to the installed forms version %u (from version %u)\n"),
		        lg->schema->version, lg->upgraded_from);
	/* Kept by the ledger after an update, as an older version. */
	old = lg->schema;
	if (dry_run)
		rc = ledger_forms_check(lg, files, n, print_problem, &problems, &checked);
	else
		rc = ledger_forms_update(lg, files, n, print_problem, &problems);
	if (rc == KP_OK) {
		say_changes(old, dry_run ? checked : lg->schema, dry_run);
	} else if (rc == KP_NOTFOUND) {
		printf("%s\n", kp_err_msg());
		rc = KP_OK;
	} else if (rc == KP_E_DATA && problems) {
		cli_msg(LF("kepu forms update：%zu 处问题，表单没有更新，数据库仍是第 %u 版\n",
		           problems == 1 ? "kepu forms update: %zu problem; the forms were not updated, the database keeps version %u\n"
		                         : "kepu forms update: %zu problems; the forms were not updated, the database keeps version %u\n"),
		        problems, lg->schema->version);
	} else {
		rc = cli_fail(rc);
		goto out;
	}
	rc = kp_exit_code(rc);
out:
	schema_free(checked);
	ledger_close(lg);
	schema_files_free(files, n);
	return rc;
}

/* ---- export ---------------------------------------------------------- */

static int export_parse(int argc, char **argv, struct bundle_export_opts *o)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': o->out_dir = optarg; break;
		case 'h': return -1;
		default: return cli_bad_option("forms export", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("forms export", L("多余的参数", "unexpected argument"));
	if (!o->out_dir)
		return cli_usage_error("forms export", L("需要 --out 文件夹", "needs --out DIR"));
	return 0;
}

static int forms_export(struct cli *c, int argc, char **argv)
{
	struct bundle_export_opts o = {0};
	struct bundle_export_result r;
	struct ledger *lg;
	int rc;

	rc = export_parse(argc, argv, &o);
	if (rc < 0)
		return cli_help(L(forms_help_zh, forms_help_en));
	if (rc || (rc = cli_out_folder(o.out_dir)) || (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = bundle_forms_export(lg, &o, &r);
	cli_print_notes(r.notes, r.nnotes);
	if (rc != KP_OK)
		rc = cli_fail(rc);
	else
		printf(LF("已写出 %s：第 %u 版表单，%zu 个文件（第 %llu 号表单包）\n",
		          "wrote %s: forms version %u, %zu files (forms bundle %llu)\n"),
		       r.path, r.forms_version, r.rows, (unsigned long long)r.seq);
	bundle_export_result_free(&r);
	ledger_close(lg);
	return rc;
}

/* ---- dictionary ------------------------------------------------------ */

static int forms_dictionary(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "excel", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned flags = 0;
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'x': flags = CSVW_EXCEL; break;
		case 'h': return cli_help(L(forms_help_zh, forms_help_en));
		default: return cli_bad_option("forms dictionary", ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("forms dictionary", L("多余的参数", "unexpected argument"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	rc = bundle_dictionary_write(lg->schema, stdout, flags);
	ledger_close(lg);
	return rc == KP_OK ? 0 : cli_fail(rc);
}

int cmd_forms(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "show") == 0)
		return forms_show(c, argc < 2 ? 1 : argc - 1, argv + (argc < 2 ? 0 : 1));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(L(forms_help_zh, forms_help_en));
	if (strcmp(argv[1], "update") == 0)
		return forms_update(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return forms_export(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "dictionary") == 0)
		return forms_dictionary(c, argc - 1, argv + 1);
	return cli_usage_error("forms", L("需要 show、update、dictionary 或 export",
	                                  "needs show, update, dictionary or export"));
}
