"""Chinese name sort keys: surname stroke order (姓氏笔画) and pinyin order, from bundled Unihan data."""

from __future__ import annotations

import bisect
import functools
import os
import unicodedata

from registry.rules.text import is_plain_han

__all__ = ["name_keys", "pinyin", "pinyin_key", "stroke_count", "stroke_key", "surname_length"]

DATA_FILE = "data/hanzi.txt"
ORDER_FILE = "data/stroke_order.txt"
# Data encoding, see the header of the data file; keep in step with scripts/build_hanzi_data.py.
STROKE_BASE = 0x21
INDEX_BASE = 0x30
INDEX_RADIX = 64

# Key layout (ASCII only, compared as plain strings; UTF-8 byte order == code point order):
#   stroke_key: per char "SS" + pinyin padded to 7 + 6 hex digits of the code point (15 chars)
#   pinyin_key: per char pinyin padded to 7 + "SS" + 6 hex digits (15 chars)
# The surname's blocks come first, then SURNAME_END, then the given name's blocks, so a surname
# that is a prefix of another (欧 / 欧阳) groups all its people first.
PINYIN_WIDTH = 7  # longest syllable + tone, e.g. "zhuang1"
PINYIN_PAD = "_"  # never compared against a letter: no syllable+tone is a prefix of another
NO_PINYIN = "~" * PINYIN_WIDTH  # after every syllable
UNKNOWN_STROKES = 99  # non-CJK / unknown chars sort after all known chars (max known is 84)
SURNAME_END = "!"  # below digits and letters
EMPTY_KEY = "~" * (PINYIN_WIDTH + 1)  # after every non-empty key of either kind

# Compound surnames (复姓), simplified and traditional forms.
_COMPOUND_SURNAMES_TEXT = """
    欧阳 上官 司马 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 申屠
    太史 端木 闻人 南宫 西门 独孤 万俟 呼延 百里 东郭 司空 濮阳 淳于 单于 赫连 乐正 仲孙 微生 羊舌
    梁丘 左丘 东门 南门 拓跋 第五 谷梁 宰父 亓官 公良 公羊 公西 公仪 漆雕 壤驷 鲜于 闾丘 段干 巫马
    子车 颛孙 归海 宗政 司寇 即墨 北堂 叱干 贺兰 东野
    歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 軒轅 鍾離 澹臺 聞人 南宮 西門 獨孤 萬俟 東郭 淳於 單于 赫連
    樂正 仲孫 閭丘 鮮于 巫馬 子車 顓孫 東門 南門 穀梁 壤駟 賀蘭 東野
"""
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES_TEXT.split())

# Surname readings that differ from the usual reading of the character (surname position only).
SURNAME_READINGS: dict[str, str] = {
    "单": "shan4", "單": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "朴": "piao2", "樸": "piao2",
    "查": "zha1",
    "区": "ou1", "區": "ou1",
    "盖": "ge3", "蓋": "ge3",
    "乐": "yue4", "樂": "yue4",
    "覃": "qin2",
    "翟": "zhai2",
    "缪": "miao4", "繆": "miao4",
    "繁": "po2",
    "召": "shao4",
    "任": "ren2",
    "华": "hua4", "華": "hua4",
    "沈": "shen3",
    "秘": "bi4",
    "重": "chong2",
    "种": "chong2", "種": "chong2",
    "折": "she2",
    "员": "yun4", "員": "yun4",
    "句": "gou1",
    "宓": "fu2",
    "莘": "shen1",
    "蕃": "pi2",
    "隗": "wei3",
    "都": "du1",
    "过": "guo1", "過": "guo1",
    "纪": "ji3", "紀": "ji3",
    "宁": "ning4", "寧": "ning4",
    "燕": "yan1",
    "相": "xiang4",
    "应": "ying1", "應": "ying1",
    "褚": "chu3",
    "祭": "zhai4",
    "粘": "nian2",
    "那": "na1",
    "贲": "ben1", "賁": "ben1",
    "薄": "bo2",
    "柏": "bai3",
    "曲": "qu1",
    "颉": "xie2", "頡": "xie2",
    "阚": "kan4", "闞": "kan4",
    "尉": "wei4",
    "万": "wan4", "萬": "wan4",
    "长": "chang2", "長": "chang2",
}  # fmt: skip

