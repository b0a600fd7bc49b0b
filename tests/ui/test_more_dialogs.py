"""Organisation, outlet, flowing-member, transfer, meeting and volunteer dialogs: saves go through, bad input stays put."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from registry.services.activities import list_meetings, volunteer_totals
from registry.services.flowing import list_transfers
from registry.services.organizations import find_org, list_orgs
from registry.services.outlets import find_outlet, list_outlets
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from ui.dialogs.flowing_dialog import FlowingReportDialog, TransferDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.org_dialog import OrgDialog
from ui.dialogs.outlet_dialog import OutletDialog
from ui.dialogs.volunteer_dialog import VolunteerDialog

ACCEPTED = QDialog.DialogCode.Accepted


@pytest.fixture
def members(branch: Registry) -> Registry:
    """Two members at the branch's outlet, one probationary member in the flowing branch, one applicant."""
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", outlet="沙河网点", brand="极兔速递")
    add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2018-07-01",
               full_on="2019-07-01", outlet="沙河网点", brand="极兔速递")
    add_person(branch, name="王小明", id_number=ID_MAN_2000, category="入党申请人", applied_on="2025-03-01",
               outlet="沙河网点", brand="极兔速递")
    return branch


def pid(reg: Registry, id_number: str) -> int:
    return int(get_person(reg, id_number)["id"])


def test_org_dialog_adds_and_edits_only_changes(qtbot, branch: Registry) -> None:
    dialog = OrgDialog(branch)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("顺丰速运城南党支部")
    dialog.parent_org.setCurrentIndex(dialog.parent_org.findData("示例区快递行业党委"))
    dialog.founding_mode.setCurrentText("单独组建")
    dialog.edits["phone"].setText("138 0013 8000")
    assert "13800138000" in dialog.hints["phone"].text()
    dialog.edits["founded_on"].setText("2021.7")
    assert "2021-07" in dialog.hints["founded_on"].text()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    org = next(o for o in list_orgs(branch) if o["name"] == "顺丰速运城南党支部")
    assert (org["parent"], org["type"], org["founding_mode"], org["phone"], org["founded_on"]) == (
        "示例区快递行业党委", "党支部", "单独组建", "13800138000", "2021-07")
    assert dialog.notice is not None and "的组织生活自" in dialog.notice  # the status bar says where its records begin

    edit = OrgDialog(branch, "顺丰速运城南党支部")
    qtbot.addWidget(edit)
    assert edit.parent_org.findData("顺丰速运城南党支部") == -1  # never its own parent
    assert edit.values() == edit.original
    edit.edits["secretary"].setText("周书记")
    edit.founding_mode.setCurrentText("")
    edit.save()
    assert edit.result() == ACCEPTED, edit.error.text()
    org = find_org(branch, "顺丰速运城南党支部")
    assert org is not None and (org["secretary"], org["founding_mode"], org["phone"]) == ("周书记", None, "13800138000")


def test_org_dialog_renames(qtbot, branch: Registry) -> None:
    edit = OrgDialog(branch, "流动党员党支部")
    qtbot.addWidget(edit)
    edit.name_edit.setText("城南快递联合党支部")
    edit.save()
    assert edit.result() != ACCEPTED and "已存在" in edit.error.text()
    edit.name_edit.setText("快递小哥流动党员党支部")
    edit.save()
    assert edit.result() == ACCEPTED, edit.error.text()
    assert find_org(branch, "流动党员党支部") is None
    renamed = find_org(branch, "快递小哥流动党员党支部")
    assert renamed is not None and renamed["type"] == "流动党员党支部"


