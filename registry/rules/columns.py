"""Whole-column forms of the per-cell rules: the tidy cells of a census column recognised in one tight pass.

Each function answers, per cell, either the value the per-cell rule (idnumber.check_id, phone.check_phone,
text.is_common_han for names) would give for it with no problem, or None: "not tidy, ask the per-cell rule",
which stays the reference and gives the value and the problems. None never means invalid. A property test
(tests/importing/test_columns.py) proves that every answer is the per-cell rule's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from operator import mul

from registry.rules.idnumber import CHECK_CHARS, EARLIEST_BIRTH, WEIGHTS

# An 18-character number in canonical shape: 17 ASCII digits and a digit or an uppercase X (idnumber._FAST_18).
_TIDY_ID = re.compile(r"[0-9]{17}[0-9X]").fullmatch
# A mobile as phone.check_phone keeps it unchanged (phone._FAST_MOBILE), and the digits of a number cell.
_TIDY_MOBILE = re.compile(r"1[3-9][0-9]{9}").fullmatch
_MOBILE_NUMBER_MIN, _MOBILE_NUMBER_MAX = 13_000_000_000.0, 19_999_999_999.0
# Names of 1 to 50 CJK ideographs GBK encodes (text.is_common_han within validation.MAX_CHARS["name"]).
_TIDY_NAME = re.compile("[\u4e00-\u9fa5]{1,50}").fullmatch

_CODE_EXCESS = 48 * sum(WEIGHTS)  # ord("0") for each weighted digit
IdFound = tuple[str, datetime.date, str]  # (number, birth date, 男/女) as check_id gives them


def tidy_ids(values: Sequence[object], today: datetime.date) -> list[IdFound | None]:
    """check_id's answer for every tidy, valid 18-character number; None for the rest (the per-cell rule decides).

    One pass with the check digits summed by map() in C over the number's bytes. (numpy over an N × 18 array took 0.15–0.3 s against
    0.44–0.65 s here for 100,000 numbers, but it aborts under Wine, where the Windows suite runs, and adds
    30–40 MB to the installed app: not worth 0.3 s of a 20 s import.)
    """
    out: list[IdFound | None] = [None] * len(values)
    earliest = EARLIEST_BIRTH.year * 10_000 + EARLIEST_BIRTH.month * 100 + EARLIEST_BIRTH.day
    latest = today.year * 10_000 + today.month * 100 + today.day
    make_date = datetime.date
    for i, v in enumerate(values):
        if v.__class__ is not str or len(v) != 18 or not _TIDY_ID(v):
            continue
        number = str(v)
        # The weighted digit sum from the ASCII codes (a bytes object iterates as ints, in C): each code is its
        # digit + 48, so the sum is 48 × the weights' sum too much.
        if CHECK_CHARS[(sum(map(mul, number.encode(), WEIGHTS)) - _CODE_EXCESS) % 11] != number[17]:
            continue
        stamp = int(number[6:14])  # YYYYMMDD: compared as a number, checked as a date below
        if not earliest <= stamp <= latest:
            continue
        try:
            born = make_date(stamp // 10_000, stamp // 100 % 100, stamp % 100)
        except ValueError:  # 2月30日, 13月: not a tidy number
            continue
        out[i] = (number, born, "男" if int(number[16]) % 2 else "女")
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
