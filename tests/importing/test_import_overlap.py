"""What an import overlaps with reading its files: the automatic backup, made on a connection of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.importing import service
from registry.services.backups import list_backups
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


def _census(path: Path) -> Path:
    path.write_text(f"姓名,身份证号,人员类别\n张三,{ID_WOMAN_1992},正式党员\n", encoding="utf-8")
    return path


def test_the_backup_made_while_reading_is_the_one_kept(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    service.import_files(reg, [_census(tmp_path / "c.csv")])
    [backup] = list_backups(reg.path)
    assert backup.reason == "导入前" and backup.people == 1


def test_a_change_made_meanwhile_gets_a_backup_of_its_own(reg: Registry, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone saves a person while the files are read: the backup before the write holds her too."""
    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    reading = service._read

    def read_while_someone_edits(*args, **kwargs):  # type: ignore[no-untyped-def]
        with Registry(reg.path) as other:
            add_person(other, name="孙八", id_number=ID_MAN_2000)
        return reading(*args, **kwargs)

    monkeypatch.setattr(service, "_read", read_while_someone_edits)
    service.import_files(reg, [_census(tmp_path / "c.csv")])
    newest = list_backups(reg.path)[0]
    assert newest.reason == "导入前" and newest.people == 2
    assert reg.scalar("SELECT count(*) FROM people") == 3


# ---------------------------------------------------------------- the stored people read while a census is parsed

