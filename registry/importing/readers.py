"""Reading every worksheet of an xlsx/xls/ods workbook or a CSV file into plain rows of cell values."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from registry.importing.safety import UnusableFile, inspect_file, xlsx_worksheet_parts


@dataclass
class SheetData:
    """One worksheet's used range; ``rows[i]`` is spreadsheet row ``first_row + i``."""

    name: str
    rows: list[list[object]]
    first_row: int
    first_col: int = 1
    # (row, col), 1-based, of formula cells saved without a computed value (calamine shows them as '').
    blank_formulas: set[tuple[int, int]] = field(default_factory=set)


def read_file(path: Path) -> list[SheetData]:
    """All worksheets of the file, in workbook order; raises UnusableFile for anything unreadable."""
    path = Path(path)
    kind = inspect_file(path)
    if kind == "csv":
        return [_read_csv(path)]
    sheets = _read_workbook(path)
    if kind == "xlsx":
        _find_blank_formulas(path, sheets)
    return sheets


# ---------------------------------------------------------------- workbooks via calamine


def _unreadable(path: Path, exc: BaseException) -> UnusableFile:
    if isinstance(exc, calamine.PasswordError) or "password" in str(exc).lower():
        return UnusableFile(f"“{path.name}”已设置打开密码，请在Excel中取消密码后另存再导入。")
    return UnusableFile(
        f"“{path.name}”文件已损坏或格式异常，无法读取，请用Excel打开后另存为新的.xlsx再导入。"
    )


def _read_workbook(path: Path) -> list[SheetData]:
    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            sheets = []
            for index, meta in enumerate(workbook.sheets_metadata):
                if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                    continue  # chart, dialog and macro sheets hold no rows
                sheet = workbook.get_sheet_by_index(index)
                start = sheet.start
                if start is None:
                    sheets.append(SheetData(meta.name, [], 1))
                    continue
                # to_python() begins at `start`, so row numbers match what Excel shows.
                sheets.append(SheetData(meta.name, sheet.to_python(), start[0] + 1, start[1] + 1))
            return sheets
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine errors, and Rust panics surfacing as PanicException
        raise _unreadable(path, exc) from exc


# Formula cells: <c r="B5" t="str"><f>…</f><v>…</v></c>; the value may be missing or empty.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>\s*<(?:\w+:)?f(?:\s[^>]*?)?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v(?:\s[^>]*?)?(?:/>|>([^<]*)</(?:\w+:)?v>))?"
)
# A literal "<f" prefix lets the regex engine skip ahead at memory speed; prefixed XML (<x:f>) is rare.
_FORMULA_START = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_START = re.compile(rb"<\w+:f[\s>/]")
_REF = re.compile(rb'\br\s*=\s*"([A-Za-z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\bt\s*=\s*"([^"]*)"')
_CHUNK = 1 << 20


def _find_blank_formulas(path: Path, sheets: list[SheetData]) -> None:
    by_name = {sheet.name: sheet for sheet in sheets}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in xlsx_worksheet_parts(path, zf):
                if name in by_name:
                    with zf.open(part) as stream:
                        by_name[name].blank_formulas = _scan_formulas(stream)
    except UnusableFile:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as exc:
        raise _unreadable(path, exc) from exc


def _scan_formulas(stream: io.BufferedIOBase) -> set[tuple[int, int]]:
    """Stream the sheet XML in chunks cut between rows; only chunks holding a formula are parsed."""
    found: set[tuple[int, int]] = set()
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer = carry + chunk
        if chunk:
            cut = buffer.rfind(b"row>") + 4  # after </row>: no cell straddles the cut
            if cut < 4:
                carry = buffer
                continue
            piece, carry = buffer[:cut], buffer[cut:]
        else:
            piece, carry = buffer, b""
        if _may_hold_formula(piece):
            _collect_blank_formulas(piece, found)
        if not chunk:
            return found


def _may_hold_formula(xml: bytes) -> bool:
    # Plain substring tests run at memory speed; a regex over 80 MB of XML would take most of a second.
    # "f>" catches <f>, </f> and </x:f>; the others catch attribute-only shared formulas <f t="shared" …/>.
    return b"f>" in xml or b"<f " in xml or b":f " in xml


def _collect_blank_formulas(xml: bytes, found: set[tuple[int, int]]) -> None:
    starts = [m.start() for m in _FORMULA_START.finditer(xml)]
    if b":f" in xml:
        starts += [m.start() for m in _PREFIXED_FORMULA_START.finditer(xml)]
    for at in starts:
        # <f> is the first child of <c>, so the tag just before it opens the cell.
        match = _FORMULA_CELL.match(xml, xml.rfind(b"<", 0, at))
        if match is None:
            continue
        attributes, value_element, value = match.group(1, 2, 3)
        if value and value.strip():
            continue
        kind = _TYPE.search(attributes)
        # An empty <v></v> on a text formula is a computed "", e.g. =IF(A1="","",…): not missing.
        if value_element and kind is not None and kind.group(1) == b"str":
            continue
        ref = _REF.search(attributes)
        if ref:
            found.add((int(ref.group(2)), _column_number(ref.group(1))))


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


# ---------------------------------------------------------------- CSV and text exports

_DELIMITERS = (",", "\t", ";", "|")


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnusableFile(
            f"“{path.name}”的文字编码无法识别（不是UTF-8或GBK），请用Excel打开后另存为.xlsx再导入。"
        ) from None


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _read_csv(path: Path) -> SheetData:
    try:
        text = _decode(path, path.read_bytes())
    except OSError as exc:
        raise UnusableFile(f"无法读取“{path.name}”，请关闭正在使用它的程序后再导入。") from exc
    lines = text[:65536].splitlines()[:50]
    delimiter = None
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
        delimiter = lines[0][4]  # Excel's "sep=;" hint line, which Excel itself hides
        text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = lines[1:]
    if delimiter is None:
        delimiter = _sniff_delimiter(lines)
    try:
        rows: list[list[object]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnusableFile(
            f"“{path.name}”不是规范的CSV文本（{exc}），请用Excel打开后另存为.xlsx再导入。"
        ) from exc
    while rows and not any(str(cell).strip() for cell in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return SheetData(path.stem, rows, 1)
