"""The organisation tree: people counts that match the roster a click opens, outlets without an organisation apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTreeWidgetItem

from registry.demo import fill_demo
from registry.services.tree import org_tree
from registry.storage.database import Registry
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def window(qtbot: Any, reg: Registry) -> MainWindow:
    fill_demo(reg, people=300)
    w = MainWindow(reg)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def nodes(window: MainWindow) -> list[QTreeWidgetItem]:
    found, stack = [], [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        found.append(item)
        stack.extend(item.child(i) for i in range(item.childCount()))
    return found


def test_every_node_counts_the_people_its_click_shows(window: MainWindow, reg: Registry) -> None:
    everyone = window.tree.topLevelItem(0)
    assert everyone.text(0) == "全部人员"
    assert int(everyone.text(1)) == reg.scalar("SELECT count(*) FROM people WHERE left_on IS NULL") > 0
    checked = 0
    for item in nodes(window):
        window._tree_clicked(item)
        assert window.pages.currentWidget() is window.roster
        assert len(window.roster.model.ids) == int(item.text(1)), item.text(0)
        checked += 1
    assert checked > 10


def test_outlets_without_an_organisation_are_counted_as_outlets(window: MainWindow, reg: Registry) -> None:
    without = reg.scalar("SELECT count(*) FROM outlets WHERE organization_id IS NULL")
    assert without > 0
    loose = next(i for i in nodes(window) if i.data(0, Qt.ItemDataRole.UserRole)[0] == "loose")
    assert loose.text(0) == f"未建党组织的网点（{without}个）"
    assert loose.childCount() == without
    assert int(loose.text(1)) == sum(int(loose.child(i).text(1)) for i in range(without))  # 人数 is people
    assert f"{without}个网点还没有建立党组织" in loose.toolTip(0)


def depth(item: QTreeWidgetItem) -> int:
    return 0 if item.parent() is None else 1 + depth(item.parent())


def test_full_names_on_hover_and_not_cut_where_the_width_allows(qtbot: Any, window: MainWindow) -> None:
    window.split.setSizes([440, 900])
    window.tree.expandAll()
    qtbot.waitUntil(lambda: window.tree.width() >= 400)
    metrics = window.tree.fontMetrics()
    for item in nodes(window):
        kind = item.data(0, Qt.ItemDataRole.UserRole)[0]
        if kind in ("org", "outlet"):
            assert item.toolTip(0).startswith(item.text(0)), item.text(0)
        room = window.tree.columnWidth(0) - window.tree.indentation() * (depth(item) + 1)
        assert room >= metrics.horizontalAdvance(item.text(0)), item.text(0)  # shown whole, not elided
    assert window.tree.columnWidth(1) < 80  # the count column is as narrow as its numbers


def test_counts_come_from_one_people_query(reg: Registry) -> None:
    fill_demo(reg, people=200)
    statements: list[str] = []
    reg.conn.set_trace_callback(statements.append)
    try:
        tree = org_tree(reg)
    finally:
        reg.conn.set_trace_callback(None)
    assert sum("FROM people" in s for s in statements) == 1  # not one count per node
    assert len(statements) <= 4
    assert tree["total"] == reg.scalar("SELECT count(*) FROM people WHERE left_on IS NULL")


def test_the_roster_says_which_node_it_shows(qtbot: Any, window: MainWindow) -> None:
    branch = window.tree.topLevelItem(1).child(0)
    window._tree_clicked(branch)
    roster = window.roster
    assert roster.preset_label.text() == f"范围：{branch.text(0)}" and not roster.preset_bar.isHidden()
    qtbot.mouseClick(roster.preset_clear, Qt.MouseButton.LeftButton)
    assert roster.preset_bar.isHidden() and len(roster.model.ids) == int(window.tree.topLevelItem(0).text(1))
    assert window.tree.currentItem() is window.tree.topLevelItem(0)
    window._tree_clicked(window.tree.topLevelItem(0))
    assert roster.preset_bar.isHidden()
