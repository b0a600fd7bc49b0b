"""Care stations (暖蜂驿站, 江城蜂巢 …): their types and services, add/edit/delete, monthly visitors, 报到 points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from registry.errors import UserError
from registry.names import norm_name
from registry.rules.care import (
    CLASSES,
    DEFAULT_SERVICES,
    DEFAULT_TYPES,
    REPORT_SERVICE,
    community_key,
    join_services,
    normalise_class,
    parse_month,
    services_of,
    split_services,
)
from registry.rules.phone import check_phone
from registry.rules.text import clean_text, garbled_message, looks_garbled, normalise_name
from registry.storage.database import Registry, Tx
from registry.validation import same_as_stored, user_date

STATION_FIELDS = ("name", "type", "class", "address", "district", "street", "community", "host_unit",
                  "opening_hours", "services", "contact", "phone", "opened_on", "closed_on", "notes")
# Labels of the fields, for messages, the dialog, the list export and the history page.
STATION_LABELS = {"name": "驿站名称", "type": "类型", "class": "类别", "address": "地址", "district": "区",
                  "street": "街道", "community": "社区", "host_unit": "承建单位", "opening_hours": "开放时间",
                  "services": "服务内容", "contact": "联系人", "phone": "联系电话", "opened_on": "启用日期",
                  "closed_on": "停用日期", "notes": "备注"}


@dataclass(frozen=True)
class StationType:
    """One type of station; `default` ones come from the rules and are not stored until edited."""

    name: str
    uses_class: bool
    default: bool


class StationRow(TypedDict):
    """A station as lists show it (services as a list; reported = flowing members who reported there)."""

    id: int
    name: str
    type: str
    class_: str | None
    address: str | None
    district: str | None
    street: str | None
    community: str | None
    host_unit: str | None
    opening_hours: str | None
    services: list[str]
    contact: str | None
    phone: str | None
    opened_on: str | None
    closed_on: str | None
    notes: str | None
    visits: int
    reported: int


Db = Registry | Tx


# Types and services -----------------------------------------------------------------------------------------


def station_types(reg: Db) -> list[StationType]:
    """The defaults, then the types users added, in that order."""
    out = [StationType(name, uses, True) for name, uses in DEFAULT_TYPES]
    known = {norm_name(t.name) for t in out}
    for row in reg.conn.execute("SELECT name, uses_class FROM care_types ORDER BY id"):
        if norm_name(row[0]) not in known:
            out.append(StationType(row[0], bool(row[1]), False))
    return out


def station_services(reg: Db) -> list[str]:
    out = list(DEFAULT_SERVICES)
    known = {norm_name(s) for s in out}
    out += [r[0] for r in reg.conn.execute("SELECT name FROM care_services ORDER BY id") if norm_name(r[0]) not in known]
    return out


def _new_name(label: str, name: object) -> str:
    text = clean_text(name)
    if not text:
        raise UserError(f"请填写{label}。")
    if looks_garbled(text):
        raise UserError(garbled_message(label, text))
    if any(c in text for c in "、，,/;；|"):
        raise UserError(f"{label}“{text}”里不能有顿号、逗号或斜杠（它们用来分隔多项），请换一个写法。")
    return text


def add_station_type(reg: Registry, name: object, uses_class: bool = False) -> str:
    text = _new_name("驿站类型", name)
    if any(norm_name(t.name) == norm_name(text) for t in station_types(reg)):
        raise UserError(f"驿站类型“{text}”已在列表中，无需再添加。")
    with reg.transaction("station.type.add", f"新增驿站类型 {text}") as tx:
        tx.insert("care_types", {"name": text, "norm_name": norm_name(text), "uses_class": int(uses_class)},
                  label=text)
    return text


def _own_type(tx: Tx, name: object) -> tuple[int, str]:
    """A type the user added (id, name); the defaults belong to the program and are refused with a sentence."""
    key = norm_name(clean_text(name) or "")
    if any(norm_name(n) == key for n, _ in DEFAULT_TYPES):
        raise UserError(f"“{clean_text(name)}”是预置的驿站类型，不能改名或删除；可以另外添加一个类型。")
    row = tx.conn.execute("SELECT id, name FROM care_types WHERE norm_name = ?", (key,)).fetchone()
    if row is None:
        raise UserError(f"没有名为“{clean_text(name)}”的驿站类型，请用 station types 查看已有的类型。")
    return int(row[0]), str(row[1])


def _stations_of_type(tx: Tx, name: str) -> list[tuple[int, str]]:
    key = norm_name(name)
    return [(int(i), str(n)) for i, n, t in tx.conn.execute("SELECT id, name, type FROM care_stations")
            if norm_name(t) == key]


def rename_station_type(reg: Registry, name: object, new_name: object) -> int:
    """Rename a type the user added (a typo, a new official name); its stations follow. Returns how many."""
    text = _new_name("驿站类型", new_name)
    with reg.transaction("station.type.rename") as tx:
        type_id, old = _own_type(tx, name)
        if norm_name(text) != norm_name(old) and find_type(tx, text) is not None:
            raise UserError(f"驿站类型“{text}”已在列表中，不能把“{old}”改成这个名称。")
        if text == old:
            return 0
        tx.update("care_types", type_id, {"name": text, "norm_name": norm_name(text)}, label=text)
        moved = _stations_of_type(tx, old)
        for station_id, station in moved:
            tx.update("care_stations", station_id, {"type": text}, label=station)
        tx.summary(f"驿站类型 {old} 改名为 {text}")
        return len(moved)


def delete_station_type(reg: Registry, name: object) -> None:
    """Delete a type the user added that no station has (one that is used is refused, naming how many use it)."""
    with reg.transaction("station.type.delete") as tx:
        type_id, old = _own_type(tx, name)
        used = _stations_of_type(tx, old)
        if used:
            raise UserError(f"有{len(used)}个驿站是“{old}”（如{used[0][1]}），不能删除这个类型；"
                            "请先把这些驿站改为其他类型，或者给这个类型改名。")
        tx.delete("care_types", type_id, label=old)
        tx.summary(f"删除驿站类型 {old}")


def add_station_service(reg: Registry, name: object) -> str:
    text = _new_name("服务项目", name)
    if norm_name(text) in {norm_name(s) for s in station_services(reg)}:
        raise UserError(f"服务项目“{text}”已在列表中，无需再添加。")
    with reg.transaction("station.service.add", f"新增驿站服务项目 {text}") as tx:
        tx.insert("care_services", {"name": text, "norm_name": norm_name(text)}, label=text)
    return text


def find_type(reg: Db, name: object) -> StationType | None:
    key = norm_name(clean_text(name) or "")
    return next((t for t in station_types(reg) if norm_name(t.name) == key), None)


# Validation ------------------------------------------------------------------------------------------------


def clean_services(reg: Db, value: object) -> str | None:
    """The stored form of the services given as a list or a cell's text; unknown services are refused."""
    given = [s for item in value for s in split_services(item)] if isinstance(value, list | tuple) \
        else split_services(value)
    known = {norm_name(s): s for s in station_services(reg)}
    unknown = [s for s in given if norm_name(s) not in known]
    if unknown:
        raise UserError(f"服务项目“{'、'.join(unknown)}”不在服务项目列表中；请先添加这些项目"
                        "（驿站服务项目 添加），或改用列表中已有的项目。")
    out: list[str] = []
    for s in given:
        if known[norm_name(s)] not in out:
            out.append(known[norm_name(s)])
    return join_services(out)


