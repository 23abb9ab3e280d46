"""One dossier or many from bytes to findings: check, schema, batch."""
