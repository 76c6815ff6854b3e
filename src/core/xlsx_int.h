/* xlsx_int.h - what the workbook files share; not part of the core's
 * interface.
 *
 * The files, each using only those above it in this list:
 *   xlsx.c         a workbook being written (temporary name, rename, no
 *                  clobbering), its formats, sheet names, title and heading
 *                  rows, print setup, cells of every kind
 *   xlsx_report.c  the report workbook (xlsx_report_write)
 *   xlsx_list.c    the records workbook (xlsx_list_write)
 */
#ifndef KEPU_XLSX_INT_H
#define KEPU_XLSX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "xlsx.h"

/* The formats every sheet uses; all but title, sub and note have thin
 * borders, as a printed 台账 has. */
struct xfmt {
	lxw_format *title, *sub, *note;
	lxw_format *head;
	lxw_format *text, *wrap, *date, *time, *num, *dec, *pct;
	lxw_format *bad, *bad_num;            /* 未达标 / 落后: red */
	lxw_format *total, *total_num, *total_pct;   /* 全市合计, 合计 */
};

struct xbook {
	lxw_workbook *wb;
	char *path, *tmp;        /* the workbook asked for; where it is written */
	bool force;
	struct xfmt f;
	lxw_error err;           /* the first cell or sheet that failed */
};

/* Start a workbook for o (constant_memory: rows written in order, one at
 * a time, so that memory stays flat).  Refuses an existing o->path without
 * o->force (KP_E_CANTCREAT, saying so).  On error nothing is left. */
int xbook_open(struct xbook *b, const struct xlsx_opts *o, bool constant_memory);
/* Finish: write the file under its temporary name, sync it, and give it
 * its name (replacing a file there only with force).  Frees b; on error
 * the temporary file is removed and the message set. */
int xbook_close(struct xbook *b);
/* Give up on b after an error (the message already set): free it and
 * leave nothing behind. */
void xbook_discard(struct xbook *b);

/* A new sheet called name, made a valid sheet name (the characters []:*?/\
 * become their full-width forms, cut to 31 characters, made unique with a
 * number).  NULL (b->err set) when libxlsxwriter refuses. */
lxw_worksheet *xbook_sheet(struct xbook *b, const char *name);

/* Rows 0 and 1 of a sheet of ncols columns: the title and a line under it
 * (may be NULL), each across every column. */
void xsheet_title(struct xbook *b, lxw_worksheet *ws, int ncols,
                  const char *title, const char *sub);
/* The heading row `row`: heads[i] over column i, whose width (in
 * characters) is widths[i]. */
void xsheet_head(struct xbook *b, lxw_worksheet *ws, int row, int ncols,
                 const char *const *heads, const double *widths);
/* Freeze the rows down to the heading row, filter the table rows
 * head..last, and set up printing: A4 landscape, fit to the page's width,
 * rows 0..head repeated on every page, the header (left, centre, right:
 * the township, the sheet, the year or plan) and the footer (printed on,
 * 第 &P 页，共 &N 页). */
void xsheet_finish(struct xbook *b, lxw_worksheet *ws, int head, int last,
                   int ncols, const char *left, const char *center,
                   const char *right);

/* Cells.  Text is always a text cell (NULL or "" a blank with the format,
 * so that the borders stay), with line breaks shown (wrapped); a number a
 * number cell; an ISO date YYYY-MM-DD a date cell (anything else: text);
 * a Unix time a date-and-time cell in local time. */
void xput_text(struct xbook *b, lxw_worksheet *ws, int row, int col,
               const char *s, lxw_format *f);
void xput_num(struct xbook *b, lxw_worksheet *ws, int row, int col,
              double v, lxw_format *f);
void xput_date(struct xbook *b, lxw_worksheet *ws, int row, int col,
               const char *iso, lxw_format *f);
void xput_time(struct xbook *b, lxw_worksheet *ws, int row, int col,
               int64_t t);
/* A text cell's width in characters as a column needs it (a CJK
 * character counts two), for column widths. */
double xtext_width(const char *s);
/* The lines text s takes wrapped in a column width characters wide (at
 * least 1); and the height of a row of that many lines, in points.  Office
 * suites do not fit a row to wrapped text they open, so kepu sets it. */
int xtext_lines(const char *s, double width);
double xrow_height(int lines);

/* The format a status word is shown in: red for 落后, 未达标, 未报送. */
lxw_format *xfmt_status(const struct xbook *b, const char *status);

#endif
