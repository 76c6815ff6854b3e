## USB bundles (export / verify / import) and signing keys.
src_core_libkepucore_a_SOURCES += \
	src/core/bundle.c src/core/bundle.h src/core/bundle_int.h src/core/bundle_dir.c \
	src/core/bundle_fault.c src/core/bundle_find.c \
	src/core/bundle_export.c src/core/bundle_file.c src/core/bundle_verify.c src/core/bundle_data.c \
	src/core/bundle_import.c src/core/bundle_rows.c src/core/bundle_forms.c \
	src/core/bundle_pending.c src/core/bundle_settle.c \
	src/core/bundle_years.c src/core/bundle_decision.c src/core/bundle_received.c \
	src/core/bundle_attach.c src/core/bundle_attach_out.c src/core/bundle_history.c src/core/bundle_dict.c \
	src/core/keys.c src/core/keys.h
