"""Cheap, bounded checks that a file is a readable, harmless spreadsheet before anything parses it."""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from registry.errors import UserError
from registry.importing.ole import BrokenCompound, Compound, biff_is_encrypted

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_RATIO = 200
# A worksheet of real rows deflates 5–20×; hundreds of times means the same few bytes repeated (20 sheets of
# 49 MB XML in a 3 MB file). Smaller parts are cheap to read whatever their ratio.
RATIO_APPLIES_ABOVE = 10 * 1024 * 1024
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLS = 16_384
MAX_SHEET_CELLS = 30_000_000
# The reader builds a sheet as a dense grid of 32-byte cells, from A1 to the last row and column used:
# 10 million cells (~320 MB of grid; 840 MB peak measured at 11.75 million) holds a 300,000-person census of
# 33 columns.
MAX_GRID_CELLS = 10_000_000
# The reader holds every shared string at once (~40 bytes each besides the text); a 300,000-person census
# needs some 50 MB of them.
MAX_SHARED_STRINGS = 160 * 1024 * 1024
XML_HEAD_BYTES = 64 * 1024
# Bytes of XML heads inflated per file; a genuine workbook needs a few MB at most.
MAX_HEAD_BUDGET = 128 * 1024 * 1024
MAX_SMALL_PART = 16 * 1024 * 1024

TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".xltx", ".ods", ".et", ".ett", ".wps"})

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_XLSX_MAIN = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
    b"ms-excel.template.macroEnabled.main+xml",
)
_XLSB_MAIN = b"ms-excel.sheet.binary.macroEnabled.main"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml")
_UNSAFE_XML = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,4})?\$?(\d{1,10})?")


class UnusableFile(UserError):
    """The file cannot be imported; ``message`` is one Chinese sentence naming the file and what to do."""


# ---------------------------------------------------------------- messages


def _q(path: Path) -> str:
    return f"“{path.name}”"


def _password(path: Path) -> UnusableFile:
    return UnusableFile(f"{_q(path)}已设置打开密码，请在Excel中取消密码后另存再导入。")


def _broken(path: Path) -> UnusableFile:
    return UnusableFile(f"{_q(path)}文件已损坏或不完整，无法读取，请重新获取或用Excel打开后另存再导入。")


def _unknown(path: Path) -> UnusableFile:
    return UnusableFile(
        f"{_q(path)}不是可识别的表格文件（支持 .xlsx .xls .csv .ods），请用Excel打开后另存为.xlsx再导入。"
    )


def _unsafe_xml(path: Path) -> UnusableFile:
    return UnusableFile(f"{_q(path)}含有不安全的XML内容，已拒绝导入，请用Excel打开后另存为新的.xlsx再导入。")


def _bomb(path: Path, what: str) -> UnusableFile:
    return UnusableFile(
        f"{_q(path)}的压缩内容异常（{what}），可能是恶意构造的文件，已拒绝导入；"
        "如确为正常表格，请用Excel打开后另存再导入。"
    )


# ---------------------------------------------------------------- entry point


def inspect_file(path: Path) -> str:
    """Return 'xlsx', 'xls', 'ods' or 'csv' judged by content; raise UnusableFile otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnusableFile(f"{_q(path)}不是文件，请选择要导入的表格文件。")
        with path.open("rb") as fh:
            head = fh.read(XML_HEAD_BYTES)
    except FileNotFoundError:
        raise UnusableFile(f"找不到文件{_q(path)}，请确认文件还在原来的位置后再导入。") from None
    except PermissionError:
        raise UnusableFile(
            f"无法打开{_q(path)}（没有读取权限或正被其他程序占用），请关闭Excel等程序后再导入。"
        ) from None
    except OSError:
        raise _broken(path) from None
    if size == 0:
        raise UnusableFile(f"{_q(path)}是空文件（0字节），请确认选对了文件，或重新获取后再导入。")
    if size > MAX_FILE_BYTES:
        raise UnusableFile(
            f"{_q(path)}有{size // (1024 * 1024)}MB，超过可导入的上限200MB，请拆分成几个较小的文件后再导入。"
        )
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(path)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(path, size)
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS and (b"\x00" not in head or _looks_like_text(head)):
        return "csv"  # the CSV reader names an unknown encoding itself
    if suffix in WORKBOOK_EXTENSIONS and _looks_like_text(head):
        raise UnusableFile(
            f"{_q(path)}不是真正的Excel工作簿（可能是改了扩展名的CSV或网页文件），"
            "请用Excel打开后另存为.xlsx，或把扩展名改为.csv后再导入。"
        )
    raise _unknown(path)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with a byte-order mark: Excel's "Unicode 文本"
    if b"\x00" in head:
        return False
    text = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the end of the sample is still text.
            if exc.start >= len(head) - 4 and exc.reason.startswith(("unexpected end", "incomplete")):
                text = head[: exc.start].decode(encoding, errors="ignore")
                break
    if text is None:
        return False
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f\v")
    return controls <= len(text) // 100


# ---------------------------------------------------------------- zip: xlsx and ods


def _declared_entry_count(path: Path) -> int:
    """Entry count from the end-of-central-directory record, read before zipfile parses every entry."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    return struct.unpack_from("<H", tail, at + 10)[0]


