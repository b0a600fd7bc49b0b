"""The census import use case: read every file, preview or apply in one transaction, record the batch."""

from __future__ import annotations

import gc
import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from registry.errors import DatabaseBusy, UserError
from registry.fields import PERSON_BY_KEY
from registry.importing import timing
from registry.importing.apply import Applier
from registry.importing.columns import cleaned_records
from registry.importing.layout import RawRecord, SheetLayout, detect_layout, iter_records
from registry.importing.plan import Plan, Planner
from registry.importing.prefetch import Prefetch
from registry.importing.readers import SheetData, iter_sheets
from registry.importing.records import (
    PersonRecord,
    header_labels,
    relationship_is_local,
    sheet_defaults,
    to_person,
)
from registry.importing.safety import inspect_file
from registry.importing.stored_names import StoredNames as _StoredNames
from registry.importing.templates import load_overrides
from registry.names import norm_name
from registry.rules.dev_steps import BY_KEY
from registry.rules.development import STAGE_KEYS
from registry.rules.idnumber import check_id
from registry.rules.text import clean_text
from registry.services.backups import before_import_copy as _backup_copy  # a module name tests replace
from registry.services.backups import fingerprint
from registry.storage.database import Registry, Tx
from registry.storage.opening import BUSY_TIMEOUT_MS
from registry.storage.sqlite_errors import os_reason
from registry.validation import clear_cell_cache, development_problems, user_date

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    unverified: int = 0  # new members whose relationship the files do not establish: registered as 待核实
    managed_from: str | None = None  # the day new people came under management; updates take effect on it
    batch: int | None = None
    dry_run: bool = False
    applied: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    problems_omitted: int = 0  # problems beyond the listed ones, only counted

    def unverified_note(self) -> str:
        """The sentence telling the secretary how many new members still need their relationship checked."""
        if not self.unverified:
            return ""
        return (f"其中{self.unverified}名党员表中没有可认定的组织关系，已登记为“待核实”，请逐一核实组织关系"
                "（在册、流入或流出）后更正；待办事项中会列出他们。")

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "duplicates": self.duplicates, "unverified": self.unverified,
                "managed_from": self.managed_from, "batch": self.batch,
                "dry_run": self.dry_run, "applied": self.applied, **self.created,
                "sheets": self.sheets, "problems": self.problems,
                "problems_omitted": self.problems_omitted}


@dataclass
class _Source:
    path: Path
    sha256: str


# Bounds that keep an import's memory growing with the people imported, not with what else a file holds.
# Rows per import: above a whole city's census (深圳 ~300,000), whose import peaks at ~740 MB (bench_import).
MAX_IMPORT_ROWS = 350_000
JUNK_RUN = 2_000  # a sheet stops after this many rows in a row that carry no person
MAX_KEPT_REJECTED = 5_000  # rejected rows kept whole for the problem list; the rest are counted
MAX_KEPT_PROBLEMS = 10_000  # problems listed one by one; the rest are counted
MAX_STORED_CELL = 1_000  # characters of one rejected cell kept for the problem list
# The import waits this long for another import or edit to finish writing before it gives up with a sentence.
IMPORT_BUSY_TIMEOUT_MS = 300_000


def census_day(value: object) -> str:
    """The import's date as an ISO day: a whole day, not in the future; today when not given."""
    if value in (None, ""):
        return date.today().isoformat()
    day = user_date("纳入管理日期", value)
    if day is None or len(day) != 10:
        raise UserError(f"纳入管理日期“{value}”没有写到日，请按2026-11-05的格式写出摸排的具体日期，报表按这一天计入人数。")
    if day > date.today().isoformat():
        raise UserError(f"纳入管理日期{day}晚于今天，请填写实际摸排纳入管理的日期，本次没有导入任何数据。")
    return day


