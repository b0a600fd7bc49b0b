"""Reading dates in every spelling census sheets use, and month-precision arithmetic."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.dates import (
    EXCEL_EPOCH,
    PartialDate,
    add_months,
    months_between,
    parse_date,
    to_iso,
)

FAST = settings(max_examples=100, deadline=None, database=None)
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
partials = st.builds(
    lambda d, month_only: PartialDate(d.year, d.month, None if month_only else d.day), days, st.booleans()
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1990.01", "1990-01"),
        ("1990.1", "1990-01"),
        ("1990.12", "1990-12"),
        ("1990年1月", "1990-01"),
        ("1990年01月", "1990-01"),
        ("1990年1", "1990-01"),
        ("1990年01月15日", "1990-01-15"),
        ("1990年1月15号", "1990-01-15"),
        ("1990-01-15", "1990-01-15"),
        ("1990/1/15", "1990-01-15"),
        ("1990.01.15", "1990-01-15"),
        ("1990-1", "1990-01"),
        ("1990/01", "1990-01"),
        ("19900115", "1990-01-15"),
        ("199001", "1990-01"),
        ("１９９０年１月", "1990-01"),
        ("１９９０．０１．１５", "1990-01-15"),
        ("  1990-01  ", "1990-01"),
        ("\u30001990年 1 月\u3000", "1990-01"),
        ("1990-01-15 00:00:00", "1990-01-15"),
        ("1990-01-15T00:00:00", "1990-01-15"),
        ("'1990-01", "1990-01"),
        ("2024-02-29", "2024-02-29"),
        ("33000", "1990-05-07"),
        ("33000.75", "1990-05-07"),
        ("19900115.0", "1990-01-15"),
    ],
)
def test_text_spellings(raw: str, expected: str) -> None:
    check = parse_date(raw)
    assert check.ok, check.message
    assert str(check.value) == expected
    assert check.code is None and check.message is None and not check.warning


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\t\n"])
def test_empty_is_not_an_error(raw: object) -> None:
    assert parse_date(raw) == (True, None, None, None, False)
    assert to_iso(raw) is None


def test_date_and_datetime_cells_keep_the_day() -> None:
    assert parse_date(datetime.date(1990, 1, 15)).value == PartialDate(1990, 1, 15)
    assert parse_date(datetime.datetime(1990, 1, 15, 13, 30)).value == PartialDate(1990, 1, 15)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (33000, "1990-05-07"),
        (33000.0, "1990-05-07"),
        (36526, "2000-01-01"),
        (45351.5, "2024-02-29"),
        (19900115, "1990-01-15"),
        (19900115.0, "1990-01-15"),
        (199001, "1990-01"),
        (1990.01, "1990-01"),
        (1990.12, "1990-12"),
        (1990.11, "1990-11"),
        (1990.09, "1990-09"),
        (1990.5, "1990-05"),
    ],
)
def test_numbers_from_excel(number: float, expected: str) -> None:
    check = parse_date(number)
    assert check.ok and not check.warning, check.message
    assert str(check.value) == expected


def test_float_1990_1_is_ambiguous_between_january_and_october() -> None:
    check = parse_date(1990.1)
    assert check.ok and check.warning
    assert check.value == PartialDate(1990, 1)
    assert check.code == "date_ambiguous"
    assert "1月" in check.message and "10月" in check.message and "1990-10" in check.message
    # 1990.10 typed into a number cell is the same float
    assert parse_date(1990.10) == check


def test_text_1990_1_is_january_without_warning() -> None:
    # Typed as text the user wrote exactly what they meant.
    assert parse_date("1990.1") == (True, PartialDate(1990, 1), None, None, False)
    assert parse_date("1990.10").value == PartialDate(1990, 10)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1990-13", "date_format"),
        ("1990-00", "date_format"),
        ("1990-02-30", "date_format"),
        ("2023-02-29", "date_format"),
        ("19900230", "date_format"),
        ("199013", "date_format"),
        ("1990.13", "date_format"),
        (1990.13, "date_format"),
        (1990.001, "date_format"),
        ("abc", "date_format"),
        ("90.1", "date_format"),
        ("1990", "date_format"),
        ("1990年", "date_format"),
        (1990, "date_format"),
        ("一九九〇年一月", "date_format"),
        ("1990-01-15-3", "date_format"),
        (12, "date_format"),
        (-5.5, "date_format"),
        (float("nan"), "date_format"),
        (True, "date_format"),
        ("1899-12", "date_range"),
        ("1899-12-31", "date_range"),
        ("2101-01", "date_range"),
        ("21010101", "date_range"),
        (datetime.date(1850, 1, 1), "date_range"),
        (90000, "date_format"),
    ],
)
def test_invalid_dates(raw: object, code: str) -> None:
    check = parse_date(raw)
    assert not check.ok
    assert check.value is None
    assert check.code == code
    assert check.message and check.message.endswith("。")


def test_boundary_years() -> None:
    assert parse_date("1900-01").ok
    assert parse_date("2100-12-31").ok


def test_messages_are_chinese_sentences_naming_the_value() -> None:
    check = parse_date("1990-13")
    assert "1990-13" in check.message and "月份" in check.message
    assert "没有30日" in parse_date("1990-02-30").message
    assert "年份" in parse_date("1899-01").message
    assert "月份" in parse_date("1990").message


def test_to_iso() -> None:
    assert to_iso("1990年1月") == "1990-01"
    assert to_iso(datetime.date(2020, 5, 4)) == "2020-05-04"
    assert to_iso(1990.1) == "1990-01"  # a warning is still a value
    with pytest.raises(ValueError, match="月份"):
        to_iso("1990-13")


# --- PartialDate ---------------------------------------------------------------------------------


def test_partial_date_str_and_iso() -> None:
    assert str(PartialDate(1990, 1)) == "1990-01"
    assert str(PartialDate(1990, 1, 5)) == "1990-01-05"
    assert PartialDate.from_iso("2020-05") == PartialDate(2020, 5)
    assert PartialDate.from_iso("2020-05-10") == PartialDate(2020, 5, 10)
    assert PartialDate(2020, 5).month_only and not PartialDate(2020, 5, 1).month_only


@pytest.mark.parametrize(
    "text", ["2020-5", "2020/05", "2020-05-1", "2020-13", "2020-02-30", "", " 2020-05", "20200510"]
)
def test_from_iso_is_strict(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.from_iso(text)


def test_invalid_partial_dates_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        PartialDate(2020, 13)
    with pytest.raises(ValueError):
        PartialDate(2023, 2, 29)


def test_ordering_puts_month_before_its_days() -> None:
    values = [PartialDate(2020, 5, 1), PartialDate(2020, 4, 30), PartialDate(2020, 5), PartialDate(2019, 12)]
    assert sorted(values) == [PartialDate(2019, 12), PartialDate(2020, 4, 30), PartialDate(2020, 5),
                              PartialDate(2020, 5, 1)]
    assert PartialDate(2020, 5) < PartialDate(2020, 5, 1)
    assert PartialDate(2020, 5) <= PartialDate(2020, 5)
    assert PartialDate(2020, 6) > PartialDate(2020, 5, 31)
    assert PartialDate(2020, 5) != PartialDate(2020, 5, 1)
    assert len({PartialDate(2020, 5), PartialDate(2020, 5)}) == 1


def test_first_and_last_day() -> None:
    assert PartialDate(2024, 2).first_day() == datetime.date(2024, 2, 1)
    assert PartialDate(2024, 2).last_day() == datetime.date(2024, 2, 29)
    assert PartialDate(2023, 2).last_day() == datetime.date(2023, 2, 28)
    day = PartialDate(2024, 2, 10)
    assert day.first_day() == day.last_day() == datetime.date(2024, 2, 10)


def test_add_months_clamps_to_month_end() -> None:
    assert PartialDate(2024, 1, 31).add_months(1) == PartialDate(2024, 2, 29)
    assert PartialDate(2023, 1, 31).add_months(1) == PartialDate(2023, 2, 28)
    assert PartialDate(2024, 2, 29).add_months(12) == PartialDate(2025, 2, 28)
    assert PartialDate(2024, 2, 29).add_years(4) == PartialDate(2028, 2, 29)
    assert PartialDate(2020, 11).add_months(3) == PartialDate(2021, 2)
    assert PartialDate(2020, 1).add_months(-1) == PartialDate(2019, 12)
    assert PartialDate(2020, 3, 31).add_months(-1) == PartialDate(2020, 2, 29)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 12, 15), 1) == datetime.date(2025, 1, 15)


def test_months_between() -> None:
    assert months_between(PartialDate(2020, 5), PartialDate(2021, 5)) == 12
    assert months_between(PartialDate(2020, 5, 20), PartialDate(2021, 5, 19)) == 11
    assert months_between(PartialDate(2020, 5, 20), PartialDate(2021, 5, 20)) == 12
    # month-only on either side compares months only
    assert months_between(PartialDate(2020, 5, 31), PartialDate(2021, 5)) == 12
    assert months_between(PartialDate(2020, 5), PartialDate(2021, 5, 1)) == 12
    # a day clamped to the end of a short month still counts as a whole month
    assert months_between(PartialDate(2024, 1, 31), PartialDate(2024, 2, 29)) == 1
    assert months_between(PartialDate(2024, 1, 31), PartialDate(2024, 2, 28)) == 0
    assert months_between(PartialDate(2021, 5), PartialDate(2020, 5)) == -12
    assert months_between(PartialDate(2020, 3, 10), PartialDate(2020, 2, 15)) == 0
    assert months_between(PartialDate(2020, 3, 10), PartialDate(2020, 1, 10)) == -2


# --- properties ----------------------------------------------------------------------------------


@FAST
@given(partials)
def test_iso_round_trip(value: PartialDate) -> None:
    assert PartialDate.from_iso(str(value)) == value
    assert parse_date(str(value)).value == value


@FAST
@given(days)
def test_every_spelling_of_a_day_reads_the_same(d: datetime.date) -> None:
    expected = PartialDate.from_date(d)
    for text in (f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month}/{d.day}", f"{d:%Y%m%d}",
                 f"{d.year}.{d.month:02d}.{d.day:02d}"):
        assert parse_date(text).value == expected, text


@FAST
@given(st.dates(min_value=EXCEL_EPOCH + datetime.timedelta(days=20000),
                max_value=datetime.date(2100, 12, 31)))
def test_excel_serial_round_trip(d: datetime.date) -> None:
    serial = (d - EXCEL_EPOCH).days
    assert parse_date(serial).value == PartialDate.from_date(d)
    assert parse_date(float(serial) + 0.25).value == PartialDate.from_date(d)


@FAST
@given(partials, st.integers(min_value=-240, max_value=240))
def test_add_months_is_consistent_with_months_between(start: PartialDate, n: int) -> None:
    moved = start.add_months(n)
    assert moved.month_only == start.month_only
    assert months_between(start, moved) == n


@FAST
@given(partials, partials)
def test_ordering_is_total_and_consistent(a: PartialDate, b: PartialDate) -> None:
    assert (a < b) + (a == b) + (a > b) == 1
    assert (a <= b) == (not a > b)
