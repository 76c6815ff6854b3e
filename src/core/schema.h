/* schema.h - the plan, forms, choices, indicators and townships, as data.
 *
 * A schema is loaded from a set of CSV files (forms/ in the source tree,
 * the data directory when installed, or the copy a database keeps of the
 * files it was created with).  The files (docs/forms.md):
 *
 *   plan.csv        key,value: id, name_zh, name_en, first_year, last_year
 *   townships.csv   id,name_zh,name_en,kind,official_code
 *   choices.csv     list,code,label_zh,label_en
 *   indicators.csv  id,label_zh,label_en,unit_zh,unit_en,period,comparator,
 *                   target,form,measure,field,filter
 *   <form>.csv      one per form listed in plan.csv's `forms` key; a row per
 *                   field: name,type,label_zh,label_en,required,min,max,
 *                   width,choices,relevant,constraint,message_zh,message_en,
 *                   hint_zh,hint_en,keep
 *
 * A schema is immutable once loaded and owns all its strings.
 *
 * The module's files: schema.c loads and checks (with schema_table.c for
 * one table and its cells), schema_dir.c reads a folder, schema_model.c
 * holds the lookups, labels and freeing, schema_names.c the names people
 * give fields.
 */
#ifndef KEPU_SCHEMA_H
#define KEPU_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

struct expr;
struct record;

enum field_type { FT_TEXT, FT_INTEGER, FT_DECIMAL, FT_DATE, FT_CHOICE };

struct choice {
	char *code;
	char *label_zh;
	char *label_en;
};

struct field {
	char *name;
	enum field_type type;
	char *label_zh, *label_en;
	char *hint_zh, *hint_en;
	bool required;
	bool has_min, has_max;
	double min, max;          /* integer/decimal value; date: not used */
	int width;                /* text: max display width in cells (0: 200) */
	const struct choice *choices; /* choice fields: into schema's list */
	size_t nchoices;
	char *choice_list;        /* name of the list in choices.csv */
	struct expr *relevant;    /* NULL: always relevant */
	struct expr *constraint;  /* NULL: none */
	char *constraint_src;     /* the constraint as written */
	char *message_zh, *message_en; /* shown when the constraint fails */
	bool keep;                /* kept by "save and new" */
};

struct form {
	char *id;                 /* "training" */
	char *label_zh, *label_en;
	struct field *fields;
	size_t nfields;
};

enum period { PERIOD_ANNUAL, PERIOD_PLAN };
enum measure { MEASURE_SUM, MEASURE_COUNT, MEASURE_SURVEY };

struct indicator {
	char *id;
	char *label_zh, *label_en;
	char *unit_zh, *unit_en;
	enum period period;       /* annual, or summed over the plan years */
	char *comparator;         /* ">=", ">" or "=" as in the plan */
	double target;            /* city target (per year, or for the plan) */
	char *form;               /* feeding form id; NULL for MEASURE_SURVEY */
	enum measure measure;
	char *field;              /* summed field for MEASURE_SUM */
	struct expr *filter;      /* which records count; NULL: all */
	char *filter_src;
};

struct township {
	char *id;
	char *name_zh, *name_en;
	char *kind;               /* subdistrict, town, zone */
	char *official_code;      /* may be "" */
};

struct plan {
	char *id;                 /* "jinjiang-2021-2025" */
	char *name_zh, *name_en;
	int first_year, last_year;
};

struct schema {
	struct plan plan;
	struct form *forms;
	size_t nforms;
	struct indicator *indicators;
	size_t nindicators;
	struct township *townships;
	size_t ntownships;
	struct choice *choices;   /* all lists, owned here */
	size_t nchoices;
};

/* One input file: its name ("training.csv") and contents. */
struct schema_file {
	const char *name;
	const char *data;
	size_t len;
};

/* Load from memory.  Errors: KP_E_DATA "NAME:LINE: what is wrong" (unknown
 * type, bad number, unknown choice list, expression syntax, a rule naming a
 * field that does not exist, duplicate field, missing file...).  Nothing is
 * half-loaded: on error *out is NULL. */
int schema_load_files(const struct schema_file *files, size_t n,
                      struct schema **out);

/* Read every *.csv of dir and load them (KP_E_NOINPUT if dir is missing). */
int schema_load_dir(const char *dir, struct schema **out);

/* The files of dir as schema_file entries (to store a copy in a database).
 * Caller frees with schema_files_free. */
int schema_read_dir(const char *dir, struct schema_file **files, size_t *n);
void schema_files_free(struct schema_file *files, size_t n);

void schema_free(struct schema *s);

/* Lookups; NULL when absent.  Pointers live as long as the schema. */
const struct form *schema_form(const struct schema *s, const char *id);
const struct field *form_field(const struct form *f, const char *name);
const struct choice *field_choice(const struct field *f, const char *code);
const struct indicator *schema_indicator(const struct schema *s,
                                         const char *id);
const struct township *schema_township(const struct schema *s,
                                       const char *id);
bool schema_year_in_plan(const struct schema *s, int year);
/* The plan year that "this year" means: today's year, moved into the plan
 * when today is before or after it (a date typed without a year, the
 * default working year of a new database). */
int schema_current_year(const struct schema *s);

/* ---- the names people give fields (schema_names.c) ----
 *
 * A form's field has an id ("participants", what records, rules and
 * bundles use) and a label in Chinese and in English ("参训人次",
 * "Participants", what people see and may type).  One lookup serves every
 * reader, each saying which names it takes: the command line's --set and
 * CSV headers take ids and labels; a bundle's header holds ids only, as
 * export wrote them. */
enum schema_by {
	SCHEMA_BY_ID = 1 << 0,        /* the field's id, exactly */
	SCHEMA_BY_LABEL = 1 << 1,     /* its label_zh or label_en, exactly
	                               * (bytes compared; an empty label names
	                               * nothing) */
};

/* The field of f that name stands for under how (SCHEMA_BY_* or'ed), or
 * NULL when none does (also for a NULL f or name).  Ids are tried first, so
 * a label equal to another field's id never hides that field; among labels
 * the first field in the form's order wins.  The pointer lives as long as
 * the schema. */
const struct field *schema_field_lookup(const struct form *f,
                                        const char *name, unsigned how);

/* The name of f's field closest to a mistyped one, for "did you mean":
 * an id or a label in either language, at most two edits away (a letter
 * missing, extra or wrong, or two neighbours swapped) and fewer than half
 * its characters, case ignored; the closest wins, the first in the form's
 * order among equals.  NULL when nothing is that close (or f or name is
 * NULL).  Characters are read in the locale's LC_CTYPE (main sets a UTF-8
 * one; a byte that is no character counts one).  The string lives as long
 * as the schema. */
const char *schema_field_guess(const struct form *f, const char *name);

/* Rename r's fields that are given by id or label to their ids
 * (schema_field_lookup with both); a name that is no field of f stays as it
 * is, for the checks to refuse.  The order of r's fields is kept; when two
 * names stand for the same field, the later value wins.  KP_OK, or
 * KP_E_NOMEM with r unchanged. */
int schema_record_ids(const struct form *f, struct record *r);

/* Label in the current language (lang.h). */
const char *field_label(const struct field *f);
const char *choice_label(const struct choice *c);
const char *form_label(const struct form *f);
const char *indicator_label(const struct indicator *i);
const char *township_label(const struct township *t);

/* The directory holding the forms: $KEPU_FORMS, else the source tree's
 * forms/ when running from the build tree, else $(pkgdatadir)/forms. */
const char *schema_default_dir(void);

#endif
