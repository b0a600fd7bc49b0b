"""Report files: who reports, and saving a PDF through the shared audited writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from registry import exports
from registry.services.organizations import require_org
from registry.storage.database import Registry


def reporting_unit(reg: Registry, org: str | None) -> str:
    """Who reports: the organisation asked for, else the unit set up with `init --unit`, else the single root."""
    if org:
        return require_org(reg, org)["name"]
    unit = reg.setting("unit")
    if unit:
        return unit
    roots = [r[0] for r in reg.conn.execute("SELECT name FROM organizations WHERE parent_id IS NULL LIMIT 2")]
    return roots[0] if len(roots) == 1 else "快递行业党组织"


def check_target(out: Path) -> Path:
    """The target must be a .pdf in a folder that exists."""
    return exports.check_target(out, (".pdf",), "报表", "月报.pdf")


def publish(reg: Registry, out: Path, kind: str, title: str, detail: dict[str, Any],
            write: Callable[[Path], Any]) -> Any:
    """Build the PDF beside the target and move it into place with its audit row (see registry.exports)."""
    out = check_target(out)
    return exports.publish(reg, out, action=f"report.{kind}", summary=f"生成{title} {out.name}", write=write,
                           detail={"format": "pdf", "report": kind, **detail})
