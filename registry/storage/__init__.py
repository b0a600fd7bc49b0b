"""SQLite storage: opening, migrations and the audited writer."""
