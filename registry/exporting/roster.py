"""Exporting the roster (花名册) as the official .xlsx layout or as CSV, with the export recorded in the audit log."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from registry import exports
from registry.errors import UserError
from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter
from registry.fields import PERSON_BY_KEY, ROSTER_KEYS
from registry.rules.idnumber import mask_id
from registry.rules.text import formula_safe
from registry.services.search import ORDERS, PeopleFilter, search_people
from registry.storage.database import Registry

DEFAULT_UNIT = "快递行业"
SHEET_NAME = "花名册"
SERIAL_LABEL = "序号"
FORMATS = (".xlsx", ".csv")

# (width in characters, centred); a Chinese character is about two characters wide.
_KIND_LAYOUT = {"date": (11, True), "id": (21, True), "phone": (14, True), "bool": (8, True),
                "gender": (6, True), "category": (12, True), "ref": (18, False), "text": (12, False)}
_KEY_LAYOUT = {"name": (10, True), "ethnicity": (8, True), "education": (8, True), "status": (9, True),
               "job": (11, True), "brand": (11, True), "organization": (26, False), "home_organization": (28, False),
               "flow_destination": (16, False),
               "address": (26, False), "notes": (16, False)}
_YES_NO = {1: "是", 0: "否"}  # True and False hash as 1 and 0
# The official items 是否流动党员 (+外出流向): 外出流向 follows 组织关系所在党组织, so that both directions of
# flowing members read back as they were (是 + 组织关系所在党组织 elsewhere: 流入; 是 + 外出流向: 流出).
_HOME_AT = ROSTER_KEYS.index("home_organization")
ROSTER_COLUMNS: tuple[str, ...] = (*ROSTER_KEYS[:_HOME_AT + 1], "flow_destination", *ROSTER_KEYS[_HOME_AT + 1:])
_BOOL_AT = tuple(i for i, key in enumerate(ROSTER_COLUMNS) if PERSON_BY_KEY[key].kind == "bool" and key != "flowing")
_ID_AT = ROSTER_COLUMNS.index("id_number")
_FLOWING_AT = ROSTER_COLUMNS.index("flowing")
_HOME_COLUMN_AT = ROSTER_COLUMNS.index("home_organization")
_DESTINATION_AT = ROSTER_COLUMNS.index("flow_destination")
_pick = itemgetter(*ROSTER_COLUMNS)
# 是否流动党员 by relation: both directions are flowing members; 待核实 says so (and reads back as 待核实).
_FLOWING_CELL = {"流入": "是", "流出": "是", "在册": "否", "待核实": "待核实"}


def roster_labels() -> list[str]:
    """The header row: 序号, then the Chinese labels of the roster columns in official order."""
    return [SERIAL_LABEL, *(PERSON_BY_KEY[key].label for key in ROSTER_COLUMNS)]


def roster_columns() -> list[ColumnSpec]:
    specs = [ColumnSpec(6, center=True, numeric=True)]
    for key in ROSTER_COLUMNS:
        width, center = _KEY_LAYOUT.get(key) or _KIND_LAYOUT[PERSON_BY_KEY[key].kind]
        specs.append(ColumnSpec(width, center=center))
    return specs


def roster_values(people: Iterable[Mapping[str, Any]], show_id: bool = True) -> Iterator[list[Any]]:
    """Each person's roster cells (without 序号): 是/否 for yes/no fields, None for empty, ID masked on request.

    是否流动党员 is 是 for 流入 and 流出; 组织关系所在党组织 is shown for 流入 only, 外出流向 for 流出 only.
    """
    for person in people:
        values = list(_pick(person))
        for i in _BOOL_AT:
            values[i] = _YES_NO.get(values[i])
        relation = person.get("relation") or ("流入" if person.get("flowing") else "在册")
        values[_FLOWING_AT] = _FLOWING_CELL.get(relation)
        if relation != "流入":
            values[_HOME_COLUMN_AT] = None
        if relation != "流出":
            values[_DESTINATION_AT] = None
        if not show_id and values[_ID_AT]:
            values[_ID_AT] = mask_id(values[_ID_AT])
        yield values


def csv_cell(value: object) -> str:
    """A CSV cell that Excel will not run as a formula.

    Text starting with = + - @, a tab or CR gets one leading apostrophe, as does text that already starts
    with one; a reader that strips exactly one leading apostrophe therefore gets every value back unchanged.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text and (not formula_safe(text) or text.startswith("'")):
        return "'" + text
    return text


def export_roster(reg: Registry, out: Path, f: PeopleFilter | None = None, order: str = "stroke",
                  show_id: bool = True, unit: str | None = None, on: date | None = None) -> int:
    """Write the roster to `out` (.xlsx or .csv by suffix) and record the export; returns the number of people."""
    out = exports.check_name(out)  # Windows' naming rules first: "花名册.xlsx." has no suffix to speak of
    kind = out.suffix.lower()
    if kind not in FORMATS:
        raise UserError(f"花名册只能导出为.xlsx（Excel工作簿）或.csv文件，不能导出为“{out.suffix or '无扩展名'}”，"
                        "请把文件名的扩展名改为.xlsx或.csv后重试。")
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    f = f or PeopleFilter()
    people = search_people(reg, f, order=order)
    n = len(people)
    rows = roster_values(people, show_id)

    def write(tmp: Path) -> None:
        if kind == ".xlsx":
            _write_xlsx(tmp, rows, n, unit or reg.setting("unit") or DEFAULT_UNIT, on or date.today())
        else:
            _write_csv(tmp, rows)

    exports.publish(reg, out, action="export.roster", summary=f"导出花名册 {out.name}（{n}人）", write=write,
                    detail={"format": kind[1:], "rows": n, "order": order, "filter": asdict(f), "show_id": show_id})
    return n


def _write_xlsx(path: Path, rows: Iterable[list[Any]], n: int, unit: str, on: date) -> None:
    title = f"{unit}党员和入党积极分子花名册"
    with XlsxWriter(path, title=title) as writer:
        sheet = writer.add_sheet(SHEET_NAME, roster_columns())
        sheet.title(title)
        sheet.subtitle(f"填报单位（盖章）：{unit}　　　　填报日期：{on.year}年{on.month}月{on.day}日　　　　共 {n} 人")
        sheet.header(roster_labels())
        sheet.freeze_below_header()
        sheet.print_setup()
        sheet.rows([i, *values] for i, values in enumerate(rows, 1))


def _write_csv(path: Path, rows: Iterable[list[Any]]) -> None:
    # utf-8-sig: the BOM makes Excel on Chinese Windows read UTF-8 instead of GBK.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")  # CRLF, as Windows and Excel write it, on every platform
        writer.writerow(roster_labels())
        writer.writerows([str(i), *map(csv_cell, values)] for i, values in enumerate(rows, 1))
