"""报送: a submitted report is frozen, reprints byte for byte, and is the next period's 上期末 (with 差异说明)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from registry.errors import UserError
from registry.rules.categories import CATEGORIES
from registry.rules.membership import MEMBER_GROUPS
from registry.rules.periods import Period, month_period, parse_half, parse_month
from registry.services.membership import states_at
from registry.services.people import add_person, edit_person
from registry.services.stats import statistics
from registry.services.submissions import (
    CORRECTION_LINE,
    apply_submitted,
    find_submission,
    get_submission,
    list_submissions,
    reprint,
    roster_at,
    stored_pdf,
    submit,
)
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

OCTOBER, NOVEMBER = parse_month("2026-10"), parse_month("2026-11")
SINCE = "2026-01-01"


def roster(reg: Registry, day: date) -> dict[str, dict[str, Any]]:
    """Everyone here at `day`, in the shape the report's figures carry (roster_at_end)."""
    names = dict(reg.conn.execute("SELECT id, name FROM people").fetchall())
    return {str(pid): {"name": names[pid], "group": s.group, "category": s.category}
            for pid, s in states_at(reg, day).items()}


def counts(reg: Registry, day: date) -> dict[str, Any]:
    s = statistics(reg, day)
    return {"members": s["members"], "by_category": s["by_category"]}


def figures_for(reg: Registry, period: Period) -> dict[str, Any]:
    """The figures of a report as `monthly_figures` delivers them (only the keys this feature reads); no change
    lines of the period itself: the tests below make no change inside the period."""
    prev = period.previous()
    return {"title": "快递行业党建工作月报", "current": counts(reg, period.end), "previous": counts(reg, prev.end),
            "changes": [], "pipeline_changes": [], "roster_at_end": roster(reg, period.end),
            "roster_at_previous_end": roster(reg, prev.end)}


def fake_pdf(text: str) -> bytes:
    return b"%PDF-1.4\n" + text.encode() + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture
def unit(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07", full_on="2011-07",
               outlet="沙河网点", managed_from=SINCE)
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               outlet="春熙路网点", managed_from=SINCE)
    return branch


def balanced(figures: dict[str, Any]) -> bool:
    """上期末 + Σ change lines = 本期末, for every member group (changes) and every category (pipeline_changes)."""
    previous, current = figures["previous"], figures["current"]
    groups = all(previous["members"][g] + sum(c["delta"] for c in figures["changes"] if c["group"] == g)
                 == current["members"][g] for g in MEMBER_GROUPS)
    categories = all(previous["by_category"][c] + sum(x["delta"] for x in figures["pipeline_changes"]
                                                      if x["group"] == c) == current["by_category"][c]
                     for c in CATEGORIES)
    total = previous["members"]["total"] + sum(c["delta"] for c in figures["changes"]) == current["members"]["total"]
    return groups and categories and total


def test_submit_then_edit_reprints_the_same_bytes(unit: Registry, tmp_path: Path) -> None:
    pdf = fake_pdf("十月")
    sid = submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), pdf)
    edit_person(unit, ID_MAN_1985, correction=True, name="张三丰")  # later edits change nothing submitted
    add_person(unit, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07", managed_from=SINCE)
    out = reprint(unit, sid, tmp_path / "重印.pdf")
    written = (tmp_path / "重印.pdf").read_bytes()
    assert written == pdf and stored_pdf(unit, sid) == pdf
    assert hashlib.sha256(written).hexdigest() == out["sha256"] == get_submission(unit, sid)["sha256"]
    stored = find_submission(unit, "monthly", OCTOBER.start, OCTOBER.end)
    assert stored is not None and stored["figures"]["current"]["members"]["registered"] == 2
    assert stored["figures"]["roster_at_end"][str(1)]["name"] == "张三"  # as submitted, not as renamed
    actions = [r[0] for r in unit.conn.execute("SELECT action FROM operations ORDER BY id DESC LIMIT 4")]
    assert actions[0] == "report.reprint" and "report.submit" in actions


def test_the_audit_row_is_a_summary_never_the_pdf(unit: Registry) -> None:
    pdf = fake_pdf("审计")
    sid = submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), pdf)
    new = unit.scalar("SELECT new FROM audit_log WHERE entity = 'report_submissions' AND entity_id = ?", [sid])
    summary = json.loads(new)
    assert summary["sha256"] == hashlib.sha256(pdf).hexdigest() and summary["size"] == len(pdf)
    assert summary["period_start"] == "2026-10-01" and "%PDF" not in new and "roster" not in new


