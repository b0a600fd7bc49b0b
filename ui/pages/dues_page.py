"""The 党费 page: the year's grid (members × months, paid cells marked), filters, and the dues actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_date
from registry.errors import UserError
from registry.services import dues
from registry.services.dues_export import export_dues
from registry.services.dues_ledger import bases_of
from registry.services.dues_lists import GRID_FILTERS, grid_note, grid_rows, year_summary
from registry.services.organizations import list_orgs, subtree_ids
from registry.storage.database import Registry
from ui import file_dialogs
from ui.dialogs.dues_dialog import DuesBaseDialog, DuesPaymentDialog
from ui.table_model import HeaderedTableModel, Index
from ui.widgets.flow_layout import FlowLayout

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CELL_ROLE = Qt.ItemDataRole.UserRole + 3  # a month cell's dict (state, payment id …)
FIXED = ("姓名", "类别", "交纳类别", "每月应交")
TAIL = ("应交合计", "实交合计", "党费交至", "欠缴月数")
COLORS = {"paid": ("#e8f5e9", "#1b5e20"), "unpaid": ("#ffebee", "#b71c1c"), "exempt": (None, "#555555"),
          "home": (None, "#777777"), "untracked": (None, "#999999")}
SHORT = {"unpaid": "欠缴", "exempt": "免交", "home": "原籍", "untracked": "", "not_member": "", "not_due": ""}


class DuesGridModel(HeaderedTableModel):
    HEADERS = (*FIXED, *(f"{m}月" for m in range(1, 13)), *TAIL)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def _value(self, r: dict[str, Any], col: int) -> tuple[str, Any]:
        """(text shown, sort key) of a cell."""
        if col < 4:
            text = [r["name"], "已离开" if r["left_on"] else r["category"],
                    r["payer_class"] or ("原籍交纳" if not r["pays_here"] else "未登记" if not r["registered"] else ""),
                    r["monthly"]][col]
            return text, float(text) if col == 3 and text else text
        if col < 16:
            c = r["cells"][col - 4]
            text = c["paid"] if c["state"] == "paid" else SHORT.get(c["state"], "")
            return text, (float(c["paid"]) if c["paid"] else -1.0 if c["state"] == "unpaid" else 0.0)
        key = ("due", "paid", "paid_to", "unpaid")[col - 16]
        value = r[key]
        if key == "paid_to":
            return cn_date(value), value or ""
        return str(value), float(value) if key != "unpaid" else value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value(r, col)[0]
        if role == SORT_ROLE:
            return self._value(r, col)[1]
        if role == Qt.ItemDataRole.UserRole:
            return r["person_id"]
        cell = r["cells"][col - 4] if 4 <= col < 16 else None
        if role == CELL_ROLE:
            return cell
        if cell is None:
            if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 16, 17, 19):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        back, fore = COLORS.get(cell["state"], (None, None))
        if role == Qt.ItemDataRole.BackgroundRole and back:
            return QBrush(QColor(back))
        if role == Qt.ItemDataRole.ForegroundRole and fore:
            return QBrush(QColor(fore))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            due = f"，应交{cell['due']}元" if cell["due"] else ""
            paid = f"，已交{cell['paid']}元" if cell["paid"] else ""
            return f"{cn_date(cell['month'])}：{cell['label'] or '非党员月份'}{due}{paid}"
        return None


class DuesPage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.summary: dict[str, Any] = {"year": date.today().year, "rows": []}
        self.branch = QComboBox()
        self.branch.setMinimumContentsLength(12)
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(" 年")
        self.which = QComboBox()
        for key, label in GRID_FILTERS:
            self.which.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找姓名")
        self.search.setClearButtonEnabled(True)
        bar = FlowLayout()
        for label, widget in (("党组织", self.branch), ("年份", self.year), ("显示", self.which)):
            box = QHBoxLayout()
            box.addWidget(QLabel(label))
            box.addWidget(widget)
            holder = QWidget()
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            bar.addWidget(holder)
        bar.addWidget(self.search)
        buttons = FlowLayout()
        self.base_button = QPushButton("登记基数…")
        self.pay_button = QPushButton("交纳党费…")
        self.edit_button = QPushButton("修改交纳记录…")
        self.delete_button = QPushButton("删除交纳记录")
        self.export_button = QPushButton("导出…")
        for b in (self.base_button, self.pay_button, self.edit_button, self.delete_button, self.export_button):
            buttons.addWidget(b)
        self.base_button.setToolTip("为所选党员登记自某月起的交纳基数和交纳类别（双击交纳类别可修改已登记的基数）")
        self.pay_button.setToolTip("为所选党员（可多选）登记交纳党费，可一次交纳多个月")
        self.edit_button.setToolTip("选中一个已交的月份，修改那条交纳记录")
        self.delete_button.setToolTip("选中一个已交的月份，删除那条交纳记录")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = DuesGridModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # roster order (姓氏笔画) until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(44)
        self.table.doubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._fill_branches()
        self.branch.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.which.currentIndexChanged.connect(self._show)
        self.search.textChanged.connect(self._show)
        self.base_button.clicked.connect(self.register_base)
        self.pay_button.clicked.connect(self.pay)
        self.edit_button.clicked.connect(self.edit_payment)
        self.delete_button.clicked.connect(self.delete_payment)
        self.export_button.clicked.connect(self.export)
        self.refresh()

    def _fill_branches(self) -> None:
        chosen = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        self.branch.addItem("全部党组织", None)
        for org in list_orgs(self.reg):
            self.branch.addItem(org["name"], org["id"])
        self.branch.setCurrentIndex(max(self.branch.findData(chosen), 0))
        self.branch.blockSignals(False)

    def scope(self) -> list[int] | None:
        org_id = self.branch.currentData()
        return subtree_ids(self.reg, int(org_id)) if org_id is not None else None

    def refresh(self) -> None:
        self._fill_branches()
        self.summary = year_summary(self.reg, self.year.value(), org_ids=self.scope())
        self._show()

    def _show(self) -> None:
        rows = grid_rows(self.summary, self.which.currentData() or "all", self.search.text().strip())
        self.model.set_rows(rows)
        self.note.setText(grid_note(self.summary, rows))

    # Selection ---------------------------------------------------------------------------------------------
    def selected_people(self) -> list[int]:
        seen: list[int] = []
        for index in self.table.selectionModel().selectedIndexes():
            pid = index.data(Qt.ItemDataRole.UserRole)
            if pid not in seen:
                seen.append(int(pid))
        if not seen and self.table.currentIndex().isValid():
            seen.append(int(self.table.currentIndex().data(Qt.ItemDataRole.UserRole)))
        return seen

    def selected_months(self) -> tuple[str, str] | None:
        months = sorted(c["month"] for c in (i.data(CELL_ROLE) for i in self.table.selectionModel().selectedIndexes())
                        if c)
        return (months[0], months[-1]) if months else None

    def selected_payment(self) -> tuple[int, int] | None:
        """(person id, payment id) of the paid month in view."""
        index = self.table.currentIndex()
        cell = index.data(CELL_ROLE) if index.isValid() else None
        if not cell or not cell.get("payment_id"):
            return None
        return int(index.data(Qt.ItemDataRole.UserRole)), int(cell["payment_id"])

    def _double_clicked(self, index: QModelIndex) -> None:
        cell = index.data(CELL_ROLE)
        if cell and cell.get("payment_id"):
            self.edit_payment()
        elif cell and cell["state"] in ("unpaid", "not_due"):
            self.pay()
        elif index.column() in (2, 3):
            self.edit_base()
        elif index.column() < 2:
            self.register_base()

    # Actions -----------------------------------------------------------------------------------------------
    def _run(self, build: Any) -> None:
        try:
            dialog = build()
        except UserError as exc:
            QMessageBox.information(self, "无法操作", exc.message)
            return
        if dialog.exec():
            self.refresh()
            self.changed.emit()

    def register_base(self) -> None:
        people = self.selected_people()
        if len(people) != 1:
            QMessageBox.information(self, "请选择一名党员", "登记基数请先在表格中选中一名党员。")
            return
        self._run(lambda: DuesBaseDialog(self.reg, people[0], self))

    def edit_base(self) -> None:
        """修改 the base in force this year's last month (or the latest one) of the member in view."""
        people = self.selected_people()
        if len(people) != 1:
            return
        bases = bases_of(self.reg, people[0])
        if not bases:
            self.register_base()
            return
        end = f"{self.year.value():04d}-12"
        current = next((b for b in reversed(bases) if b.from_month <= end), bases[-1])
        self._run(lambda: DuesBaseDialog(self.reg, people[0], self, base_id=current.id))

    def pay(self) -> None:
        self._run(lambda: DuesPaymentDialog(self.reg, self.selected_people(), self, months=self.selected_months()))

    def edit_payment(self) -> None:
        chosen = self.selected_payment()
        if chosen is None:
            QMessageBox.information(self, "请选择交纳记录", "请先在表格中选中一个已交的月份。")
            return
        self._run(lambda: DuesPaymentDialog(self.reg, [chosen[0]], self, payment_id=chosen[1]))

    def delete_payment(self) -> None:
        chosen = self.selected_payment()
        if chosen is None:
            QMessageBox.information(self, "请选择交纳记录", "请先在表格中选中一个已交的月份。")
            return
        if QMessageBox.question(self, "删除交纳记录", "确定删除这条党费交纳记录吗？这条记录覆盖的所有月份都将变为未交。") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            dues.delete_payment(self.reg, chosen[1])
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self.refresh()
        self.changed.emit()

    def export(self) -> None:
        default = str(Path.home() / f"{self.year.value()}年党费收缴汇总.xlsx")
        name, _ = file_dialogs.get_save_file_name(self, "导出党费汇总表", default, "Excel 工作簿 (*.xlsx)")
        if name:
            self.export_to(Path(name))

    def export_to(self, out: Path) -> int:
        try:
            n = export_dues(self.reg, self.year.value(), out, self.scope(),
                            organization=self.branch.currentText() if self.branch.currentData() else None)
        except UserError as exc:
            QMessageBox.warning(self, "无法导出", exc.message)
            return 0
        self.changed.emit()  # the export is in the audit log
        QMessageBox.information(self, "已导出", f"已导出党费年度汇总表和欠缴名单：{out}")
        return n