def _backed_up(reg: Registry, alongside: Future[str | None] | None, state: str | None,
               progress: Progress | None = None) -> None:
    """Wait for the backup made alongside the import; `state` is the registry's fingerprint when the import took
    the write lock. If someone changed the registry between the backup's snapshot and that moment, the data the
    import is about to change is backed up now (nobody else can write meanwhile: the import holds the lock, and
    the other connection does not see its uncommitted rows). Raising here rolls the import back."""
    if alongside is None:
        return
    if progress and not alongside.done():
        progress("完成导入前的自动备份", 0, 0)  # the window says what it waits for, not "写入" still
    with timing.step("等待导入前备份"):
        kept = alongside.result()
    if state is not None and kept != state:
        with timing.step("导入前备份"):
            _backup_copy(reg.path)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_paths(paths: Sequence[Path]) -> list[_Source]:
    """Every file is checked before anything is read: one unusable file stops the whole import."""
    sources = []
    for path in paths:
        if not path.exists():
            raise UserError(f"找不到文件“{path}”，请检查路径。")
        if not path.is_file():
            raise UserError(f"“{path}”这不是一个文件（是文件夹或设备），请选择要导入的表格文件。")
        inspect_file(path)
        try:
            digest = _hash(path)
        except OSError as exc:
            raise UserError(f"无法读取“{path.name}”（{os_reason(exc)}），请关闭正在使用它的程序后再导入。") from exc
        sources.append(_Source(path, digest))
    return sources


def _problem_dict(rec: PersonRecord, p: Any) -> dict[str, Any]:
    name = rec.values.get("name") or clean_text(rec.raw.values.get("name"))
    return {"file": rec.file, "sheet": rec.sheet, "row": rec.row, "column": rec.labels.get(p.field, p.label),
            "field": p.field, "level": p.level, "code": p.code, "message": p.message,
            "name": name[:MAX_STORED_CELL] if isinstance(name, str) else name}


def _carries_person(rec: PersonRecord) -> bool:
    """Whether a row holds someone (a usable or recognisably mangled ID, or a name in Chinese characters)."""
    if rec.values.get("id_number"):
        return True
    name = rec.values.get("name")
    if isinstance(name, str) and len(name) <= 30 and _HAN.search(name):
        return True
    return any(p.code in _ID_LIKE for p in rec.problems)


_HAN = re.compile("[\u3400-\u9fff\U00020000-\U0003ffff]")
_ID_LIKE = frozenset({"id_mangled", "id_checksum", "id_date"})


def _stored_cell(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_STORED_CELL:
        return value[:MAX_STORED_CELL] + "…（过长，已截断）"
    return value


def import_files(reg: Registry, paths: Sequence[Path | str], *, dry_run: bool = False, strict: bool = False,
                 mappings: dict[str, str] | None = None, today: date | None = None,
                 progress: Progress | None = None, managed_from: object = None) -> ImportResult:
    """Import census files: a preview with dry_run, else one transaction recorded as a batch.

    New people came under management on `managed_from` (default today) as 摸排新纳入; changes the census makes
    to people already registered (outlet, organisation, relation…) take effect on that day.
    """
    day = census_day(managed_from)
    # Hundreds of thousands of small containers and no cycles among them: the cyclic garbage collector
    # would rescan the growing heap again and again (measured: import time growing faster than the rows).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(reg, paths, dry_run=dry_run, strict=strict, mappings=mappings, today=today,
                       progress=progress, managed_from=day)
    finally:
        check_id.cache_clear()  # type: ignore[attr-defined]  # the memos have done their job; free them
        clear_cell_cache()
        if enabled:
            gc.enable()


@dataclass
class _Reading:
    """Everything read from the files, before it is compared with the registry."""

    records: list[PersonRecord] = field(default_factory=list)
    outlet_rows: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)
    rejected_uncounted: int = 0  # rejected rows beyond MAX_KEPT_REJECTED: counted, not kept
    kept_rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # of rows not kept
    problems_omitted: int = 0
    notices: list[dict[str, Any]] = field(default_factory=list)  # about whole sheets: always listed
    layouts: dict[tuple[str, str], SheetLayout] = field(default_factory=dict)  # (file, sheet) -> layout
    people_rows: int = 0
    persons: int = 0  # rows that hold someone, imported or not

    today: date = field(default_factory=date.today)
    stored: _StoredNames | None = None  # id number -> name, as registered
    prefetch: Prefetch | None = None  # the registered people, read while a large census is parsed
    seen: set[str] = field(default_factory=set)  # id numbers read so far

    def may_reject(self, rec: PersonRecord) -> bool:
        """Whether the plan may still reject this usable row: its ID number came earlier in the files, or is
        registered under another name, or its stage dates break a rule (alone, or perhaps with the stored
        record's). Such rows keep their cells for the problem list."""
        values = rec.values
        number = values["id_number"]
        if number in self.seen:
            return True
        self.seen.add(number)
        name = self.stored.get(number) if self.stored is not None else None
        if name is not None and name != values["name"] and norm_name(name) != norm_name(values["name"]):
            return True
        for key in STAGE_KEYS:
            if values.get(key):
                break
        else:
            return False  # no stage date: no stage rule can fail
        if name is not None:
            return True
        # A new person: the rules see the row alone, as the plan will (which then reuses the findings).
        merged = values if "category" in values else {**values, "category": "群众"}
        rec.rules = development_problems(merged, self.today)
        return any(p.level == "error" for p in rec.rules)

    def note(self, problem: dict[str, Any]) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_omitted += 1


