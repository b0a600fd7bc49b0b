"""Volunteer service (志愿服务): activities recorded once for many participants, their records, points rules.

Each participant's hours and points are a volunteer_records row of the activity; the old one-person form
(record_service) makes a one-person activity. Points come from registry.rules.volunteer_points and are stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.text import clean_text
from registry.rules.volunteer_kinds import MAX_EVENT_HOURS, MAX_STINT_HOURS, SINGLE_TYPE
from registry.rules.volunteer_points import PointsRule, points_for, rule_from_row, rule_on
from registry.services.organizations import require_org
from registry.services.people import require_person
from registry.services.volunteer_posts import require_post
from registry.storage.database import Registry, Tx
from registry.validation import user_date

ACTIVITY_FIELDS = ("title", "kind", "held_on", "place", "organization", "post", "default_hours", "notes")
# A participant: an ID number (or person id) and their hours, None for the activity's default.
Participant = tuple[str | int, float | None]


@dataclass(frozen=True)
class ActivityRow:
    """One activity as lists show it."""

    id: int
    title: str
    kind: str
    held_on: str
    place: str | None
    organization: str | None
    post: str | None
    participants: int
    members: int
    hours: float
    points: float


def _hours(value: object, limit: float = MAX_EVENT_HOURS, label: str = "服务时长") -> float:
    try:
        hours = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserError(f"{label}应为数字（小时），请重新填写。") from None
    if not 0 < hours <= limit:
        raise UserError(f"{label}应大于0小时且不超过{limit:g}小时，请核对。")
    return hours


def list_rules(reg: Registry | Tx) -> list[PointsRule]:
    """The points rule versions the user set, oldest first (the built-in default applies before them)."""
    cur = reg.conn.execute("SELECT * FROM volunteer_point_rules ORDER BY valid_from")
    names = [d[0] for d in cur.description]
    return [rule_from_row(dict(zip(names, row, strict=True))) for row in cur.fetchall()]


def set_rule(reg: Registry, valid_from: object, per_hour: float, per_activity: float = 0,
             by_type: dict[str, float] | None = None, notes: str | None = None) -> int:
    """A rule version from `valid_from` on; a version of the same day is replaced. Stored points stay as given."""
    start = user_date("积分规则起始日期", valid_from, required=True, day=True)
    values = [per_hour, per_activity, *(by_type or {}).values()]
    if any(v < 0 for v in values):
        raise UserError("积分规则中的分值不能为负数，请核对。")
    row = {"valid_from": start, "per_hour": float(per_hour), "per_activity": float(per_activity),
           "by_type": json.dumps(by_type or {}, ensure_ascii=False, sort_keys=True), "notes": clean_text(notes)}
    with reg.transaction("volunteer.rules.set") as tx:
        assert start is not None
        rules = list_rules(tx)
        same_rule = rule_on(rules, start)
        if (same_rule.per_hour, same_rule.per_activity, dict(same_rule.by_type)) == (
                row["per_hour"], row["per_activity"], dict(by_type or {})) and same_rule.valid_from is not None:
            return 0  # the rule in force that day already says this: nothing to write
        tx.summary(f"设置志愿服务积分规则（{cn_date(start)}起）")
        same = tx.conn.execute("SELECT id FROM volunteer_point_rules WHERE valid_from = ?", (start,)).fetchone()
        if same:
            tx.update("volunteer_point_rules", same[0], row, label=f"{start}起积分规则")
            return int(same[0])
        return tx.insert("volunteer_point_rules", row, label=f"{start}起积分规则")


def _scored(rules: Sequence[PointsRule], held_on: str, kind: str, hours: float, adjustment: float) -> dict[str, Any]:
    rule = rule_on(rules, held_on)
    return {"points": round(points_for(rule, hours, kind) + adjustment, 1), "points_rule": rule.describe()}


def _people(tx: Tx, participants: Iterable[Participant], default: float | None, held_on: str,
            kept: dict[int, float] | None = None) -> list[tuple[dict[str, Any], float]]:
    """The participants' rows and hours; hours kept as they were (`kept`, an edit) are not checked again, so an
    older stint of more than a day's hours stays editable."""
    found: list[tuple[dict[str, Any], float]] = []
    seen: set[int] = set()
    for key, hours in participants:
        person = require_person(tx, key)
        if person["id"] in seen:
            raise UserError(f"参加人员中{person['name']}填了两次，请删去重复的一个。")
        seen.add(person["id"])
        if person["left_on"] and person["left_on"] < held_on:
            raise UserError(f"{person['name']}已于{cn_date(person['left_on'])}离开，不能记为{cn_date(held_on)}活动的参加人员。")
        chosen = hours if hours is not None else default
        if chosen is None:
            raise UserError(f"请填写{person['name']}的服务时长，或填写全体参加人员的默认时长。")
        if kept is not None and kept.get(person["id"]) == chosen:
            found.append((person, float(chosen)))
        else:
            found.append((person, _hours(chosen, label=f"{person['name']}的服务时长")))
    return found


