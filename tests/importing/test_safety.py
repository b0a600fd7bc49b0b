"""Files are judged by content before parsing; each unusable one gets one sentence naming it, fast."""

from __future__ import annotations

import time
import zipfile

import pytest

from registry.errors import UserError
from registry.importing.readers import read_file
from registry.importing.safety import UnusableFile, inspect_file


def test_formats_are_detected_by_content_not_extension(messy_workbook, old_xls, ods_file, write_csv, tmp_path):
    assert inspect_file(messy_workbook) == "xlsx"
    assert inspect_file(ods_file) == "ods"
    assert inspect_file(old_xls) == "xls"
    assert inspect_file(write_csv("名单.csv")) == "csv"
    assert inspect_file(write_csv("名单.txt", encoding="gbk", delimiter="\t")) == "csv"
    disguised = tmp_path / "名单.xls"
    disguised.write_bytes(messy_workbook.read_bytes())  # an xlsx wearing an .xls name
    assert inspect_file(disguised) == "xlsx"


def test_sample_workbook_passes(sample_path):
    assert inspect_file(sample_path) == "xlsx"


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("empty", "是空文件"),
        ("truncated", "文件已损坏或不完整"),
        ("csv_renamed", "不是真正的Excel工作簿"),
        ("encrypted_xlsx", "已设置打开密码，请在Excel中取消密码后另存再导入。"),
        ("encrypted_xls", "已设置打开密码"),
        ("entity_bomb", "含有不安全的XML内容"),
        ("zip_bomb", "超过1GB"),
        ("ratio_bomb", "压缩比超过200倍"),
        ("many_entries", "10005个内部文件"),
        ("huge_dimension", "声明了2000000行"),
        ("wide_dimension", "超出可导入范围"),
        ("random_binary", "不是可识别的表格文件（支持 .xlsx .xls .csv .ods）"),
        ("too_large", "超过可导入的上限200MB"),
        ("word", "不是可识别的表格文件"),
    ],
)
def test_unusable_files_get_one_clear_sentence_quickly(broken, kind, words):
    path = broken(kind)
    started = time.perf_counter()
    with pytest.raises(UnusableFile) as caught:
        read_file(path)  # read_file runs inspect_file first
    elapsed = time.perf_counter() - started
    message = caught.value.message
    assert f"“{path.name}”" in message
    assert words in message
    assert message.endswith("。")
    assert elapsed < 1.0, f"{kind} took {elapsed:.2f}s"


def test_unusable_file_is_a_user_error_with_message():
    error = UnusableFile("“a.xlsx”是空文件。")
    assert isinstance(error, UserError)
    assert str(error) == error.message == "“a.xlsx”是空文件。"


def test_csv_renamed_advises_saving_or_renaming(broken):
    with pytest.raises(UnusableFile) as caught:
        inspect_file(broken("csv_renamed"))
    assert "另存为.xlsx" in caught.value.message
    assert ".csv" in caught.value.message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(UnusableFile) as caught:
        inspect_file(tmp_path / "不存在.xlsx")
    assert "“不存在.xlsx”" in caught.value.message


def test_text_with_unknown_extension_is_not_guessed(tmp_path):
    path = tmp_path / "名单.doc"
    path.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(UnusableFile) as caught:
        inspect_file(path)
    assert "不是可识别的表格文件" in caught.value.message


def test_the_hand_made_workbook_is_readable_without_the_bomb(handmade_xlsx):
    # Guards the entity-bomb test: the same file with plain shared strings reads fine.
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           b"<si><t>\xe5\xa7\x93\xe5\x90\x8d</t></si></sst>")
    path = handmade_xlsx("正常.xlsx", shared_strings=sst)
    assert read_file(path)[0].rows == [["姓名"]]


def test_doctype_in_a_worksheet_is_refused(messy_workbook, tmp_path):
    with zipfile.ZipFile(messy_workbook) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml")
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + sheet
    target = tmp_path / "外部实体.xlsx"
    with zipfile.ZipFile(messy_workbook) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = hostile if info.filename == "xl/worksheets/sheet2.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
    with pytest.raises(UnusableFile) as caught:
        inspect_file(target)
    assert "不安全的XML" in caught.value.message


def test_xlsb_is_asked_to_be_saved_as_xlsx(tmp_path):
    path = tmp_path / "二进制.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", b'<Types><Override PartName="/xl/workbook.bin" ContentType="application/'
                    b'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
    with pytest.raises(UnusableFile) as caught:
        inspect_file(path)
    assert ".xlsb" in caught.value.message


def test_calamine_failures_become_unusable_file(broken):
    path = broken("bad_sheet_xml")
    with pytest.raises(UnusableFile) as caught:
        read_file(path)
    assert f"“{path.name}”" in caught.value.message
