"""The dashboard: headline counts, outlet coverage, what falls due, recent changes, members by brand."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_moment
from registry.services.due import CLASSES, DUE_KINDS, due_counts
from registry.services.history import ENTITY_LABELS, OP_LABELS, history
from registry.services.stats import statistics
from registry.storage.database import Registry
from ui.widgets.bar_chart import BarChart

HEADLINES = (("正式党员", "正式党员"), ("预备党员", "预备党员"), ("流动党员", "流入（流动党员）"),
             ("发展对象", "发展对象"), ("入党积极分子", "入党积极分子"), ("入党申请人", "入党申请人"))


def _card(title: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("QFrame { background: #fff7f5; border: 1px solid #e8c4bd; border-radius: 6px; }"
                        " QLabel { border: none; background: transparent; }")
    layout = QVBoxLayout(frame)
    caption = QLabel(title)
    caption.setStyleSheet("color: #7a4b43;")
    value = QLabel("0")
    value.setStyleSheet("font-size: 26px; font-weight: bold; color: #b71c1c;")
    layout.addWidget(caption)
    layout.addWidget(value)
    return frame, value


class DashboardPage(QWidget):
    open_due = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        outer.addWidget(self.heading)
        cards = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(HEADLINES):
            frame, value = _card(title)
            self.values[key] = value
            cards.addWidget(frame, 0, i)
        outer.addLayout(cards)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        outer.addWidget(self.coverage)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("到期事项"))
        self.due = QTableWidget(0, len(CLASSES) + 1)
        self.due.setHorizontalHeaderLabels(["事项", *CLASSES.values()])
        self.due.verticalHeader().setVisible(False)
        self.due.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.due.horizontalHeader().setStretchLastSection(True)
        left.addWidget(self.due)
        left.addWidget(QLabel("最近的修改"))
        self.recent = QListWidget()
        left.addWidget(self.recent)
        middle.addLayout(left, 3)
        self.chart = BarChart()
        middle.addWidget(self.chart, 2)
        outer.addLayout(middle, 1)
        self.refresh()

    def refresh(self) -> None:
        today = date.today()
        s = statistics(self.reg, today)
        unit = self.reg.setting("unit") or "本单位"
        self.heading.setText(f"{unit}　截至{today.year}年{today.month}月{today.day}日")
        counts = dict(s["by_category"])
        counts["流动党员"] = s["members"]["flowing_in"]
        for key, label in self.values.items():
            label.setText(str(counts.get(key, 0)))
        o, m = s["outlets"], s["members"]
        self.coverage.setText(
            f"党员合计 {m['total']} 人（在册 {m['registered']}，流入 {m['flowing_in']}，停止党籍 {m['stopped']}，"
            f"失联 {m['lost_contact']}）。网点 {o['total']} 个：已建党组织 {o['with_organization']} 个，"
            f"组织覆盖率 {o['organization_coverage']}%；有党员的网点 {o['with_members']} 个，"
            f"工作覆盖率 {o['work_coverage']}%；{o['without_members']} 个网点还没有党员，是发展党员的重点。")
        summary = due_counts(self.reg, today)
        self.due.setRowCount(len(DUE_KINDS))
        for row, (kind, (label, _)) in enumerate(DUE_KINDS.items()):
            self.due.setItem(row, 0, QTableWidgetItem(label))
            for col, bucket in enumerate(CLASSES, 1):
                item = QTableWidgetItem(str(summary[kind][bucket]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.due.setItem(row, col, item)
        self.due.resizeColumnToContents(0)
        self.recent.clear()
        seen: set[int] = set()
        for r in history(self.reg, limit=200):
            if r["operation"] in seen:
                continue
            seen.add(r["operation"])
            what = r["summary"] or f"{OP_LABELS[r['op']]}{ENTITY_LABELS.get(r['entity'], r['entity'])} {r['label'] or ''}"
            self.recent.addItem(f"{cn_moment(r['at'])}　{r['operator']}　{what}")
            if len(seen) >= 12:
                break
        self.chart.set_data("各品牌党员人数", [(b["brand"], b["members"]) for b in s["by_brand"]])
