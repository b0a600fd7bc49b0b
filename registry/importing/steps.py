"""Census columns of development steps (推荐方式, 志愿书编号, 审批时间…): the steps to write, and the checks on import.

Steps whose date the people table keeps (确定为积极分子时间, 入党时间 = 支部大会, 培养联系人, 入党介绍人…) stay people
columns, as the roster, statistics and checks read them. The columns here have no people column: each becomes a
step row written with write_step in the import's transaction (so undo of the batch removes it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.fields import IMPORT_BY_KEY, STEP_FIELDS
from registry.rules.dates import PartialDate
from registry.rules.deadlines import APPROVAL_MONTHS, approval_late
from registry.rules.dev_steps import BY_KEY, ENTRY_KEY
from registry.rules.development import STAGE_KEYS
from registry.rules.development_checks import StepRecord, check_record, reached_category
from registry.rules.memo import memo
from registry.validation import Problem

STEP_KEYS = frozenset(f.key for f in STEP_FIELDS)


@dataclass(frozen=True)
class StepColumns:
    """The census columns of one step: its date column, its field columns, and the stage date standing in for a
    missing date (the step comes before that stage, so its day is the latest the step can have been on)."""

    step: str
    date: str
    fields: tuple[tuple[str, str], ...] = ()  # (census column key, the step's field key)
    fallback: str | None = None  # people column


COLUMNS: tuple[StepColumns, ...] = (
    StepColumns("activist_recommendation", "recommended_on", (("recommendation", "method"),), "activist_on"),
    StepColumns("application_form", "form_on", (("form_number", "number"),), "joined_on"),
    StepColumns("admission_approval", "approved_on"),
    StepColumns("oath", "oath_on"),
    StepColumns("full_approval", "full_approved_on"),
)
# The findings of the development checks an import lists, as warnings (an import never fails over them):
# a mandatory step missing while the person was in these records, and the order of the steps it writes.
IMPORT_RULES = frozenset({"step_missing", "step_order", "approval_late", "future_date"})


@dataclass(frozen=True, slots=True)
class StepWrite:
    """One step an import writes: the step key, its day, its fields, and whether the day stands in (fallback)."""

    step: str
    on: str
    fields: Mapping[str, Any]
    fallback: str | None = None


def planned_steps(person: Mapping[str, Any], given: Mapping[str, Any], today: date) -> tuple[list[StepWrite],
                                                                                             list[Problem]]:
    """The steps a row's step columns ask for, given the row merged with the stored person; and why any is left out."""
    writes: list[StepWrite] = []
    problems: list[Problem] = []
    for cols in COLUMNS:
        step = BY_KEY[cols.step]
        fields = {fk: given[ck] for ck, fk in cols.fields if given.get(ck) not in (None, "")}
        on = given.get(cols.date)
        if on is None and not fields:
            continue
        fallback = None
        if on is None:
            on = person.get(cols.fallback) if cols.fallback else None
            if on is None:
                labels = "、".join(IMPORT_BY_KEY[ck].label for ck, _ in cols.fields if ck in {
                    k for k, v in given.items() if v not in (None, "")})
                problems.append(Problem(cols.fields[0][0], "warning", "step_undated",
                                        f"填写了{labels}，但没有“{step.label}”的日期"
                                        + (f"，也没有{IMPORT_BY_KEY[cols.fallback].label}" if cols.fallback else "")
                                        + "，该项未导入；请补填日期后重新导入，或在发展党员记录中登记。"))
                continue
            fallback = cols.fallback
        missing = [f for f in step.fields if f.required and f.kind != "votes" and f.key not in fields]
        if missing:
            problems.append(Problem(cols.date, "warning", "step_incomplete",
                                    f"填写了“{step.label}”的日期，但没有{missing[0].label}，该项未导入；"
                                    "请补填后重新导入，或在发展党员记录中登记。"))
            continue
        if str(on) > today.isoformat():
            problems.append(Problem(cols.date, "warning", "step_future",
                                    f"“{step.label}”的日期{on}晚于今天，该项未导入；请核对是否填错。"))
            continue
        writes.append(StepWrite(cols.step, str(on), fields, fallback))
    return writes, problems


