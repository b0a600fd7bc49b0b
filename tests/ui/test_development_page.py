"""The 发展党员 page and its dialogs, headless: the list and its filters, the timeline, 登记步骤 with live findings,
推进发展阶段 refused then continued with a reason, 取消预备党员资格, an entry corrected or saved untouched, 党龄."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QTreeWidgetItem

from registry.services.development_steps import step_rows
from registry.services.organizations import find_org
from registry.services.people import add_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.services.test_pipeline import APPLICANT, CANDIDATE, entered, full_process, members  # noqa: F401
from tests.ui.test_unchanged_save import snapshot
from ui.dialogs.stage_dialog import StageDialog
from ui.dialogs.step_dialog import CancelDialog, StepDialog
from ui.dialogs.step_fields import FindingsBox
from ui.pages.development_page import DevelopmentPage
from ui.pages.roster_page import RosterPage

ACCEPTED = QDialog.DialogCode.Accepted
TABLES = ("operations", "audit_log", "people", "development_steps", "person_states")


def _items(tree: Any) -> list[QTreeWidgetItem]:
    out, todo = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while todo:
        item = todo.pop(0)
        out.append(item)
        todo.extend(item.child(i) for i in range(item.childCount()))
    return out


@pytest.fixture(autouse=True)
def no_check_after_the_test() -> Any:
    """A dialog a test left open has a live check pending; it must not run once the database is closed."""
    yield
    for widget in QApplication.allWidgets():
        if isinstance(widget, FindingsBox):
            widget.timer.stop()


@pytest.fixture
def page(qtbot: Any, members: Registry) -> DevelopmentPage:  # noqa: F811
    full_process(members)
    add_person(members, name="赵六", id_number=APPLICANT, category="入党申请人", applied_on="2026-10-01",
               managed_from="2026-09-01", organization="城南快递联合党支部")
    entered(members, APPLICANT, "2026-09-01")
    widget = DevelopmentPage(members)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_list_filters_and_opens_a_person_as_a_timeline(qtbot: Any, page: DevelopmentPage) -> None:
    assert {r["name"] for r in page.model.rows} == {"王五", "赵六"}
    assert page.count.text().startswith("共 2 人")
    page.stage.setCurrentIndex(page.stage.findData("预备党员"))
    assert [r["name"] for r in page.model.rows] == ["王五"]
    problems = page.model.index(0, 4)
    assert page.model.data(problems).startswith("错误")
    assert "赞成5票" in page.model.data(problems, Qt.ItemDataRole.ToolTipRole)
    page.stage.setCurrentIndex(0)
    flowing = find_org(page.reg, "流动党员党支部")
    page.branch.setCurrentIndex(page.branch.findData(flowing["id"]))  # type: ignore[index]
    assert page.model.rows == [] and page.count.text() == "共 0 人"
    page.branch.setCurrentIndex(0)
    wang = next(i for i, r in enumerate(page.model.rows) if r["name"] == "王五")
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=page.table.visualRect(page.model.index(wang, 0)).center())
    assert page.selected_id() == get_person(page.reg, CANDIDATE)["id"]
    heads = [page.timeline.topLevelItem(i).text(0) for i in range(page.timeline.topLevelItemCount())]
    assert heads == ["申请入党", "入党积极分子", "发展对象", "预备党员", "转正"]
    texts = {(i.text(0), i.text(1), i.text(2)) for i in _items(page.timeline)}
    assert ("党组织派人谈话", "2023-03-20", "已完成") in texts
    assert ("政治审查", "", "缺少（已记录原因）") in texts
    rows = [i for i in _items(page.timeline) if "赞成5票" in i.text(0)]
    assert rows and rows[0].text(0).endswith("《中国共产党发展党员工作细则》第二十条、第二十一条）")
    content = next(i.text(3) for i in _items(page.timeline) if i.text(0) == "确定入党介绍人")
    assert content == "入党介绍人：张三、李四"


def test_a_step_recorded_from_the_page_with_live_findings(qtbot: Any, page: DevelopmentPage) -> None:
    page.select_person(get_person(page.reg, APPLICANT)["id"])
    before = snapshot(page.reg)
    dialog = StepDialog(page.reg, page.selected_id())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.step.key == "application_talk"  # the step to be done next comes first
    assert dialog.fields is not None
    dialog.fields.on.setText("2026-11-20")
    dialog.fields.lines["talker"].setText("张三")
    dialog.check()
    assert "超过1个月" in dialog.box.toPlainText() and "第七条" in dialog.box.toPlainText()
    assert snapshot(page.reg) == before  # the live check wrote nothing
    dialog.fields.on.setText("2026-10-20")
    dialog.check()
    assert "没有发现问题" in dialog.box.toPlainText()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    page.refresh()
    assert next(r for r in page.model.rows if r["name"] == "赵六")["next_step"] == "推荐入党积极分子人选"


def test_a_vote_below_threshold_is_shown_as_it_is_typed(qtbot: Any, page: DevelopmentPage) -> None:
    pid = get_person(page.reg, CANDIDATE)["id"]
    dialog = StepDialog(page.reg, pid, "full_meeting")
    qtbot.addWidget(dialog)
    assert dialog.fields is not None
    for key, value in (("voting_expected", "10"), ("voting_present", "8"), ("yes", "6")):
        dialog.fields.votes[key].setText(value)
    dialog.check()
    assert "未超过" not in dialog.box.toPlainText()
    height = dialog.box.height()
    dialog.fields.votes["yes"].setText("4")
    dialog.check()
    assert "赞成4票，未超过应到有表决权人数10人的半数" in dialog.box.toPlainText()
    assert dialog.box.height() == height  # the findings have their room: nothing moves
    dialog.fields.votes["yes"].setText("四")
    dialog.check()
    assert "赞成应为整数" in dialog.box.toPlainText()


def test_advance_refused_for_missing_steps_then_continued_with_a_reason(qtbot: Any, page: DevelopmentPage) -> None:
    pid = get_person(page.reg, APPLICANT)["id"]
    dialog = StageDialog(page.reg, pid)
    qtbot.addWidget(dialog)
    dialog.on.setText("2026-11-25")
    dialog.check()
    assert "还没有登记这些步骤：党组织派人谈话、推荐入党积极分子人选" in dialog.box.toPlainText()
    dialog.save()
    assert dialog.result() != ACCEPTED and "请填写原因" in dialog.error.text()
    assert get_person(page.reg, pid)["category"] == "入党申请人"
    dialog.reason.setText("谈话记录在原支部，待转来")
    dialog.check()
    assert "还没有登记这些步骤" not in dialog.box.toPlainText()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert get_person(page.reg, pid)["category"] == "入党积极分子"
    rows = step_rows(page.reg, pid)
    assert [r["override_reason"] for r in rows if r["step"] == "activist_committee"] == ["谈话记录在原支部，待转来"]


def test_admission_with_the_vote_from_the_stage_dialog(qtbot: Any, members: Registry) -> None:  # noqa: F811
    add_person(members, name="赵六", id_number=APPLICANT, category="发展对象", applied_on="2020-01-01",
               activist_on="2020-06-01", target_on="2021-07-01", introducers="张三、李四", managed_from="2022-01-01")
    entered(members, APPLICANT, "2022-01-01")  # the steps before were kept on paper
    pid = get_person(members, APPLICANT)["id"]
    dialog = StageDialog(members, pid)
    qtbot.addWidget(dialog)
    assert dialog.target == "预备党员" and set(dialog.fields.votes) >= {"voting_expected", "yes"}
    dialog.on.setText("2021-12-01")
    for key, value in (("voting_expected", "9"), ("voting_present", "9"), ("yes", "9")):
        dialog.fields.votes[key].setText(value)
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    admission = next(r for r in step_rows(members, pid) if r["step"] == "admission_meeting")
    assert admission["fields"]["votes"] == {"voting_expected": 9, "voting_present": 9, "yes": 9}


def test_full_membership_defaults_to_the_day_probation_ends(qtbot: Any, members: Registry) -> None:  # noqa: F811
    add_person(members, name="赵六", id_number=APPLICANT, category="预备党员", joined_on="2025-06-10")
    dialog = StageDialog(members, get_person(members, APPLICANT)["id"])
    qtbot.addWidget(dialog)
    assert dialog.on.text() == "2026-06-10"


def test_cancel_probation_from_the_page(qtbot: Any, page: DevelopmentPage) -> None:
    pid = get_person(page.reg, CANDIDATE)["id"]
    dialog = CancelDialog(page.reg, pid)
    qtbot.addWidget(dialog)
    dialog.fields.on.setText("2025-03-01")
    dialog.save()
    assert dialog.result() != ACCEPTED and "原因" in dialog.error.text()
    dialog.fields.lines["reason"].setText("长期不履行党员义务")
    for key, value in (("voting_expected", "10"), ("voting_present", "9"), ("yes", "8")):
        dialog.fields.votes[key].setText(value)
    dialog.check()
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    person = get_person(page.reg, pid)
    assert person["category"] == "群众" and person["cancelled_on"] == "2025-03-01"
    with pytest.raises(Exception, match="只有预备党员"):
        CancelDialog(page.reg, pid)


def test_every_recorded_entry_opened_and_saved_untouched_changes_nothing(qtbot: Any, page: DevelopmentPage) -> None:
    pid = get_person(page.reg, CANDIDATE)["id"]
    before = snapshot(page.reg)
    counts = {t: page.reg.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}
    entries = step_rows(page.reg, pid)
    assert len(entries) >= 17
    for entry in entries:
        dialog = StepDialog(page.reg, pid, entry_id=entry["id"])
        assert dialog.step.key == entry["step"] and not dialog.choice.isEnabled()
        dialog.save()
        assert dialog.result() == ACCEPTED, (entry["step"], dialog.error.text())
        dialog.deleteLater()
    assert snapshot(page.reg) == before
    assert {t: page.reg.scalar(f"SELECT count(*) FROM {t}") for t in TABLES} == counts


def test_an_entry_corrected_from_the_timeline(qtbot: Any, page: DevelopmentPage) -> None:
    pid = get_person(page.reg, CANDIDATE)["id"]
    talk = next(r for r in step_rows(page.reg, pid) if r["step"] == "application_talk")
    dialog = StepDialog(page.reg, pid, entry_id=talk["id"])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "更正步骤" and dialog.fields is not None
    assert dialog.fields.lines["talker"].text() == "张三"
    dialog.fields.on.setText("2023-03-22")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    assert get_person(page.reg, pid)["talked_on"] == "2023-03-22"
    fields = [r[0] for r in page.reg.conn.execute(
        "SELECT field FROM audit_log WHERE entity = 'development_steps' AND op = 'update'")]
    assert fields == ["on_date"]


def test_opening_and_closing_the_step_dialogs_changes_nothing(qtbot: Any, page: DevelopmentPage) -> None:
    before = snapshot(page.reg)
    for pid in [r[0] for r in page.reg.conn.execute("SELECT id FROM people")]:
        for dialog in (StepDialog(page.reg, pid), StageDialog(page.reg, pid)):
            dialog.reject()
            dialog.deleteLater()
    dialog = CancelDialog(page.reg, get_person(page.reg, CANDIDATE)["id"])
    dialog.reject()
    assert snapshot(page.reg) == before


def test_roster_shows_party_age(qtbot: Any, members: Registry) -> None:  # noqa: F811
    roster = RosterPage(members)
    qtbot.addWidget(roster)
    roster.show()
    roster.select_person(get_person(members, ID_MAN_1985)["id"])
    from registry.rules.party_age import party_age_text
    from registry.services.development_steps import party_age_of

    expected = party_age_text(party_age_of(members, ID_MAN_1985))
    text = roster.detail.toPlainText()
    assert expected and "党龄" in text and text.index("人员类别") < text.index("党龄") < text.index(expected)
    roster._toggle_column("party_age", True)
    col = [c[0] for c in roster.model.columns].index("party_age")
    row = roster.model.ids.index(get_person(members, ID_MAN_1985)["id"])
    assert roster.model.data(roster.model.index(row, col)).endswith(("年", "个月"))


def test_the_check_runs_by_itself_once_typing_pauses(qtbot: Any, page: DevelopmentPage) -> None:
    dialog = StepDialog(page.reg, get_person(page.reg, APPLICANT)["id"], "application_talk")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields is not None
    dialog.fields.lines["talker"].setText("张三")
    dialog.fields.on.setText("2026-11-20")
    qtbot.waitUntil(lambda: "超过1个月" in dialog.box.toPlainText(), timeout=3000)
    dialog.hide()
    dialog.fields.on.setText("2026-10-20")  # hidden: nothing is checked any more
    qtbot.wait(400)
    assert "超过1个月" in dialog.box.toPlainText()


def test_the_person_menu_acts_on_the_development_page_selection(qtbot: Any, members: Registry,  # noqa: F811
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.main_window import MainWindow

    full_process(members)
    window = MainWindow(members)
    qtbot.addWidget(window)
    window.show_page("development")
    pid = get_person(members, CANDIDATE)["id"]
    assert window.development.select_person(pid)
    opened: list[tuple[str, int]] = []
    monkeypatch.setattr(QDialog, "exec", lambda d: opened.append((type(d).__name__, d.person_id)) or 0)
    for text in ("推进发展阶段…", "登记发展步骤…", "取消预备党员资格…"):
        next(a for a in window.findChildren(QAction) if a.text() == text).trigger()
    assert opened == [("StageDialog", pid), ("StepDialog", pid), ("CancelDialog", pid)]
    assert window.pages.currentWidget() is window.development


def test_an_entry_recorded_by_mistake_is_deleted_after_asking(qtbot: Any, page: DevelopmentPage,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    pid = get_person(page.reg, CANDIDATE)["id"]
    assert page.select_person(pid)
    item = next(i for i in _items(page.timeline) if i.text(0) == "上级党委派人谈话")
    page.timeline.setCurrentItem(item)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    page.delete_entry()
    assert any(r["step"] == "committee_talk" for r in step_rows(page.reg, pid))  # 否: kept
    page.timeline.setCurrentItem(next(i for i in _items(page.timeline) if i.text(0) == "上级党委派人谈话"))
    qtbot.keyClick(page.timeline, Qt.Key.Key_Delete)
    assert not any(r["step"] == "committee_talk" for r in step_rows(page.reg, pid))
    assert next(i for i in _items(page.timeline) if i.text(0) == "上级党委派人谈话").text(2) == "待进行"
    assert get_person(page.reg, pid)["category"] == "预备党员"


def test_the_window_delete_key_on_the_development_page_deletes_the_entry(qtbot: Any, members: Registry,  # noqa: F811
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow

    pid = full_process(members)
    window = MainWindow(members)
    qtbot.addWidget(window)
    window.show_page("development")
    assert window.development.select_person(pid)
    timeline = window.development.timeline
    timeline.setCurrentItem(next(i for i in _items(timeline) if i.text(0) == "上级党委审批"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    next(a for a in window.findChildren(QAction) if a.text() == "删除所选人员…").trigger()
    assert not any(r["step"] == "admission_approval" for r in step_rows(members, pid))
    assert get_person(members, pid)["category"] == "预备党员"  # the person stays
