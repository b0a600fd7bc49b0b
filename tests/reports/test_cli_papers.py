"""`report record|review|target-notice|full-notice|political-review|vote ID --out FILE`: PDF or workbook, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from registry.cli.main import main
from registry.reports.choices import KIND_BY_KEY, PERSONAL, build_preview, report_request
from registry.reports.development_papers import PAPERS
from registry.services.people import get_person
from registry.storage.database import Registry
from tests.reports.conftest import assert_paged_and_embedded, needs_poppler, pdf_text
from tests.reports.dev_records import flawed_record


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def flawed(branch: Registry) -> tuple[Path, str]:
    return branch.path, flawed_record(branch)


def test_every_paper_is_a_personal_report_kind() -> None:
    assert set(PAPERS) <= set(PERSONAL)
    assert KIND_BY_KEY["vote"].label == "支部大会表决记录" and KIND_BY_KEY["target-notice"].personal


@needs_poppler
def test_report_vote_prints_the_paper_and_names_the_errors(capsys: pytest.CaptureFixture[str],
                                                            flawed: tuple[Path, str], tmp_path: Path) -> None:
    db, number = flawed
    out = tmp_path / "表决.pdf"
    code, stdout, err = run(capsys, db, "report", "vote", number, "--out", str(out), "--date", "2026-11-24")
    assert code == 0, err
    assert f"已生成陈晓红的支部大会表决记录：{out}（共1页）" in stdout
    assert "注意：陈晓红的发展记录有3项错误" in stdout and "赞成5票" in stdout
    assert "支部党员大会表决情况记录" in "".join(assert_paged_and_embedded(out))
    code, stdout, _ = run(capsys, db, "history", "--json", "--limit", "1")
    assert json.loads(stdout)[0]["action"] == "report.person.vote"


def test_report_paper_as_a_workbook_and_as_json(capsys: pytest.CaptureFixture[str], flawed: tuple[Path, str],
                                                tmp_path: Path) -> None:
    db, number = flawed
    out = tmp_path / "公示.xlsx"
    code, stdout, err = run(capsys, db, "report", "target-notice", number, "--out", str(out))
    assert code == 0, err
    assert "（Excel表格，可直接填写）" in stdout
    sheet = load_workbook(out).active
    assert sheet is not None and sheet["A1"].value == "关于拟将陈晓红同志列为发展对象的公示"
    code, stdout, err = run(capsys, db, "report", "person", number, "--kind", "review", "--out",
                            str(tmp_path / "考察.pdf"), "--json")
    found = json.loads(stdout)
    assert code == 0 and found["name"] == "陈晓红" and found["format"] == "pdf" and len(found["errors"]) == 3


def test_bad_target_exits_2_and_writes_nothing(capsys: pytest.CaptureFixture[str], flawed: tuple[Path, str],
                                               tmp_path: Path) -> None:
    db, number = flawed
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run(capsys, db, "report", "political-review", number, "--out", str(folder / "政审.docx"))
    assert code == 2 and ".pdf或.xlsx" in err and "Traceback" not in err
    code, _, err = run(capsys, db, "report", "record", "11010519491231002X", "--out", str(folder / "x.pdf"))
    assert code == 2 and "找不到" in err
    assert not list(folder.iterdir())


@needs_poppler
def test_the_window_preview_of_a_paper(flawed: tuple[Path, str], branch: Registry, tmp_path: Path) -> None:
    _, number = flawed
    person = get_person(branch, number)
    before = branch.scalar("SELECT count(*) FROM audit_log")
    for kind in PAPERS:
        out = tmp_path / f"{kind}.pdf"
        req = report_request(branch, kind, person=person)
        assert req.label == f"{KIND_BY_KEY[kind].label}（陈晓红）"
        assert build_preview(branch, req, out) is None
        assert "陈晓红" in "".join(pdf_text(out, layout=False))
    assert branch.scalar("SELECT count(*) FROM audit_log") == before  # a preview is not an export
