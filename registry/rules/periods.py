"""Report periods: a calendar month or a half-month (1st–15th, 16th–end), the one before, the one after."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from registry.errors import UserError
from registry.rules.dates import add_months

_MONTH = re.compile(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*")
_HALF = re.compile(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./]\s*([12])|月\s*(上半月|下半月|上|下))\s*")
HALF_LABELS = {1: "上半月", 2: "下半月"}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """[start, end], both days included; kind is 'month' or 'half'."""

    kind: str
    start: date
    end: date

    @property
    def day_after(self) -> date:
        """The first day after the period: a report read on it sees the period's last day as over."""
        return self.end + timedelta(days=1)

    @property
    def half(self) -> int | None:
        if self.kind != "half":
            return None
        return 1 if self.start.day == 1 else 2

    @property
    def label(self) -> str:
        if self.kind == "custom":
            return self.span
        month = f"{self.start.year}年{self.start.month}月"
        return month + HALF_LABELS[self.half] if self.half else month

    @property
    def span(self) -> str:
        """2026年11月1日至11月30日"""
        end = f"{self.end.month}月{self.end.day}日" if self.end.year == self.start.year else \
            f"{self.end.year}年{self.end.month}月{self.end.day}日"
        return f"{self.start.year}年{self.start.month}月{self.start.day}日至{end}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "month":
            return month_period(add_months(self.start, -1))
        if self.kind == "custom":
            end = self.start - timedelta(days=1)
            return Period("custom", end - (self.end - self.start), end)
        if self.half == 2:
            return Period("half", self.start.replace(day=1), self.start.replace(day=15))
        prior = self.start - timedelta(days=1)
        return Period("half", prior.replace(day=16), prior)

    def next_window(self) -> tuple[date, date]:
        """The month after the period (for a half-month: the month-long stretch after it) — what falls due next."""
        start = self.end + timedelta(days=1)
        if start.day == 1:
            return start, _month_end(start.year, start.month)
        return start, add_months(start, 1) - timedelta(days=1)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "label": self.label, "span": self.span}


def month_period(day: date) -> Period:
    return Period("month", day.replace(day=1), _month_end(day.year, day.month))


def parse_month(text: str) -> Period:
    """'2026-11' (also 2026.11, 2026年11月) as the month."""
    match = _MONTH.fullmatch(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserError(f"月份“{text}”无法识别，请按2026-11格式填写。")
    return month_period(date(int(match.group(1)), int(match.group(2)), 1))


def parse_half(text: str) -> Period:
    """'2026-11-1' is 1–15 November, '2026-11-2' is 16–30 November (also 2026年11月上半月)."""
    match = _HALF.fullmatch(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserError(f"半月期间“{text}”无法识别，请写成2026-11-1（上半月）或2026-11-2（下半月）。")
    year, month = int(match.group(1)), int(match.group(2))
    first = (match.group(3) or match.group(4)) in ("1", "上半月", "上")
    if first:
        return Period("half", date(year, month, 1), date(year, month, 15))
    return Period("half", date(year, month, 16), _month_end(year, month))


def period_for(start: date, end: date) -> Period:
    """The Period a [start, end] pair describes; any other span is treated as a month-like custom period."""
    if start.day == 1 and end == _month_end(start.year, start.month):
        return Period("month", start, end)
    if ((start.day, end.day) == (1, 15) and start.month == end.month) or \
            (start.day == 16 and end == _month_end(start.year, start.month)):
        return Period("half", start, end)
    if end < start:
        raise UserError("统计期间的结束日期早于开始日期，请核对。")
    return Period("custom", start, end)
