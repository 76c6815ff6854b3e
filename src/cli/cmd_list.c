/* cmd_list.c - looking at records: list (a table, CSV or a workbook) and
 * show. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "check.h"
#include "cli.h"
#include "date.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"
#include "text.h"
#include "xlsx.h"

static const char list_help_zh[] =
	"用法：kepu list [表单] [--year 年度] [--month YYYY-MM] [--text 文字]\n"
	"                [--deleted] [--limit N] [--csv | --excel | --xlsx 文件 [--force]]\n"
	"列出记录，最新的在前。带 --csv 时输出该表单的 CSV（必须指明表单，\n"
	"按录入先后排列）：列为 id、township、表单的各字段、rev、created_by、\n"
	"created_at、changed_by、changed_at（ISO 8601，UTC）、deleted。\n\n"
	"  --year Y        只列该年度的记录（按日期；第一个规划起的任一年）\n"
	"  --month M       只列该月的记录，如 2025-03\n"
	"  --text S        只列某个字段含有 S 的记录\n"
	"  --deleted       也列出已删除的记录\n"
	"  --limit N       最多 N 条（最新的 N 条）\n"
	"  --csv           CSV：UTF-8 无 BOM，LF 换行，单元格原样输出——以 = + - @\n"
	"                  开头的单元格也原样输出，用 Excel/WPS 打开时会被当作公式\n"
	"                  执行；要在电子表格里打开，请用 --excel\n"
	"  --excel         供 Excel/WPS 打开的 CSV：带 BOM，CRLF，以 = + - @、制表符\n"
	"                  或回车开头的单元格前加 '，防止被当作公式\n"
	"  --xlsx 文件     写成台账工作簿：每张表单一个工作表（指明表单时只有它），\n"
	"                  按日期从早到晚，字段用中文名、选项用中文，文字原样保存为\n"
	"                  文本（身份证号、000123 不会变），可直接打印；不用 --limit。\n"
	"                  文件已存在时不覆盖\n"
	"  --force         覆盖已有的 --xlsx 文件\n";
static const char list_help_en[] =
	"Usage: kepu list [FORM] [--year Y] [--month YYYY-MM] [--text S]\n"
	"                 [--deleted] [--limit N] [--csv | --excel | --xlsx FILE [--force]]\n"
	"List records, newest first.  With --csv, write the form's records as CSV\n"
	"(FORM required; in the order they were added): columns id, township, the\n"
	"form's fields, rev, created_by, created_at, changed_by, changed_at\n"
	"(ISO 8601, UTC), deleted.\n\n"
	"  --year Y        only records dated in year Y (any year from the first\n"
	"                  plan on)\n"
	"  --month M       only records dated in month M, e.g. 2025-03\n"
	"  --text S        only records with S in some field\n"
	"  --deleted       include deleted records too\n"
	"  --limit N       at most N records (the N newest)\n"
	"  --csv           CSV: UTF-8 without BOM, LF, cells exactly as stored,\n"
	"                  formulas too: a cell starting with = + - @ runs as a\n"
	"                  formula when the file is opened in Excel or WPS; for a\n"
	"                  spreadsheet use --excel\n"
	"  --excel         CSV for Excel/WPS: BOM, CRLF, and a ' before cells that\n"
	"                  start with = + - @, tab or CR so they are not taken as\n"
	"                  formulas\n"
	"  --xlsx FILE     write the ledger as a workbook to print: a sheet per\n"
	"                  form (FORM: that one), oldest first, fields and choices\n"
	"                  by their labels, text kept as text (ID numbers, 000123\n"
	"                  stay as typed); --limit does not apply.  An existing\n"
	"                  FILE is not replaced\n"
	"  --force         replace an existing --xlsx FILE\n";

struct list_opts {
	char *text;             /* --text in UTF-8 (owned) */
	const char *form;
	struct ledger_query q;
	long year, limit;
	int csv;                /* 0, or the csvw flags + 1 */
	char month[8];          /* --month as YYYY-MM */
	struct xlsx_opts xlsx;  /* path NULL: no workbook */
};

