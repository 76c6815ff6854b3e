/* cli.c - what the commands share: opening the database, messages and
 * usage errors, option and value parsing, findings and impacts, cells of
 * tables, creating a database, the view options (--year, --csv, --excel).
 * The commands (cmd_*.c) use it; the table of commands (commands.c) sits
 * above them all. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "check.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"
#include "stop.h"
#include "text.h"

void cli_print_forms(struct cli *c, FILE *out)
{
	struct ledger *lg = NULL;
	struct schema *own = NULL;
	const struct schema *s;
	size_t i;

	if (ledger_open(c->db_path, true, &lg) == KP_OK)
		s = lg->schema;
	else if (schema_load_dir(schema_default_dir(), &own) == KP_OK)
		s = own;
	else
		return;
	fprintf(out, "\n%s\n", L("表单：", "Forms:"));
	for (i = 0; i < s->nforms; i++)
		fprintf(out, "  %-15s %s\n", s->forms[i].id, form_label(&s->forms[i]));
	ledger_close(lg);
	schema_free(own);
}

int cli_open_ledger(struct cli *c, bool readonly, struct ledger **out)
{
	int rc = ledger_open(c->db_path, readonly, out);

	if (rc == KP_OK)
		return 0;
	*out = NULL;
	/* "Create one" only where there is nothing: a folder or another
	 * file there is said as it is (the ledger's message). */
	if (rc != KP_E_NOINPUT || access(c->db_path, F_OK) == 0)
		cli_msg("kepu: %s\n", kp_err_msg());
	else
		cli_msg(LF("kepu: 数据库 %s 不存在；请先建立：kepu init --township 镇代码\n",
		                  "kepu: no database at %s; create one with: kepu init --township ID\n"),
		        c->db_path);
	return kp_exit_code(rc);
}

/* The first of them asks to stop (stop.h); a second ends kepu at once,
 * for a clerk who will not wait (a write transaction that has not
 * committed is lost with the process, the database stays whole). */
static void on_stop(int sig)
{
	if (stop_requested()) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_request(sig);
}

void cli_catch_stops(void)
{
	static const int sigs[] = { SIGINT, SIGHUP, SIGTERM };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;   /* reads and writes go on to a stop point */
	sigemptyset(&sa.sa_mask);
	/* A signal ignored by whoever started kepu (nohup, a background job
	 * of a script) stays ignored: it was asked to go on. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

void cli_say_late_stop(void)
{
	if (stop_requested())
		cli_msg(LF("kepu: %s 来的时候已经做完了，结果有效\n",
		           "kepu: %s came when the work was done; it stands\n"),
		        stop_signal_name(stop_requested()));
}

void cli_print_notes(char *const *notes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cli_msg("kepu: %s\n", notes[i]);
}

/* Write s to f line by line, each line through text_for_terminal. */
static void put_safe(FILE *f, const char *s)
{
	const char *nl;
	char *line, *safe;
	size_t n;

	while (*s) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		line = malloc(n + 1);
		if (line) {
			memcpy(line, s, n);
			line[n] = '\0';
			safe = text_for_terminal(line);
			fputs(safe ? safe : "?", f);
			free(safe);
			free(line);
		}
		if (!nl)
			break;
		fputc('\n', f);
		s = nl + 1;
	}
}

void cli_msg(const char *fmt, ...)
{
	va_list ap, ap2;
	char small[512], *buf = small;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small && (buf = malloc((size_t)n + 1)) != NULL)
		vsnprintf(buf, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (n < 0)
		return;
	put_safe(stderr, buf ? buf : small);
	if (buf != small)
		free(buf);
}

int cli_fail(int status)
{
	const char *msg = kp_err_msg();

	cli_msg("kepu: %s\n", *msg ? msg : kp_strerror(status));
	return kp_exit_code(status);
}

int cli_xlsx_done(int rc, const char *path)
{
	if (rc != KP_OK)
		return cli_fail(rc);
	cli_msg(LF("已写出工作簿 %s\n", "wrote the workbook %s\n"), path);
	return 0;
}

