/* screen.c - starting curses, the screen stack, painting it and waiting
 * for a key (resizes, hang-ups and the tests' handshake included).
 *
 * Keys are waited for here only: whoever asks (the main loop, a question
 * or the pick list) gets the same handling of a resized window, of a
 * dropped link and of the handshake, and the stack is laid out and
 * painted again the same way whatever was waiting.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "report.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "screen.h"

/* get_wch wakes this often to look at the signal flag (no output). */
#define TUI_WAKE_MS 1500

/* The pty tests' handshake (only with $KEPU_TEST_SYNC set): ^] is then
 * never a key but answered, once every key before it was handled and
 * painted, with an APC string that terminals ignore, naming the size the
 * screen was laid out for.  A test waits for the answer, not for a quiet
 * moment, so a slow machine cannot make it read a screen too early.
 * $KEPU_TEST_SYNC_PAUSE (milliseconds) makes kepu wait after each answer
 * before it reads keys again: a window resized then reaches it while it
 * is not waiting for a key, the moment a loaded machine once hit (see
 * answer_sync). */
#define TUI_SYNC_KEY CTRL_KEY(']')

static volatile sig_atomic_t tui_signal;
static bool tui_sync_on;
static long tui_sync_pause_ms;

static void on_signal(int sig)
{
	tui_signal = sig;
}

static void signals_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;        /* no SA_RESTART: get_wch must return */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

int screen_start(struct tui *t)
{
	const char *nocolour = getenv("NO_COLOR");
	const char *sync = getenv("KEPU_TEST_SYNC");
	const char *pause = getenv("KEPU_TEST_SYNC_PAUSE");

	signals_setup();
	if (!newterm(NULL, stdout, stdin))
		return kp_err_set(KP_E_IO, "%s", L("无法初始化终端（TERM 设置对吗？）",
		                                   "cannot set up the terminal (is TERM right?)"));
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(200);
	wtimeout(stdscr, TUI_WAKE_MS);
	keys_setup();
	if (has_colors() && !(nocolour && *nocolour)) {
		start_color();
		use_default_colors();
		t->colour = true;
	}
	draw_setup(t->colour, t->codeset);
	tui_sync_on = sync && *sync;
	if (tui_sync_on && pause)
		tui_sync_pause_ms = strtol(pause, NULL, 10);
	t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	t->laid_lines = LINES;
	t->laid_cols = COLS;
	return KP_OK;
}

void screen_end(struct tui *t)
{
	while (t->depth > 0)
		screen_pop(t);
	endwin();
}

const struct screen_slot *screen_top(const struct tui *t)
{
	return t->depth > 0 ? &t->stack[t->depth - 1] : NULL;
}

int screen_push(struct tui *t, const struct screen_ops *s, const void *arg)
{
	struct screen_slot *slot;
	void *st = NULL;

	if (t->depth == TUI_STACK)
		return KP_OK;
	if (s->state_size && !(st = calloc(1, s->state_size))) {
		int rc = kp_err_nomem();

		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		t->pending |= RD_MSG;
		return rc;
	}
	slot = &t->stack[t->depth++];
	slot->ops = s;
	slot->state = st;
	t->msg[0] = '\0';      /* a new screen starts with a clean slate */
	s->enter(t, st, arg);
	t->pending |= RD_ALL | RD_CLEAR;
	return KP_OK;
}

void screen_pop(struct tui *t)
{
	const struct screen_slot *top = screen_top(t);
	struct screen_slot gone;

	if (!top)
		return;
	gone = *top;
	t->depth--;
	if (gone.ops->leave)
		gone.ops->leave(t, gone.state);
	free(gone.state);
	top = screen_top(t);
	if (top && top->ops->resume)
		top->ops->resume(t, top->state);
	t->pending |= RD_ALL | RD_CLEAR;
}

void screen_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_kind = kind;
}

/* The rows a message may take: at most half the window. */
static int msg_max_rows(void)
{
	int max = (LINES - 2) / 2;

	return max < 1 ? 1 : max;
}

/* Walk the message's rows: each paragraph (split at '\n') wrapped into
 * COLS - 1 cells (the last column is kept for a question's cursor).
 * With y0 >= 0 the rows are painted from y0 on (at most max), and the end
 * of the text is noted in t.  Returns the rows the message needs. */
