/* entry_save.c - saving an entry: the record checked once (ledger_check),
 * its errors and warnings shown in full, the warnings confirmed, then
 * stored with that same result (ledger_add_checked / ledger_edit_checked,
 * which do not check again); what the save did to the quotas; and the
 * next sheet of the same form for save+new.
 *
 * A record met changed or deleted by another clerk goes to
 * entry_conflict.c, which asks and says whether to save again.
 */
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

/* Findings listed in the message area before "and N more". */
#define LIST_MAX 4

/* "农村实用技术培训 +45 → 1665/2570；…" */
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
		if (e->sev[i] == sev && entry_visible(e, i) >= 0)
			return i;
	return e->form->nfields;
}

/* A duplicate of a sheet saved just before on this screen (save+new
 * keeps the title for several sheets of one event): expected, not asked
 * about. */
static bool batch_dup(const struct entry *e, const struct finding *f)
{
	size_t i;

	if (f->kind != FK_DUPLICATE || !f->ref[0])
		return false;
	for (i = 0; i < e->nbatch; i++)
		if (strcmp(e->batch[i], f->ref) == 0)
			return true;
	return false;
}

static size_t to_confirm(const struct entry *e, const struct check_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].sev == SEV_WARNING && !batch_dup(e, &res->findings[i]))
			n++;
	return n;
}

/* Each finding of severity sev on a line of its own ("· 参训人次：…"):
 * a finding without a field (a likely duplicate) says what it is too. */
static void list_findings(const struct entry *e, const struct check_result *res,
                          enum severity sev, char *buf, size_t size)
{
	size_t i, len = strlen(buf), shown = 0, more = 0;

	for (i = 0; i < res->nfindings && len + 1 < size; i++) {
		const struct finding *f = &res->findings[i];
		const struct field *fld = form_field(e->form, f->field);

		if (f->sev != sev || (sev == SEV_WARNING && batch_dup(e, f)))
			continue;
		if (shown == LIST_MAX) {
			more++;
			continue;
		}
		len += (size_t)snprintf(buf + len, size - len, "\n· %s%s%s",
		                        fld ? field_label(fld) : "", fld ? L("：", ": ") : "",
		                        finding_msg(f));
		shown++;
	}
	if (more && len + 1 < size)
		snprintf(buf + len, size - len, LF("\n……另有 %zu 条", "\n... and %zu more"),
		         more);
}

static int show_errors(struct tui *t, struct entry *e,
                       const struct check_result *res)
{
	char msg[TUI_MSG_MAX];
	size_t fi;

	entry_clear_notes(e);
	entry_set_notes(e, res);
	snprintf(msg, sizeof msg, LF("有 %zu 处错误，没有保存：", "%zu error(s); nothing "
	                             "was saved:"), check_count(res, SEV_ERROR));
	list_findings(e, res, SEV_ERROR, msg, sizeof msg);
	screen_msg(t, MSG_ERROR, "%s", msg);
	fi = first_with(e, SEV_ERROR);
	if (fi < e->form->nfields)
		entry_focus(t, e, fi);
	return RD_BODY | RD_MSG;
}

static bool confirm_warnings(struct tui *t, struct entry *e,
                             const struct check_result *res)
{
	char q[TUI_MSG_MAX];
	size_t len;
	int ans;

	/* On their fields, and every one of them listed in full (a likely
	 * duplicate has no field: it names the record it matches). */
	entry_clear_notes(e);
	entry_set_notes(e, res);
	if (first_with(e, SEV_WARNING) < e->form->nfields)
		entry_focus(t, e, first_with(e, SEV_WARNING));
	t->pending |= RD_BODY;
	snprintf(q, sizeof q, LF("有 %zu 条提醒：", "%zu warning(s):"), to_confirm(e, res));
	list_findings(e, res, SEV_WARNING, q, sizeof q);
	len = strlen(q);
	snprintf(q + len, sizeof q - len, "%s", L("\n仍然保存？y 保存  n 返回修改",
	                                          "\nSave anyway? y save  n go back"));
	ans = prompt_ask(t, q, "yn");
	if (ans == 'y')
		return true;
	screen_msg(t, MSG_INFO, "%s", L("没有保存。改好后再按 F2 保存。",
	                                "Not saved. Press F2 to save when ready."));
	return false;
}

/* The next sheet of the same form: the fields marked = keep their values,
 * the cursor goes to the first one that does not. */
