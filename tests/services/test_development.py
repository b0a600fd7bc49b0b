"""Advancing through the pipeline with the dated rules enforced."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.development import advance_stage, correct_stage, extend_probation, record_talk
from registry.services.people import add_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_2000


@pytest.fixture
def applicant(branch: Registry) -> Registry:
    add_person(branch, name="钱七", id_number=ID_MAN_2000, outlet="沙河网点")
    advance_stage(branch, ID_MAN_2000, "入党申请人", "2020-03-01")
    return branch


def test_full_pipeline(applicant: Registry) -> None:
    record_talk(applicant, ID_MAN_2000, "2020-03-20")
    advance_stage(applicant, ID_MAN_2000, "积极分子", "2020-06-01", contacts="张三、李四")
    advance_stage(applicant, ID_MAN_2000, "发展对象", "2021-07-01", introducers="张三、李四")
    advance_stage(applicant, ID_MAN_2000, "预备党员", "2021-12-01")
    advance_stage(applicant, ID_MAN_2000, "正式党员", "2022-12-01")
    p = get_person(applicant, ID_MAN_2000)
    assert (p["category"], p["joined_on"], p["full_on"], p["contacts"]) == ("正式党员", "2021-12-01", "2022-12-01",
                                                                            "张三、李四")
    assert p["warnings"] == []


def test_cannot_skip_a_stage(applicant: Registry) -> None:
    with pytest.raises(UserError, match="下一阶段应为入党积极分子"):
        advance_stage(applicant, ID_MAN_2000, "发展对象", "2021-07-01", introducers="甲、乙")


def test_target_needs_a_year_as_activist(applicant: Registry) -> None:
    advance_stage(applicant, ID_MAN_2000, "入党积极分子", "2020-06-01")
    with pytest.raises(UserError, match="一年"):
        advance_stage(applicant, ID_MAN_2000, "发展对象", "2021-03-01", introducers="甲、乙")
    with pytest.raises(UserError, match="介绍人"):
        advance_stage(applicant, ID_MAN_2000, "发展对象", "2021-07-01")
    assert get_person(applicant, ID_MAN_2000)["category"] == "入党积极分子"


def test_under_18_applicant_refused(branch: Registry) -> None:
    add_person(branch, name="少年", id_number="110105201001010010")
    with pytest.raises(UserError, match="18"):
        advance_stage(branch, "110105201001010010", "入党申请人", "2026-01-01")


def test_stage_dates_in_order(applicant: Registry) -> None:
    with pytest.raises(UserError):
        advance_stage(applicant, ID_MAN_2000, "入党积极分子", "2020-01-01")


def test_extension_once_6_to_12_months(applicant: Registry) -> None:
    add_person(applicant, name="孙八", id_number="11010519491231002X", category="预备党员", joined_on="2024-06-01")
    with pytest.raises(UserError, match="6至12"):
        extend_probation(applicant, "11010519491231002X", 3)
    extend_probation(applicant, "11010519491231002X", 6)
    with pytest.raises(UserError, match="只能延长一次"):
        extend_probation(applicant, "11010519491231002X", 6)
    with pytest.raises(UserError, match="一年|预备期"):
        advance_stage(applicant, "11010519491231002X", "正式党员", "2025-06-01")
    advance_stage(applicant, "11010519491231002X", "正式党员", "2025-12-01")


def test_correct_stage_only_stage_fields(applicant: Registry) -> None:
    with pytest.raises(UserError, match="只能更正"):
        correct_stage(applicant, ID_MAN_2000, phone="13800138000")