def _people_census(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """An .xlsx census (its sheet's extent is known before the parse, which is when the read may start)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "人员类别", "联系电话", "入党时间"])
    for name, number, category, phone in rows:
        ws.append([name, number, category, phone, "2015-07-01" if category == "中共党员" else None])
    wb.save(path)
    return path


def _people(n: int, seed: int = 5) -> list[tuple[str, str, str, str]]:
    import random
    from datetime import date, timedelta

    from registry.demo import make_id

    rng = random.Random(seed)
    out = []
    for i in range(n):
        birth = date(1975, 1, 1) + timedelta(days=rng.randrange(9000))
        out.append((f"李{'一二三四五六七八九十'[i % 10]}{'甲乙丙丁戊'[i // 10 % 5]}{i}", make_id(rng, birth, i % 2 == 0),
                    ("群众", "中共党员", "入党积极分子")[i % 3], f"139{i:08d}"))
    return out


def _outcome(reg: Registry, result: service.ImportResult) -> tuple[object, ...]:
    people = reg.conn.execute("SELECT id_number, name, category, phone, joined_on, relation FROM people"
                              " ORDER BY id_number").fetchall()
    changes = reg.conn.execute("SELECT entity_id, field, old, new FROM audit_log"
                               " WHERE entity = 'people' ORDER BY id").fetchall()
    return (result.added, result.updated, result.unchanged, result.rejected,
            [(p["row"], p["code"], p["message"]) for p in result.problems], people, changes)


@pytest.fixture
def large_from_one(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every registry counts as large; what each import's prefetch handed the plan is collected."""
    from registry.importing.prefetch import Prefetch

    monkeypatch.setattr(Prefetch, "LARGE", 1)
    handed: list[object] = []
    result = Prefetch.result

    def spy(self: Prefetch, state: str | None) -> object:
        found = result(self, state)
        handed.append(found)
        return found

    monkeypatch.setattr(Prefetch, "result", spy)
    return handed


def test_the_people_read_beside_the_parse_give_the_plan_it_would_have_made(tmp_path: Path, large_from_one: list[object],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.importing.prefetch import Prefetch

    first = _people(40)
    later = [(n, i, "中共党员" if k % 7 == 0 else c, f"137{k:08d}" if k % 5 == 0 else p)
             for k, (n, i, c, p) in enumerate(first)] + _people(6, seed=9)
    later[3] = ("另一人", *later[3][1:])  # registered under another name: refused
    outcomes = []
    for large in (1, 10**9):
        monkeypatch.setattr(Prefetch, "LARGE", large)
        with Registry(tmp_path / f"r{large}.db", create=True) as reg:
            service.import_files(reg, [_people_census(tmp_path / "a.xlsx", first)], today=service.date(2026, 11, 1))
            result = service.import_files(reg, [_people_census(tmp_path / "b.xlsx", later)],
                                          today=service.date(2026, 11, 1), managed_from="2026-11-01")
            outcomes.append(_outcome(reg, result))
    assert outcomes[0] == outcomes[1]
    added, updated, unchanged, rejected, problems, _, _ = outcomes[0]
    assert (added, rejected) == (6, 1) and updated > 0 and unchanged > 0 and any(p[1] == "conflict_existing" for p in problems)
    assert large_from_one[0] is None  # the first import: an empty registry, nothing to read
    assert large_from_one[1] is not None and large_from_one[2:] == [None, None]  # used once, when large


def test_people_read_before_someone_else_saved_are_not_used(reg: Registry, tmp_path: Path,
                                                           large_from_one: list[object],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Another window changes a person between the read and the plan: the plan reads her as she is now, so the
    census (which says the same as the change) changes nothing and the audit log records no old value of the read."""
    from registry.services.people import edit_person

    people = _people(30)
    service.import_files(reg, [_people_census(tmp_path / "a.xlsx", people)])
    name, number, category, _ = people[4]
    pid = reg.scalar("SELECT id FROM people WHERE id_number = ?", (number,))
    reading = service._read

    def read_then_someone_saves(*args, **kwargs):  # type: ignore[no-untyped-def]
        done = reading(*args, **kwargs)
        assert done.prefetch.future.result() is not None  # read whole, before the change below
        with Registry(reg.path) as other:
            edit_person(other, pid, phone="13700000004")
        return done

    monkeypatch.setattr(service, "_read", read_then_someone_saves)
    census = [*people[:4], (name, number, category, "13700000004"), *people[5:]]
    result = service.import_files(reg, [_people_census(tmp_path / "b.xlsx", census)])
    assert large_from_one[-1] is None  # stale: not handed to the plan
    assert (result.updated, result.unchanged) == (0, 30)
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity_id = ? AND field = 'phone'", (pid,)) == 1


def _with_reader(init, reader):  # type: ignore[no-untyped-def]
    def patched(self, db_path, people, reader_=None):  # type: ignore[no-untyped-def]
        init(self, db_path, people, reader)
    return patched


def test_a_read_that_fails_costs_only_time(reg: Registry, tmp_path: Path, large_from_one: list[object],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.importing import prefetch as module

    def broken(path: Path, stop: object) -> object:
        raise OSError("gone")

    people = _people(20)
    service.import_files(reg, [_people_census(tmp_path / "a.xlsx", people)])
    monkeypatch.setattr(module.Prefetch, "__init__", _with_reader(module.Prefetch.__init__, broken))
    result = service.import_files(reg, [_people_census(tmp_path / "b.xlsx", people)])
    assert large_from_one[-1] is None and (result.added, result.unchanged) == (0, 20)


def test_a_small_census_into_a_large_registry_reads_nothing_beside(tmp_path: Path) -> None:
    from registry.importing.prefetch import Prefetch

    started = []
    prefetch = Prefetch(tmp_path / "x.db", 100_000, reader=lambda path, stop: started.append(path))  # type: ignore[arg-type,return-value,func-returns-value]
    prefetch.rows_known(5_000)  # under an eighth of the registry: the plan looks its numbers up
    assert not prefetch.started
    prefetch.rows_known(20_000)
    prefetch.close()
    assert started == [tmp_path / "x.db"]
    small = Prefetch(tmp_path / "x.db", 19_999, reader=lambda path, stop: started.append(path))  # type: ignore[arg-type,return-value,func-returns-value]
    small.rows_known(19_999)  # a registry this small is read quickly enough by the plan itself
    assert not small.started


def test_a_read_still_running_stops_when_the_import_ends(tmp_path: Path) -> None:
    import threading

    from registry.importing.prefetch import Prefetch

    began, stopped = threading.Event(), []

    def slow(path: Path, stop: threading.Event) -> None:
        began.set()
        stopped.append(stop.wait(10))

    prefetch = Prefetch(tmp_path / "x.db", 100_000, reader=slow)  # type: ignore[arg-type]
    prefetch.rows_known(100_000)
    began.wait(5)
    prefetch.close()  # the import's end: the helper is told to stop, and is waited for
    assert stopped == [True]