def stored_differs(write: StepWrite, stored: Mapping[str, Any]) -> Problem | None:
    """A step the registry holds already: nothing to write when the census agrees, else a warning (never a change:
    the record kept step by step wins over a census column)."""
    same = all(stored["fields"].get(k) == v for k, v in write.fields.items())
    if same and (write.fallback or stored["on_date"] == write.on):
        return None  # a stand-in day says nothing against the day recorded
    step = BY_KEY[write.step]
    shown = "、".join([write.on, *(str(v) for v in write.fields.values())])
    return Problem(next(c.date for c in COLUMNS if c.step == write.step), "warning", "step_recorded",
                   f"“{step.label}”已登记为{stored['on_date']}，与表中的{shown}不同，未改动；如需更正，请在发展党员记录中修改。")


def may_miss_steps(person: Mapping[str, Any], entered: str, has_steps: bool) -> bool:
    """Whether the development checks could find a step missing (not merely 未录入（历史档案）): some stage date on
    or after the day the person entered the records, or no date for her stage while steps are kept for her.
    Cheap, so that a census of 100,000 runs the checks only on the few it concerns."""
    category = reached_category(person)
    if category == "群众":
        return False
    days = [str(person[k]) for k in STAGE_KEYS if person.get(k)]
    if any(_first_day(d) >= entered for d in days):
        return True
    entry = BY_KEY[ENTRY_KEY[category]].summary
    return has_steps and not person.get(entry or "")


def _first_day(value: str) -> str:
    return f"{value}-01" if len(value) == 7 else value


def import_findings(person: Mapping[str, Any], stored: Sequence[StepRecord], writes: Sequence[StepWrite],
                    today: date) -> list[Problem]:
    """The development checks on a census row, as warnings: steps missing while she was in the records, and the
    order of the steps the import writes."""
    written = {w.step for w in writes}
    records = [*stored, *(StepRecord(w.step, w.on, dict(w.fields)) for w in writes)]
    out = []
    for f in check_record(person, records, today):
        if f.rule not in IMPORT_RULES or (f.rule != "step_missing" and f.step not in written):
            continue
        out.append(Problem(_column(f.step), "warning", f.rule, f"{f.message}（{f.article}）"))
    return out


def _column(step: str | None) -> str:
    """The census column a finding about a step is shown under ('' when the step has none)."""
    for cols in COLUMNS:
        if cols.step == step:
            return cols.date
    summary = BY_KEY[step].summary if step in BY_KEY else None
    return summary if summary in IMPORT_BY_KEY else ""


@memo()
def _day(value: object) -> PartialDate | None:
    """A stored date (census dates repeat: remembered)."""
    try:
        return PartialDate.from_iso(str(value)) if value else None
    except ValueError:
        return None


# The people column holding each step's date, where one does (the stage dates).
_DATE_COLUMN = {s.key: s.summary for s in BY_KEY.values() if s.summary and s.summary.endswith("_on")}


def order_of_writes(person: Mapping[str, Any], writes: Sequence[StepWrite]) -> list[Problem]:
    """The order checks on the steps an import writes, against the stage dates of the row and each other: the
    same sentences as the development checks, without running them whole on every census row."""
    written = {w.step: w.on for w in writes}

    def date_of(key: str) -> PartialDate | None:
        column = _DATE_COLUMN.get(key)
        return _day(written.get(key) or (person.get(column) if column else None))

    out = []
    for w in writes:
        step, on = BY_KEY[w.step], _day(w.on)
        if on is None:
            continue
        for key in step.after:
            earlier = date_of(key)
            if earlier is not None and on.last_day() < earlier.first_day():
                out.append(Problem(_column(w.step), "warning", "step_order",
                                   f"{step.label}（{on}）早于{BY_KEY[key].label}（{earlier}），各步骤应依次进行，请核对日期"
                                   f"（{step.article}）。"))
        meeting = date_of("admission_meeting") if w.step == "admission_approval" else None
        if meeting is not None and approval_late(meeting, on):
            out.append(Problem(_column(w.step), "warning", "approval_late",
                               f"上级党委审批（{on}）距支部大会（{meeting}）超过{APPROVAL_MONTHS}个月，基层党委应在"
                               f"{APPROVAL_MONTHS}个月内审批（{step.article}）。"))
    return out
