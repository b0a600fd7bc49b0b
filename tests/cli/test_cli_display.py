"""The command line prints times as 2026年12月1日 07:26, dates as 2026年11月3日 and flags as 是/否; --json keeps ISO."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.cli.test_cli_import import roster
from tests.conftest import ID_MAN_1985

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CN_TIME = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.fixture()
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "d.db"
    run(capsys, path, "import", str(roster(tmp_path / "r.xlsx")))
    run(capsys, path, "person", "edit", ID_MAN_1985, "--lost-contact", "否", "--correction")
    return path


def test_person_show_reads_yes_no_and_chinese_dates(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    out = run(capsys, db, "person", "show", ID_MAN_1985)
    assert "是否失联党员：否" in out and "入党时间：2010年7月1日" in out
    assert not ISO_DATE.search(out)
    shown = json.loads(run(capsys, db, "person", "show", ID_MAN_1985, "--json"))
    assert shown["joined_on"] == "2010-07-01" and shown["lost_contact"] == 0  # for programs: as stored


@pytest.mark.parametrize("command", [["history", "--limit", "5"], ["import", "batches"], ["backups"]])
def test_lists_print_times_as_a_secretary_reads_them(capsys: pytest.CaptureFixture[str], db: Path,
                                                      command: list[str]) -> None:
    if command == ["backups"]:
        run(capsys, db, "backup", str(db.parent / "副本.db"))
        run(capsys, db, "stats")  # the first command of the day made the daily backup
    out = run(capsys, db, *command)
    body = out.replace(str(db.parent), "")  # the backups' folder is a path, not a time
    assert CN_TIME.search(body), out
    assert not ISO_TIME.search(body), out


def test_json_keeps_iso_times(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    [batch] = json.loads(run(capsys, db, "import", "batches", "--json"))
    assert ISO_TIME.match(batch["at"])
