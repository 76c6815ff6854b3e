/* cli_findings.c - the findings of a bulk load, counted by kind.
 *
 * A file of a hundred thousand rows can hold as many "likely duplicate"
 * warnings: every finding is counted, the first CLI_FINDINGS_SHOWN of each
 * kind are kept (in the order they came) to be printed, and the rest are
 * said as "and N more of this kind".  With --findings FILE every one is
 * written to a CSV file as it comes (line, field, severity, kind,
 * message, in the user's language), so memory holds the few shown and the counts, never the list.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "csvio.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"

static const char *const kind_word[CLI_KINDS] = {
	[FK_REQUIRED] = "required", [FK_TYPE] = "type", [FK_RANGE] = "range",
	[FK_CHOICE] = "choice", [FK_DATE] = "date", [FK_PLAN_YEAR] = "plan_year",
	[FK_CONSTRAINT] = "constraint", [FK_TEXT] = "text",
	[FK_UNKNOWN_FIELD] = "unknown_field", [FK_TOWNSHIP] = "township",
	[FK_NOT_RELEVANT] = "not_relevant", [FK_DUPLICATE] = "duplicate",
	[FK_IMPLAUSIBLE] = "implausible", [FK_FUTURE] = "future",
	[CLI_KIND_MALFORMED] = "malformed",
};

/* What the kind is, for "and N more of this kind (...)". */
static const char *kind_label(unsigned kind)
{
	switch (kind) {
	case FK_REQUIRED:      return L("缺少必填字段", "missing required field");
	case FK_TYPE:          return L("类型不对", "wrong type");
	case FK_RANGE:         return L("超出范围", "out of range");
	case FK_CHOICE:        return L("不在选项中", "not a choice");
	case FK_DATE:          return L("日期有误", "bad date");
	case FK_PLAN_YEAR:     return L("不在规划年度内", "outside the plan's years");
	case FK_CONSTRAINT:    return L("不符合规则", "rule broken");
	case FK_TEXT:          return L("文字有误", "bad text");
	case FK_UNKNOWN_FIELD: return L("未知字段", "unknown field");
	case FK_TOWNSHIP:      return L("镇（街道）有误", "bad township");
	case FK_NOT_RELEVANT:  return L("不该填的字段", "field that does not apply");
	case FK_DUPLICATE:     return L("可能重复", "likely duplicate");
	case FK_IMPLAUSIBLE:   return L("数值偏大", "implausible value");
	case FK_FUTURE:        return L("日期在今天之后", "date after today");
	default:               return L("格式有误的行", "malformed row");
	}
}

int cli_findings_open(struct cli_findings *fs, const char *path)
{
	/* A file for the clerk to filter in a spreadsheet: in the user's
	 * language (English keeps the kinds' short words). */
	const char *head[] = { L("行号", "line"), L("字段", "field"),
		L("严重程度", "severity"), L("类别", "kind"), L("说明", "message") };

	memset(fs, 0, sizeof *fs);
	if (!path)
		return KP_OK;
	fs->path = path;
	if (!(fs->f = fopen(path, "w")))
		return kp_err_set(KP_E_CANTCREAT, LF("无法写入 %s：%s",
		                  "cannot write %s: %s"), path, fs_errno_text(errno));
	csvw_begin(&fs->w, fs->f, CSVW_EXCEL);
	return csvw_row(&fs->w, sizeof head / sizeof head[0], head);
}

/* Keep text to print when it is among the first of its kind. */
static int keep(struct cli_findings *fs, unsigned kind, bool error,
                const char *text)
{
	struct cli_shown *sh;
	size_t *n = &fs->count[kind][error];

	if (++*n > CLI_FINDINGS_SHOWN)
		return KP_OK;
	if (*n == 1)
		fs->order[fs->norder++] = (unsigned char)(2 * kind + error);
	if (fs->nshown == fs->cap) {
		size_t cap = fs->cap ? 2 * fs->cap : 16;

		if (!(sh = realloc(fs->shown, cap * sizeof *sh)))
			return kp_err_nomem();
		fs->shown = sh;
		fs->cap = cap;
	}
	sh = &fs->shown[fs->nshown];
	if (!(sh->text = xstrdup(text)))
		return kp_err_nomem();
	sh->kind = kind;
	sh->error = error;
	fs->nshown++;
	return KP_OK;
}

static int to_file(struct cli_findings *fs, size_t line, const struct form *form,
                   const char *field, bool error, unsigned kind, const char *msg)
{
	if (!fs->f)
		return KP_OK;
	csvw_fieldf(&fs->w, "%zu", line);
	csvw_field(&fs->w, cli_field_name(form, field));
	csvw_field(&fs->w, error ? L("错误", "error") : L("警告", "warning"));
	csvw_field(&fs->w, lang_get() == KP_LANG_ZH ? kind_label(kind) : kind_word[kind]);
	csvw_field(&fs->w, msg);
	return csvw_end_row(&fs->w) == KP_OK ? KP_OK :
	       kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
	                  fs->path, fs_errno_text(errno));
}

