## unit tests: store
