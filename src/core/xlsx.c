/* xlsx.c - a workbook being written: its temporary name and the rename
 * that completes it, the formats, sheet names, title and heading rows,
 * print setup and cells every workbook of kepu uses.
 *
 * libxlsxwriter writes the whole file when the workbook is closed, to the
 * name it was given: that name is a temporary one, made beside the target
 * (so that the rename stays on one file system), and the file gets its
 * real name only once complete and synced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "err.h"
#include "fsutil.h"
#include "lang.h"
#include "text.h"
#include "xlsx_int.h"

/* ---- the file ------------------------------------------------------------- */

static int refuse_existing(const char *path)
{
	return kp_err_set(KP_E_CANTCREAT, LF("%s 已存在，没有覆盖；要替换它请加 --force",
	                  "%s exists and was not replaced; add --force to replace it"),
	                  path);
}

/* A temporary name beside path, made (empty, O_EXCL) so that nobody else
 * has it, with the mode a new file gets. */
static int make_tmp(struct xbook *b)
{
	const char *slash = strrchr(b->path, '/');
	size_t dirlen = slash ? (size_t)(slash - b->path) + 1 : 0;
	int i, fd, e;

	if (!(b->tmp = malloc(strlen(b->path) + 48)))
		return kp_err_nomem();
	for (i = 0; i < 100; i++) {
		sprintf(b->tmp, "%.*s.%s.%ld-%d.tmp", (int)dirlen, b->path,
		        b->path + dirlen, (long)getpid(), i);
		fd = open(b->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			close(fd);
			return KP_OK;
		}
		if (errno != EEXIST)
			break;
	}
	e = errno;
	free(b->tmp);
	b->tmp = NULL;
	return kp_err_set(KP_E_CANTCREAT, LF("无法在 %s 所在的文件夹写文件：%s",
	                  "cannot write a file in the folder of %s: %s"),
	                  b->path, fs_errno_text(e));
}

static void book_free(struct xbook *b)
{
	if (b->tmp)
		unlink(b->tmp);
	free(b->tmp);
	free(b->path);
	b->tmp = b->path = NULL;
	b->wb = NULL;
}

static void formats(struct xbook *b);

int xbook_open(struct xbook *b, const struct xlsx_opts *o, bool constant_memory)
{
	lxw_workbook_options opt = { constant_memory ? LXW_TRUE : LXW_FALSE,
	                             NULL, LXW_TRUE };
	char title[32], author[] = "kepu", comments[] = PACKAGE_NAME " " PACKAGE_VERSION;
	lxw_doc_properties props;
	struct stat st;
	int rc;

	memset(b, 0, sizeof *b);
	b->force = o->force;
	if (!o->force && lstat(o->path, &st) == 0)
		return refuse_existing(o->path);
	if (!(b->path = xstrdup(o->path)))
		return kp_err_nomem();
	if ((rc = make_tmp(b))) {
		book_free(b);
		return rc;
	}
	if (!(b->wb = workbook_new_opt(b->tmp, &opt))) {
		book_free(b);
		return kp_err_nomem();
	}
	memset(&props, 0, sizeof props);
	snprintf(title, sizeof title, "%s", L("科普台账", "kepu ledger"));
	props.title = title;
	props.author = author;
	props.comments = comments;
	workbook_set_properties(b->wb, &props);
	formats(b);
	return KP_OK;
}

static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void sync_dir(const char *path)
{
	char *dir = xstrdup(path), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);      /* a folder that cannot be synced still has it */
		close(fd);
	}
	free(dir);
}

/* Give tmp the name path: replacing with force; else only when nothing is
 * there, which link() decides atomically where hard links exist (a FAT
 * stick has none: there, a last look before the rename). */
static int give_name(struct xbook *b)
{
	struct stat st;
	int e;

	if (b->force) {
		if (rename(b->tmp, b->path) == 0)
			return KP_OK;
	} else if (link(b->tmp, b->path) == 0) {
		unlink(b->tmp);
		return KP_OK;
	} else if (errno == EEXIST) {
		return refuse_existing(b->path);
	} else if (lstat(b->path, &st) == 0) {
		return refuse_existing(b->path);
	} else if (rename(b->tmp, b->path) == 0) {
		return KP_OK;
	}
	e = errno;
	return kp_err_set(KP_E_CANTCREAT, LF("无法写出 %s：%s", "cannot write %s: %s"),
	                  b->path, fs_errno_text(e));
}

int xbook_close(struct xbook *b)
{
	lxw_error le = b->err;
	lxw_error ce = workbook_close(b->wb);
	int rc = KP_OK;

	b->wb = NULL;
	if (le == LXW_NO_ERROR)
		le = ce;
	if (le != LXW_NO_ERROR)
		rc = kp_err_set(le == LXW_ERROR_MEMORY_MALLOC_FAILED ? KP_E_NOMEM : KP_E_IO,
		                LF("写工作簿 %s 失败：%s", "cannot write the workbook %s: %s"),
		                b->path, lxw_strerror(le));
	else if (sync_file(b->tmp) != 0)
		rc = kp_err_set(KP_E_IO, LF("写工作簿 %s 失败：%s", "cannot write the workbook %s: %s"),
		                b->path, fs_errno_text(errno));
	else if ((rc = give_name(b)) == KP_OK) {
		free(b->tmp);
		b->tmp = NULL;
		sync_dir(b->path);
	}
	book_free(b);
	return rc;
}

