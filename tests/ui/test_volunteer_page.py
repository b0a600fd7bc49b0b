"""The 志愿服务 page and its dialogs: many participants at once, unchanged saves write nothing, lists filter and export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.demo import fill_demo
from registry.services.volunteer_queries import get_activity, list_activities
from registry.storage.database import Registry
from ui import file_dialogs
from ui.dialogs.volunteer_activity_dialog import ActivityDialog
from ui.dialogs.volunteer_post_dialog import ClaimDialog, PostDialog
from ui.dialogs.volunteer_record_dialog import RecordDialog
from ui.dialogs.volunteer_rules_dialog import RulesDialog
from ui.pages.volunteer_page import VolunteerPage

ACCEPTED = QDialog.DialogCode.Accepted
TABLES = ("operations", "audit_log", "volunteer_posts", "volunteer_claims", "volunteer_activities", "volunteer_records",
          "volunteer_point_rules")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Registry]:
    reg = Registry(tmp_path / "demo.db", operator="测试员", create=True)
    fill_demo(reg, people=200)
    yield reg
    reg.close()


def snapshot(reg: Registry) -> dict[str, list[tuple[Any, ...]]]:
    return {t: reg.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def test_every_dialog_saved_unchanged_writes_nothing(qtbot: Any, demo: Registry) -> None:
    before = snapshot(demo)
    ids = [r.id for r in list_activities(demo)][:12]
    dialogs: list[QDialog] = [ActivityDialog(demo, a) for a in ids]
    dialogs += [PostDialog(demo, p) for (p,) in demo.conn.execute("SELECT id FROM volunteer_posts")]
    dialogs += [RecordDialog(demo, r) for (r,) in demo.conn.execute("SELECT id FROM volunteer_records LIMIT 30")]
    dialogs.append(RulesDialog(demo))
    for dialog in dialogs:
        dialog.save()
        assert dialog.result() == ACCEPTED, (type(dialog).__name__, dialog.error.text())
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_an_activity_for_many_people_at_once(qtbot: Any, demo: Registry) -> None:
    dialog = ActivityDialog(demo, None, organization="城南快递物流联合党支部")
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("冬季送温暖")
    dialog.kind.setCurrentText("关爱服务")
    dialog.held_on.setText("2026-11-20")
    dialog.default_hours.setValue(2)
    assert dialog.table.rowCount() > 5
    dialog.save()
    assert dialog.result() != ACCEPTED and "至少选择一名" in dialog.error.text()
    dialog.search.setText(dialog.table.item(0, 0).text())  # the search box narrows the list
    assert dialog.table.rowCount() >= 1
    dialog.search.clear()
    dialog._tick_all(True)
    ticked = len(dialog.chosen)
    assert ticked == dialog.table.rowCount()
    dialog.table.item(1, 3).setText("3.5")  # one person's own hours
    dialog.table.item(2, 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    a = get_activity(demo, dialog.activity_id)
    assert len(a["participants"]) == ticked - 1 and a["organization"] == "城南快递物流联合党支部"
    assert sorted(p["hours"] for p in a["participants"])[-1] == 3.5
    assert {p["hours"] for p in a["participants"]} == {2, 3.5}


def test_the_page_filters_and_exports_and_claims(qtbot: Any, demo: Registry, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = VolunteerPage(demo)
    qtbot.addWidget(page)
    everything = page.a_model.rowCount()
    assert everything == len(list_activities(demo))
    page.a_kind.setCurrentIndex(page.a_kind.findData("应急救援"))
    assert 0 < page.a_model.rowCount() < everything
    assert all(row[3] == "应急救援" for row in page.a_model.rows)
    out = tmp_path / "活动.xlsx"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *_a: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: QMessageBox.StandardButton.Ok)
    page.export_activities()
    sheet = openpyxl.load_workbook(out).active
    assert [r[3] for r in sheet.iter_rows(min_row=4, values_only=True)] == ["应急救援"] * page.a_model.rowCount()
    # Sorting by a column changes what the export lists first, as the user sees it.
    page.a_view.sortByColumn(9, Qt.SortOrder.DescendingOrder)
    page.export_activities()
    points = [r[10] for r in openpyxl.load_workbook(out).active.iter_rows(min_row=4, values_only=True)]
    assert points == sorted(points, reverse=True)
    page.tabs.setCurrentIndex(1)
    page.p_view.selectRow(0)
    assert page.h_model.rowCount() >= 1
    page.r_period.setCurrentIndex(0)
    assert page.r_model.rowCount() > 0 and page.r_model.rows[0][0] == 1
    page.r_members.setChecked(True)
    assert {row[2] for row in page.r_model.rows} == {"党员"}


def test_claim_and_release_through_the_dialogs(qtbot: Any, demo: Registry) -> None:
    post = demo.scalar("SELECT id FROM volunteer_posts WHERE closed_on IS NULL ORDER BY id LIMIT 1")
    dialog = ClaimDialog(demo, post)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "选择认领人" in dialog.error.text()
    dialog.search.setText("")
    holders = {r[0] for r in demo.conn.execute("SELECT person_id FROM volunteer_claims WHERE post_id = ?", (post,))}
    row = next(i for i in range(dialog.people.count()) if dialog.people.item(i).data(Qt.ItemDataRole.UserRole)
               not in holders)
    dialog.people.setCurrentRow(row)
    person = dialog.people.item(row).data(Qt.ItemDataRole.UserRole)
    dialog.day.setText("2026-11-01")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    release = ClaimDialog(demo, post, release=(person, "某人"))
    qtbot.addWidget(release)
    release.day.setText("2026-11-30")
    release.save()
    assert release.result() == ACCEPTED, release.error.text()
    assert demo.scalar("SELECT until FROM volunteer_claims WHERE post_id = ? AND person_id = ?", (post, person)) \
        == "2026-11-30"
