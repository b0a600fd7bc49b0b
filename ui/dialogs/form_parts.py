"""Pieces every editing dialog shares: the red error line with Save/Cancel, and the live date hint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from registry.rules.dates import parse_date
from registry.rules.phone import check_phone

OK_STYLE = "color: #2e7d32;"
BAD_STYLE = "color: #c62828;"


def finish_form(dialog: QDialog, form: QFormLayout, save: Callable[[], None], size: tuple[int, int],
                middle: tuple[QWidget | QVBoxLayout | object, ...] = ()) -> QLabel:
    """Lay out form, optional middle widgets, the error line and Save/Cancel; returns the error label."""
    error = QLabel()
    error.setStyleSheet(BAD_STYLE)
    error.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    for part in middle:
        if isinstance(part, QWidget):
            layout.addWidget(part, 1 if part.sizePolicy().verticalStretch() else 0)
        else:
            layout.addLayout(part)  # type: ignore[arg-type]
    layout.addWidget(error)
    layout.addWidget(buttons)
    dialog.resize(*size)
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
    return f"✓ {d.value}", True


def hinted_field(form: QFormLayout, label: str, text: str = "", placeholder: str = "") -> tuple[QLineEdit, QLabel]:
    """A line edit with a hint line under it (hidden while empty), added to the form."""
    edit, hint = QLineEdit(text), QLabel()
    if placeholder:
        edit.setPlaceholderText(placeholder)
    hint.setWordWrap(True)
    hint.hide()
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(edit)
    box.addWidget(hint)
    form.addRow(label, box)
    return edit, hint


def show_hint(hint: QLabel, message: str, ok: bool) -> None:
    hint.setText(message)
    hint.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
    hint.setVisible(bool(message))


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
    return (f"✓ {p.number}", True) if p.ok else (p.message or "联系电话格式不正确。", False)
