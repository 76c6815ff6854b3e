/* bundle_screen.c - USB bundles: export (new changes, or everything again)
 * with a progress line; import from a folder, picking one of the bundles
 * found in it (data, quota, forms or decision bundles), with the dry-run
 * summary shown before anything is stored.
 *
 * The folder offered is the session's (t->bundle_dir): the stick's
 * folder, never a bundle inside it (an export there would spoil the
 * bundle; the core refuses it anyway).  A clerk on PuTTY or Xshell writes
 * to the office machine: the screen says how the bundle then reaches the
 * stick in the Windows PC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "schema.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

#define LINES_MAX 40

/* The lines shown. */
struct bun {
	char *lines[LINES_MAX];
	enum draw_style style[LINES_MAX];
	int n;
};

/* What the progress line keeps between two calls of b_progress. */
struct progress {
	struct tui *t;
	const char *last_stage;
	size_t last_done;
};

static void b_clear(struct bun *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		free(b->lines[i]);
	b->n = 0;
}

static void b_line(struct bun *b, enum draw_style st, const char *s)
{
	if (b->n == LINES_MAX)
		return;
	b->lines[b->n] = text_for_terminal(s);
	b->style[b->n++] = st;
}

/* What the screen says before anything is done, and again after. */
static void b_intro(struct bun *b)
{
	b_line(b, ST_NORMAL, L("e 把新记录导出到 U 盘文件夹；f 把全部记录重新导出一遍；"
	                       "i 从文件夹导入数据包（先预览）。",
	                       "e exports the new records to a USB folder; f exports "
	                       "every record again; i imports a bundle from a folder "
	                       "(a dry run first)."));
	b_line(b, ST_NORMAL, L("数据库本身不要放在 U 盘上，只把数据包放上去。",
	                       "Never keep the database itself on the stick; only "
	                       "bundles go there."));
	b_line(b, ST_NORMAL, "");
	b_line(b, ST_HEAD, L("用 PuTTY 或 Xshell 远程登录时：", "Logged in with PuTTY or Xshell:"));
	b_line(b, ST_NORMAL, L("U 盘插在自己的 Windows 电脑上，kepu 却在办公室的机器上运行。先导出到那台"
	                       "机器上的文件夹（如 ~/报送），再用 WinSCP（或 Xshell 的 Xftp）把整个"
	                       "数据包文件夹拷到 U 盘；导入时反过来，先把数据包文件夹拷到那台机器上。"
	                       "要拷整个文件夹，不要只拷其中的文件。",
	                       "the stick is in your Windows PC while kepu runs on the "
	                       "office machine. Export to a folder there (e.g. ~/reports), "
	                       "then copy the whole bundle folder to the stick with WinSCP "
	                       "(or Xshell's Xftp); to import, copy the bundle folder to "
	                       "that machine first. Copy the whole folder, not the files "
	                       "in it."));
}

static void b_enter(struct tui *t, void *st, const void *arg)
{
	(void)t;
	(void)arg;
	b_intro(st);
}

static void b_leave(struct tui *t, void *st)
{
	(void)t;
	b_clear(st);
}

static void b_draw(struct tui *t, void *st)
{
	const struct bun *b = st;
	int i, y = BODY_TOP + 1;

	(void)t;
	draw_clear_body();
	for (i = 0; i < b->n && y <= BODY_BOTTOM; i++)
		y += draw_put_wrapped(y, BODY_TOP, BODY_BOTTOM, 2, b->lines[i],
		                      COLS - 4, 0, b->style[i]);
}

/* Repaint the message line now and then, not for every row: the link
 * may be slow. */
static void b_progress(void *ctx, const char *stage, size_t done, size_t total)
{
	struct progress *p = ctx;
	struct tui *t = p->t;

	if (stage == p->last_stage && done - p->last_done < 500 && done != total)
		return;
	p->last_stage = stage;
	p->last_done = done;
	if (total)
		screen_msg(t, MSG_INFO, "%s %zu/%zu", stage, done, total);
	else
		screen_msg(t, MSG_INFO, "%s %zu", stage, done);
	screen_msg_draw(t);
	refresh();
}