def _read(reg: Registry, sources: list[_Source], mappings: dict[str, str] | None, known: set[str],
          result: ImportResult, progress: Progress | None, today: date | None = None,
          prefetch: Prefetch | None = None) -> _Reading:
    reading = _Reading(today=today or date.today(), stored=_StoredNames(reg.conn), prefetch=prefetch)
    for source in sources:
        on_rows = None if prefetch is None else lambda rows: prefetch.rows_known(reading.people_rows + rows)
        for sheet in iter_sheets(source.path, on_rows):
            layout = detect_layout(sheet, {**load_overrides(reg, sheet), **(mappings or {})})
            # One entry of ImportResult.sheets (dict[str, Any]); _read_people adds rows and stopped_at.
            info: dict[str, Any] = {"file": source.path.name, "sheet": sheet.name, "kind": layout.kind,
                                    "header_row": layout.header_row or None,
                                    "columns": {layout.labels.get(c, str(c)): k for c, k in layout.columns.items()},
                                    "unmapped": layout.unmapped, "reason": layout.reason, "rows": 0}
            result.sheets.append(info)
            if layout.kind == "outlets":
                for raw in iter_records(sheet, layout):
                    reading.outlet_rows.append({k: clean_text(v) for k, v in raw.values.items()})
                    info["rows"] += 1
                    _check_total(reading.people_rows + len(reading.outlet_rows))
            elif layout.kind == "people":
                reading.headers[f"{source.path.name}\x1f{sheet.name}"] = _header_cells(sheet, layout)
                reading.layouts[(source.path.name, sheet.name)] = layout
                _read_people(sheet, layout, source, known, info, reading, progress)
    return reading


def _read_people(sheet: SheetData, layout: SheetLayout, source: _Source, known: set[str], info: dict[str, Any],
                 reading: _Reading, progress: Progress | None) -> None:
    labels = header_labels(layout)
    defaults = sheet_defaults(sheet, layout)
    records = reading.records
    junk = 0
    file = source.path.name
    room = MAX_IMPORT_ROWS - reading.people_rows - len(reading.outlet_rows)  # rows this sheet may still add
    read = usable = 0
    try:
        for raw, cleaned in cleaned_records(iter_records(sheet, layout), before=reading.stored.prefetch
                                            if reading.stored is not None else None):
            rec = to_person(raw, layout, file, sheet.blank_formulas, known, sheet.first_col, labels, defaults, cleaned)
            read += 1
            if read > room:
                _check_total(MAX_IMPORT_ROWS + 1)
            if progress and read % 5000 == 0:
                progress("校验", reading.people_rows + read, 0)
            if not rec.problems or not rec.rejected:  # the common case first: a usable row
                junk = 0
                usable += 1
                if not reading.may_reject(rec):
                    raw.cells = _DROPPED  # most of a record's memory; read again if the plan rejects the row
                records.append(rec)
                continue
            if _carries_person(rec):
                junk = 0
                reading.persons += 1
            else:
                junk += 1
            if reading.kept_rejected >= MAX_KEPT_REJECTED:
                reading.rejected_uncounted += 1  # counted and listed (while the list has room), not kept
                for p in rec.problems:
                    reading.note(_problem_dict(rec, p))
            else:
                reading.kept_rejected += 1
                raw.cells = [_stored_cell(c) for c in raw.cells]
                raw.values = {k: _stored_cell(v) for k, v in raw.values.items()}
                records.append(rec)
            if junk >= JUNK_RUN:
                info["stopped_at"] = rec.row
                reading.notices.append({"file": file, "sheet": sheet.name, "row": rec.row, "column": "",
                              "field": "", "level": "warning", "code": "junk_rows",
                              "message": f"从第{rec.row - JUNK_RUN + 1}行起连续{JUNK_RUN}行都没有可识别的人员"
                                         f"（姓名或身份证号），第{rec.row}行以下未再读取；如下方确有人员，"
                                         "请删除中间的无关内容后再导入。", "name": None})
                return
    finally:
        info["rows"] += read
        reading.people_rows += read
        reading.persons += usable


