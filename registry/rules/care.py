"""The care network's rules: station types, classes and services as data, 社区 matching, opening and visitor months.

The defaults are the kinds the field reports name (深圳 暖蜂驿站, 武昌 江城蜂巢 一/二/三类, 长沙 红色之家, 奉贤
骑乐融融驿站, 锦江 同心小站 …); a user adds more. Coverage rule: an outlet is covered by the care network when
a station open on the day stands in the same 社区 (names compared by community_key); an outlet without a 社区
cannot be placed and is counted apart (未填社区), never as uncovered.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from registry.rules.text import clean_text

# (type, whether it is graded 一类/二类/三类)
DEFAULT_TYPES: tuple[tuple[str, bool], ...] = (
    ("暖蜂驿站", False), ("江城蜂巢", True), ("红色之家", False), ("爱心驿站", False), ("骑乐融融驿站", False),
    ("同心小站", False), ("户外劳动者服务站", False), ("党群服务中心", False),
)
CLASSES = ("一类", "二类", "三类")
REPORT_SERVICE = "党员报到处"  # a station offering it is a 党员报到点 where flowing members report
DEFAULT_SERVICES: tuple[str, ...] = (
    "饮水", "充电", "休息", "热餐", "微波炉", "应急药品", "图书", "卫生间", "维修工具", "纳凉取暖", "衣物烘干",
    "电瓶车充换电", "积分兑换", "法律援助", "技能培训", "健康服务", REPORT_SERVICE,
)
# Spellings seen on station lists, folded to one service each.
SERVICE_ALIASES: dict[str, str] = {
    "热水": "饮水", "饮用水": "饮水", "喝水": "饮水", "饮水机": "饮水", "手机充电": "充电", "充电宝": "充电",
    "歇脚": "休息", "休息区": "休息", "桌椅": "休息", "热饭": "热餐", "餐食加热": "微波炉", "加热": "微波炉",
    "医药箱": "应急药品", "医药包": "应急药品", "药箱": "应急药品", "急救箱": "应急药品", "书籍报刊": "图书",
    "阅读": "图书", "书报": "图书", "厕所": "卫生间", "如厕": "卫生间", "工具箱": "维修工具", "打气筒": "维修工具",
    "纳凉": "纳凉取暖", "取暖": "纳凉取暖", "空调": "纳凉取暖", "烘干": "衣物烘干", "换电": "电瓶车充换电",
    "充换电": "电瓶车充换电", "党员报到": REPORT_SERVICE, "党员报到点": REPORT_SERVICE, "小哥报到点": REPORT_SERVICE,
}
_SERVICE_SPLIT = re.compile(r"[、，,/;；|\n]+|\s+")
_CLASS_DIGITS = {"1": "一类", "2": "二类", "3": "三类", "一": "一类", "二": "二类", "三": "三类"}
_CLASS_TEXT = re.compile(r"^([123一二三])\s*(?:类|级|星|档|等)?(?:蜂巢|站点|驿站)?$")
_COMMUNITY_SUFFIXES = ("社区居民委员会", "社区居委会", "社区工作站", "居民委员会", "村民委员会", "社区", "居委会",
                       "村委会")
_STREET_SUFFIXES = ("街道办事处", "街道办", "街道", "镇人民政府", "镇政府", "镇")
_SPACES = re.compile(r"[\s\u3000]+")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _key(value: object, suffixes: tuple[str, ...]) -> str:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value) or "")).lower()
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def community_key(value: object) -> str:
    """A 社区 for comparing: 武车社区, 武车 社区 and 武车社区居委会 are one; '' when none is written."""
    return _key(value, _COMMUNITY_SUFFIXES)


def street_key(value: object) -> str:
    """A 街道 for grouping: 沙河街道, 沙河街道办事处 and 沙河 are one; '' when none is written."""
    return _key(value, _STREET_SUFFIXES)


def normalise_class(value: object) -> str | None:
    """一类/二类/三类 from 一类, 1类, 一类蜂巢, 1, 二级 …; None when empty or unreadable."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value) or ""))
    if not text:
        return None
    if text in CLASSES:
        return text
    if text.endswith(".0"):  # a number cell
        text = text[:-2]
    match = _CLASS_TEXT.match(text)
    return _CLASS_DIGITS[match.group(1)] if match else None


def split_services(value: object) -> list[str]:
    """The services written in one cell (饮水、充电，休息/热餐), each folded to its usual name, in order, once each."""
    text = unicodedata.normalize("NFKC", clean_text(value) or "")
    out: list[str] = []
    for part in _SERVICE_SPLIT.split(text):
        part = part.strip("。.")
        if not part:
            continue
        name = SERVICE_ALIASES.get(part, part)
        if name not in out:
            out.append(name)
    return out


def join_services(services: list[str]) -> str | None:
    return "、".join(services) or None


def services_of(stored: str | None) -> list[str]:
    return [s for s in (stored or "").split("、") if s]


def is_open(opened_on: str | None, closed_on: str | None, day: date) -> bool:
    """A station counts on `day` from its opening (unknown: always) until the day before it closed."""
    iso = day.isoformat()
    return (not opened_on or opened_on[:10] <= iso) and (not closed_on or closed_on[:10] > iso)


def visit_months(start: date, end: date) -> list[str]:
    """The months (YYYY-MM) whose visitor counts a report for [start, end] shows: every month it touches.

    Counts are kept per month, so a half-monthly report shows its month's count (labelled as the month's).
    """
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def previous_visit_months(current: list[str], prev_start: date, prev_end: date) -> list[str]:
    """The months to compare with: the previous period's, less those shown now; a half-month's is the month before."""
    months = [m for m in visit_months(prev_start, prev_end) if m not in current]
    if months or not current:
        return months
    year, month = int(current[0][:4]), int(current[0][5:])
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [f"{year:04d}-{month:02d}"]


def parse_month(value: object) -> str | None:
    """YYYY-MM from 2026-11, 2026-1, 2026年11月, 2026.11, 202611; None when it is not a month."""
    text = unicodedata.normalize("NFKC", clean_text(value) or "")
    text = re.sub(r"[年./]", "-", text).rstrip("月")
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    match = MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        return None
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
