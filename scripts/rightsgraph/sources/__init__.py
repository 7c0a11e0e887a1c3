"""Adding source documents and their quotes: `source add`, `quotes --fill`."""
