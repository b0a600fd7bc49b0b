"""The dashboard's figures and the roster filter behind each: the people a figure counts are the ones it opens.

Each figure is counted by statistics() or due_counts(); figure_filter() gives the PeopleFilter that selects
exactly those people (a test checks count == len(roster) for every figure on the demo data).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from registry.rules.categories import CATEGORIES
from registry.rules.deadlines import CLASSES
from registry.services.due import DUE_KINDS, due_person_ids
from registry.services.org_life_gaps import BRANCH_DUE_KINDS
from registry.services.search import PeopleFilter
from registry.storage.database import Registry

MEMBERS = ["预备党员", "正式党员"]

# key: (what the roster says it shows, the filter). Categories and due cells are built in figure_filter.
_MEMBER_FIGURES: dict[str, tuple[str, Callable[[], PeopleFilter]]] = {
    "members": ("党员合计", lambda: PeopleFilter(categories=list(MEMBERS))),
    "registered": ("在册党员", lambda: PeopleFilter(groups=["registered"])),
    "flowing_in": ("流入党员（流动党员）", lambda: PeopleFilter(groups=["flowing_in"])),
    "flowing_out": ("外出流动党员（流出）", lambda: PeopleFilter(groups=["flowing_out"])),
    "unverified": ("组织关系待核实的党员", lambda: PeopleFilter(groups=["unverified"])),
    "stopped": ("停止党籍党员", lambda: PeopleFilter(groups=["stopped"])),
    "lost_contact": ("失联党员", lambda: PeopleFilter(categories=list(MEMBERS), lost_contact=True)),
}


def figure_label(key: str) -> str:
    """The figure in words, as the roster shows it above the list (首页：流入党员（流动党员）)."""
    if key.startswith("category:"):
        return key.split(":", 1)[1]
    if key.startswith("due:"):
        _, kind, cls = key.split(":")
        return f"{DUE_KINDS[kind][0]}（{CLASSES[cls]}）"
    return _MEMBER_FIGURES[key][0]


def figure_filter(reg: Registry, key: str, today: date | None = None) -> PeopleFilter:
    """The roster filter selecting exactly the people a figure counts.

    Keys: "category:<类别>", "members", "registered", "flowing_in", "flowing_out", "unverified", "stopped",
    "lost_contact", and "due:<kind>:<class>" for a cell of the 到期事项 table.
    """
    if key.startswith("category:"):
        category = key.split(":", 1)[1]
        if category not in CATEGORIES:
            raise ValueError(f"unknown category figure: {key}")
        return PeopleFilter(categories=[category])
    if key.startswith("due:"):
        _, kind, cls = key.split(":")
        if kind not in DUE_KINDS or cls not in CLASSES:
            raise ValueError(f"unknown due figure: {key}")
        return PeopleFilter(ids=due_person_ids(reg, cls, today, kind=kind))
    if key not in _MEMBER_FIGURES:
        raise ValueError(f"unknown figure: {key}")
    return _MEMBER_FIGURES[key][1]()


def figure_counts(stats: dict[str, Any], due: dict[str, dict[str, int]]) -> dict[str, int]:
    """Every figure's count, read from statistics() and due_counts() as the dashboard shows them."""
    counts = {f"category:{c}": n for c, n in stats["by_category"].items()}
    members = stats["members"]
    counts.update({"members": members["total"], "registered": members["registered"],
                   "flowing_in": members["flowing_in"], "flowing_out": members["flowing_out"],
                   "unverified": members["unverified"], "stopped": members["stopped"],
                   "lost_contact": members["lost_contact"]})
    for kind, by_class in due.items():
        if kind in BRANCH_DUE_KINDS:  # a branch's items open the 组织生活 page, not a roster of people
            continue
        for cls, n in by_class.items():
            counts[f"due:{kind}:{cls}"] = n
    return counts
