"""党龄: counted from 转正时间 (党章第七条), less the time spent with 党籍 stopped (停止党籍)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from registry.rules.dates import PartialDate, add_months


def party_age(full_on: str | None, today: datetime.date,
              stopped: Iterable[tuple[str | None, str | None]] = ()) -> tuple[int, int] | None:
    """(years, months) of 党龄 on `today`, or None without a readable 转正时间 on or before today.

    stopped: spans (from, to) of 停止党籍, ISO days, `to` exclusive and None for a span still open. A month-only
    转正时间 counts from the first of its month, as the statistics do.
    """
    try:
        start = PartialDate.from_iso(full_on).first_day() if full_on else None
    except ValueError:
        return None
    if start is None or start > today:
        return None
    lost = 0
    for a, b in stopped:
        begin = max(start, datetime.date.fromisoformat(a) if a else start)
        end = min(today, datetime.date.fromisoformat(b) if b else today)
        lost += max(0, (end - begin).days)
    # The stopped days move the start later: what is left is counted in whole months of the calendar.
    shifted = start + datetime.timedelta(days=lost)
    months = (today.year - shifted.year) * 12 + today.month - shifted.month
    if add_months(shifted, months) > today:
        months -= 1
    months = max(months, 0)
    return months // 12, months % 12


def party_age_text(age: tuple[int, int] | None) -> str:
    """「12年3个月」 as the person page shows it; empty when there is no 党龄."""
    if age is None:
        return ""
    years, months = age
    return f"{years}年{months}个月" if months else f"{years}年"