static int msg_walk(struct tui *t, int y0, int max)
{
	static const enum draw_style st[] = {
		[MSG_INFO] = ST_NORMAL, [MSG_OK] = ST_OK,
		[MSG_WARN] = ST_WARN, [MSG_ERROR] = ST_ERROR,
	};
	char para[TUI_MSG_MAX], line[TUI_MSG_MAX];
	const char *p = t->msg, *q;
	int rows = 0, cells = COLS - 1;

	do {
		const char *nl = strchr(p, '\n');
		size_t plen = nl ? (size_t)(nl - p) : strlen(p), n, next;

		memcpy(para, p, plen);
		para[plen] = '\0';
		q = para;
		do {
			n = draw_wrap(q, cells, &next);
			if (y0 >= 0 && rows < max) {
				memcpy(line, q, n);
				line[n] = '\0';
				t->msg_end_y = y0 + rows;
				t->msg_end_x = draw_put_pad(y0 + rows, 0, line, COLS,
				                            st[t->msg_kind]);
			}
			rows++;
			q += next;
		} while (*q);
		p = nl ? nl + 1 : NULL;
	} while (p);
	return rows;
}

static int msg_rows(struct tui *t)
{
	int rows = t->msg[0] ? msg_walk(t, -1, 0) : 1;
	int max = msg_max_rows();

	return rows > max ? max : rows;
}

void screen_msg_draw(struct tui *t)
{
	int rows;

	if (t->small)
		return;
	rows = msg_rows(t);
	t->msg_end_y = MSG_ROW;
	t->msg_end_x = 0;
	if (!t->msg[0])
		draw_msg_line("", MSG_INFO);
	else
		msg_walk(t, MSG_ROW - rows + 1, rows);
	t->msg_shown = rows;
}

bool screen_msg_long(struct tui *t)
{
	return !t->small && msg_rows(t) > 1;
}

int screen_year(const struct tui *t)
{
	return t->year ? t->year : t->lg->year;
}

/* "2026 | 进行中（暂定） | 规划 2026-2030": the year shown, whether it is
 * still open (finished: verdicts are final) and provisional, its plan. */
static void title_year(const struct tui *t, char *buf, size_t size)
{
	const struct schema *sc = t->lg->schema;
	int y = screen_year(t);
	const struct plan *p = schema_plan_of_year(sc, y);
	bool prov = schema_year_provisional(sc, y);

	snprintf(buf, size, LF("%d | %s%s | 规划 %d-%d", "%d | %s%s | plan %d-%d"),
	         y, report_year_over(y) ? L("已结束", "finished") : L("进行中", "open"),
	         prov ? L("（暂定）", ", provisional") : "",
	         p ? p->first_year : 0, p ? p->last_year : 0);
}

static void paint_title(struct tui *t)
{
	const struct screen_slot *top = screen_top(t);
	const struct screen_ops *s = top ? top->ops : NULL;
	const struct township *town =
		schema_township(t->lg->schema, t->lg->township);
	const char *where = t->lg->mode == LEDGER_CITY_MODE ? L("全市汇总", "City")
	                    : town ? township_label(town) : t->lg->township;
	char buf[400], year[160], user[100];

	title_year(t, year, sizeof year);
	snprintf(user, sizeof user, " %s %s |", L("账号", "user"), t->lg->user);
	snprintf(buf, sizeof buf, " %s | %s | %s |%s %s", L("科普台账", "kepu"),
	         where, year, user, s ? L(s->title_zh, s->title_en) : "");
	/* The account goes first when the line is too long: the year and
	 * the screen's name matter more. */
	if ((int)text_width(buf) > COLS)
		snprintf(buf, sizeof buf, " %s | %s | %s | %s", L("科普台账", "kepu"),
		         where, year, s ? L(s->title_zh, s->title_en) : "");
	draw_put_pad(0, 0, buf, COLS, ST_TITLE);
	mvchgat(0, 0, COLS, draw_attr(ST_TITLE) & ~A_COLOR,
	        (short)PAIR_NUMBER(draw_attr(ST_TITLE)), NULL);
}

static void paint_bar(struct tui *t)
{
	const struct screen_slot *top = screen_top(t);
	char buf[512];

	if (!top)
		return;
	keys_bar(top->ops->id, t->lg->mode == LEDGER_CITY_MODE, buf, sizeof buf,
	         COLS - 1);
	draw_put_pad(BAR_ROW, 0, buf, COLS - 1, ST_HEAD);
}

static void paint_small(const struct tui *t)
{
	char buf[256];

	erase();
	snprintf(buf, sizeof buf, LF("终端窗口太小：至少需要 80x24，现在是 %dx%d。",
	                            "The terminal is too small: kepu needs "
	                            "80x24, this one is %dx%d."), COLS, LINES);
	mvaddnstr(0, 0, buf, COLS);
	mvaddnstr(1, 0, L("请把窗口拉大，已输入的内容不会丢失。",
	                  "Make the window larger; nothing typed is lost."),
	          COLS);
	if (t->lost_keys) {
		snprintf(buf, sizeof buf, LF("窗口拉大之前按键不起作用（已忽略 %d 个）。",
		                            "Keys do nothing until then (%d ignored)."),
		         t->lost_keys);
		mvaddnstr(2, 0, buf, COLS);
	}
	refresh();
}

