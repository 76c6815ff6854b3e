/* recview.c - one record: its fields and attachments, its history, and
 * attaching a file from a folder on the office box.
 *
 * Three pages of one screen.  The record page lists the fields and the
 * attachments (one of them selected, for x to take it off); h shows the
 * history page (ledger_log: who changed what, when, newest first); a asks
 * for a folder (the clerk's home first: where WinSCP puts an upload) and
 * lists its files newest first, Enter attaching the one selected.  Every
 * page is a list of lines built when it is entered, so drawing never
 * reads the database.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "attach.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "ledger.h"
#include "text.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "screen.h"
#include "screens.h"

#define FILES_MAX 500

enum page { PG_RECORD, PG_HISTORY, PG_FILES };

struct line {
	char *text;               /* safe for the terminal */
	enum draw_style st;
	int att;                  /* the attachment it shows, or -1 */
	int indent;
};

struct fent {
	char name[RECORD_ATT_NAME_MAX];
	off_t size;
	time_t mtime;
};

struct rv {
	struct record rec;
	enum page page;
	bool history_only;        /* opened on the history page: Esc leaves */
	struct line *lines;
	int n, cap, top;
	int sel;                  /* the attachment (record page) or file */
	char dir[512];
	struct fent *files;
	int nfiles;
};

/* ---- lines ------------------------------------------------------------------ */

static void lines_free(struct rv *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		free(v->lines[i].text);
	v->n = 0;
	v->top = 0;
}

static void line_add(struct rv *v, enum draw_style st, int indent, int att,
                     const char *text)
{
	struct line *l;

	if (v->n == v->cap) {
		int cap = v->cap ? 2 * v->cap : 64;
		struct line *nl = realloc(v->lines, (size_t)cap * sizeof *nl);

		if (!nl)
			return;
		v->lines = nl;
		v->cap = cap;
	}
	l = &v->lines[v->n];
	if (!(l->text = text_for_terminal(text)))
		return;
	l->st = st;
	l->indent = indent;
	l->att = att;
	v->n++;
}

static void line_addf(struct rv *v, enum draw_style st, int indent, int att,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void line_addf(struct rv *v, enum draw_style st, int indent, int att,
                      const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	line_add(v, st, indent, att, buf);
}

static const char *when_text(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, 32, "?");
	return buf;
}

/* s padded with spaces to `cells` display cells (CJK counts two). */
static const char *padded(const char *s, size_t cells, char *buf, size_t size)
{
	size_t w = text_width(s);

	snprintf(buf, size, "%s%*s", s, w < cells ? (int)(cells - w) : 1, "");
	return buf;
}

/* ---- the record page -------------------------------------------------------- */

static void build_record(struct tui *t, struct rv *v)
{
	const struct record *r = &v->rec;
	const struct form *f = schema_form(t->lg->schema, r->form);
	char a[32], b[32], size[32];
	size_t i;
	bool have;

	lines_free(v);
	line_addf(v, ST_HEAD, 0, -1, LF("%s  %s  第 %u 版%s", "%s  %s  revision %u%s"),
	          f ? form_label(f) : r->form, r->id, (unsigned)r->rev,
	          r->deleted ? L("  【已删除】", "  [deleted]") : "");
	for (i = 0; f && i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const char *val = record_get(r, fd->name);
		const struct choice *ch = val && fd->type == FT_CHOICE
		                          ? field_choice(fd, val) : NULL;
		char lab[128];

		if (val || check_field_relevant(fd, r))
			line_addf(v, ST_NORMAL, 2, -1, "%s%s%s%s%s",
			          padded(field_label(fd), 15, lab, sizeof lab),
			          val ? val : "", ch ? L("（", " (") : "",
			          ch ? choice_label(ch) : "", ch ? L("）", ")") : "");
	}
	line_add(v, ST_NORMAL, 0, -1, "");
	line_addf(v, ST_HEAD, 0, -1, LF("附件（%zu 个）  a 从文件夹附上  x 移除选中的",
	                                "Attachments (%zu)  a attach from a folder  "
	                                "x detach the one selected"), r->natt);
	if (!r->natt)
		line_add(v, ST_NORMAL, 2, -1, L("没有附件。签到表、通知、照片可以附上，督查时出示。",
		                                "None. Attach sign-in sheets, notices and "
		                                "photos to show at an inspection."));
	for (i = 0; i < r->natt; i++) {
		const struct record_att *at = &r->att[i];

		if (ledger_attach_have(t->lg, at->sha, &have) != KP_OK)
			have = true;
		line_addf(v, ST_NORMAL, 2, (int)i, "%s  %s  %s%s", at->name,
		          attach_type_label(at->type), attach_size_text(at->size, size),
		          have ? "" : L("  （内容未收到）", "  (bytes not received)"));
	}
	line_add(v, ST_NORMAL, 0, -1, "");
	line_addf(v, ST_NORMAL, 0, -1, LF("录入 %s %s，最后修改 %s %s；h 查看修改历史",
	                                  "Created by %s %s, last changed by %s %s; "
	                                  "h shows the history"),
	          r->created_by, when_text(r->created_at, a), r->changed_by,
	          when_text(r->changed_at, b));
	if (v->sel >= (int)r->natt)
		v->sel = r->natt ? (int)r->natt - 1 : 0;
}

