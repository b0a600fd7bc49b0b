"""A small streaming .xlsx writer for official-looking sheets: text as inline strings, fixed styles, print setup."""

from __future__ import annotations

import contextlib
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO

MAX_ROWS = 1_048_576
MAX_TEXT = 32_767  # Excel's limit for one cell
DEFAULT_FOOTER = "&C第 &P 页 共 &N 页"
_CHUNK_ROWS = 1000

# Sentinels: \x00 and \x01 are illegal in XML 1.0, so they are stripped from every value and cannot collide.
_EMPTY = "\x00"
_PRESERVE = "\x01"
_EMPTY_TEXT = ' t="inlineStr"><is><t>\x00</t></is></c>'
_EMPTY_NUMBER = "><v>\x00</v></c>"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")  # Excel reads _x0041_ as "A" unless its "_" is escaped
_EDGE_SPACE = re.compile("\x00\\s")
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument"
_NS = f'xmlns="{_MAIN}" xmlns:r="{_REL}"'

# Style ids: indexes into <cellXfs>. Text cells use number format 49 ("@") so Excel keeps edited IDs as text.
TITLE, SUBTITLE, HEADER, TEXT, TEXT_CENTER, NUMBER = 1, 2, 3, 4, 5, 6
_MIDDLE = '<alignment vertical="center"/>'
_CENTERED = '<alignment horizontal="center" vertical="center"/>'
_XFS = ((0, 0, 0, 0, ""), (49, 1, 0, 0, _CENTERED), (49, 0, 0, 0, _MIDDLE),
        (49, 2, 2, 1, '<alignment horizontal="center" vertical="center" wrapText="1"/>'),
        (49, 0, 0, 1, _MIDDLE), (49, 0, 0, 1, _CENTERED), (0, 0, 0, 1, _CENTERED))  # numFmt, font, fill, border
_FONT = '<sz val="{}"/><name val="宋体"/><family val="3"/><charset val="134"/>'
_THIN = "".join(f'<{side} style="thin"><color auto="1"/></{side}>' for side in ("left", "right", "top", "bottom"))
_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_MAIN}">'
    f'<fonts count="3"><font>{_FONT.format(11)}</font><font><b/>{_FONT.format(16)}</font>'
    f'<font><b/>{_FONT.format(11)}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>'
    f'</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    f'<border>{_THIN}<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_XFS)}">'
    + "".join(f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
              f' applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">{align}</xf>'
              for fmt, font, fill, border, align in _XFS)
    + '</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column: width in characters (a Chinese character is about 2), alignment, and whether it holds numbers."""

    width: float = 12
    center: bool = False
    numeric: bool = False


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheet(name: str) -> str:
    """A sheet name as formulas and defined names refer to it."""
    return "'" + name.replace("'", "''") + "'"


def xml_text(value: str) -> str:
    """Element or attribute text: characters XML 1.0 forbids dropped, markup characters escaped."""
    value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _cell_text(value: str) -> str:
    """A cell value ready for <t>, marked with _PRESERVE when edge spaces must survive; may become ''."""
    value = _ILLEGAL.sub("", value)[:MAX_TEXT]
    if "_x" in value:
        value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value and (value[0].isspace() or value[-1].isspace()):
        value = _PRESERVE + value
    return value


def _needs_care(texts: list[str]) -> bool:
    """Whether any value needs stripping, escaping, truncating or xml:space: a few C-speed scans per chunk."""
    joined = "\x00".join(["", *texts, ""])
    return bool(_SPECIAL.search(joined) or joined.count("\x00") != len(texts) + 1
                or _EDGE_SPACE.search(joined) or _EDGE_SPACE.search(joined[::-1])
                or ("_x" in joined and _ESCAPE_LIKE.search(joined))
                or max(map(len, texts), default=0) > MAX_TEXT)


def _finish_xml(xml: str) -> bytes:
    if _EMPTY in xml:  # an empty cell keeps its style (the borders) but has no value
        xml = xml.replace(_EMPTY_TEXT, "/>").replace(_EMPTY_NUMBER, "/>")
    if _PRESERVE in xml:
        xml = xml.replace("<t>" + _PRESERVE, '<t xml:space="preserve">')
    return xml.encode("utf-8")


