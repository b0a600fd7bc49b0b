"""The report's comparison row (本期, 上期, 增减) and its organisation scope, shared by every section."""

from __future__ import annotations

from typing import Any

from registry.storage.fragments import subtree_clause


def compare(key: str, label: str, current: float, previous: float) -> dict[str, Any]:
    """One row of a 本期/上期/增减 table; a change of floats is rounded to one place."""
    change = round(current - previous, 1) if isinstance(current, float) or isinstance(previous, float) \
        else current - previous
    return {"key": key, "label": label, "current": current, "previous": previous, "change": change}


def scope_clause(org_ids: list[int] | None) -> tuple[str, list[Any]]:
    """People in an organisation subtree: their own organisation, else the one covering their outlet."""
    return ("1", []) if org_ids is None else subtree_clause(org_ids)
