"""The problem list (问题清单.xlsx) holds no live formula, and numbers Excel mangled come back as the user saw them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from registry.importing import service
from registry.importing.batches import excel_general, export_problems
from registry.importing.service import import_files
from registry.storage.database import Registry

DDE = "=cmd|' /C calc'!A0"


def hostile_census(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", DDE, "@SUM(1+1)"])
    ws.append(["张三", 5.10104198503154e17, "群众", "=HYPERLINK(\"http://x\")", "+1"])  # Excel mangled the ID
    ws.append(["李四", "420106199207080064", "外星人", "-2+3", None])  # an unknown category: rejected
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                c.data_type = "s"  # text in the census, as a grid worker typed it (not a formula there)
    wb.save(path)
    return path


def test_no_cell_of_the_problem_list_is_a_formula(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [hostile_census(tmp_path / "census.xlsx")])
    assert result.rejected == 2
    out = tmp_path / "问题清单.xlsx"
    export_problems(reg, result.batch, out)
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    header = [c.value for c in ws[1]]
    assert DDE in header and "@SUM(1+1)" in header  # kept, visibly, as text
    texts = {c.value for c in cells}
    assert {"=HYPERLINK(\"http://x\")", "+1", "-2+3"} <= texts


def test_mangled_id_goes_back_as_the_text_excel_showed(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [hostile_census(tmp_path / "census.xlsx")])
    out = tmp_path / "问题清单.xlsx"
    export_problems(reg, result.batch, out)
    ws = openpyxl.load_workbook(out).active
    id_cell = ws.cell(row=2, column=2)
    assert id_cell.value == "5.10104E+17"
    assert id_cell.data_type == "s" and id_cell.number_format == "@"


def test_excel_general_format() -> None:
    assert excel_general(5.10104198503154e17) == "5.10104E+17"
    assert excel_general(4.2e17) == "4.2E+17"
    assert excel_general(13800138000.0) == "13800138000"
    assert excel_general(123456789012.0) == "1.23457E+11"


@pytest.mark.parametrize("names", ["whole", "by chunk", "not asked"])
def test_rows_the_plan_rejects_go_back_whole(names: str, reg: Registry, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells of usable rows are let go while reading; a row rejected later is read again for the list. The same
    whether the registered names are read whole, asked for a chunk at a time (a small census into a large
    registry), or not known at all while reading (the plan still finds the conflict; the cells are read again)."""
    if names != "whole":
        monkeypatch.setattr(service._StoredNames, "WHOLE_BELOW", 0)
        monkeypatch.setattr(service._StoredNames, "SHARE", 0 if names == "by chunk" else 10**9)
    if names == "not asked":
        monkeypatch.setattr(service._StoredNames, "prefetch", lambda self, chunk: None)
    first = openpyxl.Workbook()
    first.active.append(["姓名", "公民身份号码", "人员类别"])
    first.active.append(["张三", "510104198503154210", "群众"])
    first.save(tmp_path / "a.xlsx")
    import_files(reg, [tmp_path / "a.xlsx"])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "公民身份号码", "人员类别", "备注", "申请入党日期", "入党时间"])
    ws.append([1, "张叁", "510104198503154210", "群众", "身份证号登记在别人名下"])  # a name conflict
    ws.append([2, "李四", "420106199207080064", "群众", "第一次出现"])
    ws.append([3, "李思", "420106199207080064", "群众", "同号不同名"])  # a duplicate with another name
    # New, usable when read, rejected by the plan's stage rules (joined before applying): read again.
    ws.append([4, "王五", "440305200001012617", "正式党员", "先入党后申请", "2024-05-01", "2020-07-01"])
    # Usable alone; the same person again below adds a 入党时间 before the application: the merged record
    # breaks the rule, and the first row, whose cells were let go, is read again.
    ws.append([5, "赵六", "11010519491231002X", "正式党员", "第一行", "2015-05-01", None])
    ws.append([6, "赵六", "11010519491231002X", "正式党员", "补充入党时间", None, "2010-07-01"])
    wb.save(tmp_path / "b.xlsx")
    result = import_files(reg, [tmp_path / "b.xlsx"])
    assert (result.added, result.rejected) == (1, 4)
    out = tmp_path / "问题清单.xlsx"
    assert export_problems(reg, result.batch, out) == 4
    rows = [[c.value for c in row][:5] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]
    assert rows == [[1, "张叁", "510104198503154210", "群众", "身份证号登记在别人名下"],
                    [3, "李思", "420106199207080064", "群众", "同号不同名"],
                    [4, "王五", "440305200001012617", "正式党员", "先入党后申请"],
                    [5, "赵六", "11010519491231002X", "正式党员", "第一行"]]