class Sheet:
    """One worksheet: title, subtitle and header rows first, then body rows streamed into the file."""

    def __init__(self, zf: zipfile.ZipFile, index: int, name: str, columns: Sequence[ColumnSpec]) -> None:
        if not columns:
            raise ValueError("a sheet needs at least one column")
        self._zf, self.index, self.name, self.columns = zf, index, name, list(columns)
        self._n = len(self.columns)
        self._numeric = [j for j, c in enumerate(self.columns) if c.numeric]
        self._top: list[str] = []
        self._merges: list[str] = []
        self._stream: IO[bytes] | None = None
        self.row_count = self.header_row = self.frozen_rows = 0
        self.print_title_rows: tuple[int, int] | None = None
        self.landscape, self.paper_size, self.fit_width, self.footer = True, 9, True, DEFAULT_FOOTER
        cells = []
        for j, col in enumerate(self.columns, 1):
            ref = f'<c r="{column_letter(j)}%s" s="{NUMBER if col.numeric else TEXT_CENTER if col.center else TEXT}"'
            cells.append(f"{ref}><v>%s</v></c>" if col.numeric else f'{ref} t="inlineStr"><is><t>%s</t></is></c>')
        self._row_template = '<row r="%s">' + "".join(cells) + "</row>"
        self._chunk_template = self._row_template * _CHUNK_ROWS

    # Rows above the body -------------------------------------------------------------------------------
    def _top_row(self, texts: Sequence[str | None], style: int, height: float, merge: bool) -> int:
        if self._stream is not None:
            raise RuntimeError("title, subtitle and header rows must come before the body rows")
        self.row_count += 1
        r = self.row_count
        cells = "".join(
            f'<c r="{column_letter(j)}{r}" s="{style}"/>' if not text or not (t := _cell_text(text))
            else f'<c r="{column_letter(j)}{r}" s="{style}" t="inlineStr"><is><t>{t}</t></is></c>'
            for j, text in enumerate(texts, 1))
        self._top.append(f'<row r="{r}" ht="{height:g}" customHeight="1">{cells}</row>')
        if merge and self._n > 1:
            self._merges.append(f"A{r}:{column_letter(self._n)}{r}")
        return r

    def title(self, text: str, height: float = 32) -> None:
        """A bold 16pt line centred over all columns."""
        self._top_row([text], TITLE, height, merge=True)

    def subtitle(self, text: str, height: float = 22) -> None:
        """A plain line over all columns (unit, date, count)."""
        self._top_row([text], SUBTITLE, height, merge=True)

    def header(self, labels: Sequence[str], height: float = 30) -> None:
        """The column header; it and every row above it repeat on each printed page."""
        if len(labels) != self._n:
            raise ValueError(f"{len(labels)} header labels for {self._n} columns")
        self.header_row = self._top_row(labels, HEADER, height, merge=False)
        self.print_title_rows = (1, self.header_row)

    def freeze_below_header(self) -> None:
        if self._stream is not None:
            raise RuntimeError("freeze panes must be set before the body rows")
        self.frozen_rows = self.header_row

    def print_setup(self, *, landscape: bool = True, paper_size: int = 9, fit_width: bool = True,
                    footer: str = DEFAULT_FOOTER, title_rows: tuple[int, int] | None = None) -> None:
        """The defaults are the official layout: A4 (9) landscape, one page wide, 第 X 页 共 Y 页 in the footer."""
        self.landscape, self.paper_size, self.fit_width, self.footer = landscape, paper_size, fit_width, footer
        if title_rows is not None:
            self.print_title_rows = title_rows

    # Body ----------------------------------------------------------------------------------------------
    def rows(self, rows: Iterable[Sequence[object]]) -> None:
        """Append body rows of str or None (numbers in numeric columns); may be called repeatedly."""
        if self._stream is None:
            self._start()
        it = iter(rows)
        while chunk := list(islice(it, _CHUNK_ROWS)):
            self._write_chunk(chunk)

    def _start(self) -> None:
        # Element order inside <worksheet> is fixed by the schema; Excel "repairs" files that break it.
        pane = ""
        if self.frozen_rows:
            cell = f"A{self.frozen_rows + 1}"
            pane = (f'<pane ySplit="{self.frozen_rows}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
                    f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/>')
        cols = "".join(f'<col min="{j}" max="{j}" width="{c.width:g}" customWidth="1"/>'
                       for j, c in enumerate(self.columns, 1))
        selected = ' tabSelected="1"' if self.index == 0 else ""
        head = (f'{_DECL}<worksheet {_NS}>'
                + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.fit_width else "")
                + f'<sheetViews><sheetView{selected} workbookViewId="0">'
                f'{pane}</sheetView></sheetViews><sheetFormatPr defaultRowHeight="14.25"/><cols>{cols}</cols>'
                f'<sheetData>{"".join(self._top)}')
        self._stream = self._zf.open(f"xl/worksheets/sheet{self.index + 1}.xml", "w")
        self._stream.write(_finish_xml(head))

    def _write_chunk(self, chunk: list[Sequence[object]]) -> None:
        n, m = self._n, len(chunk)
        first = self.row_count + 1
        if first + m - 1 > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows do not fit in one worksheet")
        flat: list[object] = []
        for i, row in enumerate(chunk):
            if len(row) != n:
                raise ValueError(f"row {first + i} has {len(row)} values for {n} columns")
            flat.extend(row)
        for j in self._numeric:
            for i in range(j, len(flat), n):
                v = flat[i]
                if v is None or v == "":
                    flat[i] = None
                elif isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                    raise TypeError(f"column {j + 1} holds numbers, not {v!r}")
                else:
                    flat[i] = repr(v)
        texts = [v if v.__class__ is str else (None if v is None else str(v)) for v in flat]
        if _needs_care(list(filter(None, texts))):
            texts = [_cell_text(v) if v else v for v in texts]
        values = [v or _EMPTY for v in texts]
        # One %-format per chunk, its arguments laid out by slice assignment rather than a loop over cells.
        numbers = list(map(str, range(first, first + m)))
        width = 2 * n + 1
        args: list[str] = [""] * (m * width)
        args[0::width] = numbers
        for j in range(n):
            args[1 + 2 * j::width] = numbers
            args[2 + 2 * j::width] = values[j::n]
        template = self._chunk_template if m == _CHUNK_ROWS else self._row_template * m
        assert self._stream is not None
        self._stream.write(_finish_xml(template % tuple(args)))
        self.row_count += m

    def _finish(self) -> None:
        if self._stream is None:
            self._start()
        assert self._stream is not None
        merges = "".join(f'<mergeCell ref="{m}"/>' for m in self._merges)
        fit = ' fitToWidth="1" fitToHeight="0"' if self.fit_width else ""
        tail = ("</sheetData>"
                + (f'<mergeCells count="{len(self._merges)}">{merges}</mergeCells>' if merges else "")
                + '<printOptions horizontalCentered="1"/>'
                '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.7" header="0.3" footer="0.3"/>'
                f'<pageSetup paperSize="{self.paper_size}" orientation="{"landscape" if self.landscape else "portrait"}"'
                f"{fit}/>"
                + (f"<headerFooter><oddFooter>{xml_text(self.footer)}</oddFooter></headerFooter>" if self.footer else "")
                + "</worksheet>")
        self._stream.write(tail.encode("utf-8"))
        self._stream.close()
        self._stream = None


