"""A table whose first column (姓名) stays in view when the rest scrolls sideways.

As in Qt's "Frozen Column" example: a second view lies over the first column, sharing the model and the
selection, scrolling up and down with the table. Clicks, double-clicks and header clicks on it act on
the table underneath, which keeps the keyboard focus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


class FrozenTableView(QTableView):
    """A QTableView with its first column frozen; `frozen` is the view drawn over that column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        f = self.frozen
        f.setObjectName("frozenColumn")
        f.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        f.verticalHeader().hide()
        f.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        f.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        f.setStyleSheet("QTableView#frozenColumn { border: none; border-right: 1px solid #b9b9b9; }")
        self.viewport().stackUnder(f)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(lambda row, _old, new: f.setRowHeight(row, new))
        f.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(f.verticalScrollBar().setValue)
        # What happens on the frozen column happens on the table.
        f.doubleClicked.connect(self.doubleClicked)
        f.clicked.connect(self.clicked)
        f.activated.connect(self.activated)
        f.pressed.connect(lambda _i: self.setFocus(Qt.FocusReason.MouseFocusReason))
        f.horizontalHeader().sectionClicked.connect(self.horizontalHeader().sectionClicked)
        self.horizontalHeader().sortIndicatorChanged.connect(self._mirror_sort_indicator)

    # Keeping the two views alike -------------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            for signal in (model.modelReset, model.columnsInserted, model.columnsRemoved, model.layoutChanged):
                signal.connect(self.sync_frozen)
        self.sync_frozen()

    def sync_frozen(self, *_args: Any) -> None:
        """The frozen view as the table: its column, row heights, selection and header (after setting those)."""
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        for c in range(columns):
            self.frozen.setColumnHidden(c, c != 0)
        if columns:
            self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.verticalHeader().setDefaultSectionSize(self.verticalHeader().defaultSectionSize())
        self.frozen.setAlternatingRowColors(self.alternatingRowColors())
        self.frozen.setSelectionBehavior(self.selectionBehavior())
        self.frozen.setSelectionMode(self.selectionMode())
        self.frozen.setVerticalScrollMode(self.verticalScrollMode())
        self.frozen.horizontalHeader().setSectionsClickable(self.horizontalHeader().sectionsClickable())
        self._mirror_sort_indicator(self.horizontalHeader().sortIndicatorSection(),
                                    self.horizontalHeader().sortIndicatorOrder())
        self._place()

    def _mirror_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        header = self.frozen.horizontalHeader()
        header.setSortIndicatorShown(self.horizontalHeader().isSortIndicatorShown() and section == 0)
        header.setSortIndicator(section, order)

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place()

    def _place(self) -> None:
        frame = self.frameWidth()
        self.frozen.setGeometry(self.verticalHeader().width() + frame, frame, self.columnWidth(0),
                                self.viewport().height() + self.horizontalHeader().height())

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "frozen"):  # called once from QTableView's constructor, before the frozen view exists
            self._place()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    # Scrolling: nothing the cursor moves to hides under the frozen column --------------------------
    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = super().moveCursor(action, modifiers)
        if action == QAbstractItemView.CursorAction.MoveLeft and current.column() > 0 \
                and self.visualRect(current).topLeft().x() < self.frozen.columnWidth(0):
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + self.visualRect(current).topLeft().x() - self.frozen.columnWidth(0))
        return current

    def scrollTo(self, index: Index, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        if index.column() == 0:  # always in view sideways: only scroll up or down to its row
            across = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(across)
        else:
            super().scrollTo(index, hint)