/* ---- the history page ------------------------------------------------------- */

struct hist_ctx {
	struct tui *t;
	struct rv *v;
};

static const char *action_text(const char *a)
{
	static const struct { const char *a, *zh, *en; } names[] = {
		{ "add", "新增", "added" }, { "edit", "修改", "edited" },
		{ "delete", "删除", "deleted" }, { "attach", "附上附件", "attached" },
		{ "detach", "移除附件", "detached" }, { "merge", "导入", "imported" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].a, a) == 0)
			return L(names[i].zh, names[i].en);
	return a;
}

static const char *change_name(struct tui *t, const char *form,
                               const char *field)
{
	const struct form *f = schema_form(t->lg->schema, form);
	const struct field *fd = f ? form_field(f, field) : NULL;

	if (strcmp(field, LEDGER_LOG_ATTACHMENT) == 0)
		return L("附件", "attachment");
	if (strcmp(field, LEDGER_LOG_DELETED) == 0)
		return L("已删除", "deleted");
	return fd ? field_label(fd) : field;
}

/* A value before or after a change as the clerk knows it: a choice by
 * its label, a blank said in words. */
static const char *change_value(struct tui *t, const char *form,
                                const char *field, const char *v)
{
	const struct form *f = schema_form(t->lg->schema, form);
	const struct field *fd = f ? form_field(f, field) : NULL;
	const struct choice *ch = *v && fd && fd->type == FT_CHOICE ?
	                          field_choice(fd, v) : NULL;

	return !*v ? L("（空）", "(empty)") : ch ? choice_label(ch) : v;
}

static int hist_fn(void *ctx, const struct ledger_log_entry *e)
{
	struct hist_ctx *hc = ctx;
	struct rv *v = hc->v;
	const char *self = hc->t->lg->mode == LEDGER_CITY_MODE ? LEDGER_CITY
	                                                        : hc->t->lg->township;
	char when[32];
	size_t i;

	line_addf(v, ST_HEAD, 0, -1, LF("%s  %s%s%s  %s  第 %u 版", "%s  %s%s%s  %s  revision %u"),
	          when_text(e->when, when), strcmp(e->origin, self) ? e->origin : "",
	          strcmp(e->origin, self) ? "/" : "", e->who, action_text(e->action),
	          (unsigned)e->rev);
	for (i = 0; i < e->nchanges; i++) {
		const struct ledger_log_change *c = &e->changes[i];

		line_addf(v, ST_NORMAL, 4, -1, "%s：%s → %s",
		          change_name(hc->t, e->form, c->field),
		          change_value(hc->t, e->form, c->field, c->before),
		          change_value(hc->t, e->form, c->field, c->after));
	}
	return v->n < 5000 ? KP_OK : KP_NOTFOUND;
}

