"""Finding the roster in a sheet: which row is the header, what each column means, which rows are records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from operator import itemgetter

from registry.fields import IMPORT_FIELDS, OUTLET_FIELDS, Field
from registry.importing.readers import SheetData
from registry.rules.text import normalise_header

HEADER_SEARCH_ROWS = 20

# Qualifiers that may surround a synonym without changing its meaning (员工姓名, 本人手机号码, 身份证号18位).
_BENIGN_PREFIXES = frozenset({
    "", "本人", "个人", "员工", "人员", "党员", "快递员", "小哥", "职工", "现", "现在", "目前", "当前",
    "所属", "所在", "常用", "有效",
})
# Not 信息: 流动党员信息 is a group label, not the 是否流动党员 column.
_BENIGN_SUFFIXES = frozenset({"", "全称", "名称", "号码", "号", "码", "必填", "选填", "十八位"})
_DIGITS_WIDE = re.compile(r"\d{1,2}位")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_IGNORED_HEADERS = frozenset({"序号", "序", "编号", "行号", "no", "no.", "#"})
_MARKERS = ("合计", "小计", "总计", "填表人", "填报人", "审核人", "负责人", "注", "说明", "制表")
_MARKER_INITIALS = frozenset(marker[0] for marker in (*_MARKERS, "备注"))

# Match quality: a user's own mapping beats an exact synonym, which beats a bracket-stripped or affixed one.
_OVERRIDE, _EXACT, _STRIPPED, _AFFIXED = 4, 3, 2, 1


@dataclass
class SheetLayout:
    """Where a sheet's roster is and how its columns map to fields."""

    sheet: str
    kind: str | None
    header_row: int
    header_rows: int
    columns: dict[int, str]
    labels: dict[int, str]
    unmapped: list[str]
    reason: str = ""


@dataclass(slots=True)
class RawRecord:
    """One data row: its spreadsheet row number, the mapped raw values and the whole row."""

    row: int
    values: dict[str, object]
    cells: list[object]


@dataclass(frozen=True)
class _Synonyms:
    exact: dict[str, str]
    longest_first: tuple[tuple[str, str], ...]
    keys: frozenset[str]


@cache
def _synonyms(fields: tuple[Field, ...]) -> _Synonyms:
    exact: dict[str, str] = {}
    for f in fields:
        for text in (f.label, *f.synonyms):
            exact.setdefault(normalise_header(text), f.key)
    # Counts never match by containment: 党员人数 is not 从业人数.
    counts = {f.key for f in fields if f.kind == "int"}
    ordered = tuple(sorted(((t, k) for t, k in exact.items() if k not in counts), key=lambda item: -len(item[0])))
    return _Synonyms(exact, ordered, frozenset(f.key for f in fields))


def _affixes_benign(prefix: str, suffix: str) -> bool:
    return prefix in _BENIGN_PREFIXES and (suffix in _BENIGN_SUFFIXES or bool(_DIGITS_WIDE.fullmatch(suffix)))


def field_for_header(header: object, kind: str = "people", overrides: dict[str, str] | None = None) -> str | None:
    """The field key a header cell maps to for 'people' or 'outlets' ('' = ignored), or None."""
    table = _synonyms(IMPORT_FIELDS if kind == "people" else OUTLET_FIELDS)
    wanted = {normalise_header(text): key for text, key in (overrides or {}).items()}
    hit = _match(normalise_header(header), table, wanted)
    return None if hit is None else hit[0]


def _match(text: str, table: _Synonyms, overrides: dict[str, str]) -> tuple[str, int] | None:
    """(field key, quality) for a normalised header text, '' key meaning "ignore", or None."""
    if text in overrides:
        key = overrides[text]
        if key == "" or key in table.keys:
            return key, _OVERRIDE
    if text in table.exact:
        return table.exact[text], _EXACT
    stripped = _BRACKETED.sub("", text)
    if stripped != text and stripped in table.exact:
        return table.exact[stripped], _STRIPPED
    for synonym, key in table.longest_first:
        at = stripped.find(synonym)
        if at >= 0 and _affixes_benign(stripped[:at], stripped[at + len(synonym):]):
            return key, _AFFIXED
    return None


