"""Dates as census sheets spell them, read into year-month or year-month-day values."""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from registry.rules.memo import memo

MIN_YEAR = 1900
MAX_YEAR = 2100
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers in this window are 1954-10-03 .. 2119-01-10; outside it a number is not a date.
SERIAL_MIN = 20000
SERIAL_MAX = 80000

_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_YMD = re.compile(r"(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})[日号]?")
_YM = re.compile(r"(\d{4})[年.\-/](\d{1,2})月?")
_YEAR_ONLY = re.compile(r"(\d{4})年?")
_NUMBER_TEXT = re.compile(r"\d{5}(?:\.\d+)?|\d{8}\.0+")
_TIME_SUFFIX = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_SPACE = re.compile(r"\s+")


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, or only to the month (出生年月, 入党时间 are often month-only)."""

    year: int
    month: int
    day: int | None = None  # None = only the month is known; never invent a day

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999 or not 1 <= self.month <= 12:
            raise ValueError(f"invalid year/month: {self.year}-{self.month}")
        if self.day is not None and not 1 <= self.day <= _days_in_month(self.year, self.month):
            raise ValueError(f"invalid day: {self.year}-{self.month}-{self.day}")

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def _key(self) -> tuple[int, int, int]:
        # A month-only date sorts before every day of that month.
        return (self.year, self.month, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Parse exactly the stored form 'YYYY-MM' or 'YYYY-MM-DD'."""
        match = _ISO.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"not an ISO date: {text!r}")
        year, month, day = match.groups()
        return cls(int(year), int(month), int(day) if day else None)

    @classmethod
    def from_date(cls, d: datetime.date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or 1)

    def last_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or _days_in_month(self.year, self.month))

    def add_months(self, n: int) -> PartialDate:
        year, month0 = divmod(self.year * 12 + self.month - 1 + n, 12)
        day = None if self.day is None else min(self.day, _days_in_month(year, month0 + 1))
        return PartialDate(year, month0 + 1, day)

    def add_years(self, n: int) -> PartialDate:
        return self.add_months(12 * n)

    @property
    def month_only(self) -> bool:
        return self.day is None


class DateCheck(NamedTuple):
    """The outcome of reading one date cell."""

    ok: bool
    value: PartialDate | None  # None when empty or invalid
    code: str | None  # None when ok; date_format / date_range; date_ambiguous for warnings
    message: str | None
    warning: bool = False


_EMPTY = DateCheck(True, None, None, None)


def _unreadable(shown: str) -> DateCheck:
    return DateCheck(False, None, "date_format",
                     f"无法识别日期“{shown}”，请按“1990-01-15”或“1990-01”的格式填写。")


def _year_only(shown: str) -> DateCheck:
    return DateCheck(False, None, "date_format",
                     f"日期“{shown}”只有年份，请至少填写到月份，如“1990-01”。")


def _checked(year: int, month: int, day: int | None, shown: str) -> DateCheck:
    if not 1 <= month <= 12:
        return DateCheck(False, None, "date_format",
                         f"日期“{shown}”中的月份（{month}）不存在，请核对后按“1990-01”的格式填写。")
    if not 1 <= year <= 9999:
        return DateCheck(False, None, "date_range",
                         f"日期“{shown}”的年份（{year}）不在{MIN_YEAR}至{MAX_YEAR}年之间，请核对后重新填写。")
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return DateCheck(False, None, "date_format",
                         f"日期“{shown}”不存在（{year}年{month}月没有{day}日），请核对后重新填写。")
    if not MIN_YEAR <= year <= MAX_YEAR:
        return DateCheck(False, None, "date_range",
                         f"日期“{shown}”的年份（{year}）不在{MIN_YEAR}至{MAX_YEAR}年之间，请核对后重新填写。")
    return DateCheck(True, PartialDate(year, month, day), None, None)


def _from_serial(serial: int, shown: str) -> DateCheck:
    d = EXCEL_EPOCH + datetime.timedelta(days=serial)
    return _checked(d.year, d.month, d.day, shown)


