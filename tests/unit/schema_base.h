/* schema_base.h - a small, valid set of form files for the schema's unit
 * tests: a plan, choices, one township, form t (fields d, c, n, m, w) and
 * three indicators.  Each test of a broken file replaces one of them. */
#ifndef KEPU_TEST_SCHEMA_BASE_H
#define KEPU_TEST_SCHEMA_BASE_H

#include "schema.h"

/* The shipped forms: $KEPU_FORMS, else the source tree's. */
const char *forms_dir(void);

enum { F_PLAN, F_CHOICES, F_TOWNS, F_FORM, F_IND, NBASE };

extern const char *const base_name[NBASE];
extern const char *const base_data[NBASE];

/* Load the base set with file `which` replaced by data (NULL: left out;
 * which -1: none replaced), plus an extra file when extra_name is given.
 * As schema_load_files: KP_OK and *out (caller frees), or KP_E_DATA with
 * the message set. */
int load_variant(int which, const char *data, const char *extra_name,
                 const char *extra, struct schema **out);

#endif