COMPOUND_READINGS: dict[str, tuple[str, str]] = {
    "尉迟": ("yu4", "chi2"), "尉遲": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"), "萬俟": ("mo4", "qi2"),
    "长孙": ("zhang3", "sun1"), "長孫": ("zhang3", "sun1"),
    "单于": ("chan2", "yu2"), "單于": ("chan2", "yu2"),
    "澹台": ("tan2", "tai2"), "澹臺": ("tan2", "tai2"),
    "令狐": ("ling2", "hu2"),
    "乐正": ("yue4", "zheng4"), "樂正": ("yue4", "zheng4"),
    "亓官": ("qi2", "guan1"),
    "谷梁": ("gu3", "liang2"), "穀梁": ("gu3", "liang2"),
    "宰父": ("zai3", "fu3"),
    "叱干": ("chi4", "gan1"),
}  # fmt: skip

_DROP_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


class _Table:
    """Dense per-code-point table: spans of (first code point, encoded data), 0 = no data."""

    __slots__ = ("_data", "_firsts", "_width")

    def __init__(self, spans: list[tuple[int, str]], width: int) -> None:
        spans.sort()
        self._firsts = [first for first, _ in spans]
        self._data = [data for _, data in spans]
        self._width = width

    def get(self, ch: str) -> int:
        if len(ch) != 1:
            return 0
        cp = ord(ch)
        i = bisect.bisect_right(self._firsts, cp) - 1
        if i < 0:
            return 0
        offset = (cp - self._firsts[i]) * self._width
        data = self._data[i]
        if offset >= len(data):
            return 0
        if self._width == 1:
            return ord(data[offset]) - STROKE_BASE
        return (ord(data[offset]) - INDEX_BASE) * INDEX_RADIX + ord(data[offset + 1]) - INDEX_BASE


def _read_data(name: str = DATA_FILE) -> str:
    # A plain file next to this module in every normal install; importlib.resources (slow to import)
    # only for unusual loaders such as zip imports.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), *name.split("/"))
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    from importlib import resources

    return resources.files(__package__ or "registry").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _stroke_orders() -> dict[str, str]:
    """Each character's strokes as classes 横1 竖2 撇3 点4 折5 (registry/data/stroke_order.txt)."""
    orders = {}
    for line in _read_data(ORDER_FILE).splitlines():
        if line and not line.startswith("#"):
            ch, _, seq = line.partition("\t")
            orders[ch] = seq
    return orders


@functools.cache
def _tables() -> tuple[_Table, _Table, tuple[str, ...]]:
    """Load registry/data/hanzi.txt once: (strokes table, pinyin index table, syllables)."""
    text = _read_data()
    stroke_spans: list[tuple[int, str]] = []
    pinyin_spans: list[tuple[int, str]] = []
    syllables: tuple[str, ...] = ()
    for line in text.split("\n"):
        kind, _, rest = line.partition("\t")
        if kind == "S":
            first, _, data = rest.partition("\t")
            stroke_spans.append((int(first, 16), data))
        elif kind == "P":
            first, _, data = rest.partition("\t")
            pinyin_spans.append((int(first, 16), data))
        elif kind == "Y":
            syllables = ("", *rest.split(" "))  # numbered from 1
    if not stroke_spans or not pinyin_spans or not syllables:
        raise RuntimeError(f"{DATA_FILE} is incomplete; regenerate it with scripts/build_hanzi_data.py")
    return _Table(stroke_spans, 1), _Table(pinyin_spans, 2), syllables


def stroke_count(ch: str) -> int | None:
    """Total strokes of one character (mainland count), or None if unknown / not a single char."""
    return _tables()[0].get(ch) or None


@functools.lru_cache(maxsize=65536)
def pinyin(ch: str) -> str | None:
    """Customary Mandarin reading of one character with tone number ('zhang1', 'lv4', 'de5'), or None."""
    _, readings, syllables = _tables()
    return syllables[readings.get(ch)] or None


