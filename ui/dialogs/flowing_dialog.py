"""Flowing members reporting here (流动党员报到), and transfers of the formal relationship in and out."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.dates import PartialDate, to_iso
from registry.rules.deadlines import LETTER_VALID_MONTHS, due_class
from registry.services.dues_ledger import paid_up_to
from registry.services.flowing import register_report, transfer_in, transfer_out
from registry.services.organizations import list_orgs
from registry.services.people import get_person
from registry.services.stations import report_points, station_label
from registry.services.transfers import cancel_transfer, default_valid_until, pending_out, record_receipt
from registry.storage.database import Registry
from ui.dialogs.form_parts import BAD_STYLE, NOTE_STYLE, FormDialog, date_field
from ui.fit import fit_dialog

KEEP_ORG = "（不修改）"
DIRECTIONS = {"in": "组织关系转入", "out": "组织关系转出"}
RECEIPT_TITLE = "组织关系转出回执"


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
        fit_dialog(self, (480, 0))
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
        # The 党员报到点 (a care station offering 党员报到处). The first choice changes nothing: a point named
        # before stays, even one closed since (choosing it again would be refused as closed).
        self.station = QComboBox()
        current = p.get("report_point")
        self.station.addItem(f"（不变：{current}）" if current else "（未在报到点报到）", None)
        for point in report_points(reg):
            self.station.addItem(station_label(point), point["id"])
        self.form.addRow("报到点", self.station)
        self.finish()

    def submit(self) -> None:
        register_report(self.reg, self.person_id, home_organization=self.home_org.text().strip(),
                        reported_on=self.reported_on.text().strip(),
                        home_contact=self.home_contact.text().strip(),
                        certificate_no=self.certificate_no.text().strip(),
                        organization=self.org.currentData(), station=self.station.currentData())


def confirm_cancel(parent: QWidget, sentence: str) -> bool:
    """Ask before deleting an unused letter's transfer record; tests replace this."""
    answer = QMessageBox.question(parent, "撤销组织关系转出", sentence,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class TransferDialog(_PersonDialog):
    """direction "in": the relationship moves here; "out": a letter is issued and the member stays here as
    转出待接收. Opened for "out" on a member whose letter is still waiting (or as "receipt"), it records the
    回执 that completes the transfer, or cancels an unused letter."""

    def __init__(self, reg: Registry, person_id: int, direction: str, parent: QWidget | None = None) -> None:
        if direction not in (*DIRECTIONS, "receipt"):
            raise ValueError(f"direction must be 'in', 'out' or 'receipt', not {direction!r}")
        pending = pending_out(reg, person_id) if direction != "in" else None
        if direction == "receipt" and pending is None:
            raise UserError("该人员没有待回执的组织关系转出记录；请先登记组织关系转出。")
        self.direction = "receipt" if pending is not None else direction
        super().__init__(reg, person_id, RECEIPT_TITLE if pending is not None else DIRECTIONS[direction], parent)
        if pending is not None:
            self.pending = pending
            self._receipt_fields(pending)
        else:
            self._letter_fields()
        self.finish()

    def _letter_fields(self) -> None:
        p = self.person
        if self.direction == "in":
            self.org = _org_combo(self.reg, "（请选择）", p.get("organization"))
            self.form.addRow("转入党组织", self.org)
            self.from_org = QLineEdit(p.get("home_organization") or "")
            self.form.addRow("原党组织", self.from_org)
        else:
            self.to_org = QLineEdit()
            self.to_org.setPlaceholderText("必填：转往的党组织全称")
            self.form.addRow("转往党组织", self.to_org)
        self.letter_no = QLineEdit()
        self.form.addRow("介绍信编号", self.letter_no)
        required = "（必填）" if self.direction == "out" else ""
        self.issued_on, self.issued_hint = date_field(self.form, "开具日期", placeholder=f"如 2026-05-08{required}")
        if self.direction == "in":
            self.arrived_on, self.arrived_hint = date_field(self.form, "报到日期", date.today().isoformat())
        else:
            # Filled from the letter's date until the user writes the validity the letter states.
            self.valid_until, self.valid_hint = date_field(
                self.form, "有效期至", placeholder=f"不填则为开具日期起{LETTER_VALID_MONTHS}个月")
            self._validity_typed = False
            self.valid_until.textEdited.connect(self._validity_edited)
            self.issued_on.textChanged.connect(self._suggest_validity)
        self.dues_paid_to, self.dues_hint = date_field(self.form, "党费交至", placeholder="年月，如 2026-04")
        if self.direction == "out" and (paid := paid_up_to(self.reg, self.person_id)):
            self.dues_paid_to.setPlaceholderText(f"不填则按党费交纳记录：{cn_date(paid)}")  # the service's default
        if self.direction == "out":
            note = QLabel("转出后该党员仍计入本单位（转出待接收），收到接收方回执后再次打开本窗口登记回执日期。")
            note.setWordWrap(True)
            note.setStyleSheet(NOTE_STYLE)
            self.form.addRow(note)

    def _validity_edited(self, text: str) -> None:
        self._validity_typed = bool(text.strip())

    def _suggest_validity(self, issued: str) -> None:
        if self._validity_typed:
            return
        try:
            iso = to_iso(issued)
        except ValueError:
            iso = None
        self.valid_until.setText(default_valid_until(iso) if iso else "")

    def _receipt_fields(self, t: dict[str, object]) -> None:
        for label, key in (("转往党组织", "to_org"), ("介绍信编号", "letter_no"), ("开具日期", "issued_on"),
                           ("有效期至", "valid_until"), ("党费交至", "dues_paid_to")):
            self.form.addRow(label, QLabel(str(t.get(key) or "（未填写）")))
        valid = t.get("valid_until")
        lapsed = bool(valid) and due_class("transfer_receipt", PartialDate.from_iso(str(valid)),
                                           date.today()) == "overdue"
        state = QLabel("介绍信已过有效期，尚未收到回执，请与接收方党组织联系。" if lapsed
                       else "转出待接收：该党员仍计入本单位，收到回执后登记回执日期。")
        state.setWordWrap(True)
        state.setStyleSheet(BAD_STYLE if lapsed else NOTE_STYLE)
        self.form.addRow(state)
        self.received_on, self.received_hint = date_field(self.form, "回执日期",
                                                          placeholder="收到回执的日期，如 2026-05-08")
        self.cancel_button = QPushButton("撤销这次转出（介绍信未使用）…")
        self.cancel_button.clicked.connect(self.cancel_letter)
        self.form.addRow(self.cancel_button)

    def cancel_letter(self) -> None:
        t = self.pending
        sentence = (f"确定撤销{self.person['name']}在{cn_date(t['issued_on'])}开具、转往{t['to_org']}的组织关系转出吗？"
                    "撤销后该党员照常留在本单位。")
        if not confirm_cancel(self, sentence):
            return
        try:
            cancel_transfer(self.reg, self.person_id, transfer_id=int(t["id"]))
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def submit(self) -> None:
        if self.direction == "receipt":
            received = self.received_on.text().strip()
            if received:  # saved with no receipt date: nothing to record, nothing changes
                record_receipt(self.reg, self.person_id, received, transfer_id=int(self.pending["id"]))
            return
        common = {"letter_no": self.letter_no.text().strip() or None, "issued_on": self.issued_on.text().strip(),
                  "dues_paid_to": self.dues_paid_to.text().strip()}
        if self.direction == "in":
            organization = self.org.currentData()
            if not organization:
                raise UserError("请选择转入的党组织；如列表中没有，请先在组织树中添加该党组织。")
            transfer_in(self.reg, self.person_id, organization=organization, from_org=self.from_org.text().strip(),
                        arrived_on=self.arrived_on.text().strip(), **common)
        else:
            transfer_out(self.reg, self.person_id, to_org=self.to_org.text().strip(),
                         valid_until=self.valid_until.text().strip() or None, **common)
