"""The due list against the rules: dates, classes, cited articles, and data waiting to be checked."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.rules.dates import PartialDate
from registry.rules.deadlines import CLASSES, RULES, due_class
from registry.services.due import due_counts, due_items, due_summary
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

TODAY = date(2026, 11, 23)


def _by_kind(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["kind"], i["name"]): i for i in items}


def test_29_february_and_31_january_as_the_rules_and_the_record_say(reg: Registry) -> None:
    add_person(reg, name="闰日", id_number=ID_MAN_1985, category="预备党员", joined_on="2024-02-29")
    add_person(reg, name="月末", id_number=ID_WOMAN_1992, category="入党申请人", applied_on="2024-01-31")
    items = _by_kind(due_items(reg, date(2025, 2, 10)))
    assert items[("probation_end", "闰日")]["due"] == "2025-02-28"  # not 2025-03-01
    assert items[("probation_end", "闰日")]["class"] == "this_month"
    assert items[("talk_due", "月末")]["due"] == "2024-02-29"  # not 2024-03-02
    assert items[("talk_due", "月末")]["class_label"] == "已逾期"
    assert items[("talk_due", "月末")]["rule"] == "《中国共产党发展党员工作细则》第七条"


def test_an_eligibility_is_never_overdue(reg: Registry) -> None:
    add_person(reg, name="积极", id_number=ID_MAN_1985, category="入党积极分子", activist_on="2024-03-01")
    item = _by_kind(due_items(reg, TODAY))[("target_eligible", "积极")]
    assert (item["class"], item["class_label"], item["bucket_label"]) == ("eligible", "可办理", "可办理")
    assert item["rule"] == "《中国共产党发展党员工作细则》第十三条"


def test_missing_dates_are_to_be_checked(reg: Registry) -> None:
    add_person(reg, name="无期积极", id_number=ID_MAN_1985, category="入党积极分子")
    add_person(reg, name="无期预备", id_number=ID_WOMAN_1992, category="预备党员")
    add_person(reg, name="无期申请", id_number=ID_MAN_2000, category="入党申请人")
    add_person(reg, name="无期党员", id_number="11010519491231002X", category="正式党员")
    items = due_items(reg, TODAY)
    found = {(i["kind"], i["name"]) for i in items}
    assert found == {("activist_undated", "无期积极"), ("probationary_undated", "无期预备"),
                     ("applicant_undated", "无期申请"), ("member_undated", "无期党员")}
    assert all(i["class_label"] == "待核实" and i["due"] is None and i["rule"] for i in items)
    assert due_counts(reg, TODAY) == due_summary(items)


def test_cli_json_carries_class_and_rule(reg: Registry, capsys: Any) -> None:
    import json

    from registry.cli.main import main

    add_person(reg, name="积极", id_number=ID_MAN_1985, category="入党积极分子", activist_on="2024-03-01")
    path = Path(reg.path)
    reg.close()
    assert main(["--db", str(path), "due", "--json", "--date", TODAY.isoformat()]) == 0
    items = {i["kind"]: i for i in json.loads(capsys.readouterr().out)}
    assert set(items) == {"target_eligible", "review_due"}  # no 考察 recorded since she became an activist
    item = items["target_eligible"]
    assert item["class"] == "eligible" and item["class_label"] == "可办理" and "第十三条" in item["rule"]


# --- property: for any stored dates the list says what the rules say ---------------------------------------
def _dates() -> st.SearchStrategy[str | None]:
    day = st.dates(date(2023, 1, 1), date(2027, 3, 31)).map(lambda d: d.isoformat())
    month = st.tuples(st.integers(2023, 2027), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}")
    edges = st.sampled_from(["2024-02-29", "2024-01-31", "2025-01-31", "2026-01-31", "2025-10-31", "2026-08-31",
                             "2025-12-31", "2024-02", "2025-02"])
    return st.one_of(st.none(), day, month, edges)


_people = st.lists(st.fixed_dictionaries({
    "category": st.sampled_from(["群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员"]),
    "applied_on": _dates(), "talked_on": st.one_of(st.none(), st.just("2025-01-01")),
    "activist_on": _dates(), "joined_on": _dates(), "full_on": st.one_of(st.none(), st.just("2026-01-01")),
    "extension_months": st.one_of(st.none(), st.integers(6, 12)),
    "lost_contact": st.integers(0, 1), "lost_since": _dates(),
    "left_on": st.one_of(st.none(), st.none(), st.just("2026-05-01")),
}), max_size=8)

_ids = itertools.count(1)


def _expected(person: dict[str, Any], today: date) -> set[tuple[str, str | None, str]]:
    """Each item the person should have, from the development periods added with PartialDate.add_months."""
    if person["left_on"]:
        return set()
    cat, out = person["category"], set()

    def dated(kind: str, start: str | None, months: int) -> None:
        due = PartialDate.from_iso(start).add_months(months) if start else None
        cls = due_class(kind, due, today)
        if cls is not None:
            out.add((kind, None if due is None else str(due), cls))

    if cat == "入党积极分子":
        dated("target_eligible" if person["activist_on"] else "activist_undated", person["activist_on"], 12)
        if person["activist_on"]:
            dated("review_due", person["activist_on"], 6)  # no 考察 recorded: half a year after she became one
    if cat == "预备党员" and person["joined_on"]:
        lapse = PartialDate.from_iso(person["joined_on"]).add_months(3)
        if lapse.last_day() >= date(2026, 1, 1):  # not approved, and in the records (since the stamp) when due
            dated("approval_due", person["joined_on"], 3)
    if cat == "预备党员" and (person["joined_on"] is None or person["full_on"] is None):
        dated("probation_end" if person["joined_on"] else "probationary_undated", person["joined_on"],
              12 + (person["extension_months"] or 0))
    if cat == "正式党员" and person["joined_on"] is None:
        dated("member_undated", None, 0)
    if cat == "入党申请人" and (person["applied_on"] is None or person["talked_on"] is None):
        dated("talk_due" if person["applied_on"] else "applicant_undated", person["applied_on"], 1)
    if cat in ("预备党员", "正式党员") and person["lost_contact"] and person["lost_since"]:
        dated("lost_contact", person["lost_since"], 6)
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=_people, today=st.dates(date(2024, 1, 1), date(2027, 3, 31)))
def test_due_list_agrees_with_the_rules(reg: Registry, people: list[dict[str, Any]], today: date) -> None:
    with reg.transaction("test.reset") as tx:
        for (old,) in tx.conn.execute("SELECT id FROM people").fetchall():
            tx.delete("people", old)  # through the writer: a transaction without changes is rolled back
        stamp = "2026-01-01T00:00:00"
        rows = [{**p, "name": f"人{n}", "id_number": f"T{next(_ids):017d}", "created_at": stamp, "updated_at": stamp}
                for n, p in enumerate(people)]
        if rows:
            tx.insert_many("people", rows)
    items = due_items(reg, today)
    got = {(i["name"], i["kind"], i["due"], i["class"]) for i in items}
    want = {(r["name"], *e) for r in rows for e in _expected(r, today)}
    assert got == want
    assert len(items) == len(got)
    assert all(i["class_label"] == CLASSES[i["class"]] and i["rule"] == RULES[i["kind"]].rule for i in items)
    assert not any(i["class"] == "overdue" and RULES[i["kind"]].eligibility for i in items)
    assert due_counts(reg, today) == due_summary(items)


def test_report_counts_only_deadlines_as_overdue(reg: Registry) -> None:
    from registry.reports.monthly import monthly_figures
    from registry.services.development_steps import record_step

    add_person(reg, name="积极", id_number=ID_MAN_1985, category="入党积极分子", activist_on="2024-03-01")
    add_person(reg, name="申请", id_number=ID_WOMAN_1992, category="入党申请人", applied_on="2026-09-10")
    add_person(reg, name="无期", id_number=ID_MAN_2000, category="预备党员")
    record_step(reg, ID_MAN_1985, "activist_review", "2026-10-01")  # her 考察 is not due either
    due = monthly_figures(reg, date(2026, 11, 1), date(2026, 11, 30), on=TODAY)["due"]
    assert (due["overdue"], due["unverified"]) == (1, 1)  # the talk owed since October; the missing 入党时间
    assert "activist_undated" not in {k["kind"] for k in due["kinds"]}