static int b_export(struct tui *t, struct bun *b, bool full)
{
	struct bundle_export_opts o = { 0 };
	struct bundle_export_result r;
	struct progress pr = { t, NULL, 0 };
	char *dir = t->bundle_dir, buf[800];
	size_t i;
	int rc;

	if (full && prompt_ask(t, L("把全部记录重新导出成一个完整的数据包？y 导出  n 不导出",
	                            "Export every record again as a full bundle? "
	                            "y export  n do not"), "yn") != 'y') {
		screen_msg(t, MSG_INFO, "%s", L("没有导出。", "Nothing was exported."));
		return RD_MSG;
	}
	if (prompt_line(t, full ? L("完整导出到文件夹：", "Full export to folder:") :
	                L("导出到文件夹：", "Export to folder:"), dir, dir,
	                sizeof t->bundle_dir) != KP_OK || !dir[0])
		return RD_MSG;
	memset(&r, 0, sizeof r);
	o.out_dir = dir;
	o.full = full;
	o.progress = b_progress;
	o.progress_ctx = &pr;
	rc = bundle_export(t->lg, &o, &r);
	b_clear(b);
	for (i = 0; i < r.nnotes; i++)
		b_line(b, ST_NORMAL, r.notes[i]);
	if (rc == KP_OK) {
		snprintf(buf, sizeof buf, LF("已导出 %s：%zu 行，变更 %llu-%llu%s。",
		                            "Exported %s: %zu rows, changes %llu-%llu%s."),
		         r.path ? r.path : r.name, r.rows,
		         (unsigned long long)r.change_from + 1,
		         (unsigned long long)r.change_to,
		         full ? L("（完整）", " (full)") : "");
		b_line(b, ST_OK, buf);
		screen_msg(t, MSG_OK, "%s", L("导出完成，可以拔出 U 盘（远程登录时：现在用 WinSCP "
		                              "把这个文件夹拷到 U 盘）。",
		                              "Export done; the stick can be removed (logged "
		                              "in remotely: now copy this folder to the stick "
		                              "with WinSCP)."));
	} else if (rc == KP_NOTFOUND && r.nothing_new) {
		/* Not a failure: there is simply nothing the city lacks. */
		b_line(b, ST_NORMAL, kp_err_msg());
		b_line(b, ST_NORMAL, L("要把全部记录再交一次，按 f。",
		                       "To hand in every record again, press f."));
		screen_msg(t, MSG_INFO, "%s", L("没有新的变更，未写数据包。",
		                                "No new changes; no bundle written."));
	} else if (r.unsettled) {
		b_line(b, ST_ERROR, kp_err_msg());
		screen_msg(t, MSG_ERROR, "%s", L("导出失败；数据包可能已在 U 盘上，下一次导出会查看并处理它。",
		                                 "Export failed; the bundle may be on the stick: the next export looks at it and settles it."));
	} else {
		b_line(b, ST_ERROR, kp_err_msg());
		screen_msg(t, MSG_ERROR, "%s", L("导出失败，没有留下不完整的数据包。",
		                                 "Export failed; no partial bundle was left."));
	}
	bundle_export_result_free(&r);
	b_line(b, ST_NORMAL, "");
	b_intro(b);
	return RD_BODY | RD_MSG;
}

/* A forms bundle changes the forms, not records: its version and what it
 * adds. */
