"""Moving a person along the development pipeline, and correcting stage dates, with the rules checked."""

from __future__ import annotations

from typing import Any

from registry.errors import UserError
from registry.rules.categories import CATEGORIES, normalise_category, stage_index
from registry.services.people import prepare, require_person
from registry.storage.database import Registry

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
                  introducers: str | None = None) -> dict[str, tuple[Any, Any]]:
    """Move one step along 群众 → … → 正式党员 on the given date."""
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
        tx.summary(f"{person['name']} 转为{target}")
        return tx.update("people", person["id"], values, label=person["name"], old=person)


def record_talk(reg: Registry, key: str | int, on: object) -> dict[str, tuple[Any, Any]]:
    """The talk with an applicant (within a month of the application)."""
    with reg.transaction("development.talk") as tx:
        person = require_person(tx, key)
        if stage_index(person["category"]) < 1:
            raise UserError(f"{person['name']}尚未递交入党申请书，请先将其登记为入党申请人。")
        values = prepare(tx, {"talked_on": on}, person)
        tx.summary(f"{person['name']} 入党申请谈话")
        return tx.update("people", person["id"], values, label=person["name"], old=person)


def extend_probation(reg: Registry, key: str | int, months: int) -> dict[str, tuple[Any, Any]]:
    """Extend a probationary member's year once, by 6 to 12 months."""
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
        return tx.update("people", person["id"], values, label=person["name"], old=person)


def correct_stage(reg: Registry, key: str | int, **dates: object) -> dict[str, tuple[Any, Any]]:
    """Correct stage dates, contacts or introducers recorded earlier."""
    unknown = set(dates) - set(STAGE_FIELDS)
    if unknown:
        raise UserError(f"只能更正发展阶段的日期和联系人，不能在这里修改：{'、'.join(sorted(unknown))}。")
    with reg.transaction("development.correct") as tx:
        person = require_person(tx, key)
        values = prepare(tx, dates, person)
        tx.summary(f"{person['name']} 更正发展阶段信息")
        return tx.update("people", person["id"], values, label=person["name"], old=person)
