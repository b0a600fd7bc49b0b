"""Which reports there are (labels, periods, scopes, file names) and building one: the same for the window and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from registry.rules.periods import Period, month_period, parse_half
from registry.services.search import PeopleFilter
from registry.storage.database import Registry


@dataclass(frozen=True)
class ReportKind:
    """One kind of report as a user chooses it."""

    key: str  # the CLI's word for it: report monthly / halfmonth / roster; person --kind form / record
    label: str
    period: str | None  # "month", "half" (a half-month) or None: a report of today
    scope: str  # "org": a 党组织 with its subtree; "roster": that and the roster's filter; "person": one person
    help: str  # the CLI's help line

    @property
    def periodic(self) -> bool:
        return self.period is not None

    @property
    def personal(self) -> bool:
        return self.scope == "person"

    @property
    def full_ids(self) -> bool:
        """Whether 显示完整身份证号 is offered: the figures of a monthly report hold no ID numbers."""
        return not self.periodic


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind("monthly", "月报", "month", "org", "月报：一个月的人数、变动、组织覆盖和组织生活"),
    ReportKind("halfmonth", "半月通报", "half", "org", "半月通报：上半月（1日至15日）或下半月（16日至月底）"),
    ReportKind("roster", "花名册", None, "roster", "花名册（A4横向，身份证号默认打码）"),
    ReportKind("form", "党员信息登记表", None, "person", "党员信息登记表（一人一份）"),
    ReportKind("record", "发展党员纪实", None, "person", "发展党员全程纪实表（一人一份）"),
    # The papers of the development record (registry.reports.development_papers), one person each.
    ReportKind("review", "考察登记表", None, "person", "入党积极分子、发展对象培养教育考察登记表（一人一份）"),
    ReportKind("target-notice", "发展对象公示", None, "person", "发展对象公示（拟列为发展对象，一人一份）"),
    ReportKind("full-notice", "转正公示", None, "person", "转正公示（拟转为中共正式党员，一人一份）"),
    ReportKind("political-review", "政审综合情况表", None, "person", "发展对象政治审查综合情况表（一人一份）"),
    ReportKind("vote", "支部大会表决记录", None, "person", "支部党员大会表决情况记录（应到、实到、赞成、反对、弃权，一人一份）"),
)
KIND_BY_KEY = {k.key: k for k in REPORT_KINDS}
PERIODIC = tuple(k.key for k in REPORT_KINDS if k.periodic)
PERSONAL = tuple(k.key for k in REPORT_KINDS if k.personal)
HALVES = ((1, "上半月（1日至15日）"), (2, "下半月（16日至月底）"))
ORDERS = (("stroke", "按姓氏笔画"), ("pinyin", "按拼音"))


def kinds_text(keys: tuple[str, ...] | None = None) -> str:
    """月报、半月通报、花名册…: the kinds in words, for help texts."""
    return "、".join(KIND_BY_KEY[k].label for k in keys or KIND_BY_KEY)


def halves_text() -> str:
    """The --period help: 2026-11-1为上半月（1日至15日），2026-11-2为下半月（16日至月底）."""
    return "，".join(f"2026-11-{n}为{label}" for n, label in HALVES)


@dataclass(frozen=True)
class ReportRequest:
    """Everything one report is made from; the window's preview is always for exactly one request."""

    kind: str
    label: str  # 月报（2026年11月）: for titles and file names
    period: Period | None = None
    org: str | None = None
    people: PeopleFilter | None = None
    order: str = "stroke"
    show_id: bool = False
    person_id: int | str | None = None  # a database id, or an ID number (the CLI's key)

    @property
    def periodic(self) -> bool:
        return self.kind in PERIODIC

    def file_name(self, suffix: str = ".pdf") -> str:
        return f"{self.label}{suffix}"


def report_request(reg: Registry, kind: str, *, month: date | None = None, half: int | None = None,
                   org: str | None = None, people: PeopleFilter | None = None, order: str = "stroke",
                   show_id: bool = False, person: dict[str, Any] | None = None,
                   today: date | None = None) -> ReportRequest:
    """The request for a kind with the choices made: the period from a day of its month (and which half)."""
    from registry.services.organizations import require_org, subtree_ids

    chosen = KIND_BY_KEY[kind]
    today = today or date.today()
    if chosen.periodic:
        day = month or today
        period = month_period(day) if chosen.period == "month" else parse_half(f"{day.year}-{day.month}-{half or 1}")
        return ReportRequest(kind, f"{chosen.label}（{period.label}）", period=period, org=org)
    if chosen.scope == "roster":
        org_ids = subtree_ids(reg, require_org(reg, org)["id"]) if org else None  # the chosen 党组织 decides
        return ReportRequest(kind, f"{chosen.label}（{today:%Y%m%d}）", org=org, show_id=show_id,
                             people=replace(people or PeopleFilter(), org_ids=org_ids), order=order)
    if person is None:
        raise ValueError("a personal report needs a person")
    return ReportRequest(kind, f"{chosen.label}（{person['name']}）", show_id=show_id, person_id=person["id"])


