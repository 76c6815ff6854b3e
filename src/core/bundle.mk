## USB bundles (export / verify / import) and signing keys.
