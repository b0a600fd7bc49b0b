"""The column-wise fast path gives every cell exactly what the per-cell cleaners give: same values, same problems."""

from __future__ import annotations

import datetime
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from registry.importing.columns import clean_rows
from registry.rules.columns import tidy_ids, tidy_mobiles, tidy_names
from registry.rules.idnumber import check_char, check_id
from registry.rules.phone import check_phone
from registry.validation import clean_person
from tests.importing.conftest import PEOPLE

TODAY = datetime.date.today()


def _id(body17: str) -> str:
    return body17 + check_char(body17)


GOOD = [_id("11010519491231002"), _id("51010419850101123"), _id("32058419920808202"), "65010219900115231X",
        _id("44052418800101001"), _id("11010520000229001")]
# Every spelling of an ID number the import tests use, tidy or not, and the ones a tidy-looking number hides.
MESSY_IDS = [
    *GOOD, "65010219900115231x", " 310120198703154512 ", "３１０１２０１９８７０３１５４５１２", "310120198703154513",
    "510104198501011230", "510104198513011234", "510104190002301234", _id("51010499990101123"),
    _id("51010418490101123"), "5.10104E+17", 5.10104e17, 510104198501011234.0, 510104850101123, 510104850101123.0,
    "510104850101123", "51010485010112", "=\"310120198703154512\"", "'310120198703154512", "420106199312097000.0",
    "", None, True, 0, -1.0, float("nan"), "abc", "31012019870315451", "3101201987031545121", "ＡＢＣ",
    datetime.date(2020, 1, 1), "510104198502291234", _id("51010419000229123"), _id("51010420000229123"),
    "310120198703154512\u200b", "X10120198703154512",
]
MESSY_NAMES = ["张三", "张\u3000三", " 李小红 ", "买买提·艾力", "买买提.艾力", "王\u200b芳", "John Smith", "张三😀", "𠀀明",
               "\uf900明", "赵" * 50, "赵" * 51, "钱" * 60 + " ", "", None, 12.0, "王\n芳", "\u202e王芳", "李〇"]
MESSY_PHONES = ["13816695432", 13816695432.0, 15000002222, "138 1234 5678", "0086-13900001111", "021-57123456转8001",
                "+86 138 1234 5678", "1381669543", 1381669543.0, 13816695432.5, "12816695432", 12816695432.0,
                "13816695432.0", "138166954321", "０２１－５７１２３４５６", True, None, "", "无", 1.9999999999e10,
                "13816695432/13912345678", "手机：13816695432"]
MESSY_DATES = ["1987.03", "1990.1", "1992年8月", "19800101", "2001-07-01", "2010年7月", "2011.07", "", None, 1990.1,
               1990.01, 36526.0, 36526, 19800101.0, datetime.date(1995, 12, 30), datetime.datetime(2025, 3, 8, 0, 0),
               "1990", "2025.13", "abc", "2025-02-30", "　1990-01　", 1.5]
MESSY_CATEGORIES = ["中共党员", "中共预备党员", "群众", "入党积极分子", "递交入党申请书", "流动党员", "预备党员（流动）", "党员",
                    "团员", "", None, "xyz", "正式党员 ", 1.0]
MESSY_TEXT = ["顺丰速运", "顺丰速运南桥营业部", " 网点 1 ", "网点\u200b2", "", None, 7.0, "=cmd", "奉贤区快递行业联合党支部",
              "新疆乌鲁木齐市天山区某社区党支部", "x" * 250, "😀网点"]
MESSY_GENDERS = ["男", "女", "男性", "M", "f", "1", 1.0, "", None, "未知"]
MESSY_BOOLS = ["是", "否", "", None, "Y", 1.0, 0, "待核实", "√"]

KEYS = ("name", "gender", "id_number", "birth_date", "category", "joined_on", "phone", "outlet", "brand", "flowing",
        "home_organization", "reported_on")
CELLS = {"name": MESSY_NAMES, "gender": MESSY_GENDERS, "id_number": MESSY_IDS, "birth_date": MESSY_DATES,
         "category": MESSY_CATEGORIES, "joined_on": MESSY_DATES, "phone": MESSY_PHONES, "outlet": MESSY_TEXT,
         "brand": MESSY_TEXT, "flowing": MESSY_BOOLS, "home_organization": MESSY_TEXT, "reported_on": MESSY_DATES}


def _reference(rows: list[dict[str, object]]) -> list[tuple[dict[str, object], list[object]]]:
    return [clean_person(row, lenient_phone=True) for row in rows]


