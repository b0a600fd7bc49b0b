"""`import`, `import undo`, `import batches`, `export problems` through the command line, and broken files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from registry.cli.main import main


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def roster(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "政治面貌", "入党时间", "网点名称", "快递品牌"])
    ws.append(["张三", "510104198503154210", "中共党员", "2010-07-01", "沙河网点", "极兔速递"])
    ws.append(["李四", "420106199207080065", "群众", None, "沙河网点", "极兔速递"])
    wb.save(path)
    return path


def test_import_json_dry_run_undo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, path = tmp_path / "i.db", roster(tmp_path / "r.xlsx")
    code, out, _ = run(capsys, db, "import", str(path), "--json", "--dry-run")
    s = json.loads(out)
    assert code == 0 and (s["rows"], s["added"], s["rejected"], s["batch"]) == (2, 1, 1, None)
    assert not db.exists()  # a preview of a new database creates nothing
    [p] = [x for x in s["problems"] if x["level"] == "error"]
    # 张三 is a member the sheet does not place: registered as 待核实, with a warning saying so.
    assert s["unverified"] == 1 and [x["code"] for x in s["problems"] if x["level"] == "warning"] == ["relation_unverified"]
    assert {k: p[k] for k in ("file", "sheet", "row", "column", "level", "code")} == {
        "file": "r.xlsx", "sheet": "Sheet", "row": 3, "column": "身份证号", "level": "error", "code": "id_checksum"}
    code, out, _ = run(capsys, db, "import", str(path), "--json")
    batch = json.loads(out)["batch"]
    assert batch and len(json.loads(run(capsys, db, "people", "--json")[1])) == 1
    code, out, _ = run(capsys, db, "import", "batches", "--json")
    assert json.loads(out)[0]["id"] == batch
    assert run(capsys, db, "export", "problems", str(batch), str(tmp_path / "p.xlsx"))[0] == 0
    assert (tmp_path / "p.xlsx").exists()
    assert run(capsys, db, "import", "undo", str(batch))[0] == 0
    assert json.loads(run(capsys, db, "people", "--json")[1]) == []
    code, _, err = run(capsys, db, "import", "undo", "999")
    assert code == 2 and "批次" in err


def test_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, path = tmp_path / "s.db", roster(tmp_path / "r.xlsx")
    code, out, _ = run(capsys, db, "import", str(path), "--json", "--strict")
    assert code == 0 and json.loads(out)["batch"] is None
    assert json.loads(run(capsys, db, "people", "--json")[1]) == []


def _entity_bomb(path: Path) -> None:
    good = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.save(good)
    src = zipfile.ZipFile(io.BytesIO(good.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1]
                data = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' + body
            out.writestr(item, data)


BROKEN = {
    "empty.xlsx": lambda p: p.write_bytes(b""),
    "renamed.xlsx": lambda p: p.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8"),
    "truncated.xlsx": lambda p: (roster(p), p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
    "random.xls": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "password.xlsx": lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
                                             + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2000),
    "bomb.xlsx": _entity_bomb,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_exit_2_and_change_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    db = tmp_path / "b.db"
    run(capsys, db, "import", str(roster(tmp_path / "good.xlsx")))
    before = run(capsys, db, "people", "--json")[1]
    bad = tmp_path / name
    BROKEN[name](bad)
    code, out, err = run(capsys, db, "import", str(bad), "--json")
    assert code == 2 and name in err and "Traceback" not in err and out == ""
    assert run(capsys, db, "people", "--json")[1] == before
    assert len(json.loads(run(capsys, db, "import", "batches", "--json")[1])) == 1


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "m.db", "import", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "找不到文件" in err
