"""Official paperwork written once as an abstract document (title, lines, form tables) and rendered as a PDF.

The development papers (纪实, 考察登记表, 公示, 政审, 支部大会表决记录) are built as a list of blocks; this module
renders them with reportlab and the embedded CJK font, registry.reports.paper_xlsx renders the same blocks as an
editable workbook for the secretaries who fill a form by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from registry.reports.styles import (
    BODY,
    CELL,
    CELL_LABEL,
    HEADER_FILL,
    LABEL_FILL,
    META,
    NOTE,
    PORTRAIT,
    SMALL_CELL,
    TITLE,
    Bold,
    ReportDocument,
    _style,
    grid_style,
    heading,
    layout_table,
    para,
    signature_block,
    title,
)

MARGINS = (20 * mm, 20 * mm, 20 * mm, 18 * mm)
WIDTH = PORTRAIT[0] - MARGINS[0] - MARGINS[1]
BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"
CELL_HEIGHT = 520.0  # points: the tallest a cell of the PDF may grow (the workbook keeps the whole text)
LONG_TABLE = 12  # rows: a table this long may start on the page its heading is on
BAND = _style("paper_band", 10, 14)
CENTER = _style("paper_center", 9.5, 13, TA_CENTER)
SMALL_CENTER = _style("paper_small_center", 8.5, 11.5, TA_CENTER)
RIGHT = _style("paper_right", 10.5, 20, TA_RIGHT)
NOTICE_TITLE = _style("paper_notice_title", 18, 26, TA_CENTER, spaceAfter=6)
NOTICE = _style("paper_notice", 12, 24, TA_LEFT, firstLineIndent=24)
NOTICE_RIGHT = _style("paper_notice_right", 12, 24, TA_RIGHT)


@dataclass(frozen=True)
class Cell:
    """One cell of a form table: a label (shaded, centred), a value, or a band (a shaded line across a table)."""

    text: str = ""
    span: int = 1
    kind: str = "value"  # value | label | band | header
    lines: int = 1  # the least number of text lines the cell is tall: room to write by hand
    center: bool = False
    small: bool = False  # 8.5-point text: citations and other secondary columns


@dataclass(frozen=True)
class Block:
    """One piece of a paper: title, meta (left and right text), heading, text, table, note, space, signature."""

    kind: str
    text: str = ""
    right: str = ""
    rows: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = ()  # fractions of the text width
    header_rows: int = 0
    style: str = "body"  # text: body | right | notice | notice_right | plain


@dataclass
class Paper:
    """A whole paper: what it is called (for the file's title and the running header) and its blocks."""

    name: str
    unit: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **kw: Any) -> Paper:
        self.blocks.append(Block(kind, text, **kw))
        return self

    def table(self, rows: list[list[Cell]], widths: list[float], header_rows: int = 0) -> Paper:
        total = sum(widths)
        for row in rows:
            if sum(c.span for c in row) != len(widths):
                raise ValueError(f"row spans {sum(c.span for c in row)} of {len(widths)} columns: {row}")
        self.blocks.append(Block("table", rows=tuple(tuple(r) for r in rows),
                                 widths=tuple(w / total for w in widths), header_rows=header_rows))
        return self


def label(text: str, span: int = 1, lines: int = 1) -> Cell:
    return Cell(text, span, "label", lines)


def value(text: object, span: int = 1, lines: int = 1, center: bool = False, small: bool = False) -> Cell:
    return Cell("" if text is None else str(text), span, "value", lines, center, small)


def band(text: str, span: int) -> Cell:
    return Cell(text, span, "band")


def header(text: str) -> Cell:
    return Cell(text, 1, "header")


_TEXT_STYLES = {"body": BODY, "right": RIGHT, "notice": NOTICE, "notice_right": NOTICE_RIGHT, "plain": META}


