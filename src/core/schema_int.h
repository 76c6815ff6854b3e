/* schema_int.h - what the schema's own files share; not part of the core's
 * interface.
 *
 * The files, each using only those above it in this list:
 *   schema_table.c  reading one table of a form file, checking its cells;
 *                   finding a file of the set, a choice list
 *   schema_model.c  lookups, labels and freeing of a loaded schema
 *   schema_names.c  the names people give fields: ids, labels, typos
 *   schema_plan.c   loading formset.csv and plans.csv (or a legacy plan.csv)
 *   schema_form.c   loading one form file: its fields and their roles
 *   schema_ind.c    loading indicators.csv
 *   schema.c        loading a whole set: choices, townships, the order
 *   schema_compat.c whether a new set can replace a database's set
 *   schema_dir.c    the files of a folder on disk, the default folder
 */
#ifndef KEPU_SCHEMA_INT_H
#define KEPU_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

#define ID_MAX 63                 /* record.h keeps names in 64 bytes */
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define MAXCOLS 24                /* columns a table may know */

/* ---- schema_table.c ---- */

/* The columns a file may have; a missing required one, an unknown or a
 * repeated heading is refused. */
struct colspec {
	const char *name;
	bool required;
};

/* Called per non-blank data row; v[i] is the trimmed cell of cols[i],
 * "" when the column is absent. */
typedef int (*schema_row_fn)(void *ctx, const char *file, size_t line,
                             const char *const *v);

/* Read table f: its heading row against cols, then row() per data row.
 * KP_E_DATA "FILE:LINE: ..." for a bad heading, a cell under no heading
 * or an empty file; else what row() returned. */
int schema_table_read(const struct schema_file *f, const struct colspec *cols,
                      size_t ncols, schema_row_fn row, void *ctx);

/* Cell checks: KP_OK, or KP_E_DATA "FILE:LINE: ..." naming column col. */
bool schema_id_valid(const char *s, const char *allowed);
int schema_check_id(const char *file, size_t line, const char *col,
                    const char *s);
int schema_need(const char *file, size_t line, const char *col, const char *s);
int schema_bool(const char *file, size_t line, const char *col, const char *s,
                bool *out);
int schema_number(const char *file, size_t line, const char *col,
                  const char *s, double *out);
int schema_integer(const char *file, size_t line, const char *col,
                   const char *s, long lo, long hi, long *out);
/* Parse an expression; src_copy (if not NULL) gets a copy of src. */
int schema_rule(const char *file, size_t line, const char *col,
                const char *src, struct expr **out, char **src_copy);
/* Copy s into *dst.  KP_OK or KP_E_NOMEM. */
int schema_dup(char **dst, const char *s);

/* ---- the loader, shared by schema_plan.c, schema_form.c, schema_ind.c
 * and schema.c ---- */

struct chlist {
	char *name;
	size_t first, n;          /* a run of schema.choices */
};

struct chrow {
	char *list;
	size_t line;
	struct choice c;
};

struct loader {
	struct schema *s;
	char *forms;              /* the forms key: ids joined by | */
	const char *forms_file;   /* where it was: formset.csv or plan.csv */
	size_t forms_line;
	struct chrow *rows;       /* choices.csv as read */
	size_t nrows, caprows;
	struct chlist *lists;
	size_t nlists;
	size_t cap;               /* of the array being filled */
	bool *used;               /* files consumed */
};

/* schema_table.c: the file called name, marked as used; NULL with KP_E_DATA "name: file
 * missing" when the set has none. */
const struct schema_file *schema_find_file(struct loader *ld,
                                           const struct schema_file *files,
                                           size_t n, const char *name);
/* Whether the set has a file called name (not marking it). */
bool schema_has_file(const struct schema_file *files, size_t n,
                     const char *name);
/* The choice list called name, NULL when choices.csv has none. */
const struct chlist *schema_find_list(const struct loader *ld,
                                      const char *name);

/* schema_plan.c: the set's version, its forms key and its plans, from
 * formset.csv + plans.csv, or from a legacy plan.csv (version 1, one
 * official plan). */
int schema_plans_load(struct loader *ld, const struct schema_file *files,
                      size_t n);
/* After the indicators: each plan's list of its own, and every plan has
 * its indicators' ids once. */
int schema_plans_index(struct schema *s);

/* schema_form.c: the forms named by the forms key, each from <id>.csv. */
int schema_forms_load(struct loader *ld, const struct schema_file *files,
                      size_t n);
/* KP_E_DATA "FILE:LINE: COL names field 'x', which form 'f' does not have"
 * when rule e names a field f lacks. */
int schema_rule_names(const struct form *f, const struct expr *e,
                      const char *file, size_t line, const char *col);

/* schema_ind.c: indicators.csv. */
int schema_indicators_load(struct loader *ld, const struct schema_file *f);

/* ---- schema_model.c ---- */

/* Free what a field or indicator owns (also when half filled in). */
void schema_field_release(struct field *fd);
void schema_indicator_release(struct indicator *ind);

#endif
