"""The history page: the audit log in the user's words, its filters, and undoing an import batch."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from registry.demo import fill_demo
from registry.importing.service import import_files
from registry.services.people import edit_person
from registry.services.search import PeopleFilter, count_people
from registry.storage.database import Registry
from tests.conftest import ID_MAN_2000, ID_WOMAN_1992
from ui import worker
from ui.pages.history_page import HistoryPage, describe


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []

    def recorder(kind: str) -> Any:
        def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
            seen.append((kind, text))
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return record

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))
    return seen


@pytest.fixture
def page(qtbot: Any, reg: Registry) -> HistoryPage:
    fill_demo(reg, people=80)
    widget = HistoryPage(reg)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget
    worker.wait_idle()


def census_csv(tmp_path: Path) -> Path:
    path = tmp_path / "补充摸排.csv"
    path.write_text("姓名,身份证号,政治面貌,联系电话,所在网点\n"
                    f"钱多多,{ID_WOMAN_1992},中共党员,13900139000,补充网点\n"
                    f"孙小明,{ID_MAN_2000},入党积极分子,13600136000,补充网点\n", encoding="utf-8-sig")
    return path


def column(page: HistoryPage, c: int) -> list[str]:
    return [page.model.index(r, c).data() for r in range(page.model.rowCount())]


def test_log_shows_changes_in_chinese(qtbot: Any, reg: Registry, page: HistoryPage) -> None:
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == ["时间", "操作人", "操作", "对象", "名称", "内容"]
    assert page.model.rowCount() > 80
    assert set(column(page, 2)) <= {"新增", "修改", "删除"}
    assert "人员" in column(page, 3) and "网点" in column(page, 3)
    person = reg.query("SELECT name, id_number, phone FROM people ORDER BY id LIMIT 1")[0]
    edit_person(reg, person["id_number"], phone="13912345678")
    page.refresh()
    first = [page.model.index(0, c).data() for c in range(6)]
    assert first[1:5] == ["测试员", "修改", "人员", person["name"]]
    assert first[5] == f"联系电话：{person['phone'] or '（空）'} → 13912345678"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", first[0])  # as a secretary reads a time
    tip = page.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("所属操作：")


def test_filters_by_entity_and_text(qtbot: Any, reg: Registry, page: HistoryPage) -> None:
    page.entity_box.setCurrentIndex(page.entity_box.findData("outlets"))
    assert page.model.rowCount() > 0 and set(column(page, 3)) == {"网点"}
    page.entity_box.setCurrentIndex(0)
    name = reg.query("SELECT name FROM people ORDER BY id DESC LIMIT 1")[0]["name"]
    page.search.setText(name)
    qtbot.waitUntil(lambda: page.model.rowCount() and all(name in n for n in column(page, 4)), timeout=3000)
    assert "共" in page.count_label.text()


def test_undo_a_batch_from_the_list(qtbot: Any, reg: Registry, page: HistoryPage, tmp_path: Path,
                                    messages: list[tuple[str, str]]) -> None:
    before = count_people(reg, PeopleFilter(include_left=True))
    batch = import_files(reg, [census_csv(tmp_path)]).batch
    page.refresh()
    page.tabs.setCurrentIndex(1)
    assert page.batches.item(0, 0).text() == str(batch)
    assert page.batches.item(0, 3).text() == "补充摸排.csv" and page.batches.item(0, 10).text() == "已导入"
    assert not page.undo_button.isEnabled()
    page.batches.selectRow(0)
    assert page.undo_button.isEnabled()
    with qtbot.waitSignal(page.changed, timeout=30000):
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    worker.wait_idle()
    assert count_people(reg, PeopleFilter(include_left=True)) == before
    assert page.batches.item(0, 10).text().startswith("已撤销")
    assert messages[0][0] == "question" and messages[-1] == (
        "information", f"已撤销导入批次{batch}：删除3条新增的记录，恢复0项被修改的内容。")
    assert not page.undo_button.isEnabled()  # the same batch stays selected, already undone
    assert "删除" in column(page, 2)


def test_refused_undo_shows_the_reason(qtbot: Any, reg: Registry, page: HistoryPage, tmp_path: Path,
                                       messages: list[tuple[str, str]]) -> None:
    import_files(reg, [census_csv(tmp_path)])
    edit_person(reg, ID_MAN_2000, phone="13700000000")
    page.refresh()
    page.batches.selectRow(0)
    emitted: list[bool] = []
    page.changed.connect(lambda: emitted.append(True))
    page.undo_selected()
    worker.wait_idle()
    kind, text = messages[-1]
    assert kind == "warning" and "孙小明" in text and "没有撤销" in text
    assert emitted == [] and page.batches.item(0, 10).text() == "已导入"


def test_describe_insert_delete_export_and_yes_no() -> None:
    insert = {"op": "insert", "entity": "people", "field": None, "old": None,
              "new": json.dumps({"name": "张三", "phone": None, "notes": "", "flowing": 1}, ensure_ascii=False)}
    assert describe(insert) == "姓名：张三；是否流动党员：是"  # a bulk import logs blank columns as null
    names = {("people", "outlet_id"): {"3": "沙河网点"}}
    moved = {"op": "update", "entity": "people", "field": "outlet_id", "old": "3", "new": "9"}
    assert describe(moved, names) == "所在网点：沙河网点 → （编号9，已删除）"
    placed = {"op": "insert", "entity": "people", "field": None, "old": None, "new": '{"name": "张三", "outlet_id": 3}'}
    assert describe(placed, names) == "姓名：张三；所在网点：沙河网点"
    update = {"op": "update", "entity": "people", "field": "flowing", "old": "0", "new": "1"}
    assert describe(update) == "是否流动党员：否 → 是"
    outlet = {"op": "update", "entity": "outlets", "field": "workers", "old": None, "new": "69"}
    assert describe(outlet) == "从业人员数：（空） → 69"
    export = {"op": "insert", "entity": "exports", "field": None, "old": None,
              "new": json.dumps({"file": "/tmp/花名册.xlsx", "rows": 12}, ensure_ascii=False)}
    assert describe(export) == "导出12人到“/tmp/花名册.xlsx”"
    delete = {"op": "delete", "entity": "outlets", "field": None, "new": None,
              "old": json.dumps({"name": "沙河网点"}, ensure_ascii=False)}
    assert describe(delete) == "删除前：网点名称：沙河网点"
    status = {"op": "update", "entity": "import_batches", "field": "status", "old": "applied", "new": "undone"}
    assert describe(status) == "状态：已导入 → 已撤销"
    id_change = {"op": "update", "entity": "people", "field": "id_number", "old": None, "new": "11010519491231002X"}
    assert describe(id_change) == "公民身份号码：（空） → 110105********002X"
    mapping = {"op": "update", "entity": "import_templates", "field": "overrides", "old": None,
               "new": json.dumps({"现住址": "address", "微信号": ""}, ensure_ascii=False)}
    assert describe(mapping) == "“现住址”导入为家庭住址；“微信号”导入为（不导入）"


def test_describe_a_deleted_persons_scrubbed_rows_full_id_exports_and_reveals(reg: Registry) -> None:
    from registry.services.history import history
    from registry.services.people import add_person, delete_person

    add_person(reg, name="王芳", id_number=ID_WOMAN_1992, phone="13800138000")
    edit_person(reg, ID_WOMAN_1992, phone="13900139000", id_number=ID_MAN_2000)
    delete_person(reg, ID_MAN_2000)
    sentences = {r["op"] + (r["field"] or ""): describe(r) for r in history(reg, entity="people")}
    assert sentences["insert"] == "姓名：王芳；公民身份号码：420106********0064"
    assert sentences["updatephone"] == "联系电话：已修改（该人员已删除，原值已清除）"
    assert sentences["updateid_number"] == "公民身份号码：420106********0064 → 440305********2617"
    assert sentences["delete"] == "删除前：姓名：王芳；公民身份号码：440305********2617"
    export = {"op": "insert", "entity": "exports", "field": None, "old": None,
              "new": json.dumps({"file": "/tmp/上报.xlsx", "rows": 12, "show_id": True}, ensure_ascii=False)}
    assert describe(export) == "导出12人到“/tmp/上报.xlsx”，含完整身份证号"
    form = {**export, "new": json.dumps({"file": "/tmp/表.pdf", "person": "王芳", "show_id": True}, ensure_ascii=False)}
    assert describe(form) == "导出王芳的报表到“/tmp/表.pdf”，含完整身份证号"
    reveal = {"op": "insert", "entity": "reveals", "field": None, "old": None,
              "new": json.dumps({"what": "王芳的人员详情", "count": 1, "where": "窗口"}, ensure_ascii=False)}
    assert describe(reveal) == "显示了1个完整身份证号（窗口：王芳的人员详情）"
