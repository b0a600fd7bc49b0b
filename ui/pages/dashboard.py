"""The dashboard: headline counts, outlet coverage, what falls due, recent changes, members by brand.

Every count of people is a figure that opens the roster on exactly those people (open_figure(key); the
filter behind each key is registry.services.figures.figure_filter).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.services.due import CLASSES, DUE_KINDS, due_counts
from registry.services.figures import figure_counts
from registry.services.history import history
from registry.services.history_text import recent_line
from registry.services.org_life_gaps import BRANCH_DUE_KINDS
from registry.services.stats import statistics
from registry.storage.database import Registry
from ui.fit import scrolling
from ui.widgets.bar_chart import BarChart
from ui.widgets.flow_layout import FlowLayout

HEADLINES = (("category:正式党员", "正式党员"), ("category:预备党员", "预备党员"), ("flowing_in", "流入党员"),
             ("category:发展对象", "发展对象"), ("category:入党积极分子", "入党积极分子"),
             ("category:入党申请人", "入党申请人"))
CLICK_TIP = "点击查看名单"
CARD_STYLE = ("QPushButton { background: #fff7f5; border: 1px solid #e8c4bd; border-radius: 6px; padding: 4px; }"
              " QPushButton:hover { background: #fde9e4; border-color: #c9776b; }"
              " QPushButton:focus { border: 2px solid #b71c1c; }"
              " QLabel { border: none; background: transparent; }")


class FigureCard(QPushButton):
    """A caption over a big number; a click (or Space when focused) opens the people it counts."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key = key
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(CLICK_TIP)
        self.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(5, 4, 5, 4)  # six in a row beside the tree on a 683-pixel-wide window
        caption = QLabel(title)
        caption.setStyleSheet("color: #7a4b43;")
        self.value = QLabel("0")
        self.value.setStyleSheet("font-size: 26px; font-weight: bold; color: #b71c1c;")
        for label in (caption, self.value):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # the button takes the click
            layout.addWidget(label)
        self.setAccessibleName(title)

    def sizeHint(self) -> QSize:  # the labels' layout, not a button's one line of text
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize()


def _link(key: str, text: str) -> str:
    return f"<a href='{key}' style='color:#b71c1c; text-decoration: underline;'>{text}</a>"


class DashboardPage(QWidget):
    open_figure = Signal(str)  # a figure's key (registry.services.figures): the roster opens on its people

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        body = QWidget()  # scrolls on a short screen rather than squeezing the tables to a line
        outer = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.heading.setWordWrap(True)  # a long unit name never sets the window's width
        outer.addWidget(self.heading)
        cards = FlowLayout(fill=True)  # six cards in a row, wrapping onto two or three rows on a narrow screen
        self.cards: dict[str, FigureCard] = {}
        for key, title in HEADLINES:
            card = self.cards[key] = FigureCard(key, title)
            if key == "flowing_in":
                card.setToolTip(f"流入党员即流动党员：组织关系在外地、在本单位管理。{CLICK_TIP}")
            card.clicked.connect(lambda _=False, k=key: self.open_figure.emit(k))
            cards.addWidget(card)
        outer.addLayout(cards)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setTextFormat(Qt.TextFormat.RichText)
        self.coverage.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.coverage.setToolTip("点击带下划线的人数查看名单")
        self.coverage.linkActivated.connect(self.open_figure.emit)
        outer.addWidget(self.coverage)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("到期事项"))
        self.due = QTableWidget(0, len(CLASSES) + 1)
        self.due.setHorizontalHeaderLabels(["事项", *CLASSES.values()])
        self.due.verticalHeader().setVisible(False)
        self.due.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.due.horizontalHeader().setStretchLastSection(True)
        self.due.setToolTip("点击人数查看名单")
        self.due.cellClicked.connect(self._due_chosen)
        self.due.cellActivated.connect(self._due_chosen)  # Enter on a cell, too
        self.due.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.due.setMinimumHeight(150)
        # Their preferred height is ignored: inside the scroll area it would make the page scroll on a screen
        # where everything fits; they take the room there is, down to their minimum.
        self.due.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        left.addWidget(self.due, 3)
        left.addWidget(QLabel("最近的修改"))
        self.recent = QListWidget()
        self.recent.setMinimumHeight(100)
        self.recent.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        left.addWidget(self.recent, 2)
        middle.addLayout(left, 3)
        self.chart = BarChart()
        middle.addWidget(self.chart, 2)
        outer.addLayout(middle, 1)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scrolling(body))
        self.refresh()

    def refresh(self) -> None:
        today = date.today()
        s = statistics(self.reg, today)
        unit = self.reg.setting("unit") or "本单位"
        self.heading.setText(f"{unit}　截至{today.year}年{today.month}月{today.day}日")
        summary = due_counts(self.reg, today)
        self.figures = figure_counts(s, summary)
        for key, card in self.cards.items():
            card.value.setText(str(self.figures[key]))
            card.setAccessibleDescription(f"{self.figures[key]}人，{CLICK_TIP}")
        o, m = s["outlets"], s["members"]

        def n(key: str, text: str) -> str:
            return _link(key, f"{text} {self.figures[key]}")

        unverified = f"，{n('unverified', '待核实')}" if m["unverified"] else ""
        self.coverage.setText(
            f"{n('members', '党员合计')} 人（{n('registered', '在册')}，其中{n('flowing_out', '外出流动')}；"
            f"{n('flowing_in', '流入')}{unverified}，{n('stopped', '停止党籍')}，{n('lost_contact', '失联')}）。"
            f"网点 {o['total']} 个：已建党组织 {o['with_organization']} 个，"
            f"组织覆盖率 {o['organization_coverage']}%；有党员的网点 {o['with_members']} 个，"
            f"工作覆盖率 {o['work_coverage']}%；{o['without_members']} 个网点还没有党员，是发展党员的重点。")
        self.due.setRowCount(len(DUE_KINDS))
        for row, (kind, (label, _)) in enumerate(DUE_KINDS.items()):
            self.due.setItem(row, 0, QTableWidgetItem(label))
            for col, bucket in enumerate(CLASSES, 1):
                count = summary[kind][bucket]
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if count:  # a branch's items (组织生活) open their page, a person's the roster
                    item.setData(Qt.ItemDataRole.UserRole,
                                 "page:org_life" if kind in BRANCH_DUE_KINDS else f"due:{kind}:{bucket}")
                    item.setToolTip(CLICK_TIP)
                    item.setForeground(QColor("#b71c1c"))
                self.due.setItem(row, col, item)
        self.due.resizeColumnToContents(0)
        self.recent.clear()
        seen: set[int] = set()
        for r in history(self.reg, limit=200):
            if r["operation"] in seen:
                continue
            seen.add(r["operation"])
            self.recent.addItem(recent_line(r))
            if len(seen) >= 12:
                break
        self.chart.set_data("各品牌党员人数", [(b["brand"], b["members"]) for b in s["by_brand"]])

    def _due_chosen(self, row: int, column: int) -> None:
        item = self.due.item(row, column)
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if key:
            self.open_figure.emit(key)
