"""The census import use case: read every file, preview or apply in one transaction, record the batch."""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from registry.errors import UserError
from registry.importing.apply import Applier
from registry.importing.layout import SheetLayout, detect_layout, iter_records
from registry.importing.plan import Planner
from registry.importing.readers import SheetData, read_file
from registry.importing.records import PersonRecord, header_labels, sheet_defaults, to_person
from registry.importing.templates import load_overrides
from registry.rules.idnumber import check_id
from registry.rules.text import clean_text
from registry.services.backups import before_import
from registry.storage.database import Registry
from registry.validation import clear_cell_cache

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    batch: int | None = None
    dry_run: bool = False
    applied: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "duplicates": self.duplicates, "batch": self.batch,
                "dry_run": self.dry_run, "applied": self.applied, **self.created,
                "sheets": self.sheets, "problems": self.problems}


@dataclass
class _Source:
    path: Path
    sha256: str
    sheets: list[tuple[SheetData, SheetLayout]]


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_all(reg: Registry, paths: Sequence[Path], mappings: dict[str, str] | None) -> list[_Source]:
    """Every file is read before anything is decided: one unusable file stops the whole import."""
    sources = []
    with ThreadPoolExecutor(1) as pool:  # hashlib lets go of the GIL: the hash is taken while the file is read
        for path in paths:
            path = Path(path)
            if not path.is_file():
                raise UserError(f"找不到文件“{path}”，请检查路径。")
            digest = pool.submit(_hash, path)
            sheets = read_file(path)
            laid = [(s, detect_layout(s, {**load_overrides(reg, s), **(mappings or {})})) for s in sheets]
            sources.append(_Source(path, digest.result(), laid))
    return sources


def _problem_dict(rec: PersonRecord, p: Any) -> dict[str, Any]:
    return {"file": rec.file, "sheet": rec.sheet, "row": rec.row, "column": rec.labels.get(p.field, p.label),
            "field": p.field, "level": p.level, "code": p.code, "message": p.message,
            "name": rec.values.get("name") or clean_text(rec.raw.values.get("name"))}


def import_files(reg: Registry, paths: Sequence[Path | str], *, dry_run: bool = False, strict: bool = False,
                 mappings: dict[str, str] | None = None, today: date | None = None,
                 progress: Progress | None = None) -> ImportResult:
    """Import census files: a preview with dry_run, else one transaction recorded as a batch."""
    # Hundreds of thousands of small containers and no cycles among them: the cyclic garbage collector
    # would rescan the growing heap again and again (measured: import time growing faster than the rows).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(reg, paths, dry_run=dry_run, strict=strict, mappings=mappings, today=today,
                       progress=progress)
    finally:
        if enabled:
            gc.enable()


def _import(reg: Registry, paths: Sequence[Path | str], *, dry_run: bool, strict: bool,
            mappings: dict[str, str] | None, today: date | None, progress: Progress | None) -> ImportResult:
    sources = _read_all(reg, [Path(p) for p in paths], mappings)
    planner = Planner(reg, today)
    known = planner.known_org_names()
    records: list[PersonRecord] = []
    result = ImportResult(dry_run=dry_run)
    for source in sources:
        for sheet, layout in source.sheets:
            info = {"file": source.path.name, "sheet": sheet.name, "kind": layout.kind,
                    "header_row": layout.header_row or None,
                    "columns": {layout.labels.get(c, str(c)): k for c, k in layout.columns.items()},
                    "unmapped": layout.unmapped, "reason": layout.reason, "rows": 0}
            result.sheets.append(info)
            if layout.kind == "outlets":
                for raw in iter_records(sheet, layout):
                    planner.add_outlet_row({k: clean_text(v) for k, v in raw.values.items()})
                    info["rows"] += 1
            elif layout.kind == "people":
                labels = header_labels(layout)
                defaults = sheet_defaults(sheet, layout)
                for raw in iter_records(sheet, layout):
                    records.append(to_person(raw, layout, source.path.name, sheet.blank_formulas, known,
                                             sheet.first_col, labels, defaults))
                    info["rows"] += 1
                    if progress and len(records) % 5000 == 0:
                        progress("校验", len(records), 0)
    plan = planner.build(records)
    check_id.cache_clear()  # type: ignore[attr-defined]  # the memos have done their job; free them
    clear_cell_cache()
    result.rows = len(records)
    result.added, result.updated, result.unchanged = len(plan.new), len(plan.updates), len(plan.unchanged)
    result.rejected, result.duplicates = len(plan.rejected), plan.duplicates
    result.problems = [_problem_dict(rec, p) for rec in records for p in rec.problems]
    result.problems.sort(key=lambda p: (p["file"], p["sheet"], p["row"]))
    if not any(s["kind"] == "people" for s in result.sheets) and not plan.outlets:
        reasons = "；".join(f"{s['sheet']}：{s['reason']}" for s in result.sheets if s["reason"])
        raise UserError(f"文件中没有找到人员名单或网点清单（{reasons}），请确认表头包含“姓名”“身份证号”等列。")
    if dry_run or (strict and plan.rejected):
        return result
    if progress:
        progress("写入", 0, len(plan.new) + len(plan.updates))
    names = "、".join(s.path.name for s in sources)
    before_import(reg)  # backups: an automatic, checked copy before the import writes
    with reg.transaction("import.apply", f"导入 {names}") as tx:
        applier = Applier(tx, plan)
        applier.run()
        result.created = applier.counts
        files = [{"name": s.path.name, "path": str(s.path), "sha256": s.sha256} for s in sources]
        rejected_rows = [{"file": r.file, "sheet": r.sheet, "row": r.row, "cells": r.raw.cells,
                          "reasons": "；".join(p.message for p in r.problems if p.level == "error")}
                         for r in plan.rejected]
        headers = {f"{s.path.name}\x1f{sheet.name}": _header_cells(sheet, layout)
                   for s in sources for sheet, layout in s.sheets if layout.kind == "people"}
        result.batch = tx.insert("import_batches", {
            "operation_id": tx.operation_id, "at": tx.at, "operator": tx.operator,
            "files": json.dumps(files, ensure_ascii=False), "rows": result.rows, "added": result.added,
            "updated": result.updated, "unchanged": result.unchanged, "rejected": result.rejected,
            "duplicates": result.duplicates, "problems": json.dumps(result.problems, ensure_ascii=False),
            "rejected_rows": json.dumps({"headers": headers, "rows": rejected_rows}, ensure_ascii=False,
                                        default=_json_cell),
        }, label=names)
    result.applied = True
    return result


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
