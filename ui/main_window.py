"""The main window until the full desktop issue lands: headline counts and the roster, read-only."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget

from registry.rules.idnumber import mask_id
from registry.services.search import PeopleFilter, search_people
from registry.services.stats import statistics
from registry.storage.database import Registry

COLUMNS = (("name", "姓名"), ("gender", "性别"), ("category", "人员类别"), ("flowing", "流动党员"),
           ("outlet", "所在网点"), ("brand", "快递品牌"), ("organization", "所在党组织"), ("id_number", "公民身份号码"),
           ("phone", "联系电话"), ("joined_on", "入党时间"))


class MainWindow(QMainWindow):
    def __init__(self, reg: Registry) -> None:
        super().__init__()
        self.reg = reg
        self.setWindowTitle(f"快递行业党建台账 — {reg.path.name}")
        self.resize(1280, 800)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.summary = QLabel(central)
        self.search = QLineEdit(central)
        self.search.setPlaceholderText("搜索姓名、身份证号、手机号或拼音首字母（Ctrl+F）")
        self.search.textChanged.connect(self.refresh)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([label for _, label in COLUMNS])
        self.table = QTableView(central)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        layout.addWidget(self.summary)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.search.setShortcutEnabled(True)
        self.refresh()

    def refresh(self) -> None:
        s = statistics(self.reg, date.today())
        m = s["members"]
        self.summary.setText(
            f"党员 {m['total']} 人（在册 {m['registered']}，流入 {m['flowing_in']}）　"
            f"发展对象 {s['by_category']['发展对象']}　入党积极分子 {s['by_category']['入党积极分子']}　"
            f"入党申请人 {s['by_category']['入党申请人']}　网点 {s['outlets']['total']} 个，"
            f"组织覆盖 {s['outlets']['organization_coverage']}%"
        )
        rows = search_people(self.reg, PeopleFilter(text=self.search.text()), limit=2000)
        self.model.setRowCount(0)
        for row in rows:
            items = []
            for key, _ in COLUMNS:
                value = row.get(key)
                if key == "flowing":
                    value = "是" if value else ""
                elif key == "id_number":
                    value = mask_id(value)
                item = QStandardItem("" if value is None else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
