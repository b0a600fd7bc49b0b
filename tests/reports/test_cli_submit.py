"""`report monthly|halfmonth --submit`, `report archive`, `report reprint`: a submitted report prints as submitted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from registry.cli.commands_report import public_figures
from registry.cli.main import main
from registry.demo import fill_demo
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.reports.conftest import TODAY


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    with Registry(path, operator="测试员", create=True) as reg:
        fill_demo(reg, people=40, today=TODAY)
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_submit_edit_and_the_period_reprints_as_submitted(capsys: pytest.CaptureFixture[str], db: Path,
                                                          tmp_path: Path) -> None:
    first = tmp_path / "十月.pdf"
    code, stdout, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(first), "--submit")
    assert code == 0, err
    assert "已报送" in stdout and "锁定" in stdout
    with Registry(db) as reg:  # a late correction: someone who was here in October all along
        add_person(reg, name="晚录入", id_number=ID_MAN_1985, category="正式党员", joined_on="2001-07",
                   managed_from="2026-09-01", managed_how="摸排新纳入")
    again = tmp_path / "再打.pdf"
    code, stdout, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(again))
    assert code == 0, err
    assert "原样重新打印" in stdout and "--recompute" in stdout
    assert again.read_bytes() == first.read_bytes()
    recomputed = tmp_path / "重算.pdf"
    code, stdout, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(recomputed),
                            "--recompute", "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["submitted"] is True and summary["differences"] == []
    assert sha(recomputed) != sha(first)  # the figures moved on; the submitted file did not
    code, stdout, err = run(capsys, db, "report", "archive", "--json")
    assert code == 0, err
    archive = json.loads(stdout)
    assert len(archive) == 1
    entry = archive[0]
    assert entry["kind"] == "monthly" and entry["period"]["start"] == "2026-10-01" and entry["organization"] == ""
    assert entry["operator"] == "测试员" and entry["submitted_at"] and entry["sha256"] == sha(first)
    out = tmp_path / "重印.pdf"
    code, stdout, err = run(capsys, db, "report", "reprint", str(entry["id"]), "--out", str(out))
    assert code == 0 and "逐字节相同" in stdout, err
    assert sha(out) == sha(first)
    _, history, _ = run(capsys, db, "history", "--json", "--limit", "50")
    actions = [e["action"] for e in json.loads(history)]
    assert actions.count("report.reprint") == 2 and actions.count("report.submit") == 1


def test_the_reprinted_period_as_json_is_the_submitted_figures(capsys: pytest.CaptureFixture[str], db: Path,
                                                              tmp_path: Path) -> None:
    code, stdout, err = run(capsys, db, "report", "halfmonth", "--period", "2026-11-1", "--out",
                            str(tmp_path / "a.pdf"), "--submit", "--json")
    assert code == 0, err
    submitted = json.loads(stdout)
    assert submitted["submitted"] is True and submitted["submission_id"] == 1 and "differences" in submitted
    code, stdout, err = run(capsys, db, "report", "halfmonth", "--period", "2026-11-1", "--out",
                            str(tmp_path / "b.pdf"), "--json")
    assert code == 0, err
    reprinted = json.loads(stdout)
    assert reprinted["reprinted"] is True and reprinted["submission"]["id"] == 1
    assert reprinted["members"] == submitted["members"] and reprinted["pages"] == submitted["pages"]
    code, stdout, _ = run(capsys, db, "report", "archive")
    assert "半月通报" in stdout and "2026年11月上半月" in stdout


def test_a_submitted_period_is_not_submitted_again(capsys: pytest.CaptureFixture[str], db: Path,
                                                   tmp_path: Path) -> None:
    run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(tmp_path / "a.pdf"), "--submit")
    for extra in ([], ["--recompute"]):
        out = tmp_path / "b.pdf"
        code, _, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(out), "--submit",
                           *extra)
        assert code == 2 and "已锁定" in err and "Traceback" not in err
        assert not out.exists()  # refused before anything was written
    code, stdout, _ = run(capsys, db, "report", "archive", "--json")
    assert len(json.loads(stdout)) == 1


def test_archive_empty_and_bad_numbers(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, stdout, _ = run(capsys, db, "report", "archive")
    assert code == 0 and "还没有报送过报表" in stdout
    code, stdout, _ = run(capsys, db, "report", "archive", "--json")
    assert code == 0 and json.loads(stdout) == []
    code, _, err = run(capsys, db, "report", "reprint", "3", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "没有编号为3的报表" in err
    run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(tmp_path / "a.pdf"), "--submit")
    code, _, err = run(capsys, db, "report", "reprint", "1", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and ".pdf" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_printed_json_leaves_the_rosters_out() -> None:
    figures = {"current": {"members": {"total": 1}}, "roster_at_end": {"1": {"name": "张三"}},
               "roster_at_previous_end": {}, "differences": [], "submitted": False}
    assert public_figures(figures) == {"current": {"members": {"total": 1}}, "differences": [], "submitted": False}
