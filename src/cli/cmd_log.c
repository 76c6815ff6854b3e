/* cmd_log.c - log: who changed what, when, each field before and after. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "csvio.h"
#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "text.h"

static const char log_help_zh[] =
	"用法：kepu log [编号] [--since 日期] [--csv]\n"
	"修改历史：每一次改动由谁（Unix 账号）、何时做出，每个字段改前 → 改后。\n"
	"给出编号时只列这条记录的历史，否则列出全部改动和表单更新；都是最新的在前。\n"
	"市级数据库中，导入的记录列出镇街当时的每次改动（谁、何时、改了什么），\n"
	"然后是导入本身（merge）。\n\n"
	"  --since D       只列 D（本地日期，如 2025-03-01、3-1）及以后的改动\n"
	"  --csv           CSV（UTF-8，无 BOM）：origin,seq,changed_at,changed_by,\n"
	"                  action,id,township,form,rev,field,before,after；每个改动\n"
	"                  的字段一行，格式见 docs/bundle-format.md 的 history.csv\n";
static const char log_help_en[] =
	"Usage: kepu log [ID] [--since DATE] [--csv]\n"
	"The history: every change, who made it (the Unix account), when, and\n"
	"each field before -> after.  With ID, that record's history; without,\n"
	"every change and forms update.  Newest first.  In a city database an\n"
	"imported record shows each change the township made (who, when, what),\n"
	"then the import itself (merge).\n\n"
	"  --since D       only changes made on D (a local date: 2025-03-01, 3-1)\n"
	"                  or later\n"
	"  --csv           CSV (UTF-8, no BOM): origin, seq, changed_at,\n"
	"                  changed_by, action, id, township, form, rev, field,\n"
	"                  before, after; a row per field changed (history.csv in\n"
	"                  docs/bundle-format.md)\n";

struct log_out {
	struct ledger *lg;
	const char *self;
	bool csv;
	struct csvw w;
	size_t n;
};

static const char *action_label(const char *a)
{
	static const struct { const char *a, *zh, *en; } names[] = {
		{ "add", "新增", "add" }, { "edit", "修改", "edit" },
		{ "delete", "删除", "delete" }, { "attach", "附上", "attach" },
		{ "detach", "移除附件", "detach" }, { "merge", "导入", "merge" },
		{ "forms", "表单更新", "forms" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].a, a) == 0)
			return L(names[i].zh, names[i].en);
	if (year_event_kind_of(a) != YE_NONE)
		return year_event_label(year_event_kind_of(a));
	return a;
}

static const struct field *log_field(struct log_out *o, const char *form,
                                     const char *field)
{
	const struct form *f = schema_form(o->lg->schema, form);

	return f ? form_field(f, field) : NULL;
}

static const char *field_name(struct log_out *o, const char *form,
                              const char *field)
{
	const struct field *fd = log_field(o, form, field);

	if (strcmp(field, LEDGER_LOG_ATTACHMENT) == 0)
		return L("附件", "attachment");
	if (strcmp(field, LEDGER_LOG_DELETED) == 0)
		return L("已删除", "deleted");
	if (strcmp(field, LEDGER_LOG_FORMS) == 0)
		return L("表单版本", "forms version");
	return fd ? field_label(fd) : field;
}

/* A value as typed; a choice's code with its label, as show has it. */
static void put_value(const struct field *fd, const char *v)
{
	const struct choice *ch = *v && fd && fd->type == FT_CHOICE ?
	                          field_choice(fd, v) : NULL;
	char *safe = text_for_terminal(v);

	fputs(!*v ? L("（空）", "(empty)") : safe ? safe : "?", stdout);
	if (ch)
		printf(LF("（%s）", " (%s)"), choice_label(ch));
	free(safe);
}

/* A year's event is no change of a value: "    年度 2025；理由：…" from
 * LEDGER_LOG_YEAR's after, the year then the reason. */
