"""People: add, edit, delete and read one person, with every rule checked before anything is written."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from registry.errors import UserError
from registry.fields import PERSON_BY_KEY
from registry.person_keys import person_keys
from registry.rules.idnumber import check_id
from registry.rules.membership import relation_for_flowing
from registry.rules.text import garbled_message, looks_garbled
from registry.services.history import forget_person
from registry.services.organizations import require_org
from registry.services.outlets import require_outlet
from registry.services.search import PEOPLE_SELECT
from registry.storage.database import Registry, Tx
from registry.validation import (
    Problem,
    clean_person,
    derive_from_id,
    development_problems,
    same_as_stored,
    user_date,
)

REF_FIELDS = ("organization", "outlet", "brand")
STORED_FIELDS = tuple(k for k in PERSON_BY_KEY if k not in REF_FIELDS)
BOOL_FIELDS = ("flowing", "lost_contact")


def _first_error(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise UserError(errors[0].message)


def find_person(reg: Registry | Tx, key: str | int) -> dict[str, Any] | None:
    """A person's stored row by database id or by ID number (any accepted spelling)."""
    if isinstance(key, int):
        cur = reg.conn.execute("SELECT * FROM people WHERE id = ?", (key,))
    else:
        check = check_id(key)
        if not check.ok:
            raise UserError(check.message or "身份证号不正确，请核对。")
        cur = reg.conn.execute("SELECT * FROM people WHERE id_number = ?", (check.number,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def require_person(reg: Registry | Tx, key: str | int) -> dict[str, Any]:
    person = find_person(reg, key)
    if person is None:
        raise UserError(f"找不到身份证号为“{key}”的人员，请检查号码或先添加该人员。")
    return person


def _resolve_refs(tx: Tx, raw: Mapping[str, object], values: dict[str, Any]) -> None:
    if "outlet" in raw:
        name = str(raw["outlet"] or "").strip()
        values["outlet_id"] = require_outlet(tx, name, str(raw.get("brand") or "") or None)["id"] if name else None
    if "organization" in raw:
        name = str(raw["organization"] or "").strip()
        values["organization_id"] = require_org(tx, name)["id"] if name else None


def refuse_garbled_name(fields: Mapping[str, object]) -> None:
    """A name mangled on its way in (乱码) is refused with a sentence, never stored."""
    name = fields.get("name")
    if isinstance(name, str) and looks_garbled(name):
        raise UserError(garbled_message("姓名", name))


def prepare(tx: Tx, raw: Mapping[str, object], current: Mapping[str, Any] | None,
            today: date | None = None) -> dict[str, Any]:
    """Validated column values for a new person or for changes to `current`; raises UserError."""
    unknown = set(raw) - set(PERSON_BY_KEY)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    if current is not None:  # a value handed back exactly as stored is no change, even one today's rules would refuse
        raw = {k: v for k, v in raw.items() if k in REF_FIELDS or not same_as_stored(current.get(k), v)}
    refuse_garbled_name(raw)  # before clean-up would quietly strip what gave it away
    values, problems = clean_person({k: v for k, v in raw.items() if k not in REF_FIELDS})
    _first_error(problems)
    derive_from_id(values, problems)
    for key in BOOL_FIELDS:
        if key in values:
            values[key] = 1 if values[key] else 0
    _settle_relation(values, current)
    _check_managed(values, current, today or date.today())
    if current is None:
        if not values.get("name"):
            raise UserError("姓名不能为空，请填写。")
        if not values.get("id_number"):
            raise UserError("公民身份号码不能为空，请填写18位身份证号。")
        values["category"] = values.get("category") or "群众"
    else:
        if "name" in values and not values["name"]:
            raise UserError("姓名不能为空；如需删除人员，请使用删除功能。")
        if "id_number" in values and not values["id_number"]:
            raise UserError("公民身份号码不能清空，请填写18位身份证号。")
        if "category" in values and not values["category"]:
            values["category"] = current["category"]
    if values.get("status") not in (None, "正常", "停止党籍"):
        raise UserError(f"党籍状态“{values['status']}”不正确，应为“正常”或“停止党籍”。")
    number = values.get("id_number")
    if number and (current is None or number != current["id_number"]):
        other = tx.conn.execute("SELECT name FROM people WHERE id_number = ?", (number,)).fetchone()
        if other:
            raise UserError(f"身份证号{number}已登记在“{other[0]}”名下，同一个人不能重复登记。")
    _resolve_refs(tx, raw, values)
    if current is not None:
        values = {k: v for k, v in values.items() if current.get(k) != v}
        if not values:
            return {}
    merged = {**(current or {}), **values}
    problems = development_problems(merged, today)
    if current is not None:  # only what this change breaks; a record already at odds stays editable
        known = {(p.field, p.code) for p in development_problems(current, today)}
        problems = [p for p in problems if (p.field, p.code) not in known]
    _first_error(problems)
    now = datetime.now().isoformat(timespec="seconds")
    if current is None or {"name", "id_number", "phone"} & set(values):
        values.update(person_keys(merged["name"], merged["id_number"], merged.get("phone")))
    values["updated_at"] = now
    if current is None:
        values["created_at"] = now
    return values


def _settle_relation(values: dict[str, Any], current: Mapping[str, Any] | None) -> None:
    """Keep relation (在册/流入/流出/待核实) and the 流入 flag `flowing` saying the same thing."""
    stored = current.get("relation") if current else None
    if values.get("relation"):
        relation = values["relation"]
    elif "flowing" in values and values["flowing"] is not None:
        relation = relation_for_flowing(bool(values["flowing"]), stored)
    else:
        values.pop("relation", None)
        return
    values["relation"] = relation
    values["flowing"] = 1 if relation == "流入" else 0


def _check_managed(values: dict[str, Any], current: Mapping[str, Any] | None, today: date) -> None:
    """纳入管理日期 is a whole day, not in the future, and not after the day the person left."""
    day = values.get("managed_from")
    if not day:
        if "managed_from" in values and current is not None and current.get("managed_from"):
            raise UserError("纳入管理日期不能清空；如日期有误，请改为正确的日期。")
        return
    if len(day) != 10:
        raise UserError(f"纳入管理日期“{day}”只写到了月，请写到日（如{day}-01），报表按这一天计入人数。")
    if day > today.isoformat():
        raise UserError(f"纳入管理日期{day}晚于今天，请填写实际纳入管理的日期。")
    left = values.get("left_on") or (current or {}).get("left_on")
    if left and left < day:
        raise UserError(f"纳入管理日期{day}晚于离开日期{left}，请核对这两个日期。")


def add_person(reg: Registry, **fields: object) -> int:
    """A new person; unless said otherwise they came under management today, entered by hand (新录入)."""
    refuse_garbled_name(fields)  # before the transaction's summary carries the name into the log
    with reg.transaction("person.add", f"新增人员 {fields.get('name', '')}") as tx:
        values = prepare(tx, fields, None)
        values.setdefault("managed_from", None)
        values["managed_from"] = values["managed_from"] or date.today().isoformat()
        values["managed_how"] = values.get("managed_how") or "新录入"
        return tx.insert("people", values, label=values["name"])


def edit_person(reg: Registry, key: str | int, *, changed_on: object = None, correction: bool = False,
                **changes: object) -> dict[str, tuple[Any, Any]]:
    """Change a person. A change of organisation, outlet, relation, 党籍状态 or 失联 takes effect on
    `changed_on` (default today) and the state before it is kept for reports of earlier dates; with
    `correction` the stored values were wrong all along and are rewritten without a dated change."""
    day = user_date("变动日期", changed_on) if changed_on not in (None, "") else None
    if day is not None and len(day) != 10:
        raise UserError(f"变动日期“{day}”只写到了月，请写到日。")
    if day is not None and day > date.today().isoformat():
        raise UserError(f"变动日期{day}晚于今天；尚未发生的变动请到当天再登记。")
    with reg.transaction("person.edit") as tx:
        tx.effective, tx.dated = day, not correction
        current = require_person(tx, key)
        values = prepare(tx, changes, current)
        tx.summary(f"修改人员 {current['name']}")
        return tx.update("people", current["id"], values, label=current["name"], old=current)


def delete_person(reg: Registry, key: str | int) -> None:
    """Deletes the person for real, with their attendance, service and transfer records.

    The audit log keeps that they were deleted, by whom, their name and masked ID number, but no longer any
    other value they held (registry.services.history.forget_person); the WAL is then checkpointed and
    truncated so that it does not keep the old pages either.
    """
    with reg.transaction("person.delete") as tx:
        person = require_person(tx, key)
        tx.summary(f"删除人员 {person['name']}")
        for table, col in (("meeting_attendance", "person_id"), ("volunteer_records", "person_id"),
                           ("volunteer_claims", "person_id"),
                           ("transfers", "person_id"), ("person_states", "person_id"),
                           ("development_steps", "person_id")):
            ids = [r[0] for r in tx.conn.execute(f"SELECT rowid FROM {table} WHERE {col} = ?", (person["id"],))]
            for rid in ids:
                if table == "meeting_attendance":
                    tx.conn.execute("DELETE FROM meeting_attendance WHERE rowid = ?", (rid,))
                else:
                    tx.delete(table, rid, label=person["name"])
        forget_person(tx, person)
    with contextlib.suppress(sqlite3.Error):  # best effort: a reader holding an old snapshot delays it
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def get_person(reg: Registry, key: str | int) -> dict[str, Any]:
    """One person as shown: names of outlet, brand and organisation resolved, plus rule warnings."""
    stored = require_person(reg, key)
    rows = reg.query(f"{PEOPLE_SELECT} WHERE p.id = ?", (stored["id"],))
    person = rows[0]
    person["warnings"] = [
        {"field": p.field, "level": p.level, "code": p.code, "message": p.message}
        for p in development_problems(stored)
    ]
    return person
