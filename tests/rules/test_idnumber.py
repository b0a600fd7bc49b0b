"""Identity numbers: the published vectors, the messy ways sheets hold them, and Excel's mangling."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from registry.rules.idnumber import WEIGHTS, IdCheck, check_char, check_id, mask_id, upgrade_15

FAST = settings(max_examples=100, deadline=None, database=None)
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _valid_number(region: str, born: datetime.date, sequence: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + check_char(first17)


regions = st.integers(0, 999_999).map("{:06d}".format)
sequences = st.integers(0, 999).map("{:03d}".format)
births = st.dates(min_value=datetime.date(1850, 1, 1), max_value=datetime.date.today())
valid_numbers = st.builds(_valid_number, regions, births, sequences)


# --- published vectors and the basic algorithm ---------------------------------------------------


def test_weights_and_check_chars() -> None:
    assert len(WEIGHTS) == 17
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"
    with pytest.raises(ValueError):
        check_char("123")


def test_published_vector_with_x() -> None:
    check = check_id("11010519491231002X")
    assert check == IdCheck(True, "11010519491231002X", None, None, datetime.date(1949, 12, 31), "女")


def test_published_vector_born_before_1900_is_accepted() -> None:
    check = check_id("440524188001010014")
    assert check.ok
    assert check.birth_date == datetime.date(1880, 1, 1)
    assert check.gender == "男"


def test_upgrade_15() -> None:
    assert upgrade_15("110105491231002") == "11010519491231002X"
    with pytest.raises(ValueError):
        upgrade_15("11010549123100")


def test_fifteen_digit_number_is_upgraded() -> None:
    check = check_id("110105491231002")
    assert check.ok and check.upgraded
    assert check.number == "11010519491231002X"
    assert check.birth_date == datetime.date(1949, 12, 31)
    assert check.gender == "女"


def test_wrong_check_character_names_the_expected_one() -> None:
    check = check_id("110105194912310021")
    assert not check.ok
    assert check.code == "id_checksum"
    assert check.message == "身份证号校验位不正确（应为X），请核对后重新填写。"
    assert check.number is None and check.birth_date is None and check.gender is None


# --- how sheets hold them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 11010519491231002X ",
        "110105 19491231 002X",
        "1101 0519 4912 3100 2X",
        "110105\u300019491231002X",
        "110105\u00a019491231002X",
        "\t11010519491231002X\n",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "'11010519491231002X",
        '="11010519491231002X"',
        '"11010519491231002X"',
        "11010519491231002X\u200b",
    ],
)
def test_messy_text_normalises(raw: str) -> None:
    check = check_id(raw)
    assert check.ok, check.message
    assert check.number == "11010519491231002X"


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "'"])
def test_missing(raw: object) -> None:
    check = check_id(raw)
    assert not check.ok and check.code == "id_missing"
    assert check.message.endswith("。")


@pytest.mark.parametrize(
    "raw",
    [
        4.20106199312097e17,
        420106199312097000,
        5.10104e17,
        "5.10104E+17",
        "4.20106199312097e+17",
        "4.20106199312097E17",
        "420106199312097000",
        "420106199312097000.0",
        "５．１０１０４Ｅ＋１７",
    ],
)
def test_excel_mangled_numbers_are_rejected_not_repaired(raw: object) -> None:
    check = check_id(raw)
    assert not check.ok
    assert check.code == "id_mangled"
    assert check.number is None
    assert "Excel" in check.message and "文本格式" in check.message


def test_number_ending_000_with_correct_check_char_is_not_mangled() -> None:
    number = "110105199001013000"  # sequence 300 happens to have check character 0
    assert check_char(number[:17]) == "0"
    assert check_id(number).number == number


@pytest.mark.parametrize(
    "raw", [110105491231002, 110105491231002.0, "110105491231002.0", "1.10105491231002E+14"]
)
def test_fifteen_digit_number_cells_are_legitimate(raw: object) -> None:
    check = check_id(raw)
    assert check.ok and check.upgraded, check.message
    assert check.number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("1234", 4),
        ("1101051949123100", 16),
        ("11010519491231002XX", 19),
        (1234567.0, 7),
        ("11010519491231002", 17),
    ],
)
def test_wrong_length(raw: object, length: int) -> None:
    check = check_id(raw)
    assert check.code == "id_format"
    assert check.message == f"身份证号应为18位（或旧式15位），现在是{length}位，请核对。"


@pytest.mark.parametrize(
    "raw",
    [
        "1101051949123100AX",
        "X1010519491231002X",
        "11010519491231002Y",
        "11010549123100X",
        True,
        1.5,
        -5,
        "1E+999",
    ],
)
def test_wrong_shape(raw: object) -> None:
    check = check_id(raw)
    assert not check.ok and check.code == "id_format"


@pytest.mark.parametrize(
    "first17",
    ["11010519491331002", "11010519490230002", "11010518491231002", "11010529991231002", "11010519490001002"],
)
def test_impossible_birth_dates(first17: str) -> None:
    check = check_id(first17 + check_char(first17))
    assert not check.ok and check.code == "id_date"
    assert "出生日期" in check.message


def test_birth_tomorrow_is_rejected_and_today_accepted() -> None:
    today = datetime.date.today()
    assert check_id(_valid_number("110105", today, "001")).ok
    tomorrow = today + datetime.timedelta(days=1)
    assert check_id(_valid_number("110105", tomorrow, "001")).code == "id_date"


def test_invalid_date_in_15_digit_number() -> None:
    assert check_id("110105491331002").code == "id_date"


def test_unknown_or_abolished_region_code_is_accepted() -> None:
    assert check_id(_valid_number("999999", datetime.date(1990, 1, 1), "123")).ok
    assert check_id(_valid_number("000000", datetime.date(1990, 1, 1), "123")).ok


def test_messages_do_not_contain_the_number() -> None:
    # Messages end up in logs and reports; the number itself is sensitive.
    for raw in ("110105194912310021", "420106199312097000", "11010519491331002X", "1234"):
        message = check_id(raw).message
        assert raw not in message


# --- masking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("510104199001011234", "510104********1234"),
        ("11010519491231002X", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("12345", "1***5"),
        ("12", "**"),
        ("", ""),
        (" 510104199001011234 ", "510104********1234"),
    ],
)
def test_mask_id(number: str, masked: str) -> None:
    assert mask_id(number) == masked


# --- properties ----------------------------------------------------------------------------------


@FAST
@given(valid_numbers)
def test_valid_numbers_round_trip(number: str) -> None:
    check = check_id(number)
    assert check.ok, check.message
    assert check.number == number
    assert not check.upgraded
    assert check.birth_date == datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert check.gender == ("男" if int(number[16]) % 2 else "女")


@FAST
@given(valid_numbers, st.data())
def test_variants_normalise_to_the_same_number(number: str, data: st.DataObject) -> None:
    cuts = [0, *sorted(data.draw(st.sets(st.integers(1, 17), max_size=5))), 18]
    spaced = " ".join(number[a:b] for a, b in itertools.pairwise(cuts))
    variants = [
        number.lower(),
        number.translate(FULL_WIDTH),
        f"  {number}\u3000",
        spaced,
        "'" + number,
        f'="{number}"',
    ]
    for variant in variants:
        assert check_id(variant).number == number, variant


@FAST
@given(valid_numbers, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_changing_one_character_always_fails(number: str, position: int, shift: int) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    new = alphabet[(old + shift) % len(alphabet)]
    assume(new != number[position])
    changed = number[:position] + new + number[position + 1 :]
    assert check_char(changed[:17]) != changed[17]
    check = check_id(changed)
    assert not check.ok
    assert check.code in {"id_checksum", "id_date", "id_mangled"}


@FAST
# Real region codes start with 1..8, so real numbers are below 9e17; the whole range is checked anyway.
@given(st.integers(min_value=10**17, max_value=10**18 - 1))
def test_eighteen_digit_numbers_stored_as_numbers_are_always_mangled(n: int) -> None:
    assert check_id(float(n)).code == "id_mangled"
    assert check_id(n).code == "id_mangled"
    assert check_id(f"{float(n):.14E}").code == "id_mangled"


@FAST
@given(
    st.integers(100_000, 999_999).map(str),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)),
    sequences,
)
def test_fifteen_digit_numbers_upgrade(region: str, born: datetime.date, sequence: str) -> None:
    old = f"{region}{born:%y%m%d}{sequence}"
    check = check_id(old)
    assert check.ok and check.upgraded
    assert check.number == upgrade_15(old) == _valid_number(region, born, sequence)
    assert check.birth_date == born
    assert check_id(float(old)).number == check.number
