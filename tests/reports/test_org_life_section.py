"""The report's 组织生活 section: per branch required vs held, the attendance rate, the year's gaps with their
articles, the previous period beside it; in the figures, the PDF and the Excel export alike."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from registry.demo import make_id
from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.monthly import build_monthly_pdf, monthly_figures
from registry.rules.periods import parse_month
from registry.services.meetings import Attendee, add_meeting, roll_call
from registry.services.organizations import add_org
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import records_since_founding
from tests.reports.conftest import needs_poppler, pdf_text

NOVEMBER = parse_month("2026-11")
TODAY = date(2026, 12, 1)
BRANCH = "城西快递党支部"


def _branch(reg: Registry) -> Registry:
    add_org(reg, name=BRANCH, type="党支部", founded_on="2026-01-01")
    records_since_founding(reg, BRANCH)
    rng = random.Random(5)
    for i in range(7):  # seven 正式党员: the branch has a 支部委员会
        add_person(reg, name=f"城西{i}", id_number=make_id(rng, date(1985 + i, 3, 5), i % 2 == 0), category="正式党员",
                   joined_on="2010-07-01", full_on="2011-07-01", organization=BRANCH, managed_from="2020-01-01")
    for kind, day in (("主题党日", "2026-10-09"), ("主题党日", "2026-11-09"), ("支部委员会", "2026-11-03"),
                      ("支部党员大会", "2026-09-20"), ("党课", "2026-06-01")):
        people = [Attendee(r["person_id"]) for r in roll_call(reg, BRANCH, day)]
        if day == "2026-11-09":
            people[0] = Attendee(people[0].person, "请假", "外出派件")
        add_meeting(reg, organization=BRANCH, kind=kind, held_on=day, attendance=people, today=TODAY)
    return reg


def test_the_section_per_branch(reg: Registry) -> None:
    figures = monthly_figures(_branch(reg), NOVEMBER.start, NOVEMBER.end, BRANCH, on=TODAY)
    life = figures["org_life"]
    # The branch's items are this section's, not the people counted under 下月到期事项.
    assert "org_life_gap" not in {k["kind"] for k in figures["due"]["kinds"]}
    [b] = life["branches"]
    req = b["requirements"]
    assert (req["主题党日"]["state"], req["支部委员会"]["state"]) == ("done", "done")
    assert req["党小组会"]["state"] == "na"  # no 党小组
    assert req["支部党员大会"]["state"] == "pending"  # the fourth quarter runs to December
    assert (b["meetings"], b["previous"]) == (2, 1)
    assert b["attendance_rate"] == round(100 * 13 / 14, 1) and b["previous_attendance_rate"] == 100.0
    gaps = {g["label"]: g["article"] for g in b["gaps"]}
    assert gaps["2026年第1季度未召开支部党员大会"] == "《中国共产党支部工作条例（试行）》第十一条"
    assert gaps["2026年10月未召开支部委员会"] == "《中国共产党支部工作条例（试行）》第十二条"
    assert not any("主题党日" in label and "10月" in label for label in gaps)
    assert life["attendance"] == {"current": b["attendance_rate"], "previous": 100.0}


@needs_poppler
def test_the_pdf_and_the_workbook_show_it(reg: Registry, tmp_path: Path) -> None:
    figures = monthly_figures(_branch(reg), NOVEMBER.start, NOVEMBER.end, BRANCH, on=TODAY)
    out = tmp_path / "月报.pdf"
    build_monthly_pdf(figures, out)
    text = "".join("".join(pdf_text(out, layout=False)).split())
    assert "组织生活开展情况" in text and "出勤率92.9%（上期100.0%）" in text
    assert "2026年第1季度未召开支部党员大会" in text and "第十一条、第十二条" in text
    book = tmp_path / "数据.xlsx"
    export_monthly_figures(reg, figures, book)
    rows = list(load_workbook(book)["组织生活"].iter_rows(values_only=True))
    header = [c for c in rows[0] if c]
    assert "本年未落实事项及依据" in header and "出勤率（%）" in header
    row = next(r for r in rows if r and r[0] == BRANCH)
    assert "第十一条" in str(row[header.index("本年未落实事项及依据")])
