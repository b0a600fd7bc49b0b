"""The report after a submitted one: 上期末 is the submitted figure, a late correction is printed with the people
behind it, and the balance still holds. Runs with the balanced monthly figures (issue 10 item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.rules.categories import CATEGORIES
from registry.rules.membership import MEMBER_GROUPS
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from tests.reports.conftest import needs_poppler, pdf_text


@pytest.fixture
def db(branch: Registry) -> Path:
    for name, number, outlet in (("张三", ID_MAN_1985, "沙河网点"), ("李四", ID_WOMAN_1992, "春熙路网点")):
        add_person(branch, name=name, id_number=number, category="正式党员", joined_on="2010-07", full_on="2011-07",
                   outlet=outlet, managed_from="2026-01-01")
    return branch.path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def balanced(f: dict) -> bool:
    groups = all(f["previous"]["members"][g] + sum(c["delta"] for c in f["changes"] if c["group"] == g)
                 == f["current"]["members"][g] for g in MEMBER_GROUPS)
    categories = all(f["previous"]["by_category"][c] + sum(x["delta"] for x in f["pipeline_changes"]
                                                           if x["group"] == c) == f["current"]["by_category"][c]
                     for c in CATEGORIES)
    return groups and categories


@needs_poppler
def test_a_census_after_a_submitted_month(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(tmp_path / "10.pdf"),
                       "--submit")
    assert code == 0, err
    with Registry(db) as reg:  # the census finds a member who was here since September
        add_person(reg, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2012-07",
                   outlet="沙河网点", managed_from="2026-09-15", managed_how="摸排新纳入")
    out = tmp_path / "11.pdf"
    code, stdout, err = run(capsys, db, "report", "monthly", "--month", "2026-11", "--out", str(out), "--json")
    assert code == 0, err
    f = json.loads(stdout)
    assert f["previous"]["source"] == "submitted" and f["previous"]["members"]["registered"] == 2
    assert f["current"]["members"]["registered"] == 3 and f["submitted"] is False
    assert {d["line"]: (d["submitted"], d["recomputed"], d["people"]) for d in f["differences"]} == {
        "党员合计": (2, 3, ["王五"]), "在册党员": (2, 3, ["王五"]), "正式党员": (2, 3, ["王五"])}
    totals = {r["key"]: r for r in f["totals"]}  # the totals table's 上期末 is the submitted figure as well
    assert (totals["members"]["previous"], totals["members"]["previous_recomputed"], totals["members"]["change"]) \
        == (2, 3, 1)
    assert totals["people"]["previous"] == 2 and totals["flowing_in"]["change"] == 0
    assert {"line": "上期报送后更正", "group": "registered", "delta": 1, "people": ["王五"]} in f["changes"]
    assert balanced(f)
    assert not [k for k in f if k.startswith("roster_at")]
    text = "".join(pdf_text(out, layout=False))
    assert "差异说明" in text and "王五" in text and "上期报送后更正" in text
    # October, asked again, is the submitted report: it still says 2, byte for byte.
    code, _, err = run(capsys, db, "report", "monthly", "--month", "2026-10", "--out", str(tmp_path / "10b.pdf"))
    assert code == 0 and (tmp_path / "10b.pdf").read_bytes() == (tmp_path / "10.pdf").read_bytes()
