"""Single-table storage: key scheme, base models, unit of work, cursors."""