def _check_total(rows: int) -> None:
    if rows > MAX_IMPORT_ROWS:
        raise UserError(f"一次最多导入{MAX_IMPORT_ROWS // 10_000}万行，这些文件超过了这个数量，"
                        "请按街道或企业拆分成几个文件分批导入。")


def _plan(reg: Registry, today: date | None, reading: _Reading, known: set[str], managed_from: str,
          state: str | None = None) -> Plan:
    planner = Planner(reg, today, managed_from)
    if reading.prefetch is not None:
        with timing.step("等待预读的已登记人员"):
            planner.prefetched = reading.prefetch.result(state if state is not None else fingerprint(reg.conn))
    now = planner.known_org_names()
    if now != known and _settled_differently(reading.records, known, now):
        # 在册 or 流动 was decided against the organisations as they were when the rows were read.
        raise UserError("导入过程中党组织名单被修改过，为免判断错误本次没有导入任何数据，请重新导入。")
    for values in reading.outlet_rows:
        planner.add_outlet_row(values)
    plan = planner.build(reading.records)
    reading.notices.extend(_stand_in_notices(plan))
    return plan


def _stand_in_notices(plan: Plan) -> list[dict[str, Any]]:
    """One notice per sheet and step dated by a stage date for want of its own date column (not one per row)."""
    seen: dict[tuple[str, str, str], tuple[int, str]] = {}
    for rec in [*plan.new, *(u[0] for u in plan.updates)]:
        for w in rec.writes:
            if w.fallback:
                seen.setdefault((rec.file, rec.sheet, w.step), (rec.row, w.fallback))
    out = []
    for (file, sheet, step), (row, fallback) in seen.items():
        label, stage = BY_KEY[step].label, PERSON_BY_KEY[fallback].label
        out.append({"file": file, "sheet": sheet, "row": row, "column": "", "field": "", "level": "warning",
                    "code": "step_dated_by_stage", "name": None,
                    "message": f"表中没有“{label}”的日期，这一步按{stage}登记（这一步在此之前完成，以此为最晚日期）；"
                               "如知道确切日期，请在发展党员记录中更正。"})
    return out


def _settled_differently(records: list[PersonRecord], before: set[str], now: set[str]) -> bool:
    """Whether organisations added or removed meanwhile would turn a member read as 流动 into 在册 (or back)."""
    if before - now:
        return True  # one removed or renamed: what was read as ours may no longer be
    return any(rec.values.get("relation") == "流入" and (home := rec.values.get("home_organization"))
               and ((relationship_is_local(home, now) and not relationship_is_local(home, before))
                    or (norm_name(home) in now and norm_name(home) not in before))  # 是 + one of ours: 流出
               for rec in records)


def _import(reg: Registry, paths: Sequence[Path | str], *, dry_run: bool, strict: bool,
            mappings: dict[str, str] | None, today: date | None, progress: Progress | None,
            managed_from: str) -> ImportResult:
    timing.reset()
    with timing.step("检查文件与哈希"):
        sources = _check_paths([Path(p) for p in paths])
    known = Planner(reg, today).known_org_names()
    result = ImportResult(dry_run=dry_run, managed_from=managed_from)
    on_disk = str(reg.path) != ":memory:"
    # While a large census is parsed (calamine does it without the GIL), the people it will be compared with are
    # read on another connection; the plan takes them if nobody has written since.
    prefetch = Prefetch(reg.path, int(reg.scalar("SELECT count(*) FROM people"))) if on_disk else None
    with ThreadPoolExecutor(1) as pool:
        # The automatic backup is made while the files are read, planned and written (SQLite copies and checks
        # without the GIL, from a snapshot of the data before the import); the commit waits for it.
        alongside = None if dry_run or not on_disk else pool.submit(_backup_copy, reg.path)
        # Leaving the pool waits for the copy, so a refused or failed import still lets it finish first.
        try:
            return _read_and_write(reg, sources, alongside, dry_run=dry_run, strict=strict, mappings=mappings,
                                   today=today, progress=progress, managed_from=managed_from, known=known,
                                   result=result, prefetch=prefetch)
        finally:
            if prefetch is not None:
                prefetch.close()


