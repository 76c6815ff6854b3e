/* schema_int.h - shared by schema.c, schema_table.c and schema_dir.c only. */
#ifndef KEPU_SCHEMA_INT_H
#define KEPU_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

#define ID_MAX 63                 /* record.h keeps names in 64 bytes */
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define MAXCOLS 16                /* columns a table may know */

/* Free what a field or indicator owns (also when half filled in). */
void schema_field_release(struct field *fd);
void schema_indicator_release(struct indicator *ind);

/* The columns a file may have; a missing required one, an unknown or a
 * repeated heading is refused. */
struct colspec {
	const char *name;
	bool required;
};

/* Called per non-blank data row; v[i] is the trimmed cell of cols[i],
 * "" when the column is absent. */
typedef int (*row_fn)(void *ctx, const char *file, size_t line,
                      const char *const *v);

int sc_table_read(const struct schema_file *f, const struct colspec *cols,
                  size_t ncols, row_fn row, void *ctx);

/* Cell checks: KP_OK, or KP_E_DATA "FILE:LINE: ..." naming column col. */
bool sc_id_valid(const char *s, const char *allowed);
int sc_check_id(const char *file, size_t line, const char *col, const char *s);
int sc_need(const char *file, size_t line, const char *col, const char *s);
int sc_bool(const char *file, size_t line, const char *col, const char *s,
            bool *out);
int sc_num(const char *file, size_t line, const char *col, const char *s,
           double *out);
int sc_int(const char *file, size_t line, const char *col, const char *s,
           long lo, long hi, long *out);
/* Parse an expression; src_copy (if not NULL) gets a copy of src. */
int sc_rule(const char *file, size_t line, const char *col, const char *src,
            struct expr **out, char **src_copy);

int sc_dup(char **dst, const char *s);                 /* KP_E_NOMEM */
int sc_grow(void *pp, size_t *cap, size_t n, size_t size); /* room for n+1 */

#endif