static void build_history(struct tui *t, struct rv *v)
{
	struct ledger_log_query q = { .id = v->rec.id };
	struct hist_ctx hc = { t, v };

	lines_free(v);
	line_addf(v, ST_HEAD, 0, -1, LF("%s 的修改历史（最新的在前）", "History of %s "
	                                "(newest first)"), v->rec.id);
	if (ledger_log(t->lg, &q, hist_fn, &hc) != KP_OK)
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
}

/* ---- the files page --------------------------------------------------------- */

static int cmp_fent(const void *a, const void *b)
{
	const struct fent *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* The folder's regular files (no links), newest first: the scan just
 * uploaded is on top. */
static int read_folder(struct rv *v)
{
	DIR *d = opendir(v->dir);
	struct dirent *de;
	struct stat st;

	v->nfiles = 0;
	if (!d)
		return errno;
	while ((de = readdir(d)) != NULL && v->nfiles < FILES_MAX) {
		struct fent *fe;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof fe->name ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!v->files && !(v->files = calloc(FILES_MAX, sizeof *v->files)))
			break;
		fe = &v->files[v->nfiles++];
		snprintf(fe->name, sizeof fe->name, "%s", de->d_name);
		fe->size = st.st_size;
		fe->mtime = st.st_mtime;
	}
	closedir(d);
	if (v->nfiles > 1)
		qsort(v->files, (size_t)v->nfiles, sizeof *v->files, cmp_fent);
	return 0;
}

static void build_files(struct rv *v)
{
	char size[32], when[32], name[RECORD_ATT_NAME_MAX + 64];
	int i;

	lines_free(v);
	line_addf(v, ST_HEAD, 0, -1, LF("%s 中的文件（最新的在前）：Enter 附上选中的，Esc 返回",
	                                "Files in %s (newest first): Enter attaches the "
	                                "one selected, Esc goes back"), v->dir);
	if (!v->nfiles)
		line_add(v, ST_NORMAL, 2, -1, L("这个文件夹里没有文件。用 WinSCP 等把扫描件上传到这里。",
		                                "No files in this folder. Upload the scan "
		                                "here (with WinSCP, for example)."));
	for (i = 0; i < v->nfiles; i++)
		line_addf(v, ST_NORMAL, 2, i, "%s%10s  %s",
		          padded(v->files[i].name, 40, name, sizeof name),
		          attach_size_text((uint64_t)v->files[i].size, size),
		          when_text(v->files[i].mtime, when));
	if (v->sel >= v->nfiles)
		v->sel = v->nfiles ? v->nfiles - 1 : 0;
}

/* ---- showing a page --------------------------------------------------------- */

static void reload(struct tui *t, struct rv *v)
{
	struct record r;

	record_init(&r);
	if (ledger_get(t->lg, v->rec.id, &r) == KP_OK) {
		record_free(&v->rec);
		v->rec = r;
	} else {
		record_free(&r);
	}
}

static void show_page(struct tui *t, struct rv *v, enum page p)
{
	v->page = p;
	if (p == PG_RECORD)
		build_record(t, v);
	else if (p == PG_HISTORY)
		build_history(t, v);
	else
		build_files(v);
}

static void rv_enter(struct tui *t, void *st, const void *arg)
{
	const struct recview_arg *a = arg;
	struct rv *v = st;
	const char *home = getenv("HOME");

	record_init(&v->rec);
	if (a && a->rec)
		record_copy(&v->rec, a->rec);
	snprintf(v->dir, sizeof v->dir, "%s", home && *home ? home : ".");
	v->history_only = a && a->history;
	reload(t, v);
	show_page(t, v, v->history_only ? PG_HISTORY : PG_RECORD);
}

static void rv_resume(struct tui *t, void *st)
{
	struct rv *v = st;

	reload(t, v);
	show_page(t, v, v->page);
}

static void rv_leave(struct tui *t, void *st)
{
	struct rv *v = st;

	(void)t;
	lines_free(v);
	free(v->lines);
	free(v->files);
	record_free(&v->rec);
}

/* The line of the selection (record and files pages), or -1. */
static int sel_line(const struct rv *v)
{
	int i;

	if (v->page == PG_HISTORY)
		return -1;
	for (i = 0; i < v->n; i++)
		if (v->lines[i].att == v->sel)
			return i;
	return -1;
}

