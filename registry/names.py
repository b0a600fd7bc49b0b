"""Normalised names for matching organisations, outlets and brands as people type them."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[\s\u3000]+")

# Brand spellings seen on census sheets, folded to one key each.
BRAND_ALIASES: dict[str, tuple[str, ...]] = {
    "顺丰": ("顺丰速运", "顺丰快递", "顺丰速递", "顺丰控股", "sf", "sf express"),
    "京东": ("京东物流", "京东快递", "京东速运", "jd"),
    "中通": ("中通快递", "中通速递"),
    "圆通": ("圆通速递", "圆通快递"),
    "申通": ("申通快递",),
    "韵达": ("韵达快递", "韵达速递"),
    "极兔": ("极兔速递", "极兔快递", "j&t", "j&t express", "百世快递(极兔)"),
    "邮政": ("邮政ems", "中国邮政", "ems", "邮政快递", "中国邮政速递物流", "邮政速递"),
    "德邦": ("德邦快递", "德邦物流"),
    "跨越": ("跨越速运",),
    "百世": ("百世快递", "百世汇通"),
    "菜鸟": ("菜鸟驿站", "菜鸟网络"),
    "丰网": ("丰网速运",),
    "天天": ("天天快递",),
    "宅急送": ("宅急送快递",),
}
_BRAND_KEY = {alias: key for key, aliases in BRAND_ALIASES.items() for alias in (key, *aliases)}


def norm_name(value: str) -> str:
    """Case-, width- and space-insensitive form of a name (full-width brackets become ASCII)."""
    text = unicodedata.normalize("NFKC", value or "")
    return _SPACE.sub("", text).lower()


def brand_prefix(outlet: str) -> str | None:
    """The brand an outlet's own name starts with (顺丰速运沙河营业部 -> 顺丰速运), if any."""
    text = norm_name(outlet)
    best = max((alias for alias in _BRAND_KEY if len(alias) >= 2 and text.startswith(alias)), key=len, default=None)
    return outlet.strip()[: len(best)] if best and len(text) > len(best) else None


def brand_key(value: str) -> str:
    key = norm_name(value)
    return _BRAND_KEY.get(key, key)
