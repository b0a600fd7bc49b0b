"""Every row of a busy log reads in Chinese: no column key, English value or raw timestamp reaches the user."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from registry.demo import fill_demo
from registry.rules.periods import month_period
from registry.services.development_steps import record_step
from registry.services.history import history, reference_names
from registry.services.history_text import describe, history_line
from registry.services.people import add_person, edit_person
from registry.services.submissions import write_report
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.test_no_english import latin_words


def test_a_busy_log_has_no_latin_words(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "log.db", operator="李书记", create=True)
    fill_demo(reg, people=60)  # meetings, attendance, volunteer service, transfers
    last_month = month_period(date.today().replace(day=1) - timedelta(days=1))
    write_report(reg, tmp_path / "月报.pdf", last_month, submit_it=True)
    pid = add_person(reg, name="赵刚", id_number=ID_MAN_1985, category="入党申请人", applied_on="2026-01-05",
                     managed_from="2025-12-01")
    record_step(reg, pid, "application_talk", "2026-01-20", talker="王书记")
    edit_person(reg, pid, relation="流出", flow_destination="广州", changed_on="2026-02-01")
    rows = history(reg, limit=None)
    assert {r["entity"] for r in rows} >= {"report_submissions", "volunteer_records", "development_steps",
                                          "person_states", "people", "meetings"}
    names = reference_names(reg)
    offenders = {}
    for row in rows:
        cells = history_line(row, names).cells()
        words = [w for w in latin_words(" ".join(cells[1:]), {"root"} if row["operator"] == "root" else ())
                 if not any(c.isdigit() for c in w)]  # certificate and letter numbers (LD3669571) are data
        if words:
            offenders[row["entity"], row["field"]] = (words, cells[5][:120])
    assert offenders == {}
    exported = [describe(r, names) for r in rows if r["entity"] == "exports"]
    assert exported and not [e for e in exported if "导出0人" in e], exported  # a report is not "0 people"
    service = [history_line(r, names).cells()[5] for r in rows if r["entity"] == "volunteer_records"]
    assert service and all(c.startswith("人员：") for c in service), service[:3]
    steps = [describe(r, names) for r in rows if r["entity"] == "development_steps"]
    assert any("谈话人：王书记" in s for s in steps), steps
