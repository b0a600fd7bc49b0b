"""Tests for registry.sorting: stroke counts, pinyin, 姓氏笔画 and pinyin sort keys."""

from __future__ import annotations

import importlib.util
import random
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry import sorting
from registry.sorting import pinyin, pinyin_key, stroke_count, stroke_key, surname_length

ROOT = Path(__file__).resolve().parent.parent
UNIHAN = Path("/usr/share/unicode")


def shuffled_sort(names: list[str], key: object) -> list[str]:
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    return sorted(shuffled, key=key)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ch", "count"),
    [
        ("一", 1), ("丁", 2), ("上", 3), ("王", 4), ("石", 5), ("刘", 6), ("李", 7), ("张", 7),
        ("陈", 7), ("官", 8), ("赵", 9), ("黄", 11), ("曾", 12), ("張", 11), ("陳", 10), ("龘", 48),
        ("㐀", 5), ("𠀀", 2),
    ],
)  # fmt: skip
def test_stroke_count_known(ch: str, count: int) -> None:
    assert stroke_count(ch) == count


@pytest.mark.parametrize("value", ["", "a", "1", "·", " ", "王芳", "😀", "\u4dc0"])
def test_stroke_count_unknown_is_none(value: str) -> None:
    assert stroke_count(value) is None


@pytest.mark.parametrize(
    ("ch", "reading"),
    [("张", "zhang1"), ("王", "wang2"), ("李", "li3"), ("赵", "zhao4"), ("的", "de5"), ("绿", "lv4"),
     ("略", "lve4"), ("单", "dan1"), ("曾", "ceng2")],
)  # fmt: skip
def test_pinyin(ch: str, reading: str) -> None:
    assert pinyin(ch) == reading


def test_pinyin_unknown_is_none() -> None:
    assert pinyin("a") is None
    assert pinyin("") is None
    assert pinyin("张三") is None


def test_stroke_order_of_a_roster() -> None:
    expected = [
        "丁一", "丁伟", "王一", "王小明", "王芳", "石磊", "刘洋",
        # 7 strokes each: by the first strokes 横竖撇点折 — 李 starts 横, 张 横折·横, 陈 横折·竖
        "李娜", "李强", "张伟", "陈静", "赵敏", "黄磊", "曾国藩",
    ]  # fmt: skip
    assert shuffled_sort(expected, stroke_key) == expected


def test_stroke_order_compares_surname_before_given_name() -> None:
    # 王 (4) before 石 (5) even though 王's given name has many more strokes.
    assert stroke_key("王耀耀") < stroke_key("石一")
    # Shorter name with the same prefix first.
    assert stroke_key("王") < stroke_key("王一") < stroke_key("王一一")


def test_same_surname_groups_together() -> None:
    # 张 and 李 both have 7 strokes: every 李 sorts before every 张, never interleaved.
    names = ["张一", "李鑫鑫", "张耀", "李一", "陈默"]
    assert shuffled_sort(names, stroke_key) == ["李一", "李鑫鑫", "张一", "张耀", "陈默"]


@pytest.mark.parametrize(
    ("name", "length"),
    [
        ("欧阳修", 2), ("上官婉儿", 2), ("司马光", 2), ("诸葛亮", 2), ("万俟卨", 2), ("尉迟恭", 2),
        ("长孙无忌", 2), ("歐陽修", 2), ("  东方 明", 2), ("欧阳", 1), ("王芳", 1), ("欧明", 1),
        ("阿不都·热合曼", 1), ("Anna", 1), ("", 0), ("   ", 0),
    ],
)  # fmt: skip
def test_surname_length(name: str, length: int) -> None:
    assert surname_length(name) == length


def test_compound_surname_stroke_key() -> None:
    key = stroke_key("上官婉儿")
    assert key[:5] == "03211"  # 上: 3 strokes, 竖横横
    官 = 15 + 3  # the 上 block: count, 3 stroke classes, pinyin, code point
    assert key[官:官 + 2] == "08"  # 官, still part of the surname
    assert key[官 + 15 + 8] == sorting.SURNAME_END


