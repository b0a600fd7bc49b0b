"""Who was ours at a date, person by person: the state the reports count, read from the row or a past span."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from registry.rules.membership import member_group
from registry.storage.database import Registry
from registry.storage.fragments import (
    CATEGORY_AT,
    EFFECTIVE_ORG,
    PRESENT_AT,
    ROW_STATE_AT,
    SPAN_AT,
    first_day,
)


class PersonState(NamedTuple):
    """One person as counted at a date."""

    person_id: int
    category: str
    relation: str
    status: str
    lost_contact: bool
    organization_id: int | None  # their own organisation, else the one covering their outlet
    outlet_id: int | None

    @property
    def group(self) -> str | None:
        """registered / flowing_in / unverified / stopped, or None for a non-member."""
        return member_group(self.category, self.relation, self.status)


_COLUMNS = "{a}.organization_id, {a}.outlet_id, {a}.relation, {a}.status, {a}.lost_contact"


def states_at(reg: Registry, day: date, person_ids: Iterable[int] | None = None) -> dict[int, PersonState]:
    """The state of every person here on `day` (or only of `person_ids`), keyed by person id."""
    params: dict[str, object] = {"d": day.isoformat()}
    only = ""
    if person_ids is not None:
        reg.conn.execute("CREATE TEMP TABLE IF NOT EXISTS asked (id INTEGER PRIMARY KEY)")
        reg.conn.execute("DELETE FROM temp.asked")
        reg.conn.executemany("INSERT OR IGNORE INTO temp.asked (id) VALUES (?)", ((i,) for i in person_ids))
        only = " AND p.id IN (SELECT id FROM temp.asked)"
    rows = reg.conn.execute(
        f"SELECT p.id, {CATEGORY_AT}, p.relation, p.status, p.lost_contact, {EFFECTIVE_ORG.format(a='p')},"
        f" p.outlet_id FROM people p WHERE {PRESENT_AT} AND {ROW_STATE_AT}{only}"
        f" UNION ALL SELECT p.id, {CATEGORY_AT}, s.relation, s.status, s.lost_contact,"
        f" {EFFECTIVE_ORG.format(a='s')}, s.outlet_id FROM person_states s JOIN people p ON p.id = s.person_id"
        f" WHERE {SPAN_AT} AND {PRESENT_AT}{only}", params).fetchall()
    return {r[0]: PersonState(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows}


_STAGES = ("applied_on", "activist_on", "target_on", "joined_on", "full_on", "cancelled_on")


def changed_between(reg: Registry, after: date, until: date) -> set[int]:
    """People whose state may differ between the end of `after` and the end of `until`: every dated event
    (coming, leaving, a stage, a change of state) in (after, until]. Everyone else is the same on both days."""
    lo, hi = after.isoformat(), until.isoformat()
    days = [first_day(f"p.{c}") for c in ("managed_from", "left_on", "state_from", *_STAGES)]
    # A month-only stage date counts from the first of its month, as CATEGORY_AT compares it.
    cond = " OR ".join(f"({d} > :lo AND {d} <= :hi)" for d in days)
    ids = {r[0] for r in reg.conn.execute(f"SELECT p.id FROM people p WHERE {cond}", {"lo": lo, "hi": hi})}
    ids.update(r[0] for r in reg.conn.execute(
        "SELECT person_id FROM person_states WHERE (valid_to > :lo AND valid_to <= :hi)"
        " OR (valid_from > :lo AND valid_from <= :hi)", {"lo": lo, "hi": hi}))
    # The approval of an admission, which is when a 预备党员 counts as one (CATEGORY_AT).
    day = first_day("on_date")
    ids.update(r[0] for r in reg.conn.execute(
        f"SELECT person_id FROM development_steps WHERE step = 'admission_approval' AND {day} > :lo AND {day} <= :hi",
        {"lo": lo, "hi": hi}))
    return ids