static const struct option list_long[] = {
	{ "year", required_argument, NULL, 'y' },
	{ "month", required_argument, NULL, 'm' },
	{ "text", required_argument, NULL, 't' },
	{ "deleted", no_argument, NULL, 'd' },
	{ "limit", required_argument, NULL, 'n' },
	{ "csv", no_argument, NULL, 'c' },
	{ "excel", no_argument, NULL, 'x' },
	{ "xlsx", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};


/* Returns 0, an exit code, or -1 for --help. */
static int list_parse(int argc, char **argv, struct list_opts *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", list_long, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((rc = cli_parse_long("list", "--year", optarg, 1900, 9999, &o->year)))
				return rc;
			break;
		case 'm':
			if (date_parse_month(optarg, 0, o->month) != KP_OK)
				return cli_usage_error("list", L("--month 的格式是 YYYY-MM",
				                                 "--month wants YYYY-MM"));
			o->q.month = o->month;
			break;
		case 't':
			free(o->text);
			if (!(o->text = cli_term_text(optarg)))
				return cli_fail(kp_err_nomem());
			o->q.text = o->text;
			break;
		case 'd': o->q.include_deleted = true; break;
		case 'n':
			if ((rc = cli_parse_long("list", "--limit", optarg, 1, 0x7fffffff, &o->limit)))
				return rc;
			break;
		case 'c': o->csv = 1; break;
		case 'x': o->csv = CSVW_EXCEL + 1; break;
		case 'w': o->xlsx.path = optarg; break;
		case 'f': o->xlsx.force = true; break;
		case 'h': return -1;
		default: return cli_bad_option("list", ch, argv);
		}
	}
	if (optind < argc)
		o->form = argv[optind++];
	if (optind < argc)
		return cli_usage_error("list", L("多余的参数", "unexpected argument"));
	if (o->csv && !o->form)
		return cli_usage_error("list", L("--csv 需要指明表单", "--csv needs a FORM"));
	if (o->xlsx.path && o->csv)
		return cli_usage_error("list", L("--xlsx 和 --csv、--excel 只能选一个",
		                                 "--xlsx does not go with --csv or --excel"));
	if (o->xlsx.force && !o->xlsx.path)
		return cli_usage_error("list", L("--force 只用于 --xlsx", "--force goes with --xlsx"));
	o->q.form = o->form;
	o->q.year = (int)o->year;
	o->q.limit = (size_t)o->limit;
	return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

/* Rows are written oldest first as they are read, so that a file added
 * with --from-csv comes back in its order, one record in memory at a time;
 * --limit N (the N newest) first finds where they start. */
struct csv_out {
	const struct form *form;
	struct csvw w;
};

static int csv_header(struct csvw *w, const struct form *f)
{
	static const char *const tail[] = { "rev", "created_by", "created_at",
		"changed_by", "changed_at", "deleted" };
	size_t i;

	csvw_field(w, "id");
	csvw_field(w, "township");
	for (i = 0; i < f->nfields; i++)
		csvw_field(w, f->fields[i].name);
	for (i = 0; i < sizeof tail / sizeof tail[0]; i++)
		csvw_field(w, tail[i]);
	return csvw_end_row(w);
}

static int csv_row(void *ctx, const struct record *r)
{
	struct csv_out *o = ctx;
	char t[32];
	size_t i;

	csvw_field(&o->w, r->id);
	csvw_field(&o->w, r->township);
	for (i = 0; i < o->form->nfields; i++)
		csvw_field(&o->w, record_get(r, o->form->fields[i].name));
	csvw_fieldf(&o->w, "%lu", (unsigned long)r->rev);
	csvw_field(&o->w, r->created_by);
	csvw_field(&o->w, cli_iso_time(r->created_at, t));
	csvw_field(&o->w, r->changed_by);
	csvw_field(&o->w, cli_iso_time(r->changed_at, t));
	csvw_field(&o->w, r->deleted ? "1" : "0");
	return csvw_end_row(&o->w) != KP_OK ? o->w.status : KP_OK;
}