def test_compound_surname_sorts_after_single_surname_prefix() -> None:
    # 欧 people form one group, then 欧阳 people, whatever their given names.
    names = ["欧阳一", "欧耀", "欧阳娜娜", "欧明", "周一"]
    assert shuffled_sort(names, stroke_key) == ["欧明", "欧耀", "欧阳一", "欧阳娜娜", "周一"]
    assert shuffled_sort(names, pinyin_key) == ["欧明", "欧耀", "欧阳娜娜", "欧阳一", "周一"]


def test_pinyin_order() -> None:
    expected = ["安然", "陈静", "丁一", "黄磊", "李娜", "刘洋", "石磊", "王芳", "张伟", "赵敏"]
    assert shuffled_sort(expected, pinyin_key) == expected


def test_polyphone_surnames_in_pinyin_order() -> None:
    # 单 reads shan as a surname: after 沙 (sha), before 尚 (shang); not next to 丹 (dan).
    assert shuffled_sort(["尚可", "丹丹", "单雄信", "沙僧", "杜甫"], pinyin_key) == [
        "丹丹", "杜甫", "沙僧", "单雄信", "尚可",
    ]  # fmt: skip
    # 曾 reads zeng: after 臧 (zang), before 张 (zhang); not next to 岑 (cen).
    assert shuffled_sort(["张三", "曾国藩", "岑参", "臧克家", "蔡文"], pinyin_key) == [
        "蔡文", "岑参", "臧克家", "曾国藩", "张三",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("单雄信", "shan4"), ("曾国藩", "zeng1"), ("解缙", "xie4"), ("仇英", "qiu2"), ("朴槿惠", "piao2"),
        ("查良镛", "zha1"), ("区小红", "ou1"), ("盖叫天", "ge3"), ("乐毅", "yue4"), ("覃明", "qin2"),
        ("翟志刚", "zhai2"), ("缪斯", "miao4"), ("繁钦", "po2"), ("召明", "shao4"), ("任我行", "ren2"),
        ("华佗", "hua4"), ("沈括", "shen3"), ("秘书", "bi4"), ("重明", "chong2"), ("种师道", "chong2"),
        ("尉迟恭", "yu4"), ("长孙无忌", "zhang3"), ("万俟卨", "mo4"), ("尉缭", "wei4"), ("万明", "wan4"),
    ],
)  # fmt: skip
def test_surname_reading_in_pinyin_key(name: str, reading: str) -> None:
    assert pinyin_key(name).startswith(reading.ljust(sorting.PINYIN_WIDTH, sorting.PINYIN_PAD))


def test_compound_surname_second_char_reading() -> None:
    assert pinyin_key("万俟卨")[15:22] == "qi2____"
    assert pinyin_key("澹台灭明")[:7] == "tan2___"


def test_polyphone_override_only_on_surname() -> None:
    key = pinyin_key("李单")
    assert "dan1" in key
    assert "shan4" not in key
    assert "zeng1" not in pinyin_key("王曾")


def test_whitespace_and_compatibility_forms_ignored() -> None:
    assert stroke_key("王　芳") == stroke_key("王芳") == stroke_key(" 王 芳\t")
    assert pinyin_key("王　芳") == pinyin_key("王芳")
    assert stroke_key("\u2f00二") == stroke_key("一二")  # Kangxi radical one -> 一


def test_non_cjk_sorts_after_cjk_at_same_position() -> None:
    names = ["张A", "张三", "Anna", "张", "阿不都·热合曼", "王3"]
    ordered = shuffled_sort(names, stroke_key)
    assert ordered == ["王3", "张", "张三", "张A", "阿不都·热合曼", "Anna"]  # 张 横折… before 阿 横折·竖…
    ordered = shuffled_sort(names, pinyin_key)
    assert ordered.index("张三") < ordered.index("张A")
    assert ordered[-1] == "Anna"