static int page_rows(void)
{
	return BODY_BOTTOM - BODY_TOP + 1;
}

/* Scroll so that the selection is on screen. */
static void follow(struct rv *v)
{
	int s = sel_line(v), rows = page_rows();

	if (s >= 0 && s < v->top)
		v->top = s;
	if (s >= 0 && s >= v->top + rows)
		v->top = s - rows + 1;
	if (v->top > v->n - rows)
		v->top = v->n - rows;
	if (v->top < 0)
		v->top = 0;
}

static void rv_draw(struct tui *t, void *st)
{
	struct rv *v = st;
	int y, i, s = sel_line(v);

	(void)t;
	follow(v);
	draw_clear_body();
	for (y = BODY_TOP, i = v->top; y <= BODY_BOTTOM && i < v->n; y++, i++) {
		const struct line *l = &v->lines[i];
		bool cur = i == s;

		if (cur) {
			attron(A_REVERSE);
			mvhline(y, 0, ' ', COLS);
			attroff(A_REVERSE);
		}
		draw_put(y, 1 + l->indent, l->text, COLS - 2 - l->indent,
		         cur ? ST_CURRENT : l->st);
	}
}

static void rv_resize(struct tui *t, void *st)
{
	(void)t;
	follow(st);
}

/* ---- attaching and detaching ------------------------------------------------ */

static bool may_change(struct tui *t, struct rv *v)
{
	if (t->lg->mode == LEDGER_CITY_MODE) {
		screen_msg(t, MSG_WARN, "%s", L("附件由镇街附上，随数据包报送；市级数据库不在这里改。",
		                                "Attachments come from the township with its "
		                                "bundles; the city database does not change them."));
		return false;
	}
	if (v->rec.deleted) {
		screen_msg(t, MSG_WARN, "%s", L("这条记录已删除。", "This record is deleted."));
		return false;
	}
	return true;
}

static int ask_folder(struct tui *t, struct rv *v)
{
	char buf[sizeof v->dir];
	int e;

	if (!may_change(t, v))
		return RD_MSG;
	if (prompt_line(t, L("从哪个文件夹附上（上传的文件在这里）：",
	                     "Attach from folder (where the upload went):"),
	                v->dir, buf, sizeof buf) != KP_OK || !buf[0])
		return RD_MSG;
	snprintf(v->dir, sizeof v->dir, "%s", buf);
	if ((e = read_folder(v)) != 0) {
		screen_msg(t, MSG_ERROR, LF("无法打开文件夹 %s：%s", "cannot open folder %s: %s"),
		           v->dir, fs_errno_text(e));
		return RD_MSG;
	}
	v->sel = 0;
	show_page(t, v, PG_FILES);
	return RD_BODY | RD_MSG;
}

static int attach_selected(struct tui *t, struct rv *v)
{
	struct attach_file af;
	struct record out;
	char path[sizeof v->dir + RECORD_ATT_NAME_MAX + 2], size[32];
	int rc;

	if (v->sel < 0 || v->sel >= v->nfiles)
		return RD_NONE;
	snprintf(path, sizeof path, "%s/%s", v->dir, v->files[v->sel].name);
	if ((rc = attach_read(path, NULL, &af)) != KP_OK) {
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
		return RD_MSG;
	}
	record_init(&out);
	rc = ledger_attach(t->lg, v->rec.id, v->rec.rev, &af, 1, &out);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, LF("已附上 %s（%s，%s）：第 %u 版。",
		                         "Attached %s (%s, %s): revision %u."),
		           af.meta.name, attach_type_label(af.meta.type),
		           attach_size_text(af.meta.size, size), (unsigned)out.rev);
	else if (rc == KP_E_TEMPFAIL)
		screen_msg(t, MSG_ERROR, "%s", L("这条记录刚被别人修改过，没有附上；请看过新内容再附。",
		                                 "Someone changed this record meanwhile; nothing "
		                                 "was attached. Look at it again first."));
	else
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	record_free(&out);
	attach_file_free(&af);
	reload(t, v);
	if (rc == KP_OK)
		v->sel = (int)v->rec.natt - 1;
	show_page(t, v, rc == KP_OK || rc == KP_E_TEMPFAIL ? PG_RECORD : PG_FILES);
	return RD_BODY | RD_MSG;
}