static void b_forms_summary(struct bun *b, const struct bundle_summary *s,
                            bool dry, bool ok)
{
	char buf[600], text[400];

	snprintf(buf, sizeof buf, LF("表单包 %s：来自 %s，第 %llu 号，第 %u 版表单（%zu 个文件）",
	                            "Forms bundle %s: from %s, number %llu, forms version %u (%zu files)"),
	         s->name, s->township, (unsigned long long)s->seq, s->forms_version, s->rows);
	b_line(b, ST_HEAD, buf);
	if (!ok || s->already)
		return;
	schema_changes_text(&s->changes, text, sizeof text);
	snprintf(buf, sizeof buf, dry ? LF("预览：表单可以由第 %u 版更新到第 %u 版：%s",
	                                  "Dry run: the forms can move from version %u to version %u: %s")
	                              : LF("表单已由第 %u 版更新到第 %u 版：%s",
	                                  "The forms moved from version %u to version %u: %s"),
	         s->forms_from, s->forms_version, text);
	b_line(b, ST_NORMAL, buf);
}

static void b_summary(struct bun *b, const struct bundle_summary *s, bool dry,
                      bool ok)
{
	char buf[600];
	size_t i;

	if (s->kind == BUNDLE_FORMS) {
		b_forms_summary(b, s, dry, ok);
		goto notes;
	}
	if (s->kind == BUNDLE_DECISION) {
		snprintf(buf, sizeof buf, LF("%s决定包 %s：市里对本镇街年度的决定 %zu 条，新 %zu 条",
		                            "%sDecision bundle %s: %zu decisions of the city on this township's years, %zu new"),
		         dry ? L("预览：", "Dry run: ") : "", s->name, s->rows, s->n_new);
		b_line(b, ST_HEAD, buf);
		goto notes;
	}
	if (s->kind == BUNDLE_QUOTA)
		snprintf(buf, sizeof buf, LF("任务数据包 %s：来自 %s，第 %llu 号，%zu 行",
		                            "Quota bundle %s: from %s, number %llu, %zu rows"),
		         s->name, s->township, (unsigned long long)s->seq, s->rows);
	else
		snprintf(buf, sizeof buf, LF("数据包 %s：来自 %s，第 %llu 号，%zu 行%s",
		                            "Bundle %s: from %s, number %llu, %zu rows%s"),
		         s->name, s->township, (unsigned long long)s->seq, s->rows,
		         s->full ? L("（完整）", " (full)") : "");
	b_line(b, ST_HEAD, buf);
	if (s->kind == BUNDLE_QUOTA)
		snprintf(buf, sizeof buf, LF("%s本镇（街道）的任务数 %zu 项",
		                            "%s%zu quotas for this township"),
		         dry ? L("预览：", "Dry run: ") : "", s->rows);
	else
		snprintf(buf, sizeof buf, LF("%s新增 %zu，更新 %zu，相同 %zu，较旧 %zu，拒收 %zu",
		                            "%snew %zu, updated %zu, same %zu, older %zu, "
		                            "rejected %zu"),
		         dry ? L("预览：", "Dry run: ") : "", s->n_new, s->n_updated,
		         s->n_unchanged, s->n_stale, s->n_rejected);
	b_line(b, ST_NORMAL, buf);
notes:
	if (s->already)
		b_line(b, ST_WARN, L("这个数据包以前导入过，不会有任何改变。",
		                     "This bundle was imported before; nothing changes."));
	for (i = 0; i < s->nnotes; i++)
		b_line(b, ST_WARN, s->notes[i]);
	for (i = 0; i < s->nproblems; i++)
		b_line(b, ST_ERROR, s->problems[i]);
}

/* The folder asked for: the bundle in it to import (allocated), one
 * picked from a list when there are several; NULL when there is none
 * (the message says why).  The folder holding the bundles is what the
 * next export and import offer. */
