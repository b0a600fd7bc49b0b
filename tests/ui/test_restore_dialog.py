"""文件→从备份恢复… headless: the list, cancelling changes nothing, a restore reopens, the damaged start-up case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.demo import fill_demo
from registry.services.backups import list_backups, make_backup
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.services.test_backups import damage
from ui.dialogs.restore_dialog import RestoreDialog
from ui.worker import wait_idle


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """300 people backed up on 30 November, then a 301st added."""
    path = tmp_path / "taizhang.db"
    with Registry(path, operator="测试员", create=True) as reg:
        fill_demo(reg, people=300)
        make_backup(reg.conn, path, "每日", datetime(2026, 11, 30, 8, 0))
        add_person(reg, name="后来人", id_number=ID_MAN_1985)
    return path


def count(db: Path) -> int:
    with Registry(db, create=True) as reg:
        return int(reg.scalar("SELECT count(*) FROM people"))


def answer(monkeypatch: pytest.MonkeyPatch, reply: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: (asked.append(text), reply)[1])
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: asked.append(text))
    return asked


def test_lists_the_backups_with_what_they_hold(qtbot, db: Path) -> None:
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[:3] == ["2026年11月30日 08:00", "每日", "300"] and row[3] and row[4].endswith(("KB", "MB"))
    assert dialog.selected_path() == list_backups(db)[0].path


def test_cancelling_changes_nothing(qtbot, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = db.read_bytes()
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    wait_idle(5000)
    assert "300" in asked[0] and "2026年11月30日 08:00" in asked[0] and "最后一次修改" in asked[0]
    assert dialog.outcome is None
    dialog.reject()
    assert count(db) == 301 and [b.reason for b in list_backups(db)] == ["每日"]
    assert db.read_bytes() == before


def test_confirming_restores(qtbot, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = RestoreDialog(db, operator="测试员")
    qtbot.addWidget(dialog)
    shown = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert dialog.outcome.kept is not None and any("恢复前的数据已另存为" in s for s in shown)
    assert count(db) == 300


def test_another_file_that_is_not_a_backup_is_refused(qtbot, db: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "照片.db"
    junk.write_bytes(b"\x89PNG not a database")
    monkeypatch.setattr("ui.dialogs.restore_dialog.database_file", lambda *a, **k: str(junk))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    dialog.choose_other()
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    wait_idle(5000)
    assert "不是本程序的数据库备份" in warned[0] and count(db) == 301


def test_start_up_with_a_damaged_database(qtbot, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Registry(db, create=True) as reg:
        add_person(reg, name="再来人", id_number="440305200001012617")
        newer = make_backup(reg.conn, db, "导入前", datetime(2026, 11, 30, 9, 0))
    damage(newer.path)  # the newest backup is bad too: the dialog offers the newest good one
    damage(db, start_page=10, pages=4)
    dialog = RestoreDialog(db, damaged="数据库文件已损坏。")
    qtbot.addWidget(dialog)
    assert "数据库文件已损坏" in dialog.intro.text()
    assert dialog.selected_path() == list_backups(db)[1].path
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert dialog.outcome.moved_aside and count(db) == 300


def test_the_window_reopens_on_the_restored_database(qtbot, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.main_window import MainWindow, _windows

    reg = Registry(db, create=True)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    answer(monkeypatch, QMessageBox.StandardButton.Yes)

    def run(dialog: RestoreDialog) -> int:
        dialog.restore_selected()
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(RestoreDialog, "exec", run)
    window.restore_backup()
    reopened = _windows[-1]
    qtbot.addWidget(reopened)
    assert reopened is not window and reopened.reg.scalar("SELECT count(*) FROM people") == 300
    reopened.close()
    reg.close()


def test_window_backup_defaults_to_documents(qtbot, reg: Registry, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QStandardPaths

    from ui.main_window import MainWindow

    fill_demo(reg, people=5)
    docs = tmp_path / "文档"
    docs.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _loc: str(docs))
    offered: list[str] = []

    def offer(_parent: object, _title: str, default: str, **_kw: object) -> str:
        offered.append(default)
        return ""  # the user cancels

    monkeypatch.setattr("ui.main_window.database_file", offer)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.backup()
    assert Path(offered[0]).parent == docs
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: said.append(text))
    monkeypatch.setattr("ui.main_window.QDesktopServices.openUrl", lambda _u: True)
    window.show_data_folder()
    assert "备份数据库" in said[0] and "复制到U盘" not in said[0]


def test_window_start_makes_the_daily_backup(qtbot, reg: Registry) -> None:
    from ui.main_window import MainWindow

    fill_demo(reg, people=5)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.daily_backup()
    wait_idle(10000)
    assert [b.reason for b in list_backups(reg.path)] == ["每日"]
    assert "已自动备份" in window.statusBar().currentMessage()
