"""The rules of a branch's organisational life (三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话): periods, who owes what.

Every period and its arithmetic lives here; services read the meetings and the branch's facts and ask these
functions whether a period is met, still running or missed. Articles: 《中国共产党支部工作条例（试行）》(2018),
checked against published quotations (tests/rules/test_articles.py says which and how).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from registry.rules.dates import add_months

TIAOLI = "《中国共产党支部工作条例（试行）》"
# Only branches hold the 三会一课 as a branch: a 党委 or 党总支 is not owed them here.
BRANCH_TYPES: tuple[str, ...] = ("党支部", "联合党支部", "流动党员党支部", "功能型党组织")
MEETING_KINDS: tuple[str, ...] = ("支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会",
                                  "民主评议党员", "谈心谈话")
MEETING_STATUSES: tuple[str, ...] = ("计划", "已召开")
ATTENDANCE: tuple[str, ...] = ("出席", "请假", "缺席")
GRADES: tuple[str, ...] = ("优秀", "合格", "基本合格", "不合格")
COMMITTEE_SETTINGS: tuple[str, ...] = ("自动", "有", "无")
COMMITTEE_MIN_FULL_MEMBERS = 7  # 有正式党员7人以上的党支部，应当设立党支部委员会（条例第六章）
# 党课 a year and the period each is owed in (months); the default is the national minimum, once a year.
LESSONS_PER_YEAR: dict[int, int] = {1: 12, 2: 6, 4: 3, 12: 1}
DEFAULT_LESSONS_PER_YEAR = 1
WINDOW_MONTHS = 12  # the due list looks back this far for missed periods


@dataclass(frozen=True)
class KindRule:
    """How often a kind of meeting is owed, on what condition, and the article saying so."""

    kind: str
    months: int  # the period: 1 month, 3 a quarter, 12 a year (党课: the branch's setting)
    needs: str | None  # "committee": only where the branch has a 支部委员会; "groups": per 党小组; None: always
    article: str


KIND_RULES: tuple[KindRule, ...] = (
    KindRule("支部党员大会", 3, None, f"{TIAOLI}第十一条"),  # 一般每季度召开1次
    KindRule("支部委员会", 1, "committee", f"{TIAOLI}第十二条"),  # 一般每月召开1次
    KindRule("党小组会", 1, "groups", f"{TIAOLI}第十三条"),  # 一般每月召开1次
    KindRule("党课", 12, None, f"{TIAOLI}第十六条"),  # 按时上党课; 书记每年至少讲1次
    KindRule("主题党日", 1, None, f"{TIAOLI}第十六条"),  # 每月相对固定1天开展主题党日
    KindRule("组织生活会", 12, None, f"{TIAOLI}第十七条"),  # 每年至少召开1次
    # Quoted in the 组织生活 chapter without their article numbers in the sources found: cited without one.
    KindRule("民主评议党员", 12, None, TIAOLI),  # 一般每年开展1次
    KindRule("谈心谈话", 12, None, TIAOLI),  # 每年谈心谈话一般不少于1次
)
RULE_BY_KIND = {r.kind: r for r in KIND_RULES}
RULE_COMMITTEE = f"{TIAOLI}（第六章：有正式党员7人以上的党支部应当设立党支部委员会）"


def months_for(kind: str, lessons_per_year: int = DEFAULT_LESSONS_PER_YEAR) -> int:
    """The length in months of the period `kind` is owed in (党课 by the branch's setting)."""
    if kind == "党课":
        return LESSONS_PER_YEAR.get(lessons_per_year, 12)
    return RULE_BY_KIND[kind].months


def has_committee(setting: str | None, full_members: int) -> bool:
    """Whether a branch has a 支部委员会: as recorded (有/无), else by its 正式党员 on the day (自动)."""
    if setting == "有":
        return True
    if setting == "无":
        return False
    return full_members >= COMMITTEE_MIN_FULL_MEMBERS


def period_containing(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The calendar period of `months` (1, 3, 6 or 12, aligned to the year) that contains `day`."""
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    last = add_months(start, months - 1)
    return start, last.replace(day=calendar.monthrange(last.year, last.month)[1])


def periods_between(first: datetime.date, last: datetime.date, months: int) -> list[tuple[datetime.date, datetime.date]]:
    """Every period of `months` that overlaps [first, last], oldest first."""
    out = []
    start, end = period_containing(first, months)
    while start <= last:
        out.append((start, end))
        start = end + datetime.timedelta(days=1)
        end = period_containing(start, months)[1]
    return out


def period_label(start: datetime.date, months: int) -> str:
    """2026年11月 / 2026年第3季度 / 2026年上半年 / 2026年."""
    if months == 1:
        return f"{start.year}年{start.month}月"
    if months == 3:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if months == 6:
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年"


def period_word(months: int) -> str:
    """本月 / 本季度 / 本半年 / 本年: how a running period is spoken of."""
    return {1: "本月", 3: "本季度", 6: "本半年"}.get(months, "本年")


def frequency_label(kind: str, months: int) -> str:
    """每月1次 / 每季度1次 / 每年1次."""
    return {1: "每月1次", 3: "每季度1次", 6: "每半年1次"}.get(months, "每年1次")


# What a period's state is called wherever a secretary reads it (the page, the CLI, the workbooks).
STATE_LABELS = {"gap": "未开", "pending": "待开", "done": "已落实"}


def owed(start: datetime.date, founded_on: datetime.date | None, records_from: datetime.date | None) -> bool:
    """Whether a period starting on `start` is owed: the branch existed (and its records were kept here) for the
    whole of it. A branch founded mid-period is owed the periods after, not that one nor any before."""
    return all(since is None or since <= start for since in (founded_on, records_from))


def records_begin(entered: datetime.date) -> datetime.date:
    """Where a branch's 组织生活 records begin unless the secretary sets another day: the month it was entered
    here. Its meetings before that were never recorded here, so no period before it is reported as missed."""
    return entered.replace(day=1)


def window_start(today: datetime.date) -> datetime.date:
    """The earliest period end the due list still shows a missed period for."""
    return add_months(today.replace(day=1), -WINDOW_MONTHS)


def period_state(held: int, end: datetime.date, today: datetime.date, required: int = 1) -> str:
    """done (held enough), pending (short, but the period is still running) or gap (short, and it is over)."""
    if held >= required:
        return "done"
    return "pending" if end >= today else "gap"


def due_class(state: str, end: datetime.date, today: datetime.date) -> str | None:
    """The due list's class of a period: a gap is overdue; a running one is due this month or next month by its
    end (a year that ends later is not listed yet)."""
    if state == "gap":
        return "overdue"
    if state != "pending":
        return None
    ahead = (end.year * 12 + end.month) - (today.year * 12 + today.month)
    return "this_month" if ahead <= 0 else "next_month" if ahead == 1 else None


def verb(kind: str) -> str:
    """召开 a meeting, 开展 a 主题党日 / 评议 / 谈话, 上 a 党课."""
    return "开展" if kind in ("民主评议党员", "谈心谈话", "主题党日") else "上" if kind == "党课" else "召开"


def gap_label(kind: str, start: datetime.date, months: int, group: str | None = None) -> str:
    """What a missed period says: 2026年第3季度未召开支部党员大会 (党小组会 names the group)."""
    what = f"{group}党小组会" if group else kind
    return f"{period_label(start, months)}未{verb(kind)}{what}"


def pending_label(kind: str, months: int, missing: int = 1, group: str | None = None) -> str:
    """What a running period says: 本月还需开展1次主题党日."""
    what = f"{group}党小组会" if group else kind
    return f"{period_word(months)}还需{verb(kind)}{missing}次{what}"


def done_label(kind: str, start: datetime.date, months: int, held: int, group: str | None = None) -> str:
    """What a period met says: 2026年11月已开展主题党日1次."""
    what = f"{group}党小组会" if group else kind
    return f"{period_label(start, months)}已{verb(kind)}{what}{held}次"


def future_held_refusal(held_on: datetime.date, today: datetime.date) -> str | None:
    """The sentence refusing a meeting recorded as held on a day after today; None when the date is fine."""
    if held_on <= today:
        return None
    return (f"会议日期{held_on.year}年{held_on.month}月{held_on.day}日还没有到，已召开的会议不能晚于今天；"
            "尚未召开的会议请把状态设为“计划”。")