void xbook_discard(struct xbook *b)
{
	if (b->wb)
		workbook_close(b->wb);
	book_free(b);
}

/* ---- formats -------------------------------------------------------------- */

static lxw_format *fmt(struct xbook *b, bool border, const char *num)
{
	lxw_format *f = workbook_add_format(b->wb);

	/* 宋体 is what a printed 台账 uses; without it the office suite picks
	 * its CJK font.  English keeps the suite's default. */
	if (lang_get() != KP_LANG_EN)
		format_set_font_name(f, "宋体");
	format_set_font_size(f, 11);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (num)
		format_set_num_format(f, num);
	return f;
}

static void formats(struct xbook *b)
{
	struct xfmt *f = &b->f;

	f->title = fmt(b, false, NULL);
	format_set_bold(f->title);
	format_set_font_size(f->title, 16);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->sub = fmt(b, false, NULL);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	f->note = fmt(b, false, NULL);
	format_set_text_wrap(f->note);
	f->head = fmt(b, true, NULL);
	format_set_bold(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->head);
	format_set_pattern(f->head, LXW_PATTERN_SOLID);
	format_set_bg_color(f->head, 0xD9E1F2);
	f->text = fmt(b, true, "@");
	f->wrap = fmt(b, true, "@");
	format_set_text_wrap(f->wrap);
	f->date = fmt(b, true, "yyyy-mm-dd");
	f->time = fmt(b, true, "yyyy-mm-dd hh:mm:ss");
	format_set_text_wrap(f->time);
	f->num = fmt(b, true, "General");
	f->dec = fmt(b, true, "0.0");
	f->pct = fmt(b, true, "0.0%");
	f->bad = fmt(b, true, NULL);
	format_set_bold(f->bad);
	format_set_font_color(f->bad, 0xC00000);
	f->bad_num = fmt(b, true, "General");
	format_set_bold(f->bad_num);
	format_set_font_color(f->bad_num, 0xC00000);
	f->total = fmt(b, true, NULL);
	format_set_bold(f->total);
	f->total_num = fmt(b, true, "General");
	format_set_bold(f->total_num);
	f->total_pct = fmt(b, true, "0.0%");
	format_set_bold(f->total_pct);
}

lxw_format *xfmt_status(const struct xbook *b, const char *status)
{
	if (status && (!strcmp(status, "behind") || !strcmp(status, "not met")
	               || !strcmp(status, "not reported")))
		return b->f.bad;
	return b->f.text;
}

/* ---- sheets --------------------------------------------------------------- */

/* name as a sheet may be called: []:*?/\' full-width, at most max
 * characters (whole UTF-8 characters kept), never empty. */
static void sheet_name(const char *name, size_t max, char *out, size_t size)
{
	static const struct { char c; const char *wide; } swap[] = {
		{ '[', "［" }, { ']', "］" }, { ':', "：" }, { '*', "＊" },
		{ '?', "？" }, { '/', "／" }, { '\\', "＼" }, { '\'', "’" },
	};
	size_t at = 0, chars = 0, k, n;
	const char *p, *add;

	for (p = name; *p && chars < max; chars++, p += n) {
		add = NULL;
		n = 1;
		for (k = 0; k < sizeof swap / sizeof swap[0]; k++)
			if (*p == swap[k].c)
				add = swap[k].wide;
		while (!add && (p[n] & 0xC0) == 0x80)
			n++;
		if (!add && at + n < size) {
			memcpy(out + at, p, n);
			at += n;
		} else if (add && at + strlen(add) < size) {
			memcpy(out + at, add, strlen(add));
			at += strlen(add);
		} else {
			break;
		}
	}
	out[at] = '\0';
	if (!at)
		snprintf(out, size, "%s", "kepu");
}

lxw_worksheet *xbook_sheet(struct xbook *b, const char *name)
{
	char base[160], uniq[200];
	lxw_worksheet *ws;
	int k;

	sheet_name(name, 31, uniq, sizeof uniq);
	/* a second sheet of the same name: 28 characters and a number */
	sheet_name(name, 28, base, sizeof base);
	for (k = 2; workbook_get_worksheet_by_name(b->wb, uniq) && k < 100; k++)
		snprintf(uniq, sizeof uniq, "%s %d", base, k);
	ws = workbook_add_worksheet(b->wb, uniq);
	if (!ws && b->err == LXW_NO_ERROR)
		b->err = LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED;
	return ws;
}

static void note_err(struct xbook *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
		b->err = e;
}

