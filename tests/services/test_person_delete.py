"""Deleting a person really deletes: the audit log keeps the fact, the name and a masked ID, no other value."""

from __future__ import annotations

import json
from pathlib import Path

from registry.importing.service import import_files
from registry.rules.idnumber import mask_id
from registry.services.activities import record_service
from registry.services.history import SCRUBBED, history
from registry.services.history_text import describe
from registry.services.people import add_person, delete_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

SECRETS = (ID_MAN_1985, ID_MAN_2000, "13800138000", "13900139000", "1985-03-15", "2000-01-01", "成都市锦江区某街道1号")


def all_log_text(reg: Registry) -> str:
    rows = reg.conn.execute("SELECT label, field, old, new FROM audit_log").fetchall()
    return "\n".join(str(v) for row in rows for v in row if v is not None)


def test_delete_keeps_the_fact_name_and_masked_id_but_no_value(reg: Registry) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985, phone="13800138000", address="成都市锦江区某街道1号")
    edit_person(reg, ID_MAN_1985, phone="13900139000")
    edit_person(reg, ID_MAN_1985, id_number=ID_MAN_2000)  # birth date and sex follow the new number
    edit_person(reg, ID_MAN_2000, name="张叁")
    add_person(reg, name="李四", id_number=ID_WOMAN_1992, phone="13700137000")
    assert all(s in all_log_text(reg) for s in ("13800138000", ID_MAN_1985, "1985-03-15"))

    delete_person(reg, ID_MAN_2000)

    text = all_log_text(reg)
    leaked = [s for s in SECRETS if s in text]
    assert leaked == []
    [gone] = [r for r in history(reg, entity="people") if r["op"] == "delete"]
    assert gone["operator"] == "测试员" and gone["label"] == "张叁"
    assert json.loads(gone["old"]) == {"name": "张叁", "id_number": mask_id(ID_MAN_2000)}
    rows = history(reg, entity="people", entity_id=gone["entity_id"])
    [insert] = [r for r in rows if r["op"] == "insert"]
    assert json.loads(insert["new"]) == {"name": "张三", "id_number": mask_id(ID_MAN_1985)}  # as inserted
    updates = {(r["field"], r["old"], r["new"]) for r in rows if r["op"] == "update"}
    assert ("phone", SCRUBBED, SCRUBBED) in updates and ("birth_date", SCRUBBED, SCRUBBED) in updates
    assert ("id_number", mask_id(ID_MAN_1985), mask_id(ID_MAN_2000)) in updates
    assert ("name", "张三", "张叁") in updates  # the name stays, as the delete row does
    # Someone else's history is untouched.
    assert "13700137000" in text and ID_WOMAN_1992 in text


def test_a_reused_row_id_does_not_rewrite_an_earlier_persons_rows(reg: Registry) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985)
    delete_person(reg, ID_MAN_1985)
    add_person(reg, name="王五", id_number=ID_MAN_2000)  # SQLite gives the freed id to the next person
    delete_person(reg, ID_MAN_2000)
    deleted = [json.loads(r["old"])["name"] for r in history(reg, entity="people") if r["op"] == "delete"]
    inserted = [json.loads(r["new"])["name"] for r in history(reg, entity="people") if r["op"] == "insert"]
    assert sorted(deleted) == sorted(inserted) == ["张三", "王五"]


def test_delete_with_records_and_imported_people(reg: Registry, tmp_path: Path) -> None:
    census = tmp_path / "摸排表.csv"
    census.write_text(f"姓名,公民身份号码,手机号码,出生日期\n张三,{ID_MAN_1985},13800138000,1985-03-15\n"
                      f"李四,{ID_WOMAN_1992},13700137000,1992-07-08\n", encoding="utf-8")
    import_files(reg, [census])
    record_service(reg, ID_MAN_1985, post="文明交通劝导", served_on="2026-05-01", hours=2)
    delete_person(reg, ID_MAN_1985)
    text = all_log_text(reg)
    assert ID_MAN_1985 not in text and "13800138000" not in text and "1985-03-15" not in text
    # The other imported person is as she was; the batch that added her is her 新增 entry, which copies none of
    # her values into the log (issue 15: the import batch is the audit event).
    assert ID_WOMAN_1992 not in text and "13700137000" not in text
    li = reg.scalar("SELECT id FROM people WHERE id_number = ?", (ID_WOMAN_1992,))
    added = [r for r in history(reg, entity="people", entity_id=li) if r["op"] == "insert"]
    assert [describe(r) for r in added] == ["由第1批导入新增"]


def test_the_wal_is_truncated_after_a_delete(reg: Registry) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985, phone="13800138000")
    wal = Path(f"{reg.path}-wal")
    assert wal.stat().st_size > 0
    delete_person(reg, ID_MAN_1985)
    assert wal.stat().st_size == 0
