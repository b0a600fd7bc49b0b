"""The report's 党费 section: who should pay here, who paid and how much this period and the one before, arrears."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from registry.rules import dues as rules
from registry.rules.periods import Period
from registry.services.dues_ledger import Member, collected, members
from registry.services.dues_lists import UNREGISTERED, arrears_of

ROWS = (("should_pay", "应在本单位交纳党费的党员（人）"), ("paid_people", "本期交纳党费的党员（人）"),
        ("collected", "本期收缴党费（元）"), ("arrears", "期末欠缴党费的党员（人）"),
        ("unregistered", f"{UNREGISTERED}的党员（人）"))


def _as_of(found: list[Member], period: Period) -> list[Member]:
    """The members as the records stood at the period's end: joined and managed by then, payments made by then."""
    end = period.end.isoformat()
    out = []
    for m in found:
        if (m.joined_on or "") > end or (m.managed_from or "") > end:
            continue
        out.append(dataclasses.replace(m, payments=[p for p in m.payments if p.paid_on <= end]))
    return out


def _figures(reg: Any, found: list[Member], period: Period, org_ids: list[int] | None) -> dict[str, Any]:
    # Seen on the period's last day, as the arrears list showed it then: the month still running is not owed yet
    # (dues are paid within the month), so a report does not count everyone who pays on the 5th of the next month.
    day = period.end
    people = _as_of(found, period)
    here = [m for m in people if m.pays_here(day)]
    paid, amount = collected(reg, period.start.isoformat(), period.end.isoformat(), org_ids)
    return {"should_pay": len(here), "paid_people": paid, "collected": float(amount),
            "arrears": sum(1 for m in here if m.registered and arrears_of(m, day) is not None),
            "unregistered": sum(1 for m in here if not m.registered), "amount_text": rules.money_text(amount)}


def dues_figures(reg: Any, period: Period, prev: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """The section's rows (the report's comparison shape) and the amounts as text."""
    found = members(reg, org_ids)
    now, before = _figures(reg, found, period, org_ids), _figures(reg, found, prev, org_ids)
    rows = []
    for key, label in ROWS:
        current, previous = now[key], before[key]
        change = round(current - previous, 2) if isinstance(current, float) else current - previous
        rows.append({"key": key, "label": label, "current": current, "previous": previous, "change": change})
    return {"rows": rows, "collected": now["amount_text"], "collected_previous": before["amount_text"],
            "as_of": rules.month_of(period.end), "tracked": sum(1 for m in found if m.registered)}


def dues_rows(section: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows for a workbook: amounts exact to the 分 (Decimal), counts as whole numbers."""
    def cell(key: str, value: Any) -> Any:
        return Decimal(str(value)).quantize(rules.CENT) if key == "collected" else value

    return [(r["label"], cell(r["key"], r["current"]), cell(r["key"], r["previous"]), cell(r["key"], r["change"]))
            for r in section["rows"]]


def dues_note(section: dict[str, Any]) -> str:
    """The note under the table, the same in the PDF and the workbook."""
    return ("注：党费按《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）计算；流入党员在原籍党组织交纳的"
            "不计入应在本单位交纳的人数；未登记党费基数的党员不计为欠缴，请尽快登记基数。欠缴统计到期末所在月份的上一个月（当月党费在当月内交纳）。")