@pytest.mark.parametrize(("field", "text", "message"), [
    ("name", "", "党组织名称不能为空"),
    ("founded_on", "2026-13-01", "月份（13）不存在"),
    ("phone", "12345", "不是有效的手机号"),
])
def test_org_dialog_bad_input_stays_open(qtbot, branch: Registry, field: str, text: str, message: str) -> None:
    before = list_orgs(branch)
    dialog = OrgDialog(branch)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("新党支部")
    if field == "name":
        dialog.name_edit.setText(text)
    else:
        dialog.edits[field].setText(text)
        assert message in dialog.hints[field].text()
    dialog.save()
    assert dialog.result() != ACCEPTED and message in dialog.error.text()
    assert list_orgs(branch) == before


def test_outlet_dialog_adds_and_edits(qtbot, branch: Registry) -> None:
    dialog = OutletDialog(branch)
    qtbot.addWidget(dialog)
    dialog.name.setText("牛市口营业部")
    dialog.brand.setCurrentText("顺丰速运")
    dialog.edits["street"].setText("城南街道")
    dialog.workers.setValue(23)
    dialog.org.setCurrentIndex(dialog.org.findData("城南快递联合党支部"))
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    row = next(o for o in list_outlets(branch) if o["name"] == "牛市口营业部")
    assert (row["brand"], row["street"], row["workers"], row["organization"]) == (
        "顺丰速运", "城南街道", 23, "城南快递联合党支部")

    edit = OutletDialog(branch, ("春熙路网点", "中通快递"))
    qtbot.addWidget(edit)
    assert edit.workers.value() == 86 and edit.values() == edit.original
    edit.org.setCurrentIndex(edit.org.findData("城南快递联合党支部"))
    edit.workers.setValue(edit.workers.minimum())  # back to "not filled in"
    edit.save()
    assert edit.result() == ACCEPTED, edit.error.text()
    row = next(o for o in list_outlets(branch) if o["name"] == "春熙路网点")
    assert (row["brand"], row["workers"], row["organization"]) == ("中通快递", None, "城南快递联合党支部")


def test_outlet_dialog_renames_and_changes_brand(qtbot, branch: Registry) -> None:
    edit = OutletDialog(branch, ("春熙路网点", None))
    qtbot.addWidget(edit)
    edit.name.setText("春熙路营业部")
    edit.brand.setCurrentText("圆通速递")
    edit.save()
    assert edit.result() == ACCEPTED, edit.error.text()
    assert find_outlet(branch, "春熙路网点") is None
    assert find_outlet(branch, "春熙路营业部", "圆通速递") is not None
    assert edit.outlet == ("春熙路营业部", "圆通速递")


def test_outlet_dialog_duplicate_and_empty_name(qtbot, branch: Registry) -> None:
    before = list_outlets(branch)
    dialog = OutletDialog(branch)
    qtbot.addWidget(dialog)
    dialog.name.setText("沙河网点")
    dialog.brand.setCurrentText("极兔速递")
    dialog.save()
    assert dialog.result() != ACCEPTED and "已存在" in dialog.error.text()
    dialog.name.setText("  ")
    dialog.save()
    assert dialog.result() != ACCEPTED and "网点名称不能为空" in dialog.error.text()
    assert list_outlets(branch) == before
    assert find_outlet(branch, "沙河网点", "极兔速递") is not None


def test_flowing_report(qtbot, members: Registry) -> None:
    person = pid(members, ID_WOMAN_1992)
    dialog = FlowingReportDialog(members, person)
    qtbot.addWidget(dialog)
    dialog.reported_on.setText("2026-13-01")
    assert "月份（13）不存在" in dialog.reported_hint.text()
    dialog.save()
    assert dialog.result() != ACCEPTED and "请填写流动党员组织关系所在的党组织" in dialog.error.text()
    dialog.home_org.setText("四川省南充市顺庆区新建村党支部")
    dialog.save()
    assert dialog.result() != ACCEPTED and "月份（13）不存在" in dialog.error.text()
    assert not get_person(members, person)["flowing"]

    dialog.reported_on.setText("2026-03-05")
    dialog.certificate_no.setText("LD-2026-018")
    dialog.org.setCurrentIndex(dialog.org.findData("流动党员党支部"))
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(members, person)
    assert (p["flowing"], p["home_organization"], p["reported_on"], p["certificate_no"], p["organization"]) == (
        1, "四川省南充市顺庆区新建村党支部", "2026-03-05", "LD-2026-018", "流动党员党支部")


