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
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "csvio.h"
#include "lang.h"

struct ledger;
struct record;
struct check_result;
struct form;

struct cli {
	const char *db_path;     /* resolved: --db, $KEPU_DB, config, default */
	const char *prog;        /* "kepu" */
	bool db_default;         /* db_path is the per-user default (its
	                          * folder may be created by init/demo) */
};

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_cmd_fn fn;
	const char *summary_zh;
	const char *summary_en;
};

/* The table of commands (commands.c), terminated by a NULL name. */
extern const struct cli_command cli_commands[];

/* Run the command named argv[0]; returns the exit code. */
int cli_dispatch(struct cli *c, int argc, char **argv);

/* Open the ledger at c->db_path; on failure prints the message and returns
 * the exit code (non-zero), else 0 and *out. */
int cli_open_ledger(struct cli *c, bool readonly, struct ledger **out);
/* "Forms:" and a line per form (id and label) of the database's forms, or
 * of the installed ones when there is no database yet (for --help). */
void cli_print_forms(struct cli *c, FILE *out);

/* Print "kepu: <message>" on stderr (the kp_err_msg() of a failure) and
 * return kp_exit_code(status). */
int cli_fail(int status);

/* printf to stderr with every control character of the result made
 * visible except the line ends, so that text from the user, a file or a
 * bundle never reaches the terminal as an escape sequence. */
