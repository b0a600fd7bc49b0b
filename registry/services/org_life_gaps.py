"""Whether each branch held what the 三会一课 rules ask, period by period: gaps and pending periods, for the due
list, the dashboard, the 组织生活 page and the report. The rules themselves are registry/rules/org_life.py."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from registry.rules.dates import PartialDate
from registry.rules.deadlines import CLASSES, month_bucket
from registry.rules.org_life import (
    BRANCH_TYPES,
    KIND_RULES,
    RULE_COMMITTEE,
    done_label,
    due_class,
    gap_label,
    has_committee,
    months_for,
    owed,
    pending_label,
    period_containing,
    period_state,
    periods_between,
    window_start,
)
from registry.services.party_groups import BranchSettings, all_settings
from registry.storage.database import Registry
from registry.storage.fragments import EFFECTIVE_ORG

DUE_KIND = "org_life_gap"
# The due list's branch-level kinds (no person: person_id None, organization named).
BRANCH_DUE_KINDS: dict[str, tuple[str, str]] = {DUE_KIND: ("组织生活未开或待开（三会一课等）", "《中国共产党支部工作条例（试行）》")}


@dataclass(frozen=True)
class PeriodCheck:
    """One branch, one kind (a 党小组会: one group), one period: how many were owed and held, and its state."""

    organization_id: int
    organization: str
    kind: str
    group: str | None
    start: datetime.date
    end: datetime.date
    months: int
    held: int
    state: str  # done / pending / gap
    article: str

    @property
    def label(self) -> str:
        if self.state == "gap":
            return gap_label(self.kind, self.start, self.months, self.group)
        if self.state == "pending":
            return pending_label(self.kind, self.months, 1, self.group)
        return done_label(self.kind, self.start, self.months, self.held, self.group)


def _day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return PartialDate.from_iso(value).first_day()
    except ValueError:
        return None


def branches(reg: Registry, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The branches (not 党委/党总支) in scope, by name."""
    rows = reg.query(f"SELECT id, name, type, founded_on FROM organizations WHERE type IN"
                     f" ({','.join('?' * len(BRANCH_TYPES))}) ORDER BY name", BRANCH_TYPES)
    scope = None if org_ids is None else set(org_ids)
    return [r for r in rows if scope is None or r["id"] in scope]


# 正式党员 per organisation (their own, else the one covering their outlet) with the dates that decide whether they
# were one, here and 党籍 正常, on a day: the row's state and the past spans, as services.membership.states_at reads
# them. A row that is not 正式党员 now was not one earlier (the category only steps back), so only those rows are
# read, once; each day is then counted in Python (the committee rule asks for a dozen month ends).
_FULL_ROWS = (
    f"SELECT {EFFECTIVE_ORG.format(a='p')}, p.state_from, NULL, p.status, p.managed_from, p.left_on, p.full_on,"
    f" p.cancelled_on FROM people p WHERE p.category = '正式党员'"
    f" UNION ALL SELECT {EFFECTIVE_ORG.format(a='s')}, s.valid_from, s.valid_to, s.status, p.managed_from, p.left_on,"
    f" p.full_on, p.cancelled_on FROM person_states s JOIN people p ON p.id = s.person_id"
    f" WHERE p.category = '正式党员'")


