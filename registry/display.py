"""How values read to a user, the same in the window, the command line and the reports: dates, times, yes/no."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})")

YES, NO = "是", "否"


def cn_date(value: date | str | None, empty: str = "") -> str:
    """2026年11月5日 (or 2026年11月 for a month-only date), as official documents write dates."""
    if value is None or value == "":
        return empty
    text = value.date().isoformat() if isinstance(value, datetime) else (
        value.isoformat() if isinstance(value, date) else str(value))
    if _MOMENT.match(text):
        text = text[:10]
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
        if len(parts) == 2:
            return f"{int(parts[0])}年{int(parts[1])}月"
    except ValueError:
        pass
    return text


def cn_moment(value: datetime | str | None, empty: str = "") -> str:
    """2026年12月1日 07:26: an ISO timestamp (T or space, seconds and zone dropped) as a user reads a time."""
    if value is None or value == "":
        return empty
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    found = _MOMENT.match(text)
    if not found:
        return cn_date(text, empty)
    year, month, day, hour, minute = found.groups()
    return f"{int(year)}年{int(month)}月{int(day)}日 {hour}:{minute}"


def yes_no(value: Any) -> str:
    """是 or 否 for a flag stored as 1/0, True/False or None (None and 0 are 否)."""
    if isinstance(value, str):
        return YES if value.strip() in ("1", "是", "true", "True") else NO
    return YES if value else NO
