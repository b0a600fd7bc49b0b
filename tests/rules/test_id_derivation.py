"""Which birth date and sex an ID number being typed yields: only a complete number yields any (issue 9 §1)."""

from __future__ import annotations

from registry.rules.id_derivation import birth_agrees, conflicts, read_id, save_check

NEW = "31012020090501001X"  # born 2009-05-01, 男; its first 15 digits read as an old number born 1920-09-05
OLD = "110105491231002"  # old 15-digit number: born 1949-12-31, 女


def test_no_prefix_of_an_18_digit_number_yields_anything_while_typing() -> None:
    for n in range(1, 18):
        reading = read_id(NEW[:n], finished=False)
        assert reading.state == "partial", n
        assert reading.derived == {} and "1920" not in reading.message
    done = read_id(NEW, finished=False)
    assert done.state == "complete" and done.derived == {"birth_date": "2009-05-01", "gender": "男"}


def test_fifteen_digits_are_an_old_number_only_once_editing_is_finished() -> None:
    assert read_id(OLD, finished=False).state == "partial"
    assert "15位" in read_id(OLD, finished=False).message
    reading = read_id(OLD, finished=True)
    assert reading.state == "complete" and reading.number == "11010519491231002X"
    assert reading.derived == {"birth_date": "1949-12-31", "gender": "女"} and "旧式" in reading.message


def test_incomplete_or_wrong_numbers_when_finished_say_why() -> None:
    assert read_id("3101202009", finished=True).state == "invalid"
    assert "位" in read_id("3101202009", finished=True).message
    assert read_id("31012020090501001A", finished=False).state == "invalid"
    assert "校验位" in read_id("310120200905010011", finished=False).message
    assert read_id("31012X", finished=False).state == "invalid"  # X only as the last character
    assert read_id("  ", finished=True).state == "empty"
    assert read_id("３１０１２０２００９０５０１００１ｘ", finished=False).state == "complete"


def test_conflicts_between_typed_values_and_the_number() -> None:
    reading = read_id(NEW, finished=True)
    assert conflicts(reading, "2009-05-01", "男") == {}
    assert conflicts(reading, "2009-05", None) == {}  # a month-only birth date of the same month agrees
    assert conflicts(reading, "2009.5", "") == {}
    found = conflicts(reading, "1920-09-05", "女")
    assert set(found) == {"birth_date", "gender"} and "2009年5月1日" in found["birth_date"]
    assert save_check(reading, "2009-05-01", "男") is None
    block = save_check(reading, "1920-09-05", "女")
    assert block is not None and block[0] == "block" and block[1].count("。") == 1  # the rules refuse a wrong sex
    ask = save_check(reading, "1920-09-05", "男")
    assert ask is not None and ask[0] == "ask" and ask[1].count("？") == 1 and "2009年5月1日" in ask[1]
    assert conflicts(read_id(NEW[:15], finished=False), "1999-01-01", "女") == {}
    assert birth_agrees("2009-05-01", "不是日期")  # the date check reports that one
