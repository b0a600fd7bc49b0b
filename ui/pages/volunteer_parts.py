"""Pieces of the 志愿服务 page: a sortable table of plain rows, and saving a list to .xlsx."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, QStandardPaths, Qt
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QTableView, QWidget

from registry.errors import UserError
from ui import file_dialogs
from ui.table_model import HeaderedTableModel, Index

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole


class RowsModel(HeaderedTableModel):
    """Rows of display values with the id each row stands for; numbers sort as numbers."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = tuple(headers)  # type: ignore[misc]
        self.rows: list[tuple[Any, ...]] = []
        self.ids: list[Any] = []

    def set_rows(self, rows: Sequence[Sequence[Any]], ids: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows, self.ids = [tuple(r) for r in rows], list(ids)
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        if role == SORT_ROLE:
            return value if isinstance(value, int | float) else "" if value is None else str(value)
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def sortable_table(model: RowsModel, widths: Sequence[int] = ()) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a click
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view, proxy


def selected_id(view: QTableView) -> Any:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].data(ID_ROLE) if rows else None


def shown_order(view: QTableView, proxy: QSortFilterProxyModel, items: Sequence[Any]) -> list[Any]:
    """The items of the source rows in the order the (sorted) view shows them."""
    return [items[proxy.mapToSource(proxy.index(r, 0)).row()] for r in range(proxy.rowCount())]


def save_xlsx(parent: QWidget, title: str, stem: str, write: Callable[[Path], None]) -> None:
    """Ask where, then write; a refusal (bad name, full disk) is one sentence in a box."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    name, _ = file_dialogs.get_save_file_name(parent, title, str(Path(folder) / f"{stem}_{date.today():%Y%m%d}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
    if not name:
        return
    out = Path(name) if Path(name).suffix else Path(f"{name}.xlsx")
    try:
        write(out)
    except UserError as exc:
        QMessageBox.warning(parent, "无法导出", exc.message)
        return
    QMessageBox.information(parent, "导出完成", f"已保存到 {out}")
