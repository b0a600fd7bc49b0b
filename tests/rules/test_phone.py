"""Phone numbers as typed in census sheets: prefixes, separators, number cells, landlines, extensions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.phone import PhoneCheck, check_phone

FAST = settings(max_examples=100, deadline=None, database=None)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 13812345678 ",
        "138 1234 5678",
        "138-1234-5678",
        "138.1234.5678",
        "(138)12345678",
        "１３８１２３４５６７８",
        "１３８　１２３４　５６７８",
        "+86 138 1234 5678",
        "+86-13812345678",
        "+8613812345678",
        "(+86)13812345678",
        "＋８６ １３８１２３４５６７８",
        "008613812345678",
        "0086 138 1234 5678",
        "8613812345678",
        "86 13812345678",
        13812345678,
        13812345678.0,
        "13812345678.0",
        "手机：13812345678",
        "电话:13812345678",
    ],
)
def test_mobile_spellings(raw: object) -> None:
    assert check_phone(raw) == PhoneCheck(True, "13812345678", "mobile", None, None)


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_mobile_prefixes(prefix: str) -> None:
    assert check_phone(prefix + "912345678").kind == "mobile"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("021-12345678", "021-12345678"),
        ("02112345678", "021-12345678"),
        ("021 1234 5678", "021-12345678"),
        ("(021)12345678", "021-12345678"),
        ("（０２１）１２３４５６７８", "021-12345678"),
        ("010-65521234", "010-65521234"),
        ("0755-1234567", "0755-1234567"),
        ("0755-12345678", "0755-12345678"),
        ("075512345678", "0755-12345678"),
        ("07551234567", "0755-1234567"),
        ("0755—12345678", "0755-12345678"),
        ("0755-1234567转123", "0755-1234567转123"),
        ("0755-1234567 转 123", "0755-1234567转123"),
        ("0755-1234567-123", "0755-1234567转123"),
        ("0755 1234567 分机 88", "0755-1234567转88"),
        ("021-12345678 ext. 5", "021-12345678转5"),
        ("021-12345678EXT5", "021-12345678转5"),
        ("0571-87654321x12", "0571-87654321转12"),
        ("+86 21 12345678", "021-12345678"),
        ("+86 (0)21 1234 5678", "021-12345678"),
        ("0086-755-12345678", "0755-12345678"),
        (2112345678, None),  # a number cell drops the leading 0 of the area code
    ],
)
def test_landlines(raw: object, expected: str | None) -> None:
    check = check_phone(raw)
    if expected is None:
        assert not check.ok
    else:
        assert check == PhoneCheck(True, expected, "landline", None, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678/13912345678", "13812345678"),
        ("13812345678，13912345678", "13812345678"),
        ("13812345678;13912345678", "13812345678"),
        ("13812345678；13912345678", "13812345678"),
        ("13812345678、13912345678", "13812345678"),
        ("13812345678 13912345678", "13812345678"),
        ("13812345678\n13912345678", "13812345678"),
        ("13812345678或13912345678", "13812345678"),
        ("021-12345678/13812345678", "021-12345678"),
        ("无/13912345678", "13912345678"),  # the first valid one wins
        ("1381234567/13912345678", "13912345678"),
    ],
)
def test_several_numbers_keep_the_first_valid(raw: str, expected: str) -> None:
    check = check_phone(raw)
    assert check.ok and check.number == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_empty_is_not_an_error(raw: object) -> None:
    assert check_phone(raw) == PhoneCheck(True, None, None, None, None)


@pytest.mark.parametrize(
    "raw",
    [
        "1381234567",
        "138123456789",
        "23812345678",
        "12812345678",
        "12345678",  # landline without area code
        "0755-123456",
        "0755-123456789",
        "021-02345678",
        "+1 415 555 0100",
        "13812345678转1",
        "无",
        "不详",
        "abc",
        "/",
        1.5,
        1381234567.8,
        True,
        "1381234567８x",
    ],
)
def test_invalid(raw: object) -> None:
    check = check_phone(raw)
    assert not check.ok
    assert check.number is None and check.kind is None
    assert check.code == "phone_format"
    assert check.message and "手机号" in check.message and check.message.endswith("。")


def test_message_names_the_value() -> None:
    assert "12345" in check_phone("12345").message


@FAST
@given(
    st.integers(13_000_000_000, 19_999_999_999).map(str),
    st.sampled_from(["", "+86", "0086", "86", "+86 "]),
    st.sampled_from(["", " ", "-"]),
)
def test_any_mobile_with_any_prefix_and_separator(mobile: str, prefix: str, sep: str) -> None:
    raw = prefix + sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert check_phone(raw).number == mobile
    assert check_phone(int(mobile)).number == mobile
    assert check_phone(float(mobile)).number == mobile


@FAST
@given(
    st.sampled_from(["010", "021", "029", "0755", "0571", "0898"]),
    st.integers(2_000_000, 99_999_999).map(str),
    st.sampled_from(["", "-", " "]),
)
def test_any_landline(area: str, local: str, sep: str) -> None:
    assert check_phone(f"{area}{sep}{local}").number == f"{area}-{local}"
    assert check_phone(f"({area}){local}转8001").number == f"{area}-{local}转8001"
