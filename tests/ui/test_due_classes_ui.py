"""The window shows the due list's classes: 可办理 is its own column and filter, never counted as overdue."""

from __future__ import annotations

from registry.services.development_steps import record_step
from registry.services.people import add_person
from registry.storage.database import Registry
from ui.pages.dashboard import DashboardPage
from ui.pages.roster_page import RosterPage

ID = "510104198503154210"


def _header(page: DashboardPage) -> list[str]:
    return [page.due.horizontalHeaderItem(c).text() for c in range(page.due.columnCount())]


def test_dashboard_counts_an_eligible_activist_as_actionable(qtbot, reg: Registry) -> None:
    add_person(reg, name="积极", id_number=ID, category="入党积极分子", activist_on="2020-03-01")
    page = DashboardPage(reg)
    qtbot.addWidget(page)
    header = _header(page)
    assert header == ["事项", "已逾期", "本月到期", "下月到期", "可办理", "待核实"]
    row = next(r for r in range(page.due.rowCount()) if page.due.item(r, 0).text().startswith("入党积极分子培养满"))
    counts = {header[c]: page.due.item(row, c).text() for c in range(1, page.due.columnCount())}
    assert counts["可办理"] == "1" and counts["已逾期"] == "0"


def test_roster_filters_by_class(qtbot, reg: Registry) -> None:
    add_person(reg, name="积极", id_number=ID, category="入党积极分子", activist_on="2020-03-01")
    record_step(reg, ID, "activist_review", "2026-11-01")  # her half-yearly 考察 is not overdue either
    page = RosterPage(reg)
    qtbot.addWidget(page)
    page.due.setCurrentText("已逾期")
    assert page.model.rowCount() == 0
    page.due.setCurrentText("可办理")
    assert page.model.rowCount() == 1