def test_a_period_is_submitted_once(unit: Registry) -> None:
    submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("一"))
    operations = unit.scalar("SELECT count(*) FROM operations")
    with pytest.raises(UserError, match="已于.*报送.*已锁定"):
        submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("二"))
    assert unit.scalar("SELECT count(*) FROM operations") == operations
    assert [s["sha256"] for s in list_submissions(unit)] == [hashlib.sha256(fake_pdf("一")).hexdigest()]
    # Another scope or another kind of the same days is another report.
    submit(unit, "monthly", OCTOBER, "城南快递联合党支部", figures_for(unit, OCTOBER), fake_pdf("三"))
    submit(unit, "halfmonth", parse_half("2026-10-2"), None, figures_for(unit, OCTOBER), fake_pdf("四"))
    assert [(s["kind"], s["organization"]) for s in list_submissions(unit)] == [
        ("halfmonth", ""), ("monthly", ""), ("monthly", "城南快递联合党支部")]


@pytest.mark.parametrize(("kind", "period", "message"), [
    ("halfmonth", OCTOBER, "不符"),
    ("monthly", parse_half("2026-10-1"), "不符"),
    ("monthly", Period("custom", date(2026, 10, 3), date(2026, 10, 9)), "不符"),
])
def test_wrong_kind_is_a_sentence(unit: Registry, kind: str, period: Period, message: str) -> None:
    with pytest.raises(UserError, match=message):
        submit(unit, kind, period, None, figures_for(unit, OCTOBER), fake_pdf("x"))
    assert list_submissions(unit) == []


def test_not_a_pdf_and_unknown_numbers_are_sentences(unit: Registry, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="不是PDF"):
        submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), b"<html>")
    with pytest.raises(UserError, match="没有编号为9的报表"):
        reprint(unit, 9, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_damaged_stored_pdf_is_not_handed_out(unit: Registry, tmp_path: Path) -> None:
    sid = submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("原件"))
    unit.conn.execute("UPDATE report_submissions SET pdf = ? WHERE id = ?", (fake_pdf("被改"), sid))
    with pytest.raises(UserError, match="校验码不一致"):
        reprint(unit, sid, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_reprint_into_a_missing_folder_is_a_sentence(unit: Registry, tmp_path: Path) -> None:
    sid = submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("十月"))
    with pytest.raises(UserError, match="不存在"):
        reprint(unit, sid, tmp_path / "没有" / "x.pdf")


def test_next_month_reads_the_submitted_figures(unit: Registry) -> None:
    submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("十月"))
    figures = apply_submitted(unit, figures_for(unit, NOVEMBER), "monthly", NOVEMBER)
    assert figures["previous"]["source"] == "submitted"
    assert figures["previous"]["members"] == counts(unit, OCTOBER.end)["members"]
    assert figures["differences"] == [] and figures["changes"] == [] and figures["submitted"] is False
    assert balanced(figures)
    # October itself is submitted; its own previous (September) was not.
    october = apply_submitted(unit, figures_for(unit, OCTOBER), "monthly", OCTOBER)
    assert october["submitted"] is True and october["previous"]["source"] == "computed"
    assert october["differences"] == []


def test_a_late_correction_names_the_people_and_keeps_the_balance(unit: Registry) -> None:
    submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("十月"))
    # After submitting: a census finds a member here since September, and 李四's 停止党籍 in October is recorded.
    add_person(unit, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07",
               managed_from="2026-09-15", managed_how="摸排新纳入")
    edit_person(unit, ID_WOMAN_1992, changed_on="2026-10-20", status="停止党籍")
    figures = apply_submitted(unit, figures_for(unit, NOVEMBER), "monthly", NOVEMBER)
    assert figures["previous"]["members"]["registered"] == 2 and figures["previous"]["source"] == "submitted"
    assert figures["previous_recomputed"]["members"]["registered"] == 2  # +王五 −李四
    by_line = {d["group"]: d for d in figures["differences"]}
    assert by_line["stopped"] == {"line": "停止党籍党员", "group": "stopped", "submitted": 0, "recomputed": 1,
                                  "people": ["李四"]}
    assert by_line["total"]["submitted"] == 2 and by_line["total"]["recomputed"] == 3
    assert by_line["total"]["people"] == ["王五"]
    assert by_line["正式党员"]["people"] == ["王五"]
    # registered is 2 both ways, but not the same two people: no count differs, so no line for it.
    assert "registered" not in by_line
    corrections = [c for c in figures["changes"] if c["line"] == CORRECTION_LINE]
    assert corrections == [{"line": CORRECTION_LINE, "group": "stopped", "delta": 1, "people": ["李四"]}]
    assert figures["pipeline_changes"] == [{"line": CORRECTION_LINE, "group": "正式党员", "delta": 1,
                                            "people": ["王五"]}]
    assert balanced(figures)
    # The report may already have done this: a second call adds nothing.
    assert len(apply_submitted(unit, figures, "monthly", NOVEMBER)["changes"]) == 1


