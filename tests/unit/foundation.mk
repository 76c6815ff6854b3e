## unit tests: foundation
