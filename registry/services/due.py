"""What falls due: activists ready to become targets, probation ending, talks owed, members out of touch, data missing.

Every due date and class comes from registry/rules/deadlines.py: the list dates its rows with due_entry, and
the counts' SQL calls the same rules through the functions registered on each connection (rule_due,
rule_due_class), so the list, the counts and the rules cannot disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.rules.deadlines import CLASSES, RULES, due_entry, month_bucket
from registry.services.dues_lists import DUES_KINDS, dues_due_counts, dues_due_items
from registry.services.org_life_gaps import BRANCH_DUE_KINDS, org_life_due_counts, org_life_due_items
from registry.services.transfers import PENDING_OUT
from registry.storage.database import Registry
from registry.storage.fragments import ADMISSION_APPROVED, ENTERED_RECORDS, subtree_clause

# kind: (Chinese label, the article it cites), in the order the dashboard and the report list them.
DUE_KINDS: dict[str, tuple[str, str]] = {r.kind: (r.label, r.rule) for r in RULES.values()}
DUE_KINDS.update(DUES_KINDS)  # 党费: 欠缴 and the six-month rule (registry/services/dues_lists.py)
# Branch-level kinds (person_id None, organization_id/organization named): counted with the rest, never in a roster.
DUE_KINDS.update(BRANCH_DUE_KINDS)

def _since_last(step: str) -> str:
    """The later of the day someone became an activist and her last entry of a repeated step (as the checks'
    _periodic counts the gaps)."""
    return (f"max(p.activist_on, coalesce((SELECT max(s.on_date) FROM development_steps s WHERE s.person_id = p.id"
            f" AND s.step = '{step}'), ''))")


# kind: (people eligible for it, the date column the rule counts from or None, the extension column or None)
_SOURCES: dict[str, tuple[str, str | None, str | None]] = {
    "target_eligible": ("p.category = '入党积极分子' AND p.activist_on IS NOT NULL", "p.activist_on", None),
    "probation_end": ("p.category = '预备党员' AND p.joined_on IS NOT NULL AND p.full_on IS NULL", "p.joined_on",
                      "p.extension_months"),
    "talk_due": ("p.category = '入党申请人' AND p.applied_on IS NOT NULL AND p.talked_on IS NULL", "p.applied_on", None),
    "lost_contact": ("p.category IN ('预备党员','正式党员') AND p.lost_contact = 1 AND p.lost_since IS NOT NULL",
                     "p.lost_since", None),
    "activist_undated": ("p.category = '入党积极分子' AND p.activist_on IS NULL", None, None),
    "probationary_undated": ("p.category = '预备党员' AND p.joined_on IS NULL", None, None),
    "member_undated": ("p.category = '正式党员' AND p.joined_on IS NULL", None, None),
    "applicant_undated": ("p.category = '入党申请人' AND p.applied_on IS NULL", None, None),
    # Managed here since the 报到 date, or since she came under this unit when that was not recorded.
    "inflow_transfer": ("p.category IN ('预备党员','正式党员') AND p.relation = '流入'"
                        " AND coalesce(p.reported_on, p.managed_from) IS NOT NULL",
                        "coalesce(p.reported_on, p.managed_from)", None),
    "relation_unverified": ("p.category IN ('预备党员','正式党员') AND p.relation = '待核实'", None, None),
    # A transfer out without 回执: the member is still ours (转出待接收) and dated by the letter's 有效期.
    "transfer_receipt": (f"p.id IN (SELECT t.person_id FROM transfers t WHERE {PENDING_OUT})",
                         f"(SELECT t.valid_until FROM transfers t WHERE t.person_id = p.id AND {PENDING_OUT}"
                         " ORDER BY t.id DESC LIMIT 1)", None),
    # Admitted by the 支部大会 (入党时间) and no approval recorded, while she was in these records when the approval
    # fell due (one whose 3 months ran out before was approved on paper, if at all: the checks say 历史档案 too).
    # The lapse's last day against that day: '-31' closes a month-only date and leaves a whole day's order as is.
    "approval_due": (f"p.category = '预备党员' AND p.joined_on IS NOT NULL AND p.id NOT IN ({ADMISSION_APPROVED})"
                     f" AND (rule_due('approval_due', p.joined_on, NULL) || '-31') >= {ENTERED_RECORDS}",
                     "p.joined_on", None),
    # The next 考察 of an activist: half a year after the last one recorded, or after the day she became one.
    # (思想汇报 are expected quarterly by local practice, not a step the 细则 makes due: the checks remind.)
    "review_due": ("p.category = '入党积极分子' AND p.activist_on IS NOT NULL", _since_last("activist_review"), None),
}


def due_items(reg: Registry, today: date | None = None, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Every item due by the end of next month or waiting for data, oldest first, each with its class and rule."""
    today = today or date.today()
    scope, params = ("", []) if org_ids is None else subtree_clause(org_ids)
    scope = f" AND {scope}" if scope else ""
    items: list[dict[str, Any]] = []
    for kind, (_, rule) in DUE_KINDS.items():
        if kind not in _SOURCES:
            continue  # the kinds other modules list
        where, start, extension = _SOURCES[kind]
        # The rows come plain from SQL and are dated in Python (one remembered call per distinct start date):
        # at 100,000 people this is several times faster than calling the SQL functions per row.
        rows = reg.conn.execute(
            f"SELECT p.id, p.name, p.id_number, p.category, {start or 'NULL'}, {extension or 'NULL'}, o.name"
            f" FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id WHERE {where} AND p.left_on IS NULL{scope}",
            params).fetchall()
        for pid, name, number, category, begin, ext, outlet in rows:
            due, cls = due_entry(kind, begin, ext, today)
            if cls is None:
                continue
            # bucket: the month the date lies in; bucket_label, like class_label, is what the user reads
            items.append({"kind": kind, "label": RULES[kind].label_for(cls), "bucket": month_bucket(due, today),
                          "bucket_label": CLASSES[cls], "class": cls, "class_label": CLASSES[cls], "rule": rule,
                          "due": due, "person_id": pid, "name": name, "id_number": number,
                          "category": category, "outlet": outlet})
    items += org_life_due_items(reg, today, org_ids)
    items += dues_due_items(reg, today, org_ids)
    # Dated items by date (a month-only date before the days of its month), then those waiting for data.
    items.sort(key=lambda i: (i["due"] is None, i["due"] or "", i["name"]))
    return items


