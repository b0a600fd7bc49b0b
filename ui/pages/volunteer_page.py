"""The 志愿服务 page: activities (filter, add, edit, delete, export), posts and their holders, the points ranking."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_date
from registry.errors import UserError
from registry.exporting.volunteer_export import export_activities, export_posts, export_ranking
from registry.rules.volunteer_kinds import ACTIVITY_TYPES, period_choices
from registry.rules.volunteer_points import DEFAULT_RULE
from registry.services.organizations import list_orgs
from registry.services.volunteer import delete_activity, delete_record, list_rules
from registry.services.volunteer_posts import delete_post, list_claims, list_posts
from registry.services.volunteer_queries import list_activities, person_history, ranking
from registry.storage.database import Registry
from ui.dialogs.form_parts import NOTE_STYLE
from ui.dialogs.volunteer_activity_dialog import ActivityDialog
from ui.dialogs.volunteer_post_dialog import ClaimDialog, PostDialog
from ui.dialogs.volunteer_record_dialog import RecordDialog
from ui.dialogs.volunteer_rules_dialog import RulesDialog
from ui.pages.volunteer_parts import RowsModel, save_xlsx, selected_id, shown_order, sortable_table
from ui.widgets.flow_layout import FlowLayout


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    return box


def _buttons(*pairs: tuple[str, Any]) -> tuple[FlowLayout, list[QPushButton]]:
    """A row of buttons that wraps on a narrow screen rather than widening the window."""
    row, made = FlowLayout(), []
    for text, slot in pairs:
        b = QPushButton(text)
        b.clicked.connect(slot)
        row.addWidget(b)
        made.append(b)
    return row, made


def _narrow(box: QComboBox) -> QComboBox:
    """A combo of long names that does not set the page's width: the list opens as wide as it needs."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


