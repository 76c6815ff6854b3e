## USB bundles (export / verify / import) and signing keys.
src_core_libkepucore_a_SOURCES += \
	src/core/bundle.c src/core/bundle.h src/core/bundle_int.h \
	src/core/bundle_find.c \
	src/core/bundle_export.c src/core/bundle_verify.c \
	src/core/bundle_import.c src/core/bundle_rows.c \
	src/core/keys.c src/core/keys.h
