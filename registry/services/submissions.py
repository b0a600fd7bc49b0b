"""报送: submitted monthly / half-monthly reports, frozen with their figures, PDF and hash; the next period reads them.

A submitted report is what went upward with a stamp, so it never changes: reprinting gives the stored bytes, and
the next period's 上期末 is the submitted figure. When recomputing that previous period now gives another figure
(a late correction), `apply_submitted` names the people who explain it and adds a change line, so that
上期末 + the change lines = 本期末 still holds for every member group.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from registry import exports
from registry.display import cn_moment
from registry.errors import UserError
from registry.reports.output import check_target, publish
from registry.rules.categories import CATEGORIES
from registry.rules.membership import GROUP_LABELS, MEMBER_GROUPS
from registry.rules.periods import Period, period_for
from registry.services.membership import states_at
from registry.services.organizations import require_org, subtree_ids
from registry.storage.database import Registry

# Report kinds as the command line names them, and the period kind each one covers.
KINDS = {"monthly": "month", "halfmonth": "half"}
KIND_LABELS = {"monthly": "月报", "halfmonth": "半月通报"}
CORRECTION_LINE = "上期报送后更正"
# The member figures a difference can be about, in the order they are printed; categories follow.
MEMBER_LINES = ("total", "registered", "flowing_in", "flowing_out", "unverified", "stopped", "lost_contact")
LINE_LABELS = {"total": "党员合计", **GROUP_LABELS, "lost_contact": "失联党员", **{c: c for c in CATEGORIES}}
_LISTED = ("id", "operation_id", "kind", "period_start", "period_end", "organization", "submitted_at", "operator",
           "title", "sha256")


def report_kind(period: Period) -> str:
    """'monthly' or 'halfmonth' for a period; other spans are not reports that are submitted."""
    for kind, period_kind in KINDS.items():
        if period.kind == period_kind:
            return kind
    raise UserError(f"只有月报和半月通报可以报送，“{period.label}”不是一个月或半个月，请按月份或半月重新生成报表。")


def _checked_kind(kind: str, period: Period) -> str:
    kind = {"month": "monthly", "half": "halfmonth"}.get(kind, kind)
    if KINDS.get(kind) != period.kind:
        raise UserError(f"报表类型“{kind}”与统计期间“{period.label}”不符，请选择月报（整月）或半月通报（半个月）。")
    return kind


def organization_key(reg: Registry, org: str | None) -> str:
    """How a submission names its scope: the organisation's name, '' for the whole unit."""
    return require_org(reg, org)["name"] if org else ""


def roster_at(reg: Registry, day: date, org: str | None = None) -> dict[str, dict[str, Any]]:
    """Everyone counted at `day` in the scope (person id -> name, group, category): the shape of
    figures["roster_at_end"], stored with a submission to name the people behind a later difference."""
    scope = set(subtree_ids(reg, require_org(reg, org)["id"])) if org else None
    names = dict(reg.conn.execute("SELECT id, name FROM people").fetchall())
    return {str(pid): {"name": names[pid], "group": st.group, "category": st.category}
            for pid, st in states_at(reg, day).items() if scope is None or st.organization_id in scope}


