"""Flowing members reporting here (流动党员报到), and transfers of the formal relationship in and out."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.services.flowing import register_report, transfer_in, transfer_out
from registry.services.organizations import list_orgs
from registry.services.people import get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import BAD_STYLE, FormDialog, date_field

KEEP_ORG = "（不修改）"
DIRECTIONS = {"in": "组织关系转入", "out": "组织关系转出"}


def _org_combo(reg: Registry, first: str | None, select: str | None) -> QComboBox:
    combo = QComboBox()
    if first is not None:
        combo.addItem(first, None)
    for org in list_orgs(reg):
        combo.addItem("　" * org["depth"] + org["name"], org["name"])
    if select:
        combo.setCurrentIndex(max(combo.findData(select), 0))
    return combo


class _PersonDialog(FormDialog):
    """The frame both dialogs share: who it is about, a form, the red error line and the buttons."""

    def __init__(self, reg: Registry, person_id: int, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        self.person = get_person(reg, person_id)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.addRow("姓名", QLabel(f"{self.person['name']}（{self.person['category']}）"))
        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)

    def finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, 0)
        self.mark_clean()

    def save(self) -> None:
        try:
            self.submit()
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError


class FlowingReportDialog(_PersonDialog):
    """A member whose relationship is held elsewhere reports to an organisation here."""

    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(reg, person_id, "流动党员报到", parent)
        p = self.person
        self.home_org = QLineEdit(p.get("home_organization") or "")
        self.home_org.setPlaceholderText("必填：流出地党组织全称")
        self.form.addRow("组织关系所在党组织", self.home_org)
        # A member who has reported already keeps that date; a first report defaults to today.
        self.reported_on, self.reported_hint = date_field(self.form, "报到日期",
                                                          p.get("reported_on") or date.today().isoformat())
        self.home_contact = QLineEdit(p.get("home_contact") or "")
        self.home_contact.setPlaceholderText("姓名和电话")
        self.form.addRow("原党组织联系人", self.home_contact)
        self.certificate_no = QLineEdit(p.get("certificate_no") or "")
        self.form.addRow("流动党员活动证号", self.certificate_no)
        # Only the person's own organisation, not one inherited through their outlet.
        own = p.get("organization") if p.get("organization_id") else None
        self.org = _org_combo(reg, KEEP_ORG, own)
        self.form.addRow("在本地参加活动的党组织", self.org)
        self.finish()

    def submit(self) -> None:
        register_report(self.reg, self.person_id, home_organization=self.home_org.text().strip(),
                        reported_on=self.reported_on.text().strip(),
                        home_contact=self.home_contact.text().strip(),
                        certificate_no=self.certificate_no.text().strip(),
                        organization=self.org.currentData())


class TransferDialog(_PersonDialog):
    """direction "in": the relationship moves here; "out": it leaves, and the person is marked as left."""

    def __init__(self, reg: Registry, person_id: int, direction: str, parent: QWidget | None = None) -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        super().__init__(reg, person_id, DIRECTIONS[direction], parent)
        self.direction = direction
        p = self.person
        if direction == "in":
            self.org = _org_combo(reg, "（请选择）", p.get("organization"))
            self.form.addRow("转入党组织", self.org)
            self.from_org = QLineEdit(p.get("home_organization") or "")
            self.form.addRow("原党组织", self.from_org)
        else:
            self.to_org = QLineEdit()
            self.to_org.setPlaceholderText("必填：转往的党组织全称")
            self.form.addRow("转往党组织", self.to_org)
        self.letter_no = QLineEdit()
        self.form.addRow("介绍信编号", self.letter_no)
        required = "（必填）" if direction == "out" else ""
        self.issued_on, self.issued_hint = date_field(self.form, "开具日期", placeholder=f"如 2026-05-08{required}")
        if direction == "in":
            self.arrived_on, self.arrived_hint = date_field(self.form, "报到日期", date.today().isoformat())
        self.dues_paid_to, self.dues_hint = date_field(self.form, "党费交至", placeholder="年月，如 2026-04")
        self.finish()

    def submit(self) -> None:
        common = {"letter_no": self.letter_no.text().strip() or None, "issued_on": self.issued_on.text().strip(),
                  "dues_paid_to": self.dues_paid_to.text().strip()}
        if self.direction == "in":
            organization = self.org.currentData()
            if not organization:
                raise UserError("请选择转入的党组织；如列表中没有，请先在组织树中添加该党组织。")
            transfer_in(self.reg, self.person_id, organization=organization, from_org=self.from_org.text().strip(),
                        arrived_on=self.arrived_on.text().strip(), **common)
        else:
            transfer_out(self.reg, self.person_id, to_org=self.to_org.text().strip(), **common)
