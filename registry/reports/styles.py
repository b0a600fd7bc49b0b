"""The look shared by every report: page layout, paged footer, titles, paragraph and table styles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph

from registry.reports.fonts import BOLD_STROKE, FONT, register_fonts, text_width

INK = colors.black
MUTED = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#E6E6E6")
SUBTOTAL_FILL = colors.HexColor("#F4F4F4")
RULE = colors.HexColor("#BBBBBB")
LABEL_FILL = colors.HexColor("#F0F0F0")
PORTRAIT = A4
LANDSCAPE = landscape(A4)
APP_NAME = "快递行业党建台账"

register_fonts()
# reportlab's CJK line breaking lets a line start with ， ： ； ！ ？ — Chinese typesetting rules (标点禁则)
# forbid that; adding them to its list makes the character hang at the end of the previous line instead.
_NO_LINE_START = "，：；！？．％"
for _module in (_paragraph, _textsplit):
    _module.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START)


def _style(name: str, size: float, leading: float | None = None, align: int = TA_LEFT, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading or size * 1.5, alignment=align,
                          wordWrap="CJK", textColor=kw.pop("textColor", INK), **kw)


TITLE = _style("title", 20, 28, TA_CENTER, spaceAfter=2)
SUBTITLE = _style("subtitle", 12, 18, TA_CENTER, spaceAfter=4)
META = _style("meta", 10, 15)
HEADING = _style("heading", 13, 20, spaceBefore=10, spaceAfter=5, keepWithNext=1)
BODY = _style("body", 10.5, 18, firstLineIndent=21)
LIST = _style("list", 10, 16, spaceBefore=2)
NOTE = _style("note", 8.5, 13, textColor=MUTED, spaceBefore=3)
CELL = _style("cell", 9.5, 13)
SMALL_CELL = _style("small_cell", 8.5, 11.5)
CELL_LABEL = _style("cell_label", 9, 12, TA_CENTER)
CELL_CENTER = _style("cell_center", 9.5, 13, TA_CENTER)


def para(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of user data, escaped: names with < or & print as they are instead of breaking the markup."""
    return Paragraph(escape("" if text is None else str(text)), style)


class Bold(Flowable):
    """Draws another flowable fill-then-stroke: the single-weight CJK face made to look bold."""

    def __init__(self, inner: Flowable, size: float) -> None:
        super().__init__()
        self.inner = inner
        self.stroke = size * BOLD_STROKE
        self.spaceBefore = inner.getSpaceBefore()
        self.spaceAfter = inner.getSpaceAfter()
        self.keepWithNext = getattr(getattr(inner, "style", None), "keepWithNext", 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.addLiteral("2 Tr")  # a text-state operator, restored with the graphics state
        canv.setLineWidth(self.stroke)
        canv.setStrokeColor(INK)
        self.inner.drawOn(canv, 0, 0)
        canv.restoreState()


def title(text: str, style: ParagraphStyle = TITLE) -> Bold:
    return Bold(para(text, style), style.fontSize)


def heading(text: str) -> Bold:
    return Bold(para(text, HEADING), HEADING.fontSize)


class Label(Flowable):
    """A cheap table cell of one or more pre-broken lines, optionally bold; much lighter than a Paragraph."""

    def __init__(self, text: str, size: float, bold: bool = False, align: str = "CENTER",
                 leading: float | None = None) -> None:
        super().__init__()
        self.lines = text.split("\n")
        self.size = size
        self.bold = bold
        self.align = align
        self.leading = leading or size * 1.25
        self.width = 0.0
        self.height = self.leading * len(self.lines)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFont(FONT, self.size)
        mode = 0
        if self.bold:
            canv.setLineWidth(self.size * BOLD_STROKE)
            canv.setStrokeColor(INK)
            mode = 2
        y = self.height - self.size  # baseline of the first line, leaving the descent below
        for line in self.lines:
            if self.align == "CENTER":
                canv.drawCentredString(self.width / 2, y + self.size * 0.12, line, mode=mode)
            elif self.align == "RIGHT":
                canv.drawRightString(self.width, y + self.size * 0.12, line, mode=mode)
            else:
                canv.drawString(0, y + self.size * 0.12, line, mode=mode)
            y -= self.leading
        canv.restoreState()


def grid_style(*, header_rows: int = 1, size: float = 9.5, numeric: Sequence[int] = (),
               centered: Sequence[int] = (), padding: float = 4, total_rows: Sequence[int] = ()) -> TableStyle:
    """Bordered table: shaded header, hairline grid, heavier frame, numbers right-aligned, cells centred vertically."""
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.6),
    ]
    if header_rows:
        cmds += [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
                 ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER")]
    for col in numeric:
        cmds.append(("ALIGN", (col, header_rows), (col, -1), "RIGHT"))
    for col in centered:
        cmds.append(("ALIGN", (col, header_rows), (col, -1), "CENTER"))
    for row in total_rows:
        cmds.append(("BACKGROUND", (0, row), (-1, row), SUBTOTAL_FILL))
    return TableStyle(cmds)


def header_cells(labels: Sequence[str], size: float = 9.5) -> list[Label]:
    return [Label(label, size, bold=True) for label in labels]


def grid_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: Sequence[str] | None = None,
               size: float = 9.5, numeric: Sequence[int] = (), centered: Sequence[int] = (),
               total_rows: Sequence[int] = (), repeat_header: bool = True) -> Table:
    """A bordered table with a bold shaded header row (repeated when the table runs onto another page)."""
    data: list[Sequence[Any]] = []
    if header is not None:
        data.append(header_cells(header, size))
    data.extend(rows)
    header_rows = 1 if header is not None else 0
    table = Table(data, colWidths=list(widths), repeatRows=header_rows if repeat_header else 0, hAlign="CENTER")
    table.setStyle(grid_style(header_rows=header_rows, size=size, numeric=numeric,
                              centered=centered, total_rows=[r + header_rows for r in total_rows]))
    return table


