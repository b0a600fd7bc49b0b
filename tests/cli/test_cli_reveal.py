"""Full ID numbers on the command line: masked unless asked for, and every reveal written to the audit log."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.services.history import history, record_reveal
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(reg: Registry) -> Path:
    add_person(reg, name="张三", id_number=ID_MAN_1985, phone="13800138000")
    add_person(reg, name="李四", id_number=ID_WOMAN_1992)
    return reg.path


def reveals(db: Path) -> list[dict]:
    with Registry(db) as reg:
        return [json.loads(r["new"]) | {"operator": r["operator"], "at": r["at"]}
                for r in history(reg, entity="reveals")]


def test_people_json_masks_unless_show_id_and_logs_the_reveal(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, db, "people", "--json")
    assert code == 0 and ID_MAN_1985 not in out and "510104********4210" in out
    assert reveals(db) == []
    code, out, _ = run(capsys, db, "people", "--json", "--show-id")
    assert code == 0 and {p["id_number"] for p in json.loads(out)} == {ID_MAN_1985, ID_WOMAN_1992}
    [r] = reveals(db)
    assert (r["count"], r["where"], r["operator"]) == (2, "命令行", "测试员") and "people --json" in r["what"]
    code, out, _ = run(capsys, db, "people", "--show-id")  # the table too
    assert ID_MAN_1985 in out and len(reveals(db)) == 2


def test_person_show_masks_unless_show_id(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    for argv in (["person", "show", ID_MAN_1985], ["person", "show", ID_MAN_1985, "--json"]):
        code, out, _ = run(capsys, db, *argv)
        assert code == 0 and ID_MAN_1985 not in out and "510104********4210" in out
    assert reveals(db) == []
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985, "--show-id")
    assert code == 0 and ID_MAN_1985 in out
    code, out, _ = run(capsys, db, "person", "show", ID_MAN_1985, "--json", "--show-id")
    assert json.loads(out)["id_number"] == ID_MAN_1985
    assert [(r["count"], "张三" in r["what"]) for r in reveals(db)] == [(1, True), (1, True)]


def test_export_roster_full_by_default_show_id_synonym_mask_id(capsys: pytest.CaptureFixture[str], db: Path,
                                                                tmp_path: Path) -> None:
    def ids(name: str, *flags: str) -> list[str]:
        out = tmp_path / name
        assert run(capsys, db, "export", "roster", str(out), *flags)[0] == 0
        with out.open(encoding="utf-8-sig", newline="") as fh:
            return sorted(r[4] for r in list(csv.reader(fh))[1:])

    assert ids("a.csv") == ids("b.csv", "--show-id") == sorted([ID_MAN_1985, ID_WOMAN_1992])
    assert all("*" in i for i in ids("c.csv", "--mask-id"))
    with Registry(db) as reg:
        logged = [json.loads(r["new"])["show_id"] for r in history(reg, entity="exports")]
    assert logged == [False, True, True]  # newest first
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "export", "roster", str(tmp_path / "d.csv"), "--mask-id", "--show-id"])
    assert exc.value.code == 2


def test_a_reveal_that_cannot_be_logged_is_refused(reg: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*_a: object, **_k: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(reg, "transaction", locked)
    with pytest.raises(UserError, match="没有显示"):
        record_reveal(reg, "测试", 1, "命令行")


def test_history_search_takes_percent_and_underscore_literally(capsys: pytest.CaptureFixture[str], db: Path,
                                                                tmp_path: Path) -> None:
    with Registry(db) as reg:
        add_person(reg, name="王五", id_number="440305200001012617", notes="x")
    for name in ("完成率100%.csv", "a_b.csv", "axb.csv"):
        assert run(capsys, db, "export", "roster", str(tmp_path / name))[0] == 0
    code, out, _ = run(capsys, db, "history", "--json", "--search", "%")
    labels = {e["label"] for e in json.loads(out)}
    assert code == 0 and labels == {"完成率100%.csv"}
    code, out, _ = run(capsys, db, "history", "--json", "--search", "a_b")
    assert {e["label"] for e in json.loads(out)} == {"a_b.csv"}
    code, out, _ = run(capsys, db, "history", "--json", "--search", "\\")
    assert json.loads(out) == []


def test_history_table_masks_id_number_changes(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, db, "person", "edit", ID_MAN_1985, "--id-number", "440305200001012617")[0] == 0
    code, out, _ = run(capsys, db, "history")
    assert code == 0 and "510104********4210 → 440305********2617" in out
    assert ID_MAN_1985 not in out and "440305200001012617" not in out


def test_history_json_masks_unless_show_id(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, db, "history", "--json")
    assert code == 0 and ID_MAN_1985 not in out and ID_WOMAN_1992 not in out
    inserted = [json.loads(e["new"]) for e in json.loads(out) if e["entity"] == "people" and e["op"] == "insert"]
    assert {p["id_number"] for p in inserted} == {"510104********4210", "420106********0064"}
    assert reveals(db) == []
    code, out, _ = run(capsys, db, "history", "--json", "--show-id")
    assert ID_MAN_1985 in out and ID_WOMAN_1992 in out
    [r] = reveals(db)
    assert r["count"] == 2 and "history" in r["what"]


def test_due_json_masks_unless_show_id_and_logs_the_reveal(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with Registry(db) as reg:
        add_person(reg, name="王五", id_number="440305200001012617",
                   category="入党申请人", applied_on="2026-09-01")
    code, out, _ = run(capsys, db, "due", "--json", "--date", "2026-11-30")
    items = json.loads(out)
    assert code == 0 and items and all("*" in i["id_number"] for i in items)
    assert reveals(db) == []
    code, out, _ = run(capsys, db, "due", "--json", "--show-id", "--date", "2026-11-30")
    assert code == 0 and "440305200001012617" in out
    [reveal] = reveals(db)
    assert reveal["count"] == len(items) and reveal["operator"] == "测试员"
