"""A plain horizontal bar chart painted with QPainter (members by brand or outlet on the dashboard)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

BAR = QColor("#c62828")
TRACK = QColor("#f3e5e5")


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, int]] = []
        self.title = ""
        self.setMinimumHeight(160)

    def set_data(self, title: str, items: list[tuple[str, int]]) -> None:
        self.title = title
        self.items = items[:10]
        self.setMinimumHeight(40 + 26 * max(1, len(self.items)))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 40 + 26 * max(1, len(self.items)))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = p.fontMetrics()
        p.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        if not self.items:
            p.drawText(QRectF(0, 30, self.width(), 24), Qt.AlignmentFlag.AlignLeft, "暂无数据")
            return
        label_w = min(160, max(metrics.horizontalAdvance(name) for name, _ in self.items) + 12)
        top = max(v for _, v in self.items) or 1
        bar_w = max(40, self.width() - label_w - 60)
        for i, (name, value) in enumerate(self.items):
            y = 32 + i * 26
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, y, label_w - 8, 20), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, label_w - 8))
            p.fillRect(QRectF(label_w, y + 3, bar_w, 14), TRACK)
            p.fillRect(QRectF(label_w, y + 3, bar_w * value / top, 14), BAR)
            p.drawText(QRectF(label_w + bar_w + 6, y, 54, 20), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       str(value))
