"""Each member's 党费 month by month, read from the bases and payments: what is owed, paid, 交至, in arrears.

One pass loads the members in scope with their bases and payments; every month's state follows from them and the
rules in registry/rules/dues.py. The writers (services/dues.py), the due list, the report and the window read this.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from registry.rules import dues as rules
from registry.storage.database import Registry, Tx
from registry.storage.fragments import subtree_clause, subtree_clause_named

# The states of one member-month, as the grid and the lists show them.
PAID, UNPAID, EXEMPT, HOME, UNTRACKED, NOT_MEMBER, NOT_DUE = "paid", "unpaid", "exempt", "home", "untracked", \
    "not_member", "not_due"
STATE_LABELS = {PAID: "已交", UNPAID: "欠缴", EXEMPT: "免交", HOME: "原籍交纳", UNTRACKED: "未登记",
                NOT_MEMBER: "", NOT_DUE: "未到期"}
COVERED = (PAID, EXEMPT)
ZERO = Decimal(0)


@dataclass(frozen=True)
class DuesBase:
    """One row of dues_bases: from `from_month` on, the class, base, monthly amount and where she pays."""

    id: int
    person_id: int
    from_month: str
    payer_class: str | None
    base: Decimal | None
    amount: Decimal | None
    reason: str | None
    pays_at: str
    notes: str | None

    @property
    def pays_here(self) -> bool:
        return self.pays_at != rules.PAYS_HOME


@dataclass(frozen=True)
class DuesPayment:
    """One row of dues_payments: the months first..last paid on paid_on, the amount for all of them."""

    id: int
    person_id: int
    first_month: str
    last_month: str
    paid_on: str
    amount: Decimal
    reason: str | None
    notes: str | None

    @property
    def months(self) -> list[str]:
        return rules.months(self.first_month, self.last_month)


@dataclass(frozen=True)
class MonthState:
    month: str
    state: str
    due: Decimal | None  # what the month owes here (None: nothing is owed here)
    paid: Decimal | None = None  # this month's share of the payment covering it
    payment_id: int | None = None


@dataclass
class Member:
    """A member in scope with her dues records."""

    id: int
    name: str
    id_number: str
    category: str
    relation: str
    joined_on: str | None
    managed_from: str | None
    organization_id: int | None
    organization: str | None
    outlet: str | None
    left_on: str | None = None
    bases: list[DuesBase] = field(default_factory=list)
    payments: list[DuesPayment] = field(default_factory=list)

    # Computed once per member and kept: every list reads the same months many times (states, arrears, 交至).
    @functools.cached_property
    def _from_months(self) -> list[str]:
        return [b.from_month for b in self.bases]  # sorted by from_month

    def base_for(self, month: str) -> DuesBase | None:
        i = bisect.bisect_right(self._from_months, month)
        return self.bases[i - 1] if i else None

    @property
    def registered(self) -> bool:
        return bool(self.bases)

    @property
    def joined_month(self) -> str | None:
        return self.joined_on[:7] if self.joined_on else None

    def first_month(self) -> str | None:
        """The first month the registry tracks her dues: her first base, not before she joined nor before she came
        under this unit (纳入管理: a census finds members who paid elsewhere, or nowhere, before)."""
        if not self.bases:
            return None
        return max(self.bases[0].from_month, self.joined_month or "", (self.managed_from or "")[:7])

    @functools.cached_property
    def _shares(self) -> dict[str, tuple[Decimal, int]]:
        """Each paid month's share of its payment (what the month owes when the payment is exactly that)."""
        out: dict[str, tuple[Decimal, int]] = {}
        for p in self.payments:
            months = p.months
            base = self.base_for(months[0])
            if base is not None and base is self.base_for(months[-1]):
                # The common case: no base starts within the payment's months, so each owes the same (as _due says).
                owed = [(base.amount or ZERO) if base.pays_here else ZERO] * len(months)
            else:
                owed = [self._due(m) or ZERO for m in months]
            parts = owed if sum(owed, ZERO) == p.amount else rules.share(p.amount, owed)
            for m, part in zip(months, parts, strict=True):
                out[m] = (part, p.id)
        return out

    def _due(self, month: str) -> Decimal | None:
        base = self.base_for(month)
        if base is None or not base.pays_here:
            return None
        return base.amount or ZERO

    def _gone(self, month: str) -> bool:
        """From the month she left, nothing more is owed here."""
        return bool(self.left_on) and month >= (self.left_on or "")[:7]

    def states(self, months: list[str], today: datetime.date) -> list[MonthState]:
        """The state of each of `months` seen on `today` (the current month is not owed yet)."""
        last = rules.last_complete_month(today)
        shares = self._shares
        out = []
        joined = self.joined_month
        for m in months:
            # Before she joined nothing is owed; from the month she left, only what she paid here is shown.
            if (joined and m < joined) or (m not in shares and self._gone(m)):
                out.append(MonthState(m, NOT_MEMBER, None))
                continue
            base = self.base_for(m)
            if base is None:
                # A flowing-in member with nothing recorded pays where her relationship is held (2008 rules 第九条).
                out.append(MonthState(m, HOME if not self.bases and self.relation == "流入" else UNTRACKED, None))
                continue
            if not base.pays_here:
                out.append(MonthState(m, HOME, None))
                continue
            due = base.amount or ZERO
            if m in shares:
                out.append(MonthState(m, PAID, due, shares[m][0], shares[m][1]))
            elif due == 0:
                out.append(MonthState(m, EXEMPT, due))
            elif m > last:
                out.append(MonthState(m, NOT_DUE, due))
            else:
                out.append(MonthState(m, UNPAID, due))
        return out

    def owed_states(self, today: datetime.date) -> list[MonthState]:
        """Every month from the first tracked one up to last month."""
        first = self.first_month()
        last = rules.last_complete_month(today)
        if first is None or first > last:
            return []
        return self.states(rules.months(first, last), today)

    def unpaid(self, today: datetime.date) -> list[tuple[str, Decimal]]:
        """(month, amount owed) of every month up to last month that owes something here and is not paid.

        The due list's pass over every tracked member: no MonthState is built for the months that are fine."""
        first = self.first_month()
        last = rules.last_complete_month(today)
        if first is None or first > last:
            return []
        shares = self._shares
        out = []
        for m in rules.months(first, last):
            if m in shares or self._gone(m):
                continue
            due = self._due(m)
            if due:  # None: paid at home that month; 0: exempt
                out.append((m, due))
        return out

    def pays_here(self, today: datetime.date) -> bool:
        """Whether she pays here now: her base for this month says 本单位 (a 流入 member without one pays at home)."""
        base = self.base_for(rules.month_of(today)) or (self.bases[0] if self.bases else None)
        return base.pays_here if base is not None else self.relation != "流入"

    def paid_to(self, today: datetime.date) -> str | None:
        """党费交至: the last month of the unbroken run of paid (or exempt) months from her first tracked month here,
        prepaid months included; None when she pays elsewhere or that first month is not paid."""
        first = self.first_month()
        if first is None or not self.pays_here(today):
            return None
        shares = self._shares
        reached = None
        for m in rules.months(first, max(first, rules.prepay_limit(today))):
            due = self._due(m)
            if due is None and reached is None:
                continue  # months paid at home before she paid here
            if due is None or (m not in shares and (due != 0 or self._gone(m))):
                break
            reached = m
        return reached