void xsheet_title(struct xbook *b, lxw_worksheet *ws, int ncols,
                  const char *title, const char *sub)
{
	lxw_col_t last = (lxw_col_t)(ncols > 1 ? ncols - 1 : 1);

	note_err(b, worksheet_merge_range(ws, 0, 0, 0, last, title, b->f.title));
	worksheet_set_row(ws, 0, 28, NULL);
	if (sub)
		note_err(b, worksheet_merge_range(ws, 1, 0, 1, last, sub, b->f.sub));
}

void xsheet_head(struct xbook *b, lxw_worksheet *ws, int row, int ncols,
                 const char *const *heads, const double *widths)
{
	int i, lines = 1, k;

	for (i = 0; i < ncols; i++)
		if ((k = xtext_lines(heads[i], widths[i])) > lines)
			lines = k;
	worksheet_set_row(ws, (lxw_row_t)row, xrow_height(lines), NULL);
	for (i = 0; i < ncols; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
		xput_text(b, ws, row, i, heads[i], b->f.head);
	}
}

/* s with every & doubled: in a header, & starts a code. */
static void hf_escape(const char *s, char *out, size_t size)
{
	size_t at = 0;

	for (; s && *s && at + 2 < size; s++) {
		if (*s == '&')
			out[at++] = '&';
		out[at++] = *s;
	}
	out[at] = '\0';
}

void xsheet_finish(struct xbook *b, lxw_worksheet *ws, int head, int last,
                   int ncols, const char *left, const char *center,
                   const char *right)
{
	char l[200], c[200], r[200], hf[700];
	lxw_header_footer_options hopt = { 0.3, NULL, NULL, NULL };

	worksheet_freeze_panes(ws, (lxw_row_t)(head + 1), 0);
	if (last > head)
		note_err(b, worksheet_autofilter(ws, (lxw_row_t)head, 0,
		                                 (lxw_row_t)last, (lxw_col_t)(ncols - 1)));
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);                 /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);           /* the width of one page */
	worksheet_repeat_rows(ws, 0, (lxw_row_t)head);
	worksheet_center_horizontally(ws);
	worksheet_set_margins(ws, 0.4, 0.4, 0.7, 0.7);
	hf_escape(left, l, sizeof l);
	hf_escape(center, c, sizeof c);
	hf_escape(right, r, sizeof r);
	snprintf(hf, sizeof hf, "&L%s&C%s&R%s", l, c, r);
	note_err(b, worksheet_set_header_opt(ws, hf, &hopt));
	snprintf(hf, sizeof hf, "%s", L("&L打印日期：&D&R第 &P 页，共 &N 页",
	                                 "&LPrinted &D&RPage &P of &N"));
	note_err(b, worksheet_set_footer_opt(ws, hf, &hopt));
}

/* ---- cells ---------------------------------------------------------------- */

void xput_text(struct xbook *b, lxw_worksheet *ws, int row, int col,
               const char *s, lxw_format *f)
{
	if (!s || !*s) {
		note_err(b, worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f));
		return;
	}
	if (strchr(s, '\n') && f == b->f.text)
		f = b->f.wrap;
	note_err(b, worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f));
}

void xput_num(struct xbook *b, lxw_worksheet *ws, int row, int col,
              double v, lxw_format *f)
{
	note_err(b, worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f));
}

void xput_date(struct xbook *b, lxw_worksheet *ws, int row, int col,
               const char *iso, lxw_format *f)
{
	struct kdate d;
	lxw_datetime dt;

	if (!iso || !*iso || date_parse_iso(iso, &d) != KP_OK || d.y < 1900) {
		xput_text(b, ws, row, col, iso, b->f.text);
		return;
	}
	memset(&dt, 0, sizeof dt);
	dt.year = d.y;
	dt.month = d.m;
	dt.day = d.d;
	note_err(b, worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, f));
}

void xput_time(struct xbook *b, lxw_worksheet *ws, int row, int col, int64_t t)
{
	time_t tt = (time_t)t;
	lxw_datetime dt;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm)) {
		xput_text(b, ws, row, col, NULL, b->f.text);
		return;
	}
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec;
	note_err(b, worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
	                                     b->f.time));
}

/* The first line of s into buf (cut to fit), and the text after it
 * (NULL after the last line). */
static const char *first_line(const char *s, char *buf, size_t size)
{
	const char *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return nl ? nl + 1 : NULL;
}

double xtext_width(const char *s)
{
	size_t w = 0, line;
	char buf[1024];

	/* the longest line of the text */
	while (s && *s) {
		s = first_line(s, buf, sizeof buf);
		line = text_width(buf);
		if (line > w)
			w = line;
	}
	return (double)w;
}

int xtext_lines(const char *s, double width)
{
	double room = width > 2 ? width - 1 : 1;
	int lines = 0;
	char buf[1024];

	while (s && *s) {
		size_t w;

		s = first_line(s, buf, sizeof buf);
		w = text_width(buf);
		lines += 1 + (int)((double)(w > 0 ? w - 1 : 0) / room);
	}
	return lines ? lines : 1;
}

double xrow_height(int lines)
{
	double h = 15.0 * (lines < 1 ? 1 : lines);

	return h > 409 ? 409 : h;      /* Excel's tallest row */
}
