"""The roster table model: holds only the matching ids, fetches rows a page at a time as they scroll in."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from registry.rules.idnumber import mask_id
from registry.services.party_ages import party_ages
from registry.services.search import ORDERS, PeopleFilter, rows_for_ids, search_ids
from registry.storage.database import Registry

# (key, header, shown by default)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "姓名", True), ("gender", "性别", True), ("category", "人员类别", True), ("flowing", "流动党员", True),
    ("outlet", "所在网点", True), ("brand", "快递品牌", True), ("organization", "所在党组织", True),
    ("id_number", "公民身份号码", True), ("phone", "联系电话", True), ("joined_on", "入党时间", True),
    ("full_on", "转正时间", False), ("party_age", "党龄", False), ("birth_date", "出生日期", False), ("ethnicity", "民族", False),
    ("education", "学历", False), ("job", "工作岗位", False), ("home_organization", "组织关系所在党组织", False),
    ("reported_on", "报到日期", False), ("activist_on", "确定积极分子日期", False),
    ("target_on", "列为发展对象日期", False), ("notes", "备注", False),
)
PAGE = 200
CACHED_PAGES = 50
Index = QModelIndex | QPersistentModelIndex


class RosterModel(QAbstractTableModel):
    """Rows are person ids in display order; a row's fields are read from the registry on first view."""

    def __init__(self, reg: Registry, parent: Any = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.ids: list[int] = []
        self.filter = PeopleFilter()
        self.order = "stroke"
        self.descending = False
        self.show_full_id = False
        self.columns = [c for c in COLUMNS if c[2]]
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()

    # Queries ---------------------------------------------------------------------------------------
    def set_filter(self, f: PeopleFilter) -> None:
        self.filter = f
        self.refresh()

    def set_order(self, order: str, descending: bool = False) -> None:
        self.order, self.descending = order, descending
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.ids = search_ids(self.reg, self.filter, self.order, self.descending)
        self._pages.clear()
        self.endResetModel()

    def set_visible_columns(self, keys: list[str]) -> None:
        self.beginResetModel()
        self._pages.clear()  # a page read without the 党龄 column has none to show
        self.columns = [c for c in COLUMNS if c[0] in keys] or [COLUMNS[0]]
        self.endResetModel()

    def set_show_full_id(self, show: bool) -> None:
        self.show_full_id = show
        if self.ids:
            col = next((i for i, c in enumerate(self.columns) if c[0] == "id_number"), None)
            if col is not None:
                self.dataChanged.emit(self.index(0, col), self.index(len(self.ids) - 1, col))

    def row(self, row: int) -> dict[str, Any]:
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = rows_for_ids(self.reg, self.ids[page * PAGE:(page + 1) * PAGE])
            if any(c[0] == "party_age" for c in self.columns):  # computed only while the column is shown
                ages = party_ages(self.reg, [r["id"] for r in rows])
                rows = [{**r, "party_age": ages.get(r["id"])} for r in rows]
            self._pages[page] = rows
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[row - page * PAGE]

    def person_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    # Qt --------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1] if 0 <= section < len(self.columns) else None
        return section + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        key = self.columns[index.column()][0]
        value = self.row(index.row()).get(key)
        if key == "flowing":
            return "是" if value else ""
        if key == "id_number" and value and not self.show_full_id:
            return mask_id(value)
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column][0] if 0 <= column < len(self.columns) else "name"
        by = key if key in ORDERS and key not in ("id",) else "stroke"
        if key == "name":
            by = "stroke"
        self.set_order(by, order == Qt.SortOrder.DescendingOrder)
