"""A transfer out completed by its 回执 is a 转出, not also a 离开 in the monthly changes."""

from __future__ import annotations

from registry.reports.monthly import monthly_figures
from registry.rules.periods import parse_month
from registry.services.flowing import transfer_out
from registry.services.people import add_person, edit_person
from registry.services.transfers import record_receipt
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992
from tests.reports.conftest import TODAY


def test_a_received_transfer_is_not_listed_as_leaving_too(branch: Registry) -> None:
    common = {"outlet": "沙河网点", "organization": "城南快递联合党支部", "managed_from": "2020-01-01"}
    add_person(branch, name="转出戊", id_number=ID_MAN_1985, category="正式党员", joined_on="2014-07-01", **common)
    add_person(branch, name="离开己", id_number=ID_WOMAN_1992, category="群众", **common)
    transfer_out(branch, ID_MAN_1985, to_org="河南省周口市某镇党委", issued_on="2026-10-15")
    record_receipt(branch, ID_MAN_1985, "2026-10-28")
    edit_person(branch, ID_WOMAN_1992, left_on="2026-10-20")
    october = parse_month("2026-10")
    figures = monthly_figures(branch, october.start, october.end, on=TODAY)
    # The event lists ("activity" once the balanced report holds "changes" for its lines).
    changes = {c["key"]: c for c in figures.get("activity", figures["changes"])}
    assert [p["name"] for p in changes["transfer_out"]["people"]] == ["转出戊"]
    assert [p["name"] for p in changes["left"]["people"]] == ["离开己"]
