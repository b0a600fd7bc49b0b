"""The roster table model, tested without widgets: Qt's model checks, paging, masking, order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from registry.demo import fill_demo
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry
from ui.roster_model import PAGE, RosterModel


def test_model_passes_qt_checks(qtmodeltester, reg: Registry) -> None:
    fill_demo(reg, people=120)
    model = RosterModel(reg)
    model.refresh()
    qtmodeltester.check(model, force_py=True)


def test_rows_in_stroke_order_and_masked(reg: Registry) -> None:
    fill_demo(reg, people=PAGE + 50)
    model = RosterModel(reg)
    model.refresh()
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == [p["name"] for p in search_people(reg)]
    id_col = [c[0] for c in model.columns].index("id_number")
    shown = model.data(model.index(PAGE + 10, id_col))
    assert "********" in shown
    model.set_show_full_id(True)
    assert "*" not in model.data(model.index(PAGE + 10, id_col))


def test_filter_and_columns(reg: Registry) -> None:
    fill_demo(reg, people=150)
    model = RosterModel(reg)
    model.set_filter(PeopleFilter(categories=["正式党员"]))
    cat_col = [c[0] for c in model.columns].index("category")
    assert {model.data(model.index(r, cat_col)) for r in range(model.rowCount())} == {"正式党员"}
    model.set_visible_columns(["name", "notes"])
    assert model.columnCount() == 2 and model.headerData(1, Qt.Orientation.Horizontal) == "备注"
