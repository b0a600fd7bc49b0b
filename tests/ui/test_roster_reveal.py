"""显示完整号码 in the roster's person view: one person at a time, and every reveal in the audit log."""

from __future__ import annotations

import json
from typing import Any

from registry.services.history import history
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from ui.pages.roster_page import RosterPage


def test_reveal_is_logged_and_ends_with_the_selection(qtbot: Any, reg: Registry) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985)
    add_person(reg, name="李四", id_number=ID_WOMAN_1992)
    page = RosterPage(reg)
    qtbot.addWidget(page)
    page.apply_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.table.selectRow(0)
    first = page.selected_id()
    number = reg.scalar("SELECT id_number FROM people WHERE id = ?", (first,))
    assert number not in page.detail.toPlainText() and "显示完整号码" in page.detail.toPlainText()
    assert history(reg, entity="reveals") == []

    page.toggle_id()
    assert number in page.detail.toPlainText()
    [row] = history(reg, entity="reveals")
    name = reg.scalar("SELECT name FROM people WHERE id = ?", (first,))
    assert json.loads(row["new"]) == {"what": f"{name}的人员详情", "count": 1, "where": "窗口"}
    assert row["operator"] == "测试员"

    page.table.selectRow(1)  # someone else: masked again
    other = reg.scalar("SELECT id_number FROM people WHERE id = ?", (page.selected_id(),))
    assert other not in page.detail.toPlainText()
    page.table.selectRow(0)  # and back: the earlier reveal does not carry over
    assert number not in page.detail.toPlainText()
    page.toggle_id()
    page.toggle_id()  # 隐藏
    assert number not in page.detail.toPlainText() and len(history(reg, entity="reveals")) == 2