class NumberedCanvas(Canvas):
    """Two-pass paging: pages are kept until the end, then each gets 第 X 页 共 Y 页 and is written out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT  # no Helvetica in any page's resources
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, 1):
            self.__dict__.update(state)
            self._page_number(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _page_number(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFont(FONT, 9)
        self.setFillColor(INK)
        self.drawCentredString(width / 2, 9 * mm, f"第 {number} 页 共 {total} 页")
        self.restoreState()


class ReportDocument(BaseDocTemplate):
    """A4 document with one frame; a running header (unit and document name) from the second page on."""

    def __init__(self, path: Path, *, pagesize: tuple[float, float] = PORTRAIT, doc_title: str, unit: str,
                 margins: tuple[float, float, float, float] | None = None, running_title: str | None = None) -> None:
        left, right, top, bottom = margins or (20 * mm, 20 * mm, 20 * mm, 18 * mm)
        super().__init__(str(path), pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                         bottomMargin=bottom, title=doc_title, author=unit, creator=APP_NAME, subject=doc_title,
                         initialFontName=FONT)
        self.running_title = running_title or doc_title
        self.unit = unit
        frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._running_header, pagesize=pagesize)])

    def _running_header(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if doc.page == 1:
            return
        width, height = self.pagesize
        y = height - self.topMargin + 5 * mm
        canv.saveState()
        canv.setFont(FONT, 8.5)
        canv.setFillColor(MUTED)
        canv.drawString(self.leftMargin, y, self.unit)
        canv.drawRightString(width - self.rightMargin, y, self.running_title)
        canv.setStrokeColor(MUTED)
        canv.setLineWidth(0.4)
        canv.line(self.leftMargin, y - 2 * mm, width - self.rightMargin, y - 2 * mm)
        canv.restoreState()

    def render(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=NumberedCanvas)


def layout_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *extra: tuple[Any, ...],
                 row_heights: Sequence[float] | None = None) -> Table:
    """A borderless table used only to place things side by side.

    Every table names the font for all its cells: reportlab selects a cell's font even for an empty or
    flowable cell, and its default would put a non-embedded Helvetica into the page's resources.
    """
    table = Table(rows, colWidths=list(widths), rowHeights=row_heights, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), *extra]))
    return table


def name_grid(entries: Sequence[str], width: float, columns: int = 3, size: float = 9.5) -> Table:
    """People listed in even columns, row by row (a table can break between rows, so long lists page fine)."""
    col = width / columns
    style = CELL if size == CELL.fontSize else _style(f"cell{size}", size, size * 1.35)
    limit = col - 6

    def cell(text: str) -> Any:
        # Most entries fit on one line: draw those directly, wrap only the long ones.
        return Label(text, size, align="LEFT") if text_width(text, size) <= limit else para(text, style)

    rows = [[cell(e) for e in entries[i:i + columns]] for i in range(0, len(entries), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] += [""] * (columns - len(rows[-1]))
    return layout_table(rows or [[""] * columns], [col] * columns, ("LEFTPADDING", (0, 0), (-1, -1), 3),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE))


def signature_block(width: float, *, stamp: bool = True, reporter: str | None = None) -> Table:
    """填报人 / 审核人 / 日期 with lines to sign on, and the place for the unit's stamp.

    reporter: the secretary's name saved at first start (setting "operator"), printed as 填报人; else a line.
    """
    line = "＿" * 8
    filled = reporter.strip() if reporter and reporter.strip() else line  # para() escapes it
    rows = [[para("填报人：" + filled, META), para("审核人：" + line, META)],
            [para("联系电话：" + line, META), para("填报日期：＿＿＿＿年＿＿月＿＿日", META)],
            ["", para("（单位盖章）" if stamp else "", META)]]
    return layout_table(rows, [width / 2, width / 2], ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        row_heights=[30, 30, 40])
