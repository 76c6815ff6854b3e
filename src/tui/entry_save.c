/* entry_save.c - saving an entry: the full check, warnings to confirm,
 * what the save did to the quotas, and a record another clerk changed
 * meanwhile (never overwritten without the clerk saying so). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "prompt.h"
#include "screen.h"
#include "entry.h"

/* "农村实用技术培训 +45 → 1665/2570; ..." */
static void impact_text(const struct check_result *res, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < res->nimpacts && len + 1 < size; i++) {
		const struct impact *im = &res->impacts[i];
		char d[32], a[32], g[32];

		if (im->delta == 0)
			continue;
		draw_num(im->delta < 0 ? -im->delta : im->delta, d);
		draw_num(im->achieved, a);
		if (im->has_target)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %c%s → %s/%s",
			                        len ? L("；", "; ") : "", indicator_label(im->ind),
			                        im->delta < 0 ? '-' : '+', d, a,
			                        draw_num(im->target, g));
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s %c%s → %s",
			                        len ? L("；", "; ") : "", indicator_label(im->ind),
			                        im->delta < 0 ? '-' : '+', d, a);
	}
}

/* The first field shown, in form order, whose finding has severity sev. */
static size_t first_with(const struct entry *e, int sev)
{
	size_t i;

	for (i = 0; i < e->form->nfields; i++)
		if (e->sev[i] == sev && check_field_relevant(&e->form->fields[i], &e->rec))
			return i;
	return e->form->nfields;
}

static const struct finding *first_finding(const struct check_result *res,
                                           enum severity sev)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].sev == sev)
			return &res->findings[i];
	return NULL;
}

static int show_errors(struct tui *t, struct entry *e,
                       const struct check_result *res)
{
	const struct finding *f = first_finding(res, SEV_ERROR);
	const struct field *fld = f ? form_field(e->form, f->field) : NULL;
	size_t fi;

	entry_clear_notes(e);
	entry_set_notes(e, res);
	screen_msg(t, MSG_ERROR, LF("有 %zu 处错误，没有保存。%s%s%s",
	                       "%zu error(s); nothing was saved. %s%s%s"),
	           check_count(res, SEV_ERROR), fld ? field_label(fld) : "",
	           fld ? ": " : "", f ? finding_msg(f) : "");
	fi = first_with(e, SEV_ERROR);
	if (fi < e->form->nfields)
		entry_focus(t, e, fi);
	return RD_BODY | RD_MSG;
}

static bool confirm_warnings(struct tui *t, struct entry *e,
                             const struct check_result *res)
{
	char q[300];
	int ans;

	/* The warnings go on their fields and the note row; the question
	 * itself stays short enough for 80 columns. */
	entry_clear_notes(e);
	entry_set_notes(e, res);
	if (first_with(e, SEV_WARNING) < e->form->nfields)
		entry_focus(t, e, first_with(e, SEV_WARNING));
	t->pending |= RD_BODY;
	snprintf(q, sizeof q, LF("有 %zu 条提醒（见上）。仍然保存？y 保存  n 返回修改",
	                         "%zu warning(s) (see above). Save anyway? y save  "
	                         "n go back"),
	         check_count(res, SEV_WARNING));
	ans = prompt_ask(t, q, "yn");
	if (ans == 'y')
		return true;
	screen_msg(t, MSG_INFO, "%s", L("没有保存。改好后再按 F2 保存。",
	                                "Not saved. Press F2 to save when ready."));
	return false;
}

/* A new blank sheet that keeps the fields marked keep=yes. */
static void next_sheet(struct tui *t, struct entry *e)
{
	struct record keep;
	size_t i, first = e->form->nfields;

	record_init(&keep);
	snprintf(keep.form, sizeof keep.form, "%s", e->form->id);
	for (i = 0; i < e->form->nfields; i++) {
		const struct field *fld = &e->form->fields[i];
		const char *v = record_get(&e->rec, fld->name);

		if (fld->keep && v)
			record_set(&keep, fld->name, v);
		if (!fld->keep && first == e->form->nfields)
			first = i;
	}
	record_free(&e->rec);
	e->rec = keep;
	e->editing = false;
	e->id[0] = '\0';
	e->base_rev = 0;
	e->from_draft = false;
	e->dirty = false;
	entry_clear_notes(e);
	e->cur = first < e->form->nfields ? first : 0;
	entry_rebuild(t, e);
}

static int after_save(struct tui *t, struct entry *e,
                      const struct check_result *res, const char *id,
                      bool and_new)
{
	char imp[400];

	impact_text(res, imp, sizeof imp);
	/* The id first: the message line may cut the impacts, never the id. */
	screen_msg(t, MSG_OK, LF("已保存（编号 %s）。%s", "Saved (id %s). %s"), id, imp);
	if (e->from_draft)
		ledger_draft_drop(t->lg);
	if (and_new) {
		next_sheet(t, e);
		return RD_BODY | RD_MSG;
	}
	screen_pop(t);
	return RD_NONE;
}

