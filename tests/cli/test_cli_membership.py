"""person add/edit on the command line keep dated membership: 纳入管理日期, 变动日期 and 更正 (issue 10 §1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def members(capsys: pytest.CaptureFixture[str], db: Path, day: str, *scope: str) -> dict[str, int]:
    code, out, err = run(capsys, db, "stats", "--json", "--date", day, *scope)
    assert code == 0, err
    return json.loads(out)["members"]


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    path = tmp_path / "m.db"
    for args in (("init", "--unit", "示例党委"),
                 ("org", "add", "--name", "城南联合党支部", "--type", "联合党支部"),
                 ("org", "add", "--name", "城北联合党支部", "--type", "联合党支部"),
                 ("outlet", "add", "--name", "沙河网点", "--brand", "极兔速递", "--org", "城南联合党支部"),
                 ("outlet", "add", "--name", "春熙路网点", "--brand", "中通快递", "--org", "城北联合党支部"),
                 ("person", "add", "--name", "张三", "--id", ID_MAN_1985, "--category", "正式党员",
                  "--joined-on", "2010-07-01", "--full-on", "2011-07-01", "--outlet", "沙河网点",
                  "--managed-from", "2025-01-01")):
        code, _, err = run(capsys, path, *args)
        assert code == 0, (args, err)
    return path


def test_a_census_find_counts_from_its_managed_from_day(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "person", "add", "--name", "李四", "--id", ID_WOMAN_1992, "--category", "正式党员",
                       "--joined-on", "2015-07-01", "--full-on", "2016-07-01", "--outlet", "沙河网点",
                       "--managed-from", "2026-11-03", "--managed-how", "摸排新纳入")
    assert code == 0, err
    assert members(capsys, db, "2026-11-02")["total"] == 1  # 张三 only
    assert members(capsys, db, "2026-11-03")["total"] == 2
    code, out, _ = run(capsys, db, "person", "show", ID_WOMAN_1992)
    assert "纳入管理日期：2026年11月3日" in out and "纳入方式：摸排新纳入" in out and "组织关系类型：在册" in out


def test_a_dated_change_leaves_earlier_dates_as_they_were(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "person", "edit", ID_MAN_1985, "--outlet", "春熙路网点", "--changed-on", "2026-11-10")
    assert code == 0, err
    assert "已修改1项" in out and "变动日期：2026年11月10日" in out
    assert members(capsys, db, "2026-11-09", "--org", "城南联合党支部")["total"] == 1
    assert members(capsys, db, "2026-11-09", "--org", "城北联合党支部")["total"] == 0
    assert members(capsys, db, "2026-11-10", "--org", "城北联合党支部")["total"] == 1
    assert members(capsys, db, "2026-11-10", "--org", "城南联合党支部")["total"] == 0
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    assert "所在网点：春熙路网点" in out and "最近变动日期：2026年11月10日" in out


def test_a_correction_rewrites_the_past_too(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "person", "edit", ID_MAN_1985, "--outlet", "春熙路网点", "--correction")
    assert code == 0, err
    assert "更正" in out
    assert members(capsys, db, "2026-11-09", "--org", "城北联合党支部")["total"] == 1
    assert members(capsys, db, "2026-11-09", "--org", "城南联合党支部")["total"] == 0


def test_a_change_date_and_a_correction_together_are_refused(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "person", "edit", ID_MAN_1985, "--status", "停止党籍", "--correction",
              "--changed-on", "2026-11-10"])
    assert exc.value.code == 2
    code, _, err = run(capsys, db, "person", "edit", ID_MAN_1985, "--status", "停止党籍", "--changed-on", "2026-11")
    assert code == 2 and "写到日" in err
    code, _, err = run(capsys, db, "person", "edit", ID_MAN_1985, "--status", "停止党籍", "--changed-on", "2099-01-01")
    assert code == 2 and "晚于今天" in err
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    assert "党籍状态：正常" in out


def test_show_prints_flowing_out_with_chinese_labels(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "person", "edit", ID_MAN_1985, "--relation", "外出流动党员",
                       "--flow-destination", "广东省深圳市", "--flow-left-on", "2026-10-15",
                       "--flow-contact", "深圳市快递行业党委", "--changed-on", "2026-10-15")
    assert code == 0, err
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    for line in ("组织关系类型：流出", "外出流向：广东省深圳市", "外出日期：2026年10月15日", "外出地联系方式：深圳市快递行业党委",
                 "是否失联党员：否"):
        assert line in out, out
    assert "是否流动党员" not in out  # 流入 only: it said 否 for a member working elsewhere
    assert members(capsys, db, "2026-11-01")["flowing_out"] == 1


def test_show_leaves_out_membership_defaults_for_a_non_member(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "person", "add", "--name", "李四", "--id", ID_WOMAN_1992)[0] == 0
    code, out, _ = run(capsys, db, "person", "show", ID_WOMAN_1992)
    assert code == 0 and "纳入方式：新录入" in out and "人员类别：群众" in out
    assert "组织关系类型" not in out and "党籍状态" not in out and "失联" not in out


def test_edit_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["person", "edit", "--help"])
    out = capsys.readouterr().out
    assert "变动日期" in out and "这是更正" in out and "摸排新纳入、组织关系转入" in out
