/* ledger_log_csv.c - the log as CSV (`kepu log --csv`, a bundle's
 * history.csv): a row for each field an entry changed, its cells up to
 * rev repeated on each.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "csvio.h"
#include "ledger.h"

static const char *const log_head[] = {
	"origin", "seq", "changed_at", "changed_by", "action", "id", "township",
	"form", "rev", "field", "before", "after",
};

#define LOG_COLS (sizeof log_head / sizeof log_head[0])

int ledger_log_csv_head(struct csvw *w)
{
	return csvw_row(w, LOG_COLS, log_head);
}

/* The cells of an entry's rows up to rev: the same on each of them. */
static void csv_entry_head(struct csvw *w, const struct ledger_log_entry *e)
{
	char when[32], seq[24], rev[16];
	time_t tt = (time_t)e->when;
	struct tm tm;
	const char *f[] = { e->origin, seq, when, e->who, e->action, e->id,
	                    e->township, e->form, rev };
	size_t i;

	if (!gmtime_r(&tt, &tm) || !strftime(when, sizeof when,
	                                     "%Y-%m-%dT%H:%M:%SZ", &tm))
		when[0] = '\0';
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)e->seq);
	if (!e->seq)
		seq[0] = '\0';
	snprintf(rev, sizeof rev, "%lu", (unsigned long)e->rev);
	if (!e->rev)
		rev[0] = '\0';
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		csvw_field(w, f[i]);
}

int ledger_log_csv_entry(struct csvw *w, const struct ledger_log_entry *e)
{
	char head[CSVW_BUF];
	size_t i = 0, hn = 0;

	/* The head is encoded once, and copied to the entry's other rows. */
	do {
		if (hn)
			csvw_row_resume(w, head, hn);
		else {
			csv_entry_head(w, e);
			hn = csvw_row_copy(w, head, sizeof head);
		}
		csvw_field(w, i < e->nchanges ? e->changes[i].field : "");
		csvw_field(w, i < e->nchanges ? e->changes[i].before : "");
		csvw_field(w, i < e->nchanges ? e->changes[i].after : "");
		csvw_end_row(w);
	} while (++i < e->nchanges);
	return w->status;
}