def test_a_correction_in_registered_counts_is_a_change_line(unit: Registry) -> None:
    submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("十月"))
    add_person(unit, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07",
               managed_from="2026-09-15", managed_how="摸排新纳入")
    figures = figures_for(unit, NOVEMBER)
    figures["totals"] = [{"key": "registered", "label": "其中：在册党员", "current": 3, "previous": 3, "change": 0},
                         {"key": "people", "label": "人员合计", "current": 3, "previous": 3, "change": 0}]
    apply_submitted(unit, figures, "monthly", NOVEMBER)
    assert figures["changes"] == [{"line": CORRECTION_LINE, "group": "registered", "delta": 1, "people": ["王五"]}]
    # The totals table's 上期末 column shows the submitted figure, with the recomputed one kept beside it.
    assert [(r["previous"], r["previous_recomputed"], r["change"]) for r in figures["totals"]] == [(2, 3, 1), (2, 3, 1)]
    assert figures["previous"]["members"]["registered"] == 2 and figures["current"]["members"]["registered"] == 3
    assert balanced(figures)


def test_rosters_left_out_of_the_figures_are_read_when_needed(unit: Registry) -> None:
    """The report leaves the rosters out unless asked (slow on 100,000 people): submitting and naming read them."""
    october = figures_for(unit, OCTOBER)
    del october["roster_at_end"], october["roster_at_previous_end"]
    sid = submit(unit, "monthly", OCTOBER, None, october, fake_pdf("十月"))
    stored = get_submission(unit, sid, with_figures=True)["figures"]
    assert stored["roster_at_end"] == roster(unit, OCTOBER.end)
    add_person(unit, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07",
               managed_from="2026-09-15", managed_how="摸排新纳入")
    november = figures_for(unit, NOVEMBER)
    del november["roster_at_end"], november["roster_at_previous_end"]
    apply_submitted(unit, november, "monthly", NOVEMBER)
    assert {d["group"]: d["people"] for d in november["differences"]} == {
        "total": ["王五"], "registered": ["王五"], "正式党员": ["王五"]}
    assert balanced(november)


def test_half_months_and_organisations_follow_their_own_submissions(unit: Registry) -> None:
    first, second = parse_half("2026-11-1"), parse_half("2026-11-2")
    figures = figures_for(unit, first)
    figures["current"]["members"]["registered"] = 7  # what was submitted, whatever it was
    submit(unit, "halfmonth", first, "城南快递联合党支部", figures, fake_pdf("上半月"))
    unit_wide = apply_submitted(unit, figures_for(unit, second), "halfmonth", second)
    assert unit_wide["previous"]["source"] == "computed"
    branch = apply_submitted(unit, figures_for(unit, second), "halfmonth", second, "城南快递联合党支部")
    assert branch["previous"]["source"] == "submitted" and branch["previous"]["members"]["registered"] == 7
    assert [(d["line"], d["group"]) for d in branch["differences"]] == [("在册党员", "registered")]
    assert apply_submitted(unit, figures_for(unit, NOVEMBER), "monthly", NOVEMBER)["previous"]["source"] == "computed"
    # A branch's roster holds only the people its subtree counts (张三's outlet is under it, 李四's is not).
    assert [p["name"] for p in roster_at(unit, NOVEMBER.end, "城南快递联合党支部").values()] == ["张三"]
    assert len(roster_at(unit, NOVEMBER.end)) == 2


def test_a_submission_of_the_older_shape_is_read_too(unit: Registry) -> None:
    """Figures stored before `current` existed carried members and by_category at the top."""
    old = {"title": "快递行业党建工作月报", **counts(unit, OCTOBER.end)}
    submit(unit, "monthly", OCTOBER, None, old, fake_pdf("旧"))
    figures = apply_submitted(unit, figures_for(unit, NOVEMBER), "monthly", NOVEMBER)
    assert figures["previous"]["source"] == "submitted" and figures["differences"] == []


def test_figures_without_previous_counts_are_left_alone(unit: Registry) -> None:
    submit(unit, "monthly", OCTOBER, None, figures_for(unit, OCTOBER), fake_pdf("十月"))
    figures = {"previous": month_period(date(2026, 10, 1)).as_dict(), "changes": []}
    apply_submitted(unit, figures, "monthly", NOVEMBER)
    assert figures["previous"] == month_period(date(2026, 10, 1)).as_dict()
    assert figures["differences"] == [] and figures["submitted"] is False
