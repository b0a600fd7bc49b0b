"""Writing what goes upward: the roster as .xlsx and .csv files."""
