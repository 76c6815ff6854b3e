## tests/cli
