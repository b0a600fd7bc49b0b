"""The 组织生活 page and its dialogs: list, filter, sort, export, hold, delete; unchanged saves write nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from registry.demo import fill_demo
from registry.services.meetings import add_meeting, get_meeting, list_meetings
from registry.services.party_groups import branch_settings
from registry.storage.database import Registry
from ui.dialogs.branch_settings_dialog import BranchSettingsDialog
from ui.dialogs.meeting_dialog import NOT_NOTIFIED, MeetingDialog
from ui.dialogs.party_group_dialog import PartyGroupDialog
from ui.main_window import MainWindow
from ui.pages.org_life_page import OrgLifePage

ACCEPTED = QDialog.DialogCode.Accepted
GROUPED = "开发区快递物流联合党支部"


@pytest.fixture
def demo(reg: Registry) -> Registry:
    fill_demo(reg, people=200)
    return reg


def audit_rows(reg: Registry) -> int:
    return int(reg.scalar("SELECT count(*) FROM audit_log"))


def _held(reg: Registry) -> int:
    return int(reg.scalar("SELECT m.id FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id"
                          " WHERE m.kind = '民主评议党员' GROUP BY m.id ORDER BY count(*) DESC LIMIT 1"))


def test_an_existing_meeting_saved_unchanged_writes_nothing(qtbot: Any, demo: Registry, tmp_path: Path) -> None:
    meeting_id = _held(demo)
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"x")
    before_meeting = get_meeting(demo, meeting_id)
    dialog = MeetingDialog(demo, meeting_id=meeting_id)
    qtbot.addWidget(dialog)
    assert not dialog.table.isColumnHidden(4)  # the grades of a 民主评议
    before = audit_rows(demo)
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert dialog.saved_message == "没有修改任何内容。" and audit_rows(demo) == before
    assert get_meeting(demo, meeting_id) == before_meeting
    # A change is saved and confirmed in one sentence.
    dialog = MeetingDialog(demo, meeting_id=meeting_id)
    qtbot.addWidget(dialog)
    dialog.set_status(0, "请假", "外出派件")
    dialog.add_paths([str(photo)])
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert dialog.saved_message.startswith("已保存修改：") and "请假" in dialog.saved_message
    after = get_meeting(demo, meeting_id)
    assert [a["name"] for a in after["attachments"]] == ["签到表.jpg"]
    assert any(a["reason"] == "外出派件" for a in after["attendance"])


def test_a_new_meeting_takes_the_roll_call_on_its_day(qtbot: Any, demo: Registry) -> None:
    dialog = MeetingDialog(demo, organization=GROUPED)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("党小组会")
    dialog.group.setCurrentIndex(dialog.group.findText("第一党小组"))
    assert dialog.model.rowCount() > 0 and set(dialog.model.status) == {"出席"}
    whole = len(dialog.model.members)
    dialog.kind.setCurrentText("主题党日")
    assert len(dialog.model.members) > whole  # the whole branch, not one group
    dialog.set_status(0, NOT_NOTIFIED)
    dialog.held_on.setText("2099-01-01")
    dialog.save()
    assert dialog.result() != ACCEPTED and "还没有到" in dialog.error.text()
    dialog.status.setCurrentText("计划")
    assert not dialog.table.isEnabled()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert get_meeting(demo, dialog.meeting_id or 0)["status"] == "计划"


def test_page_lists_filters_sorts_exports_and_deletes(qtbot: Any, demo: Registry, tmp_path: Path) -> None:
    page = OrgLifePage(demo)
    qtbot.addWidget(page)
    everything = len(list_meetings(demo))
    assert page.proxy.rowCount() == everything and page.gap_rows
    page.kind.setCurrentText("主题党日")
    assert 0 < page.proxy.rowCount() == len(list_meetings(demo, kind="主题党日"))
    page.kind.setCurrentIndex(0)
    page.status.setCurrentText("计划")
    assert page.proxy.rowCount() == 1
    page.status.setCurrentIndex(0)
    branch = demo.scalar("SELECT id FROM organizations WHERE name = ?", (GROUPED,))
    page.set_scope(branch, GROUPED)
    assert page.proxy.rowCount() == len(list_meetings(demo, [branch]))
    assert {g["organization"] for g in page.gap_rows} <= {GROUPED}
    page.table.sortByColumn(11, Qt.SortOrder.AscendingOrder)  # 实到, as numbers
    present = [int(page.proxy.index(r, 11).data()) for r in range(page.proxy.rowCount())]
    assert present == sorted(present)
    out = tmp_path / "组织生活.xlsx"
    page.export_to(out)
    sheet = load_workbook(out)["组织生活"]
    ids = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(ids) == page.proxy.rowCount() and "已导出" in page.last_message
    page.table.selectRow(0)
    chosen = page.selected_id()
    assert chosen is not None
    page.delete_now(chosen)
    assert page.last_message.startswith("已删除：") and len(list_meetings(demo)) == everything - 1


def test_hold_turns_a_plan_into_a_held_meeting(qtbot: Any, demo: Registry) -> None:
    saved = add_meeting(demo, organization=GROUPED, kind="支部党员大会", held_on=date.today().isoformat(),
                        status="计划")
    dialog = MeetingDialog(demo, meeting_id=saved.meeting_id, hold=True)
    qtbot.addWidget(dialog)
    assert dialog.status.currentText() == "已召开" and dialog.model.rowCount() > 0
    assert set(dialog.model.status) == {"出席"}  # everyone ticked
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    m = get_meeting(demo, saved.meeting_id)
    assert m["status"] == "已召开" and m["present"] == m["invited"] > 0


def test_group_and_settings_dialogs_unchanged_and_changed(qtbot: Any, demo: Registry) -> None:
    groups = PartyGroupDialog(demo, GROUPED)
    qtbot.addWidget(groups)
    assert groups.groups.count() == 2
    before = audit_rows(demo)
    groups.save()
    assert audit_rows(demo) == before
    first = groups.members.item(0)
    first.setCheckState(Qt.CheckState.Unchecked if first.checkState() == Qt.CheckState.Checked
                        else Qt.CheckState.Checked)
    groups.save()
    assert audit_rows(demo) > before and groups.saved_message.startswith("已保存第")
    settings = BranchSettingsDialog(demo, GROUPED)
    qtbot.addWidget(settings)
    before = audit_rows(demo)
    settings.save()
    assert audit_rows(demo) == before
    settings = BranchSettingsDialog(demo, GROUPED)
    qtbot.addWidget(settings)
    settings.lessons.setCurrentIndex(settings.lessons.findData(4))
    settings.save()
    org = demo.scalar("SELECT id FROM organizations WHERE name = ?", (GROUPED,))
    assert branch_settings(demo, org).lessons_per_year == 4 and settings.result() == ACCEPTED


def test_the_window_shows_the_page_with_ctrl_6_and_the_tree_scopes_it(qtbot: Any, demo: Registry) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    view = next(a for a in window.findChildren(type(window.menuBar().actions()[0])) if a.text() == "组织生活")
    assert view.shortcut().toString() == "Ctrl+6"
    view.trigger()
    assert window.pages.currentWidget() is window.org_life
    items = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    while items and items[0].text(0) != GROUPED:
        item = items.pop(0)
        items += [item.child(i) for i in range(item.childCount())]
    branch = items[0]
    window._tree_clicked(branch)
    assert window.pages.currentWidget() is window.org_life and window.org_life.scope_title == GROUPED


def test_the_group_dialog_enters_members_from_a_day_in_one_transaction(qtbot: Any, demo: Registry) -> None:
    """A secretary entering last spring's 编组: the ticks take effect from the day she writes, all or nothing."""
    from registry.services.party_groups import list_groups

    groups = PartyGroupDialog(demo, GROUPED)
    qtbot.addWidget(groups)
    group = groups.group()
    assert group is not None
    ticked = [i for i in range(groups.members.count()) if groups.members.item(i).checkState() == Qt.CheckState.Checked]
    out = groups.members.item(ticked[0])
    person = int(out.data(Qt.ItemDataRole.UserRole))
    out.setCheckState(Qt.CheckState.Unchecked)
    groups.on.setText("2026-13-01")  # no such month: nothing is written, the dialog says why
    before = audit_rows(demo)
    groups.save()
    assert audit_rows(demo) == before and "13" in groups.error.text()
    groups.on.setText("2026-11-20")
    groups.members.item(ticked[0]).setCheckState(Qt.CheckState.Unchecked)
    last = demo.scalar("SELECT max(id) FROM audit_log")
    groups.save()
    assert groups.error.text() == "" and "2026年11月20日起调出1人" in groups.saved_message
    [row] = demo.conn.execute("SELECT until FROM party_group_members WHERE person_id = ? AND group_id = ?"
                              " ORDER BY id DESC LIMIT 1", (person, group["id"])).fetchall()
    assert row[0] == "2026-11-20"
    operations = demo.scalar("SELECT count(DISTINCT operation_id) FROM audit_log WHERE id > ?", (last,))
    assert operations == 1
    assert any(g["name"] == group["name"] for g in list_groups(demo))
