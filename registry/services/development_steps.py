"""The development record of one person: record a step, cancel a probation, read the steps, findings and 党龄.

Every write goes through the audited writer in one transaction; the people's stage columns (applied_on …,
contacts, introducers, extension_months, cancelled_on) are kept in step with the step rows, so that the roster,
statistics and due list read what they always read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from registry.errors import UserError
from registry.rules.dev_steps import BY_KEY, STAGE_OF_CATEGORY, STEPS, VOTE_KEYS, Step, find_step, stage_index
from registry.rules.development import check_development
from registry.rules.development_checks import (
    Finding,
    PersonRef,
    StepRecord,
    check_record,
    names_of,
    reached_category,
    summary_records,
)
from registry.rules.idnumber import check_id
from registry.rules.party_age import party_age
from registry.rules.text import clean_text
from registry.services.due import due_items
from registry.services.people import require_person
from registry.storage.database import Registry, Tx
from registry.storage.fragments import ADMITTED_ON, first_day
from registry.validation import user_date

# Findings of the older stage check that the step engine does not make itself (ID consistency, category), with
# the article each rests on; its age and date rules the step engine makes in its own words.
_ID_ARTICLE = "GB 11643-1999《公民身份号码》"
_OLD_RULES = {"gender_mismatch": _ID_ARTICLE, "birth_mismatch": _ID_ARTICLE,
              "category_dates": "《中国共产党发展党员工作细则》第二章至第五章", "stage_missing": "《中国共产党章程》第七条",
              "probation_overdue": "《中国共产党章程》第七条"}
VOTE_FIELDS = tuple(k for k, _ in VOTE_KEYS)


def _persons(tx: Registry | Tx, value: object, label: str) -> list[dict[str, Any]]:
    """Names or ID numbers of people named in a step, linked to the roster where they are found once."""
    items = value if isinstance(value, list | tuple) else names_of(value)
    out: list[dict[str, Any]] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        check = check_id(text) if any(c.isdigit() for c in text) else None
        if check is not None:
            if not check.ok:
                raise UserError(f"{label}“{text}”不是正确的身份证号，请核对，或直接填写姓名。")
            row = tx.conn.execute("SELECT id, name FROM people WHERE id_number = ?", (check.number,)).fetchone()
            if row is None:
                raise UserError(f"{label}的身份证号{text}不在本台账中，请先登记该党员，或直接填写姓名。")
            out.append({"name": row[1], "person_id": row[0]})
            continue
        rows = tx.conn.execute("SELECT id FROM people WHERE name = ? AND left_on IS NULL", (text,)).fetchall()
        out.append({"name": text, "person_id": rows[0][0] if len(rows) == 1 else None})
    return out


def _count(value: object, label: str) -> int:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise UserError(f"{label}应为整数，请重新填写。") from None
    if not number.is_integer() or number < 0:
        raise UserError(f"{label}应为不小于0的整数，请重新填写。")
    return int(number)


def clean_fields(tx: Registry | Tx, step: Step, raw: Mapping[str, object]) -> dict[str, Any]:
    """The fields of `step` as stored (JSON): checked, people looked up, votes gathered; raises UserError."""
    given = {k: v for k, v in raw.items() if v not in (None, "")}
    known = {f.key for f in step.fields} | (set(VOTE_FIELDS) if step.field("votes") else set())
    unknown = set(given) - known - {"meeting_id"}
    if unknown:
        labels = "、".join(sorted(unknown))
        raise UserError(f"“{step.label}”没有这些项目：{labels}。")
    out: dict[str, Any] = {}
    for f in step.fields:
        if f.kind == "votes":
            votes = {k: _count(given[k], label) for k, label in VOTE_KEYS if k in given}
            if votes:
                out["votes"] = votes
            continue
        if f.key == "meeting_id" or f.key not in given:
            continue
        value = given[f.key]
        if f.kind == "date":
            out[f.key] = user_date(f.label, value, day=True)
        elif f.kind == "persons":
            out[f.key] = _persons(tx, value, f.label)
        elif f.kind == "int":
            out[f.key] = _count(value, f.label)
        elif f.kind == "number":
            try:
                out[f.key] = float(str(value).strip())
            except ValueError:
                raise UserError(f"{f.label}应为数字，请重新填写。") from None
        elif f.kind == "choice":
            text = str(value).strip()
            if text not in f.choices:
                raise UserError(f"{f.label}“{text}”不正确，应为：{'、'.join(f.choices)}。")
            out[f.key] = text
        else:
            out[f.key] = clean_text(value)
    return out


def _meeting(tx: Tx, meeting_id: object) -> dict[str, Any] | None:
    if meeting_id in (None, ""):
        return None
    row = tx.get("meetings", _count(meeting_id, "会议记录编号"))
    if row is None:
        raise UserError(f"找不到编号为{meeting_id}的会议记录，请先登记支部党员大会，或不填会议编号。")
    if row["kind"] != "支部党员大会":
        raise UserError(f"编号为{meeting_id}的会议是{row['kind']}，这一步应在支部党员大会上讨论。")
    return row


def _summary(step: Step, on: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The people column(s) a step keeps up to date."""
    if step.summary is None:
        return {}
    if step.summary in ("contacts", "introducers"):
        return {step.summary: "、".join(p["name"] for p in fields.get("persons") or []) or None}
    if step.summary == "extension_months":
        return {"extension_months": fields.get("months")}
    return {step.summary: on}


