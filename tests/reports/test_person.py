"""Per-person documents: the registration form and the development record."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.errors import UserError
from registry.reports.person import write_person_report
from registry.rules.idnumber import mask_id
from registry.services.flowing import transfer_in
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from tests.reports.conftest import FULL_ID, TODAY, assert_paged_and_embedded, needs_poppler, pdf_text


@pytest.fixture
def probationer(branch: Registry) -> Registry:
    """A probationary member whose year ended months ago without 转正: the record must say so."""
    add_person(branch, name="欧阳晓梅", id_number=ID_WOMAN_1992, category="预备党员", applied_on="2023-03-01",
               talked_on="2023-03-10", activist_on="2023-06-01", contacts="张三、李四", target_on="2024-07-01",
               introducers="王五、赵六", joined_on="2025-06-01", outlet="沙河网点", organization="城南快递联合党支部",
               phone="13800138000", flowing=True, home_organization="四川省南充市顺庆区新建村党支部")
    return branch


@needs_poppler
def test_registration_form_is_one_page_with_masked_id(probationer: Registry, tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    assert write_person_report(probationer, ID_WOMAN_1992, out, on=TODAY) == {"name": "欧阳晓梅", "pages": 1}
    [page] = assert_paged_and_embedded(out)
    assert "党员信息登记表" in page and "欧阳晓梅" in page and mask_id(ID_WOMAN_1992) in page
    assert not FULL_ID.search(page)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    for words in ("1992年7月8日", "预备党员", "城南快递联合党支部", "沙河网点", "2025年6月1日", "四川省南充市顺庆区新建村党支部",
                  "入党介绍人：王五、赵六", "填报人", "盖章"):
        assert words in flat, words


@needs_poppler
def test_form_shows_the_full_number_only_when_asked(probationer: Registry, tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    write_person_report(probationer, ID_WOMAN_1992, out, show_id=True, on=TODAY)
    assert ID_WOMAN_1992 in "".join(pdf_text(out))


@needs_poppler
def test_development_record_lists_stages_people_and_warnings(probationer: Registry, tmp_path: Path) -> None:
    transfer_in(probationer, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="四川省南充市顺庆区新建村党支部",
                letter_no="川组转〔2026〕8号", issued_on="2026-03-01", arrived_on="2026-03-09")
    out = tmp_path / "record.pdf"
    write_person_report(probationer, ID_WOMAN_1992, out, kind="record", on=TODAY)
    pages = assert_paged_and_embedded(out)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    for words in ("发展党员工作全程纪实表", "递交入党申请书", "2023年3月1日", "培养联系人：张三、李四", "入党介绍人：王五、赵六",
                  "预备期满2026年6月1日", "预备期已于2026-06-01期满", "川组转〔2026〕8号"):
        assert words in flat, words
    # Every step of the 细则 has its row now: the record runs over more than one page.
    assert len(pages) <= 3 and not FULL_ID.search("".join(pages))


def test_unknown_person_and_kind(branch: Registry, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(UserError, match="找不到"):
        write_person_report(branch, ID_MAN_1985, folder / "x.pdf")
    add_person(branch, name="张三", id_number=ID_MAN_1985)
    with pytest.raises(UserError, match="form"):
        write_person_report(branch, ID_MAN_1985, folder / "x.pdf", kind="letter")
    assert not list(folder.iterdir())


@needs_poppler
def test_form_of_a_full_member_gives_the_party_age_on_its_day(branch: Registry, tmp_path: Path) -> None:
    from registry.services.history import set_setting

    set_setting(branch, "operator", "王书记")
    add_person(branch, name="张卫国", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", managed_from="2011-07-01")
    out = tmp_path / "登记表.pdf"
    write_person_report(branch, ID_MAN_1985, out, on=TODAY)  # 2026-11-24
    text = "".join(pdf_text(out)).replace(" ", "")
    assert "党龄" in text and "15年4个月" in text
    assert "填报人：王书记" in text
