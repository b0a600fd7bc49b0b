"""Demo volunteer service: posts of each kind, dated claims, a year of activities and a points rule change."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from registry.names import norm_name
from registry.rules.dates import add_months
from registry.rules.volunteer_points import PointsRule, points_for, rule_on
from registry.storage.database import Tx

# (name, kind, branch name or None, area)
POSTS = (("城南街道流动网格员岗", "流动网格员", "城南快递物流联合党支部", "城南街道"),
         ("城北街道平安巡查岗", "平安巡查员", "京东物流城北党支部", "城北街道"),
         ("开发区文明交通宣传岗", "文明宣传员", "开发区快递物流联合党支部", "开发区街道"),
         ("政策宣传小分队", "政策宣传员", None, "全区"),
         ("顺丰城南党员示范岗", "党员示范岗", "顺丰速运城南党支部", None),
         ("江海社区党员责任区", "党员责任区", "城南快递物流联合党支部", "江海社区"),
         ("快递小哥党员先锋队", "党员先锋队", "快递行业流动党员党支部", "全区"),
         ("梧桐社区网格员岗（已撤并）", "流动网格员", "京东物流城北党支部", "梧桐社区"))
ACTIVITIES = (("夜间平安巡查", "平安巡查", "城北街道各小区"), ("文明交通劝导", "文明宣传", "城南街道主要路口"),
              ("政策宣传进网点", "政策宣传", "各快递网点"), ("关爱独居老人送件上门", "关爱服务", "江海社区"),
              ("暴雨应急转运物资", "应急救援", "开发区街道"), ("社区环境整治", "环境整治", "梧桐社区"))


def fill_volunteer(tx: Tx, rng: random.Random, today: date, orgs: dict[str, int], rows: list[dict[str, Any]],
                   person_ids: list[int]) -> None:
    """Inside the demo's one transaction: posts, claims, two rule versions and about a year of activities."""
    rng = random.Random(rng.random())  # its own stream: the rest of the demo stays as it was
    year_ago = add_months(today.replace(day=1), -12)
    changed = add_months(today.replace(day=1), -3)
    rules = [PointsRule(year_ago.isoformat(), 10, 0, {"平安巡查": 5}),
             PointsRule(changed.isoformat(), 10, 5, {"平安巡查": 5, "应急救援": 20}, "加大对应急救援的激励（演示）")]
    for rule in rules:
        tx.insert("volunteer_point_rules", {"valid_from": rule.valid_from, "per_hour": rule.per_hour,
                                            "per_activity": rule.per_activity,
                                            "by_type": json.dumps(dict(rule.by_type), ensure_ascii=False),
                                            "notes": rule.notes}, label=f"{rule.valid_from}起积分规则")
    post_ids = []
    for i, (name, kind, branch, area) in enumerate(POSTS):
        closed_on = add_months(today, -2).isoformat() if "撤并" in name else None
        post_ids.append(tx.insert("volunteer_posts", {
            "name": name, "norm_name": norm_name(name), "kind": kind, "organization_id": orgs.get(branch or ""),
            "area": area, "description": f"{kind}：认领后按月参加{area or '本单位'}的志愿服务（演示）",
            "opened_on": add_months(year_ago, -i).isoformat(), "closed_on": closed_on}, label=name))
    people = list(zip(person_ids, rows, strict=True))
    volunteers = [(pid, r) for pid, r in people if r.get("volunteer_post")] or people[:20]
    for pid, r in volunteers:
        for _ in range(rng.choice((1, 1, 2))):
            i = rng.randrange(len(POSTS))
            since = add_months(year_ago, rng.randrange(0, 10)).replace(day=rng.randrange(1, 28))
            closed = add_months(today, -2) if "撤并" in POSTS[i][0] else None
            if since > today or (closed and since >= closed):
                continue
            until = closed.isoformat() if closed else (
                (since + timedelta(days=rng.randrange(60, 200))).isoformat() if rng.random() < 0.15 else None)
            if until and until > today.isoformat():
                until = None
            tx.insert("volunteer_claims", {"post_id": post_ids[i], "person_id": pid, "since": since.isoformat(),
                                           "until": until}, label=r["name"])
    # Each activity is organised by a branch for its people (their own branch, else the one covering their outlet);
    # people at outlets without one serve in the industry committee's activities.
    covering = dict(tx.conn.execute("SELECT id, organization_id FROM outlets").fetchall())
    root = min(orgs.values())
    by_org: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for pid, r in volunteers:
        by_org.setdefault(r.get("organization_id") or covering.get(r.get("outlet_id")) or root, []).append((pid, r))
    branches = sorted(by_org)
    day = year_ago
    while day <= today - timedelta(days=2):
        title, kind, place = rng.choice(ACTIVITIES)
        org_id = rng.choice(branches)
        pool = by_org.get(org_id) or volunteers
        group = rng.sample(pool, min(len(pool), rng.randrange(3, 12)))
        default = float(rng.choice((1, 2, 2, 3, 4)))
        post = next((post_ids[i] for i, p in enumerate(POSTS) if p[1].startswith(kind[:2])), None)
        activity = tx.insert("volunteer_activities", {"title": f"{title}（演示）", "kind": kind, "held_on": day.isoformat(),
                                                      "place": place, "organization_id": org_id, "post_id": post,
                                                      "default_hours": default}, label=title)
        rule = rule_on(rules, day.isoformat())
        for pid, r in group:
            hours = default if rng.random() < 0.8 else default + 1
            tx.insert("volunteer_records", {"person_id": pid, "activity_id": activity, "post": kind, "hours": hours,
                                            "served_on": day.isoformat(), "points": points_for(rule, hours, kind),
                                            "points_rule": rule.describe()}, label=r["name"])
        day += timedelta(days=rng.randrange(4, 12))
