"""The choice of reports (registry.reports.choices): one list for the window and the CLI, and building one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.reports.choices import (
    HALVES,
    KIND_BY_KEY,
    REPORT_KINDS,
    ReportRequest,
    build_report,
    kinds_text,
    report_request,
)
from registry.rules.periods import month_period
from registry.services.people import add_person
from registry.services.search import PeopleFilter
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985


def test_the_cli_help_names_every_kind_and_half_from_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert kinds_text() in "".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = "".join(capsys.readouterr().out.split())
    assert all("".join(k.help.split()) in out for k in REPORT_KINDS if not k.personal)
    with pytest.raises(SystemExit):
        main(["report", "halfmonth", "--help"])
    out = capsys.readouterr().out.replace("\n", "").replace(" ", "")
    assert all(label in out for _, label in HALVES)


def test_requests_carry_the_labels_the_file_names_are_made_of(branch: Registry) -> None:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", organization="城南快递联合党支部")
    person = branch.query("SELECT id, name FROM people")[0]
    half = report_request(branch, "halfmonth", month=date(2026, 11, 20), half=2)
    assert half.period is not None and (half.period.start, half.period.end) == (date(2026, 11, 16), date(2026, 11, 30))
    assert half.file_name() == f"半月通报（{half.period.label}）.pdf"
    monthly = report_request(branch, "monthly", month=date(2026, 11, 3), org="示例区快递行业党委")
    assert monthly.period == month_period(date(2026, 11, 1)) and monthly.org == "示例区快递行业党委"
    roster = report_request(branch, "roster", org="城南快递联合党支部", people=PeopleFilter(text="张"),
                            today=date(2026, 12, 1))
    assert roster.label == "花名册（20261201）" and roster.people is not None
    assert roster.people.text == "张" and roster.people.org_ids  # the chosen 党组织 and its subtree
    form = report_request(branch, "form", person=person, show_id=True)
    assert (form.label, form.person_id, form.show_id) == ("党员信息登记表（张三）", person["id"], True)
    assert KIND_BY_KEY["monthly"].periodic and not KIND_BY_KEY["monthly"].full_ids and KIND_BY_KEY["form"].personal


def test_build_report_saves_through_the_audited_writer(branch: Registry, tmp_path: Path) -> None:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", organization="城南快递联合党支部")
    roster = build_report(branch, report_request(branch, "roster"), tmp_path / "花名册.pdf")
    assert roster.path.exists() and roster.result["people"] == 1 and roster.reprinted is None
    form = build_report(branch, ReportRequest("form", "党员信息登记表", person_id=ID_MAN_1985), tmp_path / "表.pdf")
    assert form.result["name"] == "张三"
    period = month_period(date(2026, 11, 1))
    req = ReportRequest("monthly", "月报", period=period)
    first = build_report(branch, req, tmp_path / "月报.pdf", submit=True)
    assert first.result["submission_id"] and first.reprinted is None
    again = build_report(branch, req, tmp_path / "再打.pdf")  # submitted: reprinted byte for byte
    assert again.reprinted is not None and (tmp_path / "再打.pdf").read_bytes() == (tmp_path / "月报.pdf").read_bytes()
    recomputed = build_report(branch, req, tmp_path / "重算.pdf", recompute=True)
    assert recomputed.submitted_before is not None and recomputed.result["pages"] >= 1
    files = [json.loads(r["new"])["file"] for r in branch.query("SELECT new FROM audit_log WHERE entity = 'exports'")]
    assert {Path(f).name for f in files} >= {"花名册.pdf", "表.pdf", "月报.pdf", "重算.pdf"}
