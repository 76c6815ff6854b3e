/* bundle_screen.c - USB bundles: export with a progress line, import with
 * the dry-run summary shown before anything is stored. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "ui.h"

#define LINES_MAX 40

static struct {
	char *lines[LINES_MAX];
	enum ui_style style[LINES_MAX];
	int n;
	char dir[512];
	size_t last_done;
	const char *last_stage;
} B;

static void b_clear(void)
{
	int i;

	for (i = 0; i < B.n; i++)
		free(B.lines[i]);
	B.n = 0;
}

static void b_line(enum ui_style st, const char *s)
{
	if (B.n == LINES_MAX)
		return;
	B.lines[B.n] = text_for_terminal(s);
	B.style[B.n++] = st;
}

static void b_enter(struct tui *t, const void *arg)
{
	(void)t;
	(void)arg;
	b_clear();
	b_line(ST_NORMAL, L("e 导出新记录到 U 盘文件夹；i 从 U 盘导入数据包（先预览）。",
	                    "e exports the new records to a USB folder; i imports "
	                    "a bundle (a dry run first)."));
	b_line(ST_NORMAL, L("数据库本身不要放在 U 盘上，只把数据包放上去。",
	                    "Never keep the database itself on the stick; only "
	                    "bundles go there."));
}

static void b_leave(struct tui *t)
{
	(void)t;
	b_clear();
}

static void b_draw(struct tui *t)
{
	int i, y = BODY_TOP + 1;

	(void)t;
	ui_clear_body();
	for (i = 0; i < B.n && y <= BODY_BOTTOM; i++, y++)
		ui_put(y, 2, B.lines[i], COLS - 4, B.style[i]);
}

/* Repaint the message line now and then, not for every row: the link
 * may be slow. */
static void b_progress(void *ctx, const char *stage, size_t done, size_t total)
{
	struct tui *t = ctx;

	if (stage == B.last_stage && done - B.last_done < 500 && done != total)
		return;
	B.last_stage = stage;
	B.last_done = done;
	if (total)
		ui_msg(t, MSG_INFO, "%s %zu/%zu", stage, done, total);
	else
		ui_msg(t, MSG_INFO, "%s %zu", stage, done);
	ui_msg_draw(t);
	refresh();
}

static int b_export(struct tui *t)
{
	struct bundle_export_opts o = { 0 };
	struct bundle_export_result r;
	char buf[600];
	int rc;

	if (ui_prompt(t, L("导出到文件夹：", "Export to folder:"), B.dir, B.dir,
	              sizeof B.dir) != KP_OK || !B.dir[0])
		return RD_MSG;
	memset(&r, 0, sizeof r);
	o.out_dir = B.dir;
	o.progress = b_progress;
	o.progress_ctx = t;
	B.last_stage = NULL;
	rc = bundle_export(t->lg, &o, &r);
	b_clear();
	if (rc == KP_OK) {
		snprintf(buf, sizeof buf, LF("已导出 %s：%zu 行，变更 %llu-%llu。",
		                            "Exported %s: %zu rows, changes %llu-%llu."),
		         r.path ? r.path : r.name, r.rows,
		         (unsigned long long)r.change_from + 1,
		         (unsigned long long)r.change_to);
		b_line(ST_OK, buf);
		ui_msg(t, MSG_OK, "%s", L("导出完成，可以拔出 U 盘。",
		                          "Export done; the stick can be removed."));
	} else if (rc == KP_NOTFOUND && r.nothing_new) {
		/* Not a failure: there is simply nothing the city lacks. */
		b_line(ST_NORMAL, kp_err_msg());
		ui_msg(t, MSG_INFO, "%s", L("没有新的变更，未写数据包。",
		                            "No new changes; no bundle written."));
	} else {
		b_line(ST_ERROR, kp_err_msg());
		ui_msg(t, MSG_ERROR, "%s", L("导出失败，没有留下不完整的数据包。",
		                             "Export failed; no partial bundle was left."));
	}
	bundle_export_result_free(&r);
	return RD_BODY | RD_MSG;
}

static void b_summary(const struct bundle_summary *s, bool dry)
{
	char buf[600];
	size_t i;

	snprintf(buf, sizeof buf, LF("数据包 %s：来自 %s，第 %llu 号，%zu 行%s",
	                            "Bundle %s: from %s, number %llu, %zu rows%s"),
	         s->name, s->township, (unsigned long long)s->seq, s->rows,
	         s->full ? L("（完整）", " (full)") : "");
	b_line(ST_HEAD, buf);
	snprintf(buf, sizeof buf, LF("%s新增 %zu，更新 %zu，相同 %zu，较旧 %zu，拒收 %zu",
	                            "%snew %zu, updated %zu, same %zu, older %zu, "
	                            "rejected %zu"),
	         dry ? L("预览：", "Dry run: ") : "", s->n_new, s->n_updated,
	         s->n_unchanged, s->n_stale, s->n_rejected);
	b_line(ST_NORMAL, buf);
	if (s->already)
		b_line(ST_WARN, L("这个数据包以前导入过，不会有任何改变。",
		                  "This bundle was imported before; nothing changes."));
	for (i = 0; i < s->nnotes; i++)
		b_line(ST_WARN, s->notes[i]);
	for (i = 0; i < s->nproblems; i++)
		b_line(ST_ERROR, s->problems[i]);
}

static int b_import(struct tui *t)
{
	struct bundle_summary s;
	int rc;

	if (ui_prompt(t, L("数据包文件夹：", "Bundle folder:"), B.dir, B.dir,
	              sizeof B.dir) != KP_OK || !B.dir[0])
		return RD_MSG;
	bundle_summary_init(&s);
	B.last_stage = NULL;
	rc = bundle_import(t->lg, B.dir, true, b_progress, t, &s);
	b_clear();
	b_summary(&s, true);
	t->pending |= RD_BODY;
	if (rc != KP_OK) {
		ui_msg(t, MSG_ERROR, "%s", s.nproblems ? L("数据包有问题，不能导入。",
		                       "The bundle has problems; it cannot be imported.") :
		                       kp_err_msg());
		goto out;
	}
	b_draw(t);
	if (ui_ask(t, L("确认导入？y 导入  n 不导入", "Import it? y import  n do not"),
	           "yn") != 'y') {
		ui_msg(t, MSG_INFO, "%s", L("没有导入。", "Nothing was imported."));
		goto out;
	}
	bundle_summary_free(&s);
	bundle_summary_init(&s);
	rc = bundle_import(t->lg, B.dir, false, b_progress, t, &s);
	b_clear();
	b_summary(&s, false);
	if (rc == KP_OK)
		ui_msg(t, MSG_OK, "%s", s.stored ? L("已导入。", "Imported.") :
		       L("没有需要改变的。", "Nothing needed changing."));
	else
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
out:
	bundle_summary_free(&s);
	return RD_BODY | RD_MSG;
}

static int b_key(struct tui *t, struct tkey k, enum action act, int arg)
{
	(void)k;
	(void)arg;
	switch (act) {
	case ACT_EXPORT:
		return b_export(t);
	case ACT_IMPORT:
		return b_import(t);
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops bundle_ops = {
	.id = SCR_BUNDLE,
	.title_zh = "U盘数据包",
	.title_en = "USB bundles",
	.text_input = false,
	.enter = b_enter,
	.leave = b_leave,
	.draw = b_draw,
	.key = b_key,
};