void screen_paint(struct tui *t, int rd)
{
	const struct screen_slot *top = screen_top(t);
	const struct screen_ops *s = top ? top->ops : NULL;

	rd |= t->pending;
	t->pending = 0;
	if (t->small) {
		paint_small(t);
		return;
	}
	if (!s)
		return;
	/* A shorter message than the one shown uncovers some of the body;
	 * a body painted again must get a long message back over it. */
	if ((rd & RD_MSG) && msg_rows(t) < t->msg_shown)
		rd |= RD_BODY;
	if ((rd & RD_BODY) && (t->msg_shown > 1 || msg_rows(t) > 1))
		rd |= RD_MSG;
	if (rd & RD_CLEAR)
		erase();
	if (rd & RD_BODY)
		s->draw(t, top->state);
	if (rd & RD_TITLE)
		paint_title(t);
	if (rd & RD_MSG)
		screen_msg_draw(t);
	if (rd & RD_BAR)
		paint_bar(t);
	if (s->cursor) {
		curs_set(1);
		s->cursor(t, top->state);
	} else {
		curs_set(0);
		move(BAR_ROW, COLS - 1);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static void hangup(struct tui *t) __attribute__((noreturn));

static void hangup(struct tui *t)
{
	int sig = tui_signal ? tui_signal : SIGHUP;
	int i;

	/* Every screen on the stack, so an entry under the help screen is
	 * kept too. */
	for (i = t->depth - 1; i >= 0; i--)
		if (t->stack[i].ops->hangup)
			t->stack[i].ops->hangup(t, t->stack[i].state);
	endwin();
	if (t->exit_msg[0])
		fprintf(stderr, "kepu: %s\n", t->exit_msg);
	ledger_close(t->lg);
	exit(128 + sig);
}

static void resized(struct tui *t)
{
	int i;

	t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	t->laid_lines = LINES;
	t->laid_cols = COLS;
	if (!t->small && t->lost_keys) {
		/* Never silently: the clerk may have typed a value blind. */
		screen_msg(t, MSG_WARN, LF("窗口太小时按的 %d 个键没有生效；请看一下这一栏，"
		                           "再接着输入。", "The %d key(s) pressed while the "
		                           "window was too small did nothing; check the "
		                           "field, then go on."), t->lost_keys);
		t->lost_keys = 0;
	}
	t->msg_shown = 0;
	for (i = 0; i < t->depth; i++)
		if (t->stack[i].ops->resize)
			t->stack[i].ops->resize(t, t->stack[i].state);
	clearok(curscr, TRUE);
	screen_paint(t, RD_ALL | RD_CLEAR);
}

/* The answer names t->laid_*, not COLS x LINES: when SIGWINCH came while
 * kepu was not waiting for a key, get_wch returns the ^] behind it first,
 * and the doupdate here then takes the new size into COLS and LINES (and
 * queues KEY_RESIZE) before any screen was laid out for it.  Naming COLS
 * x LINES told the test "laid out" while the old screen was still shown. */
static void answer_sync(const struct tui *t)
{
	char buf[64];
	int n;

	doupdate();             /* finishes a paint cut short by typeahead */
	n = snprintf(buf, sizeof buf, "\033_kepu-sync %dx%d\033\\",
	             t->laid_cols, t->laid_lines);
	if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) < 0)
		return;         /* a terminal gone is seen by get_wch */
	if (tui_sync_pause_ms > 0) {
		struct timespec ts = { tui_sync_pause_ms / 1000,
		                       (tui_sync_pause_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);   /* a signal may cut it short: fine */
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int screen_getkey(struct tui *t, struct tkey *k)
{
	int fast_errs = 0;

	for (;;) {
		double t0;
		wint_t ch;
		int r;

		if (tui_signal)
			hangup(t);
		t0 = now_s();
		errno = 0;
		r = get_wch(&ch);
		if (r == ERR) {
			if (tui_signal || errno == EIO)
				hangup(t);
			/* A terminal that is gone returns ERR at once, forever. */
			if (now_s() - t0 < TUI_WAKE_MS / 4000.0 && errno != EINTR &&
			    ++fast_errs > 100)
				hangup(t);
			continue;
		}
		fast_errs = 0;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			resized(t);
			return 1;
		}
		if (tui_sync_on && r == OK && ch == TUI_SYNC_KEY) {
			answer_sync(t);
			continue;
		}
		if (t->small) {
			t->lost_keys++;
			paint_small(t);
			continue;
		}
		k->fn = r == KEY_CODE_YES;
		k->ch = ch;
		return 0;
	}
}
