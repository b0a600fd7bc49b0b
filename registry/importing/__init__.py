"""Reading census workbooks and CSV files: safety checks, sheet reading and roster layout detection."""
