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
		ui_num(im->delta < 0 ? -im->delta : im->delta, d);
		ui_num(im->achieved, a);
		if (im->has_target)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %c%s → %s/%s",
			                        len ? L("；", "; ") : "", indicator_label(im->ind),
			                        im->delta < 0 ? '-' : '+', d, a,
			                        ui_num(im->target, g));
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s %c%s → %s",
			                        len ? L("；", "; ") : "", indicator_label(im->ind),
			                        im->delta < 0 ? '-' : '+', d, a);
	}
}

/* The first field shown, in form order, whose finding has severity sev. */
static size_t first_with(int sev)
{
	size_t i;

	for (i = 0; i < E.form->nfields; i++)
		if (E.sev[i] == sev && check_field_relevant(&E.form->fields[i], &E.rec))
			return i;
	return E.form->nfields;
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

static int show_errors(struct tui *t, const struct check_result *res)
{
	const struct finding *f = first_finding(res, SEV_ERROR);
	const struct field *fld = f ? form_field(E.form, f->field) : NULL;
	size_t fi;

	entry_clear_notes();
	entry_set_notes(res);
	ui_msg(t, MSG_ERROR, LF("有 %zu 处错误，没有保存。%s%s%s",
	                       "%zu error(s); nothing was saved. %s%s%s"),
	       check_count(res, SEV_ERROR), fld ? field_label(fld) : "",
	       fld ? ": " : "", f ? finding_msg(f) : "");
	fi = first_with(SEV_ERROR);
	if (fi < E.form->nfields)
		entry_focus(t, fi);
	return RD_BODY | RD_MSG;
}

static bool confirm_warnings(struct tui *t, const struct check_result *res)
{
	char q[300];
	int ans;

	/* The warnings go on their fields and the note row; the question
	 * itself stays short enough for 80 columns. */
	entry_clear_notes();
	entry_set_notes(res);
	if (first_with(SEV_WARNING) < E.form->nfields)
		entry_focus(t, first_with(SEV_WARNING));
	t->pending |= RD_BODY;
	snprintf(q, sizeof q, LF("有 %zu 条提醒（见上）。仍然保存？y 保存  n 返回修改",
	                         "%zu warning(s) (see above). Save anyway? y save  "
	                         "n go back"),
	         check_count(res, SEV_WARNING));
	ans = ui_ask(t, q, "yn");
	if (ans == 'y')
		return true;
	ui_msg(t, MSG_INFO, "%s", L("没有保存。改好后再按 F2 保存。",
	                            "Not saved. Press F2 to save when ready."));
	return false;
}

/* A new blank sheet that keeps the fields marked keep=yes. */
static void next_sheet(struct tui *t)
{
	struct record keep;
	size_t i, first = E.form->nfields;

	record_init(&keep);
	snprintf(keep.form, sizeof keep.form, "%s", E.form->id);
	for (i = 0; i < E.form->nfields; i++) {
		const struct field *fld = &E.form->fields[i];
		const char *v = record_get(&E.rec, fld->name);

		if (fld->keep && v)
			record_set(&keep, fld->name, v);
		if (!fld->keep && first == E.form->nfields)
			first = i;
	}
	record_free(&E.rec);
	E.rec = keep;
	E.editing = false;
	E.id[0] = '\0';
	E.base_rev = 0;
	E.from_draft = false;
	E.dirty = false;
	entry_clear_notes();
	E.cur = first < E.form->nfields ? first : 0;
	entry_rebuild(t);
}

static int after_save(struct tui *t, const struct check_result *res,
                      const char *id, bool and_new)
{
	char imp[400];

	impact_text(res, imp, sizeof imp);
	/* The id first: the message line may cut the impacts, never the id. */
	ui_msg(t, MSG_OK, LF("已保存（编号 %s）。%s", "Saved (id %s). %s"), id, imp);
	if (E.from_draft)
		ledger_draft_drop(t->lg);
	if (and_new) {
		next_sheet(t);
		return RD_BODY | RD_MSG;
	}
	tui_pop(t);
	return RD_NONE;
}

/* Both versions, field by field, where they differ. */
static void draw_conflict(const struct record *cur)
{
	char buf[700];
	size_t i;
	int y = BODY_TOP;

	ui_clear_body();
	snprintf(buf, sizeof buf, LF("你修改期间，%s 已把这条记录改成第 %u 版。两边不同的内容：",
	                            "While you were editing, %s saved revision %u "
	                            "of this record. Where the two differ:"),
	         cur->changed_by, cur->rev);
	ui_put_pad(y++, 1, buf, COLS - 2, ST_WARN);
	for (i = 0; i < E.form->nfields && y + 2 <= BODY_BOTTOM; i++) {
		const struct field *fld = &E.form->fields[i];
		const char *a = record_get(&E.rec, fld->name);
		const char *b = record_get(cur, fld->name);
		char *sa, *sb;

		if (strcmp(a ? a : "", b ? b : "") == 0)
			continue;
		sa = text_for_terminal(entry_display(fld, a));
		sb = text_for_terminal(entry_display(fld, b));
		ui_put_pad(y++, 1, field_label(fld), COLS - 2, ST_HEAD);
		snprintf(buf, sizeof buf, "  %s%s", L("我的：", "mine:   "), sa ? sa : "");
		ui_put_pad(y++, 1, buf, COLS - 2, ST_OK);
		snprintf(buf, sizeof buf, "  %s%s", L("对方：", "theirs: "), sb ? sb : "");
		ui_put_pad(y++, 1, buf, COLS - 2, ST_ERROR);
		free(sa);
		free(sb);
	}
}

static int conflict(struct tui *t, const struct record *cur, bool and_new)
{
	int ans;

	draw_conflict(cur);
	ans = ui_ask(t, L("k 用我的覆盖对方  t 放弃我的、采用对方的  Esc 回去继续改",
	                  "k keep mine (overwrite theirs)  t take theirs  "
	                  "Esc back to editing"), "kt");
	t->pending |= RD_BODY | RD_MSG;
	if (ans == 'k') {
		E.base_rev = cur->rev;
		return entry_save(t, and_new);
	}
	if (ans == 't') {
		record_free(&E.rec);
		record_init(&E.rec);
		record_copy(&E.rec, cur);
		E.base_rev = cur->rev;
		E.dirty = false;
		entry_clear_notes();
		entry_rebuild(t);
		ui_msg(t, MSG_INFO, "%s", L("已换成对方的版本。", "Now showing their version."));
		return RD_BODY | RD_MSG;
	}
	ui_msg(t, MSG_INFO, "%s", L("没有保存。再按 F2 时仍会提示冲突。",
	                            "Not saved. F2 will show the conflict again."));
	return RD_BODY | RD_MSG;
}

static int store(struct tui *t, struct check_result *res, struct record *cur,
                 bool and_new)
{
	char id[RECORD_ID_LEN + 1];
	int rc;

	if (E.editing)
		rc = ledger_edit(t->lg, E.id, E.base_rev, &E.rec, res, cur);
	else
		rc = ledger_add(t->lg, &E.rec, res);
	switch (rc) {
	case KP_OK:
		snprintf(id, sizeof id, "%s", E.editing ? E.id : E.rec.id);
		return after_save(t, res, id, and_new);
	case KP_E_DATA:
		return show_errors(t, res);
	case KP_E_TEMPFAIL:
		if (E.editing && cur->rev > 0)
			return conflict(t, cur, and_new);
		ui_msg(t, MSG_ERROR, "%s", L("数据库正忙，请再按一次保存。",
		                             "The database is busy; press save again."));
		return RD_MSG;
	case KP_NOTFOUND:
		ui_msg(t, MSG_ERROR, "%s", L("这条记录已被别人删除，没有保存。",
		                             "Someone deleted this record; nothing was saved."));
		return RD_MSG;
	default:
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return RD_MSG;
	}
}

int entry_save(struct tui *t, bool and_new)
{
	struct check_result res;
	struct record cur;
	int rd, rc;

	rd = entry_leave_field(t);
	check_result_init(&res);
	record_init(&cur);
	rc = ledger_check(t->lg, &E.rec, &res);
	if (rc != KP_OK) {
		ui_msg(t, MSG_ERROR, "%s", kp_err_msg());
		rd |= RD_MSG;
		goto out;
	}
	if (check_has_errors(&res)) {
		rd |= show_errors(t, &res);
		goto out;
	}
	if (check_count(&res, SEV_WARNING) > 0 && !confirm_warnings(t, &res)) {
		rd |= RD_BODY | RD_MSG;
		goto out;
	}
	check_result_free(&res);
	check_result_init(&res);
	rd |= store(t, &res, &cur, and_new);
out:
	record_free(&cur);
	check_result_free(&res);
	return rd;
}