def _activity_values(tx: Tx, fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    for key, label in (("title", "活动名称"), ("kind", "活动类型")):
        if key in fields or current is None:
            text = clean_text(fields.get(key))
            if not text:
                raise UserError(f"请填写{label}。" + ("如平安巡查、文明宣传、关爱服务、应急救援。" if key == "kind" else ""))
            values[key] = text
    if "held_on" in fields or current is None:
        held = user_date("活动日期", fields.get("held_on"), required=True, day=True)
        if held and held > date.today().isoformat():
            raise UserError("活动日期晚于今天：志愿服务要在活动结束后登记，请核对日期。")
        values["held_on"] = held
    for key in ("place", "notes"):
        if key in fields:
            values[key] = clean_text(fields[key])
    if "organization" in fields:
        org = clean_text(fields["organization"])
        values["organization_id"] = require_org(tx, org)["id"] if org else None
    if "post" in fields:
        post_key = clean_text(fields["post"])
        values["post_id"] = require_post(tx, post_key)["id"] if post_key else None
    if "default_hours" in fields:
        given = fields["default_hours"]
        unchanged = current is not None and given == current.get("default_hours")
        values["default_hours"] = None if given in (None, "") else float(given) if unchanged else _hours(given)
    return values


def record_activity(reg: Registry, *, participants: Iterable[Participant], **fields: Any) -> int:
    """One event with many participants, each with their hours (default_hours where none is given)."""
    with reg.transaction("volunteer.activity.add") as tx:
        values = _activity_values(tx, fields, None)
        people = _people(tx, participants, values.get("default_hours"), values["held_on"])
        if not people:
            raise UserError("请至少选择一名参加人员。")
        activity_id = tx.insert("volunteer_activities", values, label=values["title"])
        rules = list_rules(tx)
        post = _post_name(tx, values.get("post_id"))
        for person, hours in people:
            tx.insert("volunteer_records", {"person_id": person["id"], "activity_id": activity_id,
                                            "post": post or values["kind"], "served_on": values["held_on"],
                                            "hours": hours, **_scored(rules, values["held_on"], values["kind"], hours, 0)},
                      label=person["name"])
        tx.summary(f"志愿服务活动 {values['held_on']} {values['title']}（{len(people)}人）")
        return activity_id


def _post_name(tx: Tx, post_id: int | None) -> str | None:
    row = tx.conn.execute("SELECT name FROM volunteer_posts WHERE id = ?", (post_id,)).fetchone() if post_id else None
    return str(row[0]) if row else None


def require_activity(reg: Registry | Tx, activity_id: int | str) -> dict[str, Any]:
    text = str(activity_id).strip()
    row = reg.conn.execute("SELECT * FROM volunteer_activities WHERE id = ?", (int(text),)).fetchone() \
        if text.isdigit() else None
    if row is None:
        raise UserError(f"找不到编号为“{activity_id}”的志愿服务活动，请用“volunteer list”查看活动编号。")
    cur = reg.conn.execute("SELECT * FROM volunteer_activities WHERE id = ?", (int(text),))
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def edit_activity(reg: Registry, activity_id: int | str, *, participants: Iterable[Participant] | None = None,
                  **fields: Any) -> int:
    """Change an activity and, when given, its whole list of participants; returns how many rows changed.

    Points are computed again only for the records whose hours, date or type change (by the rule in force on the
    activity's date); a hand-typed figure and a manual adjustment stay. Saving unchanged writes nothing.
    """
    with reg.transaction("volunteer.activity.edit") as tx:
        current = require_activity(tx, activity_id)
        values = _activity_values(tx, fields, current)
        diff = tx.update("volunteer_activities", current["id"], values, label=current["title"], old=current)
        after = {**current, **{k: v for k, (_, v) in diff.items()}}
        changed = len(diff)
        rules = list_rules(tx)
        records = tx.conn.execute("SELECT * FROM volunteer_records WHERE activity_id = ?", (current["id"],))
        names = [d[0] for d in records.description]
        existing = {r["person_id"]: r for r in (dict(zip(names, row, strict=True)) for row in records.fetchall())}
        kept = {pid: r["hours"] for pid, r in existing.items()}
        wanted = None if participants is None else {
            p["id"]: (p, h) for p, h in _people(tx, participants, after["default_hours"], after["held_on"], kept)}
        if wanted is not None and not wanted:
            raise UserError("活动至少要有一名参加人员；要删除整个活动，请用删除。")
        label = {pid: n for pid, n in tx.conn.execute(
            f"SELECT id, name FROM people WHERE id IN ({','.join('?' * len(existing)) or 'NULL'})", list(existing))}
        for pid, record in existing.items():
            if wanted is not None and pid not in wanted:
                tx.delete("volunteer_records", record["id"], label=label.get(pid))
                changed += 1
                continue
            hours = wanted[pid][1] if wanted is not None else record["hours"]
            update: dict[str, Any] = {"hours": hours, "served_on": after["held_on"]}
            if "post_id" in diff or "kind" in diff:
                update["post"] = _post_name(tx, after["post_id"]) or after["kind"]
            rescore = record["points_rule"] is not None and (
                hours != record["hours"] or "held_on" in diff or "kind" in diff)
            if rescore:
                update.update(_scored(rules, after["held_on"], after["kind"], hours, record["adjustment"] or 0))
            changed += bool(tx.update("volunteer_records", record["id"], update, label=label.get(pid), old=record))
        for pid, (person, hours) in (wanted or {}).items():
            if pid not in existing:
                tx.insert("volunteer_records", {"person_id": pid, "activity_id": current["id"],
                                                "post": _post_name(tx, after["post_id"]) or after["kind"],
                                                "served_on": after["held_on"], "hours": hours,
                                                **_scored(rules, after["held_on"], after["kind"], hours, 0)},
                          label=person["name"])
                changed += 1
        tx.summary(f"修改志愿服务活动 {after['title']}")
        return changed


def delete_activity(reg: Registry, activity_id: int | str) -> int:
    """The activity and every participant's record of it; returns how many records went."""
    with reg.transaction("volunteer.activity.delete") as tx:
        current = require_activity(tx, activity_id)
        rows = tx.conn.execute("SELECT v.id, p.name FROM volunteer_records v JOIN people p ON p.id = v.person_id"
                               " WHERE v.activity_id = ?", (current["id"],)).fetchall()
        for record_id, name in rows:
            tx.delete("volunteer_records", record_id, label=name)
        tx.summary(f"删除志愿服务活动 {current['title']}（{len(rows)}人）")
        tx.delete("volunteer_activities", current["id"], label=current["title"])
        return len(rows)


def edit_record(reg: Registry, record_id: int, *, hours: object = None, adjustment: object = None,
                reason: str | None = None, role: object = ..., notes: object = ...) -> dict[str, tuple[Any, Any]]:
    """One participant's record: hours, a manual points adjustment (with its reason), role, notes."""
    with reg.transaction("volunteer.record.edit") as tx:
        record = tx.get("volunteer_records", record_id)
        if record is None:
            raise UserError("要修改的志愿服务记录已不存在，请刷新后重试。")
        activity = require_activity(tx, record["activity_id"]) if record["activity_id"] else None
        name = tx.conn.execute("SELECT name FROM people WHERE id = ?", (record["person_id"],)).fetchone()[0]
        update: dict[str, Any] = {}
        if hours is not None and hours != record["hours"]:
            alone = tx.conn.execute("SELECT count(*) FROM volunteer_records WHERE activity_id = ?",
                                    (record["activity_id"],)).fetchone()[0] <= 1
            update["hours"] = _hours(hours, MAX_STINT_HOURS if alone else MAX_EVENT_HOURS)  # a one-person stint
        if adjustment is not None:
            try:
                update["adjustment"] = round(float(adjustment), 1)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise UserError("积分调整应为数字（可为负数），请重新填写。") from None
            if update["adjustment"] != (record["adjustment"] or 0):
                update["adjustment_reason"] = clean_text(reason)
                if update["adjustment"] and not update["adjustment_reason"]:
                    raise UserError("调整积分请写明原因，如“表现突出，支部决定加分”。")
        if role is not ...:
            update["role"] = clean_text(role)
        if notes is not ...:
            update["notes"] = clean_text(notes)
        new_hours = update.get("hours", record["hours"])
        new_adjust = update.get("adjustment", record["adjustment"] or 0)
        if record["points_rule"] is not None and activity is not None:
            if new_hours != record["hours"] or new_adjust != (record["adjustment"] or 0):
                update.update(_scored(list_rules(tx), activity["held_on"], activity["kind"], new_hours, new_adjust))
        elif new_adjust != (record["adjustment"] or 0):  # hand-typed points: the adjustment moves them
            update["points"] = round(record["points"] - (record["adjustment"] or 0) + new_adjust, 1)
        if update.get("points", record["points"]) < 0:
            raise UserError("调整后积分小于0，请核对调整的分值。")
        tx.summary(f"修改 {name} 的志愿服务记录")
        return tx.update("volunteer_records", record_id, update, label=name, old=record)


def delete_record(reg: Registry, record_id: int) -> None:
    """One participant's record; an activity left with nobody goes with it."""
    with reg.transaction("volunteer.record.delete") as tx:
        record = tx.get("volunteer_records", record_id)
        if record is None:
            raise UserError("要删除的志愿服务记录已不存在，请刷新后重试。")
        name = tx.conn.execute("SELECT name FROM people WHERE id = ?", (record["person_id"],)).fetchone()[0]
        tx.summary(f"删除 {name} 的志愿服务记录")
        tx.delete("volunteer_records", record_id, label=name)
        left = tx.conn.execute("SELECT count(*) FROM volunteer_records WHERE activity_id = ?",
                               (record["activity_id"],)).fetchone()[0]
        if record["activity_id"] and not left:
            activity = require_activity(tx, record["activity_id"])
            tx.delete("volunteer_activities", activity["id"], label=activity["title"])


def record_service(reg: Registry, key: str | int, *, post: str, served_on: object, hours: float,
                   points: float | None = None, role: str | None = None, notes: str | None = None) -> int:
    """The one-person form: a stint at a post, as a one-person activity. Points by the rules unless typed.

    Returns the record's id.
    """
    if not clean_text(post):
        raise UserError("请填写志愿服务岗位。")
    hours_f = _hours(hours, MAX_STINT_HOURS)
    try:
        typed = None if points is None else float(points)
    except (TypeError, ValueError):
        raise UserError("服务时长和积分应为数字，请重新填写。") from None
    if typed is not None and typed < 0:
        raise UserError("积分不能为负数，请核对。")
    served = user_date("服务日期", served_on, required=True, day=True)
    assert served is not None
    if served > date.today().isoformat():
        raise UserError("服务日期晚于今天：志愿服务要在服务之后登记，请核对日期。")
    with reg.transaction("volunteer.record") as tx:
        person = require_person(tx, key)
        post_text = clean_text(post) or ""
        activity_id = tx.insert("volunteer_activities", {"title": post_text, "kind": SINGLE_TYPE, "held_on": served,
                                                         "organization_id": person["organization_id"],
                                                         "default_hours": hours_f}, label=post_text)
        scored = _scored(list_rules(tx), served, SINGLE_TYPE, hours_f, 0) if typed is None \
            else {"points": typed, "points_rule": None}
        row = {"person_id": person["id"], "activity_id": activity_id, "post": post_text, "role": clean_text(role),
               "served_on": served, "hours": hours_f, "notes": clean_text(notes), **scored}
        tx.summary(f"{person['name']} 志愿服务 {hours_f:g} 小时")
        return tx.insert("volunteer_records", row, label=person["name"])


def volunteer_totals(reg: Registry, start: str, end: str, limit: int = 10) -> dict[str, Any]:
    """People, hours and points served in [start, end], and the top by hours (kept for older callers)."""
    total = reg.conn.execute(
        "SELECT count(DISTINCT person_id), ifnull(sum(hours), 0), ifnull(sum(points), 0)"
        " FROM volunteer_records WHERE served_on BETWEEN ? AND ?", (start, end)).fetchone()
    top = reg.query(
        "SELECT p.name, sum(v.hours) AS hours, sum(v.points) AS points FROM volunteer_records v"
        " JOIN people p ON p.id = v.person_id WHERE v.served_on BETWEEN ? AND ?"
        " GROUP BY v.person_id ORDER BY hours DESC, points DESC LIMIT ?", (start, end, limit))
    return {"people": total[0], "hours": total[1], "points": total[2], "top": top}
