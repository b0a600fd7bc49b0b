"""Statistics at a date, due lists and search, on hand-made data with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from registry.services.due import due_items
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import add_person
from registry.services.search import PeopleFilter, count_people, search_ids, search_people
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

TODAY = date(2026, 11, 23)


@pytest.fixture
def data(branch: Registry) -> Registry:
    since = "2020-01-01"  # under management long before every date these tests ask about
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
               full_on="2011-07", outlet="沙河网点", managed_from=since)
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               outlet="春熙路网点", flowing="是", home_organization="四川省某村党支部", managed_from=since)
    add_person(branch, name="王五", id_number=ID_MAN_2000, category="预备党员", joined_on="2025-12-01",
               target_on="2025-05-01", activist_on="2024-03-01", outlet="春熙路网点", managed_from=since)
    add_person(branch, name="欧阳娜", id_number="11010519491231002X", category="入党积极分子",
               activist_on="2026-02-10", outlet="沙河网点", managed_from=since)
    return branch


def test_statistics_now(data: Registry) -> None:
    s = statistics(data, TODAY)
    assert s["by_category"]["正式党员"] == 2 and s["by_category"]["预备党员"] == 1
    assert s["members"] == {"total": 3, "registered": 2, "flowing_in": 1, "flowing_out": 0, "unverified": 0,
                            "stopped": 0, "lost_contact": 0}
    assert s["outlets"]["total"] == 2 and s["outlets"]["with_organization"] == 1
    assert s["outlets"]["organization_coverage"] == 50.0


def test_statistics_in_the_past_steps_back(data: Registry) -> None:
    s = statistics(data, date(2025, 6, 30))
    # 王五 was a 发展对象 then; 欧阳娜 not yet an activist (her application date is unknown).
    assert s["by_category"]["发展对象"] == 1 and s["by_category"]["预备党员"] == 0
    assert s["by_category"]["入党积极分子"] == 0 and s["by_category"]["入党申请人"] == 1


def test_statistics_subtree(data: Registry) -> None:
    s = statistics(data, TODAY, org="城南快递联合党支部")
    assert s["people"] == 2 and s["members"]["total"] == 1


def test_due_lists(data: Registry) -> None:
    items = due_items(data, TODAY)
    kinds = {(i["kind"], i["name"], i["bucket"]) for i in items}
    assert ("probation_end", "王五", "next_month") in kinds
    # A year as activist only in 2027-02; her first half-yearly 考察 was owed on 2026-08-10 and is not recorded.
    assert {(i["kind"], i["due"], i["class"]) for i in items if i["name"] == "欧阳娜"} == {
        ("review_due", "2026-08-10", "overdue")}
    later = due_items(data, date(2027, 2, 1))
    assert ("target_eligible", "欧阳娜", "this_month") in {(i["kind"], i["name"], i["bucket"]) for i in later}


def test_search_by_name_id_phone_pinyin(data: Registry) -> None:
    assert [r["name"] for r in search_people(data, PeopleFilter(text="李"))] == ["李四"]
    assert [r["name"] for r in search_people(data, PeopleFilter(text="0315"))] == ["张三"]
    assert [r["name"] for r in search_people(data, PeopleFilter(text="oyn"))] == ["欧阳娜"]
    assert [r["name"] for r in search_people(data, PeopleFilter(text="zhangsan"))] == ["张三"]
    assert count_people(data, PeopleFilter(text="%")) == 0


def test_filters_and_orders(data: Registry) -> None:
    assert count_people(data, PeopleFilter(flowing=True)) == 1
    assert count_people(data, PeopleFilter(categories=["中共党员"])) == 2
    assert count_people(data, PeopleFilter(brand="中通")) == 2
    assert count_people(data, PeopleFilter(outlet="沙河网点")) == 2
    org_ids = subtree_ids(data, require_org(data, "示例区快递行业党委")["id"])
    assert count_people(data, PeopleFilter(org_ids=org_ids)) == 2
    names = [r["name"] for r in search_people(data, order="stroke")]
    assert names == ["王五", "李四", "张三", "欧阳娜"]  # 4, 7, 7, 8 strokes
    assert len(search_ids(data, PeopleFilter(), order="pinyin")) == 4


def test_in_memory_index_matches_sql_and_sees_changes(data: Registry) -> None:
    from registry.services.search import _where

    for f in (PeopleFilter(text="a"), PeopleFilter(categories=["正式党员"]), PeopleFilter(brand="中通", flowing=False),
              PeopleFilter(org_ids=subtree_ids(data, require_org(data, "示例区快递行业党委")["id"]))):
        where, params = _where(f)
        sql = [r[0] for r in data.conn.execute(f"SELECT p.id FROM people p{where} ORDER BY p.sort_stroke, p.search_text",
                                               params)]
        assert search_ids(data, f) == sql
    assert search_ids(data, PeopleFilter(text="赵")) == []
    add_person(data, name="赵一", id_number="110105198001010016")
    assert len(search_ids(data, PeopleFilter(text="赵"))) == 1
    other = Registry(data.path)
    try:
        add_person(other, name="赵二", id_number="110105198001010024")
    finally:
        other.close()
    assert len(search_ids(data, PeopleFilter(text="赵"))) == 2


def test_filter_by_ids_and_due(data: Registry) -> None:
    from registry.services.due import due_person_ids

    due = due_person_ids(data, today=TODAY)
    assert due and search_ids(data, PeopleFilter(ids=due)) == [i for i in search_ids(data, PeopleFilter()) if i in due]
    assert count_people(data, PeopleFilter(ids=due)) == len(due)
    assert search_ids(data, PeopleFilter(ids=frozenset())) == []


def test_due_counts_match_the_list(data: Registry) -> None:
    from registry.demo import fill_demo
    from registry.services.due import due_counts, due_summary

    fill_demo(data, people=200, today=TODAY)
    assert due_counts(data, TODAY) == due_summary(due_items(data, TODAY))


def test_pinyin_order_in_memory_is_sqls_order(data: Registry) -> None:
    """No index keeps pinyin order (migration 0006): the in-memory order sorted from the stroke order is the one
    SQL gives, ties on the name broken by the search text, and reversed when descending."""
    from registry.services.roster_index import matching_ids

    add_person(data, name="张三", id_number="110105194912310046", category="群众")  # same name, another number
    add_person(data, name="章散", id_number="110105195001010012", category="群众")  # 张/章: same syllable
    add_person(data, name="Anna", id_number="110105195001010020", category="群众")
    sql = [r[0] for r in data.conn.execute("SELECT id FROM people ORDER BY sort_pinyin, search_text")]
    assert "people_roster_pinyin" not in {r[0] for r in data.conn.execute("SELECT name FROM sqlite_master")}
    assert matching_ids(data, order="pinyin") == sql
    assert matching_ids(data, order="pinyin", descending=True) == sql[::-1]
    assert search_ids(data, PeopleFilter(text="zh"), order="pinyin") == [
        i for i in sql if i in set(search_ids(data, PeopleFilter(text="zh")))]
    assert matching_ids(data, order="stroke") == [
        r[0] for r in data.conn.execute("SELECT id FROM people ORDER BY sort_stroke, search_text")]
