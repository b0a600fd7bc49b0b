"""Turning raw person values (typed or read from a sheet) into clean stored values plus problems."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from registry.errors import UserError
from registry.fields import IMPORT_BY_KEY, PERSON_BY_KEY, STEP_FIELDS
from registry.rules.categories import flowing_hint, normalise_category
from registry.rules.dates import parse_date, to_iso
from registry.rules.dev_steps import RECOMMENDATION
from registry.rules.development import check_development
from registry.rules.idnumber import check_id
from registry.rules.membership import (
    LEFT_HOW,
    MANAGED_HOW,
    RELATIONS,
    normalise_left_how,
    normalise_managed_how,
    normalise_relation,
)
from registry.rules.memo import memo
from registry.rules.phone import check_phone
from registry.rules.text import (
    clean_text,
    has_hidden,
    is_common_han,
    normalise_bool,
    normalise_gender,
    normalise_name,
    outside_gbk,
    remove_hidden,
)


def normalise_recommendation(text: object) -> str | None:
    """推荐方式 as written in a census: 党员推荐 or 群团推优 (团组织推优, 工会推荐 …)."""
    value = str(text or "").strip()
    if value in RECOMMENDATION:
        return value
    if any(w in value for w in ("推优", "团", "工会", "妇联", "群团")):
        return "群团推优"
    if "党员" in value or value in ("个人推荐", "推荐"):
        return "党员推荐"
    return None


# Development rule ids as the import reports them (stable codes, see the import issue).
RULE_CODES = {"stage_order": "date_order", "future_date": "date_future"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value."""

    field: str
    level: str  # error | warning
    code: str
    message: str

    @property
    def label(self) -> str:
        f = IMPORT_BY_KEY.get(self.field)
        return f.label if f else self.field


def _whole_number(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().rstrip("个月人名"))
    except ValueError:
        return None
    return int(number) if number == int(number) else None


# Per-cell results are pure functions of (field, value): census columns repeat the same few values thousands of
# times (gender, category, outlet, dates), so each distinct cell is cleaned once per import. Names, ID numbers and
# phones are nearly all distinct and are cleaned directly.
class _Cell(NamedTuple):
    values: dict[str, Any]  # what the cell contributes to the cleaned record
    problems: tuple[Problem, ...]
    flowing_hint: bool | None = None  # 流动党员 / 在册党员 written in the category column


# 入党志愿书编号 too: one number per person, never repeated.
_UNCACHED = frozenset([*(f.key for f in PERSON_BY_KEY.values() if f.kind in ("id", "phone") or f.key == "name"),
                       "form_number"])
_CELL_CACHE_LIMIT = 20000
CellCleaner = Callable[[object], "_Cell"]


def _cell_cleaners(lenient_phone: bool) -> dict[str, CellCleaner]:
    """Per recognised field, its cell cleaner: memoised, except for the nearly-all-distinct fields."""
    def cleaner(key: str) -> CellCleaner:
        return functools.partial(_clean_cell, key, lenient_phone=lenient_phone,
                                 limit=MAX_CHARS.get(key, DEFAULT_MAX_CHARS))

    return {key: cleaner(key) if key in _UNCACHED else memo(_CELL_CACHE_LIMIT)(cleaner(key)) for key in IMPORT_BY_KEY}


def clear_cell_cache() -> None:
    for cleaners in _CLEANERS.values():
        for cleaner in cleaners.values():
            if hasattr(cleaner, "cache_clear"):
                cleaner.cache_clear()


# Longest text each field may hold: a longer cell is a paste gone wrong (a 10 MB name cell was seen), so it is
# a problem of that row. Names allow long transliterated minority names (阿卜杜热合曼·…); notes are free text.
MAX_CHARS = {"name": 50, "id_number": 40, "phone": 50, "notes": 2000, "introducers": 500, "contacts": 500,
             "address": 300, "household": 300, "native_place": 300, "home_organization": 200,
             "organization": 200, "outlet": 200, "brand": 100}
DEFAULT_MAX_CHARS = 100
# Over-long identity or category cells make the row unusable; elsewhere only that cell is left out.
_LONG_IS_ERROR = frozenset({"name", "id_number", "category"})


def _too_long(key: str, value: str, limit: int) -> _Cell:
    f = IMPORT_BY_KEY[key]
    if key in _LONG_IS_ERROR:
        return _Cell({}, (Problem(key, "error", "too_long",
                                  f"{f.label}有{len(value)}个字符，超过上限{limit}个，本行未导入；请检查该单元格是否误粘贴了大段内容。"),))
    return _Cell({}, (Problem(key, "warning", "too_long",
                              f"{f.label}有{len(value)}个字符，超过上限{limit}个，该项未导入；请检查该单元格是否误粘贴了大段内容。"),))


