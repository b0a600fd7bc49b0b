"""SQL fragments several queries share, declared once: organisation subtree, category order and category at a date."""

from __future__ import annotations

from typing import Any

from registry.rules.categories import CATEGORIES

# People in an organisation subtree: their own organisation, else the one covering their outlet.
# `a` is the alias of a table with organization_id and outlet_id: people, or one of their past states.
_SUBTREE = ("({a}.organization_id IN ({m}) OR ({a}.organization_id IS NULL AND {a}.outlet_id IN"
            " (SELECT id FROM outlets WHERE organization_id IN ({m}))))")


def subtree_clause(org_ids: list[int], alias: str = "p") -> tuple[str, list[Any]]:
    """The condition on people `p` for a subtree, with positional (?) parameters."""
    marks = ",".join("?" * len(org_ids)) or "NULL"
    return _SUBTREE.format(m=marks, a=alias), [*org_ids, *org_ids]


def subtree_clause_named(org_ids: list[int], prefix: str = "o", alias: str = "p") -> tuple[str, str, dict[str, Any]]:
    """The same with named parameters, plus the matching condition on outlets `o`: (people, outlets, params)."""
    marks = ",".join(f":{prefix}{i}" for i in range(len(org_ids))) or "NULL"
    params = {f"{prefix}{i}": v for i, v in enumerate(org_ids)}
    return _SUBTREE.format(m=marks, a=alias), f"o.organization_id IN ({marks})", params


# Dated membership at :d. A person is ours from managed_from (NULL: before records were kept) until left_on;
# their row holds the state since state_from (NULL: since managed_from), person_states the closed ones.
PRESENT_AT = "((p.managed_from IS NULL OR p.managed_from <= :d) AND (p.left_on IS NULL OR p.left_on > :d))"
ROW_STATE_AT = "(p.state_from IS NULL OR p.state_from <= :d)"
SPAN_AT = "(s.valid_to > :d AND (s.valid_from IS NULL OR s.valid_from <= :d))"


# The day a person's admission as 预备党员 counts from, as 党统 counts it: the upper committee's approval (审批)
# where a step records it, else the 支部大会 (入党时间). Month-only dates compare as below (reached in their month).
APPROVED_ON = ("(SELECT min(a.on_date) FROM development_steps a"
               " WHERE a.person_id = p.id AND a.step = 'admission_approval')")
ADMITTED_ON = f"coalesce({APPROVED_ON}, p.joined_on)"
# Everyone with an approval recorded.
ADMISSION_APPROVED = "SELECT a.person_id FROM development_steps a WHERE a.step = 'admission_approval'"
# People whose recorded approval comes after :d (the only stage date not on the people row).
APPROVED_AFTER = ("p.id IN (SELECT a.person_id FROM development_steps a"
                  " WHERE a.step = 'admission_approval' AND a.on_date > :d)")
# The day a person entered the records of this registry (entered, or came under this unit, whichever is later):
# what fell due before it was kept on paper (历史档案), as the development checks' _before_records reads it.
ENTERED_RECORDS = "max(substr(coalesce(p.created_at, ''), 1, 10), coalesce(p.managed_from, ''))"


# Categories from the top of the pipeline down (正式党员 first): 群众 and anything unknown sort last.
CATEGORY_ORDER = ("CASE p.category "
                  + " ".join(f"WHEN '{c}' THEN {i}" for i, c in enumerate(reversed(CATEGORIES[1:])))
                  + f" ELSE {len(CATEGORIES) - 1} END")

# The category a person had at :d, stepping back along the pipeline past stage dates later than :d.
# Month-only dates ('2026-11') compare below any day of that month, so they count as reached in it.
# A 预备党员 counts from ADMITTED_ON: the approval where recorded (支部大会 in October, 审批 in November: a
# 发展对象 at the end of October).
# A 预备党员 whose status was cancelled (取消预备党员资格, cancelled_on) was one until that day.
_CATEGORY = "(CASE WHEN p.cancelled_on > :d THEN '预备党员' ELSE p.category END)"
CATEGORY_AT = f"""
CASE
    WHEN {_CATEGORY} = '正式党员' AND (p.full_on IS NULL OR p.full_on <= :d) THEN '正式党员'
    WHEN {_CATEGORY} IN ('正式党员','预备党员') AND coalesce({ADMITTED_ON} <= :d, 1) THEN '预备党员'
    WHEN {_CATEGORY} IN ('正式党员','预备党员','发展对象') AND (p.target_on IS NULL OR p.target_on <= :d)
        THEN '发展对象'
    WHEN {_CATEGORY} IN ('正式党员','预备党员','发展对象','入党积极分子')
        AND (p.activist_on IS NULL OR p.activist_on <= :d) THEN '入党积极分子'
    WHEN {_CATEGORY} <> '群众' AND (p.applied_on IS NULL OR p.applied_on <= :d) THEN '入党申请人'
    ELSE '群众'
END
"""


def first_day(column: str) -> str:
    """A stored date as a day: a month-only date ('2026-11') counts from the first of its month."""
    return f"(CASE WHEN length({column}) = 7 THEN {column} || '-01' ELSE {column} END)"


# A person's organisation: her own, else the one covering her outlet ({a} is the people or person_states alias).
EFFECTIVE_ORG = "coalesce({a}.organization_id, (SELECT organization_id FROM outlets WHERE id = {a}.outlet_id))"