def _read_and_write(reg: Registry, sources: list[_Source], alongside: Future[str | None] | None, *,
                    dry_run: bool, strict: bool, mappings: dict[str, str] | None, today: date | None,
                    progress: Progress | None, managed_from: str, known: set[str],
                    result: ImportResult, prefetch: Prefetch | None = None) -> ImportResult:
    with timing.step("读取与逐行整理（合计）"):
        reading = _read(reg, sources, mappings, known, result, progress, today, prefetch)
    if not any(s["kind"] == "people" for s in result.sheets) and not reading.outlet_rows:
        reasons = "；".join(f"{s['sheet']}：{s['reason']}" for s in result.sheets if s["reason"])
        if any(s["kind"] == "outlets" for s in result.sheets):
            raise UserError("网点清单只有表头，没有网点数据，请填写网点后再导入。")
        raise UserError(f"文件中没有找到人员名单或网点清单（{reasons}），请确认表头包含“姓名”“身份证号”等列。")
    if not reading.records and not reading.outlet_rows and not reading.rejected_uncounted:
        names = "、".join(f"“{s['sheet']}”" for s in result.sheets if s["kind"] == "people")
        raise UserError(f"工作表{names}只有表头，下面没有人员数据，请确认选对了文件或工作表后再导入。")
    if not reading.persons and not reading.outlet_rows:
        names = "、".join(f"“{s['sheet']}”" for s in result.sheets if s["kind"] == "people")
        raise UserError(f"工作表{names}表头下面的前{reading.people_rows}行里没有可识别的人员（姓名或身份证号），"
                        "本次没有导入；请确认选对了文件，或检查各列内容是否与表头对应。")
    if dry_run:
        _summarise(result, reading, _plan(reg, today, reading, known, managed_from))
        return result
    if progress:
        progress("写入", 0, len(reading.records))
    names = "、".join(s.path.name for s in sources)
    # The plan is made inside the write transaction: nobody can change the registry between what the plan
    # saw and what it writes, so the audit log records the values really replaced and undo restores them.
    reg.conn.execute(f"PRAGMA busy_timeout = {IMPORT_BUSY_TIMEOUT_MS}")
    try:
        with reg.transaction("import.apply", f"导入 {names}") as tx:
            tx.effective = managed_from  # what the census changes about registered people changes on its day
            state = fingerprint(reg.conn, tx.operation_id) if alongside is not None or prefetch is not None else None
            with timing.step("比对与规则（计划）"):
                plan = _plan(reg, today, reading, known, managed_from, state)
                _summarise(result, reading, plan)
            if strict and (plan.rejected or reading.rejected_uncounted):
                return result  # nothing written: the transaction rolls back
            _write(tx, plan, result, reading, sources)
            _backed_up(reg, alongside, state, progress)
            committing = time.perf_counter()
        timing.add("提交（fsync）", time.perf_counter() - committing)
    except (sqlite3.OperationalError, DatabaseBusy) as exc:
        if not isinstance(exc, DatabaseBusy) and "locked" not in str(exc) and "busy" not in str(exc):
            raise
        raise UserError(f"数据库正被另一个导入或修改占用，等待{IMPORT_BUSY_TIMEOUT_MS // 60_000}分钟后仍未完成，"
                        "本次没有导入任何数据，请稍后再导入。") from exc
    finally:
        reg.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    result.applied = True
    return result


def _summarise(result: ImportResult, reading: _Reading, plan: Plan) -> None:
    result.rows = len(reading.records) + reading.rejected_uncounted
    result.added, result.updated, result.unchanged = len(plan.new), len(plan.updates), len(plan.unchanged)
    result.rejected, result.duplicates = len(plan.rejected) + reading.rejected_uncounted, plan.duplicates
    result.unverified = plan.unverified
    # After planning, which adds its own problems (conflicts, duplicates, stage rules) to the records.
    problems: list[dict[str, Any]] = list(reading.notices)
    omitted = reading.problems_omitted
    for rec in reading.records:
        for p in rec.problems:
            if len(problems) < MAX_KEPT_PROBLEMS:
                problems.append(_problem_dict(rec, p))
            else:
                omitted += 1
    room = MAX_KEPT_PROBLEMS - len(problems)
    problems.extend(reading.problems[:room])
    omitted += max(0, len(reading.problems) - room)
    problems.sort(key=lambda p: (p["file"], p["sheet"], p["row"]))
    result.problems = problems
    result.problems_omitted = omitted


