"""The person's registration form names where a flowing member is: 外出流向 for 流出, the home organisation for 流入."""

from __future__ import annotations

from pathlib import Path

from registry.reports.person import write_person_report
from registry.services.flowing import flow_out
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from tests.reports.conftest import TODAY, needs_poppler, pdf_text


@needs_poppler
def test_form_of_a_member_working_elsewhere(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
               managed_from="2026-01-05")
    flow_out(reg, ID_MAN_1985, destination="广东省深圳市", left_on="2026-11-03", contact="13800138000")
    out = tmp_path / "out.pdf"
    write_person_report(reg, ID_MAN_1985, out, on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    # 所在党组织 once (the branch here); the 组织关系所在党组织 cell would make it twice.
    assert "外出流向" in flat and "广东省深圳市" in flat and flat.count("所在党组织") == 1
    write_person_report(reg, ID_MAN_1985, out, kind="record", on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    for words in ("外出流动情况", "外出流向：广东省深圳市", "外出日期：2026年11月3日", "外出地联系方式：13800138000"):
        assert words in flat, words


@needs_poppler
def test_form_of_a_flowing_in_member(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07", relation="流入",
               home_organization="四川省南充市某村党支部", managed_from="2026-01-05")
    out = tmp_path / "in.pdf"
    write_person_report(reg, ID_WOMAN_1992, out, on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    assert flat.count("所在党组织") == 2 and "四川省南充市某村党支部" in flat and "外出流向" not in flat
    write_person_report(reg, ID_WOMAN_1992, out, kind="record", on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    assert "流动党员情况" in flat and "外出流动情况" not in flat