int cli_usage_error(const char *cmd, const char *msg)
{
	if (cmd)
		cli_msg(LF("kepu %s：%s；参见 kepu %s --help\n",
		                  "kepu %s: %s; see kepu %s --help\n"), cmd, msg, cmd);
	else
		cli_msg(LF("kepu：%s；参见 kepu --help\n",
		                  "kepu: %s; see kepu --help\n"), msg);
	return KP_E_USAGE;
}

void cli_getopt_reset(void)
{
	optind = 0;     /* glibc: 0 also reinitialises its internal state */
	opterr = 0;
}

int cli_bad_option(const char *cmd, int ch, char **argv)
{
	char msg[512];
	const char *opt = optind > 0 ? argv[optind - 1] : "?";

	if (ch == ':')
		snprintf(msg, sizeof msg, LF("选项 %s 需要一个值", "option %s needs a value"), opt);
	else if (optopt && optopt != '?')
		snprintf(msg, sizeof msg, LF("未知选项 -%c", "unknown option -%c"), optopt);
	else
		snprintf(msg, sizeof msg, LF("未知选项 %s", "unknown option %s"), opt);
	return cli_usage_error(cmd, msg);
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

int cli_parse_long(const char *cmd, const char *opt, const char *s,
                   long min, long max, long *out)
{
	char msg[256], *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		snprintf(msg, sizeof msg,
		         LF("%s 的值应为 %ld 到 %ld 之间的整数，而不是“%s”",
		            "%s wants a whole number from %ld to %ld, not '%s'"),
		         opt, min, max, s);
		return cli_usage_error(cmd, msg);
	}
	*out = v;
	return 0;
}

int cli_parse_set(const char *cmd, const char *arg, struct record *r)
{
	const char *eq = strchr(arg, '=');
	char name[RECORD_NAME_MAX], *value;
	size_t n;
	int rc;

	if (!eq || eq == arg)
		return cli_usage_error(cmd, L("--set 的写法是 字段=值",
		                              "--set wants field=value"));
	n = (size_t)(eq - arg);
	if (n >= sizeof name)
		return cli_usage_error(cmd, L("字段名太长", "field name too long"));
	memcpy(name, arg, n);
	name[n] = '\0';
	/* The value as the clerk typed it, in UTF-8 whatever the terminal. */
	if (!(value = cli_term_text(eq + 1)))
		return cli_fail(kp_err_nomem());
	rc = record_set(r, name, value);
	free(value);
	if (rc != KP_OK)
		return cli_fail(rc);
	return 0;
}

const struct form *cli_form(const char *cmd, struct ledger *lg, const char *id)
{
	const struct form *f = schema_form(lg->schema, id);
	struct sbuf b = {0};
	size_t i;

	if (f)
		return f;
	sbuf_printf(&b, LF("没有“%s”这个表单（可用：", "unknown form '%s' (forms: "), id);
	for (i = 0; i < lg->schema->nforms; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", lg->schema->forms[i].id);
	sbuf_adds(&b, L("）", ")"));
	cli_usage_error(cmd, b.s ? b.s : id);
	sbuf_free(&b);
	return NULL;
}

int cli_year_check(const char *cmd, struct ledger *lg, long year)
{
	char msg[128];

	if (year >= schema_first_year(lg->schema))
		return 0;
	snprintf(msg, sizeof msg, LF("%ld 年在第一个规划（%d 年起）之前",
	                             "year %ld is before the first plan (from %d)"),
	         year, schema_first_year(lg->schema));
	return cli_usage_error(cmd, msg);
}

/* ---- field names -------------------------------------------------------- */

char *cli_did_you_mean(const struct form *f, const char *name, char *buf,
                       size_t n)
{
	const char *g = schema_field_guess(f, name);

	if (g)
		snprintf(buf, n, LF("；是不是“%s”？", "; did you mean “%s”?"), g);
	else if (n)
		buf[0] = '\0';
	return buf;
}

const char *cli_field_name(const struct form *form, const char *field)
{
	const struct field *fd;

	if (lang_get() == KP_LANG_EN || !*field)
		return field;
	if (strcmp(field, "township") == 0)
		return "镇（街道）";
	fd = form ? form_field(form, field) : NULL;
	return fd ? field_label(fd) : field;
}

const char *cli_township_id(const struct schema *s, const char *name)
{
	size_t i;

	if (!name || schema_township(s, name))
		return name;
	for (i = 0; i < s->ntownships; i++) {
		const struct township *t = &s->townships[i];

		if (strcmp(t->name_zh, name) == 0 || strcasecmp(t->name_en, name) == 0)
			return t->id;
	}
	return name;
}

int cli_township_option(const char *cmd, const struct schema *s,
                        const char *name, const char **id)
{
	size_t i;

	*id = cli_township_id(s, name);
	if (!name || schema_township(s, *id))
		return KP_OK;
	cli_msg(LF("kepu %s：没有“%s”这个镇（街道）；可用代码或名称：\n",
	           "kepu %s: no township \"%s\"; give an id or a name:\n"), cmd, name);
	for (i = 0; i < s->ntownships; i++)
		cli_msg("  %-12s %s\n", s->townships[i].id,
		        township_label(&s->townships[i]));
	return KP_E_DATA;
}

void cli_print_findings(const char *where, const struct form *form,
                        const struct check_result *res)
{
	char hint[RECORD_NAME_MAX * 4];
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		const struct finding *f = &res->findings[i];

		hint[0] = '\0';
		if (f->kind == FK_UNKNOWN_FIELD && f->field[0])
			cli_did_you_mean(form, f->field, hint, sizeof hint);
		cli_msg("%s%s%s%s%s%s%s\n", where ? where : "", where ? ": " : "",
		        f->sev == SEV_WARNING ? L("警告：", "warning: ") : "",
		        cli_field_name(form, f->field), f->field[0] ? L("：", ": ") : "",
		        finding_msg(f), hint);
	}
}