def _from_whole_number(n: int, shown: str) -> DateCheck:
    if 10_000_000 <= n <= 99_999_999:  # 19900115
        return _checked(n // 10_000, n // 100 % 100, n % 100, shown)
    if 100_000 <= n <= 999_999:  # 199001
        return _checked(n // 100, n % 100, None, shown)
    if SERIAL_MIN <= n <= SERIAL_MAX:
        return _from_serial(n, shown)
    if 1000 <= n <= 9999:
        return _year_only(shown)
    return _unreadable(shown)


def _from_float(x: float) -> DateCheck:
    shown = repr(x)
    if not math.isfinite(x):
        return _unreadable(shown)
    if x.is_integer():
        return _from_whole_number(int(x), str(int(x)))
    if SERIAL_MIN <= x < SERIAL_MAX + 1:  # an Excel date-time: the fraction is the time of day
        return _from_serial(int(x), shown)
    if not 1000 < x < 10000:
        return _unreadable(shown)
    # A number typed as 1990.01 is stored as a float; repr gives its shortest spelling back.
    year_text, _, fraction = shown.partition(".")
    if len(fraction) not in (1, 2):
        return _unreadable(shown)
    check = _checked(int(year_text), int(fraction), None, shown)
    if check.ok and fraction == "1":
        # Excel drops the trailing zero, so 1990.10 (October) is stored as 1990.1 as well.
        year = year_text
        message = (f"日期“{shown}”可能是{year}年1月，也可能是{year}年10月（Excel会去掉末尾的0），"
                   f"已按{year}年1月读取，请核对；以后请把日期写成文本，如“{year}-10”。")
        return DateCheck(True, check.value, "date_ambiguous", message, True)
    return check


def _from_text(raw: str) -> DateCheck:
    text = unicodedata.normalize("NFKC", raw).strip().lstrip("'")
    if not text:
        return _EMPTY
    shown = text
    text = _SPACE.sub("", _TIME_SUFFIX.sub("", text))
    if text.isdigit():
        if len(text) == 5:
            n = int(text)
            return _from_serial(n, shown) if SERIAL_MIN <= n <= SERIAL_MAX else _unreadable(shown)
        if len(text) in (4, 6, 8):
            return _from_whole_number(int(text), shown)
        return _unreadable(shown)
    if _NUMBER_TEXT.fullmatch(text):  # a number cell exported as text, e.g. '36526.5'
        return _from_float(float(text))
    if match := _YMD.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return _checked(year, month, day, shown)
    if match := _YM.fullmatch(text):
        return _checked(int(match.group(1)), int(match.group(2)), None, shown)
    if _YEAR_ONLY.fullmatch(text):
        return _year_only(shown)
    return _unreadable(shown)


@memo()
def parse_date(value: object) -> DateCheck:
    """Read a date cell: empty is fine (value None); typed text, Excel dates and serial numbers are read."""
    if value is None:
        return _EMPTY
    if isinstance(value, bool):
        return _unreadable(str(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, int):
        return _from_whole_number(value, str(value))
    if isinstance(value, float):
        return _from_float(value)
    return _from_text(value if isinstance(value, str) else str(value))


def to_iso(value: object) -> str | None:
    """The stored form of a date cell, None when empty; raises ValueError(message) when unreadable."""
    check = parse_date(value)
    if not check.ok:
        raise ValueError(check.message)
    return None if check.value is None else str(check.value)


def add_months(d: datetime.date, n: int) -> datetime.date:
    """d plus n calendar months, the day clamped to the end of the month (01-31 + 1 -> 02-28/29)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return datetime.date(year, month0 + 1, min(d.day, _days_in_month(year, month0 + 1)))


def months_between(a: PartialDate, b: PartialDate) -> int:
    """Whole months from a to b (negative when b is earlier), at the coarser of the two precisions.

    With both days known this is the largest n with a.add_months(n) <= b, so a day clamped to the
    end of a short month still counts: 2024-01-31 -> 2024-02-29 is one month.
    """
    if b < a and not (a.month_only or b.month_only):
        return -months_between(b, a)
    months = (b.year * 12 + b.month) - (a.year * 12 + a.month)
    if a.day is None or b.day is None:
        return months
    if b.day < min(a.day, _days_in_month(b.year, b.month)):
        months -= 1
    return months
