"""The report's 党费 section: who should pay here, who paid, the amounts this period and the one before, arrears."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl

from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.monthly import monthly_figures
from registry.reports.monthly_pdf import build_monthly_pdf
from registry.services import dues
from registry.services.dues import BaseInput, PaymentInput
from registry.storage.database import Registry
from tests.reports.conftest import needs_poppler, pdf_text
from tests.services.dues_fixtures import member, setup_branch

TODAY = datetime.date(2026, 12, 1)


def _registry(reg: Registry) -> None:
    setup_branch(reg)
    a, b, c = member(reg, 1, "王芳"), member(reg, 2, "李强"), member(reg, 3, "陈静")
    member(reg, 4, "周敏", relation="流入", flowing="是", home_organization="南充市某村党支部")  # pays at home
    member(reg, 5, "赵刚")  # no base: 未登记
    for pid in (a, b, c):
        dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.pay(reg, [a, b], PaymentInput("2026-01..2026-10", "2026-10-08"), TODAY)  # 420 each, in October
    dues.pay(reg, [a], PaymentInput("2026-11", "2026-11-20"), TODAY)
    dues.pay(reg, [c], PaymentInput("2026-01..2026-06", "2026-11-03", "260"), TODAY)  # 8 元 more than due


def test_the_section_counts_this_period_and_the_previous(reg: Registry) -> None:
    _registry(reg)
    f = monthly_figures(reg, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), on=TODAY)
    rows = {r["key"]: (r["current"], r["previous"]) for r in f["dues"]["rows"]}
    assert rows == {"should_pay": (4, 4), "paid_people": (2, 2), "collected": (302.0, 840.0),
                    "arrears": (1, 1), "unregistered": (1, 1)}
    # counted to the month before the period's: at the end of October 陈静 owes January–September, at the end of
    # November July–October (李强's November is not owed before December)
    assert f["dues"]["collected"] == "302.00" and f["dues"]["collected_previous"] == "840.00"


def test_a_half_month_counts_only_finished_months(reg: Registry) -> None:
    _registry(reg)
    f = monthly_figures(reg, datetime.date(2026, 11, 16), datetime.date(2026, 11, 30), on=TODAY)
    rows = {r["key"]: r["current"] for r in f["dues"]["rows"]}
    assert rows["collected"] == 42.0 and rows["paid_people"] == 1


@needs_poppler
def test_the_pdf_and_the_workbook_show_it(reg: Registry, tmp_path: Path) -> None:
    _registry(reg)
    f = monthly_figures(reg, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), on=TODAY)
    out = tmp_path / "月报.pdf"
    build_monthly_pdf(f, out)
    text = "".join(pdf_text(out))
    assert "党费收缴情况" in text and "本期收缴党费（元）" in text and "302.00" in text and "840.00" in text
    assert "未登记党费基数的党员（人）" in text
    book = tmp_path / "月报数据.xlsx"
    export_monthly_figures(reg, f, book)
    sheet = openpyxl.load_workbook(book)["党费收缴"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [values[2][0], *map(float, values[2][1:])] == ["本期收缴党费（元）", 302, 840, -538]


def test_the_due_section_lists_the_dues_items(reg: Registry) -> None:
    _registry(reg)
    f = monthly_figures(reg, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), on=TODAY)
    arrears = next(k for k in f["due"]["kinds"] if k["kind"] == "dues_arrears")
    assert sorted(p["name"] for p in arrears["people"]) == ["李强", "陈静"]
