/* demo.h - believable demo data. */
#ifndef KEPU_DEMO_H
#define KEPU_DEMO_H

#include <stddef.h>
#include <stdio.h>

#include "ledger.h"

/* Fill the ledger with about a year of records (training, activity, demo)
 * for its township (or each township of a city database) in `year`, with
 * dates up to today when year is the current year, and set the example
 * quotas when the database has none.  Deterministic for a given seed.
 * Every record goes through ledger checks like a typed entry.
 * *added receives the number of records added. */
int demo_fill(struct ledger *lg, int year, unsigned seed, size_t *added);

/* Write a header and n rows of valid training records dated in `year`
 * (up to today when that is the current year) as CSV (for `add --from-csv` benchmarks and tests).  Deterministic for
 * a given seed.  KP_OK or KP_E_IO. */
int demo_training_csv(FILE *out, size_t n, int year, unsigned seed);

#endif
