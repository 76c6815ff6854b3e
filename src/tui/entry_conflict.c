/* entry_conflict.c - saving a record another clerk changed or deleted
 * while it was being edited.  Nothing is ever overwritten without the
 * clerk saying so.
 *
 * A change is compared three ways, field by field: what this clerk
 * started from (the revision opened), what this clerk has now, and what
 * is stored now.  A field only one side changed takes that side's value
 * whatever is chosen; only a field both changed, differently, is a
 * conflict the clerk settles (mine or theirs).  When the revision opened
 * is not known (a draft of an edit resumed after the record moved on),
 * every difference counts as a conflict.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "prompt.h"
#include "screen.h"
#include "entry.h"

enum side { SAME, MINE, THEIRS, BOTH, CONFLICT };

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static enum side side_of(const struct entry *e, const struct record *cur,
                         const char *name)
{
	const char *b = record_get(&e->base, name);
	const char *m = record_get(&e->rec, name);
	const char *r = record_get(cur, name);
	bool mc, tc;

	if (same(m, r))
		return e->have_base && !same(m, b) ? BOTH : SAME;
	if (!e->have_base)
		return CONFLICT;
	mc = !same(m, b);
	tc = !same(r, b);
	if (mc && tc)
		return CONFLICT;
	return mc ? MINE : THEIRS;
}

static void when_text(int64_t at, char out[32])
{
	time_t tt = (time_t)at;
	struct tm tm;

	snprintf(out, 32, "?");
	if (localtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

/* "  原来：…" in style st at row *y, when there is room. */
static void value_line(const struct field *fld, const char *what,
                       const char *v, int *y, enum draw_style st)
{
	char buf[700], *safe = text_for_terminal(entry_display(fld, v));

	if (*y > BODY_BOTTOM)
		goto out;
	snprintf(buf, sizeof buf, "    %s%s", what, safe ? safe : "");
	draw_put_pad((*y)++, 1, buf, COLS - 2, st);
out:
	free(safe);
}

/* Every field either side changed, with what it was, mine and theirs;
 * returns how many conflict. */
static int draw_sides(const struct entry *e, const struct record *cur)
{
	static const char *const word_zh[] = { "", "只有我改了", "只有对方改了",
		"两边改成一样", "两边都改了，不一样" };
	static const char *const word_en[] = { "", "changed by me only",
		"changed by them only", "both made the same change",
		"both changed it differently" };
	char buf[700], when[32];
	size_t i;
	int y = BODY_TOP, conflicts = 0;

	draw_clear_body();
	when_text(cur->changed_at, when);
	snprintf(buf, sizeof buf, LF("你修改期间，%s 于 %s 把这条记录存成了第 %u 版。"
	                            "两边的修改：", "While you were editing, %s saved "
	                            "(at %s) revision %u of this record. The changes:"),
	         cur->changed_by, when, cur->rev);
	y += draw_put_wrapped(y, BODY_TOP, BODY_BOTTOM, 1, buf, COLS - 2, 0, ST_WARN);
	for (i = 0; i < e->form->nfields; i++) {
		const struct field *fld = &e->form->fields[i];
		enum side sd = side_of(e, cur, fld->name);

		if (sd == SAME)
			continue;
		conflicts += sd == CONFLICT;
		if (y > BODY_BOTTOM)
			continue;
		snprintf(buf, sizeof buf, "%s  %s%s", field_label(fld),
		         sd == CONFLICT ? "! " : "", L(word_zh[sd], word_en[sd]));
		draw_put_pad(y++, 1, buf, COLS - 2, sd == CONFLICT ? ST_ERROR : ST_HEAD);
		if (e->have_base && sd != BOTH)
			value_line(fld, L("原来：", "was:    "), record_get(&e->base, fld->name),
			           &y, ST_NORMAL);
		if (sd != THEIRS)
			value_line(fld, L("我的：", "mine:   "), record_get(&e->rec, fld->name),
			           &y, ST_OK);
		if (sd != MINE && sd != BOTH)
			value_line(fld, L("对方：", "theirs: "), record_get(cur, fld->name),
			           &y, ST_WARN);
	}
	return conflicts;
}

/* Theirs, with every change of mine they did not touch, and mine where
 * both changed when mine_wins. */