def _normalize(name: str) -> str:
    """NFKC (compatibility / Kangxi radical forms, full-width Latin) minus spaces, controls, selectors."""
    if is_plain_han(name):  # the common case: CJK unified ideographs have no NFKC mapping and nothing to drop
        return name
    name = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in name if unicodedata.category(ch) not in _DROP_CATEGORIES)


def _surname_len(name: str) -> int:
    if not name:
        return 0
    # A two-char name that looks like a compound surname (钟离) is surname + given name.
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return 2
    return 1


def surname_length(name: str) -> int:
    """Surname length in chars of the normalized name: 2 for compound surnames, 1 otherwise, 0 if empty."""
    return _surname_len(_normalize(name))


@functools.lru_cache(maxsize=65536)
def _stroke_block(ch: str, reading: str | None) -> str:
    count = stroke_count(ch)
    if count is None:
        return f"{UNKNOWN_STROKES:02d}{NO_PINYIN}{ord(ch):06X}"
    slot = reading.ljust(PINYIN_WIDTH, PINYIN_PAD) if reading else NO_PINYIN
    # Same stroke count: by the strokes in writing order, 横竖撇点折 (the official 姓氏笔画 rule). The
    # sequence is cut or padded to exactly `count` digits, so equal counts give blocks of equal width.
    order = _stroke_orders().get(ch, "")[:count].ljust(count, "9")
    return f"{count:02d}{order}{slot}{ord(ch):06X}"


@functools.lru_cache(maxsize=65536)
def _pinyin_block(ch: str, reading: str | None) -> str:
    count = stroke_count(ch)
    slot = reading.ljust(PINYIN_WIDTH, PINYIN_PAD) if reading else NO_PINYIN
    return f"{slot}{UNKNOWN_STROKES if count is None else count:02d}{ord(ch):06X}"


def _surname_readings(surname: str) -> list[str | None]:
    if len(surname) == 2:
        override = COMPOUND_READINGS.get(surname)
        return list(override) if override else [pinyin(ch) for ch in surname]
    return [SURNAME_READINGS.get(surname) or pinyin(surname)]


@functools.cache
def _surname_stroke(surname: str) -> str:
    readings = _surname_readings(surname)
    return "".join(_stroke_block(ch, reading) for ch, reading in zip(surname, readings, strict=True))


@functools.cache
def _given_stroke(ch: str) -> str:
    return _stroke_block(ch, pinyin(ch))


@functools.cache
def _surname_pinyin(surname: str) -> str:
    readings = _surname_readings(surname)
    return "".join(_pinyin_block(ch, reading) for ch, reading in zip(surname, readings, strict=True))


@functools.cache
def _given_pinyin(ch: str) -> str:
    return _pinyin_block(ch, pinyin(ch))


def stroke_key(name: str) -> str:
    """ASCII key giving 姓氏笔画 order: per char strokes, then pinyin, then code point; surname first."""
    name = _normalize(name)
    if not name:
        return EMPTY_KEY
    split = _surname_len(name)
    return _surname_stroke(name[:split]) + SURNAME_END + "".join(map(_given_stroke, name[split:]))


def pinyin_key(name: str) -> str:
    """ASCII key giving pinyin order (surname polyphones read as surnames), then strokes, code point."""
    name = _normalize(name)
    if not name:
        return EMPTY_KEY
    split = _surname_len(name)
    return _surname_pinyin(name[:split]) + SURNAME_END + "".join(map(_given_pinyin, name[split:]))


def name_keys(name: str) -> tuple[str, str]:
    """(stroke_key(name), pinyin_key(name)), the name normalised and split once (an import makes both for everyone)."""
    name = _normalize(name)
    if not name:
        return EMPTY_KEY, EMPTY_KEY
    split = _surname_len(name)
    surname, given = name[:split], name[split:]
    return (_surname_stroke(surname) + SURNAME_END + "".join(map(_given_stroke, given)),
            _surname_pinyin(surname) + SURNAME_END + "".join(map(_given_pinyin, given)))
