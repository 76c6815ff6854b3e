/* fuzz_db.c - opening a damaged database and using it.
 *
 * Input: "FLIP" then 5-byte patches (offset as 4 bytes little-endian,
 * taken modulo the file's size, and a byte XORed in) applied to a demo
 * database made at start-up; any other input is written as the database
 * file itself.  The file is then opened read-only and listed, checked and
 * reported on.  Every step may refuse (the file is damaged): none may
 * crash, hang or leak.
 *
 * With $KEPU_FUZZ_DB_WRITE set, a last input byte with bit 0 set also
 * opens the file for writing and adds a record.  Not by default: LMDB
 * 0.9 trusts the pages it copies in a write transaction, and a damaged
 * node makes it memcpy from outside its own buffers, which the sanitizer
 * reports inside liblmdb (docs/testing.md, "What cannot be prevented"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "err.h"
#include "fuzz.h"
#include "ledger.h"
#include "report.h"

static char demo_db[300], db[300];
static unsigned char *demo;
static size_t demo_len;
static bool write_too;

static void setup(void)
{
	struct ledger *lg;
	size_t added;
	FILE *f;
	long n;

	fz_setup();
	snprintf(demo_db, sizeof demo_db, "%s/demo.kepu", fz_tmp());
	snprintf(db, sizeof db, "%s/damaged.kepu", fz_tmp());
	if (ledger_init(demo_db, fz_forms(), "chendai") != KP_OK ||
	    ledger_open(demo_db, false, &lg) != KP_OK ||
	    demo_fill(lg, 2025, 1, &added) != KP_OK) {
		fprintf(stderr, "fuzz_db setup: %s\n", kp_err_msg());
		abort();
	}
	ledger_close(lg);
	f = fopen(demo_db, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0)
		abort();
	rewind(f);
	demo_len = (size_t)n;
	demo = malloc(demo_len);
	if (!demo || fread(demo, 1, demo_len, f) != demo_len)
		abort();
	fclose(f);
}

static int count_fn(void *ctx, const struct record *rec)
{
	size_t i, *n = ctx;

	for (i = 0; i < rec->nfields; i++)
		*n += strlen(rec->fields[i].name) + strlen(rec->fields[i].value);
	return KP_OK;
}

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void use(bool write)
{
	struct ledger_query q = { .include_deleted = true };
	struct report_row *rows = NULL;
	struct check_result res;
	struct record rec;
	struct ledger *lg;
	size_t n = 0, live, dead;

	if (ledger_open(db, true, &lg) == KP_OK) {
		ledger_list(lg, &q, count_fn, &n);
		ledger_verify(lg, ignore, NULL);
		ledger_counts(lg, &live, &dead);
		if (report_build(lg, 2025, &rows, &n) == KP_OK)
			free(rows);
		ledger_close(lg);
	}
	if (!write || ledger_open(db, false, &lg) != KP_OK)
		return;
	record_init(&rec);
	check_result_init(&res);
	snprintf(rec.form, sizeof rec.form, "training");
	record_set(&rec, "date", "2025-03-05");
	record_set(&rec, "category", "worker");
	record_set(&rec, "title", "fuzz");
	record_set(&rec, "participants", "3");
	ledger_add(lg, &rec, &res);
	check_result_free(&res);
	record_free(&rec);
	ledger_close(lg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	unsigned char *b;
	size_t i;

	if (!ready) {
		setup();
		write_too = getenv("KEPU_FUZZ_DB_WRITE") != NULL;
		ready = true;
	}
	if (size >= 4 && memcmp(data, "FLIP", 4) == 0) {
		b = malloc(demo_len);
		if (!b)
			return 0;
		memcpy(b, demo, demo_len);
		for (i = 4; i + 5 <= size; i += 5) {
			uint32_t off = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
			               (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;

			b[off % demo_len] ^= data[i + 4];
		}
		fz_write(db, b, demo_len);
		free(b);
	} else {
		fz_write(db, data, size);
	}
	use(write_too && size > 0 && (data[size - 1] & 1));
	return 0;
}
