"""Dated membership: how a person came under this unit, their relation to it, and how they left."""

from __future__ import annotations

import re
import unicodedata

# 在册: the formal relationship is held here (including members working elsewhere, 流出: they are still counted
# here, by the organisation holding the relationship). 流入: held elsewhere, managed here. 待核实: a member whose
# relationship nobody has established yet (a census find): listed as due until resolved, never silently 在册.
RELATIONS: tuple[str, ...] = ("在册", "流入", "流出", "待核实")
MANAGED_HOW: tuple[str, ...] = ("摸排新纳入", "组织关系转入", "流入报到", "接收预备党员", "新录入")
LEFT_HOW: tuple[str, ...] = ("离开本单位", "组织关系转出", "死亡", "出党", "除名")
# Kept from the state at a date; everything else about a person is either dated itself (stage dates) or
# not counted by any report.
TRACKED_COLUMNS: tuple[str, ...] = ("organization_id", "outlet_id", "relation", "status", "lost_contact")

_SPELLINGS = {
    "在册": ("在册", "在册党员", "本地", "本单位", "否"),
    "流入": ("流入", "流入党员", "流动党员", "外来流动党员", "流入管理", "流入报到"),
    "流出": ("流出", "流出党员", "外出", "外出流动", "外出流动党员"),
    "待核实": ("待核实", "未知", "不详", "不清楚", "待确认"),
}
_LOOKUP = {s: canonical for canonical, spellings in _SPELLINGS.items() for s in spellings}
_HOW_SPELLINGS = {
    "摸排新纳入": ("摸排新纳入", "摸排", "摸排纳入", "摸排发现", "普查", "排查"),
    "组织关系转入": ("组织关系转入", "转入"),
    "流入报到": ("流入报到", "报到", "流动党员报到"),
    "接收预备党员": ("接收预备党员", "发展", "新发展"),
    "新录入": ("新录入", "录入", "手工录入"),
}
_HOW_LOOKUP = {s: canonical for canonical, spellings in _HOW_SPELLINGS.items() for s in spellings}
_SPACE = re.compile(r"\s+")


def _key(value: object) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


def normalise_relation(value: object) -> str | None:
    """在册 / 流入 / 流出 / 待核实 for a spelling; None when empty or not recognised."""
    return _LOOKUP.get(_key(value)) if value not in (None, "") else None


def normalise_managed_how(value: object) -> str | None:
    return _HOW_LOOKUP.get(_key(value)) if value not in (None, "") else None


def normalise_left_how(value: object) -> str | None:
    key = _key(value) if value not in (None, "") else ""
    return key if key in LEFT_HOW else None


def relation_for_flowing(flowing: bool, current: str | None) -> str:
    """The relation a plain 流入 yes/no means, given the stored one: 否 leaves 流出 and 待核实 as they are."""
    if flowing:
        return "流入" if current != "流出" else "流出"
    return current if current in ("在册", "流出", "待核实") else "在册"


# The groups a member is counted in: 在册 (with 流出, counted by the organisation holding the relationship),
# 流入, 待核实 and 停止党籍; 党员合计 is their sum.
MEMBER_GROUPS: tuple[str, ...] = ("registered", "flowing_in", "unverified", "stopped")
GROUP_LABELS = {"registered": "在册党员", "flowing_in": "流入党员", "unverified": "关系待核实党员", "stopped": "停止党籍党员",
                "flowing_out": "外出流动党员（流出）"}


def member_group(category: str | None, relation: str | None, status: str | None) -> str | None:
    """Which member group a person at a date is counted in; None for a non-member."""
    if category not in ("预备党员", "正式党员"):
        return None
    if status not in (None, "正常"):
        return "stopped"
    return {"流入": "flowing_in", "待核实": "unverified"}.get(relation or "在册", "registered")


# The same groups as conditions on a people row `p` (its current state), for filters that must select exactly
# the people member_group() counts: the dashboard's figures open the roster through these.
_MEMBER = "p.category IN ('预备党员','正式党员')"
_NORMAL = "coalesce(p.status, '正常') = '正常'"
GROUP_SQL: dict[str, str] = {
    "registered": f"({_MEMBER} AND {_NORMAL} AND coalesce(p.relation, '在册') NOT IN ('流入','待核实'))",
    "flowing_in": f"({_MEMBER} AND {_NORMAL} AND p.relation = '流入')",
    "unverified": f"({_MEMBER} AND {_NORMAL} AND p.relation = '待核实')",
    "stopped": f"({_MEMBER} AND NOT {_NORMAL})",
    "flowing_out": f"({_MEMBER} AND {_NORMAL} AND p.relation = '流出')",
}
