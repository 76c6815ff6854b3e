## The core: no curses in here (tests/unit/t_nocurses proves it links alone).
noinst_LIBRARIES += src/core/libkepucore.a
src_core_libkepucore_a_CFLAGS = $(AM_CFLAGS) $(LMDB_CFLAGS) $(SODIUM_CFLAGS) $(XLSX_CFLAGS)
src_core_libkepucore_a_SOURCES = \
	src/core/err.c src/core/err.h \
	src/core/stop.c src/core/stop.h \
	src/core/lang.c src/core/lang.h \
	src/core/text.c src/core/text.h \
	src/core/array.c src/core/array.h \
	src/core/date.c src/core/date.h \
	src/core/csvio.c src/core/csvio_bg.c src/core/csvio.h \
	src/core/expr.c src/core/expr_eval.c src/core/expr.h src/core/expr_int.h \
	src/core/schema.c src/core/schema.h \
	src/core/schema_table.c src/core/schema_model.c src/core/schema_names.c \
	src/core/schema_plan.c src/core/schema_form.c src/core/schema_ind.c \
	src/core/schema_compat.c \
	src/core/schema_dir.c src/core/schema_int.h \
	src/core/record.c src/core/record.h \
	src/core/attach.c src/core/attach.h \
	src/core/check.c src/core/check_result.c src/core/check.h \
	src/core/quota.c src/core/quota.h \
	src/core/store.c src/core/store.h \
	src/core/store_fail.c src/core/store_int.h \
	src/core/store_bulk.c src/core/sha_bg.c src/core/sha_bg.h \
	src/core/store_guard.c src/core/store_guard.h \
	src/core/ledger.c src/core/ledger.h src/core/ledger_int.h \
	src/core/ledger_key.c src/core/ledger_draft.c src/core/ledger_read.c \
	src/core/ledger_totals.c src/core/ledger_check.c src/core/ledger_write.c \
	src/core/ledger_batch.c src/core/ledger_many.c src/core/ledger_sync.c src/core/ledger_forms.c \
	src/core/ledger_years.c src/core/ledger_close.c src/core/ledger_reported.c \
	src/core/ledger_attach.c src/core/ledger_log.c src/core/ledger_log_csv.c \
	src/core/report.c src/core/report_plan.c src/core/report.h \
	src/core/xlsx.c src/core/xlsx_report.c src/core/xlsx_list.c \
	src/core/xlsx.h src/core/xlsx_int.h \
	src/core/demo.c src/core/demo.h \
	src/core/fsutil.c src/core/fsutil.h
CORE_LIBS = src/core/libkepucore.a $(LMDB_LIBS) $(SODIUM_LIBS) $(CSV_LIBS) \
	$(XLSX_LIBS)
include src/core/bundle.mk
