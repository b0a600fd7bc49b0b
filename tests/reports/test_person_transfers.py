"""The printed record shows a transfer out as 转出待接收 with the letter's 有效期 until its 回执 is recorded."""

from __future__ import annotations

from pathlib import Path

from registry.reports.person import write_person_report
from registry.services.flowing import transfer_out
from registry.services.people import add_person
from registry.services.transfers import record_receipt
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from tests.reports.conftest import TODAY, needs_poppler, pdf_text


@needs_poppler
def test_record_shows_pending_then_received(branch: Registry, tmp_path: Path) -> None:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", organization="城南快递联合党支部", managed_from="2020-01-01")
    transfer_out(branch, ID_MAN_1985, to_org="河南省周口市某镇党委", letter_no="组转018号", issued_on="2026-04-20")
    out = tmp_path / "pending.pdf"
    write_person_report(branch, ID_MAN_1985, out, kind="record", on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    assert "转出待接收" in flat and "有效期至2026年7月20日" in flat
    record_receipt(branch, ID_MAN_1985, "2026-05-06")
    out = tmp_path / "received.pdf"
    write_person_report(branch, ID_MAN_1985, out, kind="record", on=TODAY)
    flat = "".join(pdf_text(out, layout=False)).replace("\n", "")
    assert "转出待接收" not in flat and "2026年5月6日" in flat
