"""The 发展党员 list: everyone in the pipeline with their stage, next step, its time limit and what is missing.

Read in a handful of queries for the whole list (the people, all their step rows, the roster's names once), then
the pure findings engine per person: record_outline per person would cost a dozen queries each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from registry.errors import UserError
from registry.rules.dates import PartialDate
from registry.rules.deadlines import (
    approval_lapses_on,
    probation_end,
    review_due,
    talk_due,
    target_eligible_on,
)
from registry.rules.dev_steps import BY_KEY, ENTRY_KEY, STAGE_OF_CATEGORY, STEPS, stage_index
from registry.rules.development_checks import (
    Finding,
    PersonRef,
    StepRecord,
    names_of,
    summary_records,
)
from registry.services.activities import list_meetings
from registry.services.development import STAGE_DATE, check_missing
from registry.services.development_steps import findings_from
from registry.services.people import require_person
from registry.services.search import ORDERS, PEOPLE_SELECT
from registry.storage.database import Registry
from registry.storage.fragments import subtree_clause
from registry.validation import user_date

PIPELINE_CATEGORIES = ("入党申请人", "入党积极分子", "发展对象", "预备党员")
# Findings that only say a step was kept on paper before the registry: counted apart, not as something missing.
HISTORICAL = "not_recorded"


def pipeline(reg: Registry, *, category: str | None = None, org_ids: list[int] | None = None,
             today: date | None = None) -> list[dict[str, Any]]:
    """Everyone in the pipeline (入党申请人 … 预备党员, not left), by stage then name, each with: stage, stage date,
    next step and its time limit, the errors and warnings of the record (their sentences) and the steps not
    recorded before the registry was kept (未录入（历史档案）).

    category: one stage's people only; org_ids: an organisation subtree (the branch filter)."""
    today = today or date.today()
    cats = [category] if category else list(PIPELINE_CATEGORIES)
    where = [f"p.category IN ({','.join('?' * len(cats))})", "p.left_on IS NULL"]
    params: list[Any] = list(cats)
    if org_ids is not None:
        clause, more = subtree_clause(org_ids)
        where.append(clause)
        params.extend(more)
    people = reg.query(f"{PEOPLE_SELECT} WHERE {' AND '.join(where)} ORDER BY {ORDERS['stroke']}", params)
    if not people:
        return []
    # All step rows of pipeline people in one read; a few thousand rows at most.
    step_sql = ("SELECT s.person_id, s.step, s.on_date, s.fields, s.override_reason, s.id FROM development_steps s"
                " JOIN people p ON p.id = s.person_id WHERE p.left_on IS NULL AND p.category IN"
                f" ({','.join('?' * len(cats))}) ORDER BY s.on_date, s.id")
    out = _rows(reg, people, reg.conn.execute(step_sql, cats), today)
    order = {c: i for i, c in enumerate(PIPELINE_CATEGORIES)}
    out.sort(key=lambda r: order[r["category"]])  # stable: the name order stays within a stage
    return out


def warm_in_steps(reg: Registry, today: date | None = None, per_step: int = 50) -> Iterator[int]:
    """Compute the list's rows in slices of per_step people, yielding the count done after each: the window
    runs it in idle time, so that the page's first showing finds its rows cached. Nothing is written."""
    today = today or date.today()
    cats = list(PIPELINE_CATEGORIES)
    marks = ",".join("?" * len(cats))
    people = reg.query(f"{PEOPLE_SELECT} WHERE p.category IN ({marks}) AND p.left_on IS NULL", cats)
    step_sql = ("SELECT s.person_id, s.step, s.on_date, s.fields, s.override_reason, s.id FROM development_steps s"
                f" JOIN people p ON p.id = s.person_id WHERE p.left_on IS NULL AND p.category IN ({marks})")
    every = reg.conn.execute(step_sql, cats).fetchall()
    roster = _Roster(reg)
    for start in range(0, len(people), per_step):
        chunk = people[start:start + per_step]
        ids = {p["id"] for p in chunk}
        _rows(reg, chunk, sorted((r for r in every if r[0] in ids), key=lambda r: (r[2] or "", r[5])), today, roster)
        yield start + len(chunk)


def pipeline_row(reg: Registry, person_id: int, today: date | None = None) -> dict[str, Any] | None:
    """One person's row of the list (None for someone not in the pipeline)."""
    people = reg.query(f"{PEOPLE_SELECT} WHERE p.id = ?", (person_id,))
    if not people or people[0]["category"] not in PIPELINE_CATEGORIES:
        return None
    cur = reg.conn.execute("SELECT person_id, step, on_date, fields, override_reason, id FROM development_steps"
                           " WHERE person_id = ? ORDER BY on_date, id", (person_id,))
    return _rows(reg, people, cur, today or date.today())[0]


