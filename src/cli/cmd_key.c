/* cmd_key.c - signing keys: key export and key show (this database's
 * public key), key rotate (a new key pair for one that may have leaked),
 * township trust (another party's key, whose bundles it then accepts). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "fsutil.h"
#include "keys.h"
#include "lang.h"
#include "ledger.h"
#include "record.h"

static const char key_help_zh[] =
	"用法：kepu key export [--out 文件]\n"
	"      kepu key show\n"
	"      kepu key rotate [--out 文件]\n"
	"导出本数据库的签名公钥（交给市里，市里用 kepu township trust 文件 信任它），\n"
	"或显示其指纹（可电话核对）及已停用的旧密钥。--out 的文件已存在时：若已是本库的\n"
	"公钥则不改动，否则不覆盖（退出码 73）。\n"
	"私钥保存在数据库文件里（备份文件里也有）：能读数据库或备份的人就能以本镇名义签名。\n"
	"私钥可能泄露时用 rotate 换一对新密钥：旧公钥的指纹记入历史，以后的数据包用新密钥\n"
	"签名；把新公钥交给市里，市里电话核对指纹后用 kepu township trust 文件 --replace\n"
	"信任它——在此之前市里拒收本镇用新密钥签名的数据包。\n";
static const char key_help_en[] =
	"Usage: kepu key export [--out FILE]\n"
	"       kepu key show\n"
	"       kepu key rotate [--out FILE]\n"
	"Export this database's public signing key (for the city, which trusts\n"
	"it with kepu township trust FILE), or show its fingerprint (to check\n"
	"over the telephone) and the retired keys.  An existing --out FILE is\n"
	"left as it is when it holds this key, and never overwritten otherwise\n"
	"(exit 73).\n"
	"The secret key lives in the database file (and in every backup of it):\n"
	"whoever can read either can sign as this township.  When it may have\n"
	"leaked, rotate makes a new key pair: the old key's fingerprint stays in\n"
	"the history and the next bundles are signed with the new key.  Give the\n"
	"new public key to the city, which checks its fingerprint over the\n"
	"telephone and trusts it with kepu township trust FILE --replace; until\n"
	"then the city refuses this township's bundles signed with the new key.\n";

/* An existing key file is left alone when it holds this very key (export
 * again, nothing lost) and refused otherwise: it may be another township's
 * key, or the key of a database that has since been recreated, and is
 * what someone else relies on. */
static int key_file_same(struct ledger *lg, const char *out)
{
	unsigned char pk[KEYS_PK_BYTES], mine[KEYS_PK_BYTES];
	char who[RECORD_NAME_MAX];
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK || (rc = keys_public(lg, mine)) != KP_OK)
		return cli_fail(rc);
	if (keys_read_public(out, who, pk) == KP_OK &&
	    strcmp(who, keys_identity(lg)) == 0 &&
	    memcmp(pk, mine, sizeof pk) == 0) {
		cli_msg(LF("%s 已是 %s 的公钥，未改动\n",
		           "%s already holds the public key of %s; left as it is\n"),
		        out, cli_party(keys_identity(lg)));
		return 0;
	}
	kp_err_set(KP_E_CANTCREAT, LF("%s 已存在，且不是本数据库的公钥；未覆盖（请换一个文件名，或先移走它）",
	           "%s exists and does not hold this database's key; not overwritten (choose another name or move it away)"),
	           out);
	return cli_fail(KP_E_CANTCREAT);
}

static int key_export(struct ledger *lg, const char *out)
{
	FILE *f = stdout;
	int fd, rc;

	if (out) {
		/* O_EXCL: never truncate a file someone else wrote meanwhile */
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno == EEXIST)
			return key_file_same(lg, out);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			kp_err_set(KP_E_CANTCREAT, LF("无法创建 %s：%s",
			           "cannot create %s: %s"), out, fs_errno_text(errno));
			return cli_fail(KP_E_CANTCREAT);
		}
	}
	rc = keys_write_public(lg, f);
	if (out && fclose(f) != 0 && rc == KP_OK)
		rc = kp_err_set(KP_E_IO, LF("无法写入 %s", "cannot write %s"), out);
	if (out && rc != KP_OK)
		unlink(out);    /* a half key file would fail later, far away */
	if (rc != KP_OK)
		return cli_fail(rc);
	if (out)
		cli_msg(LF("已写出 %s 的公钥到 %s\n",
		                   "wrote the public key of %s to %s\n"),
		        cli_party(keys_identity(lg)), out);
	return 0;
}

