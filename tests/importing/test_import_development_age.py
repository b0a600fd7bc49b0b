"""Census import and the development record: age at admission and minors in the pipeline are warnings (issue 13 §7)."""

from __future__ import annotations

from pathlib import Path

from registry.importing.service import import_files
from registry.rules.idnumber import check_char
from registry.services.people import get_person
from registry.storage.database import Registry


def _id(born: str) -> str:
    first17 = f"110105{born}021"
    return first17 + check_char(first17)


MINOR, YOUNG_MEMBER, ADULT = _id("20100301"), _id("20080601"), _id("19900101")


def test_age_findings_come_with_the_import_as_warnings(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "census.csv"
    rows = [["姓名", "公民身份号码", "人员类别", "入党时间"],
            ["少年乙", MINOR, "入党申请人", ""],
            ["少年甲", YOUNG_MEMBER, "预备党员", "2026-03-01"],
            ["成年人", ADULT, "入党申请人", ""]]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="gbk")
    result = import_files(reg, [path])
    assert result.added == 3  # warnings: every row is kept
    found = {(p["name"], p["code"], p["level"]) for p in result.problems}
    assert ("少年乙", "minor_in_pipeline", "warning") in found
    assert ("少年甲", "age_admission", "warning") in found
    assert not [p for p in result.problems if p["name"] == "成年人"]
    assert get_person(reg, YOUNG_MEMBER)["category"] == "预备党员"
