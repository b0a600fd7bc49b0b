"""Add or edit a person, checking the ID number, phone and dates as the user types, and dating counted changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.rules.categories import CATEGORIES, MEMBER_CATEGORIES
from registry.rules.dates import parse_date
from registry.rules.id_derivation import IdReading, conflicts, read_id, save_check
from registry.rules.membership import LEFT_HOW, MANAGED_HOW, RELATIONS
from registry.services.organizations import list_orgs
from registry.services.outlets import list_outlets
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import (
    BAD_STYLE,
    NOTE_STYLE,
    OK_STYLE,
    ChoiceCombo,
    FormDialog,
    date_hint,
    finish_form,
    phone_hint,
    reserve_lines,
    show_hint,
)

TEXT_FIELDS = (("name", "姓名"), ("id_number", "公民身份号码"), ("ethnicity", "民族"), ("birth_date", "出生日期"),
               ("education", "学历"), ("phone", "联系电话"), ("job", "工作岗位"), ("address", "家庭住址"),
               ("applied_on", "申请入党日期"), ("activist_on", "确定积极分子日期"), ("target_on", "列为发展对象日期"),
               ("joined_on", "入党时间"), ("full_on", "转正时间"))
# Shown for the relation chosen in 组织关系类型 (members only).
RELATION_FIELDS = {
    "流入": (("home_organization", "组织关系所在党组织"), ("home_contact", "原党组织联系人"), ("reported_on", "报到日期"),
           ("certificate_no", "流动党员活动证号")),
    "流出": (("flow_destination", "外出流向"), ("flow_left_on", "外出日期"), ("flow_contact", "外出地联系方式")),
}
DATE_FIELDS = {"birth_date", "applied_on", "activist_on", "target_on", "joined_on", "full_on", "reported_on",
               "flow_left_on", "lost_since", "managed_from", "left_on"}
DAY_FIELDS = {"managed_from"}  # reports count a person from this day, so a month alone is refused
ID_DERIVED = ("id_number", "birth_date", "gender")
NO_OUTLET = "（未指定）"
OWN_ORG_FROM_OUTLET = "（按网点所属党组织）"
NOT_GIVEN = "（未填写）"
# The stored columns a report counts by (registry.rules.membership.TRACKED_COLUMNS), as this form names them.
TRACKED_FIELDS = {"organization_id": ("organization", "所在党组织"), "outlet_id": ("outlet", "所在网点"),
                  "relation": ("relation", "组织关系类型"), "status": ("status", "党籍状态"),
                  "lost_contact": ("lost_contact", "失联")}
UNVERIFIED_NOTE = "关系未核实，暂不计入在册党员；核实后请改为在册、流入或流出。"
IDLE_NOTE = "改动所在网点、所在党组织、组织关系类型、党籍状态或失联时，会在这里填写变动日期。"
CORRECTION_TEXT = "这是更正（原来填错了，以前的报表也按新值统计）"


def confirm_conflict(parent: QWidget, sentence: str) -> bool:
    """Ask whether to save values that disagree with the ID number; tests replace this."""
    answer = QMessageBox.question(parent, "与身份证号不一致", sentence,
                                  QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save


class PersonDialog(FormDialog):
    """person_id None adds a new person; otherwise edits that person. Saves through the services."""

    def __init__(self, reg: Registry, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        self.original: dict[str, Any] = {}
        self._loading = False
        self._id_touched = False  # derived fields follow the number only once the user has changed it
        self._derived: dict[str, str | None] = {}  # values this dialog filled in from the ID number
        self.setWindowTitle("新增人员" if person_id is None else "编辑人员")
        self.edits: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}
        self.form = form = QFormLayout()
        self._basic_rows()
        self.outlet = ChoiceCombo()
        self.outlet.add_choice(NO_OUTLET, None)
        for o in list_outlets(reg):
            self.outlet.add_choice(_outlet_label(o["name"], o["brand"]), (o["name"], o["brand"]))
        form.addRow("所在网点", self.outlet)
        self.org = ChoiceCombo()
        self.org.add_choice(OWN_ORG_FROM_OUTLET, None)
        for org in list_orgs(reg):
            self.org.add_choice("　" * org["depth"] + org["name"], org["name"])
        form.addRow("所在党组织", self.org)
        self._member_rows = self._membership_rows()
        self.managed_how = _choices(MANAGED_HOW, blank=person_id is not None)
        self._text_row("managed_from", "纳入管理日期", beside=("纳入方式", self.managed_how))
        self.left_how = _choices(LEFT_HOW, blank=True)
        self._text_row("left_on", "离开日期", beside=("离开方式", self.left_how))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)
        self.change_box = self._change_box() if person_id is not None else None
        self.error = finish_form(self, form, self.save, (580, 760),
                                 (self._change_room(self.change_box),) if self.change_box is not None else (),
                                 scroll=True)
        if person_id is not None:
            self._load()
        else:
            self._auto_managed = (date.today().isoformat(), "新录入")
            self.edits["managed_from"].setText(self._auto_managed[0])
            self.managed_how.set_value(self._auto_managed[1])
            for signal in (self.category.currentIndexChanged, self.relation.currentIndexChanged,
                           self.edits["reported_on"].textChanged):
                signal.connect(lambda *_: self._follow_arrival())
        for combo in (self.category, self.relation):
            combo.currentIndexChanged.connect(lambda _i: self._show_sections())
        for combo in (self.outlet, self.org, self.relation, self.status):
            combo.currentIndexChanged.connect(lambda _i: self._show_change_box())
        self.lost_contact.toggled.connect(lambda _on: self._show_change_box())
        self._show_sections()
        self._show_change_box()
        self.mark_clean()

    # Building ------------------------------------------------------------------------------------------
    def _basic_rows(self) -> None:
        """Identity, contact and the development dates, with 性别 and 人员类别 among them."""
        for key, label in TEXT_FIELDS:
            self._text_row(key, label)
            if key == "id_number":
                self.gender = ChoiceCombo()
                for text, value in (("", None), ("男", "男"), ("女", "女")):
                    self.gender.add_choice(text, value)
                self.gender.currentIndexChanged.connect(lambda _i: self._show_conflicts())
                self.hints["gender"] = QLabel()
                self.hints["gender"].hide()
                gender_row = QHBoxLayout()
                gender_row.addWidget(self.gender)
                gender_row.addWidget(self.hints["gender"], 1)
                self.form.addRow("性别", gender_row)
            elif key == "ethnicity":
                self.category = ChoiceCombo()
                for category in CATEGORIES:
                    self.category.add_choice(category, category)
                self.form.addRow("人员类别", self.category)
        self.edits["id_number"].editingFinished.connect(lambda: self._id_changed(finished=True))

    def _text_row(self, key: str, label: str, beside: tuple[str, QWidget] | None = None,
                  lead: tuple[QWidget, ...] = ()) -> int:
        """A line edit (with its hint line) as the next form row, optionally with widgets before and after it."""
        row = self.form.rowCount()
        edit, hint = QLineEdit(), QLabel()
        if key in DATE_FIELDS:
            edit.setPlaceholderText("如 2026-11-05" if key in DAY_FIELDS else "如 2020-07-01 或 2020.07")
        if key in DATE_FIELDS or key in ("id_number", "phone"):  # fields checked as they are typed
            reserve_lines(hint)
        else:
            hint.hide()
        line = QHBoxLayout()
        for widget in lead:
            line.addWidget(widget)
            line.addSpacing(4)
        line.addWidget(edit, 1)
        if beside is not None:
            line.addSpacing(8)
            line.addWidget(QLabel(beside[0]))
            line.addWidget(beside[1], 1)
        # A widget, not a layout, holds the row: showing a row shows a layout's children, empty hints included.
        field = QWidget()
        box = QVBoxLayout(field)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(line)
        box.addWidget(hint)
        self.form.addRow(label, field)
        self.edits[key], self.hints[key] = edit, hint
        edit.textChanged.connect(lambda _t, k=key: self._check(k))
        return row

    def _membership_rows(self) -> dict[str, list[int]]:
        """党籍状态, 失联 and 组织关系类型 with the fields of each relation; rows by the section they belong to."""
        rows: dict[str, list[int]] = {"member": [], "流入": [], "流出": []}
        self.status = ChoiceCombo()
        for value in ("正常", "停止党籍"):
            self.status.add_choice(value, value)
        rows["member"].append(self.form.rowCount())
        self.form.addRow("党籍状态", self.status)
        self.lost_contact = QCheckBox("已失去联系")
        rows["member"].append(self._text_row("lost_since", "失联", lead=(self.lost_contact, QLabel("失去联系日期"))))
        self.relation = _choices(RELATIONS, blank=False)
        rows["member"].append(self.form.rowCount())
        self.form.addRow("组织关系类型", self.relation)
        for relation, fields in RELATION_FIELDS.items():
            rows[relation] = [self._text_row(key, label) for key, label in fields]
        self.unverified_note = QLabel(UNVERIFIED_NOTE)
        self.unverified_note.setWordWrap(True)
        self.unverified_note.setStyleSheet(NOTE_STYLE)
        rows["待核实"] = [self.form.rowCount()]
        self.form.addRow("", self.unverified_note)
        return rows

    def _change_box(self) -> QWidget:
        """变动日期 and 更正, shown once a counted field differs; at the bottom, its room kept, so nothing moves."""
        box = QWidget()
        self.changed_on = QLineEdit(date.today().isoformat())
        self.changed_on.setPlaceholderText("不填为今天")
        self.changed_on.setMaximumWidth(120)
        self.change_note = QLabel()  # which fields changed, or how the typed date is read
        self.change_note.setWordWrap(True)
        self.changed_on.textChanged.connect(lambda _t: self._show_change_box())
        self.correction = QCheckBox(CORRECTION_TEXT)
        self.correction.toggled.connect(lambda on: (self.changed_on.setEnabled(not on), self._show_change_box()))
        line = QHBoxLayout()
        line.addWidget(QLabel("变动日期"))
        line.addWidget(self.changed_on)
        line.addWidget(self.correction, 1)
        reserve_lines(self.change_note)  # two lines under the date, the full width: the box keeps one height
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.change_note)
        policy = box.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        box.setSizePolicy(policy)
        return box

    def _change_room(self, box: QWidget) -> QWidget:
        """The change box's room, saying what it is for while no counted field has changed (not an empty gap)."""
        room = QWidget()
        self.idle_note = QLabel(IDLE_NOTE)
        self.idle_note.setWordWrap(True)
        self.idle_note.setStyleSheet(NOTE_STYLE)
        grid = QGridLayout(room)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(box, 0, 0)
        grid.addWidget(self.idle_note, 0, 0, Qt.AlignmentFlag.AlignTop)
        return room

    def _show_sections(self) -> None:
        """Membership rows for members only; the fields of 流入 or 流出 for that relation only."""
        member = self.category.value() in MEMBER_CATEGORIES
        relation = self.relation.value()
        for section, rows in self._member_rows.items():
            shown = member and section in ("member", relation)
            for row in rows:
                self.form.setRowVisible(row, shown)

    def _follow_arrival(self) -> None:
        """A new flowing-in member came under management on the day they reported here (流入报到).

        纳入管理日期 and 纳入方式 follow 组织关系类型 and 报到日期 only while they still hold what this dialog put
        there: otherwise a member added by hand would be counted from the day of typing, as 新录入.
        """
        if (self.edits["managed_from"].text().strip(), self.managed_how.value()) != self._auto_managed:
            return  # the user chose them
        arriving = self.category.value() in MEMBER_CATEGORIES and self.relation.value() == "流入"
        reported = parse_date(self.edits["reported_on"].text()) if arriving else None
        day = date.today().isoformat()
        if reported is not None and reported.ok and not reported.warning and reported.value is not None \
                and not reported.value.month_only:
            day = str(reported.value)
        self._auto_managed = (day, "流入报到" if arriving else "新录入")
        self.edits["managed_from"].setText(day)
        self.managed_how.set_value(self._auto_managed[1])

    def tracked_changes(self) -> list[str]:
        """Labels of the counted fields this edit changes (a new person has none)."""
        if self.person_id is None:
            return []
        now = self.form_values()
        keys = {"outlet": ("outlet", "brand")}
        return [label for key, label in TRACKED_FIELDS.values()
                if any(now[k] != self.original.get(k) for k in keys.get(key, (key,)))]

    def _show_change_box(self) -> None:
        if self.change_box is None or self._loading:
            return
        changed = self.tracked_changes()
        fields = "、".join(changed)
        if self.correction.isChecked():
            message, ok = f"{fields}按更正保存，不记变动日期。", True
        else:
            message, ok = date_hint(self.changed_on.text(), day_required=True)
            message = message if message or not ok else f"{fields}有变动；此前各期报表仍按原值。"
        self.change_note.setText(message)
        self.change_note.setStyleSheet(NOTE_STYLE if ok else BAD_STYLE)
        self.change_box.setVisible(bool(changed))
        self.idle_note.setVisible(not changed)

    def _load(self) -> None:
        p = get_person(self.reg, self.person_id or 0)
        self._loading = True
        try:
            for key, edit in self.edits.items():
                edit.setText("" if p.get(key) is None else str(p[key]))
            self.gender.set_value(p.get("gender") or None)
            self.category.set_value(p["category"])
            if p.get("outlet"):
                self.outlet.set_value((p["outlet"], p["brand"]), _outlet_label(p["outlet"], p["brand"]))
            if p.get("organization_id") and p.get("organization"):
                self.org.set_value(p["organization"])
            self.status.set_value(p.get("status") or "正常")
            self.lost_contact.setChecked(bool(p.get("lost_contact")))
            self.relation.set_value(p.get("relation") or "在册")
            self.managed_how.set_value(p.get("managed_how"), NOT_GIVEN)
            self.left_how.set_value(p.get("left_how"), NOT_GIVEN)
            self.notes.setPlainText(p.get("notes") or "")
        finally:
            self._loading = False
        # Stored values equal to what the number yields follow the number if it is corrected later.
        reading = self._reading(finished=True)
        shown = {"birth_date": self.edits["birth_date"].text().strip() or None, "gender": self.gender.value()}
        self._derived = {k: v for k, v in reading.derived.items() if v and shown[k] == v}
        self._show_id(reading)
        self._show_conflicts()
        self.original = self.form_values()

    # Checks as the user types ----------------------------------------------------------------------------
    def _reading(self, *, finished: bool) -> IdReading:
        return read_id(self.edits["id_number"].text(), finished=finished)

    def _show_id(self, reading: IdReading) -> None:
        hint = self.hints["id_number"]
        hint.setText(reading.message)
        hint.setToolTip(reading.message)
        hint.setStyleSheet({"complete": OK_STYLE, "partial": NOTE_STYLE}.get(reading.state, BAD_STYLE))

    def _id_changed(self, *, finished: bool) -> None:
        """Derived fields follow the number: filled when it is complete, cleared when it no longer yields them."""
        if self._loading:
            return
        if not finished:
            self._id_touched = True
        reading = self._reading(finished=finished)
        self._show_id(reading)
        if not self._id_touched:
            return
        derived = reading.derived
        if derived or not finished:  # leaving an incomplete field keeps what the last complete number gave
            typed_birth = self.edits["birth_date"].text().strip() or None
            if typed_birth is None or typed_birth == self._derived.get("birth_date"):
                self._derived["birth_date"] = derived.get("birth_date")
                self.edits["birth_date"].setText(derived.get("birth_date") or "")
            chosen = self.gender.value()
            if chosen is None or chosen == self._derived.get("gender"):
                self._derived["gender"] = derived.get("gender")
                self.gender.set_value(derived.get("gender"))
        self._show_conflicts()

    def _show_conflicts(self) -> None:
        found = conflicts(self._reading(finished=True), self.edits["birth_date"].text(), self.gender.value())
        if "birth_date" in found:
            show_hint(self.hints["birth_date"], found["birth_date"], False)
        else:
            show_hint(self.hints["birth_date"], *date_hint(self.edits["birth_date"].text()))
        show_hint(self.hints["gender"], found.get("gender", ""), False)

    def _check(self, key: str) -> None:
        if key == "id_number":
            self._id_changed(finished=False)
        elif key == "birth_date":
            self._show_conflicts()
        elif key == "phone":
            show_hint(self.hints[key], *phone_hint(self.edits[key].text()))
        elif key in DATE_FIELDS:
            show_hint(self.hints[key], *date_hint(self.edits[key].text(), day_required=key in DAY_FIELDS))

    # Saving ----------------------------------------------------------------------------------------------
    def form_values(self) -> dict[str, Any]:
        """Every field as the services take it."""
        out: dict[str, Any] = {k: e.text().strip() or None for k, e in self.edits.items()}
        out["gender"] = self.gender.value()
        out["category"] = self.category.value()
        out["outlet"], out["brand"] = self.outlet.value() or (None, None)
        out["organization"] = self.org.value()
        out["status"] = self.status.value()
        out["lost_contact"] = "是" if self.lost_contact.isChecked() else "否"
        out["relation"] = self.relation.value()
        out["managed_how"] = self.managed_how.value()
        out["left_how"] = self.left_how.value()
        out["notes"] = self.notes.toPlainText().strip() or None
        return out

    def values(self) -> dict[str, Any]:
        """For a new person every field; for an edit only what the user changed since the form was filled."""
        out = self.form_values()
        if self.person_id is None:
            if out["category"] not in MEMBER_CATEGORIES:  # hidden membership rows mean nothing for a non-member
                out.update(status="正常", lost_contact="否", relation="在册")
            return out
        changes = {k: v for k, v in out.items() if v != self.original.get(k)}
        if "outlet" in changes or "brand" in changes:  # the pair names one outlet
            changes["outlet"], changes["brand"] = out["outlet"], out["brand"]
        return changes

    def save(self) -> None:
        self._id_changed(finished=True)  # a 15-digit number is read now, before anything is compared
        values = self.values()
        if self.person_id is not None and not values:
            self.accept()  # nothing changed: nothing is written
            return
        if self.person_id is None or set(ID_DERIVED) & set(values):  # a conflict stored earlier is not asked again
            check = save_check(self._reading(finished=True), self.edits["birth_date"].text().strip(), self.gender.value())
            if check is not None and check[0] == "block":
                self.error.setText(check[1])
                return
            if check is not None and not confirm_conflict(self, check[1]):
                return
        try:
            if self.person_id is None:
                self.person_id = add_person(self.reg, **values)
            elif self.tracked_changes() and self.correction.isChecked():
                edit_person(self.reg, self.person_id, correction=True, **values)
            else:
                dated = self.changed_on.text().strip() if self.tracked_changes() else ""
                edit_person(self.reg, self.person_id, changed_on=dated or None, **values)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


def _outlet_label(name: str, brand: str | None) -> str:
    return f"{name}（{brand or '未注明品牌'}）"


def _choices(values: tuple[str, ...], *, blank: bool) -> ChoiceCombo:
    combo = ChoiceCombo()
    if blank:
        combo.add_choice(NOT_GIVEN, None)
    for value in values:
        combo.add_choice(value, value)
    return combo
