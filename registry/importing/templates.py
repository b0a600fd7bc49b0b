"""Column mappings the user corrected, saved per sheet template (recognised by its header row)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from registry.errors import UserError
from registry.fields import IMPORT_BY_KEY, OUTLET_BY_KEY
from registry.importing.readers import SheetData
from registry.rules.text import normalise_header
from registry.storage.database import Registry

SEARCH_ROWS = 20


def template_signature(sheet: SheetData) -> str:
    """The row with the most text cells near the top stands for the template."""
    best: list[str] = []
    for cells in sheet.rows[:SEARCH_ROWS]:
        texts = [normalise_header(c) for c in cells if isinstance(c, str) and c.strip()]
        if len(texts) > len(best):
            best = texts
    return hashlib.sha1("|".join(best).encode("utf-8")).hexdigest()


def load_overrides(reg: Registry, sheet: SheetData) -> dict[str, str]:
    row = reg.conn.execute("SELECT overrides FROM import_templates WHERE signature = ?",
                           (template_signature(sheet),)).fetchone()
    return json.loads(row[0]) if row else {}


def check_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """Header text -> field key ('' to ignore the column); field may be given by key or Chinese label."""
    labels = {f.label: k for k, f in {**OUTLET_BY_KEY, **IMPORT_BY_KEY}.items()}
    out = {}
    for header, target in mapping.items():
        key = labels.get(target, target)
        if key and key not in IMPORT_BY_KEY and key not in OUTLET_BY_KEY:
            raise UserError(f"“{target}”不是可导入的字段，请使用如“姓名”“公民身份号码”“人员类别”等字段名。")
        out[normalise_header(header)] = key
    return out


def save_mapping(reg: Registry, sheet: SheetData, mapping: dict[str, str]) -> None:
    """Remember a corrected mapping for every later sheet with the same header."""
    overrides = check_mapping(mapping)
    signature = template_signature(sheet)
    with reg.transaction("import.template", f"保存表头对应关系（{sheet.name}）") as tx:
        old = tx.conn.execute("SELECT overrides FROM import_templates WHERE signature = ?", (signature,)).fetchone()
        merged = {**(json.loads(old[0]) if old else {}), **overrides}
        tx.conn.execute(
            "INSERT INTO import_templates (signature, sheet, overrides, saved_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(signature) DO UPDATE SET overrides = excluded.overrides, saved_at = excluded.saved_at",
            (signature, sheet.name, json.dumps(merged, ensure_ascii=False), datetime.now().isoformat(timespec="seconds")))
        tx.audit([(tx.operation_id, tx.at, tx.operator, "update", "import_templates", 0, sheet.name, "overrides",
                   old[0] if old else None, json.dumps(merged, ensure_ascii=False))])