void cli_print_impacts(const struct check_result *res)
{
	char d[32], a[32], t[33];
	size_t i;

	for (i = 0; i < res->nimpacts; i++) {
		const struct impact *im = &res->impacts[i];

		if (im->delta == 0)
			continue;
		cli_num(im->delta, d);
		cli_num(im->achieved, a);
		t[0] = '/';
		if (im->has_target)
			cli_num(im->target, t + 1);
		/* labels come from the database's copy of the forms */
		cli_msg("%s %s%s → %s%s\n", indicator_label(im->ind),
		        im->delta > 0 ? "+" : "", d, a, im->has_target ? t : "");
	}
}

char *cli_num(double v, char buf[32])
{
	size_t n;

	if (fabs(v) < 1e15 && fabs(v - nearbyint(v)) < 1e-9) {
		snprintf(buf, 32, "%.0f", nearbyint(v) == 0 ? 0.0 : nearbyint(v));
		return buf;
	}
	snprintf(buf, 32, "%.2f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

char *cli_iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "%lld", (long long)t);
	return buf;
}

/* Cells of the next character at s (n bytes long): 1 for anything
 * wcwidth cannot measure, as text_width counts it. */
static size_t char_cells(const char *s, size_t n, size_t *len)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;
	int w;

	memset(&st, 0, sizeof st);
	k = mbrtowc(&wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*len = 1;
		return 1;
	}
	*len = k;
	w = wcwidth(wc);
	return w < 0 ? 1 : (size_t)w;
}

static void put_cell(FILE *f, const char *s, size_t cells, bool pad)
{
	char *safe = text_for_terminal(s ? s : "");
	const char *p;
	size_t used = 0, n, len, w;

	p = safe ? safe : "";
	n = strlen(p);
	if (text_width(p) > cells) {
		/* keep one cell for the ellipsis */
		while (n > 0) {
			w = char_cells(p, n, &len);
			if (used + w + 1 > cells)
				break;
			fwrite(p, 1, len, f);
			used += w;
			p += len;
			n -= len;
		}
		if (used < cells) {
			fputs("…", f);
			used++;
		}
	} else {
		fputs(p, f);
		used = text_width(p);
	}
	for (; pad && used < cells; used++)
		fputc(' ', f);
	free(safe);
}

void cli_put_cell(FILE *f, const char *s, size_t cells)
{
	put_cell(f, s, cells, true);
}

void cli_put_text(FILE *f, const char *s, size_t cells)
{
	put_cell(f, s, cells, false);
}

