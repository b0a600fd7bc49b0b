"""Matching census records against the registry: who is new, what changed, what conflicts (no writes)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from registry.importing.prefetch import JOINED, StoredPeople, select_sql
from registry.importing.records import DIRECTION_UNKNOWN, RELATION_IF_NEW, PersonRecord, local_places
from registry.importing.steps import (
    COLUMNS,
    STEP_KEYS,
    import_findings,
    may_miss_steps,
    order_of_writes,
    planned_steps,
    stored_differs,
)
from registry.importing.stored_names import reads_whole
from registry.names import brand_key, brand_prefix, norm_name
from registry.rules.categories import is_member, stage_index
from registry.rules.development import STAGE_KEYS
from registry.rules.development_checks import StepRecord
from registry.services.development_steps import records as step_records
from registry.storage.database import Registry
from registry.validation import Problem, development_problems

REF_FIELDS = ("outlet", "brand", "organization")
BOOL_FIELDS = ("lost_contact",)
# Held elsewhere, managed here (流入): the stored flag that says so follows the relation, never the row alone.
FLOW_FIELDS = ("flow_destination", "flow_left_on", "flow_contact")
OutletKey = tuple[str, str | None]  # (normalised name, brand key)
# Read for every matched person: identity, the references an update may change (their old values go to the
# audit log, and undo puts them back), and what the development rules look at.
# The dated-membership columns are read too: the writer closes the person's current state from them.
_ALWAYS_READ = frozenset({"id", "id_number", "name", "outlet_id", "organization_id", "category", "gender",
                          "birth_date", "extension_months", "status", "flowing", "lost_contact", *STAGE_KEYS,
                          "relation", "state_from", "managed_from", "created_at", "cancelled_on", "contacts",
                          "introducers", *FLOW_FIELDS})
# Record keys _changes does not compare as plain values: identity (never changed by a census), the flag that follows
# the relation, the references compared by their stored names, and the booleans.
_COMPARED_APART = frozenset({"name", "id_number", "flowing", "_outlet", "_org", *BOOL_FIELDS})
UNVERIFIED_MESSAGE = ("表中没有是否流动党员、外出流向或可认定的组织关系所在党组织，组织关系已登记为“待核实”；"
                      "请向本人或原党组织核实组织关系（在册、流入或流出）后在人员信息中更正。")


@dataclass
class OutletPlan:
    """An outlet a census names: an existing id, or one to create; fields from an outlet list."""

    name: str
    brand: str | None
    id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    records: list[PersonRecord] = field(default_factory=list)
    new: list[PersonRecord] = field(default_factory=list)
    updates: list[tuple[PersonRecord, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: list[PersonRecord] = field(default_factory=list)
    rejected: list[PersonRecord] = field(default_factory=list)
    unverified: int = 0  # new members whose relationship the files do not establish (待核实)
    duplicates: int = 0
    outlets: dict[OutletKey, OutletPlan] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)  # norm name -> name, to create
    brands: dict[str, str] = field(default_factory=dict)  # brand key -> name, to create


class Planner:
    """Builds a Plan; reads the database once per kind of thing, never writes."""

    def __init__(self, reg: Registry, today: date | None = None, managed_from: str | None = None) -> None:
        self.reg = reg
        self.today = today or date.today()
        self.managed_from = managed_from or self.today.isoformat()  # the census day: new people enter the records
        self._stored_steps: dict[int, dict[str, dict[str, Any]]] | None = None  # read when first needed
        self._with_steps: set[int] = set()  # people with any step recorded (read with _stored_steps)
        self.plan = Plan()
        self.prefetched: StoredPeople | None = None  # the stored people as read beside the parse, if still current
        self.org_ids = {r[0]: r[1] for r in reg.conn.execute("SELECT norm_name, id FROM organizations")}
        self.brand_ids = {r[0]: r[1] for r in reg.conn.execute("SELECT norm_name, id FROM brands")}
        self.outlets_by_name: dict[str, list[tuple[int, str | None, str]]] = {}
        self.people_columns = {r[1] for r in reg.conn.execute("PRAGMA table_info(people)")}
        self._brand_keys: dict[str, str] = {}
        self._outlet_memo: dict[tuple[str, str | None], tuple[OutletKey | None, Problem | None]] = {}
        for oid, norm, bkey, name in reg.conn.execute(
                "SELECT o.id, o.norm_name, b.norm_name, o.name FROM outlets o LEFT JOIN brands b ON b.id = o.brand_id"):
            self.outlets_by_name.setdefault(norm, []).append((oid, bkey, name))

    # Organisations, brands, outlets ------------------------------------------------------------------
    def known_org_names(self) -> set[str]:
        """Our organisations' names, plus the place prefixes they (and the unit's name) start with."""
        names = [r[0] for r in self.reg.conn.execute("SELECT name FROM organizations")]
        unit = self.reg.setting("unit")
        return set(self.org_ids) | local_places([*names, *([unit] if unit else [])])

    def org_key(self, name: str) -> str:
        key = norm_name(name)
        if key not in self.org_ids:
            self.plan.organizations.setdefault(key, name)
        return key

    def brand(self, name: str | None) -> str | None:
        if not name:
            return None
        key = self._brand_keys.get(name)
        if key is None:
            key = self._brand_keys[name] = brand_key(name)
        if key not in self.brand_ids:
            self.plan.brands.setdefault(key, name)
        return key

    def outlet(self, name: str, brand: str | None) -> tuple[OutletKey | None, Problem | None]:
        """The outlet a row names (matched, or planned for creation); the same answer for the same words."""
        found = self._outlet_memo.get((name, brand))
        if found is None:
            found = self._outlet_memo[(name, brand)] = self._outlet(name, brand)
        return found

    def _outlet(self, name: str, brand: str | None) -> tuple[OutletKey | None, Problem | None]:
        norm = norm_name(name)
        bkey = self.brand(brand)
        existing = self.outlets_by_name.get(norm, [])
        if bkey is not None:
            match = [e for e in existing if e[1] == bkey] or [e for e in existing if e[1] is None]
        else:
            match = existing
        if len(match) > 1:
            return None, Problem("outlet", "warning", "outlet_ambiguous",
                                 f"有{len(match)}个名为“{name}”的网点（不同品牌），本行未注明品牌，所在网点未导入；请补填快递品牌。")
        key: OutletKey = (norm, match[0][1] if match else bkey)
        if key not in self.plan.outlets:
            self.plan.outlets[key] = OutletPlan(match[0][2] if match else name, brand if not match else None,
                                                match[0][0] if match else None)
        return key, None

    def add_outlet_row(self, values: dict[str, Any]) -> None:
        """A row of an outlet list (网点清单): create the outlet or fill in its details."""
        name = values.get("name")
        if not name:
            return
        key, _ = self.outlet(str(name), values.get("brand"))
        if key is None:
            return
        plan = self.plan.outlets[key]
        for k, v in values.items():
            if k in ("name", "brand") or v in (None, ""):
                continue
            plan.fields[k] = self.org_key(str(v)) if k == "organization" else v

    # People ----------------------------------------------------------------------------------------
    def resolve_refs(self, rec: PersonRecord) -> None:
        v = rec.values
        day = v.get("managed_from")
        if day and (len(day) != 10 or day > date.today().isoformat()):
            # Reports count a person from a whole day that has come; the import's own date stands in.
            rec.problems.append(Problem("managed_from", "warning", "managed_from_unusable",
                                        f"纳入管理日期“{day}”{'只写到了月' if len(day) != 10 else '晚于今天'}，未导入该项，"
                                        "按本次导入的纳入管理日期计；如需更正，请在人员信息中改为具体日期。"))
            v["managed_from"] = None
        outlet_name = v.pop("outlet", None)
        brand = v.pop("brand", None) or (brand_prefix(outlet_name) if outlet_name else None)
        if outlet_name:
            key, problem = self.outlet(outlet_name, brand)
            if problem:
                rec.problems.append(problem)
            v["_outlet"] = key
        elif brand:
            self.brand(brand)
        org = v.pop("organization", None)
        if org:
            v["_org"] = self.org_key(org)
        for column in [k for k in v if k in STEP_KEYS]:  # step columns are written as steps, never people columns
            value = v.pop(column)
            if value is not None:
                if rec.steps is None:
                    rec.steps = {}
                rec.steps[column] = value

    def build(self, records: list[PersonRecord]) -> Plan:
        plan = self.plan
        plan.records = records
        first: dict[str, PersonRecord] = {}
        for rec in records:
            if rec.rejected:
                plan.rejected.append(rec)
                continue
            self.resolve_refs(rec)
            number = rec.values["id_number"]
            seen = first.get(number)
            if seen is None:
                first[number] = rec
                continue
            if seen.values["name"] != rec.values["name"] and norm_name(seen.values["name"]) != norm_name(rec.values["name"]):
                rec.problems.append(Problem("id_number", "error", "duplicate_in_file",
                                            f"身份证号与{seen.sheet}第{seen.row}行（{seen.values['name']}）相同但姓名不同，"
                                            "请核实是哪一位填错了身份证号。"))
                plan.rejected.append(rec)
                continue
            rec.problems.append(Problem("id_number", "warning", "duplicate_in_file",
                                        f"与{seen.sheet}第{seen.row}行是同一人，已合并为一条（本行填写的内容优先）。"))
            for k, val in rec.values.items():
                if val is not None:
                    seen.values[k] = val
            if rec.steps:
                seen.steps = {**(seen.steps or {}), **rec.steps}
            seen.rules = None  # merged: the rules look again
            plan.duplicates += 1
        self._match(list(first.values()))
        return plan

    def _existing(self, numbers: list[str], fields: set[str]) -> dict[str, dict[str, Any]]:
        """The stored people with these numbers: the fields the census fills, and those always needed."""
        columns = tuple(sorted(_ALWAYS_READ | (fields & self.people_columns)))
        names = (*columns, *JOINED)
        at = names.index("id_number")
        found: dict[str, dict[str, Any]] = {}
        conn = self.reg.conn
        if reads_whole(len(numbers), conn.execute("SELECT count(*) FROM people").fetchone()[0]):
            pre, self.prefetched = self.prefetched, None  # its memory goes once the people are taken
            if pre is not None and set(names) <= set(pre.columns):
                # Read beside the parse, from the same data (the fingerprint says so): only the columns taken.
                pick = itemgetter(*(pre.columns.index(c) for c in names))
                rows = pre.rows
                for number in numbers:
                    row = rows.pop(number, None)  # each row let go as its dict is made: both are never held whole
                    if row is not None:
                        found[number] = dict(zip(names, pick(row), strict=True))
                return found
            wanted = set(numbers)
            for row in conn.execute(select_sql(columns)):
                if row[at] in wanted:
                    found[row[at]] = dict(zip(names, row, strict=True))
            return found
        select = select_sql(columns)
        for start in range(0, len(numbers), 900):
            chunk = numbers[start:start + 900]
            for row in conn.execute(f"{select} WHERE p.id_number IN ({','.join('?' * len(chunk))})", chunk):
                found[row[at]] = dict(zip(names, row, strict=True))
        return found

    def _match(self, records: list[PersonRecord]) -> None:
        plan = self.plan
        fields: set[str] = set()
        for rec in records:
            fields.update(rec.values)
        existing = self._existing([r.values["id_number"] for r in records], fields)
        for rec in records:
            old = existing.get(rec.values["id_number"])
            if old is None:
                # The rules read person fields only, so the record's own _outlet/_org keys can stay in.
                merged = rec.values if "category" in rec.values else {**rec.values, "category": "群众"}
                errors = self._rules(rec, merged, rec.rules)
                if errors:
                    plan.rejected.append(rec)
                else:
                    self._new_relation(rec)
                    self._steps(rec, merged, None)
                    plan.new.append(rec)
                continue
            if old["name"] != rec.values["name"] and norm_name(old["name"]) != norm_name(rec.values["name"]):
                rec.problems.append(Problem("name", "error", "conflict_existing",
                                            f"身份证号已登记在“{old['name']}”名下，与本行姓名“{rec.values['name']}”不一致，"
                                            "未导入；请核实身份证号或姓名。"))
                plan.rejected.append(rec)
                continue
            changes = self._changes(rec, old)
            if self._rules(rec, {**old, **changes}):
                plan.rejected.append(rec)
                continue
            self._steps(rec, {**old, **changes}, old)
            if changes or rec.writes:
                plan.updates.append((rec, old, changes))
            else:
                plan.unchanged.append(rec)

    def _new_relation(self, rec: PersonRecord) -> None:
        """A new person's relation: what the row established, else 在册 by a local organisation, else for a
        member 待核实 (with a warning asking to verify), never silently 在册."""
        v = rec.values
        guess = v.pop(RELATION_IF_NEW, None)
        v.pop(DIRECTION_UNKNOWN, None)
        if v.get("relation"):
            if v["relation"] == "待核实" and is_member(v.get("category")):
                self.plan.unverified += 1  # written so, or the row contradicts itself (its own warning says so)
            return
        if not is_member(v.get("category")):
            v["relation"] = "在册"
        elif guess:
            v["relation"] = guess
        else:
            v["relation"] = "待核实"
            rec.problems.append(Problem("relation", "warning", "relation_unverified", UNVERIFIED_MESSAGE))
            self.plan.unverified += 1
        v["flowing"] = v["relation"] == "流入"

    def _changes(self, rec: PersonRecord, old: dict[str, Any]) -> dict[str, Any]:
        """Fields whose new, non-blank value differs: a blank never overwrites."""
        changes: dict[str, Any] = {}
        rec.values.pop(RELATION_IF_NEW, None)  # an existing person keeps her relationship
        unsure = rec.values.pop(DIRECTION_UNKNOWN, None)
        for key, value in rec.values.items():
            if value is None:
                continue
            if key not in _COMPARED_APART:  # the common case first: one set look-up, then the comparison
                if old.get(key) != value:
                    changes[key] = value
            elif key == "_outlet":
                if (old["_outlet_norm"], old["_outlet_brand"]) != value:
                    changes["_outlet"] = value
            elif key == "_org":
                if old["_org_norm"] != value:
                    changes["_org"] = value
            elif key in BOOL_FIELDS and bool(old[key]) != bool(value):
                changes[key] = 1 if value else 0
        if unsure and old.get("relation") == "流出" and changes.get("relation") == "流入":
            del changes["relation"]  # a bare 是 is true of a member working elsewhere too
        if "relation" in changes:
            changes["flowing"] = 1 if changes["relation"] == "流入" else 0
            if old.get("relation") == "流出":  # back from elsewhere: where she went no longer applies
                changes.update({k: None for k in FLOW_FIELDS if old.get(k) is not None and k not in changes})
        if "category" in changes and stage_index(changes["category"]) < stage_index(old["category"]):
            rec.problems.append(Problem("category", "warning", "category_regress",
                                        f"人员类别由“{old['category']}”改为“{changes['category']}”（后退了），请确认表格是否为最新。"))
        return changes

    def _stored(self) -> dict[int, dict[str, dict[str, Any]]]:
        """The steps of the census columns already recorded, per person and step (read once, only if asked)."""
        if self._stored_steps is None:
            wanted = [c.step for c in COLUMNS]
            self._stored_steps = {}
            for pid, step, on, fields in self.reg.conn.execute(
                    "SELECT person_id, step, on_date, fields FROM development_steps"
                    f" WHERE step IN ({','.join('?' * len(wanted))}) ORDER BY id", wanted):
                self._stored_steps.setdefault(pid, {}).setdefault(step, {"on_date": on, "fields": json.loads(fields)})
            self._with_steps = {r[0] for r in self.reg.conn.execute("SELECT DISTINCT person_id FROM development_steps")}
        return self._stored_steps

    def _steps(self, rec: PersonRecord, person: dict[str, Any], old: dict[str, Any] | None) -> None:
        """The steps the row's step columns write, and the development checks on import (warnings only)."""
        if rec.steps:
            writes, problems = planned_steps(person, rec.steps, self.today)
            if old is not None:
                stored = self._stored().get(old["id"], {})
                kept = []
                for w in writes:
                    if w.step in stored:
                        problem = stored_differs(w, stored[w.step])
                        if problem:
                            problems.append(problem)
                    else:
                        kept.append(w)
                writes = kept
            rec.writes = writes
            rec.problems.extend(problems)
        # Steps kept here: dated on or after she entered the records (a census's steps tell of history).
        if old is None:
            entered = str(person.get("managed_from") or self.managed_from)
            person = {**person, "created_at": "", "managed_from": entered}
            has_steps = any(w.on >= entered for w in rec.writes)
        else:
            entered = max(str(old.get("created_at") or "")[:10], str(old.get("managed_from") or ""))
            self._stored()
            has_steps = any(w.on >= entered for w in rec.writes) or old["id"] in self._with_steps
        if may_miss_steps(person, entered, has_steps):
            stored_records = self._records(old["id"]) if old is not None and old["id"] in self._with_steps else []
            rec.problems.extend(import_findings(person, stored_records, rec.writes, self.today))
        elif rec.writes:
            rec.problems.extend(order_of_writes(person, rec.writes))

    def _records(self, person_id: int) -> list[StepRecord]:
        """A stored person's steps as the checks take them (the service reads them so)."""
        return step_records(self.reg, person_id)

    def _rules(self, rec: PersonRecord, merged: dict[str, Any], known: list[Problem] | None = None) -> bool:
        found = known if known is not None else development_problems(merged, self.today)
        rec.problems.extend(found)
        return any(p.level == "error" for p in found)
