"""The command-line contract: round trip on a fresh database, JSON shapes, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run(capsys, db, "init", "--unit", "示例党委")[0] == 0
    assert run(capsys, db, "org", "add", "--name", "城南联合党支部", "--type", "联合党支部")[0] == 0
    assert run(capsys, db, "outlet", "add", "--name", "沙河网点", "--brand", "极兔速递", "--org", "城南联合党支部")[0] == 0
    code, _, err = run(capsys, db, "person", "add", "--name", "张　三", "--id-number", "５１０１０４１９８５０３１５４２１０",
                       "--category", "中共党员", "--joined-on", "2010.7", "--phone", "138 0013 8000",
                       "--outlet", "沙河网点", "--notes", "=SUM(A1)")
    assert code == 0, err
    code, out, _ = run(capsys, db, "people", "--json", "--show-id")
    [p] = json.loads(out)
    assert p["id_number"] == ID_MAN_1985 and p["name"] == "张三" and p["gender"] == "男"
    assert (p["birth_date"], p["category"], p["joined_on"], p["phone"]) == ("1985-03-15", "正式党员", "2010-07",
                                                                          "13800138000")
    assert (p["outlet"], p["brand"], p["organization"], p["flowing"]) == ("沙河网点", "极兔速递", "城南联合党支部", False)
    assert p["notes"] == "=SUM(A1)"
    assert run(capsys, db, "person", "edit", ID_MAN_1985, "--flowing", "--home-organization", "某村党支部")[0] == 0
    code, out, _ = run(capsys, db, "people", "--json", "--flowing")
    assert json.loads(out)[0]["flowing"] is True
    code, out, _ = run(capsys, db, "history", "--json")
    entries = json.loads(out)
    assert {(e["op"], e["entity"]) for e in entries} >= {("insert", "people"), ("update", "people"),
                                                          ("insert", "outlets"), ("insert", "organizations")}
    assert any(e["field"] == "flowing" and e["new"] == "1" for e in entries)
    assert all(e["operator"] == "测试员" for e in entries)


def test_bad_usage_and_bad_input_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert run(capsys, db, "init")[0] == 0
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "people", "--no-such-flag"])
    assert exc.value.code == 2
    assert "用法" in capsys.readouterr().err
    code, _, err = run(capsys, db, "person", "add", "--name", "张三", "--id-number", "510104198503154211")
    assert code == 2 and "校验" in err and "Traceback" not in err
    code, out, _ = run(capsys, db, "people", "--json")
    assert json.loads(out) == []
    code, _, err = run(capsys, db, "stats", "--date", "明天")
    assert code == 2 and "日期" in err


def test_idcheck(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path / "i.db", "idcheck", "110105491231002", "11010519491231002x")
    assert code == 0 and out.count("11010519491231002X") == 2
    code, out, _ = run(capsys, tmp_path / "i.db", "idcheck", "11010519491231002X", "4.20106199312097e+17")
    assert code == 1 and "无效" in out


def test_demo_stats_due(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    assert run(capsys, db, "demo", "--people", "200")[0] == 0
    code, out, _ = run(capsys, db, "stats", "--json")
    s = json.loads(out)
    people = json.loads(run(capsys, db, "people", "--json")[1])
    assert s["people"] == len(people)
    flowing = sum(1 for p in people if p["flowing"] and p["category"] in ("预备党员", "正式党员"))
    assert s["members"]["flowing_in"] == flowing
    assert sum(s["members"][k] for k in ("registered", "flowing_in", "unverified", "stopped")) == s["members"]["total"]
    assert json.loads(run(capsys, db, "due", "--json")[1])
    code, _, err = run(capsys, db, "demo")
    assert code == 2 and "已经生成" in err


def test_module_entry_point(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "registry", "--db", str(tmp_path / "m.db"), *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)

    assert cli("init").returncode == 0
    p = cli("people", "--json")
    assert p.returncode == 0 and json.loads(p.stdout) == []
