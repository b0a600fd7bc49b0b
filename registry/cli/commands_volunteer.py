"""Commands for volunteer service: `volunteer add|list|show|edit|delete|ranking|history|rules` and `post …`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from registry.cli.commands_core import open_registry
from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.errors import UserError
from registry.rules.volunteer_kinds import ACTIVITY_TYPES, POST_KINDS
from registry.rules.volunteer_points import DEFAULT_RULE, fmt, parse_by_type
from registry.services import volunteer, volunteer_posts, volunteer_queries
from registry.services.people import require_person
from registry.storage.database import Registry
from registry.validation import user_date


def _ids(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]


def _pairs(items: list[str] | None, what: str) -> dict[str, float]:
    """`ID=数字` pairs of --hours-of / --adjust; a bad one is a sentence, not a traceback."""
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.replace("＝", "=").partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise UserError(f"“{item}”的写法不对：{what}请写成 身份证号=数字，如 510104199001011234=3。") from None
        if not sep or not key.strip():
            raise UserError(f"“{item}”的写法不对：{what}请写成 身份证号=数字。")
    return out


def _person_id(reg: Registry, key: str) -> int:
    return int(require_person(reg, key)["id"])


def cmd_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if args.key:  # the old one-person form: volunteer add ID --post --date --hours [--points] [--role]
            if not args.post:
                raise UserError("记录一个人的志愿服务请用 --post 写明志愿服务岗位；记录多人参加的活动请用 --title、--type、--people。")
            volunteer.record_service(reg, args.key, post=args.post, served_on=args.date, hours=args.hours,
                                     points=args.points, role=args.role, notes=args.notes)
            print("已记录志愿服务。")
            return 0
        people = _ids(args.people)
        if not args.title or not args.type or not people:
            raise UserError("记录志愿服务活动请写明 --title 活动名称、--type 活动类型和 --people 参加人员身份证号（逗号分隔）；"
                            "只记一个人时也可以写成 volunteer add 身份证号 --post 岗位 --date 日期 --hours 小时。")
        if args.points is not None:
            raise UserError("活动的积分按积分规则计算，不能用 --points 直接填写；如需加减分，请记录后用 volunteer edit --adjust。")
        override = _pairs(args.hours_of, "个人时长")
        unknown = set(override) - set(people)
        if unknown:
            raise UserError(f"--hours-of 中的{'、'.join(sorted(unknown))}不在 --people 中，请核对。")
        activity_id = volunteer.record_activity(
            reg, title=args.title, kind=args.type, held_on=args.date, place=args.place, organization=args.org,
            post=args.post, default_hours=args.hours, notes=args.notes,
            participants=[(p, override.get(p)) for p in people])
        print(f"已记录志愿服务活动（编号{activity_id}，{len(people)}人）。")
    return 0


def _activity_lines(rows: list[volunteer.ActivityRow]) -> list[tuple[Any, ...]]:
    return [(r.id, cn_date(r.held_on), r.title, r.kind, r.organization or "", r.post or "", r.participants, r.members,
             fmt(r.hours), fmt(r.points)) for r in rows]


ACTIVITY_HEADERS = ["编号", "日期", "活动名称", "类型", "组织单位", "岗位", "人数", "其中党员", "时长（小时）", "积分"]


def cmd_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = volunteer_queries.list_activities(reg, args.from_, args.to, args.org, args.type, args.search)
        if args.out:
            from registry.exporting.volunteer_export import export_activities

            export_activities(reg, rows, Path(args.out))
            print(f"已导出{len(rows)}次活动：{args.out}")
            return 0
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    print_table(_activity_lines(rows), ACTIVITY_HEADERS)
    print(f"共 {len(rows)} 次活动")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from registry.rules.idnumber import mask_id

    with open_registry(args) as reg:
        a = volunteer_queries.get_activity(reg, args.activity)
    for p in a["participants"]:
        p["id_number"] = mask_id(p["id_number"])
    if args.json:
        print_json(a)
        return 0
    print(f"活动：{a['title']}（编号{a['id']}）")
    for label, value in (("类型", a["kind"]), ("日期", cn_date(a["held_on"])), ("地点", a["place"]),
                         ("组织单位", a["organization"]), ("岗位", a["post"]),
                         ("默认时长", f"{fmt(a['default_hours'])}小时" if a["default_hours"] else None),
                         ("备注", a["notes"])):
        if value:
            print(f"{label}：{value}")
    print_table([(p["record_id"], p["name"], p["id_number"], p["category"], fmt(p["hours"]), fmt(p["points"]),
                  fmt(p["adjustment"] or 0) if p["adjustment"] else "", p["adjustment_reason"] or "",
                  p["points_rule"] or "手工填写") for p in a["participants"]],
                ["记录编号", "姓名", "身份证号", "类别", "时长（小时）", "积分", "调整", "调整原因", "积分规则"])
    print(f"共 {len(a['participants'])} 人")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    if any(_pairs(args.adjust, "积分调整").values()) and not args.reason:  # before anything is written
        raise UserError("调整积分请用 --reason 写明原因，如“表现突出，支部决定加分”。")
    with open_registry(args) as reg:
        current = volunteer_queries.get_activity(reg, args.activity)
        fields = {k: v for k, v in (("title", args.title), ("kind", args.type), ("held_on", args.date),
                                    ("place", args.place), ("organization", args.org), ("post", args.post),
                                    ("default_hours", args.hours), ("notes", args.notes)) if v is not None}
        override = {_person_id(reg, k): h for k, h in _pairs(args.hours_of, "个人时长").items()}
        participants = None
        if args.people is not None or args.add_people or args.remove_people or override:
            hours = {p["person_id"]: p["hours"] for p in current["participants"]}
            if args.people is not None:
                wanted = [_person_id(reg, k) for k in _ids(args.people)]
                hours = {pid: hours.get(pid) for pid in wanted}
            for key in _ids(args.add_people):
                hours.setdefault(_person_id(reg, key), None)
            for key in _ids(args.remove_people):
                pid = _person_id(reg, key)
                if pid not in hours:
                    raise UserError(f"{key}不是这次活动的参加人员，无需删去。")
                del hours[pid]
            for pid, h in override.items():
                if pid not in hours:
                    raise UserError("--hours-of 中有人不是这次活动的参加人员；要新增人员请用 --add-people。")
                hours[pid] = h
            participants = list(hours.items())
        changed = volunteer.edit_activity(reg, current["id"], participants=participants, **fields) \
            if fields or participants is not None else 0
        adjust = _pairs(args.adjust, "积分调整")
        records = {p["person_id"]: p["record_id"] for p in volunteer_queries.get_activity(reg, current["id"])["participants"]}
        for key, amount in adjust.items():
            pid = _person_id(reg, key)
            if pid not in records:
                raise UserError(f"{key}不是这次活动的参加人员，不能调整积分。")
            changed += bool(volunteer.edit_record(reg, records[pid], adjustment=amount, reason=args.reason))
        print(f"已修改{changed}项。" if changed else "没有需要修改的内容。")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        a = volunteer_queries.get_activity(reg, args.activity)
        if args.person:
            pid = _person_id(reg, args.person)
            record = next((p for p in a["participants"] if p["person_id"] == pid), None)
            if record is None:
                raise UserError(f"{args.person}不是这次活动的参加人员。")
            volunteer.delete_record(reg, record["record_id"])
            print(f"已删除{record['name']}在“{a['title']}”中的志愿服务记录。")
            return 0
        n = volunteer.delete_activity(reg, a["id"])
        print(f"已删除志愿服务活动“{a['title']}”及{n}人的服务记录。")
    return 0


def cmd_ranking(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = volunteer_queries.ranking(reg, args.from_, args.to, args.org, members_only=args.members,
                                         limit=args.limit)
        if args.out:
            from registry.exporting.volunteer_export import export_ranking

            export_ranking(reg, rows, Path(args.out))
            print(f"已导出积分排名（{len(rows)}人）：{args.out}")
            return 0
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    print_table([(r.rank, r.name, r.member, r.organization or "", r.outlet or "", r.activities, fmt(r.hours),
                  fmt(r.points)) for r in rows], ["名次", "姓名", "身份", "党组织", "网点", "活动次数", "时长（小时）", "积分"])
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        h = volunteer_queries.person_history(reg, args.key)
    if args.json:
        print_json(h)
        return 0
    print(f"{h['name']}（{h['category']}）：参加活动{h['activities']}次，服务{fmt(h['hours'])}小时，积分{fmt(h['points'])}分。")
    if h["posts"]:
        print("认领岗位：")
        print_table([(p["post"], p["kind"], cn_date(p["since"]), cn_date(p["until"]) or "至今") for p in h["posts"]],
                    ["岗位", "类型", "认领日期", "结束日期"])
    print_table([(r["activity_id"], cn_date(r["served_on"]), r["title"], r["kind"], fmt(r["hours"]), fmt(r["points"]),
                  r["adjustment_reason"] or "") for r in h["records"]],
                ["活动编号", "日期", "活动", "类型", "时长（小时）", "积分", "调整原因"])
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if getattr(args, "rules_command", None) == "set":
            try:
                by_type = parse_by_type(args.type_bonus or [])
            except ValueError as exc:
                raise UserError(f"“{exc}”的写法不对：按活动类型加分请写成 类型=分数，如 平安巡查=5。") from None
            volunteer.set_rule(reg, args.from_, args.per_hour, args.per_activity, by_type, args.notes)
            print(f"已设置积分规则：{cn_date(user_date('起始日期', args.from_))}起适用；此前已记录的积分不变。")
            return 0
        rules = volunteer.list_rules(reg)
    if args.json:
        print_json([{"valid_from": r.valid_from, "per_hour": r.per_hour, "per_activity": r.per_activity,
                     "by_type": dict(r.by_type), "notes": r.notes, "text": r.describe()} for r in [DEFAULT_RULE, *rules]])
        return 0
    print(DEFAULT_RULE.describe() + ("（尚未设置规则，现按此计算）" if not rules else "（适用于第一条规则起始日期之前）"))
    for r in rules:
        print(r.describe() + (f"（{r.notes}）" if r.notes else ""))
    print("积分在记录服务时按活动日期适用的规则计算并保存；以后修改规则不会改变已记录的积分。")
    return 0


# post … ------------------------------------------------------------------------------------------------


def _post_fields(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("name", "kind", "organization", "outlet", "brand", "area", "description", "opened_on", "closed_on")
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def cmd_post_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        post_id = volunteer_posts.add_post(reg, **_post_fields(args))
        print(f"已添加志愿服务岗位：{args.name}（编号{post_id}）")
    return 0


def cmd_post_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        diff = volunteer_posts.edit_post(reg, args.post, **_post_fields(args))
        print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_post_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        post = volunteer_posts.require_post(reg, args.post)
        volunteer_posts.delete_post(reg, args.post)
        print(f"已删除志愿服务岗位：{post['name']}")
    return 0


def cmd_post_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = volunteer_posts.list_posts(reg, include_closed=not args.open)
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["id"], r["name"], r["kind"], r["organization"] or "", r["outlet"] or "", r["area"] or "",
                  r["holders"], f"已关闭（{cn_date(r['closed_on'])}）" if r["closed_on"] else "在设")
                 for r in rows], ["编号", "岗位", "类型", "所属党组织", "网点", "服务区域", "在岗人数", "状态"])
    if not rows:
        print(f"还没有志愿服务岗位。可用 post add --name 名称 --kind 类型 添加；常见类型：{'、'.join(POST_KINDS)}。")
    return 0


def cmd_post_show(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        post = volunteer_posts.require_post(reg, args.post)
        claims = volunteer_posts.list_claims(reg, post["id"])
    if args.json:
        print_json({**post, "claims": claims})
        return 0
    print(f"岗位：{post['name']}（{post['kind']}，编号{post['id']}）")
    print_table([(c["name"], c["category"], cn_date(c["since"]), cn_date(c["until"]) or "至今") for c in claims],
                ["姓名", "类别", "认领日期", "结束日期"])
    return 0


def cmd_post_claim(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        volunteer_posts.claim_post(reg, args.post, args.key, args.since, args.until, args.notes)
        print("已登记认领岗位。")
    return 0


def cmd_post_release(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        volunteer_posts.release_claim(reg, args.post, args.key, args.until)
        print("已登记结束认领。")
    return 0


def _activity_flags(p: argparse.ArgumentParser, adding: bool) -> None:
    p.add_argument("--title", help="活动名称，如 夜间平安巡查")
    p.add_argument("--type", help=f"活动类型，如 {'、'.join(ACTIVITY_TYPES)}")
    p.add_argument("--date", required=adding, metavar="日期", help="活动（服务）日期，具体到日")
    p.add_argument("--hours", type=float, required=adding, metavar="小时",
                   help="服务时长：活动中每人的默认时长（只记一个人时为这个人的时长）")
    p.add_argument("--people", metavar="身份证号", help="参加人员身份证号，用逗号分隔" + ("（修改时为全部参加人员）" if not adding else ""))
    p.add_argument("--hours-of", dest="hours_of", action="append", metavar="身份证号=小时",
                   help="某人的时长与默认不同时填写，可多次使用")
    p.add_argument("--place", metavar="地点", help="活动地点")
    p.add_argument("--org", metavar="党组织", help="组织活动的党组织")
    p.add_argument("--post", metavar="岗位", help="活动所属的志愿服务岗位（编号或名称）；只记一个人时为志愿服务岗位")
    p.add_argument("--notes", metavar="文字", help="备注")


def register(sub: argparse._SubParsersAction) -> None:
    vo = sub.add_parser("volunteer", help="志愿服务：活动、服务记录、积分排名").add_subparsers(
        dest="volunteer_command", metavar="操作", required=True)
    p = vo.add_parser("add", help="记录一次志愿服务活动（多人），或一个人的一次志愿服务")
    p.add_argument("key", metavar="身份证号", nargs="?", help="只记一个人时写此人的身份证号（与 --post 一起使用）")
    _activity_flags(p, adding=True)
    p.add_argument("--points", type=float, metavar="积分", help="只记一个人时可直接填写积分（默认按积分规则计算）")
    p.add_argument("--role", metavar="角色", help="只记一个人时的角色，如 队长")
    p.set_defaults(handler=cmd_add)
    p = vo.add_parser("list", help="列出志愿服务活动")
    p.add_argument("--from", dest="from_", metavar="日期", help="起始日期")
    p.add_argument("--to", metavar="日期", help="截止日期")
    p.add_argument("--org", metavar="党组织", help="组织活动的党组织（含下级）")
    p.add_argument("--type", metavar="类型", help="活动类型")
    p.add_argument("--search", metavar="文字", help="按活动名称或地点查找")
    p.add_argument("--out", metavar="文件", help="导出为.xlsx文件")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_list)
    p = vo.add_parser("show", help="查看一次活动和每个参加人员的时长、积分")
    p.add_argument("activity", metavar="活动编号", help="活动编号（见 volunteer list）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_show)
    p = vo.add_parser("edit", help="修改活动、参加人员、个人时长或积分调整")
    p.add_argument("activity", metavar="活动编号", help="活动编号（见 volunteer list）")
    _activity_flags(p, adding=False)
    p.add_argument("--add-people", dest="add_people", metavar="身份证号", help="增加参加人员，逗号分隔")
    p.add_argument("--remove-people", dest="remove_people", metavar="身份证号", help="删去参加人员，逗号分隔")
    p.add_argument("--adjust", action="append", metavar="身份证号=分数", help="人工调整某人本次积分（可为负数），可多次使用")
    p.add_argument("--reason", metavar="文字", help="调整积分的原因（调整积分时必须填写）")
    p.set_defaults(handler=cmd_edit)
    p = vo.add_parser("delete", help="删除一次活动，或其中一个人的服务记录")
    p.add_argument("activity", metavar="活动编号", help="活动编号（见 volunteer list）")
    p.add_argument("--person", metavar="身份证号", help="只删除此人的服务记录")
    p.set_defaults(handler=cmd_delete)
    p = vo.add_parser("ranking", help="积分排名")
    p.add_argument("--from", dest="from_", metavar="日期", help="起始日期")
    p.add_argument("--to", metavar="日期", help="截止日期")
    p.add_argument("--org", metavar="党组织", help="党组织（含下级）的人员")
    p.add_argument("--members", action="store_true", help="只排党员（正式党员和预备党员）")
    p.add_argument("--limit", type=int, metavar="名次", help="只列前几名")
    p.add_argument("--out", metavar="文件", help="导出为.xlsx文件")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_ranking)
    p = vo.add_parser("history", help="一个人的志愿服务：参加的活动、时长、积分和认领的岗位")
    p.add_argument("key", metavar="身份证号", help="人员身份证号")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_history)
    rules = vo.add_parser("rules", help="查看或设置积分规则")
    rules.add_argument("--json", action="store_true", help="以JSON输出")
    rules.set_defaults(handler=cmd_rules)
    rs = rules.add_subparsers(dest="rules_command", metavar="操作")
    p = rs.add_parser("show", help="查看积分规则")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_rules)
    p = rs.add_parser("set", help="设置自某日起适用的积分规则（已记录的积分不变）")
    p.add_argument("--from", dest="from_", required=True, metavar="日期", help="规则起始日期")
    p.add_argument("--per-hour", dest="per_hour", type=float, required=True, metavar="分", help="每服务1小时的积分")
    p.add_argument("--per-activity", dest="per_activity", type=float, default=0, metavar="分", help="每参加一次活动的积分")
    p.add_argument("--type-bonus", dest="type_bonus", action="append", metavar="类型=分",
                   help="某类活动每次另加的积分，如 应急救援=20，可多次使用")
    p.add_argument("--notes", metavar="文字", help="说明")
    p.set_defaults(handler=cmd_rules, json=False)

    po = sub.add_parser("post", help="志愿服务岗位：设岗、认领、结束认领").add_subparsers(
        dest="post_command", metavar="操作", required=True)
    for name, handler in (("add", cmd_post_add), ("edit", cmd_post_edit)):
        p = po.add_parser(name, help="添加志愿服务岗位" if name == "add" else "修改或关闭志愿服务岗位")
        if name == "edit":
            p.add_argument("post", metavar="岗位", help="岗位编号或名称")
        p.add_argument("--name", required=name == "add", metavar="名称", help="岗位名称" + ("（改名时填新名称）" if name == "edit" else ""))
        p.add_argument("--kind", required=name == "add", metavar="类型", help=f"岗位类型，如 {'、'.join(POST_KINDS)}")
        p.add_argument("--org", dest="organization", metavar="党组织", help="所属党组织")
        p.add_argument("--outlet", metavar="网点", help="所在网点")
        p.add_argument("--brand", metavar="品牌", help="网点的快递品牌（同名网点时）")
        p.add_argument("--area", metavar="区域", help="服务区域，如 城南街道、江海社区")
        p.add_argument("--description", metavar="文字", help="岗位说明")
        p.add_argument("--opened-on", dest="opened_on", metavar="日期", help="设岗日期")
        if name == "edit":
            p.add_argument("--closed-on", dest="closed_on", metavar="日期", help="关闭日期：此后不能再认领，在岗的认领到这天结束")
        p.set_defaults(handler=handler)
    p = po.add_parser("delete", help="删除未被认领、未用于活动的岗位")
    p.add_argument("post", metavar="岗位", help="岗位编号或名称（见 post list）")
    p.set_defaults(handler=cmd_post_delete)
    p = po.add_parser("list", help="列出志愿服务岗位")
    p.add_argument("--open", action="store_true", help="只列在设（未关闭）的岗位")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_post_list)
    p = po.add_parser("show", help="查看岗位和认领人员")
    p.add_argument("post", metavar="岗位", help="岗位编号或名称（见 post list）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_post_show)
    p = po.add_parser("claim", help="登记某人认领岗位")
    p.add_argument("post", metavar="岗位", help="岗位编号或名称（见 post list）")
    p.add_argument("key", metavar="身份证号", help="人员身份证号")
    p.add_argument("--since", required=True, metavar="日期", help="认领日期")
    p.add_argument("--until", metavar="日期", help="结束日期（补记已结束的认领时填写）")
    p.add_argument("--notes", metavar="文字", help="备注")
    p.set_defaults(handler=cmd_post_claim)
    p = po.add_parser("release", help="登记某人结束认领岗位")
    p.add_argument("post", metavar="岗位", help="岗位编号或名称（见 post list）")
    p.add_argument("key", metavar="身份证号", help="人员身份证号")
    p.add_argument("--until", "--date", dest="until", required=True, metavar="日期", help="结束日期")
    p.set_defaults(handler=cmd_post_release)
