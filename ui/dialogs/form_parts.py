"""Pieces every editing dialog shares: asking before discarding, combos that show stored values, hints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from registry.rules.dates import parse_date
from registry.rules.phone import check_phone
from registry.storage.database import Registry
from ui.fit import fit_dialog, scrolling

OK_STYLE = "color: #2e7d32;"
BAD_STYLE = "color: #c62828;"
NOTE_STYLE = "color: #666666;"
DISCARD_QUESTION = "表单中有尚未保存的修改，关闭后这些修改将会丢失。确定要放弃修改吗？"
NOT_FORM_DATA = "not_form_data"
RESERVED = "hint_reserved"  # label property: its line stays on screen while empty (see reserve_lines)  # widget property: a filter box or the like, not part of what is being edited


def confirm_discard(parent: QWidget) -> bool:
    """Ask whether unsaved changes may be thrown away; tests replace this."""
    answer = QMessageBox.question(parent, "放弃修改", DISCARD_QUESTION,
                                  QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def _in_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def widget_state(widget: QWidget) -> object:
    """What a user can change in one input widget; None for widgets that hold no form data."""
    if widget.property(NOT_FORM_DATA) or _in_item_view(widget):
        return None
    if isinstance(widget, QLineEdit):
        # The line edit inside an editable combo or a spin box is read through its owner.
        return None if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox) else widget.text()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    return None


class FormDialog(QDialog):
    """An editing dialog: Esc, the close button or 取消 ask before discarding what the user changed.

    A dialog calls mark_clean() once its fields show the record; an untouched form then closes silently.
    """

    _clean_state: tuple[object, ...] | None = None

    def form_state(self) -> tuple[object, ...]:
        states = (widget_state(w) for w in self.findChildren(QWidget))
        return (*(s for s in states if s is not None), *self.extra_state())

    def extra_state(self) -> tuple[object, ...]:
        """Form data held outside input widgets (a table model); none by default."""
        return ()

    def mark_clean(self) -> None:
        self._clean_state = self.form_state()

    def is_dirty(self) -> bool:
        return self._clean_state is not None and self.form_state() != self._clean_state

    def reject(self) -> None:
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()


class ChoiceCombo(QComboBox):
    """A combo whose choices carry Python values (compared with ==) and that can always show a stored value.

    QComboBox.findData cannot find a tuple such as (outlet, brand), so a form using it silently fell back to its
    first item and saving wiped the stored value. Here a value missing from the list is added rather than lost.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []

    def add_choice(self, label: str, value: Any) -> None:
        self._values.append(value)
        # Plain names and numbers also go in as item data, which QComboBox.findData can match.
        self.addItem(label, value if isinstance(value, str | int) else None)

    def value(self) -> Any:
        i = self.currentIndex()
        return self._values[i] if 0 <= i < len(self._values) else None

    def index_of(self, value: Any) -> int:
        return next((i for i, v in enumerate(self._values) if v == value), -1)

    def set_value(self, value: Any, label: str | None = None) -> None:
        """Show value; one not among the choices is added under label (or its text)."""
        i = self.index_of(value)
        if i < 0:
            self.add_choice(label or str(value), value)
            i = len(self._values) - 1
        self.setCurrentIndex(i)


def finish_form(dialog: QDialog, form: QFormLayout, save: Callable[[], None], size: tuple[int, int],
                middle: tuple[QWidget | QVBoxLayout | object, ...] = (), *, scroll: bool = True) -> QLabel:
    """Lay out form, optional middle widgets, the error line and Save/Cancel; returns the error label.

    With scroll the form scrolls inside the dialog, so that on a 1024×768 screen a long form never pushes
    保存/取消 off the bottom of the screen. The dialog opens at size (or the size the user last gave it), on screen.
    """
    error = QLabel()
    error.setStyleSheet(BAD_STYLE)
    error.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    if scroll:
        inner = QWidget()
        inner.setLayout(form)
        layout.addWidget(scrolling(inner), 1)
    else:
        layout.addLayout(form)
    for part in middle:
        if isinstance(part, QWidget):
            layout.addWidget(part, 1 if part.sizePolicy().verticalStretch() else 0)
        else:
            layout.addLayout(part)  # type: ignore[arg-type]
    layout.addWidget(error)
    layout.addWidget(buttons)
    fit_dialog(dialog, size)
    return error


def date_hint(text: str, *, day_required: bool = False) -> tuple[str, bool]:
    """What to show under a date field as it is typed: (message, ok). Empty text shows nothing."""
    text = text.strip()
    if not text:
        return "", True
    d = parse_date(text)
    if not d.ok or d.value is None:
        return d.message or "日期无法识别，请按2020-07-01格式填写。", False
    if d.warning:
        return d.message or "", False
    if day_required and d.value.month_only:
        return "需要具体到日，请按2026-11-05格式填写。", False
    if str(d.value) == text:
        return "", True  # already in the stored form: a hint repeating it only takes room
    return f"✓ {d.value}", True


def reserve_lines(hint: QLabel, lines: int = 2) -> None:
    """Give a hint under a field a fixed room of lines, empty or not, so that the fields below never move.

    Two lines hold the longest check sentence at a dialog's usual width; on a narrower one the rest of a
    sentence is in the hint's tooltip.
    """
    hint.setProperty(RESERVED, True)
    hint.setWordWrap(True)
    hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    hint.setFixedHeight(hint.fontMetrics().lineSpacing() * lines + 2)
    hint.show()


def hinted_field(form: QFormLayout, label: str, text: str = "", placeholder: str = "") -> tuple[QLineEdit, QLabel]:
    """A line edit with a hint line under it (its room kept while empty), added to the form."""
    edit, hint = QLineEdit(text), QLabel()
    if placeholder:
        edit.setPlaceholderText(placeholder)
    reserve_lines(hint)
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(edit)
    box.addWidget(hint)
    form.addRow(label, box)
    return edit, hint


def show_hint(hint: QLabel, message: str, ok: bool) -> None:
    hint.setText(message)
    hint.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
    hint.setToolTip(message)
    hint.setVisible(bool(message) or bool(hint.property(RESERVED)))


def date_field(form: QFormLayout, label: str, text: str = "",
               placeholder: str = "如 2026-05-08") -> tuple[QLineEdit, QLabel]:
    """A date line whose hint says, as the user types, how the date is read."""
    edit, hint = hinted_field(form, label, text, placeholder)
    edit.textChanged.connect(lambda value: show_hint(hint, *date_hint(value)))
    show_hint(hint, *date_hint(text))
    return edit, hint


def phone_hint(text: str) -> tuple[str, bool]:
    """What to show under a phone field as it is typed: (message, ok)."""
    text = text.strip()
    if not text:
        return "", True
    p = check_phone(text)
    if p.ok and p.number == text:
        return "", True  # already in the stored form
    return (f"✓ {p.number}", True) if p.ok else (p.message or "联系电话格式不正确。", False)


def branch_combo(reg: Registry, current: str | None = None) -> QComboBox:
    """The branches (党支部 and the like) to choose one from, on `current` when it is one; none is a sentence."""
    from registry.errors import UserError
    from registry.services.org_life_gaps import branches

    found = branches(reg)
    if not found:
        raise UserError("还没有党支部，请先在组织树中添加党支部。")
    combo = QComboBox()
    for b in found:
        combo.addItem(b["name"], b["id"])
    combo.setCurrentIndex(max(0, combo.findText(current or "")))
    return combo
