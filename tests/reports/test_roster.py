"""The roster PDF: the export's filters, order and cells; header on every page; ID numbers masked by default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry.exporting.roster import roster_values
from registry.reports.roster import column_layout, roster_cells, write_roster_report
from registry.reports.roster_table import LineBreaker
from registry.rules.idnumber import mask_id
from registry.services.history import history
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry
from tests.reports.conftest import FULL_ID, TODAY, assert_paged_and_embedded, needs_poppler


@needs_poppler
def test_roster_masks_ids_and_repeats_the_header(demo: Registry, tmp_path: Path) -> None:
    out = tmp_path / "花名册.pdf"
    result = write_roster_report(demo, out, on=TODAY)
    pages = assert_paged_and_embedded(out)
    people = search_people(demo, PeopleFilter())
    assert result == {"people": len(people), "pages": len(pages)} and len(pages) >= 3
    text = "\n".join(pages)
    assert not FULL_ID.search(text)
    assert mask_id(people[0]["id_number"]) in text
    for page in pages:
        assert "公民身份号码" in page and "所在网点" in page  # the header row on every page
    serials = [int(m) for m in re.findall(r"^\s*(\d+)\s+\S", text, re.MULTILINE)]
    assert serials[-1] == len(people)
    assert "示例市快递物流行业党委（演示数据）党员和入党积极分子花名册" in pages[0]
    entry = history(demo, limit=1)[0]
    assert (entry["action"], entry["label"]) == ("report.roster", "花名册.pdf") and '"show_id": false' in entry["new"]


@needs_poppler
def test_full_ids_only_when_asked(demo: Registry, tmp_path: Path) -> None:
    out = tmp_path / "full.pdf"
    f = PeopleFilter(categories=["预备党员"])
    write_roster_report(demo, out, f, show_id=True, on=TODAY)
    text = "\n".join(assert_paged_and_embedded(out))
    wanted = search_people(demo, f)
    assert sorted(FULL_ID.findall(text)) == sorted(p["id_number"] for p in wanted)
    assert "预备党员" in text and "正式党员" not in text.split("公民身份号码", 1)[1]


def test_cells_follow_the_export_order_and_values(demo: Registry) -> None:
    f = PeopleFilter(flowing=True)
    people = search_people(demo, f, order="stroke")
    size, widths = column_layout()
    header, rows = roster_cells(people, False, size, widths)
    assert len(header) == len(widths) == len(rows[0])
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(people) + 1)]
    exported = list(roster_values(people, show_id=False))
    for row, values in zip(rows, exported, strict=True):
        assert [c.replace("\n", "") for c in row[1:]] == ["" if v is None else str(v) for v in values]


def test_columns_fill_the_landscape_page() -> None:
    size, widths = column_layout()
    assert 6.0 <= size <= 7.0
    assert sum(widths) == pytest.approx(841.89 - 2 * 11 * 72 / 25.4, abs=0.5)


def test_line_breaker_keeps_every_line_within_the_column() -> None:
    breaker = LineBreaker(7)
    text = "四川省南充市顺庆区新建村党支部（2026）"
    lines = breaker.lines(text, 40).split("\n")
    assert "".join(lines) == text
    assert all(breaker.width(line) <= 40 for line in lines)
    assert breaker.lines("短", 40) == "短"
    long = breaker.lines("很长的备注" * 20, 30, max_lines=3).split("\n")
    assert len(long) == 3 and long[-1].endswith("…")
