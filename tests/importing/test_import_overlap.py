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