class VolunteerPage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.tabs = QTabWidget()
        self.tabs.addTab(self._activities_tab(), "活动")
        self.tabs.addTab(self._posts_tab(), "岗位")
        self.tabs.addTab(self._points_tab(), "积分")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    # Filters shared by 活动 and 积分 ------------------------------------------------------------------------
    def _period_box(self) -> QComboBox:
        return _combo([(label, (start, end)) for label, start, end in period_choices(date.today())])

    def _org_box(self) -> QComboBox:
        box = _narrow(QComboBox())
        box.addItem("全部党组织", None)
        return box

    def _fill_orgs(self, box: QComboBox) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem("全部党组织", None)
        for org in list_orgs(self.reg):
            box.addItem("　" * org["depth"] + org["name"], org["name"])
        box.setCurrentIndex(max(0, box.findData(chosen)))
        box.blockSignals(False)

    # 活动 ---------------------------------------------------------------------------------------------------
    def _activities_tab(self) -> QWidget:
        tab = QWidget()
        self.a_period, self.a_org = self._period_box(), self._org_box()
        self.a_kind = _combo([("全部类型", None), *((k, k) for k in ACTIVITY_TYPES)])
        self.a_search = QLineEdit()
        self.a_search.setPlaceholderText("按活动名称或地点查找")
        self.a_search.setClearButtonEnabled(True)
        for box in (self.a_period, self.a_org, self.a_kind):
            box.currentIndexChanged.connect(self.refresh_activities)
        self.a_search.textChanged.connect(self.refresh_activities)
        filters = FlowLayout(fill=True)
        for w in (self.a_period, self.a_org, self.a_kind):
            filters.addWidget(w)
        filters.add(self.a_search, 1)
        self.a_model = RowsModel(("编号", "日期", "活动名称", "类型", "组织单位", "岗位", "人数", "其中党员", "时长（小时）",
                                  "积分"))
        self.a_view, self.a_proxy = sortable_table(self.a_model, (50, 110, 170, 70, 170, 130, 50, 60, 80))
        self.a_view.doubleClicked.connect(lambda _i: self.edit_activity())
        buttons, _ = _buttons(("新增活动…", self.add_activity), ("编辑…", self.edit_activity),
                              ("删除", self.delete_activity), ("导出…", self.export_activities))
        self.a_count = QLabel()
        self.a_count.setStyleSheet(NOTE_STYLE)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.a_view, 1)
        layout.addWidget(self.a_count)
        layout.addLayout(buttons)
        self.activity_rows: list[Any] = []
        return tab

    def refresh_activities(self) -> None:
        start, end = self.a_period.currentData() or (None, None)
        try:
            rows = list_activities(self.reg, start, end, self.a_org.currentData(), self.a_kind.currentData(),
                                   self.a_search.text())
        except UserError:
            rows = []
        self.activity_rows = rows
        self.a_model.set_rows([(r.id, cn_date(r.held_on), r.title, r.kind, r.organization, r.post, r.participants,
                                r.members, r.hours, r.points) for r in rows], [r.id for r in rows])
        self.a_count.setText(f"共 {len(rows)} 次活动，{sum(r.participants for r in rows)} 人次，"
                             f"{sum(r.hours for r in rows):g} 小时")

    def _after(self, accepted: bool, message: str) -> None:
        if accepted:
            self.refresh()
            self.changed.emit()
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(message, 6000)

    def add_activity(self) -> None:
        dialog = ActivityDialog(self.reg, None, self, organization=self.a_org.currentData())
        self._after(bool(dialog.exec()), "已保存志愿服务活动。")

    def edit_activity(self) -> None:
        activity = selected_id(self.a_view)
        if activity is None:
            QMessageBox.information(self, "请先选择", "请先在列表中选中一次活动。")
            return
        try:
            dialog = ActivityDialog(self.reg, activity, self)
        except UserError as exc:
            QMessageBox.warning(self, "无法编辑", exc.message)
            return
        self._after(bool(dialog.exec()), "已保存志愿服务活动。")

    def delete_activity(self) -> None:
        activity = selected_id(self.a_view)
        row = next((r for r in self.activity_rows if r.id == activity), None)
        if row is None:
            QMessageBox.information(self, "请先选择", "请先在列表中选中一次活动。")
            return
        if QMessageBox.question(self, "删除活动", f"确定删除“{row.title}”（{cn_date(row.held_on)}）及{row.participants}人的服务记录吗？"
                                ) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_activity(self.reg, row.id)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self._after(True, f"已删除活动“{row.title}”。")

    def export_activities(self) -> None:
        rows = shown_order(self.a_view, self.a_proxy, self.activity_rows)
        subtitle = f"{self.a_period.currentText()}　{self.a_org.currentText().strip()}　{self.a_kind.currentText()}　共 {len(rows)} 次"
        save_xlsx(self, "导出志愿服务活动", "志愿服务活动", lambda out: export_activities(self.reg, rows, out, subtitle))

    # 岗位 ---------------------------------------------------------------------------------------------------
    def _posts_tab(self) -> QWidget:
        tab = QWidget()
        self.p_closed = QCheckBox("显示已关闭的岗位")
        self.p_closed.toggled.connect(self.refresh_posts)
        self.p_search = QLineEdit()
        self.p_search.setPlaceholderText("按岗位名称、类型或区域查找")
        self.p_search.setClearButtonEnabled(True)
        self.p_search.textChanged.connect(self.refresh_posts)
        filters = FlowLayout(fill=True)
        filters.add(self.p_search, 1)
        filters.addWidget(self.p_closed)
        self.p_model = RowsModel(("编号", "岗位", "类型", "所属党组织", "网点", "服务区域", "在岗人数", "状态"))
        self.p_view, _ = sortable_table(self.p_model, (50, 170, 90, 170, 110, 90, 60))
        self.p_view.selectionModel().selectionChanged.connect(lambda *_: self.refresh_holders())
        self.p_view.doubleClicked.connect(lambda _i: self.edit_post())
        self.h_model = RowsModel(("姓名", "类别", "认领日期", "结束日期"))
        self.h_view, _ = sortable_table(self.h_model, (100, 90, 120))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.p_view)
        holders = QWidget()
        box = QVBoxLayout(holders)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("所选岗位的认领人员："))
        box.addWidget(self.h_view, 1)
        split.addWidget(holders)
        buttons, _ = _buttons(("新增岗位…", self.add_post), ("编辑岗位…", self.edit_post), ("删除岗位", self.delete_post),
                              ("认领…", self.claim), ("结束认领…", self.release), ("导出…", self.export_posts))
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.post_rows: list[dict[str, Any]] = []
        self.holder_rows: list[dict[str, Any]] = []
        return tab

    def refresh_posts(self) -> None:
        text = self.p_search.text().strip()
        rows = [p for p in list_posts(self.reg, include_closed=self.p_closed.isChecked())
                if not text or any(text in (p[k] or "") for k in ("name", "kind", "area", "organization"))]
        self.post_rows = rows
        self.p_model.set_rows([(p["id"], p["name"], p["kind"], p["organization"], p["outlet"], p["area"], p["holders"],
                                f"已关闭（{cn_date(p['closed_on'])}）" if p["closed_on"] else "在设") for p in rows],
                              [p["id"] for p in rows])
        self.refresh_holders()

    def refresh_holders(self) -> None:
        post = selected_id(self.p_view)
        self.holder_rows = list_claims(self.reg, post) if post is not None else []
        self.h_model.set_rows([(c["name"], c["category"], cn_date(c["since"]), cn_date(c["until"]) or "至今")
                               for c in self.holder_rows], [c["id"] for c in self.holder_rows])

    def _chosen_post(self) -> int | None:
        post = selected_id(self.p_view)
        if post is None:
            QMessageBox.information(self, "请先选择", "请先在列表中选中一个岗位。")
        return post

    def add_post(self) -> None:
        self._after(bool(PostDialog(self.reg, None, self).exec()), "已保存志愿服务岗位。")

    def edit_post(self) -> None:
        post = self._chosen_post()
        if post is not None:
            self._after(bool(PostDialog(self.reg, post, self).exec()), "已保存志愿服务岗位。")

    def delete_post(self) -> None:
        post = self._chosen_post()
        if post is None or QMessageBox.question(self, "删除岗位", "确定删除所选岗位吗？") != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_post(self.reg, post)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self._after(True, "已删除岗位。")

    def claim(self) -> None:
        post = self._chosen_post()
        if post is not None:
            self._after(bool(ClaimDialog(self.reg, post, self).exec()), "已登记认领岗位。")

    def release(self) -> None:
        post = self._chosen_post()
        if post is None:
            return
        claim = next((c for c in self.holder_rows if c["id"] == selected_id(self.h_view)), None)
        if claim is None or claim["until"]:
            QMessageBox.information(self, "请先选择", "请先在下方选中一位仍在岗的认领人员。")
            return
        dialog = ClaimDialog(self.reg, post, self, release=(claim["person_id"], claim["name"]))
        self._after(bool(dialog.exec()), "已登记结束认领。")

    def export_posts(self) -> None:
        save_xlsx(self, "导出志愿服务岗位", "志愿服务岗位", lambda out: export_posts(self.reg, self.post_rows, out))

    # 积分 ---------------------------------------------------------------------------------------------------
    def _points_tab(self) -> QWidget:
        tab = QWidget()
        self.r_period, self.r_org = self._period_box(), self._org_box()
        self.r_period.setCurrentIndex(3)  # 今年
        self.r_members = QCheckBox("只看党员")
        for box in (self.r_period, self.r_org):
            box.currentIndexChanged.connect(self.refresh_ranking)
        self.r_members.toggled.connect(self.refresh_ranking)
        filters = FlowLayout()
        filters.addWidget(self.r_period)
        filters.addWidget(self.r_org)
        filters.addWidget(self.r_members)
        for text, slot in (("设置积分规则…", self.set_rules), ("导出排名…", self.export_ranking)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            filters.addWidget(button)
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet(NOTE_STYLE)
        self.r_model = RowsModel(("名次", "姓名", "身份", "党组织", "网点", "活动次数", "时长（小时）", "积分"))
        self.r_view, self.r_proxy = sortable_table(self.r_model, (50, 90, 80, 170, 110, 60, 80))
        self.r_view.selectionModel().selectionChanged.connect(lambda *_: self.refresh_history())
        self.who = QLabel("选中一人查看其志愿服务记录和认领的岗位。")
        self.who.setWordWrap(True)
        self.s_model = RowsModel(("日期", "活动", "类型", "时长（小时）", "积分", "调整", "调整原因"))
        self.s_view, _ = sortable_table(self.s_model, (110, 170, 70, 70, 60, 50))
        self.s_view.doubleClicked.connect(lambda _i: self.edit_record())
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.who)
        box.addWidget(self.s_view, 1)
        row, _ = _buttons(("修改所选记录…", self.edit_record), ("删除所选记录", self.delete_record))
        box.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.r_view)
        split.addWidget(lower)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.rules_label)
        layout.addWidget(split, 1)
        self.rank_rows: list[Any] = []
        return tab

    def refresh_ranking(self) -> None:
        start, end = self.r_period.currentData() or (None, None)
        try:
            rows = ranking(self.reg, start, end, self.r_org.currentData(), members_only=self.r_members.isChecked())
        except UserError:
            rows = []
        self.rank_rows = rows
        self.r_model.set_rows([(r.rank, r.name, r.member, r.organization, r.outlet, r.activities, r.hours, r.points)
                               for r in rows], [r.person_id for r in rows])
        rules = list_rules(self.reg)
        current = rules[-1].describe() if rules else DEFAULT_RULE.describe()
        self.rules_label.setText(f"积分规则：{current}。积分按活动日期适用的规则计算并保存，修改规则不会改变已记录的积分。")
        self.refresh_history()

    def refresh_history(self) -> None:
        person = selected_id(self.r_view)
        if person is None:
            self.s_model.set_rows([], [])
            self.who.setText("选中一人查看其志愿服务记录和认领的岗位。")
            return
        h = person_history(self.reg, int(person))
        posts = "、".join(f"{p['post']}（{cn_date(p['since'])}起{'，' + cn_date(p['until']) + '止' if p['until'] else ''}）"
                         for p in h["posts"]) or "无"
        self.who.setText(f"{h['name']}（{h['category']}）：参加活动{h['activities']}次，服务{h['hours']:g}小时，"
                         f"积分{h['points']:g}分。认领岗位：{posts}")
        self.s_model.set_rows([(cn_date(r["served_on"]), r["title"], r["kind"], r["hours"], r["points"],
                                r["adjustment"] or None, r["adjustment_reason"]) for r in h["records"]],
                              [r["record_id"] for r in h["records"]])

    def edit_record(self) -> None:
        record = selected_id(self.s_view)
        if record is None:
            QMessageBox.information(self, "请先选择", "请先在下方选中一条服务记录。")
            return
        self._after(bool(RecordDialog(self.reg, int(record), self).exec()), "已保存服务记录。")

    def delete_record(self) -> None:
        record = selected_id(self.s_view)
        if record is None:
            QMessageBox.information(self, "请先选择", "请先在下方选中一条服务记录。")
            return
        if QMessageBox.question(self, "删除记录", "确定删除所选的服务记录吗？") != QMessageBox.StandardButton.Yes:
            return
        delete_record(self.reg, int(record))
        self._after(True, "已删除服务记录。")

    def set_rules(self) -> None:
        self._after(bool(RulesDialog(self.reg, self).exec()), "已设置积分规则。")

    def export_ranking(self) -> None:
        rows = shown_order(self.r_view, self.r_proxy, self.rank_rows)
        subtitle = f"{self.r_period.currentText()}　{self.r_org.currentText().strip()}{'　只含党员' if self.r_members.isChecked() else ''}"
        save_xlsx(self, "导出积分排名", "志愿服务积分排名", lambda out: export_ranking(self.reg, rows, out, subtitle))

    def refresh(self) -> None:
        self._fill_orgs(self.a_org)
        self._fill_orgs(self.r_org)
        self.refresh_activities()
        self.refresh_posts()
        self.refresh_ranking()
