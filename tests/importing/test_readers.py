"""Reading workbooks and CSV files into rows whose numbers match what Excel shows."""

from __future__ import annotations

import datetime
import zipfile

import openpyxl
import pytest

from registry.importing.readers import SheetData, read_file
from registry.importing.safety import UnusableFile


def test_sample_workbook_sheets_and_rows(sample_path):
    sheets = read_file(sample_path)
    assert [s.name for s in sheets] == ["小哥报到登记", "网点清单"]
    people = sheets[0]
    assert (people.first_row, people.first_col) == (1, 1)
    assert people.rows[1][1] == "姓\u3000名"
    assert people.rows[2][0] == 1.0  # calamine gives whole numbers as float
    assert isinstance(people.rows[2][9], datetime.date)
    assert people.blank_formulas == set()
    assert people.merged == [(1, 1, 1, 12)]  # the title row, in spreadsheet coordinates


def test_messy_workbook_keeps_every_sheet_and_offsets(messy_workbook):
    sheets = read_file(messy_workbook)
    assert [s.name for s in sheets] == ["顺丰南桥", "中通春熙路", "填表说明"]
    first, second, notes = sheets
    assert first.first_row == 1 and first.first_col == 1
    assert first.rows[0][0] == "奉贤区快递行业党员及入党积极分子摸排表"
    assert first.rows[3][6] == "入党时间"  # spreadsheet row 4, column G
    assert first.rows[4][3] == "310120198703154512"
    # This sheet begins in column B, so rows[*][0] is column B.
    assert (second.first_row, second.first_col) == (1, 2)
    assert second.rows[2][:3] == ["序号", "姓名", "身份证号码"]
    assert notes.rows[1][0].startswith("一、")
    assert (8, 11, 10, 11) in first.merged and (3, 7, 3, 9) in first.merged
    assert (1, 2, 1, 8) in second.merged


