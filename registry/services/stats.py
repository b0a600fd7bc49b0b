"""Statistics for an organisation subtree at a date: categories, 在册 vs 流入, outlets, brands, coverage."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.rules.categories import CATEGORIES
from registry.rules.membership import MEMBER_GROUPS, member_group
from registry.services.organizations import require_org, subtree_ids
from registry.storage.database import Registry
from registry.storage.fragments import (
    APPROVED_AFTER,
    CATEGORY_AT,
    PRESENT_AT,
    ROW_STATE_AT,
    SPAN_AT,
    subtree_clause_named,
)

STAGE_COLUMNS = ("applied_on", "activist_on", "target_on", "joined_on", "full_on", "cancelled_on")


def _scope(reg: Registry, org: str | None) -> tuple[str, str, str, dict[str, Any], dict[str, Any] | None]:
    """SQL conditions limiting people, their past states and outlets to an organisation subtree."""
    if not org:
        return "1", "1", "1", {}, None
    found = require_org(reg, org)
    ids = subtree_ids(reg, found["id"])
    people, outlets, params = subtree_clause_named(ids)
    spans, _, _ = subtree_clause_named(ids, alias="s")
    return people, spans, outlets, params, found


def _counts(reg: Registry, at: date, people_scope: str, span_scope: str,
            params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(outlet_id, category at the date, relation, status, lost_contact, count) groups of the people here at `at`.

    Nearly everyone's state at a date is the one on their row: grouping in the order of the covering index
    streams without a sort. Only people with a stage date after the date need the step-back expression, and
    only those whose row state began after it are read from person_states; both are few.
    """
    where = f"{PRESENT_AT} AND {ROW_STATE_AT} AND {people_scope}"
    group = "GROUP BY p.outlet_id, p.category, p.relation, p.status, p.lost_contact"
    cols = "p.outlet_id, {cat}, p.relation, p.status, p.lost_contact, count(*)"
    if at >= date.today():  # stage dates and changes are never in the future: the row is the answer
        return reg.conn.execute(f"SELECT {cols.format(cat='p.category')} FROM people p INDEXED BY people_stats"
                                f" WHERE {where} {group}", params).fetchall()
    # An approval recorded after the date leaves a 预备党员 not yet counted as one then (as 党统 counts).
    later = " OR ".join([*(f"coalesce(p.{c}, '') > :d" for c in STAGE_COLUMNS), APPROVED_AFTER])
    settled = reg.conn.execute(f"SELECT {cols.format(cat='p.category')} FROM people p INDEXED BY people_stats"
                               f" WHERE {where} AND NOT ({later}) {group}", params).fetchall()
    moved = reg.conn.execute(f"SELECT {cols.format(cat=CATEGORY_AT)} FROM people p INDEXED BY people_stats"
                             f" WHERE {where} AND ({later}) GROUP BY 1, 2, 3, 4, 5", params).fetchall()
    spans = reg.conn.execute(
        f"SELECT s.outlet_id, {CATEGORY_AT}, s.relation, s.status, s.lost_contact, count(*)"
        f" FROM person_states s JOIN people p ON p.id = s.person_id"
        f" WHERE {SPAN_AT} AND {PRESENT_AT} AND {span_scope} GROUP BY 1, 2, 3, 4, 5", params).fetchall()
    return settled + moved + spans


def brand_totals(outlets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outlets, workers and members per brand from the per-outlet rows (members: 党籍正常, at an outlet)."""
    brands: dict[str, dict[str, Any]] = {}
    for o in outlets:
        name = o["brand"] or "未注明品牌"
        b = brands.setdefault(name, {"brand": name, "outlets": 0, "people": 0, "workers": 0, "with_members": 0,
                                     "with_organization": 0, "members": 0, "flowing": 0})
        b["outlets"] += 1
        b["people"] += o["people"]
        b["workers"] += o["workers"] or 0
        b["with_members"] += 1 if o["members"] else 0
        b["with_organization"] += 1 if o["has_org"] else 0
        b["members"] += o["members"]
        b["flowing"] += o["flowing"]
    return sorted(brands.values(), key=lambda b: (-b["members"], -b["outlets"], b["brand"]))


def statistics(reg: Registry, at: date | None = None, org: str | None = None) -> dict[str, Any]:
    at = at or date.today()
    people_scope, span_scope, outlet_scope, params, found = _scope(reg, org)
    params = {**params, "d": at.isoformat()}
    by_category = dict.fromkeys(CATEGORIES, 0)
    groups = dict.fromkeys(MEMBER_GROUPS, 0)
    flowing_out = lost = 0
    per_outlet: dict[int | None, list[int]] = {}  # outlet id -> [people, members, flowing-in members]
    for outlet_id, cat, relation, status, lost_contact, n in _counts(reg, at, people_scope, span_scope, params):
        by_category[cat] += n
        tally = per_outlet.setdefault(outlet_id, [0, 0, 0, 0])
        tally[0] += n
        group = member_group(cat, relation, status)
        if group is None:
            continue
        groups[group] += n
        if group == "stopped":
            tally[3] += n
        else:
            tally[1] += n
            tally[2] += n if group == "flowing_in" else 0
        flowing_out += n if group == "registered" and relation == "流出" else 0
        lost += n if lost_contact else 0
    members = by_category["预备党员"] + by_category["正式党员"]

    outlet_rows = reg.query(
        f"""
        SELECT o.id, o.name AS outlet, b.name AS brand, o.workers, o.organization_id IS NOT NULL AS has_org,
               g.name AS organization
        FROM outlets o
        LEFT JOIN brands b ON b.id = o.brand_id
        LEFT JOIN organizations g ON g.id = o.organization_id
        WHERE {outlet_scope}
        """,
        params,
    )
    for r in outlet_rows:
        r["has_org"] = bool(r["has_org"])
        r["people"], r["members"], r["flowing"], r["stopped"] = per_outlet.get(r["id"], (0, 0, 0, 0))
    outlet_rows.sort(key=lambda r: (-r["members"], r["outlet"]))
    brands = brand_totals(outlet_rows)
    total_outlets = len(outlet_rows)
    with_org = sum(1 for r in outlet_rows if r["has_org"])
    with_members = sum(1 for r in outlet_rows if r["members"])
    work = sum(1 for r in outlet_rows if r["has_org"] or r["members"])

    def pct(n: int) -> float:
        return round(100.0 * n / total_outlets, 1) if total_outlets else 0.0

    return {
        "date": at.isoformat(),
        "organization": found["name"] if found else None,
        "people": sum(by_category.values()),
        "by_category": by_category,
        "members": {"total": members, "registered": groups["registered"], "flowing_in": groups["flowing_in"],
                    "flowing_out": flowing_out, "unverified": groups["unverified"], "stopped": groups["stopped"],
                    "lost_contact": lost},
        "outlets": {"total": total_outlets, "with_organization": with_org, "with_members": with_members,
                    "without_members": total_outlets - with_members, "work_covered": work,
                    "organization_coverage": pct(with_org), "work_coverage": pct(work)},
        "by_outlet": [{k: v for k, v in r.items() if k != "id"} for r in outlet_rows],
        "by_brand": brands,
    }
