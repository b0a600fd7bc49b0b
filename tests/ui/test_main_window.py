"""The main window as a whole: pages, tree scope, switching databases, the screenshot command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from registry.demo import fill_demo
from registry.storage.database import Registry
from ui.main_window import PAGES, MainWindow, _windows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def test_pages_and_tree_scope(qtbot, reg: Registry) -> None:
    fill_demo(reg, people=120)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    for name in PAGES:
        window.show_page(name)
    window.show_page("dashboard")  # (on the 组织生活 page the tree scopes that page: tests/ui/test_org_life_page.py)
    everyone = len(reg.query("SELECT id FROM people WHERE left_on IS NULL"))
    root = window.tree.topLevelItem(1)  # the committee, after 全部人员
    assert int(root.text(1)) <= everyone
    branch = root.child(0)
    window._tree_clicked(branch)
    assert window.pages.currentWidget() is window.roster
    assert 0 < len(window.roster.model.ids) == int(branch.text(1))
    window._tree_clicked(window.tree.topLevelItem(0))
    assert len(window.roster.model.ids) == everyone


def test_switch_database(qtbot, reg: Registry, tmp_path: Path) -> None:
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.switch_to(tmp_path / "other.db", create=True)
    new = _windows[-1]
    qtbot.addWidget(new)
    assert new.reg.path == tmp_path / "other.db"
    assert QSettings().value("last_db") == str(tmp_path / "other.db")
    new.close()
    new.reg.close()


@pytest.mark.parametrize("page", PAGES)
def test_screenshot_command(tmp_path: Path, page: str) -> None:
    out = tmp_path / f"{page}.png"
    p = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "s.db"), "--screenshot", str(out),
                        "--page", page], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                            "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert p.returncode == 0, p.stderr
    assert out.stat().st_size > 20_000


def test_backup_from_the_window(qtbot, reg: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.worker import wait_idle

    fill_demo(reg, people=40)
    window = MainWindow(reg)
    qtbot.addWidget(window)
    out = tmp_path / "b.db"
    monkeypatch.setattr("ui.main_window.database_file", lambda *a, **k: str(out))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    window.backup()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    wait_idle(1000)
    assert out.exists() and "已备份" in shown[0]
