"""The report's 志愿服务 section: activities, 党员 and others, hours, points, posts and the top list, beside the last period."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.reports.figures_xlsx import build_workbook
from registry.reports.monthly import build_monthly_pdf, monthly_figures
from registry.rules.periods import parse_month
from registry.services.people import add_person
from registry.services.volunteer import record_activity, set_rule
from registry.services.volunteer_posts import add_post, claim_post, edit_post
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from tests.reports.conftest import POPPLER, TODAY, pdf_text

OCTOBER = parse_month("2026-10")
COURIER = "11010519491231002X"


@pytest.fixture
def service(branch: Registry) -> Registry:
    """September and October of a branch's service: two members, a 群众 courier, one person of another branch."""
    south = {"outlet": "沙河网点", "organization": "城南快递联合党支部", "managed_from": "2025-01-01"}
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07", **south)
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="预备党员", joined_on="2026-03-01", **south)
    add_person(branch, name="赵快递", id_number=COURIER, **south)
    add_person(branch, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07",
               organization="流动党员党支部", outlet="春熙路网点", managed_from="2025-01-01")
    set_rule(branch, "2026-01-01", per_hour=10, per_activity=5)
    record_activity(branch, title="九月巡查", kind="平安巡查", held_on="2026-09-12", default_hours=2,
                    participants=[(ID_MAN_1985, None)])
    record_activity(branch, title="夜间平安巡查", kind="平安巡查", held_on="2026-10-10", default_hours=2,
                    participants=[(ID_MAN_1985, None), (COURIER, 3), (ID_MAN_2000, None)])
    record_activity(branch, title="文明交通劝导", kind="文明宣传", held_on="2026-10-20", default_hours=1,
                    participants=[(ID_WOMAN_1992, None), (COURIER, None)])
    patrol = add_post(branch, name="城南平安巡查岗", kind="平安巡查员", organization="城南快递联合党支部")
    closed = add_post(branch, name="梧桐网格岗", kind="流动网格员", organization="城南快递联合党支部")
    claim_post(branch, patrol, ID_MAN_1985, "2026-08-01")
    claim_post(branch, patrol, COURIER, "2026-10-05")
    claim_post(branch, closed, ID_WOMAN_1992, "2026-08-01")
    edit_post(branch, closed, closed_on="2026-09-30")
    return branch


def _rows(f: dict) -> dict[str, tuple]:
    return {r["key"]: (r["current"], r["previous"]) for r in f["volunteer"]["rows"]}


def test_the_section_counts_members_apart_and_compares_with_the_period_before(service: Registry) -> None:
    f = monthly_figures(service, OCTOBER.start, OCTOBER.end, on=TODAY)
    rows = _rows(f)
    assert rows["activities"] == (2, 1)
    assert rows["people"] == (4, 1) and rows["members"] == (3, 1) and rows["others"] == (1, 0)
    assert rows["times"] == (5, 1)
    assert rows["hours"] == (9.0, 2.0)
    assert rows["points"] == (115.0, 25.0)  # 10 an hour and 5 an activity
    assert rows["posts_open"] == (1, 2)  # 梧桐网格岗 closed on 30 September
    assert rows["posts_held"] == (2, 2) and rows["posts_members"] == (1, 2) and rows["posts_claimed"] == (1, 0)
    top = f["volunteer"]["top"]
    assert [(t["rank"], t["name"], t["member"]) for t in top] == [  # equal points share a place, by stroke order
        (1, "赵快递", "群众及其他"), (2, "王五", "党员"), (2, "张三", "党员"), (4, "李四", "党员")]
    assert not any("id_number" in t for t in top)
    kinds = {k["kind"]: (k["activities"], k["times"], k["member_times"]) for k in f["volunteer"]["by_type"]}
    assert kinds == {"平安巡查": (1, 3, 2), "文明宣传": (1, 2, 1)}


def test_scoped_to_a_branch_its_people_only(service: Registry) -> None:
    f = monthly_figures(service, OCTOBER.start, OCTOBER.end, "城南快递联合党支部", on=TODAY)
    rows = _rows(f)
    assert rows["people"] == (3, 1) and rows["members"] == (2, 1)  # 王五 is the flowing members' branch's
    assert "王五" not in [t["name"] for t in f["volunteer"]["top"]]
    other = _rows(monthly_figures(service, OCTOBER.start, OCTOBER.end, "流动党员党支部", on=TODAY))
    assert other["people"] == (1, 0) and other["posts_open"] == (0, 0)


def test_workbook_and_pdf_show_the_section(service: Registry, tmp_path: Path) -> None:
    f = monthly_figures(service, OCTOBER.start, OCTOBER.end, on=TODAY)
    wb = build_workbook(f)
    sheet = {r[0]: r[1:] for r in wb["志愿服务"].iter_rows(min_row=2, values_only=True)}
    assert sheet["其中：党员（人）"] == (3, 1, 2)
    assert [r[1] for r in wb["志愿服务排名"].iter_rows(min_row=2, values_only=True)][:1] == ["赵快递"]
    assert {r[0] for r in wb["志愿服务类型"].iter_rows(min_row=2, values_only=True)} == {"平安巡查", "文明宣传"}
    if not POPPLER:  # the workbook is checked anyway; the PDF text needs pdftotext
        return
    out = tmp_path / "月报.pdf"
    build_monthly_pdf(f, out)
    text = "".join(pdf_text(out, layout=False))
    assert "志愿服务情况" in text and "党员3人、群众及其他1人" in text and "本期积分前" in text
