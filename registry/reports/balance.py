"""The balance of a period: 上期末 + each addition − each removal = 本期末, person by person.

Both ends are read with the same states_at(), and every person whose group (or category) differs between
them is one addition and/or one removal with a reason, so the identity holds by construction; the reason
comes from what happened to them in the period (how they came, how they left, which stage they reached).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from registry.rules.categories import CATEGORIES
from registry.rules.membership import MEMBER_GROUPS
from registry.services.membership import PersonState, changed_between, states_at
from registry.storage.database import Registry

# The stage line for reaching a category, and for a flowing-in member whose stage is the home organisation's.
REACHED = {"入党申请人": "新递交入党申请书", "入党积极分子": "新确定入党积极分子", "发展对象": "新列为发展对象",
           "预备党员": "新接收预备党员", "正式党员": "预备党员转为正式党员", "群众": "人员类别更正"}
REACHED_ELSEWHERE = {"预备党员": "流入党员接收为预备党员（原党组织办理）", "正式党员": "流入党员转正（原党组织办理）"}
LEFT_FOR = {"registered": "离开本单位", "flowing_in": "流入党员离开本地", "unverified": "离开本单位", "stopped": "离开本单位"}


@dataclass
class Line:
    """One change line: who moved into or out of a group, and why."""

    line: str
    group: str
    delta: int = 0
    people: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "group": self.group, "delta": self.delta, "people": self.people}


@dataclass(frozen=True)
class Facts:
    """What a person's row says about how they came and left."""

    name: str
    managed_how: str | None
    left_on: str | None
    left_how: str | None
    left_reason: str | None


def _facts(reg: Registry, ids: set[int]) -> dict[int, Facts]:
    out: dict[int, Facts] = {}
    chunk = sorted(ids)
    for i in range(0, len(chunk), 900):
        part = chunk[i:i + 900]
        for r in reg.conn.execute("SELECT id, name, managed_how, left_on, left_how, left_reason FROM people"
                                  f" WHERE id IN ({','.join('?' * len(part))})", part):
            out[r[0]] = Facts(*r[1:])
    return out


def _arrival(pid: int, before_anywhere: Mapping[int, PersonState], after: PersonState, facts: Facts) -> str:
    if pid in before_anywhere:
        return "从其他党组织调入"
    if facts.managed_how:
        return facts.managed_how
    return "流入报到" if after.group == "flowing_in" else "新录入"


def _departure(pid: int, after_anywhere: Mapping[int, PersonState], before: PersonState, facts: Facts,
               end: date) -> str:
    if pid in after_anywhere:
        return "调往其他党组织"
    if facts.left_on and facts.left_on <= end.isoformat():
        if facts.left_how:
            return facts.left_how
        if (facts.left_reason or "").startswith("组织关系转出"):
            return "组织关系转出"
        return LEFT_FOR.get(before.group or "", "离开本单位")
    return "纳入管理日期更正"


def _group_move(a: PersonState, b: PersonState) -> tuple[str, str]:
    """(removal line, addition line) for a member who is in a different group at the end."""
    ga, gb = a.group, b.group
    if gb == "stopped":
        return "停止党籍", "停止党籍"
    if ga == "stopped":
        return "恢复党籍", "恢复党籍"
    if ga == "flowing_in" and gb == "registered":
        return "组织关系转入本单位", "组织关系转入"
    if ga == "unverified":
        return "核实组织关系", "核实为在册" if gb == "registered" else "核实为流入"
    if gb == "unverified":
        return "改为关系待核实", "改为关系待核实"
    return "改为流入管理", "改为流入管理"


class _Tally:
    def __init__(self) -> None:
        self.lines: dict[tuple[str, str, int], Line] = {}

    def add(self, group: str, line: str, sign: int, name: str) -> None:
        entry = self.lines.setdefault((group, line, sign), Line(line, group))
        entry.delta += sign
        entry.people.append(name)

    def sorted(self, groups: tuple[str, ...]) -> list[dict[str, Any]]:
        order = {g: i for i, g in enumerate(groups)}
        return [x.as_dict() for x in sorted(self.lines.values(), key=lambda x: (order[x.group], -x.delta > 0, x.line))]


def balance(reg: Registry, prev_end: date, end: date,
            in_scope: Callable[[PersonState], bool]) -> dict[str, list[dict[str, Any]]]:
    """{"members": lines per member group, "pipeline": lines per category} between the two days."""
    ids = changed_between(reg, prev_end, end)
    before_all, after_all = states_at(reg, prev_end, ids), states_at(reg, end, ids)
    before = {k: v for k, v in before_all.items() if in_scope(v)}
    after = {k: v for k, v in after_all.items() if in_scope(v)}
    facts = _facts(reg, set(before) | set(after))
    members, pipeline = _Tally(), _Tally()
    for pid in sorted(set(before) | set(after), key=lambda i: (facts[i].name, i)):
        a, b, f = before.get(pid), after.get(pid), facts[pid]
        ga, gb = (a.group if a else None), (b.group if b else None)
        if ga != gb:
            if a is not None and b is not None and ga is not None and gb is not None:
                out_line, in_line = _group_move(a, b)
            else:
                out_line = in_line = ""
            if ga is not None and a is not None:
                if b is None:
                    out_line = _departure(pid, after_all, a, f, end)
                elif gb is None:
                    out_line = "取消预备党员资格" if a.category == "预备党员" else "人员类别更正"
                members.add(ga, out_line, -1, f.name)
            if gb is not None and b is not None:
                if a is None:
                    in_line = _arrival(pid, before_all, b, f)
                elif ga is None:
                    in_line = "新接收预备党员" if b.category == "预备党员" else "人员类别更正"
                members.add(gb, in_line, +1, f.name)
        ca, cb = (a.category if a else None), (b.category if b else None)
        if ca != cb:
            if ca is not None and a is not None:
                if b is None:
                    line = _departure(pid, after_all, a, f, end)
                elif cb is not None and CATEGORIES.index(cb) > CATEGORIES.index(ca):
                    line = f"转为{cb}"
                else:
                    line = "取消预备党员资格" if ca == "预备党员" else "人员类别更正"
                pipeline.add(ca, line, -1, f.name)
            if cb is not None and b is not None:
                if a is None:
                    line = _arrival(pid, before_all, b, f)
                elif ca is not None and CATEGORIES.index(cb) > CATEGORIES.index(ca):
                    line = REACHED_ELSEWHERE[cb] if b.group == "flowing_in" and cb in REACHED_ELSEWHERE \
                        else REACHED[cb]
                else:
                    line = "人员类别更正"
                pipeline.add(cb, line, +1, f.name)
    return {"members": members.sorted(MEMBER_GROUPS), "pipeline": pipeline.sorted(tuple(reversed(CATEGORIES)))}
