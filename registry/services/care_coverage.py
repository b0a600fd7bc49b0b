"""Care-network coverage per 街道: outlets with a station open in the same 社区, stations by type, visitors.

The rule is registry.rules.care's: an outlet is covered when a station open on the day has the same 社区
(community_key) — and, where both name a 街道, the same 街道, since 新村社区 exists in many streets. Outlets
without a 社区 cannot be placed: they are counted as 未填社区, apart from the uncovered ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from registry.rules.care import REPORT_SERVICE, community_key, is_open, services_of, street_key, visit_months
from registry.storage.database import Registry

NO_STREET = "未填街道"


@dataclass
class StreetCoverage:
    """One 街道's line of the coverage table."""

    street: str
    outlets: int = 0
    covered: int = 0  # outlets with a station open in the same 社区
    uncovered: int = 0  # outlets with a 社区 and no station there
    no_community: int = 0  # outlets without a 社区 (未填社区): neither covered nor uncovered
    stations: int = 0  # stations open on the day in this 街道
    report_points: int = 0  # of which 党员报到点 (offering 党员报到处)
    by_type: dict[str, int] = field(default_factory=dict)
    visits: int = 0  # 服务人次 of these stations in the months of the period
    uncovered_communities: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        """Covered share of the outlets that have a 社区 (%), None when none has."""
        placed = self.covered + self.uncovered
        return round(100 * self.covered / placed, 1) if placed else None


@dataclass
class CareCoverage:
    """Coverage on one day, per 街道 and in total, with the visitor months it summed."""

    day: str
    months: list[str]
    streets: list[StreetCoverage]
    total: StreetCoverage
    types: list[str]  # station types that occur, for the table's columns

    def as_dict(self) -> dict[str, Any]:
        def row(s: StreetCoverage) -> dict[str, Any]:
            return {**asdict(s), "rate": s.rate}

        return {"day": self.day, "months": self.months, "types": self.types,
                "streets": [row(s) for s in self.streets], "total": row(self.total)}


def _outlets(reg: Registry, org_ids: list[int] | None) -> list[tuple[str | None, str | None]]:
    sql = "SELECT street, community FROM outlets"
    params: list[int] = []
    if org_ids is not None:
        sql += f" WHERE organization_id IN ({','.join('?' * len(org_ids))})"
        params = list(org_ids)
    return [(r[0], r[1]) for r in reg.conn.execute(sql, params)]


def care_coverage(reg: Registry, day: date, months: list[str] | None = None,
                  org_ids: list[int] | None = None) -> CareCoverage:
    """Coverage on `day`; visitor counts of `months` (YYYY-MM; default: the day's month)."""
    months = months if months is not None else visit_months(day, day)
    stations = [r for r in reg.conn.execute(
        "SELECT s.services, s.type, s.street, s.community_key, s.opened_on, s.closed_on,"
        f" (SELECT ifnull(sum(count), 0) FROM care_visits v WHERE v.station_id = s.id"
        f"  AND v.month IN ({','.join('?' * len(months))})) FROM care_stations s", months)
        if is_open(r[4], r[5], day)]
    names: dict[str, str] = {}  # street_key -> the spelling first seen
    lines: dict[str, StreetCoverage] = {}

    def line(street: str | None) -> StreetCoverage:
        key = street_key(street)
        if key not in lines:
            names[key] = (street or "").strip() or NO_STREET
            lines[key] = StreetCoverage(names[key])
        return lines[key]

    outlets = _outlets(reg, org_ids)
    for street, _community in outlets:  # the outlets' spelling of a 街道 names its line
        line(street)
    places: dict[str, set[str]] = {}  # community_key -> street keys of stations there ('' = no street written)
    for services, kind, street, place, _o, _c, visits in stations:
        s = line(street)
        s.stations += 1
        s.report_points += REPORT_SERVICE in services_of(services)
        s.by_type[kind] = s.by_type.get(kind, 0) + 1
        s.visits += int(visits)
        if place:
            places.setdefault(place, set()).add(street_key(street))
    for street, community in outlets:
        s = line(street)
        s.outlets += 1
        place = community_key(community)
        if not place:
            s.no_community += 1
            continue
        there = places.get(place, set())
        if "" in there or not street_key(street) or street_key(street) in there:
            s.covered += 1
        else:
            s.uncovered += 1
            name = (community or "").strip()
            if name not in s.uncovered_communities:
                s.uncovered_communities.append(name)
    if org_ids is not None:  # a branch's report: only the streets its outlets are in
        wanted = {street_key(street) for street, _ in outlets}
        lines = {k: v for k, v in lines.items() if k in wanted}
    rows = sorted(lines.values(), key=lambda s: (s.street == NO_STREET, -s.outlets, s.street))
    total = StreetCoverage("合计")
    kinds: Counter[str] = Counter()
    for s in rows:
        for name in ("outlets", "covered", "uncovered", "no_community", "stations", "report_points", "visits"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        kinds.update(s.by_type)
    total.by_type = dict(kinds)
    return CareCoverage(day.isoformat(), months, rows, total, [k for k, _ in kinds.most_common()])
