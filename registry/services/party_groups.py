"""党小组 inside a branch (a leader, members assigned since a date) and a branch's 组织生活 settings (支委会, 党课)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.org_life import (
    BRANCH_TYPES,
    COMMITTEE_SETTINGS,
    DEFAULT_LESSONS_PER_YEAR,
    LESSONS_PER_YEAR,
)
from registry.rules.text import clean_text
from registry.services.organizations import require_org
from registry.services.people import require_person
from registry.storage.database import Registry, Tx
from registry.validation import user_date


@dataclass(frozen=True)
class BranchSettings:
    """A branch's 组织生活 settings: 支部委员会 自动/有/无, 党课 a year, the day its records here begin."""

    organization_id: int
    committee: str = "自动"
    lessons_per_year: int = DEFAULT_LESSONS_PER_YEAR
    records_from: str | None = None


def require_branch(tx: Registry | Tx, name: str) -> dict[str, Any]:
    org = require_org(tx, name)
    if org["type"] not in BRANCH_TYPES:
        raise UserError(f"“{org['name']}”是{org['type']}，党小组和三会一课设置只适用于党支部（含联合党支部、"
                        "流动党员党支部、功能型党组织）。")
    return org


def branch_settings(reg: Registry | Tx, organization_id: int) -> BranchSettings:
    row = reg.conn.execute("SELECT committee, lessons_per_year, records_from FROM org_life_settings"
                           " WHERE organization_id = ?", (organization_id,)).fetchone()
    return BranchSettings(organization_id, *row) if row else BranchSettings(organization_id)


def all_settings(reg: Registry) -> dict[int, BranchSettings]:
    return {r[0]: BranchSettings(*r) for r in reg.conn.execute(
        "SELECT organization_id, committee, lessons_per_year, records_from FROM org_life_settings")}


def set_branch_settings(reg: Registry, organization: str, *, committee: str | None = None,
                        lessons_per_year: int | str | None = None, records_from: object = ...) -> BranchSettings:
    """Change a branch's settings; what is not given stays. The same values again write nothing."""
    if committee is not None and committee not in COMMITTEE_SETTINGS:
        raise UserError(f"支部委员会设置“{committee}”不正确，应为自动、有或无。")
    lessons: int | None = None
    if lessons_per_year not in (None, ""):
        try:
            lessons = int(str(lessons_per_year))
        except ValueError:
            lessons = -1
        if lessons not in LESSONS_PER_YEAR:
            raise UserError("党课次数应为每年1次、2次、4次或12次（全国最低要求是每年1次）。")
    with reg.transaction("org_life.settings") as tx:
        org = require_branch(tx, organization)
        now = branch_settings(tx, org["id"])
        wanted: dict[str, Any] = {"committee": committee or now.committee,
                  "lessons_per_year": lessons if lessons is not None else now.lessons_per_year,
                  "records_from": now.records_from if records_from is ... else
                  user_date("组织生活记录起始日期", records_from, day=True)}
        row = tx.conn.execute("SELECT id FROM org_life_settings WHERE organization_id = ?", (org["id"],)).fetchone()
        if row is None:
            if wanted != {"committee": "自动", "lessons_per_year": DEFAULT_LESSONS_PER_YEAR, "records_from": None}:
                tx.insert("org_life_settings", {"organization_id": org["id"], **wanted}, label=org["name"])
        else:
            tx.update("org_life_settings", row[0], wanted, label=org["name"])
        tx.summary(f"{org['name']} 组织生活设置")
        return branch_settings(tx, org["id"])


# 党小组 ------------------------------------------------------------------------------------------------


def find_group(tx: Registry | Tx, organization_id: int, name: str) -> dict[str, Any]:
    row = tx.conn.execute("SELECT id, organization_id, name, leader_id, since, until, notes FROM party_groups"
                          " WHERE organization_id = ? AND name = ?", (organization_id, clean_text(name))).fetchone()
    if row is None:
        raise UserError(f"这个党支部没有名为“{name}”的党小组，请先用 group add 添加，或检查名称。")
    return dict(zip(("id", "organization_id", "name", "leader_id", "since", "until", "notes"), row, strict=True))


def _leader(tx: Tx, leader: object) -> int | None:
    if leader in (None, ""):
        return None
    return int(require_person(tx, leader if isinstance(leader, int) else str(leader))["id"])


