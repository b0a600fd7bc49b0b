"""TransferDialog: the letter's 有效期 on a transfer out, then the 回执 (or cancelling the letter) from the same menu."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from registry.errors import UserError
from registry.services.flowing import list_transfers, transfer_out
from registry.services.people import add_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from tests.ui.test_unchanged_save import snapshot
from ui.dialogs import flowing_dialog
from ui.dialogs.flowing_dialog import TransferDialog

ACCEPTED = QDialog.DialogCode.Accepted
TO = "湖北省武汉市江汉区某街道党工委"


@pytest.fixture
def member(branch: Registry) -> int:
    return add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
                      full_on="2011-07-01", outlet="沙河网点", brand="极兔速递", managed_from="2020-01-01")


def test_validity_follows_the_letter_date_until_typed(qtbot, branch: Registry, member: int) -> None:
    dialog = TransferDialog(branch, member, "out")
    qtbot.addWidget(dialog)
    assert dialog.valid_until.text() == "" and "3个月" in dialog.valid_until.placeholderText()
    dialog.to_org.setText(TO)
    dialog.issued_on.setText("2025.11.30")
    assert dialog.valid_until.text() == "2026-02-28"
    dialog.issued_on.setText("2026-04-2")  # still typing: the suggestion follows
    dialog.issued_on.setText("2026-04-20")
    assert dialog.valid_until.text() == "2026-07-20"
    dialog.valid_until.clear()
    qtbot.keyClicks(dialog.valid_until, "2026-05-20")  # the validity the letter states
    dialog.issued_on.setText("2026-04-21")
    assert dialog.valid_until.text() == "2026-05-20"
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    (t,) = list_transfers(branch, member)
    assert (t["issued_on"], t["valid_until"], t["status"]) == ("2026-04-21", "2026-05-20", "转出待接收")
    assert get_person(branch, member)["left_on"] is None


def test_reopened_on_a_pending_letter_it_records_the_receipt(qtbot, branch: Registry, member: int) -> None:
    transfer_out(branch, member, to_org=TO, letter_no="组转018号", issued_on="2026-04-20")
    dialog = TransferDialog(branch, member, "out")  # the same menu item: 组织关系转出…
    qtbot.addWidget(dialog)
    assert dialog.direction == "receipt" and dialog.windowTitle() == "组织关系转出回执"
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.frameGeometry().height() <= 768 - 40 and dialog.frameGeometry().width() <= 1024
    shown = " ".join(w.text() for w in dialog.findChildren(flowing_dialog.QLabel))
    assert TO in shown and "2026-07-20" in shown and "组转018号" in shown
    dialog.received_on.setText("2026-04-19")
    dialog.save()
    assert dialog.result() != ACCEPTED and "早于介绍信开具日期" in dialog.error.text()
    dialog.received_on.setText("2026-05-06")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, member)
    assert (p["left_on"], p["left_how"]) == ("2026-05-06", "组织关系转出")


def test_receipt_mode_saved_untouched_changes_nothing(qtbot, branch: Registry, member: int) -> None:
    transfer_out(branch, member, to_org=TO, issued_on="2026-04-20")
    before = snapshot(branch)
    dialog = TransferDialog(branch, member, "receipt")
    qtbot.addWidget(dialog)
    assert not dialog.is_dirty()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert snapshot(branch) == before


def test_cancel_an_unused_letter_after_asking(qtbot, branch: Registry, member: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    transfer_out(branch, member, to_org=TO, issued_on="2026-04-20")
    asked: list[str] = []
    answer = {"yes": False}
    monkeypatch.setattr(flowing_dialog, "confirm_cancel", lambda _p, s: asked.append(s) or answer["yes"])
    dialog = TransferDialog(branch, member, "out")
    qtbot.addWidget(dialog)
    dialog.cancel_button.click()
    assert len(asked) == 1 and TO in asked[0] and len(list_transfers(branch, member)) == 1
    answer["yes"] = True
    dialog.cancel_button.click()
    assert dialog.result() == ACCEPTED and list_transfers(branch, member) == []
    assert get_person(branch, member)["left_on"] is None
    fresh = TransferDialog(branch, member, "out")  # a new letter can be issued again
    qtbot.addWidget(fresh)
    assert fresh.direction == "out"


def test_a_lapsed_letter_says_so_and_receipt_needs_a_pending_letter(qtbot, branch: Registry, member: int) -> None:
    pid = add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2018-07-01",
                     managed_from="2020-01-01")
    with pytest.raises(UserError, match="没有待回执"):
        TransferDialog(branch, pid, "receipt")
    transfer_out(branch, member, to_org=TO, issued_on="2025-01-10")
    dialog = TransferDialog(branch, member, "out")
    qtbot.addWidget(dialog)
    shown = " ".join(w.text() for w in dialog.findChildren(flowing_dialog.QLabel))
    assert "已过有效期" in shown
