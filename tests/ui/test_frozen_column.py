"""姓名 stays in view when the roster scrolls right; selection, sorting, double-click and keys still work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from registry.demo import fill_demo
from registry.storage.database import Registry
from ui.pages.roster_page import RosterPage


@pytest.fixture
def page(qtbot: Any, tmp_path: Path) -> Iterator[RosterPage]:
    reg = Registry(tmp_path / "demo.db", operator="测试员", create=True)
    fill_demo(reg, people=120)
    p = RosterPage(reg)
    qtbot.addWidget(p)
    p.resize(700, 500)  # far narrower than the columns: the table scrolls sideways
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.close()
    reg.close()


def scrolled_right(page: RosterPage) -> None:
    bar = page.table.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())


def test_the_name_column_stays_in_view(page: RosterPage) -> None:
    table, frozen = page.table, page.table.frozen
    scrolled_right(page)
    assert table.columnViewportPosition(0) < 0  # the table's own 姓名 has scrolled away…
    assert frozen.isVisible() and frozen.columnWidth(0) == table.columnWidth(0)
    assert frozen.x() == table.verticalHeader().width() + table.frameWidth()
    assert [c for c in range(page.model.columnCount()) if not frozen.isColumnHidden(c)] == [0]
    rect = frozen.visualRect(page.model.index(0, 0))
    assert rect.isValid() and frozen.viewport().rect().contains(rect.center())  # …the frozen one has not
    assert frozen.horizontalHeader().isVisible() and page.model.headerData(0, Qt.Orientation.Horizontal) == "姓名"


def test_it_scrolls_down_with_the_table(page: RosterPage) -> None:
    page.table.verticalScrollBar().setValue(20)
    assert page.table.frozen.verticalScrollBar().value() == 20
    assert page.table.frozen.rowAt(1) == page.table.rowAt(1)


def test_a_click_on_a_name_selects_the_person_and_keys_go_on(qtbot: Any, page: RosterPage) -> None:
    frozen = page.table.frozen
    scrolled_right(page)
    rect = frozen.visualRect(page.model.index(3, 0))
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_id() == page.model.person_id(3)
    assert page.table.hasFocus()  # the table underneath has the keys
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected_id() == page.model.person_id(4)
    assert page.table.horizontalScrollBar().value() == page.table.horizontalScrollBar().maximum()  # not jumped left
    assert frozen.selectionModel() is page.table.selectionModel()


def test_double_click_on_a_name_edits(qtbot: Any, page: RosterPage, monkeypatch: pytest.MonkeyPatch) -> None:
    edited: list[int | None] = []
    monkeypatch.setattr(page, "edit", lambda: edited.append(page.selected_id()))
    frozen = page.table.frozen
    rect = frozen.visualRect(page.model.index(2, 0))
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's first press
    qtbot.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert edited == [page.model.person_id(2)]


def test_the_frozen_header_sorts_by_name(qtbot: Any, page: RosterPage) -> None:
    header = page.table.frozen.horizontalHeader()
    pos = header.rect().center()
    pos.setX(header.sectionViewportPosition(0) + 10)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    first = list(page.model.ids)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert page.model.descending and page.model.ids == first[::-1]
    assert header.isSortIndicatorShown() and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_columns_changed_keep_one_frozen_column(page: RosterPage) -> None:
    page._toggle_column("notes", True)
    page._toggle_column("gender", False)
    frozen = page.table.frozen
    assert [c for c in range(page.model.columnCount()) if not frozen.isColumnHidden(c)] == [0]
    assert frozen.columnWidth(0) == page.table.columnWidth(0)
