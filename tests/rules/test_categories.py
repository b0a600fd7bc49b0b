"""Person categories: canonical values, pipeline order and the spellings found in sheets."""

from __future__ import annotations

import pytest

from registry.rules.categories import (
    CATEGORIES,
    MEMBER_CATEGORIES,
    is_member,
    normalise_category,
    stage_index,
)


def test_pipeline_order() -> None:
    assert CATEGORIES == ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
    assert [stage_index(c) for c in CATEGORIES] == list(range(6))
    assert sorted(MEMBER_CATEGORIES) == sorted({"预备党员", "正式党员"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("正式党员", "正式党员"),
        ("中共党员", "正式党员"),
        ("党员", "正式党员"),
        ("中国共产党党员", "正式党员"),
        ("共产党员", "正式党员"),
        ("中共预备党员", "预备党员"),
        ("预备党员", "预备党员"),
        ("预备", "预备党员"),
        ("积极分子", "入党积极分子"),
        ("入党积极分子", "入党积极分子"),
        ("发展对象", "发展对象"),
        ("入党发展对象", "发展对象"),
        ("递交入党申请书", "入党申请人"),
        ("已递交入党申请书", "入党申请人"),
        ("入党申请人", "入党申请人"),
        ("申请入党", "入党申请人"),
        ("群众", "群众"),
        ("普通群众", "群众"),
        ("共青团员", "群众"),
        ("团员", "群众"),
        ("民革党员", "群众"),
        ("民盟盟员", "群众"),
        ("民建会员", "群众"),
        ("民进会员", "群众"),
        ("农工党党员", "群众"),
        ("致公党党员", "群众"),
        ("九三学社社员", "群众"),
        ("台盟盟员", "群众"),
        ("无党派人士", "群众"),
        ("无", "群众"),
        # padding as sheets have it
        (" 中共党员 ", "正式党员"),
        ("中共\u3000党员", "正式党员"),
        ("中 共 预 备 党 员", "预备党员"),
        ("积极分子\n", "入党积极分子"),
        ("群众。", "群众"),
    ],
)
def test_spellings(raw: str, expected: str) -> None:
    assert normalise_category(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "中共团员", "干部", "党", "1", 1, 3.0, "预备党员/积极分子"])
def test_unknown_or_empty(raw: object) -> None:
    assert normalise_category(raw) is None


@pytest.mark.parametrize("category", CATEGORIES)
def test_canonical_values_map_to_themselves(category: str) -> None:
    assert normalise_category(category) == category


def test_stage_index_rejects_unknown() -> None:
    with pytest.raises(ValueError):
        stage_index("中共党员")


def test_is_member() -> None:
    assert is_member("预备党员") and is_member("正式党员")
    assert not any(is_member(c) for c in ("群众", "入党申请人", "入党积极分子", "发展对象"))
    assert not is_member(None)


def test_qualified_spellings_and_flowing_hint() -> None:
    from registry.rules.categories import flowing_hint

    assert normalise_category("中共党员（预备）") == "预备党员"
    assert normalise_category("预备党员(流动)") == "预备党员" and flowing_hint("预备党员(流动)") is True
    assert normalise_category("流动党员") == "正式党员" and flowing_hint("流动党员") is True
    assert normalise_category("在册党员") == "正式党员" and flowing_hint("在册党员") is False
    assert normalise_category("群众（入党积极分子）") == "入党积极分子"
    assert normalise_category("流动人口") is None
