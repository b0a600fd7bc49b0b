"""党费 by the 2008 rules (中组发〔2008〕3号): the classes of payer, the rate on a monthly base, months and limits.

The rules (《关于中国共产党党费收缴、使用和管理的规定》, 一、党费的收缴):
- 第一条/第二条 按月领取工资的党员: monthly wage after tax; ≤ 3000 元 (含) 0.5 %, 3000–5000 (含 5000) 1 %,
  5000–10000 (含 10000) 1.5 %, > 10000 2 % — each boundary belongs to the lower tier.
- 第三条 年薪制: the month's actual pay, the same tiers. 第四条 不按月取得收入的个体经营者等: the previous quarter's
  average monthly net income, the same tiers. Couriers hired by an outlet are 在职 (wages); riders paid per piece
  without a monthly wage (众包、个体、灵活就业) are nearest to 第四条, so 灵活就业 uses that base and the same tiers.
- 第五条 离退休: the pension actually received; ≤ 5000 元 (含) 0.5 %, > 5000 1 %.
- 第六条 农民党员 0.2–1 元 a month; 学生、下岗失业、依靠抚恤或救济生活、领取当地最低生活保障金的党员 0.2 元.
- 第七条 交纳确有困难的 may pay less or nothing (少交或免交) by the branch's decision approved by the committee above:
  an amount below the rate needs that reason written down. Paying more (自愿多交) is always allowed.
- 第八条 预备党员 pay from the 支部大会 that admitted them. 第九条 a member pays to the branch holding her relationship;
  a flowing member with the 流动党员活动证 may pay where she works. 第十条 a new wage counts from its month.
- 补交 is generally not more than 6 months; 6 months in a row without paying and without good reason = 自行脱党
  (党章第九条), checked by the due list.
The rules say nothing on rounding: an amount is money, rounded half up to the 分.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

RULE_DUES = "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）"
RULE_SIX_MONTHS = "《中国共产党章程》第九条"
CENT = Decimal("0.01")
# How far ahead a member may pay (预交): up to a year beyond the current month. The rules speak of paying monthly
# and of 补交 for at most 6 months; a year ahead covers the usual half-yearly or yearly prepayment of couriers who
# are away for the Spring Festival, and catches a typed year (2062 for 2026).
PREPAY_MONTHS = 12
SIX_MONTHS = 6  # 党章第九条: 连续六个月

PAYS_AT = ("本单位", "原籍党组织")
PAYS_HOME = "原籍党组织"


@dataclass(frozen=True)
class PayerClass:
    """A class of payer: how the monthly amount follows from the base (tiers) or is a flat amount (range)."""

    name: str
    article: str
    tiers: tuple[tuple[Decimal | None, Decimal], ...] = ()  # (upper bound inclusive or None, rate)
    flat: Decimal | None = None  # the amount owed a month when there is no base
    flat_max: Decimal | None = None  # 农民党员: any amount from flat to flat_max is the rate
    base_label: str = ""

    @property
    def needs_base(self) -> bool:
        return bool(self.tiers)


_WAGE = ((Decimal(3000), Decimal("0.005")), (Decimal(5000), Decimal("0.01")), (Decimal(10000), Decimal("0.015")),
         (None, Decimal("0.02")))
_PENSION = ((Decimal(5000), Decimal("0.005")), (None, Decimal("0.01")))
_FLAT = Decimal("0.20")

PAYER_CLASSES: tuple[PayerClass, ...] = (
    PayerClass("在职", "第一条、第二条", _WAGE, base_label="每月工资收入（税后）"),
    PayerClass("灵活就业", "第四条", _WAGE, base_label="上季度月平均纯收入"),
    PayerClass("年薪制", "第三条", _WAGE, base_label="当月实际领取的薪酬收入"),
    PayerClass("离退休", "第五条", _PENSION, base_label="实际领取的离退休费或养老金"),
    PayerClass("农民", "第六条", flat=_FLAT, flat_max=Decimal("1.00")),
    PayerClass("学生", "第六条", flat=_FLAT),
    PayerClass("下岗失业", "第六条", flat=_FLAT),
    PayerClass("抚恤救济", "第六条", flat=_FLAT),
    PayerClass("最低生活保障", "第六条", flat=_FLAT),
)
CLASSES = {c.name: c for c in PAYER_CLASSES}
CLASS_NAMES = tuple(CLASSES)
DEFAULT_CLASS = "在职"


def money(value: object, label: str = "金额") -> Decimal:
    """A sum of money typed by a user or stored ("42", "42.5", "42.50 元"), rounded to the 分; ValueError if not one."""
    text = str(value).strip().replace("元", "").replace(",", "").replace("，", "") if value is not None else ""
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{label}“{value}”不是金额，请填写数字，如 42.00。") from exc
    if not amount.is_finite():
        raise ValueError(f"{label}“{value}”不是金额，请填写数字，如 42.00。")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal | None) -> str:
    """As stored and shown: two places, no unit ("42.00")."""
    return "" if amount is None else _money_text(amount)


@functools.lru_cache(maxsize=4096)
def _money_text(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"  # a year's grid repeats a few amounts many times


def rate_of(payer_class: str, base: Decimal | None) -> Decimal | None:
    """The rate (a fraction) for a base in a tiered class; None for a flat class."""
    cls = CLASSES[payer_class]
    if not cls.tiers:
        return None
    if base is None:
        raise ValueError(f"{payer_class}党员按月收入计算党费，请填写交纳基数。")
    for upper, rate in cls.tiers:
        if upper is None or base <= upper:  # 含: the boundary itself belongs to the lower tier
            return rate
    raise AssertionError("the last tier has no upper bound")


def monthly_amount(payer_class: str, base: Decimal | None) -> Decimal:
    """What the rules ask a month: base × rate rounded half up to the 分, or the class's flat amount."""
    cls = CLASSES[payer_class]
    rate = rate_of(payer_class, base)
    if rate is None:
        return cls.flat or Decimal(0)
    assert base is not None
    return (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_text(payer_class: str, base: Decimal | None) -> str:
    """The rate as a secretary writes it: "1%" or "每月0.20元" (农民 "每月0.20–1.00元")."""
    cls = CLASSES[payer_class]
    rate = rate_of(payer_class, base)
    if rate is not None:
        return f"{(rate * 100).normalize():f}%"
    if cls.flat_max is not None:
        return f"每月{money_text(cls.flat)}–{money_text(cls.flat_max)}元"
    return f"每月{money_text(cls.flat)}元"


def below_rate(payer_class: str, base: Decimal | None, amount: Decimal) -> bool:
    """An agreed amount lower than the rules' rate (少交/免交: needs the branch's reason)."""
    return amount < monthly_amount(payer_class, base)


# Months -----------------------------------------------------------------------------------------------------------

def month_index(month: str) -> int:
    """'2026-03' (or a date in it) as a running month number, for arithmetic."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_index_sql(column: str) -> str:
    """month_index of a 'YYYY-MM…' column, as SQL (the dues pre-filter counts months in the query)."""
    return f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER) - 1)"


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months(first: str, last: str) -> list[str]:
    """Every month from first to last inclusive."""
    return list(_months(first, last))


@functools.lru_cache(maxsize=8192)
def _months(first: str, last: str) -> tuple[str, ...]:
    # Members share their ranges (a base from January, payments by quarter): each range is spelt out once.
    return tuple(month_text(i) for i in range(month_index(first), month_index(last) + 1))


def last_complete_month(today: datetime.date) -> str:
    """Dues are owed month by month: the current month is not owed yet, the one before it is."""
    return month_text(month_index(month_of(today)) - 1)


def prepay_limit(today: datetime.date) -> str:
    """The last month a payment on `today` may cover."""
    return month_text(month_index(month_of(today)) + PREPAY_MONTHS)


def share(total: Decimal, dues: list[Decimal]) -> list[Decimal]:
    """A payment for several months spread over them: in proportion to what each month owes (evenly when nothing is
    owed), to the 分, the last month taking what rounding leaves so that the shares add up to the payment."""
    if not dues:
        return []
    owed = sum(dues, Decimal(0))
    weights = dues if owed > 0 else [Decimal(1)] * len(dues)
    whole = owed if owed > 0 else Decimal(len(dues))
    parts = [(total * w / whole).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


# The six-month rule (党章第九条) -----------------------------------------------------------------------------------

# What a month says about a member's organisational life: attended a meeting of her branch (出席), excused (请假:
# a good reason, so the month is not one "without organisational life"), absent from every meeting held, or unknown
# (her branch recorded no meeting that month: the registry cannot judge).
LIFE_ATTENDED, LIFE_EXCUSED, LIFE_ABSENT, LIFE_UNKNOWN = "出席", "请假", "缺席", "无记录"
# And about her dues: paid (or nothing owed by the branch's decision), unpaid, or unknown (dues not tracked here).
DUES_PAID, DUES_UNPAID, DUES_UNKNOWN = "已交", "未交", "未登记"


@dataclass(frozen=True)
class Run:
    """Consecutive months, first..last."""

    first: str
    last: str

    @property
    def length(self) -> int:
        return month_index(self.last) - month_index(self.first) + 1


def six_month_run(judged: list[tuple[str, str, str]]) -> Run | None:
    """The latest run of at least six consecutive months with neither organisational life nor dues.

    `judged`: (month, life, dues) for consecutive months. 党章第九条 says 或 (either alone for six months, without
    good reason, is 自行脱党); the due list names a member under it only where the registry holds proof of both —
    absent from every meeting her branch held and no dues paid, month after month — because a gap in what was
    recorded is more often a gap in the records than in the member. Dues alone unpaid for six months are on the
    due list as 欠缴 citing the same article. A month that cannot be judged on either count breaks the run.
    """
    found: Run | None = None
    start: str | None = None
    previous: int | None = None
    for month, life, dues in judged:
        index = month_index(month)
        if previous is not None and index != previous + 1:
            start = None
        previous = index
        if life == LIFE_ABSENT and dues == DUES_UNPAID:
            start = start or month
            run = Run(start, month)
            if run.length >= SIX_MONTHS:
                found = run
        else:
            start = None
    return found


def longest_run(months: list[str]) -> Run | None:
    """The latest longest run of consecutive months among `months` (sorted): 补交 beyond six months is the exception,
    six months unpaid in a row without good reason is 自行脱党 (党章第九条)."""
    best: Run | None = None
    start: str | None = None
    previous: int | None = None
    for month in months:
        index = month_index(month)
        start = month if previous is None or index != previous + 1 else start
        previous = index
        run = Run(start or month, month)
        if best is None or run.length >= best.length:
            best = run
    return best