/* The id of every match, newest first: the last one seen is where the
 * --limit newest start. */
struct limit_walk {
	char id[RECORD_ID_LEN + 1];
	size_t n;
};

static int limit_fn(void *ctx, const struct record *r)
{
	struct limit_walk *lw = ctx;

	memcpy(lw->id, r->id, sizeof lw->id);
	lw->n++;
	return KP_OK;
}

static int list_csv(struct ledger *lg, const struct list_opts *lo,
                    const struct form *f)
{
	unsigned flags = (unsigned)(lo->csv - 1);
	struct csv_out o = { .form = f };
	struct ledger_query q = lo->q;
	struct limit_walk lw = { "", 0 };
	int rc = KP_OK;

	if (q.limit) {
		/* One more than the limit: the walk then starts after it. */
		q.limit++;
		rc = ledger_list(lg, &q, limit_fn, &lw);
		q.limit--;
		q.after_id = lw.n > q.limit ? lw.id : NULL;
	}
	q.oldest_first = true;
	csvw_begin(&o.w, stdout, flags);
	csv_header(&o.w, f);
	if (rc == KP_OK)
		rc = ledger_list(lg, &q, csv_row, &o);
	if (rc == KP_OK)
		rc = csvw_finish(&o.w);
	return rc == KP_OK ? 0 : cli_fail(rc);
}

/* ---- the table for people ------------------------------------------------ */

struct table {
	struct ledger *lg;
	bool city, all_forms;
	size_t form_w;          /* cells of the form column, with its space */
	size_t town_w;          /* cells of the township column, likewise */
	size_t n;
};

/* A column that always ends in a space, so that a cut label never runs
 * into the next column. */
static void put_col(const char *s, size_t cells)
{
	cli_put_cell(stdout, s, cells - 1);
	fputc(' ', stdout);
}

/* Cells for the widest label plus its space, at least min, at most 21. */
static size_t col_width(size_t widest, size_t min)
{
	widest++;
	return widest < min ? min : widest > 21 ? 21 : widest;
}

static const struct field *first_field(const struct form *f, enum field_type t)
{
	const struct field *any = NULL;
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		if (f->fields[i].type != t)
			continue;
		if (f->fields[i].required)
			return &f->fields[i];
		if (!any)
			any = &f->fields[i];
	}
	return any;
}

static void table_head(const struct table *t)
{
	cli_put_cell(stdout, L("编号", "id"), 27);
	cli_put_cell(stdout, L("日期", "date"), 11);
	if (t->all_forms)
		put_col(L("表单", "form"), t->form_w);
	if (t->city)
		put_col(L("镇（街道）", "township"), t->town_w);
	cli_put_cell(stdout, L("人数", "number"), 7);
	fputs(L("标题", "title"), stdout);
	fputc('\n', stdout);
}

static int table_row(void *ctx, const struct record *r)
{
	struct table *t = ctx;
	const struct form *f = schema_form(t->lg->schema, r->form);
	const struct field *dt = f ? first_field(f, FT_DATE) : NULL;
	const struct field *num = f ? first_field(f, FT_INTEGER) : NULL;
	const struct field *title = f ? first_field(f, FT_TEXT) : NULL;
	const struct township *tw;
	char cell[64];

	cli_put_cell(stdout, r->id, 27);
	cli_put_cell(stdout, dt ? record_get(r, dt->name) : "", 11);
	if (t->all_forms)
		put_col(f ? form_label(f) : r->form, t->form_w);
	if (t->city) {
		tw = schema_township(t->lg->schema, r->township);
		put_col(tw ? township_label(tw) : r->township, t->town_w);
	}
	snprintf(cell, sizeof cell, "%6s ", num && record_get(r, num->name) ?
	         record_get(r, num->name) : "");
	cli_put_cell(stdout, cell, 7);
	if (r->deleted)
		fputs(L("【已删除】", "[deleted] "), stdout);
	cli_put_text(stdout, title ? record_get(r, title->name) : "", 40);
	fputc('\n', stdout);
	t->n++;
	return KP_OK;
}

