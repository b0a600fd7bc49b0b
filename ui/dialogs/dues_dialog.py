"""党费 dialogs: a member's base from a month on, and a payment of one or several members for one or several months."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from registry.errors import UserError
from registry.rules import dues as rules
from registry.services import dues
from registry.services.dues_ledger import bases_of, payments_of
from registry.services.people import get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, finish_form, reserve_lines


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    reserve_lines(label)
    return label


class DuesBaseDialog(FormDialog):
    """登记党费基数 (a new row from a month on), or 修改 one (base_id)."""

    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None,
                 base_id: int | None = None) -> None:
        super().__init__(parent)
        self.reg, self.person_id, self.base_id = reg, person_id, base_id
        person = get_person(reg, person_id)
        self.setWindowTitle("修改党费基数" if base_id else "登记党费基数")
        existing = next((b for b in bases_of(reg, person_id) if b.id == base_id), None) if base_id else None
        if base_id and existing is None:
            raise UserError(f"找不到编号为{base_id}的党费基数记录，请刷新后重试。")
        latest = (bases_of(reg, person_id) or [None])[-1]
        # A new base (a raise, a new job) starts from the latest one's class and place; the base is typed afresh.
        given = dues.base_input(existing) if existing else dues.BaseInput(
            f"{date.today():%Y-%m}", latest.payer_class if latest else None, pays_at=latest.pays_at if latest else None)
        form = QFormLayout()
        form.addRow("姓名", QLabel(f"{person['name']}（{person['category']}）"))
        if not base_id:
            known = QLabel(dues.bases_text(bases_of(reg, person_id)))
            known.setWordWrap(True)
            form.addRow("", known)
        self.from_month = QLineEdit(str(given.from_month))
        self.from_month.setPlaceholderText("年月，如 2026-01")
        form.addRow("自哪个月起", self.from_month)
        self.pays_at = QComboBox()
        self.pays_at.addItems(list(rules.PAYS_AT))
        self.pays_at.setCurrentText(given.pays_at or rules.PAYS_AT[0])
        form.addRow("交纳地点", self.pays_at)
        self.payer_class = QComboBox()
        self.payer_class.addItems(list(rules.CLASS_NAMES))
        self.payer_class.setCurrentText(given.payer_class or rules.DEFAULT_CLASS)
        form.addRow("交纳类别", self.payer_class)
        self.base = QLineEdit(str(given.base or ""))
        self.base.setPlaceholderText("每月税后收入（元），如 4200")
        form.addRow("交纳基数（元）", self.base)
        self.rate = _hint()
        form.addRow("", self.rate)
        self.amount = QLineEdit(str(given.amount or "") if (existing and existing.reason) or self._differs(given)
                                else "")
        self.amount.setPlaceholderText("不填则按规定比例计算；可多交")
        form.addRow("每月交纳（元）", self.amount)
        self.reason = QLineEdit(given.reason or "")
        self.reason.setPlaceholderText("少交或免交的原因（党支部研究、上级党委批准）")
        form.addRow("少交原因", self.reason)
        self.notes = QLineEdit(given.notes or "")
        form.addRow("备注", self.notes)
        for field in (self.base, self.amount):
            field.textChanged.connect(self._update)
        for combo in (self.payer_class, self.pays_at):
            combo.currentIndexChanged.connect(self._update)
        middle: tuple[QWidget, ...] = ()
        if base_id:
            remove = QPushButton("删除这条基数记录")
            remove.setToolTip("删除后，这一起始月份以后的月份按更早登记的基数计算")
            remove.clicked.connect(self.delete)
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(remove)
            row.addStretch(1)
            middle = (holder,)
        self.error = finish_form(self, form, self.save, (460, 0), middle)
        self._update()
        self.mark_clean()

    def delete(self) -> None:
        if QMessageBox.question(self, "删除党费基数", "确定删除这条党费基数记录吗？") != QMessageBox.StandardButton.Yes:
            return
        try:
            dues.delete_base(self.reg, int(self.base_id or 0))
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    @staticmethod
    def _differs(given: dues.BaseInput) -> bool:
        """A stored amount other than the rate is shown; the rate itself stays implied (an empty field)."""
        if not given.payer_class or given.amount in (None, ""):
            return False
        try:
            rate = rules.monthly_amount(given.payer_class, rules.money(given.base) if given.base else None)
        except ValueError:
            return True
        return rules.money(given.amount) != rate

    def _update(self) -> None:
        home = self.pays_at.currentText() == rules.PAYS_HOME
        for w in (self.payer_class, self.base, self.amount, self.reason):
            w.setEnabled(not home)
        needs_base = rules.CLASSES[self.payer_class.currentText()].needs_base
        self.base.setEnabled(not home and needs_base)
        self.rate.setText("在原籍党组织交纳党费：本单位不计应交和欠缴。" if home else
                          dues.rate_sentence(self.payer_class.currentText(), self.base.text().strip()))

    def given(self) -> dues.BaseInput:
        home = self.pays_at.currentText() == rules.PAYS_HOME
        needs_base = rules.CLASSES[self.payer_class.currentText()].needs_base
        return dues.BaseInput(self.from_month.text().strip(), None if home else self.payer_class.currentText(),
                              self.base.text().strip() if needs_base and not home else None,
                              self.amount.text().strip() or None, self.reason.text().strip() or None,
                              self.pays_at.currentText(), self.notes.text().strip() or None)

    def save(self) -> None:
        try:
            if self.base_id:
                dues.edit_base(self.reg, self.base_id, self.given())
            else:
                dues.set_base(self.reg, self.person_id, self.given())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class DuesPaymentDialog(FormDialog):
    """交纳党费 for the members chosen (one payment each, the same months), or 修改 one payment (payment_id)."""

    def __init__(self, reg: Registry, person_ids: list[int], parent: QWidget | None = None,
                 payment_id: int | None = None, months: tuple[str, str] | None = None) -> None:
        super().__init__(parent)
        self.reg, self.person_ids, self.payment_id = reg, list(person_ids), payment_id
        if not self.person_ids:
            raise UserError("请先在表格中选中交纳党费的党员。")
        self.setWindowTitle("修改党费交纳记录" if payment_id else "交纳党费")
        names = [get_person(reg, pid)["name"] for pid in self.person_ids]
        if payment_id:
            found = next((p for p in payments_of(reg, self.person_ids[0]) if p.id == payment_id), None)
            if found is None:
                raise UserError(f"找不到编号为{payment_id}的党费交纳记录，请刷新后重试。")
            given = dues.payment_input(found)
        else:
            this = f"{date.today():%Y-%m}"
            first, last = months or (this, this)
            given = dues.PaymentInput(f"{first}..{last}", date.today().isoformat())
        first, _, last = str(given.months).partition("..")
        form = QFormLayout()
        shown = "、".join(names[:8]) + (f"等{len(names)}人" if len(names) > 8 else "")
        who = QLabel(shown)
        who.setWordWrap(True)
        form.addRow("党员", who)
        self.first = QLineEdit(first)
        self.first.setPlaceholderText("年月，如 2026-01")
        form.addRow("起始月份", self.first)
        self.last = QLineEdit(last or first)
        self.last.setPlaceholderText("年月，如 2026-06")
        form.addRow("截止月份", self.last)
        self.due = _hint()
        form.addRow("", self.due)
        self.paid_on = QLineEdit(str(given.paid_on))
        self.paid_on.setPlaceholderText("如 2026-06-30")
        form.addRow("交纳日期", self.paid_on)
        self.amount = QLineEdit(str(given.amount or ""))
        self.amount.setPlaceholderText("每人交纳的总金额（元）；不填则按基数计算")
        form.addRow("金额（元）", self.amount)
        self.reason = QLineEdit(given.reason or "")
        self.reason.setPlaceholderText("少交的原因（可不填）")
        form.addRow("少交原因", self.reason)
        self.notes = QLineEdit(given.notes or "")
        form.addRow("备注", self.notes)
        for field in (self.first, self.last):
            field.textChanged.connect(self._update)
        self.error = finish_form(self, form, self.save, (460, 0))
        self._update()
        self.mark_clean()

    def _months(self) -> str:
        first, last = self.first.text().strip(), self.last.text().strip()
        return f"{first}..{last or first}" if last and last != first else first

    def _update(self) -> None:
        self.due.setText(dues.months_due_sentence(self.reg, self.person_ids, self._months()))

    def given(self) -> dues.PaymentInput:
        return dues.PaymentInput(self._months(), self.paid_on.text().strip(), self.amount.text().strip() or None,
                                 self.reason.text().strip() or None, self.notes.text().strip() or None)

    def save(self) -> None:
        try:
            if self.payment_id:
                dues.edit_payment(self.reg, self.payment_id, self.given())
            else:
                dues.pay(self.reg, self.person_ids, self.given())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
