"""Courier outlets (网点) and brands, and their use cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.errors import UserError
from registry.names import brand_key, norm_name
from registry.rules.text import clean_text, garbled_message, looks_garbled
from registry.services.organizations import require_org
from registry.storage.database import Registry, Tx
from registry.validation import same_as_stored

OUTLET_FIELDS = ("name", "brand", "address", "district", "street", "community", "workers", "organization",
                 "guidance_officer", "notes")


def _row(cur: Any) -> dict[str, Any] | None:
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def find_brand(reg: Registry | Tx, name: str) -> dict[str, Any] | None:
    return _row(reg.conn.execute("SELECT * FROM brands WHERE norm_name = ?", (brand_key(name),)))


def brand_id_for(tx: Tx, name: str | None, create: bool = True) -> int | None:
    """The brand's id, creating the brand when it is new (brands are a plain list)."""
    if not name:
        return None
    found = find_brand(tx, name)
    if found:
        return int(found["id"])
    if not create:
        raise UserError(f"找不到快递品牌“{name}”，请检查名称。")
    return tx.insert("brands", {"name": name, "norm_name": brand_key(name)}, label=name)


def find_outlet(reg: Registry | Tx, name: str, brand: str | None = None) -> dict[str, Any] | None:
    """An outlet by name; with several outlets of that name, the brand decides."""
    cur = reg.conn.execute(
        "SELECT o.*, b.norm_name AS brand_key FROM outlets o LEFT JOIN brands b ON b.id = o.brand_id WHERE o.norm_name = ?",
        (norm_name(name),),
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    if brand:
        key = brand_key(brand)
        same = [r for r in rows if r["brand_key"] == key]
        if same:
            return same[0]
        return rows[0] if len(rows) == 1 and rows[0]["brand_key"] is None else None
    if len(rows) > 1:
        raise UserError(f"有{len(rows)}个名为“{name}”的网点（不同品牌），请同时注明快递品牌。")
    return rows[0] if rows else None


def require_outlet(reg: Registry | Tx, name: str, brand: str | None = None) -> dict[str, Any]:
    outlet = find_outlet(reg, name, brand)
    if outlet is None:
        raise UserError(f"找不到网点“{name}”，请先添加该网点，或检查名称是否写错。")
    return outlet


def _clean(tx: Tx, fields: Mapping[str, object], current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    unknown = set(fields) - set(OUTLET_FIELDS)
    if unknown:
        raise ValueError(f"unknown outlet fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if current is not None and key in current and same_as_stored(current[key], value):
            continue  # handed back as stored: no change, even a spelling today's clean-up would alter
        if key == "name" and isinstance(value, str) and looks_garbled(value):  # 乱码 is refused, not stored
            raise UserError(garbled_message("网点名称", value))
        if key == "brand":
            out["brand_id"] = brand_id_for(tx, clean_text(value))
        elif key == "organization":
            org_name = clean_text(value)
            out["organization_id"] = require_org(tx, org_name)["id"] if org_name else None
        elif key == "workers":
            text = clean_text(value)
            if text is None:
                out[key] = None
                continue
            try:
                number = float(text.rstrip("人名"))
            except ValueError:
                raise UserError(f"从业人员数“{text}”应为整数，请核对。") from None
            if number < 0 or number != int(number):
                raise UserError(f"从业人员数“{text}”应为不小于0的整数，请核对。")
            out[key] = int(number)
        else:
            out[key] = clean_text(value)
    if "name" in out:
        if not out["name"]:
            raise UserError("网点名称不能为空，请填写。")
        out["norm_name"] = norm_name(out["name"])
    return out


def add_outlet(reg: Registry, **fields: object) -> int:
    name = clean_text(fields.get("name"))
    if not name:
        raise UserError("网点名称不能为空，请填写。")
    if looks_garbled(name):  # before the transaction's summary carries it into the log
        raise UserError(garbled_message("网点名称", name))
    with reg.transaction("outlet.add", f"新增网点 {name}") as tx:
        values = _clean(tx, fields)
        if _duplicate(tx, values["norm_name"], values.get("brand_id"), None):
            raise UserError(f"网点“{name}”已存在，请勿重复添加。")
        return tx.insert("outlets", values, label=name)


def _duplicate(tx: Tx, norm: str, brand_id: int | None, own_id: int | None) -> bool:
    row = tx.conn.execute(
        "SELECT id FROM outlets WHERE norm_name = ? AND ifnull(brand_id, 0) = ifnull(?, 0) AND id IS NOT ?",
        (norm, brand_id, own_id),
    ).fetchone()
    return row is not None


def edit_outlet(reg: Registry, name: str, brand: str | None = None, /, **changes: object) -> dict[str, tuple[Any, Any]]:
    with reg.transaction("outlet.edit", f"修改网点 {name}") as tx:
        current = require_outlet(tx, name, brand)
        current.pop("brand_key", None)
        values = _clean(tx, changes, current)
        norm = values.get("norm_name", current["norm_name"])
        if _duplicate(tx, norm, values.get("brand_id", current["brand_id"]), current["id"]):
            raise UserError(f"已有同名同品牌的网点“{values.get('name', name)}”，请换一个名称。")
        return tx.update("outlets", current["id"], values, label=current["name"], old=current)


def delete_outlet(reg: Registry, name: str, brand: str | None = None) -> None:
    with reg.transaction("outlet.delete", f"删除网点 {name}") as tx:
        outlet = require_outlet(tx, name, brand)
        people = tx.conn.execute("SELECT count(*) FROM people WHERE outlet_id = ?", (outlet["id"],)).fetchone()[0]
        if people:
            raise UserError(f"网点“{outlet['name']}”还有{people}名人员，请先把他们调到其他网点或删除后再删除该网点。")
        posts = tx.conn.execute("SELECT count(*) FROM volunteer_posts WHERE outlet_id = ?", (outlet["id"],)).fetchone()[0]
        if posts:
            raise UserError(f"网点“{outlet['name']}”还设有{posts}个志愿服务岗位，请先把岗位改到其他网点或删除后再删除该网点。")
        tx.delete("outlets", outlet["id"], label=outlet["name"])


def list_outlets(reg: Registry, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    where, params = "", []
    if org_ids is not None:
        where = f"WHERE o.organization_id IN ({','.join('?' * len(org_ids))})"
        params = list(org_ids)
    return reg.query(
        f"""
        SELECT o.id, o.name, b.name AS brand, o.address, o.district, o.street, o.community, o.workers, o.organization_id,
               g.name AS organization, o.guidance_officer, o.notes,
               (SELECT count(*) FROM people p WHERE p.outlet_id = o.id AND p.left_on IS NULL) AS people,
               (SELECT count(*) FROM people p WHERE p.outlet_id = o.id AND p.left_on IS NULL
                   AND p.category IN ('预备党员','正式党员') AND p.status = '正常') AS members
        FROM outlets o LEFT JOIN brands b ON b.id = o.brand_id LEFT JOIN organizations g ON g.id = o.organization_id
        {where}
        ORDER BY b.name, o.name
        """,
        params,
    )
