"""Coverage per 街道: outlets with a station open in the same 社区; 未填社区 apart; stations by type; visitors."""

from __future__ import annotations

from datetime import date

from registry.services import stations
from registry.services.care_coverage import care_coverage
from registry.services.organizations import add_org
from registry.services.outlets import add_outlet
from registry.storage.database import Registry


def _network(reg: Registry) -> None:
    add_org(reg, name="城南联合党支部", type="联合党支部")
    add_outlet(reg, name="顺丰白石洲", brand="顺丰", street="沙河街道", community="白石洲社区", organization="城南联合党支部")
    add_outlet(reg, name="中通白石洲", brand="中通", street="沙河街道办事处", community="白石洲 社区居委会")
    add_outlet(reg, name="圆通华侨城", brand="圆通", street="沙河街道", community="华侨城社区")
    add_outlet(reg, name="韵达无社区", brand="韵达", street="沙河街道")
    add_outlet(reg, name="极兔新村", brand="极兔", street="蛇口街道", community="新村社区")
    add_outlet(reg, name="京东无街道", brand="京东")
    stations.add_station(reg, name="白石洲暖蜂驿站", type="暖蜂驿站", street="沙河", community="白石洲",
                         services="饮水、党员报到处")
    stations.add_station(reg, name="沙河红色之家", type="红色之家", street="沙河街道", community="白石洲社区")
    # 新村社区 of another street covers nothing in 蛇口街道
    stations.add_station(reg, name="新村爱心驿站", type="爱心驿站", street="粤海街道", community="新村社区",
                         services="饮水、党员报到处")
    # closed before the day: it counts for nothing
    stations.add_station(reg, name="华侨城驿站", type="暖蜂驿站", street="沙河街道", community="华侨城社区",
                         opened_on="2024-01-01", closed_on="2026-10-01")
    stations.set_visits(reg, "白石洲暖蜂驿站", "2026-11", 320)
    stations.set_visits(reg, "白石洲暖蜂驿站", "2026-10", 100)
    stations.set_visits(reg, "沙河红色之家", "2026-11", 80)


def test_coverage_per_street(reg: Registry) -> None:
    _network(reg)
    cov = care_coverage(reg, date(2026, 11, 30))
    by = {s.street: s for s in cov.streets}
    sha = by["沙河街道"]  # the outlets' spelling names the line; 沙河 / 沙河街道办事处 are the same street
    assert (sha.outlets, sha.covered, sha.uncovered, sha.no_community) == (4, 2, 1, 1)
    assert sha.rate == 66.7 and sha.uncovered_communities == ["华侨城社区"]
    assert (sha.stations, sha.by_type, sha.visits) == (2, {"暖蜂驿站": 1, "红色之家": 1}, 400)
    she = by["蛇口街道"]
    assert (she.outlets, she.covered, she.uncovered, she.stations) == (1, 0, 1, 0)
    assert by["粤海街道"].stations == 1 and by["粤海街道"].outlets == 0
    assert by["未填街道"].no_community == 1  # an outlet with no place at all is not uncovered either
    assert cov.streets[-1].street == "未填街道"
    total = cov.total
    assert (total.outlets, total.covered, total.uncovered, total.no_community, total.stations) == (6, 2, 2, 2, 3)
    assert total.rate == 50.0 and cov.months == ["2026-11"] and total.report_points == 2


def test_a_station_counts_from_its_opening_until_it_closed(reg: Registry) -> None:
    _network(reg)
    sha = {s.street: s for s in care_coverage(reg, date(2026, 9, 30), ["2026-09"]).streets}["沙河街道"]
    assert (sha.covered, sha.uncovered, sha.stations, sha.visits) == (3, 0, 3, 0)


def test_a_branch_sees_only_its_outlets_streets(reg: Registry) -> None:
    _network(reg)
    org_id = reg.conn.execute("SELECT id FROM organizations").fetchone()[0]
    cov = care_coverage(reg, date(2026, 11, 30), org_ids=[org_id])
    assert [s.street for s in cov.streets] == ["沙河街道"]
    assert (cov.total.outlets, cov.total.covered, cov.total.report_points) == (1, 1, 1)  # 粤海's point is not theirs
