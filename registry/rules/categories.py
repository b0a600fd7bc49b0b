"""Person categories (人员类别) in pipeline order, and the spreadsheet spellings that mean each."""

from __future__ import annotations

import re
import unicodedata

from registry.rules.memo import memo

CATEGORIES: tuple[str, ...] = ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
MEMBER_CATEGORIES = frozenset({"预备党员", "正式党员"})

# Every spelling seen in census sheets (after removing whitespace), by canonical category.
# The democratic parties, Youth League members and non-party people are all 群众 in this pipeline.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "正式党员": (
        "正式党员", "中共党员", "党员", "中国共产党党员", "共产党员", "中共正式党员", "中国共产党正式党员",
    ),
    "预备党员": ("预备党员", "中共预备党员", "预备", "中国共产党预备党员"),
    "入党积极分子": ("入党积极分子", "积极分子", "中共入党积极分子"),
    "发展对象": ("发展对象", "入党发展对象", "党员发展对象", "确定发展对象"),
    "入党申请人": (
        "入党申请人", "递交入党申请书", "已递交入党申请书", "申请入党", "已申请入党", "递交入党申请",
        "已递交入党申请", "入党申请", "申请入党人", "申请人", "已写入党申请书", "写入党申请书",
    ),
    "群众": (
        "群众", "普通群众", "共青团员", "团员", "青年团员", "无党派人士", "无党派", "无",
        "民革党员", "民革会员", "民革", "民盟盟员", "民盟", "民建会员", "民建", "民进会员", "民进",
        "农工党党员", "农工党", "致公党党员", "致公党", "九三学社社员", "九三学社", "台盟盟员", "台盟",
        "民主党派", "民主党派成员",
    ),
}
_LOOKUP: dict[str, str] = {spelling: canonical for canonical, spellings in _SPELLINGS.items()
                           for spelling in spellings}
_WHITESPACE = re.compile(r"[\s\u200b\ufeff]+")


@memo(4096)
def normalise_category(value: object) -> str | None:
    """The canonical category for a spreadsheet spelling; None when empty or not recognised."""
    if value is None or not isinstance(value, str):
        return None
    key = _WHITESPACE.sub("", unicodedata.normalize("NFKC", value)).rstrip("。.")
    return _LOOKUP.get(key) or _qualified(key)


_BRACKETED = re.compile(r"[(\[【]([^)\]】]*)[)\]】]")


def _qualified(key: str) -> str | None:
    """Spellings with a qualifier: 中共党员(预备), 预备党员(流动), 流动党员, 在册党员, 群众(入党积极分子).

    The most advanced stage named anywhere in the cell wins; 流动 and 在册 say where the membership is
    held (see flowing_hint), not what the person is.
    """
    inner = _BRACKETED.findall(key)
    outer = _BRACKETED.sub("", key)
    found = []
    for part in (outer, *inner):
        bare = part.replace("流动", "").replace("在册", "").replace("外来", "")
        if bare in ("", "的") and part != bare:
            bare = "党员"
        canonical = _LOOKUP.get(bare) or _LOOKUP.get(bare.rstrip("中"))
        if canonical:
            found.append(canonical)
    if not found:
        return None
    if "预备党员" in found or ("正式党员" in found and any("预备" in part for part in inner)):
        return "预备党员"
    return max(found, key=CATEGORIES.index)


def flowing_hint(value: object) -> bool | None:
    """True when a category cell says 流动 (流动党员), False when it says 在册, else None."""
    if not isinstance(value, str):
        return None
    if "流动" in value:
        return True
    if "在册" in value:
        return False
    return None


def stage_index(category: str) -> int:
    """Position of a canonical category in the pipeline (群众 = 0 … 正式党员 = 5)."""
    try:
        return CATEGORIES.index(category)
    except ValueError:
        raise ValueError(f"unknown category: {category!r}") from None


def is_member(category: str | None) -> bool:
    """True for 预备党员 and 正式党员."""
    return category in MEMBER_CATEGORIES
