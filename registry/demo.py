"""Clearly fictional but realistic demo data: brands, outlets, organisations, every category, meetings."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from registry.demo_dues import fill_demo_dues
from registry.demo_volunteer import fill_volunteer
from registry.names import norm_name
from registry.rules.dates import add_months
from registry.rules.idnumber import check_char
from registry.services.outlets import brand_id_for
from registry.services.people import prepare
from registry.storage.database import Registry, Tx

UNIT = "示例市快递物流行业党委（演示数据）"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
COMPOUND = ("欧阳", "上官", "司马", "诸葛")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰飞斌鹏辉宇浩凯健俊帆晨阳欣怡佳琳雪梦婷涵博文"
REGIONS = ("510104", "510603", "511302", "420106", "421023", "430121", "412722", "500112", "440305", "360121",
           "310120", "340104", "370102", "450102", "522601")
HOME_ORGS = ("四川省南充市顺庆区新建村党支部", "湖北省黄冈市团风县方高坪镇党委", "河南省周口市郸城县石槽镇党委",
             "湖南省邵阳市新邵县酿溪镇城南社区党支部", "安徽省阜阳市临泉县城关街道党工委",
             "广西壮族自治区河池市都安县地苏镇党委", "贵州省黔东南州凯里市大十字街道党支部")
BRANDS = ("顺丰速运", "京东物流", "中通快递", "圆通速递", "申通快递", "韵达快递", "极兔速递", "邮政EMS")
STREETS = (("城南街道", ("江海社区", "南桥社区")), ("城北街道", ("北湖社区", "梧桐社区")),
           ("开发区街道", ("工业园社区", "新港社区")))
OUTLET_SUFFIX = ("营业部", "网点", "配送站", "分拣中心", "营业站")
PLACES = ("沙河", "春熙路", "牛市口", "东乐花园", "福田", "龙华", "星沙", "阅马场", "江海", "梧桐", "新港", "北湖",
          "金桥", "滨河", "万达", "高铁站", "科技园", "大学城")
EDUCATION = ("初中", "高中", "中专", "大专", "大专", "本科", "本科", "研究生")
POSTS = ("流动网格员", "平安巡查员", "文明宣传员", "政策宣传员")


def make_id(rng: random.Random, birth: date, male: bool) -> str:
    seq = rng.randrange(0, 99) * 10 + (rng.choice((1, 3, 5, 7, 9)) if male else rng.choice((0, 2, 4, 6, 8)))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def _name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _person(rng: random.Random, today: date, category: str) -> dict[str, Any]:
    male = rng.random() < 0.82
    birth = _day(rng, date(1972, 1, 1), date(2003, 12, 31))
    p: dict[str, Any] = {"name": _name(rng), "id_number": make_id(rng, birth, male),
                         "ethnicity": "汉族" if rng.random() < 0.93 else rng.choice(("壮族", "回族", "土家族", "苗族")),
                         "education": rng.choice(EDUCATION), "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                         "job": rng.choice(("快递员", "快递员", "快递员", "分拣员", "站点负责人", "客服")),
                         "hired_on": _day(rng, date(2015, 1, 1), today - timedelta(days=40)).isoformat(),
                         "category": category}
    adult = date(birth.year + 18, birth.month, min(birth.day, 28))
    stages = ("入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
    level = stages.index(category) + 1 if category in stages else 0
    if level == 0:
        return p
    # Walk the stages backwards from a plausible last date so that every rule holds.
    joined: date | None
    full: date | None
    if category == "正式党员":
        full = _day(rng, max(adult + timedelta(days=1500), date(2000, 1, 1)), today - timedelta(days=30))
        joined = add_months(full, -12)
    elif category == "预备党员":
        joined = _day(rng, today - timedelta(days=360), today - timedelta(days=20))
        full = None
    else:
        joined = full = None
    if joined:
        p["joined_on"] = joined.isoformat() if rng.random() < 0.7 else joined.strftime("%Y-%m")
        p["introducers"] = "、".join(_name(rng) for _ in range(2))
    if full:
        p["full_on"] = full.isoformat() if "-" in p["joined_on"][5:] else full.strftime("%Y-%m")
    target = (add_months(joined, -rng.randrange(2, 8)) if joined else
              _day(rng, today - timedelta(days=300), today - timedelta(days=10)))
    if level >= 3:
        p["target_on"] = target.isoformat()
        p.setdefault("introducers", "、".join(_name(rng) for _ in range(2)))
    activist = (add_months(target, -rng.randrange(12, 24)) if level >= 3 else
                _day(rng, today - timedelta(days=420), today - timedelta(days=30)))
    if level >= 2:
        p["activist_on"] = activist.isoformat()
        p["contacts"] = "、".join(_name(rng) for _ in range(2))
    applied = (add_months(activist, -rng.randrange(2, 10)) if level >= 2 else
               _day(rng, today - timedelta(days=90), today - timedelta(days=3)))
    if applied < adult:
        applied = adult
    p["applied_on"] = applied.isoformat()
    if level >= 2 or rng.random() < 0.5:
        talk = applied + timedelta(days=rng.randrange(3, 25))
        if talk <= today:
            p["talked_on"] = talk.isoformat()
    if level <= 4 and "joined_on" in p and p["joined_on"] < p["applied_on"]:
        p.pop("joined_on")
    return p


def _orgs(tx: Tx) -> dict[str, int]:
    ids: dict[str, int] = {}
    root = tx.insert("organizations", {"name": UNIT, "norm_name": norm_name(UNIT), "type": "行业党委", "founding_mode": "行业统建",
                                       "secretary": "林晓红", "phone": "0755-88880001", "founded_on": "2018-06"},
                     label=UNIT)
    ids[UNIT] = root
    for name, kind, mode in (("顺丰速运城南党支部", "党支部", "单独组建"), ("京东物流城北党支部", "党支部", "单独组建"),
                             ("城南快递物流联合党支部", "联合党支部", "联合组建"),
                             ("开发区快递物流联合党支部", "联合党支部", "区域联建"),
                             ("快递行业流动党员党支部", "流动党员党支部", "行业统建")):
        ids[name] = tx.insert("organizations", {"name": name, "norm_name": norm_name(name), "type": kind, "parent_id": root,
                                                "founding_mode": mode, "secretary": "书记（演示）",
                                                "founded_on": "2020-07-01"}, label=name)
    return ids


# Who the log names for the demo's own rows (the computer's user name, "root" or "Administrator", means nothing).
DEMO_OPERATOR = "演示数据"


def fill_demo(reg: Registry, people: int = 300, seed: int = 2026, today: date | None = None,
              unit: str | None = None) -> dict[str, int]:
    """Add the demo data in one transaction (on top of whatever is there), logged as 演示数据's, not the user's;
    with unit, the 本单位名称 setting too."""
    user, reg.operator = reg.operator, DEMO_OPERATOR
    try:
        made = _fill(reg, people, seed, today or date.today())
        if unit:
            from registry.services.history import set_setting

            set_setting(reg, "unit", unit)
        return made
    finally:
        reg.operator = user


def _fill(reg: Registry, people: int, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed)
    with reg.transaction("demo.fill", "生成演示数据") as tx:
        if tx.conn.execute("SELECT 1 FROM organizations WHERE name = ?", (UNIT,)).fetchone():
            from registry.errors import UserError

            raise UserError("演示数据已经生成过了；如需重新生成，请新建一个数据库。")
        orgs = _orgs(tx)
        outlet_rows = []
        n_outlets = max(12, min(1000, people // 25))
        used = set()
        for i in range(n_outlets):
            brand = BRANDS[i % len(BRANDS)]
            street, communities = STREETS[i % len(STREETS)]
            name = f"{PLACES[i % len(PLACES)]}{OUTLET_SUFFIX[(i * 3) % len(OUTLET_SUFFIX)]}"
            if (name, brand) in used:
                name = f"{name}{i}"
            used.add((name, brand))
            covering = None
            if brand == "顺丰速运" and street == "城南街道":
                covering = orgs["顺丰速运城南党支部"]
            elif brand == "京东物流" and street == "城北街道":
                covering = orgs["京东物流城北党支部"]
            elif street == "城南街道" and rng.random() < 0.8:
                covering = orgs["城南快递物流联合党支部"]
            elif street == "开发区街道" and rng.random() < 0.6:
                covering = orgs["开发区快递物流联合党支部"]
            outlet_rows.append({"name": name, "norm_name": norm_name(name), "brand_id": brand_id_for(tx, brand),
                                "address": f"示例市{street}{rng.randrange(1, 999)}号", "district": "示例区",
                                "street": street, "community": rng.choice(communities),
                                "workers": rng.randrange(12, 140), "organization_id": covering,
                                "guidance_officer": rng.choice(("周建国", "李秀梅", "陈志强"))})
        outlet_ids = tx.insert_many("outlets", outlet_rows)
        weights = (("群众", 40), ("入党申请人", 10), ("入党积极分子", 9), ("发展对象", 4), ("预备党员", 5),
                   ("正式党员", 32))
        cats = [c for c, _ in weights]
        cweights = [w for _, w in weights]
        flowing_org = orgs["快递行业流动党员党支部"]
        seen_ids: set[str] = set()
        rows = []
        for _ in range(people):
            p = _person(rng, today, rng.choices(cats, cweights)[0])
            if p["id_number"] in seen_ids:
                continue
            seen_ids.add(p["id_number"])
            idx = rng.randrange(len(outlet_ids))
            p["outlet_id"] = outlet_ids[idx]
            # Most came under management by an earlier census, some by hand, a few this month: the monthly
            # report then has additions to show.
            recent = rng.random() < 0.06
            since = _day(rng, today - timedelta(days=45), today) if recent else _day(rng, today - timedelta(days=1000),
                                                                                today - timedelta(days=40))
            p["managed_from"], p["managed_how"] = since.isoformat(), "摸排新纳入" if rng.random() < 0.8 else "新录入"
            member = p["category"] in ("预备党员", "正式党员")
            draw = rng.random()
            if member and draw < 0.35:
                reported = _day(rng, today - timedelta(days=700), today)
                p.update(flowing=True, relation="流入", home_organization=rng.choice(HOME_ORGS),
                         reported_on=reported.isoformat(), managed_from=reported.isoformat(), managed_how="流入报到",
                         certificate_no=f"LD{rng.randrange(10**7):07d}", home_contact="村支部书记（演示）")
                p["organization_id"] = flowing_org
            elif member and draw < 0.40:
                p.update(relation="流出", flow_destination=rng.choice(("广东省深圳市", "浙江省杭州市", "江苏省苏州市")),
                         flow_left_on=_day(rng, today - timedelta(days=400), today - timedelta(days=30)).isoformat(),
                         flow_contact="当地快递行业党委（演示）")
            elif member and draw < 0.42:
                p.update(relation="待核实", notes="摸排发现，组织关系待核实（演示）")
            if rng.random() < 0.3:
                p["volunteer_post"] = rng.choice(POSTS)
            outlet_id, org_id = p.pop("outlet_id"), p.pop("organization_id", None)
            values = prepare(tx, p, None, today)
            values["outlet_id"], values["organization_id"] = outlet_id, org_id
            rows.append(values)
        if rows:
            members = [r for r in rows if r["category"] == "正式党员" and not r.get("flowing")]
            for r in members[:3]:
                r["lost_contact"], r["lost_since"] = 1, add_months(today, -7).strftime("%Y-%m")
        cols = sorted({k for r in rows for k in r})
        defaults = {"flowing": 0, "lost_contact": 0, "status": "正常", "relation": "在册"}
        person_ids = tx.insert_many("people", [{k: r.get(k, defaults.get(k)) for k in cols} for r in rows])
        _activities(tx, rng, today, orgs, rows, person_ids)
        from registry.demo_care import fill_care_demo

        fill_care_demo(tx, seed, today)
        fill_demo_dues(tx, today, person_ids, rows, seed)
    return {"organizations": len(orgs), "outlets": len(outlet_ids), "people": len(rows)}


def _activities(tx: Tx, rng: random.Random, today: date, orgs: dict[str, int], rows: list[dict[str, Any]],
                person_ids: list[int]) -> None:
    from registry.demo_meetings import demo_meetings

    demo_meetings(tx, rng, today, orgs, UNIT, rows, person_ids)
    fill_volunteer(tx, rng, today, orgs, rows, person_ids)
