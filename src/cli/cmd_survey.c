/* cmd_survey.c - survey: enter (city database) and show the indicators
 * measured by survey rather than added up from records. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"

static const char survey_help_zh[] =
	"用法：kepu survey set 指标=数值 [--year 年度]\n"
	"      kepu survey show [--year 年度] [--csv | --excel]\n"
	"录入或查看由调查得出的指标（如 science_literacy_rate 具备科学素质的公民\n"
	"比例，单位 %），这类指标不由记录累计。调查值是全市的，只能在市级数据库\n"
	"中录入（镇街数据库中 set 以 64 退出），并计入市级报告中 all 那一行。\n";
static const char survey_help_en[] =
	"Usage: kepu survey set INDICATOR=VALUE [--year Y]\n"
	"       kepu survey show [--year Y] [--csv | --excel]\n"
	"Enter or show indicators measured by survey (such as\n"
	"science_literacy_rate, the share of citizens with basic scientific\n"
	"literacy, in %), which no record adds up to.  Survey values are\n"
	"city-wide: they are entered in the city database only (set exits 64\n"
	"in a township database) and shown in the city report's \"all\" row.\n";

/* The survey indicator named by the text before '=' in arg, or NULL after
 * a usage message listing them. */
static const struct indicator *survey_indicator(struct ledger *lg, const char *arg)
{
	const struct schema *s = lg->schema;
	struct sbuf b = {0};
	size_t i, n = strcspn(arg, "=");

	for (i = 0; i < s->nindicators; i++)
		if (s->indicators[i].measure == MEASURE_SURVEY &&
		    strlen(s->indicators[i].id) == n &&
		    strncmp(s->indicators[i].id, arg, n) == 0)
			return &s->indicators[i];
	sbuf_printf(&b, LF("“%.*s”不是调查类指标（可用：", "'%.*s' is not a survey indicator (survey indicators: "),
	            (int)n, arg);
	for (i = 0, n = 0; i < s->nindicators; i++)
		if (s->indicators[i].measure == MEASURE_SURVEY)
			sbuf_printf(&b, "%s%s", n++ ? L("、", ", ") : "",
			            s->indicators[i].id);
	sbuf_adds(&b, L("）", ")"));
	cli_usage_error("survey set", b.s ? b.s : arg);
	sbuf_free(&b);
	return NULL;
}

static int survey_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct indicator *ind;
	struct ledger *lg;
	const char *eq;
	char *end, num[32];
	long year = 0;
	double v;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(L(survey_help_zh, survey_help_en));
		if (ch != 'y')
			return cli_bad_option("survey set", ch, argv);
		if ((rc = cli_parse_long("survey set", "--year", optarg, 1900, 9999, &year)))
			return rc;
	}
	if (optind + 1 != argc || !(eq = strchr(argv[optind], '=')))
		return cli_usage_error("survey set", L("需要 指标=数值", "needs INDICATOR=VALUE"));
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	/* A survey result is the city's (domain: science_literacy_rate is
	 * measured city-wide); a township's copy would reach no report. */
	if (lg->mode != LEDGER_CITY_MODE) {
		rc = cli_usage_error("survey set", L("调查类指标（如 science_literacy_rate）"
		                     "是全市的调查结果，只能在市级数据库中录入，"
		                     "镇（街道）数据库不录入",
		                     "survey indicators (such as science_literacy_rate) "
		                     "are city-wide survey results: enter them in the "
		                     "city database, not in a township's"));
		goto out;
	}
	if (!(ind = survey_indicator(lg, argv[optind]))) {
		rc = KP_E_USAGE;
		goto out;
	}
	if ((rc = cli_view_year("survey set", lg, &year)))
		goto out;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (errno || end == eq + 1 || *end || !isfinite(v) || v < 0 ||
	    (strcmp(ind->unit_en ? ind->unit_en : "", "%") == 0 && v > 100)) {
		if (strcmp(ind->unit_en ? ind->unit_en : "", "%") == 0)
			cli_msg(LF("kepu: %s：“%s”不是有效的数值（应为 0 到 100 之间的百分数）\n",
			           "kepu: %s: '%s' is not a valid value (a percentage from 0 to 100)\n"),
			        ind->id, eq + 1);
		else
			cli_msg(LF("kepu: %s：“%s”不是有效的数值（应为不小于 0 的数）\n",
			           "kepu: %s: '%s' is not a valid value (a number, 0 or more)\n"),
			        ind->id, eq + 1);
		rc = KP_E_DATA;
		goto out;
	}
	rc = ledger_set_value(lg, (int)year, ind->id, v);
	if (rc == KP_OK)
		printf(LF("%s %ld 年：%s\n", "%s %ld: %s\n"), indicator_label(ind), year,
		       cli_num(v, num));
	else
		rc = cli_fail(rc);
out:
	ledger_close(lg);
	return rc;
}

static int survey_show(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "year", "indicator", "value", "target" };
	struct cli_view o = { 0 };
	struct ledger *lg;
	struct csvw w;
	char vb[32], tb[32];
	size_t i;
	int rc;

	rc = cli_view_parse("survey show", argc, argv, &o);
	if (rc < 0)
		return cli_help(L(survey_help_zh, survey_help_en));
	if (rc || (rc = cli_open_ledger(c, true, &lg)))
		return rc;
	if ((rc = cli_view_year("survey show", lg, &o.year)))
		goto out;
	if (o.csv) {
		csvw_begin(&w, stdout, (unsigned)(o.csv - 1));
		csvw_row(&w, 4, head);
	}
	for (i = 0; i < lg->schema->nindicators; i++) {
		const struct indicator *ind = &lg->schema->indicators[i];
		double v;
		char yb[16];

		if (ind->measure != MEASURE_SURVEY)
			continue;
		if (ledger_value(lg, (int)o.year, ind->id, &v) == KP_OK)
			cli_num(v, vb);
		else
			vb[0] = '\0';
		cli_num(ind->target, tb);
		snprintf(yb, sizeof yb, "%ld", o.year);
		if (o.csv) {
			const char *row[] = { yb, ind->id, vb, tb };
			csvw_row(&w, 4, row);
			continue;
		}
		printf("%s  ", yb);
		cli_put_cell(stdout, indicator_label(ind), 30);
		printf(" %8s  (%s %s%s)\n", vb[0] ? vb : "—", ind->comparator, tb,
		       L(ind->unit_zh, ind->unit_en));
	}
	if (o.csv && (rc = csvw_finish(&w)) != KP_OK)
		rc = cli_fail(rc);
out:
	ledger_close(lg);
	return rc;
}

int cmd_survey(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return survey_set(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return survey_show(c, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cli_help(L(survey_help_zh, survey_help_en));
	return cli_usage_error("survey", L("需要 set 或 show", "needs set or show"));
}
