/* cmd_years.c - the end of a year: close and reopen (a township), approve
 * and return (the city, sending the decision with --out), and received:
 * who has reported, and every year event. */
#include "config.h"

#include <getopt.h>
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

/* ---- options ------------------------------------------------------------ */

struct years_opts {
	long year;
	const char *township;
	const char *reason;
	const char *out_dir;
	bool events;
	bool force;               /* approve: with bundles missing */
	int csv;                  /* 0, or the csvw flags + 1 */
};

static const struct option years_long[] = {
	{ "year", required_argument, NULL, 'y' },
	{ "township", required_argument, NULL, 't' },
	{ "reason", required_argument, NULL, 'r' },
	{ "out", required_argument, NULL, 'o' },
	{ "events", no_argument, NULL, 'e' },
	{ "csv", no_argument, NULL, 'c' },
	{ "excel", no_argument, NULL, 'x' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options cmd takes are those of years_long whose letters `takes`
 * holds (and --help).  Returns 0, an exit code, or -1 for --help. */
static int years_parse(const char *cmd, const char *takes, int argc,
                       char **argv, struct years_opts *o)
{
	struct option opts[sizeof years_long / sizeof years_long[0]];
	size_t i, k = 0;
	int ch, rc;

	for (i = 0; years_long[i].name; i++)
		if (years_long[i].val == 'h' || strchr(takes, years_long[i].val))
			opts[k++] = years_long[i];
	memset(&opts[k], 0, sizeof opts[k]);
	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			if ((rc = cli_parse_long(cmd, "--year", optarg, 1900, 9999,
			                         &o->year)))
				return rc;
			break;
		case 't': o->township = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'o': o->out_dir = optarg; break;
		case 'e': o->events = true; break;
		case 'c': o->csv = 1; break;
		case 'x': o->csv = CSVW_EXCEL + 1; break;
		case 'f': o->force = true; break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, L("多余的参数", "unexpected argument"));
	return 0;
}

static int need(const char *cmd, bool ok, const char *zh, const char *en)
{
	return ok ? 0 : cli_usage_error(cmd, L(zh, en));
}

static void day_of(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
		snprintf(out, 16, "?");
}

/* ---- close and reopen --------------------------------------------------- */

static const char close_help_zh[] =
	"用法：kepu close --year 年度\n"
	"关闭本镇（街道）的一个年度：该年度的数字定稿，此后日期在这一年的记录\n"
	"不能新增、修改或删除（退出码 65），直到用 kepu reopen 重开。关闭会记入\n"
	"年度记录，并随下一个数据包（kepu export）报送市里，由市里审核（通过或退回）。\n"
	"已关闭的年度再关闭一次不做任何改变（退出码 0）。\n\n"
	"  --year Y    要关闭的年度（第一个规划起到今年）\n";
static const char close_help_en[] =
	"Usage: kepu close --year Y\n"
	"Close one of this township's years: its figures are final, and records\n"
	"dated in it can be neither added, edited nor deleted (exit 65) until\n"
	"kepu reopen opens it again.  The close is kept among the year's events\n"
	"and goes to the city in the next bundle (kepu export), where the city\n"
	"approves or returns the year.  Closing a closed year changes nothing\n"
	"(exit 0).\n\n"
	"  --year Y    the year to close (from the first plan to this year)\n";

static const char reopen_help_zh[] =
	"用法：kepu reopen --year 年度 --reason 理由\n"
	"重开已关闭的年度，以便改动它的记录；理由会记入年度记录，并随下一个\n"
	"数据包报送市里（市里已通过的年度也可以重开，市里会看到）。改完后再\n"
	"kepu close 关闭。\n\n"
	"  --year Y         要重开的年度\n"
	"  --reason 理由    为什么重开（必填，一行，最多 200 个字符宽）\n";
static const char reopen_help_en[] =
	"Usage: kepu reopen --year Y --reason TEXT\n"
	"Reopen a closed year to change its records; the reason is kept among\n"
	"the year's events and goes to the city in the next bundle (a year the\n"
	"city approved can be reopened too: the city sees it).  Close it again\n"
	"with kepu close once done.\n\n"
	"  --year Y         the year to reopen\n"
	"  --reason TEXT    why (required; one line, at most 200 cells)\n";

static int run_close(struct cli *c, int argc, char **argv, bool reopen)
{
	const char *cmd = reopen ? "reopen" : "close";
	struct years_opts o = { 0 };
	struct year_event ev;
	struct ledger *lg;
	int rc;

	rc = years_parse(cmd, reopen ? "yr" : "y", argc, argv, &o);
	if (rc < 0)
		return cli_help(reopen ? L(reopen_help_zh, reopen_help_en)
		                       : L(close_help_zh, close_help_en));
	if (rc || (rc = need(cmd, o.year, "需要 --year 年度", "needs --year Y")) ||
	    (reopen && (rc = need(cmd, o.reason, "需要 --reason 理由",
	                          "needs --reason TEXT"))) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = reopen ? ledger_year_reopen(lg, (int)o.year, o.reason, &ev)
	            : ledger_year_close(lg, (int)o.year, &ev);
	if (rc == KP_NOTFOUND) {
		printf("%s\n", kp_err_msg());
		rc = 0;
	} else if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else if (reopen) {
		printf(LF("已重开 %ld 年度（理由：%s）；改完后用 kepu close --year %ld 再关闭\n",
		          "reopened %ld (reason: %s); close it again with kepu close --year %ld once done\n"),
		       o.year, ev.reason, o.year);
	} else {
		printf(LF("已关闭 %ld 年度：%ld 年的记录不能再新增、修改或删除；"
		          "下一个数据包（kepu export）会把关闭报送市里\n",
		          "closed %ld: records dated %ld can no longer be added, edited "
		          "or deleted; the next bundle (kepu export) tells the city\n"),
		       o.year, o.year);
		/* Closing early shuts December's entries out, and the reopening
		 * it needs stays in the city's list for good. */
		if (o.year == lg->year)
			cli_msg(LF("kepu: 注意：%ld 年还没有过完，今年余下的活动要等重开后才能录入"
			           "（kepu reopen --year %ld --reason 理由）\n",
			           "kepu: note: %ld is not over yet; what happens in the rest "
			           "of it can be entered only after a reopen (kepu reopen "
			           "--year %ld --reason TEXT)\n"), o.year, o.year);
	}
	ledger_close(lg);
	return rc;
}

int cmd_close(struct cli *c, int argc, char **argv)
{
	return run_close(c, argc, argv, false);
}

int cmd_reopen(struct cli *c, int argc, char **argv)
{
	return run_close(c, argc, argv, true);
}

/* ---- approve and return ------------------------------------------------- */

static const char approve_help_zh[] =
	"用法：kepu approve --township 镇街 --year 年度 [--out 文件夹] [--force]\n"
	"（市级）通过某镇（街道）已关闭的年度。只能通过该镇已关闭（其数据包带来了\n"
	"关闭记录）的年度。该镇有缺号的数据包时（kepu received）不通过：缺的包里\n"
	"可能有这一年的改动。决定要送回该镇：给 --out（如 U 盘）就同时写出给该镇的\n"
	"决定包；以后也可以用 kepu export --township 镇街 --out 文件夹 写出。\n\n"
	"  --township T   镇街编号\n"
	"  --year Y       年度\n"
	"  --out DIR      同时在此文件夹写出决定包 decision-镇街-编号-日期\n"
	"  --force        有缺号的数据包也通过\n";
static const char approve_help_en[] =
	"Usage: kepu approve --township T --year Y [--out DIR] [--force]\n"
	"(City) Approve a township's closed year: one whose close has reached\n"
	"the city in its bundles.  Not while bundles of the township are missing\n"
	"(kepu received): they may hold changes to the year.  The decision goes\n"
	"back to the township: with --out (a USB stick) the decision bundle for\n"
	"it is written at once; kepu export --township T --out DIR writes it\n"
	"later too.\n\n"
	"  --township T   the township id\n"
	"  --year Y       the year\n"
	"  --out DIR      also write its decision bundle decision-T-SEQ-DATE there\n"
	"  --force        approve with bundles missing all the same\n";

static const char return_help_zh[] =
	"用法：kepu return --township 镇街 --year 年度 --reason 理由 [--out 文件夹]\n"
	"（市级）退回某镇（街道）已关闭的年度，说明理由；该镇导入决定包后，首页显示\n"
	"“已退回：理由”，重开（kepu reopen）改正后再关闭报送。\n\n"
	"  --township T     镇街编号\n"
	"  --year Y         年度\n"
	"  --reason 理由    退回的理由（必填，一行，最多 200 个字符宽）\n"
	"  --out DIR        同时在此文件夹写出决定包\n";
static const char return_help_en[] =
	"Usage: kepu return --township T --year Y --reason TEXT [--out DIR]\n"
	"(City) Return a township's closed year, saying why; once the township\n"
	"imports the decision bundle its home screen says \"returned: TEXT\", and\n"
	"it reopens the year (kepu reopen), corrects it and closes it again.\n\n"
	"  --township T     the township id\n"
	"  --year Y         the year\n"
	"  --reason TEXT    why (required; one line, at most 200 cells)\n"
	"  --out DIR        also write its decision bundle there\n";

/* The decision bundle for township into dir (decision recorded or not). */
static int send_decisions(struct ledger *lg, const char *township,
                          const char *dir)
{
	struct bundle_export_opts eo = { .out_dir = dir, .township = township };
	struct bundle_export_result r;
	int rc = bundle_decision_export(lg, &eo, &r);

	cli_print_notes(r.notes, r.nnotes);
	if (rc == KP_OK)
		printf(LF("已写出 %s：%zu 条决定（第 %llu 号决定包）；在 %s 的数据库中 kepu import 导入\n",
		          r.rows == 1 ? "wrote %s: %zu decision (decision bundle %llu); import it in %s's database with kepu import\n"
		                      : "wrote %s: %zu decisions (decision bundle %llu); import it in %s's database with kepu import\n"),
		       r.path, r.rows, (unsigned long long)r.seq, township);
	bundle_export_result_free(&r);
	return rc;
}

/* Approving while the township's bundles have a gap: the missing ones may
 * change the year (a late record, a correction), and arrive after it. */
static int approve_gaps(struct ledger *lg, const char *township, int year)
{
	char missing[BUNDLE_MISSING_MAX];
	int rc = bundle_missing_of(lg, township, missing, sizeof missing);

	if (rc != KP_OK || !missing[0])
		return rc;
	return kp_err_set(KP_E_DATA, LF("%s 缺第 %s 号数据包（kepu received）：其中可能有 "
	                  "%d 年的改动，导入后再通过；确认不等它们时加 --force",
	                  "%s's bundles %s are missing (kepu received): they may "
	                  "hold changes to %d; import them first, or approve "
	                  "all the same with --force"), township, missing, year);
}

static int run_decide(struct cli *c, int argc, char **argv, bool ret)
{
	const char *cmd = ret ? "return" : "approve";
	struct years_opts o = { 0 };
	struct year_event ev;
	struct year_state st;
	bool was_approved;
	struct ledger *lg;
	int rc;

	rc = years_parse(cmd, ret ? "tyro" : "tyof", argc, argv, &o);
	if (rc < 0)
		return cli_help(ret ? L(return_help_zh, return_help_en)
		                    : L(approve_help_zh, approve_help_en));
	if (rc || (rc = need(cmd, o.township, "需要 --township 镇街", "needs --township T")) ||
	    (rc = need(cmd, o.year, "需要 --year 年度", "needs --year Y")) ||
	    (ret && (rc = need(cmd, o.reason, "需要 --reason 理由", "needs --reason TEXT"))) ||
	    (o.out_dir && (rc = cli_out_folder(o.out_dir))) ||
	    (rc = cli_open_ledger(c, false, &lg)))
		return rc;
	was_approved = ret && ledger_year_state(lg, o.township, (int)o.year, &st) == KP_OK &&
	               st.decision_current && st.decision.kind == YE_APPROVED;
	rc = !ret && !o.force ? approve_gaps(lg, o.township, (int)o.year) : KP_OK;
	if (rc == KP_OK)
		rc = ledger_year_decide(lg, o.township, (int)o.year,
		                        ret ? YE_RETURNED : YE_APPROVED, o.reason, &ev);
	if (rc == KP_NOTFOUND) {
		printf("%s\n", kp_err_msg());
		rc = KP_OK;
	} else if (rc == KP_OK) {
		printf(ret ? LF("已退回 %s 的 %ld 年度（理由：%s）\n", "returned %s's %ld (reason: %s)\n")
		           : LF("已通过 %s 的 %ld 年度%s\n", "approved %s's %ld%s\n"),
		       o.township, o.year, ret ? ev.reason : "");
		if (was_approved) {
			char day[16];

			day_of(st.decision.at, day);
			printf(LF("（这一年度已于 %s 通过，现在改为退回）\n",
			          "(the year was approved on %s; it is returned now)\n"), day);
		}
		if (!o.out_dir)
			printf(LF("（决定要送回 %s：kepu export --township %s --out 文件夹）\n",
			          "(send it to %s: kepu export --township %s --out DIR)\n"),
			       o.township, o.township);
	}
	if (rc == KP_OK && o.out_dir && (rc = send_decisions(lg, o.township,
	                                                     o.out_dir)) != KP_OK)
		cli_msg(LF("kepu: 决定已记下，但决定包没有写出；可用 kepu export --township %s --out 文件夹 重写\n",
		           "kepu: the decision is recorded, but no decision bundle was written; kepu export --township %s --out DIR writes it\n"),
		        o.township);
	rc = rc == KP_OK ? 0 : cli_fail(rc);
	ledger_close(lg);
	return rc;
}

int cmd_approve(struct cli *c, int argc, char **argv)
{
	return run_decide(c, argc, argv, false);
}

int cmd_return(struct cli *c, int argc, char **argv)
{
	return run_decide(c, argc, argv, true);
}

/* ---- received ----------------------------------------------------------- */

static const char received_help_zh[] =
	"用法：kepu received [--year 年度] [--csv | --excel] [--events]\n"
	"（市级）各镇（街道）的报送情况：收到的数据包个数、最后编号、写出和导入时间、\n"
	"行数、缺号；该年度是否已报送（收到过含该年度记录或进度的数据包）、年度状态\n"
	"（关闭、重开、通过、退回）和已关闭的年度；最后列出该年未报送和从未报送的镇街。\n"
	"--events 列出全部年度记录（关闭、重开、通过、退回），镇街数据库也可用。\n\n"
	"  --year Y    年度（默认：今年）\n"
	"  --csv       CSV：township,year,reported,bundles,last_seq,last_bundle,\n"
	"              last_written,last_imported,rows,missing,year_state,decision,\n"
	"              reason,closed_years；带 --events 时：township,seq,year,event,\n"
	"              close_seq,by,at,reason,received_at\n"
	"  --excel     供 Excel/WPS 打开的 CSV（BOM、CRLF）\n"
	"  --events    年度记录，而不是报送情况\n";
static const char received_help_en[] =
	"Usage: kepu received [--year Y] [--csv | --excel] [--events]\n"
	"(City) Who has reported: per township the data bundles received (how\n"
	"many, the last number, when it was written and imported, rows, missing\n"
	"numbers), whether it reported for the year (a bundle with a record\n"
	"dated in it or a progress report covering it arrived), where the year\n"
	"stands (closed, reopened, approved, returned) and the years it has\n"
	"closed; then the townships that have not reported for the year and\n"
	"those that never reported.  --events lists every year event (closed,\n"
	"reopened, approved, returned), in a township database too.\n\n"
	"  --year Y    the year (default: this year)\n"
	"  --csv       CSV: township,year,reported,bundles,last_seq,last_bundle,\n"
	"              last_written,last_imported,rows,missing,year_state,decision,\n"
	"              reason,closed_years; with --events: township,seq,year,event,\n"
	"              close_seq,by,at,reason,received_at\n"
	"  --excel     CSV for Excel/WPS (BOM, CRLF)\n"
	"  --events    the year events instead\n";

struct ev_out {
	struct csvw w;
	bool csv;
	size_t n;
};

static int event_out(void *ctx, const struct year_event *ev)
{
	struct ev_out *eo = ctx;
	char at[32], rec[32] = "", day[16];

	eo->n++;
	cli_iso_time(ev->at, at);
	if (ev->received_at)
		cli_iso_time(ev->received_at, rec);
	if (!eo->csv) {
		char line[LEDGER_REASON_MAX + 256];

		day_of(ev->at, day);
		snprintf(line, sizeof line, "%-12s %4d  %s  %s  %s%s%s", ev->township,
		         ev->year, year_event_label(ev->kind), day, ev->by,
		         ev->reason[0] ? L("：", ": ") : "", ev->reason);
		cli_put_text(stdout, line, sizeof line);
		fputc('\n', stdout);
		return KP_OK;
	}
	csvw_field(&eo->w, ev->township);
	csvw_fieldf(&eo->w, "%llu", (unsigned long long)ev->seq);
	csvw_fieldf(&eo->w, "%d", ev->year);
	csvw_field(&eo->w, year_event_word(ev->kind));
	if (ev->close_seq)
		csvw_fieldf(&eo->w, "%llu", (unsigned long long)ev->close_seq);
	else
		csvw_field(&eo->w, NULL);
	csvw_field(&eo->w, ev->by);
	csvw_field(&eo->w, at);
	csvw_field(&eo->w, ev->reason);
	csvw_field(&eo->w, rec);
	csvw_end_row(&eo->w);
	return eo->w.status;
}

static int list_events(struct ledger *lg, const struct years_opts *o)
{
	static const char *const head[] = { "township", "seq", "year", "event",
		"close_seq", "by", "at", "reason", "received_at" };
	const char *town = lg->mode == LEDGER_TOWNSHIP ? lg->township : NULL;
	struct ev_out eo = { .csv = o->csv != 0 };
	int rc;

	if (eo.csv) {
		csvw_begin(&eo.w, stdout, (unsigned)(o->csv - 1));
		csvw_row(&eo.w, sizeof head / sizeof head[0], head);
	}
	rc = ledger_year_events(lg, town, false, 0, event_out, &eo);
	if (rc == KP_OK)
		rc = ledger_year_events(lg, town, true, 0, event_out, &eo);
	if (eo.csv && csvw_finish(&eo.w) != KP_OK && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, "%s", L("写出失败", "cannot write"));
	if (rc == KP_OK && !eo.csv && eo.n == 0)
		printf("%s\n", L("还没有年度记录（关闭、重开、通过、退回）",
		                 "no year events yet (closed, reopened, approved, returned)"));
	return rc;
}

int cmd_received(struct cli *c, int argc, char **argv)
{
	struct years_opts o = { 0 };
	struct bundle_received *r = NULL;
	struct ledger *lg;
	size_t n = 0;
	int rc;

	rc = years_parse("received", "ycxe", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(received_help_zh, received_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if (o.events)
		rc = list_events(lg, &o);
	else if ((rc = cli_view_year("received", lg, &o.year)) != 0) {
		ledger_close(lg);
		return rc;
	} else if ((rc = bundle_received(lg, (int)o.year, &r, &n)) == KP_OK)
		rc = o.csv ? bundle_received_write_csv(r, n, (int)o.year, stdout,
		                                       (unsigned)(o.csv - 1))
		           : bundle_received_write_table(r, n, (int)o.year, stdout);
	free(r);
	rc = rc == KP_OK ? 0 : cli_fail(rc);
	ledger_close(lg);
	return rc;
}