# ---------------------------------------------------------------- header detection


@dataclass
class _Candidate:
    upper: int  # index into sheet.rows of the group-label row, or -1 for a one-row header
    lower: int
    columns: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return set(self.columns.values())


def _cell_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class _HeaderScan:
    """Header-like cells of the first rows, matched once against one field table."""

    def __init__(self, rows: list[list[object]], table: _Synonyms, overrides: dict[str, str]) -> None:
        self.rows = rows
        self.texts: list[dict[int, str]] = []
        self.matches: list[dict[int, tuple[str, int]]] = []
        for cells in rows:
            texts = {j: _cell_text(c) for j, c in enumerate(cells) if _cell_text(c)}
            found = {}
            for j, text in texts.items():
                hit = _match(normalise_header(text), table, overrides)
                if hit is not None:
                    found[j] = hit
            self.texts.append(texts)
            self.matches.append(found)

    def _mapped(self, r: int) -> dict[int, tuple[str, int]]:
        return {j: hit for j, hit in self.matches[r].items() if hit[0]}

    def _pairs_with_next(self, r: int) -> bool:
        """True when row r holds group labels (or vertically merged headers) over sub-headers in r+1."""
        if r + 1 >= len(self.rows):
            return False
        upper, lower = self._mapped(r), self._mapped(r + 1)
        upper_texts, lower_texts = self.texts[r], self.texts[r + 1]
        lower_adds = any(j not in upper for j in lower)
        upper_adds = any(j not in lower_texts for j in upper)
        # In a data row something sits under the mapped headers; in a sub-header row those cells are empty.
        looks_like_data = any(j in lower_texts and j not in lower for j in upper)
        return lower_adds and upper_adds and not looks_like_data and bool(upper_texts)

    def candidate(self, r: int, two_rows: bool) -> _Candidate:
        upper = r if two_rows else -1
        lower = r + 1 if two_rows else r
        hits: list[tuple[int, int, str, str]] = []  # (-quality, column, key, label)
        plain: dict[int, str] = {}
        ignored: set[int] = set()
        for j in sorted(set(self.texts[lower]) | (set(self.texts[upper]) if two_rows else set())):
            choice = self.matches[lower].get(j)
            label = self.texts[lower].get(j, "")
            if choice is None and two_rows and j in self.matches[upper]:
                choice, label = self.matches[upper][j], self.texts[upper][j]
            if not label and two_rows:
                label = self.texts[upper].get(j, "")
            if choice is None:
                if normalise_header(label) in _IGNORED_HEADERS:
                    ignored.add(j)
                else:
                    plain[j] = label
            elif choice[0] == "":
                ignored.add(j)
            else:
                hits.append((-choice[1], j, choice[0], label))
        result = _Candidate(upper, lower)
        unmapped = dict(plain)
        for _quality, j, key, label in sorted(hits):
            if key in result.columns.values():
                unmapped[j] = label  # the same field twice: the better, then the leftmost, wins
            else:
                result.columns[j] = key
            plain[j] = label
        result.columns = dict(sorted(result.columns.items()))
        result.labels = dict(sorted(plain.items()))
        result.unmapped = [label for _j, label in sorted(unmapped.items())]
        return result

    def best(self, accept) -> _Candidate | None:
        best: _Candidate | None = None
        for r in range(len(self.rows)):
            if not self.matches[r]:
                continue
            options = [self.candidate(r, two_rows=False)]
            if self._pairs_with_next(r):
                options.insert(0, self.candidate(r, two_rows=True))
            for option in options:
                if accept(option) and (best is None or len(option.columns) > len(best.columns)):
                    best = option
        return best


def _is_people(candidate: _Candidate) -> bool:
    keys = candidate.keys
    return "name" in keys and bool(keys & {"id_number", "category", "phone"})


