"""The shared SQL fragments: category order, the subtree in both parameter styles, rule functions on connections."""

from __future__ import annotations

from registry.rules.categories import CATEGORIES
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import add_person
from registry.storage.database import Registry
from registry.storage.fragments import CATEGORY_ORDER, subtree_clause, subtree_clause_named
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


def test_category_order_runs_down_the_pipeline(reg: Registry) -> None:
    cats = [*CATEGORIES, "其他"]
    got = [row[0] for row in reg.conn.execute(
        "SELECT category FROM (" + " UNION ALL ".join("SELECT ? AS category" for _ in cats) + f") p"
        f" ORDER BY {CATEGORY_ORDER}, category", cats)]
    assert got == ["正式党员", "预备党员", "发展对象", "入党积极分子", "入党申请人", "其他", "群众"]


def test_subtree_in_both_styles_selects_the_same_people(branch: Registry) -> None:
    add_person(branch, name="甲", id_number=ID_MAN_1985, outlet="沙河网点")  # covered through the outlet
    add_person(branch, name="乙", id_number=ID_WOMAN_1992, organization="流动党员党支部")
    add_person(branch, name="丙", id_number=ID_MAN_2000, outlet="春熙路网点")  # no organisation at all
    for org, names in (("示例区快递行业党委", {"甲", "乙"}), ("城南快递联合党支部", {"甲"}), ("流动党员党支部", {"乙"})):
        ids = subtree_ids(branch, require_org(branch, org)["id"])
        where, params = subtree_clause(ids)
        people, _outlets, named = subtree_clause_named(ids)
        positional = {r[0] for r in branch.conn.execute(f"SELECT name FROM people p WHERE {where}", params)}
        by_name = {r[0] for r in branch.conn.execute(f"SELECT name FROM people p WHERE {people}", named)}
        assert positional == by_name == names
    assert not branch.conn.execute(f"SELECT 1 FROM people p WHERE {subtree_clause([])[0]}").fetchall()


def test_every_connection_has_the_rule_functions(reg: Registry) -> None:
    other = Registry(reg.path)
    try:
        assert other.conn.execute("SELECT rule_due('probation_end', '2024-02-29', NULL)").fetchone() == ("2025-02-28",)
        assert other.conn.execute("SELECT rule_due('talk_due', 'not a date', NULL)").fetchone() == (None,)
        assert other.conn.execute("SELECT rule_due_class('target_eligible', '2020-01', '2026-11-23')").fetchone() \
            == ("eligible",)
    finally:
        other.close()