def _checked(tx: Tx, step: Step, on: object, fields: Mapping[str, object]
             ) -> tuple[str, dict[str, Any] | None, dict[str, Any]]:
    """A step's day (its meeting's when none is given), its meeting and its validated fields, for a new or a
    corrected record alike."""
    meeting = _meeting(tx, fields.get("meeting_id"))
    day = user_date(f"{step.label}日期", on if on not in (None, "") else (meeting or {}).get("held_on"),
                    required=True)
    assert day is not None  # required=True
    if day > date.today().isoformat():
        raise UserError(f"{step.label}的日期{day}晚于今天；尚未进行的步骤请到当天再登记。")
    values = clean_fields(tx, step, fields)
    for f in step.fields:
        if f.required and f.kind != "votes" and f.key not in values and f.key != "meeting_id":
            raise UserError(f"请填写“{step.label}”的{f.label}。")
    return day, meeting, values


def write_step(tx: Tx, person: dict[str, Any], step: Step, on: object, fields: Mapping[str, object],
               override_reason: str | None = None) -> int:
    """Record one step inside an open transaction and keep the summary columns in step; returns the row id."""
    day, meeting, values = _checked(tx, step, on, fields)
    if not step.repeated:
        earlier = tx.conn.execute("SELECT id FROM development_steps WHERE person_id = ? AND step = ?",
                                  (person["id"], step.key)).fetchone()
        if earlier is not None and step.key != "extension":
            raise UserError(f"{person['name']}已登记过“{step.label}”；如需更正，请先删除原记录再登记。")
    row_id = tx.insert("development_steps", {
        "person_id": person["id"], "step": step.key, "on_date": day,
        "fields": json.dumps(values, ensure_ascii=False, sort_keys=True),
        "meeting_id": meeting["id"] if meeting else None, "override_reason": clean_text(override_reason),
        "recorded_at": datetime.now().isoformat(timespec="seconds")}, label=person["name"])
    changes = {k: v for k, v in _summary(step, day, values).items() if person.get(k) != v}
    if changes:
        tx.update("people", person["id"], changes, label=person["name"], old=person)
        person.update(changes)
    return row_id


def record_step(reg: Registry, key: str | int, step_name: str, on: object = None, *,
                override_reason: str | None = None, today: date | None = None,
                **fields: object) -> dict[str, Any]:
    """Record one step of the 细则 without changing the person's stage; returns the row id and the findings.

    fields: the step's fields by key (see registry.rules.dev_steps), votes flat (voting_expected=…, yes=…),
    meeting_id to link a recorded 支部党员大会. A step that enters a stage (支委会确定为积极分子, 支部大会接收…)
    is refused for someone not yet in that stage: stage advance records it and changes the category.
    """
    step = find_step(step_name)
    if step is None:
        raise UserError(f"没有“{step_name}”这一步骤，可用的步骤见 stage steps。")
    if step.key == "cancellation":
        raise UserError("取消预备党员资格会改变人员类别，请使用“取消预备党员资格”功能（stage cancel）。")
    with reg.transaction("development.step") as tx:
        person = require_person(tx, key)
        if step.enters and _rank(person["category"]) < _rank(step.enters):
            raise UserError(f"{person['name']}目前是{person['category']}；“{step.label}”会使其成为{step.enters}，"
                            "请用推进发展阶段（stage advance）登记。")
        row_id = write_step(tx, person, step, on, fields, override_reason)
        tx.summary(f"{person['name']} {step.label}")
    return {"id": row_id, "findings": [f.as_dict() for f in findings(reg, key, today)]}


