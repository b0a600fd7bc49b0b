"""The transfer commands: out with its 有效期, list, receipt, cancel; the pending transfer in person show and history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

TO = "湖北省武汉市江汉区某街道党工委"


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


def test_out_stays_pending_until_the_receipt(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, db, "transfer", "out", ID_MAN_1985, "--to-org", TO, "--issued-on", "2026-04-20",
                         "--letter-no", "组转018号", "--dues-paid-to", "2026-03")
    assert code == 0, err
    assert "转出待接收" in out and "有效期至2026年7月20日" in out
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985)
    assert "组织关系：转出待接收（转往湖北省武汉市江汉区某街道党工委，介绍信组转018号" in out and "离开日期" not in out
    code, out, _ = run(capsys, db, "history")
    assert "方向：转出；介绍信编号：组转018号" in out and "开具日期：2026年4月20日" in out  # as the window says it
    code, out, _ = run(capsys, db, "transfer", "list", "--pending", "--json")
    (t,) = json.loads(out)
    assert (t["name"], t["status"], t["valid_until"], t["dues_paid_to"]) == ("张三", "转出待接收", "2026-07-20", "2026-03")
    assert ID_MAN_1985 not in out  # masked
    code, out, _ = run(capsys, db, "due", "--json", "--date", "2026-08-01")
    assert [(i["name"], i["class_label"], i["label"]) for i in json.loads(out) if i["kind"] == "transfer_receipt"] == [
        ("张三", "已逾期", "介绍信已过有效期未回执")]

    code, _, err = run(capsys, db, "transfer", "receipt", ID_MAN_1985, "--date", "2026-04-19")
    assert code == 2 and "早于介绍信开具日期" in err and "Traceback" not in err
    code, out, err = run(capsys, db, "transfer", "receipt", ID_MAN_1985, "--date", "2026-05-06",
                         "--transfer", str(t["id"]))
    assert code == 0, err
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985, "--json")
    p = json.loads(out)
    assert (p["left_on"], p["left_how"], p["transfer_pending"]) == ("2026-05-06", "组织关系转出", None)
    code, out, _ = run(capsys, db, "transfer", "list", ID_MAN_1985)
    assert "已回执" in out and "2026年5月6日" in out


def test_receipt_without_a_pending_transfer_and_cancel(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "transfer", "receipt", ID_WOMAN_1992, "--date", "2026-05-06")
    assert code == 2 and "没有待回执的组织关系转出记录" in err
    assert run(capsys, db, "transfer", "out", ID_WOMAN_1992, "--to-org", TO, "--issued-on", "2026-04-20",
               "--valid-until", "2026-05-20")[0] == 0
    code, out, err = run(capsys, db, "transfer", "cancel", ID_WOMAN_1992)
    assert code == 0 and "仍在本单位" in out, err
    code, out, _ = run(capsys, db, "transfer", "list", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, db, "person", "show", ID_WOMAN_1992, "--json")
    assert json.loads(out)["left_on"] is None


def test_in_takes_a_whole_arrival_day(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, db, "transfer", "in", ID_WOMAN_1992, "--org", "城南联合党支部", "--from-org", "某镇党委",
                       "--arrived-on", "2026-10")
    assert code == 2 and "具体到日" in err
