"""Meetings (三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话): add, edit, delete, list, one in full, the roll call.

Attendance is taken for the whole branch at once: roll_call() gives the members expected on the day (a 党小组会:
the group's), everyone 出席; the user marks who was on leave or absent. An attendee who was not the branch's
member on the day (a 群众, someone who had left, another branch's member) is refused unless a reason is given,
which is kept on the attendance row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.org_life import ATTENDANCE, GRADES, MEETING_KINDS, MEETING_STATUSES, future_held_refusal
from registry.rules.text import clean_text
from registry.services.meeting_attachments import attachment_rows, sync_attachments
from registry.services.membership import PersonState, states_at
from registry.services.organizations import require_org, subtree_ids
from registry.services.party_groups import find_group, group_member_ids
from registry.services.people import require_person
from registry.storage.database import Registry, Tx

# The groups of member a branch's meeting expects (member_group): 停止党籍 members take no part.
EXPECTED_GROUPS = ("registered", "flowing_in", "unverified")
FIELDS = ("organization", "kind", "held_on", "status", "topic", "host", "recorder", "location", "minutes", "notes",
          "group")


@dataclass
class Attendee:
    """One person at a meeting: ID number or person id, 出席/请假/缺席, the reason, a 民主评议 grade."""

    person: str | int
    status: str = "出席"
    reason: str | None = None
    grade: str | None = None


@dataclass(frozen=True)
class Saved:
    """What a save did: the meeting's id, the sentence confirming it, and whether anything changed."""

    meeting_id: int
    message: str
    changed: bool = True


def roll_call(reg: Registry, organization: str, on: object, group: str | None = None) -> list[dict[str, Any]]:
    """The members a meeting of `organization` (or of its 党小组 `group`) expects on the day, all 出席."""
    from registry.validation import user_date

    day = user_date("会议日期", on, required=True, day=True) or ""
    org = require_org(reg, organization)
    ids = _expected(reg, org["id"], day, group)
    rows = _people(reg, ids)
    return [{**r, "status": "出席", "reason": None, "grade": None} for r in rows]


def _expected(reg: Registry, org_id: int, day: str, group: str | None) -> set[int]:
    scope = set(subtree_ids(reg, org_id))
    states = states_at(reg, datetime.date.fromisoformat(day))
    ids = {pid for pid, s in states.items() if s.group in EXPECTED_GROUPS and s.organization_id in scope}
    if group:
        ids &= group_member_ids(reg, find_group(reg, org_id, group)["id"], day)
    return ids


def _people(reg: Registry, ids: Iterable[int]) -> list[dict[str, Any]]:
    wanted = sorted(ids)
    if not wanted:
        return []
    # search_text (name, pinyin, ID number, phone) lets the window filter the list; the CLI leaves it out.
    return reg.query(f"SELECT p.id AS person_id, p.name, p.id_number, p.category, p.relation, o.name AS outlet,"
                     f" b.name AS brand, p.search_text FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id"
                     f" LEFT JOIN brands b ON b.id = o.brand_id"
                     f" WHERE p.id IN ({','.join('?' * len(wanted))}) ORDER BY p.sort_stroke, p.id", wanted)


def _refusal(reg: Registry, person: dict[str, Any], state: PersonState | None, day: str,
             scope: set[int]) -> str | None:
    """Why `person` (in `state` on `day`) is not the branch's member then (None: she is)."""
    name = person["name"]
    if state is None:
        left = person.get("left_on")
        if left and left <= day:
            return f"{name}已于{cn_date(left)}离开"
        return f"{name}在会议当日还不在本单位的名册中"
    if state.category not in ("预备党员", "正式党员"):
        return f"{name}在会议当日是{state.category}，不是党员"
    if state.group == "stopped":
        return f"{name}在会议当日已停止党籍"
    if state.organization_id not in scope:
        other = reg.scalar("SELECT name FROM organizations WHERE id = ?", (state.organization_id,))
        return f"{name}是{other or '其他党组织'}的党员" if other else f"{name}没有登记所在党组织"
    return None