def _decimal(text: object) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def _base(row: tuple[Any, ...]) -> DuesBase:
    return DuesBase(row[0], row[1], row[2], row[3], _decimal(row[4]), _decimal(row[5]), row[6], row[7], row[8])


def _payment(row: tuple[Any, ...]) -> DuesPayment:
    return DuesPayment(row[0], row[1], row[2], row[3], row[4], Decimal(row[5]), row[6], row[7])


BASE_COLUMNS = "id, person_id, from_month, payer_class, base, amount, reason, pays_at, notes"
PAYMENT_COLUMNS = "id, person_id, first_month, last_month, paid_on, amount, reason, notes"


_index = rules.month_index_sql


_START = f"max({_index('b.f')}, coalesce({_index('q.joined_on')}, 0), coalesce({_index('q.managed_from')}, 0))"
# Members who may owe something up to month :last (an index): all but those whose payments cover every month from
# their first tracked one on. Whoever has a month paid at home or exempt is left to the exact count in Python.
OWING = (f"p.id IN (SELECT b.person_id FROM (SELECT person_id, min(from_month) AS f,"
         f" max(pays_at <> '本单位' OR CAST(amount AS REAL) = 0) AS special, max(pays_at = '本单位') AS here"
         f" FROM dues_bases GROUP BY person_id) b"
         f" JOIN people q ON q.id = b.person_id WHERE b.here = 1 AND (b.special = 1 OR {_START} <= :last AND coalesce("
         f"(SELECT sum(max(0, min(:last, {_index('d.last_month')}) - max({_START}, {_index('d.first_month')}) + 1))"
         f" FROM dues_payments d WHERE d.person_id = b.person_id), 0) < :last - {_START} + 1))")
# (A member whose every base says 原籍党组织 owes nothing here and is never loaded.)
MANY = 500  # more members than this: their bases and payments are read whole rather than by a list of ids


