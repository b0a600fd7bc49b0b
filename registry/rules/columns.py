"""Whole-column forms of the per-cell rules: the tidy cells of a census column recognised at once, in C.

Each function answers, per cell, either the value the per-cell rule (idnumber.check_id, phone.check_phone,
text.is_common_han for names) would give for it with no problem, or None: "not tidy, ask the per-cell rule",
which stays the reference and gives the value and the problems. None never means invalid. A property test
(tests/importing/test_columns.py) proves that every answer is the per-cell rule's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

import numpy as np

from registry.rules.idnumber import CHECK_CHARS, EARLIEST_BIRTH, WEIGHTS

# An 18-character number in canonical shape: 17 ASCII digits and a digit or an uppercase X (idnumber._FAST_18).
_TIDY_ID = re.compile(r"[0-9]{17}[0-9X]").fullmatch
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)
_CHECK = np.frombuffer(CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_PLACES4 = np.array([1000, 100, 10, 1], dtype=np.int64)
_PLACES2 = np.array([10, 1], dtype=np.int64)
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
# A mobile as phone.check_phone keeps it unchanged (phone._FAST_MOBILE), and the digits of a number cell.
_TIDY_MOBILE = re.compile(r"1[3-9][0-9]{9}").fullmatch
_MOBILE_NUMBER_MIN, _MOBILE_NUMBER_MAX = 13_000_000_000.0, 19_999_999_999.0
# Names of 1 to 50 CJK ideographs GBK encodes (text.is_common_han within validation.MAX_CHARS["name"]).
_TIDY_NAME = re.compile("[\u4e00-\u9fa5]{1,50}").fullmatch

IdFound = tuple[str, datetime.date, str]  # (number, birth date, 男/女) as check_id gives them


def tidy_ids(values: Sequence[object], today: datetime.date) -> list[IdFound | None]:
    """check_id's answer for every tidy, valid 18-character number; None for the rest (the per-cell rule decides).

    The check digits and birth dates of the whole column are computed at once over an N × 18 byte array.
    """
    out: list[IdFound | None] = [None] * len(values)
    rows = [i for i, v in enumerate(values) if v.__class__ is str and len(v) == 18 and _TIDY_ID(v)]
    if not rows:
        return out
    numbers = [str(values[i]) for i in rows]  # str already: str() of a str is the same object
    grid = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(-1, 18).astype(np.int64) - 48
    expected = _CHECK[(grid[:, :17] @ _WEIGHTS) % 11]
    check_ok = expected == grid[:, 17] + 48
    year, month, day = grid[:, 6:10] @ _PLACES4, grid[:, 10:12] @ _PLACES2, grid[:, 12:14] @ _PLACES2
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = _MONTH_DAYS[np.where(month_ok, month, 0)] + (leap & (month == 2))
    stamp = year * 10_000 + month * 100 + day
    earliest = EARLIEST_BIRTH.year * 10_000 + EARLIEST_BIRTH.month * 100 + EARLIEST_BIRTH.day
    ok = check_ok & month_ok & (day >= 1) & (day <= days) & (stamp >= earliest) \
        & (stamp <= today.year * 10_000 + today.month * 100 + today.day)
    good = np.flatnonzero(ok)
    if not len(good):
        return out
    births = map(datetime.date, year[good].tolist(), month[good].tolist(), day[good].tolist())
    genders = np.where(grid[good, 16] % 2 == 1, "男", "女").tolist()
    for k, born, gender in zip(good.tolist(), births, genders, strict=True):
        out[rows[k]] = (numbers[k], born, gender)
    return out


def tidy_mobiles(values: Sequence[object]) -> list[str | None]:
    """check_phone's number for a tidy mobile: 11 digits as text, or a whole number cell (13816695432.0)."""
    out: list[str | None] = []
    append = out.append
    for v in values:
        if v.__class__ is str:
            append(v if _TIDY_MOBILE(v) else None)
        elif v.__class__ is float and _MOBILE_NUMBER_MIN <= v <= _MOBILE_NUMBER_MAX and v.is_integer():
            text = str(int(v))
            append(text if _TIDY_MOBILE(text) else None)
        else:
            append(None)
    return out


def tidy_names(values: Sequence[object]) -> list[str | None]:
    """The name itself when it is 1 to 50 common CJK ideographs: nothing to fold, hide or warn about."""
    return [v if v.__class__ is str and _TIDY_NAME(v) else None for v in values]