def _row(cur: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    found = dict(zip([d[0] for d in cur.description], row, strict=True))
    found["period"] = period_for(date.fromisoformat(found["period_start"]),
                                 date.fromisoformat(found["period_end"])).as_dict()
    if "figures" in found:
        found["figures"] = json.loads(found["figures"])
    return found


def _select(conn: sqlite3.Connection, columns: tuple[str, ...], where: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = conn.execute(f"SELECT {', '.join(columns)}, length(pdf) AS size FROM report_submissions WHERE {where}"
                       " ORDER BY period_start DESC, kind, organization, id DESC", params)
    return [_row(cur, r) for r in cur.fetchall()]


def list_submissions(reg: Registry) -> list[dict[str, Any]]:
    """Every submitted report, newest period first, without its figures or PDF (size in bytes instead)."""
    return _select(reg.conn, _LISTED, "1", [])


def get_submission(reg: Registry, submission_id: int, *, with_figures: bool = False) -> dict[str, Any]:
    found = _select(reg.conn, (*_LISTED, "figures") if with_figures else _LISTED, "id = ?", [int(submission_id)])
    if not found:
        raise UserError(f"报送存档中没有编号为{submission_id}的报表，请先查看报送存档（report archive）中的编号。")
    return found[0]


def _find(conn: sqlite3.Connection, kind: str, start: date, end: date, organization: str,
          with_figures: bool) -> dict[str, Any] | None:
    found = _select(conn, (*_LISTED, "figures") if with_figures else _LISTED,
                    "kind = ? AND period_start = ? AND period_end = ? AND organization = ?",
                    [kind, start.isoformat(), end.isoformat(), organization])
    return found[0] if found else None


def find_submission(reg: Registry, kind: str, start: date, end: date, org: str | None = None, *,
                    with_figures: bool = True) -> dict[str, Any] | None:
    """The submission of this kind, period and scope (with its figures), or None if it was not submitted."""
    kind = _checked_kind(kind, period_for(start, end))
    return _find(reg.conn, kind, start, end, organization_key(reg, org), with_figures)


def stored_pdf(reg: Registry, submission_id: int) -> bytes:
    """The PDF exactly as submitted; checked against its hash so a damaged copy is never handed out as the original."""
    row = reg.conn.execute("SELECT pdf, sha256, title FROM report_submissions WHERE id = ?",
                           (int(submission_id),)).fetchone()
    if row is None:
        get_submission(reg, submission_id)  # raises the sentence for an unknown number
        raise AssertionError("unreachable")
    pdf, sha, title = bytes(row[0]), row[1], row[2]
    if hashlib.sha256(pdf).hexdigest() != sha:
        raise UserError(f"报送存档中的“{title}”与报送时的校验码不一致，数据库文件可能已损坏；请从备份恢复后再重新打印。")
    return pdf


def already_submitted(found: dict[str, Any]) -> UserError:
    return UserError(f"{found['title']}已于{cn_moment(found['submitted_at'])}由{found['operator']}报送，"
                     "报送后的报表已锁定，不能再次报送；如需再次打印，请在报送存档中重新打印该报表。")


def submit(reg: Registry, kind: str, period: Period, org: str | None, figures: dict[str, Any],
           pdf_bytes: bytes) -> int:
    """Store the report as submitted: its figures, the PDF exactly as given and its SHA-256; returns the id.

    One audited transaction. The audit row carries a summary (kind, period, scope, hash, size), never the PDF.
    """
    kind = _checked_kind(kind, period)
    organization = organization_key(reg, org)
    if not pdf_bytes.startswith(b"%PDF"):
        raise UserError("要报送的报表文件不是PDF，请重新生成报表后再报送。")
    sha = hashlib.sha256(pdf_bytes).hexdigest()
    title = f"{figures.get('title') or '快递行业党建工作' + KIND_LABELS[kind]}（{period.label}）"
    if organization:
        title += f"·{organization}"
    # The report computes the roster only when asked (it is slow on a large registry): here it is needed.
    roster = figures.get("roster_at_end")
    if roster is None:
        roster = roster_at(reg, period.end, org)
    stored = json.dumps({**figures, "submitted": True, "roster_at_end": roster}, ensure_ascii=False, default=str)
    summary = {"kind": kind, "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
               "organization": organization, "title": title, "sha256": sha, "size": len(pdf_bytes)}
    with reg.transaction("report.submit", f"报送{title}") as tx:
        found = _find(tx.conn, kind, period.start, period.end, organization, with_figures=False)
        if found is not None:
            raise already_submitted(found)
        cur = tx.conn.execute(
            "INSERT INTO report_submissions (operation_id, kind, period_start, period_end, organization,"
            " submitted_at, operator, title, figures, pdf, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (tx.operation_id, kind, period.start.isoformat(), period.end.isoformat(), organization, tx.at,
             tx.operator, title, stored, sqlite3.Binary(pdf_bytes), sha))
        row_id = int(cur.lastrowid or 0)
        tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "report_submissions", row_id, title, None, None,
                   json.dumps(summary, ensure_ascii=False))])
    return row_id


