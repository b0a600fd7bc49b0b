"""What falls due by the rules: each due item's period, date arithmetic, class and the article it cites.

The only place a rule period is computed: the due list (due_entry; its counts in SQL through the functions
`register_sql_functions` puts on every connection), the development checks and the printed record call these.
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
from dataclasses import dataclass

from registry.rules.dates import PartialDate
from registry.rules.dev_steps import BY_KEY as STEP_BY_KEY

# The periods of the development rules (发展党员工作细则, 党章), in months.
PROBATION_MONTHS = 12
ACTIVIST_MONTHS = 12
TALK_MONTHS = 1  # the talk with an applicant is owed within a month of the application
LOST_CONTACT_MONTHS = 6  # out of touch this long: dealt with under the party constitution
INFLOW_TRANSFER_MONTHS = 6  # a flowing-in member here this long may be moved to transfer the relationship here
# Local practice, not a central rule: the issuing organisation writes the letter's 有效期 on it (commonly 10 days
# within a city, 30 days beyond it, at most 3 months); 3 months is the default when the secretary leaves it empty.
LETTER_VALID_MONTHS = 3
APPROVAL_MONTHS = 3  # the upper committee approves an admission within 3 months of the 支部大会 (细则第二十五条)
REVIEW_MONTHS = 6  # an activist is reviewed (考察) every half year (细则第十一条)
REPORT_MONTHS = 3  # an activist reports her thinking in writing quarterly (local practice)

# Articles cited by the due list (short references, as a secretary quotes them).
RULE_TALK = "《中国共产党发展党员工作细则》第七条"
RULE_TARGET = "《中国共产党发展党员工作细则》第十三条"
RULE_PROBATION = "《中国共产党章程》第七条"
RULE_LOST = "《中国共产党章程》第九条"
RULE_INFLOW = "《中国共产党党员教育管理工作条例》第二十五条"
RULE_ORGANISED = "《中国共产党章程》第八条"  # every member belongs to a branch: whose member she is must be known
# The receipt system (回执制度): until the receiving organisation returns the receipt, the issuing one manages the
# member (组通字〔2006〕45号, 党员组织关系介绍信填写使用说明第4条).
RULE_RECEIPT = "中组部组通字〔2006〕45号（组织关系介绍信回执制度）"
# The development steps cite the article of their step (registry.rules.dev_steps), declared once there.
RULE_APPROVAL = STEP_BY_KEY["admission_approval"].article
RULE_REVIEW = STEP_BY_KEY["activist_review"].article


def probation_end(joined_on: PartialDate, extension_months: int | None = None) -> PartialDate:
    """When the probation (预备期) of a member admitted on joined_on ends: one year plus any extension."""
    return joined_on.add_months(PROBATION_MONTHS + (extension_months or 0))


def probation_running(joined_on: str, today: datetime.date) -> bool:
    """Whether a member admitted on joined_on (any precision; judged by its month) is still within her year of
    probation this month: the import's guess of 预备党员 when a sheet has no category column."""
    end = probation_end(PartialDate.from_iso(joined_on[:7]))
    return (end.year, end.month) > (today.year, today.month)


def target_eligible_on(activist_on: PartialDate) -> PartialDate:
    """The earliest date an activist can be made a development target: one year of training later."""
    return activist_on.add_months(ACTIVIST_MONTHS)


def talk_due(applied_on: PartialDate) -> PartialDate:
    """The talk with an applicant is owed within one month of the application."""
    return applied_on.add_months(TALK_MONTHS)


def lost_contact_due(lost_since: PartialDate) -> PartialDate:
    """A member out of touch for six months is to be dealt with under the party constitution."""
    return lost_since.add_months(LOST_CONTACT_MONTHS)


def inflow_transfer_on(managed_since: PartialDate) -> PartialDate:
    """When a flowing-in member managed here since managed_since may be moved to transfer her relationship here."""
    return managed_since.add_months(INFLOW_TRANSFER_MONTHS)
def approval_lapses_on(meeting_on: PartialDate) -> PartialDate:
    """The last day the upper committee may approve an admission voted by the 支部大会 on meeting_on."""
    return meeting_on.add_months(APPROVAL_MONTHS)


def approval_late(meeting_on: PartialDate, approved_on: PartialDate) -> bool:
    """Whether an approval on approved_on came after the three months the 细则 allows from the 支部大会."""
    return approved_on.first_day() > approval_lapses_on(meeting_on).last_day()


def review_due(last_on: PartialDate) -> PartialDate:
    """The next 考察 of an activist: half a year after the last one (or after she became an activist)."""
    return last_on.add_months(REVIEW_MONTHS)


def letter_valid_until(issued_on: PartialDate) -> PartialDate:
    """The default 有效期 of a transfer letter issued on issued_on, when the letter states none."""
    return issued_on.add_months(LETTER_VALID_MONTHS)


@dataclass(frozen=True)
class DueRule:
    """One kind of due item: what it says, whether it is a deadline or an eligibility, what it cites."""

    kind: str
    label: str
    rule: str
    eligibility: bool = False  # an eligibility reached is 可办理, never overdue
    missing: bool = False  # the date the rule needs is missing: always 待核实
    # Something pending that stays listed until it is settled (待核实 while its deadline is further off than next
    # month); lapsed_label is what it says once the deadline has passed.
    pending: bool = False
    lapsed_label: str | None = None

    def label_for(self, cls: str | None) -> str:
        """What an item of this kind says in class `cls`."""
        return self.lapsed_label if cls == "overdue" and self.lapsed_label else self.label