def test_transfer_out_needs_letter_date_then_stays_pending(qtbot, members: Registry) -> None:
    person = pid(members, ID_MAN_1985)
    dialog = TransferDialog(members, person, "out")
    qtbot.addWidget(dialog)
    dialog.to_org.setText("某市邮政管理局机关党支部")
    dialog.save()
    assert dialog.result() != ACCEPTED and "请填写介绍信开具日期" in dialog.error.text()
    assert list_transfers(members, person) == [] and get_person(members, person)["left_on"] is None
    dialog.issued_on.setText("2026-04-20")
    dialog.letter_no.setText("组转字第018号")
    dialog.dues_paid_to.setText("2026-04")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    (t,) = list_transfers(members, person)
    assert (t["direction"], t["to_org"], t["letter_no"], t["dues_paid_to"], t["valid_until"]) == (
        "out", "某市邮政管理局机关党支部", "组转字第018号", "2026-04", "2026-07-20")
    assert get_person(members, person)["left_on"] is None  # 转出待接收 until the 回执


def test_transfer_in_ends_flowing(qtbot, members: Registry) -> None:
    person = pid(members, ID_WOMAN_1992)
    report = FlowingReportDialog(members, person)
    report.home_org.setText("湖北省黄冈市团风县方高坪镇党委")
    report.save()
    dialog = TransferDialog(members, person, "in")
    qtbot.addWidget(dialog)
    assert dialog.from_org.text() == "湖北省黄冈市团风县方高坪镇党委"
    dialog.org.setCurrentIndex(0)
    dialog.save()
    assert dialog.result() != ACCEPTED and "请选择转入的党组织" in dialog.error.text()
    dialog.org.setCurrentIndex(dialog.org.findData("城南快递联合党支部"))
    dialog.issued_on.setText("2026-02-30")
    dialog.save()
    assert dialog.result() != ACCEPTED and "不存在" in dialog.error.text()
    assert list_transfers(members, person) == []
    dialog.issued_on.setText("2026-02-28")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    p = get_person(members, person)
    assert (p["flowing"], p["organization"], p["home_organization"]) == (0, "城南快递联合党支部", None)
    with pytest.raises(ValueError):
        TransferDialog(members, person, "转入")


def test_meeting_dialog_records_attendance(qtbot, members: Registry) -> None:
    for number in (ID_MAN_1985, ID_WOMAN_1992):  # members here since 2020: on the roll call of a May meeting
        edit_person(members, number, managed_from="2020-01-01")
    dialog = MeetingDialog(members)
    qtbot.addWidget(dialog)
    assert dialog.org.currentData()[0] == "城南快递联合党支部"
    assert dialog.model.rowCount() == 2  # the applicant is not invited
    dialog.set_all("未通知")
    assert dialog.attendees() == []
    dialog.filter.setText("lf")  # 李芳 by pinyin initials
    dialog.apply_filter()
    assert dialog.model.rowCount() == 1 and dialog.model.index(0, 0).data() == "李芳"
    dialog.set_all("出席")
    dialog.filter.clear()
    dialog.apply_filter()
    zhang = next(r for r in range(2) if dialog.model.index(r, 0).data() == "张三")
    dialog.set_status(zhang, "请假")
    assert dialog.model.index(zhang, 2).data(Qt.ItemDataRole.EditRole) == "请假"
    assert "出席1人，请假1人，缺席0人，未通知0人" in dialog.summary.text()
    li = 1 - zhang
    dialog._clicked(dialog.model.index(li, 2))  # a click opens a combo box over the cell
    editor = dialog.table.viewport().findChild(QComboBox)
    assert editor is not None and editor.currentText() == "出席"
    editor.setCurrentText("缺席")
    editor.activated.emit(editor.currentIndex())
    assert dialog.model.index(li, 2).data(Qt.ItemDataRole.EditRole) == "缺席"
    dialog.set_status(li, "出席")
    dialog.kind.setCurrentText("主题党日")
    dialog.held_on.setText("2026-05")
    assert "具体到日" in dialog.date_hint.text()
    dialog.save()
    assert dialog.result() != ACCEPTED and "需要具体到日" in dialog.error.text()
    assert list_meetings(members) == []

    dialog.held_on.setText("2026-05-08")
    dialog.topic.setText("学习快递业安全生产新规")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    (m,) = list_meetings(members)
    assert (m["organization"], m["kind"], m["held_on"], m["present"], m["invited"]) == (
        "城南快递联合党支部", "主题党日", "2026-05-08", 1, 2)


