"""Reading every worksheet of an xlsx/xls/ods workbook or a CSV file into plain rows of cell values."""

from __future__ import annotations

import codecs
import csv
import functools
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

import python_calamine as calamine

from registry.importing import timing
from registry.importing.safety import (
    MAX_SHEET_ROWS,
    UnusableFile,
    check_extent,
    inspect_file,
    xlsx_worksheet_parts,
)


@dataclass
class SheetData:
    """One worksheet's used range; ``rows[i]`` is spreadsheet row ``first_row + i``."""

    name: str
    rows: list[list[object]]
    first_row: int
    first_col: int = 1
    # (row, col), 1-based, of formula cells saved without a computed value (calamine shows them as '').
    blank_formulas: set[tuple[int, int]] = field(default_factory=set)
    # Merged ranges as (first_row, first_col, last_row, last_col), 1-based; only the first cell holds the value.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Streaming: the rows after ``rows``, read once on demand (``rows`` then holds only the first HEAD_ROWS).
    rest: Iterator[list[object]] | None = None


# Rows read ahead of the stream: the header search and the sheet's title need only these.
HEAD_ROWS = 64


def read_file(path: Path) -> list[SheetData]:
    """All worksheets of the file in workbook order, every row in memory; raises UnusableFile if unreadable."""
    sheets = []
    for sheet in iter_sheets(path):
        if sheet.rest is not None:
            sheet.rows = [*sheet.rows, *sheet.rest]
            sheet.rest = None
        sheets.append(sheet)
    if len(sheets) == 1 and Path(path).suffix.lower() in (".csv", ".txt", ".tsv"):
        _tidy_csv(sheets[0])
    return sheets


def iter_sheets(path: Path, on_rows: Callable[[int], None] | None = None) -> Iterator[SheetData]:
    """The worksheets one at a time, rows streamed: only one sheet's cells are held while it is walked.

    on_rows: told an xlsx workbook's rows (its sheets' extents, summed) before any sheet is parsed.

    The file is checked first (inspect_file); an xlsx sheet's real extent is measured from its XML before the
    reader builds it, because the reader holds a sheet as a dense grid: two cells at opposite corners would
    otherwise ask for gigabytes.
    """
    path = Path(path)
    kind = inspect_file(path)
    if kind == "csv":
        yield _read_csv(path)
        return
    if kind != "xlsx":
        yield from _read_workbook(path, None)
        return
    # The reader opens the workbook (shared strings, styles) without holding the GIL while the sheets' XML is
    # scanned; no sheet is built before its scan is in.
    with ThreadPoolExecutor(1) as pool:
        scans = pool.submit(_scan_sheets, path)
        yield from _read_workbook(path, scans, on_rows)


# ---------------------------------------------------------------- workbooks via calamine


def _unreadable(path: Path, exc: BaseException) -> UnusableFile:
    if isinstance(exc, calamine.PasswordError) or "password" in str(exc).lower():
        return UnusableFile(f"“{path.name}”已设置打开密码，请在Excel中取消密码后另存再导入。")
    return UnusableFile(
        f"“{path.name}”文件已损坏或格式异常，无法读取，请用Excel打开后另存为新的.xlsx再导入。"
    )


def _read_workbook(path: Path, pending: Future[dict[str, SheetScan]] | None,
                   on_rows: Callable[[int], None] | None = None) -> Iterator[SheetData]:
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine errors, and Rust panics surfacing as PanicException
        if pending is not None:
            pending.result()  # a bomb or broken part the scan found says more than calamine's error
        raise _unreadable(path, exc) from exc
    scans = pending.result() if pending is not None else {}
    if on_rows is not None and scans:
        on_rows(sum(scan.rows for scan in scans.values()))
    # Chart, dialog and macro sheets hold no rows.
    sheets = [(i, m.name) for i, m in enumerate(workbook.sheets_metadata) if m.typ == calamine.SheetTypeEnum.WorkSheet]
    with workbook, ThreadPoolExecutor(1) as pool:
        ahead: Future[Any] | None = None
        for k, (index, name) in enumerate(sheets):
            scan = scans.get(name)
            if scan is not None:
                check_extent(path, name, scan.rows, scan.cols)
            try:
                with timing.step("读取工作表（calamine 解析）"):
                    sheet = ahead.result() if ahead is not None else workbook.get_sheet_by_index(index)
                ahead = None
                start = sheet.start
                if start is None:
                    yield SheetData(name, [], 1)
                    continue
                # Rows begin at `start`, so row numbers match what Excel shows; merged ranges are absolute and
                # 0-based (xlsx and xls only; None for ods).
                merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
                check_extent(path, name, sheet.height, sheet.width)
                # iter_rows() counts rows from the top of the sheet (columns from `start`): skip to `start`.
                # The rows are fresh lists only this sheet holds: SheetData may see their cells as object.
                stream = cast(Iterator[list[object]], islice(sheet.iter_rows(), start[0], None))
                head = list(islice(stream, HEAD_ROWS))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:
                raise _unreadable(path, exc) from exc
            following = scans.get(sheets[k + 1][1]) if k + 1 < len(sheets) else None
            if following is not None:
                # The next sheet is parsed while this one is checked: calamine parses without the GIL. Only where
                # the next sheet's extent is known (xlsx) and within bounds, so that memory stays bounded.
                check_extent(path, sheets[k + 1][1], following.rows, following.cols)
                ahead = pool.submit(workbook.get_sheet_by_index, sheets[k + 1][0])
            yield SheetData(name, head, start[0] + 1, start[1] + 1,
                            blank_formulas=scan.blank_formulas if scan else set(), merged=merged, rest=stream)
            del sheet, stream  # the sheet's grid is freed once walked (the next one may be built meanwhile)


