"""Issue 14's acceptance through the command line: a branch's year of meetings, dues, service and a station,
with the mistakes the issue names, gives the due items and report sections a party-affairs worker expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

BRANCH, FLOWING = "城南联合党支部", "快递行业流动党员党支部"
LEFT = "11010519491231002X"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "李书记", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def member(name: str, number: str, org: str, category: str = "正式党员") -> tuple[str, ...]:
    dates = ("--joined-on", "2010-07-01", "--full-on", "2011-07-01") if category == "正式党员" else ()
    return ("person", "add", "--name", name, "--id", number, "--category", category, *dates, "--organization", org,
            "--managed-from", "2020-01-01")


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "year.db"
    for args in (("init", "--unit", "示例党委"),
                 ("org", "add", "--name", BRANCH, "--type", "联合党支部", "--founded-on", "2025-01-01"),
                 ("org", "add", "--name", FLOWING, "--type", "流动党员党支部", "--founded-on", "2025-01-01"),
                 member("张三", ID_MAN_1985, BRANCH), member("李四", ID_WOMAN_1992, BRANCH),
                 member("王五", ID_MAN_2000, BRANCH, "群众"), member("赵六", LEFT, FLOWING),
                 ("person", "edit", LEFT, "--left-on", "2026-10-15", "--left-how", "离开本单位")):
        code, _, err = run(capsys, path, *args)
        assert code == 0, (args, err)
    return path


def test_a_branch_year_with_the_issues_mistakes(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    meeting = ("meeting", "add", "--org", BRANCH, "--kind", "支部党员大会")
    # a held meeting in the future, a 群众 and a person who left in October as attendees: one sentence, nothing saved
    for extra, words in ((("--date", "2099-03-01"), "还没有到"),
                         (("--date", "2026-11-05", "--attendees", f"{ID_MAN_1985},{ID_MAN_2000}"), "群众"),
                         (("--date", "2026-11-05", "--attendees", f"{ID_MAN_1985},{LEFT}"), "已于2026年10月15日离开")):
        code, out, err = run(capsys, db, *meeting, *extra)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert json.loads(run(capsys, db, "meeting", "list", "--json")[1]) == []
    # the whole branch at once, one on leave; then dues for half a year and a service activity for two
    code, out, err = run(capsys, db, *meeting, "--date", "2026-11-05", "--leave", f"{ID_WOMAN_1992}:外出派件")
    assert code == 0 and "应到2人，实到1人，请假1人" in out, err
    assert run(capsys, db, "dues", "set-base", ID_MAN_1985, "--base", "4200", "--from", "2026-01")[0] == 0
    assert run(capsys, db, "dues", "pay", ID_MAN_1985, "--months", "2026-01..2026-06", "--date", "2026-06-30")[0] == 0
    assert run(capsys, db, "volunteer", "add", "--title", "夜间平安巡查", "--type", "平安巡查", "--date", "2026-11-20",
               "--people", f"{ID_MAN_1985},{ID_MAN_2000}", "--hours", "2")[0] == 0

    items = json.loads(run(capsys, db, "due", "--json", "--date", "2026-12-01")[1])
    gaps = [i for i in items if i["kind"] == "org_life_gap"]
    # the 流动党员党支部 has no committee (fewer than 7 正式党员) and no 党小组: neither is demanded of it
    assert gaps and not [i for i in gaps if "支部委员会" in i["label"] or "党小组会" in i["label"]]
    assert all(i["person_id"] is None and "支部工作条例" in i["rule"] for i in gaps)
    assert not [i for i in gaps if i["organization"] == BRANCH and "2026年第4季度" in i["label"]]  # held in Nov.
    [owed] = [i for i in items if i["kind"] == "dues_arrears"]
    assert owed["name"] == "张三" and "欠缴5个月" in owed["label"] and "210.00元" in owed["label"]

    code, out, err = run(capsys, db, "report", "monthly", "--month", "2026-11", "--out", str(tmp_path / "月报.pdf"),
                         "--date", "2026-12-01", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {"org_life", "dues", "volunteer", "care"} <= set(report)
    text = json.dumps({k: report[k] for k in ("org_life", "dues", "volunteer")}, ensure_ascii=False)
    assert BRANCH in text and "支部党员大会" in text
    assert (tmp_path / "月报.pdf").stat().st_size > 10_000
