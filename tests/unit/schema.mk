## unit tests: schema
