"""Dated membership in the writer: a change to a counted column closes the person's current state into a span."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from registry.rules.membership import TRACKED_COLUMNS

if TYPE_CHECKING:
    from registry.storage.database import Tx


def state_start(person: Mapping[str, Any]) -> str | None:
    """The day the person's current state began: the last dated change, else the day they came under us."""
    return person.get("state_from") or person.get("managed_from")


def close_state(tx: Tx, person: Mapping[str, Any], changed: Mapping[str, Any], day: str) -> str | None:
    """Keep the state `person` had until `day` as a span; returns the new state_from, or None for no span.

    A change dated on or before the start of the current state corrects that state from its start (there is
    no earlier moment in our records to keep it for): no span, the row alone is written.
    """
    if not set(changed) & set(TRACKED_COLUMNS):
        return None
    start = state_start(person)
    if start is not None and day <= start:
        return None
    tx.insert("person_states", {
        "person_id": person["id"], "valid_from": start, "valid_to": day,
        **{c: person.get(c) for c in TRACKED_COLUMNS}}, label=person.get("name"))
    return day