# Formula cells: <c r="B5" t="str"><f>…</f><v>…</v></c>; the value may be missing or empty.
# Unprefixed XML (Excel, WPS, LibreOffice, openpyxl) is matched from the literal "<f", which the regex
# engine finds at memory speed; a pattern starting at every "<c" or "<" would cost most of a second.
_FORMULA = re.compile(rb"<f[\s>/][^<]*(?:</f>)?\s*(<v(?:\s[^>]*?)?(?:/>|>([^<]*)</v>))?")
_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet[\s>]")
_PREFIXED_FORMULA_CELL = re.compile(
    rb"<\w+:c\s([^>]*?)(?<!/)>\s*<\w+:f(?:\s[^>]*?)?(?:/>|>[^<]*</\w+:f>)\s*"
    rb"(<\w+:v(?:\s[^>]*?)?(?:/>|>([^<]*)</\w+:v>))?"
)
_REF = re.compile(rb'\br\s*=\s*"([A-Za-z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\bt\s*=\s*"([^"]*)"')
_CHUNK = 1 << 20
MAX_ROW_XML = 64 * 1024 * 1024


@dataclass
class SheetScan:
    """What one pass over a worksheet's XML finds: formulas without a value, and the sheet's real extent."""

    blank_formulas: set[tuple[int, int]] = field(default_factory=set)
    rows: int = 0  # the last row any cell is in
    cols: int = 0  # the rightmost column any cell names


def _scan_sheets(path: Path) -> dict[str, SheetScan]:
    """Per sheet name, one streamed pass over its XML (zlib and the byte searches run at memory speed)."""
    found: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in xlsx_worksheet_parts(path, zf):
                with zf.open(part) as stream:
                    found[name] = scan_sheet(stream)
        return found
    except UnusableFile:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError, zlib.error) as exc:
        raise _unreadable(path, exc) from exc


