"""Writing an import plan: brands, organisations, outlets, then people, in the caller's transaction."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from registry.importing import timing
from registry.importing.plan import OutletKey, Plan
from registry.names import norm_name
from registry.person_keys import person_keys
from registry.rules.dev_steps import BY_KEY
from registry.services.development_steps import clean_fields
from registry.services.org_life_start import begin_records
from registry.storage.database import Tx

PERSON_COLUMNS = (
    "id_number", "name", "gender", "ethnicity", "birth_date", "education", "phone", "native_place", "household",
    "address", "outlet_id", "organization_id", "job", "hired_on", "category", "applied_on", "talked_on",
    "activist_on", "target_on", "joined_on", "full_on", "extension_months", "contacts", "introducers", "flowing",
    "home_organization", "home_contact", "reported_on", "certificate_no", "status", "lost_contact", "lost_since",
    "left_on", "volunteer_post", "notes", "sort_stroke", "sort_pinyin", "search_text", "created_at", "updated_at",
    "relation", "flow_destination", "flow_left_on", "flow_contact", "managed_from", "managed_how", "left_how",
)


# Stored columns the applier computes rather than copies from the record (in this order, at the end of a row).
_DERIVED = ("outlet_id", "organization_id", "relation", "flowing", "lost_contact", "category", "status",
            "managed_from", "managed_how", "created_at", "updated_at", "sort_stroke", "sort_pinyin", "search_text",
            "batch_id")
# The audit label of a step row: its person's name (an expression on development_steps, as insert_rows takes it).
_STEP_LABEL = "(SELECT p.name FROM people p WHERE p.id = development_steps.person_id)"
# How a person found by a census came under this unit's management (registry.rules.membership.MANAGED_HOW).
CENSUS_HOW = "摸排新纳入"


def org_type_for(name: str) -> str:
    for suffix in ("流动党员党支部", "联合党支部", "党总支", "行业党委", "党委", "党工委"):
        if name.endswith(suffix):
            return "党委" if suffix == "党工委" else suffix
    return "党支部"


class Applier:
    """Writes a plan; new people came under management on `managed_from` (an ISO day), updates take effect then."""

    def __init__(self, tx: Tx, plan: Plan, managed_from: str, batch_id: int | None = None) -> None:
        self.tx = tx
        self.plan = plan
        self.managed_from = managed_from
        # The import batch already logged in this transaction: the audit event of every person it adds.
        self.batch_id = batch_id
        self.org_ids = {r[0]: r[1] for r in tx.conn.execute("SELECT norm_name, id FROM organizations")}
        self.brand_ids = {r[0]: r[1] for r in tx.conn.execute("SELECT norm_name, id FROM brands")}
        self.outlet_ids: dict[OutletKey, int] = {}
        self.counts = {"organizations_added": 0, "brands_added": 0, "outlets_added": 0, "outlets_updated": 0,
                       "steps_added": 0}

    def run(self) -> None:
        with timing.step("写入网点、品牌、党组织"):
            self._refs()
        self._people()
        with timing.step("写入发展步骤"):
            self._steps()

    def _steps(self) -> None:
        """The census's step columns, written as steps of the development record in this same transaction.

        In bulk (tens of thousands in a city's census): each step's fields cleaned as write_step cleans them; none
        of these steps keeps a people column (registry.importing.steps.COLUMNS), so there is nothing else to keep
        in step, and the plan has left out every step already recorded."""
        wanted = [rec for rec in self.plan.new if rec.writes]
        ids: dict[str, int] = {}
        numbers = [rec.values["id_number"] for rec in wanted]
        for start in range(0, len(numbers), 900):
            chunk = numbers[start:start + 900]
            ids.update(self.tx.conn.execute(
                f"SELECT id_number, id FROM people WHERE id_number IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        people = [(ids[rec.values["id_number"]], rec) for rec in wanted]
        people += [(old["id"], rec) for rec, old, _ in self.plan.updates if rec.writes]
        now = datetime.now().isoformat(timespec="seconds")
        rows = []
        for pid, rec in people:
            for w in rec.writes:
                step = BY_KEY[w.step]
                assert step.summary is None  # see the docstring
                fields = json.dumps(clean_fields(self.tx, step, w.fields), ensure_ascii=False, sort_keys=True)
                rows.append((pid, w.step, w.on, fields, now))
        self.tx.insert_rows("development_steps", ("person_id", "step", "on_date", "fields", "recorded_at"), rows,
                            label_column=_STEP_LABEL)
        self.counts["steps_added"] = len(rows)

    def _refs(self) -> None:
        tx = self.tx
        for key, name in self.plan.organizations.items():
            kind = org_type_for(name)
            self.org_ids[key] = tx.insert("organizations", {"name": name, "norm_name": key, "type": kind}, label=name)
            begin_records(tx, self.org_ids[key], name, kind, date.today())  # as a branch added by hand
            self.counts["organizations_added"] += 1
        for key, name in self.plan.brands.items():
            self.brand_ids[key] = tx.insert("brands", {"name": name, "norm_name": key}, label=name)
            self.counts["brands_added"] += 1
        for outlet_key, outlet in self.plan.outlets.items():
            fields = dict(outlet.fields)
            if "organization" in fields:
                fields["organization_id"] = self.org_ids[fields.pop("organization")]
            if outlet.id is None:
                values = {"name": outlet.name, "norm_name": norm_name(outlet.name),
                          "brand_id": self.brand_ids.get(outlet_key[1]) if outlet_key[1] else None, **fields}
                self.outlet_ids[outlet_key] = tx.insert("outlets", values, label=outlet.name)
                self.counts["outlets_added"] += 1
            else:
                self.outlet_ids[outlet_key] = outlet.id
                if fields:
                    old = tx.get("outlets", outlet.id) or {}
                    fill = {k: v for k, v in fields.items() if old.get(k) != v}
                    if fill and tx.update("outlets", outlet.id, fill, label=outlet.name):
                        self.counts["outlets_updated"] += 1

    def _new_people(self, now: str) -> None:
        """All new people in one bulk insert, with only the columns some row fills (the rest take defaults)."""
        new = self.plan.new
        if not new:
            return
        present: set[str] = set()
        for rec in new:
            present.update(rec.values)
        plain = [c for c in PERSON_COLUMNS if c in present and c not in _DERIVED]
        columns = [*plain, *_DERIVED]
        outlet_ids, org_ids = self.outlet_ids, self.org_ids
        managed_from = self.managed_from
        batch = self.batch_id
        spent = [0.0]

        def rows() -> Iterator[tuple[Any, ...]]:
            """Made as SQLite takes them: the rows of a large census are never all held at once."""
            for rec in new:
                started = time.perf_counter()
                get = rec.values.get
                outlet, org = get("_outlet"), get("_org")
                keys = person_keys(rec.values["name"], rec.values["id_number"], get("phone"))
                relation = get("relation") or "在册"  # the planner settled it (待核实 for an unplaced member)
                row = (*[get(c) for c in plain],
                       outlet_ids[outlet] if outlet else None, org_ids[org] if org else None,
                       relation, 1 if relation == "流入" else 0, 1 if get("lost_contact") else 0,
                       get("category") or "群众", get("status") or "正常",
                       get("managed_from") or managed_from, get("managed_how") or CENSUS_HOW, now, now,
                       keys["sort_stroke"], keys["sort_pinyin"], keys["search_text"], batch)
                spent[0] += time.perf_counter() - started
                yield row

        existing = self.tx.conn.execute("SELECT count(*) FROM people").fetchone()[0]
        # A first census (or one larger than the roster so far) is cheaper to index once at the end.
        inserting = time.perf_counter()
        self.tx.insert_rows("people", columns, rows(), count=len(new),
                            rebuild_indexes=len(new) >= 5000 and len(new) >= existing,
                            audited_by="batch_id" if batch is not None else None)
        timing.add("人员行与排序、检索键", spent[0])
        timing.add("SQLite 插入人员与建索引", time.perf_counter() - inserting - spent[0])

    def _people(self) -> None:
        now = datetime.now().isoformat(timespec="seconds")
        self._new_people(now)
        updating = time.perf_counter()
        for _rec, old, changes in self.plan.updates:
            values = dict(changes)
            if "_outlet" in values:
                values["outlet_id"] = self.outlet_ids[values.pop("_outlet")]
            if "_org" in values:
                values["organization_id"] = self.org_ids[values.pop("_org")]
            if "phone" in values:
                values.update(person_keys(old["name"], old["id_number"], values["phone"]))
            if "relation" in values:  # the 流入 flag and the relation say the same thing in every row written
                values["flowing"] = 1 if values["relation"] == "流入" else 0
            values["updated_at"] = now
            stored = {k: v for k, v in old.items() if not k.startswith("_")}
            self.tx.update("people", old["id"], values, label=old["name"], old=stored)
        timing.add("更新已登记人员", time.perf_counter() - updating)