def _cell(key: str) -> st.SearchStrategy[object]:
    """A cell as a census holds it: mostly a spelling seen in the tests, sometimes anything at all."""
    anything = st.one_of(st.none(), st.text(max_size=25), st.floats(allow_nan=False), st.integers(-10, 10**18),
                         st.booleans(), st.dates())
    if key == "id_number":
        ids = st.builds(lambda d, n: _id(f"{d.year % 10000:04d}"[:0] + f"510104{d:%Y%m%d}{n:03d}"),
                        st.dates(datetime.date(1800, 1, 1), datetime.date(2100, 12, 31)), st.integers(0, 999))
        wrong = st.text(alphabet="0123456789X", min_size=17, max_size=19)
        return st.one_of(st.sampled_from(CELLS[key]), ids, wrong, anything)
    if key == "phone":
        mobiles = st.integers(10**10, 2 * 10**10).flatmap(lambda n: st.sampled_from([str(n), float(n), n]))
        return st.one_of(st.sampled_from(CELLS[key]), mobiles, anything)
    if key == "name":
        han = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=0, max_size=55)
        return st.one_of(st.sampled_from(CELLS[key]), han, anything)
    return st.one_of(st.sampled_from(CELLS[key]), anything)


_ROW = st.fixed_dictionaries({key: _cell(key) for key in KEYS})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, min_size=1, max_size=40), st.integers(0, 3))
@example([{key: values[0] for key, values in CELLS.items()}], 0)
def test_columns_give_what_the_cells_give(rows: list[dict[str, object]], reshape: int) -> None:
    if reshape and len(rows) > reshape:  # a row with a column left out, as to_person may hand one on
        rows[reshape] = {k: v for k, v in rows[reshape].items() if k != "phone"}
    assert clean_rows(rows) == _reference(rows)


def test_every_messy_spelling_column_by_column() -> None:
    """Each spelling of the tests in each column, beside tidy rows (the column pass meets both in one chunk)."""
    for key, values in CELLS.items():
        rows = []
        for value in values:
            row = {k: CELLS[k][0] for k in KEYS}
            row[key] = value
            rows.append(row)
        assert clean_rows(rows) == _reference(rows), key


def test_the_census_fixtures_rows() -> None:
    keys = ("name", "gender", "id_number", "birth_date", "category", "joined_on", "full_on", "home_organization",
            "phone", "outlet")
    rows = [dict(zip(keys, person, strict=True)) for person in PEOPLE]
    assert clean_rows(rows) == _reference(rows)


def test_a_mangled_id_is_still_rejected() -> None:
    """Excel's number for an 18-digit ID (5.10104E+17, as text or as the float calamine gives) never passes."""
    rows = [{"name": "张三", "id_number": v} for v in ("5.10104E+17", 5.10104e17, 510104198501011234.0)]
    for values, problems in clean_rows(rows):
        assert "id_number" not in values
        assert [p.code for p in problems] == ["id_mangled"]


def test_the_column_checks_agree_with_the_rules_cell_by_cell() -> None:
    found = tidy_ids(MESSY_IDS, TODAY)
    for value, hit in zip(MESSY_IDS, found, strict=True):
        if hit is not None:
            check = check_id(value)
            assert check.ok and (check.number, check.birth_date, check.gender) == hit, value
    assert sum(f is not None for f in found) >= len(GOOD)
    for value, number in zip(MESSY_PHONES, tidy_mobiles(MESSY_PHONES), strict=True):
        if number is not None:
            assert check_phone(value).number == number, value
    assert tidy_names(["张三", "张\u3000三", None]) == ["张三", None, None]


def test_check_digits_over_a_large_column() -> None:
    rng = random.Random(5)
    digits = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    bodies = [digits(6) + f"19{rng.randrange(50, 99)}0{rng.randrange(1, 9)}1{rng.randrange(9)}" + digits(3)
              for _ in range(2000)]
    numbers = [b + check_char(b) if i % 3 else b + ("0" if check_char(b) != "0" else "1") for i, b in enumerate(bodies)]
    found = tidy_ids(numbers, TODAY)
    assert [f is not None for f in found] == [check_id(n).ok for n in numbers]


def test_what_the_columns_remember_for_check_id_is_its_own_answer() -> None:
    """The column pass stores its findings in check_id's memo (the rules ask again): they equal the rule's own."""
    check_id.cache_clear()  # type: ignore[attr-defined]
    clean_rows([{"name": "张三", "id_number": v} for v in MESSY_IDS])
    for value in MESSY_IDS:
        assert check_id(value) == check_id.__wrapped__(value), value  # type: ignore[attr-defined]
