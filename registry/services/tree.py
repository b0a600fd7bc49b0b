"""The organisation tree of the window's left side: organisations and outlets with people counts from one pass.

A node counts the people its click shows in the roster: an organisation the people of its subtree (their
own organisation, else the one covering their outlet), an outlet the people at it, 全部人员 everyone here.
"""

from __future__ import annotations

from typing import Any

from registry.storage.database import Registry


def org_tree(reg: Registry) -> dict[str, Any]:
    """{"total", "orgs" (parents first, each with "people" of its subtree and "depth"), "outlets", "loose"}.

    "loose" holds the outlets without a party organisation: {"outlets": count, "people": count, "ids": [...]}.
    """
    orgs = reg.query(
        """
        WITH RECURSIVE tree(id, depth, path) AS (
            SELECT id, 0, printf('%08d', id) FROM organizations WHERE parent_id IS NULL
            UNION ALL
            SELECT o.id, t.depth + 1, t.path || '/' || printf('%08d', o.id)
            FROM organizations o JOIN tree t ON o.parent_id = t.id
        )
        SELECT o.id, o.name, o.parent_id, t.depth FROM tree t JOIN organizations o ON o.id = t.id ORDER BY t.path
        """)
    outlets = reg.query("SELECT o.id, o.name, b.name AS brand, o.organization_id FROM outlets o"
                        " LEFT JOIN brands b ON b.id = o.brand_id ORDER BY b.name, o.name")
    # The one count: people here, grouped by outlet and by the organisation they belong to.
    per_outlet: dict[int, int] = {}
    per_org: dict[int, int] = {}
    total = 0
    for outlet_id, org_id, n in reg.conn.execute(
            "SELECT p.outlet_id, coalesce(p.organization_id, o.organization_id), count(*) FROM people p"
            " INDEXED BY people_stats LEFT JOIN outlets o ON o.id = p.outlet_id WHERE p.left_on IS NULL"
            " GROUP BY 1, 2"):
        total += n
        if outlet_id is not None:
            per_outlet[outlet_id] = per_outlet.get(outlet_id, 0) + n
        if org_id is not None:
            per_org[org_id] = per_org.get(org_id, 0) + n
    by_id = {o["id"]: o for o in orgs}
    for o in orgs:
        o["people"] = per_org.get(o["id"], 0)
    for o in reversed(orgs):  # children come after their parents: roll subtree totals upward
        parent = by_id.get(o["parent_id"])
        if parent is not None:
            parent["people"] += o["people"]
    for outlet in outlets:
        outlet["people"] = per_outlet.get(outlet["id"], 0)
    loose = [o for o in outlets if o["organization_id"] is None or o["organization_id"] not in by_id]
    return {"total": total, "orgs": orgs, "outlets": outlets,
            "loose": {"outlets": len(loose), "people": sum(o["people"] for o in loose), "ids": [o["id"] for o in loose]}}
