"""The roster carries both directions of flowing members: 是否流动党员, 组织关系所在党组织, 外出流向 — and reads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.exporting.roster import ROSTER_COLUMNS, export_roster, roster_labels
from registry.importing.service import import_files
from registry.services.organizations import add_org
from registry.services.people import add_person
from registry.services.search import search_people
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

UNVERIFIED_ID, MASS_ID = "11010519491231002X", "650102199001010017"
KEYS = ("relation", "flowing", "home_organization", "flow_destination", "organization")


@pytest.fixture
def four(reg: Registry) -> Registry:
    add_org(reg, name="城南快递联合党支部")
    common = {"category": "正式党员", "joined_on": "2010-07", "managed_from": "2026-01-05"}
    add_person(reg, name="在册", id_number=ID_MAN_1985, organization="城南快递联合党支部", **common)
    add_person(reg, name="流入", id_number=ID_WOMAN_1992, relation="流入", home_organization="四川省南充市某村党支部",
               organization="城南快递联合党支部", **common)
    add_person(reg, name="流出", id_number=ID_MAN_2000, relation="流出", flow_destination="广东省深圳市",
               organization="城南快递联合党支部", **common)
    add_person(reg, name="待查", id_number=UNVERIFIED_ID, relation="待核实", **common)
    add_person(reg, name="群众", id_number=MASS_ID, category="群众", managed_from="2026-01-05")
    return reg


def _by_name(reg: Registry) -> dict[str, tuple[object, ...]]:
    return {p["name"]: tuple(p[k] for k in KEYS) for p in search_people(reg)}


def test_cells_of_both_directions(four: Registry, tmp_path: Path) -> None:
    export_roster(four, tmp_path / "r.csv")
    import csv

    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == roster_labels()
    at = {k: 1 + ROSTER_COLUMNS.index(k) for k in ("flowing", "home_organization", "flow_destination")}
    cells = {r[1]: tuple(r[i] for i in at.values()) for r in rows}
    assert cells == {"在册": ("否", "", ""), "流入": ("是", "四川省南充市某村党支部", ""), "流出": ("是", "", "广东省深圳市"),
                     "待查": ("待核实", "", ""), "群众": ("否", "", "")}
    assert header[at["flow_destination"]] == "外出流向" and at["flow_destination"] == at["home_organization"] + 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_keeps_the_relation(four: Registry, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"花名册{suffix}"
    export_roster(four, out)
    fresh = Registry(tmp_path / "fresh.db", create=True)
    try:
        add_org(fresh, name="城南快递联合党支部")
        result = import_files(fresh, [out])
        assert result.added == 5 and result.unverified == 1  # 待查 read back as 待核实, and counted as such
        assert _by_name(fresh) == _by_name(four)
        again = import_files(four, [out])  # into the registry it came from: nothing changes
        assert (again.updated, again.unchanged) == (0, 5)
    finally:
        fresh.close()
