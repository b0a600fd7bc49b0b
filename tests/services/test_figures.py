"""Every dashboard figure opens exactly the people it counts: count(figure) == count(roster filter)."""

from __future__ import annotations

from datetime import date

from registry.demo import fill_demo
from registry.services.due import due_counts
from registry.services.figures import figure_counts, figure_filter, figure_label
from registry.services.people import edit_person
from registry.services.roster_index import snapshot
from registry.services.search import count_people, search_ids
from registry.services.stats import statistics
from registry.storage.database import Registry


def demo(reg: Registry) -> None:
    fill_demo(reg, people=400)
    members = [r["id"] for r in reg.query("SELECT id FROM people WHERE category = '正式党员' ORDER BY id LIMIT 6")]
    edit_person(reg, members[0], status="停止党籍")
    edit_person(reg, members[1], status="停止党籍", lost_contact=1, lost_since="2025-01")
    edit_person(reg, members[2], left_on=date.today().isoformat(), left_how="离开本单位")


def test_every_figure_counts_the_people_its_filter_selects(reg: Registry) -> None:
    demo(reg)
    today = date.today()
    counts = figure_counts(statistics(reg, today), due_counts(reg, today))
    assert len(counts) > 40
    for key, n in counts.items():
        f = figure_filter(reg, key, today)
        assert count_people(reg, f) == n, (key, figure_label(key))
        assert len(search_ids(reg, f)) == n, key  # the roster's SQL path
    snapshot(reg)  # the roster's in-memory index, as after the window has warmed it
    for key, n in counts.items():
        assert len(search_ids(reg, figure_filter(reg, key, today))) == n, key
    # Not a vacuous match: the member figures and several due cells hold people.
    for key in ("members", "registered", "flowing_in", "flowing_out", "unverified", "stopped", "lost_contact",
                "category:入党积极分子"):
        assert counts[key] > 0, key
    assert sum(n for k, n in counts.items() if k.startswith("due:")) > 0


def test_figures_partition_the_members(reg: Registry) -> None:
    demo(reg)
    ids = {k: set(search_ids(reg, figure_filter(reg, k))) for k in ("registered", "flowing_in", "unverified",
                                                                    "stopped", "members", "flowing_out")}
    assert ids["registered"] | ids["flowing_in"] | ids["unverified"] | ids["stopped"] == ids["members"]
    assert not ids["registered"] & ids["stopped"] and not ids["flowing_in"] & ids["registered"]
    assert ids["flowing_out"] <= ids["registered"]
    assert figure_label("due:probation_end:overdue").startswith("预备期")


def test_a_printed_figure_says_whose_roster_it_is(reg: Registry) -> None:
    from registry.reports.roster import describe_filter

    assert describe_filter(figure_filter(reg, "stopped")) == "停止党籍党员"
    assert describe_filter(figure_filter(reg, "lost_contact")) == "预备党员、正式党员；失联党员"
