/* schema.h - plans, forms, choices, indicators and townships, as data.
 *
 * A schema is one version of a form set, loaded from CSV files (forms/ in
 * the source tree, the data directory when installed, or the copy a
 * database keeps of every version it has had).  The files (docs/forms.md):
 *
 *   formset.csv     key,value: version, forms (ids joined by |), note_zh,
 *                   note_en
 *   plans.csv       id,name_zh,name_en,first_year,last_year,status
 *   townships.csv   id,name_zh,name_en,kind,official_code
 *   choices.csv     list,code,label_zh,label_en[,counts_as]
 *   indicators.csv  plan,id,label_zh,label_en,unit_zh,unit_en,period,
 *                   comparator,target,pace,form,measure,field,filter
 *                   [,group_by]
 *   <form>.csv      one per form listed in formset.csv; a row per field:
 *                   name,type,label_zh,label_en,required,min,max,width,
 *                   choices,relevant,constraint,message_zh,message_en,
 *                   hint_zh,hint_en,keep,role
 *
 * A set made before form versions has plan.csv (key,value: id, name_zh,
 * name_en, first_year, last_year, forms) instead of formset.csv and
 * plans.csv: it loads as version 1 with one official plan, every indicator
 * in it, and the field roles given by name (date, end_date, title or name).
 *
 * A schema is immutable once loaded and owns all its strings.
 *
 * The module's files are listed in schema_int.h.
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
	char *counts_as;          /* the code of the same list this one is
	                           * counted under by tallies grouped by its
	                           * list (group_by); NULL: itself */
	size_t line;              /* in choices.csv */
};

/* What a field means to kepu beyond its rules (the `role` column). */
enum field_role {
	ROLE_NONE,
	ROLE_DATE,                /* the record's date: the year it counts in;
	                           * never after today */
	ROLE_END,                 /* the last day of a multi-day event */
	ROLE_KEY,                 /* with the form and date, identifies a
	                           * likely duplicate */
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
	char *relevant_src;       /* the condition as written (NULL: none) */
	struct expr *constraint;  /* NULL: none */
	char *constraint_src;     /* the constraint as written */
	char *message_zh, *message_en; /* shown when the constraint fails */
	bool keep;                /* kept by "save and new" */
	enum field_role role;
	size_t line;              /* in the form's file */
};

struct form {
	char *id;                 /* "training" */
	char *label_zh, *label_en;
	struct field *fields;
	size_t nfields;
	const struct field *date; /* the ROLE_DATE field: always set */
	const struct field *end;  /* the ROLE_END field, or NULL */
};

enum period { PERIOD_ANNUAL, PERIOD_PLAN };
enum measure { MEASURE_SUM, MEASURE_COUNT, MEASURE_SURVEY };
/* How much of a target is due before its period ends: a share growing day
 * by day, or nothing until the end (recognitions that come in batches). */
enum pace { PACE_LINEAR, PACE_NONE };

struct plan;

struct indicator {
	const struct plan *plan;  /* the plan whose years it is counted in */
	char *id;
	char *label_zh, *label_en;
	char *unit_zh, *unit_en;
	enum period period;       /* annual, or summed over the plan years */
	char *comparator;         /* ">=", ">" or "=" as in the plan */
	double target;            /* city target (per year, or for the plan);
	                           * 0 for a tally */
	bool tally;               /* target left blank: counted and shown,
	                           * never judged (status "tally", no quota) */
	char *form;               /* feeding form id; NULL for MEASURE_SURVEY */
	enum measure measure;
	char *field;              /* summed field for MEASURE_SUM */
	struct expr *filter;      /* which records count; NULL: all */
	char *filter_src;
	enum pace pace;
	const struct field *group_by; /* a tally counted per choice of this
	                           * choice field of its form (one report row
	                           * per code it counts under, and one for
	                           * records leaving it blank when it may be
	                           * blank); NULL: one row */
	size_t line;              /* in indicators.csv */
};

struct township {
	char *id;
	char *name_zh, *name_en;
	char *kind;               /* subdistrict, town, zone */
	char *official_code;      /* may be "" */
	size_t line;              /* in townships.csv */
};

enum plan_status { PLAN_OFFICIAL, PLAN_PROVISIONAL };

struct plan {
	char *id;                 /* "jinjiang-2021-2025" */
	char *name_zh, *name_en;
	int first_year, last_year;
	enum plan_status status;  /* provisional: targets carried over until
	                           * the city sends its own */
	const struct indicator **indicators; /* this plan's, in file order */
	size_t nindicators;
	size_t line;              /* in plans.csv (plan.csv: the id's line) */
};

