"""Demo data for organisational life: a year of meetings per branch with the whole branch's attendance, 党小组 in
the largest branch, a 民主评议 with grades, a planned meeting, and branches that missed some (so gaps show)."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

from registry.rules.dates import add_months
from registry.storage.database import Tx

LEAVE_REASONS = ("外出派件", "值班", "回老家探亲", "身体不适", "参加培训")
ABSENT_REASONS = ("未说明原因", "联系不上", None)
TOPICS = {"支部党员大会": "学习贯彻党的创新理论，研究支部重要事项", "支部委员会": "研究本月支部工作安排",
          "党小组会": "学习交流、谈心谈话", "党课": "书记讲党课：做新时代合格快递小哥党员",
          "主题党日": "“红色快递·暖心服务”主题党日", "组织生活会": "年度组织生活会，开展批评和自我批评",
          "民主评议党员": "年度民主评议党员", "谈心谈话": "支委与党员谈心谈话"}
# How diligent each demo branch is (the share of owed meetings it held): the flowing members' branch and one
# joint branch fall behind, so the due list and the report have gaps to show.
GROUPED = "开发区快递物流联合党支部"  # the branch with 党小组
DILIGENCE = {"快递行业流动党员党支部": 0.35, "城南快递物流联合党支部": 0.7}


def _branch_people(rows: list[dict[str, Any]], person_ids: list[int],
                   outlet_org: dict[int, int | None]) -> dict[int, list[tuple[int, str, str, str]]]:
    """Per organisation, its members as the demo rows have them (own organisation, else the outlet's): (person id,
    category, since, admitted)."""
    out: dict[int, list[tuple[int, str, str, str]]] = {}
    for pid, r in zip(person_ids, rows, strict=True):
        if r["category"] not in ("预备党员", "正式党员") or r.get("status", "正常") != "正常":
            continue
        org = r.get("organization_id") or outlet_org.get(r.get("outlet_id") or 0)
        if org is not None:
            out.setdefault(org, []).append((pid, r["category"], r.get("managed_from") or "", (r.get("joined_on") or "")[:10]))
    return out


def _on(people: list[tuple[int, str, str, str]], day: date) -> list[int]:
    """Those among `people` who were members here on `day`."""
    iso = day.isoformat()
    return [pid for pid, _, since, joined in people if since <= iso and joined <= iso]


def _attend(tx: Tx, rng: random.Random, meeting_id: int, label: str, people: list[int], grades: bool) -> None:
    rows = []
    for pid in people:
        draw = rng.random()
        status, reason = ("出席", None) if draw < 0.84 else ("请假", rng.choice(LEAVE_REASONS)) if draw < 0.95 \
            else ("缺席", rng.choice(ABSENT_REASONS))
        grade = (rng.choices(("优秀", "合格", "基本合格"), (2, 7, 1))[0]) if grades else None
        rows.append((meeting_id, pid, status, reason, grade))
    tx.conn.executemany("INSERT INTO meeting_attendance (meeting_id, person_id, status, reason, grade)"
                        " VALUES (?, ?, ?, ?, ?)", rows)
    if rows:  # one audit row per meeting for its attendance, as a bulk entry
        tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "meeting_attendance", meeting_id, label, None, None,
                   json.dumps({"出席": sum(r[2] == "出席" for r in rows), "请假": sum(r[2] == "请假" for r in rows),
                               "缺席": sum(r[2] == "缺席" for r in rows)}, ensure_ascii=False))])


def demo_meetings(tx: Tx, rng: random.Random, today: date, orgs: dict[str, int], unit: str,
                  rows: list[dict[str, Any]], person_ids: list[int]) -> None:
    """A year of organisational life for every demo branch, ending today, plus one planned meeting."""
    outlet_org = {r[0]: r[1] for r in tx.conn.execute("SELECT id, organization_id FROM outlets")}
    by_org = _branch_people(rows, person_ids, outlet_org)
    biggest = orgs.get(GROUPED) or max((o for n, o in orgs.items() if n != unit), key=lambda o: len(by_org.get(o, [])))
    group_ids = _groups(tx, rng, biggest, _on(by_org.get(biggest, []), today), today)
    first = add_months(today.replace(day=1), -12)
    for name, org_id in orgs.items():
        if name == unit:
            continue
        diligence = DILIGENCE.get(name, 0.95)
        people_here = by_org.get(org_id, [])
        full = sum(1 for _, category, since, _ in people_here if category == "正式党员" and since <= today.isoformat())
        plan: list[tuple[str, date, int | None]] = []
        for back in range(13):
            month = add_months(first, back)
            if month > today:
                break
            plan.append(("主题党日", month.replace(day=8), None))
            if full >= 7:
                plan.append(("支部委员会", month.replace(day=5), None))
            if month.month in (3, 6, 9, 12):
                plan.append(("支部党员大会", month.replace(day=18), None))
            if month.month in (7, 12):
                plan.append(("党课", month.replace(day=1), None))
            if month.month == 12:  # the yearly ones in the fourth quarter, as the 条例 suggests
                plan += [("组织生活会", month.replace(day=15), None), ("民主评议党员", month.replace(day=15), None),
                         ("谈心谈话", month.replace(day=10), None)]
            if org_id == biggest:
                plan += [("党小组会", month.replace(day=12), gid) for gid in group_ids]
        for kind, day, gid in plan:
            if day > today or rng.random() > diligence:
                continue
            label = f"{name} {day.isoformat()} {kind}"
            mid = tx.insert("meetings", {"organization_id": org_id, "kind": kind, "held_on": day.isoformat(),
                                         "status": "已召开", "group_id": gid,
                                         "topic": f"{TOPICS[kind]}（演示）", "host": "书记（演示）",
                                         "recorder": "组织委员（演示）", "location": "党群服务中心"}, label=label)
            people = _on(people_here, day)
            if gid is not None:
                members = {r[0] for r in tx.conn.execute(
                    "SELECT person_id FROM party_group_members WHERE group_id = ?", (gid,))}
                people = [p for p in people if p in members]
            _attend(tx, rng, mid, label, people, grades=kind == "民主评议党员")
    coming = add_months(today.replace(day=1), 1).replace(day=10)
    some = next(o for n, o in orgs.items() if n != unit)
    tx.insert("meetings", {"organization_id": some, "kind": "支部党员大会", "held_on": coming.isoformat(),
                           "status": "计划", "topic": "下月支部党员大会（计划，演示）", "location": "党群服务中心"},
              label="计划召开的支部党员大会")


def _groups(tx: Tx, rng: random.Random, org_id: int, members: list[int], today: date) -> list[int]:
    """Two 党小组 splitting the branch's members, founded a year and a half ago."""
    since = add_months(today.replace(day=1), -18).isoformat()
    ids = []
    halves = (members[::2], members[1::2])
    for name, people in zip(("第一党小组", "第二党小组"), halves, strict=True):
        gid = tx.insert("party_groups", {"organization_id": org_id, "name": name,
                                         "leader_id": people[0] if people else None, "since": since},
                        label=name)
        for pid in people:
            tx.insert("party_group_members", {"group_id": gid, "person_id": pid, "since": since}, label=name)
        ids.append(gid)
    rng.shuffle(ids)
    return sorted(ids)
