/* dashboard.c - home: quota progress of the year shown, its tallies (统计:
 * counted, never judged) and the last records entered; the keys that
 * change the year shown.
 *
 * The numbers come from report_build, the same call `kepu report` makes,
 * so the screen and the report cannot disagree; it reads the totals kept
 * by the ledger, so it costs the same with 100 records or 1,000,000.
 * The year shown is today's until the clerk picks another (y, [ and ]);
 * the title line says which it is, its plan, and whether it is open,
 * finished or provisional.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "quota.h"
#include "report.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

#define RECENT_MAX 80     /* a tall window lists as many as fit */

struct dash {
	struct report_row *rows;
	size_t nrows;
	struct record recent[RECENT_MAX];
	size_t nrecent;
	size_t live;
	int top;            /* first township shown (city database) */
	int shown;          /* how many fit */
	bool names;         /* the indicators' full names instead (key i) */
};

static int keep_recent(void *ctx, const struct record *rec)
{
	struct dash *d = ctx;

	if (d->nrecent == RECENT_MAX)
		return KP_NOTFOUND;
	record_init(&d->recent[d->nrecent]);
	if (record_copy(&d->recent[d->nrecent], rec) != KP_OK)
		return kp_err_nomem();
	d->nrecent++;
	return KP_OK;
}

static void dash_free(struct dash *d)
{
	size_t i;

	free(d->rows);
	d->rows = NULL;
	d->nrows = 0;
	for (i = 0; i < d->nrecent; i++)
		record_free(&d->recent[i]);
	d->nrecent = 0;
}

