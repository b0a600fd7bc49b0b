"""A paper (registry.reports.paper) as an editable Excel workbook: the same form on an A4 sheet, to fill by hand.

Excel rather than Word: the project already writes workbooks with openpyxl (no new dependency), every office PC
opens them, and a form is a grid of bordered cells that stays a grid when a secretary types into it.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from registry.reports.paper import Block, Cell, Paper
from registry.rules.text import formula_safe

COLUMNS = 24  # the sheet's fine grid: each table's column widths are rounded onto it
COLUMN_CHARS = 3.8  # width of one grid column in Excel characters (24 of them span A4 portrait)
LINE = 15.0  # points per line of 10.5-point text
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", start_color="FFF0F0F0")
BAND_FILL = PatternFill("solid", start_color="FFE6E6E6")
FONT = "宋体"


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, chars: float) -> int:
    per_line = max(1, int(chars) - 1)
    return sum(max(1, -(-_width(line) // per_line)) for line in (text or "").split("\n"))


def _grid(widths: tuple[float, ...]) -> list[int]:
    """Column fractions as numbers of grid columns (at least one each, summing to COLUMNS)."""
    edges, total = [0], 0.0
    for w in widths:
        total += w
        edges.append(max(edges[-1] + 1, round(total * COLUMNS)))
    edges[-1] = COLUMNS
    return [b - a for a, b in pairwise(edges)]


class _Writer:
    """Puts blocks on one sheet, row by row."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1

    def put(self, r: int, c0: int, c1: int, text: str, *, size: float = 10.5, bold: bool = False,
            align: str = "left", fill: PatternFill | None = None, border: bool = False) -> None:
        ws = self.ws
        if c1 > c0:
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
        cell = ws.cell(r, c0)
        value = _text(text)
        if value:
            cell.value = value
            if not formula_safe(value):
                cell.data_type = "s"
                cell.quotePrefix = True
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        for c in range(c0, c1 + 1):
            target = ws.cell(r, c)
            if border:
                target.border = BOX
            if fill is not None:
                target.fill = fill

    def line(self, text: str, *, size: float = 10.5, bold: bool = False, align: str = "left",
             height: float | None = None) -> None:
        self.put(self.row, 1, COLUMNS, text, size=size, bold=bold, align=align)
        lines = _lines(text, COLUMNS * COLUMN_CHARS * 10.5 / size)
        self.ws.row_dimensions[self.row].height = height or lines * size * 1.6
        self.row += 1

    def table(self, b: Block) -> None:
        spans = _grid(b.widths)
        for row in b.rows:
            col, tallest = 0, 1
            for c in row:
                first = 1 + sum(spans[:col])
                last = sum(spans[:col + c.span])
                self._cell(first, last, c)
                tallest = max(tallest, c.lines, _lines(c.text, (last - first + 1) * COLUMN_CHARS))
                col += c.span
            self.ws.row_dimensions[self.row].height = tallest * LINE + 6
            self.row += 1

    def _cell(self, first: int, last: int, c: Cell) -> None:
        shaded = c.kind in ("label", "header", "band")
        self.put(self.row, first, last, c.text, size=10, bold=c.kind in ("header", "band"),
                 align="center" if c.kind in ("label", "header") or c.center else "left",
                 fill=(BAND_FILL if c.kind in ("header", "band") else LABEL_FILL) if shaded else None, border=True)


def render_xlsx(paper: Paper, out: Path) -> int:
    """Write the paper as a one-sheet workbook laid out for A4 portrait; returns the number of rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = paper.name[:31]
    for c in range(1, COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = COLUMN_CHARS
    w = _Writer(ws)
    for b in paper.blocks:
        if b.kind == "title":
            w.line(b.text, size=16 if b.style != "notice" else 15, bold=True, align="center", height=34)
        elif b.kind == "meta":
            half = COLUMNS * 5 // 8
            w.put(w.row, 1, half, b.text)
            w.put(w.row, half + 1, COLUMNS, b.right)
            ws.row_dimensions[w.row].height = 20
            w.row += 1
        elif b.kind == "heading":
            w.line(b.text, size=12, bold=True, height=24)
        elif b.kind in ("text", "note"):
            right = b.style in ("right", "notice_right")
            text = b.text if right or b.kind == "note" else "　　" + b.text
            w.line(text, size=9 if b.kind == "note" else 11 if b.style.startswith("notice") else 10.5,
                   align="right" if right else "left")
        elif b.kind == "space":
            ws.row_dimensions[w.row].height = float(b.text or 10)
            w.row += 1
        elif b.kind == "table":
            w.table(b)
        elif b.kind == "signature":
            w.line("")
            w.line(f"填报人：{b.text or '＿＿＿＿＿＿'}　　　　审核人：＿＿＿＿＿＿　　　　联系电话：＿＿＿＿＿＿")
            w.line("填报日期：＿＿＿＿年＿＿月＿＿日　　　　（单位盖章）", height=36)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    wb.properties.title = paper.name
    wb.properties.creator = "快递行业党建台账"
    wb.save(out)
    return w.row - 1
