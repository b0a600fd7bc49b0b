"""Pieces of the import page: the problem table model, the field chooser, count cards, layout helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from registry.importing.batches import export_problems
from registry.storage.database import Registry
from ui import file_dialogs
from ui.table_model import HeaderedTableModel
from ui.worker import own_connection, run_in_background

LEVELS = {"error": "错误", "warning": "提醒"}
LEVEL_COLOURS = {"error": QColor("#fde2e1"), "warning": QColor("#fff4c7")}
Index = QModelIndex | QPersistentModelIndex


class ProblemModel(HeaderedTableModel):
    """The problems of a preview, errors first: errors on light red, reminders on light yellow; one level or all."""

    HEADERS = ("工作表", "行", "姓名", "列", "级别", "说明")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.every: list[dict[str, Any]] = []  # all problems, errors first, each level in sheet order
        self.problems: list[dict[str, Any]] = []  # the ones shown
        self.level: str | None = None  # 'error', 'warning' or None for all
        self.show_file = False

    def set_problems(self, problems: list[dict[str, Any]], show_file: bool) -> None:
        # Stable: within a level the problems keep the order of the sheets and rows.
        self.every = sorted(problems, key=lambda p: p["level"] != "error")
        self.show_file = show_file
        self.show_level(self.level)

    def show_level(self, level: str | None) -> None:
        self.beginResetModel()
        self.level = level
        self.problems = [p for p in self.every if level is None or p["level"] == level]
        self.endResetModel()

    def count(self, level: str) -> int:
        return sum(p["level"] == level for p in self.every)

    def row_count(self) -> int:
        return len(self.problems)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.problems[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return LEVEL_COLOURS.get(p["level"])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return Qt.AlignmentFlag.AlignCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        sheet = f"{p['file']} / {p['sheet']}" if self.show_file else p["sheet"]
        values = (sheet, p["row"], p.get("name"), p.get("column"), LEVELS.get(p["level"], p["level"]), p["message"])
        value = values[index.column()]
        return "" if value is None else str(value)


class ProblemFilter(QWidget):
    """全部 / 只看错误 / 只看提醒 with their counts above the problem list: one error among 850 reminders is a click away."""

    CHOICES = ((None, "全部"), ("error", "只看错误"), ("warning", "只看提醒"))

    def __init__(self, model: ProblemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.tally = QLabel()
        self.group = QButtonGroup(self)
        self.buttons: dict[str | None, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.tally)
        row.addStretch(1)
        for level, text in self.CHOICES:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("level", level)
            self.group.addButton(button)
            self.buttons[level] = button
            row.addWidget(button)
        self.buttons[None].setChecked(True)
        self.group.buttonToggled.connect(lambda b, on: on and self.model.show_level(b.property("level")))

    def refresh(self) -> None:
        """After new problems: the counts again, and back to 全部 (errors come first in it)."""
        errors, warnings = self.model.count("error"), self.model.count("warning")
        self.tally.setText(f"错误 {errors} · 提醒 {warnings}")
        self.tally.setStyleSheet("font-weight: bold; color: #c62828;" if errors else "font-weight: bold;")
        for level, text in self.CHOICES:
            n = errors + warnings if level is None else (errors if level == "error" else warnings)
            self.buttons[level].setText(f"{text}（{n}）")
            self.buttons[level].setEnabled(level is None or n > 0)
        self.buttons[None].setChecked(True)
        self.model.show_level(None)
        self.setVisible(bool(errors or warnings))


class FieldCombo(QComboBox):
    """A field chooser in a table cell that ignores the wheel unless clicked, so scrolling changes nothing."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


def plain_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fit_columns(view: QTableView, padding: int = 24) -> None:
    """Columns as wide as their contents plus some air (Chinese text looks cramped edge to edge)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for c in range(header.count() - (1 if header.stretchLastSection() else 0)):
        view.setColumnWidth(c, min(view.columnWidth(c) + padding, 360))


def wrapped_label(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


def button_row(*widgets: QWidget | None) -> QHBoxLayout:
    """Buttons in a row; None is the stretch between the left and the right group."""
    row = QHBoxLayout()
    for w in widgets:
        (row.addStretch(1) if w is None else row.addWidget(w))
    return row


HEADING = "font-size: 18px; font-weight: bold;"
NOTE = "color: #5f5f5f;"

def count_card(title: str) -> tuple[QFrame, QLabel]:
    """A framed caption over a big number, as on the dashboard."""
    frame = QFrame()
    frame.setStyleSheet("QFrame { background: #fff7f5; border: 1px solid #e8c4bd; border-radius: 6px; }"
                        " QLabel { border: none; background: transparent; }")
    box = QVBoxLayout(frame)
    value = QLabel("0")
    value.setStyleSheet("font-size: 28px; font-weight: bold; color: #b71c1c;")
    box.addWidget(wrapped_label(title, "color: #7a4b43; font-size: 15px;"))
    box.addWidget(value)
    return frame, value


def save_problem_list(parent: QWidget, reg: Registry, batch: int, folder: Path) -> None:
    """Ask where, then write a batch's rejected rows with their reasons in the background."""
    default = str(folder / f"导入问题清单_批次{batch}.xlsx")
    name, _ = file_dialogs.get_save_file_name(parent, "保存问题清单", default, "Excel 工作簿 (*.xlsx)")
    if not name:
        return
    out = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
    run_in_background(parent, lambda _p, _c: own_connection(reg, export_problems, batch, out),
                      lambda n: QMessageBox.information(parent, "已保存", f"已把{n}行有问题的数据保存到“{out}”。"),
                      title="正在保存问题清单", cancellable=False)
