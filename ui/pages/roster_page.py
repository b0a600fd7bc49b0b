"""The roster: search as you type, filters, the table over ids, and the selected person's details."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.fields import PERSON_BY_KEY
from registry.rules.categories import CATEGORIES
from registry.rules.idnumber import mask_id
from registry.rules.party_age import party_age_text
from registry.services.development_steps import party_age_of
from registry.services.due import CLASSES, due_person_ids
from registry.services.history import record_reveal
from registry.services.people import delete_person, get_person
from registry.services.roster_index import is_current, load_in_steps
from registry.services.search import PeopleFilter
from registry.storage.database import Registry
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.stage_dialog import StageDialog
from ui.roster_model import COLUMNS, RosterModel
from ui.widgets.frozen_table import FrozenTableView

DETAIL_KEYS = ("gender", "ethnicity", "birth_date", "education", "category", "organization", "outlet", "brand", "job",
               "phone", "address", "status", "home_organization", "reported_on", "certificate_no", "notes")
COLUMN_WIDTHS = {"name": 80, "gender": 44, "category": 100, "flowing": 66, "outlet": 130, "brand": 80,
                 "organization": 200, "id_number": 160, "phone": 110, "joined_on": 90, "home_organization": 220}
TIMELINE = (("applied_on", "递交入党申请书"), ("talked_on", "入党谈话"), ("activist_on", "确定为入党积极分子"),
            ("target_on", "列为发展对象"), ("joined_on", "接收为预备党员（入党时间）"), ("full_on", "转为正式党员"))


class RosterPage(QWidget):
    changed = Signal()
    scope_cleared = Signal()  # 显示全部 pressed: the tree marks 全部人员 again

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.scope: dict[str, Any] = {}
        self.model = RosterModel(reg, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索姓名、身份证号、手机号或拼音首字母")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(lambda: self.apply_filter())
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.category = QComboBox()
        self.category.addItems(["全部类别", "党员（正式+预备）", *CATEGORIES])
        self.flowing = QComboBox()
        self.flowing.addItems(["流动党员：不限", "只看流动党员", "只看非流动"])
        self.brand = QComboBox()
        self.brand.addItem("全部品牌", None)
        for b in reg.query("SELECT name FROM brands ORDER BY name"):
            self.brand.addItem(b["name"], b["name"])
        self.due = QComboBox()
        self.due.addItems(["到期：不限", "有到期事项", *CLASSES.values()])
        self.order = QComboBox()
        self.order.addItems(["姓氏笔画排序", "拼音排序"])
        for combo in (self.category, self.flowing, self.brand, self.due, self.order):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())  # not the index as a person id
        self.count = QLabel()
        # A dashboard figure's people (show_figure): said above the list, with a way back to everyone.
        self.preset: PeopleFilter | None = None
        self.preset_label = QLabel()
        self.preset_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.preset_clear = QPushButton("显示全部")
        self.preset_clear.setToolTip("取消首页或左侧带来的筛选，显示全部人员")
        self.preset_clear.clicked.connect(self.clear_figure)
        # Two rows, the filters sharing the second: the page fits beside the tree on a 683-pixel-wide window.
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        columns = QPushButton("列…")
        columns.clicked.connect(self.choose_columns)
        bar.addWidget(columns)
        bar.addWidget(self.count)
        filters = QHBoxLayout()
        for w in (self.category, self.flowing, self.brand, self.due, self.order):
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(4)
            w.setToolTip(w.currentText())
            w.currentTextChanged.connect(w.setToolTip)  # the whole choice when the box is too narrow to show it
            filters.addWidget(w, 1)
        self.table = FrozenTableView()  # 姓名 stays in view when scrolling right
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setDefaultSectionSize(96)
        self.table.verticalHeader().setMinimumWidth(44)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.table.doubleClicked.connect(lambda *_: self.edit())
        self.table.sync_frozen()
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(lambda url: self.toggle_id() if url.toString() == "show-id" else None)
        self.full_id: int | None = None  # the one person whose full ID number is shown (the reveal is logged)
        buttons = QGridLayout()  # two by two: the detail pane stays narrow
        for i, (text, slot) in enumerate((("新增人员", self.add), ("编辑", self.edit), ("推进发展阶段", self.advance),
                                          ("删除", self.delete))):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b, i // 2, i % 2)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(buttons)
        rl.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 360])
        layout = QVBoxLayout(self)
        preset = QHBoxLayout()
        preset.addWidget(self.preset_label, 1)
        preset.addWidget(self.preset_clear)
        self.preset_bar = QWidget()
        self.preset_bar.setLayout(preset)
        preset.setContentsMargins(0, 0, 0, 0)
        self.preset_bar.hide()
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.preset_bar)
        layout.addWidget(split, 1)
        self._loaded = False  # the roster is read the first time it is shown
        self._warming: Iterator[None] | None = None
        self._warm_timer = QTimer(self, interval=0)
        self._warm_timer.timeout.connect(self._warm_step)

    def warm_search_index(self) -> None:
        """Load the in-memory search index in small slices from idle time, so typing is instant later."""
        if not is_current(self.reg):
            self._warming = load_in_steps(self.reg)
            self._warm_timer.start()

    def _warm_step(self) -> None:
        if self._warming is None:
            self._warm_timer.stop()
            return
        try:
            next(self._warming)
        except (StopIteration, sqlite3.Error):  # done, or the database went away meanwhile
            self._warming = None
            self._warm_timer.stop()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.apply_filter()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._debounce.stop()  # no search may run against a database that is being closed
        self._warm_timer.stop()
        self._warming = None
        super().hideEvent(event)

    # Filters ---------------------------------------------------------------------------------------
    def set_scope(self, *, org_ids: list[int] | None = None, outlet: str | None = None,
                  brand: str | None = None, outlet_ids: list[int] | None = None, title: str = "") -> None:
        """Limit the roster to an organisation subtree or outlets (from the tree on the left, named by title)."""
        self.scope = {"org_ids": org_ids, "outlet": outlet, "brand": brand, "outlet_ids": outlet_ids}
        self._set_preset(None, "")
        if title:
            self.preset_label.setText(f"范围：{title}")
            self.preset_bar.show()
        self.apply_filter()

    def show_figure(self, title: str, f: PeopleFilter) -> None:
        """Exactly the people a dashboard figure counts: search and filters cleared, the figure said above."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for combo in (self.category, self.flowing, self.brand, self.due):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.scope = {}
        self._set_preset(f, title)
        self.apply_filter()

    def clear_figure(self) -> None:
        """显示全部: neither a figure's people nor a node of the tree any more."""
        self.scope = {}
        self._set_preset(None, "")
        self.apply_filter()
        self.scope_cleared.emit()

    def _set_preset(self, f: PeopleFilter | None, title: str) -> None:
        self.preset = f
        self.preset_label.setText(f"首页：{title}" if f is not None else "")
        self.preset_bar.setVisible(f is not None)

    def current_filter(self) -> PeopleFilter:
        cat = self.category.currentIndex()
        categories = [] if cat == 0 else (["预备党员", "正式党员"] if cat == 1 else [self.category.currentText()])
        flowing = {0: None, 1: True, 2: False}[self.flowing.currentIndex()]
        scope = dict(self.scope)
        if self.brand.currentData():
            scope["brand"] = self.brand.currentData()
        due = self.due.currentIndex()
        ids = None if due == 0 else due_person_ids(self.reg, (None, None, *CLASSES)[due])
        chosen = PeopleFilter(text=self.search.text(), categories=categories, flowing=flowing, ids=ids, **scope)
        if self.preset is None:
            return chosen
        # A figure's people, narrowed further by whatever the user picks afterwards.
        p = self.preset
        both = p.ids if ids is None else (ids if p.ids is None else p.ids & ids)
        return replace(p, text=chosen.text, categories=categories or p.categories,
                       flowing=p.flowing if flowing is None else flowing, brand=chosen.brand or p.brand, ids=both)

    def apply_filter(self, select: int | None = None) -> None:
        """Run the filters again; select (a person id) stays selected and in view if it still matches."""
        self._loaded = True
        self._debounce.stop()  # a pending as-you-type search is superseded by this one
        self.model.order = "pinyin" if self.order.currentIndex() == 1 else "stroke"
        self.model.descending = False
        self.model.set_filter(self.current_filter())
        self._fit_columns()
        self.warm_search_index()
        self.count.setText(f"共 {len(self.model.ids)} 人")
        if not (select is not None and self.select_person(select)) and self.model.ids:
            self.table.selectRow(0)
        self.show_detail()

    def _sort_by(self, column: int) -> None:
        header = self.table.horizontalHeader()
        descending = header.sortIndicatorSection() == column and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.model.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)

    def _fit_columns(self) -> None:
        for i, (key, _label, _shown) in enumerate(self.model.columns):
            self.table.setColumnWidth(i, COLUMN_WIDTHS.get(key, 110))

    def choose_columns(self) -> None:
        menu = QMenu(self)
        shown = {c[0] for c in self.model.columns}
        for key, label, _ in COLUMNS:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(key in shown)
            action.toggled.connect(lambda on, k=key: self._toggle_column(k, on))
        menu.exec(self.cursor().pos())

    def _toggle_column(self, key: str, on: bool) -> None:
        keys = [c[0] for c in self.model.columns]
        keys = [*keys, key] if on else [k for k in keys if k != key]
        self.model.set_visible_columns(keys)
        self._fit_columns()

    # Selection and detail --------------------------------------------------------------------------
    def select_person(self, person_id: int) -> bool:
        """Select the person and scroll them into view; False when the current filter does not show them."""
        try:
            row = self.model.ids.index(person_id)
        except ValueError:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.show_detail()
        return True

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.person_id(index.row()) if index.isValid() else None

    def toggle_id(self) -> None:
        """显示完整号码 for the selected person only, logged first; 隐藏, or selecting someone else, masks again."""
        pid = self.selected_id()
        if self.full_id or pid is None:
            self.full_id = None
        else:
            p = get_person(self.reg, pid)
            try:
                record_reveal(self.reg, f"{p['name']}的人员详情", 1, "窗口")
            except UserError as exc:
                QMessageBox.warning(self, "无法显示完整号码", exc.message)
                return
            self.full_id = pid
        self.show_detail()

    def show_detail(self) -> None:
        pid = self.selected_id()
        if pid is None:
            self.detail.setHtml("<p style='color:#777'>没有选中的人员。</p>")
            return
        p = get_person(self.reg, pid)
        if self.full_id != pid:
            self.full_id = None  # another person selected: coming back needs (and logs) a new reveal
        full = self.full_id == pid
        number = p["id_number"] if full else mask_id(p["id_number"])
        link = "隐藏" if full else "显示完整号码"
        age = party_age_text(party_age_of(self.reg, pid))
        shown = [(PERSON_BY_KEY[k].label, _shown(p.get(k))) for k in DETAIL_KEYS if p.get(k) not in (None, "")]
        if age:  # right under 人员类别
            at = next((i + 1 for i, (label, _) in enumerate(shown) if label == PERSON_BY_KEY["category"].label),
                      len(shown))
            shown.insert(at, ("党龄", age))
        rows = "".join(f"<tr><td style='color:#666'>{label}</td><td>{escape(text)}</td></tr>" for label, text in shown)
        flowing = "<p><b style='color:#b71c1c'>流动党员</b></p>" if p["flowing"] else ""
        stages = "".join(f"<li>{label}：{escape(str(p[k]))}</li>" for k, label in TIMELINE if p.get(k))
        warnings = "".join(f"<li style='color:{'#c62828' if w['level'] == 'error' else '#b26a00'}'>{escape(w['message'])}</li>"
                           for w in p["warnings"])
        self.detail.setHtml(
            f"<h2>{escape(p['name'])}</h2><p>公民身份号码：{number}　<a href='show-id'>{link}</a></p>{flowing}"
            f"<table cellspacing='4'>{rows}</table><h3>发展历程</h3><ul>{stages or '<li>暂无记录</li>'}</ul>"
            + (f"<h3>规则提醒</h3><ul>{warnings}</ul>" if warnings else ""))

    # Actions ---------------------------------------------------------------------------------------
    def add(self) -> None:
        dialog = PersonDialog(self.reg, None, self)
        if dialog.exec():
            self._changed(dialog.person_id)

    def edit(self) -> None:
        pid = self.selected_id()
        if pid is not None and PersonDialog(self.reg, pid, self).exec():
            self._changed(pid)

    def advance(self) -> None:
        pid = self.selected_id()
        if pid is not None and StageDialog(self.reg, pid, self).exec():
            self._changed(pid)

    def delete(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        p = get_person(self.reg, pid)
        answer = QMessageBox.question(self, "删除人员", f"确定要删除“{p['name']}”吗？删除后该人员的会议、志愿服务记录也会一并删除，且无法恢复。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_person(self.reg, pid)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self._changed()

    def _changed(self, select: int | None = None) -> None:
        self.apply_filter(select)
        if select is not None and self.selected_id() != select:
            self.count.setText(f"{self.count.text()}（刚保存的人员不在当前筛选结果中）")
        self.changed.emit()


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