def edit_step(reg: Registry, step_id: int, on: object = None, *, override_reason: str | None = None,
              **fields: object) -> dict[str, tuple[Any, Any]]:
    """Correct a recorded step (its date, fields, meeting or reason); the same values again change nothing.
    The people column the step keeps up to date (applied_on …, contacts) is corrected with it."""
    with reg.transaction("development.step.edit") as tx:
        row = tx.get("development_steps", step_id)
        if row is None:
            raise UserError("要更正的步骤记录已不存在，请刷新后重试。")
        step = BY_KEY.get(str(row["step"]))
        if step is None:
            raise UserError("这条步骤记录的步骤名称无法识别，不能在这里更正。")
        person = require_person(tx, int(row["person_id"]))
        day, meeting, values = _checked(tx, step, on, fields)
        stored = json.loads(row["fields"] or "{}")
        changes: dict[str, Any] = {"on_date": day, "meeting_id": meeting["id"] if meeting else None,
                                   "override_reason": clean_text(override_reason)}
        if values != stored:  # compared decoded: the same fields written in another key order are no change
            changes["fields"] = json.dumps(values, ensure_ascii=False, sort_keys=True)
        diff = tx.update("development_steps", step_id, changes, label=person["name"], old=row)
        summary = {k: v for k, v in _summary(step, day, values).items() if person.get(k) != v}
        if diff and summary:
            diff.update(tx.update("people", person["id"], summary, label=person["name"], old=person))
        if diff:
            tx.summary(f"{person['name']} 更正步骤 {step.label}")
        return diff


def delete_step(reg: Registry, step_id: int) -> None:
    """Delete a step recorded by mistake (the summary columns keep their value until corrected)."""
    with reg.transaction("development.step.delete") as tx:
        row = tx.get("development_steps", step_id)
        if row is None:
            raise UserError("要删除的步骤记录已不存在，请刷新后重试。")
        person = require_person(tx, int(row["person_id"]))
        tx.delete("development_steps", step_id, label=person["name"])
        tx.summary(f"{person['name']} 删除步骤 {BY_KEY[row['step']].label if row['step'] in BY_KEY else row['step']}")


def cancel_probation(reg: Registry, key: str | int, on: object, *, reason: str,
                     **fields: object) -> dict[str, tuple[Any, Any]]:
    """取消预备党员资格 on a day: the person is 群众 from then on and counted as 预备党员 until then.

    Her stage dates stay as they were (they are her history); the cancellation is a dated step with the vote.
    """
    step = BY_KEY["cancellation"]
    with reg.transaction("development.cancel") as tx:
        person = require_person(tx, key)
        if person["category"] != "预备党员":
            raise UserError(f"{person['name']}是{person['category']}，只有预备党员才能取消预备党员资格。")
        day = user_date("取消预备党员资格日期", on, required=True, day=True)
        if person.get("joined_on") and day is not None and day < str(person["joined_on"]):
            raise UserError(f"取消日期{day}早于入党时间{person['joined_on']}，请核对。")
        write_step(tx, person, step, day, {"reason": reason, **fields})
        tx.summary(f"{person['name']} 取消预备党员资格")
        return tx.update("people", person["id"], {"category": "群众", "updated_at": datetime.now().isoformat(
            timespec="seconds")}, label=person["name"], old=person)


def _rank(category: str | None) -> int:
    order = ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
    return order.index(category) if category in order else 0


def step_rows(reg: Registry | Tx, person_id: int) -> list[dict[str, Any]]:
    """The step rows of one person, in date order, fields decoded."""
    cur = reg.conn.execute("SELECT * FROM development_steps WHERE person_id = ? ORDER BY on_date, id", (person_id,))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        r["fields"] = json.loads(r["fields"] or "{}")
    return rows


