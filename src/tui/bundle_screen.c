/* bundle_screen.c - USB bundles: export with a progress line, import
 * (data, quota or forms bundles) with the dry-run summary shown before
 * anything is stored. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

#define LINES_MAX 40

/* The lines shown; the folder asked for is the session's (t->bundle_dir),
 * so the next visit offers it again. */
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

static void b_enter(struct tui *t, void *st, const void *arg)
{
	struct bun *b = st;

	(void)t;
	(void)arg;
	b_line(b, ST_NORMAL, L("e 导出新记录到 U 盘文件夹；i 从 U 盘导入数据包（先预览）。",
	                       "e exports the new records to a USB folder; i imports "
	                       "a bundle (a dry run first)."));
	b_line(b, ST_NORMAL, L("数据库本身不要放在 U 盘上，只把数据包放上去。",
	                       "Never keep the database itself on the stick; only "
	                       "bundles go there."));
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
	for (i = 0; i < b->n && y <= BODY_BOTTOM; i++, y++)
		draw_put(y, 2, b->lines[i], COLS - 4, b->style[i]);
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

static int b_export(struct tui *t, struct bun *b)
{
	struct bundle_export_opts o = { 0 };
	struct bundle_export_result r;
	struct progress pr = { t, NULL, 0 };
	char *dir = t->bundle_dir, buf[600];
	size_t i;
	int rc;

	if (prompt_line(t, L("导出到文件夹：", "Export to folder:"), dir, dir,
	                sizeof t->bundle_dir) != KP_OK || !dir[0])
		return RD_MSG;
	memset(&r, 0, sizeof r);
	o.out_dir = dir;
	o.progress = b_progress;
	o.progress_ctx = &pr;
	rc = bundle_export(t->lg, &o, &r);
	b_clear(b);
	for (i = 0; i < r.nnotes; i++)
		b_line(b, ST_NORMAL, r.notes[i]);
	if (rc == KP_OK) {
		snprintf(buf, sizeof buf, LF("已导出 %s：%zu 行，变更 %llu-%llu。",
		                            "Exported %s: %zu rows, changes %llu-%llu."),
		         r.path ? r.path : r.name, r.rows,
		         (unsigned long long)r.change_from + 1,
		         (unsigned long long)r.change_to);
		b_line(b, ST_OK, buf);
		screen_msg(t, MSG_OK, "%s", L("导出完成，可以拔出 U 盘。",
		                              "Export done; the stick can be removed."));
	} else if (rc == KP_NOTFOUND && r.nothing_new) {
		/* Not a failure: there is simply nothing the city lacks. */
		b_line(b, ST_NORMAL, kp_err_msg());
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
	snprintf(buf, sizeof buf, LF("数据包 %s：来自 %s，第 %llu 号，%zu 行%s",
	                            "Bundle %s: from %s, number %llu, %zu rows%s"),
	         s->name, s->township, (unsigned long long)s->seq, s->rows,
	         s->full ? L("（完整）", " (full)") : "");
	b_line(b, ST_HEAD, buf);
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

static int b_import(struct tui *t, struct bun *b)
{
	struct bundle_summary s;
	struct progress pr = { t, NULL, 0 };
	char *dir = t->bundle_dir;
	int rc;

	if (prompt_line(t, L("数据包文件夹：", "Bundle folder:"), dir, dir,
	                sizeof t->bundle_dir) != KP_OK || !dir[0])
		return RD_MSG;
	bundle_summary_init(&s);
	rc = bundle_import(t->lg, dir, true, b_progress, &pr, &s);
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
	rc = bundle_import(t->lg, dir, false, b_progress, &pr, &s);
	b_clear(b);
	b_summary(b, &s, false, rc == KP_OK);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, "%s", s.stored ? L("已导入。", "Imported.") :
		           L("没有需要改变的。", "Nothing needed changing."));
	else
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
out:
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
		return b_export(t, st);
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
