"""Census rows cleaned by column: tidy cells recognised a whole column at a time, the rest cell by cell.

clean_rows(rows) gives for every row exactly what validation.clean_person(row, lenient_phone=True) gives
(the same values and the same problems, tested property-wise): ID numbers, names and mobiles are checked as
whole columns (registry.rules.columns); every other column is cleaned once per distinct cell (census columns
repeat a few spellings of categories, dates, genders and outlets thousands of times). A row with any cell the
column checks do not recognise, or whose cells say more than one value (a flowing hint in the category, a
warning), goes through clean_person itself, which stays the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import islice, repeat
from typing import Any

from registry.fields import IMPORT_BY_KEY
from registry.importing import timing
from registry.importing.layout import RawRecord
from registry.rules.columns import tidy_ids, tidy_mobiles, tidy_names
from registry.rules.idnumber import IdCheck, check_id
from registry.validation import Problem, cell_cleaners, clean_person

_MISS = object()  # a cell the column pass leaves to the per-cell path
# Rows cleaned together: long enough for the column operations to pay, short enough to hold little memory.
CHUNK = 4096
Cleaned = tuple[dict[str, Any], list[Problem]]


_PLAIN = frozenset({str, type(None)})


def _column(key: str, cells: Sequence[object], today: date) -> list[list[object]]:
    """The value each cell contributes when it is tidy (else _MISS): one list, or three for an ID number
    (the number, the birth date and the sex it gives, which clean_person hands on as _id_birth and _id_gender)."""
    kind = IMPORT_BY_KEY[key].kind
    if kind == "id":
        found = tidy_ids(cells, today)
        remember = check_id.remember  # type: ignore[attr-defined]
        for f in found:  # the development rules ask check_id again for each number: answered from its memo
            if f is not None:
                remember(f[0], IdCheck(True, f[0], None, None, f[1], f[2]))
        return [[f[n] if f is not None else _MISS for f in found] for n in range(3)]
    if kind == "phone":
        return [[_MISS if v is None else v for v in tidy_mobiles(cells)]]
    if key == "name":
        return [[_MISS if v is None else v for v in tidy_names(cells)]]
    cleaner = cell_cleaners(True)[key]
    # Each distinct cell once; by type too, as the memo keys them (1, 1.0 and True are different cells).
    keys: Sequence[object] = cells if set(map(type, cells)) <= _PLAIN else list(zip(map(type, cells), cells, strict=True))
    table: dict[object, object] = {}
    for typed, cell in dict(zip(keys, cells, strict=True)).items():
        result = cleaner(cell)
        simple = not result.problems and result.flowing_hint is None and len(result.values) == 1 \
            and key in result.values
        table[typed] = result.values[key] if simple else _MISS
    return [list(map(table.__getitem__, keys))]


def clean_rows(rows: Sequence[Mapping[str, object]], today: date | None = None) -> list[Cleaned]:
    """clean_person(row, lenient_phone=True) for every row; rows with the same keys in the same order go fast.

    `today` is the clock's day the ID rule checks birth dates against (never an import's own date)."""
    if not rows:
        return []
    today = today or date.today()
    first = tuple(rows[0])
    picked = [i for i, same in enumerate(map(first.__eq__, map(tuple, rows))) if same]
    grid = list(zip(*(rows[i].values() for i in picked), strict=True))  # the columns, transposed in C
    keys: list[str] = []
    columns: list[list[object]] = []
    for key, cells in zip(first, grid, strict=True):
        if key not in IMPORT_BY_KEY:
            continue  # clean_person takes only recognised fields
        found = _column(key, cells, today)
        keys.append(key)
        columns.append(found[0])
        if len(found) == 3:
            keys += ["_id_birth", "_id_gender"]
            columns += found[1:]
    slow = set(picked).symmetric_difference(range(len(rows)))  # rows not shaped like the first
    for values in columns:
        if _MISS in values:  # most columns have no cell to leave to the per-cell path: found in C, not in a loop
            slow.update(picked[j] for j in [j for j, v in enumerate(values) if v is _MISS])
    fast = map(dict, map(zip, repeat(keys), zip(*columns, strict=True))) if columns else (dict() for _ in picked)
    out: list[Cleaned] = []
    for i, row in zip(picked, fast, strict=True):
        out.append((row, []) if i not in slow else clean_person(rows[i], lenient_phone=True))
    if len(picked) == len(rows):
        return out
    by_row = dict(zip(picked, out, strict=True))
    return [by_row[i] if i in by_row else clean_person(rows[i], lenient_phone=True) for i in range(len(rows))]


def cleaned_records(records: Iterable[RawRecord], today: date | None = None,
                    before: Callable[[list[Cleaned]], None] | None = None) -> Iterator[tuple[RawRecord, Cleaned]]:
    """Each record with clean_person's answer for its values, cleaned CHUNK rows at a time; `before` is handed
    each cleaned chunk before its records are yielded."""
    stream = iter(records)
    while True:
        with timing.step("读取行（calamine 行转换与版式）"):
            chunk = list(islice(stream, CHUNK))
        if not chunk:
            return
        with timing.step("按列校验"):
            cleaned = clean_rows([raw.values for raw in chunk], today)
        if before is not None:
            before(cleaned)
        yield from zip(chunk, cleaned, strict=True)