def next_step_key(reg: Registry, person_id: int) -> str | None:
    """The step 登记步骤 proposes first for this person: the next one still to be done."""
    row = pipeline_row(reg, person_id)
    return row["next_key"] if row else None


def _rows(reg: Registry, people: list[dict[str, Any]], step_rows: Any, today: date,
          roster: _Roster | None = None) -> list[dict[str, Any]]:
    ids = {p["id"] for p in people}
    raw: dict[int, list[tuple[Any, ...]]] = {}
    for r in step_rows:
        if r[0] in ids:
            raw.setdefault(r[0], []).append(tuple(r))
    roster = roster or _Roster(reg)
    db = str(reg.path)
    return [_cached_row(db, p, tuple(raw.get(p["id"], ())), roster, today) for p in people]


def _records(person: Mapping[str, Any], raw: tuple[tuple[Any, ...], ...], roster: _Roster) -> list[StepRecord]:
    """The step rows as the findings engine takes them, people named looked up on the roster read once."""
    recs = []
    for _pid, step, on, fields, reason, row_id in raw:
        values = {k: [roster.ref(p) for p in v] if isinstance(v, list) and all(isinstance(p, dict) for p in v) else v
                  for k, v in json.loads(fields or "{}").items()}
        recs.append(StepRecord(step, on, values, reason, True, row_id))
    return [*recs, *roster.summary(person, recs)]


class _Roster:
    """The roster's names and categories, read once, to look up the people a step names (介绍人, 联系人 …)."""

    def __init__(self, reg: Registry) -> None:
        self.category: dict[int, str] = {}
        self.by_name: dict[str, list[int]] = {}
        for pid, name, category in reg.conn.execute("SELECT id, name, category FROM people WHERE left_on IS NULL"):
            self.category[pid] = category
            self.by_name.setdefault(name, []).append(pid)

    def dependencies(self, person: Mapping[str, Any], recs: list[StepRecord]) -> tuple[tuple[Any, ...], ...]:
        """What of the roster a person's rows were computed from: the category of everyone their steps name by
        roster id, and who bears each name their contacts / introducers columns give."""
        deps: set[tuple[Any, ...]] = set()
        for r in recs:
            for value in r.fields.values():
                for p in value if isinstance(value, list) else ():
                    if isinstance(p, PersonRef) and p.person_id:
                        deps.add(("id", p.person_id, self.category.get(p.person_id)))
        for key in ("contacts", "introducers"):
            for name in names_of(person.get(key)):
                deps.add(("name", name, tuple(self.by_name.get(name, ()))))
        return tuple(deps)

    def still(self, dep: tuple[Any, ...]) -> bool:
        """Whether one dependency reads the same on this roster."""
        kind, key, value = dep
        if kind == "id":
            return self.category.get(key) == value
        return tuple(self.by_name.get(key, ())) == value

    def ref(self, p: Mapping[str, Any]) -> PersonRef:
        pid = p.get("person_id")
        return PersonRef(str(p.get("name") or ""), pid, self.category.get(pid) if pid else None)

    def summary(self, person: Mapping[str, Any], recs: list[StepRecord]) -> list[StepRecord]:
        """contacts / introducers known only as text, looked up by name (as development_steps does)."""
        have = {r.step for r in recs}
        extra = []
        for key in ("contacts", "introducers"):
            if key in have or not person.get(key):
                continue
            refs = []
            for name in names_of(person[key]):
                found = [i for i in self.by_name.get(name, []) if i != person["id"]]
                refs.append(PersonRef(name, found[0], self.category[found[0]]) if len(found) == 1 else PersonRef(name))
            extra.append(StepRecord(key, "", {"persons": refs}, recorded=False))
        return extra


# The findings engine costs about half a millisecond a person: a person's row is computed again only when what
# it is computed from changed: their row, their step rows, the day, or the roster entry of anyone their steps
# name (kept with the row as its dependencies, so that a hit decodes nothing).
_CACHE: dict[tuple[str, int], tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...], dict[str, Any]]] = {}
_CACHE_LIMIT = 50_000


def _cached_row(db: str, person: dict[str, Any], raw: tuple[tuple[Any, ...], ...], roster: _Roster,
                today: date) -> dict[str, Any]:
    key = (db, int(person["id"]))
    signature = (tuple(person.values()), raw, today)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == signature and all(roster.still(dep) for dep in hit[1]):
        return dict(hit[2])
    recs = _records(person, raw, roster)
    row = _row(person, recs, today)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = (signature, roster.dependencies(person, recs), row)
    return dict(row)


