/* main.c - kepu's entry point: locale, language, global options, database
 * path, then a command or the TUI. */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "lang.h"
#include "text.h"
#include "tui.h"

static void usage(FILE *f)
{
	const struct cli_command *cmd;

	fputs(L("用法：kepu [--db 路径] [--lang zh|en] 命令 [参数...]\n"
	        "      kepu                 （在终端中打开录入界面）\n\n"
	        "命令：\n",
	        "Usage: kepu [--db PATH] [--lang zh|en] COMMAND [ARGS...]\n"
	        "       kepu                 (on a terminal: the entry screen)\n\n"
	        "Commands:\n"), f);
	for (cmd = cli_commands; cmd->name; cmd++)
		if (cmd->summary_zh)
			fprintf(f, "  %-10s %s\n", cmd->name,
			        L(cmd->summary_zh, cmd->summary_en));
	fputs(L("\n全局选项：\n"
	        "  --db 路径       数据库文件（默认：$KEPU_DB、配置文件、\n"
	        "                  ~/.local/share/kepu/kepu.db）\n"
	        "  --lang zh|en    界面语言（默认：$KEPU_LANG 或区域设置）\n"
	        "  --help          显示本帮助\n"
	        "  --version       显示版本\n\n"
	        "每个命令都有 --help，例如：kepu add --help\n",
	        "\nGlobal options:\n"
	        "  --db PATH       database file (default: $KEPU_DB, the config\n"
	        "                  file, ~/.local/share/kepu/kepu.db)\n"
	        "  --lang zh|en    language of messages (default: $KEPU_LANG or\n"
	        "                  the locale)\n"
	        "  --help          show this help\n"
	        "  --version       show the version\n\n"
	        "Every command has --help, e.g. kepu add --help\n"), f);
}

/* $XDG_<var> or $HOME/<fallback>, joined with rest; NULL without a home. */
static char *xdg_path(const char *var, const char *fallback, const char *rest)
{
	struct sbuf b = {0};
	const char *base = getenv(var);

	if (base && *base == '/') {
		sbuf_printf(&b, "%s/%s", base, rest);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home)
			return NULL;
		sbuf_printf(&b, "%s/%s/%s", home, fallback, rest);
	}
	return b.s;
}

/* The value of the first "db = PATH" line of the config file, if any.
 * A leading "~/" stands for the home folder. */
static char *config_db(void)
{
	char *path = xdg_path("XDG_CONFIG_HOME", ".config", "kepu/config");
	char line[4096], *found = NULL;
	FILE *f;

	if (!path)
		return NULL;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof line, f)) {
		char *p = line, *v;

		line[strcspn(line, "\r\n")] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "db", 2) != 0)
			continue;
		p += 2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		v = text_trim(p + 1);
		if (!*v)
			continue;
		if (strncmp(v, "~/", 2) == 0 && getenv("HOME")) {
			struct sbuf b = {0};
			sbuf_printf(&b, "%s/%s", getenv("HOME"), v + 2);
			found = b.s;
		} else {
			found = xstrdup(v);
		}
	}
	fclose(f);
	return found;
}

/* --db, else $KEPU_DB, else the config file, else the per-user default. */
static char *resolve_db(const char *opt, bool *is_default)
{
	const char *env = getenv("KEPU_DB");
	char *p;

	*is_default = false;
	if (opt)
		return xstrdup(opt);
	if (env && *env)
		return xstrdup(env);
	p = config_db();
	if (p)
		return p;
	*is_default = true;
	p = xdg_path("XDG_DATA_HOME", ".local/share", "kepu/kepu.db");
	return p ? p : xstrdup("kepu.db");
}

/* Chinese is dropped silently by curses in the C locale, and mbrtowc
 * cannot measure it: fall back to C.UTF-8 unless the locale already
 * speaks UTF-8 or one of the GB encodings (the TUI converts those). */
static void locale_setup(void)
{
	const char *cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "GB18030") == 0 ||
	           strcmp(cs, "GBK") == 0 || strcmp(cs, "GB2312") == 0))
		return;
	setlocale(LC_CTYPE, "C.UTF-8");
}

/* Whether kepu will open the TUI: no command left after the global
 * options, on a terminal (decided again after parsing them). */
static bool tui_would_run(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--lang") == 0) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "--db=", 5) == 0 ||
		    strncmp(argv[i], "--lang=", 7) == 0)
			continue;
		return false;
	}
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static const struct option global_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "lang", required_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct cli c = { .prog = "kepu" };
	const char *db_opt = NULL, *lang_opt = NULL;
	char *db = NULL;
	int ch, rc;

	locale_setup();
	lang_init(NULL);
	/* A command converts what it prints for a GB18030 terminal; the TUI
	 * converts its own screen (curses writes stdout), so only stderr
	 * there. */
	cli_term_setup(!tui_would_run(argc, argv));
	opterr = 0;
	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+:", global_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db_opt = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "zh") != 0 && strcmp(optarg, "en") != 0)
				return cli_usage_error(NULL,
				    L("--lang 只能是 zh 或 en",
				      "--lang must be zh or en"));
			lang_opt = optarg;
			lang_init(lang_opt);
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto done;
		case 'V':
			printf("kepu %s\n", PACKAGE_VERSION);
			rc = 0;
			goto done;
		default:
			return cli_bad_option(NULL, ch, argv);
		}
	}
	db = resolve_db(db_opt, &c.db_default);
	if (!db)
		return cli_fail(kp_err_nomem());
	c.db_path = db;
	if (optind >= argc) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			rc = tui_main(db);
		} else {
			usage(stderr);
			rc = KP_E_USAGE;
		}
	} else {
		rc = cli_dispatch(&c, argc - optind, argv + optind);
	}
done:
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "kepu: %s\n", L("写标准输出失败", "cannot write the output"));
		rc = KP_E_IO;
	}
	free(db);
	return rc;
}
