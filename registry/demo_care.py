"""Demo data of the care network: stations of several types, visitors, a care street, merchants, 报到 at points."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from registry.names import norm_name
from registry.rules.care import community_key, street_key
from registry.rules.dates import add_months
from registry.storage.database import Tx

# (name, type, class, street, community, host unit, services, hours); 开发区街道 has none: uncovered on purpose.
STATIONS: tuple[tuple[str, str, str | None, str, str, str, str, str], ...] = (
    ("江海社区暖蜂驿站", "暖蜂驿站", None, "城南街道", "江海社区", "江海社区党群服务中心",
     "饮水、充电、休息、微波炉、应急药品、党员报到处", "全天24小时"),
    ("南桥江城蜂巢", "江城蜂巢", "一类", "城南街道", "南桥社区", "顺丰速运城南营业部",
     "饮水、充电、休息、热餐、电瓶车充换电、衣物烘干、积分兑换", "7:00-22:00"),
    ("南桥商圈爱心驿站", "爱心驿站", None, "城南街道", "南桥社区", "南桥商圈管委会", "饮水、休息、卫生间", "9:00-21:00"),
    ("北湖快递小哥红色之家", "红色之家", None, "城北街道", "北湖社区", "城北街道党工委",
     "饮水、充电、休息、图书、维修工具、党员报到处", "8:00-20:00"),
    ("城北骑乐融融驿站", "骑乐融融驿站", None, "城北街道", "北湖社区", "京东物流城北站", "饮水、充电、纳凉取暖", "8:00-22:00"),
)
MERCHANTS = (("江海便民超市", "城南街道", "江海社区", "免费热水、手机充电"), ("南桥面馆", "城南街道", "南桥社区", "小哥九折"),
             ("梧桐修车铺", "城北街道", "梧桐社区", "免费打气、补胎八折"))


def fill_care_demo(tx: Tx, seed: int, today: date) -> None:
    """Add the care network's demo rows in the demo's transaction (its own random stream: the rest is unchanged)."""
    rng = random.Random(seed * 31 + 14)
    ids: dict[str, int] = {}
    for name, kind, klass, street, community, host, services, hours in STATIONS:
        ids[name] = tx.insert("care_stations", {
            "name": name, "norm_name": norm_name(name), "type": kind, "class": klass, "district": "示例区",
            "street": street, "community": community, "community_key": community_key(community),
            "address": f"示例市{street}{rng.randrange(1, 500)}号", "host_unit": host, "opening_hours": hours,
            "services": services, "contact": rng.choice(("王站长", "刘站长", "张站长")),
            "phone": f"1390000{rng.randrange(1000, 9999)}", "opened_on": add_months(today, -rng.randrange(6, 30)).isoformat(),
        }, label=name)
        for back in range(0, 3):
            month = add_months(today.replace(day=1), -back)
            tx.insert("care_visits", {"station_id": ids[name], "month": month.strftime("%Y-%m"),
                                      "count": rng.randrange(80, 600)}, label=name)
    street_id = tx.insert("care_streets", {"name": "南桥暖蜂一条街", "norm_name": norm_name("南桥暖蜂一条街"),
                                           "district": "示例区", "street": "城南街道",
                                           "street_key": street_key("城南街道")}, label="南桥暖蜂一条街")
    for name, street, community, offers in MERCHANTS:
        tx.insert("care_merchants", {
            "name": name, "norm_name": norm_name(name), "street": street, "community": community,
            "community_key": community_key(community), "offers": offers,
            "station_id": ids["江海社区暖蜂驿站"] if community == "江海社区" else None,
            "care_street_id": street_id if community == "南桥社区" else None}, label=name)
    points = ("江海社区暖蜂驿站", "北湖快递小哥红色之家")
    flowing = tx.conn.execute("SELECT id, name FROM people WHERE relation = '流入' ORDER BY id").fetchall()
    for i, (pid, pname) in enumerate(flowing[: max(1, len(flowing) // 2)]):
        point = points[i % 2]
        tx.update("people", pid, {"report_station_id": ids[point], "report_point": point}, label=pname)


def write_demo_station_list(path: Path) -> Path:
    """A small station list as a street office sends it (merged title, 合计 row), for the import screen and manual."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "驿站名单"
    header = ("序号", "站点名称", "类型", "星级", "详细地址", "所属街道", "社区", "服务项目", "开放时间", "联系人", "联系电话")
    ws.append(["开发区街道关爱阵地（驿站）名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(list(header))
    for row in ((1, "工业园暖蜂驿站", "暖蜂驿站", None, "工业园路8号", "开发区街道", "工业园社区", "饮水、充电、休息、党员报到处",
                 "全天", "赵站长", "13900001234"),
                (2, "新港江城蜂巢", "江城蜂巢", "二类", "新港大道1号", "开发区街道", "新港社区", "热水、微波炉、医药包",
                 "8:00-22:00", "钱站长", "12345"),
                (3, "新港骑手之家", "骑手之家", None, "新港大道9号", "开发区街道", "新港社区", "饮水、共享雨伞", None, None, None),
                (4, "江海社区暖蜂驿站", "暖蜂驿站", None, None, "城南街道", "江海社区", "饮水、充电、党员报到处", "全天24小时", None,
                 None)):
        ws.append(list(row))
    ws.append(["合计", "4个"])
    wb.save(path)
    return path
