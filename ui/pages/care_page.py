"""The 关爱阵地 page: the station list (sortable, filtered, exported), coverage per 街道, merchants and care streets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.exporting.stations_xlsx import COLUMNS, export_stations, station_cells
from registry.reports.care_section import NOTE, STREET_HEADER, street_rows, summary_sentence
from registry.rules.care import visit_months
from registry.services.care_coverage import care_coverage
from registry.services.care_lists import (
    delete_care_street,
    delete_merchant,
    list_care_streets,
    list_merchants,
)
from registry.services.stations import (
    StationRow,
    delete_station,
    list_stations,
    station_services,
    station_types,
)
from registry.storage.database import Registry
from ui import file_dialogs
from ui.dialogs.care_list_dialogs import CareStreetDialog, MerchantDialog
from ui.dialogs.station_dialog import StationDialog, VisitsDialog
from ui.dialogs.station_import_dialog import StationImportDialog
from ui.table_model import HeaderedTableModel
from ui.widgets.flow_layout import FlowLayout

Index = QModelIndex | QPersistentModelIndex
ALL = "全部"
NUMERIC = {i for i, (_, _, numeric) in enumerate(COLUMNS) if numeric}
NOTE_STYLE = "color: #5f5f5f;"


class StationModel(HeaderedTableModel):
    """The stations as the export writes them (序号 … 备注); numbers sort as numbers."""

    HEADERS = tuple(h for h, _, _ in COLUMNS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[StationRow] = []
        self.cells: list[list[object]] = []

    def set_rows(self, rows: list[StationRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.cells = [station_cells(i, r) for i, r in enumerate(rows, 1)]
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:  # the sort key
            return value if index.column() in NUMERIC else ("" if value is None else str(value))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 10:
            return str(value or "")
        return None


def _table(headers: tuple[str, ...] | list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSortingEnabled(True)
    return table


def _fill(table: QTableWidget, rows: list[list[object]] | list[tuple[object, ...]], key: list[object]) -> None:
    sortable = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            item = QTableWidgetItem()
            if isinstance(value, int | float):
                item.setData(Qt.ItemDataRole.DisplayRole, value)
            else:
                item.setText("" if value is None else str(value))
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key[r])
            table.setItem(r, c, item)
    table.setSortingEnabled(sortable)
    table.resizeColumnsToContents()


class CarePage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self._total = 0
        self.tabs = QTabWidget()
        self.tabs.addTab(self._stations_tab(), "驿站")
        self.tabs.addTab(self._coverage_tab(), "各街道覆盖")
        self.tabs.addTab(self._merchants_tab(), "暖蜂商户和一条街")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    # Stations ------------------------------------------------------------------------------------------
    def _stations_tab(self) -> QWidget:
        tab = QWidget()
        self.type_box, self.street_box, self.service_box = QComboBox(), QComboBox(), QComboBox()
        for box in (self.type_box, self.street_box, self.service_box):
            box.currentIndexChanged.connect(self.refresh_stations)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称、地址、社区")
        self.search.setClearButtonEnabled(True)
        filters = FlowLayout(spacing=6)
        for label, box in (("类型：", self.type_box), ("街道：", self.street_box), ("服务：", self.service_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.add(self.search, 1)
        self.model = StationModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_station())
        for column, (_, width, _) in enumerate(COLUMNS):
            self.table.setColumnWidth(column, int(width * 7))
        buttons = FlowLayout(spacing=6)
        for text, slot in (("新增驿站…", self.add_station), ("编辑…", self.edit_station), ("删除", self.delete_station),
                           ("登记服务人次…", self.visits), ("导入驿站名单…", self.import_list),
                           ("导出 Excel…", self.export)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.count = QLabel()
        self.count.setStyleSheet(NOTE_STYLE)
        self.count.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        return tab

    def _search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _choices(self, box: QComboBox, items: list[str]) -> None:
        current = box.currentText()
        box.blockSignals(True)
        box.clear()
        box.addItems([ALL, *items])
        box.setCurrentText(current if current in items else ALL)
        box.blockSignals(False)

    def refresh(self) -> None:
        every = list_stations(self.reg)
        self._total = len(every)
        self._choices(self.type_box, [t.name for t in station_types(self.reg)])
        self._choices(self.street_box, sorted({r["street"] for r in every if r["street"]}))
        self._choices(self.service_box, station_services(self.reg))
        self.refresh_stations()
        self.refresh_coverage()
        self.refresh_lists()

    def _filter(self, box: QComboBox) -> str | None:
        return None if box.currentText() == ALL else box.currentText()

    def refresh_stations(self) -> None:
        rows = list_stations(self.reg, type=self._filter(self.type_box), street=self._filter(self.street_box),
                             service=self._filter(self.service_box))
        self.model.set_rows(rows)
        self._count()

    def _count(self) -> None:
        self.count.setText(f"共{self.proxy.rowCount()}个驿站（全部{self._total}个）。"
                           "双击一行可编辑；服务内容含“党员报到处”的驿站是流动党员的报到点。")

    def visible_rows(self) -> list[StationRow]:
        """The stations in view, in the order shown: what the export writes."""
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def selected_station(self) -> StationRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def _after(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.refresh()
            self.changed.emit()

    def add_station(self) -> None:
        self._after(StationDialog(self.reg, None, self))

    def edit_station(self) -> None:
        row = self.selected_station()
        if row is None:
            QMessageBox.information(self, "编辑驿站", "请先在列表中选中一个驿站。")
            return
        self._after(StationDialog(self.reg, row["id"], self))

    def visits(self) -> None:
        row = self.selected_station()
        if row is None:
            QMessageBox.information(self, "登记服务人次", "请先在列表中选中一个驿站。")
            return
        self._after(VisitsDialog(self.reg, row["id"], date.today().strftime("%Y-%m"), self))

    def delete_station(self) -> None:
        row = self.selected_station()
        if row is None:
            QMessageBox.information(self, "删除驿站", "请先在列表中选中一个驿站。")
            return
        extra = f"在此报到的{row['reported']}名流动党员的报到记录会保留（报到点名称照旧），不再关联到驿站。" \
            if row["reported"] else ""
        answer = QMessageBox.question(self, "删除驿站", f"确定要删除驿站“{row['name']}”及其各月服务人次吗？{extra}")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            done = delete_station(self.reg, row["id"])
        except UserError as exc:
            QMessageBox.warning(self, "删除驿站", exc.message)
            return
        self.refresh()
        self.changed.emit()
        QMessageBox.information(self, "删除驿站", done.sentence(row["name"]))

    def import_list(self) -> None:
        self._after(StationImportDialog(self.reg, self))

    def export(self) -> None:
        rows = self.visible_rows()
        default = str(Path.home() / f"驿站名单_{date.today().isoformat()}.xlsx")
        name, _ = file_dialogs.get_save_file_name(self, "导出驿站名单", default, "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        out = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        try:
            count = export_stations(self.reg, rows, out)
        except UserError as exc:
            QMessageBox.warning(self, "导出驿站名单", exc.message)
            return
        QMessageBox.information(self, "导出驿站名单", f"已把{count}个驿站导出到“{out}”。")

    # Coverage ------------------------------------------------------------------------------------------
    def _coverage_tab(self) -> QWidget:
        tab = QWidget()
        self.coverage_text = QLabel()
        self.coverage_text.setWordWrap(True)
        self.coverage = _table(STREET_HEADER)
        # A summary per 街道 with its 合计 as the last row, as the report prints it: sorting would move the 合计
        # (and Qt's order of Chinese text is not the same on every system).
        self.coverage.setSortingEnabled(False)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.coverage_text)
        layout.addWidget(self.coverage, 1)
        layout.addWidget(note)
        return tab

    def refresh_coverage(self) -> None:
        today = date.today()
        months = visit_months(today, today)
        care = {"coverage": care_coverage(self.reg, today, months).as_dict(), "months": months, "half": True}
        self.coverage_text.setText(f"截至今天（本月服务人次）：{summary_sentence(care)}")
        rows = street_rows(care)
        _fill(self.coverage, rows, [r[0] for r in rows])

    # Merchants and care streets -----------------------------------------------------------------------------
    def _merchants_tab(self) -> QWidget:
        tab = QWidget()
        self.merchants = _table(("商户", "街道", "社区", "提供的服务", "关联驿站", "暖蜂一条街", "联系电话"))
        self.merchants.doubleClicked.connect(lambda _index: self.edit_merchant())
        self.streets = _table(("暖蜂一条街", "区", "街道", "商户数", "备注"))
        self.streets.doubleClicked.connect(lambda _index: self.edit_street())
        merchant_buttons, street_buttons = QHBoxLayout(), QHBoxLayout()
        for layout, actions in ((merchant_buttons, (("新增商户…", self.add_merchant), ("编辑…", self.edit_merchant),
                                                    ("删除", self.delete_merchant))),
                                (street_buttons, (("新增一条街…", self.add_street), ("编辑…", self.edit_street),
                                                  ("删除", self.delete_street)))):
            for text, slot in actions:
                button = QPushButton(text)
                button.clicked.connect(slot)
                layout.addWidget(button)
            layout.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel("暖蜂商户："))
        layout.addWidget(self.merchants, 2)
        layout.addLayout(merchant_buttons)
        layout.addWidget(QLabel("暖蜂一条街："))
        layout.addWidget(self.streets, 1)
        layout.addLayout(street_buttons)
        return tab

    def refresh_lists(self) -> None:
        merchants = list_merchants(self.reg)
        _fill(self.merchants, [(m["name"], m["street"], m["community"], m["offers"], m["station"], m["care_street"],
                                m["phone"]) for m in merchants], [m["id"] for m in merchants])
        streets = list_care_streets(self.reg)
        _fill(self.streets, [(s["name"], s["district"], s["street"], s["merchants"], s["notes"]) for s in streets],
              [s["name"] for s in streets])

    def _key(self, table: QTableWidget) -> Any:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def add_merchant(self) -> None:
        self._after(MerchantDialog(self.reg, None, self))

    def edit_merchant(self) -> None:
        key = self._key(self.merchants)
        if key is not None:
            self._after(MerchantDialog(self.reg, int(key), self))

    def delete_merchant(self) -> None:
        key = self._key(self.merchants)
        row = next((m for m in list_merchants(self.reg) if m["id"] == key), None)
        if row is None:
            return
        if QMessageBox.question(self, "删除暖蜂商户", f"确定要删除暖蜂商户“{row['name']}”吗？") \
                != QMessageBox.StandardButton.Yes:
            return
        delete_merchant(self.reg, row["name"], row["community"])
        self.refresh_lists()
        self.changed.emit()

    def add_street(self) -> None:
        self._after(CareStreetDialog(self.reg, None, self))

    def edit_street(self) -> None:
        key = self._key(self.streets)
        if key is not None:
            self._after(CareStreetDialog(self.reg, str(key), self))

    def delete_street(self) -> None:
        key = self._key(self.streets)
        if key is None:
            return
        if QMessageBox.question(self, "删除暖蜂一条街", f"确定要删除“{key}”吗？街上的商户会保留。") \
                != QMessageBox.StandardButton.Yes:
            return
        delete_care_street(self.reg, str(key))
        self.refresh_lists()
        self.changed.emit()
