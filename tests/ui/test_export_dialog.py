"""The export dialog: it starts from the roster's filter, asks for a file, and exports in the background."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from registry.demo import fill_demo
from registry.rules.categories import CATEGORIES
from registry.services.history import history
from registry.services.outlets import list_outlets
from registry.services.search import PeopleFilter, count_people, search_people
from registry.storage.database import Registry
from ui import file_dialogs, worker
from ui.dialogs.export_dialog import ExportDialog


class Answers:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save_name = ""
        self.asked: list[str] = []
        self.messages: list[tuple[str, str]] = []
        monkeypatch.setattr(file_dialogs, "get_save_file_name", self._save)
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

    def _save(self, _parent: Any, _title: str, default: str, _filter: str, *rest: Any) -> tuple[str, str]:
        self.asked.append(default)
        return self.save_name, ""

    def _recorder(self, kind: str) -> Any:
        def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
            self.messages.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return record


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


@pytest.fixture
def demo(reg: Registry) -> Registry:
    fill_demo(reg, people=80)
    return reg


def make(qtbot: Any, reg: Registry, f: PeopleFilter | None = None) -> ExportDialog:
    dialog = ExportDialog(reg, f)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def checked(dialog: ExportDialog) -> list[str]:
    return [dialog.categories.item(i).text() for i in range(dialog.categories.count())
            if dialog.categories.item(i).checkState().name == "Checked"]


def test_starts_from_the_roster_filter(qtbot: Any, demo: Registry, answers: Answers) -> None:
    f = PeopleFilter(text="张", categories=["中共党员"], flowing=True)
    dialog = make(qtbot, demo, f)
    assert [dialog.categories.item(i).text() for i in range(dialog.categories.count())] == list(CATEGORIES)
    assert checked(dialog) == ["正式党员"]
    assert dialog.flowing_box.currentText() == "只看流动党员"
    assert dialog.people_filter().text == "张"
    assert f"{count_people(demo, dialog.people_filter())} 人" in dialog.count_label.text()
    assert not dialog.full_id_box.isChecked()  # masked unless asked for
    outlets = {dialog.outlet_box.itemText(i) for i in range(dialog.outlet_box.count())}
    assert {o["name"] for o in list_outlets(demo)} <= outlets


def test_xlsx_export_with_full_ids(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path) -> None:
    dialog = make(qtbot, demo, PeopleFilter(categories=["正式党员", "预备党员"]))
    dialog.full_id_box.setChecked(True)
    answers.save_name = str(tmp_path / "上报花名册")
    dialog.export()
    worker.wait_idle()
    out = tmp_path / "上报花名册.xlsx"
    n = count_people(demo, PeopleFilter(categories=["正式党员", "预备党员"]))
    assert dialog.exported == (n, out) and n > 0
    assert answers.messages == [("information", f"已导出{n}人到“{out}”。")]
    assert answers.asked[0].endswith(".xlsx")
    rows = list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(min_row=4, values_only=True))
    assert len(rows) == n
    ids = [r[4] for r in rows]
    assert all(len(i) == 18 and "*" not in i for i in ids)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert json.loads(history(demo, entity="exports")[0]["new"])["show_id"] is True


def test_csv_masked_in_pinyin_order_for_one_outlet(qtbot: Any, demo: Registry, answers: Answers,
                                                   tmp_path: Path) -> None:
    outlet = max(list_outlets(demo), key=lambda o: o["people"])["name"]
    dialog = make(qtbot, demo)
    dialog.format_buttons[1].setChecked(True)
    dialog.order_buttons[1].setChecked(True)
    dialog.outlet_box.setCurrentText(outlet)
    expected = search_people(demo, PeopleFilter(outlet=outlet), order="pinyin")
    assert f"{len(expected)} 人" in dialog.count_label.text()
    answers.save_name = str(tmp_path / "网点名单.csv")
    dialog.export()
    worker.wait_idle()
    with (tmp_path / "网点名单.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[1] for r in rows[1:]] == [p["name"] for p in expected]
    assert all("*" in r[4] for r in rows[1:])  # masked by default, nothing ticked
    assert json.loads(history(demo, entity="exports")[0]["new"])["show_id"] is False


def test_nothing_to_export_or_no_file_chosen(qtbot: Any, demo: Registry, answers: Answers) -> None:
    dialog = make(qtbot, demo)
    dialog.outlet_box.setCurrentText("不存在的网点")
    assert "0 人" in dialog.count_label.text()
    dialog.export()
    assert answers.asked == [] and "没有符合条件的人员" in answers.messages[-1][1]
    dialog.outlet_box.setCurrentText("（全部网点）")
    dialog.export()  # the file dialog is cancelled: nothing happens, the dialog stays open
    assert len(answers.asked) == 1 and dialog.exported is None and dialog.isVisible()


def test_unwritable_target_shows_the_reason(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path) -> None:
    dialog = make(qtbot, demo)
    answers.save_name = str(tmp_path / "没有这个文件夹" / "花名册.xlsx")
    dialog.export()
    worker.wait_idle()
    kind, text = answers.messages[-1]
    assert kind == "warning" and "无法写入" in text
    assert dialog.exported is None and dialog.body.isEnabled() and dialog.isVisible()