def test_meeting_dialog_whole_committee_and_empty_branch(qtbot, members: Registry) -> None:
    dialog = MeetingDialog(members, organization="示例区快递行业党委")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2  # members of the branches below count too
    dialog.org.setCurrentIndex(dialog.org.findData(("流动党员党支部", find_org(members, "流动党员党支部")["id"])))
    assert dialog.model.rowCount() == 0 and "暂无" in dialog.summary.text()


def test_volunteer_dialog(qtbot, members: Registry) -> None:
    person = pid(members, ID_MAN_1985)
    dialog = VolunteerDialog(members, person)
    qtbot.addWidget(dialog)
    dialog.served_on.setText("2026-13-01")
    assert "月份（13）不存在" in dialog.date_hint.text()
    dialog.hours.setValue(3)
    dialog.save()
    assert dialog.result() != ACCEPTED and "服务日期" in dialog.error.text()
    dialog.served_on.setText("2026-05-01")
    dialog.hours.setValue(0)
    dialog.save()
    assert dialog.result() != ACCEPTED and "服务时长应大于0小时" in dialog.error.text()
    assert volunteer_totals(members, "2026-01-01", "2026-12-31")["people"] == 0

    dialog.post.setCurrentText("快递小哥暖心驿站值守")
    dialog.hours.setValue(2.5)
    dialog.points.setValue(5)
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    totals = volunteer_totals(members, "2026-01-01", "2026-12-31")
    assert (totals["people"], totals["hours"], totals["points"]) == (1, 2.5, 5)
    assert dialog.record_id is not None


def test_flowing_report_names_the_point_and_keeps_it_on_an_unchanged_save(qtbot, members: Registry) -> None:
    from registry.services.stations import add_station

    add_station(members, name="白石洲暖蜂驿站", type="暖蜂驿站", street="沙河街道", community="白石洲社区",
                services="饮水、充电、党员报到处")
    add_station(members, name="沙河爱心驿站", type="爱心驿站", street="沙河街道", community="沙河社区", services="饮水")
    person = pid(members, ID_WOMAN_1992)
    dialog = FlowingReportDialog(members, person)
    qtbot.addWidget(dialog)
    texts = [dialog.station.itemText(i) for i in range(dialog.station.count())]
    assert texts == ["（未在报到点报到）", "白石洲暖蜂驿站（白石洲社区）"]  # only points offering 党员报到处
    dialog.home_org.setText("四川省南充市顺庆区新建村党支部")
    dialog.reported_on.setText("2026-03-05")
    dialog.station.setCurrentIndex(1)
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert get_person(members, person)["report_point"] == "白石洲暖蜂驿站"
    logged = members.scalar("SELECT count(*) FROM audit_log")
    again = FlowingReportDialog(members, person)
    qtbot.addWidget(again)
    assert again.station.currentText() == "（不变：白石洲暖蜂驿站）"
    again.save()
    assert again.result() == ACCEPTED and members.scalar("SELECT count(*) FROM audit_log") == logged
    assert get_person(members, person)["report_point"] == "白石洲暖蜂驿站"
