"""Citizen identity numbers (公民身份号码, GB 11643-1999): clean-up, checks, upgrade and masking."""

from __future__ import annotations

import datetime
import math
import re
import time
import unicodedata
from decimal import Decimal, InvalidOperation
from operator import mul
from typing import NamedTuple

from registry.rules.memo import memo

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ASCII_ZERO_SUM = 48 * sum(WEIGHTS)
# Old numbers of people born in the 19th century exist (e.g. 440524188001010014), so no 1900 floor here.
EARLIEST_BIRTH = datetime.date(1850, 1, 1)

_MANGLED_MESSAGE = ("身份证号被Excel当作数字保存，后几位已变成0（Excel的数字最多只保留15位有效数字），"
                    "无法还原，请向填报人核实后以文本格式重新录入。")
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_QUOTED = re.compile(r'["“”](.*)["“”]')
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?E[+-]?\d+")
_DECIMAL = re.compile(r"(\d+)\.0*")
_SHAPE_18 = re.compile(r"\d{17}[\dX]")
_FAST_18 = re.compile(r"[0-9]{17}[0-9X]").fullmatch


class IdCheck(NamedTuple):
    """The outcome of checking one identity number."""

    ok: bool
    number: str | None  # normalised 18-character form (uppercase X) when ok
    code: str | None  # id_missing / id_format / id_checksum / id_mangled / id_date
    message: str | None
    birth_date: datetime.date | None
    gender: str | None  # '男' / '女'
    upgraded: bool = False  # a 15-digit number was upgraded


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need exactly 17 digits, got {first17!r}")
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def upgrade_15(number15: str) -> str:
    """The 18-character form of an old 15-digit number: '19' inserted after the region, check appended."""
    if len(number15) != 15 or not number15.isascii() or not number15.isdigit():
        raise ValueError(f"need exactly 15 digits, got {number15!r}")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_char(first17)


def mask_id(number: str) -> str:
    """Masked for display and print: first 6 and last 4 kept (510104********1234)."""
    text = "" if number is None else str(number).strip()
    n = len(text)
    if n >= 11:
        return text[:6] + "*" * (n - 10) + text[-4:]
    if n >= 3:
        return text[0] + "*" * (n - 2) + text[-1]
    return "*" * n


def _fail(code: str, message: str) -> IdCheck:
    return IdCheck(False, None, code, message, None, None)


def _mangled() -> IdCheck:
    return _fail("id_mangled", _MANGLED_MESSAGE)


def _not_digits() -> IdCheck:
    return _fail("id_format", "身份证号应为18位数字（最后一位可以是X），请核对。")


def _wrong_length(n: int) -> IdCheck:
    return _fail("id_format", f"身份证号应为18位（或旧式15位），现在是{n}位，请核对。")


def _from_number(digits: str) -> str | IdCheck:
    """A value a spreadsheet stored as a number: 15 digits survive, 18 digits never do."""
    if len(digits) == 18 or digits == "1" + "0" * 18:  # 999…9 can round up to 10**18 as a float
        return _mangled()
    if len(digits) == 15:
        return digits
    return _wrong_length(len(digits))


def _clean(value: object) -> str | IdCheck:
    """The bare characters of the number, or the reason it cannot be read."""
    if isinstance(value, bool):
        return _not_digits()
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or value < 0:
            return _not_digits()
        return _from_number(str(int(value)))
    if isinstance(value, int):
        return _from_number(str(value)) if value >= 0 else _not_digits()
    text = unicodedata.normalize("NFKC", str(value))
    text = _INVISIBLE.sub("", text).upper().lstrip("=")
    if wrapped := _QUOTED.fullmatch(text):  # ="110105..." (Excel text formula) or a quoted CSV value
        text = wrapped.group(1)
    text = text.lstrip("'‘’`")
    if _SCIENTIFIC.fullmatch(text):  # 5.10104E+17: what Excel shows for a number cell
        try:
            number = Decimal(text)
        except InvalidOperation:
            return _not_digits()
        if number.adjusted() > 30 or number != number.to_integral_value():
            return _not_digits()
        return _from_number(str(int(number)))
    if decimal := _DECIMAL.fullmatch(text):  # a number cell exported as '420106199312097000.0'
        return _from_number(decimal.group(1))
    return text


def _birth(year: int, month: int, day: int, today: datetime.date) -> datetime.date | IdCheck:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return _fail("id_date", f"身份证号中的出生日期（{year:04d}{month:02d}{day:02d}）不是有效日期，请核对。")
    if born < EARLIEST_BIRTH:
        return _fail("id_date", f"身份证号中的出生日期（{year:04d}{month:02d}{day:02d}）早于{EARLIEST_BIRTH.year}年，请核对。")
    if born > today:
        return _fail("id_date", f"身份证号中的出生日期（{year:04d}{month:02d}{day:02d}）晚于今天，请核对。")
    return born


_today_cache: tuple[float, datetime.date] = (-1.0, datetime.date.min)


def _today() -> datetime.date:
    """Today's date, asked of the clock at most once a second (a census checks ~100,000 numbers)."""
    global _today_cache
    now = time.monotonic()
    if now - _today_cache[0] >= 1.0:
        _today_cache = (now, datetime.date.today())
    return _today_cache[1]


def _gender(number18: str) -> str:
    return "男" if int(number18[16]) % 2 else "女"


@memo(131072)  # each number is checked again by the development rules, after the whole file is read
def check_id(value: object) -> IdCheck:
    """Check and normalise one identity number; a number Excel has mangled is rejected, never repaired."""
    if value.__class__ is str and len(value) == 18 and _FAST_18(value):  # the common, tidy case
        return _check_18(value)
    if value is None:
        return _fail("id_missing", "没有填写身份证号，请补录。")
    cleaned = _clean(value)
    if isinstance(cleaned, IdCheck):
        return cleaned
    if not cleaned:
        return _fail("id_missing", "没有填写身份证号，请补录。")
    today = _today()
    if len(cleaned) == 15:
        if not (cleaned.isascii() and cleaned.isdigit()):
            return _fail("id_format", "旧式15位身份证号应全部为数字，请核对。")
        born = _birth(1900 + int(cleaned[6:8]), int(cleaned[8:10]), int(cleaned[10:12]), today)
        if isinstance(born, IdCheck):
            return born
        number = upgrade_15(cleaned)
        return IdCheck(True, number, None, None, born, _gender(number), True)
    if len(cleaned) != 18:
        return _wrong_length(len(cleaned))
    if not (cleaned.isascii() and _SHAPE_18.fullmatch(cleaned)):
        return _fail("id_format", "身份证号前17位应为数字，最后一位为数字或X，请核对。")
    return _check_18(cleaned)


def _check_18(cleaned: str) -> IdCheck:
    """An 18-character number already in canonical shape (17 ASCII digits and a digit or X)."""
    # Digits as bytes are their code points: 48 too much per digit, so the weighted sum is off by 48 × ΣW.
    expected = CHECK_CHARS[(sum(map(mul, cleaned.encode(), WEIGHTS)) - _ASCII_ZERO_SUM) % 11]
    if expected != cleaned[17] and cleaned.endswith("000"):
        return _mangled()
    born = _birth(int(cleaned[6:10]), int(cleaned[10:12]), int(cleaned[12:14]), _today())
    if born.__class__ is IdCheck:
        return born
    if expected != cleaned[17]:
        return _fail("id_checksum", f"身份证号校验位不正确（应为{expected}），请核对后重新填写。")
    return IdCheck(True, cleaned, None, None, born, "男" if cleaned[16] in "13579" else "女")  # type: ignore[arg-type]
