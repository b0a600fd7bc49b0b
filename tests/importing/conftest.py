"""Builders of messy census files in tmp_path: merged titles, two-row headers, old .xls, GBK CSV, broken files."""

from __future__ import annotations

import datetime
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlwt
from openpyxl.styles import Font

SAMPLE = Path("/work/shared/samples/fengxian_baodao_sample.xlsx")

# Realistic people: padded names, a minority name, IDs as text with an x, phones as numbers and text.
PEOPLE = [
    ("张\u3000三", "男", "310120198703154512", "1987.03", "中共党员", "2010年7月", "2011.07",
     "奉贤区快递行业联合党支部", 13816695432, "顺丰速运南桥营业部"),
    ("买买提·艾力", "男", "65010219900115231x", "1990.1", "中共预备党员", "2025.01", "",
     "新疆乌鲁木齐市天山区某社区党支部", "138 1234 5678", "顺丰速运南桥营业部"),
    (" 李小红 ", "女", "310120199512300028", datetime.date(1995, 12, 30), "群众", "", "", "", "0086-13900001111",
     "顺丰速运南桥营业部"),
    ("王\u3000芳", "女", "32058419920808202X", "1992年8月", "入党积极分子", "", "", "", 15000002222,
     "顺丰速运南桥营业部"),
    ("赵强", "男", "310120198001010016", "19800101", "中共党员", "2001-07-01", "2002-07-01",
     "上海市奉贤区南桥镇江海社区党委", "021-57123456转8001", "顺丰速运南桥营业部"),
]


def _thin_title(ws, text: str, last_col: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)


@pytest.fixture
def sample_path() -> Path:
    if not SAMPLE.exists():
        pytest.skip("the public sample workbook is not available")
    return SAMPLE


@pytest.fixture
def messy_workbook(tmp_path: Path) -> Path:
    """Three sheets: a two-row header with a merged 党员信息 group, another company, and an instructions sheet.

    Sheet 顺丰南桥 (spreadsheet rows): 1 title, 2 填报单位/填报时间, 3-4 header, 5-6 people, 7 blank,
    8-10 people (所在单位 merged over K8:K10), 11 a repeated header, 12 a number-only row, 13 blank,
    14 合计, 15 填表人, 16 注：.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "顺丰南桥"
    _thin_title(ws, "奉贤区快递行业党员及入党积极分子摸排表", 11)
    ws["A2"] = "填报单位（盖章）：顺丰速运南桥营业部"
    ws["H2"] = "填报时间：2025年3月"
    top = ["序号", "姓\u3000名", "性别", "公民身份号码（18位）", "出生年月", "政治面貌", "党员信息", None, None,
           "手机号码", "所在单位"]
    sub = [None, None, None, None, None, None, "入党时间", "转正时间", "组织关系所在党组织", None, None]
    for col, text in enumerate(top, start=1):
        if text:
            ws.cell(row=3, column=col, value=text)
    for col, text in enumerate(sub, start=1):
        if text:
            ws.cell(row=4, column=col, value=text)
    for col in (1, 2, 3, 4, 5, 6, 10, 11):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("G3:I3")
    data_rows = [5, 6, 8, 9, 10]
    for number, (row, person) in enumerate(zip(data_rows, PEOPLE, strict=True), start=1):
        name, gender, id_number, birth, category, joined, full, home, phone, unit = person
        values = [number, name, gender, id_number, birth, category, joined, full, home, phone, unit]
        for col, value in enumerate(values, start=1):
            if value != "" and not (col == 11 and row in (9, 10)):
                ws.cell(row=row, column=col, value=value)
    ws.merge_cells("K8:K10")  # one 所在单位 cell merged over three people
    for col, text in enumerate(["序号", "姓名", "性别", "公民身份号码（18位）", "出生年月", "政治面貌", "入党时间",
                                "转正时间", "组织关系所在党组织", "手机号码", "所在单位"], start=1):
        ws.cell(row=11, column=col, value=text)
    ws["A12"] = 6
    ws["A14"] = "合计"
    ws["B14"] = "5人"
    ws["A15"] = "填表人："
    ws["F15"] = "审核人："
    ws["A16"] = "注：1.政治面貌填写中共党员、中共预备党员、入党积极分子或群众。"

    other = wb.create_sheet("中通春熙路")
    # This sheet starts in column B: calamine reports the offset, and indexes stay relative to it.
    other["B1"] = "中通快递春熙路网点党员名册"
    other.merge_cells("B1:H1")
    other["B2"] = "填报时间：2025.03"
    for col, text in enumerate(["序号", "姓名", "身份证号码", "人员类别", "联系电话", "网点名称", "快递品牌"],
                               start=2):
        other.cell(row=3, column=col, value=text)
    other.append([None, 1, "陈晓东", "440305198107217872", "党员", "17609139099", "春熙路网点", "中通快递"])
    other.append([None, 2, "刘洋", "420106197910102318", "积极分子", 17378657975, "春熙路网点", "中通快递"])

    notes = wb.create_sheet("填表说明")
    notes["A1"] = "填表说明"
    notes["A2"] = "一、本表由各快递网点负责人填写，每个网点一张工作表。"
    notes["A3"] = "二、身份证号码请以文本格式录入。"
    path = tmp_path / "奉贤区快递行业摸排表（汇总）.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def old_xls(tmp_path: Path) -> Path:
    """An .xls written by xlwt: merged title row, header with a full-width space, numbers as floats."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("小哥报到")
    sheet.write_merge(0, 0, 0, 5, "快递小哥报到登记表")
    for col, text in enumerate(["序号", "姓\u3000名", "身份证号", "政治面貌", "手机号", "站点名称"]):
        sheet.write(1, col, text)
    sheet.write(2, 0, 1)
    sheet.write(2, 1, "周杰")
    sheet.write(2, 2, "110101199003077777")
    sheet.write(2, 3, "中共党员")
    sheet.write(2, 4, 13912345678)
    sheet.write(2, 5, "沙河网点")
    sheet.write(4, 0, "合计")
    path = tmp_path / "报到登记（旧版）.xls"
    book.save(str(path))
    return path