def _row(person: dict[str, Any], recs: list[StepRecord], today: date) -> dict[str, Any]:
    found = findings_from(person, recs, today)
    every = [*recs, *summary_records(person, recs)]
    errors = [f for f in found if f.level == "error"]
    warnings = [f for f in found if f.level != "error" and f.rule != HISTORICAL]
    step, limit, late = next_step(person, every, found, today)
    stage_step = BY_KEY[next(s.key for s in STEPS if s.enters == person["category"])]
    return {"person_id": person["id"], "name": person["name"], "category": person["category"],
            "organization": person.get("organization"), "outlet": person.get("outlet"),
            "stage_on": person.get(stage_step.summary or "") if stage_step.summary else None,
            "next_step": step.label if step else "", "next_key": step.key if step else None,
            "limit": limit, "late": late, "errors": [f.message for f in errors],
            "warnings": [f.message for f in warnings],
            "not_recorded": sum(1 for f in found if f.rule == HISTORICAL)}


def next_step(person: Mapping[str, Any], recs: list[StepRecord], found: list[Finding],
              today: date) -> tuple[Any, str, bool]:
    """The first mandatory step of the current stage or the next one still to be done, its time limit in words
    (「2026-12-01前」, 「2027-03-01起」 for the earliest day, or empty) and whether the limit has passed."""
    by_step: dict[str, list[StepRecord]] = {}
    for r in recs:
        by_step.setdefault(r.step, []).append(r)
    historical = {f.step for f in found if f.rule == HISTORICAL}
    due = {f.step for f in found if f.rule.endswith("_due")}
    reached = stage_index(STAGE_OF_CATEGORY[person["category"]])
    for step in STEPS:
        # Steps of the stages before are not next: one missing there is among the findings.
        if not step.mandatory or not reached <= stage_index(step.stage) <= reached + 1 or step.key in historical:
            continue
        if step.key in by_step and step.key not in due:
            continue
        return (step, *_limit(step.key, person, by_step, today))
    return None, "", False


def _day(by_step: Mapping[str, list[StepRecord]], key: str, last: bool = False) -> PartialDate | None:
    days = []
    for r in by_step.get(key, []):
        try:
            days.append(PartialDate.from_iso(r.on))
        except (ValueError, TypeError):
            continue
    if not days:
        return None
    return max(days, key=lambda d: d.first_day()) if last else min(days, key=lambda d: d.first_day())


def _limit(key: str, person: Mapping[str, Any], by_step: Mapping[str, list[StepRecord]],
           today: date) -> tuple[str, bool]:
    """The time limit the 细则 sets on a step, from the steps it follows."""
    def before(d: PartialDate | None) -> tuple[str, bool]:
        return (f"{d}前", d.last_day() < today) if d else ("", False)

    if key == "application_talk":
        applied = _day(by_step, "application")
        return before(talk_due(applied) if applied else None)
    if key == "activist_review":
        last = _day(by_step, "activist_review", last=True) or _day(by_step, "activist_committee")
        return before(review_due(last) if last else None)
    if key == "target_committee":
        activist = _day(by_step, "activist_committee")
        return (f"{target_eligible_on(activist)}起", False) if activist else ("", False)
    if key == "admission_approval":
        meeting = _day(by_step, "admission_meeting")
        return before(approval_lapses_on(meeting) if meeting else None)
    if BY_KEY[key].stage == "转正":
        joined = _day(by_step, "admission_meeting")
        months = person.get("extension_months") or None
        if joined is None:
            return "", False
        end = probation_end(joined, int(months) if months else None)
        return (f"{end}预备期满", False) if key == "full_membership" else before(end)
    return "", False


def full_member_names(reg: Registry) -> list[str]:
    """The names of the roster's 正式党员 (not left), for choosing 培养联系人, 入党介绍人 and 谈话人."""
    return [r[0] for r in reg.conn.execute(
        "SELECT DISTINCT name FROM people WHERE category = '正式党员' AND left_on IS NULL ORDER BY sort_pinyin, name")]


def branch_meetings(reg: Registry) -> list[dict[str, Any]]:
    """The recorded 支部党员大会 (newest first), to link a vote to: id, day, organisation and topic."""
    return [{"id": m["id"], "held_on": m["held_on"], "organization": m["organization"], "topic": m.get("topic")}
            for m in list_meetings(reg) if m["kind"] == "支部党员大会"]


def advance_refusal(reg: Registry, key: str | int, to: str, on: object) -> str | None:
    """The sentence with which advance_stage would refuse the stage for missing steps on that day (None when it
    would not): the stage dialog shows it as the date is typed, before the user presses 保存."""
    person = require_person(reg, key)
    step = BY_KEY.get(ENTRY_KEY.get(to, ""))
    if step is None or on in (None, ""):
        return None
    try:
        day = user_date("日期", on)
    except UserError:
        return None
    try:
        check_missing(reg, {**person, "category": to, STAGE_DATE[to]: day}, step, str(day), None)
    except UserError as exc:
        return exc.message
    return None