static void next_sheet(struct entry *e, const char *id)
{
	struct record keep;
	char (*more)[RECORD_ID_LEN + 1];
	size_t i, first = e->form->nfields;

	more = realloc(e->batch, (e->nbatch + 1) * sizeof *more);
	if (more) {
		e->batch = more;
		snprintf(e->batch[e->nbatch++], sizeof e->batch[0], "%s", id);
	}
	record_init(&keep);
	snprintf(keep.form, sizeof keep.form, "%s", e->form->id);
	for (i = 0; i < e->form->nfields; i++) {
		const struct field *fld = &e->form->fields[i];
		const char *v = record_get(&e->rec, fld->name);

		if (e->keep[i] && v)
			record_set(&keep, fld->name, v);
	}
	for (i = 0; i < e->form->nfields && first == e->form->nfields; i++)
		if (!e->keep[i] && check_field_relevant(&e->form->fields[i], &keep))
			first = i;
	record_free(&e->rec);
	e->rec = keep;
	e->editing = false;
	e->id[0] = '\0';
	e->base_rev = 0;
	e->have_base = false;
	record_free(&e->base);
	e->from_draft = false;
	e->dirty = false;
	e->typing = false;
	entry_clear_notes(e);
	e->cur = first < e->form->nfields ? first : 0;
	e->stale = true;
}

static int after_save(struct tui *t, struct entry *e,
                      const struct check_result *res, const char *id,
                      bool and_new)
{
	char imp[400], sheet[48] = "";

	impact_text(res, imp, sizeof imp);
	if (and_new || e->nbatch)
		snprintf(sheet, sizeof sheet, LF("第 %zu 张", " sheet %zu"), e->nbatch + 1);
	/* Everything said, wrapped when long: the impact first, the id last. */
	screen_msg(t, MSG_OK, LF("已保存%s。%s%s编号 %s", "Saved%s. %s%sId %s"),
	           sheet, imp, imp[0] ? L("。", ". ") : "", id);
	if (e->from_draft)
		ledger_draft_drop(t->lg, e->draft);
	if (and_new) {
		next_sheet(e, id);
		return RD_BODY | RD_MSG;
	}
	screen_pop(t);
	return RD_NONE;
}

/* A failure with nothing more to offer than its message. */
static int save_failed(struct tui *t, struct entry *e)
{
	screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	entry_field_enter(e);
	return RD_MSG;
}

int entry_store(struct tui *t, struct entry *e, struct check_result *res,
                bool and_new)
{
	char id[RECORD_ID_LEN + 1];
	struct record cur;
	bool again = false;
	int rc, rd;

	record_init(&cur);
	if (e->editing)
		rc = ledger_edit_checked(t->lg, e->id, e->base_rev, &e->rec, res, &cur);
	else
		rc = ledger_add_checked(t->lg, &e->rec, res);
	switch (rc) {
	case KP_OK:
		snprintf(id, sizeof id, "%s", e->editing ? e->id : e->rec.id);
		rd = after_save(t, e, res, id, and_new);
		break;
	case KP_E_DATA:
		rd = show_errors(t, e, res);
		break;
	case KP_E_TEMPFAIL:
		if (e->editing && cur.rev > 0) {
			rd = entry_conflict(t, e, &cur, &again);
			break;
		}
		screen_msg(t, MSG_ERROR, "%s", L("数据库正忙，请再按一次保存。",
		                                 "The database is busy; press save again."));
		entry_field_enter(e);
		rd = RD_MSG;
		break;
	case KP_NOTFOUND:
		if (e->editing) {
			rd = entry_deleted(t, e, &again);
			break;
		}
		rd = save_failed(t, e);
		break;
	default:
		rd = save_failed(t, e);
		break;
	}
	record_free(&cur);
	/* Merged with the other clerk's change, or to be a new record. */
	return again ? rd | entry_save(t, e, and_new) : rd;
}

int entry_save(struct tui *t, struct entry *e, bool and_new)
{
	struct check_result res;
	int rd, rc;

	/* The record, and nothing on screen, is what gets saved. */
	rd = entry_leave_field(t, e);
	if (e->stale && entry_layout(e) != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return rd | RD_MSG;
	}
	check_result_init(&res);
	/* The one check of this save: its result is what the clerk sees and
	 * what is stored with. */
	rc = ledger_check(t->lg, &e->rec, &res);
	if (rc != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		entry_field_enter(e);
		rd |= RD_MSG;
	} else if (check_has_errors(&res)) {
		rd |= show_errors(t, e, &res);
	} else if (to_confirm(e, &res) > 0 && !confirm_warnings(t, e, &res)) {
		entry_field_enter(e);
		rd |= RD_BODY | RD_MSG;
	} else {
		rd |= entry_store(t, e, &res, and_new);
	}
	check_result_free(&res);
	return rd;
}
