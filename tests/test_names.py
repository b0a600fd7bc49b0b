"""Name matching for organisations, outlets and brands."""

from __future__ import annotations

from registry.names import brand_key, brand_prefix, norm_name


def test_norm_name_ignores_width_and_spaces() -> None:
    assert norm_name(" 城南　快递（联合）党支部 ") == norm_name("城南快递(联合)党支部")


def test_brand_aliases() -> None:
    assert brand_key("顺丰速运") == brand_key("顺丰") == brand_key("SF")
    assert brand_key("极兔速递") == brand_key("J&T") and brand_key("中通快递") != brand_key("圆通速递")


def test_brand_prefix_of_outlet_names() -> None:
    assert brand_prefix("顺丰速运沙河营业部") == "顺丰速运"
    assert brand_prefix("京东物流福田营业部") == "京东物流"
    assert brand_prefix("沙河网点") is None and brand_prefix("中通") is None
