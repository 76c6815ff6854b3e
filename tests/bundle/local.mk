## tests/bundle