def test_empty_names_sort_last() -> None:
    names = ["", "Anna", "   ", "王芳", "😀", "𠇔明", "龘"]
    for key in (stroke_key, pinyin_key):
        ordered = shuffled_sort(names, key)
        assert ordered[-2:] == ["", "   "] or ordered[-2:] == ["   ", ""]
        assert key("") == key("   ")


def test_keys_are_deterministic_and_distinct() -> None:
    # Different characters with the same strokes and pinyin still get different keys.
    assert stroke_key("张三") != stroke_key("張三")
    assert pinyin_key("张三") != pinyin_key("章三")
    assert stroke_key("张三") == stroke_key("张三")


@given(st.text(max_size=12))
def test_keys_never_crash_and_are_ascii(name: str) -> None:
    for key in (stroke_key(name), pinyin_key(name)):
        assert isinstance(key, str)
        assert key.isascii()
        assert key


def test_keys_sort_the_same_in_sqlite() -> None:
    names = ["丁一", "王芳", "石磊", "刘洋", "李娜", "张伟", "陈静", "赵敏", "黄磊", "欧阳娜娜", "欧明",
             "上官婉儿", "单雄信", "曾国藩", "Anna", "", "阿不都·热合曼", "𠇔明", "王3"]  # fmt: skip
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE people (name TEXT, sort_stroke TEXT, sort_pinyin TEXT)")
    db.execute("CREATE INDEX people_stroke ON people(sort_stroke)")
    db.execute("CREATE INDEX people_pinyin ON people(sort_pinyin)")
    db.executemany("INSERT INTO people VALUES (?, ?, ?)", [(n, stroke_key(n), pinyin_key(n)) for n in names])
    by_stroke = [r[0] for r in db.execute("SELECT name FROM people ORDER BY sort_stroke")]
    by_pinyin = [r[0] for r in db.execute("SELECT name FROM people ORDER BY sort_pinyin")]
    db.close()
    assert by_stroke == sorted(names, key=stroke_key)
    assert by_pinyin == sorted(names, key=pinyin_key)


def test_data_file_is_package_data() -> None:
    data = resources.files("registry").joinpath(sorting.DATA_FILE)
    assert data.is_file()
    raw = data.read_bytes()
    assert raw.isascii()
    assert len(raw) < 400_000


def _load_build_script() -> object:
    spec = importlib.util.spec_from_file_location(
        "build_hanzi_data", ROOT / "scripts" / "build_hanzi_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("zhāng", "zhang1"), ("wáng", "wang2"), ("lǐ", "li3"), ("zhào", "zhao4"), ("de", "de5"),
     ("lǜ", "lv4"), ("lüè", "lve4")],
)  # fmt: skip
def test_build_script_tone_numbers(reading: str, expected: str) -> None:
    assert _load_build_script().tone_number(reading) == expected  # type: ignore[attr-defined]


@pytest.mark.skipif(
    not (UNIHAN / "Unihan_IRGSources.txt.bz2").exists() or not (UNIHAN / "Unihan_Readings.txt.bz2").exists(),
    reason="Debian unicode-data (Unihan) not installed",
)
def test_data_file_matches_generator() -> None:
    script = _load_build_script()
    text = script.build(UNIHAN / "Unihan_IRGSources.txt.bz2", UNIHAN / "Unihan_Readings.txt.bz2")  # type: ignore[attr-defined]
    assert (ROOT / "registry" / "data" / "hanzi.txt").read_text(encoding="utf-8") == text


def test_official_order_of_seven_stroke_surnames() -> None:
    # Same count (7): by the strokes in writing order 横竖撇点折 — 杜 李 (横…) 吴 (竖) 何 (撇) 宋 (点) 张 陈 (折).
    names = ["陈一", "宋一", "何一", "吴一", "李一", "张一", "杜一"]
    assert shuffled_sort(names, stroke_key) == ["杜一", "李一", "吴一", "何一", "宋一", "张一", "陈一"]
