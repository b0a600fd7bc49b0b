"""Windows' file-name rules, applied on every platform to the files the user asks us to write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.exporting.roster import export_roster
from registry.rules.filenames import MAX_PATH, filename_problem
from registry.services.backup import backup_to
from registry.services.history import history
from registry.storage.database import Registry


@pytest.mark.parametrize(("name", "said"), [
    ("CON.xlsx", "CON是Windows保留的设备名"),
    ("con.csv", "CON是Windows保留的设备名"),
    ("Nul.pdf", "NUL是Windows保留的设备名"),
    ("aux", "AUX"),
    ("PRN.tar.gz", "PRN"),
    ("com1.xlsx", "COM1"),
    ("LPT9.db", "LPT9"),
    ("COM¹.xlsx", "COM¹"),
    ("CON .xlsx", "CON"),
    ("花名册<11月>.xlsx", "不允许的字符（<、>）"),
    ('月报"终稿".pdf', '不允许的字符（"）'),
    ("a:b.xlsx", "不允许的字符（:）"),
    ("问题|清单.xlsx", "不允许的字符（|）"),
    ("花名册?.csv", "不允许的字符（?）"),
    ("花名册*.csv", "不允许的字符（*）"),
    ("名单\x07.csv", "控制字符U+0007"),
    ("花名册.xlsx.", "以点或空格结尾"),
    ("花名册.xlsx ", "以点或空格结尾"),
])
def test_names_windows_refuses(name: str, said: str) -> None:
    problem = filename_problem("/some/folder/" + name)  # joined as text: on Windows Path would read a: as a drive
    assert problem is not None and said in problem and problem.endswith("。") and "\n" not in problem


def test_a_backslash_in_a_posix_name_is_refused() -> None:
    # On Linux "a\\b.xlsx" is one file; copied to Windows it cannot exist.
    if os.name != "nt":
        assert "不允许的字符（\\）" in (filename_problem("/tmp/花名册\\11月.xlsx") or "")


@pytest.mark.parametrize("name", ["花名册.xlsx", "CONTACT.xlsx", "console.csv", "COM10.xlsx", "COM0.pdf", "LPT.db",
                                  "月报 2026年11月.pdf", "花名册（终稿）.xlsx", "nul-2.xlsx", ".hidden.csv",
                                  "问题清单#1.xlsx", "a b.c.xlsx"])
def test_names_windows_takes(name: str) -> None:
    assert filename_problem(Path("/some/folder") / name, windows=True) is None


def test_a_path_too_long_for_windows(tmp_path: Path) -> None:
    long = "C:\\" + "\\".join(["很长的文件夹名称" * 4] * 8) + "\\花名册.xlsx"
    assert len(long) > MAX_PATH
    problem = filename_problem(long, windows=True)
    assert problem is not None and "超过了Windows允许的259个字符" in problem
    assert filename_problem("C:\\Users\\书记\\Documents\\花名册.xlsx", windows=True) is None
    if os.name == "nt":  # on Windows the length is checked without being asked
        assert filename_problem(long) == problem
    if os.name != "nt":  # a long Linux path is no Windows path: the length is Windows' own rule
        assert filename_problem("/" + "/".join(["很长的文件夹名称" * 4] * 7) + "/花名册.xlsx") is None


@pytest.fixture
def people(reg: Registry) -> Registry:
    from registry.services.people import add_person
    from tests.conftest import ID_MAN_1985

    add_person(reg, name="张三", id_number=ID_MAN_1985)
    return reg


@pytest.mark.parametrize("name", ["CON.xlsx", "花名册?.csv", "花名册.xlsx.", "aux.csv"])
def test_the_roster_export_refuses_the_name_and_writes_nothing(people: Registry, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    with pytest.raises(UserError, match="文件名"):
        export_roster(people, folder / name)
    assert list(folder.iterdir()) == [] and history(people, entity="exports") == []


def test_a_backup_to_a_device_name_is_refused(people: Registry, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="NUL是Windows保留的设备名"):
        backup_to(people, tmp_path / "nul.db")
    assert list(p for p in tmp_path.iterdir() if p.suffix == ".db") == [people.path]


@pytest.mark.parametrize(("args", "said"), [
    (["report", "monthly", "--month", "2026-11", "--out", "PRN.pdf"], "PRN是Windows保留的设备名"),
    (["report", "roster", "--out", "花名册<全部>.pdf"], "不允许的字符（<、>）"),
    (["export", "roster", "LPT1.csv"], "LPT1是Windows保留的设备名"),
    (["backup", "备份.db "], "以点或空格结尾"),
])
def test_the_cli_says_which_rule(people: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch, args: list[str], said: str) -> None:
    monkeypatch.chdir(tmp_path)
    people.close()
    assert main(["--db", str(people.path), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1 and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pdf", ".csv") or p.name.startswith("~$")]