def reprint(reg: Registry, submission_id: int, out: Path) -> dict[str, Any]:
    """Write the submitted PDF to `out` byte for byte, through the audited file writer; returns the submission."""
    out = check_target(Path(out))
    found = get_submission(reg, submission_id)
    pdf = stored_pdf(reg, submission_id)
    exports.publish(reg, out, action="report.reprint", summary=f"重新打印已报送的{found['title']} {out.name}",
                    write=lambda tmp: tmp.write_bytes(pdf),
                    detail={"format": "pdf", "report": found["kind"], "submission": found["id"],
                            "sha256": found["sha256"]})
    return found


# The previous period as submitted ------------------------------------------------------------------------------
def _counted(line: str, entry: dict[str, Any] | None) -> bool:
    """Whether one person of a roster (None: not here) is counted in a line of the figures."""
    if entry is None:
        return False
    if line in MEMBER_GROUPS:
        return entry.get("group") == line
    if line == "total":
        return entry.get("group") is not None
    if line in CATEGORIES:
        return entry.get("category") == line
    return bool(entry.get(line))  # flowing_out, lost_contact: only when the roster carries them


def explaining(line: str, submitted: dict[str, Any], recomputed: dict[str, Any]) -> list[str]:
    """The people counted in `line` by one roster and not the other, by person id (named as they are now)."""
    names = []
    for key in sorted(set(submitted) | set(recomputed), key=lambda k: (len(str(k)), str(k))):
        before, now = submitted.get(key), recomputed.get(key)
        if _counted(line, before) != _counted(line, now):
            names.append(str((now or before or {}).get("name", "")))
    return names


def _stored(conn: sqlite3.Connection, submission_id: int, *paths: str) -> list[Any]:
    """Parts of a submission's stored figures: SQLite reads just these out of a JSON of many megabytes (the
    roster of a large registry), ten times faster than parsing all of it."""
    row = conn.execute(f"SELECT {', '.join('json_extract(figures, ?)' for _ in paths)} FROM report_submissions"
                       " WHERE id = ?", [*paths, submission_id]).fetchone()
    return [json.loads(v) if isinstance(v, str) and v[:1] in ("{", "[") else v for v in row]


def _submitted_current(conn: sqlite3.Connection, submission_id: int) -> dict[str, Any]:
    """What a submission reported for its own period end (the shape before `current` existed is read too)."""
    current, members, by_category = _stored(conn, submission_id, "$.current", "$.members", "$.by_category")
    if isinstance(current, dict):
        return current
    return {"members": members or {}, "by_category": by_category or {}}


def _differences(submitted: dict[str, Any], recomputed: dict[str, Any], rosters: tuple[dict[str, Any], dict[str, Any]],
                 ) -> list[dict[str, Any]]:
    out = []
    lines = [("members", k) for k in MEMBER_LINES] + [("by_category", c) for c in CATEGORIES]
    for section, line in lines:
        before = (submitted.get(section) or {}).get(line)
        now = (recomputed.get(section) or {}).get(line)
        if before is None or now is None or before == now:
            continue
        # Like a change line: "line" is what the report prints, "group" the figure's key (a group or a category).
        out.append({"line": LINE_LABELS.get(line, line), "group": line, "submitted": before, "recomputed": now,
                    "people": explaining(line, *rosters)})
    return out


def _submitted_totals(rows: Any, submitted: dict[str, Any]) -> None:
    """The totals table's 上期末 column is the submitted figure too (the recomputed one kept beside it)."""
    from registry.reports.monthly import TOTAL_ROWS  # which figure each row of the table shows

    where = {key: place for key, _, place in TOTAL_ROWS}
    for row in rows if isinstance(rows, list) else []:
        section, line = where.get(row.get("key"), ("", ""))
        if section == "people" and not line:
            value = sum((submitted.get("by_category") or {}).values()) if submitted.get("by_category") else None
        else:
            value = (submitted.get(section) or {}).get(line)
        if isinstance(value, int) and isinstance(row.get("current"), int):
            row.update(previous_recomputed=row.get("previous"), previous=value, change=row["current"] - value)


