"""Moving a person along the development pipeline, and correcting stage dates, with the rules checked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from registry.errors import UserError
from registry.rules.categories import CATEGORIES, normalise_category, stage_index
from registry.rules.dates import PartialDate
from registry.rules.deadlines import probation_end
from registry.rules.dev_steps import BY_KEY, DATE_SUMMARY, ENTRY_KEY, Step
from registry.rules.development_checks import StepRecord, check_record
from registry.services.development_steps import records, write_step
from registry.services.people import prepare, require_person
from registry.storage.database import Registry, Tx

# The stage date each category is entered on.
STAGE_DATE = {
    "入党申请人": "applied_on",
    "入党积极分子": "activist_on",
    "发展对象": "target_on",
    "预备党员": "joined_on",
    "正式党员": "full_on",
}
STAGE_FIELDS = ("applied_on", "talked_on", "activist_on", "target_on", "joined_on", "full_on", "extension_months",
                "contacts", "introducers")


def next_category(category: str) -> str | None:
    i = stage_index(category)
    return CATEGORIES[i + 1] if i + 1 < len(CATEGORIES) else None


def advance_stage(reg: Registry, key: str | int, to: str, on: object, *, contacts: str | None = None,
                  introducers: str | None = None, fields: Mapping[str, object] | None = None,
                  override_reason: str | None = None) -> dict[str, tuple[Any, Any]]:
    """Move one step along 群众 → … → 正式党员 on the given date.

    fields: the entering step's fields (registry.rules.dev_steps: votes of the 支部大会, meeting_id …); with them,
    or for a person whose record is kept step by step, the entering step is recorded as a step row too. The
    mandatory steps before it must be recorded (unless they fell before the person was in the registry:
    历史档案), or the reason for going on without them given (override_reason, printed in the 纪实).
    转正时间 is the day probation ends; another day needs a reason.
    """
    target = normalise_category(to)
    if target is None or target == "群众":
        raise UserError(f"“{to}”不是可以推进到的阶段，请选择入党申请人、入党积极分子、发展对象、预备党员或正式党员。")
    with reg.transaction("development.advance") as tx:
        person = require_person(tx, key)
        expected = next_category(person["category"])
        if expected != target:
            raise UserError(
                f"{person['name']}目前是{person['category']}，下一阶段应为{expected or '（已是正式党员）'}，"
                f"不能直接转为{target}。"
            )
        if on in (None, ""):
            raise UserError(f"请填写{target}的日期。")
        changes: dict[str, object] = {"category": target, STAGE_DATE[target]: on}
        if target == "入党积极分子" and contacts is not None:
            changes["contacts"] = contacts
        if target == "发展对象" and introducers is not None:
            changes["introducers"] = introducers
        if target == "发展对象" and not (introducers or person.get("introducers")):
            raise UserError("列为发展对象需要确定两名正式党员作为入党介绍人，请填写入党介绍人。")
        values = prepare(tx, changes, person)
        day = str(values.get(STAGE_DATE[target]) or person.get(STAGE_DATE[target]) or "")
        if target == "正式党员":
            _check_full_on(person, day, override_reason)
        step = BY_KEY[ENTRY_KEY[target]]
        kept = tx.conn.execute("SELECT 1 FROM development_steps WHERE person_id = ? LIMIT 1",
                               (person["id"],)).fetchone() is not None
        check_missing(tx, {**person, **values}, step, day, override_reason)
        tx.summary(f"{person['name']} 转为{target}")
        diff = tx.update("people", person["id"], values, label=person["name"], old=person)
        if kept or fields or override_reason:
            write_step(tx, {**person, **values}, step, day, dict(fields or {}), override_reason)
        return diff


def _check_full_on(person: Mapping[str, Any], day: str, reason: str | None) -> None:
    """转正时间 is the day probation (and any extension) ends;党龄 counts from it."""
    try:
        joined = PartialDate.from_iso(str(person.get("joined_on") or ""))
        full = PartialDate.from_iso(day)
    except ValueError:
        return
    end = probation_end(joined, person.get("extension_months") or None)
    if end.month_only or full.month_only or full == end or full < end or (reason or "").strip():
        return  # too early is refused by the stage rules; a month-only date cannot be compared to the day
    raise UserError(f"转正时间应为预备期满之日（{end}），党龄自这一天算起；如按期讨论但确需改为{day}，请填写原因。")


def check_missing(tx: Registry | Tx, person: dict[str, Any], step: Step, day: str, reason: str | None) -> None:
    """The mandatory steps before this stage are recorded, or a reason is given (历史档案 excepted)."""
    recs = [*records(tx, person["id"]), StepRecord(step.key, day, {}, reason)]
    missing = [f for f in check_record(person, recs, date.today()) if f.rule == "step_missing"]
    if missing and not (reason or "").strip():
        labels = "、".join(BY_KEY[f.step].label for f in missing if f.step in BY_KEY)
        raise UserError(f"还没有登记这些步骤：{labels}。请先补录；确需继续的，请填写原因（将记入纪实）。")


def record_talk(reg: Registry, key: str | int, on: object) -> dict[str, tuple[Any, Any]]:
    """The talk with an applicant (within a month of the application)."""
    with reg.transaction("development.talk") as tx:
        person = require_person(tx, key)
        if stage_index(person["category"]) < 1:
            raise UserError(f"{person['name']}尚未递交入党申请书，请先将其登记为入党申请人。")
        values = prepare(tx, {"talked_on": on}, person)
        tx.summary(f"{person['name']} 入党申请谈话")
        return tx.update("people", person["id"], values, label=person["name"], old=person)


def extend_probation(reg: Registry, key: str | int, months: int, *, on: object = None,
                     fields: Mapping[str, object] | None = None) -> dict[str, tuple[Any, Any]]:
    """Extend a probationary member's year once, by 6 to 12 months; with the day of the 支部大会 (on) it is
    recorded as a step too, with its vote (fields)."""
    with reg.transaction("development.extend") as tx:
        person = require_person(tx, key)
        if person["category"] != "预备党员":
            raise UserError(f"{person['name']}不是预备党员，不能延长预备期。")
        if person.get("extension_months"):
            raise UserError(f"{person['name']}的预备期已延长过{person['extension_months']}个月，按规定只能延长一次。")
        if not 6 <= int(months) <= 12:
            raise UserError("延长预备期应为6至12个月，请重新填写。")
        values = prepare(tx, {"extension_months": int(months)}, person)
        tx.summary(f"{person['name']} 延长预备期{months}个月")
        diff = tx.update("people", person["id"], values, label=person["name"], old=person)
        if on not in (None, "") or fields:
            write_step(tx, {**person, **values}, BY_KEY["extension"], on, {**(fields or {}), "months": int(months)})
        return diff


def correct_stage(reg: Registry, key: str | int, **dates: object) -> dict[str, tuple[Any, Any]]:
    """Correct stage dates, contacts or introducers recorded earlier."""
    unknown = set(dates) - set(STAGE_FIELDS)
    if unknown:
        raise UserError(f"只能更正发展阶段的日期和联系人，不能在这里修改：{'、'.join(sorted(unknown))}。")
    with reg.transaction("development.correct") as tx:
        person = require_person(tx, key)
        values = prepare(tx, dates, person)
        tx.summary(f"{person['name']} 更正发展阶段信息")
        diff = tx.update("people", person["id"], values, label=person["name"], old=person)
        # A step recorded for a corrected date is corrected with it: the record and its summary say the same.
        for column, (_, new) in diff.items():
            step = DATE_SUMMARY.get(column)
            if step is None or not new:
                continue
            for (row_id,) in tx.conn.execute("SELECT id FROM development_steps WHERE person_id = ? AND step = ?",
                                             (person["id"], step.key)).fetchall():
                tx.update("development_steps", row_id, {"on_date": new}, label=person["name"])
        return diff