def _inspect_zip(path: Path) -> str:
    try:
        count = _declared_entry_count(path)
        if count > MAX_ZIP_ENTRIES:
            raise _bomb(path, f"包含{count}个内部文件")
        with zipfile.ZipFile(path) as zf:
            _check_zip_sizes(path, zf)
            names = set(zf.namelist())
            budget = _HeadBudget(path)
            if "mimetype" in names:
                with zf.open("mimetype") as fh:
                    mime = fh.read(200).strip()
                if mime.startswith(_ODS_MIME):
                    for part in _ODS_PARTS:
                        if part in names:
                            xml_head(path, zf, part, budget)
                    if "content.xml" in names:
                        _check_ods_extent(path, zf)
                    return "ods"
                raise _unknown(path)
            if "[Content_Types].xml" not in names:
                raise _unknown(path)
            content_types = xml_head(path, zf, "[Content_Types].xml", budget)
            if _XLSB_MAIN in content_types:
                raise UnusableFile(
                    f"{_q(path)}是Excel二进制工作簿（.xlsb），请用Excel打开后另存为.xlsx再导入。"
                )
            if not any(marker in content_types for marker in _XLSX_MAIN):
                raise _unknown(path)
            for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                if part not in names:
                    raise _broken(path)
                xml_head(path, zf, part, budget)
            sheets = xlsx_worksheet_parts(path, zf)
            for part in sorted(n for n in names if _is_top_level_xl_part(n)):
                xml_head(path, zf, part, budget)
            for sheet_name, part in sheets:
                if part not in names:
                    raise _broken(path)
                _check_dimension(path, sheet_name, xml_head(path, zf, part, budget))
            return "xlsx"
    except UnusableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, OSError, RuntimeError,
            ValueError, KeyError, NotImplementedError):
        raise _broken(path) from None


def _is_top_level_xl_part(name: str) -> bool:
    # sharedStrings, styles and friends: the parts a reader parses besides the worksheets.
    return name.startswith("xl/") and name.count("/") == 1 and name.endswith(".xml")