def records(reg: Registry | Tx, person_id: int) -> list[StepRecord]:
    """The step rows as the findings engine takes them, people named in them looked up on the roster now."""
    out = []
    for r in step_rows(reg, person_id):
        fields = dict(r["fields"])
        for k, v in r["fields"].items():
            if isinstance(v, list) and all(isinstance(p, dict) for p in v):
                fields[k] = [_ref(reg, p) for p in v]
        out.append(StepRecord(r["step"], r["on_date"], fields, r["override_reason"], True, r["id"]))
    return out


def _ref(reg: Registry | Tx, p: Mapping[str, Any]) -> PersonRef:
    pid = p.get("person_id")
    row = reg.conn.execute("SELECT category FROM people WHERE id = ? AND left_on IS NULL", (pid,)).fetchone() \
        if pid else None
    return PersonRef(str(p.get("name") or ""), pid, row[0] if row else None)


def _resolve_summary(reg: Registry | Tx, person: Mapping[str, Any], recs: list[StepRecord]) -> list[StepRecord]:
    """contacts / introducers known only as text: the names looked up on the roster (once each)."""
    have = {r.step for r in recs}
    extra = []
    for key in ("contacts", "introducers"):
        if key in have or not person.get(key):
            continue
        refs = []
        for name in names_of(person[key]):
            rows = reg.conn.execute("SELECT id, category FROM people WHERE name = ? AND left_on IS NULL AND id <> ?",
                                    (name, person["id"])).fetchall()
            refs.append(PersonRef(name, rows[0][0], rows[0][1]) if len(rows) == 1 else PersonRef(name))
        extra.append(StepRecord(key, "", {"persons": refs}, recorded=False))
    return extra


def findings_for(reg: Registry | Tx, person: Mapping[str, Any], today: date | None = None) -> list[Finding]:
    """Every finding on one stored person's development record (the step engine and the older ID checks)."""
    recs = records(reg, person["id"])
    return findings_from(person, [*recs, *_resolve_summary(reg, person, recs)], today or date.today())


def findings_from(person: Mapping[str, Any], recs: list[StepRecord], today: date) -> list[Finding]:
    """The findings of a person whose step records (people named in them looked up) are already at hand: the
    step engine and the older ID checks; the 发展党员 page reads many people's records at once and calls this."""
    found = check_record(person, recs, today)
    for issue in check_development(person, today):
        if issue.rule in _OLD_RULES:
            found.append(Finding(issue.rule, issue.severity, issue.message, _OLD_RULES[issue.rule]))
    return found


def preview_findings(reg: Registry, key: str | int, step_name: str, on: object = None, *,
                     override_reason: str | None = None, today: date | None = None,
                     **fields: object) -> list[Finding]:
    """The findings the record would have with this step recorded, nothing written: the window's live check
    under the fields as they are typed. Bad input raises UserError with the sentence to show."""
    step = find_step(step_name)
    if step is None:
        raise UserError(f"没有“{step_name}”这一步骤。")
    person = require_person(reg, key)
    day = user_date(f"{step.label}日期", on, required=True)
    values = clean_fields(reg, step, fields)
    values = {k: [_ref(reg, p) for p in v] if isinstance(v, list) else v for k, v in values.items()}
    recs = [r for r in records(reg, person["id"]) if step.repeated or r.step != step.key]
    recs.append(StepRecord(step.key, str(day), values, clean_text(override_reason)))
    merged = {**person, **_summary(step, str(day), fields_for_summary(values))}
    found = check_record(merged, [*recs, *_resolve_summary(reg, merged, recs)], today or date.today())
    return found