static void dash_load(struct tui *t, struct dash *d)
{
	struct ledger_query q = { .limit = RECENT_MAX };
	size_t deleted = 0;
	int fit = BODY_BOTTOM - BODY_TOP + 1;

	dash_free(d);
	if (report_build(t->lg, screen_year(t), &d->rows, &d->nrows) != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	/* No more than the body could show; draw_recent stops at the rows
	 * the table and the tallies leave. */
	q.limit = fit < 1 ? 1 : fit > RECENT_MAX ? RECENT_MAX : (size_t)fit;
	/* A read that fails must not look like an empty database. */
	if (t->lg->mode == LEDGER_TOWNSHIP) {
		int rc = ledger_list(t->lg, &q, keep_recent, d);

		if (rc != KP_OK && rc != KP_NOTFOUND)
			screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	}
	d->live = 0;
	if (ledger_counts(t->lg, &d->live, &deleted) != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
}

static void dash_enter(struct tui *t, void *st, const void *arg)
{
	struct dash *d = st;

	(void)arg;
	d->top = 0;
	d->names = false;
	dash_load(t, d);
}

static void dash_resume(struct tui *t, void *st)
{
	dash_load(t, st);
}

static void dash_leave(struct tui *t, void *st)
{
	(void)t;
	dash_free(st);
}

/* The percent a row shows: rounded as a person rounds (62.5 -> 63, not
 * printf's 62), but never 100 while the target is not reached (199 of
 * 200 shows 99%, not a 100% beside 未达标). */
static long shown_percent(const struct report_row *r)
{
	double v = r->percent;
	long p = v < 0 ? -(long)(-v + 0.5) : (long)(v + 0.5);

	return p >= 100 && r->achieved < r->target ? 99 : p;
}

/* A row that needs attention: behind the pace due by today, or (the
 * year over) not met. */
static bool is_behind(const struct report_row *r)
{
	return r && (strcmp(r->status, "behind") == 0 ||
	             strcmp(r->status, "not met") == 0);
}

static bool shown_over(const struct tui *t)
{
	return report_year_over(screen_year(t));
}

/* "#####|......": achieved against the target, '|' where today's pace
 * expects it to be. */
static void draw_bar(const struct report_row *r, int y, int x, int w)
{
	char bar[256];
	int fill = 0, mark = -1, i;

	if (w > (int)sizeof bar - 1)
		w = (int)sizeof bar - 1;
	if (r->has_target && r->target > 0) {
		fill = (int)(r->achieved / r->target * w + 0.5);
		mark = (int)(r->expected / r->target * w + 0.5);
		if (fill > w)
			fill = w;
		if (mark >= w)
			mark = w - 1;
	}
	for (i = 0; i < w; i++)
		bar[i] = i < fill ? '#' : '.';
	if (mark >= 0)
		bar[mark] = '|';
	bar[w] = '\0';
	draw_put(y, x, bar, fill, ST_BAR);
	draw_put(y, x + fill, bar + fill, w - fill, ST_NORMAL);
}

static void draw_row(const struct report_row *r, int y, int labw, int barw)
{
	char num[32], tgt[32], buf[96];
	bool behind = is_behind(r);
	int x = 1;

	draw_put_pad(y, x, indicator_label(r->ind), labw, ST_NORMAL);
	x += labw + 1;
	if (r->has_target)
		snprintf(buf, sizeof buf, "%s/%s", draw_num(r->achieved, num),
		         draw_num(r->target, tgt));
	else
		snprintf(buf, sizeof buf, "%s/-", draw_num(r->achieved, num));
	mvprintw(y, x, "%13.13s", buf);
	x += 14;
	if (r->has_target)
		mvprintw(y, x, "%4ld%%", shown_percent(r));
	else
		mvprintw(y, x, "%5s", "-");
	x += 6;
	draw_bar(r, y, x, barw);
	x += barw + 1;
	draw_put_pad(y, x, quota_status_label(r->status), COLS - x - 1,
	             behind ? ST_BEHIND : ST_NORMAL);
}

static void draw_recent(struct tui *t, const struct dash *d, int y)
{
	size_t i;
	char head[128];

	snprintf(head, sizeof head, LF("最近录入（共 %zu 条记录）",
	                              "Last entered (%zu records in all)"), d->live);
	draw_put_pad(y++, 1, head, COLS - 2, ST_HEAD);
	if (d->nrecent == 0)
		draw_put(y, 3, L("还没有记录。按 1 录入培训，2 录入科普活动，3 录入示范主体。",
		                 "No records yet. Press 1 for a training, 2 for an "
		                 "activity, 3 for a demonstration."), COLS - 4, ST_NORMAL);
	for (i = 0; i < d->nrecent && y <= BODY_BOTTOM; i++, y++)
		records_line(t, &d->recent[i], y, false);
}

/* 统计: each tally that is one number and not 0 ("科普活动场次 11场"; the
 * grouped ones are in the report and the workbook), packed into at most
 * TALLY_LINES lines after the heading, without a verdict: the last
 * records entered keep their room.  Returns the rows used (0: none). */
#define TALLY_LINES 2

static int draw_tallies(const struct dash *d, int y)
{
	const char *head = L("统计", "Tallies");
	int indent = 1 + (int)text_width(head) + 2, x = indent, lines = 0, w;
	char item[400], num[32];
	size_t i;

	for (i = 0; i < d->nrows && y + lines <= BODY_BOTTOM; i++) {
		const struct report_row *r = &d->rows[i];

		if (!r->ind->tally || r->group || r->achieved == 0)
			continue;
		if (lines == 0) {
			draw_put(y, 1, head, indent - 1, ST_HEAD);
			lines = 1;
		}
		snprintf(item, sizeof item, LF("%s %s%s", "%s %s %s"),
		         indicator_label(r->ind), draw_num(r->achieved, num),
		         L(r->ind->unit_zh, r->ind->unit_en));
		w = (int)text_width(item);
		if (x > indent && x + w > COLS - 1) {
			if (y + lines > BODY_BOTTOM - 1 || lines == TALLY_LINES)
				break;
			lines++;
			x = indent;
		}
		x += draw_put(y + lines - 1, x, item, COLS - 1 - x, ST_NORMAL) + 2;
	}
	return lines;
}

static void draw_township(struct tui *t, const struct dash *d)
{
	int y = BODY_TOP + 1, labw, barw = 18, n;
	size_t i;

	/* The status column holds the longest word, 未下达任务 (10 cells). */
	labw = COLS - 1 - 1 - 14 - 6 - barw - 1 - 11;
	if (labw > 40) {
		barw += labw - 40;
		labw = 40;
	}
	draw_put(y, 1, L("指标", "Indicator"), labw, ST_HEAD);
	mvprintw(y, 2 + labw, "%13s", "");
	draw_put(y, 2 + labw + 13 - (int)text_width(L("完成/任务", "done/quota")),
	         L("完成/任务", "done/quota"), 13, ST_HEAD);
	draw_put(y, 2 + labw + 14 + 4, "%", 1, ST_HEAD);
	draw_put(y, 2 + labw + 20, shown_over(t) ? L("进度", "progress")
	         : L("进度（| 按日应达）", "done (| due today)"), barw, ST_HEAD);
	draw_put(y, 2 + labw + 21 + barw, L("状态", "status"), 10, ST_HEAD);
	y++;
	yearend_draw_state(t, BODY_TOP);
	for (i = 0; i < d->nrows && y <= BODY_BOTTOM; i++)
		if (!d->rows[i].ind->tally)
			draw_row(&d->rows[i], y++, labw, barw);
	if (y + 1 <= BODY_BOTTOM && (n = draw_tallies(d, y + 1)) > 0)
		y += 1 + n;
	if (y + 1 <= BODY_BOTTOM)
		draw_recent(t, d, y + 1);
}

static const struct report_row *find_row(const struct dash *d,
                                         const struct township *tw,
                                         const struct indicator *ind)
{
	size_t i;

	for (i = 0; i < d->nrows; i++)
		if (d->rows[i].town == tw && d->rows[i].ind == ind)
			return &d->rows[i];
	return NULL;
}

/* The indicators the city's table judges: those with a target (tallies
 * have no percent to show). */
struct judged {
	const struct indicator *ind[64];
	size_t n;
};

static void judged_of(const struct plan *p, struct judged *j)
{
	size_t i;

	j->n = 0;
	for (i = 0; i < p->nindicators && j->n < 64; i++)
		if (!p->indicators[i]->tally)
			j->ind[j->n++] = p->indicators[i];
}

/* The plan whose indicators the year shown counts. */
static const struct plan *dash_plan(const struct tui *t)
{
	const struct plan *p = schema_plan_of_year(t->lg->schema, screen_year(t));

	return p ? p : &t->lg->schema->plans[0];
}

static int behind_count(const struct dash *d, const struct judged *pl,
                        const struct township *tw)
{
	int n = 0;
	size_t i;

	for (i = 0; i < pl->n; i++)
		n += is_behind(find_row(d, tw, pl->ind[i]));
	return n;
}

/* The city table's shape for this window: every indicator gets a column
 * headed by a short code (#1, #2...) and, when the column is wide enough,
 * the start of its name; the full names are listed under the table when
 * the window is tall enough for them and every township, and always on
 * the names view (key i). */
struct city_geom {
	int namew;          /* township column, the gap after it included */
	int cw;             /* one indicator column: percent, then the mark */
	bool count;         /* room for a "behind" count column */
	int shown;          /* township rows on screen */
	int keyrows;        /* rows of full names under the table (0: none) */
};

#define CELL_MIN 6      /* " 120%!" */
#define CELL_MAX 24
#define COUNT_W 9

static void city_code(size_t i, char buf[24])
{
	snprintf(buf, 24, "#%zu", i + 1);
}

/* The full names packed into lines of `cells`: how many lines, and when
 * y >= 0 they are drawn from row y on. */
static int names_packed(const struct judged *pl, int y, int cells)
{
	int lines = 1, x = 0;
	size_t i;

	for (i = 0; i < pl->n; i++) {
		char item[512], code[24];
		int w;

		city_code(i, code);
		snprintf(item, sizeof item, "%s %s", code,
		         indicator_label(pl->ind[i]));
		w = (int)text_width(item);
		if (w > cells)
			w = cells;
		if (x > 0 && x + 2 + w > cells) {
			lines++;
			x = 0;
		} else if (x > 0) {
			x += 2;
		}
		if (y >= 0)
			draw_put(y + lines - 1, 1 + x, item, cells - x, ST_NORMAL);
		x += w;
	}
	return lines;
}

static struct city_geom city_layout(const struct judged *pl,
                                    const struct township **towns, size_t nt)
{
	struct city_geom g = { 0, CELL_MIN, false, 0, 0 };
	int avail = COLS - 2, n = (int)pl->n, want, i;
	int rows = BODY_BOTTOM - BODY_TOP + 1 - 4;   /* head, city, key, laggards */

	want = (int)text_width(L("全市", "City"));
	for (i = 0; i < (int)nt; i++)
		if ((int)text_width(township_label(towns[i])) > want)
			want = (int)text_width(township_label(towns[i]));
	want = want + 1 > 25 ? 25 : want + 1;
	if (n == 0)
		n = 1;
	g.namew = avail - n * CELL_MIN;
	if (g.namew > want) {
		g.namew = want;
		g.count = avail - g.namew - n * CELL_MIN >= COUNT_W;
		g.cw = (avail - g.namew - (g.count ? COUNT_W : 0)) / n;
		if (g.cw > CELL_MAX)
			g.cw = CELL_MAX;
	} else if (g.namew < 8) {
		g.namew = 8;
	}
	g.keyrows = names_packed(pl, -1, avail);
	if (rows >= (int)nt + g.keyrows) {
		rows -= g.keyrows;
	} else {
		g.keyrows = 0;
	}
	g.shown = rows < 1 ? 1 : rows;
	return g;
}

/* A column's heading: the code, and as much of the name as fits. */
static void city_head(const struct indicator *ind, size_t i, int y, int x,
                      int cw)
{
	char code[24], head[512];
	int room = cw - 2, w;

	city_code(i, code);
	w = (int)text_width(code);
	if (room - w - 1 >= 4) {
		snprintf(head, sizeof head, "%s %s", code, indicator_label(ind));
		if ((int)text_width(head) < room)
			x += room - (int)text_width(head);
		draw_put(y, x + 1, head, room, ST_HEAD);
	} else {
		draw_put(y, x + 1 + (room > w ? room - w : 0), code, room, ST_HEAD);
	}
}

/* A township that sent nothing for the year: its row says so rather
 * than a row of zeros that looks like work not done. */
static bool not_reported(const struct dash *d, const struct judged *pl,
                         const struct township *tw)
{
	const struct report_row *r = pl->n ? find_row(d, tw, pl->ind[0]) : NULL;

	return tw && r && strcmp(r->status, REPORT_NOT_REPORTED) == 0;
}

static void draw_city_row(const struct dash *d, const struct judged *pl,
                          const struct township *tw, int y,
                          const struct city_geom *g)
{
	size_t i;
	int x = 1 + g->namew;

	draw_put_pad(y, 1, tw ? township_label(tw) : L("全市", "City"),
	             g->namew - 1, tw ? ST_NORMAL : ST_HEAD);
	if (not_reported(d, pl, tw)) {
		draw_put_pad(y, x + 1, quota_status_label(REPORT_NOT_REPORTED),
		             COLS - 2 - x, ST_WARN);
		return;
	}
	for (i = 0; i < pl->n; i++, x += g->cw) {
		const struct report_row *r = find_row(d, tw, pl->ind[i]);
		bool behind = is_behind(r);
		char cell[48];

		if (x + g->cw > COLS - 1)
			break;
		if (!r || !r->has_target)
			snprintf(cell, sizeof cell, "%*s ", g->cw - 1, "-");
		else
			snprintf(cell, sizeof cell, "%*ld%%%s", g->cw - 2,
			         shown_percent(r), behind ? "!" : " ");
		draw_put(y, x, cell, g->cw, behind ? ST_BEHIND : ST_NORMAL);
	}
	if (g->count) {
		char cell[32];

		snprintf(cell, sizeof cell, "%*d", COUNT_W - 1, behind_count(d, pl, tw));
		draw_put(y, x, cell, COUNT_W, ST_NORMAL);
	}
}

/* "Most behind: 安海镇(5) 池店镇(5) ...", only whole names. */
static void draw_laggards(const struct dash *d, const struct judged *pl,
                          const struct township **towns, size_t nt, int y,
                          bool over)
{
	char line[600], item[200];
	size_t len, head, i;
	int best, cells = COLS - 2, used;
	bool any = false;

	for (i = 0, best = 0; i < nt; i++)
		best += not_reported(d, pl, towns[i]);
	len = 0;
	if (best)
		len = (size_t)snprintf(line, sizeof line, LF("未报送 %d 个（w 查看）  ",
		                       "%d not reported (w)  "), best);
	head = len;
	len += (size_t)snprintf(line + len, sizeof line - len, "%s",
	                        over ? L("未达标项目最多：", "Most not met: ")
	                             : L("落后项目最多：", "Most behind: "));
	used = (int)text_width(line);
	for (best = (int)pl->n; best > 0; best--)
		for (i = 0; i < nt; i++) {
			int w;

			if (behind_count(d, pl, towns[i]) != best)
				continue;
			any = true;
			snprintf(item, sizeof item, "%s(%d) ",
			         township_label(towns[i]), best);
			w = (int)text_width(item);
			if (used + w > cells + 1 || len + strlen(item) >= sizeof line)
				goto out;
			memcpy(line + len, item, strlen(item) + 1);
			len += strlen(item);
			used += w;
		}
out:
	/* Nobody behind: say so rather than leave the heading hanging. */
	if (!any)
		snprintf(line + head, sizeof line - head, "%s", over ?
		         L("没有未达标的项目", "nothing not met") :
		         L("没有落后的项目", "nothing behind"));
	draw_put_pad(y, 1, line, cells, ST_WARN);
}

static void draw_city(struct tui *t, struct dash *d)
{
	struct judged pj;
	const struct judged *pl = &pj;
	const struct township *towns[64];
	size_t nt = ledger_townships(t->lg, towns, 64), i;
	struct city_geom g;
	bool over = shown_over(t);
	const char *count_head = over ? L("未达标", "not met") : L("落后", "behind");
	const char *mark = over ? L("! 未达标", "! not met")
	                        : L("! 落后于按日应达进度", "! behind today's pace");
	int y = BODY_TOP, x;
	char key[300];

	judged_of(dash_plan(t), &pj);
	g = city_layout(pl, towns, nt);

	draw_put(y, 1, L("镇街 \\ 完成%", "Township \\ %"), g.namew - 1, ST_HEAD);
	for (i = 0, x = 1 + g.namew; i < pl->n; i++, x += g.cw)
		if (x + g.cw <= COLS - 1)
			city_head(pl->ind[i], i, y, x, g.cw);
	if (g.count)
		draw_put(y, x + COUNT_W - 1 - (int)text_width(count_head),
		         count_head, COUNT_W, ST_HEAD);
	y++;
	d->shown = g.shown;
	if (d->top > (int)nt - d->shown)
		d->top = (int)nt - d->shown;
	if (d->top < 0)
		d->top = 0;
	for (i = (size_t)d->top; i < nt && i < (size_t)(d->top + d->shown); i++)
		draw_city_row(d, pl, towns[i], y++, &g);
	draw_city_row(d, pl, NULL, y++, &g);
	if (g.keyrows)
		y += names_packed(pl, y, COLS - 2);
	if ((int)nt > d->shown)
		snprintf(key, sizeof key, LF("%s   i 指标全称   镇街 %d-%d/%zu，上下键翻看",
		                            "%s   i full names   townships %d-%d of %zu "
		                            "(Up/Down)"),
		         mark, d->top + 1, d->top + d->shown, nt);
	else
		snprintf(key, sizeof key, LF("%s   i 指标全称", "%s   i full names"), mark);
	draw_put_pad(y++, 1, key, COLS - 2, ST_NORMAL);
	draw_laggards(d, pl, towns, nt, y, over);
}

/* Key i: every indicator by its code, in full, with its unit and the
 * city's target. */
static void draw_names(struct tui *t)
{
	struct judged pj;
	const struct judged *pl = &pj;
	int y = BODY_TOP;
	size_t i;

	judged_of(dash_plan(t), &pj);
	draw_put_pad(y++, 1, L("代号  指标（单位）  全市目标", "code  indicator (unit)  city target"),
	             COLS - 2, ST_HEAD);
	for (i = 0; i < pl->n && y <= BODY_BOTTOM; i++) {
		const struct indicator *ind = pl->ind[i];
		const char *unit = L(ind->unit_zh, ind->unit_en);
		char code[24], line[700], num[32];

		city_code(i, code);
		snprintf(line, sizeof line, LF("%-4s  %s%s%s%s  全市目标 %s%s，%s",
		                              "%-4s  %s%s%s%s  city target %s%s %s"),
		         code, indicator_label(ind), unit && *unit ? L("（", " (") : "",
		         unit && *unit ? unit : "", unit && *unit ? L("）", ")") : "",
		         ind->comparator ? ind->comparator : "",
		         draw_num(ind->target, num),
		         ind->period == PERIOD_PLAN ? L("规划期合计", "over the plan") :
		                                      L("每年", "a year"));
		y += draw_put_wrapped(y, BODY_TOP, BODY_BOTTOM, 1, line, COLS - 2, 6,
		                      ST_NORMAL);
	}
	if (y < BODY_BOTTOM)
		draw_put_pad(y + 1, 1, L("按 i 或 Esc 返回。", "Press i or Esc to go back."),
		             COLS - 2, ST_NORMAL);
}

static void dash_draw(struct tui *t, void *st)
{
	struct dash *d = st;

	draw_clear_body();
	if (d->names)
		draw_names(t);
	else if (t->lg->mode == LEDGER_CITY_MODE)
		draw_city(t, d);
	else
		draw_township(t, d);
}

static int dash_key(struct tui *t, void *st, struct tkey k, enum action act,
                    int arg)
{
	struct dash *d = st;
	int rd;

	(void)arg;
	if (d->names && (act == ACT_QUIT || (!k.fn && k.ch == 27)))
		act = ACT_NAMES;        /* leave the names view, not kepu */
	rd = year_key(t, act);
	if (!(rd & RD_UNHANDLED)) {
		if (rd & RD_BODY) {
			d->top = 0;
			dash_load(t, d);
		}
		return rd;
	}
	switch (act) {
	case ACT_PLAN:
		screen_push(t, &plan_ops, NULL);
		return RD_NONE;
	case ACT_RECEIVED:
		if (t->lg->mode != LEDGER_CITY_MODE)
			return RD_UNHANDLED;
		screen_push(t, &received_ops, NULL);
		return RD_NONE;
	case ACT_CLOSE_YEAR:
	case ACT_REOPEN_YEAR:
		if (t->lg->mode != LEDGER_TOWNSHIP)
			return RD_UNHANDLED;
		return act == ACT_CLOSE_YEAR ? yearend_close(t) : yearend_reopen(t);
	case ACT_REDRAW:
		dash_load(t, d);        /* another clerk's records too */
		return RD_UNHANDLED;
	case ACT_NAMES:
		d->names = !d->names;
		return RD_BODY;
	case ACT_UP:
		d->top--;
		return RD_BODY;
	case ACT_DOWN:
		d->top++;
		return RD_BODY;
	case ACT_PAGE_UP:
		d->top -= d->shown;
		return RD_BODY;
	case ACT_PAGE_DOWN:
		d->top += d->shown;
		return RD_BODY;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops dashboard_ops = {
	.id = SCR_DASHBOARD,
	.title_zh = "首页",
	.title_en = "Home",
	.text_input = false,
	.state_size = sizeof(struct dash),
	.enter = dash_enter,
	.resume = dash_resume,
	.leave = dash_leave,
	.draw = dash_draw,
	.key = dash_key,
	.resize = dash_resume,
};
