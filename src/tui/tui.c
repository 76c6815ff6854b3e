/* tui.c - the TUI from start to end: the terminal's encoding, a database
 * offered when there is none, the draft a dropped link left, the main
 * loop and the actions every screen shares.
 *
 * Keys go to the screen on top first; what it does not use falls to the
 * global actions (help, quit, back, new record...).  Handlers return what
 * must be repainted and only that is drawn, then sent in one doupdate.
 * SIGHUP (a dropped SSH link) and SIGTERM only set a flag (screen.c);
 * the wait for the next key sees it, lets the screens keep what was typed
 * as a draft, closes the database and exits.
 *
 * A message of several rows goes with the next key (the key still acts),
 * so it never hides the bottom of a form for long.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"
#include "tui.h"

static int tui_global(struct tui *t, enum action act, int arg)
{
	const struct schema *sc = t->lg->schema;

	switch (act) {
	case ACT_HELP: {
		struct help_arg ha;

		memcpy(ha.msg, t->msg, sizeof ha.msg);
		ha.kind = t->msg_kind;
		screen_push(t, &help_ops, &ha);
		return RD_NONE;
	}
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return RD_ALL;
	case ACT_QUIT:
		t->quit = true;
		return RD_NONE;
	case ACT_BACK:
		screen_pop(t);
		return RD_NONE;
	case ACT_RECORDS:
		screen_push(t, &records_ops, NULL);
		return RD_NONE;
	case ACT_BUNDLE:
		screen_push(t, &bundle_ops, NULL);
		return RD_NONE;
	case ACT_NEW_FORM:
		if (t->lg->mode == LEDGER_CITY_MODE) {
			/* A city record needs a township, which the entry screen
			 * does not ask for. */
			screen_msg(t, MSG_WARN, "%s", L("全市汇总库不在这里录入。请用命令："
			                                "kepu add 表单 --township 镇街代码",
			                                "The city database takes no entry here. "
			                                "Use: kepu add FORM --township ID"));
			return RD_MSG;
		}
		if (arg >= 0 && (size_t)arg < sc->nforms) {
			struct entry_arg ea = { &sc->forms[arg], NULL, false, NULL, NULL };

			screen_push(t, &entry_ops, &ea);
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
		const struct screen_slot *s;
		struct tkey k;
		enum action act;
		int arg = 0;
		char shown[TUI_MSG_MAX];

		screen_paint(t, rd);
		rd = RD_NONE;
		if (screen_getkey(t, &k) != 0)
			continue;
		k = keys_normalise(k);
		s = screen_top(t);
		if (!s)
			break;
		act = keys_action(s->ops->id, s->ops->text_input, k, &arg);
		if (screen_msg_long(t))
			memcpy(shown, t->msg, sizeof shown);
		else
			shown[0] = '\0';
		rd = s->ops->key(t, s->state, k, act, arg);
		if (rd & RD_UNHANDLED)
			rd = tui_global(t, act, arg);
		if (shown[0] && strcmp(shown, t->msg) == 0) {
			t->msg[0] = '\0';
			rd |= RD_MSG;
		}
	}
}

static int count_draft(void *ctx, const char *key, const struct record *rec,
                       int64_t at)
{
	(void)key;
	(void)rec;
	(void)at;
	++*(size_t *)ctx;
	return KP_OK;
}

/* Sheets a dropped link left: listed for the clerk to pick from. */
static void tui_offer_drafts(struct tui *t)
{
	size_t n = 0;

	if (ledger_drafts(t->lg, count_draft, &n) != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		t->pending |= RD_MSG;
		return;
	}
	if (n > 0)
		screen_push(t, &drafts_ops, NULL);
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

/* What would keep the other clerks from the new database (fs_share_notes),
 * on the plain terminal. */
static void warn_shared(const char *path)
{
	char **notes;
	size_t i, n;

	if (fs_share_notes(path, &notes, &n) != KP_OK)
		return;
	for (i = 0; i < n; i++) {
		printf(LF("警告：%s\n", "Warning: %s\n"), notes[i]);
		free(notes[i]);
	}
	free(notes);
}

/* No database yet: offer to make one for a township, on the plain
 * terminal before the screens start. */
static int tui_offer_init(const char *path)
{
	struct schema *sc = NULL;
	const struct township *tw;
	char line[128];
	size_t i;
	int rc;

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
	/* A first run on a fresh account: ~/.local/share/kepu may not exist,
	 * nor ~/.local/share. */
	rc = fs_make_parents(path);
	if (rc == KP_OK)
		rc = ledger_init(path, schema_default_dir(), tw->id);
	if (rc == KP_OK)
		warn_shared(path);
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
	/* Only a database that is not there is offered to be made: one this
	 * user may not open is KP_E_NOPERM, said as such (a second database
	 * would split the office's records). */
	if (rc == KP_E_NOINPUT && access(db_path, F_OK) != 0 &&
	    (errno == ENOENT || errno == ENOTDIR)) {
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
	rc = screen_start(&t);
	if (rc != KP_OK) {
		fprintf(stderr, "kepu: %s\n", kp_err_msg());
		ledger_close(t.lg);
		return kp_exit_code(rc);
	}
	screen_push(&t, &dashboard_ops, NULL);
	if (fallback)
		screen_msg(&t, MSG_WARN, "%s", L("区域设置不是 UTF-8，已改用 C.UTF-8。",
		                                 "The locale is not UTF-8; using C.UTF-8."));
	screen_paint(&t, RD_ALL | RD_CLEAR);
	tui_offer_drafts(&t);
	tui_loop(&t);
	screen_end(&t);
	ledger_close(t.lg);
	return 0;
}
