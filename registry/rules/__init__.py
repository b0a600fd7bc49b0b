"""Pure domain rules: identity numbers, phones, dates, categories and development-stage checks."""
