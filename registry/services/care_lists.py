"""The care network's optional lists: 暖蜂商户 (merchants) and 暖蜂一条街 (care streets), add/edit/delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.errors import UserError
from registry.names import norm_name
from registry.rules.care import community_key, street_key
from registry.rules.text import clean_text, garbled_message, looks_garbled
from registry.services.stations import Db, clean_phone, require_station
from registry.storage.database import Registry
from registry.validation import same_as_stored

MERCHANT_FIELDS = ("name", "address", "street", "community", "offers", "station", "care_street", "contact", "phone",
                   "notes")
MERCHANT_LABELS = {"name": "商户名称", "address": "地址", "street": "街道", "community": "社区", "offers": "提供的服务",
                   "station": "关联驿站", "care_street": "所在暖蜂一条街", "contact": "联系人", "phone": "联系电话",
                   "notes": "备注"}
CARE_STREET_FIELDS = ("name", "district", "street", "notes")
CARE_STREET_LABELS = {"name": "名称", "district": "区", "street": "街道", "notes": "备注"}


def _name(label: str, value: object) -> str:
    text = clean_text(value)
    if not text:
        raise UserError(f"请填写{label}。")
    if looks_garbled(text):
        raise UserError(garbled_message(label, text))
    return text


# 暖蜂一条街 --------------------------------------------------------------------------------------------------


def find_care_street(db: Db, name: str) -> dict[str, Any] | None:
    rows = db.query("SELECT * FROM care_streets WHERE norm_name = ?", (norm_name(name),))
    if len(rows) > 1:
        raise UserError(f"有{len(rows)}条名为“{name}”的暖蜂一条街（在不同街道），请先改名加以区分。")
    return rows[0] if rows else None


def require_care_street(db: Db, name: str) -> dict[str, Any]:
    found = find_care_street(db, name)
    if found is None:
        raise UserError(f"找不到暖蜂一条街“{name}”，请检查名称，或先添加。")
    return found


def _clean_street(fields: Mapping[str, object], current: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in CARE_STREET_FIELDS:
            raise ValueError(f"unknown care street field: {key}")
        if current is not None and same_as_stored(current.get(key), value):
            continue
        out[key] = _name("暖蜂一条街名称", value) if key == "name" else clean_text(value)
    if "name" in out:
        out["norm_name"] = norm_name(out["name"])
    if "street" in out:
        out["street_key"] = street_key(out["street"])
    return out


def _street_taken(db: Db, norm: str, key: str, own: int | None) -> bool:
    return db.conn.execute("SELECT 1 FROM care_streets WHERE norm_name = ? AND street_key = ? AND id IS NOT ?",
                           (norm, key, own)).fetchone() is not None


def add_care_street(reg: Registry, **fields: object) -> int:
    name = _name("暖蜂一条街名称", fields.get("name"))
    with reg.transaction("care_street.add", f"新增暖蜂一条街 {name}") as tx:
        values = _clean_street(fields, None)
        if _street_taken(tx, values["norm_name"], values.get("street_key", ""), None):
            raise UserError(f"{values.get('street') or '（未填街道）'}已有暖蜂一条街“{name}”，不能重复添加。")
        return tx.insert("care_streets", values, label=name)


def edit_care_street(reg: Registry, name: str, **changes: object) -> dict[str, tuple[Any, Any]]:
    with reg.transaction("care_street.edit", f"修改暖蜂一条街 {name}") as tx:
        current = require_care_street(tx, name)
        values = _clean_street(changes, current)
        if not values:
            return {}
        if _street_taken(tx, values.get("norm_name", current["norm_name"]),
                         values.get("street_key", current["street_key"]), current["id"]):
            raise UserError(f"已有同名的暖蜂一条街“{values.get('name', name)}”，请换一个名称。")
        return tx.update("care_streets", current["id"], values, label=current["name"], old=current)


def delete_care_street(reg: Registry, name: str) -> int:
    """Delete it; its merchants are kept, no longer on a street. Returns how many were unlinked."""
    with reg.transaction("care_street.delete", f"删除暖蜂一条街 {name}") as tx:
        current = require_care_street(tx, name)
        merchants = tx.conn.execute("SELECT id, name FROM care_merchants WHERE care_street_id = ?",
                                    (current["id"],)).fetchall()
        for mid, mname in merchants:
            tx.update("care_merchants", mid, {"care_street_id": None}, label=mname)
        tx.delete("care_streets", current["id"], label=current["name"])
        return len(merchants)


def list_care_streets(db: Db) -> list[dict[str, Any]]:
    return db.query("SELECT c.id, c.name, c.district, c.street, c.notes,"
                     " (SELECT count(*) FROM care_merchants m WHERE m.care_street_id = c.id) AS merchants"
                     " FROM care_streets c ORDER BY ifnull(c.street, ''), c.name")


# 暖蜂商户 ----------------------------------------------------------------------------------------------------


def require_merchant(db: Db, name: str, community: str | None = None) -> dict[str, Any]:
    rows = db.query("SELECT * FROM care_merchants WHERE norm_name = ?", (norm_name(name),))
    if community:
        rows = [r for r in rows if r["community_key"] == community_key(community)]
    if len(rows) > 1:
        raise UserError(f"有{len(rows)}家名为“{name}”的商户（在不同社区），请同时注明社区。")
    if not rows:
        raise UserError(f"找不到暖蜂商户“{name}”，请检查名称，或先添加。")
    return rows[0]


def _clean_merchant(db: Db, fields: Mapping[str, object], current: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in MERCHANT_FIELDS:
            raise ValueError(f"unknown merchant field: {key}")
        if key == "station":
            sid = require_station(db, str(value))["id"] if clean_text(value) else None
            if current is None or current.get("station_id") != sid:
                out["station_id"] = sid
            continue
        if key == "care_street":
            cid = require_care_street(db, str(value))["id"] if clean_text(value) else None
            if current is None or current.get("care_street_id") != cid:
                out["care_street_id"] = cid
            continue
        if current is not None and same_as_stored(current.get(key), value):
            continue
        if key == "name":
            out[key] = _name("商户名称", value)
        elif key == "phone":
            out[key] = clean_phone(value)
        else:
            out[key] = clean_text(value)
    if "name" in out:
        out["norm_name"] = norm_name(out["name"])
    if "community" in out:
        out["community_key"] = community_key(out["community"])
    return out


def _merchant_taken(db: Db, norm: str, key: str, own: int | None) -> bool:
    return db.conn.execute("SELECT 1 FROM care_merchants WHERE norm_name = ? AND community_key = ? AND id IS NOT ?",
                           (norm, key, own)).fetchone() is not None


def add_merchant(reg: Registry, **fields: object) -> int:
    name = _name("商户名称", fields.get("name"))
    with reg.transaction("merchant.add", f"新增暖蜂商户 {name}") as tx:
        values = _clean_merchant(tx, fields, None)
        if _merchant_taken(tx, values["norm_name"], values.get("community_key", ""), None):
            raise UserError(f"{values.get('community') or '（未填社区）'}已有暖蜂商户“{name}”，不能重复添加。")
        return tx.insert("care_merchants", values, label=name)


def edit_merchant(reg: Registry, name: str, community: str | None = None, /,
                  **changes: object) -> dict[str, tuple[Any, Any]]:
    with reg.transaction("merchant.edit", f"修改暖蜂商户 {name}") as tx:
        current = require_merchant(tx, name, community)
        values = _clean_merchant(tx, changes, current)
        if not values:
            return {}
        if _merchant_taken(tx, values.get("norm_name", current["norm_name"]),
                           values.get("community_key", current["community_key"]), current["id"]):
            raise UserError(f"该社区已有暖蜂商户“{values.get('name', name)}”，请换一个名称。")
        return tx.update("care_merchants", current["id"], values, label=current["name"], old=current)


def delete_merchant(reg: Registry, name: str, community: str | None = None) -> None:
    with reg.transaction("merchant.delete", f"删除暖蜂商户 {name}") as tx:
        current = require_merchant(tx, name, community)
        tx.delete("care_merchants", current["id"], label=current["name"])


def list_merchants(db: Db) -> list[dict[str, Any]]:
    return db.query("""
        SELECT m.id, m.name, m.address, m.street, m.community, m.offers, s.name AS station, c.name AS care_street,
               m.contact, m.phone, m.notes
        FROM care_merchants m LEFT JOIN care_stations s ON s.id = m.station_id
        LEFT JOIN care_streets c ON c.id = m.care_street_id
        ORDER BY ifnull(m.street, ''), m.community_key, m.name""")