void cli_msg(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* For the long commands (export, import, add --from-csv): SIGINT, SIGHUP
 * and SIGTERM ask the core to stop at its next stop point (stop.h), which
 * undoes what was begun; the command then says so and exits with 128 + the
 * signal (cli_dispatch).  A second such signal ends kepu at once. */
void cli_catch_stops(void);
/* After a long command succeeded: if a stop was asked for past the point
 * of no return, say that the result stands. */
void cli_say_late_stop(void);

/* "kepu: NOTE" on stderr for each of n notes (an export's, for one). */
void cli_print_notes(char *const *notes, size_t n);
/* The end of a command that wrote the workbook path (report, list --xlsx):
 * "wrote PATH" and 0 when rc is KP_OK, else cli_fail(rc). */
int cli_xlsx_done(int rc, const char *path);

/* Print a usage error for command cmd ("kepu CMD: msg; see kepu CMD
 * --help") and return 64. */
int cli_usage_error(const char *cmd, const char *msg);

/* Helpers shared by the commands (cli.c).  Those returning an exit code
 * have already printed why (0 when all is well). */

/* Before a command's getopt_long loop: reset getopt, silence its messages
 * (cli_bad_option says it in the user's language). */
void cli_getopt_reset(void);
/* For getopt_long's '?' and ':' answers: "unknown option" / "option needs
 * a value".  Returns 64. */
int cli_bad_option(const char *cmd, int ch, char **argv);
/* Print a command's help (already in the user's language) on stdout;
 * returns 0. */
int cli_help(const char *text);
/* An integer in [min, max] given to option opt; 64 with a message. */
int cli_parse_long(const char *cmd, const char *opt, const char *s,
                   long min, long max, long *out);
/* Add "field=value" (split at the first '=') to r; 64 when malformed. */
int cli_parse_set(const char *cmd, const char *arg, struct record *r);
/* The form named id in lg's schema, or NULL after a usage message that
 * lists the forms. */
const struct form *cli_form(const char *cmd, struct ledger *lg,
                            const char *id);
/* Print the findings of res on stderr, each line starting with where
 * ("FILE:LINE: ") when where is not NULL; errors as "field: message",
 * warnings as "warning: field: message" (cli_field_name).  With form (may be NULL), an
 * unknown field close to one of the form's gets "did you mean". */
void cli_print_findings(const char *where, const struct form *form,
                        const struct check_result *res);
/* The findings of a bulk load (cli_findings.c): every one counted by kind
 * and severity, the first CLI_FINDINGS_SHOWN of each kept to print, and
 * with a path every one written to that CSV file as it comes (line,
 * field, severity, kind, message; BOM and CRLF for spreadsheets).  Kinds
 * are the finding kinds of check.h and CLI_KIND_MALFORMED, a row that is
 * not one of the file's (its cells do not fit the header). */
#define CLI_FINDINGS_SHOWN 5
#define CLI_KIND_MALFORMED (FK_FUTURE + 1)
#define CLI_KINDS (CLI_KIND_MALFORMED + 1)
struct cli_shown {
	char *text;
	unsigned kind;
	bool error;
};
struct cli_findings {
	const char *path;
	FILE *f;
	struct csvw w;
	struct cli_shown *shown;
	size_t nshown, cap;
	size_t count[CLI_KINDS][2];       /* by kind, then 1 for errors */
	unsigned char order[2 * CLI_KINDS];   /* 2 * kind + error, as met */
	size_t norder;
};
/* path may be NULL (no file).  KP_E_CANTCREAT with a message. */
int cli_findings_open(struct cli_findings *fs, const char *path);
/* The findings of res, of the row at line of a file, printed after where
 * ("FILE:LINE") as cli_print_findings prints them.  KP_E_IO (the file). */
int cli_findings_add(struct cli_findings *fs, const char *where, size_t line,
                     const struct form *form, const struct check_result *res);
/* add --from-csv (add_csv.c): the rows of the CSV file csv ("-": standard
 * input) as records of form f, all or none, with the findings written to
 * the file findings (NULL: none), township the --township given (an id,
 * or NULL) and again --again.  Prints what happened; returns the exit
 * code. */
int cli_add_csv(struct ledger *lg, const struct form *f, const char *csv,
                const char *findings, const char *township, bool again);

/* A warning kepu's command line finds in a row (not the form's checks):
 * counted and kept as cli_findings_add keeps those of a check. */
int cli_findings_warning(struct cli_findings *fs, const char *where, size_t line,
                         const struct form *form, const char *field,
                         unsigned kind, const char *msg);
/* A problem of the header row (column: the cell it is about), which the
 * caller has said: written to the findings file only. */
void cli_findings_header(struct cli_findings *fs, size_t line,
                         const char *column, const char *msg);
/* A malformed row: msg says why (no FILE:LINE in it). */
int cli_findings_malformed(struct cli_findings *fs, const char *where,
                           size_t line, const char *msg);
/* How many errors (or warnings) were counted. */
size_t cli_findings_count(const struct cli_findings *fs, bool errors);
/* Print the kept errors (or warnings) in the order they came, then "and
 * N more of this kind" for each kind that had more; only the malformed
 * rows with malformed_only. */
void cli_findings_print(const struct cli_findings *fs, bool errors,
                        bool malformed_only);
/* Free, and finish the file: KP_E_IO when it could not be written. */
int cli_findings_close(struct cli_findings *fs);

/* The field a finding names, as the clerk reads it: its id in English
 * (what a CSV header or --set takes), its label in Chinese (the form's, or
 * "镇（街道）" for the township); the id for a field the form does not
 * have.  Static or the form's storage. */
const char *cli_field_name(const struct form *form, const char *field);
/* The township a clerk names: its id, or its name in Chinese or English
 * ("陈埭镇", "Chendai Town") as townships.csv has it; name itself when it is
 * neither (the ledger then says there is no such township).  Borrowed from
 * s or name. */
const char *cli_township_id(const struct schema *s, const char *name);
/* --township NAME of command cmd: the township's id into *id (as
 * cli_township_id), or KP_E_DATA after saying there is none such and
 * listing every township's id and name. */
int cli_township_option(const char *cmd, const struct schema *s,
                        const char *name, const char **id);
/* "; did you mean “category”?" for name into buf (schema_field_guess),
 * or "" when nothing is close (or f is NULL).  Returns buf. */
char *cli_did_you_mean(const struct form *f, const char *name, char *buf,
                       size_t n);
/* 0 when year is one of the plan's, else 64 after "year Y is outside the
 * plan (2021-2025)" (report, list, quota show, survey). */
int cli_year_check(const char *cmd, struct ledger *lg, long year);
/* Print the quota impact of res on stderr ("label +45 → 1665/2570"). */
void cli_print_impacts(const struct check_result *res);
/* A number as people write it: integers without decimals.  Returns buf. */
char *cli_num(double v, char buf[32]);
/* Unix seconds as ISO 8601 UTC ("2025-03-05T08:00:00Z").  Returns buf. */
char *cli_iso_time(int64_t t, char buf[32]);
/* Write s to f sanitised for the terminal, cut or padded with spaces to
 * exactly cells columns (CJK characters count 2). */
void cli_put_cell(FILE *f, const char *s, size_t cells);
/* The same without the padding (for the last column). */
void cli_put_text(FILE *f, const char *s, size_t cells);
/* Create the missing folders above path (mode 0777 & ~umask).  KP_OK or
 * KP_E_CANTCREAT with a message. */
int cli_make_parent(const char *path);

/* Helpers shared by two command families (cli.c), so that no cmd_*.c
 * file uses another. */

/* What init and demo need to create a database. */
struct cli_create {
	const char *township;    /* the township's id; NULL with city */
	bool city;               /* a city database */
	long year;               /* working year; 0: the ledger's default */
	const char *forms;       /* NULL: schema_default_dir() */
};
/* Create the database at c->db_path (never over an existing file: 73
 * after "kepu CMD: database PATH already exists"; with c->db_default its
 * folder first), open it (readonly or not) and print "created the
 * database of ..." on stdout.  0 and *out (ledger_close it), or the exit
 * code after the message. */
int cli_create_db(struct cli *c, const char *cmd, const struct cli_create *o,
                  bool readonly, struct ledger **out);

/* --year Y, --csv, --excel and --help, as report, quota show and survey
 * show take them. */
struct cli_view {
	long year;               /* 0: the working year (cli_view_year) */
	int csv;                 /* 0, or the csvw flags + 1 */
};
/* Parse them for cmd: 0, an exit code after the message, or -1 for
 * --help (the caller prints its own). */
int cli_view_parse(const char *cmd, int argc, char **argv, struct cli_view *o);
/* *year, or the working year when it is 0, checked as cli_year_check. */
int cli_view_year(const char *cmd, struct ledger *lg, long *year);

/* --encoding V of export and quota export: utf-8 (utf8) or gb18030 into
 * *gb; 64 after a usage message otherwise. */
int cli_parse_encoding(const char *cmd, const char *v, bool *gb);
/* 0 unless dir exists and is no folder: then 73 after "DIR is not a
 * folder: --out wants a folder" (said now, not as "no such folder" when
 * the bundle is written). */
int cli_out_folder(const char *dir);
/* How messages name a sender of bundles or keys: a township by its id,
 * the city ("all" in files) as "the city (all)".  Static or id. */
const char *cli_party(const char *id);

/* Commands, one file per family: cmd_<family>.c (show in cmd_list.c,
 * delete in cmd_edit.c). */
/* cli_term.c: the terminal's encoding at the border.  In a GB18030, GBK
 * or GB2312 locale, cli_term_setup makes stderr (and stdout when
 * convert_stdout and it is a terminal) convert what is written from UTF-8
 * to GB18030, and returns "GB18030"; elsewhere it changes nothing and
 * returns NULL.  Call once, at start.  cli_term_text gives an allocated
 * UTF-8 copy of an argument's text typed on that terminal (a copy as it is
 * in a UTF-8 locale, or when it is not GB18030); NULL when out of memory. */
const char *cli_term_setup(bool convert_stdout);
char *cli_term_text(const char *s);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_quota(struct cli *c, int argc, char **argv);   /* import|show|export */
int cmd_survey(struct cli *c, int argc, char **argv);  /* set|show */
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
/* USB bundles (cmd_bundle.c) */
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
/* Signing keys (cmd_key.c) */
int cmd_key(struct cli *c, int argc, char **argv);       /* export|show */
int cmd_township(struct cli *c, int argc, char **argv);  /* trust FILE */
/* The end of a year (cmd_years.c) */
int cmd_close(struct cli *c, int argc, char **argv);
int cmd_reopen(struct cli *c, int argc, char **argv);
int cmd_approve(struct cli *c, int argc, char **argv);
int cmd_return(struct cli *c, int argc, char **argv);
int cmd_received(struct cli *c, int argc, char **argv);
/* Evidence (cmd_attach.c) and history (cmd_log.c) */
int cmd_attach(struct cli *c, int argc, char **argv);
int cmd_detach(struct cli *c, int argc, char **argv);
int cmd_attachment(struct cli *c, int argc, char **argv);  /* list|get */
int cmd_log(struct cli *c, int argc, char **argv);
/* Form versions (cmd_forms.c) */
int cmd_forms(struct cli *c, int argc, char **argv);     /* show|update|export */

#endif