static int list_table(struct ledger *lg, const struct list_opts *lo)
{
	struct table t = { .lg = lg, .city = lg->mode == LEDGER_CITY_MODE,
	                   .all_forms = !lo->form };
	size_t i, w = 0;
	int rc;

	for (i = 0; i < lg->schema->nforms; i++)
		if (text_width(form_label(&lg->schema->forms[i])) > w)
			w = text_width(form_label(&lg->schema->forms[i]));
	t.form_w = col_width(w, 5);
	for (i = 0, w = 0; i < lg->schema->ntownships; i++)
		if (text_width(township_label(&lg->schema->townships[i])) > w)
			w = text_width(township_label(&lg->schema->townships[i]));
	t.town_w = col_width(w, 11);

	table_head(&t);
	rc = ledger_list(lg, &lo->q, table_row, &t);
	if (rc != KP_OK)
		return cli_fail(rc);
	printf(LF("共 %zu 条\n", t.n == 1 ? "%zu record\n" : "%zu records\n"), t.n);
	return 0;
}

/* The listing itself, on an open ledger (closed here). */
static int list_run(struct ledger *lg, struct list_opts *o)
{
	const struct form *f = NULL;
	int rc = 0;

	/* as report does: a year before the first plan is a mistake, not a
	 * year without records */
	if (o->year && (rc = cli_year_check("list", lg, o->year)))
		goto out;
	if (o->q.month && (rc = cli_year_check("list", lg, atol(o->q.month))))
		goto out;
	if (o->form && !(f = cli_form("list", lg, o->form)))
		rc = KP_E_USAGE;
	else if (o->xlsx.path)
		rc = cli_xlsx_done(xlsx_list_write(lg, &o->q, &o->xlsx), o->xlsx.path);
	else if (o->csv)
		rc = list_csv(lg, o, f);
	else
		rc = list_table(lg, o);
out:
	ledger_close(lg);
	return rc;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct list_opts o = { 0 };
	struct ledger *lg;
	int rc;

	rc = list_parse(argc, argv, &o);
	if (rc < 0)
		rc = cli_help(L(list_help_zh, list_help_en));
	else if (!rc && (rc = cli_open_ledger(c, true, &lg)) == 0)
		rc = list_run(lg, &o);
	free(o.text);
	return rc;
}

/* ---- show ----------------------------------------------------------------- */

static const char show_help_zh[] =
	"用法：kepu show 编号\n"
	"显示一条记录的全部字段、附件（名称、类型、大小）和记账信息（修订号、录入人、\n"
	"修改人、时间）。修改历史见 kepu log 编号。\n"
	"编号不存在时退出码 66。\n";
static const char show_help_en[] =
	"Usage: kepu show ID\n"
	"Show every field of a record, its attachments (name, type, size) and its\n"
	"bookkeeping (revision, who created and changed it, when); kepu log ID\n"
	"shows its history.  Exits with 66 for an unknown id.\n";

static char *local_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, 32, "%lld", (long long)t);
	return buf;
}

static void show_line(size_t width, const char *label, const char *value)
{
	char *safe = text_for_terminal(value ? value : "");

	cli_put_cell(stdout, label, width + 2);
	printf("%s\n", safe ? safe : "");
	free(safe);
}

