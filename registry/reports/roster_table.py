"""The roster table drawn page by page: line-broken string cells, a bold header row on every page.

A reportlab Table of 10,000 rows spends most of its time outside the text: re-styling every cell of the
remainder at each page split, and a graphics-state round trip per cell, empty ones included. Here row
heights are known up front, each page takes exactly the rows that fit the frame, and a page's cells go
into one text object under one grid path. The result looks like the bordered tables of the other reports.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from registry.reports.fonts import BOLD_STROKE, FONT, text_width
from registry.reports.styles import HEADER_FILL, INK

PADDING = 1.6  # left and right, inside each cell
TOP, BOTTOM = 1.4, 2.0  # above the first line and below the last
LEADING = 1.18  # line spacing, in font sizes
GRID, FRAME = 0.4, 0.9  # line widths


class LineBreaker:
    """Breaks cell text into lines no wider than a column, measuring each character once."""

    def __init__(self, size: float) -> None:
        self.size = size
        self._widths: dict[str, float] = {}

    def char_width(self, ch: str) -> float:
        w = self._widths.get(ch)
        if w is None:
            w = self._widths[ch] = text_width(ch, self.size)
        return w

    def width(self, text: str) -> float:
        return sum(map(self.char_width, text))

    def lines(self, text: str, limit: float, max_lines: int = 4) -> str:
        # No glyph of this face is wider than the em, so short text needs no measuring at all.
        if len(text) * self.size <= limit and "\n" not in text:
            return text
        out: list[str] = []
        for part in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for ch in part:
                w = self.char_width(ch)
                if used + w > limit and line:
                    out.append("".join(line))
                    line, used = [], 0.0
                line.append(ch)
                used += w
            out.append("".join(line))
        if len(out) > max_lines:
            out = out[:max_lines]
            out[-1] = out[-1][:-1] + "…"
        return "\n".join(out)


class RosterGrid:
    """The cells with their measurements: the column widths, and the height of every row."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]], size: float, widths: Sequence[float],
                 centred: Sequence[bool], breaker: LineBreaker | None = None) -> None:
        self.header, self.rows, self.size = list(header), rows, size
        self.widths, self.centred = list(widths), list(centred)
        self.breaker = breaker or LineBreaker(size)
        self.leading = size * LEADING
        self.width = sum(self.widths)
        self.header_height = self._row_height(self.header)
        self.tops = [0.0]  # tops[i]: the height of rows[:i]
        for row in rows:
            self.tops.append(self.tops[-1] + self._row_height(row))

    def _row_height(self, row: Sequence[str]) -> float:
        return (max(cell.count("\n") for cell in row) + 1) * self.leading + TOP + BOTTOM

    def height_of(self, start: int, stop: int) -> float:
        return self.header_height + self.tops[stop] - self.tops[start]


class RosterRows(Flowable):
    """The rows from `start` on; the frame splits it into one RosterPage per page."""

    def __init__(self, grid: RosterGrid, start: int = 0) -> None:
        super().__init__()
        self.grid, self.start = grid, start

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.grid.width, self.grid.height_of(self.start, len(self.grid.rows))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        g = self.grid
        limit = g.tops[self.start] + avail_height - g.header_height
        stop = bisect_right(g.tops, limit + 0.01, lo=self.start) - 1
        if stop <= self.start:
            return []  # not even one row fits here: the frame moves on to the next page
        return [RosterPage(g, self.start, stop), RosterRows(g, stop)]

    def draw(self) -> None:
        page = RosterPage(self.grid, self.start, len(self.grid.rows))
        page.canv = self.canv
        page.draw()


class RosterPage(Flowable):
    """Rows start..stop under the header: shaded bold header, hairline grid, heavier frame."""

    def __init__(self, grid: RosterGrid, start: int, stop: int) -> None:
        super().__init__()
        self.grid, self.start, self.stop = grid, start, stop
        self.width = grid.width
        self.height = grid.height_of(start, stop)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        g, canv = self.grid, self.canv
        width, height, head = self.width, self.height, g.header_height
        xs = [0.0]
        for w in g.widths:
            xs.append(xs[-1] + w)
        canv.saveState()
        canv.setFillColor(HEADER_FILL)
        canv.rect(0, height - head, width, head, stroke=0, fill=1)
        canv.setFillColor(INK)
        canv.setStrokeColor(INK)
        canv.setLineWidth(g.size * BOLD_STROKE)  # the stroke of the bold header text
        text = canv.beginText()
        text.setFont(FONT, g.size, g.leading)
        text.setTextRenderMode(2)
        self._cells(text, g.header, height, head, xs, [True] * len(xs))
        text.setTextRenderMode(0)
        rules = [height - head]
        top = height - head
        for i in range(self.start, self.stop):
            h = g.tops[i + 1] - g.tops[i]
            self._cells(text, g.rows[i], top, h, xs, g.centred)
            top -= h
            rules.append(top)
        canv.drawText(text)
        path = canv.beginPath()
        for x in xs[1:-1]:
            path.moveTo(x, 0)
            path.lineTo(x, height)
        for y in rules[1:-1]:
            path.moveTo(0, y)
            path.lineTo(width, y)
        canv.setLineWidth(GRID)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setLineWidth(FRAME)
        canv.rect(0, 0, width, height, stroke=1, fill=0)
        canv.line(0, height - head, width, height - head)
        canv.restoreState()

    def _cells(self, text: PDFTextObject, row: Sequence[str], top: float, h: float, xs: Sequence[float],
               centred: Sequence[bool]) -> None:
        g = self.grid
        size, leading = g.size, g.leading
        for j, cell in enumerate(row):
            if not cell:
                continue
            lines = cell.split("\n")
            # Vertically centred, as a reportlab Table places text with VALIGN MIDDLE.
            y = top - h + (BOTTOM + h - TOP + len(lines) * leading) / 2 - size
            for line in lines:
                x = xs[j] + ((g.widths[j] - g.breaker.width(line)) / 2 if centred[j] else PADDING)
                text.setTextOrigin(x, y)
                text.textOut(line)
                y -= leading