struct schema {
	unsigned version;         /* of the form set; 1 for a legacy set */
	bool legacy;              /* loaded from plan.csv */
	char *note_zh, *note_en;  /* what this version changed; may be "" */
	struct plan *plans;       /* by first year, never overlapping */
	size_t nplans;
	struct form *forms;
	size_t nforms;
	struct indicator *indicators; /* every plan's, in file order */
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
const struct township *schema_township(const struct schema *s,
                                       const char *id);

/* ---- plans and years ----
 *
 * A record counts in the plan whose years hold the year of its date.  A
 * year after the last plan counts in the last plan as its provisional
 * continuation (until the city sends the next plan), so that kepu never
 * stops taking records when a plan ends; a year before the first plan
 * belongs to none. */
const struct plan *schema_plan(const struct schema *s, const char *id);
/* The plan of year (see above), NULL before the first plan. */
const struct plan *schema_plan_of_year(const struct schema *s, int year);
/* The first year any plan has: no record may be dated earlier. */
int schema_first_year(const struct schema *s);
/* Whether the figures of year are provisional: its plan is, or the year
 * lies after the last plan. */
bool schema_year_provisional(const struct schema *s, int year);
/* Indicator id of plan p, NULL when p (or its continuation) has none. */
const struct indicator *plan_indicator(const struct plan *p, const char *id);
/* Indicator id as year counts it: plan_indicator of year's plan. */
const struct indicator *schema_indicator_of_year(const struct schema *s,
                                                 int year, const char *id);
/* Indicator id of any plan, the latest plan's first: for its labels and
 * unit, which plans share. */
const struct indicator *schema_indicator(const struct schema *s,
                                         const char *id);
/* The plan's name in the current language. */
const char *plan_label(const struct plan *p);

/* The key fields of f (role key), in the form's order: writes up to max
 * pointers into out and returns how many f has. */
size_t form_key_fields(const struct form *f, const struct field **out,
                       size_t max);

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

/* ---- compatibility of versions (schema_compat.c) ---- */

/* What a database's stored records use: forms, fields holding a value,
 * choice codes, townships and years.  Owned by the caller. */
struct schema_usage;
struct schema_usage *schema_usage_new(void);      /* NULL: out of memory */
void schema_usage_free(struct schema_usage *u);   /* NULL is fine */
/* Note what live record r (under schema s) uses.  KP_OK or KP_E_NOMEM. */
int schema_usage_add(struct schema_usage *u, const struct schema *s,
                     const struct record *r);

/* Called for each reason a new version cannot replace the old, in the
 * current language ("FILE:LINE: what and why"); msg lives during the
 * call. */
typedef void (*schema_problem_fn)(void *ctx, const char *msg);

/* Whether schema new can replace old for records that use u: a form,
 * field, choice code or township removed while records use it, a field's
 * type changed, a form's record date moved to another field while it has
 * records, a plan removed while records fall in its years or its first
 * year changed.  Calls fn (may be NULL) once per reason; returns how many
 * there are (0: compatible as far as the structure goes). */
size_t schema_compat(const struct schema *old, const struct schema *new,
                     const struct schema_usage *u, schema_problem_fn fn,
                     void *ctx);

/* What a new version adds to an old one, counted: forms, fields of forms
 * both have, choice codes of lists both have or new lists, indicators
 * (plan, id), plans and townships that old lacks. */
struct schema_changes {
	size_t forms, fields, choices, indicators, plans, townships;
};
void schema_changes(const struct schema *old, const struct schema *new,
                    struct schema_changes *out);
/* The changes as people read them, in the current language ("1 new
 * field, 2 new choices"; "no new forms, fields, choices, indicators or
 * plans" when nothing was added), into buf (always terminated). */
void schema_changes_text(const struct schema_changes *c, char *buf,
                         size_t n);

/* Whether a and b count the records of year alike: the same plan years,
 * the same indicators fed the same way, the same record dates. */
bool schema_counts_alike(const struct schema *a, const struct schema *b,
                         int year);
/* Whether every form of a has the same duplicate-key fields in b. */
bool schema_keys_alike(const struct schema *a, const struct schema *b);

/* ---- tallies grouped by a choice field (group_by) ----
 *
 * A grouped tally is counted per choice code of its group_by field: a
 * code whose choices.csv row has counts_as is counted under that other
 * code (科普日 under 全国科普日), so one event never splits in two; records
 * leaving the field blank (or holding no code of the list: a record saved
 * before the field was asked) are counted under the group "", which every
 * grouped tally has, so that its groups add up to all it counts.  Codes
 * are the schema's strings. */

/* The group value counts under: NULL when ind is not grouped, "" for a
 * blank or unknown value, else the code (its counts_as, if any). */
const char *indicator_group_of(const struct indicator *ind, const char *value);
/* ind's groups in the list's order (codes without counts_as), then "":
 * writes up to max into out, returns how many there are (0 when ind is
 * not grouped). */
size_t indicator_groups(const struct indicator *ind, const char **out,
                        size_t max);
/* A group's label in the current language: the choice's label, with the
 * codes counted under it named ("全国科普日（含科普日）"), written into buf
 * (cut to size) and returned; "（未填写）" / "(not given)" for "" (a
 * static string). */
const char *indicator_group_label(const struct indicator *ind,
                                  const char *group, char *buf, size_t size);

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
