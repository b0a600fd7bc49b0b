"""The roster (花名册) as a PDF: A4 landscape, the export's filters, order and cells, ID numbers masked.

The cells are the Excel export's (`roster_values`), as plain strings broken into lines with cached glyph
widths; `roster_table` draws them page by page with the header row repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from registry.display import cn_date
from registry.exporting.roster import ROSTER_COLUMNS, roster_labels, roster_values
from registry.reports.output import check_target, publish, reporting_unit
from registry.reports.roster_table import PADDING, LineBreaker, RosterGrid, RosterRows
from registry.reports.styles import (
    LANDSCAPE,
    META,
    ReportDocument,
    layout_table,
    para,
    title,
)
from registry.rules.membership import GROUP_LABELS
from registry.services.search import ORDERS, PeopleFilter, search_people
from registry.storage.database import Registry

MARGINS = (11 * mm, 11 * mm, 16 * mm, 15 * mm)
WIDTH = LANDSCAPE[0] - MARGINS[0] - MARGINS[1]
MAX_SIZE = 7.0
# Column widths in ems of the cell font: 18-digit IDs and dates on one line, long names over two. A row fills
# 组织关系所在党组织 (流入) or 外出流向 (流出), never both, so the two stay narrow.
EMS = {"serial": 3.0, "name": 4.4, "gender": 2.2, "ethnicity": 3.2, "id_number": 10.2, "birth_date": 5.7,
       "education": 3.2, "category": 6.1, "organization": 6.5, "joined_on": 5.7, "full_on": 5.7, "job": 5.1,
       "phone": 6.4, "address": 6.5, "status": 2.6, "lost_contact": 2.6, "lost_since": 5.7, "flowing": 2.6,
       "home_organization": 6.4, "flow_destination": 3.4, "outlet": 5.6, "brand": 4.2, "reported_on": 5.7, "notes": 4.2}
# Header labels broken where a reader would break them, not wherever the column happens to end.
HEADER_LINES = {"党籍状态": "党籍\n状态", "是否失联党员": "是否\n失联\n党员", "是否流动党员": "是否\n流动\n党员",
                "失去联系日期": "失去联系\n日期", "组织关系所在党组织": "组织关系\n所在党组织"}
CENTRED = {"serial", "gender", "ethnicity", "id_number", "birth_date", "education", "category", "joined_on",
           "full_on", "phone", "status", "lost_contact", "lost_since", "flowing", "reported_on", "brand"}


def column_layout(keys: Sequence[str] = ROSTER_COLUMNS, width: float = WIDTH) -> tuple[float, list[float]]:
    """The cell font size and column widths that fill `width` exactly."""
    ems = [EMS["serial"], *(EMS.get(k, 5.0) for k in keys)]  # a column added later gets a middling width
    size = min(MAX_SIZE, (width - 2 * PADDING * len(ems)) / sum(ems))
    scale = (width - 2 * PADDING * len(ems)) / (sum(ems) * size)
    return size, [e * size * scale + 2 * PADDING for e in ems]


def centred_columns(keys: Sequence[str] = ROSTER_COLUMNS) -> list[bool]:
    return [key in CENTRED for key in ("serial", *keys)]


def roster_cells(people: Iterable[dict[str, Any]], show_id: bool, size: float,
                 widths: Sequence[float]) -> tuple[list[str], list[list[str]]]:
    """Header labels and body rows as line-broken strings, exactly what the table draws."""
    breaker = LineBreaker(size)
    limits = [w - 2 * PADDING - 0.5 for w in widths]
    header = [breaker.lines(HEADER_LINES.get(label, label), limits[i], 4) for i, label in enumerate(roster_labels())]
    rows = []
    for n, values in enumerate(roster_values(people, show_id), 1):
        row = [str(n)]
        for i, v in enumerate(values, 1):
            row.append("" if v is None else breaker.lines(str(v), limits[i]))
        rows.append(row)
    return header, rows


def build_roster_pdf(people: list[dict[str, Any]], out: Path, *, unit: str, on: date, show_id: bool = False,
                     scope: str = "") -> int:
    """Write the roster of `people` (already filtered and ordered) to `out`; returns the number of pages."""
    size, widths = column_layout()
    header, rows = roster_cells(people, show_id, size, widths)
    doc_title = f"{unit}党员和入党积极分子花名册"
    doc = ReportDocument(Path(out), pagesize=LANDSCAPE, doc_title=doc_title, unit=unit, margins=MARGINS,
                         running_title="党员和入党积极分子花名册")
    facts = [para(f"填报单位（盖章）：{unit}", META), para(f"填报日期：{cn_date(on)}", META),
             para(f"共 {len(rows)} 人" + (f"（{scope}）" if scope else ""), META)]
    story = [title(doc_title), Spacer(1, 4),
             layout_table([facts], [WIDTH * 0.5, WIDTH * 0.2, WIDTH * 0.3], ("BOTTOMPADDING", (0, 0), (-1, -1), 4)),
             RosterRows(RosterGrid(header, rows, size, widths, centred_columns()))]
    doc.render(story)
    return doc.page


def describe_filter(f: PeopleFilter) -> str:
    """The filter in words, printed under the title so a partial roster is not mistaken for the whole."""
    parts = []
    if f.categories:
        parts.append("、".join(f.categories))
    if f.flowing is True:
        parts.append("流入党员")
    elif f.flowing is False:
        parts.append("在册人员")
    parts.extend(GROUP_LABELS.get(g, g) for g in f.groups)  # a dashboard figure's people
    if f.lost_contact:
        parts.append("失联党员")
    if f.outlet:
        parts.append(f"网点：{f.outlet}")
    if f.brand:
        parts.append(f"品牌：{f.brand}")
    if f.text:
        parts.append(f"含“{f.text}”")
    if f.include_left:
        parts.append("含已离开人员")
    return "；".join(parts)


def write_roster_report(reg: Registry, out: Path, f: PeopleFilter | None = None, *, order: str = "stroke",
                        show_id: bool = False, unit: str | None = None, org: str | None = None,
                        on: date | None = None) -> dict[str, Any]:
    """The roster PDF with the export's filters and order, recorded in the audit log; returns counts."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    check_target(out)
    f = f or PeopleFilter()
    people = search_people(reg, f, order=order)
    unit = unit or reporting_unit(reg, org)
    scope = describe_filter(f)
    pages = publish(reg, Path(out), "roster", f"花名册（{len(people)}人）",
                    {"rows": len(people), "order": order, "filter": asdict(f), "show_id": show_id},
                    lambda tmp: build_roster_pdf(people, tmp, unit=unit, on=on or date.today(), show_id=show_id,
                                                 scope=scope))
    return {"people": len(people), "pages": pages}
