/* tui.c - the TUI's start, main loop, screen stack and signals.
 *
 * Keys go to the screen on top first; what it does not use falls to the
 * global actions (help, quit, back, new record...).  Handlers return what
 * must be repainted and only that is drawn, then sent in one doupdate.
 * SIGHUP (a dropped SSH link) and SIGTERM only set a flag; the key loop
 * sees it, lets the screens keep what was typed as a draft, closes the
 * database and exits.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "text.h"
#include "tui.h"
#include "ui.h"

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
 * tui_sync). */
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

const struct screen_ops *tui_top(const struct tui *t)
{
	return t->depth > 0 ? t->stack[t->depth - 1] : NULL;
}

void tui_push(struct tui *t, const struct screen_ops *s, const void *arg)
{
	if (t->depth == TUI_STACK)
		return;
	t->stack[t->depth++] = s;
	t->msg[0] = '\0';      /* a new screen starts with a clean slate */
	s->enter(t, arg);
	t->pending |= RD_ALL | RD_CLEAR;
}

void tui_pop(struct tui *t)
{
	const struct screen_ops *s = tui_top(t);

	if (!s)
		return;
	t->depth--;
	if (s->leave)
		s->leave(t);
	s = tui_top(t);
	if (s && s->resume)
		s->resume(t);
	t->pending |= RD_ALL | RD_CLEAR;
}

static void paint_title(struct tui *t)
{
	const struct screen_ops *s = tui_top(t);
	const struct township *town =
		schema_township(t->lg->schema, t->lg->township);
	char buf[400];

	if (t->lg->mode == LEDGER_CITY_MODE)
		snprintf(buf, sizeof buf, " %s | %s | %d | %s %s | %s",
		         L("科普台账", "kepu"), L("全市汇总", "City"), t->lg->year,
		         L("账号", "user"), t->lg->user,
		         s ? L(s->title_zh, s->title_en) : "");
	else
		snprintf(buf, sizeof buf, " %s | %s | %d | %s %s | %s",
		         L("科普台账", "kepu"),
		         town ? township_label(town) : t->lg->township,
		         t->lg->year, L("账号", "user"), t->lg->user,
		         s ? L(s->title_zh, s->title_en) : "");
	ui_put_pad(0, 0, buf, COLS, ST_TITLE);
	mvchgat(0, 0, COLS, ui_attr(t, ST_TITLE), 0, NULL);
}

static void paint_bar(struct tui *t)
{
	const struct screen_ops *s = tui_top(t);
	char buf[512];

	if (!s)
		return;
	keys_bar(s->id, t->lg->mode == LEDGER_CITY_MODE, buf, sizeof buf, COLS - 1);
	ui_put_pad(BAR_ROW, 0, buf, COLS - 1, ST_HEAD);
}

static void paint_small(void)
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
	refresh();
}