def _check_zip_sizes(path: Path, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _bomb(path, f"包含{len(infos)}个内部文件")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise _bomb(path, f"解压后约{total // (1024 * 1024)}MB，超过1GB")
    for info in infos:
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS:
            raise _bomb(path, f"共享文字部分解压后约{info.file_size // (1024 * 1024)}MB，超过{MAX_SHARED_STRINGS // (1024 * 1024)}MB")
        if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(path, f"压缩比超过{MAX_RATIO}倍")


class _HeadBudget:
    """Caps the bytes inflated for XML heads, so thousands of tiny parts cannot stall the check."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.left = MAX_HEAD_BUDGET

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _bomb(self.path, "内部XML部件过多")


def xml_head(path: Path, zf: zipfile.ZipFile, part: str, budget: _HeadBudget | None = None) -> bytes:
    """The first 64 KB of one XML part, rejected if it declares a DTD or entities."""
    info = zf.getinfo(part)
    with zf.open(info) as fh:
        head = fh.read(XML_HEAD_BYTES)
    if budget is not None:
        budget.spend(len(head))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _UNSAFE_XML.search(head):
        raise _unsafe_xml(path)
    if info.file_size > XML_HEAD_BYTES and not _ELEMENT_START.search(head):
        # 64 KB of prolog hides whatever follows it from this check.
        raise _unsafe_xml(path)
    return head


def _read_small_part(path: Path, zf: zipfile.ZipFile, part: str) -> bytes:
    info = zf.getinfo(part)
    if info.file_size > MAX_SMALL_PART:
        raise _broken(path)
    xml_head(path, zf, part)
    with zf.open(info) as fh:
        return fh.read(MAX_SMALL_PART + 1)[:MAX_SMALL_PART]


def xlsx_worksheet_parts(path: Path, zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for each worksheet of an xlsx, in workbook order; chart sheets left out."""
    try:
        workbook = SafeET.fromstring(_read_small_part(path, zf, "xl/workbook.xml"))
        rels = SafeET.fromstring(_read_small_part(path, zf, "xl/_rels/workbook.xml.rels"))
    except UnusableFile:
        raise
    except SafeET.ParseError:
        raise _broken(path) from None
    except DefusedXmlException:
        raise _unsafe_xml(path) from None
    targets: dict[str, str] = {}
    for rel in rels:
        if rel.get("Type", "").endswith("/worksheet") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = posixpath.normpath(member)
    parts = []
    for element in workbook.iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            # r:id in the transitional namespace, or in ISO strict's purl.oclc.org one.
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                parts.append((element.get("name", ""), targets[rid]))
    return parts


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _check_dimension(path: Path, sheet_name: str, head: bytes) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    corners = []
    for ref in match.group(1).decode("ascii", errors="replace").split(":")[:2]:
        cell = _CELL_REF.fullmatch(ref.strip())
        if not cell:
            return
        corners.append((_column_number(cell.group(1) or "A"), int(cell.group(2) or 1)))
    (col1, row1), (col2, row2) = corners[0], corners[-1]
    rows = abs(row2 - row1) + 1
    cols = abs(col2 - col1) + 1
    if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLS or rows * cols > MAX_SHEET_CELLS:
        raise UnusableFile(
            f"{_q(path)}的工作表“{sheet_name}”声明了{rows}行{cols}列，超出可导入范围，"
            "请删除多余的行列或只复制有数据的部分到新文件后再导入。"
        )


def check_extent(path: Path, sheet_name: str, rows: int, cols: int) -> None:
    """Refuse a sheet whose used range (as its cells really lie, not as declared) is too big to hold."""
    if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLS or rows * cols > MAX_GRID_CELLS:
        raise UnusableFile(
            f"{_q(path)}的工作表“{sheet_name}”的内容散布到第{rows}行、第{cols}列，超出一次可读取的范围"
            f"（约{MAX_GRID_CELLS // 10_000}万个单元格），请删除多余的行列或只复制有数据的部分到新文件后再导入。"
        )


_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?table:name="([^"]*)"')
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def _check_ods_extent(path: Path, zf: zipfile.ZipFile) -> None:
    """An ods repeats rows and cells by attribute (number-rows-repeated="1000000"): a few bytes can ask the
    reader for 100 million cells. The grid each table would become is counted from the XML first."""
    with zf.open("content.xml") as fh:
        content = fh.read(MAX_UNCOMPRESSED + 1)
    tables = [(m.start(), m.group(1).decode("utf-8", "replace")) for m in _ODS_TABLE.finditer(content)]
    for k, (start, name) in enumerate(tables):
        end = tables[k + 1][0] if k + 1 < len(tables) else len(content)
        rows = cols = 0
        row = 0
        for match in _ODS_ROW.finditer(content, start, end):
            repeat = _ROWS_REPEATED.search(match.group(1))
            count = int(repeat.group(1)) if repeat else 1
            width = col = 0
            for cell in _ODS_CELL.finditer(match.group(2) or b""):
                span = _COLUMNS_REPEATED.search(cell.group(1))
                col += int(span.group(1)) if span else 1
                if not cell.group(2) or b"value-type" in cell.group(1):  # a cell with content
                    width = col
            if width:
                rows, cols = row + count, max(cols, width)
            row += count
        check_extent(path, name, rows, cols)


# ---------------------------------------------------------------- OLE2: xls and encrypted xlsx

_END_OF_CHAIN = 0xFFFFFFFE
def _inspect_ole(path: Path, size: int) -> str:
    try:
        with path.open("rb") as fh:
            compound = Compound(fh, size)
            entries = compound.entries()
            names = {name for name, *_ in entries}
            if "EncryptedPackage" in names or "EncryptionInfo" in names:
                raise _password(path)
            root = next((e for e in entries if e[1] == 5), None)
            # Compound-file names compare case-insensitively.
            book = next((e for e in entries if e[0].lower() in ("workbook", "book") and e[1] == 2), None)
            if book is None or root is None:
                raise _unknown(path)
            head = compound.stream_head(book[2], book[3], root[2])
    except UnusableFile:
        raise
    except (BrokenCompound, struct.error, OSError, IndexError):
        raise _broken(path) from None
    if biff_is_encrypted(head):
        raise _password(path)
    return "xls"