def detect_layout(sheet: SheetData, overrides: dict[str, str] | None = None) -> SheetLayout:
    """Find the header row(s) among the first 20 rows and map columns to person or outlet fields."""
    wanted = {normalise_header(text): key for text, key in (overrides or {}).items()}
    top = sheet.rows[:HEADER_SEARCH_ROWS]
    if not any(_cell_text(c) for row in top for c in row):
        return _no_roster(sheet, f"工作表“{sheet.name}”是空的，没有可导入的内容。")
    people_scan = _HeaderScan(top, _synonyms(IMPORT_FIELDS), wanted)
    outlet_scan = _HeaderScan(top, _synonyms(OUTLET_FIELDS), wanted)
    people = people_scan.best(_is_people)

    def is_outlets(candidate: _Candidate) -> bool:
        keys = candidate.keys
        if "name" not in keys or not keys & {"brand", "address", "workers"}:
            return False
        # A 姓名 or identity-number column means people, whatever else the sheet lists.
        rows = (candidate.upper, candidate.lower) if candidate.upper >= 0 else (candidate.lower,)
        person_keys = {hit[0] for r in rows for hit in people_scan.matches[r].values()}
        return not person_keys & {"name", "id_number"}

    outlets = outlet_scan.best(is_outlets)
    if people is not None and (outlets is None or len(people.columns) >= len(outlets.columns)):
        return _layout(sheet, "people", people)
    if outlets is not None:
        return _layout(sheet, "outlets", outlets)
    return _no_roster(sheet, _why_not(sheet.name, people_scan, outlet_scan))


def _layout(sheet: SheetData, kind: str, candidate: _Candidate) -> SheetLayout:
    return SheetLayout(
        sheet=sheet.name,
        kind=kind,
        header_row=sheet.first_row + candidate.lower,
        header_rows=2 if candidate.upper >= 0 else 1,
        columns=candidate.columns,
        labels=candidate.labels,
        unmapped=candidate.unmapped,
    )


def _no_roster(sheet: SheetData, reason: str) -> SheetLayout:
    return SheetLayout(sheet.name, None, 0, 0, {}, {}, [], reason)


def _why_not(name: str, people: _HeaderScan, outlets: _HeaderScan) -> str:
    person_keys = {hit[0] for found in people.matches for hit in found.values()}
    outlet_keys = {hit[0] for found in outlets.matches for hit in found.values()}
    if "name" in person_keys:
        return (
            f"工作表“{name}”有“姓名”列，但没有“公民身份号码”“人员类别”或“联系电话”列，无法识别为人员名单；"
            "如需导入，请补上其中一列的表头。"
        )
    if "name" in outlet_keys:
        return (
            f"工作表“{name}”有“网点名称”列，但没有“快递品牌”“地址”或“从业人员数”列，无法识别为网点清单；"
            "如需导入，请补上其中一列的表头。"
        )
    return (
        f"工作表“{name}”的前{HEADER_SEARCH_ROWS}行里没有找到“姓名”“公民身份号码”“网点名称”等表头，"
        "不像人员名单或网点清单；如需导入，请检查表头是否在前几行。"
    )


# ---------------------------------------------------------------- records


def _is_marker(text: str) -> bool:
    norm = normalise_header(text)
    return norm.startswith(_MARKERS) or norm == "备注" or norm.startswith("备注:")


