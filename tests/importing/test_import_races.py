"""Plan and write agree: a change made while an import reads its files is respected, never overwritten blind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from registry.errors import UserError
from registry.importing import service
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["姓名", "公民身份号码", "人员类别", "联系电话", "所在党组织"]


def census(path: Path, rows: list[tuple[object, ...]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def between_plan_and_write(action):
    """A progress callback that runs `action` once, when the import is about to write."""
    done = []

    def progress(stage: str, _done: int, _total: int) -> None:
        if stage == "写入" and not done:
            done.append(True)
            action()

    return progress


def test_phone_edited_meanwhile_is_what_the_audit_records_and_undo_restores(reg: Registry, tmp_path: Path) -> None:
    import_files(reg, [census(tmp_path / "a.xlsx", [("张三", ID_MAN_1985, "群众", "13800138000", None)])])
    second = census(tmp_path / "b.xlsx", [("张三", ID_MAN_1985, "群众", "13900139000", None)])

    def edit_elsewhere() -> None:
        with Registry(reg.path, operator="窗口") as other:
            edit_person(other, ID_MAN_1985, phone="13700137000")

    result = import_files(reg, [second], progress=between_plan_and_write(edit_elsewhere))
    assert result.updated == 1
    old = reg.scalar("SELECT old FROM audit_log a JOIN import_batches b ON b.operation_id = a.operation_id"
                     " WHERE b.id = ? AND a.field = 'phone'", (result.batch,))
    assert old == "13700137000"  # the value really replaced, not the one seen while reading
    undo_batch(reg, result.batch)
    assert get_person(reg, ID_MAN_1985)["phone"] == "13700137000"


def test_person_added_meanwhile_is_matched_not_a_crash(reg: Registry, tmp_path: Path) -> None:
    path = census(tmp_path / "a.xlsx", [("张三", ID_MAN_1985, "群众", "13800138000", None),
                                        ("李四", ID_WOMAN_1992, "群众", "13900139000", None)])

    def add_elsewhere() -> None:
        with Registry(reg.path, operator="窗口") as other:
            add_person(other, name="李四", id_number=ID_WOMAN_1992, phone="13600136000")

    result = import_files(reg, [path], progress=between_plan_and_write(add_elsewhere))
    assert (result.added, result.updated) == (1, 1)
    assert reg.scalar("SELECT count(*) FROM people") == 2
    assert get_person(reg, ID_WOMAN_1992)["phone"] == "13900139000"


def test_second_import_meanwhile_creating_the_same_organisation(reg: Registry, tmp_path: Path) -> None:
    first = census(tmp_path / "a.xlsx", [("张三", ID_MAN_1985, "群众", None, "城南快递联合党支部")])
    second = census(tmp_path / "b.xlsx", [("李四", ID_WOMAN_1992, "群众", None, "城南快递联合党支部")])

    def import_elsewhere() -> None:
        with Registry(reg.path, operator="另一个窗口") as other:
            assert import_files(other, [second]).applied

    result = import_files(reg, [first], progress=between_plan_and_write(import_elsewhere))
    assert result.applied and result.created["organizations_added"] == 0
    assert reg.scalar("SELECT count(*) FROM organizations") == 1
    assert reg.scalar("SELECT count(*) FROM people WHERE organization_id IS NOT NULL") == 2


def test_organisation_list_changed_meanwhile_stops_with_a_sentence(reg: Registry, tmp_path: Path) -> None:
    from registry.services.organizations import add_org

    # A member whose relationship is held in 上海市奉贤区…: read as 流动 until a 奉贤 organisation exists.
    path = census(tmp_path / "a.xlsx", [("张三", ID_MAN_1985, "正式党员", None, "上海市奉贤区某某村党支部")])
    before = reg.scalar("SELECT count(*) FROM audit_log")

    def add_org_elsewhere() -> None:
        with Registry(reg.path, operator="窗口") as other:
            add_org(other, name="上海市奉贤区快递行业党委", type="行业党委")

    with pytest.raises(UserError, match="党组织名单被修改过"):
        import_files(reg, [path], progress=between_plan_and_write(add_org_elsewhere))
    assert reg.scalar("SELECT count(*) FROM people") == 0
    assert reg.scalar("SELECT count(*) FROM audit_log") == before + 1  # only the organisation added elsewhere


def test_import_waits_for_a_writer_then_says_so(reg: Registry, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = census(tmp_path / "a.xlsx", [("张三", ID_MAN_1985, "群众", None, None)])
    monkeypatch.setattr(service, "IMPORT_BUSY_TIMEOUT_MS", 200)
    with Registry(reg.path, operator="窗口") as other:
        other.conn.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(UserError, match="正被另一个导入或修改占用"):
                import_files(reg, [path])
        finally:
            other.conn.execute("ROLLBACK")
    assert reg.scalar("SELECT count(*) FROM people") == 0
    assert reg.scalar("PRAGMA busy_timeout") == 5000  # the connection's everyday timeout is back
    assert import_files(reg, [path]).added == 1


CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from registry.storage.database import Registry
from registry.importing.service import import_files
with Registry(sys.argv[2], operator=sys.argv[3]) as reg:
    r = import_files(reg, [sys.argv[3]])
print(r.added, r.created.get("organizations_added"))
"""


def test_two_processes_importing_at_once_both_succeed(reg: Registry, tmp_path: Path) -> None:
    import datetime as dt
    import random

    from registry.demo import GIVEN, SURNAMES, make_id

    rng = random.Random(5)
    files = []
    for k in range(2):
        rows = [(rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                 make_id(rng, dt.date(1980, 1, 1) + dt.timedelta(days=rng.randrange(9000)), True), "群众", None,
                 "城南快递联合党支部") for _ in range(3000)]
        files.append(census(tmp_path / f"c{k}.xlsx", rows))
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(reg.path), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    created = sorted(int(out.split()[1]) for out, _err in outputs)
    assert created == [0, 1]
    assert reg.scalar("SELECT count(*) FROM organizations") == 1
    assert reg.scalar("SELECT count(*) FROM people") == sum(int(out.split()[0]) for out, _err in outputs)
