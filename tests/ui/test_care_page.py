"""The 关爱阵地 page and its dialogs: unchanged saves write nothing, filters, sorting, export, import, Ctrl+9."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from registry.demo import fill_demo
from registry.services.stations import find_station, list_stations
from registry.storage.database import Registry
from tests.importing.station_files import write_station_list
from ui import file_dialogs
from ui.dialogs.care_list_dialogs import CareStreetDialog, MerchantDialog
from ui.dialogs.station_dialog import StationDialog, VisitsDialog
from ui.dialogs.station_import_dialog import StationImportDialog
from ui.main_window import MainWindow
from ui.pages.care_page import CarePage

TABLES = ("operations", "audit_log", "care_stations", "care_visits", "care_merchants", "care_streets", "people")


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def demo(reg: Registry) -> Registry:
    fill_demo(reg, people=60)
    return reg


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Yes

    for kind in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, record)
    return seen


def _snapshot(reg: Registry) -> dict[str, list[tuple[Any, ...]]]:
    return {t: reg.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


@pytest.fixture
def page(qtbot: Any, demo: Registry) -> Iterator[CarePage]:
    widget = CarePage(demo)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget


def test_every_dialog_saved_unchanged_writes_nothing(qtbot: Any, demo: Registry) -> None:
    before = _snapshot(demo)
    for sid in [r["id"] for r in list_stations(demo)]:
        dialog = StationDialog(demo, sid)
        qtbot.addWidget(dialog)
        dialog.save()
        assert dialog.result() == dialog.DialogCode.Accepted
    merchants = [r[0] for r in demo.conn.execute("SELECT id FROM care_merchants")]
    for mid in merchants:
        dialog = MerchantDialog(demo, mid)
        qtbot.addWidget(dialog)
        dialog.save()
    street = CareStreetDialog(demo, "南桥暖蜂一条街")
    qtbot.addWidget(street)
    street.save()
    sid = list_stations(demo)[0]["id"]
    month = demo.conn.execute("SELECT month FROM care_visits WHERE station_id = ? ORDER BY month DESC",
                              (sid,)).fetchone()[0]
    visits = VisitsDialog(demo, sid, month)
    qtbot.addWidget(visits)
    visits.save()
    empty = VisitsDialog(demo, sid, "2020-01")  # a month without a figure, left at 0: no 0 recorded
    qtbot.addWidget(empty)
    empty.save()
    assert _snapshot(demo) == before


def test_the_station_dialog(qtbot: Any, demo: Registry) -> None:
    dialog = StationDialog(demo, None)
    qtbot.addWidget(dialog)
    dialog.name.setText("工业园暖蜂驿站")
    dialog.type.setCurrentText("暖蜂驿站")
    assert not dialog.klass.isEnabled()  # 暖蜂驿站 is not graded
    dialog.type.setCurrentText("江城蜂巢")
    assert dialog.klass.isEnabled()
    dialog.klass.setCurrentText("二类")
    dialog.edits["street"].setText("开发区街道")
    dialog.edits["community"].setText("工业园社区")
    dialog.services["饮水"].setChecked(True)
    dialog.services["党员报到处"].setChecked(True)
    dialog.phone.setText("12345")
    dialog.save()
    assert "12345" in dialog.error.text() and find_station(demo, "工业园暖蜂驿站") is None
    dialog.phone.setText("139 0000 1111")
    dialog.save()
    saved = find_station(demo, "工业园暖蜂驿站")
    assert (saved["class"], saved["services"], saved["phone"]) == ("二类", "饮水、党员报到处", "13900001111")
    again = StationDialog(demo, saved["id"])
    qtbot.addWidget(again)
    again.services["充电"].setChecked(True)
    again.save()
    assert find_station(demo, saved["id"])["services"] == "饮水、充电、党员报到处"


def test_filters_sorting_and_export(page: CarePage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                    messages: list[str]) -> None:
    assert page.proxy.rowCount() == 5
    page.service_box.setCurrentText("党员报到处")
    assert {r["name"] for r in page.visible_rows()} == {"江海社区暖蜂驿站", "北湖快递小哥红色之家"}
    page.service_box.setCurrentText("全部")
    page.street_box.setCurrentText("城南街道")
    assert page.proxy.rowCount() == 3
    page.street_box.setCurrentText("全部")
    page.search.setText("南桥")
    assert page.proxy.rowCount() == 2
    page.search.setText("")
    page.table.sortByColumn(15, Qt.SortOrder.DescendingOrder)  # 累计服务人次, as numbers
    visits = [r["visits"] for r in page.visible_rows()]
    assert visits == sorted(visits, reverse=True)
    out = tmp_path / "驿站.xlsx"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *_a, **_k: (str(out), ""))
    page.export()
    sheet = load_workbook(out).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == [r["name"] for r in page.visible_rows()]
    assert any("已把5个驿站导出" in m for m in messages)


def test_the_coverage_tab(page: CarePage) -> None:
    streets = [page.coverage.item(r, 0).text() for r in range(page.coverage.rowCount())]
    assert "开发区街道" in streets and streets[-1] == "合计"
    assert "尚无驿站的社区" in page.coverage_text.text()


def test_delete_keeps_the_reports(page: CarePage, demo: Registry, messages: list[str]) -> None:
    row = next(r for r in page.visible_rows() if r["name"] == "江海社区暖蜂驿站")
    page.table.selectRow(page.visible_rows().index(row))
    page.delete_station()
    assert find_station(demo, "江海社区暖蜂驿站") is None
    kept = demo.conn.execute("SELECT count(*) FROM people WHERE report_point = '江海社区暖蜂驿站'").fetchone()[0]
    assert kept == row["reported"] > 0
    assert any("报到记录保留" in m for m in messages)


def test_the_import_dialog(qtbot: Any, demo: Registry, tmp_path: Path) -> None:
    path = write_station_list(tmp_path / "驿站名单.xlsx")
    before = _snapshot(demo)
    dialog = StationImportDialog(demo, None, path)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 5 and "与第4行重复" in dialog.problems.toPlainText()
    assert _snapshot(demo) == before  # the preview changed nothing
    dialog.add_types.setChecked(True)
    assert "新增4个驿站" in dialog.summary.text()
    dialog.apply()
    assert dialog.imported is not None and find_station(demo, "华侨城骑手之家") is not None
    assert dialog.undo_button.isVisibleTo(dialog)
    dialog.undo()
    assert find_station(demo, "华侨城骑手之家") is None
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"")
    dialog.load(bad)
    assert "空文件" in dialog.summary.text() and not dialog.apply_button.isEnabled()


def test_ctrl_9_opens_the_page(qtbot: Any, demo: Registry) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0])) if a.text() == "关爱阵地")
    assert action.shortcut().toString() == "Ctrl+9"
    action.trigger()
    assert window.pages.currentWidget() is window.care