/* One finding: to the file, counted, and kept to print when among the
 * first of its kind ("FILE:LINE: warning: field: message"). */
static int one_finding(struct cli_findings *fs, const char *where, size_t line,
                       const struct form *form, const char *field, bool error,
                       unsigned kind, const char *msg, const char *hint)
{
	char *text = NULL;
	int rc;

	if ((rc = to_file(fs, line, form, field, error, kind, msg)) != KP_OK)
		return rc;
	if (fs->count[kind][error] >= CLI_FINDINGS_SHOWN) {
		fs->count[kind][error]++;
		return KP_OK;
	}
	if (asprintf(&text, "%s: %s%s%s%s%s", where, error ? "" :
	             L("警告：", "warning: "), cli_field_name(form, field),
	             field[0] ? L("：", ": ") : "", msg, hint) < 0)
		return kp_err_nomem();
	rc = keep(fs, kind, error, text);
	free(text);
	return rc;
}

int cli_findings_add(struct cli_findings *fs, const char *where, size_t line,
                     const struct form *form, const struct check_result *res)
{
	char hint[RECORD_NAME_MAX * 4];
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < res->nfindings && !rc; i++) {
		const struct finding *f = &res->findings[i];

		hint[0] = '\0';
		if (f->kind == FK_UNKNOWN_FIELD && f->field[0])
			cli_did_you_mean(form, f->field, hint, sizeof hint);
		rc = one_finding(fs, where, line, form, f->field, f->sev == SEV_ERROR,
		                 f->kind, finding_msg(f), hint);
	}
	return rc;
}

int cli_findings_warning(struct cli_findings *fs, const char *where, size_t line,
                         const struct form *form, const char *field,
                         unsigned kind, const char *msg)
{
	return one_finding(fs, where, line, form, field, false, kind, msg, "");
}

void cli_findings_header(struct cli_findings *fs, size_t line,
                         const char *column, const char *msg)
{
	/* Said by the caller; a failure to write shows at close. */
	(void)to_file(fs, line, NULL, column, true, CLI_KIND_MALFORMED, msg);
}

int cli_findings_malformed(struct cli_findings *fs, const char *where,
                           size_t line, const char *msg)
{
	char *text = NULL;
	int rc;

	if ((rc = to_file(fs, line, NULL, "", true, CLI_KIND_MALFORMED, msg)) != KP_OK)
		return rc;
	if (asprintf(&text, "%s: %s", where, msg) < 0)
		return kp_err_nomem();
	rc = keep(fs, CLI_KIND_MALFORMED, true, text);
	free(text);
	return rc;
}

size_t cli_findings_count(const struct cli_findings *fs, bool errors)
{
	size_t k, n = 0;

	for (k = 0; k < CLI_KINDS; k++)
		n += fs->count[k][errors];
	return n;
}

void cli_findings_print(const struct cli_findings *fs, bool errors,
                        bool malformed_only)
{
	size_t i, more;
	unsigned k;

	for (i = 0; i < fs->nshown; i++)
		if (fs->shown[i].error == errors &&
		    (!malformed_only || fs->shown[i].kind == CLI_KIND_MALFORMED))
			cli_msg("%s\n", fs->shown[i].text);
	for (i = 0; i < fs->norder; i++) {
		if ((fs->order[i] & 1) != errors)
			continue;
		k = fs->order[i] / 2u;
		if (malformed_only && k != CLI_KIND_MALFORMED)
			continue;
		if (fs->count[k][errors] <= CLI_FINDINGS_SHOWN)
			continue;
		more = fs->count[k][errors] - CLI_FINDINGS_SHOWN;
		if (fs->path)
			cli_msg(LF("kepu: 另有 %zu 条同类（%s），全部列在 %s 中\n",
			           "kepu: and %zu more of this kind (%s); %s lists them all\n"),
			        more, kind_label(k), fs->path);
		else
			cli_msg(LF("kepu: 另有 %zu 条同类（%s；用 --findings 文件 可全部列出）\n",
			           "kepu: and %zu more of this kind (%s; --findings FILE lists them all)\n"),
			        more, kind_label(k));
	}
}

int cli_findings_close(struct cli_findings *fs)
{
	size_t i;
	int rc = KP_OK;

	for (i = 0; i < fs->nshown; i++)
		free(fs->shown[i].text);
	free(fs->shown);
	if (fs->f) {
		rc = csvw_finish(&fs->w);
		if (fclose(fs->f) != 0 || rc != KP_OK)
			rc = kp_err_set(KP_E_IO, LF("无法写入 %s：%s", "cannot write %s: %s"),
			                fs->path, fs_errno_text(errno ? errno : EIO));
	}
	memset(fs, 0, sizeof *fs);
	return rc;
}
