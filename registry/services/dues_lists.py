"""What the 党费 records add up to: the arrears list, the yearly grid, the due items and the report's section."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from registry.display import cn_date
from registry.rules import dues as rules
from registry.rules.deadlines import CLASSES
from registry.services.dues_ledger import (
    COVERED,
    EXEMPT,
    PAID,
    STATE_LABELS,
    UNPAID,
    Member,
    life_by_month,
    members,
)
from registry.storage.database import Registry

# The due list's kinds of this module: (label, article), added to services.due.DUE_KINDS.
DUES_KINDS: dict[str, tuple[str, str]] = {
    "dues_arrears": ("欠缴党费", rules.RULE_DUES),
    "six_months": (f"连续{rules.SIX_MONTHS}个月未参加组织生活、未交纳党费", rules.RULE_SIX_MONTHS),
}
UNREGISTERED = "未登记党费基数"


@dataclass(frozen=True)
class Arrears:
    """A member paying here with months unpaid up to last month."""

    person_id: int
    name: str
    id_number: str
    category: str
    organization: str | None
    outlet: str | None
    months: list[str]
    amount: Decimal
    longest: int  # the longest run of consecutive unpaid months
    paid_to: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "name": self.name, "id_number": self.id_number,
                "category": self.category, "organization": self.organization, "outlet": self.outlet,
                "months": self.months, "count": len(self.months), "amount": rules.money_text(self.amount),
                "longest": self.longest, "paid_to": self.paid_to, "text": self.text()}

    def text(self) -> str:
        months = "、".join(cn_date(m) for m in self.months[:6]) + ("等" if len(self.months) > 6 else "")
        tail = f"；已连续{self.longest}个月未交纳，无正当理由的按{rules.RULE_SIX_MONTHS}处理" \
            if self.longest >= rules.SIX_MONTHS else ""
        return f"欠缴{len(self.months)}个月（{months}），合计{rules.money_text(self.amount)}元{tail}"


def arrears_of(m: Member, today: datetime.date) -> Arrears | None:
    unpaid = m.unpaid(today)
    if not unpaid:
        return None
    months = [month for month, _ in unpaid]
    run = rules.longest_run(months)
    return Arrears(m.id, m.name, m.id_number, m.category, m.organization, m.outlet, months,
                   sum((due for _, due in unpaid), Decimal(0)), run.length if run else 0, m.paid_to(today))


class ArrearsList(TypedDict):
    as_of: str  # the last month counted
    arrears: list[dict[str, Any]]
    unregistered: list[dict[str, Any]]
    paying_here: int
    paying_home: int


def arrears_list(reg: Registry, today: datetime.date | None = None, org_ids: list[int] | None = None) -> ArrearsList:
    """Members paying here with unpaid months up to last month, and members with no base yet (未登记党费基数: not
    counted as owing anything, since the registry does not know what or since when)."""
    today = today or datetime.date.today()
    found = members(reg, org_ids)
    owing, unregistered, here, home = [], [], 0, 0
    for m in found:
        if not m.pays_here(today):
            home += 1
            continue
        here += 1
        if not m.registered:
            unregistered.append({"person_id": m.id, "name": m.name, "id_number": m.id_number, "category": m.category,
                                 "organization": m.organization, "outlet": m.outlet, "text": UNREGISTERED})
            continue
        a = arrears_of(m, today)
        if a is not None:
            owing.append(a.as_dict())
    return {"as_of": rules.last_complete_month(today), "arrears": owing, "unregistered": unregistered,
            "paying_here": here, "paying_home": home}


def six_month_runs(reg: Registry, today: datetime.date, org_ids: list[int] | None = None,
                   people: list[Member] | None = None) -> dict[int, rules.Run]:
    """Members with six consecutive months absent from every meeting her branch held and without dues (党章第九条).

    Months are judged only from the month her dues are tracked here (first base, not before she joined or came
    under management) to last month; a month her branch recorded no meeting in, or that she was excused from (请假:
    the leave is the good reason), or whose dues were paid or exempt, breaks the run.
    """
    people = [m for m in (people if people is not None else members(reg, org_ids, tracked_only=True))
              if m.registered]
    # Six months in a row without dues come first: only members with such a run are looked at for meetings.
    people = [m for m in people if (run := rules.longest_run([month for month, _ in m.unpaid(today)]))
              and run.length >= rules.SIX_MONTHS]
    last = rules.last_complete_month(today)
    life = life_by_month(reg, people, last)
    out = {}
    for m in people:
        managed = (m.managed_from or "")[:7]
        owed = [s for s in m.owed_states(today) if s.month >= managed]
        judged = [(s.month, life[m.id].get(s.month, rules.LIFE_UNKNOWN),
                   rules.DUES_UNPAID if s.state == UNPAID else rules.DUES_PAID if s.state in COVERED
                   else rules.DUES_UNKNOWN) for s in owed]
        run = rules.six_month_run(judged)
        if run is not None:
            out[m.id] = run
    return out


# The due list, its counts and the dashboard's figures ask for the same items several times between two changes:
# they are computed once per state of the data (the last operation of the audit log), day and scope.
_MEMO: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
_MEMO_SIZE = 8


def dues_due_items(reg: Registry, today: datetime.date, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The due list's 党费 items (person-level, the due list's shape): 欠缴 and the six-month rule, both overdue."""
    last = reg.conn.execute("SELECT id, at FROM operations ORDER BY id DESC LIMIT 1").fetchone()
    key = (str(reg.path), id(reg.conn), tuple(last or ()), today, tuple(org_ids) if org_ids is not None else None)
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = _dues_due_items(reg, today, org_ids)
    return [dict(i) for i in _MEMO[key]]  # callers may change what they are given


