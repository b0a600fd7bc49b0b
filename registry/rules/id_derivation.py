"""What an ID number being typed yields for the fields derived from it (birth date, sex), and conflicts with them.

A form checks the number after every keystroke. The first 15 digits of an 18-digit number look exactly like an
old 15-digit number (3101202009050100… reads as born 1920-09-05), so a number yields derived values only once it
is complete: 18 characters, or 15 digits when the user has finished editing the field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from registry.display import cn_date
from registry.rules.dates import parse_date
from registry.rules.idnumber import IdCheck, check_id

_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_TYPING = re.compile(r"\d{0,17}|\d{17}X")  # what a number can look like on its way to 18 characters


class IdReading(NamedTuple):
    """An ID number field's text read as it stands: state is empty, partial, invalid or complete."""

    state: str
    message: str  # what to show under the field (Chinese); empty for an empty field
    number: str | None = None  # the normalised 18-character number when complete
    birth_date: str | None = None  # ISO date from the number when complete
    gender: str | None = None

    @property
    def derived(self) -> dict[str, str | None]:
        """The derived field values, or nothing while the number is not complete."""
        return {"birth_date": self.birth_date, "gender": self.gender} if self.state == "complete" else {}


def read_id(text: str, *, finished: bool) -> IdReading:
    """Read an ID field's text; finished says the user has left the field (or is saving)."""
    cleaned = _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()
    if not cleaned:
        return IdReading("empty", "")
    if len(cleaned) < 18 and not finished and _TYPING.fullmatch(cleaned):
        note = "；如是旧式15位号码，输入完成后离开此栏即可读取" if len(cleaned) == 15 else ""
        return IdReading("partial", f"已输入{len(cleaned)}位，身份证号共18位{note}。")
    check: IdCheck = check_id(cleaned)
    if not check.ok or check.birth_date is None:
        return IdReading("invalid", check.message or "身份证号不正确，请核对。")
    upgraded = "（由旧式15位号码换算）" if check.upgraded else ""
    return IdReading("complete", f"✓ {check.number}{upgraded}　出生 {check.birth_date}　{check.gender}", check.number,
                     check.birth_date.isoformat(), check.gender)


def birth_agrees(id_birth: str, typed: str | None) -> bool:
    """A typed birth date agrees with the number's when it is the same day, or the same month given as a month."""
    if not typed or not typed.strip():
        return True
    parsed = parse_date(typed)
    if not parsed.ok or parsed.value is None:
        return True  # an unreadable date gets its own message from the date check
    return id_birth.startswith(str(parsed.value))


def conflicts(reading: IdReading, birth_date: str | None, gender: str | None) -> dict[str, str]:
    """Per field, the sentence saying how a typed value disagrees with the complete number; empty when they agree."""
    out: dict[str, str] = {}
    if reading.state != "complete" or reading.birth_date is None:
        return out
    if not birth_agrees(reading.birth_date, birth_date):
        out["birth_date"] = f"与身份证号中的出生日期（{cn_date(reading.birth_date)}）不一致。"
    if gender and reading.gender and gender != reading.gender:
        out["gender"] = f"与身份证号显示的性别（{reading.gender}）不一致。"
    return out


def save_check(reading: IdReading, birth_date: str | None, gender: str | None) -> tuple[str, str] | None:
    """What saving does about a conflict: ("block", sentence) or ("ask", question), None when there is none.

    A sex at odds with the number is refused by the development rules, so it blocks; a birth date only draws a
    warning there (documents do differ), so the user is asked once.
    """
    found = conflicts(reading, birth_date, gender)
    if "gender" in found:
        return "block", f"性别（{gender}）与身份证号显示的性别（{reading.gender}）不一致，请改正性别或身份证号后再保存。"
    if "birth_date" in found:
        return "ask", (f"出生日期（{cn_date(birth_date)}）与身份证号中的出生日期（{cn_date(reading.birth_date)}）不一致，"
                       "确定按填写的出生日期保存吗？")
    return None