def iter_records(sheet: SheetData, layout: SheetLayout) -> Iterator[RawRecord]:
    """The data rows below the header, without blank, total, signature, note and repeated-header rows."""
    if layout.kind is None or not layout.columns:
        return
    first_row = sheet.first_row
    keys = tuple(layout.columns.values())
    indexes = tuple(layout.columns)
    span = max(indexes) + 1
    pick = itemgetter(*indexes)
    single = len(indexes) == 1
    table = _synonyms(IMPORT_FIELDS if layout.kind == "people" else OUTLET_FIELDS)
    header = _RepeatedHeader(layout, table)
    name_column = header.name_column
    merges = _MergedFills(sheet, layout)
    fills = merges if merges.starts else None
    extra: list[tuple[int, object]] = []

    # A tight loop: 100,000-row sheets are normal, so no per-cell regex or normalisation here.
    start = layout.header_row - first_row + 1
    stream = islice(chain(sheet.rows, sheet.rest or ()), start, None)
    for offset, cells in enumerate(stream, start):
        for first in cells:
            if first.__class__ is str:
                if first and not first.isspace():
                    break
            elif first is not None:
                break
        else:
            if fills is not None:
                fills.see(offset, cells)
            continue  # a blank row; data may go on below it
        if fills is not None:
            extra = fills.see(offset, cells)
        if first.__class__ is str:
            initial = first.lstrip()[:1]
            if (initial in _MARKER_INITIALS or not initial.isalnum()) and _is_marker(first):
                continue
        if name_column is not None and len(cells) > name_column:
            name = cells[name_column]
            if name.__class__ is str and name.lstrip()[:1] in header.name_initials and header.matches(cells):
                continue
        if len(cells) >= span:
            picked = pick(cells)
            values = dict(zip(keys, (picked,) if single else picked, strict=False))
        else:
            width = len(cells)
            values = {key: (cells[j] if j < width else None) for j, key in zip(indexes, keys, strict=True)}
        for value in values.values():
            if value.__class__ is str:
                if value and not value.isspace():
                    break
            elif value is not None:
                break
        else:
            continue  # only a 序号 or other unmapped cells
        if extra:
            cells = list(cells)
            width = len(cells)
            for j, value in extra:
                if j < width and (cells[j] is None or cells[j] == ""):
                    cells[j] = value
            values = {key: (cells[j] if j < width else None) for j, key in zip(indexes, keys, strict=True)}
        yield RawRecord(first_row + offset, values, cells)


class _MergedFills:
    """Values to copy down vertically merged data cells (所在单位 merged over everyone at one outlet).

    Only single-column merges below the header: a merged section row such as “一、顺丰速运” spans
    columns and must not turn into a record. Rows stream past once, so the value is taken when the merge's
    first row goes by and handed to the rows below it.
    """

    def __init__(self, sheet: SheetData, layout: SheetLayout) -> None:
        header_offset = layout.header_row - sheet.first_row
        self.starts: dict[int, list[tuple[int, int]]] = {}  # first offset -> [(column, last offset)]
        for first_row, first_col, last_row, last_col in sheet.merged:
            top, j = first_row - sheet.first_row, first_col - sheet.first_col
            if first_col != last_col or last_row <= first_row or top <= header_offset or j < 0:
                continue
            self.starts.setdefault(top, []).append((j, last_row - sheet.first_row))
        self.active: list[tuple[int, object, int]] = []  # (column, value, last offset)

    def see(self, offset: int, cells: list[object]) -> list[tuple[int, object]]:
        """The fills for this row; a merge starting here takes its value from this row's cell."""
        if self.active:
            self.active = [a for a in self.active if a[2] >= offset]
        out = [(j, value) for j, value, _last in self.active]
        for j, last in self.starts.pop(offset, ()):
            value = cells[j] if j < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            self.active.append((j, value, last))
        return out


class _RepeatedHeader:
    """Recognises the header row pasted again below the data (sheets glued together)."""

    def __init__(self, layout: SheetLayout, table: _Synonyms) -> None:
        self.columns = layout.columns
        self.table = table
        self.norms = {j: normalise_header(layout.labels.get(j, "")) for j in layout.columns}
        self.name_column = next((j for j, key in layout.columns.items() if key == "name"), None)
        name_texts = [text for text, key in table.exact.items() if key == "name"]
        if self.name_column is not None:  # without one there is nothing to add ("" is dropped below anyway)
            name_texts.append(self.norms.get(self.name_column, ""))
        # A cheap first-character test keeps normalise_header off ordinary names.
        self.name_initials = frozenset(text[:1] for text in name_texts if text)

    def _is_header_cell(self, j: int, value: object) -> bool:
        if not isinstance(value, str):
            return False
        norm = normalise_header(value)
        return bool(norm) and (norm == self.norms[j] or self.table.exact.get(norm) == self.columns[j])

    def matches(self, cells: list[object]) -> bool:
        if self.name_column is None or not self._is_header_cell(self.name_column, cells[self.name_column]):
            return False
        same = sum(1 for j in self.columns if j < len(cells) and self._is_header_cell(j, cells[j]))
        return same >= 3