/* Both versions, field by field, where they differ. */
static void draw_conflict(const struct entry *e, const struct record *cur)
{
	char buf[700];
	size_t i;
	int y = BODY_TOP;

	draw_clear_body();
	snprintf(buf, sizeof buf, LF("你修改期间，%s 已把这条记录改成第 %u 版。两边不同的内容：",
	                            "While you were editing, %s saved revision %u "
	                            "of this record. Where the two differ:"),
	         cur->changed_by, cur->rev);
	draw_put_pad(y++, 1, buf, COLS - 2, ST_WARN);
	for (i = 0; i < e->form->nfields && y + 2 <= BODY_BOTTOM; i++) {
		const struct field *fld = &e->form->fields[i];
		const char *a = record_get(&e->rec, fld->name);
		const char *b = record_get(cur, fld->name);
		char *sa, *sb;

		if (strcmp(a ? a : "", b ? b : "") == 0)
			continue;
		sa = text_for_terminal(entry_display(fld, a));
		sb = text_for_terminal(entry_display(fld, b));
		draw_put_pad(y++, 1, field_label(fld), COLS - 2, ST_HEAD);
		snprintf(buf, sizeof buf, "  %s%s", L("我的：", "mine:   "), sa ? sa : "");
		draw_put_pad(y++, 1, buf, COLS - 2, ST_OK);
		snprintf(buf, sizeof buf, "  %s%s", L("对方：", "theirs: "), sb ? sb : "");
		draw_put_pad(y++, 1, buf, COLS - 2, ST_ERROR);
		free(sa);
		free(sb);
	}
}

static int conflict(struct tui *t, struct entry *e, const struct record *cur,
                    bool and_new)
{
	int ans;

	draw_conflict(e, cur);
	ans = prompt_ask(t, L("k 用我的覆盖对方  t 放弃我的、采用对方的  Esc 回去继续改",
	                      "k keep mine (overwrite theirs)  t take theirs  "
	                      "Esc back to editing"), "kt");
	t->pending |= RD_BODY | RD_MSG;
	if (ans == 'k') {
		e->base_rev = cur->rev;
		return entry_save(t, e, and_new);
	}
	if (ans == 't') {
		record_free(&e->rec);
		record_init(&e->rec);
		record_copy(&e->rec, cur);
		e->base_rev = cur->rev;
		e->dirty = false;
		entry_clear_notes(e);
		entry_rebuild(t, e);
		screen_msg(t, MSG_INFO, "%s", L("已换成对方的版本。", "Now showing their version."));
		return RD_BODY | RD_MSG;
	}
	screen_msg(t, MSG_INFO, "%s", L("没有保存。再按 F2 时仍会提示冲突。",
	                                "Not saved. F2 will show the conflict again."));
	return RD_BODY | RD_MSG;
}

static int store(struct tui *t, struct entry *e, struct check_result *res,
                 struct record *cur, bool and_new)
{
	char id[RECORD_ID_LEN + 1];
	int rc;

	if (e->editing)
		rc = ledger_edit(t->lg, e->id, e->base_rev, &e->rec, res, cur);
	else
		rc = ledger_add(t->lg, &e->rec, res);
	switch (rc) {
	case KP_OK:
		snprintf(id, sizeof id, "%s", e->editing ? e->id : e->rec.id);
		return after_save(t, e, res, id, and_new);
	case KP_E_DATA:
		return show_errors(t, e, res);
	case KP_E_TEMPFAIL:
		if (e->editing && cur->rev > 0)
			return conflict(t, e, cur, and_new);
		screen_msg(t, MSG_ERROR, "%s", L("数据库正忙，请再按一次保存。",
		                                 "The database is busy; press save again."));
		return RD_MSG;
	case KP_NOTFOUND:
		screen_msg(t, MSG_ERROR, "%s", L("这条记录已被别人删除，没有保存。",
		                                 "Someone deleted this record; nothing was saved."));
		return RD_MSG;
	default:
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return RD_MSG;
	}
}

int entry_save(struct tui *t, struct entry *e, bool and_new)
{
	struct check_result res;
	struct record cur;
	int rd, rc;

	rd = entry_leave_field(t, e);
	check_result_init(&res);
	record_init(&cur);
	rc = ledger_check(t->lg, &e->rec, &res);
	if (rc != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		rd |= RD_MSG;
		goto out;
	}
	if (check_has_errors(&res)) {
		rd |= show_errors(t, e, &res);
		goto out;
	}
	if (check_count(&res, SEV_WARNING) > 0 && !confirm_warnings(t, e, &res)) {
		rd |= RD_BODY | RD_MSG;
		goto out;
	}
	check_result_free(&res);
	check_result_init(&res);
	rd |= store(t, e, &res, &cur, and_new);
out:
	record_free(&cur);
	check_result_free(&res);
	return rd;
}
