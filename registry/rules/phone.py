"""Phone numbers as people type them: mobiles and landlines (with extensions) into one stored form.

A cell may hold several numbers ("138…/139…", "021-…；138…"); the first one that reads as a
valid number is kept and the rest are dropped, because the registry keeps one contact number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

_FAST_MOBILE = re.compile(r"1[3-9][0-9]{9}").fullmatch

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LOCAL = re.compile(r"[1-9]\d{6,7}")
_EXTENSION_DIGITS = re.compile(r"\d{1,6}")
# Between numbers in one cell (full-width forms are folded to these by NFKC first).
_BETWEEN_NUMBERS = re.compile(r"[/,;、\n|]|或")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:联系电话|手机号码|手机号|手机|电话|座机|固话|办公电话|tel|mobile|mob)\s*:?\s*",
                    re.IGNORECASE)
_GROUP_SEPARATORS = re.compile(r"[\s\-.()\[\]—–~]+")
_FLOAT_TEXT = re.compile(r"(\d+)\.0+")


class PhoneCheck(NamedTuple):
    """The outcome of reading one phone cell."""

    ok: bool
    number: str | None  # '13812345678', '021-12345678' or '0755-1234567转123'
    kind: str | None  # 'mobile' | 'landline' | None
    code: str | None  # None or 'phone_format'
    message: str | None


def _landline(digits: str) -> tuple[str, str] | None:
    """Split area code and local number; 010 and 02X are the only three-digit area codes."""
    if not digits.startswith("0") or digits.startswith("00"):
        return None
    size = 3 if digits.startswith(("010", "02")) else 4
    area, local = digits[:size], digits[size:]
    return (area, local) if _LOCAL.fullmatch(local) else None


def _drop_country_code(groups: list[str]) -> list[str] | None:
    """Remove +86 / 0086 / 86; after an explicit country code the area code loses its leading 0."""
    first = groups[0]
    for prefix in ("+86", "0086"):
        if first.startswith(prefix):
            rest = [first[len(prefix):], *groups[1:]]
            rest = [g for g in rest if g]
            if rest and rest[0] == "0" and len(rest) > 1:  # +86 (0)21 …
                rest = [rest[0] + rest[1], *rest[2:]]
            if rest and not rest[0].startswith(("0", "1")):
                rest[0] = "0" + rest[0]
            return rest or None
    if first.startswith("+"):
        return None  # a foreign number
    joined = "".join(groups)
    if joined.startswith("86") and _MOBILE.fullmatch(joined[2:]):
        return [joined[2:]]
    return groups


def _read_one(text: str) -> tuple[str, str] | None:
    """(kind, normalised number) for one candidate number, or None."""
    text = _LABEL.sub("", text.strip())
    extension: str | None = None
    if match := _EXTENSION.search(text):
        extension = match.group(1)
        text = text[: match.start()]
    if float_text := _FLOAT_TEXT.fullmatch(text.strip()):  # a number cell exported as '13812345678.0'
        text = float_text.group(1)
    groups = [g for g in _GROUP_SEPARATORS.split(text) if g]
    if not groups:
        return None
    dropped = _drop_country_code(groups)
    if dropped is None or not all(g.isascii() and g.isdigit() for g in dropped):
        return None
    groups = dropped
    digits = "".join(groups)
    if extension is None and _MOBILE.fullmatch(digits):
        return "mobile", digits
    split = _landline(digits)
    if split is None and extension is None and len(groups) >= 3 and _EXTENSION_DIGITS.fullmatch(groups[-1]):
        # 0755-1234567-123: the last group is an extension
        split = _landline("".join(groups[:-1]))
        extension = groups[-1] if split else None
    if split is None:
        return None
    area, local = split
    return "landline", f"{area}-{local}" + (f"转{extension}" if extension else "")


def _candidates(text: str) -> list[str]:
    parts = [p for p in _BETWEEN_NUMBERS.split(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        out.append(part)
        words = part.split()
        if len(words) > 1:  # two numbers separated only by a space
            out.extend(words)
    return out


def check_phone(value: object) -> PhoneCheck:
    """Read a phone cell; empty is fine (number None); of several numbers the first valid one is kept."""
    if value.__class__ is str and _FAST_MOBILE(value):  # the common, tidy case
        return PhoneCheck(True, value, "mobile", None, None)
    if value is None:
        return PhoneCheck(True, None, None, None, None)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return PhoneCheck(True, None, None, None, None)
    # A fractional number or a yes/no cell cannot be a phone number, however its digits line up.
    if not isinstance(value, bool | float) or text.isdigit():
        for candidate in _candidates(text):
            found = _read_one(candidate)
            if found is not None:
                return PhoneCheck(True, found[1], found[0], None, None)
    return PhoneCheck(False, None, None, "phone_format",
                      f"联系电话“{text}”不是有效的手机号或带区号的固定电话，"
                      "请填写11位手机号，或如“021-12345678”的固定电话。")
