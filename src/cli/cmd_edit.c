/* cmd_edit.c - changing records: edit and delete, guarded by revision. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"
#include "schema.h"

static const char edit_help_zh[] =
	"用法：kepu edit 编号 --set 字段=值 [--set 字段=值 ...] [--rev N]\n"
	"修改一条记录的字段（值为空即清除该字段）。修改后的记录同样要通过表单检查，\n"
	"有错误时不作修改（退出码 65）。\n\n"
	"  --set F=V       字段 F 改为 V（可重复；F 可写字段名或中文、英文标签）\n"
	"  --rev N         开始修改时看到的修订号（默认：当前修订号）。若其间已被\n"
	"                  别人改过，则不作修改并说明（退出码 75）\n";
static const char edit_help_en[] =
	"Usage: kepu edit ID --set FIELD=VALUE [--set FIELD=VALUE ...] [--rev N]\n"
	"Change fields of a record (an empty value clears the field).  The changed\n"
	"record is checked like a new one; on errors nothing changes (exit 65).\n\n"
	"  --set F=V       set field F to V (repeatable; F is the field's id or\n"
	"                  its Chinese or English label)\n"
	"  --rev N         the revision you started from (default: the current\n"
	"                  one).  If someone changed the record since, nothing\n"
	"                  changes and kepu says so (exit 75)\n";

static const char delete_help_zh[] =
	"用法：kepu delete 编号 [--rev N]\n"
	"删除一条记录。记录留下删除标记（随数据包报送市里），可用\n"
	"kepu list --deleted 查看。\n\n"
	"  --rev N         开始时看到的修订号（默认：当前修订号）；已被别人改过\n"
	"                  时不删除（退出码 75）\n";
static const char delete_help_en[] =
	"Usage: kepu delete ID [--rev N]\n"
	"Delete a record.  It is kept, marked deleted (the mark travels to the\n"
	"city in the next bundle), and listed by kepu list --deleted.\n\n"
	"  --rev N         the revision you started from (default: the current\n"
	"                  one); if someone changed it since, nothing is deleted\n"
	"                  (exit 75)\n";

struct edit_opts {
	const char *id;
	struct record sets;
	size_t nsets;
	long rev;                 /* 0: the current revision */
};