def clean_phone(value: object, label: str = "联系电话") -> str | None:
    if clean_text(value) is None:
        return None
    check = check_phone(value)
    if not check.ok:
        raise UserError(check.message or f"{label}“{clean_text(value)}”不是有效的电话号码，请核对。")
    return check.number


def _clean(reg: Db, fields: Mapping[str, object], current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    unknown = set(fields) - set(STATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown station fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if current is not None and key in current:
            stored = current[key]
            if key == "services" and isinstance(value, list | tuple):
                value = "、".join(str(v) for v in value)
            if same_as_stored(stored, value):
                continue  # handed back as stored: no change
        if key == "name":
            out[key] = _new_name("驿站名称", value)
        elif key == "type":
            found = find_type(reg, value)
            if not clean_text(value):
                raise UserError("请选择驿站类型。")
            if found is None:
                names = "、".join(t.name for t in station_types(reg))
                raise UserError(f"驿站类型“{clean_text(value)}”不在类型列表中；请先添加这个类型"
                                f"（驿站类型 添加），或改用已有类型：{names}。")
            out[key] = found.name
        elif key == "class":
            text = clean_text(value)
            klass = normalise_class(text)
            if text and klass is None:
                raise UserError(f"类别“{text}”看不懂，请填写{'、'.join(CLASSES)}之一，或留空。")
            out[key] = klass
        elif key == "services":
            out[key] = clean_services(reg, value)
        elif key == "phone":
            out[key] = clean_phone(value)
        elif key == "contact":
            out[key] = normalise_name(value) or None
        elif key in ("opened_on", "closed_on"):
            out[key] = user_date(STATION_LABELS[key], value)
        else:
            out[key] = clean_text(value)
    if "community" in out:
        out["community_key"] = community_key(out["community"])
    if "name" in out:
        out["norm_name"] = norm_name(out["name"])
    merged = {**(current or {}), **out}
    kind = find_type(reg, merged.get("type"))
    if merged.get("class") and kind is not None and not kind.uses_class:
        raise UserError(f"{kind.name}不分一类、二类、三类，请把类别留空；如这类驿站确实分类，请在类型列表中设为分类。")
    opened, closed = merged.get("opened_on"), merged.get("closed_on")
    if opened and closed and closed < opened:
        raise UserError(f"停用日期{closed}早于启用日期{opened}，请核对。")
    return out


def _duplicate(db: Db, norm: str, key: str, own_id: int | None) -> bool:
    return db.conn.execute("SELECT 1 FROM care_stations WHERE norm_name = ? AND community_key = ? AND id IS NOT ?",
                           (norm, key, own_id)).fetchone() is not None


def _duplicate_message(name: str, community: str | None) -> str:
    where = f"{community}社区" if community and not community.endswith(("社区", "村", "居委会")) else community
    return (f"{where or '（未填社区）'}已有名为“{name}”的驿站，不能重复添加；如是另一处驿站，请在名称中加以区分"
            "（如加上门牌号）。")


# Finding ----------------------------------------------------------------------------------------------------


def find_station(db: Db, key: str | int, community: str | None = None) -> dict[str, Any] | None:
    """A station by id or by name; with several of that name, the 社区 decides."""
    if isinstance(key, int):
        rows = db.query("SELECT * FROM care_stations WHERE id = ?", (key,))
        return rows[0] if rows else None
    rows = db.query("SELECT * FROM care_stations WHERE norm_name = ?", (norm_name(key),))
    if community:
        rows = [r for r in rows if r["community_key"] == community_key(community)]
    if len(rows) > 1:
        raise UserError(f"有{len(rows)}个名为“{key}”的驿站（在不同社区），请同时注明社区。")
    return rows[0] if rows else None


def require_station(db: Db, key: str | int, community: str | None = None) -> dict[str, Any]:
    station = find_station(db, key, community)
    if station is None:
        raise UserError(f"找不到驿站“{key}”{f'（{community}）' if community else ''}，请检查名称，或先添加该驿站。")
    return station


# Use cases --------------------------------------------------------------------------------------------------


def add_station(reg: Registry, **fields: object) -> int:
    name = _new_name("驿站名称", fields.get("name"))
    if not clean_text(fields.get("type")):
        raise UserError("请选择驿站类型。")
    with reg.transaction("station.add", f"新增驿站 {name}") as tx:
        values = _clean(tx, fields)
        if _duplicate(tx, values["norm_name"], values.get("community_key", ""), None):
            raise UserError(_duplicate_message(name, values.get("community")))
        return tx.insert("care_stations", values, label=name)


def edit_station(reg: Registry, key: str | int, community: str | None = None, /,
                 **changes: object) -> dict[str, tuple[Any, Any]]:
    """Change the given fields; a value handed back as stored changes nothing (no audit row at all)."""
    with reg.transaction("station.edit") as tx:
        current = require_station(tx, key, community)
        values = _clean(tx, changes, current)
        if not values:
            return {}
        norm = values.get("norm_name", current["norm_name"])
        place = values.get("community_key", current["community_key"])
        if _duplicate(tx, norm, place, current["id"]):
            raise UserError(_duplicate_message(values.get("name", current["name"]),
                                               values.get("community", current["community"])))
        diff = tx.update("care_stations", current["id"], values, label=current["name"], old=current)
        if "name" in diff:  # the 报到 records name the point as it is called now
            for pid, pname in tx.conn.execute("SELECT id, name FROM people WHERE report_station_id = ?",
                                              (current["id"],)).fetchall():
                tx.update("people", pid, {"report_point": values["name"]}, label=pname)
        tx.summary(f"修改驿站 {current['name']}")
        return {k: v for k, v in diff.items() if k not in ("norm_name", "community_key")}


@dataclass(frozen=True)
class Deleted:
    """What deleting a station did besides removing it."""

    visits: int  # monthly visitor counts removed with it
    reported: int  # flowing members whose 报到 named it: kept, with the point's name, no longer linked
    merchants: int  # merchants linked to it: kept, no longer linked

    def sentence(self, name: str) -> str:
        parts = [f"已删除驿站“{name}”"]
        if self.visits:
            parts.append(f"连同{self.visits}个月的服务人次")
        text = "，".join(parts) + "。"
        if self.reported:
            text += f"在此报到的{self.reported}名流动党员的报到记录保留（报到点名称照旧），不再关联到驿站。"
        if self.merchants:
            text += f"{self.merchants}家暖蜂商户保留，不再关联到该驿站。"
        return text


def delete_station(reg: Registry, key: str | int, community: str | None = None) -> Deleted:
    with reg.transaction("station.delete") as tx:
        station = require_station(tx, key, community)
        sid, name = station["id"], station["name"]
        visits = tx.conn.execute("SELECT id FROM care_visits WHERE station_id = ?", (sid,)).fetchall()
        for (vid,) in visits:
            tx.delete("care_visits", vid, label=name)
        people = tx.conn.execute("SELECT id, name, report_point FROM people WHERE report_station_id = ?",
                                 (sid,)).fetchall()
        for pid, pname, point in people:
            tx.update("people", pid, {"report_station_id": None, "report_point": point or name}, label=pname)
        merchants = tx.conn.execute("SELECT id, name FROM care_merchants WHERE station_id = ?", (sid,)).fetchall()
        for mid, mname in merchants:
            tx.update("care_merchants", mid, {"station_id": None}, label=mname)
        tx.delete("care_stations", sid, label=name)
        done = Deleted(len(visits), len(people), len(merchants))
        tx.summary(done.sentence(name))
        return done


def set_visits(reg: Registry, key: str | int, month: object, count: object, community: str | None = None) -> bool:
    """Record a month's 服务人次 (replacing an earlier figure); False when it was already that number."""
    iso = parse_month(month)
    if iso is None:
        raise UserError(f"月份“{clean_text(month) or ''}”看不懂，请按2026-11格式填写。")
    try:
        number = int(str(count).strip())
    except ValueError:
        raise UserError(f"服务人次“{count}”应为整数，请核对。") from None
    if number < 0:
        raise UserError("服务人次不能小于0，请核对。")
    with reg.transaction("station.visits") as tx:
        station = require_station(tx, key, community)
        row = tx.conn.execute("SELECT id, count FROM care_visits WHERE station_id = ? AND month = ?",
                              (station["id"], iso)).fetchone()
        tx.summary(f"{station['name']} {iso}服务人次 {number}")
        if row is None:
            tx.insert("care_visits", {"station_id": station["id"], "month": iso, "count": number}, label=station["name"])
            return True
        return bool(tx.update("care_visits", row[0], {"count": number}, label=station["name"]))


def list_visits(reg: Db, key: str | int, community: str | None = None) -> list[dict[str, Any]]:
    station = require_station(reg, key, community)
    return reg.query("SELECT month, count FROM care_visits WHERE station_id = ? ORDER BY month", (station["id"],))


def list_stations(reg: Db, *, type: str | None = None, street: str | None = None, community: str | None = None,
                  service: str | None = None) -> list[StationRow]:
    """Stations in 街道/社区/name order, filtered; street and community compare as coverage does."""
    from registry.rules.care import street_key

    rows = reg.query("""
        SELECT s.*, (SELECT ifnull(sum(count), 0) FROM care_visits v WHERE v.station_id = s.id) AS visits,
               (SELECT count(*) FROM people p WHERE p.report_station_id = s.id) AS reported
        FROM care_stations s ORDER BY ifnull(s.street, ''), s.community_key, s.name""")
    out: list[StationRow] = []
    for r in rows:
        if type and norm_name(r["type"]) != norm_name(type):
            continue
        if street and street_key(r["street"]) != street_key(street):
            continue
        if community and r["community_key"] != community_key(community):
            continue
        services = services_of(r["services"])
        if service and not set(map(norm_name, split_services(service))) <= set(map(norm_name, services)):
            continue
        out.append(_as_row(r, services))
    return out


def _as_row(r: Mapping[str, Any], services: list[str]) -> StationRow:
    return StationRow(id=r["id"], name=r["name"], type=r["type"], class_=r["class"], address=r["address"],
                      district=r["district"], street=r["street"], community=r["community"],
                      host_unit=r["host_unit"], opening_hours=r["opening_hours"], services=services,
                      contact=r["contact"], phone=r["phone"], opened_on=r["opened_on"], closed_on=r["closed_on"],
                      notes=r["notes"], visits=int(r["visits"]), reported=int(r["reported"]))


def station_label(station: Mapping[str, Any]) -> str:
    """驿站名称（社区） as messages and 报到 records show it."""
    return f"{station['name']}（{station['community']}）" if station.get("community") else str(station["name"])


# 报到 at a point ----------------------------------------------------------------------------------------------


def report_point_values(tx: Tx, key: str | int, community: str | None, day: str | None) -> dict[str, Any]:
    """The people columns naming the 党员报到点 a flowing member reports at; refused unless it offers 党员报到处."""
    station = require_station(tx, key, community)
    if REPORT_SERVICE not in services_of(station["services"]):
        raise UserError(f"驿站“{station_label(station)}”没有“{REPORT_SERVICE}”服务，不能作为党员报到点；"
                        f"请选择设有{REPORT_SERVICE}的驿站，或先在该驿站的服务内容中加上{REPORT_SERVICE}。")
    if day and station["closed_on"] and station["closed_on"] <= day:
        raise UserError(f"驿站“{station_label(station)}”已于{station['closed_on']}停用，不能在此报到。")
    return {"report_station_id": station["id"], "report_point": station["name"]}


def report_points(reg: Db) -> list[StationRow]:
    """Stations where flowing members may report (they offer 党员报到处)."""
    return list_stations(reg, service=REPORT_SERVICE)