# The cells of a usable row are let go as soon as it is read (a 300,000-person census: some 300 MB of them).
_DROPPED: list[object] = []


def _refetch_cells(reading: _Reading, sources: list[_Source], rejected: list[PersonRecord]) -> None:
    """The rows the plan rejected (a name conflict, a duplicate, a stage rule) read again for the problem list."""
    wanted: dict[tuple[str, str], dict[int, RawRecord]] = {}
    for rec in rejected:
        if rec.raw.cells is _DROPPED:
            wanted.setdefault((rec.file, rec.sheet), {})[rec.row] = rec.raw
    for source in sources:
        name = source.path.name
        if not any(file == name for file, _sheet in wanted) or _hash(source.path) != source.sha256:
            continue  # a file changed since it was read: its rows go back with their reasons only
        for sheet in iter_sheets(source.path):
            rows = wanted.get((name, sheet.name))
            layout = reading.layouts.get((name, sheet.name))
            if not rows or layout is None:
                continue
            for raw in iter_records(sheet, layout):
                target = rows.pop(raw.row, None)
                if target is not None:
                    target.cells = [_stored_cell(c) for c in raw.cells]
                    if not rows:
                        break


def _write(tx: Tx, plan: Plan, result: ImportResult, reading: _Reading, sources: list[_Source]) -> None:
    kept = sorted(plan.rejected[:MAX_KEPT_REJECTED], key=lambda r: (r.file, r.sheet, r.row))  # in sheet order
    with timing.step("批次记录"):
        _refetch_cells(reading, sources, kept)  # before the write, whose memory it would otherwise add to
        result.batch = _record_batch(tx, plan, result, reading, sources, kept)
    applier = Applier(tx, plan, result.managed_from or date.today().isoformat(), result.batch)
    applier.run()
    result.created = applier.counts


def _record_batch(tx: Tx, plan: Plan, result: ImportResult, reading: _Reading, sources: list[_Source],
                  kept: list[PersonRecord]) -> int:
    """The batch row, written first: it is the audit event of the people the import adds (people.batch_id), and
    keeps the files' hashes, the counts and the range of people ids the bulk insert is about to take."""
    first = tx.conn.execute("SELECT ifnull(max(id), 0) + 1 FROM people").fetchone()[0]
    files = [{"name": s.path.name, "path": str(s.path), "sha256": s.sha256} for s in sources]
    rejected_rows = [{"file": r.file, "sheet": r.sheet, "row": r.row, "cells": [_stored_cell(c) for c in r.raw.cells],
                      "reasons": "；".join(p.message for p in r.problems if p.level == "error")}
                     for r in kept]
    names = "、".join(s.path.name for s in sources)
    return tx.insert("import_batches", {
        "operation_id": tx.operation_id, "at": tx.at, "operator": tx.operator,
        "files": json.dumps(files, ensure_ascii=False), "rows": result.rows, "added": result.added,
        "updated": result.updated, "unchanged": result.unchanged, "rejected": result.rejected,
        "duplicates": result.duplicates, "problems": json.dumps(result.problems, ensure_ascii=False),
        "people_from": first if plan.new else None, "people_to": first + len(plan.new) - 1 if plan.new else None,
        "rejected_rows": json.dumps({"headers": reading.headers, "rows": rejected_rows,
                                     "omitted": max(0, result.rejected - len(rejected_rows))},
                                    ensure_ascii=False, default=_json_cell),
    }, label=names)


def _header_cells(sheet: SheetData, layout: SheetLayout) -> list[str]:
    """The header as the user wrote it (for two-row headers, the lower labels where they exist)."""
    index = layout.header_row - sheet.first_row
    lower = sheet.rows[index] if 0 <= index < len(sheet.rows) else []
    upper = sheet.rows[index - 1] if layout.header_rows == 2 and index >= 1 else []
    width = max(len(lower), len(upper))
    out = []
    for j in range(width):
        text = _as_text(lower[j]) if j < len(lower) else ""
        if not text.strip() and j < len(upper):
            text = _as_text(upper[j])
        out.append(text)
    return out


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_cell(value: object) -> object:
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return str(value)
