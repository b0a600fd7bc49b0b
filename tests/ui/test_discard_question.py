"""Esc, the close button or 取消 on a changed form ask before discarding; an untouched form closes silently."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.ui.conftest import DiscardQuestion
from ui.dialogs.flowing_dialog import FlowingReportDialog, TransferDialog
from ui.dialogs.form_parts import FormDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.org_dialog import OrgDialog
from ui.dialogs.outlet_dialog import OutletDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.stage_dialog import StageDialog
from ui.dialogs.volunteer_dialog import VolunteerDialog

Opener = Callable[[Registry, int], FormDialog]
OPENERS: dict[str, Opener] = {
    "person-new": lambda reg, _pid: PersonDialog(reg),
    "person-edit": lambda reg, pid: PersonDialog(reg, pid),
    "stage": lambda reg, pid: StageDialog(reg, pid),
    "org-new": lambda reg, _pid: OrgDialog(reg),
    "org-edit": lambda reg, _pid: OrgDialog(reg, "城南快递联合党支部"),
    "outlet-new": lambda reg, _pid: OutletDialog(reg),
    "outlet-edit": lambda reg, _pid: OutletDialog(reg, ("沙河网点", "极兔速递")),
    "flowing": lambda reg, pid: FlowingReportDialog(reg, pid),
    "transfer-in": lambda reg, pid: TransferDialog(reg, pid, "in"),
    "transfer-out": lambda reg, pid: TransferDialog(reg, pid, "out"),
    "meeting": lambda reg, _pid: MeetingDialog(reg, organization="城南快递联合党支部"),
    "volunteer": lambda reg, pid: VolunteerDialog(reg, pid),
}


@pytest.fixture
def member(branch: Registry) -> int:
    return add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
                      full_on="2011-07-01", outlet="沙河网点", brand="极兔速递")


def _open(qtbot, reg: Registry, member: int, kind: str) -> FormDialog:
    dialog = OPENERS[kind](reg, member)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _first_text_field(dialog: FormDialog) -> QLineEdit:
    return next(e for e in dialog.findChildren(QLineEdit)
                if e.isVisibleTo(dialog) and e.isEnabled() and not e.isReadOnly() and e.parentWidget() is not None
                and not e.property("not_form_data") and type(e.parentWidget()).__name__ not in ("QComboBox",))


@pytest.mark.parametrize("kind", OPENERS)
def test_untouched_form_closes_silently(qtbot, branch: Registry, member: int, kind: str,
                                        discard_question: DiscardQuestion) -> None:
    dialog = _open(qtbot, branch, member, kind)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert discard_question.asked == 0 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


@pytest.mark.parametrize("kind", OPENERS)
def test_changed_form_asks_on_escape_and_on_close(qtbot, branch: Registry, member: int, kind: str,
                                                  discard_question: DiscardQuestion) -> None:
    dialog = _open(qtbot, branch, member, kind)
    field = _first_text_field(dialog)
    field.setText(field.text() + "改")
    discard_question.answer = False  # 取消: keep editing
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert discard_question.asked == 1 and dialog.isVisible()
    dialog.close()  # the window's close button
    assert discard_question.asked == 2 and dialog.isVisible()
    discard_question.answer = True  # 放弃修改
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert discard_question.asked == 3 and not dialog.isVisible()


def test_changing_back_to_what_was_loaded_is_no_change(qtbot, branch: Registry, member: int,
                                                       discard_question: DiscardQuestion) -> None:
    dialog = _open(qtbot, branch, member, "person-edit")
    dialog.edits["job"].setText("分拣员")
    dialog.edits["job"].setText("")
    dialog.reject()
    assert discard_question.asked == 0 and not dialog.isVisible()


def test_meeting_attendance_and_not_the_filter_count_as_changes(qtbot, branch: Registry, member: int,
                                                                discard_question: DiscardQuestion) -> None:
    dialog = _open(qtbot, branch, member, "meeting")
    dialog.filter.setText("zhang")
    assert not dialog.is_dirty()
    dialog.set_status(0, "请假")
    assert dialog.is_dirty()