class _FullMembers:
    """正式党员 per organisation on a day (the committee rule): the rows read once, each day counted once."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.rows: list[tuple[Any, ...]] | None = None
        self.days: dict[datetime.date, Counter[int | None]] = {}

    def count(self, org_id: int, day: datetime.date) -> int:
        if self.rows is None:
            self.rows = self.reg.conn.execute(_FULL_ROWS).fetchall()
        if day not in self.days:
            d = day.isoformat()
            # (org, from, to, status, managed_from, left_on, full_on, cancelled_on); to is None for the row's state
            self.days[day] = Counter(
                org for org, start, end, status, since, left, full, cancelled in self.rows
                if (status or "正常") == "正常" and (since is None or since <= d) and (left is None or left > d)
                and (start is None or start <= d) and (end is None or end > d)
                and (full is None or full <= d) and not (cancelled and cancelled > d))
        return self.days[day][org_id]


def branch_checks(reg: Registry, today: datetime.date, org_ids: list[int] | None = None,
                  first: datetime.date | None = None, last: datetime.date | None = None) -> list[PeriodCheck]:
    """Every owed period of every branch in scope that ends on or after `first` and starts by `last` (default:
    the due list's window up to today), oldest first per branch and kind. Only held meetings count."""
    first = first or window_start(today)
    last = last or today
    found = branches(reg, org_ids)
    if not found:
        return []
    settings = all_settings(reg)
    earliest = min(period_containing(first, 12)[0], first).isoformat()
    held = reg.conn.execute(
        "SELECT organization_id, kind, group_id, held_on FROM meetings WHERE status = '已召开' AND held_on >= ?"
        " AND held_on <= ?", (earliest, last.isoformat())).fetchall()  # held by `last`: what the day knew
    groups = reg.conn.execute("SELECT id, organization_id, name, since, until FROM party_groups").fetchall()
    full = _FullMembers(reg)
    out: list[PeriodCheck] = []
    for b in found:
        s = settings.get(b["id"], BranchSettings(b["id"]))
        founded, records = _day(b["founded_on"]), _day(s.records_from)
        own = [(k, g, d) for o, k, g, d in held if o == b["id"]]
        for rule in KIND_RULES:
            months = months_for(rule.kind, s.lessons_per_year)
            for start, end in periods_between(first, last, months):
                if end < first or not owed(start, founded, records):
                    continue
                if rule.needs == "committee" and not has_committee(
                        s.committee, full.count(b["id"], min(end, today)) if s.committee == "自动" else 0):
                    continue
                lo, hi = start.isoformat(), end.isoformat()
                if rule.needs == "groups":
                    for gid, org_id, name, since, until in groups:
                        if org_id != b["id"] or not owed(start, _day(since), None) or (until and until <= hi):
                            continue
                        n = sum(1 for k, g, d in own if k == rule.kind and g == gid and lo <= d <= hi)
                        out.append(PeriodCheck(b["id"], b["name"], rule.kind, name, start, end, months, n,
                                               period_state(n, end, today), rule.article))
                    continue
                n = sum(1 for k, _, d in own if k == rule.kind and lo <= d <= hi)
                out.append(PeriodCheck(b["id"], b["name"], rule.kind, None, start, end, months, n,
                                       period_state(n, end, today), rule.article))
    return out


def _item(c: PeriodCheck, cls: str, today: datetime.date) -> dict[str, Any]:
    due = c.end.isoformat()
    return {"kind": DUE_KIND, "label": c.label, "bucket": month_bucket(due, today), "bucket_label": CLASSES[cls],
            "class": cls, "class_label": CLASSES[cls], "rule": c.article, "due": due, "person_id": None,
            "name": c.organization, "id_number": None, "category": None, "outlet": None,
            "organization_id": c.organization_id, "organization": c.organization, "meeting_kind": c.kind,
            "group": c.group, "period_start": c.start.isoformat(), "period_end": due}


def org_life_due_items(reg: Registry, today: datetime.date, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The branch-level due items: periods missed (已逾期) and periods running that end this or next month."""
    items = []
    for c in branch_checks(reg, today, org_ids):
        cls = due_class(c.state, c.end, today)
        if cls is not None:
            items.append(_item(c, cls, today))
    return items


def org_life_due_counts(reg: Registry, today: datetime.date) -> dict[str, dict[str, int]]:
    counts = dict.fromkeys(CLASSES, 0)
    for item in org_life_due_items(reg, today):
        counts[item["class"]] += 1
    return {DUE_KIND: counts}


def committee_note(reg: Registry, organization_id: int, day: datetime.date) -> str:
    """Why a branch is or is not owed 支部委员会 meetings, in words, citing the rule."""
    s = all_settings(reg).get(organization_id, BranchSettings(organization_id))
    if s.committee in ("有", "无"):
        return f"已登记为{'设' if s.committee == '有' else '不设'}支部委员会。"
    n = _FullMembers(reg).count(organization_id, day)
    has = has_committee(None, n)
    return (f"正式党员{n}人，{'应设' if has else '不设'}支部委员会（{RULE_COMMITTEE}）。")


def gap_rows(reg: Registry, today: datetime.date, org_ids: list[int] | None = None,
             include_done: bool = False) -> list[dict[str, Any]]:
    """The periods missed (未开) and running (待开) per branch, as the CLI and the 组织生活 page list them."""
    return [{"organization": c.organization, "organization_id": c.organization_id, "kind": c.kind, "group": c.group,
             "period_start": c.start.isoformat(), "period_end": c.end.isoformat(), "held": c.held, "state": c.state,
             "label": c.label, "rule": c.article}
            for c in branch_checks(reg, today, org_ids) if include_done or c.state != "done"]
