"""A layout that places its widgets in a row and wraps them onto more rows when the width runs out."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Rows of widgets that wrap, so a filter bar or a row of cards never sets a window's minimum width.

    With fill, the room left in each row is shared among its widgets (all of them, or those whose horizontal
    policy expands when some do), so the rows look like a toolbar rather than a ragged line.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, fill: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._fill = fill
        self.setSpacing(spacing)
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        """Add widget; stretch > 0 lets it take the room left in its row first."""
        widget.setProperty("flow_stretch", stretch)
        self.addWidget(widget)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)  # rows take only the height they need; Qt's default would grab the spare room

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        # One row when there is room for it.
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        # As narrow as the widest single widget: everything else wraps.
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            w = item.sizeHint().width()
            if rows[-1] and used + self.spacing() + w > width:
                rows.append([])
                used = 0
            used += (self.spacing() if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    def _place(self, rect: QRect, *, move: bool) -> int:
        area = rect.marginsRemoved(self.contentsMargins())
        y = area.y()
        for row in self._rows(area.width()):
            widths = [min(i.sizeHint().width(), area.width()) for i in row]
            widths = [max(w, i.minimumSize().width()) for w, i in zip(widths, row, strict=True)]
            spare = area.width() - sum(widths) - self.spacing() * (len(row) - 1)
            takers = self._takers(row) if spare > 0 else []
            for k in takers:
                widths[k] += spare // len(takers)
            height = max(i.sizeHint().height() for i in row)
            x = area.x()
            if move:
                for item, w in zip(row, widths, strict=True):
                    h = height if item.expandingDirections() & Qt.Orientation.Vertical else item.sizeHint().height()
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                    x += w + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - area.y() + self.contentsMargins().top() + self.contentsMargins().bottom()

    def _takers(self, row: list[QLayoutItem]) -> list[int]:
        """Which widgets of a row share its spare room."""
        def stretch(item: QLayoutItem) -> int:
            widget = item.widget()
            return int(widget.property("flow_stretch") or 0) if widget is not None else 0

        stretched = [k for k, item in enumerate(row) if stretch(item) > 0]
        if stretched:
            return stretched
        if self._fill:
            return list(range(len(row)))
        expand = QSizePolicy.PolicyFlag.ExpandFlag.value
        return [k for k, item in enumerate(row) if item.widget() is not None
                and item.widget().sizePolicy().horizontalPolicy().value & expand]