def _dues_due_items(reg: Registry, today: datetime.date, org_ids: list[int] | None) -> list[dict[str, Any]]:
    people = members(reg, org_ids, tracked_only=True, owing_by=today)
    items = []

    def item(kind: str, m: Member, due: str, label: str) -> dict[str, Any]:
        return {"kind": kind, "label": label, "bucket": "overdue", "bucket_label": CLASSES["overdue"],
                "class": "overdue", "class_label": CLASSES["overdue"], "rule": DUES_KINDS[kind][1], "due": due,
                "person_id": m.id, "name": m.name, "id_number": m.id_number, "category": m.category,
                "outlet": m.outlet}

    for m in people:
        if not m.pays_here(today):
            continue
        a = arrears_of(m, today)
        if a is not None:
            items.append(item("dues_arrears", m, a.months[0], a.text()))
    runs = six_month_runs(reg, today, people=people)
    for m in people:
        if m.id in runs:
            run = runs[m.id]
            items.append(item("six_months", m, rules.month_text(rules.month_index(run.first) + rules.SIX_MONTHS - 1),
                              f"{cn_date(run.first)}至{cn_date(run.last)}连续{run.length}个月未参加组织生活、未交纳党费，"
                              "无正当理由的被认为是自行脱党，请及时谈话了解情况并按党章处理"))
    return items


def dues_due_counts(reg: Registry, today: datetime.date) -> dict[str, dict[str, int]]:
    counts = {k: dict.fromkeys(CLASSES, 0) for k in DUES_KINDS}
    for i in dues_due_items(reg, today):
        counts[i["kind"]][i["class"]] += 1
    return counts


# The yearly summary --------------------------------------------------------------------------------------------

class SummaryCell(TypedDict):
    month: str
    state: str
    label: str
    due: str
    paid: str


def year_summary(reg: Registry, year: int, today: datetime.date | None = None,
                 org_ids: list[int] | None = None) -> dict[str, Any]:
    """Members × the twelve months of `year`: each cell's state with what was due and paid, totals per month and year.

    "Due" is what the months up to last month owe, and any later month already paid (预交); a month not yet due
    and not paid adds nothing. Members paying at home are listed with 原籍交纳 and add nothing to the totals."""
    today = today or datetime.date.today()
    months = rules.months(f"{year:04d}-01", f"{year:04d}-12")
    rows = []
    due_by_month = [Decimal(0)] * 12
    paid_by_month = [Decimal(0)] * 12
    for m in members(reg, org_ids, left_since=f"{year:04d}-01-01"):
        states = m.states(months, today)
        cells: list[SummaryCell] = []
        due = paid = Decimal(0)
        for i, s in enumerate(states):
            owed = s.due if s.state in (PAID, UNPAID, EXEMPT) else None
            if owed is not None:
                due += owed
                due_by_month[i] += owed
            if s.paid is not None:
                paid += s.paid
                paid_by_month[i] += s.paid
            cells.append({"month": s.month, "state": s.state, "label": STATE_LABELS[s.state],
                          "due": rules.money_text(owed), "paid": rules.money_text(s.paid)})
        base = m.base_for(months[-1]) or m.base_for(rules.month_of(today))
        rows.append({"person_id": m.id, "name": m.name, "id_number": m.id_number, "category": m.category,
                     "left_on": m.left_on,
                     "organization": m.organization, "outlet": m.outlet, "registered": m.registered,
                     "pays_here": m.pays_here(today),
                     "payer_class": base.payer_class if base else None,
                     "monthly": rules.money_text(base.amount) if base and base.amount is not None else "",
                     "paid_to": m.paid_to(today), "cells": cells, "due": rules.money_text(due),
                     "paid": rules.money_text(paid),
                     "unpaid": sum(1 for c in cells if c["state"] == UNPAID)})
    return {"year": year, "months": months, "rows": rows,
            "due_by_month": [rules.money_text(d) for d in due_by_month],
            "paid_by_month": [rules.money_text(p) for p in paid_by_month],
            "due": rules.money_text(sum(due_by_month, Decimal(0))),
            "paid": rules.money_text(sum(paid_by_month, Decimal(0)))}


# The window's filter over the year grid's rows: (label, test), declared once.
GRID_FILTERS: tuple[tuple[str, str], ...] = (("all", "全部"), ("arrears", "欠缴"), ("unregistered", "未登记基数"),
                                             ("home", "原籍交纳"))


def grid_rows(summary: dict[str, Any], which: str = "all", text: str = "") -> list[dict[str, Any]]:
    """The summary's rows that the filter keeps: 欠缴 (a month unpaid this year), 未登记基数 (paying here, no base),
    原籍交纳; `text` narrows by name."""
    def keep(r: dict[str, Any]) -> bool:
        if which == "arrears":
            return bool(r["unpaid"])
        if which == "unregistered":
            return r["pays_here"] and not r["registered"] and not r["left_on"]
        if which == "home":
            return not r["pays_here"] and not r["left_on"]
        return True

    return [r for r in summary["rows"] if keep(r) and (not text or text in r["name"])]


def grid_note(summary: dict[str, Any], shown: list[dict[str, Any]]) -> str:
    """The line above the grid: how many are shown, what the year owes and what was paid."""
    arrears = sum(1 for r in summary["rows"] if r["unpaid"])
    unregistered = sum(1 for r in summary["rows"] if r["pays_here"] and not r["registered"] and not r["left_on"])
    return (f"{summary['year']}年：列出{len(shown)}名党员；应交{summary['due']}元（截至上月及已预交月份），"
            f"实交{summary['paid']}元；欠缴{arrears}人，未登记党费基数{unregistered}人。")
