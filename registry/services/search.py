"""Finding people: substring search over name, ID and phone (and pinyin), filters, and sort orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registry.names import brand_key, norm_name
from registry.rules.categories import normalise_category
from registry.rules.membership import GROUP_SQL
from registry.services.roster_index import is_current, matching_ids
from registry.storage.database import Registry
from registry.storage.fragments import CATEGORY_ORDER, subtree_clause

# The organisation shown for a person: their own, else the one covering their outlet.
PEOPLE_SELECT = """
SELECT p.*, o.name AS outlet, b.name AS brand, coalesce(g.name, og.name) AS organization,
       coalesce(p.organization_id, o.organization_id) AS effective_org_id
FROM people p
LEFT JOIN outlets o ON o.id = p.outlet_id
LEFT JOIN brands b ON b.id = o.brand_id
LEFT JOIN organizations g ON g.id = p.organization_id
LEFT JOIN organizations og ON og.id = o.organization_id
"""

ORDERS = {
    # Ties on the name key are broken by search_text (which holds the ID number) to match the index order.
    "stroke": "p.sort_stroke, p.search_text",
    "pinyin": "p.sort_pinyin, p.search_text",
    "name": "p.name, p.id",
    "id": "p.id",
    "category": f"{CATEGORY_ORDER}, p.sort_stroke, p.search_text",
}


# Date columns: people without the date last, then the date, then stroke order.
ORDERS.update({c: f"p.{c} IS NULL, p.{c}, p.sort_stroke" for c in ("joined_on", "full_on", "birth_date", "reported_on",
                                                                    "activist_on", "target_on")})


@dataclass
class PeopleFilter:
    """What the roster shows: every field optional."""

    text: str = ""
    categories: list[str] = field(default_factory=list)
    flowing: bool | None = None
    outlet: str | None = None
    brand: str | None = None
    org_ids: list[int] | None = None  # an organisation subtree
    include_left: bool = False
    ids: frozenset[int] | None = None  # only these people (e.g. those with something falling due)
    groups: list[str] = field(default_factory=list)  # member groups (GROUP_SQL keys): 在册, 流入, 停止党籍…
    lost_contact: bool | None = None
    outlet_ids: list[int] | None = None  # exactly these outlets (a node of the tree)


def _where(f: PeopleFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    text = f.text.strip().lower()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("p.search_text LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    if f.categories:
        cats = [normalise_category(c) or c for c in f.categories]
        clauses.append(f"p.category IN ({','.join('?' * len(cats))})")
        params.extend(cats)
    if f.flowing is not None:
        clauses.append("p.flowing = ?")
        params.append(1 if f.flowing else 0)
    if f.outlet:
        clauses.append("p.outlet_id IN (SELECT id FROM outlets WHERE norm_name = ?)")
        params.append(norm_name(f.outlet))
    if f.brand:
        clauses.append("p.outlet_id IN (SELECT o.id FROM outlets o JOIN brands b ON b.id = o.brand_id"
                       " WHERE b.norm_name = ?)")
        params.append(brand_key(f.brand))
    if f.org_ids is not None:
        clause, org_params = subtree_clause(f.org_ids)
        clauses.append(clause)
        params.extend(org_params)
    if not f.include_left:
        clauses.append("p.left_on IS NULL")
    if f.ids is not None:
        clauses.append(f"p.id IN ({','.join(str(int(i)) for i in f.ids) or 'NULL'})")
    clauses.extend(_state_clauses(f))
    if f.outlet_ids is not None:
        clauses.append(f"p.outlet_id IN ({','.join(str(int(i)) for i in f.outlet_ids) or 'NULL'})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _state_clauses(f: PeopleFilter) -> list[str]:
    """Conditions on the member group and 失联 (not held by the in-memory index)."""
    unknown = set(f.groups) - set(GROUP_SQL)
    if unknown:
        raise ValueError(f"unknown member groups: {sorted(unknown)}")
    clauses = [f"({' OR '.join(GROUP_SQL[g] for g in f.groups)})"] if f.groups else []
    if f.lost_contact is not None:
        clauses.append("p.lost_contact = 1" if f.lost_contact else "coalesce(p.lost_contact, 0) = 0")
    return clauses


def search_ids(reg: Registry, f: PeopleFilter, order: str = "stroke", descending: bool = False) -> list[int]:
    """Ids of matching people in display order (the table model fetches rows for these on demand)."""
    # Text searches scan the in-memory index (loading it if needed); without text, or until the index is
    # loaded, the covering index answers in SQL just as fast.
    if order in ("stroke", "pinyin") and (f.text.strip() or is_current(reg)):
        ids = f.ids
        state = _state_clauses(f)
        if state:  # the index has no member group: those people are found in SQL first (few, and indexed)
            found = frozenset(r[0] for r in reg.conn.execute(f"SELECT p.id FROM people p WHERE {' AND '.join(state)}"))
            ids = found if ids is None else ids & found
        return matching_ids(reg, text=f.text, categories=f.categories, flowing=f.flowing, outlet=f.outlet,
                            brand=f.brand, org_ids=f.org_ids, include_left=f.include_left, ids=ids,
                            outlet_ids=f.outlet_ids, order=order, descending=descending)
    where, params = _where(f)
    sort = ORDERS.get(order, ORDERS["stroke"])
    if descending:
        sort = ", ".join(part.strip() + " DESC" for part in sort.split(","))
    sql = f"SELECT p.id FROM people p{where} ORDER BY {sort}"
    return [r[0] for r in reg.conn.execute(sql, params)]


def count_people(reg: Registry, f: PeopleFilter) -> int:
    where, params = _where(f)
    return int(reg.scalar(f"SELECT count(*) FROM people p{where}", params))


def rows_for_ids(reg: Registry, ids: list[int]) -> list[dict[str, Any]]:
    """Full display rows for the given ids, in the same order."""
    if not ids:
        return []
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for row in reg.query(f"{PEOPLE_SELECT} WHERE p.id IN ({','.join('?' * len(chunk))})", chunk):
            found[row["id"]] = row
    return [found[i] for i in ids if i in found]


def search_people(reg: Registry, f: PeopleFilter | None = None, order: str = "stroke",
                  limit: int | None = None) -> list[dict[str, Any]]:
    f = f or PeopleFilter()
    where, params = _where(f)
    sql = f"{PEOPLE_SELECT}{where} ORDER BY {ORDERS.get(order, ORDERS['stroke'])}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return reg.query(sql, params)


def public_person(row: dict[str, Any]) -> dict[str, Any]:
    """The shape `people --json` promises: stable keys, booleans, ISO dates."""
    out = {
        "id_number": row["id_number"], "name": row["name"], "gender": row["gender"],
        "birth_date": row["birth_date"], "category": row["category"], "flowing": bool(row["flowing"]),
        "organization": row["organization"], "outlet": row["outlet"], "brand": row["brand"],
        "phone": row["phone"], "joined_on": row["joined_on"], "full_on": row["full_on"], "notes": row["notes"],
    }
    for key in ("ethnicity", "education", "job", "address", "native_place", "household", "hired_on",
                "applied_on", "talked_on", "activist_on", "target_on", "extension_months", "contacts",
                "introducers", "home_organization", "home_contact", "reported_on", "certificate_no", "status",
                "lost_since", "left_on", "left_reason", "volunteer_post"):
        out[key] = row.get(key)
    out["lost_contact"] = bool(row.get("lost_contact"))
    return out