static const struct option edit_long[] = {
	{ "set", required_argument, NULL, 's' },
	{ "rev", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option delete_long[] = {
	{ "rev", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Shared by edit and delete (which has no --set).  0, exit code, or -1
 * for --help. */
static int edit_parse(const char *cmd, int argc, char **argv, struct edit_opts *o)
{
	bool edit = strcmp(cmd, "edit") == 0;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", edit ? edit_long : delete_long,
	                         NULL)) != -1) {
		switch (ch) {
		case 's':
			if ((rc = cli_parse_set(cmd, optarg, &o->sets)))
				return rc;
			o->nsets++;
			break;
		case 'r':
			if ((rc = cli_parse_long(cmd, "--rev", optarg, 1, 0x7fffffff, &o->rev)))
				return rc;
			break;
		case 'h': return -1;
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, L("需要一个记录编号", "needs one record ID"));
	o->id = argv[optind];
	if (edit && !o->nsets)
		return cli_usage_error(cmd, L("需要至少一个 --set 字段=值",
		                              "needs at least one --set FIELD=VALUE"));
	return 0;
}

/* The live record id into *cur, or an exit code after saying why not. */
static int get_live(struct ledger *lg, const char *id, struct record *cur)
{
	int rc = ledger_get(lg, id, cur);

	if (rc == KP_NOTFOUND) {
		cli_msg(LF("kepu: 没有编号为 %s 的记录\n", "kepu: no record %s\n"), id);
		return KP_E_NOINPUT;
	}
	if (rc != KP_OK)
		return cli_fail(rc);
	if (cur->deleted) {
		cli_msg(LF("kepu: 记录 %s 已被删除\n", "kepu: record %s is deleted\n"), id);
		return KP_E_NOINPUT;
	}
	return 0;
}

/* A --rev newer than the record's revision names no version anyone has
 * seen: a typo, not a colleague's change, so no "try again". */
static int check_rev(const char *cmd, const struct edit_opts *o,
                     const struct record *cur)
{
	char msg[256];

	if (o->rev <= (long)cur->rev)
		return 0;
	snprintf(msg, sizeof msg, LF("记录 %s 目前是第 %lu 版，没有第 %ld 版",
	         "record %s is at revision %lu; there is no revision %ld"),
	         o->id, (unsigned long)cur->rev, o->rev);
	return cli_usage_error(cmd, msg);
}

/* The ledger's message names who changed the record and when. */
static void say_conflict(int rc, const char *id)
{
	cli_fail(rc);
	cli_msg(LF("kepu: 未作改动；kepu show %s 可查看当前内容\n",
	                   "kepu: nothing changed; kepu show %s shows the current record\n"),
	        id);
}

static int do_edit(struct ledger *lg, struct edit_opts *o)
{
	struct record cur, rec;
	struct check_result res;
	const struct form *f;
	size_t i, n;
	long base;
	int rc;

	record_init(&cur);
	record_init(&rec);
	check_result_init(&res);
	if ((rc = get_live(lg, o->id, &cur)) || (rc = check_rev("edit", o, &cur)))
		goto out;
	f = schema_form(lg->schema, cur.form);
	rc = f ? schema_record_ids(f, &o->sets) : KP_OK;
	if (rc == KP_OK)
		rc = record_copy(&rec, &cur);
	for (i = 0; rc == KP_OK && i < o->sets.nfields; i++) {
		const struct kv *kv = &o->sets.fields[i];
		if (kv->value[0])
			rc = record_set(&rec, kv->name, kv->value);
		else
			record_unset(&rec, kv->name);
	}
	if (rc != KP_OK) {
		rc = cli_fail(rc);
		goto out;
	}
	base = o->rev ? o->rev : (long)cur.rev;
	rc = ledger_edit(lg, o->id, (uint32_t)base, &rec, &res, NULL);
	if (rc == KP_OK) {
		printf(LF("已修改 %s（第 %ld 版）\n", "updated %s (revision %ld)\n"),
		       o->id, base + 1);
		cli_print_findings(NULL, f, &res);
		cli_print_impacts(&res);
	} else if (rc == KP_E_DATA && check_has_errors(&res)) {
		cli_print_findings(NULL, f, &res);
		n = check_count(&res, SEV_ERROR);
		cli_msg(LF("kepu: %zu 处错误，未作改动\n", n == 1
		           ? "kepu: %zu error, nothing changed\n"
		           : "kepu: %zu errors, nothing changed\n"), n);
	} else if (rc == KP_E_TEMPFAIL) {
		say_conflict(rc, o->id);
	} else {
		rc = cli_fail(rc);
	}
	rc = kp_exit_code(rc);
out:
	check_result_free(&res);
	record_free(&rec);
	record_free(&cur);
	return rc;
}

static int do_delete(struct ledger *lg, struct edit_opts *o)
{
	struct record cur;
	long base;
	int rc;

	record_init(&cur);
	if ((rc = get_live(lg, o->id, &cur)) || (rc = check_rev("delete", o, &cur)))
		goto out;
	base = o->rev ? o->rev : (long)cur.rev;
	rc = ledger_delete(lg, o->id, (uint32_t)base, NULL);
	if (rc == KP_OK) {
		printf(LF("已删除 %s（记作第 %ld 版，随下一个数据包报送市里；"
		          "kepu list --deleted 仍可看到）\n",
		          "deleted %s (kept as revision %ld, which the next bundle "
		          "tells the city; kepu list --deleted still shows it)\n"),
		       o->id, base + 1);
	} else if (rc == KP_E_TEMPFAIL) {
		say_conflict(rc, o->id);
	} else {
		rc = cli_fail(rc);
	}
	rc = kp_exit_code(rc);
out:
	record_free(&cur);
	return rc;
}

/* edit and delete share their options, opening and clean-up. */
static int run_change(struct cli *c, int argc, char **argv, const char *cmd,
                      const char *help,
                      int (*change)(struct ledger *, struct edit_opts *))
{
	struct edit_opts o = { 0 };
	struct ledger *lg;
	int rc;

	record_init(&o.sets);
	rc = edit_parse(cmd, argc, argv, &o);
	if (rc < 0)
		rc = cli_help(help);
	else if (rc == 0 && (rc = cli_open_ledger(c, false, &lg)) == 0) {
		rc = change(lg, &o);
		ledger_close(lg);
	}
	record_free(&o.sets);
	return rc;
}

int cmd_edit(struct cli *c, int argc, char **argv)
{
	return run_change(c, argc, argv, "edit", L(edit_help_zh, edit_help_en),
	                  do_edit);
}

int cmd_delete(struct cli *c, int argc, char **argv)
{
	return run_change(c, argc, argv, "delete",
	                  L(delete_help_zh, delete_help_en), do_delete);
}
