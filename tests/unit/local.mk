## Unit tests of the core, one fragment per area.
include tests/unit/foundation.mk
include tests/unit/schema.mk
include tests/unit/store.mk
include tests/unit/check.mk
