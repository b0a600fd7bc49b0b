"""The import batch is the audit event of the people it adds: no log row copying each record, undo as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.errors import UserError
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.importing.undo_counts import undo_counts
from registry.services.history import history
from registry.services.history_text import describe
from registry.services.people import add_person, delete_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


def _census(path: Path) -> Path:
    path.write_text("姓名,身份证号,联系电话,政治面貌,所在网点\n"
                    f"张三,{ID_MAN_1985},13800138000,中共党员,沙河网点\n"
                    f"李芳,{ID_WOMAN_1992},13700137000,群众,沙河网点\n", encoding="utf-8")
    return path


def test_added_people_carry_the_batch_and_the_log_keeps_no_copy_of_them(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="王五", id_number=ID_MAN_2000)
    result = import_files(reg, [_census(tmp_path / "摸排.csv")])
    batch = reg.query("SELECT * FROM import_batches WHERE id = ?", (result.batch,))[0]
    added = reg.query("SELECT id, batch_id FROM people WHERE batch_id IS NOT NULL ORDER BY id")
    assert [r["batch_id"] for r in added] == [result.batch] * 2
    assert (batch["people_from"], batch["people_to"]) == (added[0]["id"], added[-1]["id"])
    assert '"sha256"' in batch["files"] and batch["added"] == 2
    person_rows = reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'people' AND operation_id = ?",
                             (batch["operation_id"],))
    assert person_rows == 0
    log = " ".join(str(v) for row in reg.conn.execute("SELECT new FROM audit_log") for v in row)
    assert ID_WOMAN_1992 not in log and "13700137000" not in log
    # Her history (by id, or by name in the log's search) reads the batch that added her.
    li = reg.scalar("SELECT id FROM people WHERE id_number = ?", (ID_WOMAN_1992,))
    assert [describe(r) for r in history(reg, entity="people", entity_id=li)] == [f"由第{result.batch}批导入新增"]
    found = history(reg, text="李芳")
    assert [(r["op"], r["label"], describe(r)) for r in found] == [("insert", "李芳", f"由第{result.batch}批导入新增")]
    assert not [r for r in history(reg, entity="people", entity_id=reg.scalar(
        "SELECT id FROM people WHERE id_number = ?", (ID_MAN_2000,))) if describe(r).startswith("由第")]


def test_undo_deletes_the_batch_people_and_counts_them(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="王五", id_number=ID_MAN_2000)
    result = import_files(reg, [_census(tmp_path / "摸排.csv")])
    assert undo_counts(reg, result.batch).people_added == 2
    undo_batch(reg, result.batch)
    assert [r[0] for r in reg.conn.execute("SELECT id_number FROM people")] == [ID_MAN_2000]
    again = import_files(reg, [_census(tmp_path / "摸排.csv")])  # ids reused after the undo: a new batch
    assert again.added == 2 and undo_counts(reg, again.batch).people_added == 2


def test_undo_refuses_after_later_work_on_a_batch_person(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [_census(tmp_path / "摸排.csv")])
    edit_person(reg, ID_MAN_1985, phone="13900139000")
    with pytest.raises(UserError, match="导入之后又修改过"):
        undo_batch(reg, result.batch)
    assert reg.scalar("SELECT count(*) FROM people") == 2


def test_undo_refuses_after_a_batch_person_was_deleted(reg: Registry, tmp_path: Path) -> None:
    """She no longer carries the batch, but her id lies in the batch's range: the undo still sees the deletion."""
    result = import_files(reg, [_census(tmp_path / "摸排.csv")])
    delete_person(reg, ID_WOMAN_1992)
    with pytest.raises(UserError, match="导入之后又修改过"):
        undo_batch(reg, result.batch)
    assert reg.scalar("SELECT count(*) FROM people") == 1


def test_a_batch_logged_person_by_person_still_undoes(reg: Registry, tmp_path: Path) -> None:
    """Batches written before 0005_import_batch_audit logged each added person instead of carrying the batch."""
    result = import_files(reg, [_census(tmp_path / "摸排.csv")])
    op = reg.scalar("SELECT operation_id FROM import_batches WHERE id = ?", (result.batch,))
    with reg.conn:  # the old form, as an upgraded database holds it
        reg.conn.execute("UPDATE import_batches SET people_from = NULL, people_to = NULL")
        for pid, name in reg.conn.execute("SELECT id, name FROM people").fetchall():
            reg.conn.execute("INSERT INTO audit_log (operation_id, at, operator, op, entity, entity_id, label, new)"
                             " VALUES (?, '2026-01-01T00:00:00', 'x', 'insert', 'people', ?, ?, '{}')", (op, pid, name))
        reg.conn.execute("UPDATE people SET batch_id = NULL")
    assert undo_counts(reg, result.batch).people_added == 2
    undo_batch(reg, result.batch)
    assert reg.scalar("SELECT count(*) FROM people") == 0
