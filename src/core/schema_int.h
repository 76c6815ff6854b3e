/* schema_int.h - what the schema's own files share; not part of the core's
 * interface.
 *
 * The files, each using only those above it in this list:
 *   schema_table.c  reading one table of a form file, checking its cells
 *   schema_model.c  lookups, labels and freeing of a loaded schema
 *   schema_names.c  the names people give fields: ids, labels, typos
 *   schema.c        loading and checking a whole set of files
 *   schema_dir.c    the files of a folder on disk, the default folder
 */
#ifndef KEPU_SCHEMA_INT_H
#define KEPU_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

#define ID_MAX 63                 /* record.h keeps names in 64 bytes */
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define MAXCOLS 16                /* columns a table may know */

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

/* ---- schema_model.c ---- */

/* Free what a field or indicator owns (also when half filled in). */
void schema_field_release(struct field *fd);
void schema_indicator_release(struct indicator *ind);

#endif
