"""Builders for the bad-file corpus: hostile or broken spreadsheets made cheaply at test time (shared with bench/)."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from tests.importing.conftest import XLSX_SKELETON, deflated, write_raw_zip, zeros_deflated

HEADER = ("序号", "姓名", "公民身份号码", "人员类别", "联系电话")
PEOPLE = (("张三", "510104198503154210", "群众", "13800138000"),
          ("李四", "420106199207080064", "中共党员", "13900139000"))


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def row_xml(number: int, cells: Iterable[object]) -> bytes:
    """One <row> of inline-string cells (no shared strings: nothing to look up, cheap to write)."""
    out = [f'<row r="{number}">']
    for j, value in enumerate(cells):
        if value is None:
            continue
        out.append(f'<c r="{_column(j)}{number}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    out.append("</row>")
    return "".join(out).encode()


def sheet_xml(rows: Iterable[bytes]) -> Iterator[bytes]:
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    yield from rows
    yield b"</sheetData></worksheet>"


def write_xlsx(path: Path, sheets: dict[str, Iterable[bytes]], level: int = 1,
               shared_strings: bytes | None = None) -> Path:
    """An xlsx whose worksheets' XML is written straight into the zip, streamed (a million rows in seconds)."""
    names = list(sheets)
    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
                'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
                + "</sheets></workbook>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
            + ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'sharedStrings" Target="sharedStrings.xml"/>' if shared_strings else "")
            + "</Relationships>")
    members = dict(XLSX_SKELETON)
    if shared_strings:
        members["xl/sharedStrings.xml"] = shared_strings
    members["xl/workbook.xml"] = workbook.encode()
    members["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for i, name in enumerate(names, 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                buffer = []
                size = 0
                for piece in sheet_xml(sheets[name]):
                    buffer.append(piece)
                    size += len(piece)
                    if size > 1 << 20:
                        fh.write(b"".join(buffer))
                        buffer, size = [], 0
                fh.write(b"".join(buffer))
    return path


def census_rows(people: Iterable[tuple[str, ...]] = PEOPLE, start: int = 1) -> Iterator[bytes]:
    yield row_xml(start, HEADER)
    for i, person in enumerate(people, 1):
        yield row_xml(start + i, (i, *person))


def junk_rows(first: int, count: int, seed: int = 1) -> Iterator[bytes]:
    """Rows of random letters and numbers under the roster's columns: nothing in them is a person."""
    rng = random.Random(seed)
    for number in range(first, first + count):
        yield row_xml(number, (number, f"{rng.getrandbits(40):x}", rng.getrandbits(30), "xx", rng.getrandbits(20)))


def junk_census(path: Path, junk: int, people: Iterable[tuple[str, ...]] = PEOPLE) -> Path:
    """A valid header, a few people (or none), then `junk` rows of junk."""
    people = list(people)
    rows = [*census_rows(people)]
    return write_xlsx(path, {"摸排表": [*rows, *junk_rows(len(rows) + 1, junk)]})


def lazy_junk_census(path: Path, junk: int) -> Path:
    """As junk_census with no people, but the rows are generated while the zip is written (bench sizes)."""

    def rows() -> Iterator[bytes]:
        yield row_xml(1, HEADER)
        yield from junk_rows(2, junk)

    return write_xlsx(path, {"摸排表": rows()})


def many_big_sheets(path: Path, sheets: int = 20, size: int = 49 * 1024**2) -> Path:
    """20 sheets of 49 MB XML each in a ~3 MB file (declared sizes; never inflated before it is refused)."""
    names = [f"Sheet{i}" for i in range(1, sheets + 1)]
    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
                'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
                + "</sheets></workbook>").encode()
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
            + "</Relationships>").encode()
    skeleton = {**XLSX_SKELETON, "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels}
    members = [(name, *deflated(data)) for name, data in skeleton.items()]
    members += [(f"xl/worksheets/sheet{i}.xml", *zeros_deflated(size)) for i in range(1, sheets + 1)]
    return write_raw_zip(path, members)


def corner_bomb(path: Path, last_row: int = 1_000_000, last_col: str = "ZZ") -> Path:
    """Two cells at opposite corners: a few hundred bytes that a dense reader would turn into gigabytes."""
    far = f'<row r="{last_row}"><c r="{last_col}{last_row}"><v>1</v></c></row>'.encode()
    return write_xlsx(path, {"摸排表": [*census_rows(), far]})


def giant_cell(path: Path, chars: int, *, repeated: bool) -> Path:
    """One person with a name cell of `chars` characters (repeated: compresses to nothing), one ordinary."""
    rng = random.Random(2)
    name = "张" * chars if repeated else "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(chars))
    people = [PEOPLE[0], (name, "440305200001012617", "群众", "13700137000")]
    return write_xlsx(path, {"摸排表": census_rows(people)})


def shared_string_grid(path: Path, rows: int, cols: int) -> Path:
    """A header, then rows × cols cells all pointing at one shared string: the most cells per byte of XML."""
    shared = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              b"<si><t>x</t></si></sst>")

    def grid() -> Iterator[bytes]:
        yield row_xml(1, HEADER)
        for number in range(2, rows + 2):
            yield (f'<row r="{number}">' + "".join(f'<c r="{_column(j)}{number}" t="s"><v>0</v></c>'
                                                    for j in range(cols)) + "</row>").encode()

    write_xlsx(path, {"摸排表": grid()}, shared_strings=shared)
    return path
