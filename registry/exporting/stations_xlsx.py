"""The station list (关爱阵地驿站名单) as an .xlsx file: the rows a list shows, in its order, audited as an export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from registry import exports
from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter
from registry.services.stations import StationRow
from registry.storage.database import Registry

# (header, width, numeric) in the order of an official list; the 序号 column first.
COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("序号", 6, True), ("驿站名称", 24, False), ("类型", 14, False), ("类别", 6, False), ("区", 8, False),
    ("街道", 12, False), ("社区", 12, False), ("地址", 26, False), ("承建单位", 20, False), ("开放时间", 12, False),
    ("服务内容", 30, False), ("联系人", 10, False), ("联系电话", 15, False), ("启用日期", 11, False),
    ("停用日期", 11, False), ("累计服务人次", 10, True), ("报到党员", 8, True), ("备注", 20, False),
)


def station_cells(i: int, r: StationRow) -> list[object]:
    return [i, r["name"], r["type"], r["class_"], r["district"], r["street"], r["community"], r["address"],
            r["host_unit"], r["opening_hours"], "、".join(r["services"]), r["contact"], r["phone"], r["opened_on"],
            r["closed_on"], r["visits"], r["reported"], r["notes"]]


def export_stations(reg: Registry, rows: Sequence[StationRow], out: Path, title: str = "关爱阵地（驿站）名单") -> int:
    """Write the rows to `out` (.xlsx); returns how many were written."""
    out = exports.check_target(out, (".xlsx",), "驿站名单", "驿站名单.xlsx")

    def write(tmp: Path) -> int:
        with XlsxWriter(tmp, title=title) as book:
            sheet = book.add_sheet("驿站名单", [ColumnSpec(width, center=False, numeric=num) for _, width, num in COLUMNS])
            sheet.title(title)
            sheet.header([h for h, _, _ in COLUMNS])
            sheet.freeze_below_header()
            sheet.rows(station_cells(i, r) for i, r in enumerate(rows, 1))
        return len(rows)

    return exports.publish(reg, out, action="station.export", summary=f"导出驿站名单{len(rows)}个 {out.name}",
                           write=write, detail={"format": "xlsx", "report": "stations", "rows": len(rows)})
