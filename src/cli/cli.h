/* cli.h - the command line: one function per command.
 *
 * Each command is `int cmd_<name>(struct cli *c, int argc, char **argv)`:
 * argv[0] is the command name, the rest its own arguments (parse them with
 * getopt_long; `--help` prints the command's help on stdout and returns 0).
 * It returns the process exit code (sysexits values, see err.h) and writes
 * data to stdout, messages to stderr in the user's language.
 */
#ifndef KEPU_CLI_H
#define KEPU_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct ledger;

struct cli {
	const char *db_path;     /* resolved: --db, $KEPU_DB, config, default */
	const char *prog;        /* "kepu" */
};

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_cmd_fn fn;
	const char *summary_zh;
	const char *summary_en;
};

/* The table of commands (cli.c), terminated by a NULL name. */
extern const struct cli_command cli_commands[];

/* Run the command named argv[0]; returns the exit code. */
int cli_dispatch(struct cli *c, int argc, char **argv);

/* Open the ledger at c->db_path; on failure prints the message and returns
 * the exit code (non-zero), else 0 and *out. */
int cli_open_ledger(struct cli *c, bool readonly, struct ledger **out);

/* Print "kepu: <message>" on stderr (the kp_err_msg() of a failure) and
 * return kp_exit_code(status). */
int cli_fail(int status);

/* Print a usage error for command cmd ("kepu CMD: msg; see kepu CMD
 * --help") and return 64. */
int cli_usage_error(const char *cmd, const char *msg);

/* Commands (src/cli/cmd_*.c). */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_quota(struct cli *c, int argc, char **argv);   /* import|show|export */
int cmd_survey(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
/* USB bundles (src/cli/cmd_bundle.c) */
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_key(struct cli *c, int argc, char **argv);       /* export */
int cmd_township(struct cli *c, int argc, char **argv);  /* trust FILE */
int cmd_quota_export(struct cli *c, int argc, char **argv); /* via quota */

#endif