static int show_retired(void *ctx, const char *fpr, const char *when)
{
	(void)ctx;
	printf(LF("已停用 %s（%s）\n", "retired %s (%s)\n"), fpr, when);
	return KP_OK;
}

static int key_show(struct ledger *lg)
{
	unsigned char pk[KEYS_PK_BYTES];
	char fpr[KEYS_FPR_LEN + 1];
	int rc;

	if ((rc = keys_ensure(lg)) != KP_OK || (rc = keys_public(lg, pk)) != KP_OK)
		return cli_fail(rc);
	keys_fingerprint(pk, fpr);
	printf("%s %s\n", keys_identity(lg), fpr);
	if ((rc = keys_retired(lg, show_retired, NULL)) != KP_OK)
		return cli_fail(rc);
	return 0;
}

/* A new key pair; the step that makes the city (or the townships) trust
 * it is said in full, since until then they refuse the new bundles. */
static int key_rotate(struct ledger *lg, const char *out)
{
	unsigned char old_pk[KEYS_PK_BYTES], new_pk[KEYS_PK_BYTES];
	char old_fpr[KEYS_FPR_LEN + 1], new_fpr[KEYS_FPR_LEN + 1];
	bool city = lg->mode == LEDGER_CITY_MODE;
	struct stat st;
	int rc;

	/* Said before the key changes, not after. */
	if (out && lstat(out, &st) == 0) {
		kp_err_set(KP_E_CANTCREAT, LF("%s 已存在；未更换密钥（请换一个文件名）",
		           "%s exists; the key was not replaced (choose another name)"), out);
		return cli_fail(KP_E_CANTCREAT);
	}
	if ((rc = keys_ensure(lg)) != KP_OK ||
	    (rc = keys_rotate(lg, old_pk, new_pk)) != KP_OK)
		return cli_fail(rc);
	keys_fingerprint(old_pk, old_fpr);
	keys_fingerprint(new_pk, new_fpr);
	printf(LF("%s 的新签名密钥：指纹 %s（旧密钥 %s 已停用，记入历史）\n",
	          "new signing key of %s: fingerprint %s (the old key %s is retired and kept in the history)\n"),
	       cli_party(keys_identity(lg)), new_fpr, old_fpr);
	if (out && (rc = key_export(lg, out)) != 0)
		return rc;
	cli_msg(city ? LF("kepu: 把新公钥%s交给各镇（街道）：电话核对指纹 %s 后，各镇用 kepu township trust 文件 --replace 信任它；在此之前各镇拒收用新密钥签名的任务数包和表单包\n",
	                  "kepu: give the new public key%s to every township: after checking the fingerprint %s over the telephone, each trusts it with kepu township trust FILE --replace; until then they refuse quota and forms bundles signed with the new key\n")
	             : LF("kepu: 把新公钥%s交给市里：电话核对指纹 %s 后，市里用 kepu township trust 文件 --replace 信任它；在此之前市里拒收本镇用新密钥签名的数据包\n",
	                  "kepu: give the new public key%s to the city: after checking the fingerprint %s over the telephone, it trusts it with kepu township trust FILE --replace; until then it refuses this township's bundles signed with the new key\n"),
	        out ? "" : L("（kepu key export --out 文件）", " (kepu key export --out FILE)"),
	        new_fpr);
	return 0;
}

static const struct option key_export_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option key_show_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options of key export (with out) or key show (out NULL): 0, an exit
 * code, or -1 for --help. */
