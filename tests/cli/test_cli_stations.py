"""The care network on the command line: station, merchant, care-street, flowing report --station."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985
from tests.importing.station_files import write_station_list


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "c.db"
    assert run(capsys, path, "init")[0] == 0
    assert run(capsys, path, "outlet", "add", "--name", "顺丰白石洲", "--brand", "顺丰", "--street", "沙河街道",
               "--community", "白石洲社区")[0] == 0
    assert run(capsys, path, "outlet", "add", "--name", "中通华侨城", "--brand", "中通", "--street", "沙河街道",
               "--community", "华侨城社区")[0] == 0
    return path


def test_station_round_trip(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "station", "add", "白石洲暖蜂驿站", "--type", "暖蜂驿站", "--street", "沙河街道",
                         "--community", "白石洲", "--services", "饮水，充电、党员报到处", "--phone", "138-0013-8000",
                         "--hours", "全天")
    assert code == 0, err
    assert run(capsys, db, "station", "add", "武车江城蜂巢", "--type", "江城蜂巢", "--class", "三类",
               "--street", "徐家棚街道", "--community", "武车社区")[0] == 0
    code, out, _ = run(capsys, db, "station", "list", "--json", "--service", "党员报到处")
    [row] = json.loads(out)
    assert (row["name"], row["phone"], row["services"]) == ("白石洲暖蜂驿站", "13800138000", ["饮水", "充电", "党员报到处"])
    assert [r["name"] for r in json.loads(run(capsys, db, "station", "list", "--json", "--type", "江城蜂巢")[1])] == [
        "武车江城蜂巢"]
    assert json.loads(run(capsys, db, "station", "list", "--json", "--street", "徐家棚")[1])[0]["class_"] == "三类"
    assert json.loads(run(capsys, db, "station", "list", "--json", "--community", "华侨城社区")[1]) == []
    code, _, err = run(capsys, db, "station", "add", "白石洲暖蜂驿站", "--type", "暖蜂驿站", "--community", "白石洲社区")
    assert code == 2 and "不能重复添加" in err
    code, _, err = run(capsys, db, "station", "add", "某站", "--type", "暖蜂驿站", "--class", "一类")
    assert code == 2 and "不分一类" in err
    code, out, _ = run(capsys, db, "station", "edit", "白石洲暖蜂驿站", "--hours", "全天")
    assert "没有需要修改的内容" in out
    code, out, _ = run(capsys, db, "station", "edit", "白石洲暖蜂驿站", "--hours", "8:00-22:00", "--new-name", "白石洲驿站")
    assert code == 0 and "已修改2项" in out
    assert run(capsys, db, "station", "visits", "白石洲驿站", "--month", "2026-11", "--count", "320")[0] == 0
    code, out, _ = run(capsys, db, "station", "visits", "白石洲驿站", "--json")
    assert json.loads(out) == [{"month": "2026-11", "count": 320}]
    code, out, _ = run(capsys, db, "station", "show", "白石洲驿站")
    assert "8:00-22:00" in out and "320" in out
    code, out, _ = run(capsys, db, "station", "coverage", "--date", "2026-11-30", "--json")
    total = json.loads(out)["total"]
    assert (total["outlets"], total["covered"], total["uncovered"], total["visits"]) == (2, 1, 1, 320)
    code, out, _ = run(capsys, db, "station", "coverage", "--date", "2026-11-30")
    assert "沙河街道" in out and "合计" in out
    code, out, _ = run(capsys, db, "station", "delete", "武车江城蜂巢")
    assert code == 0 and "已删除驿站" in out


def test_types_and_services(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "station", "types", "add", "小哥加油站", "--uses-class")[0] == 0
    code, out, _ = run(capsys, db, "station", "types", "--json")
    added = [t for t in json.loads(out) if t["name"] == "小哥加油站"]
    assert added == [{"name": "小哥加油站", "uses_class": True, "default": False}]
    code, _, err = run(capsys, db, "station", "types", "add", "江城蜂巢")
    assert code == 2 and "已在列表中" in err
    assert run(capsys, db, "station", "services", "add", "共享雨伞")[0] == 0
    assert "共享雨伞" in run(capsys, db, "station", "services")[1]
    code, out, _ = run(capsys, db, "station", "types", "rename", "小哥加油站", "小哥驿站")
    assert code == 0 and "改名为“小哥驿站”，0个驿站随之更改" in out
    code, _, err = run(capsys, db, "station", "types", "delete", "江城蜂巢")
    assert code == 2 and "预置的驿站类型" in err
    code, out, _ = run(capsys, db, "station", "types", "delete", "小哥驿站")
    assert code == 0 and "已删除驿站类型：小哥驿站" in out


def test_import_preview_and_apply(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    path = write_station_list(tmp_path / "驿站名单.xlsx")
    code, out, err = run(capsys, db, "station", "import", str(path), "--dry-run")
    assert code == 0, err
    assert "预览（未导入）" in out and "与第4行重复" in out and "--add-types" in out
    assert json.loads(run(capsys, db, "station", "list", "--json")[1]) == []
    code, out, _ = run(capsys, db, "station", "import", str(path), "--add-types", "--add-services")
    assert "已导入" in out and "新增4个驿站" in out and "station undo-import" in out
    assert len(json.loads(run(capsys, db, "station", "list", "--json")[1])) == 4
    code, out, _ = run(capsys, db, "station", "undo-import")
    assert code == 0 and "已撤销" in out
    assert json.loads(run(capsys, db, "station", "list", "--json")[1]) == []
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    code, _, err = run(capsys, db, "station", "import", str(empty))
    assert code == 2 and "空文件" in err


def test_flowing_report_names_the_point(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "station", "add", "白石洲暖蜂驿站", "--type", "暖蜂驿站", "--community", "白石洲社区",
               "--services", "饮水、党员报到处")[0] == 0
    assert run(capsys, db, "station", "add", "南桥爱心驿站", "--type", "爱心驿站", "--services", "饮水")[0] == 0
    assert run(capsys, db, "person", "add", "--name", "张三", "--id-number", ID_MAN_1985, "--category", "正式党员",
               "--joined-on", "2010-07")[0] == 0
    code, _, err = run(capsys, db, "flowing", "report", ID_MAN_1985, "--home-org", "某村党支部", "--date", "2026-11-02",
                       "--station", "南桥爱心驿站")
    assert code == 2 and "不能作为党员报到点" in err
    code, out, err = run(capsys, db, "flowing", "report", ID_MAN_1985, "--home-org", "某村党支部", "--date",
                         "2026-11-02", "--station", "白石洲暖蜂驿站")
    assert code == 0 and "报到点：白石洲暖蜂驿站" in out, err
    assert "报到点：白石洲暖蜂驿站" in run(capsys, db, "person", "show", ID_MAN_1985)[1]
    listed = {r["name"]: r["reported"] for r in json.loads(run(capsys, db, "station", "list", "--json")[1])}
    assert listed == {"白石洲暖蜂驿站": 1, "南桥爱心驿站": 0}


def test_merchants_and_care_streets(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "care-street", "add", "沙河暖蜂一条街", "--street", "沙河街道", "--district", "南山区")[0] == 0
    code, _out, err = run(capsys, db, "merchant", "add", "暖蜂超市", "--community", "白石洲社区", "--offers", "免费热水",
                         "--care-street", "沙河暖蜂一条街", "--phone", "0755-26668888")
    assert code == 0, err
    [m] = json.loads(run(capsys, db, "merchant", "list", "--json")[1])
    assert (m["care_street"], m["offers"]) == ("沙河暖蜂一条街", "免费热水")
    assert "没有需要修改" in run(capsys, db, "merchant", "edit", "暖蜂超市", "--offers", "免费热水")[1]
    assert "已修改1项" in run(capsys, db, "merchant", "edit", "暖蜂超市", "--offers", "免费热水、充电")[1]
    assert json.loads(run(capsys, db, "care-street", "list", "--json")[1])[0]["merchants"] == 1
    assert "1家商户保留" in run(capsys, db, "care-street", "delete", "沙河暖蜂一条街")[1]
    assert run(capsys, db, "merchant", "delete", "暖蜂超市")[0] == 0
    code, _, err = run(capsys, db, "merchant", "delete", "暖蜂超市")
    assert code == 2 and "找不到暖蜂商户" in err