CSV_ROWS = [
    ["奉贤区快递小哥报到表", "", "", "", ""],
    ["序号", "姓\u3000名", "公民身份号码", "手机号码", "政治面貌"],
    ["1", "张三", "310120198703154512", "013816695432", "中共党员"],
    ["2", "欧阳·娜娜", "31012019900115231x", "+86 139 0000 1111", "群众"],
    ["", "", "", "", ""],
    ["3", "李四", "３１０１２０１９９５１２３０００２８", "021-57123456", "入党积极分子"],
]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, encoding: str = "utf-8", delimiter: str = ",", rows=None) -> Path:
        lines = [delimiter.join(row) for row in (rows or CSV_ROWS)]
        path = tmp_path / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture
def formula_workbook(tmp_path: Path) -> Path:
    """Data from C3; E6 holds a formula openpyxl saves without a cached value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计"
    ws["C3"] = "姓名"
    ws["D3"] = "出生年份"
    ws["E3"] = "年龄"
    ws["C4"] = "张三"
    ws["D4"] = 1990
    ws["E4"] = 35
    ws["C6"] = "李四"
    ws["D6"] = 1985
    ws["E6"] = "=2025-D6"
    path = tmp_path / "带公式.xlsx"
    wb.save(path)
    return path


# No whitespace between elements: LibreOffice writes none, and calamine rejects it inside a row.
ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="名单">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>身份证号</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>手机号</text:p></table:table-cell></table:table-row>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>310120198703154512</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="13800000000"><text:p>13800000000</text:p>'
    "</table:table-cell></table:table-row>"
    "</table:table></office:spreadsheet></office:body></office:document-content>"
)


@pytest.fixture
def ods_file(tmp_path: Path) -> Path:
    """A minimal OpenDocument spreadsheet as WPS or LibreOffice would save it."""
    path = tmp_path / "名单.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                    'xmlns:manifest:1.0"/>', zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", ODS_CONTENT, zipfile.ZIP_DEFLATED)
    return path


# ---------------------------------------------------------------- raw builders for broken and hostile files


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy a zip, swapping the named members' contents."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return target


def write_raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip from pre-deflated members: (name, raw deflate data, crc32, uncompressed size)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(), zlib.crc32(data), len(data)


def zeros_deflated(size: int) -> tuple[bytes, int, int]:
    """Deflate data for `size` zero bytes without compressing them: one flushed 1 MB block, repeated."""
    block = bytes(1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    return piece * count + co.flush(), 0, count * len(block)  # the CRC is never checked before rejection


XLSX_SKELETON = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b"</Types>"
    ),
    "_rels/.rels": (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
        b'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


SHARED_STRINGS_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
    b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHARED_STRING_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/>'
    b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
)


def write_handmade_xlsx(path: Path, sheet_xml: bytes = SHARED_STRING_SHEET,
                        shared_strings: bytes | None = None) -> Path:
    """A minimal hand-made xlsx with one worksheet and, optionally, a sharedStrings part."""
    members = dict(XLSX_SKELETON)
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    if shared_strings is not None:
        members["xl/_rels/workbook.xml.rels"] = SHARED_STRINGS_RELS
        members["xl/sharedStrings.xml"] = shared_strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def handmade_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """handmade_xlsx(name, sheet_xml=…, shared_strings=…) writes a minimal xlsx into tmp_path."""
    return lambda name, **parts: write_handmade_xlsx(tmp_path / name, **parts)


def write_bomb_xlsx(path: Path, sheet_bytes: int) -> Path:
    members = [(name, *deflated(data)) for name, data in XLSX_SKELETON.items()]
    members.append(("xl/worksheets/sheet1.xml", *zeros_deflated(sheet_bytes)))
    return write_raw_zip(path, members)


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """A small but well-formed OLE2 compound file (512-byte sectors, one FAT sector, one directory sector)."""
    free, end_of_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    assert len(streams) <= 3
    fat = [fat_sector, end_of_chain]
    body = bytearray()
    placed = []
    for name, data in streams.items():
        padded = data.ljust(max(len(data), 4096), b"\0")
        padded = padded.ljust(-(-len(padded) // 512) * 512, b"\0")
        start = len(fat)
        count = len(padded) // 512
        fat += [start + k + 1 for k in range(count - 1)] + [end_of_chain]
        placed.append((name, start, len(padded)))
        body += padded
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, end_of_chain, 0, 1, 0xFFFFFFFF)
    for index, (name, start, size) in enumerate(placed, start=1):
        directory += entry(name, 2, start, size, 0xFFFFFFFF, index + 1 if index < len(placed) else 0xFFFFFFFF)
    directory = directory.ljust(512, b"\0")
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == 512
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + bytes(body))
    return path


@pytest.fixture
def broken(tmp_path: Path, messy_workbook: Path, old_xls: Path) -> Callable[[str], Path]:
    """broken(kind) builds one unusable file and returns its path."""

    def build(kind: str) -> Path:
        if kind == "empty":
            path = tmp_path / "空表.xlsx"
            path.write_bytes(b"")
        elif kind == "truncated":
            data = messy_workbook.read_bytes()
            path = tmp_path / "传了一半.xlsx"
            path.write_bytes(data[: len(data) // 2])
        elif kind == "csv_renamed":
            path = tmp_path / "其实是CSV.xlsx"
            path.write_bytes("姓名,身份证号\n张三,310120198703154512\n".encode("gbk"))
        elif kind == "encrypted_xlsx":
            path = tmp_path / "加密名单.xlsx"
            write_ole(path, {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x01" * 64})
        elif kind == "encrypted_xls":
            data = bytearray(old_xls.read_bytes())
            bof = data.index(b"\x09\x08\x10\x00")
            data[bof + 20 : bof + 22] = struct.pack("<H", 0x002F)  # the record after BOF becomes FILEPASS
            path = tmp_path / "加密旧表.xls"
            path.write_bytes(bytes(data))
        elif kind == "entity_bomb":
            laughs = (
                b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">'
                b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;">]><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol2;</t></si></sst>'
            )
            path = write_handmade_xlsx(tmp_path / "实体炸弹.xlsx", shared_strings=laughs)
        elif kind == "zip_bomb":
            path = write_bomb_xlsx(tmp_path / "压缩炸弹.xlsx", 2 * 1024**3)
        elif kind == "ratio_bomb":
            path = write_bomb_xlsx(tmp_path / "高压缩比.xlsx", 300 * 1024**2)
        elif kind == "many_entries":
            path = tmp_path / "碎片.xlsx"
            with zipfile.ZipFile(path, "w") as zf:
                for name, data in XLSX_SKELETON.items():
                    zf.writestr(name, data)
                for number in range(10_001):
                    zf.writestr(f"xl/media/p{number}.bin", b"")
        elif kind in ("huge_dimension", "wide_dimension"):
            ref = b"A1:O2000000" if kind == "huge_dimension" else b"A1:ZZ100000"
            with zipfile.ZipFile(messy_workbook) as zf:
                sheet = zf.read("xl/worksheets/sheet1.xml")
            start = sheet.index(b'<dimension ref="') + len(b'<dimension ref="')
            sheet = sheet[:start] + ref + sheet[sheet.index(b'"', start):]
            path = rewrite_zip(messy_workbook, tmp_path / f"{kind}.xlsx", {"xl/worksheets/sheet1.xml": sheet})
        elif kind == "random_binary":
            path = tmp_path / "乱码.xlsx"
            path.write_bytes(random.Random(7).randbytes(20_000))
        elif kind == "too_large":
            path = tmp_path / "超大.csv"
            with path.open("wb") as fh:
                fh.truncate(201 * 1024 * 1024)  # sparse: costs no disk and no time
        elif kind == "word":
            path = tmp_path / "通知.xlsx"
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr("[Content_Types].xml", b'<Types><Override PartName="/word/document.xml" ContentType='
                            b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                            b"</Types>")
                zf.writestr("word/document.xml", b"<document/>")
        elif kind == "bad_sheet_xml":
            with zipfile.ZipFile(messy_workbook) as zf:
                sheet = zf.read("xl/worksheets/sheet1.xml")
            path = rewrite_zip(messy_workbook, tmp_path / "坏表格.xlsx",
                               {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]})
        else:
            raise ValueError(kind)
        return path

    return build