static void put_year(const char *after)
{
	size_t n = strcspn(after, " ");
	char *safe = text_for_terminal(after[n] ? after + n + 1 : "");

	printf(LF("    年度 %.*s", "    year %.*s"), (int)n, after);
	if (safe && *safe)
		printf(LF("；理由：%s", "; reason: %s"), safe);
	fputc('\n', stdout);
	free(safe);
}

static void print_entry(struct log_out *o, const struct ledger_log_entry *e)
{
	char when[32];
	time_t tt = (time_t)e->when;
	struct tm tm;
	size_t i;

	if (!localtime_r(&tt, &tm) || !strftime(when, sizeof when,
	                                        "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof when, "%lld", (long long)e->when);
	printf("%s  ", when);
	if (strcmp(e->origin, o->self) != 0)
		printf("%s/", e->origin);
	cli_put_text(stdout, e->who, 32);
	printf("  %s", action_label(e->action));
	if (*e->id)
		printf(LF("  %s 第 %lu 版", "  %s rev %lu"), e->id, (unsigned long)e->rev);
	if (*e->township && strcmp(e->township, o->self) != 0 &&
	    strcmp(e->township, e->origin) != 0)
		printf("  (%s)", e->township);
	fputc('\n', stdout);
	for (i = 0; i < e->nchanges; i++) {
		const struct ledger_log_change *c = &e->changes[i];
		const struct field *fd = log_field(o, e->form, c->field);

		if (strcmp(c->field, LEDGER_LOG_YEAR) == 0) {
			put_year(c->after);
			continue;
		}
		fputs("    ", stdout);
		cli_put_text(stdout, field_name(o, e->form, c->field), 40);
		fputs(": ", stdout);
		put_value(fd, c->before);
		fputs(" → ", stdout);
		put_value(fd, c->after);
		fputc('\n', stdout);
	}
}

static int log_fn(void *ctx, const struct ledger_log_entry *e)
{
	struct log_out *o = ctx;

	o->n++;
	if (o->csv)
		return ledger_log_csv_entry(&o->w, e);
	print_entry(o, e);
	return ferror(stdout) ? kp_err_set(KP_E_IO, "%s", L("写标准输出失败",
	                                   "cannot write the output")) : KP_OK;
}

/* Local midnight of the day s names. */
static int parse_since(struct ledger *lg, const char *s, int64_t *out)
{
	struct kdate d;
	struct tm tm = { 0 };

	if (date_parse(s, lg->year, &d) != KP_OK)
		return cli_usage_error("log", L("--since 要一个日期，如 2025-03-01",
		                                "--since wants a date, e.g. 2025-03-01"));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

int cmd_log(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger_log_query q = { 0 };
	struct log_out o = { 0 };
	const char *since = NULL;
	struct ledger *lg;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 's': since = optarg; break;
		case 'c': o.csv = true; break;
		case 'h': return cli_help(L(log_help_zh, log_help_en));
		default: return cli_bad_option("log", ch, argv);
		}
	}
	if (optind < argc)
		q.id = argv[optind++];
	if (optind < argc)
		return cli_usage_error("log", L("多余的参数", "unexpected argument"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if (since && (rc = parse_since(lg, since, &q.since)))
		goto out;
	o.lg = lg;
	o.self = lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY : lg->township;
	if (o.csv) {
		csvw_begin(&o.w, stdout, 0);
		ledger_log_csv_head(&o.w);
	}
	rc = ledger_log(lg, &q, log_fn, &o);
	if (o.csv && rc == KP_OK)
		rc = csvw_finish(&o.w);
	if (rc != KP_OK)
		rc = cli_fail(rc);
	else if (!o.csv && o.n == 0)
		printf("%s\n", q.id ? L("这条记录没有符合条件的改动。", "No changes of this record match.")
		                    : L("没有符合条件的改动。", "No changes match."));
out:
	ledger_close(lg);
	return rc;
}