def add_group(reg: Registry, organization: str, name: str, *, leader: str | None = None, since: object = None,
              notes: str | None = None) -> int:
    if not clean_text(name):
        raise UserError("请填写党小组名称，例如“第一党小组”。")
    with reg.transaction("party_group.add") as tx:
        org = require_branch(tx, organization)
        if tx.conn.execute("SELECT 1 FROM party_groups WHERE organization_id = ? AND name = ?",
                           (org["id"], clean_text(name))).fetchone():
            raise UserError(f"{org['name']}已有名为“{clean_text(name)}”的党小组，请换一个名称。")
        row = {"organization_id": org["id"], "name": clean_text(name), "leader_id": _leader(tx, leader),
               "since": user_date("党小组成立日期", since, day=True), "notes": clean_text(notes)}
        tx.summary(f"{org['name']} 新增党小组 {row['name']}")
        return tx.insert("party_groups", row, label=f"{org['name']}{row['name']}")


def edit_group(reg: Registry, organization: str, name: str, **fields: Any) -> dict[str, tuple[Any, Any]]:
    """Rename, change the leader, the dates or notes; the same values again change nothing."""
    unknown = set(fields) - {"name", "leader", "since", "until", "notes"}
    if unknown:
        raise ValueError(f"unknown group fields: {sorted(unknown)}")
    with reg.transaction("party_group.edit") as tx:
        org = require_branch(tx, organization)
        group = find_group(tx, org["id"], name)
        tx.summary(f"{org['name']} 修改党小组 {group['name']}")
        return _edit(tx, org, group, fields)