int cli_make_parent(const char *path)
{
	return fs_make_parents(path);
}

/* ---- shared by two command families ------------------------------------- */

/* A new database in a folder that looks shared, which the umask or the
 * folder's group would keep from the other clerks: said now, not when
 * they first find they cannot open it. */
static void warn_shared(const char *path)
{
	char **notes;
	size_t i, n;

	if (fs_share_notes(path, &notes, &n) != KP_OK)
		return;
	for (i = 0; i < n; i++) {
		cli_msg(LF("kepu: 警告：%s\n", "kepu: warning: %s\n"), notes[i]);
		free(notes[i]);
	}
	free(notes);
}

/* "township database 陈埭镇 (chendai), working year 2025, at PATH" */
static void say_created(const struct ledger *lg, const char *path)
{
	const struct township *t = schema_township(lg->schema, lg->township);

	if (lg->mode == LEDGER_CITY_MODE)
		printf(LF("已建立市级数据库 %s（第 %u 版表单）\n",
		          "created city database %s (forms version %u)\n"),
		       path, lg->schema->version);
	else
		printf(LF("已建立%s（%s）的数据库 %s（第 %u 版表单）\n",
		          "created the database of %s (%s) at %s (forms version %u)\n"),
		       t ? township_label(t) : lg->township, lg->township, path,
		       lg->schema->version);
}

int cli_create_db(struct cli *c, const char *cmd, const struct cli_create *o,
                  bool readonly, struct ledger **out)
{
	const char *forms = o->forms ? o->forms : schema_default_dir();
	struct stat sb;
	int rc;

	*out = NULL;
	if (stat(c->db_path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		cli_msg(LF("kepu %s：%s 是一个文件夹；请给出数据库文件的路径（如 %s/kepu.db）\n",
		           "kepu %s: %s is a folder; give the path of the database file (such as %s/kepu.db)\n"),
		        cmd, c->db_path, c->db_path);
		return KP_E_CANTCREAT;
	}
	if (stat(c->db_path, &sb) == 0) {
		cli_msg(LF("kepu %s：数据库 %s 已存在，不会覆盖\n",
		                   "kepu %s: database %s already exists; not overwritten\n"),
		        cmd, c->db_path);
		return KP_E_CANTCREAT;
	}
	if (c->db_default && (rc = cli_make_parent(c->db_path)) != KP_OK)
		return cli_fail(rc);
	rc = ledger_init(c->db_path, forms, o->city ? NULL : o->township);
	if (rc != KP_OK)
		return cli_fail(rc);
	if ((rc = cli_open_ledger(c, readonly, out)))
		return rc;
	say_created(*out, c->db_path);
	warn_shared(c->db_path);
	return 0;
}

static const struct option view_long[] = {
	{ "year", required_argument, NULL, 'y' },
	{ "csv", no_argument, NULL, 'c' },
	{ "excel", no_argument, NULL, 'x' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cli_view_parse(const char *cmd, int argc, char **argv, struct cli_view *o)
{
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", view_long, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((rc = cli_parse_long(cmd, "--year", optarg, 1900, 9999, &o->year)))
				return rc;
			break;
		case 'c': o->csv = 1; break;
		case 'x': o->csv = CSVW_EXCEL + 1; break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, L("多余的参数", "unexpected argument"));
	return 0;
}

int cli_view_year(const char *cmd, struct ledger *lg, long *year)
{
	if (!*year)
		*year = lg->year;
	return cli_year_check(cmd, lg, *year);
}

int cli_parse_encoding(const char *cmd, const char *v, bool *gb)
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

int cli_out_folder(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || S_ISDIR(st.st_mode))
		return 0;
	kp_err_set(KP_E_CANTCREAT, LF("%s 不是文件夹：--out 要的是文件夹（如 U 盘）",
	           "%s is not a folder: --out wants a folder (e.g. a USB stick)"),
	           dir);
	return cli_fail(KP_E_CANTCREAT);
}

const char *cli_party(const char *id)
{
	return strcmp(id, LEDGER_CITY) == 0 ? L("市里（all）", "the city (all)") : id;
}