static int merge(struct entry *e, const struct record *cur, bool mine_wins)
{
	struct record m;
	size_t i;
	int rc;

	record_init(&m);
	if ((rc = record_copy(&m, cur)) != KP_OK)
		return rc;
	for (i = 0; i < e->form->nfields && rc == KP_OK; i++) {
		const char *name = e->form->fields[i].name;
		enum side sd = side_of(e, cur, name);
		const char *v = record_get(&e->rec, name);

		if (sd != MINE && !(sd == CONFLICT && mine_wins))
			continue;
		if (v)
			rc = record_set(&m, name, v);
		else
			record_unset(&m, name);
	}
	if (rc != KP_OK) {
		record_free(&m);
		return rc;
	}
	/* What is stored now is the new starting point. */
	record_free(&e->rec);
	e->rec = m;
	record_free(&e->base);
	record_init(&e->base);
	e->have_base = record_copy(&e->base, cur) == KP_OK;
	e->base_rev = cur->rev;
	return KP_OK;
}

static bool mine_left(const struct entry *e)
{
	size_t i;

	for (i = 0; i < e->form->nfields; i++)
		if (!same(record_get(&e->rec, e->form->fields[i].name),
		          record_get(&e->base, e->form->fields[i].name)))
			return true;
	return false;
}

int entry_conflict(struct tui *t, struct entry *e, const struct record *cur,
                   bool *again)
{
	int conflicts = draw_sides(e, cur), ans;

	if (conflicts)
		ans = prompt_ask(t, L("k 冲突处用我的  t 冲突处用对方的（只有一边改的都保留）"
		                      "  Esc 回去继续改",
		                      "k mine where both changed  t theirs there (changes "
		                      "made on one side only are kept)  Esc back"), "kt");
	else
		ans = prompt_ask(t, L("m 合并保存（两边的修改都保留）  Esc 回去继续改",
		                      "m merge and save (both sides' changes kept)  "
		                      "Esc back to editing"), "m");
	t->pending |= RD_BODY | RD_MSG;
	e->stale = true;
	if (!ans) {
		screen_msg(t, MSG_INFO, "%s", L("没有保存。再按 F2 时仍会比较两边的修改。",
		                                "Not saved. F2 will compare the changes again."));
		return RD_BODY | RD_MSG;
	}
	if (merge(e, cur, ans != 't') != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return RD_BODY | RD_MSG;
	}
	entry_clear_notes(e);
	if (ans == 't') {
		e->dirty = mine_left(e);
		screen_msg(t, MSG_INFO, "%s", e->dirty ?
		           L("冲突处已换成对方的，你只改了的栏目保留着；按 F2 保存。",
		             "Theirs where both changed, yours elsewhere; press F2 to save.") :
		           L("现在显示的是对方的版本。", "Now showing their version."));
		return RD_BODY | RD_MSG;
	}
	*again = true;
	return RD_BODY | RD_MSG;
}

int entry_deleted(struct tui *t, struct entry *e, bool *again)
{
	struct record tomb;
	char q[400], when[32] = "?";
	int ans;

	record_init(&tomb);
	if (ledger_get(t->lg, e->id, &tomb) == KP_OK)
		when_text(tomb.changed_at, when);
	snprintf(q, sizeof q, LF("这条记录已被 %s 于 %s 删除，没有保存。"
	                        "n 把你填的存成一条新记录  Esc 回去",
	                        "%s deleted this record at %s; nothing was saved. "
	                        "n save what you typed as a new record  Esc back"),
	         tomb.changed_by[0] ? tomb.changed_by : "?", when);
	record_free(&tomb);
	ans = prompt_ask(t, q, "n");
	if (ans != 'n') {
		screen_msg(t, MSG_INFO, "%s", L("没有保存。", "Nothing was saved."));
		entry_field_enter(e);
		return RD_BODY | RD_MSG;
	}
	/* A new record: a new id, a first revision, nobody's bookkeeping. */
	e->editing = false;
	e->id[0] = '\0';
	e->base_rev = 0;
	e->have_base = false;
	e->rec.id[0] = '\0';
	e->rec.rev = 0;
	e->rec.deleted = false;
	t->pending |= RD_BODY;
	*again = true;
	return RD_BODY;
}