def members(reg: Registry | Tx, org_ids: list[int] | None = None, person_id: int | None = None,
            *, tracked_only: bool = False, left_since: str | None = None,
            owing_by: datetime.date | None = None) -> list[Member]:
    """The current members (预备/正式, 党籍正常, not left) in scope, with their bases and payments, in roster order.

    tracked_only: only those with a base (the due list's pass: at 100,000 people nobody else is loaded);
    left_since: also members who left on or after that day (a year's summary keeps what they paid);
    owing_by: only those who may owe a month up to the month before that day (the due list: a member paid up is
    not loaded at all)."""
    clauses = ["p.category IN ('预备党员','正式党员')", "p.status = '正常'"]
    params: dict[str, Any] = {}
    if left_since is None:
        clauses.append("p.left_on IS NULL")
    else:
        clauses.append("(p.left_on IS NULL OR p.left_on >= :left_since)")
        params["left_since"] = left_since
    if org_ids is not None:
        clause, _, more = subtree_clause_named(org_ids)
        clauses.append(clause)
        params.update(more)
    if person_id is not None:
        clauses.append("p.id = :person")
        params["person"] = person_id
    if tracked_only:
        clauses.append("p.id IN (SELECT person_id FROM dues_bases)")
    if owing_by is not None:
        clauses.append(OWING)
        params["last"] = rules.month_index(rules.last_complete_month(owing_by))
    rows = reg.conn.execute(
        "SELECT p.id, p.name, p.id_number, p.category, p.relation, p.joined_on, p.managed_from,"
        " coalesce(p.organization_id, o.organization_id), g.name, o.name, p.left_on FROM people p"
        " LEFT JOIN outlets o ON o.id = p.outlet_id"
        " LEFT JOIN organizations g ON g.id = coalesce(p.organization_id, o.organization_id)"
        f" WHERE {' AND '.join(clauses)} ORDER BY p.sort_stroke, p.id", params).fetchall()
    found = {r[0]: Member(*r) for r in rows}
    if not found:
        return []
    few = len(found) <= MANY
    where = f" WHERE person_id IN ({','.join('?' * len(found))})" if few else ""
    ids = list(found) if few else []
    for row in reg.conn.execute(f"SELECT {BASE_COLUMNS} FROM dues_bases{where} ORDER BY person_id, from_month", ids):
        if row[1] in found:
            found[row[1]].bases.append(_base(row))
    for row in reg.conn.execute(f"SELECT {PAYMENT_COLUMNS} FROM dues_payments{where}"
                                " ORDER BY person_id, first_month", ids):
        if row[1] in found:
            found[row[1]].payments.append(_payment(row))
    return list(found.values())


def member(reg: Registry | Tx, person_id: int) -> Member | None:
    """One person's dues records, or None when she is not a current member."""
    found = members(reg, person_id=person_id)
    return found[0] if found else None


def paid_up_to(reg: Registry | Tx, person_id: int, today: datetime.date | None = None) -> str | None:
    """党费交至 for one person (YYYY-MM), or None."""
    found = member(reg, person_id)
    return found.paid_to(today or datetime.date.today()) if found else None


def payments_of(reg: Registry | Tx, person_id: int) -> list[DuesPayment]:
    return [_payment(r) for r in reg.conn.execute(
        f"SELECT {PAYMENT_COLUMNS} FROM dues_payments WHERE person_id = ? ORDER BY first_month", (person_id,))]


def bases_of(reg: Registry | Tx, person_id: int) -> list[DuesBase]:
    return [_base(r) for r in reg.conn.execute(
        f"SELECT {BASE_COLUMNS} FROM dues_bases WHERE person_id = ? ORDER BY from_month", (person_id,))]


def collected(reg: Registry, start: str, end: str, org_ids: list[int] | None = None) -> tuple[int, Decimal]:
    """(members who paid, amount paid) with the payment dated start..end (ISO days), in scope."""
    clause, params = ("1", []) if org_ids is None else subtree_clause(org_ids)
    rows = reg.conn.execute(
        f"SELECT d.person_id, d.amount FROM dues_payments d JOIN people p ON p.id = d.person_id"
        f" WHERE d.paid_on BETWEEN ? AND ? AND {clause}", [start, end, *params]).fetchall()
    return len({r[0] for r in rows}), sum((Decimal(r[1]) for r in rows), Decimal(0))


def life_by_month(reg: Registry | Tx, people: list[Member], last: str) -> dict[int, dict[str, str]]:
    """Each member's organisational life per month up to `last` (rules.LIFE_*), from the meetings recorded.

    A month is 出席 if she attended any meeting, 请假 if she was excused from one (a good reason), 缺席 if her branch
    held a meeting she did not attend (or she was marked absent), 无记录 when her branch recorded none.
    """
    if not people:
        return {}
    held: dict[int, set[str]] = defaultdict(set)
    for org_id, month in reg.conn.execute(
            "SELECT organization_id, substr(held_on, 1, 7) FROM meetings WHERE substr(held_on, 1, 7) <= ?"
            " AND status = '已召开' GROUP BY 1, 2", (last,)):
        held[org_id].add(month)
    ids = [m.id for m in people]
    marks: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for pid, month, status in reg.conn.execute(
                "SELECT a.person_id, substr(m.held_on, 1, 7), a.status FROM meeting_attendance a"
                " JOIN meetings m ON m.id = a.meeting_id"
                f" WHERE a.person_id IN ({','.join('?' * len(part))}) AND substr(m.held_on, 1, 7) <= ?"
                " AND m.status = '已召开'",
                [*part, last]):
            marks[pid][month].add(status)
    out: dict[int, dict[str, str]] = {}
    for m in people:
        own = held.get(m.organization_id, set()) if m.organization_id is not None else set()
        months = own | set(marks[m.id])
        judged = {}
        for month in months:
            seen = marks[m.id].get(month, set())
            judged[month] = (rules.LIFE_ATTENDED if "出席" in seen else rules.LIFE_EXCUSED if "请假" in seen
                             else rules.LIFE_ABSENT)
        out[m.id] = judged
    return out
