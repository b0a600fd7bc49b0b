"""`dues …`: set-base, pay several months, list, arrears, summary, edit, delete, export; `due --json` carries 党费."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

TODAY = "2026-08-10"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    assert run(capsys, path, "init", "--unit", "示例党委")[0] == 0
    assert run(capsys, path, "org", "add", "--name", "城南联合党支部", "--type", "联合党支部")[0] == 0
    for name, number in (("张三", ID_MAN_1985), ("李芳", ID_WOMAN_1992)):
        code, _, err = run(capsys, path, "person", "add", "--name", name, "--id-number", number, "--category",
                           "正式党员", "--joined-on", "2010-07-01", "--org", "城南联合党支部", "--managed-from", "2020-01-01")
        assert code == 0, err
    return path


def test_a_year_of_dues_through_the_command_line(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, db, "dues", "set-base", ID_MAN_1985, "--base", "4200", "--from", "2026-01",
                         "--today", TODAY)
    assert code == 0, err
    assert "每月应交42.00元" in out
    code, out, err = run(capsys, db, "dues", "pay", ID_MAN_1985, "--months", "2026-01..2026-06", "--date",
                         "2026-06-30", "--today", TODAY)
    assert code == 0, err
    assert "合计252.00元" in out
    code, out, err = run(capsys, db, "dues", "pay", ID_MAN_1985, "--months", "2026-03", "--date", "2026-07-01",
                         "--today", TODAY)
    assert code == 2 and "不能重复交纳" in err and "Traceback" not in err
    code, out, err = run(capsys, db, "dues", "pay", ID_MAN_1985, "--months", "2026-07", "--date", "2026-07-01",
                         "--amount", "-3", "--today", TODAY)
    assert code == 2 and "必须大于0" in err

    code, out, _ = run(capsys, db, "dues", "arrears", "--json", "--today", TODAY)
    found = json.loads(out)
    assert [(a["name"], a["months"]) for a in found["arrears"]] == [("张三", ["2026-07"])]
    assert [u["name"] for u in found["unregistered"]] == ["李芳"]
    assert "*" in found["arrears"][0]["id_number"]  # masked
    code, out, _ = run(capsys, db, "dues", "arrears", "--today", TODAY)
    assert "未登记党费基数 1 人" in out and "李芳" in out

    code, out, _ = run(capsys, db, "dues", "list", ID_MAN_1985, "--json", "--today", TODAY)
    record = json.loads(out)
    assert record["paid_to"] == "2026-06" and record["unpaid"] == ["2026-07"]
    payment_id = record["payments"][0]["id"]
    code, out, _ = run(capsys, db, "dues", "edit", str(payment_id), "--today", TODAY)
    assert code == 0 and "没有改动" in out
    code, out, err = run(capsys, db, "dues", "edit", str(payment_id), "--date", "2026-06-29", "--today", TODAY)
    assert code == 0 and "已保存修改" in out, err

    code, out, _ = run(capsys, db, "dues", "summary", "--year", "2026", "--json", "--today", TODAY)
    grid = json.loads(out)
    assert grid["paid"] == "252.00" and grid["due"] == "294.00"
    code, out, _ = run(capsys, db, "dues", "summary", "--year", "2026", "--today", TODAY)
    assert "应交合计" in out and "42.00" in out

    code, out, _ = run(capsys, db, "due", "--json", "--date", TODAY)
    kinds = {(i["name"], i["kind"]) for i in json.loads(out)}
    assert ("张三", "dues_arrears") in kinds

    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    assert "党费交至：2026年6月" in out

    target = tmp_path / "党费.xlsx"
    code, out, err = run(capsys, db, "dues", "export", "--year", "2026", str(target), "--today", TODAY)
    assert code == 0, err
    book = load_workbook(target)
    assert book.sheetnames == ["年度汇总", "欠缴名单"]
    sheet = book["年度汇总"]
    assert [c.value for c in sheet[3]][:7] == ["序号", "姓名", "类别", "交纳类别", "每月应交", "1月", "2月"]
    names = [sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)]
    assert names == ["李芳", "张三", "应交合计", "实交合计"]  # 姓氏笔画
    owing = book["欠缴名单"]
    assert [owing.cell(r, 2).value for r in range(4, owing.max_row + 1)] == ["张三", "李芳"]

    code, out, _ = run(capsys, db, "dues", "delete", str(payment_id))
    assert code == 0
    code, out, _ = run(capsys, db, "history", "--json")
    actions = [r["entity"] for r in json.loads(out)]
    assert actions.count("dues_payments") >= 3


def test_a_non_member_and_a_bad_amount(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "dues", "set-base", ID_MAN_1985, "--base", "四千", "--from", "2026-01")
    assert code == 2 and "不是金额" in err
    code, _, err = run(capsys, db, "dues", "set-base", ID_MAN_1985, "--class", "打工", "--from", "2026-01")
    assert code == 2 and "没有“打工”这一交纳类别" in err
    code, _, err = run(capsys, db, "dues", "set-base", ID_MAN_1985, "--from", "2026-01")
    assert code == 2 and "请填写交纳基数" in err