static char *b_choose(struct tui *t, struct bun *b, const char *dir)
{
	struct bundle_found *f = NULL;
	struct choice *c = NULL;
	struct pick_result pr;
	size_t n = 0, i;
	char *path = NULL, *slash;
	int rc = bundle_find(dir, &f, &n);

	if (rc != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return NULL;
	}
	if (n == 0) {
		b_clear(b);
		b_line(b, ST_WARN, L("这个文件夹里没有数据包（数据包是带 manifest.csv 和 "
		                     "SHA256SUMS 的文件夹）。请选 U 盘上放数据包的文件夹，或"
		                     "数据包文件夹本身。",
		                     "There is no bundle in this folder (a bundle is a folder "
		                     "holding manifest.csv and SHA256SUMS). Choose the folder "
		                     "on the stick that holds the bundles, or a bundle "
		                     "folder itself."));
		b_line(b, ST_NORMAL, "");
		b_intro(b);
		screen_msg(t, MSG_WARN, LF("%s 里没有数据包。", "No bundle in %s."), dir);
		bundle_found_free(f, n);
		return NULL;
	}
	if (n == 1 && strcmp(f[0].path, dir) == 0) {
		/* The bundle itself: offer the folder it is in next time. */
		if ((slash = strrchr(t->bundle_dir, '/')) && slash > t->bundle_dir)
			*slash = '\0';
	}
	i = 0;
	if (n > 1 && (c = calloc(n, sizeof *c))) {
		for (i = 0; i < n; i++) {
			c[i].code = f[i].name;
			c[i].label_zh = c[i].label_en = f[i].name;
		}
		pr = pick_choose(t, L("选择要导入的数据包", "Choose the bundle to import"),
		                 c, n, 0, NULL);
		t->pending |= RD_ALL;
		i = pr.chosen >= 0 ? (size_t)pr.chosen : n;
	}
	if (i < n)
		path = xstrdup(f[i].path);
	else
		screen_msg(t, MSG_INFO, "%s", L("没有导入。", "Nothing was imported."));
	free(c);
	bundle_found_free(f, n);
	return path;
}

static int b_import(struct tui *t, struct bun *b)
{
	struct bundle_summary s;
	struct progress pr = { t, NULL, 0 };
	char *dir = t->bundle_dir, *path;
	int rc;

	if (prompt_line(t, L("数据包所在的文件夹：", "Folder with the bundle(s):"), dir, dir,
	                sizeof t->bundle_dir) != KP_OK || !dir[0])
		return RD_MSG;
	if (!(path = b_choose(t, b, dir)))
		return RD_BODY | RD_MSG;
	bundle_summary_init(&s);
	rc = bundle_import(t->lg, path, true, b_progress, &pr, &s);
	b_clear(b);
	b_summary(b, &s, true, rc == KP_OK);
	t->pending |= RD_BODY;
	if (rc != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", s.nproblems ? L("数据包有问题，不能导入。",
		                       "The bundle has problems; it cannot be imported.") :
		                       kp_err_msg());
		goto out;
	}
	b_draw(t, b);
	if (prompt_ask(t, L("确认导入？y 导入  n 不导入", "Import it? y import  n do not"),
	               "yn") != 'y') {
		screen_msg(t, MSG_INFO, "%s", L("没有导入。", "Nothing was imported."));
		goto out;
	}
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	rc = bundle_import(t->lg, path, false, b_progress, &pr, &s);
	b_clear(b);
	b_summary(b, &s, false, rc == KP_OK);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, "%s", s.stored ? L("已导入。", "Imported.") :
		           L("没有需要改变的。", "Nothing needed changing."));
	else
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
out:
	free(path);
	bundle_summary_free(&s);
	return RD_BODY | RD_MSG;
}

static int b_key(struct tui *t, void *st, struct tkey k, enum action act,
                 int arg)
{
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_EXPORT:
		return b_export(t, st, false);
	case ACT_EXPORT_FULL:
		return b_export(t, st, true);
	case ACT_IMPORT:
		return b_import(t, st);
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops bundle_ops = {
	.id = SCR_BUNDLE,
	.title_zh = "U盘数据包",
	.title_en = "USB bundles",
	.text_input = false,
	.state_size = sizeof(struct bun),
	.enter = b_enter,
	.leave = b_leave,
	.draw = b_draw,
	.key = b_key,
};