def _hidden_problem(key: str) -> Problem:
    label = IMPORT_BY_KEY[key].label
    return Problem(key, "warning", "hidden_chars",
                   f"{label}中有看不见的控制字符、零宽字符或方向控制符，已删除；请核对导入后的{label}是否正确。")


def _text_problems(key: str, text: str) -> tuple[str, tuple[Problem, ...]]:
    """Hidden characters removed (with a warning); characters outside GBK kept, with a warning."""
    label = IMPORT_BY_KEY[key].label
    found: list[Problem] = []
    if has_hidden(text):
        text = remove_hidden(text)
        found.append(_hidden_problem(key))
    odd = outside_gbk(text)
    if odd:
        found.append(Problem(key, "warning", "outside_gbk",
                             f"{label}含有表情符号或生僻字（{odd[:10]}），已照原样保留；上报系统和部分打印机可能无法显示，请核对。"))
    return text, tuple(found)


_CHOICES: dict[str, tuple[Callable[[object], str | None], tuple[str, ...]]] = {
    "relation": (normalise_relation, RELATIONS), "managed_how": (normalise_managed_how, MANAGED_HOW),
    "left_how": (normalise_left_how, LEFT_HOW), "recommendation": (normalise_recommendation, RECOMMENDATION)}
# A census's step columns (推荐方式, 审批时间…) never cost a row: what cannot be read is left out with a warning.
_STEP_KEYS = frozenset(f.key for f in STEP_FIELDS)


def _clean_cell(key: str, value: object, *, lenient_phone: bool, limit: int = DEFAULT_MAX_CHARS) -> _Cell:
    """One recognised field's value: what it contributes to the record, and its problems."""
    cell = _clean_value(key, value, lenient_phone=lenient_phone, limit=limit)
    if key in _STEP_KEYS and any(p.level == "error" for p in cell.problems):
        return _Cell({}, tuple(Problem(p.field, "warning", p.code, f"{p.message.rstrip('。')}；该项未导入。")
                               for p in cell.problems))
    return cell


def _clean_value(key: str, value: object, *, lenient_phone: bool, limit: int = DEFAULT_MAX_CHARS) -> _Cell:
    # Padding alone is no problem: only the folded text counts (computed only for long cells).
    if value.__class__ is str and len(value) > limit and len(" ".join(value.split())) > limit:
        return _too_long(key, value, limit)
    f = IMPORT_BY_KEY[key]
    if f.kind == "id":
        check = check_id(value)
        if check.ok:
            return _Cell({key: check.number, "_id_birth": check.birth_date, "_id_gender": check.gender}, ())
        return _Cell({}, (Problem(key, "error", check.code or "id_format", check.message or "身份证号不正确。"),))
    if f.kind == "date":
        d = parse_date(value)
        if not d.ok:
            return _Cell({}, (Problem(key, "error", d.code or "date_format",
                                      f"{f.label}：{d.message}" if d.message else f"{f.label}无法识别，请按2020-01-15格式填写。"),))
        found: tuple[Problem, ...] = ()
        if d.warning and d.message:
            found = (Problem(key, "warning", d.code or "date_ambiguous", f"{f.label}：{d.message}"),)
        return _Cell({key: str(d.value) if d.value else None}, found)
    if f.kind == "phone":
        p = check_phone(value)
        if p.ok:
            return _Cell({key: p.number}, ())
        problem = Problem(key, "warning" if lenient_phone else "error", "phone_format",
                          p.message or "联系电话格式不正确，请核对。")
        return _Cell({key: clean_text(value)} if lenient_phone else {}, (problem,))
    if f.kind == "category":
        text = clean_text(value)
        if text is None:
            return _Cell({key: None}, ())
        cat = normalise_category(text)
        if cat is None:
            return _Cell({}, (Problem(key, "error", "category_unknown",
                                      f"人员类别“{text}”无法识别，请填写群众、入党申请人、入党积极分子、发展对象、预备党员或正式党员。"),))
        hint = flowing_hint(text)
        return _Cell({key: cat}, (), hint if cat in ("预备党员", "正式党员") else None)
    if f.kind == "gender":
        text = clean_text(value)
        g = normalise_gender(value)
        if text is not None and g is None:
            return _Cell({key: g}, (Problem(key, "warning", "gender_unknown", f"性别“{text}”无法识别，已按身份证号推算。"),))
        return _Cell({key: g}, ())
    if f.kind == "bool":
        return _Cell({key: normalise_bool(value)}, ())
    if f.kind in _CHOICES:
        text = clean_text(value)
        if text is None:
            return _Cell({key: None}, ())
        normalise, allowed = _CHOICES[f.kind]
        choice = normalise(text)
        if choice is None:
            return _Cell({}, (Problem(key, "error", f"{f.kind}_unknown",
                                      f"{f.label}“{text}”无法识别，请填写{'、'.join(allowed)}之一。"),))
        return _Cell({key: choice}, ())
    if f.kind == "int":
        n = _whole_number(value)
        text = clean_text(value)
        if text is not None and n is None:
            return _Cell({key: n}, (Problem(key, "error", "number_format", f"{f.label}“{text}”应为整数，请核对。"),))
        return _Cell({key: n}, ())
    if key == "name":
        if value.__class__ is str and is_common_han(value):  # the common case: nothing hidden, all in GBK
            return _Cell({key: value}, ())
        hidden: tuple[Problem, ...] = ()
        if isinstance(value, str):
            folded = " ".join(value.split())  # line breaks and tabs are folded silently, as always
            if has_hidden(folded):
                value, hidden = _text_problems(key, folded)[0], (_hidden_problem(key),)
        name = normalise_name(value) if value is not None else ""
        odd = _text_problems(key, name)[1] if name and not is_common_han(name) else ()
        return _Cell({key: name or None}, hidden + odd)
    text = clean_text(value)
    if text is None or (text.isascii() and text.isprintable()):
        return _Cell({key: text}, ())
    text, found = _text_problems(key, text)
    return _Cell({key: text or None}, found)


