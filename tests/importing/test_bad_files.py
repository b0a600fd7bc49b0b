"""The bad-file corpus: every hostile or broken file gets one sentence and exit 2, and the database is unchanged.

The big files (a million junk rows, 20 sheets of 49 MB) are timed and measured in bench/bench_bad_files.py;
here the same builders make them at a size that keeps the suite fast.
"""

from __future__ import annotations

import json
import os
import pathlib
from pathlib import Path

import openpyxl
import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.importing import service
from registry.importing.batches import export_problems
from registry.importing.service import import_files
from registry.storage.database import Registry
from tests.importing import bad_files
from tests.importing.conftest import write_handmade_xlsx


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A registry that already holds one import, so "unchanged" means something."""
    path = tmp_path / "台账.db"
    assert main(["--db", str(path), "init"]) == 0
    first = tmp_path / "已有.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "公民身份号码", "人员类别"])
    wb.active.append(["王五", "11010519491231002X", "群众"])
    wb.save(first)
    assert main(["--db", str(path), "import", str(first)]) == 0
    return path


def state(path: Path) -> tuple[object, ...]:
    with Registry(path) as reg:
        return tuple(reg.scalar(f"SELECT count(*) FROM {t}") for t in
                     ("people", "audit_log", "operations", "import_batches", "organizations", "outlets"))


def refused(capsys: pytest.CaptureFixture[str], db: Path, target: Path | str, *words: str) -> str:
    """Import through the command line: exit 2, one sentence, no traceback, nothing changed."""
    capsys.readouterr()
    before = state(db)
    code = main(["--db", str(db), "import", str(target)])
    out = capsys.readouterr()
    message = out.err.strip()
    assert code == 2, (out.out, out.err)
    assert "Traceback" not in out.err and "程序内部错误" not in out.err
    assert len(message.splitlines()) == 1 and message.endswith("。"), message
    for word in words:
        assert word in message
    assert state(db) == before
    return message


# ---------------------------------------------------------------- bombs


def test_sheet_xml_huge_but_compressing_to_nothing(capsys, db, tmp_path):
    path = bad_files.write_raw_zip(tmp_path / "小文件大内容.xlsx", [
        (name, *bad_files.deflated(data)) for name, data in bad_files.XLSX_SKELETON.items()
    ] + [("xl/worksheets/sheet1.xml", *bad_files.zeros_deflated(60 * 1024**2))])
    refused(capsys, db, path, "压缩比")


def test_twenty_sheets_of_49_mb_in_a_small_file(capsys, db, tmp_path):
    path = bad_files.many_big_sheets(tmp_path / "二十张表.xlsx")
    assert path.stat().st_size < 4 * 1024**2
    refused(capsys, db, path, "可能是恶意构造的文件")


def test_entity_bomb(capsys, db, tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol1;</t></si></sst>')
    refused(capsys, db, write_handmade_xlsx(tmp_path / "实体.xlsx", shared_strings=laughs), "不安全的XML")


@pytest.mark.parametrize(("row", "col"), [(1_000_000, "ZZ"), (1_048_576, "XFD"), (300_000, "CV")])
def test_cells_at_opposite_corners_are_refused_before_the_grid_is_built(capsys, db, tmp_path, row, col):
    # 1,000,000 × 702 cells would be 21 GB as the reader's dense grid (measured before this check: 53 s).
    refused(capsys, db, bad_files.corner_bomb(tmp_path / "两角.xlsx", row, col), f"第{row}行", "超出一次可读取的范围")


# ---------------------------------------------------------------- junk rows


def test_junk_rows_only_under_a_valid_header(capsys, db, tmp_path):
    path = bad_files.junk_census(tmp_path / "垃圾行.xlsx", 30_000, people=[])
    refused(capsys, db, path, "没有可识别的人员")


def test_junk_below_the_people_stops_the_sheet_with_a_warning(db, tmp_path):
    path = bad_files.junk_census(tmp_path / "下面是垃圾.xlsx", 30_000)
    with Registry(db) as reg:
        result = import_files(reg, [path])
        assert (result.added, result.rejected) == (2, service.JUNK_RUN)
        assert [p for p in result.problems if p["code"] == "junk_rows"]
        assert result.sheets[0]["stopped_at"] == 3 + service.JUNK_RUN  # header, two people, then the junk run
        size = reg.scalar("SELECT length(rejected_rows) + length(problems) FROM import_batches WHERE id = ?",
                          (result.batch,))
    assert size < 3_000_000


def test_kept_problems_and_rejected_rows_are_bounded(db, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "MAX_KEPT_REJECTED", 50)
    monkeypatch.setattr(service, "MAX_KEPT_PROBLEMS", 70)
    # Rows that are people (a name in Chinese) but all rejected: nothing stops the sheet early.
    people = [(f"张{chr(0x4E00 + i)}", "12345", "群众", None) for i in range(400)]
    path = bad_files.write_xlsx(tmp_path / "全错.xlsx", {"摸排表": bad_files.census_rows(people)})
    with Registry(db) as reg:
        result = import_files(reg, [path])
        assert result.rejected == 400
        assert len(result.problems) == 70 and result.problems_omitted == 330
        stored = json.loads(reg.scalar("SELECT rejected_rows FROM import_batches WHERE id = ?", (result.batch,)))
        assert len(stored["rows"]) == 50 and stored["omitted"] == 350
        out = tmp_path / "问题清单.xlsx"
        assert export_problems(reg, result.batch, out) == 50
    last = [c.value for c in openpyxl.load_workbook(out).worksheets[0][52]]
    assert "另有350行" in last[0]


def test_rows_per_import_are_capped_with_a_sentence(capsys, db, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "MAX_IMPORT_ROWS", 100)
    people = [(f"张{chr(0x4E00 + i)}", "12345", "群众", None) for i in range(150)]
    path = bad_files.write_xlsx(tmp_path / "太多.xlsx", {"摸排表": bad_files.census_rows(people)})
    refused(capsys, db, path, "一次最多导入", "拆分")


# ---------------------------------------------------------------- giant cells


def test_giant_repeated_cell_is_refused_as_a_bomb(capsys, db, tmp_path):
    refused(capsys, db, bad_files.giant_cell(tmp_path / "大单元格.xlsx", 4_000_000, repeated=True), "压缩比")


def test_giant_cell_is_a_problem_of_its_row(db, tmp_path):
    path = bad_files.giant_cell(tmp_path / "长姓名.xlsx", 200_000, repeated=False)
    with Registry(db) as reg:
        result = import_files(reg, [path])
        assert (result.added, result.rejected) == (1, 1)
        problem = next(p for p in result.problems if p["code"] == "too_long")
        assert "200000个字符" in problem["message"] and len(problem["name"] or "") <= 1000
        stored = reg.scalar("SELECT rejected_rows FROM import_batches WHERE id = ?", (result.batch,))
        assert len(stored) < 10_000
        assert reg.scalar("SELECT max(length(name)) FROM people") < 50


# ---------------------------------------------------------------- empty, not a file, unreadable, broken


def test_header_only_sheet(capsys, db, tmp_path):
    path = bad_files.write_xlsx(tmp_path / "只有表头.xlsx", {"摸排表": bad_files.census_rows([])})
    refused(capsys, db, path, "只有表头")


def test_header_only_outlet_list(capsys, db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["网点名称", "快递品牌", "地址"])
    wb.save(tmp_path / "网点.xlsx")
    refused(capsys, db, tmp_path / "网点.xlsx", "只有表头")


def test_folder_is_not_a_file(capsys, db, tmp_path):
    folder = tmp_path / "名单.xlsx"
    folder.mkdir()
    refused(capsys, db, folder, "这不是一个文件")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no device files here")
def test_device_is_not_a_file(capsys, db):
    refused(capsys, db, "/dev/null", "这不是一个文件")


def test_missing_file_is_named(capsys, db, tmp_path):
    refused(capsys, db, tmp_path / "没有这个.xlsx", "找不到文件")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(capsys, db, tmp_path):
    path = bad_files.write_xlsx(tmp_path / "没权限.xlsx", {"摸排表": bad_files.census_rows()})
    path.chmod(0)
    refused(capsys, db, path, "没有读取权限")


def test_unreadable_file_even_for_root(capsys, db, tmp_path, monkeypatch):
    path = bad_files.write_xlsx(tmp_path / "没权限.xlsx", {"摸排表": bad_files.census_rows()})
    real_open = pathlib.Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", deny)
    refused(capsys, db, path, "没有读取权限")


@pytest.mark.parametrize(("kind", "words"), [
    ("empty", "是空文件"), ("truncated", "已损坏或不完整"), ("csv_renamed", "改了扩展名"),
    ("encrypted_xlsx", "已设置打开密码"), ("encrypted_xls", "已设置打开密码"), ("bad_sheet_xml", "无法读取"),
])
def test_broken_files(capsys, db, broken, kind, words):
    refused(capsys, db, broken(kind), words)


def test_one_bad_file_among_good_ones_changes_nothing(capsys, db, tmp_path, broken):
    good = bad_files.write_xlsx(tmp_path / "好的.xlsx", {"摸排表": bad_files.census_rows()})
    before = state(db)
    assert main(["--db", str(db), "import", str(good), str(broken("truncated"))]) == 2
    assert state(db) == before


def test_service_raises_a_user_error_too(reg, tmp_path):
    with pytest.raises(UserError, match="这不是一个文件"):
        import_files(reg, [tmp_path])


@pytest.mark.parametrize(("cells", "rows", "cols"), [
    ([(1, "A"), (3, "O")], 3, 15), ([(1, "B"), (2, "AD"), (9, "C")], 9, 30), ([(5, "AZ"), (6, "BA")], 6, 53),
    ([(1, "A"), (70_000, "XFD")], 70_000, 16_384),
])
def test_a_sheets_real_extent_is_measured_from_its_xml(cells, rows, cols):
    import io

    from registry.importing.readers import scan_sheet

    xml = b"".join(bad_files.sheet_xml(f'<row r="{r}"><c r="{c}{r}"><v>1</v></c></row>'.encode() for r, c in cells))
    padded = xml.replace(b"<sheetData>", b"<sheetData>" + b'<row r="1"/>' * 200_000)  # spans many read chunks
    for data in (xml, padded):
        scan = scan_sheet(io.BytesIO(data))
        assert (scan.rows, scan.cols) == (rows, cols)


def test_formatted_empty_rows_below_the_table_are_not_part_of_it(reg, tmp_path):
    empty = (f'<row r="{r}" spans="1:5" s="1" customFormat="1"/>'.encode() for r in range(4, 1_048_577))
    path = bad_files.write_xlsx(tmp_path / "格式到底.xlsx", {"摸排表": [*bad_files.census_rows(), *empty]})
    assert import_files(reg, [path]).added == 2


def test_huge_shared_strings_are_refused_before_the_reader_holds_them(capsys, db, tmp_path):
    members = [(name, *bad_files.deflated(data)) for name, data in bad_files.XLSX_SKELETON.items()]
    members.append(("xl/sharedStrings.xml", *bad_files.zeros_deflated(200 * 1024**2)))
    refused(capsys, db, bad_files.write_raw_zip(tmp_path / "字符串.xlsx", members), "共享文字")


def test_junk_csv_is_streamed_and_stops(capsys, db, tmp_path):
    path = tmp_path / "垃圾.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("姓名,公民身份号码,人员类别\n")
        fh.writelines(f"{i:x},{i * 7},zz\n" for i in range(200_000))
    refused(capsys, db, path, "没有可识别的人员")


def test_csv_with_a_giant_field(capsys, db, tmp_path):
    path = tmp_path / "大字段.csv"
    path.write_text("姓名,公民身份号码\n张三,510104198503154210\n\"" + "长" * 300_000 + "\",1\n", encoding="utf-8")
    refused(capsys, db, path, "不是规范的CSV文本")


def _ods(path: Path, body: str) -> Path:
    import zipfile

    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="名单">{body}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                    'xmlns:manifest:1.0"/>')
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


HEADER_ROW = ('<table:table-row>' + "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p>'
                                            '</table:table-cell>' for h in ("姓名", "公民身份号码")) + "</table:table-row>")


def test_ods_repeating_a_filled_row_a_million_times_is_refused(capsys, db, tmp_path):
    bomb = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'table:number-columns-repeated="90" office:value-type="string"><text:p>x</text:p></table:table-cell>'
            "</table:table-row>")
    refused(capsys, db, _ods(tmp_path / "重复.ods", HEADER_ROW + bomb), "第1000001行", "超出一次可读取的范围")


def test_ods_with_empty_repeated_rows_below_the_table_imports(reg, tmp_path):
    person = ('<table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell>'
              '<table:table-cell office:value-type="string"><text:p>510104198503154210</text:p></table:table-cell>'
              "</table:table-row>")
    empty = ('<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
             'table:number-columns-repeated="1024"/></table:table-row>')
    assert import_files(reg, [_ods(tmp_path / "名单.ods", HEADER_ROW + person + empty)]).added == 1