static int key_parse(int argc, char **argv, const char **out)
{
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, out ? ":o:h" : ":h",
	                         out ? key_export_opts : key_show_opts, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch != 'o')
			return cli_bad_option("key", ch, argv);
		*out = optarg;
	}
	if (optind < argc)
		return cli_usage_error("key", L("多余的参数", "unexpected argument"));
	return 0;
}

int cmd_key(struct cli *c, int argc, char **argv)
{
	struct ledger *lg;
	const char *out = NULL;
	bool export, rotate;
	int rc;

	if (argc < 2)
		return cli_usage_error("key", L("需要 export、show 或 rotate",
		                                "needs export, show or rotate"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(L(key_help_zh, key_help_en));
	if (strcmp(argv[1], "export") && strcmp(argv[1], "show") &&
	    strcmp(argv[1], "rotate"))
		return cli_usage_error("key", L("需要 export、show 或 rotate",
		                                "needs export, show or rotate"));
	export = strcmp(argv[1], "export") == 0;
	rotate = strcmp(argv[1], "rotate") == 0;
	rc = key_parse(argc - 1, argv + 1, export || rotate ? &out : NULL);
	if (rc < 0)
		return cli_help(L(key_help_zh, key_help_en));
	if (rc)
		return rc;
	/* Writable: the key pair is made on first use. */
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = export ? key_export(lg, out) : rotate ? key_rotate(lg, out)
	     : key_show(lg);
	ledger_close(lg);
	return rc;
}

static const char township_help_zh[] =
	"用法：kepu township trust 公钥文件 [--replace]\n"
	"信任一把公钥：市级数据库信任各镇（街道）的公钥，镇街数据库信任市里的\n"
	"公钥。只接受由所信任的密钥签名的数据包。请电话核对显示的指纹。\n\n"
	"  --replace   更换该镇已信任的另一把密钥\n";
static const char township_help_en[] =
	"Usage: kepu township trust KEYFILE [--replace]\n"
	"Trust a public key: a city database trusts each township's key, a\n"
	"township database the city's.  Only bundles signed by a trusted key are\n"
	"accepted.  Check the fingerprint shown over the telephone.\n\n"
	"  --replace   replace a different key already trusted for that township\n";

static const struct option trust_opts[] = {
	{ "replace", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options of township trust: 0 and the key file in *file, an exit
 * code, or -1 for --help. */
static int trust_parse(int argc, char **argv, bool *replace, const char **file)
{
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":rh", trust_opts, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch != 'r')
			return cli_bad_option("township trust", ch, argv);
		*replace = true;
	}
	if (optind != argc - 1)
		return cli_usage_error("township trust", L("需要一个公钥文件",
		                                           "needs one key file"));
	*file = argv[optind];
	return 0;
}

int cmd_township(struct cli *c, int argc, char **argv)
{
	unsigned char pk[KEYS_PK_BYTES];
	char who[RECORD_NAME_MAX], fpr[KEYS_FPR_LEN + 1];
	struct ledger *lg;
	const char *file = NULL;
	bool replace = false;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	                  strcmp(argv[1], "-h") == 0))
		return cli_help(L(township_help_zh, township_help_en));
	if (argc < 2 || strcmp(argv[1], "trust") != 0)
		return cli_usage_error("township", L("需要 trust 公钥文件",
		                                     "needs trust KEYFILE"));
	rc = trust_parse(argc - 1, argv + 1, &replace, &file);
	if (rc < 0)
		return cli_help(L(township_help_zh, township_help_en));
	if (rc)
		return rc;
	if ((rc = keys_read_public(file, who, pk)) != KP_OK)
		return cli_fail(rc);
	if ((rc = cli_open_ledger(c, false, &lg)))
		return rc;
	rc = keys_trust(lg, who, pk, replace);
	if (rc != KP_OK) {
		rc = cli_fail(rc);
	} else {
		keys_fingerprint(pk, fpr);
		printf(LF("已信任 %s 的公钥，指纹 %s\n",
		          "trusted the key of %s, fingerprint %s\n"), cli_party(who), fpr);
	}
	ledger_close(lg);
	return rc;
}
