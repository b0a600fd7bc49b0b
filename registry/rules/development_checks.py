"""The findings engine of the development record: one person, their steps and today → every finding.

Pure functions: the service hands in the person's row, the recorded steps (people named in them already looked
up on the roster) and the day; nothing here reads the database. Each finding has a stable rule id, a level
(error 错误 / warning 提醒), one Chinese sentence and the article it rests on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from registry.rules.categories import normalise_category
from registry.rules.dates import PartialDate, add_months
from registry.rules.deadlines import (
    REPORT_MONTHS,
    REVIEW_MONTHS,
    approval_lapses_on,
    approval_late,
    probation_end,
    talk_due,
    target_eligible_on,
)
from registry.rules.dev_steps import BY_KEY, ENTRY_KEY, STEPS, XIZE, ZHANGCHENG, Step
from registry.rules.idnumber import check_id

ADULT_YEARS = 18
PUBLICITY_WORKING_DAYS = 5
TRAINING_DAYS, TRAINING_HOURS = 3, 24
EXTENSION_MONTHS = range(6, 13)
# The categories in pipeline order and the stage each one has entered (群众 has entered none).
PIPELINE = ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
_NAME_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class PersonRef:
    """Someone named in a step (培养联系人, 入党介绍人, 谈话人), as found on the roster (or not)."""

    name: str
    person_id: int | None = None
    category: str | None = None  # the roster's category; None when not found there


@dataclass(frozen=True)
class StepRecord:
    """One recorded step; recorded=False when it is only known from a people column (no step row)."""

    step: str
    on: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    override_reason: str | None = None
    recorded: bool = True
    id: int | None = None


@dataclass(frozen=True)
class Finding:
    """One thing a party-affairs worker would point out."""

    rule: str
    level: str  # 'error' | 'warning'
    message: str
    article: str
    step: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "level": self.level, "message": self.message, "article": self.article,
                "step": self.step}


def _date(value: object) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return PartialDate.from_iso(value.strip())
    except ValueError:
        return None


def _before(a: PartialDate, b: PartialDate) -> bool:
    """Every day a may stand for is earlier than every day b may stand for."""
    return a.last_day() < b.first_day()


def names_of(text: object) -> list[str]:
    """The names in a free-text list such as 「张三、李四」."""
    return [n for n in _NAME_SPLIT.split(str(text or "").strip()) if n]


def summary_records(person: Mapping[str, Any], recorded: Sequence[StepRecord]) -> list[StepRecord]:
    """The steps the people columns tell of that have no step row (a record kept before the step list)."""
    have = {r.step for r in recorded}
    out: list[StepRecord] = []
    for step in STEPS:
        column = step.summary
        if column is None or step.key in have or person.get(column) in (None, ""):
            continue
        value = person.get(column)
        if column in ("contacts", "introducers"):
            out.append(StepRecord(step.key, "", {"persons": [PersonRef(n) for n in names_of(value)]}, recorded=False))
        elif column == "extension_months":
            out.append(StepRecord(step.key, "", {"months": value}, recorded=False))
        else:
            out.append(StepRecord(step.key, str(value), recorded=False))
    return out


def birth_of(person: Mapping[str, Any]) -> datetime.date | None:
    check = check_id(person.get("id_number"))
    if check.ok and check.birth_date is not None:
        return check.birth_date
    birth = _date(person.get("birth_date"))
    return birth.first_day() if birth else None


def reached_category(person: Mapping[str, Any]) -> str:
    """The category whose stage the person has entered; a cancelled 预备党员 had entered 预备党员."""
    if person.get("cancelled_on"):
        return "预备党员"
    return normalise_category(person.get("category")) or "群众"


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday to Friday from start to end, both counted (public holidays are not known here)."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)


class _Check:
    """Collects the findings for one person."""

    def __init__(self, person: Mapping[str, Any], records: Sequence[StepRecord], today: datetime.date) -> None:
        self.person, self.today = person, today
        self.records = [r for r in records if r.step in BY_KEY]
        self.by_step: dict[str, list[StepRecord]] = {}
        for r in sorted(self.records, key=lambda r: r.on):
            self.by_step.setdefault(r.step, []).append(r)
        # A record kept step by step in the registry: a step recorded on or after she entered it (steps of a
        # paper record typed in or imported later tell of history, not of a record kept here).
        entered = self._entered()
        self.kept = any(r.recorded and (not entered or r.on >= entered) for r in self.records)
        self.findings: list[Finding] = []

    def add(self, rule: str, level: str, message: str, article: str, step: str | None = None) -> None:
        self.findings.append(Finding(rule, level, message, article, step))

    def first(self, key: str) -> StepRecord | None:
        found = self.by_step.get(key)
        return found[0] if found else None

    def day(self, key: str) -> PartialDate | None:
        r = self.first(key)
        return _date(r.on) if r else None

    # -- rules ---------------------------------------------------------------------------------------------
    def order(self) -> None:
        for r in self.records:
            step, on = BY_KEY[r.step], _date(r.on)
            if on is None:
                continue
            if on.first_day() > self.today:
                self.add("future_date", "error", f"{step.label}的日期（{on}）晚于今天（{self.today}），请核对是否填错。",
                         step.article, step.key)
            for key in step.after:
                earlier = self.day(key)
                if earlier is not None and _before(on, earlier):
                    self.add("step_order", "error", f"{step.label}（{on}）早于{BY_KEY[key].label}（{earlier}），"
                             "各步骤应依次进行，请核对日期。", step.article, step.key)

    def intervals(self) -> None:
        applied, talked = self.day("application"), self.day("application_talk")
        if applied and talked and talked.first_day() > talk_due(applied).last_day():
            self.add("talk_late", "warning", f"谈话（{talked}）距递交入党申请书（{applied}）超过1个月，"
                     "党组织应在收到入党申请书后1个月内派人谈话。", BY_KEY["application_talk"].article, "application_talk")
        activist, target = self.day("activist_committee"), self.day("target_committee")
        if activist and target and not _before(target, activist) and _before(target, target_eligible_on(activist)):
            self.add("activist_one_year", "error", f"列为发展对象（{target}）距确定为入党积极分子（{activist}）不满一年，"
                     "应经过一年以上的培养教育和考察。", BY_KEY["target_committee"].article, "target_committee")
        for key in ("target_publicity", "full_publicity"):
            for r in self.by_step.get(key, []):
                start, end = _date(r.on), _date(r.fields.get("end_on"))
                if start and end and not start.month_only and not end.month_only:
                    n = working_days(start.first_day(), end.first_day())
                    if n < PUBLICITY_WORKING_DAYS:
                        self.add("publicity_short", "error", f"{BY_KEY[key].label}自{start}至{end}只有{n}个工作日，"
                                 f"公示期应不少于{PUBLICITY_WORKING_DAYS}个工作日。", BY_KEY[key].article, key)
        for r in self.by_step.get("training", []):
            start, end = _date(r.on), _date(r.fields.get("end_on"))
            hours = _number(r.fields.get("hours"))
            days = (end.first_day() - start.first_day()).days + 1 if start and end and not start.month_only else None
            if (days is not None or hours is not None) and not ((days or 0) >= TRAINING_DAYS
                                                                 or (hours or 0) >= TRAINING_HOURS):
                shown = "、".join(x for x in (f"{days}天" if days is not None else "",
                                              f"{hours:g}学时" if hours is not None else "") if x)
                self.add("training_short", "error", f"集中培训只有{shown}，培训时间应不少于{TRAINING_DAYS}天"
                         f"（或不少于{TRAINING_HOURS}个学时）。", BY_KEY["training"].article, "training")
        self._approval()
        self._probation()
        self._periodic("activist_review", REVIEW_MONTHS, "培养考察", "每半年应对入党积极分子考察一次")
        self._periodic("thought_report", REPORT_MONTHS, "思想汇报", "入党积极分子一般每季度向党组织书面汇报一次思想")

    def _approval(self) -> None:
        meeting, approval = self.day("admission_meeting"), self.day("admission_approval")
        article = BY_KEY["admission_approval"].article
        if meeting is None:
            return
        lapse = approval_lapses_on(meeting).last_day()
        if approval is not None and approval_late(meeting, approval):
            self.add("approval_late", "error", f"上级党委审批（{approval}）距支部大会（{meeting}）超过3个月，"
                     "基层党委应在3个月内审批。", article, "admission_approval")
        elif (approval is None and self.today > lapse and reached_category(self.person) == "预备党员"
              and not self._before_records(PartialDate.from_date(lapse))):
            self.add("approval_overdue", "error", f"支部大会（{meeting}）已过3个月，仍没有上级党委审批的记录，"
                     "请尽快报批或补录审批日期。", article, "admission_approval")

    def _probation(self) -> None:
        joined, full = self.day("admission_meeting"), self.day("full_membership")
        extensions = self.by_step.get("extension", [])
        article = f"{ZHANGCHENG}第七条"
        # 党章 says only "不能超过一年"; the half-year minimum and the single extension are the 细则's (第三十二条).
        extension_article = BY_KEY["extension"].article
        for r in extensions:
            months = _whole(r.fields.get("months"))
            if months is not None and months not in EXTENSION_MONTHS:
                self.add("extension_range", "error", f"延长预备期{months}个月，延长时间不能少于半年，最长不超过一年。",
                         extension_article, "extension")
        if len(extensions) > 1:
            self.add("extension_once", "error", f"预备期延长了{len(extensions)}次，只能延长一次。", extension_article,
                     "extension")
        if joined is None or full is None or _before(full, joined):
            return
        months = _whole(extensions[0].fields.get("months")) if extensions else None
        end = probation_end(joined, months if months and months > 0 else None)
        record = self.first("full_membership")
        if _before(full, end):
            self.add("probation_one_year", "error", f"转正时间（{full}）早于预备期满之日（{end}），"
                     "预备期为一年" + (f"并延长{months}个月" if months else "") + "。", article, "full_membership")
        elif not end.month_only and not full.month_only and full != end:
            reason = record.override_reason if record else None
            if reason:
                self.add("full_on_reason", "warning", f"转正时间（{full}）不是预备期满之日（{end}），已记录原因：{reason}。",
                         article, "full_membership")
            else:
                self.add("full_on_not_end", "error", f"转正时间（{full}）不是预备期满之日（{end}）；党龄自预备期满转正之日算起，"
                         "请改为预备期满之日，或记录不同的原因。", article, "full_membership")

    def _periodic(self, key: str, months: int, label: str, rule: str) -> None:
        """Gaps longer than `months` in a repeated step over the time as 入党积极分子 (kept records only)."""
        start = self.day("activist_committee")
        if start is None:
            return
        end = self.day("target_committee")
        end_day = end.first_day() if end else (self.today if reached_category(self.person) == "入党积极分子" else None)
        if end_day is None or self._before_records(PartialDate.from_date(end_day)):
            return
        days = [d.first_day() for r in self.by_step.get(key, []) if (d := _date(r.on)) is not None]
        marks = [start.last_day(), *sorted(d for d in days if d <= end_day)]
        gaps = [(a, b) for a, b in zip(marks, [*marks[1:], end_day], strict=True) if b > add_months(a, months)]
        article = BY_KEY[key].article
        for a, b in gaps:
            if b == end_day and end is None:
                self.add(f"{key}_due", "warning", f"自{a}起已超过{months}个月没有{label}记录，{rule}，请安排并登记。",
                         article, key)
            else:
                self.add(f"{key}_missing", "warning", f"{a}至{b}之间超过{months}个月没有{label}记录，{rule}。", article, key)

    def people(self) -> None:
        for key, role, low, high in (("contacts", "培养联系人", 1, 2), ("introducers", "入党介绍人", 2, 2)):
            step = BY_KEY[key]
            for r in self.by_step.get(key, []):
                refs = [p if isinstance(p, PersonRef) else PersonRef(str(p)) for p in r.fields.get("persons") or []]
                # Named before records (a paper record's names may be of people never on this roster): a 提醒.
                due = self._deadline(key) or PartialDate.from_date(self.today)
                level = "error" if r.recorded or not self._before_records(due) else "warning"
                wanted = f"{low}至{high}名" if low != high else f"{low}名"
                if not low <= len(refs) <= high:
                    self.add(f"{key}_count", level, f"{role}应为{wanted}正式党员，现在登记了{len(refs)}名"
                             f"（{'、'.join(p.name for p in refs) or '无'}）。", step.article, key)
                for p in refs:
                    if p.category is None:
                        self.add(f"{key}_not_on_roster", level, f"{role}“{p.name}”不在本台账的人员中，"
                                 f"无法确认是正式党员，请从花名册中选择。", step.article, key)
                    elif p.category != "正式党员":
                        self.add(f"{key}_not_member", level, f"{role}“{p.name}”是{p.category}，{role}应为正式党员。",
                                 step.article, key)

    def votes(self) -> None:
        article = f"{XIZE}第二十条、第二十一条"
        for key in ("admission_meeting", "full_meeting", "extension", "cancellation"):
            step = BY_KEY[key]
            for r in self.by_step.get(key, []):
                votes = r.fields.get("votes")
                if not isinstance(votes, Mapping):
                    if r.recorded:
                        self.add("vote_missing", "error", f"{step.label}没有登记表决情况（应到、实到有表决权人数和赞成、反对、"
                                 "弃权票数），请补录。", article, key)
                    continue
                expected, present = _whole(votes.get("voting_expected")), _whole(votes.get("voting_present"))
                yes = _whole(votes.get("yes"))
                if expected is None or present is None or yes is None:
                    self.add("vote_missing", "error", f"{step.label}的表决情况不完整，请填写应到、实到有表决权人数和赞成票数。",
                             article, key)
                    continue
                if present * 2 <= expected:
                    self.add("vote_quorum", "error", f"{step.label}实到有表决权的党员{present}人，未超过应到有表决权"
                             f"人数{expected}人的半数，会议不能表决。", article, key)
                if yes * 2 <= expected:
                    self.add("vote_not_passed", "error", f"{step.label}赞成{yes}票，未超过应到有表决权人数{expected}人的"
                             "半数，决议不能通过。", article, key)
                cast = yes + (_whole(votes.get("no")) or 0) + (_whole(votes.get("abstain")) or 0)
                if cast > expected:
                    self.add("vote_count", "error", f"{step.label}赞成、反对、弃权共{cast}票，多于应到有表决权人数"
                             f"{expected}人，请核对。", article, key)

    def age(self) -> None:
        birth = birth_of(self.person)
        if birth is None:
            return
        adult = add_months(birth, 12 * ADULT_YEARS)
        for key, rule, what in (("application", "age_under_18", "递交入党申请书"),
                                ("admission_meeting", "age_admission", "接收为预备党员")):
            on = self.day(key)
            if on is not None and on.last_day() < adult:
                self.add(rule, "error", f"{what}时（{on}）未满18周岁（出生于{birth}），年满18周岁才能申请入党和被接收入党。",
                         f"{XIZE}第五条", key)
        category = reached_category(self.person)
        if category != "群众" and self.today < adult:
            self.add("minor_in_pipeline", "warning", f"现未满18周岁（出生于{birth}），却登记为{category}，"
                     "年满18周岁才能申请入党，请核对身份证号或人员类别。", f"{XIZE}第五条")

    def _entered(self) -> str:
        """The day she entered the registry (or came under this unit), '' when unknown."""
        return max(str(self.person.get("created_at") or "")[:10], str(self.person.get("managed_from") or ""))

    def _before_records(self, day: PartialDate | None) -> bool:
        """Whether something due by `day` fell before this person was entered in the registry (or came under this
        unit): such a step was kept on paper (历史档案), if at all. Without a day (or an entry date) it counts as before records only if
        nothing at all has been recorded step by step."""
        created = self._entered()
        if day is None or not created:
            return not self.kept
        return day.first_day().isoformat() < created

    def _deadline(self, key: str) -> PartialDate | None:
        """The day by which step `key` was due: the date of the next stage-entering step from it on."""
        keys = [s.key for s in STEPS]
        for step in STEPS[keys.index(key):]:
            if step.enters and (on := self.day(step.key)) is not None:
                return on
        return None

    def _historical(self) -> bool:
        category = reached_category(self.person)
        return category != "群众" and self._before_records(self.day(ENTRY_KEY[category]))

    def missing(self) -> None:
        category = reached_category(self.person)
        if category == "群众":
            return
        overrides = [r.override_reason for r in self.records if r.override_reason and BY_KEY[r.step].enters]
        entry = BY_KEY[ENTRY_KEY[category]]
        for step in _required_before(category):
            if step.key in self.by_step:
                continue
            if self._before_records(self._deadline(step.key)):
                self.add("not_recorded", "warning", f"{step.label}：未录入（历史档案）。", step.article, step.key)
            elif overrides:
                self.add("step_missing_overridden", "warning", f"缺少“{step.label}”的记录，已记录原因：{overrides[0]}。",
                         step.article, step.key)
            else:
                self.add("step_missing", "error", f"缺少“{step.label}”的记录：{entry.label}之前应完成这一步，请补录；"
                         "确需跳过的，须记录原因。", step.article, step.key)


def _required_before(category: str) -> list[Step]:
    """The mandatory steps that come before (and include) the step entering `category`."""
    entry = ENTRY_KEY[category]
    out: list[Step] = []
    for step in STEPS:
        if step.mandatory:
            out.append(step)
        if step.key == entry:
            break
    return out


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def check_record(person: Mapping[str, Any], records: Sequence[StepRecord], today: datetime.date) -> list[Finding]:
    """Every finding on one person's development record; `records` are the step rows (people looked up).

    Steps known only from the people columns (an older record, an import) are added here from the row.
    """
    check = _Check(person, [*records, *summary_records(person, records)], today)
    check.order()
    check.intervals()
    check.people()
    check.votes()
    check.age()
    check.missing()
    return check.findings


def errors_of(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]