def test_sheet_starting_below_and_right_reports_its_position(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C5"] = "姓名"
    ws["D7"] = "张三"
    path = tmp_path / "偏移.xlsx"
    wb.save(path)
    sheet = read_file(path)[0]
    assert (sheet.first_row, sheet.first_col) == (5, 3)
    assert sheet.rows[0][0] == "姓名"
    assert sheet.rows[2][1] == "张三"  # row 5 + 2 = 7, column 3 + 1 = D


def test_hidden_sheets_are_read_and_chart_sheets_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "可见"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "隐藏的数据"
    hidden.sheet_state = "hidden"
    wb.create_chartsheet("图表")
    path = tmp_path / "含图表.xlsx"
    wb.save(path)
    assert [s.name for s in read_file(path)] == ["Sheet", "隐藏"]


def test_empty_sheet_has_no_rows(tmp_path):
    wb = openpyxl.Workbook()
    wb.create_sheet("空白")
    wb.active["A1"] = "x"
    path = tmp_path / "空白页.xlsx"
    wb.save(path)
    empty = read_file(path)[1]
    assert empty == SheetData("空白", [], 1)


def test_old_xls(old_xls):
    (sheet,) = read_file(old_xls)
    assert sheet.name == "小哥报到"
    assert sheet.first_row == 1
    assert sheet.rows[0][0] == "快递小哥报到登记表"
    assert sheet.rows[1][1] == "姓\u3000名"
    assert sheet.rows[2][2] == "110101199003077777"
    assert sheet.rows[2][4] == 13912345678.0
    assert sheet.rows[4][0] == "合计"


def test_ods(ods_file):
    (sheet,) = read_file(ods_file)
    assert sheet.name == "名单"
    assert sheet.rows == [["姓名", "身份证号", "手机号"], ["张三", "310120198703154512", 13800000000.0]]


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8.csv", "utf-8", ","),
        ("utf8bom.csv", "utf-8-sig", ","),
        ("gbk.csv", "gbk", ","),
        ("gbk_tab.txt", "gbk", "\t"),
        ("分号.csv", "utf-8", ";"),
        ("竖线.csv", "gb18030", "|"),
        ("unicode文本.txt", "utf-16", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(write_csv, name, encoding, delimiter):
    (sheet,) = read_file(write_csv(name, encoding=encoding, delimiter=delimiter))
    assert sheet.name == name.rsplit(".", 1)[0]
    assert sheet.first_row == 1
    assert sheet.rows[1] == ["序号", "姓\u3000名", "公民身份号码", "手机号码", "政治面貌"]
    # Identity numbers and phones stay exactly as written: no float, no lost leading zero.
    assert sheet.rows[2] == ["1", "张三", "310120198703154512", "013816695432", "中共党员"]
    assert sheet.rows[3][1:4] == ["欧阳·娜娜", "31012019900115231x", "+86 139 0000 1111"]
    assert sheet.rows[4] == ["", "", "", "", ""]
    assert sheet.rows[5][2] == "３１０１２０１９９５１２３０００２８"
    assert len(sheet.rows) == 6
    assert sheet.blank_formulas == set()


def test_csv_ragged_rows_are_padded_and_sep_hint_honoured(tmp_path):
    path = tmp_path / "excel导出.csv"
    path.write_text("sep=;\n姓名;身份证号;备注\n张三;310120198703154512\n\n\n", encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.rows == [["姓名", "身份证号", "备注"], ["张三", "310120198703154512", ""]]


def test_csv_in_an_unknown_encoding_is_refused_not_garbled(tmp_path):
    path = tmp_path / "坏编码.csv"
    path.write_bytes(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d,\xff\xfe\xfd\n")  # a UTF-8 BOM, then bad bytes
    with pytest.raises(UnusableFile) as caught:
        read_file(path)
    assert "“坏编码.csv”的文字编码无法识别" in caught.value.message


def test_csv_keeps_formula_like_text_and_quotes(tmp_path):
    path = tmp_path / "引号.csv"
    path.write_text('姓名,地址,备注\n"张,三","南桥镇""一号""",=1+1\n', encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.rows[1] == ["张,三", '南桥镇"一号"', "=1+1"]


def test_formula_without_cached_value_is_reported_at_its_cell(formula_workbook):
    (sheet,) = read_file(formula_workbook)
    assert (sheet.first_row, sheet.first_col) == (3, 3)
    assert sheet.blank_formulas == {(6, 5)}  # E6
    assert sheet.rows[6 - 3][5 - 3] == ""  # calamine shows it as empty


def test_formulas_with_values_and_computed_empty_text_are_not_reported(formula_workbook, tmp_path):
    with zipfile.ZipFile(formula_workbook) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml")
    # Excel's way of saving: a cached number, and a text formula that computed "".
    patched = sheet_xml.replace(
        b'<c r="E6"><f>2025-D6</f><v /></c>',
        b'<c r="E6"><f>2025-D6</f><v>40</v></c><c r="F6" t="str"><f>IF(D6="","","")</f><v></v></c>'
        b'<c r="G6"><f>D6+1</f></c>',
    )
    assert patched != sheet_xml
    target = tmp_path / "已计算.xlsx"
    with zipfile.ZipFile(formula_workbook) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, patched if info.filename.endswith("sheet1.xml") else src.read(info))
    (sheet,) = read_file(target)
    assert sheet.blank_formulas == {(6, 7)}  # only G6, saved with no <v> at all


def test_blank_formulas_in_namespace_prefixed_sheet_xml(handmade_xlsx):
    # Some .NET writers prefix every element (x:c, x:f); calamine reads them and so must the formula scan.
    sheet_xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c r="B1"><x:f>1+1</x:f></x:c>'
        b'<x:c r="C1"><x:f>1+2</x:f><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    (sheet,) = read_file(handmade_xlsx("前缀.xlsx", sheet_xml=sheet_xml))
    assert sheet.rows == [["a", "", 3.0]]
    assert sheet.blank_formulas == {(1, 2)}


def test_blank_formulas_found_across_chunk_boundaries(handmade_xlsx):
    # More than one 1 MB read of sheet XML, with blank formulas spread through it.
    rows = []
    for r in range(1, 30_001):
        formula = f'<c r="B{r}"><f>A{r}*2</f></c>' if r % 1000 == 0 else f'<c r="B{r}"><f>A{r}*2</f><v>{2 * r}</v></c>'
        rows.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c>{formula}</row>')
    sheet_xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(rows) + "</sheetData></worksheet>"
    ).encode()
    assert len(sheet_xml) > 2 * 1024 * 1024
    (sheet,) = read_file(handmade_xlsx("大公式.xlsx", sheet_xml=sheet_xml))
    assert sheet.blank_formulas == {(r, 2) for r in range(1000, 30_001, 1000)}


def test_sheets_streamed_while_the_next_is_parsed_keep_their_own_rows(tmp_path):
    """iter_sheets parses the next sheet in a helper thread while one is walked: each keeps its own rows."""
    from registry.importing.readers import iter_sheets

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in range(3):
        ws = wb.create_sheet(f"表{n + 1}")
        for i in range(200):
            ws.append([f"{n}-{i}", i * n])
    path = tmp_path / "三张表.xlsx"
    wb.save(path)
    seen = []
    for sheet in iter_sheets(path):
        rows = [*sheet.rows, *(sheet.rest or ())]
        seen.append((sheet.name, rows[0][0], rows[-1][0], len(rows)))
    assert seen == [(f"表{n + 1}", f"{n}-0", f"{n}-199", 200) for n in range(3)]
    assert [s.name for s in read_file(path)] == ["表1", "表2", "表3"]
