"""The 关爱阵地 section of the monthly and half-monthly report: figures, PDF text and the Excel sheets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from registry.reports.figures_xlsx import build_workbook
from registry.reports.monthly import build_monthly_pdf, monthly_figures
from registry.services import stations
from registry.services.outlets import add_outlet
from registry.storage.database import Registry
from tests.reports.conftest import needs_poppler, pdf_text


def _network(reg: Registry) -> None:
    add_outlet(reg, name="顺丰白石洲", brand="顺丰", street="沙河街道", community="白石洲社区")
    add_outlet(reg, name="中通华侨城", brand="中通", street="沙河街道", community="华侨城社区")
    add_outlet(reg, name="韵达无社区", brand="韵达", street="蛇口街道")
    stations.add_station(reg, name="白石洲暖蜂驿站", type="暖蜂驿站", street="沙河街道", community="白石洲",
                         services="饮水、党员报到处", opened_on="2026-01-01")
    stations.add_station(reg, name="华侨城红色之家", type="红色之家", street="沙河街道", community="华侨城社区",
                         opened_on="2026-11-20")
    stations.set_visits(reg, "白石洲暖蜂驿站", "2026-10", 200)
    stations.set_visits(reg, "白石洲暖蜂驿站", "2026-11", 320)
    stations.set_visits(reg, "华侨城红色之家", "2026-11", 15)


def test_the_half_month_section(reg: Registry) -> None:
    _network(reg)
    f = monthly_figures(reg, date(2026, 11, 16), date(2026, 11, 30))
    rows = {r["key"]: r for r in f["care"]["rows"]}
    assert (rows["stations"]["current"], rows["stations"]["previous"], rows["stations"]["change"]) == (2, 1, 1)
    assert (rows["report_points"]["current"], rows["covered"]["current"], rows["covered"]["previous"]) == (1, 2, 1)
    assert (rows["no_community"]["current"], rows["care_coverage"]["current"]) == (1, 100.0)
    # a half-month shows its month's visitors and compares them with the month before
    assert (rows["visits"]["current"], rows["visits"]["previous"]) == (335, 200)
    assert f["care"]["months"] == ["2026-11"] and f["care"]["previous_months"] == ["2026-10"]
    streets = [s["street"] for s in f["care"]["coverage"]["streets"]]
    assert streets == ["沙河街道", "蛇口街道"]


@needs_poppler
def test_the_section_is_printed_and_exported(reg: Registry, tmp_path: Path) -> None:
    _network(reg)
    f = monthly_figures(reg, date(2026, 11, 1), date(2026, 11, 30))
    out = tmp_path / "月报.pdf"
    build_monthly_pdf(f, out)
    text = "".join(pdf_text(out, layout=False))
    assert "关爱阵地建设情况" in text and "各街道关爱阵地覆盖情况" in text and "未填社区" in text
    assert text.index("快递网点覆盖情况") < text.index("关爱阵地建设情况") < text.index("组织生活开展情况")
    wb = build_workbook(f)
    assert "关爱阵地" in wb.sheetnames and "各街道关爱阵地" in wb.sheetnames
    path = tmp_path / "数据.xlsx"
    wb.save(path)
    sheet = load_workbook(path)["各街道关爱阵地"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "街道" and values[-1][0] == "合计" and values[-1][1] == 3


def test_a_report_kept_without_the_section_still_prints(reg: Registry, tmp_path: Path) -> None:
    f = monthly_figures(reg, date(2026, 11, 1), date(2026, 11, 30))
    f.pop("care")  # figures of a report submitted before the care network existed
    build_monthly_pdf(f, tmp_path / "旧.pdf")
    assert "关爱阵地" not in build_workbook(f).sheetnames
