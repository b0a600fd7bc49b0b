"""党费 rates by the 2008 rules: each tier's boundary belongs to the lower tier; flat classes; rounding to the 分."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registry.rules import dues as rules


@pytest.mark.parametrize(("base", "amount"), [
    ("2999.99", "15.00"), ("3000", "15.00"), ("3000.01", "30.00"), ("4200", "42.00"), ("5000", "50.00"),
    ("5000.01", "75.00"), ("10000", "150.00"), ("10000.01", "200.00"), ("12345", "246.90"),
])
def test_wages_after_tax_by_tier(base: str, amount: str) -> None:
    assert rules.money_text(rules.monthly_amount("在职", Decimal(base))) == amount


def test_the_flexible_and_salaried_classes_use_the_wage_tiers() -> None:
    for cls in ("灵活就业", "年薪制"):
        assert rules.monthly_amount(cls, Decimal(3000)) == Decimal("15.00")
        assert rules.monthly_amount(cls, Decimal(6000)) == Decimal("90.00")


@pytest.mark.parametrize(("base", "amount"), [("5000", "25.00"), ("5000.01", "50.00"), ("3200", "16.00")])
def test_pensions_by_tier(base: str, amount: str) -> None:
    assert rules.money_text(rules.monthly_amount("离退休", Decimal(base))) == amount


def test_flat_amounts() -> None:
    for cls in ("学生", "下岗失业", "抚恤救济", "最低生活保障", "农民"):
        assert rules.monthly_amount(cls, None) == Decimal("0.20")
    assert rules.rate_text("农民", None) == "每月0.20–1.00元"
    assert rules.rate_text("在职", Decimal(4200)) == "1%"
    assert rules.rate_text("在职", Decimal(6000)) == "1.5%"


def test_rounding_is_half_up_to_the_fen() -> None:
    assert rules.monthly_amount("在职", Decimal("2345.10")) == Decimal("11.73")  # 11.7255
    assert rules.monthly_amount("在职", Decimal("2345.00")) == Decimal("11.73")  # 11.725 → up, not to even


def test_a_tiered_class_needs_a_base() -> None:
    with pytest.raises(ValueError, match="交纳基数"):
        rules.monthly_amount("在职", None)


def test_money_reads_what_users_type() -> None:
    assert rules.money("42") == Decimal("42.00")
    assert rules.money("1,234.5 元") == Decimal("1234.50")
    with pytest.raises(ValueError, match="不是金额"):
        rules.money("四十二")


def test_a_payment_is_spread_over_its_months() -> None:
    shares = rules.share(Decimal("100.00"), [Decimal("42.00")] * 3)
    assert sum(shares) == Decimal("100.00") and shares[0] == Decimal("33.33")
    assert rules.share(Decimal("1.00"), [Decimal(0)] * 3) == [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]


def test_six_months_need_both_missing_and_unbroken() -> None:
    months = rules.months("2026-01", "2026-06")
    both = [(m, rules.LIFE_ABSENT, rules.DUES_UNPAID) for m in months]
    assert rules.six_month_run(both) == rules.Run("2026-01", "2026-06")
    assert rules.six_month_run(both[:5]) is None
    only_life = [(m, rules.LIFE_ABSENT, rules.DUES_PAID if m == "2026-03" else rules.DUES_UNPAID) for m in months]
    assert rules.six_month_run(only_life) is None
    excused = [(m, rules.LIFE_EXCUSED if m == "2026-04" else rules.LIFE_ABSENT, rules.DUES_UNPAID) for m in months]
    assert rules.six_month_run(excused) is None
    unknown = [(m, rules.LIFE_UNKNOWN if m == "2026-02" else rules.LIFE_ABSENT, rules.DUES_UNPAID) for m in months]
    assert rules.six_month_run(unknown) is None
    gap = both[:3] + both[4:]  # a month missing from the list is not consecutive
    assert rules.six_month_run(gap) is None


def test_months_and_limits() -> None:
    import datetime

    assert rules.months("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert rules.last_complete_month(datetime.date(2026, 1, 15)) == "2025-12"
    assert rules.prepay_limit(datetime.date(2026, 1, 15)) == "2027-01"