def fields_for_summary(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored-field shape for _summary from looked-up values (PersonRef → name)."""
    return {k: [{"name": p.name} for p in v] if isinstance(v, list) else v for k, v in values.items()}


def findings(reg: Registry, key: str | int, today: date | None = None) -> list[Finding]:
    """person rules: every finding for the person with this ID number (or database id)."""
    return findings_for(reg, require_person(reg, key), today)


def stopped_spans(reg: Registry, person: Mapping[str, Any]) -> list[tuple[str | None, str | None]]:
    """The spans of 停止党籍 recorded for a person: past spans in person_states, and the current one if stopped."""
    spans: list[tuple[str | None, str | None]] = [
        (a, b) for a, b in reg.conn.execute(
            "SELECT valid_from, valid_to FROM person_states WHERE person_id = ? AND status = '停止党籍'",
            (person["id"],))]
    if person.get("status") == "停止党籍":
        spans.append((person.get("state_from") or person.get("managed_from"), None))
    return spans


def party_age_of(reg: Registry, key: str | int, today: date | None = None) -> tuple[int, int] | None:
    """党龄 (years, months) of a 正式党员 on `today`; None for anyone else or without 转正时间."""
    person = require_person(reg, key)
    if person["category"] != "正式党员":
        return None
    return party_age(person.get("full_on"), today or date.today(), stopped_spans(reg, person))


def pending_approvals(reg: Registry, today: date | None = None) -> list[dict[str, Any]]:
    """预备党员 admitted by a 支部大会 and not yet approved, with the day approval lapses (3 months on): the due
    list's approval_due items (registry.services.due), with the day of the 支部大会 as meeting_on."""
    items = [i for i in due_items(reg, today) if i["kind"] == "approval_due"]
    met = dict(reg.conn.execute(
        f"SELECT id, joined_on FROM people WHERE id IN ({','.join('?' * len(items))})",
        [i["person_id"] for i in items]).fetchall()) if items else {}
    return [{**i, "meeting_on": met.get(i["person_id"])} for i in items]


def admissions_between(reg: Registry, start: str, end: str) -> int:
    """People admitted as 预备党员 in [start, end] counted as 党统 counts them: by the day the admission was
    approved where that is recorded, else by the 支部大会 date (入党时间)."""
    return int(reg.scalar(f"SELECT count(*) FROM people p WHERE {first_day(ADMITTED_ON)} BETWEEN ? AND ?",
                          (start, end)) or 0)


def record_outline(reg: Registry, key: str | int, today: date | None = None) -> dict[str, Any]:
    """One person's whole record for the 发展党员 page's timeline and the 纪实: every step of the catalogue with
    its entries, its state (已完成 / 缺少 / 缺少（已记录原因） / 未录入（历史档案） / 待进行 / blank for stages
    not yet reached) and its findings, plus the findings on no particular step and the 党龄."""
    today = today or date.today()
    person = require_person(reg, key)
    recs = records(reg, person["id"])
    known = [*recs, *_resolve_summary(reg, person, recs)]
    every = [*known, *summary_records(person, known)]
    found = findings_for(reg, person, today)
    states = {"not_recorded": "未录入（历史档案）", "step_missing": "缺少", "step_missing_overridden": "缺少（已记录原因）"}
    reached = stage_index(STAGE_OF_CATEGORY.get(reached_category(person), "申请入党")) \
        if reached_category(person) != "群众" else -1
    steps = []
    for step in STEPS:
        entries = [{"on": r.on, "fields": _plain(r.fields), "override_reason": r.override_reason,
                    "recorded": r.recorded, "id": r.id} for r in every if r.step == step.key]
        mine = [f.as_dict() for f in found if f.step == step.key]
        state = next((states[f["rule"]] for f in mine if f["rule"] in states), None)
        if state is None:
            state = "已完成" if entries else ("待进行" if step.mandatory and stage_index(step.stage) <= reached + 1
                                            else "")
        steps.append({"step": step.key, "label": step.label, "stage": step.stage, "article": step.article,
                      "mandatory": step.mandatory, "entries": entries, "state": state, "findings": mine})
    return {"person_id": person["id"], "name": person["name"], "category": person["category"], "steps": steps,
            "other_findings": [f.as_dict() for f in found if f.step is None or f.step not in BY_KEY],
            "party_age": party_age_of(reg, person["id"], today)}


def _plain(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Fields as plain data (people as name, id and roster category), for JSON and the window."""
    return {k: [{"name": p.name, "person_id": p.person_id, "category": p.category} if isinstance(p, PersonRef) else p
                for p in v] if isinstance(v, list) else v for k, v in fields.items()}
