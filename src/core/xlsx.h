/* xlsx.h - workbooks for people, written with libxlsxwriter: the report
 * (汇总表: progress, tallies, the plan evaluation and, in a city database,
 * a chart per indicator) and the records (台账, a sheet per form).
 *
 * The CSV bundle stays the machine format; a workbook is for opening in
 * Excel, WPS or LibreOffice and for printing.  Sheet names, headings,
 * townships, indicators, choices and statuses are in the current language
 * (lang.h).  Free text is written as text cells, so that an ID number,
 * 000123, 3/4, 1E5, a line break or 𠮷 comes back as typed after opening
 * and saving again; dates are date cells, numbers number cells.  Every
 * sheet has its heading row frozen and filtered, and prints on A4
 * landscape, fit to the page's width, the title rows repeated, a header
 * naming the township and the year and a footer with the page (第 x 页，
 * 共 y 页) and the day printed.  The module's files are listed in
 * xlsx_int.h.
 *
 * A workbook is written under a temporary name in the target's folder and
 * renamed when complete, so that an interrupted write leaves no half file
 * under the name asked for.  An existing file is replaced only with
 * force: otherwise KP_E_CANTCREAT, and nothing is written.
 */
#ifndef KEPU_XLSX_H
#define KEPU_XLSX_H

#include <stdbool.h>

#include "ledger.h"
#include "schema.h"

struct xlsx_opts {
	const char *path;       /* the workbook to write */
	bool force;             /* replace an existing file at path */
};

/* The report workbook.  With plan NULL: year's progress (0: the ledger's
 * working year; sheets 任务进度, 统计, the evaluation of the year's plan,
 * in a city database 图表 with a chart of achieved against target per
 * township for each indicator, and 说明); with a plan: that plan's
 * evaluation (and 说明).  The numbers are report_build's and
 * report_plan_build's, the same as `kepu report --csv`.  Errors:
 * KP_E_CANTCREAT (the file exists without force, or cannot be made),
 * KP_E_IO, KP_E_NOMEM, KP_E_DATA (a year before the first plan); on any
 * error nothing is left at path (an existing file is untouched). */
int xlsx_report_write(struct ledger *lg, int year, const struct plan *plan,
                      const struct xlsx_opts *o);

/* The records workbook (台账): a sheet per form with records matching q
 * (q->form: that form only), oldest first by record date, every field
 * under its label, choices by their labels, then who entered and changed
 * each record and when; a deleted record (q->include_deleted) is marked.
 * q->limit and q->after_id are ignored: a 台账 is whole.  Written row by
 * row (libxlsxwriter's constant memory mode), so memory does not grow with
 * the number of records.  Errors as xlsx_report_write. */
int xlsx_list_write(struct ledger *lg, const struct ledger_query *q,
                    const struct xlsx_opts *o);

#endif