def submission_note(found: dict[str, Any]) -> dict[str, Any]:
    return {k: found[k] for k in ("id", "submitted_at", "operator", "sha256")}


def build_preview(reg: Registry, req: ReportRequest, out: Path) -> dict[str, Any] | None:
    """The report laid out at `out` exactly as saving would, but with no audit row: it is a throwaway preview.

    Returns the figures of a monthly / half-monthly report (for the Excel export), else None.
    """
    from registry.reports.development_papers import PAPERS, build_paper
    from registry.reports.monthly import build_monthly_pdf, monthly_figures
    from registry.reports.output import reporting_unit
    from registry.reports.paper import render_pdf
    from registry.reports.person import build_person_pdf, form_person
    from registry.reports.roster import build_roster_pdf, describe_filter
    from registry.services.history import record_reveal
    from registry.services.search import search_people
    from registry.services.submissions import apply_submitted, find_submission, stored_pdf

    if req.periodic:
        assert req.period is not None
        found = find_submission(reg, req.kind, req.period.start, req.period.end, req.org)
        if found is not None:  # a submitted report is frozen: what is shown is the PDF that was submitted
            out.write_bytes(stored_pdf(reg, found["id"]))
            return {**found["figures"], "submitted": True, "submission": submission_note(found)}
        figures = monthly_figures(reg, req.period.start, req.period.end, req.org)
        apply_submitted(reg, figures, req.kind, req.period, req.org)  # 上期末 as submitted, with 差异说明
        build_monthly_pdf(figures, out)
        return figures
    if req.kind == "roster":
        f = req.people or PeopleFilter()
        people = search_people(reg, f, order=req.order)
        if req.show_id:  # full numbers on screen are a reveal too, logged before they are shown
            record_reveal(reg, f"{req.label}（预览）", len(people), "报表预览")
        build_roster_pdf(people, out, unit=reporting_unit(reg, req.org),
                         on=date.today(), show_id=req.show_id, scope=describe_filter(f))
        return None
    person = form_person(reg, req.person_id or 0)
    if req.show_id:
        record_reveal(reg, f"{req.label}（预览）", 1, "报表预览")
    if req.kind in PAPERS:  # the 纪实 and the papers of the development record, from the recorded steps
        render_pdf(build_paper(reg, person["id"], req.kind, show_id=req.show_id)[0], out)
        return None
    build_person_pdf(person, out, show_id=req.show_id,
                     unit=person.get("organization") or reporting_unit(reg, None), on=date.today())
    return None


@dataclass
class BuiltReport:
    """A report saved through the registry (with its audit row): what was written and how."""

    path: Path
    result: dict[str, Any]  # the figures of a periodic report, else the roster's or person's counts; has "pages"
    reprinted: dict[str, Any] | None = None  # the submission reprinted byte for byte, if the period was submitted
    submitted_before: dict[str, Any] | None = None  # submitted, but recomputed on request


def build_report(reg: Registry, req: ReportRequest, out: Path, *, on: date | None = None, submit: bool = False,
                 recompute: bool = False) -> BuiltReport:
    """Save the report at `out`: the one way both the window and `report` write it, recorded in the audit log.

    A submitted period is reprinted as submitted unless `recompute`; `submit` stores it as this period's
    submission (refused, before anything is written, if the period was submitted already).
    """
    from registry.reports.development_papers import PAPERS, write_paper
    from registry.reports.person import write_person_report
    from registry.reports.roster import write_roster_report
    from registry.services.submissions import already_submitted, find_submission, reprint, write_report

    out = Path(out)
    if req.periodic:
        assert req.period is not None
        found = find_submission(reg, req.kind, req.period.start, req.period.end, req.org, with_figures=False)
        if found is not None and submit:
            raise already_submitted(found)
        if found is not None and not recompute:
            reprint(reg, found["id"], out)
            return BuiltReport(out, {}, reprinted=found)
        figures = write_report(reg, out, req.period, req.org, on, submit_it=submit)
        return BuiltReport(out, figures, submitted_before=found)
    if req.kind == "roster":
        return BuiltReport(out, write_roster_report(reg, out, req.people, order=req.order, show_id=req.show_id,
                                                    org=req.org, on=on))
    # By database id or ID number: get_person takes either (the hint says str).
    key: Any = req.person_id
    if req.kind in PAPERS:  # .pdf, or .xlsx to fill by hand
        return BuiltReport(out, write_paper(reg, key, req.kind, out, show_id=req.show_id, on=on))
    return BuiltReport(out, write_person_report(reg, key, out, kind=req.kind, show_id=req.show_id, on=on))


def save_report(reg: Registry, req: ReportRequest, out: Path) -> None:
    """The window's 另存为PDF: build_report with today's date."""
    build_report(reg, req, out)
