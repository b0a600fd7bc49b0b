"""The streaming XLSX writer: valid parts in schema order, the official layout as openpyxl and calamine read it."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter, column_letter

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# CT_Worksheet's sequence, as far as the writer uses it.
WORKSHEET_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "mergeCells",
                   "printOptions", "pageMargins", "pageSetup", "headerFooter"]
COLUMNS = [ColumnSpec(6, center=True, numeric=True), ColumnSpec(10), ColumnSpec(21, center=True)]
FORMULA_LIKE = ["=SUM(A1)", "+86 138 0013 8000", "-1", "@x", "=HYPERLINK(\"http://x\")", "\t=1", "\r=2"]


def write(path: Path, rows: Sequence[Sequence[object]], *, title: str = "示例花名册") -> Path:
    with XlsxWriter(path, title=title) as writer:
        sheet = writer.add_sheet("花名册", COLUMNS)
        sheet.title(title)
        sheet.subtitle("填报单位（盖章）：示例　　填报日期：2026年3月5日")
        sheet.header(["序号", "姓名", "公民身份号码"])
        sheet.freeze_below_header()
        sheet.rows(rows)
    return path


def body(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[3:]


def test_every_part_is_well_formed_and_declared(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlsx", [[1, "张三", "510104198503154210"]])
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for name in names:
            ET.fromstring(zf.read(name))  # raises on malformed XML
        types = zf.read("[Content_Types].xml").decode()
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/worksheets/sheet1.xml", "docProps/core.xml", "docProps/app.xml"} <= names
    for part in ("/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml", "/docProps/core.xml"):
        assert f'PartName="{part}"' in types
    tags = [child.tag.removeprefix(MAIN) for child in sheet]
    assert tags == [t for t in WORKSHEET_ORDER if t in tags]
    assert tags[-1] == "headerFooter" and "sheetPr" in tags and "mergeCells" in tags


def test_openpyxl_sees_the_official_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlsx", [[1, "张三", "510104198503154210"], [2, "李四", None]])
    wb = openpyxl.load_workbook(path)
    ws = wb["花名册"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:C1", "A2:C2"}
    assert ws["A1"].value == "示例花名册" and ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws["A1"].alignment.horizontal == "center"
    assert [c.value for c in ws[3]] == ["序号", "姓名", "公民身份号码"]
    assert ws["B3"].font.b and ws["B3"].fill.fgColor.rgb == "FFD9D9D9" and ws["B3"].alignment.wrap_text
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert [ws.column_dimensions[column_letter(j)].width for j in (1, 2, 3)] == [6, 10, 21]
    assert ws["A4"].value == 1 and ws["A4"].data_type == "n"
    assert ws["C4"].value == "510104198503154210" and ws["C4"].data_type == "s" and ws["C4"].number_format == "@"
    assert ws["C4"].border.left.style == "thin" and ws["C4"].alignment.horizontal == "center"
    # An empty cell is still there, with its borders, so the printed grid has no holes.
    assert ws["C5"].value is None and ws["C5"].border.bottom.style == "thin"
    assert wb.properties.title == "示例花名册"


def test_formula_like_text_is_never_a_formula(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlsx", [[i, v, v] for i, v in enumerate(FORMULA_LIKE, 1)])
    ws = openpyxl.load_workbook(path).active
    cells = [c for row in ws.iter_rows(min_row=4) for c in row[1:]]
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(path) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
    # \r inside XML text reads back as \n (XML line-end normalisation); everything else is exact.
    assert [r[1] for r in body(path)] == [v.replace("\r", "\n") for v in FORMULA_LIKE]


def test_text_is_escaped_and_illegal_characters_dropped(tmp_path: Path) -> None:
    values = ["a\x00b\x08c\x0bd\x1fe", "<b>&amp;</b>", "_x0041_ 不是A", " 前后空格 ", "换\n行", "\ud800孤"]
    path = write(tmp_path / "a.xlsx", [[i, v, None] for i, v in enumerate(values, 1)])
    with zipfile.ZipFile(path) as zf:
        ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    assert [r[1] for r in body(path)] == ["abcde", "<b>&amp;</b>", "_x0041_ 不是A", " 前后空格 ", "换\n行", "孤"]


def test_rare_characters_survive(tmp_path: Path) -> None:
    names = ["𠮷野家", "䶮", "𪚥", "买买提·艾力", "王\u3000芳", "😀"]
    path = write(tmp_path / "a.xlsx", [[i, v, "11010519491231002X"] for i, v in enumerate(names, 1)])
    assert [r[1] for r in body(path)] == names
    assert [c.value for c in openpyxl.load_workbook(path).active["B"][3:]] == names


def test_zero_rows_still_makes_a_workbook(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlsx", [])
    ws = openpyxl.load_workbook(path).active
    assert ws.max_row == 3 and ws.freeze_panes == "A4"
    assert body(path) == []


def test_many_rows_cross_chunk_boundaries(tmp_path: Path) -> None:
    rows = [[i, f"姓名{i}" if i % 7 else None, f"{i:018d}"] for i in range(1, 2502)]
    path = tmp_path / "a.xlsx"
    with XlsxWriter(path) as writer:
        sheet = writer.add_sheet("花名册", COLUMNS)
        sheet.header(["序号", "姓名", "号码"])
        sheet.rows(rows[:1200])  # rows may arrive in several calls
        sheet.rows(iter(rows[1200:]))
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    assert len(got) == len(rows)
    assert got[-1] == [2501.0, "姓名2501", "000000000000002501"]
    assert [r[1] or None for r in got] == [r[1] for r in rows]
    assert [r[2] for r in got] == [r[2] for r in rows]


def test_several_sheets_each_with_print_titles(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with XlsxWriter(path) as writer:
        for name in ("城南", "O'Brien"):
            sheet = writer.add_sheet(name, COLUMNS)
            sheet.title(name)
            sheet.header(["序号", "姓名", "号码"])
            sheet.rows([[1, name, None]])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["城南", "O'Brien"]
    assert [wb[n].print_title_rows for n in wb.sheetnames] == ["$1:$2", "$1:$2"]
    assert wb["O'Brien"]["B3"].value == "O'Brien"


def test_misuse_is_refused(tmp_path: Path) -> None:
    with XlsxWriter(tmp_path / "a.xlsx") as writer:
        sheet = writer.add_sheet("表", COLUMNS)
        with pytest.raises(ValueError):
            sheet.header(["只有一列"])
        with pytest.raises(ValueError):
            sheet.rows([[1, "太短"]])
        with pytest.raises(TypeError):
            sheet.rows([["一", "序号列只收数字", None]])
        with pytest.raises(RuntimeError):
            sheet.title("正文之后不能再加标题")
        with pytest.raises(ValueError):
            writer.add_sheet("a/b", COLUMNS)
        with pytest.raises(ValueError):
            writer.add_sheet("表", COLUMNS)
