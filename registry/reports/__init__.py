"""Printable PDF reports: the monthly and half-monthly report, the roster, and per-person documents."""