class XlsxWriter:
    """Writes one .xlsx file; sheets are written one after another, each finished when the next begins."""

    def __init__(self, path: str | Path, *, title: str = "", creator: str = "快递行业党建台账",
                 compresslevel: int = 6) -> None:
        self._zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[Sheet] = []
        self._title, self._creator = title, creator

    def add_sheet(self, name: str, columns: Sequence[ColumnSpec]) -> Sheet:
        if not name or len(name) > 31 or _BAD_SHEET_NAME.search(name) or name.startswith("'") or name.endswith("'"):
            raise ValueError(f"invalid worksheet name {name!r}")
        if any(s.name.lower() == name.lower() for s in self._sheets):
            raise ValueError(f"duplicate worksheet name {name!r}")
        if self._sheets:
            self._sheets[-1]._finish()
        sheet = Sheet(self._zf, len(self._sheets), name, columns)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        if not self._sheets:
            raise ValueError("a workbook needs at least one sheet")
        self._sheets[-1]._finish()
        for part, xml in self._parts():
            self._zf.writestr(part, xml)
        self._zf.close()

    def abandon(self) -> None:
        """Close the file after a failure; what was written is not a workbook and should be deleted."""
        with contextlib.suppress(OSError, ValueError):
            stream = self._sheets[-1]._stream if self._sheets else None
            if stream is not None:
                stream.close()
            self._zf.close()

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()

    def _parts(self) -> list[tuple[str, str]]:
        sheets = self._sheets
        entries = "".join(f'<sheet name="{xml_text(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
                          for s in sheets)
        names = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.index}">{xml_text(quote_sheet(s.name))}'
                        f"!${s.print_title_rows[0]}:${s.print_title_rows[1]}</definedName>"
                        for s in sheets if s.print_title_rows)
        rels = "".join(f'<Relationship Id="rId{s.index + 1}" Type="{_REL}/worksheet"'
                       f' Target="worksheets/sheet{s.index + 1}.xml"/>' for s in sheets)
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{s.index + 1}.xml"'
                            f' ContentType="{_CT}.spreadsheetml.worksheet+xml"/>' for s in sheets)
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            ("xl/workbook.xml", f'{_DECL}<workbook {_NS}><bookViews><workbookView activeTab="0"/></bookViews>'
                                f"<sheets>{entries}</sheets>"
                                + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>"),
            ("xl/_rels/workbook.xml.rels",
             f'{_DECL}<Relationships xmlns="{_PKG}/relationships">{rels}'
             f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
            ("xl/styles.xml", _STYLES),
            ("_rels/.rels",
             f'{_DECL}<Relationships xmlns="{_PKG}/relationships">'
             f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
             f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
             f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
            ("docProps/core.xml",
             f'{_DECL}<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties"'
             ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
             ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
             f"<dc:title>{xml_text(self._title)}</dc:title><dc:creator>{xml_text(self._creator)}</dc:creator>"
             f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
             f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'),
            ("docProps/app.xml",
             f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
             f"<Application>{xml_text(self._creator)}</Application></Properties>"),
            ("[Content_Types].xml",
             f'{_DECL}<Types xmlns="{_PKG}/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>{overrides}'
             '<Override PartName="/docProps/core.xml"'
             ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/></Types>'),
        ]