def apply_submitted(reg: Registry, figures: dict[str, Any], kind: str, period: Period,
                    org: str | None = None) -> dict[str, Any]:
    """Read the submitted previous period into `figures` (changed in place and returned).

    Sets figures["submitted"] (this period is submitted) and figures["differences"] (always a list). If the
    previous period of the same kind and scope was submitted, figures["previous"] becomes its submitted figures
    (source "submitted"; the recomputed ones stay as figures["previous_recomputed"]), every figure that differs
    gets a difference naming the people behind it, and each member group (figures["changes"]) and category
    (figures["pipeline_changes"]) that differs gets a change line 上期报送后更正 of recomputed − submitted, so
    previous + Σ deltas = current still holds; the totals table's 上期末 column is the submitted figure as well.
    The rosters are read here when the figures were gathered without them. Calling it twice changes nothing more.
    """
    kind = _checked_kind(kind, period)
    organization = organization_key(reg, org)
    own = _find(reg.conn, kind, period.start, period.end, organization, with_figures=False)
    figures["submitted"] = own is not None
    figures["submission"] = {k: own[k] for k in ("id", "submitted_at", "operator", "sha256")} if own else None
    figures.setdefault("differences", [])
    previous = figures.get("previous")
    if not isinstance(previous, dict) or "members" not in previous or previous.get("source") == "submitted":
        return figures  # no previous figures to replace (only the period), or replaced already
    prev = period.previous()
    earlier = _find(reg.conn, kind, prev.start, prev.end, organization, with_figures=False)
    if earlier is None:
        previous.setdefault("source", "computed")
        return figures
    submitted = _submitted_current(reg.conn, earlier["id"])
    differences = _differences(submitted, previous, ({}, {}))
    if differences:  # only then the people are needed: the rosters are slow on a large registry
        recomputed = figures.get("roster_at_previous_end")
        if recomputed is None:
            recomputed = roster_at(reg, prev.end, org)
        [kept] = _stored(reg.conn, earlier["id"], "$.roster_at_end")
        differences = _differences(submitted, previous, (kept or {}, recomputed))
    figures["previous_recomputed"] = previous
    figures["previous"] = {**previous, **submitted, "source": "submitted", "submission_id": earlier["id"],
                           "submitted_at": earlier["submitted_at"]}
    figures["differences"] = differences
    _submitted_totals(figures.get("totals"), submitted)
    for d in differences:
        # Member groups balance in figures["changes"], categories in figures["pipeline_changes"].
        key = "changes" if d["group"] in MEMBER_GROUPS else "pipeline_changes" if d["group"] in CATEGORIES else None
        if key:
            figures.setdefault(key, []).append({"line": CORRECTION_LINE, "group": d["group"],
                                                "delta": d["recomputed"] - d["submitted"], "people": d["people"]})
    return figures


def write_report(reg: Registry, out: Path, period: Period, org: str | None = None, on: date | None = None, *,
                 submit_it: bool = False) -> dict[str, Any]:
    """Gather the figures (with the submitted previous period read in), lay out and save the report at `out`
    through the audited writer; with submit_it, store the very bytes saved as this period's submission
    (figures["submission_id"]). Returns the figures, with "pages"."""
    from registry.reports.monthly import build_monthly_pdf, monthly_figures  # the report reads this module

    kind = report_kind(period)
    check_target(Path(out))  # a wrong file name fails before any work
    if submit_it:
        found = _find(reg.conn, kind, period.start, period.end, organization_key(reg, org), with_figures=False)
        if found is not None:
            raise already_submitted(found)  # before anything is written
    figures = apply_submitted(reg, monthly_figures(reg, period.start, period.end, org, on), kind, period, org)

    def write(tmp: Path) -> tuple[int, bytes]:
        pages = build_monthly_pdf(figures, tmp)
        return pages, tmp.read_bytes()  # the file itself is moved into place unchanged

    pages, pdf = publish(reg, Path(out), kind, f"{figures['title']}（{period.label}）",
                         {"period": period.as_dict(), "organization": org}, write)
    figures["pages"] = pages
    if submit_it:
        figures["submission_id"] = submit(reg, kind, period, org, figures, pdf)
        figures["submitted"] = True
    return figures
