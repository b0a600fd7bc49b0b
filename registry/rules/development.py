"""Member-development (发展党员) stage rules: order, waiting periods, age and consistency of dates."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import NamedTuple, cast

from registry.display import cn_date
from registry.rules.categories import MEMBER_CATEGORIES, normalise_category, stage_index
from registry.rules.dates import PartialDate, add_months, parse_date
from registry.rules.deadlines import due_class, probation_end, talk_due, target_eligible_on
from registry.rules.idnumber import IdCheck, check_id
from registry.rules.memo import memo
from registry.rules.text import normalise_gender

# The rule periods and their arithmetic live in deadlines (probation_end, target_eligible_on stay importable here).
# The dated stages in pipeline order, with their labels and the category each date implies.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("applied_on", "申请入党日期", "入党申请人"),
    ("talked_on", "谈话日期", "入党申请人"),
    ("activist_on", "确定积极分子日期", "入党积极分子"),
    ("target_on", "列为发展对象日期", "发展对象"),
    ("joined_on", "入党时间", "预备党员"),
    ("full_on", "转正时间", "正式党员"),
)
LABELS = {key: label for key, label, _ in STAGES}
EXTENSION_RANGE = range(6, 13)
ADULT_YEARS = 18


class RuleIssue(NamedTuple):
    """One finding about one person."""

    rule: str  # stable id, e.g. 'stage_order'
    severity: str  # 'error' | 'warning'
    field: str  # the person field the issue is about
    message: str


@memo()
def _as_date(value: object) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, str):
        try:
            return PartialDate.from_iso(value.strip())
        except ValueError:
            pass
    check = parse_date(value)
    return check.value if check.ok else None


def _compare(a: PartialDate, b: PartialDate) -> int:
    """-1/0/1 at the coarser precision: 2020-05 and 2020-05-10 are equal here."""
    ka: tuple[int, ...]  # (year, month) or (year, month, day)
    kb: tuple[int, ...]
    if a.month_only or b.month_only:
        ka, kb = (a.year, a.month), (b.year, b.month)
    else:
        ka, kb = (a.year, a.month, a.day or 0), (b.year, b.month, b.day or 0)
    return (ka > kb) - (ka < kb)


def _certainly_before(a: PartialDate, b: PartialDate) -> bool:
    """Every day a may stand for is earlier than every day b may stand for."""
    return a.last_day() < b.first_day()


def _extension(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value != 0 else None


def _order_issues(dates: dict[str, PartialDate]) -> list[RuleIssue]:
    issues = []
    previous: tuple[str, PartialDate] | None = None
    for key, label, _ in STAGES:
        current = dates.get(key)
        if current is None:
            continue
        if previous is not None and _compare(current, previous[1]) < 0:
            earlier_label = LABELS[previous[0]]
            issues.append(RuleIssue("stage_order", "error", key,
                                    f"{label}（{current}）早于{earlier_label}（{previous[1]}），"
                                    "各阶段日期应依次在后，请核对。"))
        previous = (key, current)
    return issues


def _future_issues(dates: dict[str, PartialDate], today: datetime.date) -> list[RuleIssue]:
    now = PartialDate.from_date(today)
    return [RuleIssue("future_date", "error", key,
                      f"{label}（{cn_date(str(dates[key]))}）晚于今天（{cn_date(today)}），请核对是否填错。")
            for key, label, _ in STAGES if key in dates and _compare(dates[key], now) > 0]


def _age_issue(birth: PartialDate | None, dates: dict[str, PartialDate], category: str | None = None,
               today: datetime.date | None = None) -> list[RuleIssue]:
    if birth is None:
        return []
    # Conservative with month-only dates: the earliest possible 18th birthday against the latest possible
    # day of the stage; someone born on 29 February counts as 18 on 28 February.
    adult_on = add_months(birth.first_day(), 12 * ADULT_YEARS)
    issues = []
    applied, joined = dates.get("applied_on"), dates.get("joined_on")
    if applied is not None and applied.last_day() < adult_on:
        issues.append(RuleIssue("age_under_18", "error", "applied_on",
                                f"申请入党日期（{applied}）时未满18周岁（出生日期{birth}），"
                                "按规定年满18周岁才能申请入党，请核对。"))
    # A warning here (an import or an edit goes on): registers hold such records; `person rules` says it as an
    # error of the development record.
    if joined is not None and joined.last_day() < adult_on:
        issues.append(RuleIssue("age_admission", "warning", "joined_on",
                                f"入党时间（{joined}）时未满18周岁（出生日期{birth}），"
                                "按规定年满18周岁才能被接收入党，请核对。"))
    if (today is not None and category not in (None, "群众") and today < adult_on
            and applied is None and joined is None):
        issues.append(RuleIssue("minor_in_pipeline", "warning", "category",
                                f"现未满18周岁（出生日期{birth}），却登记为{category}，"
                                "年满18周岁才能申请入党，请核对身份证号或人员类别。"))
    return issues


def _interval_issues(dates: dict[str, PartialDate], extension: int | None) -> list[RuleIssue]:
    issues = []
    applied, talked = dates.get("applied_on"), dates.get("talked_on")
    if applied and talked and talked.first_day() > talk_due(applied).last_day():
        issues.append(RuleIssue("talk_late", "warning", "talked_on",
                                f"谈话日期（{talked}）距申请入党日期（{applied}）超过1个月，"
                                "按规定应在收到入党申请书后1个月内派人谈话，请核对。"))
    activist, target = dates.get("activist_on"), dates.get("target_on")
    if (activist and target and _compare(target, activist) >= 0
            and _certainly_before(target, target_eligible_on(activist))):
        issues.append(RuleIssue("activist_one_year", "error", "target_on",
                                f"列为发展对象日期（{target}）距确定积极分子日期（{activist}）不满一年，"
                                "按规定至少需培养考察一年，请核对。"))
    joined, full = dates.get("joined_on"), dates.get("full_on")
    if joined and full and _compare(full, joined) >= 0:
        months = extension if extension and extension > 0 else None
        end = probation_end(joined, months)
        if _certainly_before(full, end):
            if months:
                message = (f"转正时间（{full}）早于预备期满日期（{end}），入党时间为{joined}，"
                           f"预备期一年并延长{months}个月，请核对。")
            else:
                message = f"转正时间（{full}）距入党时间（{joined}）不满一年，预备期为一年，请核对。"
            issues.append(RuleIssue("probation_one_year", "error", "full_on", message))
    return issues


def _consistency_issues(person: Mapping[str, object], id_check: IdCheck) -> list[RuleIssue]:
    if not id_check.ok or id_check.birth_date is None:
        return []
    birth_value, gender_value = person.get("birth_date"), person.get("gender")
    if gender_value == id_check.gender and birth_value == id_check.birth_date.isoformat():
        return []  # the common case: both as the ID number says
    issues = []
    gender = normalise_gender(gender_value)
    if gender is not None and gender != id_check.gender:
        issues.append(RuleIssue("gender_mismatch", "error", "gender",
                                f"性别（{gender}）与身份证号显示的性别（{id_check.gender}）不一致，请核对。"))
    birth = _as_date(birth_value)
    id_birth = PartialDate.from_date(id_check.birth_date)
    if birth is not None and _compare(birth, id_birth) != 0:
        shown = PartialDate(id_birth.year, id_birth.month) if birth.month_only else id_birth
        issues.append(RuleIssue("birth_mismatch", "warning", "birth_date",
                                f"出生日期（{birth}）与身份证号中的出生日期（{shown}）不一致，请核对。"))
    return issues


def _category_issues(category: str | None, dates: dict[str, PartialDate], extension: int | None,
                     today: datetime.date) -> list[RuleIssue]:
    if category is None:
        return []
    issues = []
    joined = dates.get("joined_on")
    if category in MEMBER_CATEGORIES and joined is None:
        issues.append(RuleIssue("stage_missing", "warning", "joined_on",
                                f"人员类别为{category}，但没有填写入党时间，请补录。"))
    if category == "预备党员" and joined is not None and "full_on" not in dates:
        end = probation_end(joined, extension if extension and extension > 0 else None)
        if due_class("probation_end", end, today) == "overdue":  # as the due list says: its last day passed
            issues.append(RuleIssue("probation_overdue", "warning", "full_on",
                                    f"预备期已于{end}期满，但没有填写转正时间，请及时讨论转正"
                                    "（或延长预备期、取消预备党员资格）并补录转正时间。"))
    rank = stage_index(category)
    for key, label, implied in STAGES:
        if key in dates and stage_index(implied) > rank:
            issues.append(RuleIssue("category_dates", "warning", key,
                                    f"人员类别为{category}，却填写了{label}（{dates[key]}），二者不符，"
                                    "请核对人员类别或该日期。"))
    return issues


STAGE_KEYS = tuple(key for key, _, _ in STAGES)
# _stage_rules's memo key, as check_development builds it: (stage values, extension, category,
# (birth date, ID birth date) or None, today).
_StageKey = tuple[tuple[object, ...], object, object, tuple[object, datetime.date | None] | None, datetime.date]


def check_development(person: Mapping[str, object], today: datetime.date) -> list[RuleIssue]:
    """Every development-rule finding for one person record; missing fields are simply skipped."""
    id_check = check_id(person.get("id_number"))
    stage_values = tuple(person.get(key) for key in STAGE_KEYS)
    # The rules other than ID consistency depend on the dates, extension, category and birth date only.
    # The birth date matters to the age rules only: at application, at admission, or someone under 18 now (kept
    # out of the memo key otherwise, so that census rows still share a handful of combinations).
    born = id_check.birth_date
    young = born is not None and born > _young_after(today)
    needed = stage_values[0] is not None or stage_values[4] is not None or young
    # An adult at both stage dates and now: the age rules find nothing, whatever the birth date (so it stays out
    # of the memo key, and a census's members share their findings again).
    if needed and not young and _adult_throughout(person.get("birth_date"), born, stage_values, today):
        needed = False
    birth = (person.get("birth_date"), born) if needed else None
    # A cancelled 预备党员 (取消预备党员资格) is 群众 now and keeps her dates: they are history, not at odds.
    category = None if person.get("cancelled_on") else person.get("category")
    before, after = _stage_rules((stage_values, person.get("extension_months"), category, birth, today))
    return before + _consistency_issues(person, id_check) + after


def _adult_throughout(birth_value: object, id_birth: datetime.date | None, stage_values: tuple[object, ...],
                      today: datetime.date) -> bool:
    """Whether _age_issue cannot find anything: 18 (as it reckons) by the application and admission dates, and now."""
    adult_on = _adult_on(birth_value)
    if adult_on is None and id_birth is not None:
        adult_on = _adult_on(PartialDate.from_date(id_birth))  # as _stage_rules falls back on the ID's birth date
    if adult_on is None:
        return True
    if today < adult_on:
        return False
    for value in (stage_values[0], stage_values[4]):  # applied_on and joined_on (STAGE_KEYS order)
        last = _last_day(value)
        if last is not None and last < adult_on:
            return False
    return True


@memo()
def _adult_on(birth_value: object) -> datetime.date | None:
    """The 18th birthday _age_issue reckons from (the earliest possible one for a month-only birth date)."""
    birth = _as_date(birth_value)
    return None if birth is None else add_months(birth.first_day(), 12 * ADULT_YEARS)


@memo()
def _last_day(value: object) -> datetime.date | None:
    """The latest day a stage date can mean (its month's last day when only the month is known)."""
    stage = _as_date(value)
    return None if stage is None else stage.last_day()


@functools.lru_cache(maxsize=16)
def _young_after(today: datetime.date) -> datetime.date:
    """Born after this day: possibly under 18 at some stage (asked once per day, not once per person)."""
    return add_months(today, -12 * (ADULT_YEARS + 1))


@memo()
def _stage_rules(key: object) -> tuple[list[RuleIssue], list[RuleIssue]]:
    """The findings that come before and after the ID consistency checks in the report order.

    key: (stage values, extension, category, (birth date, ID birth date) or None, today).
    """
    # memo() wraps one-argument functions of object; the key is always a _StageKey (see check_development).
    stage_values, extension_value, category_value, birth_values, today = cast(_StageKey, key)
    dates = {k: d for k, value in zip(STAGE_KEYS, stage_values, strict=True) if (d := _as_date(value)) is not None}
    extension = _extension(extension_value)
    category = normalise_category(category_value)  # canonical values map to themselves
    birth = None
    if birth_values is not None:
        birth_value, id_birth = birth_values
        birth = _as_date(birth_value)
        if birth is None and id_birth is not None:
            birth = PartialDate.from_date(id_birth)
    issues = _order_issues(dates) + _future_issues(dates, today) + _age_issue(birth, dates, category, today)
    if extension is not None and extension not in EXTENSION_RANGE:
        issues.append(RuleIssue("extension_range", "error", "extension_months",
                                f"延长预备期为{extension}个月，按规定只能延长6至12个月，请核对。"))
    issues += _interval_issues(dates, extension)
    return issues, _category_issues(category, dates, extension, today)
