"""Due items of the relationship: 组织关系待核实 until resolved; 流入满6个月 prompts a transfer of the relationship."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.rules.dates import PartialDate
from registry.rules.deadlines import RULES, due_class
from registry.services.due import due_counts, due_items, due_summary
from registry.services.people import add_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

TODAY = date(2026, 11, 23)
KINDS = ("inflow_transfer", "relation_unverified")


def _items(reg: Registry, today: date = TODAY) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["kind"], i["name"]): i for i in due_items(reg, today) if i["kind"] in KINDS}


def test_unverified_relationship_is_listed_until_resolved(reg: Registry) -> None:
    add_person(reg, name="待查", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07", relation="待核实",
               managed_from="2026-11-03")
    add_person(reg, name="群众", id_number=ID_MAN_2000, category="群众", relation="待核实", managed_from="2026-11-03")
    item = _items(reg)[("relation_unverified", "待查")]
    assert (item["class"], item["class_label"], item["label"], item["due"]) == ("unverified", "待核实", "组织关系待核实", None)
    assert item["rule"] == "《中国共产党章程》第八条"
    assert ("relation_unverified", "群众") not in _items(reg)
    edit_person(reg, ID_MAN_1985, relation="在册", correction=True)
    assert _items(reg) == {}


def test_flowing_in_six_months_prompts_a_transfer(reg: Registry) -> None:
    add_person(reg, name="半年", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07", relation="流入",
               home_organization="四川省南充市某村党支部", reported_on="2026-05-23", managed_from="2026-05-23")
    add_person(reg, name="新来", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07", relation="流入",
               home_organization="四川省南充市某村党支部", managed_from="2026-09-01")  # no 报到 date: managed_from counts
    items = _items(reg)
    item = items[("inflow_transfer", "半年")]
    assert (item["class"], item["class_label"], item["due"]) == ("eligible", "可办理", "2026-11-23")
    assert item["label"] == "流入满6个月，可动员转入组织关系"
    assert item["rule"] == "《中国共产党党员教育管理工作条例》第二十五条"
    assert ("inflow_transfer", "新来") not in items  # 2027-03-01 is after next month
    assert _items(reg, date(2027, 3, 1))[("inflow_transfer", "新来")]["class"] == "eligible"
    assert _items(reg, date(2026, 11, 22))[("inflow_transfer", "半年")]["class"] == "this_month"  # coming, not yet
    assert due_counts(reg, TODAY) == due_summary(due_items(reg, TODAY))


# --- property: the two kinds say what the rule says, for any stored relation and dates ----------------------
def _dates() -> st.SearchStrategy[str | None]:
    day = st.dates(date(2024, 1, 1), date(2027, 3, 31)).map(lambda d: d.isoformat())
    month = st.tuples(st.integers(2024, 2027), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}")
    edges = st.sampled_from(["2024-02-29", "2025-08-31", "2026-05-31", "2024-08", "2025-02"])
    return st.one_of(st.none(), day, month, edges)


_people = st.lists(st.fixed_dictionaries({
    "category": st.sampled_from(["群众", "入党积极分子", "预备党员", "正式党员"]),
    "relation": st.sampled_from(["在册", "流入", "流出", "待核实"]),
    "reported_on": _dates(), "managed_from": _dates(),
    "joined_on": st.just("2020-07"), "full_on": st.just("2021-07"),
    "left_on": st.one_of(st.none(), st.none(), st.just("2026-05-01")),
}), max_size=8)
_ids = itertools.count(1)


def _expected(person: dict[str, Any], today: date) -> set[tuple[str, str | None, str]]:
    if person["left_on"] or person["category"] not in ("预备党员", "正式党员"):
        return set()
    if person["relation"] == "待核实":
        return {("relation_unverified", None, "unverified")}
    start = person["reported_on"] or person["managed_from"]
    if person["relation"] != "流入" or start is None:
        return set()
    due = PartialDate.from_iso(start).add_months(6)
    cls = due_class("inflow_transfer", due, today)
    return set() if cls is None else {("inflow_transfer", str(due), cls)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=_people, today=st.dates(date(2024, 6, 1), date(2027, 3, 31)))
def test_relationship_items_agree_with_the_rules(reg: Registry, people: list[dict[str, Any]], today: date) -> None:
    with reg.transaction("test.reset") as tx:
        for (old,) in tx.conn.execute("SELECT id FROM people").fetchall():
            tx.delete("people", old)
        stamp = "2026-01-01T00:00:00"
        rows = [{**p, "flowing": int(p["relation"] == "流入"), "name": f"人{n}", "id_number": f"R{next(_ids):017d}",
                 "created_at": stamp, "updated_at": stamp} for n, p in enumerate(people)]
        if rows:
            tx.insert_many("people", rows)
    items = [i for i in due_items(reg, today) if i["kind"] in KINDS]
    got = {(i["name"], i["kind"], i["due"], i["class"]) for i in items}
    assert got == {(r["name"], *e) for r in rows for e in _expected(r, today)}
    assert all(i["rule"] == RULES[i["kind"]].rule for i in items)
    assert not any(i["class"] == "overdue" for i in items)  # an eligibility and a question: never overdue
    summary = due_counts(reg, today)
    assert {k: summary[k] for k in KINDS} == {k: v for k, v in due_summary(due_items(reg, today)).items() if k in KINDS}