DUE_RULES: tuple[DueRule, ...] = (
    DueRule("target_eligible", "入党积极分子培养满一年，可列为发展对象", RULE_TARGET,
            eligibility=True),
    DueRule("probation_end", "预备期满，应讨论转正", RULE_PROBATION),
    DueRule("talk_due", "递交入党申请书一个月内应谈话", RULE_TALK),
    DueRule("lost_contact", f"失联超过{LOST_CONTACT_MONTHS}个月，应按党章规定处理", RULE_LOST),
    DueRule("activist_undated", "入党积极分子没有确定日期，无法计算培养期，请补录", RULE_TARGET, missing=True),
    DueRule("probationary_undated", "预备党员没有入党时间，无法计算预备期，请补录",
            RULE_PROBATION, missing=True),
    DueRule("member_undated", "正式党员没有入党时间，请补录", RULE_PROBATION, missing=True),
    DueRule("applicant_undated", "入党申请人没有申请日期，无法计算谈话期限，请补录", RULE_TALK, missing=True),
    DueRule("inflow_transfer", f"流入满{INFLOW_TRANSFER_MONTHS}个月，可动员转入组织关系", RULE_INFLOW, eligibility=True),
    DueRule("relation_unverified", "组织关系待核实", RULE_ORGANISED, missing=True),
    DueRule("transfer_receipt", "转出待接收，待回执", RULE_RECEIPT, pending=True,
            lapsed_label="介绍信已过有效期未回执"),
    # Listed from the 支部大会 on, until the approval is recorded (like a receipt awaited from elsewhere).
    DueRule("approval_due", f"支部大会通过接收预备党员，应在{APPROVAL_MONTHS}个月内报上级党委审批", RULE_APPROVAL,
            pending=True, lapsed_label=f"支部大会已过{APPROVAL_MONTHS}个月，仍没有上级党委审批的记录"),
    DueRule("review_due", "入党积极分子每半年应考察一次", RULE_REVIEW),
)
RULES = {r.kind: r for r in DUE_RULES}

CLASSES: dict[str, str] = {"overdue": "已逾期", "this_month": "本月到期", "next_month": "下月到期",
                           "eligible": "可办理", "unverified": "待核实"}


def _parse(value: object) -> PartialDate | None:
    if isinstance(value, PartialDate) or value is None:
        return value
    try:
        return PartialDate.from_iso(str(value).strip())
    except ValueError:
        return None  # an unreadable stored date: the item cannot be dated


def due_date(kind: str, start: object, extension_months: object = None) -> PartialDate | None:
    """The due date of `kind` counted from its start date (a month-only start gives a month-only date)."""
    begin = _parse(start)
    if begin is None or RULES[kind].missing:
        return None
    if kind == "target_eligible":
        return target_eligible_on(begin)
    if kind == "probation_end":
        ext = extension_months if isinstance(extension_months, int) and extension_months > 0 else None
        return probation_end(begin, ext)
    if kind == "talk_due":
        return talk_due(begin)
    if kind == "lost_contact":
        return lost_contact_due(begin)
    if kind == "inflow_transfer":
        return inflow_transfer_on(begin)
    if kind == "transfer_receipt":
        return begin  # counted from the letter's own 有效期, which already holds the period
    if kind == "approval_due":
        return approval_lapses_on(begin)
    if kind == "review_due":
        return begin.add_months(REVIEW_MONTHS)  # from the last 考察, or the day she became an activist
    raise ValueError(f"unknown due kind: {kind!r}")


def due_class(kind: str, due: PartialDate | None, today: datetime.date) -> str | None:
    """The class of an item due on `due` as seen on `today`; None when it falls after next month (a pending
    rule's item is 待核实 then: it stays listed until settled).

    A deadline is overdue once its last possible day has passed (a month-only date: the whole month); an
    eligibility is reachable from its first possible day, so it is 可办理 and never overdue.
    """
    rule = RULES[kind]
    if rule.missing or due is None:
        return "unverified"
    ahead = (due.year * 12 + due.month) - (today.year * 12 + today.month)
    if ahead > 1:
        return "unverified" if rule.pending else None
    if rule.eligibility:
        if due.first_day() <= today:
            return "eligible"
    elif due.last_day() < today:
        return "overdue"
    return "this_month" if ahead <= 0 else "next_month"


def month_bucket(due: str | None, today: datetime.date) -> str:
    """Where a stored due date ('YYYY-MM' or 'YYYY-MM-DD') lies: before this month, this month, next month."""
    if due is None:
        return "unknown"
    ahead = (int(due[:4]) * 12 + int(due[5:7])) - (today.year * 12 + today.month)
    return "overdue" if ahead < 0 else "this_month" if ahead == 0 else "next_month"


# Stored dates repeat a great deal (census rows share months), so the answers are remembered.
@functools.lru_cache(maxsize=65536)
def due_entry(kind: str, start: object, extension_months: object, today: datetime.date) -> tuple[str | None, str | None]:
    """(due date as stored ISO text or None, class or None when not listed) for one stored start date."""
    found = due_date(kind, start, extension_months)
    return (None if found is None else str(found)), due_class(kind, found, today)


def _sql_due(kind: str, start: object, extension_months: object) -> str | None:
    try:
        found = due_date(kind, start, extension_months)
    except (KeyError, ValueError):
        return None  # SQL must never raise from a row with odd data
    return None if found is None else str(found)


def _sql_class(kind: str, due: object, today: str) -> str | None:
    try:
        return due_class(kind, _parse(due), datetime.date.fromisoformat(today))
    except (KeyError, ValueError):
        return None


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """rule_due(kind, start, extension) and rule_due_class(kind, due, today) on `conn`, for the due list's SQL."""
    conn.create_function("rule_due", 3, _sql_due, deterministic=True)
    conn.create_function("rule_due_class", 3, _sql_class, deterministic=True)
