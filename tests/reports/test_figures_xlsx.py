"""The monthly report's figures as an Excel workbook: sheets, numbers, formula-safe text, audit row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from registry.errors import UserError
from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.monthly import monthly_figures
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.reports.conftest import TODAY

SHEETS = ["总体情况", "人员变动", "网点覆盖", "品牌分布", "关爱阵地", "各街道关爱阵地", "组织生活", "党费收缴", "志愿服务",
          "志愿服务排名", "志愿服务类型", "到期事项", "报表说明"]


def rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def exports(reg: Registry) -> list[dict[str, Any]]:
    return [json.loads(r["new"]) for r in reg.query("SELECT new FROM audit_log WHERE entity = 'exports' ORDER BY id")]


def test_sheets_and_totals_agree_with_statistics(demo: Registry, tmp_path: Path) -> None:
    figures = monthly_figures(demo, date(2026, 11, 1), date(2026, 11, 30), on=TODAY)
    out = tmp_path / "月报数据.xlsx"
    export_monthly_figures(demo, figures, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert all(cell.font.bold for cell in ws[1]), ws.title
        assert ws.freeze_panes == "A2"
    totals = {r[0]: r[1:] for r in rows(out, "总体情况")[1:]}
    assert rows(out, "总体情况")[0] == ("项目（人）", "本期末", "上期末", "增减")
    now, before = statistics(demo, date(2026, 11, 30)), statistics(demo, date(2026, 10, 31))
    for category, count in now["by_category"].items():
        assert totals[category] == (count, before["by_category"][category], count - before["by_category"][category])
    assert totals["党员合计"][0] == now["members"]["total"]
    assert totals["其中：在册党员"][0] == now["members"]["registered"]
    assert totals["人员合计"][:2] == (now["people"], before["people"])
    assert all(isinstance(v, int) for row in totals.values() for v in row)
    coverage = {r[0]: r[1] for r in rows(out, "网点覆盖")[1:]}
    assert coverage["组织覆盖率（%）"] == pytest.approx(now["outlets"]["organization_coverage"])
    assert coverage["网点总数（个）"] == now["outlets"]["total"]


def test_changes_names_and_due_items(demo: Registry, tmp_path: Path) -> None:
    figures = monthly_figures(demo, date(2026, 11, 1), date(2026, 11, 30), on=TODAY)
    out = tmp_path / "数据.xlsx"
    export_monthly_figures(demo, figures, out)
    changes = rows(out, "人员变动")
    assert changes[0] == ("变动事项（人）", "本期", "上期", "增减", "本期人员名单")
    for row, change in zip(changes[1:], figures["activity"], strict=True):
        assert row[:4] == (change["label"], change["current"], change["previous"], change["change"])
        assert all(p["name"] in (row[4] or "") for p in change["people"])
    due = rows(out, "到期事项")
    assert [r[1] for r in due[1:-2]] == [k["count"] for k in figures["due"]["kinds"]]
    assert due[-2][:2] == ("合计", figures["due"]["total"])
    life = rows(out, "组织生活")
    assert life[-1][0] == "合计" and life[-1][2] == figures["org_life"]["summary"]["current"]
    volunteer = rows(out, "志愿服务")
    hours = next(r for r in volunteer if r[0] == "服务时长（小时）")
    assert hours[1] == pytest.approx(figures["volunteer"]["hours"])
    assert rows(out, "报表说明")[4][1] == "2026年11月1日至11月30日"
    # Every export of personal data leaves an audit row naming the file.
    record = exports(demo)[-1]
    assert record["file"] == str(out.resolve()) and record["format"] == "xlsx"
    assert record["period"]["label"] == "2026年11月"


def test_text_that_looks_like_a_formula_stays_text(demo: Registry, tmp_path: Path) -> None:
    figures = monthly_figures(demo, date(2026, 11, 1), date(2026, 11, 15), on=TODAY)
    figures["unit"] = "=HYPERLINK(\"http://example.com\")"
    figures["volunteer"]["top"] = [{"name": "+张三", "hours": 2, "points": 20.0},
                                   {"name": "@李四\x07", "hours": 1.5, "points": 15}]
    out = tmp_path / "半月通报数据.xlsx"
    export_monthly_figures(demo, figures, out)
    wb = openpyxl.load_workbook(out)
    unit = wb["报表说明"]["B3"]
    assert unit.value == figures["unit"] and unit.data_type == "s"
    top = list(wb["志愿服务排名"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[5], r[6]) for r in top] == [(1, "+张三", 2.0, 20.0), (2, "@李四", 1.5, 15.0)]
    assert exports(demo)[-1]["report"] == "halfmonth.figures"


def test_bad_targets_are_user_errors(demo: Registry, tmp_path: Path) -> None:
    figures = monthly_figures(demo, date(2026, 11, 1), date(2026, 11, 30), on=TODAY)
    before = len(exports(demo))
    with pytest.raises(UserError, match="不存在"):
        export_monthly_figures(demo, figures, tmp_path / "没有这个文件夹" / "数据.xlsx")
    with pytest.raises(UserError, match=".xlsx"):
        export_monthly_figures(demo, figures, tmp_path / "数据.pdf")
    assert len(exports(demo)) == before
    assert list(tmp_path.iterdir()) == []


def test_header_cells_are_never_formulas() -> None:
    from openpyxl import Workbook

    from registry.reports.figures_xlsx import _sheet

    ws = _sheet(Workbook(), "表", ["=cmd|' /C calc'!A0", "+1"], [["@SUM(A1)", 3]])
    cells = [ws.cell(1, 1), ws.cell(1, 2), ws.cell(2, 1)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["=cmd|' /C calc'!A0", "+1", "@SUM(A1)"]
