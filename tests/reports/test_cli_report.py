"""`python -m registry report …`: the four reports, JSON summaries, exit code 2 with one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.demo import fill_demo
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry
from tests.reports.conftest import FULL_ID, TODAY, assert_paged_and_embedded, needs_poppler


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    with Registry(path, operator="测试员", create=True) as reg:
        fill_demo(reg, people=60, today=TODAY)
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@needs_poppler
def test_monthly_and_halfmonth(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    code, stdout, err = run(capsys, db, "report", "monthly", "--month", "2026-11", "--out", str(out), "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["pages"] == len(assert_paged_and_embedded(out))
    _, stats, _ = run(capsys, db, "stats", "--json", "--date", "2026-11-30")
    assert summary["by_category"]["正式党员"] == json.loads(stats)["by_category"]["正式党员"]
    assert summary["members"]["flowing_in"] == json.loads(stats)["members"]["flowing_in"]
    code, stdout, _ = run(capsys, db, "report", "halfmonth", "--period", "2026-11-1", "--org", "快递行业流动党员党支部",
                          "--out", str(tmp_path / "h.pdf"))
    assert code == 0 and "半月通报（2026年11月上半月）" in stdout and "页" in stdout
    assert_paged_and_embedded(tmp_path / "h.pdf")


@needs_poppler
def test_roster_and_person(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, stdout, err = run(capsys, db, "report", "roster", "--out", str(tmp_path / "r.pdf"), "--category", "正式党员")
    assert code == 0, err
    assert "花名册" in stdout
    assert not FULL_ID.search("".join(assert_paged_and_embedded(tmp_path / "r.pdf")))
    with Registry(db) as reg:
        number = search_people(reg, PeopleFilter(categories=["预备党员"]))[0]["id_number"]
    for kind in ("form", "record"):
        code, _, err = run(capsys, db, "report", "person", number, "--kind", kind, "--out", str(tmp_path / f"{kind}.pdf"))
        assert code == 0, err
        # The form is one page; the 纪实, with every step of the 细则, runs to two or three.
        assert len(assert_paged_and_embedded(tmp_path / f"{kind}.pdf")) in ((1,) if kind == "form" else (1, 2, 3))
    _, history, _ = run(capsys, db, "history", "--json", "--limit", "3")
    assert [e["action"] for e in json.loads(history)] == ["report.person.record", "report.person.form", "report.roster"]


@pytest.mark.parametrize(("args", "message"), [
    (["monthly", "--month", "2026-13"], "2026-11格式"),
    (["monthly", "--month", "2026-11", "--org", "没有这个党组织"], "找不到党组织"),
    (["halfmonth", "--period", "2026-11"], "上半月"),
    (["person", "110105194912310021"], "校验位"),
    (["person", "11010519491231002X"], "找不到"),
])
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, args: list[str],
                           message: str) -> None:
    code, _, err = run(capsys, db, "report", *args, "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_bad_target_exits_2(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, db, "report", "roster", "--out", str(tmp_path / "no" / "r.pdf"))
    assert code == 2 and "不存在" in err
    code, _, err = run(capsys, db, "report", "roster", "--out", str(tmp_path / "r.xlsx"))
    assert code == 2 and ".pdf" in err
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "report", "monthly", "--out", str(tmp_path / "m.pdf")])
    assert exc.value.code == 2 and "用法" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