def due_person_ids(reg: Registry, class_key: str | None = None, today: date | None = None,
                   kind: str | None = None) -> frozenset[int]:
    """People with something on the due list, or only in one class (overdue, this_month, eligible, …) or kind."""
    return frozenset(i["person_id"] for i in due_items(reg, today) if i["person_id"] is not None
                     and (class_key is None or i["class"] == class_key) and (kind is None or i["kind"] == kind))


def due_counts(reg: Registry, today: date | None = None) -> dict[str, dict[str, int]]:
    """The same as due_summary(due_items(...)) counted in SQL: the dashboard needs numbers, not names.

    People are grouped by their start date first, so the rule functions run once per distinct date.
    """
    today = today or date.today()
    counts: dict[str, dict[str, int]] = {k: dict.fromkeys(CLASSES, 0) for k in DUE_KINDS}
    for kind in DUE_KINDS:
        if kind not in _SOURCES:
            continue  # the kinds other modules count
        where, start, extension = _SOURCES[kind]
        for cls, n in reg.conn.execute(
                f"SELECT rule_due_class('{kind}', rule_due('{kind}', s, e), ?) AS c, sum(n) FROM"
                f" (SELECT {start or 'NULL'} AS s, {extension or 'NULL'} AS e, count(*) AS n FROM people p"
                f" WHERE {where} AND p.left_on IS NULL GROUP BY s, e) GROUP BY c", [today.isoformat()]):
            if cls is not None:
                counts[kind][cls] = n
    counts.update(org_life_due_counts(reg, today))
    counts.update(dues_due_counts(reg, today))
    return counts


def due_summary(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Items counted per kind and class."""
    summary: dict[str, dict[str, int]] = {k: dict.fromkeys(CLASSES, 0) for k in DUE_KINDS}
    for item in items:
        summary[item["kind"]][item["class"]] += 1
    return summary