void tui_paint(struct tui *t, int rd)
{
	const struct screen_ops *s = tui_top(t);

	rd |= t->pending;
	t->pending = 0;
	if (t->small) {
		paint_small();
		return;
	}
	if (!s)
		return;
	if (rd & RD_CLEAR)
		erase();
	if (rd & RD_BODY)
		s->draw(t);
	if (rd & RD_TITLE)
		paint_title(t);
	if (rd & RD_MSG)
		ui_msg_draw(t);
	if (rd & RD_BAR)
		paint_bar(t);
	if (s->cursor) {
		curs_set(1);
		s->cursor(t);
	} else {
		curs_set(0);
		move(BAR_ROW, COLS - 1);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static void tui_hangup(struct tui *t) __attribute__((noreturn));

static void tui_hangup(struct tui *t)
{
	int sig = tui_signal ? tui_signal : SIGHUP;
	int i;

	/* Every screen on the stack, so an entry under the help screen is
	 * kept too. */
	for (i = t->depth - 1; i >= 0; i--)
		if (t->stack[i]->hangup)
			t->stack[i]->hangup(t);
	endwin();
	if (t->exit_msg[0])
		fprintf(stderr, "kepu: %s\n", t->exit_msg);
	ledger_close(t->lg);
	exit(128 + sig);
}

static void tui_resized(struct tui *t)
{
	int i;

	t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	t->laid_lines = LINES;
	t->laid_cols = COLS;
	for (i = 0; i < t->depth; i++)
		if (t->stack[i]->resize)
			t->stack[i]->resize(t);
	clearok(curscr, TRUE);
	tui_paint(t, RD_ALL | RD_CLEAR);
}

/* The answer names t->laid_*, not COLS x LINES: when SIGWINCH came while
 * kepu was not waiting for a key, get_wch returns the ^] behind it first,
 * and the doupdate here then takes the new size into COLS and LINES (and
 * queues KEY_RESIZE) before any screen was laid out for it.  Naming COLS
 * x LINES told the test "laid out" while the old screen was still shown. */
static void tui_sync(const struct tui *t)
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

int tui_getkey(struct tui *t, struct tkey *k)
{
	int fast_errs = 0;

	for (;;) {
		double t0;
		wint_t ch;
		int r;

		if (tui_signal)
			tui_hangup(t);
		t0 = now_s();
		errno = 0;
		r = get_wch(&ch);
		if (r == ERR) {
			if (tui_signal || errno == EIO)
				tui_hangup(t);
			/* A terminal that is gone returns ERR at once, forever. */
			if (now_s() - t0 < TUI_WAKE_MS / 4000.0 && errno != EINTR &&
			    ++fast_errs > 100)
				tui_hangup(t);
			continue;
		}
		fast_errs = 0;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			tui_resized(t);
			return 1;
		}
		if (tui_sync_on && r == OK && ch == TUI_SYNC_KEY) {
			tui_sync(t);
			continue;
		}
		if (t->small)
			continue;
		k->fn = r == KEY_CODE_YES;
		k->ch = ch;
		return 0;
	}
}

static int tui_global(struct tui *t, enum action act, int arg)
{
	const struct schema *sc = t->lg->schema;

	switch (act) {
	case ACT_HELP:
		memcpy(t->kept_msg, t->msg, sizeof t->msg);
		t->kept_kind = t->msg_kind;
		tui_push(t, &help_ops, NULL);
		return RD_NONE;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return RD_ALL;
	case ACT_QUIT:
		t->quit = true;
		return RD_NONE;
	case ACT_BACK:
		tui_pop(t);
		return RD_NONE;
	case ACT_RECORDS:
		tui_push(t, &records_ops, NULL);
		return RD_NONE;
	case ACT_BUNDLE:
		tui_push(t, &bundle_ops, NULL);
		return RD_NONE;
	case ACT_NEW_FORM:
		if (t->lg->mode == LEDGER_CITY_MODE) {
			/* A city record needs a township, which the entry screen
			 * does not ask for. */
			ui_msg(t, MSG_WARN, "%s", L("全市汇总库不在这里录入。请用命令："
			                            "kepu add 表单 --township 镇街代码",
			                            "The city database takes no entry here. "
			                            "Use: kepu add FORM --township ID"));
			return RD_MSG;
		}
		if (arg >= 0 && (size_t)arg < sc->nforms) {
			struct entry_arg ea = { &sc->forms[arg], NULL, false, false };

			tui_push(t, &entry_ops, &ea);
		}
		return RD_NONE;
	default:
		return RD_NONE;
	}
}

static void tui_loop(struct tui *t)
{
	int rd = RD_ALL | RD_CLEAR;

	while (!t->quit && t->depth > 0) {
		const struct screen_ops *s;
		struct tkey k;
		enum action act;
		int arg = 0;

		tui_paint(t, rd);
		rd = RD_NONE;
		if (tui_getkey(t, &k) != 0)
			continue;
		k = keys_normalise(k);
		s = tui_top(t);
		if (!s)
			break;
		act = keys_action(s->id, s->text_input, k, &arg);
		rd = s->key(t, k, act, arg);
		if (rd & RD_UNHANDLED)
			rd = tui_global(t, act, arg);
	}
}

/* A draft left by a dropped link: offer it back. */
static void tui_offer_draft(struct tui *t)
{
	struct record d;
	const struct form *f;
	char q[400];
	int ans;

	record_init(&d);
	if (ledger_draft_get(t->lg, &d) != KP_OK)
		goto out;
	f = schema_form(t->lg->schema, d.form);
	if (!f) {
		ledger_draft_drop(t->lg);
		goto out;
	}
	snprintf(q, sizeof q, LF("有一张上次没保存完的%s草稿（%s）。y 恢复  d 丢弃  n 以后再说",
	                        "An unsaved %s draft was kept (%s). y restore  "
	                        "d discard  n later"),
	         form_label(f), record_get(&d, "title") ? record_get(&d, "title") :
	         (record_get(&d, "date") ? record_get(&d, "date") : "-"));
	{
		char *safe = text_for_terminal(q);

		ans = ui_ask(t, safe ? safe : q, "ydn");
		free(safe);
	}
	if (ans == 'y') {
		struct entry_arg ea = { f, &d, d.id[0] != '\0', true };

		t->msg[0] = '\0';
		tui_push(t, &entry_ops, &ea);
	} else if (ans == 'd') {
		ledger_draft_drop(t->lg);
		ui_msg(t, MSG_INFO, "%s", L("草稿已丢弃。", "The draft was discarded."));
	} else {
		ui_msg(t, MSG_INFO, "%s", L("草稿保留着，下次启动时再问。",
		                            "The draft is kept; you will be asked "
		                            "again next time."));
	}
	t->pending |= RD_ALL;
out:
	record_free(&d);
}

/* The terminal's encoding: UTF-8 needs nothing; GB18030 (and its GBK and
 * GB2312 subsets) is converted at the border; anything else falls back to
 * C.UTF-8, where Chinese at least is not dropped. */
static bool tui_locale(struct tui *t)
{
	const char *cs = nl_langinfo(CODESET);
	const char *env = getenv("LC_ALL");

	if (!env || !*env)
		env = getenv("LC_CTYPE");
	if (!env || !*env)
		env = getenv("LANG");
	if (strcmp(cs, "UTF-8") == 0) {
		/* main may already have fallen back from C / POSIX. */
		return !env || !*env || strcmp(env, "C") == 0 ||
		       strcmp(env, "POSIX") == 0;
	}
	if (strcmp(cs, "GB18030") == 0 || strcmp(cs, "GBK") == 0 ||
	    strcmp(cs, "GB2312") == 0) {
		t->codeset = "GB18030";
		return false;
	}
	setlocale(LC_CTYPE, "C.UTF-8");
	return true;
}

static int tui_screen_setup(struct tui *t)
{
	const char *nocolour = getenv("NO_COLOR");
	const char *sync = getenv("KEPU_TEST_SYNC");
	const char *pause = getenv("KEPU_TEST_SYNC_PAUSE");

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
	ui_setup(t);
	tui_sync_on = sync && *sync;
	if (tui_sync_on && pause)
		tui_sync_pause_ms = strtol(pause, NULL, 10);
	t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	t->laid_lines = LINES;
	t->laid_cols = COLS;
	return KP_OK;
}

/* No database yet: offer to make one for a township, on the plain
 * terminal before the screens start. */
static int tui_offer_init(const char *path)
{
	struct schema *sc = NULL;
	const struct township *tw;
	char line[128];
	size_t i;
	int year, rc;

	if (schema_load_dir(schema_default_dir(), &sc) != KP_OK)
		return KP_E_NOINPUT;
	printf(LF("还没有数据库 %s。\n可选的镇（街道）代码：\n",
	          "There is no database at %s yet.\nTownship codes:\n"), path);
	for (i = 0; i < sc->ntownships; i++)
		printf("  %-10s %s%s", sc->townships[i].id,
		       township_label(&sc->townships[i]), i % 3 == 2 ? "\n" : "");
	printf("%s", L("\n为哪个镇（街道）建立？输入代码，直接回车退出：",
	               "\nCreate it for which township? Type the code, or Enter "
	               "to quit: "));
	fflush(stdout);
	rc = KP_E_NOINPUT;
	if (!fgets(line, sizeof line, stdin) || !*text_trim(line))
		goto out;
	line[strcspn(line, "\r\n")] = '\0';
	tw = schema_township(sc, text_trim(line));
	if (!tw) {
		rc = kp_err_set(KP_E_USAGE, LF("没有这个镇（街道）代码：%s",
		                               "no such township code: %s"), line);
		goto out;
	}
	year = schema_current_year(sc);
	/* A first run on a fresh account: ~/.local/share/kepu may not exist,
	 * nor ~/.local/share. */
	rc = fs_make_parents(path);
	if (rc == KP_OK)
		rc = ledger_init(path, schema_default_dir(), tw->id, year);
out:
	schema_free(sc);
	return rc;
}

int tui_main(const char *db_path)
{
	struct tui t;
	bool fallback;
	int rc;

	memset(&t, 0, sizeof t);
	fallback = tui_locale(&t);
	rc = ledger_open(db_path, false, &t.lg);
	if (rc == KP_E_NOINPUT && access(db_path, F_OK) != 0) {
		int irc = tui_offer_init(db_path);

		if (irc == KP_OK)
			rc = ledger_open(db_path, false, &t.lg);
		else if (irc != KP_E_NOINPUT)
			rc = irc;       /* say why the database was not made */
	}
	if (rc != KP_OK) {
		fprintf(stderr, "kepu: %s\n", kp_err_msg());
		if (rc == KP_E_NOINPUT)
			fprintf(stderr, "%s\n", L("先建立数据库：kepu init --township 镇街代码",
			                          "Create the database first: kepu init "
			                          "--township ID"));
		return kp_exit_code(rc);
	}
	signals_setup();
	rc = tui_screen_setup(&t);
	if (rc != KP_OK) {
		fprintf(stderr, "kepu: %s\n", kp_err_msg());
		ledger_close(t.lg);
		return kp_exit_code(rc);
	}
	tui_push(&t, &dashboard_ops, NULL);
	if (fallback)
		ui_msg(&t, MSG_WARN, "%s", L("区域设置不是 UTF-8，已改用 C.UTF-8。",
		                             "The locale is not UTF-8; using C.UTF-8."));
	tui_paint(&t, RD_ALL | RD_CLEAR);
	tui_offer_draft(&t);
	tui_loop(&t);
	while (t.depth > 0)
		tui_pop(&t);
	endwin();
	ledger_close(t.lg);
	return 0;
}
