"""The monthly / half-monthly report: figures agree with the registry, changes are listed, the PDF is right."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from registry.demo import make_id
from registry.reports.monthly import build_monthly_pdf, monthly_figures, write_monthly_report
from registry.rules.periods import parse_half, parse_month
from registry.services.activities import record_service
from registry.services.flowing import register_report, transfer_in, transfer_out
from registry.services.history import history
from registry.services.meetings import Attendee, add_meeting
from registry.services.party_groups import add_group
from registry.services.people import add_person, edit_person
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.reports.conftest import (
    FULL_ID,
    TODAY,
    assert_paged_and_embedded,
    needs_poppler,
    number_after,
    pdf_text,
)

OCTOBER = parse_month("2026-10")


def _ids(n: int) -> list[str]:
    rng = random.Random(11)
    return [make_id(rng, date(1990, 1 + i % 12, 10), i % 2 == 0) for i in range(n)]


@pytest.fixture
def october(branch: Registry) -> tuple[Registry, dict[str, str]]:
    """A branch whose October has one of every kind of change, and a September to compare with."""
    ids = dict(zip("ABCDEFGHI", _ids(9), strict=True))
    common = {"outlet": "沙河网点", "organization": "城南快递联合党支部"}
    add_person(branch, name="申请甲", id_number=ids["A"], category="入党申请人", applied_on="2026-10-05", **common)
    add_person(branch, name="积极乙", id_number=ids["B"], category="入党积极分子", applied_on="2025-01-10",
               activist_on="2026-10-12", **common)
    add_person(branch, name="流动丙", id_number=ids["C"], category="正式党员", joined_on="2010-07", full_on="2011-07",
               outlet="春熙路网点")
    register_report(branch, ids["C"], home_organization="四川省南充市顺庆区新建村党支部", reported_on="2026-10-20",
                    organization="流动党员党支部")
    add_person(branch, name="转入丁", id_number=ids["D"], category="正式党员", joined_on="2012-07", full_on="2013-07",
               outlet="沙河网点")
    transfer_in(branch, ids["D"], organization="城南快递联合党支部", from_org="湖北省黄冈市团风县方高坪镇党委",
                issued_on="2026-10-02", arrived_on="2026-10-08")
    add_person(branch, name="转出戊", id_number=ids["E"], category="正式党员", joined_on="2014-07", full_on="2015-07",
               **common)
    transfer_out(branch, ids["E"], to_org="河南省周口市郸城县石槽镇党委", issued_on="2026-10-15")
    add_person(branch, name="离开己", id_number=ids["F"], category="群众", **common)
    edit_person(branch, ids["F"], left_on="2026-10-20")
    add_person(branch, name="九月庚", id_number=ids["G"], category="入党申请人", applied_on="2026-09-03", **common)
    add_person(branch, name="整月辛", id_number=ids["H"], category="入党申请人", applied_on="2026-10", **common)
    add_person(branch, name="到期壬", id_number=ids["I"], category="入党积极分子", applied_on="2025-06-01",
               activist_on="2025-11-10", **common)
    add_group(branch, "城南快递联合党支部", "第一党小组")
    for kind, day in (("支部委员会", "2026-10-10"), ("党小组会", "2026-10-11"), ("主题党日", "2026-10-20"),
                      ("党课", "2026-09-05")):
        add_meeting(branch, organization="城南快递联合党支部", kind=kind, held_on=day,
                    attendance=[Attendee(ids["A"]), Attendee(ids["D"])], override_reason="测试：当日尚未录入本台账",
                    group="第一党小组" if kind == "党小组会" else None)
    record_service(branch, ids["C"], post="流动网格员", served_on="2026-10-06", hours=3, points=30)
    record_service(branch, ids["D"], post="平安巡查员", served_on="2026-09-06", hours=2, points=20)
    return branch, ids


def _changes(figures: dict) -> dict[str, dict]:
    return {c["key"]: c for c in figures["activity"]}


def test_totals_are_the_registry_statistics(demo: Registry) -> None:
    period = parse_month("2026-11")
    f = monthly_figures(demo, period.start, period.end, on=TODAY)
    now, before = statistics(demo, period.end), statistics(demo, date(2026, 10, 31))
    rows = {r["key"]: r for r in f["totals"]}
    assert rows["full_members"]["current"] == now["by_category"]["正式党员"]
    assert rows["probationary"]["current"] == now["by_category"]["预备党员"]
    assert rows["flowing_in"]["current"] == now["members"]["flowing_in"]
    assert rows["registered"]["current"] == now["members"]["registered"]
    assert rows["people"]["previous"] == before["people"]
    assert rows["applicants"]["previous"] == before["by_category"]["入党申请人"]
    for r in f["totals"]:
        assert r["change"] == r["current"] - r["previous"]
    # 在册 and 流入 kept apart and never counted twice.
    m = f["members"]
    assert m["registered"] + m["flowing_in"] + m["stopped"] == m["total"] == rows["members"]["current"]
    assert {r["key"]: r["current"] for r in f["coverage"]}["total"] == now["outlets"]["total"]
    assert f["unit"] == "示例市快递物流行业党委（演示数据）"


def test_changes_in_the_period_with_names(october: tuple[Registry, dict[str, str]]) -> None:
    reg, _ = october
    f = monthly_figures(reg, OCTOBER.start, OCTOBER.end, on=TODAY)
    c = _changes(f)
    assert [p["name"] for p in c["applied"]["people"]] == ["整月辛", "申请甲"]  # month-only 2026-10 counts from the 1st
    assert c["applied"]["previous"] == 1 and c["applied"]["change"] == 1  # 九月庚 in September
    assert [p["name"] for p in c["activist"]["people"]] == ["积极乙"]
    assert c["activist"]["people"][0]["outlet"] == "沙河网点"
    assert [p["name"] for p in c["reported"]["people"]] == ["流动丙"]
    assert [(p["name"], p["from_org"]) for p in c["transfer_in"]["people"]] == [("转入丁", "湖北省黄冈市团风县方高坪镇党委")]
    assert [(p["name"], p["to_org"]) for p in c["transfer_out"]["people"]] == [("转出戊", "河南省周口市郸城县石槽镇党委")]
    assert [p["name"] for p in c["left"]["people"]] == ["离开己"]  # the one transferred out is not listed twice
    assert c["admitted"]["current"] == c["full"]["current"] == 0
    assert not any("id_number" in p for change in f["changes"] for p in change["people"])


def test_scoped_to_an_organisation(october: tuple[Registry, dict[str, str]]) -> None:
    reg, _ = october
    f = monthly_figures(reg, OCTOBER.start, OCTOBER.end, "城南快递联合党支部", on=TODAY)
    assert f["unit"] == f["organization"] == "城南快递联合党支部"
    c = _changes(f)
    assert c["reported"]["current"] == 0  # 流动丙 reported to the flowing members' branch
    assert c["transfer_in"]["current"] == 1
    assert f["members"] == statistics(reg, OCTOBER.end, "城南快递联合党支部")["members"]
    assert f["volunteer"]["hours"] == 0  # 流动丙's hours belong to another branch


def test_organisational_life_against_requirements(october: tuple[Registry, dict[str, str]]) -> None:
    reg, _ = october
    life = monthly_figures(reg, OCTOBER.start, OCTOBER.end, on=TODAY)["org_life"]
    branches = {b["organization"]: b for b in life["branches"]}
    assert set(branches) == {"城南快递联合党支部", "流动党员党支部"}  # the committee is not a branch
    south = branches["城南快递联合党支部"]
    assert south["meetings"] == 3 and south["previous"] == 1 and south["present"] == 6
    assert south["attendance_rate"] == 100.0 and south["previous_attendance_rate"] == 100.0
    req = south["requirements"]
    # Two 正式党员 and no committee recorded: 支部委员会 is not asked for (the one held is counted, not owed).
    assert req["支部委员会"]["state"] == "na" and south["by_kind"]["支部委员会"] == 1
    assert (req["党小组会"]["state"], req["主题党日"]["state"]) == ("done", "done")  # October's, per month
    assert req["党课"]["state"] == "done"  # once a year by default: September's counts for 2026
    assert req["支部党员大会"]["state"] == "pending" and not req["支部党员大会"]["closed"]  # the quarter runs on
    assert south["missing"] == ["支部党员大会", "组织生活会", "民主评议党员", "谈心谈话"]
    # The year's missed periods, each with its article: no 支部党员大会 in the first three quarters.
    big = [g for g in south["gaps"] if g["kind"] == "支部党员大会"]
    assert [g["label"] for g in big] == [f"2026年第{q}季度未召开支部党员大会" for q in (1, 2, 3)]
    assert big[0]["article"] == "《中国共产党支部工作条例（试行）》第十一条"
    flowing = branches["流动党员党支部"]
    assert flowing["requirements"]["主题党日"]["state"] == "gap" and flowing["attendance_rate"] is None
    assert life["summary"]["current"] == 3 and life["complete"] == 0
    assert life["gap_count"] == sum(len(b["gaps"]) for b in branches.values())


def test_volunteer_and_due(october: tuple[Registry, dict[str, str]]) -> None:
    reg, _ = october
    f = monthly_figures(reg, OCTOBER.start, OCTOBER.end, on=TODAY)
    v = f["volunteer"]
    assert (v["people"], v["hours"], v["points"]) == (1, 3, 30)
    assert v["top"][0]["name"] == "流动丙"
    changes = {r["key"]: r["change"] for r in v["rows"]}
    assert {k: changes[k] for k in ("people", "hours", "points")} == {"people": 0, "hours": 1.0, "points": 10.0}
    assert (changes["activities"], changes["members"], changes["others"]) == (0, 0, 0)  # one 党员 each month
    due = f["due"]
    assert (due["start"], due["end"]) == ("2026-11-01", "2026-11-30")
    by_kind = {k["kind"]: [p["name"] for p in k["people"]] for k in due["kinds"]}
    assert by_kind["target_eligible"] == ["到期壬"]
    assert sorted(by_kind["talk_due"]) == ["整月辛", "申请甲"]


def test_half_month_compares_with_the_half_before(october: tuple[Registry, dict[str, str]]) -> None:
    reg, _ = october
    half = parse_half("2026-10-2")
    f = monthly_figures(reg, half.start, half.end, on=TODAY)
    assert f["title"] == "快递行业党建工作半月通报" and f["previous_period"]["label"] == "2026年10月上半月"
    c = _changes(f)
    assert [p["name"] for p in c["reported"]["people"]] == ["流动丙"]
    assert c["applied"]["current"] == 0 and c["applied"]["previous"] == 2


@needs_poppler
def test_pdf_shows_the_registry_figures(demo: Registry, tmp_path: Path) -> None:
    out = tmp_path / "月报.pdf"
    figures = write_monthly_report(demo, out, parse_month("2026-11"), on=TODAY)
    pages = assert_paged_and_embedded(out)
    assert len(pages) == figures["pages"] >= 2
    text = "\n".join(pages)
    stats = statistics(demo, date(2026, 11, 30))
    assert number_after(text, "正式党员") == stats["by_category"]["正式党员"]
    assert number_after(text, "预备党员") == stats["by_category"]["预备党员"]
    assert number_after(text, "流入党员") == stats["members"]["flowing_in"]
    assert number_after(text, "其中：在册党员") == stats["members"]["registered"]
    assert number_after(text, "网点总数（个）") == stats["outlets"]["total"]
    for words in ("快递行业党建工作月报", "2026年11月", "填报人", "审核人", "盖章", "三会一课", "志愿服务", "下月到期事项"):
        assert words in text
    assert not FULL_ID.search(text)
    # The report leaves a trail in the audit log, without personal data.
    entry = history(demo, limit=1)[0]
    assert (entry["action"], entry["entity"], entry["label"]) == ("report.monthly", "exports", "月报.pdf")
    assert json.loads(entry["new"])["period"]["label"] == "2026年11月"


@needs_poppler
def test_pdf_of_changes_lists_names_and_outlets(october: tuple[Registry, dict[str, str]], tmp_path: Path) -> None:
    reg, ids = october
    out = tmp_path / "oct.pdf"
    build_monthly_pdf(monthly_figures(reg, OCTOBER.start, OCTOBER.end, on=TODAY), out)
    text = "\n".join(assert_paged_and_embedded(out))
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")  # a long entry wraps inside its cell
    assert "积极乙（沙河网点）" in flat
    assert "转入丁（沙河网点，自湖北省黄冈市团风县方高坪镇党委转入）" in flat
    assert not any(number in text for number in ids.values())
