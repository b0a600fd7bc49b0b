"""Typing an ID number key by key: birth date and sex follow the final number, conflicts are shown (issue 9 §1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from registry.services.people import add_person, get_person
from registry.storage.database import Registry
from ui.dialogs import person_dialog
from ui.dialogs.person_dialog import PersonDialog

NEW = "31012020090501001X"  # born 2009-05-01, 男; its first 15 digits read as an old number born 1920-09-05
OTHER = "510104198503154210"  # born 1985-03-15, 男
WOMAN = "420106199207080064"  # born 1992-07-08, 女
OLD = "110105491231002"  # old 15-digit number: born 1949-12-31, 女


@pytest.fixture
def dialog(qtbot, reg: Registry) -> PersonDialog:
    d = PersonDialog(reg)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitActive(d)  # focus moves (and editingFinished fires) only in the active window
    return d


def _type_id(qtbot, d: PersonDialog, number: str) -> list[str]:
    """Type the number key by key into an emptied field; returns every birth date shown on the way."""
    seen: list[str] = []
    d.edits["birth_date"].textChanged.connect(seen.append)
    edit = d.edits["id_number"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, number)
    d.edits["birth_date"].textChanged.disconnect(seen.append)
    return seen


def _leave_id_field(qtbot, d: PersonDialog) -> None:
    d.edits["id_number"].setFocus()
    qtbot.keyClick(d.edits["id_number"], Qt.Key.Key_Tab)
    assert not d.edits["id_number"].hasFocus()


def test_typing_an_18_digit_number_never_shows_the_15_digit_reading(qtbot, dialog: PersonDialog) -> None:
    seen = _type_id(qtbot, dialog, NEW)
    assert "1920-09-05" not in seen
    assert dialog.edits["birth_date"].text() == "2009-05-01" and dialog.gender.value() == "男"
    assert dialog.hints["id_number"].text().startswith("✓") and "2009-05-01" in dialog.hints["id_number"].text()


def test_a_derived_birth_date_follows_a_corrected_number(qtbot, dialog: PersonDialog) -> None:
    _type_id(qtbot, dialog, OTHER)
    assert dialog.edits["birth_date"].text() == "1985-03-15"
    qtbot.keyClick(dialog.edits["id_number"], Qt.Key.Key_Backspace)  # now incomplete: the derived values go
    assert dialog.edits["birth_date"].text() == "" and dialog.gender.value() is None
    _type_id(qtbot, dialog, WOMAN)
    assert dialog.edits["birth_date"].text() == "1992-07-08" and dialog.gender.value() == "女"


def test_a_15_digit_number_is_read_once_the_field_is_left(qtbot, dialog: PersonDialog) -> None:
    seen = _type_id(qtbot, dialog, OLD)
    assert seen == [] and dialog.edits["birth_date"].text() == ""
    assert "15位" in dialog.hints["id_number"].text()
    _leave_id_field(qtbot, dialog)
    assert dialog.edits["birth_date"].text() == "1949-12-31" and dialog.gender.value() == "女"
    assert "旧式" in dialog.hints["id_number"].text()


def test_a_typed_birth_date_that_disagrees_is_kept_and_shown_as_a_conflict(qtbot, dialog: PersonDialog,
                                                                           reg: Registry,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.edits["name"].setText("张三")  # QTest types ASCII only
    qtbot.keyClicks(dialog.edits["birth_date"], "1990-01-01")
    dialog.gender.set_value("女")
    _type_id(qtbot, dialog, OTHER)
    assert dialog.edits["birth_date"].text() == "1990-01-01" and dialog.gender.value() == "女"
    assert "不一致" in dialog.hints["birth_date"].text() and "1985年3月15日" in dialog.hints["birth_date"].text()
    assert "不一致" in dialog.hints["gender"].text() and dialog.hints["gender"].isVisibleTo(dialog)
    asked: list[str] = []
    monkeypatch.setattr(person_dialog, "confirm_conflict", lambda _p, s: asked.append(s) or False)
    dialog.save()  # a sex at odds with the number blocks, in one sentence
    assert asked == [] and "性别" in dialog.error.text() and dialog.error.text().count("。") == 1
    dialog.gender.set_value("男")
    assert not dialog.hints["gender"].isVisibleTo(dialog)
    dialog.save()  # a birth date at odds asks once
    assert len(asked) == 1 and "出生日期" in asked[0]
    assert dialog.result() != QDialog.DialogCode.Accepted and reg.scalar("SELECT count(*) FROM people") == 0
    monkeypatch.setattr(person_dialog, "confirm_conflict", lambda _p, _s: True)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    p = get_person(reg, OTHER)
    assert (p["birth_date"], p["gender"]) == ("1990-01-01", "男")


def test_editing_follows_the_number_only_once_it_is_changed(qtbot, reg: Registry) -> None:
    pid = add_person(reg, name="李四", id_number=OTHER)  # birth date and sex derived by the service
    d = PersonDialog(reg, pid)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitActive(d)
    _leave_id_field(qtbot, d)
    assert d.values() == {}
    _type_id(qtbot, d, WOMAN)
    assert d.values() == {"id_number": WOMAN, "birth_date": "1992-07-08", "gender": "女"}
    d.save()
    assert d.result() == QDialog.DialogCode.Accepted
    assert (get_person(reg, pid)["birth_date"], get_person(reg, pid)["gender"]) == ("1992-07-08", "女")
