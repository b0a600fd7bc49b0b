"""Names and text fields: hidden characters removed with a warning, characters outside GBK kept with a warning,
over-long cells a problem of their row."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from registry.rules.text import has_hidden, outside_gbk, remove_hidden
from registry.validation import MAX_CHARS, clean_person

ID = "510104198503154210"


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_every_control_and_format_character_is_hidden() -> None:
    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) in ("Cc", "Cf") and not has_hidden(chr(c))]
    assert missing == []
    assert not has_hidden("张三 Zhang·San 123")


@pytest.mark.parametrize("raw", ["张\u202e三", "\u200b张三", "张\u00ad三", "张\x07三", "\ufeff张三\u2066"])
def test_hidden_characters_are_removed_from_a_name_with_a_warning(raw: str) -> None:
    values, problems = clean_person({"name": raw, "id_number": ID})
    assert values["name"] == "张三"
    assert "hidden_chars" in codes(problems)
    assert all(p.level == "warning" for p in problems)


def test_bidi_override_in_an_address_is_removed() -> None:
    values, problems = clean_person({"name": "张三", "address": "成都市\u202e锦江区\x1b1号"})
    assert values["address"] == "成都市锦江区1号"
    assert "hidden_chars" in codes(problems)


@pytest.mark.parametrize(("raw", "odd"), [("张三😀", "😀"), ("𠮷三", "𠮷"), ("王\u9fa6", "\u9fa6")])
def test_characters_outside_gbk_are_kept_with_a_warning(raw: str, odd: str) -> None:
    values, problems = clean_person({"name": raw, "id_number": ID})
    assert values["name"] == raw
    warning = next(p for p in problems if p.code == "outside_gbk")
    assert odd in warning.message and warning.level == "warning"


def test_ordinary_names_and_texts_have_no_warning() -> None:
    for name in ("张三", "阿依古丽·买买提", "John Smith", "欧阳娜娜"):
        assert clean_person({"name": name})[1] == []
    assert clean_person({"name": "张三", "address": "上海市奉贤区南桥镇 1-2 号", "notes": "ok"})[1] == []


def test_outside_gbk_lists_each_character_once() -> None:
    assert outside_gbk("😀a😀𠮷") == "😀𠮷"
    assert outside_gbk("张三abc") == ""
    assert remove_hidden("a\u200b b\u202e") == "a b"


def test_over_long_name_rejects_the_row_and_long_notes_are_left_out() -> None:
    values, problems = clean_person({"name": "张" * 3_500_000, "id_number": ID})
    assert "name" not in values
    assert [(p.code, p.level) for p in problems] == [("too_long", "error")]
    values, problems = clean_person({"name": "张三", "notes": "备" * (MAX_CHARS["notes"] + 1)})
    assert values["name"] == "张三" and "notes" not in values
    assert [(p.code, p.level) for p in problems] == [("too_long", "warning")]


def test_padding_alone_does_not_make_a_cell_too_long() -> None:
    values, problems = clean_person({"name": "张三" + " " * 500})
    assert values["name"] == "张三" and problems == []
