"""Census columns of development steps (推荐方式, 志愿书编号, 审批时间…) are written as steps, undone with the batch,
and the missing-step checks come with the import as warnings (issue 13 §7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.errors import UserError
from registry.importing.batches import undo_batch
from registry.importing.layout import field_for_header
from registry.importing.service import import_files
from registry.rules.idnumber import check_char
from registry.services.development_steps import record_step, step_rows
from registry.services.people import add_person, get_person
from registry.services.stats import statistics
from registry.storage.database import Registry


def _id(born: str, seq: str = "021") -> str:
    first17 = f"110105{born}{seq}"
    return first17 + check_char(first17)


WANG, ZHAO, QIAN = _id("19980305"), _id("19950101"), _id("19900101")
HEADER = ["姓名", "公民身份号码", "人员类别", "申请入党日期", "确定为积极分子时间", "推荐方式", "培养联系人",
          "列为发展对象时间", "入党介绍人", "入党志愿书编号", "支部大会通过时间", "上级党委审批时间"]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="gbk")
    return path


def _steps(reg: Registry) -> list[tuple[object, ...]]:
    return reg.conn.execute("SELECT person_id, step, on_date, fields FROM development_steps ORDER BY id").fetchall()


def test_step_headers_are_recognised() -> None:
    assert field_for_header("上级党委审批时间") == "approved_on"
    assert field_for_header("批准时间") == "approved_on"
    assert field_for_header("转正审批时间") == "full_approved_on"
    assert field_for_header("志愿书编号") == "form_number"
    assert field_for_header("推荐方式（党员推荐/群团推优）") == "recommendation"
    assert field_for_header("支部大会通过时间") == "joined_on"
    assert field_for_header("确定为积极分子时间") == "activist_on"
    assert field_for_header("介绍人") == "introducers"


def test_step_columns_become_steps_and_undo_takes_them_back(reg: Registry, tmp_path: Path) -> None:
    path = _csv(tmp_path / "census.csv", [
        ["王五", WANG, "预备党员", "2024-01-05", "2024-03-01", "团组织推优", "张三", "2025-06-01", "张三、李四",
         "NO.2026-118", "2026-10-20", "2026-11-15"],
        ["赵六", ZHAO, "入党积极分子", "2025-02-01", "2025-03-01", "党员推荐", "张三", "", "", "", "", ""]])
    before = _steps(reg)
    result = import_files(reg, [path], managed_from="2026-11-20")
    assert result.added == 2 and result.created["steps_added"] == 4
    wang = get_person(reg, WANG)
    got = {r["step"]: (r["on_date"], r["fields"]) for r in step_rows(reg, wang["id"])}
    assert got == {"activist_recommendation": ("2024-03-01", {"method": "群团推优"}),
                   "application_form": ("2026-10-20", {"number": "NO.2026-118"}),
                   "admission_approval": ("2026-11-15", {})}
    assert wang["contacts"] == "张三" and wang["introducers"] == "张三、李四"  # people columns, as before
    # The steps dated by a stage date for want of their own column are said once per sheet, not per row.
    stand_ins = [p for p in result.problems if p["code"] == "step_dated_by_stage"]
    assert len(stand_ins) == 2 and all(p["level"] == "warning" for p in stand_ins)
    # Counted from the approval (as 党统 does): not yet a 预备党员 at the end of October.
    assert statistics(reg, __import__("datetime").date(2026, 11, 30))["by_category"]["预备党员"] == 1
    again = import_files(reg, [path], managed_from="2026-11-20")
    assert (again.added, again.updated, again.created["steps_added"]) == (0, 0, 0)  # re-import changes nothing
    assert result.batch is not None
    undo_batch(reg, result.batch)
    assert _steps(reg) == before == []


def test_undo_keeps_the_steps_of_people_it_did_not_add(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number=QIAN, category="预备党员", joined_on="2026-10-08", managed_from="2026-01-01")
    person = get_person(reg, QIAN)
    record_step(reg, QIAN, "committee_talk", "2026-10-12", talker="张三")
    before = _steps(reg)
    result = import_files(reg, [_csv(tmp_path / "c.csv", [["钱七", QIAN, "预备党员", "", "", "", "", "", "", "",
                                                             "2026-10-08", "2026-11-02"]])])
    assert result.updated == 1  # only a step is new: an update all the same
    assert [r["step"] for r in step_rows(reg, person["id"])] == ["committee_talk", "admission_approval"]
    assert result.batch is not None
    undo_batch(reg, result.batch)
    assert _steps(reg) == before


def test_undo_refuses_when_steps_were_recorded_after_the_import(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [_csv(tmp_path / "c.csv", [["赵六", ZHAO, "入党积极分子", "2025-02-01", "2025-03-01",
                                                             "党员推荐", "", "", "", "", "", ""]])])
    record_step(reg, ZHAO, "activist_review", "2025-09-01")
    assert result.batch is not None
    with pytest.raises(UserError, match="发展党员步骤"):
        undo_batch(reg, result.batch)
    assert len(_steps(reg)) == 2


def test_a_stored_step_is_never_overwritten_by_the_census(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number=QIAN, category="预备党员", joined_on="2026-10-08", managed_from="2026-01-01")
    record_step(reg, QIAN, "admission_approval", "2026-11-02")
    result = import_files(reg, [_csv(tmp_path / "c.csv", [["钱七", QIAN, "预备党员", "", "", "", "", "", "", "",
                                                             "2026-10-08", "2026-11-09"]])])
    [problem] = [p for p in result.problems if p["code"] == "step_recorded"]
    assert problem["level"] == "warning" and "2026-11-02" in problem["message"] and problem["column"] == "上级党委审批时间"
    assert [r["on_date"] for r in step_rows(reg, get_person(reg, QIAN)["id"])] == ["2026-11-02"]


def test_unreadable_or_out_of_order_step_columns_are_warnings(reg: Registry, tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.csv", [
        ["王五", WANG, "预备党员", "", "", "抽签", "", "", "", "", "2026-10-20", "2026-09-01"],
        ["赵六", ZHAO, "预备党员", "", "", "", "", "", "", "", "2026-10-20", "二〇二六年某月"],
        ["钱七", QIAN, "预备党员", "", "", "", "", "", "", "", "2026-03-02", "2026-07-01"]])
    result = import_files(reg, [path], managed_from="2026-11-20")
    assert result.added == 3 and result.rejected == 0  # step columns never cost a row
    found = {(p["name"], p["code"]) for p in result.problems if p["level"] == "warning"}
    assert ("王五", "recommendation_unknown") in found
    assert ("王五", "step_order") in found  # 审批 before the 支部大会
    assert ("钱七", "approval_late") in found  # more than 3 months after it
    assert any(n == "赵六" and "审批" in next(p["message"] for p in result.problems if p["name"] == "赵六")
               for n, _ in found)
    assert not [p for p in result.problems if p["level"] == "error"]
    assert [r["step"] for r in step_rows(reg, get_person(reg, ZHAO)["id"])] == []


def test_missing_steps_while_in_the_records_come_as_warnings(reg: Registry, tmp_path: Path) -> None:
    # Entered as a 发展对象 in January; the census says she was admitted in October: every mandatory step between
    # (政审, 培训, 公示, 预审…) fell due while she was in these records and none is recorded.
    add_person(reg, name="钱七", id_number=QIAN, category="发展对象", applied_on="2024-01-05", activist_on="2024-03-01",
               target_on="2025-06-01", managed_from="2026-01-01")
    reg.conn.execute("UPDATE people SET created_at = '2026-01-01T09:00:00' WHERE id_number = ?", (QIAN,))
    reg.conn.commit()
    result = import_files(reg, [_csv(tmp_path / "c.csv", [["钱七", QIAN, "预备党员", "", "", "", "", "", "", "",
                                                             "2026-10-20", ""]])])
    assert result.updated == 1
    missing = [p for p in result.problems if p["code"] == "step_missing"]
    assert missing and all(p["level"] == "warning" for p in missing)
    assert any("政治审查" in p["message"] for p in missing) and "细则" in missing[0]["message"]
    assert not [p for p in result.problems if p["code"] == "not_recorded"]  # history is not listed on import
    assert get_person(reg, QIAN)["category"] == "预备党员"


def test_a_census_of_history_lists_no_missing_steps(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [_csv(tmp_path / "c.csv", [
        ["钱七", QIAN, "正式党员", "2008-01-05", "2008-03-01", "", "", "2009-06-01", "张三、李四", "", "2010-07-01",
         "2010-08-01"]])], managed_from="2026-11-20")
    assert not [p for p in result.problems if p["code"].startswith("step_") and p["code"] != "step_dated_by_stage"]
    rows = step_rows(reg, get_person(reg, QIAN)["id"])
    assert [(r["step"], r["on_date"]) for r in rows] == [("admission_approval", "2010-08-01")]
    assert json.loads(reg.scalar("SELECT fields FROM development_steps")) == {}
