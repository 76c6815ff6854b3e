/* check.h - what is wrong (or worth a second look) with a record.
 *
 * check_result.c holds the result container, check.c the rules.
 * check_record_rules() is pure: it applies a form's rules to a record
 * without looking at any database.  The warnings that need the database
 * (likely duplicate, implausible value) and the quota impact are added by
 * ledger_check() (ledger.h), which calls this first.
 */
#ifndef KEPU_CHECK_H
#define KEPU_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "schema.h"

enum severity { SEV_ERROR, SEV_WARNING };

enum finding_kind {
	FK_REQUIRED, FK_TYPE, FK_RANGE, FK_CHOICE, FK_DATE, FK_PLAN_YEAR,
	FK_CONSTRAINT, FK_TEXT, FK_UNKNOWN_FIELD, FK_TOWNSHIP, FK_NOT_RELEVANT,
	FK_DUPLICATE, FK_IMPLAUSIBLE, FK_FUTURE,
	FK_CLOSED,        /* the record's year is closed (ledger_years.c) */
};

struct finding {
	enum severity sev;
	enum finding_kind kind;
	char field[RECORD_NAME_MAX];  /* "" when about the whole record */
	char ref[RECORD_ID_LEN + 1];  /* the record it is about besides this
	                               * one (a likely duplicate), else "" */
	char *msg_zh;                 /* owned */
	char *msg_en;                 /* owned */
};

/* What saving the record does to one indicator's progress. */
struct impact {
	const struct indicator *ind;  /* borrowed from the schema */
	int year;                     /* the year it counts in */
	double delta;                 /* change this save makes */
	double achieved;              /* after the save */
	double target;                /* township quota (0 when has_target false) */
	bool has_target;
};

struct check_result {
	struct finding *findings;
	size_t nfindings;
	struct impact *impacts;
	size_t nimpacts;
	/* Set by ledger_check: a digest of the record it checked (as
	 * normalised), so a later ledger_add_checked / ledger_edit_checked
	 * knows the findings are those of the record it is given. */
	unsigned char checked[16];
	bool has_checked;
};

void check_result_init(struct check_result *res);
void check_result_free(struct check_result *res);   /* then reusable */
bool check_has_errors(const struct check_result *res);
/* Remove every finding of kind (e.g. FK_FUTURE for a record already
 * stored, or stored elsewhere, which "today" no longer judges). */
void check_drop_kind(struct check_result *res, enum finding_kind kind);
size_t check_count(const struct check_result *res, enum severity sev);
/* Add a finding (messages are copied).  KP_E_NOMEM. */
int check_add(struct check_result *res, enum severity sev,
              enum finding_kind kind, const char *field,
              const char *msg_zh, const char *msg_en);
/* The message of a finding in the current language. */
const char *finding_msg(const struct finding *f);

/* Apply the form's rules to rec, adding findings to res:
 *  - errors: unknown field, missing required field, wrong type (integer,
 *    decimal, date, choice code), out of [min,max], choice not in the list,
 *    impossible date, a record date (role date) before the first plan or
 *    after today (an end date after today is a warning), text wider than the
 *    field's width or holding control characters / escape sequences,
 *    a value for a field that is not relevant (e.g. farmers when category is
 *    not rural_tech), a broken constraint, a township other than
 *    db_township (when db_township is not NULL).
 * Normalises values in place first (trims numbers, rewrites dates typed as
 * 2025/3/5 to 2025-03-05, accepts choice labels for codes), which is why rec
 * is not const.  Returns KP_OK (findings may hold errors) or KP_E_NOMEM. */
int check_record_rules(const struct schema *s, const struct form *f,
                       struct record *rec, const char *db_township,
                       struct check_result *res);

/* Check one field's value as the clerk leaves it (type, range, choice,
 * width, and constraints that mention this field given the other values in
 * rec).  Findings are only about that field.  Normalises like above. */
int check_field(const struct schema *s, const struct form *f,
                struct record *rec, const char *field,
                struct check_result *res);

/* Whether field fld currently applies to rec (its relevant rule). */
bool check_field_relevant(const struct field *fld, const struct record *rec);

#endif
