"""Clean-up of free-text cells: names, headers, plain text, gender and yes/no answers."""

from __future__ import annotations

import math
import re
import unicodedata

from registry.rules.memo import memo

# Compatibility ideographs are kept as written: in a name they may be the person's own character.
_COMPAT_IDEOGRAPHS = re.compile(r"([\uF900-\uFAFF\U0002F800-\U0002FA1F]+)")
_INVISIBLE_OR_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# Middle-dot look-alikes found in minority names (买买提·艾力); NFKC has already folded ･ and ．.
_DOTS = "\u00b7\u2022\u2027\u2219\u22c5\u2e31\u30fb\uff0e\uff65."
_DOT_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[{re.escape(_DOTS)}]+(?=[{_CJK}])")
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Only CJK unified ideographs: NFKC leaves them as they are, and there is no space, dot or mark to fold.
is_plain_han = re.compile("[\u4e00-\u9fff]+").fullmatch
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Names made only of the CJK ideographs GBK encodes: nothing hidden, nothing a printer cannot take.
is_common_han = re.compile("[\u4e00-\u9fa5]+").fullmatch
# Invisible characters nobody means to type: controls (Cc) and format characters (Cf), i.e. bidirectional
# overrides such as U+202E that show a name backwards, zero-width spaces and joiners, soft hyphens, BOMs.
# Listed by range (Unicode 15) rather than built from unicodedata at import; a test checks the list.
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")

# What a name or unit never holds but text mangled on its way in does: control characters other than the
# whitespace a paste brings (folded anyway), U+FFFD (bytes a decoder could not read), the surrogates Python
# puts for undecodable command-line bytes, and "?" (what Windows writes for a character the code page lacks).
_GARBLED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff?]")

_MALE = frozenset({"男", "男性", "男士", "男的", "m", "male", "man"})
_FEMALE = frozenset({"女", "女性", "女士", "女的", "f", "female", "woman"})
_TRUE = frozenset({"是", "是的", "对", "有", "y", "yes", "true", "t", "1", "√", "✓", "✔"})
_FALSE = frozenset({"否", "不是", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘"})


def _as_text(value: object) -> str:
    """str(value), but a whole float read from a number cell loses its '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _nfkc_keeping_ideographs(text: str) -> str:
    parts = _COMPAT_IDEOGRAPHS.split(text)
    # split() with a capturing group puts the kept runs at odd positions.
    return "".join(part if i % 2 else unicodedata.normalize("NFKC", part) for i, part in enumerate(parts))


def _joins_with_space(left: str, right: str) -> bool:
    """Keep a space only between two words of a Latin-script (or other non-CJK) name."""
    return (left[-1].isalnum() and right[0].isalnum()
            and not _CJK_CHAR.match(left[-1]) and not _CJK_CHAR.match(right[0]))


def normalise_name(value: object) -> str:
    """A person's name without padding (张　三 -> 张三), with one middle dot style (·) in minority names."""
    if value.__class__ is str and is_plain_han(value):  # the common case: nothing to fold (no NFKC mappings)
        return value
    text = _nfkc_keeping_ideographs(_as_text(value))
    words = [w for w in _INVISIBLE_OR_SPACE.split(text) if w]
    if not words:
        return ""
    out = words[0]
    for word in words[1:]:
        out += (" " if _joins_with_space(out, word) else "") + word
    # Joining the words can bring a combining mark next to its base letter; fold once more.
    return _DOT_BETWEEN_CJK.sub("·", _nfkc_keeping_ideographs(out))


def normalise_header(value: object) -> str:
    """A header cell reduced for matching: no spaces or line breaks, no required-markers, ASCII brackets."""
    text = unicodedata.normalize("NFKC", _as_text(value))
    text = _INVISIBLE_OR_SPACE.sub("", text).replace("*", "").replace("※", "")
    return text.rstrip(":：").lower()


def clean_text(value: object) -> str | None:
    """Trimmed text with inner runs of whitespace collapsed to one space; None when empty."""
    text = " ".join(_as_text(value).split())
    return text or None


def has_hidden(text: str) -> bool:
    """Whether the text holds control or invisible format characters (U+202E, zero-width, …)."""
    return _HIDDEN.search(text) is not None


def remove_hidden(text: str) -> str:
    """The text without control and invisible format characters; runs of space left behind are folded."""
    return " ".join(_HIDDEN.sub("", text).split())


def looks_garbled(text: str) -> bool:
    """Whether the text cannot be a person's name or an organisation's: it was mangled on its way in."""
    return _GARBLED.search(text) is not None


def garbled_message(label: str, text: str) -> str:
    """The sentence refusing a mangled name; the bad characters are shown as □ (they may not print)."""
    shown = _GARBLED.sub("□", text.strip())[:40]
    return (f"{label}“{shown}”看起来是乱码（含有控制字符、无法识别的字符或问号），没有保存；"
            "请重新输入，或检查命令行窗口（终端）的编码设置后重试。")


def outside_gbk(text: str) -> str:
    """The distinct characters GBK cannot encode (emoji, rare ideographs), in order; '' when there are none."""
    if text.isascii():
        return ""
    try:
        text.encode("gbk")
        return ""
    except UnicodeEncodeError:
        pass
    odd = []
    for ch in text:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            if ch not in odd:
                odd.append(ch)
    return "".join(odd)


def formula_safe(text: str) -> bool:
    """False when Excel would read the text as a formula (it begins with = + - @ or a tab/CR)."""
    return not text.startswith(_FORMULA_START)


def _key(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return _INVISIBLE_OR_SPACE.sub("", unicodedata.normalize("NFKC", value)).lower()


@memo(4096)
def normalise_gender(value: object) -> str | None:
    """'男' or '女' from the text forms people write; numbers (1/2) are too ambiguous and give None."""
    key = _key(value)
    if key in _MALE:
        return "男"
    if key in _FEMALE:
        return "女"
    return None


@memo(4096)
def normalise_bool(value: object) -> bool | None:
    """True for 是/Y/yes/√, False for 否/N/no/×, None for empty or anything unclear."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return True if value == 1 else False if value == 0 else None
    key = _key(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None
