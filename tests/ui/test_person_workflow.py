"""A person added, edited, advanced through the pipeline and found by search, all through the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.services.organizations import add_org
from registry.services.outlets import add_outlet
from registry.services.people import get_person
from registry.storage.database import Registry
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.stage_dialog import StageDialog
from ui.pages.dashboard import DashboardPage
from ui.pages.roster_page import RosterPage

ID = "510104198503154210"


@pytest.fixture
def setup(reg: Registry) -> Registry:
    add_org(reg, name="城南快递联合党支部", type="联合党支部")
    add_outlet(reg, name="沙河网点", brand="极兔速递", organization="城南快递联合党支部")
    return reg


def test_person_dialog_checks_as_you_type(qtbot, setup: Registry) -> None:
    dialog = PersonDialog(setup)
    qtbot.addWidget(dialog)
    dialog.edits["id_number"].setText("510104198503154211")
    assert "校验位" in dialog.hints["id_number"].text()
    dialog.edits["id_number"].setText(ID)
    assert "1985-03-15" in dialog.hints["id_number"].text()
    assert dialog.gender.currentText() == "男" and dialog.edits["birth_date"].text() == "1985-03-15"
    dialog.edits["phone"].setText("12345")
    assert dialog.hints["phone"].isVisibleTo(dialog)
    dialog.edits["name"].setText("张三")
    dialog.save()  # the bad phone keeps the dialog open with the reason
    assert dialog.result() != QDialog.DialogCode.Accepted and "电话" in dialog.error.text()
    dialog.edits["phone"].setText("138 0013 8000")
    dialog.outlet.setCurrentIndex(1)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    p = get_person(setup, ID)
    assert (p["name"], p["phone"], p["outlet"], p["organization"]) == ("张三", "13800138000", "沙河网点", "城南快递联合党支部")


def test_edit_advance_search_delete(qtbot, setup: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    page = RosterPage(setup)
    qtbot.addWidget(page)
    dialog = PersonDialog(setup, None, page)
    dialog.edits["name"].setText("李四")
    dialog.edits["id_number"].setText(ID)
    dialog.save()
    page.apply_filter()
    assert page.model.rowCount() == 1 and page.selected_id() is not None

    edit = PersonDialog(setup, page.selected_id(), page)
    edit.edits["job"].setText("快递员")
    edit.save()
    assert get_person(setup, ID)["job"] == "快递员" and get_person(setup, ID)["name"] == "李四"

    for target, date, extra in (("入党申请人", "2020-03-01", {}), ("入党积极分子", "2020-06-01", {}),
                                ("发展对象", "2021-07-01", {"introducers": "王五、赵六"}),
                                ("预备党员", "2021-12-01", {}), ("正式党员", "2022-12-01", {})):
        stage = StageDialog(setup, page.selected_id(), page)
        assert stage.target == target
        stage.on.setText(date)
        if "introducers" in extra:
            stage.introducers.setText(extra["introducers"])
        stage.save()
        assert stage.result() == QDialog.DialogCode.Accepted, stage.error.text()
    assert get_person(setup, ID)["category"] == "正式党员"
    page.show_detail()
    assert "2022-12-01" in page.detail.toPlainText()

    page.search.setText("lis")
    page.apply_filter()
    assert page.model.rowCount() == 1
    page.search.setText("王")
    page.apply_filter()
    assert page.model.rowCount() == 0
    page.search.setText("")
    page.apply_filter()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete()
    assert page.model.rowCount() == 0


def test_dashboard_shows_counts(qtbot, setup: Registry) -> None:
    from registry.demo import fill_demo

    fill_demo(setup, people=100)
    page = DashboardPage(setup)
    qtbot.addWidget(page)
    assert int(page.cards["category:正式党员"].value.text()) > 0
    assert "覆盖率" in page.coverage.text()
    assert page.recent.count() > 0
