"""`volunteer …` and `post …` on the command line: activities for many people, the old one-person form, ranking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

COURIER = "11010519491231002X"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "v.db"
    assert run(capsys, path, "init", "--unit", "示例党委")[0] == 0
    run(capsys, path, "org", "add", "--name", "城南联合党支部", "--type", "联合党支部")
    for name, number, category in (("张三", ID_MAN_1985, "正式党员"), ("李四", ID_WOMAN_1992, "预备党员"),
                                   ("王五", ID_MAN_2000, "群众"), ("赵快递", COURIER, "群众")):
        code, _, err = run(capsys, path, "person", "add", "--name", name, "--id-number", number, "--category", category,
                           "--org", "城南联合党支部", "--managed-from", "2025-01-01",
                           *(["--joined-on", "2020-07-01"] if category != "群众" else []))
        assert code == 0, err
    return path


def test_an_activity_for_many_people_listed_shown_edited_and_deleted(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "volunteer", "add", "--title", "夜间平安巡查", "--type", "平安巡查", "--date",
                         "2026-10-10", "--people", f"{ID_MAN_1985}，{ID_WOMAN_1992},{COURIER}", "--hours", "2",
                         "--hours-of", f"{COURIER}=3.5", "--org", "城南联合党支部", "--place", "城南街道")
    assert code == 0, err
    assert "3人" in out
    code, out, _ = run(capsys, db, "volunteer", "list", "--json")
    [activity] = json.loads(out)
    assert (activity["participants"], activity["members"], activity["hours"]) == (3, 2, 7.5)
    code, out, _ = run(capsys, db, "volunteer", "show", str(activity["id"]), "--json")
    shown = json.loads(out)
    assert {p["name"]: p["hours"] for p in shown["participants"]} == {"张三": 2, "李四": 2, "赵快递": 3.5}
    assert all("*" in p["id_number"] for p in shown["participants"])  # masked
    code, out, _ = run(capsys, db, "volunteer", "show", str(activity["id"]))
    assert "2026年10月10日" in out and "夜间平安巡查" in out
    assert run(capsys, db, "volunteer", "edit", str(activity["id"]))[1].strip() == "没有需要修改的内容。"
    code, _, err = run(capsys, db, "volunteer", "edit", str(activity["id"]), "--adjust", f"{ID_MAN_1985}=5")
    assert code == 2 and "原因" in err
    code, out, err = run(capsys, db, "volunteer", "edit", str(activity["id"]), "--add-people", ID_MAN_2000,
                         "--remove-people", ID_WOMAN_1992, "--hours-of", f"{ID_MAN_1985}=4",
                         "--adjust", f"{COURIER}=2", "--reason", "带新人巡查")
    assert code == 0, err
    shown = json.loads(run(capsys, db, "volunteer", "show", str(activity["id"]), "--json")[1])
    assert {p["name"]: (p["hours"], p["points"]) for p in shown["participants"]} == {
        "张三": (4, 4), "王五": (2, 2), "赵快递": (3.5, 5.5)}
    code, out, _ = run(capsys, db, "volunteer", "delete", str(activity["id"]), "--person", ID_MAN_2000)
    assert code == 0 and "王五" in out
    assert run(capsys, db, "volunteer", "delete", str(activity["id"]))[0] == 0
    assert json.loads(run(capsys, db, "volunteer", "list", "--json")[1]) == []
    code, _, err = run(capsys, db, "volunteer", "show", "99")
    assert code == 2 and "找不到编号" in err


def test_the_old_one_person_form_still_works(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "volunteer", "add", ID_MAN_1985, "--post", "平安巡查员", "--date", "2026-05-01",
                         "--hours", "3", "--points", "30", "--role", "队长")
    assert (code, out.strip()) == (0, "已记录志愿服务。"), err
    assert run(capsys, db, "volunteer", "add", ID_MAN_2000, "--post", "文明宣传员", "--date", "2026-05-02",
               "--hours", "2")[0] == 0
    with Registry(db) as reg:
        rows = reg.query("SELECT hours, points, role, points_rule FROM volunteer_records ORDER BY id")
    assert [(r["hours"], r["points"], r["role"]) for r in rows] == [(3, 30, "队长"), (2, 2, None)]
    assert rows[0]["points_rule"] is None and rows[1]["points_rule"].startswith("默认规则")
    code, _, err = run(capsys, db, "volunteer", "add", ID_MAN_1985, "--date", "2026-05-01", "--hours", "3")
    assert code == 2 and "--post" in err
    code, _, err = run(capsys, db, "volunteer", "add", "--date", "2026-05-01", "--hours", "3", "--title", "巡查")
    assert code == 2 and "--people" in err


def test_posts_claims_rules_ranking_and_history(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, db, "post", "list")
    assert "还没有志愿服务岗位" in out and "党员示范岗" in out  # the kinds a new registry offers, no rows written
    assert run(capsys, db, "post", "add", "--name", "城南平安巡查岗", "--kind", "平安巡查员", "--org", "城南联合党支部",
               "--area", "城南街道")[0] == 0
    assert run(capsys, db, "post", "claim", "城南平安巡查岗", COURIER, "--since", "2026-06-01")[0] == 0
    assert run(capsys, db, "post", "claim", "1", ID_MAN_1985, "--since", "2026-07-01")[0] == 0
    assert run(capsys, db, "post", "release", "城南平安巡查岗", ID_MAN_1985, "--until", "2026-08-31")[0] == 0
    [post] = json.loads(run(capsys, db, "post", "list", "--json")[1])
    assert post["holders"] == 1 and post["organization"] == "城南联合党支部"
    assert "2026年8月31日" in run(capsys, db, "post", "show", "1")[1]
    assert run(capsys, db, "post", "edit", "1", "--closed-on", "2026-09-30")[0] == 0
    code, _, err = run(capsys, db, "post", "claim", "1", ID_MAN_2000, "--since", "2026-10-01")
    assert code == 2 and "关闭" in err
    code, _, err = run(capsys, db, "post", "delete", "1")
    assert code == 2 and "关闭" in err

    assert run(capsys, db, "volunteer", "rules", "set", "--from", "2026-01-01", "--per-hour", "10",
               "--type-bonus", "平安巡查=5")[0] == 0
    code, _, err = run(capsys, db, "volunteer", "rules", "set", "--from", "2026-01-01", "--per-hour", "10",
                       "--type-bonus", "平安巡查")
    assert code == 2 and "类型=分数" in err
    rules = json.loads(run(capsys, db, "volunteer", "rules", "--json")[1])
    assert [r["valid_from"] for r in rules] == [None, "2026-01-01"]
    assert "2026年1月1日起：每小时10分，平安巡查活动另加5分" in run(capsys, db, "volunteer", "rules")[1]
    run(capsys, db, "volunteer", "add", "--title", "巡查", "--type", "平安巡查", "--date", "2026-10-10",
        "--people", f"{ID_MAN_1985},{COURIER}", "--hours", "2")
    run(capsys, db, "volunteer", "add", "--title", "宣传", "--type", "文明宣传", "--date", "2026-11-10",
        "--people", COURIER, "--hours", "1")
    ranked = json.loads(run(capsys, db, "volunteer", "ranking", "--json")[1])
    assert [(r["rank"], r["name"], r["points"]) for r in ranked] == [(1, "赵快递", 35), (2, "张三", 25)]
    members = json.loads(run(capsys, db, "volunteer", "ranking", "--members", "--from", "2026-10-01", "--to",
                             "2026-10-31", "--json")[1])
    assert [r["name"] for r in members] == ["张三"]
    code, out, err = run(capsys, db, "volunteer", "ranking", "--out", str(db.parent / "排名.xlsx"))
    assert code == 0, err
    code, out, err = run(capsys, db, "volunteer", "list", "--out", str(db.parent / "活动.xlsx"))
    assert code == 0, err
    import openpyxl

    sheet = openpyxl.load_workbook(db.parent / "活动.xlsx").active
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["宣传", "巡查"]
    assert openpyxl.load_workbook(db.parent / "排名.xlsx").active["B4"].value == "赵快递"
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'exports'") == 2
    code, out, _ = run(capsys, db, "volunteer", "history", COURIER)
    assert "参加活动2次，服务3小时，积分35分" in out and "城南平安巡查岗" in out