def _clean_fields(reg: Registry, raw: dict[str, Any], today: datetime.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The meeting's stored columns from the given fields, and the organisation; UserError on bad input."""
    from registry.validation import user_date

    kind = clean_text(raw.get("kind"))
    if kind not in MEETING_KINDS:
        raise UserError(f"会议类型“{raw.get('kind')}”不正确，应为：{'、'.join(MEETING_KINDS)}。")
    status = clean_text(raw.get("status")) or "已召开"
    if status not in MEETING_STATUSES:
        raise UserError(f"会议状态“{status}”不正确，应为“计划”或“已召开”。")
    held = user_date("会议日期", raw.get("held_on"), required=True, day=True) or ""
    if status == "已召开":
        refusal = future_held_refusal(datetime.date.fromisoformat(held), today)
        if refusal:
            raise UserError(refusal)
    org = require_org(reg, str(raw.get("organization") or ""))
    group_id = None
    group = clean_text(raw.get("group"))
    if kind == "党小组会":
        if not group:
            raise UserError("党小组会要写明是哪个党小组开的会（--group），党小组可用 group add 添加。")
        group_id = find_group(reg, org["id"], group)["id"]
    elif group:
        raise UserError(f"只有党小组会属于某个党小组，{kind}不需要填写党小组。")
    values = {"organization_id": org["id"], "kind": kind, "held_on": held, "status": status, "group_id": group_id,
              **{k: clean_text(raw.get(k)) for k in ("topic", "host", "recorder", "location", "minutes", "notes")}}
    return values, org


def _attendance_rows(reg: Registry, values: dict[str, Any], attendance: Sequence[Attendee],
                     override_reason: str | None, keep_overrides: dict[int, str | None]) -> dict[int, dict[str, Any]]:
    """{person_id: row} for the attendance; UserError for a bad status/grade or a non-member without a reason."""
    if attendance and values["status"] == "计划":
        raise UserError("计划召开的会议还没有出席情况；会议召开后把状态改为“已召开”，再登记出席。")
    scope = set(subtree_ids(reg, values["organization_id"]))
    rows: dict[int, dict[str, Any]] = {}
    refused: list[str] = []
    reason = clean_text(override_reason)
    people = [require_person(reg, a.person) for a in attendance]
    states = states_at(reg, datetime.date.fromisoformat(values["held_on"]), [p["id"] for p in people])
    for a, person in zip(attendance, people, strict=True):
        if a.status not in ATTENDANCE:
            raise UserError(f"出席情况“{a.status}”不正确，应为出席、请假或缺席。")
        grade = clean_text(a.grade)
        if grade and values["kind"] != "民主评议党员":
            raise UserError("评议等次只用于民主评议党员，其他会议不需要填写。")
        if grade and grade not in GRADES:
            raise UserError(f"评议等次“{grade}”不正确，应为优秀、合格、基本合格或不合格。")
        if person["id"] in rows:
            continue
        why = _refusal(reg, person, states.get(person["id"]), values["held_on"], scope)
        override = None
        if why is not None:
            override = keep_overrides.get(person["id"]) or reason
            if not override:
                refused.append(why)
        rows[person["id"]] = {"status": a.status, "reason": clean_text(a.reason), "grade": grade,
                              "override_reason": override, "name": person["name"]}
    if refused:
        raise UserError(f"{'；'.join(refused)}，不是本支部在会议当日的党员（也不是它管理的流入党员）。"
                        "如确需登记其出席，请写明原因（--override-reason）。")
    return rows


def _label(org_name: str, values: dict[str, Any]) -> str:
    return f"{org_name} {values['held_on']} {values['kind']}"


_ATT_COLUMNS = ("status", "reason", "grade", "override_reason")


def _write_attendance(tx: Tx, meeting_id: int, old: dict[int, dict[str, Any]], new: dict[int, dict[str, Any]]) -> bool:
    """Bring the stored attendance from `old` to `new`, each change in the audit log (the row's name is the
    person's); returns whether anything changed."""
    audit: list[tuple[Any, ...]] = []
    head = (tx.operation_id, tx.at, tx.operator)
    for pid in old.keys() - new.keys():
        tx.conn.execute("DELETE FROM meeting_attendance WHERE meeting_id = ? AND person_id = ?", (meeting_id, pid))
        shown = {k: old[pid][k] for k in _ATT_COLUMNS if old[pid].get(k)}
        audit.append((*head, "delete", "meeting_attendance", meeting_id, old[pid]["name"], None,
                      _json({"person_id": pid, **shown}), None))
    for pid, row in new.items():
        values = [row[k] for k in _ATT_COLUMNS]
        if pid not in old:
            tx.conn.execute("INSERT INTO meeting_attendance (meeting_id, person_id, status, reason, grade,"
                            " override_reason) VALUES (?, ?, ?, ?, ?, ?)", (meeting_id, pid, *values))
            shown = {k: row[k] for k in _ATT_COLUMNS if row.get(k)}
            audit.append((*head, "insert", "meeting_attendance", meeting_id, row["name"], None, None,
                          _json({"person_id": pid, **shown})))
            continue
        changed = [k for k in _ATT_COLUMNS if old[pid].get(k) != row[k]]
        if changed:
            tx.conn.execute("UPDATE meeting_attendance SET status = ?, reason = ?, grade = ?, override_reason = ?"
                            " WHERE meeting_id = ? AND person_id = ?", (*values, meeting_id, pid))
            audit += [(*head, "update", "meeting_attendance", meeting_id, row["name"], k, old[pid].get(k), row[k])
                      for k in changed]
    tx.audit(audit)
    return bool(audit)


def _json(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _stored_attendance(reg: Registry | Tx, meeting_id: int) -> dict[int, dict[str, Any]]:
    rows = reg.conn.execute(
        "SELECT a.person_id, a.status, a.reason, a.grade, a.override_reason, p.name FROM meeting_attendance a"
        " JOIN people p ON p.id = a.person_id WHERE a.meeting_id = ?", (meeting_id,)).fetchall()
    return {r[0]: dict(zip(("status", "reason", "grade", "override_reason", "name"), r[1:], strict=True))
            for r in rows}


def add_meeting(reg: Registry, *, organization: str, kind: str, held_on: object, status: str = "已召开",
                attendance: Sequence[Attendee] = (), attachments: Sequence[str] = (),
                override_reason: str | None = None, today: datetime.date | None = None, **fields: Any) -> Saved:
    """Record a meeting (held, or planned) with its attendance and attachments, in one transaction."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    raw = {**fields, "organization": organization, "kind": kind, "held_on": held_on, "status": status}
    values, org = _clean_fields(reg, raw, today or datetime.date.today())
    rows = _attendance_rows(reg, values, attendance, override_reason, {})
    files = attachment_rows(reg, attachments)
    label = _label(org["name"], values)
    with reg.transaction("meeting.add") as tx:
        meeting_id = tx.insert("meetings", values, label=label)
        _write_attendance(tx, meeting_id, {}, rows)
        sync_attachments(tx, meeting_id, [], files, label)
        tx.summary(f"{label}（{values['status']}）")
    return Saved(meeting_id, f"已保存：{saved_sentence(reg, meeting_id)}")


def edit_meeting(reg: Registry, meeting_id: int, *, attendance: Sequence[Attendee] | None = None,
                 attachments: Sequence[str] | None = None, override_reason: str | None = None,
                 today: datetime.date | None = None, **fields: Any) -> Saved:
    """Change any field, the attendance (None: as it is) or the attachments (None: as they are); each change is
    audited, and saving the same values again writes nothing. A planned meeting becomes held by status 已召开
    with the attendance taken."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    current = get_meeting(reg, meeting_id)
    raw = {k: current[k] for k in FIELDS} | {k: v for k, v in fields.items()}
    if raw["kind"] != "党小组会" and "group" not in fields:
        raw["group"] = None  # a 党小组会 turned into another kind no longer belongs to its group
    values, org = _clean_fields(reg, raw, today or datetime.date.today())
    old = _stored_attendance(reg, meeting_id)
    keep = {pid: r["override_reason"] for pid, r in old.items()}
    if attendance is None:
        if values["status"] == "计划" and old:
            raise UserError("这次会议已登记了出席情况，不能改回“计划”；如会议没有召开，请删除出席记录后再改。")
        # The attendance as stored, checked again when the date, branch or kind changed.
        new = _attendance_rows(reg, values, [Attendee(pid, r["status"], r["reason"], r["grade"])
                                             for pid, r in old.items()], override_reason, keep)
    else:
        new = _attendance_rows(reg, values, attendance, override_reason, keep)
    files = None if attachments is None else attachment_rows(reg, attachments, current["attachments"])
    label = _label(org["name"], values)
    with reg.transaction("meeting.edit") as tx:
        stored = tx.get("meetings", meeting_id)
        if stored is None:
            raise UserError("要修改的会议记录已不存在，请刷新后重试。")
        diff = tx.update("meetings", meeting_id, values, label=label, old=stored)
        changed = _write_attendance(tx, meeting_id, old, new) or bool(diff)
        if files is not None:
            changed = sync_attachments(tx, meeting_id, current["attachments"], files, label) or changed
        tx.summary(f"修改 {label}")
    if not changed:
        return Saved(meeting_id, "没有修改任何内容。", changed=False)
    return Saved(meeting_id, f"已保存修改：{saved_sentence(reg, meeting_id)}")


def meeting_references(reg: Registry, meeting_id: int) -> list[str]:
    """The development steps that name this meeting (张三：支部大会讨论接收预备党员)."""
    from registry.rules.dev_steps import BY_KEY

    rows = reg.conn.execute("SELECT p.name, s.step FROM development_steps s JOIN people p ON p.id = s.person_id"
                            " WHERE s.meeting_id = ? ORDER BY s.on_date, s.id", (meeting_id,)).fetchall()
    return [f"{name}的“{BY_KEY[step].label if step in BY_KEY else step}”" for name, step in rows]


def delete_meeting(reg: Registry, meeting_id: int) -> str:
    """Delete a meeting with its attendance and attachment references, all audited; development steps that named
    it keep their date and lose the link. Returns the sentence saying what was done."""
    refs = meeting_references(reg, meeting_id)
    with reg.transaction("meeting.delete") as tx:
        row = tx.get("meetings", meeting_id)
        if row is None:
            raise UserError("要删除的会议记录已不存在，请刷新后重试。")
        org = tx.conn.execute("SELECT name FROM organizations WHERE id = ?", (row["organization_id"],)).fetchone()
        label = _label(org[0] if org else "", row)
        for (sid,) in tx.conn.execute("SELECT id FROM development_steps WHERE meeting_id = ?",
                                      (meeting_id,)).fetchall():
            tx.update("development_steps", sid, {"meeting_id": None}, label=label)
        _write_attendance(tx, meeting_id, _stored_attendance(tx, meeting_id), {})
        for (aid,) in tx.conn.execute("SELECT id FROM meeting_attachments WHERE meeting_id = ?",
                                      (meeting_id,)).fetchall():
            tx.delete("meeting_attachments", aid, label=label)
        tx.delete("meetings", meeting_id, label=label)
        tx.summary(f"删除 {label}")
    sentence = f"已删除：{org[0] if org else ''}{cn_date(row['held_on'])}{row['kind']}及其出席记录。"
    if refs:
        sentence += f"这次会议被{'、'.join(refs)}引用，这些步骤保留日期，不再关联会议记录。"
    return sentence


def get_meeting(reg: Registry, meeting_id: int) -> dict[str, Any]:
    """One meeting in full: its fields, branch and group names, the attendance and the attachments."""
    from registry.services.meeting_attachments import list_attachments

    rows = reg.query("SELECT m.*, o.name AS organization, g.name AS \"group\" FROM meetings m"
                     " JOIN organizations o ON o.id = m.organization_id LEFT JOIN party_groups g ON g.id = m.group_id"
                     " WHERE m.id = ?", (meeting_id,))
    if not rows:
        raise UserError(f"找不到编号为{meeting_id}的会议记录，请用 meeting list 查看编号。")
    m = rows[0]
    m["attendance"] = reg.query(
        "SELECT a.person_id, p.name, p.id_number, p.category, a.status, a.reason, a.grade, a.override_reason"
        " FROM meeting_attendance a JOIN people p ON p.id = a.person_id WHERE a.meeting_id = ?"
        " ORDER BY p.sort_stroke, p.id", (meeting_id,))
    m["attachments"] = list_attachments(reg, meeting_id)
    m.update(_counts(m["attendance"]))
    return m


def _counts(attendance: list[dict[str, Any]]) -> dict[str, int]:
    return {"invited": len(attendance), "present": sum(a["status"] == "出席" for a in attendance),
            "leave": sum(a["status"] == "请假" for a in attendance),
            "absent": sum(a["status"] == "缺席" for a in attendance)}


def saved_sentence(reg: Registry, meeting_id: int) -> str:
    """2026年11月5日 城南快递联合党支部 主题党日（已召开），应到12人，实到10人，请假1人，缺席1人。"""
    m = get_meeting(reg, meeting_id)
    head = f"{cn_date(m['held_on'])} {m['organization']} {m['group'] or ''}{m['kind']}（{m['status']}）"
    if m["status"] == "计划":
        return f"{head}。"
    return f"{head}，应到{m['invited']}人，实到{m['present']}人，请假{m['leave']}人，缺席{m['absent']}人。"


def list_meetings(reg: Registry, org_ids: list[int] | None = None, start: str | None = None,
                  end: str | None = None, kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Meetings, newest first, with their attendance counted: in organisations `org_ids`, dated in [start, end],
    of one kind or status."""
    clauses = ["1"]
    params: list[object] = []
    if org_ids is not None:
        clauses.append(f"m.organization_id IN ({','.join('?' * len(org_ids)) or 'NULL'})")
        params.extend(org_ids)
    for clause, value in (("m.held_on >= ?", start), ("m.held_on <= ?", end), ("m.kind = ?", kind),
                          ("m.status = ?", status)):
        if value:
            clauses.append(clause)
            params.append(value)
    return reg.query(
        f"""SELECT m.id, m.organization_id, g.name AS organization, m.kind, m.held_on, m.status, m.topic, m.host,
                   m.recorder, m.location, m.notes, m.group_id, pg.name AS "group",
                   count(a.person_id) AS invited, ifnull(sum(a.status = '出席'), 0) AS present,
                   ifnull(sum(a.status = '请假'), 0) AS leave, ifnull(sum(a.status = '缺席'), 0) AS absent,
                   (SELECT count(*) FROM meeting_attachments f WHERE f.meeting_id = m.id) AS attachments
            FROM meetings m JOIN organizations g ON g.id = m.organization_id
            LEFT JOIN party_groups pg ON pg.id = m.group_id
            LEFT JOIN meeting_attendance a ON a.meeting_id = m.id
            WHERE {' AND '.join(clauses)} GROUP BY m.id ORDER BY m.held_on DESC, m.id DESC""",
        params,
    )
