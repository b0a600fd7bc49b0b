"""person rules, stage record / advance with step fields / cancel / steps, and due --json on the command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "d.db"
    for args in (("init", "--unit", "示例党委"),
                 ("org", "add", "--name", "城南联合党支部", "--type", "联合党支部"),
                 ("person", "add", "--name", "张三", "--id", ID_MAN_1985, "--category", "正式党员",
                  "--joined-on", "2010-07-01", "--full-on", "2011-07-01", "--managed-from", "2020-01-01"),
                 ("person", "add", "--name", "李四", "--id", ID_WOMAN_1992, "--category", "正式党员",
                  "--joined-on", "2015-07-01", "--full-on", "2016-07-01", "--managed-from", "2020-01-01"),
                 ("person", "add", "--name", "钱七", "--id", ID_MAN_2000, "--category", "发展对象",
                  "--applied-on", "2024-01-05", "--activist-on", "2024-03-01", "--target-on", "2025-06-01",
                  "--introducers", "张三", "--managed-from", "2024-01-01")):
        code, _, err = run(capsys, path, *args)
        assert code == 0, (args, err)
    conn = sqlite3.connect(path)  # 钱七 has been in the registry since 2024: her steps since then are on record
    with conn:
        conn.execute("UPDATE people SET created_at = '2024-01-01T09:00:00' WHERE id_number = ?", (ID_MAN_2000,))
    conn.close()
    return path


def test_person_rules_json_lists_every_finding(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "person", "rules", ID_MAN_2000, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(set(r) == {"rule", "level", "message", "article"} for r in rows)
    assert all(r["level"] in ("error", "warning") for r in rows)
    count = next(r for r in rows if r["rule"] == "introducers_count")
    assert count["level"] == "error"  # 列为发展对象 in 2025, while in the registry: one introducer is not enough
    assert "入党介绍人应为2名正式党员" in count["message"] and "第十四条" in count["article"]
    code, out, _ = run(capsys, db, "person", "rules", ID_MAN_2000)
    assert code == 0 and "级别" in out and "提醒" in out and "依据" in out


def test_stage_record_and_advance_with_step_fields(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "stage", "record", ID_MAN_2000, "--step", "introducers", "--date", "2025-06-01",
                         "--persons", f"{ID_MAN_1985},李四")
    assert code == 0, err
    assert out.startswith("已登记。")
    code, out, err = run(capsys, db, "stage", "record", ID_MAN_2000, "--step", "集中培训", "--date", "2025-07-01",
                         "--end-on", "2025-07-01", "--hours", "8")
    assert code == 0, err
    assert "集中培训只有1天、8学时" in out
    code, _, err = run(capsys, db, "meeting", "add", "--org", "城南联合党支部", "--kind", "支部党员大会",
                       "--date", "2025-09-01")
    assert code == 0, err
    code, _, err = run(capsys, db, "stage", "advance", ID_MAN_2000, "--to", "预备党员", "--date", "2025-09-01",
                       "--meeting-id", "1", "--voting-expected", "9", "--voting-present", "7", "--yes", "4")
    assert code == 2 and "还没有登记这些步骤" in err
    code, _, err = run(capsys, db, "stage", "advance", ID_MAN_2000, "--to", "预备党员", "--date", "2025-09-01",
                       "--meeting-id", "1", "--voting-expected", "9", "--voting-present", "7", "--yes", "4",
                       "--override-reason", "材料已在上级党委存档")
    assert code == 0, err
    code, out, _ = run(capsys, db, "person", "rules", ID_MAN_2000, "--json")
    rules = {r["rule"]: r for r in json.loads(out)}
    assert rules["vote_not_passed"]["level"] == "error"
    assert rules["training_short"]["level"] == "error"
    code, out, _ = run(capsys, db, "stage", "steps", ID_MAN_2000, "--json")
    steps = [r["step"] for r in json.loads(out)]
    assert steps == ["introducers", "training", "admission_meeting"]


def test_stage_cancel_and_the_catalogue(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    run(capsys, db, "stage", "advance", ID_MAN_2000, "--to", "预备党员", "--date", "2025-09-01",
        "--override-reason", "历史资料")
    code, out, err = run(capsys, db, "stage", "cancel", ID_MAN_2000, "--date", "2026-10-10", "--reason", "本人申请")
    assert code == 0, err
    assert "此前仍按预备党员统计" in out
    code, out, _ = run(capsys, db, "stats", "--json", "--date", "2026-10-01")
    assert json.loads(out)["by_category"]["预备党员"] == 1
    code, out, _ = run(capsys, db, "stage", "steps", "--json")
    catalogue = json.loads(out)
    assert {"application", "admission_meeting", "full_membership", "cancellation"} <= {s["step"] for s in catalogue}
    assert all(s["article"] for s in catalogue)


def test_person_show_prints_party_age_and_due_json_carries_the_class(capsys: pytest.CaptureFixture[str],
                                                                     db: Path) -> None:
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    assert code == 0 and "党龄：" in out
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985, "--json")
    assert json.loads(out)["party_age"].startswith("1")
    applied = (date.today() - timedelta(days=3)).isoformat()
    run(capsys, db, "person", "add", "--name", "周八", "--id", "11010519491231002X", "--category", "入党申请人",
        "--applied-on", applied)
    code, out, err = run(capsys, db, "due", "--json")
    assert code == 0, err
    items = json.loads(out)
    assert items and all(i["class"] in ("overdue", "this_month", "next_month", "eligible", "unverified")
                         for i in items)
