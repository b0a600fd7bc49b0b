"""Free-text clean-up: names, headers, plain text, formula safety, gender and yes/no cells."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.text import (
    clean_text,
    formula_safe,
    normalise_bool,
    normalise_gender,
    normalise_header,
    normalise_name,
)

FAST = settings(max_examples=100, deadline=None, database=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("张　三", "张三"),
        (" 张三 ", "张三"),
        ("\u3000张 三\u3000", "张三"),
        ("张\u00a0三", "张三"),
        ("张\u200b三", "张三"),
        ("张\t三\n", "张三"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提‧艾力", "买买提·艾力"),
        ("买买提･艾力", "买买提·艾力"),
        ("买买提.艾力", "买买提·艾力"),
        ("买买提．艾力", "买买提·艾力"),
        ("买买提 · 艾力", "买买提·艾力"),
        ("阿卜杜热合曼·买买提·吐尔逊", "阿卜杜热合曼·买买提·吐尔逊"),
        ("John  Smith", "John Smith"),
        ("John\u3000Smith ", "John Smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("J.Smith", "J.Smith"),  # a dot between Latin letters is left alone
        ("李 John", "李John"),
        (123, "123"),
        (123.0, "123"),
        (None, ""),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_name(raw: object, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    "name",
    [
        "\u4e2d\U00020000",  # CJK extension B (outside GBK)
        "王\u3400",  # extension A
        "\U0002a6a5\U0002b81d",
        "李\uf900",  # a compatibility ideograph: NFKC would change it, a name must not change
        "䶮",
        "刘\u4dbe",
        "\U000300ca龑",  # extension G
    ],
)
def test_rare_characters_are_kept(name: str) -> None:
    assert normalise_name(f" {name} ") == name


def test_kangxi_radicals_from_pdf_copies_become_ordinary_characters() -> None:
    assert normalise_name("\u2f08\u2f00") == "人一"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("姓　名", "姓名"),
        ("姓 名", "姓名"),
        (" 身份证号 ", "身份证号"),
        ("身份证号（18位）", "身份证号(18位)"),
        ("*姓名", "姓名"),
        ("＊姓名", "姓名"),
        ("※联系电话", "联系电话"),
        ("入党时间：", "入党时间"),
        ("入党时间:", "入党时间"),
        ("出生\n年月", "出生年月"),
        ("出生\r\n年月", "出生年月"),
        ("延长预备期（月）", "延长预备期(月)"),
        ("ID", "id"),
        ("Ｎａｍｅ", "name"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_normalise_header(raw: object, expected: str) -> None:
    assert normalise_header(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  顺丰  速运  ", "顺丰 速运"),
        ("a\u3000\u3000b", "a b"),
        ("a\nb", "a b"),
        ("", None),
        ("  ", None),
        (None, None),
        (3.0, "3"),
        (3.5, "3.5"),
        (42, "42"),
        ("=1+1", "=1+1"),
    ],
)
def test_clean_text(raw: object, expected: str | None) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1)", False),
        ("+86", False),
        ("-1", False),
        ("@cmd", False),
        ("\tx", False),
        ("\rx", False),
        ("张三", True),
        ("a=b", True),
        (" =1", True),
        ("", True),
        ("13812345678", True),
    ],
)
def test_formula_safe(text: str, safe: bool) -> None:
    assert formula_safe(text) is safe


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("男", "男"),
        (" 男 ", "男"),
        ("男性", "男"),
        ("M", "男"),
        ("m", "男"),
        ("Male", "男"),
        ("女", "女"),
        ("女性", "女"),
        ("F", "女"),
        ("female", "女"),
        ("ＦＥＭＡＬＥ", "女"),
        ("1", None),
        ("2", None),
        (1, None),
        (2, None),
        (None, None),
        ("", None),
        ("未知", None),
    ],
)
def test_normalise_gender(raw: object, expected: str | None) -> None:
    assert normalise_gender(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("Y", True),
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        ("√", True),
        ("✓", True),
        (" 是 ", True),
        (1, True),
        (1.0, True),
        (True, True),
        ("否", False),
        ("N", False),
        ("no", False),
        ("false", False),
        ("0", False),
        ("×", False),
        (0, False),
        (False, False),
        (None, None),
        ("", None),
        ("   ", None),
        ("不详", None),
        (2, None),
    ],
)
def test_normalise_bool(raw: object, expected: bool | None) -> None:
    assert normalise_bool(raw) is expected


@FAST
@given(st.text())
def test_names_are_idempotent_and_never_padded(raw: str) -> None:
    name = normalise_name(raw)
    assert normalise_name(name) == name
    assert name == name.strip()
    assert "\u3000" not in name and "  " not in name


@FAST
@given(st.text())
def test_clean_text_is_idempotent(raw: str) -> None:
    cleaned = clean_text(raw)
    assert cleaned is None or (clean_text(cleaned) == cleaned and cleaned == cleaned.strip())
