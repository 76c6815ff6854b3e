## unit tests: check