static void show_field(size_t width, const struct field *fl, const char *v)
{
	const struct choice *ch = v && fl->type == FT_CHOICE ? field_choice(fl, v) : NULL;
	struct sbuf b = {0};

	if (ch && sbuf_printf(&b, LF("%s（%s）", "%s (%s)"), v, choice_label(ch)) == KP_OK)
		show_line(width, field_label(fl), b.s);
	else
		show_line(width, field_label(fl), v);
	sbuf_free(&b);
}

/* "附件  签到表.jpg（JPEG 照片，2.1 MB）", a line each. */
static void show_attachments(struct ledger *lg, size_t w, const struct record *r)
{
	struct sbuf b = {0};
	char size[32];
	size_t i;
	bool have;

	for (i = 0; i < r->natt; i++) {
		const struct record_att *a = &r->att[i];

		sbuf_reset(&b);
		if (ledger_attach_have(lg, a->sha, &have) != KP_OK)
			have = true;
		sbuf_printf(&b, LF("%s（%s，%s%s）", "%s (%s, %s%s)"), a->name,
		            attach_type_label(a->type), attach_size_text(a->size, size),
		            have ? "" : L("，内容未收到", ", bytes not received"));
		show_line(w, i ? "" : L("附件", "attachments"), b.s);
	}
	sbuf_free(&b);
}

static void show_record(struct ledger *lg, const struct record *r)
{
	const struct form *f = schema_form(lg->schema, r->form);
	const struct township *tw = schema_township(lg->schema, r->township);
	size_t i, w = 12;
	char a[32], num[32];
	struct sbuf b = {0};

	for (i = 0; f && i < f->nfields; i++)
		if (text_width(field_label(&f->fields[i])) > w)
			w = text_width(field_label(&f->fields[i]));
	show_line(w, L("编号", "id"), r->id);
	show_line(w, L("表单", "form"), f ? form_label(f) : r->form);
	show_line(w, L("镇（街道）", "township"), tw ? township_label(tw) : r->township);
	if (r->deleted)
		show_line(w, L("状态", "status"), L("已删除", "deleted"));
	fputc('\n', stdout);
	for (i = 0; f && i < f->nfields; i++) {
		const char *v = record_get(r, f->fields[i].name);
		/* a blank field that does not apply (farmers of a worker
		 * training) is noise */
		if (v || check_field_relevant(&f->fields[i], r))
			show_field(w, &f->fields[i], v);
	}
	/* fields the current form no longer has */
	for (i = 0; i < r->nfields; i++)
		if (!f || !form_field(f, r->fields[i].name))
			show_line(w, r->fields[i].name, r->fields[i].value);
	show_attachments(lg, w, r);
	fputc('\n', stdout);
	snprintf(num, sizeof num, "%lu", (unsigned long)r->rev);
	show_line(w, L("修订号", "revision"), num);
	sbuf_printf(&b, "%s  %s", r->created_by, local_time(r->created_at, a));
	show_line(w, L("录入", "created"), b.s);
	sbuf_reset(&b);
	sbuf_printf(&b, "%s  %s", r->changed_by, local_time(r->changed_at, a));
	show_line(w, L("最后修改", "changed"), b.s);
	sbuf_free(&b);
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger *lg;
	struct record r;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(L(show_help_zh, show_help_en));
		return cli_bad_option("show", ch, argv);
	}
	if (optind + 1 != argc)
		return cli_usage_error("show", L("需要一个记录编号", "needs one record ID"));
	if ((rc = cli_open_ledger(c, true, &lg)))
		return rc;
	record_init(&r);
	rc = ledger_get(lg, argv[optind], &r);
	if (rc == KP_OK)
		show_record(lg, &r);
	else if (rc == KP_NOTFOUND)
		cli_msg(LF("kepu: 没有编号为 %s 的记录\n", "kepu: no record %s\n"),
		        argv[optind]);
	else
		cli_fail(rc);
	record_free(&r);
	ledger_close(lg);
	return kp_exit_code(rc);
}