static int detach_selected(struct tui *t, struct rv *v)
{
	char q[600], name[RECORD_ATT_NAME_MAX];
	int rc;

	if (!may_change(t, v))
		return RD_MSG;
	if (v->page != PG_RECORD || v->sel < 0 || v->sel >= (int)v->rec.natt)
		return RD_NONE;
	snprintf(name, sizeof name, "%s", v->rec.att[v->sel].name);
	snprintf(q, sizeof q, LF("移除附件 %s？（历史中仍可查到）y 移除  n 保留",
	                        "Detach %s? (the history keeps it) y detach  n keep"),
	         name);
	if (prompt_ask(t, q, "yn") != 'y') {
		screen_msg(t, MSG_INFO, "%s", L("没有移除。", "Nothing was detached."));
		return RD_MSG;
	}
	rc = ledger_detach(t->lg, v->rec.id, v->rec.rev, name, NULL);
	if (rc == KP_OK)
		screen_msg(t, MSG_OK, LF("已移除 %s。", "Detached %s."), name);
	else
		screen_msg(t, MSG_ERROR, "%s", kp_err_msg());
	reload(t, v);
	show_page(t, v, PG_RECORD);
	return RD_BODY | RD_MSG;
}

/* ---- keys ------------------------------------------------------------------- */

static int rv_move(struct rv *v, int by)
{
	int count = v->page == PG_RECORD ? (int)v->rec.natt
	            : v->page == PG_FILES ? v->nfiles : 0;

	if (count) {
		v->sel += by;
		if (v->sel < 0)
			v->sel = 0;
		if (v->sel >= count)
			v->sel = count - 1;
	} else {
		v->top += by;
		if (v->top > v->n - page_rows())
			v->top = v->n - page_rows();
		if (v->top < 0)
			v->top = 0;
	}
	return RD_BODY;
}

static int edit(struct tui *t, struct rv *v)
{
	struct entry_arg ea = { schema_form(t->lg->schema, v->rec.form), &v->rec,
	                        true, NULL, &v->rec };

	if (v->rec.deleted || t->lg->mode == LEDGER_CITY_MODE || !ea.form)
		return RD_NONE;
	screen_push(t, &entry_ops, &ea);
	return RD_NONE;
}

static int rv_key(struct tui *t, void *st, struct tkey k, enum action act,
                  int arg)
{
	struct rv *v = st;

	(void)k;
	(void)arg;
	switch (act) {
	case ACT_UP:
		return rv_move(v, -1);
	case ACT_DOWN:
		return rv_move(v, 1);
	case ACT_PAGE_UP:
		return rv_move(v, -page_rows());
	case ACT_PAGE_DOWN:
		return rv_move(v, page_rows());
	case ACT_HISTORY:
		show_page(t, v, v->page == PG_HISTORY ? PG_RECORD : PG_HISTORY);
		return RD_BODY | RD_MSG;
	case ACT_ATTACH:
		return ask_folder(t, v);
	case ACT_DETACH:
		return detach_selected(t, v);
	case ACT_OPEN:
		return v->page == PG_FILES ? attach_selected(t, v) : edit(t, v);
	case ACT_BACK:
		if (v->page == PG_RECORD || (v->page == PG_HISTORY && v->history_only))
			return RD_UNHANDLED;
		v->history_only = false;
		v->sel = 0;
		show_page(t, v, PG_RECORD);
		return RD_BODY | RD_MSG;
	default:
		return RD_UNHANDLED;
	}
}

const struct screen_ops recview_ops = {
	.id = SCR_RECVIEW,
	.title_zh = "记录详情",
	.title_en = "Record",
	.text_input = false,
	.state_size = sizeof(struct rv),
	.enter = rv_enter,
	.resume = rv_resume,
	.leave = rv_leave,
	.draw = rv_draw,
	.key = rv_key,
	.resize = rv_resize,
};
