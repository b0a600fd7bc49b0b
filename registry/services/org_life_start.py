"""A new branch's 组织生活 records begin the month it is entered: written with it, so the due list has no past."""

from __future__ import annotations

import datetime

from registry.display import cn_date
from registry.rules.org_life import BRANCH_TYPES, records_begin
from registry.storage.database import Registry, Tx


def begin_records(tx: Tx, organization_id: int, name: str, kind: str | None, today: datetime.date) -> str | None:
    """Give a branch just added (or just made a branch) its records' first day, unless it has settings already;
    the day written, or None (not a branch, or settings kept)."""
    if kind not in BRANCH_TYPES or tx.conn.execute(
            "SELECT 1 FROM org_life_settings WHERE organization_id = ?", (organization_id,)).fetchone():
        return None
    day = records_begin(today).isoformat()
    tx.insert("org_life_settings", {"organization_id": organization_id, "records_from": day}, label=name)
    return day


def begun_note(reg: Registry, organization_id: int) -> str | None:
    """What the secretary is told when a branch has just been added (the CLI and the window say the same)."""
    row = reg.conn.execute("SELECT o.name, s.records_from FROM organizations o JOIN org_life_settings s"
                           " ON s.organization_id = o.id WHERE o.id = ?", (organization_id,)).fetchone()
    if row is None or row[1] is None:
        return None
    return f"“{row[0]}”的组织生活自{cn_date(row[1])}起记录，此前不计为未开；补录了以往的会议后，可在组织生活设置中改早。"