def clean_person(raw: Mapping[str, object], *, lenient_phone: bool = False) -> tuple[dict[str, Any], list[Problem]]:
    """Normalise every recognised field present in raw.

    Empty values come back as None so that callers can decide whether a blank may overwrite
    (it may not, on import). With lenient_phone an unreadable phone is kept as text with a warning
    instead of being an error, so that a census row is not lost over a typo in the phone column.
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    cleaners = _CLEANERS[lenient_phone]
    for key, value in raw.items():
        cleaner = cleaners.get(key)
        if cleaner is None:
            continue
        cell = cleaner(value)
        out.update(cell.values)
        if cell.problems:
            problems.extend(cell.problems)
        if cell.flowing_hint is not None and clean_text(raw.get("flowing")) is None:
            out["flowing"] = cell.flowing_hint
    return out, problems


_CLEANERS = {lenient: _cell_cleaners(lenient) for lenient in (False, True)}


def cell_cleaners(lenient_phone: bool) -> Mapping[str, CellCleaner]:
    """The per-cell cleaners clean_person applies, by field (the import's column checks fall back on them)."""
    return _CLEANERS[lenient_phone]


def derive_from_id(values: dict[str, Any], problems: list[Problem], *, id_wins: bool = False) -> None:
    """Fill birth date and gender from the ID number.

    With id_wins (census imports) the ID number is taken as the authority: a typed birth date or sex that
    disagrees is replaced by the ID's, with a warning, instead of rejecting the whole row.
    """
    birth = values.pop("_id_birth", None)
    gender = values.pop("_id_gender", None)
    if birth is None:
        return
    typed = values.get("birth_date")
    if not typed:
        values["birth_date"] = birth.isoformat()
    elif id_wins:
        # Excel turns a typed month (1985.3) into the 1st of that month, so a 1st that matches the month is fine.
        same_month = typed.endswith("-01") and birth.isoformat()[:7] == typed[:7]
        if not birth.isoformat().startswith(typed) and not same_month:
            problems.append(Problem("birth_date", "warning", "birth_mismatch",
                                    f"出生日期（{typed}）与身份证号中的出生日期（{birth.isoformat()}）不一致，已按身份证号登记，请核对。"))
        values["birth_date"] = birth.isoformat()
    if values.get("gender") is None:
        values["gender"] = gender
    elif id_wins and values["gender"] != gender:
        problems.append(Problem("gender", "warning", "gender_mismatch",
                                f"性别（{values['gender']}）与身份证号显示的性别（{gender}）不一致，已按身份证号登记，请核对。"))
        values["gender"] = gender


def development_problems(record: Mapping[str, Any], today: date | None = None) -> list[Problem]:
    """The development-stage rules applied to a whole (merged) person record."""
    issues = check_development(record, today or date.today())
    return [Problem(i.field, i.severity, RULE_CODES.get(i.rule, i.rule), i.message) for i in issues]


def same_as_stored(stored: Any, value: object) -> bool:
    """A value handed back to an edit exactly as it is stored (None and blank alike): no change, never re-cleaned."""
    text = "" if value is None else str(value).strip()
    return text == ("" if stored is None else str(stored))


def user_date(label: str, value: object, *, required: bool = False, day: bool = False) -> str | None:
    """A date a use case takes directly (not a person field): stored form, or a UserError naming the field."""
    try:
        iso = to_iso(value)
    except ValueError as exc:
        raise UserError(f"{label}：{exc}") from exc
    if required and not iso:
        raise UserError(f"请填写{label}。")
    if day and iso and len(iso) == 7:
        raise UserError(f"{label}需要具体到日，请按2026-11-05格式填写。")
    return iso
