"""Every figure on the dashboard opens the roster on exactly the people it counts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from registry.demo import fill_demo
from registry.services.people import edit_person
from registry.storage.database import Registry
from ui.main_window import MainWindow
from ui.pages.dashboard import CLICK_TIP


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def window(qtbot: Any, reg: Registry) -> MainWindow:
    fill_demo(reg, people=300)
    members = [r["id"] for r in reg.query("SELECT id FROM people WHERE category = '正式党员' ORDER BY id LIMIT 3")]
    edit_person(reg, members[0], status="停止党籍")
    edit_person(reg, members[1], lost_contact=1, lost_since="2025-01")
    edit_person(reg, members[2], left_on=date.today().isoformat(), left_how="离开本单位")
    w = MainWindow(reg)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def shown(window: MainWindow) -> int:
    assert window.pages.currentWidget() is window.roster
    return len(window.roster.model.ids)


def test_cards_open_their_people(qtbot: Any, window: MainWindow) -> None:
    cards = window.dashboard.cards
    assert len(cards) == 6
    for key, card in cards.items():
        window.show_page("dashboard")
        assert card.toolTip().endswith(CLICK_TIP) and card.cursor().shape() == Qt.CursorShape.PointingHandCursor
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        assert shown(window) == int(card.value.text()), key
        assert window.roster.preset_label.text().startswith("首页：")
    assert sum(int(c.value.text()) for c in cards.values()) > 0


def test_the_coverage_sentence_opens_its_people(window: MainWindow) -> None:
    text = window.dashboard.coverage.text()
    links = re.findall(r"<a href='([^']+)'[^>]*>[^<]*?(\d+)</a>", text)
    assert {k for k, _ in links} >= {"members", "registered", "flowing_out", "flowing_in", "stopped", "lost_contact"}
    for key, number in links:
        window.show_page("dashboard")
        window.dashboard.coverage.linkActivated.emit(key)
        assert shown(window) == int(number), key
    assert any(int(n) for k, n in links if k == "stopped") and any(int(n) for k, n in links if k == "lost_contact")


def test_due_cells_open_their_people(qtbot: Any, window: MainWindow) -> None:
    table = window.dashboard.due
    clicked = 0
    for row in range(table.rowCount()):
        for col in range(1, table.columnCount()):
            item = table.item(row, col)
            if not item.data(Qt.ItemDataRole.UserRole):
                assert item.text() == "0"
                continue
            window.show_page("dashboard")
            table.scrollToItem(item)
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())
            if item.data(Qt.ItemDataRole.UserRole) == "page:org_life":  # a branch's items: the 组织生活 page
                assert window.pages.currentWidget() is window.org_life and window.org_life.gap_rows
                clicked += 1
                continue
            assert shown(window) == int(item.text()), (table.item(row, 0).text(), col)
            assert item.toolTip() == CLICK_TIP
            clicked += 1
    assert clicked > 0


def test_the_figure_filter_is_said_and_can_be_left(qtbot: Any, window: MainWindow, reg: Registry) -> None:
    window.roster.search.setText("王")
    window.open_figure("flowing_in")
    roster = window.roster
    assert roster.search.text() == "" and roster.preset_label.text() == "首页：流入党员（流动党员）"
    assert not roster.preset_bar.isHidden()
    figure = len(roster.model.ids)
    roster.category.setCurrentIndex(roster.category.findText("预备党员"))  # narrowed further, never widened
    assert len(roster.model.ids) <= figure
    qtbot.mouseClick(roster.preset_clear, Qt.MouseButton.LeftButton)
    roster.category.setCurrentIndex(0)
    assert roster.preset_bar.isHidden()
    assert len(roster.model.ids) == reg.scalar("SELECT count(*) FROM people WHERE left_on IS NULL")
    window.open_figure("stopped")
    window._tree_clicked(window.tree.topLevelItem(1))  # the tree's scope replaces the figure
    assert roster.preset is None and roster.preset_label.text().startswith("范围：")