def _cell(c: Cell, width: float) -> Any:
    style = CELL_LABEL if c.kind in ("label", "header") else BAND if c.kind == "band" else (
        (SMALL_CENTER if c.center else SMALL_CELL) if c.small else CENTER if c.center else CELL)
    text = c.text
    while True:
        markup = escape(text).replace("\n", "<br/>")
        if c.lines > 1:
            markup += "<br/>" * (c.lines - 1 - markup.count("<br/>"))
        cell = Paragraph(markup, style)
        # A table row cannot continue onto another page: free text is cut to what a cell holds on one page.
        height = cell.wrap(width - 8, 10_000)[1]
        if height <= CELL_HEIGHT or len(text) < 20:
            break
        text = text[:int(len(text) * CELL_HEIGHT / height * 0.95)].rstrip() + "…"
    if c.kind in ("band", "header"):  # the single-weight face drawn bold, as the other reports' headers are
        return Bold(cell, style.fontSize)
    return cell


def _table(b: Block) -> Table:
    widths = [WIDTH * w for w in b.widths]
    data: list[list[Any]] = []
    style = grid_style(header_rows=0, padding=4)
    for r, row in enumerate(b.rows):
        out: list[Any] = []
        col = 0
        for c in row:
            out.append(_cell(c, sum(widths[col:col + c.span])))
            out.extend([""] * (c.span - 1))
            if c.span > 1:
                style.add("SPAN", (col, r), (col + c.span - 1, r))
            if c.kind in ("label", "header"):
                style.add("BACKGROUND", (col, r), (col + c.span - 1, r), LABEL_FILL if c.kind == "label" else
                          HEADER_FILL)
            elif c.kind == "band":
                style.add("BACKGROUND", (col, r), (col + c.span - 1, r), HEADER_FILL)
            col += c.span
        data.append(out)
    table = Table(data, colWidths=widths, repeatRows=b.header_rows, hAlign="CENTER")
    table.setStyle(style)
    return table


def story(paper: Paper) -> list[Flowable]:
    """The paper's blocks as reportlab flowables."""
    out: list[Flowable] = []
    for i, b in enumerate(paper.blocks):
        if b.kind == "title":
            out += [title(b.text, NOTICE_TITLE if b.style == "notice" else TITLE), Spacer(1, 4)]
        elif b.kind == "meta":
            out += [layout_table([[para(b.text, META), para(b.right, META)]], [WIDTH * 0.62, WIDTH * 0.38]),
                    Spacer(1, 4)]
        elif b.kind == "heading":
            out.append(heading(b.text))
            following = paper.blocks[i + 1] if i + 1 < len(paper.blocks) else None
            if following is not None and following.kind == "table" and len(following.rows) > LONG_TABLE:
                # Kept with a table longer than a page, the heading would drag it whole onto the next page.
                out[-1].keepWithNext = 0
        elif b.kind == "text":
            out.append(para(b.text, _TEXT_STYLES[b.style]))
        elif b.kind == "note":
            out.append(para(b.text, NOTE))
        elif b.kind == "space":
            out.append(Spacer(1, float(b.text or 10)))
        elif b.kind == "table":
            out.append(_table(b))
        elif b.kind == "signature":
            # The lines to sign stay on the page of what they sign: the last paragraph or a short table.
            before = paper.blocks[i - 1] if i else None
            kept = [out.pop()] if before is not None and len(before.rows) <= LONG_TABLE and out else []
            out.append(KeepTogether([*kept, Spacer(1, 12), signature_block(WIDTH, reporter=b.text or None)]))
        else:
            raise ValueError(f"unknown block {b.kind}")
    return out


def render_pdf(paper: Paper, out: Path) -> int:
    """Write the paper as an A4 portrait PDF; returns the number of pages."""
    doc = ReportDocument(Path(out), pagesize=PORTRAIT, doc_title=paper.name, unit=paper.unit, margins=MARGINS)
    doc.render(story(paper))
    return int(doc.page)