def _edit(tx: Tx, org: dict[str, Any], group: dict[str, Any], fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """edit_group's writes, inside the caller's transaction."""
    changes: dict[str, Any] = {}
    if "name" in fields and fields["name"] is not None:
        if not clean_text(fields["name"]):
            raise UserError("党小组名称不能为空。")
        changes["name"] = clean_text(fields["name"])
    if "leader" in fields:
        changes["leader_id"] = _leader(tx, fields["leader"])
    for key, label in (("since", "党小组成立日期"), ("until", "党小组撤销日期")):
        if key in fields:
            changes[key] = user_date(label, fields[key], day=True)
    if "notes" in fields:
        changes["notes"] = clean_text(fields["notes"])
    return tx.update("party_groups", group["id"], changes, label=f"{org['name']}{group['name']}")


def delete_group(reg: Registry, organization: str, name: str) -> None:
    with reg.transaction("party_group.delete") as tx:
        org = require_branch(tx, organization)
        group = find_group(tx, org["id"], name)
        label = f"{org['name']}{group['name']}"
        for (mid,) in tx.conn.execute("SELECT id FROM meetings WHERE group_id = ?", (group["id"],)).fetchall():
            tx.update("meetings", mid, {"group_id": None}, label=label)
        for (rid,) in tx.conn.execute("SELECT id FROM party_group_members WHERE group_id = ?",
                                      (group["id"],)).fetchall():
            tx.delete("party_group_members", rid, label=label)
        tx.delete("party_groups", group["id"], label=label)
        tx.summary(f"{org['name']} 删除党小组 {group['name']}")


def assign(reg: Registry, organization: str, name: str, people: Sequence[str | int], since: object = None) -> int:
    """Put members into a group from `since`; one already in another group of the branch moves (that one ends
    the day before). Returns how many were assigned."""
    with reg.transaction("party_group.assign") as tx:
        org = require_branch(tx, organization)
        group = find_group(tx, org["id"], name)
        day = user_date("编入党小组日期", since, day=True) or datetime.date.today().isoformat()
        done = _assign(tx, org, group, people, day)
        tx.summary(f"{org['name']}{group['name']} 编入{done}人")
        return done


def _assign(tx: Tx, org: dict[str, Any], group: dict[str, Any], people: Sequence[str | int], day: str) -> int:
    """assign's writes, inside the caller's transaction."""
    done = 0
    for key in people:
        person = require_person(tx, key)
        current = tx.conn.execute(
            "SELECT m.id, m.group_id, m.since FROM party_group_members m JOIN party_groups g ON g.id = m.group_id"
            " WHERE m.person_id = ? AND g.organization_id = ? AND m.until IS NULL", (person["id"], org["id"])).fetchone()
        if current is not None and current[1] == group["id"]:
            continue
        if current is not None:
            if current[2] and current[2] >= day:
                tx.delete("party_group_members", current[0], label=person["name"])
            else:
                tx.update("party_group_members", current[0], {"until": day}, label=person["name"])
        tx.insert("party_group_members", {"group_id": group["id"], "person_id": person["id"], "since": day},
                  label=person["name"])
        done += 1
    return done


def remove(reg: Registry, organization: str, name: str, people: Sequence[str | int], until: object = None) -> int:
    """Take members out of a group from `until` (today when not given)."""
    with reg.transaction("party_group.remove") as tx:
        org = require_branch(tx, organization)
        group = find_group(tx, org["id"], name)
        day = user_date("调出党小组日期", until, day=True) or datetime.date.today().isoformat()
        done = _remove(tx, group, people, day)
        tx.summary(f"{org['name']}{group['name']} 调出{done}人")
        return done


def _remove(tx: Tx, group: dict[str, Any], people: Sequence[str | int], day: str) -> int:
    """remove's writes, inside the caller's transaction."""
    done = 0
    for key in people:
        person = require_person(tx, key)
        row = tx.conn.execute("SELECT id, since FROM party_group_members WHERE group_id = ? AND person_id = ?"
                              " AND until IS NULL", (group["id"], person["id"])).fetchone()
        if row is None:
            raise UserError(f"{person['name']}不在{group['name']}中。")
        if row[1] and row[1] >= day:
            tx.delete("party_group_members", row[0], label=person["name"])
        else:
            tx.update("party_group_members", row[0], {"until": day}, label=person["name"])
        done += 1
    return done


def save_group(reg: Registry, organization: str, name: str, *, leader: object, since: object,
               join: Sequence[int] = (), leave: Sequence[int] = (), on: object = None) -> str:
    """What the 党小组 window saves for one group, in one transaction: its leader and founding date, the members
    ticked in from `on` and those unticked out from `on` (today when blank). Returns the sentence to show; the same
    values again write nothing."""
    day = user_date("成员变动日期", on, day=True) or datetime.date.today().isoformat()
    with reg.transaction("party_group.save") as tx:
        org = require_branch(tx, organization)
        group = find_group(tx, org["id"], name)
        _edit(tx, org, group, {"leader": leader, "since": since})
        joined = _assign(tx, org, group, sorted(join), day) if join else 0
        left = _remove(tx, group, sorted(leave), day) if leave else 0
        tx.summary(f"{org['name']} 保存党小组 {group['name']}")
        members = len(group_member_ids(tx, group["id"], max(day, datetime.date.today().isoformat())))
    moved = "；".join(part for part in (f"编入{joined}人" if joined else "", f"调出{left}人" if left else "") if part)
    return f"已保存{group['name']}：{members}名成员" + (f"（{cn_date(day)}起{moved}）" if moved else "") + "。"


def list_groups(reg: Registry, organization_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Groups with their branch, leader and current members (names), by branch then name."""
    where = "" if organization_ids is None else \
        f" WHERE g.organization_id IN ({','.join('?' * len(organization_ids)) or 'NULL'})"
    groups = reg.query(
        "SELECT g.id, g.organization_id, o.name AS organization, g.name, g.leader_id, l.name AS leader, g.since,"
        " g.until, g.notes FROM party_groups g JOIN organizations o ON o.id = g.organization_id"
        f" LEFT JOIN people l ON l.id = g.leader_id{where} ORDER BY o.name, g.name", organization_ids or [])
    members = reg.query(
        "SELECT m.group_id, p.id, p.name, p.id_number, m.since FROM party_group_members m"
        " JOIN people p ON p.id = m.person_id WHERE m.until IS NULL ORDER BY p.sort_stroke, p.id")
    for g in groups:
        g["members"] = [{"person_id": m["id"], "name": m["name"], "id_number": m["id_number"], "since": m["since"]}
                        for m in members if m["group_id"] == g["id"]]
    return groups


def group_member_ids(reg: Registry | Tx, group_id: int, day: str) -> set[int]:
    """The people in a group on `day`."""
    return {r[0] for r in reg.conn.execute(
        "SELECT person_id FROM party_group_members WHERE group_id = ? AND (since IS NULL OR since <= ?)"
        " AND (until IS NULL OR until > ?)", (group_id, day, day))}
