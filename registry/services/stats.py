"""Statistics for an organisation subtree at a date: categories, 在册 vs 流入, outlets, brands, coverage."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.rules.categories import CATEGORIES
from registry.services.organizations import require_org, subtree_ids
from registry.storage.database import Registry
from registry.storage.fragments import CATEGORY_AT, subtree_clause_named

PRESENT = "(p.left_on IS NULL OR p.left_on > :d)"
STAGE_COLUMNS = ("applied_on", "activist_on", "target_on", "joined_on", "full_on")


def _scope(reg: Registry, org: str | None) -> tuple[str, str, dict[str, Any], dict[str, Any] | None]:
    """SQL conditions limiting people and outlets to an organisation subtree."""
    if not org:
        return "1", "1", {}, None
    found = require_org(reg, org)
    people, outlets, params = subtree_clause_named(subtree_ids(reg, found["id"]))
    return people, outlets, params, found


def _counts(reg: Registry, at: date, people_scope: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(outlet_id, category at the date, flowing, status, lost_contact, count) groups.

    Grouping in the order of the covering index streams without a sort. Only people with a stage date
    after the date need the step-back expression, and they are few, so they are grouped separately.
    """
    where = f"{PRESENT} AND {people_scope}"
    group = "GROUP BY p.outlet_id, p.category, p.flowing, p.status, p.lost_contact"
    cols = "p.outlet_id, {cat}, p.flowing, p.status, p.lost_contact, count(*)"
    if at >= date.today():  # stage dates are never in the future (a rule): the stored category is the answer
        return reg.conn.execute(f"SELECT {cols.format(cat='p.category')} FROM people p INDEXED BY people_stats"
                                f" WHERE {where} {group}", params).fetchall()
    later = " OR ".join(f"coalesce(p.{c}, '') > :d" for c in STAGE_COLUMNS)
    settled = reg.conn.execute(f"SELECT {cols.format(cat='p.category')} FROM people p INDEXED BY people_stats"
                               f" WHERE {where} AND NOT ({later}) {group}", params).fetchall()
    moved = reg.conn.execute(f"SELECT {cols.format(cat=CATEGORY_AT)} FROM people p INDEXED BY people_stats"
                             f" WHERE {where} AND ({later}) GROUP BY 1, 2, 3, 4, 5", params).fetchall()
    return settled + moved


def statistics(reg: Registry, at: date | None = None, org: str | None = None) -> dict[str, Any]:
    at = at or date.today()
    people_scope, outlet_scope, params, found = _scope(reg, org)
    params = {**params, "d": at.isoformat()}
    by_category = dict.fromkeys(CATEGORIES, 0)
    registered = flowing_in = stopped = lost = 0
    per_outlet: dict[int | None, list[int]] = {}  # outlet id -> [people, members, flowing members]
    for outlet_id, cat, flowing, status, lost_contact, n in _counts(reg, at, people_scope, params):
        by_category[cat] += n
        tally = per_outlet.setdefault(outlet_id, [0, 0, 0])
        tally[0] += n
        if cat in ("预备党员", "正式党员"):
            if status != "正常":
                stopped += n
            else:
                tally[1] += n
                if flowing:
                    flowing_in += n
                    tally[2] += n
                else:
                    registered += n
            if lost_contact:
                lost += n
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
        r["people"], r["members"], r["flowing"] = per_outlet.get(r["id"], (0, 0, 0))
    outlet_rows.sort(key=lambda r: (-r["members"], r["outlet"]))
    brands: dict[str, dict[str, Any]] = {}
    for r in outlet_rows:
        b = brands.setdefault(r["brand"] or "未注明品牌", {"brand": r["brand"] or "未注明品牌", "outlets": 0,
                                                          "people": 0, "members": 0, "workers": 0})
        b["outlets"] += 1
        b["people"] += r["people"]
        b["members"] += r["members"]
        b["workers"] += r["workers"] or 0
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
        "members": {"total": members, "registered": registered, "flowing_in": flowing_in,
                    "stopped": stopped, "lost_contact": lost},
        "outlets": {"total": total_outlets, "with_organization": with_org, "with_members": with_members,
                    "without_members": total_outlets - with_members, "work_covered": work,
                    "organization_coverage": pct(with_org), "work_coverage": pct(work)},
        "by_outlet": [{k: v for k, v in r.items() if k != "id"} for r in outlet_rows],
        "by_brand": sorted(brands.values(), key=lambda b: -b["members"]),
    }
