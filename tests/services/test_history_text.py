"""The sentences of the audit log (registry.services.history_text): names for ids, masked IDs, Chinese labels."""

from __future__ import annotations

import json

from registry.services.history_text import describe, history_line
from registry.services.people import edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_2000, ID_WOMAN_1992


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


def test_a_show_id_line_shows_the_full_number_and_dates_read_as_dates() -> None:
    change = {"op": "update", "entity": "people", "field": "id_number", "old": "11010519491231002X",
              "new": ID_MAN_2000, "label": "张三", "at": "2026-12-01T07:26:46", "operator": "王书记"}
    assert history_line(change).cells() == ("2026年12月1日 07:26", "王书记", "修改", "人员", "张三",
                                            "公民身份号码：110105********002X → 440305********2617")
    assert history_line(change, show_id=True).content == f"公民身份号码：11010519491231002X → {ID_MAN_2000}"
    joined = {"op": "update", "entity": "people", "field": "joined_on", "old": "2010-07", "new": "2010-07-01"}
    assert describe(joined) == "入党时间：2010年7月 → 2010年7月1日"
    dues = {"op": "insert", "entity": "transfers", "label": "张三",
            "new": json.dumps({"person_id": 7, "direction": "out", "dues_paid_to": "2026-03"})}
    assert history_line(dues).content == "方向：转出；党费交至：2026年3月"
    gone = {"op": "delete", "entity": "outlets", "label": None, "old": json.dumps({"id": 3, "name": "沙河网点"},
                                                                                     ensure_ascii=False)}
    assert history_line(gone).cells()[3:] == ("网点", "沙河网点", "删除前：网点名称：沙河网点")
