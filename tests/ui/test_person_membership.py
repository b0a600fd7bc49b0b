"""The person dialog keeps dated membership: relation and its fields, 纳入管理, and 变动日期 or 更正 (issue 10 §1)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from registry.rules.membership import TRACKED_COLUMNS
from registry.services.people import add_person, get_person
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from ui.dialogs.person_dialog import CORRECTION_TEXT, TRACKED_FIELDS, PersonDialog

ACCEPTED = QDialog.DialogCode.Accepted


@pytest.fixture
def member(branch: Registry) -> int:
    return add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
                      full_on="2011-07-01", outlet="沙河网点", brand="极兔速递", managed_from="2025-01-01")


def _dialog(qtbot, reg: Registry, pid: int | None = None) -> PersonDialog:
    dialog = PersonDialog(reg, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _shown(dialog: PersonDialog, *keys: str) -> list[bool]:
    return [dialog.edits[k].isVisibleTo(dialog) for k in keys]


def test_every_counted_column_is_a_field_of_the_dialog() -> None:
    assert set(TRACKED_FIELDS) == set(TRACKED_COLUMNS)


def test_relation_shows_its_own_fields_and_only_for_members(qtbot, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch)
    dialog.category.set_value("群众")
    assert not dialog.relation.isVisibleTo(dialog) and not dialog.status.isVisibleTo(dialog)
    assert _shown(dialog, "managed_from", "left_on") == [True, True]  # for everybody
    dialog.category.set_value("预备党员")
    assert dialog.relation.isVisibleTo(dialog) and dialog.relation.value() == "在册"
    assert _shown(dialog, "home_organization", "flow_destination") == [False, False]
    dialog.relation.set_value("流入")
    assert _shown(dialog, "home_organization", "home_contact", "reported_on", "certificate_no") == [True] * 4
    assert _shown(dialog, "flow_destination", "flow_left_on", "flow_contact") == [False] * 3
    dialog.relation.set_value("流出")
    assert _shown(dialog, "home_organization", "reported_on") == [False, False]
    assert _shown(dialog, "flow_destination", "flow_left_on", "flow_contact") == [True] * 3
    assert not dialog.unverified_note.isVisibleTo(dialog)
    dialog.relation.set_value("待核实")
    assert _shown(dialog, "home_organization", "flow_destination") == [False, False]
    assert dialog.unverified_note.isVisibleTo(dialog)
    # A row shown again keeps its hint line for a date checked as typed (reserved, so nothing moves), empty;
    # a field never checked has none.
    dialog.relation.set_value("流出")
    assert dialog.hints["flow_left_on"].isVisibleTo(dialog) and dialog.hints["flow_left_on"].text() == ""
    assert not dialog.hints["flow_destination"].isVisibleTo(dialog)


def test_a_new_person_came_under_management_today_by_hand(qtbot, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch)
    assert dialog.edits["managed_from"].text() == date.today().isoformat()
    assert dialog.managed_how.value() == "新录入" and dialog.change_box is None
    dialog.edits["name"].setText("李四")
    dialog.edits["id_number"].setText(ID_WOMAN_1992)
    dialog.category.set_value("正式党员")
    dialog.relation.set_value("流出")
    dialog.edits["flow_destination"].setText("广东省深圳市")
    dialog.edits["flow_left_on"].setText("2026.3")
    dialog.edits["managed_from"].setText("2026-11-03")
    dialog.managed_how.set_value("摸排新纳入")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, ID_WOMAN_1992)
    assert (p["relation"], p["flowing"], p["flow_destination"], p["flow_left_on"]) == ("流出", 0, "广东省深圳市", "2026-03")
    assert (p["managed_from"], p["managed_how"]) == ("2026-11-03", "摸排新纳入")
    assert statistics(branch, date(2026, 11, 2))["members"]["total"] == 0
    assert statistics(branch, date(2026, 11, 3))["members"]["registered"] == 1


def test_a_new_non_member_is_not_stored_with_a_relation_picked_before(qtbot, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch)
    dialog.edits["name"].setText("王五")
    dialog.edits["id_number"].setText(ID_WOMAN_1992)
    dialog.category.set_value("正式党员")
    dialog.relation.set_value("流入")
    dialog.category.set_value("群众")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, ID_WOMAN_1992)
    assert (p["relation"], p["flowing"]) == ("在册", 0)


def test_a_month_only_managed_from_is_refused_with_the_reason(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.edits["managed_from"].setText("2025-01")
    assert dialog.hints["managed_from"].isVisibleTo(dialog)  # said while typing
    dialog.save()
    assert dialog.result() != ACCEPTED and "写到日" in dialog.error.text()
    assert get_person(branch, member)["managed_from"] == "2025-01-01"


@pytest.mark.parametrize("change", [
    lambda d: d.outlet.set_value(("春熙路网点", "中通快递")),
    lambda d: d.org.set_value("流动党员党支部"),
    lambda d: d.relation.set_value("流出"),
    lambda d: d.status.set_value("停止党籍"),
    lambda d: d.lost_contact.setChecked(True),
], ids=["outlet", "organization", "relation", "status", "lost_contact"])
def test_the_change_date_appears_only_when_a_counted_field_changes(qtbot, member: int, branch: Registry,
                                                                   change) -> None:
    dialog = _dialog(qtbot, branch, member)
    assert not dialog.change_box.isVisibleTo(dialog)
    dialog.edits["job"].setText("分拣员")
    dialog.edits["managed_from"].setText("2024-06-01")
    assert not dialog.change_box.isVisibleTo(dialog)  # not counted by a state: no date asked
    change(dialog)
    assert dialog.change_box.isVisibleTo(dialog)
    assert dialog.changed_on.text() == date.today().isoformat()
    assert dialog.correction.text() == CORRECTION_TEXT and not dialog.correction.isChecked()


def test_the_change_date_goes_again_when_the_change_is_undone(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.outlet.set_value(("春熙路网点", "中通快递"))
    assert dialog.change_box.isVisibleTo(dialog)
    dialog.outlet.set_value(("沙河网点", "极兔速递"))
    assert not dialog.change_box.isVisibleTo(dialog)


def _place(widget: QWidget, dialog: PersonDialog) -> tuple[QPoint, int, int]:
    return widget.mapTo(dialog, QPoint(0, 0)), widget.width(), widget.height()


def test_the_change_date_appearing_moves_nothing(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    buttons = dialog.findChild(QDialogButtonBox)
    watched = [dialog.outlet, dialog.org, dialog.status, dialog.notes, dialog.edits["name"], buttons, dialog.error]
    before = [_place(w, dialog) for w in watched]
    dialog.outlet.set_value(("春熙路网点", "中通快递"))
    qtbot.wait(10)  # let the layout settle
    assert dialog.change_box.isVisibleTo(dialog)
    assert [_place(w, dialog) for w in watched] == before


def test_the_dialog_with_every_row_shown_fits_a_1024_by_768_screen(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.relation.set_value("流入")
    dialog.outlet.set_value(("春熙路网点", "中通快递"))
    # The form scrolls: the dialog is sized to the screen it opens on and can be far smaller than 1024×768.
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= min(1024, screen.width()) and dialog.height() <= screen.height() - 80
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 400
    buttons = dialog.findChild(QDialogButtonBox)
    for widget in (dialog.changed_on, dialog.correction, buttons):
        top = widget.mapTo(dialog, QPoint(0, 0)).y()
        assert top >= 0 and top + widget.height() <= dialog.height()


def test_a_dated_change_keeps_the_earlier_state_for_earlier_reports(qtbot, member: int, branch: Registry) -> None:
    old_outlet = branch.scalar("SELECT outlet_id FROM people WHERE id = ?", (member,))
    dialog = _dialog(qtbot, branch, member)
    dialog.outlet.set_value(("春熙路网点", "中通快递"))
    dialog.changed_on.setText("2026-11-10")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    spans = branch.query("SELECT valid_from, valid_to, outlet_id FROM person_states WHERE person_id = ?", (member,))
    assert spans == [{"valid_from": "2025-01-01", "valid_to": "2026-11-10", "outlet_id": old_outlet}]
    assert get_person(branch, member)["outlet"] == "春熙路网点"


def test_a_correction_rewrites_the_value_without_a_dated_change(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.outlet.set_value(("春熙路网点", "中通快递"))
    dialog.changed_on.setText("2026-11-10")
    assert "此前各期报表仍按原值" in dialog.change_note.text()
    dialog.correction.setChecked(True)
    assert not dialog.changed_on.isEnabled() and "按更正保存" in dialog.change_note.text()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert branch.scalar("SELECT count(*) FROM person_states WHERE person_id = ?", (member,)) == 0
    assert get_person(branch, member)["outlet"] == "春熙路网点"


def test_an_unreadable_change_date_is_said_and_nothing_is_written(qtbot, member: int, branch: Registry) -> None:
    before = branch.scalar("SELECT count(*) FROM audit_log")
    dialog = _dialog(qtbot, branch, member)
    dialog.status.set_value("停止党籍")
    dialog.changed_on.setText("2026-11")
    assert "具体到日" in dialog.change_note.text()  # said while typing
    dialog.save()
    assert dialog.result() != ACCEPTED and "变动日期" in dialog.error.text()
    assert branch.scalar("SELECT count(*) FROM audit_log") == before
    assert get_person(branch, member)["status"] == "正常"


def test_a_change_to_flowing_out_is_stored_with_its_fields(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.relation.set_value("流出")
    dialog.edits["flow_destination"].setText("浙江省杭州市")
    dialog.edits["flow_contact"].setText("杭州市快递行业党委 0571-12345678")
    dialog.changed_on.setText("2026-11-10")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, member)
    assert (p["relation"], p["flow_destination"], p["state_from"]) == ("流出", "浙江省杭州市", "2026-11-10")
    [span] = branch.query("SELECT relation, valid_to FROM person_states WHERE person_id = ?", (member,))
    assert span == {"relation": "在册", "valid_to": "2026-11-10"}


def test_leaving_is_stored_with_how(qtbot, member: int, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch, member)
    dialog.edits["left_on"].setText("2026-11-20")
    dialog.left_how.set_value("离开本单位")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, member)
    assert (p["left_on"], p["left_how"]) == ("2026-11-20", "离开本单位")


def test_a_new_flowing_in_member_is_managed_from_the_day_they_reported(qtbot, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch)
    dialog.edits["name"].setText("李四")
    dialog.edits["id_number"].setText(ID_WOMAN_1992)
    dialog.category.set_value("正式党员")
    dialog.relation.set_value("流入")
    assert dialog.managed_how.value() == "流入报到"
    dialog.edits["home_organization"].setText("四川省南充市顺庆区新建村党支部")
    dialog.edits["reported_on"].setText("2026-11")  # a month alone is no day to count from: today stays
    assert dialog.edits["managed_from"].text() == date.today().isoformat()
    dialog.edits["reported_on"].setText("2026.11.3")
    assert dialog.edits["managed_from"].text() == "2026-11-03"
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(branch, ID_WOMAN_1992)
    assert (p["relation"], p["flowing"], p["reported_on"]) == ("流入", 1, "2026-11-03")
    assert (p["managed_from"], p["managed_how"]) == ("2026-11-03", "流入报到")
    assert statistics(branch, date(2026, 11, 2))["members"]["flowing_in"] == 0
    assert statistics(branch, date(2026, 11, 3))["members"]["flowing_in"] == 1


def test_what_the_user_chose_for_managed_from_is_kept(qtbot, branch: Registry) -> None:
    dialog = _dialog(qtbot, branch)
    dialog.category.set_value("正式党员")
    dialog.edits["managed_from"].setText("2026-10-01")
    dialog.relation.set_value("流入")
    dialog.edits["reported_on"].setText("2026-11-03")
    assert (dialog.edits["managed_from"].text(), dialog.managed_how.value()) == ("2026-10-01", "新录入")
    other = _dialog(qtbot, branch)
    other.category.set_value("正式党员")
    other.relation.set_value("流入")
    other.relation.set_value("在册")  # back again: the defaults return
    assert (other.edits["managed_from"].text(), other.managed_how.value()) == (date.today().isoformat(), "新录入")
