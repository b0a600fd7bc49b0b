"""After saving, the roster keeps the edited person selected and in view; a new person is selected (issue 9 §1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from registry.demo import fill_demo
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from ui.dialogs.flowing_dialog import FlowingReportDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.main_window import MainWindow
from ui.pages.roster_page import RosterPage


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Registry]:
    reg = Registry(tmp_path / "demo.db", operator="测试员", create=True)
    fill_demo(reg, people=300)
    yield reg
    reg.close()


def _in_view(page: RosterPage, person_id: int) -> bool:
    row = page.model.ids.index(person_id)
    rect = page.table.visualRect(page.model.index(row, 0))
    return rect.isValid() and page.table.viewport().rect().intersects(rect)


def _fake_exec(change: dict[str, str]):
    def run(dialog: QDialog) -> int:
        for key, value in change.items():
            dialog.edits[key].setText(value)
        dialog.save()
        return dialog.result()
    return run


@pytest.fixture
def page(qtbot, demo: Registry) -> RosterPage:
    p = RosterPage(demo)
    qtbot.addWidget(p)
    p.resize(1024, 768)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_edited_person_stays_selected_and_in_view(qtbot, page: RosterPage, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = page.model.ids[250]
    assert page.select_person(pid) and _in_view(page, pid)
    monkeypatch.setattr(PersonDialog, "exec", _fake_exec({"name": "阿宝"}))  # a new name moves them in stroke order
    page.edit()
    assert page.selected_id() == pid and page.model.ids.index(pid) != 250
    assert _in_view(page, pid) and "阿宝" in page.detail.toPlainText()


def test_added_person_is_selected_and_scrolled_to(qtbot, page: RosterPage, monkeypatch: pytest.MonkeyPatch) -> None:
    page.table.scrollToTop()
    monkeypatch.setattr(PersonDialog, "exec", _fake_exec({"name": "魏巍", "id_number": ID_MAN_1985}))
    page.add()
    pid = page.reg.scalar("SELECT id FROM people WHERE id_number = ?", (ID_MAN_1985,))
    assert page.model.ids.index(pid) > 100  # 魏 has 17 strokes: far down the list
    assert page.selected_id() == pid and _in_view(page, pid)


def test_person_dialogs_from_the_menu_keep_the_person_selected(qtbot, demo: Registry,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    window.show_page("roster")
    pid = demo.scalar("SELECT id FROM people WHERE flowing = 1 ORDER BY sort_stroke DESC LIMIT 1")
    assert window.roster.select_person(pid)

    def report(dialog: FlowingReportDialog) -> int:
        dialog.certificate_no.setText("LD0000001")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(FlowingReportDialog, "exec", report)
    window._person_dialog(FlowingReportDialog)
    assert demo.scalar("SELECT certificate_no FROM people WHERE id = ?", (pid,)) == "LD0000001"
    assert window.roster.selected_id() == pid and _in_view(window.roster, pid)


def test_edited_organisation_or_outlet_stays_selected_in_the_tree(qtbot, demo: Registry,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.outlet_dialog import OutletDialog

    window = MainWindow(demo)
    qtbot.addWidget(window)
    outlet = demo.query("SELECT o.name, b.name AS brand FROM outlets o JOIN brands b ON b.id = o.brand_id"
                        " ORDER BY o.id DESC LIMIT 1")[0]
    window._select_tree_item(("outlet", (outlet["name"], outlet["brand"])))
    assert window._tree_selection() == ("outlet", (outlet["name"], outlet["brand"]))

    def rename(dialog: OutletDialog) -> int:
        dialog.name.setText(outlet["name"] + "二部")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(OutletDialog, "exec", rename)
    window.edit_tree_item()
    assert window._tree_selection() == ("outlet", (outlet["name"] + "二部", outlet["brand"]))


def test_an_organisation_that_cannot_be_found_is_a_message_not_a_traceback(qtbot, demo: Registry,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = MainWindow(demo)
    qtbot.addWidget(window)
    org_id = demo.scalar("SELECT id FROM organizations WHERE parent_id IS NULL")
    window._select_tree_item(("org", org_id))
    demo.conn.execute("UPDATE organizations SET norm_name = 'stale' WHERE id = ?", (org_id,))  # as older demos left it
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window.edit_tree_item()
    assert len(shown) == 1 and "找不到党组织" in shown[0]
