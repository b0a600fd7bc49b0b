"""Commands for organisational life: `meeting add|list|show|edit|delete|roll-call|rules|gaps` and `group …` (党小组)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from registry.cli.commands_core import open_registry, parse_day
from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.errors import UserError
from registry.rules.idnumber import mask_id
from registry.rules.org_life import COMMITTEE_SETTINGS, GRADES, LESSONS_PER_YEAR, MEETING_KINDS, STATE_LABELS
from registry.services import meetings as svc
from registry.services import party_groups as groups
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import require_person
from registry.storage.database import Registry

TEXT_FIELDS = ("topic", "host", "recorder", "location", "minutes", "notes")
FIELD_HELP = {"topic": "主题", "host": "主持人", "recorder": "记录人", "location": "地点", "minutes": "会议内容或纪要",
              "notes": "备注"}


def _marks(text: str | None, status: str) -> list[tuple[str, str, str | None]]:
    """"ID[:原因],ID…" as (ID, status, reason)."""
    out = []
    for part in (text or "").replace("，", ",").split(","):
        if part.strip():
            number, _, reason = part.strip().partition(":") if ":" in part else part.strip().partition("：")
            out.append((number.strip(), status, reason.strip() or None))
    return out


def _grades(text: str | None) -> dict[str, str]:
    out = {}
    for number, _, grade in _marks(text, ""):
        if not grade:
            raise UserError(f"请按“身份证号:等次”填写评议等次（{'、'.join(GRADES)}），例如 --grade 510104198503154210:优秀。")
        out[number] = grade
    return out


def _key(reg: Registry, number: str) -> int:
    return int(require_person(reg, number)["id"])


def _apply_marks(reg: Registry, base: list[svc.Attendee], args: argparse.Namespace) -> list[svc.Attendee] | None:
    """The attendance after --present/--leave/--absent/--grade/--drop are applied to `base`; None if none given."""
    marks = _marks(getattr(args, "present", None), "出席") + _marks(args.leave, "请假") + _marks(args.absent, "缺席")
    grades = _grades(args.grade)
    drops = {_key(reg, n) for n, _, _ in _marks(getattr(args, "drop", None), "")}
    if not marks and not grades and not drops:
        return None
    by_id: dict[int, svc.Attendee] = {int(a.person): a for a in base}
    for number, status, reason in marks:
        pid = _key(reg, number)
        old = by_id.get(pid)
        by_id[pid] = svc.Attendee(pid, status, reason, old.grade if old else None)
    for number, grade in grades.items():
        pid = _key(reg, number)
        old = by_id.get(pid) or svc.Attendee(pid)
        by_id[pid] = svc.Attendee(pid, old.status, old.reason, grade)
    return [a for pid, a in by_id.items() if pid not in drops]


def _roll(reg: Registry, org: str, day: str, group: str | None) -> list[svc.Attendee]:
    return [svc.Attendee(r["person_id"]) for r in svc.roll_call(reg, org, day, group)]


def cmd_add(args: argparse.Namespace) -> int:
    fields = {k: getattr(args, k) for k in TEXT_FIELDS}
    with open_registry(args) as reg:
        attendance: list[svc.Attendee] = []
        if args.status == "已召开":
            if args.attendees is not None:  # the old way: only those named, present
                base = [svc.Attendee(_key(reg, n)) for n, _, _ in _marks(args.attendees, "出席")]
            else:  # the whole branch (or group) on the day, everyone present
                base = _roll(reg, args.org, args.date, args.group)
            attendance = _apply_marks(reg, base, args) or base
        elif args.attendees or args.leave or args.absent or args.grade:
            raise UserError("计划召开的会议还没有出席情况；会议召开后用 meeting edit 编号 --status 已召开 登记出席。")
        saved = svc.add_meeting(reg, organization=args.org, kind=args.kind, held_on=args.date, status=args.status,
                                group=args.group, attendance=attendance, attachments=args.attach or [],
                                override_reason=args.override_reason, **fields)
    print(f"{saved.message}（编号{saved.meeting_id}）")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {k: getattr(args, k) for k in (*TEXT_FIELDS, "kind", "status", "group")
                              if getattr(args, k) is not None}
    if args.date is not None:
        fields["held_on"] = args.date
    if args.org is not None:
        fields["organization"] = args.org
    with open_registry(args) as reg:
        current = svc.get_meeting(reg, args.id)
        stored = [svc.Attendee(a["person_id"], a["status"], a["reason"], a["grade"]) for a in current["attendance"]]
        becomes_held = fields.get("status") == "已召开" and current["status"] == "计划"
        base = stored
        if args.roll_call or (becomes_held and not stored):
            base = _roll(reg, fields.get("organization", current["organization"]),
                         fields.get("held_on", current["held_on"]), fields.get("group", current["group"]))
        attendance = _apply_marks(reg, base, args)
        if attendance is None and base is not stored:
            attendance = base
        attachments = None
        if args.attach or args.detach:
            drop = set(args.detach or [])
            attachments = [a["path"] for a in current["attachments"] if a["path"] not in drop and a["name"] not in drop]
            attachments += args.attach or []
        saved = svc.edit_meeting(reg, args.id, attendance=attendance, attachments=attachments,
                                 override_reason=args.override_reason, **fields)
    print(saved.message)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        print(svc.delete_meeting(reg, args.id))
    return 0


def _org_ids(reg: Registry, org: str | None) -> list[int] | None:
    return subtree_ids(reg, require_org(reg, org)["id"]) if org else None


def cmd_list(args: argparse.Namespace) -> int:
    start, end = parse_day(args.start, "起始日期"), parse_day(args.end, "截止日期")
    with open_registry(args) as reg:
        rows = svc.list_meetings(reg, _org_ids(reg, args.org), start.isoformat() if start else None,
                                 end.isoformat() if end else None, args.kind, args.status)
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["id"], cn_date(r["held_on"]), r["organization"], f"{r['group'] or ''}{r['kind']}", r["status"],
                  r["topic"] or "", r["invited"], r["present"], r["leave"], r["absent"]) for r in rows],
                ["编号", "日期", "党组织", "类型", "状态", "主题", "应到", "实到", "请假", "缺席"])
    print(f"共 {len(rows)} 次")
    return 0


def _masked(rows: list[dict[str, Any]], show_id: bool) -> list[dict[str, Any]]:
    return rows if show_id else [{**r, "id_number": mask_id(r["id_number"])} for r in rows]


def cmd_show(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        m = svc.get_meeting(reg, args.id)
    m["attendance"] = _masked(m["attendance"], args.show_id)
    if args.json:
        print_json(m)
        return 0
    print(svc_sentence(m))
    for key, label in (("topic", "主题"), ("host", "主持人"), ("recorder", "记录人"), ("location", "地点"),
                       ("minutes", "会议内容"), ("notes", "备注")):
        if m[key]:
            print(f"{label}：{m[key]}")
    if m["attendance"]:
        print_table([(a["name"], a["id_number"], a["category"], a["status"], a["reason"] or "", a["grade"] or "",
                      a["override_reason"] or "") for a in m["attendance"]],
                    ["姓名", "身份证号", "类别", "出席情况", "原因", "评议等次", "非本支部党员参会原因"])
    for a in m["attachments"]:
        print(f"附件：{a['name']}（{a['path']}，{a['state']}）")
    return 0


def svc_sentence(m: dict[str, Any]) -> str:
    head = f"编号{m['id']}：{cn_date(m['held_on'])} {m['organization']} {m['group'] or ''}{m['kind']}（{m['status']}）"
    if m["status"] == "计划":
        return head
    return f"{head}，应到{m['invited']}人，实到{m['present']}人，请假{m['leave']}人，缺席{m['absent']}人"


def cmd_roll_call(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = _masked([{k: v for k, v in r.items() if k != "search_text"}
                        for r in svc.roll_call(reg, args.org, args.date, args.group)], args.show_id)
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["name"], r["id_number"], r["category"], r["relation"]) for r in rows],
                ["姓名", "身份证号", "类别", "组织关系"])
    print(f"应到 {len(rows)} 人")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from registry.services.org_life_gaps import committee_note

    with open_registry(args) as reg:
        if args.committee is not None or args.lessons is not None or args.records_from is not None:
            extra: dict[str, Any] = {} if args.records_from is None else {"records_from": args.records_from or None}
            groups.set_branch_settings(reg, args.org, committee=args.committee, lessons_per_year=args.lessons, **extra)
        org = groups.require_branch(reg, args.org)
        s = groups.branch_settings(reg, org["id"])
        note = committee_note(reg, org["id"], date.today())
    print(f"{org['name']}：支部委员会 {s.committee}（{note}）党课每年{s.lessons_per_year}次；"
          f"组织生活记录自{cn_date(s.records_from) or '成立'}起计算。")
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from registry.services.org_life_gaps import gap_rows

    today = parse_day(args.date) or date.today()
    with open_registry(args) as reg:
        rows = gap_rows(reg, today, _org_ids(reg, args.org), include_done=args.all)
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["organization"], r["label"], STATE_LABELS[r["state"]], cn_date(r["period_end"]), r["rule"]) for r in rows],
                ["党支部", "事项", "状态", "期限", "依据"])
    print(f"共 {len(rows)} 项")
    return 0


def cmd_group_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        groups.add_group(reg, args.org, args.name, leader=args.leader, since=args.since, notes=args.notes)
    print(f"已新增党小组：{args.org} {args.name}。")
    return 0


def cmd_group_edit(args: argparse.Namespace) -> int:
    fields = {k: getattr(args, k) for k in ("leader", "since", "until", "notes") if getattr(args, k) is not None}
    if args.new_name is not None:
        fields["name"] = args.new_name
    with open_registry(args) as reg:
        diff = groups.edit_group(reg, args.org, args.name, **fields)
    print("已保存修改。" if diff else "没有修改任何内容。")
    return 0


def cmd_group_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        groups.delete_group(reg, args.org, args.name)
    print(f"已删除党小组：{args.org} {args.name}（该组的党小组会保留，不再属于任何党小组）。")
    return 0


def cmd_group_assign(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        n = groups.assign(reg, args.org, args.name, args.people, since=args.since)
    print(f"已编入{args.name} {n}人。")
    return 0


def cmd_group_remove(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        n = groups.remove(reg, args.org, args.name, args.people, until=args.until)
    print(f"已从{args.name}调出{n}人。")
    return 0


def cmd_group_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = groups.list_groups(reg, _org_ids(reg, args.org))
    for g in rows:
        g["members"] = _masked(g["members"], args.show_id)
    if args.json:
        print_json(rows)
        return 0
    print_table([(g["organization"], g["name"], g["leader"] or "", cn_date(g["since"]), cn_date(g["until"]),
                  len(g["members"]), "、".join(m["name"] for m in g["members"])) for g in rows],
                ["党支部", "党小组", "组长", "成立日期", "撤销日期", "人数", "成员"])
    return 0


def _attendance_flags(p: argparse.ArgumentParser, editing: bool) -> None:
    if editing:
        p.add_argument("--present", metavar="身份证号", help="改为出席的人员，用逗号分隔")
        p.add_argument("--drop", metavar="身份证号", help="从出席名单中去掉的人员，用逗号分隔")
        p.add_argument("--roll-call", action="store_true", help="按会议当日本支部（党小组）党员重新点名，全部出席")
    p.add_argument("--leave", metavar="身份证号[:原因]", help="请假人员，用逗号分隔，可加“:原因”")
    p.add_argument("--absent", metavar="身份证号[:原因]", help="缺席人员，用逗号分隔，可加“:原因”")
    p.add_argument("--grade", metavar="身份证号:等次", help=f"民主评议党员的评议等次（{'、'.join(GRADES)}），用逗号分隔")
    p.add_argument("--attach", action="append", metavar="文件", help="附件（如签到表照片），只记录位置，可多次使用")
    p.add_argument("--override-reason", "--override_reason", dest="override_reason", metavar="原因",
                   help="出席人员中有不是本支部当日党员的人时，写明登记的原因")


def register(sub: argparse._SubParsersAction) -> None:
    mt = sub.add_parser("meeting", help="组织生活（三会一课、主题党日等）").add_subparsers(
        dest="meeting_command", metavar="操作", required=True)
    p = mt.add_parser("add", help="登记一次组织生活（默认已召开，全支部点名、全部出席）")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("--kind", required=True, choices=MEETING_KINDS, help="会议类型")
    p.add_argument("--date", required=True, help="会议日期")
    p.add_argument("--status", choices=("已召开", "计划"), default="已召开", help="已召开（默认）或计划")
    p.add_argument("--group", help="党小组会所属的党小组")
    for key in TEXT_FIELDS:
        p.add_argument(f"--{key}", help=FIELD_HELP[key])
    p.add_argument("--attendees", help="只登记这些出席人员（身份证号，用逗号分隔）；不填则全支部点名")
    _attendance_flags(p, editing=False)
    p.set_defaults(handler=cmd_add)

    p = mt.add_parser("list", help="列出组织生活记录")
    p.add_argument("--org", help="党组织（含下级）")
    p.add_argument("--kind", choices=MEETING_KINDS, help="会议类型")
    p.add_argument("--start", help="起始日期")
    p.add_argument("--end", help="截止日期")
    p.add_argument("--status", choices=("已召开", "计划"), help="状态")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_list)

    p = mt.add_parser("show", help="查看一次组织生活的全部内容")
    p.add_argument("id", type=int, metavar="编号", help="会议编号（meeting list 的第一列）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码）")
    p.set_defaults(handler=cmd_show)

    p = mt.add_parser("edit", help="修改一次组织生活（内容、出席、附件；计划转为已召开）")
    p.add_argument("id", type=int, metavar="编号", help="会议编号（meeting list 的第一列）")
    p.add_argument("--org", help="党支部")
    p.add_argument("--kind", choices=MEETING_KINDS, help="会议类型")
    p.add_argument("--date", help="会议日期")
    p.add_argument("--status", choices=("已召开", "计划"), help="状态；计划改为已召开时按当日点名，全部出席")
    p.add_argument("--group", help="党小组会所属的党小组")
    for key in TEXT_FIELDS:
        p.add_argument(f"--{key}", help=FIELD_HELP[key])
    _attendance_flags(p, editing=True)
    p.add_argument("--detach", action="append", metavar="文件", help="去掉的附件（文件名或位置），可多次使用")
    p.set_defaults(handler=cmd_edit)

    p = mt.add_parser("delete", help="删除一次组织生活及其出席记录")
    p.add_argument("id", type=int, metavar="编号", help="会议编号（meeting list 的第一列）")
    p.set_defaults(handler=cmd_delete)

    p = mt.add_parser("roll-call", help="列出会议当日应到的党员（本支部或党小组）")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("--date", required=True, help="会议日期")
    p.add_argument("--group", help="党小组")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码）")
    p.set_defaults(handler=cmd_roll_call)

    p = mt.add_parser("rules", help="查看或设置党支部的组织生活要求（支部委员会、党课次数）")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("--committee", choices=COMMITTEE_SETTINGS, help="是否设支部委员会：自动（正式党员7人以上）、有、无")
    p.add_argument("--lessons", type=int, choices=sorted(LESSONS_PER_YEAR), help="每年党课次数：1 每年一次（默认，全国最低要求）、2 每半年一次、4 每季度一次、12 每月一次")
    p.add_argument("--records-from", help="组织生活从这一天起在本台账中记录（之前的不计为未开）；留空清除")
    p.set_defaults(handler=cmd_rules)

    p = mt.add_parser("gaps", help="列出各党支部未开和待开的组织生活")
    p.add_argument("--org", help="党组织（含下级）")
    p.add_argument("--date", help="按这一天计算（默认今天）")
    p.add_argument("--all", action="store_true", help="连同已落实的周期一起列出")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_gaps)

    gr = sub.add_parser("group", help="党小组").add_subparsers(dest="group_command", metavar="操作", required=True)
    p = gr.add_parser("add", help="新增党小组")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("name", metavar="名称", help="党小组名称")
    p.add_argument("--leader", metavar="身份证号", help="党小组组长")
    p.add_argument("--since", help="成立日期")
    p.add_argument("--notes", help="备注")
    p.set_defaults(handler=cmd_group_add)
    p = gr.add_parser("list", help="列出党小组及成员")
    p.add_argument("--org", help="党组织（含下级）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码）")
    p.set_defaults(handler=cmd_group_list)
    p = gr.add_parser("edit", help="修改党小组")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("name", metavar="名称", help="党小组名称")
    p.add_argument("--new-name", help="新名称")
    p.add_argument("--leader", metavar="身份证号", help="党小组组长")
    p.add_argument("--since", help="成立日期")
    p.add_argument("--until", help="撤销日期")
    p.add_argument("--notes", help="备注")
    p.set_defaults(handler=cmd_group_edit)
    p = gr.add_parser("delete", help="删除党小组")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("name", metavar="名称", help="党小组名称")
    p.set_defaults(handler=cmd_group_delete)
    p = gr.add_parser("assign", help="把党员编入党小组")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("name", metavar="名称", help="党小组名称")
    p.add_argument("people", nargs="+", metavar="身份证号", help="党员的身份证号，可写多个")
    p.add_argument("--since", help="编入日期（默认今天）")
    p.set_defaults(handler=cmd_group_assign)
    p = gr.add_parser("remove", help="把党员调出党小组")
    p.add_argument("--org", required=True, help="党支部")
    p.add_argument("name", metavar="名称", help="党小组名称")
    p.add_argument("people", nargs="+", metavar="身份证号", help="党员的身份证号，可写多个")
    p.add_argument("--until", help="调出日期（默认今天）")
    p.set_defaults(handler=cmd_group_remove)