def _blank_formulas(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the formula cells saved without a value."""
    return {name: scan.blank_formulas for name, scan in _scan_sheets(path).items()}


# The row numbers and the rightmost column: enough to know how big a grid the reader will build.
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})\d')


@functools.cache
def _beyond(column: int) -> re.Pattern[bytes]:
    """Cells to the right of `column`; one search per chunk, which finds nothing once the widest is known."""
    if column >= 26:
        return re.compile(rb' r="(?:[A-Z]{3}|[' + bytes([64 + column // 26]) + rb'-Z][A-Z])\d') if column < 702 \
            else re.compile(rb' r="[A-Z]{3}\d')
    return re.compile(rb' r="(?:[A-Z]{2,3}|[' + bytes([65 + column]) + rb'-Z])\d')


def scan_sheet(stream: IO[bytes]) -> SheetScan:
    """Stream the sheet XML in chunks cut between rows; only chunks holding a formula are searched."""
    scan = SheetScan()
    found = scan.blank_formulas
    carry = b""
    prefixed: bool | None = None
    while True:
        chunk = stream.read(_CHUNK)
        if prefixed is None:
            prefixed = bool(_PREFIXED_ROOT.search(chunk[:4096]))
        buffer = carry + chunk
        if chunk:
            cut = buffer.rfind(b"row>") + 4  # after </row>: no cell straddles the cut
            if cut < 4:
                cut = _after_empty_row(buffer)  # a long run of formatted, empty rows (<row r="9" s="1"/>)
            if cut < 4:
                if len(buffer) > MAX_ROW_XML:
                    scan.rows, scan.cols = MAX_SHEET_ROWS + 1, 1  # one "row" of hundreds of MB: not a table
                    return scan
                carry = buffer
                continue
            piece, carry = buffer[:cut], buffer[cut:]
        else:
            piece, carry = buffer, b""
        if prefixed:
            if b":f" in piece:
                _collect_prefixed(piece, found)
        elif b"<f" in piece:
            _collect(piece, found)
        # The last cell's row, not the last <row>: formatted empty rows below the table hold no cell.
        last = piece.rfind(b"<c ")
        if last < 0:
            last = piece.rfind(b":c ")
        if last >= 0:
            ref = _REF.search(piece, last, last + 256)
            if ref:
                scan.rows = max(scan.rows, int(ref.group(2)))
        if _beyond(scan.cols).search(piece):
            scan.cols = max(scan.cols, max(_column_number(ref) for ref in _CELL_COLUMN.findall(piece)))
        if not chunk:
            return scan


def _after_empty_row(buffer: bytes) -> int:
    """Just after the last self-closing <row …/> in buffer, or 3 (meaning: no place to cut)."""
    at = buffer.rfind(b"<row")
    end = buffer.find(b">", at) if at >= 0 else -1
    return end + 1 if end > 0 and buffer[end - 1 : end] == b"/" else 3


def _collect(xml: bytes, found: set[tuple[int, int]]) -> None:
    for match in _FORMULA.finditer(xml):
        value = match.group(2)
        if value and value.strip():
            continue
        # <f> is the first child of <c>, so the tag just before it opens the cell.
        at = match.start()
        _record(xml[xml.rfind(b"<", 0, at) : at], match.group(1) is not None, found)


def _collect_prefixed(xml: bytes, found: set[tuple[int, int]]) -> None:
    for match in _PREFIXED_FORMULA_CELL.finditer(xml):
        value = match.group(3)
        if not (value and value.strip()):
            _record(match.group(1), match.group(2) is not None, found)


def _record(cell_tag: bytes, has_value_element: bool, found: set[tuple[int, int]]) -> None:
    kind = _TYPE.search(cell_tag)
    # An empty <v></v> on a text formula is a computed "", e.g. =IF(A1="","",…): not missing.
    if has_value_element and kind is not None and kind.group(1) == b"str":
        return
    ref = _REF.search(cell_tag)
    if ref:
        found.add((int(ref.group(2)), _column_number(ref.group(1))))


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


# ---------------------------------------------------------------- CSV and text exports

_DELIMITERS = (",", "\t", ";", "|")


def _encoding(path: Path) -> str:
    """The file's text encoding, checked over the whole file in chunks (strict: nothing is guessed)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            candidates: tuple[str, ...] = ("utf-8-sig",)
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ("utf-16",)
        else:
            # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
            candidates = ("utf-8", "gb18030")
        for encoding in candidates:
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)("strict")
            try:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                continue
    # Strict on purpose: a replaced character in a name would be imported without anyone noticing.
    raise UnusableFile(
        f"“{path.name}”的文字编码无法识别（不是UTF-8或GBK），请用Excel打开后另存为.xlsx再导入。"
    )


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


def _csv_error(path: Path) -> UnusableFile:
    return UnusableFile(
        f"“{path.name}”不是规范的CSV文本（有过长的单元格或无法识别的字符），请用Excel打开后另存为.xlsx再导入。"
    )


def _csv_rows(path: Path, encoding: str) -> Iterator[list[object]]:
    """The CSV's rows, streamed from the file; an apostrophe that guards formula-like text is taken off."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            sample = fh.read(65536)
            lines = sample.splitlines()[:50]
            fh.seek(0)
            delimiter = None
            if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
                delimiter = lines[0][4]  # Excel's "sep=;" hint line, which Excel itself hides
                fh.readline()
                lines = lines[1:]
            if delimiter is None:
                delimiter = _sniff_delimiter(lines)
            for row in csv.reader(fh, delimiter=delimiter):
                for j, cell in enumerate(row):
                    # Our CSV export (and careful users) put one apostrophe before text Excel would run.
                    if cell[:1] == "'" and cell[1:2] in _FORMULA_STARTS:
                        row[j] = cell[1:]
                yield row  # type: ignore[misc]
    except csv.Error as exc:
        raise _csv_error(path) from exc
    except UnicodeDecodeError as exc:
        raise _csv_error(path) from exc
    except OSError as exc:
        raise UnusableFile(f"无法读取“{path.name}”，请关闭正在使用它的程序后再导入。") from exc


def _read_csv(path: Path) -> SheetData:
    try:
        encoding = _encoding(path)
    except OSError as exc:
        raise UnusableFile(f"无法读取“{path.name}”，请关闭正在使用它的程序后再导入。") from exc
    stream = _csv_rows(path, encoding)
    return SheetData(path.stem, list(islice(stream, HEAD_ROWS)), 1, rest=stream)


def _tidy_csv(sheet: SheetData) -> None:
    """A whole CSV in memory as a workbook reader gives it: no trailing blank rows, every row as wide."""
    rows = sheet.rows
    while rows and not any(str(cell).strip() for cell in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))


_FORMULA_STARTS = frozenset("=+-@\t\r'")
