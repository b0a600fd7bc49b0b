"""`meeting add|list|show|edit|delete|roll-call|rules|gaps`, `group …` and `due --json` with the 组织生活 items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

ORG = "城南联合党支部"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "m.db"
    for args in (("init", "--unit", "示例党委"),
                 ("org", "add", "--name", ORG, "--type", "联合党支部", "--founded-on", "2025-01-01"),
                 ("meeting", "rules", "--org", ORG, "--records-from", ""),  # its records kept since founding
                 ("person", "add", "--name", "张三", "--id", ID_MAN_1985, "--category", "正式党员",
                  "--joined-on", "2010-07-01", "--full-on", "2011-07-01", "--organization", ORG,
                  "--managed-from", "2020-01-01"),
                 ("person", "add", "--name", "李四", "--id", ID_WOMAN_1992, "--category", "正式党员",
                  "--joined-on", "2015-07-01", "--full-on", "2016-07-01", "--organization", ORG,
                  "--managed-from", "2020-01-01"),
                 ("person", "add", "--name", "王五", "--id", ID_MAN_2000, "--category", "群众", "--organization", ORG,
                  "--managed-from", "2020-01-01")):
        code, _, err = run(capsys, path, *args)
        assert code == 0, (args, err)
    return path


def test_add_takes_the_roll_call_and_list_json(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "支部党员大会", "--date", "2026-11-05",
                         "--topic", "学习党章", "--host", "张三", "--leave", f"{ID_WOMAN_1992}:外出派件")
    assert code == 0, err
    assert out.startswith("已保存：2026年11月5日 城南联合党支部 支部党员大会（已召开），应到2人，实到1人，请假1人")
    code, out, _ = run(capsys, db, "meeting", "list", "--json")
    [m] = json.loads(out)
    assert (m["kind"], m["held_on"], m["status"], m["invited"], m["present"], m["leave"]) == \
        ("支部党员大会", "2026-11-05", "已召开", 2, 1, 1)
    code, out, _ = run(capsys, db, "meeting", "show", str(m["id"]), "--json")
    shown = json.loads(out)
    assert shown["host"] == "张三" and {a["name"]: a["reason"] for a in shown["attendance"]} == {"张三": None,
                                                                                                "李四": "外出派件"}
    assert all("*" in a["id_number"] for a in shown["attendance"])  # masked unless --show-id
    code, out, _ = run(capsys, db, "meeting", "show", str(m["id"]))
    assert "主题：学习党章" in out and "外出派件" in out


def test_the_old_arguments_still_work(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "主题党日", "--date", "2026-11-06",
                         "--attendees", ID_MAN_1985, "--location", "党群服务中心")
    assert code == 0, err and "应到1人，实到1人" in out


def test_errors_are_one_sentence_and_change_nothing(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "支部党员大会", "--date", "2027-03-10")
    assert code == 2 and "还没有到" in err and "计划" in err and "Traceback" not in err
    code, _, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "主题党日", "--date", "2026-11-06",
                       "--attendees", f"{ID_MAN_1985},{ID_MAN_2000}")
    assert code == 2 and "王五在会议当日是群众" in err and "--override-reason" in err
    code, _, err = run(capsys, db, "meeting", "edit", "99", "--topic", "x")
    assert code == 2 and "找不到编号为99的会议记录" in err
    code, out, _ = run(capsys, db, "meeting", "list", "--json")
    assert json.loads(out) == []
    code, _, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "主题党日", "--date", "2026-11-06",
                       "--attendees", f"{ID_MAN_1985},{ID_MAN_2000}", "--override-reason", "入党积极分子列席")
    assert code == 0, err


def test_plan_then_hold_edit_and_delete(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "党课", "--date", "2026-11-20",
                         "--status", "计划", "--topic", "书记讲党课")
    assert code == 0 and "（计划）" in out, err
    mid = json.loads(run(capsys, db, "meeting", "list", "--json")[1])[0]["id"]
    code, out, err = run(capsys, db, "meeting", "edit", str(mid), "--status", "已召开", "--absent",
                         f"{ID_WOMAN_1992}:未请假")
    assert code == 0, err
    assert out.startswith("已保存修改：") and "应到2人，实到1人，请假0人，缺席1人" in out
    code, out, _ = run(capsys, db, "meeting", "edit", str(mid), "--topic", "书记讲党课")
    assert out.strip() == "没有修改任何内容。"
    code, out, _ = run(capsys, db, "meeting", "edit", str(mid), "--present", ID_WOMAN_1992)
    assert "实到2人" in out
    code, out, _ = run(capsys, db, "history", "--json", "--limit", "20")
    assert any(r["entity"] == "meeting_attendance" and r["field"] == "status" for r in json.loads(out))
    code, out, _ = run(capsys, db, "meeting", "delete", str(mid))
    assert code == 0 and out.startswith("已删除：城南联合党支部2026年11月20日党课")
    assert json.loads(run(capsys, db, "meeting", "list", "--json")[1]) == []


def test_groups_rules_gaps_and_due_json(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "group", "add", "--org", ORG, "第一党小组", "--leader", ID_MAN_1985, "--since",
               "2026-01-01")[0] == 0
    assert run(capsys, db, "group", "assign", "--org", ORG, "第一党小组", ID_MAN_1985, ID_WOMAN_1992, "--since",
               "2026-01-01")[1].strip() == "已编入第一党小组 2人。"
    [g] = json.loads(run(capsys, db, "group", "list", "--json")[1])
    assert g["leader"] == "张三" and {m["name"] for m in g["members"]} == {"张三", "李四"}
    code, out, err = run(capsys, db, "meeting", "add", "--org", ORG, "--kind", "党小组会", "--date", "2026-11-12",
                         "--group", "第一党小组")
    assert code == 0 and "第一党小组党小组会" in out, err
    code, out, _ = run(capsys, db, "meeting", "rules", "--org", ORG, "--committee", "有", "--lessons", "4")
    assert "支部委员会 有" in out and "党课每年4次" in out
    code, out, _ = run(capsys, db, "meeting", "gaps", "--date", "2026-12-01", "--json")
    gaps = json.loads(out)
    kinds = {g["kind"] for g in gaps}
    assert {"支部委员会", "支部党员大会", "党课", "主题党日"} <= kinds
    assert not any(g["kind"] == "党小组会" and g["period_end"] == "2026-11-30" for g in gaps)  # held in November
    assert run(capsys, db, "org", "add", "--name", "示例公司党委", "--type", "党委")[0] == 0
    code, _, err = run(capsys, db, "meeting", "rules", "--org", "示例公司党委", "--committee", "有")
    assert code == 2 and "只适用于党支部" in err
    code, out, _ = run(capsys, db, "due", "--json", "--date", "2026-12-01")
    items = [i for i in json.loads(out) if i["kind"] == "org_life_gap"]
    assert items and all(i["person_id"] is None and i["organization"] == ORG for i in items)
    assert any(i["label"] == "2026年10月未开展主题党日" and i["class"] == "overdue"
               and i["rule"] == "《中国共产党支部工作条例（试行）》第十六条" for i in items)
    assert run(capsys, db, "group", "delete", "--org", ORG, "第一党小组")[0] == 0
    assert json.loads(run(capsys, db, "group", "list", "--json")[1]) == []


def test_org_add_says_where_a_branch_records_begin(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    assert run(capsys, path, "init")[0] == 0
    code, out, _ = run(capsys, path, "org", "add", "--name", "城北快递党支部", "--type", "党支部")
    assert code == 0 and "“城北快递党支部”的组织生活自" in out and "meeting rules --org 城北快递党支部 --records-from" in out
    code, out, _ = run(capsys, path, "meeting", "gaps", "--json")
    periods = json.loads(out)
    assert code == 0 and periods and all(p["state"] != "gap" for p in periods)  # nothing missed before it was entered
    code, out, _ = run(capsys, path, "org", "add", "--name", "示例公司党委", "--type", "党委")
    assert code == 0 and "组织生活" not in out
