"""The pieces that make screens fit: wrapping rows, dialog sizes remembered and clamped, hint lines kept."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, QSize
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from ui.dialogs.person_dialog import PersonDialog
from ui.fit import FRAME, fit_dialog, simulated_screen
from ui.widgets.flow_layout import FlowLayout


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def test_a_flow_layout_wraps_instead_of_widening_its_window(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    flow = FlowLayout(fill=True)
    buttons = [QPushButton(f"按钮{'很长' * i}") for i in range(5)]
    for button in buttons:
        flow.addWidget(button)
    layout = QVBoxLayout(holder)
    layout.addLayout(flow)
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() == widest  # not the sum of all five
    one_row = flow.heightForWidth(sum(b.sizeHint().width() for b in buttons) + 100)
    assert flow.heightForWidth(widest + 10) > 3 * buttons[0].sizeHint().height() > one_row
    holder.resize(widest + 60, 400)
    holder.show()
    QApplication.processEvents()
    for button in buttons:
        top_left = button.mapTo(holder, QPoint(0, 0))
        assert top_left.x() >= 0 and top_left.x() + button.width() <= holder.width()
        assert button.width() >= button.minimumSizeHint().width()
    tops = sorted({b.y() for b in buttons})
    assert len(tops) >= 3  # wrapped onto rows that do not overlap
    assert all(later - earlier >= buttons[0].height() for earlier, later in pairwise(tops))


class _Sized(QDialog):
    def __init__(self) -> None:
        super().__init__()
        QVBoxLayout(self).addWidget(QPushButton("保存"))
        fit_dialog(self, (500, 300))


def test_a_dialog_opens_at_the_size_the_user_left_it_never_larger_than_the_screen(qtbot) -> None:
    with simulated_screen(QSize(1920, 1040)):
        first = _Sized()
        qtbot.addWidget(first)
        assert first.size() == QSize(500, 300)
        first.done(0)  # closed untouched: nothing to remember
        assert QSettings().value("dialogs/_Sized/size") is None
        second = _Sized()
        qtbot.addWidget(second)
        second.resize(900, 700)
        second.done(0)
        third = _Sized()
        qtbot.addWidget(third)
        assert third.size() == QSize(900, 700)
    with simulated_screen(QSize(683, 472)):
        small = _Sized()
        qtbot.addWidget(small)
        assert small.size() == QSize(683, 472) - FRAME  # the frame and title bar stay on the screen too


def test_typing_in_checked_fields_moves_no_field(qtbot, reg: Registry) -> None:
    """Hint lines under the ID number, dates and phone keep their room, so a click never lands in the wrong field."""
    with simulated_screen(QSize(683, 472)):
        dialog = PersonDialog(reg, None)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()

    def places() -> list[tuple[int, int]]:
        edits = [e for e in dialog.findChildren(QLineEdit) if e.isVisibleTo(dialog) and not e.parentWidget()
                 .inherits("QComboBox")]
        return [(e.mapTo(dialog, QPoint(0, 0)).y(), e.height()) for e in edits] + [dialog.size().toTuple()]

    before = places()
    for key, text in (("id_number", "51010419850"), ("id_number", ID_MAN_1985[:15]), ("birth_date", "2020-13"),
                      ("phone", "123"), ("joined_on", "2010.7"), ("managed_from", "2026-11"), ("id_number", "5101X")):
        dialog.edits[key].setText(text)
        QApplication.processEvents()
        assert dialog.hints[key].text(), key  # a hint is shown...
        assert places() == before, (key, text)  # ...and nothing moved


def test_typing_moves_no_field_in_any_dialog(qtbot, reg: Registry) -> None:
    """Every line of every dialog typed with a wrong date: the hint that answers takes a line kept for it."""
    from registry.demo import fill_demo
    from ui.main_window import MainWindow
    from ui.screens import open_screen, screens

    fill_demo(reg, people=60)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    for name, screen in screens().items():
        if screen.kind != "dialog" or name == "report":  # the report dialog has no form to type in
            continue
        dialog = open_screen(window, name, QSize(1024, 728))
        qtbot.addWidget(dialog)
        edits = [e for e in dialog.findChildren(QLineEdit) if e.isVisibleTo(dialog) and e.isEnabled()
                 and not e.parentWidget().inherits("QComboBox") and not e.parentWidget().inherits("QAbstractSpinBox")]

        def places(dialog: QWidget = dialog, edits: list[QLineEdit] = edits) -> list[int]:
            return [e.mapTo(dialog, QPoint(0, 0)).y() for e in edits]

        before = places()
        for edit in edits:
            edit.setText("2020-13")
            QApplication.processEvents()
            assert places() == before, (name, edit.placeholderText())
        dialog.hide()


def test_the_import_screens_change_nothing_in_the_open_database(qtbot, reg: Registry) -> None:
    from registry.demo import fill_demo
    from ui.main_window import MainWindow
    from ui.screens import open_screen

    fill_demo(reg, people=40)
    tables = [r["name"] for r in reg.query("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def snapshot() -> dict[str, int]:
        return {t: reg.scalar(f'SELECT count(*) FROM "{t}"') for t in tables}

    before = snapshot()
    window = MainWindow(reg)
    qtbot.addWidget(window)
    for name, step in (("import-sheets", 1), ("import-preview", 2), ("import-done", 3)):
        open_screen(window, name, QSize(1024, 728))
        assert window.importer.stack.currentIndex() == step
    assert window.importer.summary_title.text() == "导入完成"
    assert window.importer.count_labels["rejected"].text() == "1"  # the mistyped ID number
    assert snapshot() == before


def test_a_dialog_grown_to_its_minimum_by_qt_remembers_nothing(qtbot) -> None:
    with simulated_screen(QSize(400, 300)):
        dialog = QDialog()
        qtbot.addWidget(dialog)
        tall = QWidget()
        tall.setMinimumSize(360, 400)  # more than the 300 − 80 the screen leaves
        QVBoxLayout(dialog).addWidget(tall)
        fit_dialog(dialog, (300, 200))
        dialog.show()
        QApplication.processEvents()
        assert dialog.height() >= 400
        dialog.done(0)
    assert QSettings().value("dialogs/QDialog/size") is None
