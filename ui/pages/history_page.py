"""The audit log (who changed what, when) and the list of import batches, with undo of a whole batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from registry.display import cn_moment
from registry.importing.batches import list_batches, undo_batch
from registry.importing.undo_counts import ask_undo, undo_result
from registry.services.history import ENTITY_LABELS, history, reference_names
from registry.services.history_text import HEADERS, STATUS_LABELS, Names, history_line, operation_text
from registry.storage.database import Registry
from ui.pages.import_parts import save_problem_list
from ui.table_model import HeaderedTableModel
from ui.worker import own_connection, run_in_background

LIMIT = 1000
MAX_SHOWN = 160  # characters of 内容 in the cell; the tooltip holds the whole text
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(HeaderedTableModel):
    HEADERS = HEADERS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.names: Names = {}
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_rows(self, rows: list[dict[str, Any]], names: Names | None = None) -> None:
        """The log rows, and the current names of outlets, organisations and brands their ids point at."""
        self.beginResetModel()
        self.rows, self.names, self._texts = rows, names or {}, {}
        self.endResetModel()

    def texts(self, r: int) -> tuple[str, ...]:
        if r not in self._texts:
            self._texts[r] = history_line(self.rows[r], self.names).cells()
        return self._texts[r]

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        text = self.texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2 and self.rows[index.row()].get("summary"):
                return f"所属操作：{operation_text(self.rows[index.row()])}"  # old settings rows say "设置 operator"
            return text if index.column() == 5 and text else None
        return None


class HistoryPage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.tabs = QTabWidget()
        self.tabs.addTab(self._log_tab(), "操作日志")
        self.tabs.addTab(self._batches_tab(), "导入批次")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    def _log_tab(self) -> QWidget:
        tab = QWidget()
        self.entity_box = QComboBox()
        self.entity_box.addItem("全部", None)
        for key, label in ENTITY_LABELS.items():
            self.entity_box.addItem(label, key)
        self.entity_box.currentIndexChanged.connect(self.refresh_log)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称或操作说明，如姓名、网点、文件名")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh_log)
        self.search.textChanged.connect(self._debounce.start)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("对象："))
        filters.addWidget(self.entity_box)
        filters.addWidget(self.search, 1)
        filters.addWidget(refresh)
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 80, 60, 80, 140)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #5f5f5f;")
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        return tab

    def _batches_tab(self) -> QWidget:
        tab = QWidget()
        self.batches = QTableWidget(0, 11)
        self.batches.setHorizontalHeaderLabels(["批次号", "导入时间", "操作人", "文件", "行数", "新增", "更新", "未变",
                                                "拒绝", "重复合并", "状态"])
        self.batches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.batches.verticalHeader().setVisible(False)
        self.batches.horizontalHeader().setStretchLastSection(True)
        self.batches.itemSelectionChanged.connect(self._batch_selected)
        self.undo_button = QPushButton("撤销所选批次")
        self.undo_button.clicked.connect(self.undo_selected)
        self.problems_button = QPushButton("保存所选批次的问题清单…")
        self.problems_button.clicked.connect(self.save_problems)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problems_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        note = QLabel("撤销会删除该批次新增的人员、恢复被它修改的内容；导入后又改过的记录不能撤销。")
        note.setStyleSheet("color: #5f5f5f;")
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.batches, 1)
        layout.addWidget(note)
        layout.addLayout(buttons)
        return tab

    # Loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_log()
        self.refresh_batches()

    def refresh_log(self) -> None:
        rows = history(self.reg, limit=LIMIT, entity=self.entity_box.currentData(),
                       text=self.search.text().strip() or None)
        self.model.set_rows(rows, reference_names(self.reg))
        more = f"（只显示最近的{LIMIT}条，可用上面的筛选缩小范围）" if len(rows) >= LIMIT else ""
        self.count_label.setText(f"共 {len(rows)} 条记录{more}")

    def refresh_batches(self) -> None:
        selected = self.selected_batch()
        self.batch_rows = list_batches(self.reg)
        self.batches.setRowCount(len(self.batch_rows))
        for r, b in enumerate(self.batch_rows):
            status = STATUS_LABELS.get(b["status"], b["status"])
            if b["undone_at"]:
                status += f"（{cn_moment(b['undone_at'])}）"
            values = (b["id"], cn_moment(b["at"]), b["operator"], "、".join(b["files"]), b["rows"],
                      b["added"], b["updated"], b["unchanged"], b["rejected"], b["duplicates"], status)
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.batches.setItem(r, c, item)
        self.batches.resizeColumnsToContents()
        for c in range(self.batches.columnCount() - 1):
            self.batches.setColumnWidth(c, self.batches.columnWidth(c) + 24)
        ids = [b["id"] for b in self.batch_rows]
        self.batches.clearSelection()
        if selected is not None and selected["id"] in ids:
            self.batches.selectRow(ids.index(selected["id"]))
        self._batch_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # exports and edits elsewhere leave entries too

    # Batches ---------------------------------------------------------------------------------------
    def selected_batch(self) -> dict[str, Any] | None:
        rows = self.batches.selectionModel().selectedRows() if self.batches.selectionModel() else []
        if not rows or not hasattr(self, "batch_rows"):
            return None
        return self.batch_rows[rows[0].row()]

    def _batch_selected(self) -> None:
        batch = self.selected_batch()
        self.undo_button.setEnabled(batch is not None and batch["status"] == "applied")
        self.problems_button.setEnabled(batch is not None and batch["rejected"] > 0)

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        batch_id = batch["id"]
        answer = QMessageBox.question(self, "撤销导入批次", ask_undo(self.reg, batch_id),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reg = self.reg
        run_in_background(self, lambda _p, _c: own_connection(reg, undo_batch, batch_id),
                          lambda counts: self._undone(batch_id, counts), title="正在撤销导入", cancellable=False)

    def _undone(self, batch_id: int, counts: dict[str, int]) -> None:
        self.refresh()
        self.changed.emit()
        QMessageBox.information(self, "已撤销", undo_result(batch_id, counts))

    def save_problems(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        save_problem_list(self, self.reg, batch["id"], Path.home())
